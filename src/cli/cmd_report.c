/* cmd_report.c -- `adizwatch report`: one observer's day or period, from the store.
 *
 * Everything the report needs is in the store: events, trails (for groups, take-offs,
 * landings and airframe links), advice records, and the provenance of the tracks, so a
 * report says what its tracks are without being told again. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adizwatch/advice.h"
#include "adizwatch/observer.h"
#include "adizwatch/patrol.h"
#include "cli/cli.h"
#include "report/report_map.h"

/* Does some zone of the set belong to this owner? If not, say which owners there are. */
static bool owner_known(const aw_zone_set *zones, const char *owner, const char *option,
                        const char *spec)
{
    for (int z = 0; z < aw_zones_count(zones); z++)
        if (strcmp(aw_zones_info(zones, z)->owner, owner) == 0)
            return true;
    fprintf(stderr, "adizwatch: report: %s '%s' owns no zone in %s; owners there:", option, owner,
            spec);
    for (int z = 0, shown = 0; z < aw_zones_count(zones); z++) {
        const char *o = aw_zones_info(zones, z)->owner;
        bool dup = false;
        for (int k = 0; k < z && !dup; k++)
            dup = strcmp(aw_zones_info(zones, k)->owner, o) == 0;
        if (!dup && o[0])
            fprintf(stderr, "%s %s", shown++ ? "," : "", o);
    }
    fputc('\n', stderr);
    return false;
}

/* --from/--to: an ISO 8601 time with a zone, or "YYYY-MM-DD[THH:MM]" in the report's
 * local time. */
static int period_arg(const char *s, const char *tz, int offset, double *out)
{
    if (aw_parse_time(s, strlen(s), out) == 0)
        return 0;
    char iso[40];
    size_t n = strlen(s);
    if (n == 10)
        snprintf(iso, sizeof iso, "%sT00:00:00Z", s);
    else if (n == 16 && s[10] == 'T')
        snprintf(iso, sizeof iso, "%s:00Z", s);
    else
        return -1;
    if (aw_parse_time(iso, strlen(iso), out) < 0)
        return -1;
    int at = offset;
    if (tz)
        cli_tz_at(tz, *out - offset, &at);
    *out -= at;
    return 0;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            if (!c)
                break;
            *p = c;
        }
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Airframes of the period's tracks: the analysis of a wider window of trails (p), so
 * that a landing before the period links to a take-off in it. */
