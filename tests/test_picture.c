/* test_picture.c -- the live air picture: tracks, trails, zones inside, the event log,
 * versions, timeouts, and readers in other threads while a writer feeds it. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "adizwatch/picture.h"
#include "check.h"
#include "position.h"

static aw_report report(const char *id, double t, double lat, double lon)
{
    return position_report(id, t, lat, lon, 30000);
}

static aw_event event(aw_event_type type, const char *id, const char *zone, double t)
{
    aw_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.cause = AW_CROSSING;
    snprintf(ev.track, sizeof ev.track, "%s", id);
    snprintf(ev.zone, sizeof ev.zone, "%s", zone);
    ev.time = t;
    ev.alt_ft = NAN;
    ev.dwell_s = ev.max_depth_m = NAN;
    return ev;
}

static void test_tracks_and_zones(void)
{
    aw_picture_options opt = {3, 0, 4, 100};
    aw_picture *pic = aw_picture_new(&opt);
    CHECK(pic != NULL);
    /* first_seen comes before the report that placed the track */
    aw_event enter = event(AW_ENTER, "abc123", "KADIZ", 1000);
    enter.cause = AW_FIRST_SEEN;
    aw_picture_event(pic, &enter);
    aw_report r = report("abc123", 1000, 33, 125);
    snprintf(r.callsign, sizeof r.callsign, "TEST1");
    aw_picture_report(pic, &r);
    r = report("abc123", 1010, 33.1, 125); /* due north */
    aw_picture_report(pic, &r);
    aw_picture_track t;
    aw_trail_point pts[8];
    int n = aw_picture_find_track(pic, "abc123", &t, pts, 8);
    CHECK(n == 2);
    CHECK_STR(t.callsign, "TEST1");
    CHECK(t.nzones == 1);
    CHECK_STR(t.zones[0].id, "KADIZ");
    CHECK_NEAR(t.zones[0].since, 1000, 0);
    CHECK_NEAR(t.heading_deg, 0, 1e-9);
    CHECK(t.reports == 2);
    /* the trail keeps the newest trail_points positions, oldest first */
    for (int k = 2; k < 6; k++) {
        r = report("abc123", 1000 + 10 * k, 33 + 0.1 * k, 125);
        aw_picture_report(pic, &r);
    }
    n = aw_picture_find_track(pic, "abc123", &t, pts, 8);
    CHECK(n == 3);
    CHECK_NEAR(pts[0].time, 1030, 0);
    CHECK_NEAR(pts[2].time, 1050, 0);
    CHECK_NEAR(pts[2].lat, 33.5, 1e-12);
    /* an exit takes the zone off; an unknown track is -1 */
    aw_event ex = event(AW_EXIT, "abc123", "KADIZ", 1055);
    aw_picture_event(pic, &ex);
    aw_picture_find_track(pic, "abc123", &t, pts, 8);
    CHECK(t.nzones == 0);
    CHECK(aw_picture_find_track(pic, "nope", &t, pts, 8) == -1);
    /* an attribute-only report for an unknown track makes nothing */
    aw_report attr;
    aw_report_clear(&attr);
    snprintf(attr.track, sizeof attr.track, "def456");
    attr.time = 1060;
    snprintf(attr.callsign, sizeof attr.callsign, "GHOST");
    aw_picture_report(pic, &attr);
    aw_picture_stats st;
    aw_picture_get_stats(pic, &st);
    CHECK(st.tracks == 1);
    CHECK(st.events == 2);
    CHECK(st.reports == 6);
    CHECK_NEAR(st.clock, 1055, 0);
    aw_picture_free(pic);
}

