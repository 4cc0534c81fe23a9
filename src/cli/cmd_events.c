/* cmd_events.c -- `adizwatch events`: stored events as JSON Lines. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static int print_event(const aw_event *ev, void *user)
{
    (void)user;
    char buf[1024];
    int n = aw_event_to_json(ev, buf, sizeof buf);
    if (n > 0 && (size_t)n < sizeof buf)
        puts(buf);
    return 0;
}

static int time_arg(const char *name, const char *s, double *out)
{
    if (aw_parse_time(s, strlen(s), out) == 0)
        return 0;
    fprintf(stderr, "adizwatch: %s wants an ISO 8601 time with zone or epoch seconds, not '%s'\n",
            name, s);
    return -1;
}

int cmd_events(int argc, char **argv)
{
    static const char usage[] = "usage: adizwatch events --db FILE [--zone Z] [--track T] "
                                "[--since TIME] [--until TIME]\n";
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},    {"zone", required_argument, 0, 'z'},
        {"track", required_argument, 0, 't'}, {"since", required_argument, 0, 's'},
        {"until", required_argument, 0, 'u'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *db = NULL;
    aw_event_query q = {NULL, NULL, NAN, NAN};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'z': q.zone = optarg; break;
        case 't': q.track = optarg; break;
        case 's':
            if (time_arg("--since", optarg, &q.since) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'u':
            if (time_arg("--until", optarg, &q.until) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (!db || optind != argc) {
        fputs(usage, stderr);
        return EXIT_BAD_INPUT;
    }
    if (access(db, F_OK) != 0) { /* a query must not create an empty store */
        fprintf(stderr, "adizwatch: %s: %s\n", db, strerror(errno));
        return EXIT_RUN_FAILED;
    }
    char err[512];
    aw_store *s = aw_store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return EXIT_RUN_FAILED;
    }
    long n = aw_store_query(s, &q, print_event, NULL, err, sizeof err);
    if (n < 0)
        fprintf(stderr, "adizwatch: %s\n", err);
    aw_store_close(s);
    return n < 0 ? EXIT_RUN_FAILED : 0;
}
