/* cmd_publish.c -- `adizwatch publish`: inputs onto a NATS JetStream stream, partitioned
 * by track, for workers to process (docs/scale-out.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cluster/cluster.h"

/* --retry S: how long to keep trying to reach the server. */
int cli_retry_arg(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || !(v >= 0 && v <= 86400)) {
        fprintf(stderr, "adizwatch: --retry wants seconds (0 to 86400), not '%s'\n", s);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_publish(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"nats", required_argument, 0, 'n'},   {"prefix", required_argument, 0, 'p'},
        {"partitions", required_argument, 0, 'k'}, {"format", required_argument, 0, 'f'},
        {"tz", required_argument, 0, 'z'},     {"assume-utc", no_argument, 0, 'u'},
        {"retry", required_argument, 0, 'r'},  {"end-clock", no_argument, 0, 'e'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    aw_publish_options o = {.prefix = AW_CLUSTER_PREFIX};
    const char *url = NULL;
    double retry = 10;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': url = optarg; break;
        case 'p': o.prefix = optarg; break;
        case 'k': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1024) {
                fprintf(stderr, "adizwatch: --partitions wants 1 to 1024, not '%s'\n", optarg);
                return EXIT_BAD_INPUT;
            }
            o.partitions = (int)v;
            break;
        }
        case 'f': o.format = optarg; break;
        case 'z':
            if (cli_tz_arg(optarg, &o.tz_offset_s) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'u': o.assume_utc = true; break;
        case 'e': o.end_clock = true; break;
        case 'r':
            if (cli_retry_arg(optarg, &retry) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'h': cli_usage("publish", stdout); return 0;
        default: cli_usage("publish", stderr); return EXIT_BAD_INPUT;
        }
    }
    if (!url || optind >= argc) {
        fprintf(stderr, "adizwatch: publish needs --nats URL and at least one INPUT\n");
        cli_usage("publish", stderr);
        return EXIT_BAD_INPUT;
    }
    aw_cluster_conn *conn = aw_cluster_connect(url, retry);
    if (!conn)
        return EXIT_RUN_FAILED;
    int rc = aw_cluster_publish(conn, &o, argv + optind, argc - optind);
    aw_cluster_close(conn);
    return rc < 0 ? EXIT_RUN_FAILED : 0;
}
