/* test_engine.c -- events from reports: crossings, corner cuts, bands, gaps, order.
 *
 * Tracks fly along the equator, where the geodesic is the equator itself and a degree
 * of longitude is 111319.49 m, so the expected times and places follow by hand. */
#include <math.h>
#include <stdlib.h>

#include "adizwatch/engine.h"
#include "check.h"
#include "position.h"

#define T0 1700000000.0

typedef struct log_ {
    int n;
    aw_event ev[64];
} log_;

static void record(const aw_event *ev, void *user)
{
    log_ *l = user;
    if (l->n < 64)
        l->ev[l->n++] = *ev;
}

static aw_zone_set *zones;

static void feed(aw_engine *e, const char *id, double t, double lat, double lon, double alt)
{
    aw_report r = position_report(id, t, lat, lon, alt);
    CHECK(aw_engine_feed(e, &r) == AW_FEED_OK);
}

static void check_event(const aw_event *ev, const char *zone, aw_event_type type,
                        aw_event_cause cause, double t, double lat, double lon)
{
    CHECK_STR(ev->zone, zone);
    CHECK(ev->type == type);
    CHECK(ev->cause == cause);
    CHECK_NEAR(ev->time, t, 1e-3);
    CHECK_NEAR(ev->lat, lat, 1e-7);
    CHECK_NEAR(ev->lon, lon, 1e-7);
}

static void test_straight_through(void)
{
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    feed(e, "a1", T0, 0, -0.5, 30000);
    feed(e, "a1", T0 + 100, 0, 0.5, 30000);
    feed(e, "a1", T0 + 200, 0, 1.5, 30000);
    CHECK(l.n == 2);
    check_event(&l.ev[0], "square", AW_ENTER, AW_CROSSING, T0 + 50, 0, 0);
    check_event(&l.ev[1], "square", AW_EXIT, AW_CROSSING, T0 + 150, 0, 1);
    CHECK_NEAR(l.ev[0].alt_ft, 30000, 1e-9);
    CHECK_NEAR(l.ev[1].dwell_s, 100, 1e-3);
    CHECK_NEAR(l.ev[1].max_depth_m, 55289.27, 0.5); /* the report at lon 0.5 */
    aw_engine_free(e);
}

static void test_corner_cut(void)
{
    /* Both reports outside the square's north-east corner, the path through it. */
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    feed(e, "c1", T0, 0.45, 0.9, NAN);
    feed(e, "c1", T0 + 100, 0.55, 1.0, NAN); /* leaves through the north edge */
    feed(e, "c2", T0, 0.4, 0.95, NAN);
    feed(e, "c2", T0 + 100, 0.5, 1.05, NAN);
    /* c1: first seen inside, leaves through the north edge. c2: starts inside too. */
    CHECK(l.n == 4);
    log_ m = {0};
    aw_engine *f = aw_engine_new(zones, NULL, record, &m);
    feed(f, "k1", T0, 0.6, 0.8, NAN);       /* north of the square */
    feed(f, "k1", T0 + 100, 0.3, 1.1, NAN); /* east of it: the path cuts the corner */
    CHECK(m.n == 2);
    if (m.n == 2) {
        CHECK(m.ev[0].type == AW_ENTER && m.ev[1].type == AW_EXIT);
        CHECK(m.ev[0].cause == AW_CROSSING && m.ev[1].cause == AW_CROSSING);
        CHECK(m.ev[0].time > T0 && m.ev[1].time > m.ev[0].time && m.ev[1].time < T0 + 100);
        CHECK_NEAR(m.ev[1].max_depth_m, 0, 1e-9); /* no report inside: entry point only */
        CHECK_NEAR(m.ev[1].lon, 1.0, 1e-6);
    }
    aw_engine_free(e);
    aw_engine_free(f);
}

