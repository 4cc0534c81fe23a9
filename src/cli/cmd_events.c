/* cmd_events.c -- `adizwatch events`: stored events as JSON Lines, or as a timeline.
 *
 * The timeline is what a watch officer reads out: local time of the observer, who
 * (callsign, or type and nation from the aircraft database), what zone, and where, in
 * words ("126 km NW of Ieodo"); an exit says how long the visit lasted. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/identify.h"
#include "adizwatch/theater.h"
#include "cli/cli.h"

typedef struct timeline {
    int tz_offset_s;
    const char *tz_text;
    const char *tz_name;    /* --tz as a zone name: the offset is that at each event */
    aw_aircraft_db *db;
} timeline;

static int print_line(const aw_event *ev, void *user)
{
    const timeline *tl = user;
    char when[32], where[128], who[160], offset[16];
    int tz = tl->tz_offset_s;
    const char *tz_text = tl->tz_text;
    if (tl->tz_name && cli_tz_at(tl->tz_name, ev->time, &tz) == 0) {
        snprintf(offset, sizeof offset, "%c%02d:%02d", tz < 0 ? '-' : '+', abs(tz) / 3600,
                 abs(tz) / 60 % 60);
        tz_text = offset;
    }
    aw_format_time(ev->time + tz, when, sizeof when);
    when[19] = '\0'; /* "2022-11-30T05:48:12", seconds are enough to read out */
    when[10] = ' ';
    aw_where(ev->lat, ev->lon, where, sizeof where);
    aw_identity id;
    aw_identify(tl->db, ev->track, ev->callsign, "", &id);
    snprintf(who, sizeof who, "%s%s%s%s%s%s", ev->track, ev->callsign[0] ? " " : "", ev->callsign,
             id.type[0] ? " " : "", id.type, "");
    if (id.nation[0]) {
        size_t n = strlen(who);
        snprintf(who + n, sizeof who - n, " (%s)", id.nation);
    }
    printf("%s %s  %-5s %-12s %-34s %s", when, tz_text, aw_event_type_name(ev->type),
           ev->zone, who, where);
    if (ev->cause != AW_CROSSING)
        printf(" [%s]", aw_event_cause_name(ev->cause));
    if (ev->type == AW_EXIT)
        printf("  after %.0f min, %.0f km deep", ev->dwell_s / 60, ev->max_depth_m / 1000);
    putchar('\n');
    return 0;
}

static int print_event(const aw_event *ev, void *user)
{
    (void)user;
    char buf[1024];
    int n = aw_event_to_json(ev, buf, sizeof buf);
    if (n > 0 && (size_t)n < sizeof buf)
        puts(buf);
    return 0;
}

/* A time, or a date alone (YYYY-MM-DD: the UTC day, from its start for --since and to
 * its end for --until, both bounds being inclusive). */
static int time_arg(const char *name, const char *s, double *out)
{
    if (aw_parse_time(s, strlen(s), out) == 0)
        return 0;
    char day[32];
    if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
        snprintf(day, sizeof day, "%sT00:00:00Z", s);
        if (aw_parse_time(day, strlen(day), out) == 0) {
            if (strcmp(name, "--until") == 0)
                *out += 86400 - 1e-6;
            return 0;
        }
    }
    fprintf(stderr, "adizwatch: %s wants a date (2022-11-30: that UTC day), an ISO 8601 time "
                    "with a zone (2022-11-30T03:48:00Z, ...+09:00) or epoch seconds, not '%s'\n",
            name, s);
    return -1;
}

int cmd_events(int argc, char **argv)
{
    static const char usage[] = "usage: adizwatch events --db FILE [--zone Z] [--track T] "
                                "[--since TIME] [--until TIME]\n"
                                "                        [--text [--tz +HH:MM|Area/City] [--aircraft-db F]]\n";
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},    {"zone", required_argument, 0, 'z'},
        {"track", required_argument, 0, 't'}, {"since", required_argument, 0, 's'},
        {"until", required_argument, 0, 'u'}, {"help", no_argument, 0, 'h'},
        {"text", no_argument, 0, 'x'},         {"tz", required_argument, 0, 'Z'},
        {"aircraft-db", required_argument, 0, 'a'}, {0, 0, 0, 0}};
    timeline tl = {0, "UTC", NULL, NULL};
    bool text = false;
    const char *aircraft_db = NULL;
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
        case 'x': text = true; break;
        case 'a': aircraft_db = optarg; break;
        case 'Z':
            if (cli_tz_arg(optarg, &tl.tz_offset_s) < 0)
                return EXIT_BAD_INPUT;
            tl.tz_text = optarg;
            if (aw_parse_tz_offset(optarg, &(int){0}) != 0)
                tl.tz_name = optarg;
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
    if (aircraft_db && !(tl.db = aw_aircraft_db_load(aircraft_db, NULL, NULL, NULL, err, sizeof err))) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    aw_store *s = aw_store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return EXIT_RUN_FAILED;
    }
    long n = aw_store_query(s, &q, text ? print_line : print_event, &tl, err, sizeof err);
    aw_aircraft_db_free(tl.db);
    if (n < 0)
        fprintf(stderr, "adizwatch: %s\n", err);
    aw_store_close(s);
    return n < 0 ? EXIT_RUN_FAILED : 0;
}
