/* cmd_patrol.c -- `adizwatch patrol`: groups, escorts, take-offs, landings, straits and
 * missions from the store's trails, printed as JSON Lines and kept as records. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/ingest.h"
#include "adizwatch/observer.h"
#include "adizwatch/patrol.h"
#include "cli/cli.h"

static int time_arg(const char *name, const char *s, double *out)
{
    if (aw_parse_time(s, strlen(s), out) == 0)
        return 0;
    fprintf(stderr, "adizwatch: %s wants an ISO 8601 time with a zone or Unix seconds, not '%s'\n",
            name, s);
    return -1;
}

static int positive_arg(const char *name, const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (end != s && !*end && *out > 0 && isfinite(*out))
        return 0;
    fprintf(stderr, "adizwatch: %s wants a positive number, not '%s'\n", name, s);
    return -1;
}

int cmd_patrol(int argc, char **argv)
{
    static const char usage[] = "usage: adizwatch patrol --db FILE [--day YYYY-MM-DD [--tz +HH:MM|Area/City] "
                                "| --from TIME --to TIME]\n"
                                "                        [--aircraft-db FILE] [--group-km K] "
                                "[--group-min M] [--all-tracks]\n";
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"day", required_argument, 0, 'D'},
                                             {"tz", required_argument, 0, 't'},
                                             {"from", required_argument, 0, 'f'},
                                             {"to", required_argument, 0, 'T'},
                                             {"aircraft-db", required_argument, 0, 'a'},
                                             {"group-km", required_argument, 0, 'k'},
                                             {"group-min", required_argument, 0, 'm'},
                                             {"all-tracks", no_argument, 0, 'A'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = NULL, *day = NULL, *aircraft_db = NULL;
    double from = NAN, to = NAN, v;
    int tz = 0;
    const char *tz_spec = NULL; /* a zone name: its offset on the day, not today's */
    aw_patrol_options o;
    aw_patrol_defaults(&o);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'D': day = optarg; break;
        case 'a': aircraft_db = optarg; break;
        case 'A': o.all_tracks = true; break;
        case 't':
            tz_spec = optarg;
            if (cli_tz_arg(optarg, &tz) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'f':
            if (time_arg("--from", optarg, &from) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'T':
            if (time_arg("--to", optarg, &to) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'k':
            if (positive_arg("--group-km", optarg, &v) < 0)
                return EXIT_BAD_INPUT;
            o.group_dist_m = v * 1000;
            break;
        case 'm':
            if (positive_arg("--group-min", optarg, &v) < 0)
                return EXIT_BAD_INPUT;
            o.group_min_s = v * 60;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (!db || optind != argc || (day && (!isnan(from) || !isnan(to)))) {
        fputs(usage, stderr);
        return EXIT_BAD_INPUT;
    }
    if (day) {
        char midnight[40];
        snprintf(midnight, sizeof midnight, "%sT00:00:00Z", day);
        if (strlen(day) != 10 || aw_parse_time(midnight, strlen(midnight), &from) < 0) {
            fprintf(stderr, "adizwatch: --day wants YYYY-MM-DD, not '%s'\n", day);
            return EXIT_BAD_INPUT;
        }
        if (tz_spec)
            cli_tz_at(tz_spec, from + 43200 - tz, &tz);
        from -= tz; /* local midnight */
        to = from + 86400;
    }
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "adizwatch: %s: %s\n", db, strerror(errno));
        return EXIT_RUN_FAILED;
    }
    char err[512];
    aw_aircraft_db *adb = NULL;
    if (aircraft_db &&
        !(adb = aw_aircraft_db_load(aircraft_db, NULL, NULL, NULL, err, sizeof err))) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    int rc = 0;
    aw_store *s = aw_store_open(db, err, sizeof err);
    size_t np = 0;
    aw_position *p = s ? aw_patrol_positions(s, from, to, &np, err, sizeof err) : NULL;
    aw_patrol *pa = p ? aw_patrol_analyse(p, np, adb, &o, err, sizeof err) : NULL;
    aw_report_basis *basis = pa ? aw_report_basis_load(s, err, sizeof err) : NULL;
    if (!pa) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    long added = 0, counts[6] = {0};
    static const char *const types[6] = {"group",   "escort", "takeoff",
                                         "landing", "strait", "mission"};
    for (size_t i = 0; pa && i < aw_patrol_event_count(pa); i++) {
        const aw_patrol_event *e = aw_patrol_event_at(pa, i);
        /* Printed with what rests on a scenario assumption marked (docs/report.md); stored
         * as analysed (a report marks it when it reads it). */
        char *marked = basis ? aw_report_basis_annotate(basis, e->json) : NULL;
        printf("%s\n", marked ? marked : e->json);
        free(marked);
        for (int k = 0; k < 6; k++)
            counts[k] += strcmp(types[k], e->type) == 0;
        aw_record r = aw_patrol_event_record(e);
        int a = aw_store_add_record(s, &r, err, sizeof err);
        if (a < 0) {
            fprintf(stderr, "adizwatch: %s\n", err);
            rc = EXIT_RUN_FAILED;
            break;
        }
        added += a;
    }
    if (s && aw_store_close(s) < 0)
        rc = EXIT_RUN_FAILED;
    if (fflush(stdout) != 0)
        rc = EXIT_RUN_FAILED;
    if (pa)
        fprintf(stderr,
                "patrol: %zu positions; %ld groups, %ld escorts, %ld take-offs, %ld landings, "
                "%ld strait transits, %ld missions; %ld records added to %s\n",
                np, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], added, db);
    aw_patrol_free(pa);
    aw_report_basis_free(basis);
    free(p);
    aw_aircraft_db_free(adb);
    return rc;
}
