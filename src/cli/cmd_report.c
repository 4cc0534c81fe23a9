/* cmd_report.c -- `adizwatch report`: one observer's day, from the store. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/observer.h"
#include "adizwatch/advice.h"
#include "adizwatch/patrol.h"
#include "cli/cli.h"
#include "report/report_map.h"

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
    aw_observer_options opt = {NULL, 0, 0, 0, 600, 100000, NULL, NULL, 0, NULL, 0};
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
        opt.tz_offset_s = aw_observer_utc_offset(opt.observer);
    if (aw_observer_day(&opt, day) < 0) {
        fprintf(stderr, "adizwatch: --day wants YYYY-MM-DD, not '%s'\n", day);
        return EXIT_BAD_INPUT;
    }
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
    size_t nev = 0;
    aw_event *events = s ? aw_store_events_all(s, &nev, err, sizeof err) : NULL;
    int rc = 0;
    if (!events) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    /* The Patrols section: stored group records of the day, or the analysis of its trails. */
    size_t npatrols = 0;
    bool computed = false;
    char **patrols = events ? aw_patrol_groups(s, opt.day_start, opt.day_end, adb, NULL, &npatrols,
                                               &computed, err, sizeof err)
                            : NULL;
    if (events && !patrols) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    opt.patrols = (const char *const *)patrols;
    opt.npatrols = npatrols;
    /* Scramble advice and intercepts: stored records of the day (replay/watch --advise). */
    size_t nadvice = 0;
    char **advice = events ? aw_advice_records(s, opt.day_start, opt.day_end, &nadvice, err,
                                               sizeof err)
                           : NULL;
    if (events && !advice) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    opt.advice = (const char *const *)advice;
    opt.nadvice = nadvice;
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
    if (rc == 0 && aw_observer_report(events, nev, zones, adb, &opt, md, json) < 0)
        rc = EXIT_RUN_FAILED;
    if (md && md != stdout && fclose(md) != 0)
        rc = EXIT_RUN_FAILED;
    if (json && fclose(json) != 0)
        rc = EXIT_RUN_FAILED;
    /* The map beside the report files (report_map.c). */
    if (rc == 0 && out_dir &&
        cli_report_map(db, events, nev, zones, adb, &opt, day, out_dir) < 0)
        rc = EXIT_RUN_FAILED;
    free(events);
    aw_patrol_strings_free(patrols, npatrols);
    if (advice)
        aw_advice_strings_free(advice, nadvice);
    aw_aircraft_db_free(adb);
    aw_zones_free(zones);
    return rc;
}
