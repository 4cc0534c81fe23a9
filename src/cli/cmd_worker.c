/* cmd_worker.c -- `adizwatch worker`: one of the workers sharing a stream's partitions
 * (docs/scale-out.md); runs until SIGINT/SIGTERM, then gives its leases up. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cluster/cluster.h"

static volatile int stop_worker;
static void on_stop(int sig)
{
    (void)sig;
    stop_worker = 1;
}

int cmd_worker(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"nats", required_argument, 0, 'n'},  {"zones", required_argument, 0, 'Z'},
        {"prefix", required_argument, 0, 'p'}, {"name", required_argument, 0, 'w'},
        {"lease", required_argument, 0, 'l'}, {"timeout", required_argument, 0, 't'},
        {"retry", required_argument, 0, 'r'}, {"checkpoint-every", required_argument, 0, 'N'},
        {"checkpoint-interval", required_argument, 0, 'S'},
        {"live-clock", required_argument, 0, 'L'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    char host[64] = "worker";
    gethostname(host, sizeof host - 1);
    char name[128];
    snprintf(name, sizeof name, "%s-%ld", host, (long)getpid());
    aw_worker_options o = {.prefix = AW_CLUSTER_PREFIX, .name = name, .lease_s = 6,
                           .timeout_s = 300, .checkpoint_reports = 100000, .checkpoint_s = 60,
                           .stop = &stop_worker};
    const char *url = NULL, *zones_spec = NULL;
    double retry = 10;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': url = optarg; break;
        case 'Z': zones_spec = optarg; break;
        case 'p': o.prefix = optarg; break;
        case 'w': o.name = optarg; break;
        case 'l': {
            char *end;
            o.lease_s = strtod(optarg, &end);
            if (*end || !(o.lease_s >= 1 && o.lease_s <= 3600)) {
                fprintf(stderr, "adizwatch: --lease wants seconds (1 to 3600), not '%s'\n",
                        optarg);
                return EXIT_BAD_INPUT;
            }
            break;
        }
        case 't':
            if (cli_timeout_arg(optarg, &o.timeout_s) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'r':
            if (cli_retry_arg(optarg, &retry) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'N':
        case 'S':
        case 'L': {
            char *end;
            double v = strtod(optarg, &end);
            if (end == optarg || *end || !(v >= 0 && v <= 1e12)) {
                fprintf(stderr, "adizwatch: --%s wants a number, 0 or more, not '%s'\n",
                        c == 'N' ? "checkpoint-every" : c == 'S' ? "checkpoint-interval"
                                                                 : "live-clock", optarg);
                return EXIT_BAD_INPUT;
            }
            if (c == 'N')
                o.checkpoint_reports = (uint64_t)v;
            else if (c == 'S')
                o.checkpoint_s = v;
            else
                o.live_clock_s = v;
            break;
        }
        case 'h': cli_usage("worker", stdout); return 0;
        default: cli_usage("worker", stderr); return EXIT_BAD_INPUT;
        }
    }
    if (!url || !zones_spec || optind != argc) {
        fprintf(stderr, "adizwatch: worker needs --nats URL and --zones ZONES, and no other argument\n");
        cli_usage("worker", stderr);
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zones = cli_load_zones(zones_spec);
    if (!zones)
        return EXIT_BAD_INPUT;
    cli_catch_stop_signals(on_stop);
    aw_cluster_conn *conn = aw_cluster_connect(url, retry);
    int rc = conn ? aw_cluster_worker(conn, zones, &o) : -1;
    aw_cluster_close(conn);
    aw_zones_free(zones);
    return rc < 0 ? EXIT_RUN_FAILED : 0;
}
