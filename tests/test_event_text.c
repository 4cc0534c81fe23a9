/* test_event_text.c -- the event's JSON written by hand (event_text.h) is the C
 * library's, byte for byte: fixed-point figures against snprintf on random values of
 * every size, exact ties (rounded to even), signed zeros and values far below the last
 * digit; times against gmtime_r over a hundred centuries; and whole events against
 * the JSON built the old way, with snprintf, from the same fields. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adizwatch/event.h"
#include "check.h"
#include "events/event_text.h"
#include "random.h"

static int mismatches;

static void same_fixed(double x, int prec)
{
    char mine[512], libc[512];
    int n = event_text_fixed(mine, sizeof mine, x, prec);
    snprintf(libc, sizeof libc, "%.*f", prec, x);
    if (strcmp(mine, libc) != 0 || n != (int)strlen(libc)) {
        if (mismatches++ < 10)
            fprintf(stderr, "%%.%df of %.17g: \"%s\", the C library \"%s\"\n", prec, x, mine, libc);
    }
}

static void fixed_figures(void)
{
    static const int precs[] = {0, 1, 3, 7, 9};
    mismatches = 0;
    for (int pi = 0; pi < 5; pi++) {
        int p = precs[pi];
        /* random values from 1e-12 to 1e10 (past the fast path's 1e9), both signs */
        for (int i = 0; i < 400000; i++) {
            double x = pow(10.0, -12 + 22 * uniform()) * (uniform() < 0.5 ? -1 : 1);
            same_fixed(x, p);
        }
        /* what events hold: latitudes, longitudes, altitudes, dwells, depths */
        for (int i = 0; i < 200000; i++) {
            same_fixed(-90 + 180 * uniform(), p);
            same_fixed(-180 + 360 * uniform(), p);
            same_fixed(-2000 + 60000 * uniform(), p);
            same_fixed(1e6 * uniform(), p);
        }
        /* exact ties at this precision: q / 2^(p + 1) with q odd is k + 1/2 units of the
         * last digit; both neighbours of each, and the ties of the other precisions */
        for (int q = -20001; q <= 20001; q += 2) {
            for (int e = 1; e <= 12; e++) {
                double x = ldexp((double)q, -e);
                same_fixed(x, p);
                same_fixed(nextafter(x, INFINITY), p);
                same_fixed(nextafter(x, -INFINITY), p);
            }
        }
        static const double special[] = {0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, 0.5, -0.5,
                                         1.5, 2.5, 0.05, 0.25, 0.35, 0.45, 999999999.5,
                                         999999999.99999, 1e9, -1e9, 1e15, 1e300, INFINITY,
                                         -INFINITY, NAN, 180, -180, 89.99999995, 4e-8, -4e-8};
        for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
            same_fixed(special[i], p);
    }
    CHECK(mismatches == 0);
}