static aw_airframe_leg *airframe_legs(const aw_position *p, size_t np, const aw_aircraft_db *adb,
                                      double link_s, size_t *n)
{
    char err[256];
    *n = 0;
    aw_patrol_options po;
    aw_patrol_defaults(&po);
    aw_patrol *pa = aw_patrol_analyse(p, np, adb, &po, err, sizeof err);
    aw_airframe_leg *legs = pa ? aw_airframe_legs(pa, adb, link_s, n) : NULL;
    aw_patrol_free(pa);
    return legs;
}

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},       {"day", required_argument, 0, 'D'},
        {"observer", required_argument, 0, 'o'}, {"reconcile", required_argument, 0, 'r'},
        {"zones", required_argument, 0, 'z'},    {"aircraft-db", required_argument, 0, 'a'},
        {"tz", required_argument, 0, 't'},       {"out", required_argument, 0, 'O'},
        {"from", required_argument, 0, 'F'},     {"to", required_argument, 0, 'T'},
        {"place-names", required_argument, 0, 'p'},
        {"airframe-link", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *db = NULL, *day = NULL, *zones_spec = "builtin:east-asia", *aircraft_db = NULL;
    const char *out_dir = NULL, *tz = NULL, *from_s = NULL, *to_s = NULL;
    double link_s = AW_AIRFRAME_LINK_S;
    aw_observer_options opt;
    aw_observer_defaults(&opt);
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
        case 'F': from_s = optarg; break;
        case 'T': to_s = optarg; break;
        case 'p':
            if (strcmp(optarg, "neutral") != 0 && strcmp(optarg, "observer") != 0) {
                fprintf(stderr, "adizwatch: --place-names wants observer or neutral\n");
                return EXIT_BAD_INPUT;
            }
            opt.neutral_names = strcmp(optarg, "neutral") == 0;
            break;
        case 'L': {
            char *end;
            double h = strtod(optarg, &end);
            if (*end || !(h >= 0 && h <= 240)) {
                fprintf(stderr, "adizwatch: --airframe-link wants hours from 0 (no links) to 240\n");
                return EXIT_BAD_INPUT;
            }
            link_s = h * 3600;
            break;
        }
        case 't':
            if (cli_tz_arg(optarg, &opt.tz_offset_s) < 0)
                return EXIT_BAD_INPUT;
            tz = optarg;
            break;
        case 'h': cli_usage("report", stdout); return 0;
        default: cli_usage("report", stderr); return EXIT_BAD_INPUT;
        }
    }
    bool period = from_s || to_s;
    if (!db || !opt.observer || optind != argc || (period ? (day || !from_s || !to_s) : !day)) {
        cli_usage("report", stderr);
        return EXIT_BAD_INPUT;
    }
    opt.tz_name = tz;
    if (!tz)
        opt.tz_offset_s = aw_observer_utc_offset(opt.observer);
    char label[64];
    if (day) {
        /* The zone's offset at the day's noon (a name may have summer time). */
        if (tz && aw_observer_day(&opt, day) == 0)
            cli_tz_at(tz, opt.day_start + 43200, &opt.tz_offset_s);
        if (aw_observer_day(&opt, day) < 0) {
            fprintf(stderr, "adizwatch: --day wants YYYY-MM-DD, not '%s'\n", day);
            return EXIT_BAD_INPUT;
        }
        snprintf(label, sizeof label, "%s", day);
    } else {
        if (period_arg(from_s, tz, opt.tz_offset_s, &opt.day_start) < 0 ||
            period_arg(to_s, tz, opt.tz_offset_s, &opt.day_end) < 0 ||
            !(opt.day_end > opt.day_start)) {
            fprintf(stderr, "adizwatch: --from and --to want ISO 8601 times (or YYYY-MM-DD[THH:MM] "
                            "in the report's time zone), --from before --to\n");
            return EXIT_BAD_INPUT;
        }
        if (tz)
            cli_tz_at(tz, opt.day_start, &opt.tz_offset_s);
        char a[32], b[32];
        aw_format_time(opt.day_start + opt.tz_offset_s, a, sizeof a);
        aw_format_time(opt.day_end + opt.tz_offset_s, b, sizeof b);
        snprintf(label, sizeof label, "%.10sT%.2s%.2s--%.10sT%.2s%.2s", a, a + 11, a + 14, b,
                 b + 11, b + 14);
    }
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "adizwatch: %s: %s\n", db, strerror(errno));
        return EXIT_RUN_FAILED;
    }
    aw_zone_set *zones = cli_load_zones(zones_spec);
    if (!zones)
        return EXIT_BAD_INPUT;
    if (!owner_known(zones, opt.observer, "--observer", zones_spec) ||
        (opt.other && !owner_known(zones, opt.other, "--reconcile", zones_spec))) {
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    if (out_dir && make_dirs(out_dir) < 0) {
        fprintf(stderr, "adizwatch: cannot create the directory %s: %s\n", out_dir, strerror(errno));
        aw_zones_free(zones);
        return EXIT_RUN_FAILED;
    }
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
    /* Where the tracks came from (the store's provenance table). */
    aw_report_basis *basis = events ? aw_report_basis_load(s, err, sizeof err) : NULL;
    if (events && !basis) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    opt.basis = basis;
    /* The Patrols section: stored group records of the period, or the analysis of its trails. */
    size_t npatrols = 0;
    bool computed = false;
    char **patrols = rc == 0 ? aw_patrol_groups(s, opt.day_start, opt.day_end, adb, NULL, &npatrols,
                                                &computed, err, sizeof err)
                             : NULL;
    if (rc == 0 && !patrols) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    opt.patrols = (const char *const *)patrols;
    opt.npatrols = npatrols;
    /* Airframes: addresses, the database's $Airframe, landing -> take-off links. */
    size_t nlegs = 0, npos = 0;
    aw_position *pos = rc == 0 ? aw_patrol_positions(s, opt.day_start - link_s,
                                                     opt.day_end + link_s, &npos, err, sizeof err)
                               : NULL;
    if (rc == 0 && !pos) {
        fprintf(stderr, "adizwatch: %s\n", err);
        rc = EXIT_RUN_FAILED;
    }
    aw_airframe_leg *legs = pos ? airframe_legs(pos, npos, adb, link_s, &nlegs) : NULL;
    opt.legs = legs;
    opt.nlegs = nlegs;
    opt.positions = pos; /* radar cover in the reconcile */
    opt.npositions = npos;
    /* Scramble advice and intercepts: stored records of the period (replay/watch --advise). */
    size_t nadvice = 0;
    char **advice = rc == 0 ? aw_advice_records(s, opt.day_start, opt.day_end, &nadvice, err,
                                                sizeof err)
                            : NULL;
    if (rc == 0 && !advice) {
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
        snprintf(path, sizeof path, "%s/report-%s-%s.md", out_dir, opt.observer, label);
        md = fopen(path, "w");
        snprintf(path, sizeof path, "%s/report-%s-%s.json", out_dir, opt.observer, label);
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
        report_map_write(db, events, nev, zones, adb, &opt, label, out_dir) < 0)
        rc = EXIT_RUN_FAILED;
    free(events);
    free(legs);
    free(pos);
    aw_report_basis_free(basis);
    aw_patrol_strings_free(patrols, npatrols);
    if (advice)
        aw_advice_strings_free(advice, nadvice);
    aw_aircraft_db_free(adb);
    aw_zones_free(zones);
    return rc;
}