static void test_band(void)
{
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    /* Inside laterally all the way, climbing 5000 -> 25000 ft: in at 10000, out at 20000. */
    feed(e, "b1", T0, 0, 2.1, 5000);
    feed(e, "b1", T0 + 100, 0, 2.9, 25000);
    CHECK(l.n == 2);
    check_event(&l.ev[0], "banded", AW_ENTER, AW_CROSSING, T0 + 25, 0, 2.3);
    check_event(&l.ev[1], "banded", AW_EXIT, AW_CROSSING, T0 + 75, 0, 2.7);
    CHECK_NEAR(l.ev[0].alt_ft, 10000, 1e-6);
    CHECK_NEAR(l.ev[1].alt_ft, 20000, 1e-6);
    /* Entered through the floor: the entry point's horizontal depth counts. */
    CHECK_NEAR(l.ev[1].max_depth_m, 0.3 * 111319.49, 1.0);
    aw_engine_free(e);
}

static void test_gap_and_lost(void)
{
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    feed(e, "g1", T0, 0, 0.2, 30000);       /* first seen inside */
    feed(e, "g1", T0 + 300, 0, 0.3, 30000); /* exactly the timeout: joined */
    feed(e, "g1", T0 + 700, 0, 0.4, 30000); /* 400 s later: lost, then first seen */
    CHECK(l.n == 3);
    check_event(&l.ev[0], "square", AW_ENTER, AW_FIRST_SEEN, T0, 0, 0.2);
    check_event(&l.ev[1], "square", AW_EXIT, AW_LOST, T0 + 300, 0, 0.3);
    CHECK_NEAR(l.ev[1].dwell_s, 300, 1e-9);
    check_event(&l.ev[2], "square", AW_ENTER, AW_FIRST_SEEN, T0 + 700, 0, 0.4);
    /* Stale and duplicate reports are dropped and change nothing. */
    aw_report old = position_report("g1", T0 + 600, 0, 5, 30000), same = position_report("g1", T0 + 700, 0, 5, 30000);
    CHECK(aw_engine_feed(e, &old) == AW_FEED_DROPPED);
    CHECK(aw_engine_feed(e, &same) == AW_FEED_DROPPED);
    /* A live clock past the timeout loses the track without waiting for a report. */
    aw_engine_expire(e, T0 + 1000);
    CHECK(l.n == 3);
    aw_engine_expire(e, T0 + 1000.5);
    CHECK(l.n == 4);
    check_event(&l.ev[3], "square", AW_EXIT, AW_LOST, T0 + 700, 0, 0.4);
    /* A delayed report within the timeout of the last one, after the loss: first seen. */
    feed(e, "g1", T0 + 900, 0, 0.5, 30000);
    CHECK(l.n == 5);
    check_event(&l.ev[4], "square", AW_ENTER, AW_FIRST_SEEN, T0 + 900, 0, 0.5);
    aw_report nan_lat = position_report("g1", T0 + 800, NAN, 0, 0), off = position_report("g1", T0 + 800, 0, 181, 0);
    aw_report no_time = position_report("g1", INFINITY, 0, 0, 0), no_id = position_report("", T0 + 800, 0, 0, 0);
    CHECK(aw_engine_feed(e, &nan_lat) == AW_FEED_INVALID);
    CHECK(aw_engine_feed(e, &off) == AW_FEED_INVALID);
    CHECK(aw_engine_feed(e, &no_time) == AW_FEED_INVALID);
    CHECK(aw_engine_feed(e, &no_id) == AW_FEED_INVALID);
    aw_engine_stats st;
    aw_engine_get_stats(e, &st);
    CHECK(st.invalid == 4);
    CHECK(st.dropped == 2 && st.reports == 4 && st.tracks == 1 && st.events == 5);
    CHECK(st.open_visits == 1);
    aw_engine_free(e);
}