static void same_time(double t)
{
    char mine[64], libc[64];
    aw_format_time(t, mine, sizeof mine);
    double ms_total = floor(t * 1000.0 + 0.5);
    time_t secs = (time_t)floor(ms_total / 1000.0);
    int ms = (int)(ms_total - (double)secs * 1000.0);
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(libc, sizeof libc, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    if (strcmp(mine, libc) != 0 && mismatches++ < 10)
        fprintf(stderr, "time %.6f: \"%s\", gmtime_r \"%s\"\n", t, mine, libc);
}

static void times(void)
{
    mismatches = 0;
    /* random instants from year 1 to 11000 (past the fast path's 9999) */
    for (int i = 0; i < 1000000; i++)
        same_time(-62135596800.0 + uniform() * 350000000000.0);
    /* every day's midnight and last millisecond from 1890 to 2210, and leap days */
    for (double d = -29220; d < 87660; d++) {
        same_time(d * 86400);
        same_time(d * 86400 - 0.001);
        same_time(d * 86400 - 0.0004); /* rounds up to the next day */
    }
    static const double edges[] = {-62135596800.0, -62135596800.5, -62135596801.0, 253402300799.0,
                                   253402300799.999, 253402300800.0, 951782400.0, 4107542400.0,
                                   -2208988800.0, 0, -0.0004, -0.0006};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        same_time(edges[i]);
    CHECK(mismatches == 0);
    /* a buffer too small for the whole text is filled as snprintf fills it */
    char small[12];
    aw_format_time(1699999999.0, small, sizeof small);
    CHECK_STR(small, "2023-11-14T");
}

/* The JSON as it was written before event_text.h: snprintf for every number (for
 * positions already in -180..180 and not within 5e-8 of zero, which aw_event_to_json
 * would first wrap or zero: tests/test_edges.c looks at those). */
static void old_json(const aw_event *ev, char *out, size_t n)
{
    char when[80], alt[32], exit[96] = "", cs[80] = "";
    double lat = ev->lat, lon = ev->lon;
    double ms_total = floor(ev->time * 1000.0 + 0.5);
    time_t secs = (time_t)floor(ms_total / 1000.0);
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms_total - (double)secs * 1000.0));
    if (isfinite(ev->alt_ft))
        snprintf(alt, sizeof alt, "%.1f", fabs(ev->alt_ft) < 0.05 ? 0.0 : ev->alt_ft);
    else
        snprintf(alt, sizeof alt, "null");
    if (ev->callsign[0])
        snprintf(cs, sizeof cs, ",\"callsign\":\"%s\"", ev->callsign);
    if (ev->type == AW_EXIT)
        snprintf(exit, sizeof exit, ",\"dwell_s\":%.3f,\"max_depth_m\":%.1f", ev->dwell_s, ev->max_depth_m);
    snprintf(out, n,
             "{\"type\":\"%s\",\"cause\":\"%s\",\"track\":\"%s\",\"zone\":\"%s\",\"time\":\"%s\","
             "\"lat\":%.7f,\"lon\":%.7f,\"alt_ft\":%s%s%s}",
             aw_event_type_name(ev->type), aw_event_cause_name(ev->cause), ev->track, ev->zone, when, lat,
             lon, alt, cs, exit);
}

static void whole_events(void)
{
    mismatches = 0;
    for (int i = 0; i < 200000; i++) {
        aw_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = uniform() < 0.5 ? AW_ENTER : AW_EXIT;
        ev.cause = (aw_event_cause)(int)(3 * uniform());
        snprintf(ev.track, sizeof ev.track, "%06X", (unsigned)(uniform() * 16777216));
        snprintf(ev.zone, sizeof ev.zone, "zone-%d", i % 1000);
        if (i % 3)
            snprintf(ev.callsign, sizeof ev.callsign, "CS%d", i % 977);
        ev.time = 1.6e9 + 1e8 * uniform();
        ev.lat = -90 + 180 * uniform();
        ev.lon = -180 + 360 * uniform();
        ev.alt_ft = i % 17 ? -1000 + 60000 * uniform() : (i % 2 ? NAN : -0.04);
        ev.dwell_s = 86400 * uniform();
        ev.max_depth_m = 500000 * uniform();
        char mine[512], theirs[512];
        int n = aw_event_to_json(&ev, mine, sizeof mine);
        old_json(&ev, theirs, sizeof theirs);
        if ((strcmp(mine, theirs) != 0 || n != (int)strlen(theirs)) && mismatches++ < 5)
            fprintf(stderr, "event:\n  %s\n  %s (snprintf)\n", mine, theirs);
        /* cut short: the same prefix, the same length needed */
        char cut[40];
        CHECK(aw_event_to_json(&ev, cut, sizeof cut) == n);
        CHECK(strncmp(cut, theirs, sizeof cut - 1) == 0 && strlen(cut) == sizeof cut - 1);
    }
    CHECK(mismatches == 0);
}

int main(void)
{
    fixed_figures();
    times();
    whole_events();
    return check_done("event_text");
}
