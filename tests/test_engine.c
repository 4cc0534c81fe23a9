/* test_engine.c -- events from reports: crossings, corner cuts, bands, gaps, order.
 *
 * Tracks fly along the equator, where the geodesic is the equator itself and a degree
 * of longitude is 111319.49 m, so the expected times and places follow by hand. */
#include <geodesic.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

/* The event, at time t within a millisecond and at (lat, lon) within deg degrees. */
static void check_event_within(const aw_event *ev, const char *zone, aw_event_type type,
                               aw_event_cause cause, double t, double lat, double lon,
                               double deg)
{
    CHECK_STR(ev->zone, zone);
    CHECK(ev->type == type);
    CHECK(ev->cause == cause);
    CHECK_NEAR(ev->time, t, 1e-3);
    CHECK_NEAR(ev->lat, lat, deg);
    CHECK_NEAR(ev->lon, lon, deg);
}

static void check_event(const aw_event *ev, const char *zone, aw_event_type type,
                        aw_event_cause cause, double t, double lat, double lon)
{
    check_event_within(ev, zone, type, cause, t, lat, lon, 1e-7);
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

/* ---- crossings found independently -------------------------------------------------
 *
 * Off the equator the expected crossing of a track with a geodesic edge is found here by
 * bisection, with PROJ's geodesic routines and nothing of the engine: the point u of the
 * way along the track's geodesic, and on which side of the edge's geodesic it lies. */
static struct geod_geodesic wgs84;

static void along(double lat1, double lon1, double lat2, double lon2, double u, double *lat,
                  double *lon)
{
    double s12, azi1, azi2;
    geod_inverse(&wgs84, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    geod_direct(&wgs84, lat1, lon1, azi1, u * s12, lat, lon, NULL);
}

/* Positive when p is left of the geodesic from a towards b (near a). */
static double side(double alat, double alon, double blat, double blon, double plat, double plon)
{
    double s, azb, azp, azi2;
    geod_inverse(&wgs84, alat, alon, blat, blon, &s, &azb, &azi2);
    geod_inverse(&wgs84, alat, alon, plat, plon, &s, &azp, &azi2);
    return -remainder(azp - azb, 360.0);
}

/* Where the track from (lat1, lon1) to (lat2, lon2) crosses the edge a-b: the fraction u
 * of the way along it, and the point. */
static double crossing(double lat1, double lon1, double lat2, double lon2, double alat,
                       double alon, double blat, double blon, double *lat, double *lon)
{
    double lo = 0, hi = 1;
    bool left0 = side(alat, alon, blat, blon, lat1, lon1) > 0;
    CHECK(left0 != (side(alat, alon, blat, blon, lat2, lon2) > 0)); /* it does cross */
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2, plat, plon;
        along(lat1, lon1, lat2, lon2, mid, &plat, &plon);
        if ((side(alat, alon, blat, blon, plat, plon) > 0) == left0)
            lo = mid;
        else
            hi = mid;
    }
    along(lat1, lon1, lat2, lon2, lo, lat, lon);
    return lo;
}

/* The square's north edge runs west from (0.5, 1) to (0.5, 0), its east edge north from
 * (-0.5, 1) to (0.5, 1) (the ring's order). */
#define NORTH_EDGE 0.5, 1.0, 0.5, 0.0
#define EAST_EDGE -0.5, 1.0, 0.5, 1.0

static void test_corner_cut(void)
{
    geod_init(&wgs84, 6378137.0, 1 / 298.257223563);
    double u, lat, lon;
    /* Crossings are compared within 1e-6 degrees (11 cm): the engine's solver stops within
     * a few centimetres, the contract allows 30 m, a wrong edge or method is kilometres. */
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    /* c1: first seen inside near the north-east corner, leaves through the north edge
     * (it reaches lat 0.5 at lon 0.95, before lon 1). */
    feed(e, "c1", T0, 0.45, 0.9, NAN);
    feed(e, "c1", T0 + 100, 0.55, 1.0, NAN);
    /* c2: first seen inside, leaves through the east edge (lon 1 at lat 0.45). */
    feed(e, "c2", T0, 0.4, 0.95, NAN);
    feed(e, "c2", T0 + 100, 0.5, 1.05, NAN);
    CHECK(l.n == 4);
    if (l.n == 4) {
        check_event(&l.ev[0], "square", AW_ENTER, AW_FIRST_SEEN, T0, 0.45, 0.9);
        u = crossing(0.45, 0.9, 0.55, 1.0, NORTH_EDGE, &lat, &lon);
        check_event_within(&l.ev[1], "square", AW_EXIT, AW_CROSSING, T0 + 100 * u, lat, lon, 1e-6);
        CHECK_NEAR(lat, 0.5, 1e-4); /* the edge bulges north by a few metres only */
        check_event(&l.ev[2], "square", AW_ENTER, AW_FIRST_SEEN, T0, 0.4, 0.95);
        u = crossing(0.4, 0.95, 0.5, 1.05, EAST_EDGE, &lat, &lon);
        check_event_within(&l.ev[3], "square", AW_EXIT, AW_CROSSING, T0 + 100 * u, lat, lon, 1e-6);
        CHECK_NEAR(lon, 1.0, 1e-9);
        CHECK_STR(l.ev[1].track, "c1");
        CHECK_STR(l.ev[3].track, "c2");
    }
    /* k1: both reports outside, north and east of the square; the path cuts the corner,
     * in through the north edge and out through the east edge. */
    log_ m = {0};
    aw_engine *f = aw_engine_new(zones, NULL, record, &m);
    feed(f, "k1", T0, 0.6, 0.8, NAN);
    feed(f, "k1", T0 + 100, 0.3, 1.1, NAN);
    CHECK(m.n == 2);
    if (m.n == 2) {
        u = crossing(0.6, 0.8, 0.3, 1.1, NORTH_EDGE, &lat, &lon);
        check_event_within(&m.ev[0], "square", AW_ENTER, AW_CROSSING, T0 + 100 * u, lat, lon, 1e-6);
        u = crossing(0.6, 0.8, 0.3, 1.1, EAST_EDGE, &lat, &lon);
        check_event_within(&m.ev[1], "square", AW_EXIT, AW_CROSSING, T0 + 100 * u, lat, lon, 1e-6);
        CHECK_NEAR(m.ev[1].dwell_s, m.ev[1].time - m.ev[0].time, 1e-9);
        CHECK_NEAR(m.ev[1].max_depth_m, 0, 1e-9); /* no report inside: entry point only */
    }
    aw_engine_free(e);
    aw_engine_free(f);
}

/* ---- an enter needs its visit --------------------------------------------------------
 *
 * Without sanitizers (which bring their own allocator) the test supplies realloc, and can
 * make it fail: the engine grows a track's visits with realloc. When the visit of an
 * entry cannot be kept, the feed must fail and no enter be emitted -- an enter without a
 * visit would never see its exit. */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define TEST_REALLOC_FAILURE 1
extern void *__libc_realloc(void *p, size_t n);
static bool realloc_fails;
static int realloc_failed;

void *realloc(void *p, size_t n)
{
    if (realloc_fails) {
        realloc_failed++;
        return NULL;
    }
    return __libc_realloc(p, n);
}

static void test_no_enter_without_visit(void)
{
    log_ l = {0};
    aw_engine *e = aw_engine_new(zones, NULL, record, &l);
    feed(e, "w1", T0, 0, -0.5, 30000); /* warm up: the engine's own arrays grow */
    feed(e, "w1", T0 + 100, 0, 0.5, 30000);
    feed(e, "w1", T0 + 200, 0, 1.5, 30000);
    CHECK(l.n == 2);
    feed(e, "v1", T0, 0, -0.5, 30000); /* a new track, no visit yet */
    realloc_fails = true;
    aw_report in = position_report("v1", T0 + 100, 0, 0.5, 30000);
    CHECK(aw_engine_feed(e, &in) == AW_FEED_ERROR);
    aw_report first = position_report("v2", T0 + 100, 0, 0.5, 30000); /* first seen inside */
    CHECK(aw_engine_feed(e, &first) == AW_FEED_ERROR);
    realloc_fails = false;
    CHECK(realloc_failed >= 2); /* the failure was met, not stepped around */
    CHECK(l.n == 2);            /* no enter for either */
    aw_engine_stats st;
    aw_engine_get_stats(e, &st);
    CHECK(st.open_visits == 0 && st.events == 2);
    aw_engine_free(e);
}
#endif

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
    aw_report too_high = position_report("g1", T0 + 800, 0, 0.5, 1e300);
    CHECK(aw_engine_feed(e, &too_high) == AW_FEED_INVALID);
    aw_engine_stats st;
    aw_engine_get_stats(e, &st);
    CHECK(st.invalid == 5);
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

/* Ids of 15 bytes are kept in the track, longer ones (up to 31: longer are cut) beside
 * it: both are found again, told apart when they share their first 15 bytes, carried
 * whole into events, and freed and reused when their tracks are evicted. */
static void test_long_ids(void)
{
    static const char *ids[] = {
        "fifteen-bytes-x",                          /* 15: kept in the track */
        "sixteen-bytes-xy",                         /* 16: beside it */
        "sixteen-bytes-xz",                         /* the same first 15 bytes */
        "thirty-one-bytes-long-id-ending",          /* 31 */
        "thirty-one-bytes-long-id-ending-and-cut",  /* cut to the 31 above's twin */
        "fifteen-bytes-y",
    };
    log_ l = {0};
    aw_engine_options opt = {300, 4};
    aw_engine *e = aw_engine_new(zones, &opt, record, &l);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 6; i++)
            feed(e, ids[i], T0 + 10 * round + i, 0, 0.5 + 0.01 * round, 30000);
    aw_engine_stats st;
    aw_engine_get_stats(e, &st);
    /* ids[4] is ids[3] once cut: five tracks, so each round evicts one of the four kept
     * (the longest idle) and brings it back in the next. */
    CHECK(st.tracks - st.evicted == 4);
    for (int i = 0; i < l.n; i++) {
        bool known = false;
        for (int k = 0; k < 6; k++)
            known |= strncmp(l.ev[i].track, ids[k], AW_TRACK_ID_MAX - 1) == 0 &&
                     strlen(l.ev[i].track) == (strlen(ids[k]) < 31 ? strlen(ids[k]) : 31);
        CHECK(known);
    }
    CHECK(l.n > 6);
    CHECK_STR(l.ev[0].track, "fifteen-bytes-x");
    CHECK_STR(l.ev[1].track, "sixteen-bytes-xy");
    CHECK_STR(l.ev[2].track, "sixteen-bytes-xz");
    CHECK_STR(l.ev[3].track, "thirty-one-bytes-long-id-ending");
    /* the 4th feed (the cut id) found ids[3]'s track: no enter of its own */
    CHECK(l.ev[4].type == AW_EXIT && strcmp(l.ev[4].track, "fifteen-bytes-x") == 0);
    CHECK_STR(l.ev[5].track, "fifteen-bytes-y");
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
    test_long_ids();
#ifdef TEST_REALLOC_FAILURE
    test_no_enter_without_visit();
#endif
    aw_zones_free(zones);
    return check_done("engine");
}