static void test_order_and_callsign(void)
{
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    feed(e, "m1", T0, 0, 19.9, 30000);
    aw_report cs;
    aw_report_clear(&cs);
    snprintf(cs.track, sizeof cs.track, "m1");
    snprintf(cs.callsign, sizeof cs.callsign, "CALL1");
    cs.time = T0 + 1;
    CHECK(aw_engine_feed(e, &cs) == AW_FEED_OK); /* attribute-only: callsign for later */
    /* One segment through both parts of the MultiPolygon: four events, in time order. */
    feed(e, "m1", T0 + 200, 0, 21.9, 30000);
    CHECK(l.n == 4);
    double t_prev = 0;
    for (int i = 0; i < l.n; i++) {
        CHECK_STR(l.ev[i].zone, "parts");
        CHECK_STR(l.ev[i].callsign, "CALL1");
        CHECK(l.ev[i].time > t_prev);
        CHECK(l.ev[i].type == (i % 2 ? AW_EXIT : AW_ENTER));
        t_prev = l.ev[i].time;
    }
    CHECK_NEAR(l.ev[0].time, T0 + 10, 1e-3);
    CHECK_NEAR(l.ev[3].time, T0 + 160, 1e-3);
    aw_engine_free(e);
}

static void test_antimeridian(void)
{
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    feed(e, "d1", T0, 0, 178.5, NAN);
    feed(e, "d1", T0 + 100, 0, 179.5, NAN);
    feed(e, "d1", T0 + 200, 0, -179.5, NAN);
    feed(e, "d1", T0 + 300, 0, -178.5, NAN);
    CHECK(l.n == 2);
    check_event(&l.ev[0], "dateline", AW_ENTER, AW_CROSSING, T0 + 50, 0, 179);
    check_event(&l.ev[1], "dateline", AW_EXIT, AW_CROSSING, T0 + 250, 0, -179);
    CHECK(isnan(l.ev[0].alt_ft));
    aw_engine_free(e);
}

static void test_max_tracks(void)
{
    log_ l = {0};
    aw_engine_options opt = {300, 3};
    aw_engine *e = aw_engine_new(zones, &opt, record, &l);
    char id[16];
    for (int i = 0; i < 5; i++) { /* five tracks first seen in the square */
        snprintf(id, sizeof id, "t%d", i);
        feed(e, id, T0 + i, 0, 0.5, 30000);
    }
    /* The two longest idle were evicted, each lost from the square at its last report. */
    CHECK(l.n == 7);
    check_event(&l.ev[3], "square", AW_EXIT, AW_LOST, T0 + 0, 0, 0.5);
    CHECK_STR(l.ev[3].track, "t0");
    CHECK_STR(l.ev[5].track, "t1");
    /* Feeding t2 keeps it fresh: t3 is the next to go. */
    feed(e, "t2", T0 + 10, 0, 0.6, 30000);
    feed(e, "t9", T0 + 11, 5, 5, 30000);
    CHECK_STR(l.ev[l.n - 1].track, "t3");
    aw_engine_stats st;
    aw_engine_get_stats(e, &st);
    CHECK(st.evicted == 3);
    aw_engine_free(e);

    /* 200,000 distinct ids through a table of 1,000: evictions keep the table exact. */
    aw_engine_options small = {300, 1000};
    log_ m = {0};
    e = aw_engine_new(zones, &small, record, &m);
    for (int i = 0; i < 200000; i++) {
        snprintf(id, sizeof id, "%06x", i);
        feed(e, id, T0 + i * 0.01, 5, 5, 30000);
    }
    aw_engine_get_stats(e, &st);
    CHECK(st.tracks == 200000 && st.evicted == 199000);
    for (int i = 199000; i < 200000; i++) { /* the last thousand are all still known */
        snprintf(id, sizeof id, "%06x", i);
        feed(e, id, T0 + 5000 + i * 0.01, 5, 5.01, 30000);
    }
    aw_engine_get_stats(e, &st);
    CHECK(st.tracks == 200000 && st.evicted == 199000);
    aw_engine_free(e);
}

int main(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/zones_basic.geojson", FIXTURES);
    zones = aw_zones_load_file(path, NULL, NULL);
    CHECK(zones != NULL);
    if (!zones)
        return check_done("engine");
    test_straight_through();
    test_corner_cut();
    test_band();
    test_gap_and_lost();
    test_order_and_callsign();
    test_antimeridian();
    test_max_tracks();
    aw_zones_free(zones);
    return check_done("engine");
}
