/* cmd_report.c -- `adizwatch report`: one observer's day, from the store. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/observer.h"
#include "cli/cli.h"

typedef struct event_list {
    aw_event *v;
    size_t n, cap;
} event_list;

static int collect(const aw_event *ev, void *user)
{
    event_list *l = user;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        aw_event *v = realloc(l->v, l->cap * sizeof *v);
        if (!v)
            return 1;
        l->v = v;
    }
    l->v[l->n++] = *ev;
    return 0;
}

/* The observer's local offset: East Asia's, or UTC. */
static int default_tz(const char *observer)
{
    static const struct {
        const char *iso;
        int offset;
    } t[] = {{"KR", 9 * 3600}, {"JP", 9 * 3600}, {"KP", 9 * 3600}, {"CN", 8 * 3600},
             {"TW", 8 * 3600}, {"RU", 10 * 3600}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].iso, observer) == 0)
            return t[i].offset;
    return 0;
}

int cmd_report(int argc, char **argv)
{
    static const char usage[] =
        "usage: adizwatch report --db FILE --day YYYY-MM-DD --observer KR|JP|TW|CN\n"
        "                        [--reconcile OTHER] [--zones ZONES] [--aircraft-db FILE]\n"
        "                        [--tz +HH:MM] [--out DIR]\n";
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},       {"day", required_argument, 0, 'D'},
        {"observer", required_argument, 0, 'o'}, {"reconcile", required_argument, 0, 'r'},
        {"zones", required_argument, 0, 'z'},    {"aircraft-db", required_argument, 0, 'a'},
        {"tz", required_argument, 0, 't'},       {"out", required_argument, 0, 'O'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *db = NULL, *day = NULL, *zones_spec = "builtin:east-asia", *aircraft_db = NULL;
    const char *out_dir = NULL;
    aw_observer_options opt = {NULL, 0, 0, 0, 600, 100000, NULL};
    bool tz_given = false;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'D': day = optarg; break;
        case 'o': opt.observer = optarg; break;
        case 'r': opt.other = optarg; break;
        case 'z': zones_spec = optarg; break;
        case 'a': aircraft_db = optarg; break;
        case 'O': out_dir = optarg; break;
        case 't':
            if (cli_tz_arg(optarg, &opt.tz_offset_s) < 0)
                return EXIT_BAD_INPUT;
            tz_given = true;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (!db || !day || !opt.observer || optind != argc || strlen(day) != 10) {
        fputs(usage, stderr);
        return EXIT_BAD_INPUT;
    }
    if (!tz_given)
        opt.tz_offset_s = default_tz(opt.observer);
    char midnight[40];
    snprintf(midnight, sizeof midnight, "%sT00:00:00Z", day);
    if (aw_parse_time(midnight, strlen(midnight), &opt.day_start) < 0) {
        fprintf(stderr, "adizwatch: --day wants YYYY-MM-DD, not '%s'\n", day);
        return EXIT_BAD_INPUT;
    }
    opt.day_start -= opt.tz_offset_s; /* the observer's midnight */
    opt.day_end = opt.day_start + 86400;
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "adizwatch: %s: %s\n", db, strerror(errno));
        return EXIT_RUN_FAILED;
    }
    aw_zone_set *zones = cli_load_zones(zones_spec);
    if (!zones)
        return EXIT_BAD_INPUT;
    char err[512];
    aw_aircraft_db *adb = NULL;
    if (aircraft_db && !(adb = aw_aircraft_db_load(aircraft_db, NULL, NULL, NULL, err, sizeof err))) {
        fprintf(stderr, "adizwatch: %s\n", err);
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    aw_store *s = aw_store_open(db, err, sizeof err);
    event_list l = {NULL, 0, 0};
    aw_event_query q = {NULL, NULL, NAN, NAN};
    int rc = 0;
    if (!s || aw_store_query(s, &q, collect, &l, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    if (s)
        aw_store_close(s);
    FILE *md = stdout, *json = NULL;
    char path[1024];
    if (rc == 0 && out_dir) {
        snprintf(path, sizeof path, "%s/report-%s-%s.md", out_dir, opt.observer, day);
        md = fopen(path, "w");
        snprintf(path, sizeof path, "%s/report-%s-%s.json", out_dir, opt.observer, day);
        json = fopen(path, "w");
        if (!md || !json) {
            fprintf(stderr, "adizwatch: cannot write the report in %s: %s\n", out_dir, strerror(errno));
            rc = EXIT_RUN_FAILED;
        }
    }
    if (rc == 0 && aw_observer_report(l.v, l.n, zones, adb, &opt, md, json) < 0)
        rc = EXIT_RUN_FAILED;
    if (md && md != stdout && fclose(md) != 0)
        rc = EXIT_RUN_FAILED;
    if (json && fclose(json) != 0)
        rc = EXIT_RUN_FAILED;
    free(l.v);
    aw_aircraft_db_free(adb);
    aw_zones_free(zones);
    return rc;
}