static void test_versions_log_expiry(void)
{
    aw_picture_options opt = {4, 2, 3, 100}; /* at most 2 tracks, 3 logged events */
    aw_picture *pic = aw_picture_new(&opt);
    aw_report a = report("a", 0, 10, 10), b = report("b", 0, 20, 20), c = report("c", 0, 30, 30);
    aw_picture_report(pic, &a);
    aw_picture_report(pic, &b);
    aw_picture_report(pic, &c);
    aw_picture_stats st;
    aw_picture_get_stats(pic, &st);
    CHECK(st.tracks == 2 && st.tracks_refused == 1);
    uint64_t v0 = st.version;
    a = report("a", 50, 10.1, 10);
    aw_picture_report(pic, &a);
    aw_picture_track *list;
    uint64_t v1;
    long n = aw_picture_tracks(pic, v0, &list, &v1);
    CHECK(n == 1 && strcmp(list[0].id, "a") == 0);
    CHECK(v1 == v0 + 1);
    free(list);
    n = aw_picture_tracks(pic, 0, &list, NULL);
    CHECK(n == 2);
    free(list);
    /* the log keeps the newest 3; filters and the newest-first window */
    for (int k = 0; k < 5; k++) {
        aw_event ev = event(k % 2 ? AW_EXIT : AW_ENTER, "a", k < 3 ? "Z1" : "Z2", 60 + k);
        aw_picture_event(pic, &ev);
    }
    aw_event out[8];
    uint64_t vers[8];
    int m = aw_picture_events(pic, 0, NULL, NULL, -INFINITY, false, out, vers, 8);
    CHECK(m == 3);
    CHECK_NEAR(out[0].time, 62, 0);
    CHECK(vers[0] < vers[1] && vers[1] < vers[2]);
    m = aw_picture_events(pic, 0, "Z2", NULL, -INFINITY, false, out, NULL, 8);
    CHECK(m == 2);
    m = aw_picture_events(pic, 0, NULL, NULL, 63, false, out, NULL, 8);
    CHECK(m == 2 && out[0].time == 63);
    m = aw_picture_events(pic, 0, NULL, NULL, -INFINITY, true, out, NULL, 1);
    CHECK(m == 1 && out[0].time == 64);
    m = aw_picture_events(pic, vers[1], NULL, NULL, -INFINITY, false, out, NULL, 8);
    CHECK(m == 1 && out[0].time == 64);
    /* b (last report at 0) times out at 101 on the clock; a (50) does not */
    aw_picture_get_stats(pic, &st);
    uint64_t before = st.version;
    CHECK(aw_picture_expire(pic, 100) == 0);
    CHECK(aw_picture_expire(pic, 101) == 1);
    aw_picture_track t;
    aw_trail_point pts[4];
    CHECK(aw_picture_find_track(pic, "b", &t, pts, 4) == -1);
    CHECK(aw_picture_find_track(pic, "a", &t, pts, 4) == 2);
    char ids[4][AW_TRACK_ID_MAX];
    CHECK(aw_picture_dropped_since(pic, before, ids, 4) == 1 && strcmp(ids[0], "b") == 0);
    CHECK(aw_picture_dropped_since(pic, before + 1, ids, 4) == 0);
    aw_picture_free(pic);
}

/* A writer and readers at once: run under ThreadSanitizer too (label "threads"). */
static void *writer(void *arg)
{
    aw_picture *pic = arg;
    char id[16];
    for (int k = 0; k < 20000; k++) {
        snprintf(id, sizeof id, "t%d", k % 500);
        aw_report r = report(id, k, (k % 170) - 85, (k % 350) - 175);
        aw_picture_report(pic, &r);
        if (k % 100 == 0) {
            aw_event ev = event(AW_ENTER, id, "Z", k);
            aw_picture_event(pic, &ev);
        }
        if (k % 1000 == 999)
            aw_picture_expire(pic, k);
    }
    return NULL;
}

static void test_threads(void)
{
    aw_picture_options opt = {8, 0, 64, 300};
    aw_picture *pic = aw_picture_new(&opt);
    pthread_t w;
    pthread_create(&w, NULL, writer, pic);
    uint64_t seen = 0;
    long total = 0;
    for (int k = 0; k < 200; k++) {
        aw_picture_track *list;
        long n = aw_picture_tracks(pic, seen, &list, &seen);
        CHECK(n >= 0);
        total += n;
        free(list);
        aw_event out[16];
        aw_picture_events(pic, 0, NULL, NULL, -INFINITY, true, out, NULL, 16);
        aw_picture_wait(pic, seen, 0.001);
    }
    pthread_join(w, NULL);
    aw_picture_stats st;
    aw_picture_get_stats(pic, &st);
    CHECK(st.reports == 20000);
    CHECK(st.tracks <= 500);
    CHECK(total > 0);
    aw_picture_free(pic);
}

int main(void)
{
    test_tracks_and_zones();
    test_versions_log_expiry();
    test_threads();
    return check_done("picture");
}
