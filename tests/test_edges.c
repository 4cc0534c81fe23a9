/* test_edges.c -- the edge values: poles, dates far from now, negative altitudes, zones
 * that touch at a vertex, a path through that vertex. */
#include <geodesic.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "adizwatch/ingest.h"
#include "check.h"
#include "position.h"

typedef struct log_ {
    int n;
    aw_event ev[16];
} log_;

static void record(const aw_event *ev, void *user)
{
    log_ *l = user;
    if (l->n < 16)
        l->ev[l->n++] = *ev;
}

static aw_zone_set *load(const char *json)
{
    return aw_zones_load_string(json, strlen(json), NULL, NULL);
}

static void feed(aw_engine *e, const char *id, double t, double lat, double lon, double alt)
{
    aw_report r = position_report(id, t, lat, lon, alt);
    CHECK(aw_engine_feed(e, &r) == AW_FEED_OK);
}

/* Over the pole: a polar cap drawn as a planar lon/lat box up to 90N, a track from 85N 0E
 * to 85N 180E whose geodesic runs over the pole. It enters and leaves at 88N, each a
 * meridian arc of 85..88 from its report. */
static void over_the_pole(void)
{
    aw_zone_set *zs = load("{\"type\":\"Feature\",\"properties\":{\"id\":\"cap\",\"edges\":\"planar\"},"
                           "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                           "[[[-180,88],[180,88],[180,90],[-180,90],[-180,88]]]}}");
    CHECK(zs != NULL);
    if (!zs)
        return;
    CHECK(aw_zone_contains(zs, 0, 89.99, 123, NAN));
    CHECK(aw_zone_contains(zs, 0, 90, 0, NAN));
    struct geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    double arc, total;
    geod_inverse(&g, 85, 0, 88, 0, &arc, NULL, NULL);
    geod_inverse(&g, 85, 0, 85, 180, &total, NULL, NULL);
    log_ l = {0};
    aw_engine *e = aw_engine_new(zs, NULL, record, &l);
    feed(e, "p1", 0, 85, 0, 35000);
    feed(e, "p1", 300, 85, 180, 35000);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_NEAR(l.ev[0].time, 300 * arc / total, 0.5);
        CHECK_NEAR(l.ev[0].lat, 88, 1e-4);
        CHECK_NEAR(l.ev[1].time, 300 * (1 - arc / total), 0.5);
        CHECK_NEAR(l.ev[1].lat, 88, 1e-4);
        CHECK_NEAR(fabs(l.ev[1].lon), 180, 1e-6);
    }
    aw_engine_free(e);
    aw_zones_free(zs);

    /* A ring whose geodesic edges go round the pole cannot be drawn as lon/lat chords:
     * refused with a reason, not silently wrong. */
    const char *round = "{\"type\":\"Feature\",\"properties\":{\"id\":\"round\"},\"geometry\":"
                        "{\"type\":\"Polygon\",\"coordinates\":"
                        "[[[0,80],[120,80],[-120,80],[0,80]]]}}";
    CHECK(aw_zones_load_string(round, strlen(round), NULL, NULL) == NULL);
}

/* Two squares touching at one vertex; a path through exactly that vertex leaves one and
 * enters the other at the same instant, exit first. */
static void touching_at_a_vertex(void)
{
    aw_zone_set *zs = load("{\"type\":\"FeatureCollection\",\"features\":["
                           "{\"type\":\"Feature\",\"properties\":{\"id\":\"sw\",\"edges\":\"planar\"},"
                           "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                           "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},"
                           "{\"type\":\"Feature\",\"properties\":{\"id\":\"ne\",\"edges\":\"planar\"},"
                           "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                           "[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}}]}");
    CHECK(zs != NULL);
    if (!zs)
        return;
    CHECK(aw_zone_contains(zs, 0, 1, 1, NAN) && aw_zone_contains(zs, 1, 1, 1, NAN));
    log_ l = {0};
    aw_engine *e = aw_engine_new(zs, NULL, record, &l);
    /* Diagonally from the middle of one to the middle of the other: the geodesic passes
     * within metres of the shared vertex. */
    feed(e, "v", 0, 0.5, 0.5, NAN);
    feed(e, "v", 100, 1.5, 1.5, NAN);
    /* sw first seen; leaves sw and enters ne at the vertex, both at about t = 50. */
    CHECK(l.n == 3);
    if (l.n == 3) {
        CHECK(l.ev[1].type == AW_EXIT && strcmp(l.ev[1].zone, "sw") == 0);
        CHECK(l.ev[2].type == AW_ENTER && strcmp(l.ev[2].zone, "ne") == 0);
        CHECK(l.ev[1].time <= l.ev[2].time + 0.5);
        CHECK_NEAR(l.ev[1].time, 50, 0.5);
    }
    aw_engine_free(e);
    aw_zones_free(zs);
}

/* A band below sea level (a zone over the Dead Sea, say): negative altitudes are
 * altitudes like any other. */
static void negative_altitudes(void)
{
    aw_zone_set *zs = load("{\"type\":\"Feature\",\"properties\":{\"id\":\"low\",\"floor_ft\":-1500,"
                           "\"ceiling_ft\":-200},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                           "[[[35,31],[36,31],[36,32],[35,32],[35,31]]]}}");
    CHECK(zs != NULL);
    if (!zs)
        return;
    CHECK(aw_zone_contains(zs, 0, 31.5, 35.5, -1000));
    CHECK(!aw_zone_contains(zs, 0, 31.5, 35.5, -100));
    log_ l = {0};
    aw_engine *e = aw_engine_new(zs, NULL, record, &l);
    feed(e, "d", 0, 31.5, 35.5, -1400);
    feed(e, "d", 100, 31.5, 35.6, 200); /* climbs out through the ceiling at -200 ft */
    CHECK(l.n == 2 && l.ev[1].type == AW_EXIT);
    if (l.n == 2)
        CHECK_NEAR(l.ev[1].alt_ft, -200, 1e-6);
    aw_engine_free(e);
    aw_zones_free(zs);
    aw_csv_columns cols;
    char err[128];
    aw_report r;
    CHECK(aw_csv_header("time,id,lat,lon,alt_ft", 22, &cols, err, sizeof err) == 0);
    CHECK(aw_csv_parse(&cols, "0,x,31.5,35.5,-1380", 19, &r, err, sizeof err) == AW_PARSE_REPORT);
    CHECK_NEAR(r.alt_ft, -1380, 0);
}

/* Dates far in the past and future parse and print exactly. */
static void far_dates(void)
{
    double t;
    char buf[40];
    CHECK(aw_parse_time("1903-12-17T10:35:00Z", 20, &t) == 0);
    CHECK_STR(aw_format_time(t, buf, sizeof buf), "1903-12-17T10:35:00.000Z");
    CHECK(aw_parse_time("2199-12-31T23:59:59.999Z", 24, &t) == 0);
    CHECK_STR(aw_format_time(t, buf, sizeof buf), "2199-12-31T23:59:59.999Z");
    CHECK(aw_parse_time("2024-02-29T12:00:00+09:00", 25, &t) == 0);
    CHECK_STR(aw_format_time(t, buf, sizeof buf), "2024-02-29T03:00:00.000Z");
    CHECK(aw_parse_time("2023-02-29T12:00:00Z", 20, &t) != 0); /* no such day */
    CHECK_STR(aw_format_time(1699999999.9996, buf, sizeof buf), "2023-11-14T22:13:20.000Z");
}

/* Time limits: years 0001..9999 UTC and nothing past them, whichever way written; "-0"
 * is 1970. */
static void time_limits(void)
{
    double t = 1;
    CHECK(aw_parse_time("0001-01-01T00:00:00Z", 20, &t) == 0);
    CHECK_NEAR(t, -62135596800.0, 0);
    CHECK(aw_parse_time("0001-01-01T00:00:00+01:00", 25, &t) != 0); /* year 0 in UTC */
    CHECK(aw_parse_time("0000-06-01T00:00:00Z", 20, &t) != 0);
    CHECK(aw_parse_time("9999-12-31T23:59:59.999Z", 24, &t) == 0);
    CHECK(aw_parse_time("9999-12-31T23:59:59.9999Z", 25, &t) != 0); /* prints as 10000 */
    CHECK(aw_parse_time("253402300800", 12, &t) != 0);
    CHECK(aw_parse_time("-62135596801", 12, &t) != 0);
    CHECK(aw_parse_time("100000000000000000000", 21, &t) != 0);
    CHECK(aw_parse_time("-2208988800", 11, &t) == 0); /* 1900-01-01 */
    char buf[40];
    CHECK_STR(aw_format_time(t, buf, sizeof buf), "1900-01-01T00:00:00.000Z");
    CHECK(aw_parse_time("-0", 2, &t) == 0);
    CHECK(t == 0 && !signbit(t));
}

/* Numbers at the edges of what a field may hold, through both line parsers. */
static void number_edges(void)
{
    aw_csv_columns cols;
    char err[128];
    aw_report r;
    CHECK(aw_csv_header("time,id,lat,lon,alt_ft", 22, &cols, err, sizeof err) == 0);
    static const char *const bad[] = {
        "0,x,nan,0,0", "0,x,0,inf,0", "0,x,0,0,-inf", "0,x,0,0,1e999", "0,x,1e308,0,0",
        "0,x,0,-1e400,0", "0,x,NaN,0,0", "0,x,90.0000001,0,0", "0,x,0,180.0000001,0",
        "0,x,0,-180.0000001,0", "0,x,0x10,0,0", "inf,x,0,0,0", "nan,x,0,0,0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(aw_csv_parse(&cols, bad[i], strlen(bad[i]), &r, err, sizeof err) == AW_PARSE_BAD);
    static const char *const good[] = {"0,x,90,180,0", "0,x,-90,-180,0", "0,x,-0,-0,-0",
                                       "0,x,1e-320,0,-1e-300", "0,x,0,0,-1400"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(aw_csv_parse(&cols, good[i], strlen(good[i]), &r, err, sizeof err) == AW_PARSE_REPORT);
    const char *sbs_bad[] = {
        "MSG,3,1,1,AAA001,1,2023/11/15,00:00:00.000,2023/11/15,00:00:00.000,,nan,,,0,0,,,,,,0",
        "MSG,3,1,1,AAA001,1,2023/11/15,00:00:00.000,2023/11/15,00:00:00.000,,0,,,inf,0,,,,,,0",
        "MSG,3,1,1,AAA001,1,2023/11/15,00:00:00.000,2023/11/15,00:00:00.000,,0,,,0,1e999,,,,,,0",
        "MSG,3,1,1,AAA001,1,0000/01/01,00:00:00.000,0000/01/01,00:00:00.000,,0,,,0,0,,,,,,0",
    };
    for (size_t i = 0; i < sizeof sbs_bad / sizeof sbs_bad[0]; i++)
        CHECK(aw_sbs_parse(sbs_bad[i], strlen(sbs_bad[i]), 0, &r, err, sizeof err) == AW_PARSE_BAD);
    const char *sbs_2200 = "MSG,3,1,1,AAA001,1,2200/01/01,00:00:00.000,2200/01/01,00:00:00.000,,-0,,,-90,-180,,,,,,0";
    CHECK(aw_sbs_parse(sbs_2200, strlen(sbs_2200), 0, &r, err, sizeof err) == AW_PARSE_REPORT);
    CHECK_NEAR(r.time, 7258118400.0, 0);

    /* An altitude of -0 (or one that rounds to it) is printed as 0.0, never "-0.0". */
    aw_event ev;
    memset(&ev, 0, sizeof ev);
    ev.alt_ft = -0.0;
    ev.lat = -0.0;
    ev.lon = -1e-9;
    char json[512];
    CHECK(aw_event_to_json(&ev, json, sizeof json) > 0);
    CHECK(strstr(json, "\"alt_ft\":0.0}") != NULL && strstr(json, "-0.") == NULL);
    ev.alt_ft = -0.04;
    aw_event_to_json(&ev, json, sizeof json);
    CHECK(strstr(json, "-0.") == NULL);
}

/* Time going backwards and duplicate times: dropped, counted, no events from them. */
static void time_backwards(void)
{
    aw_zone_set *zs = load("{\"type\":\"Feature\",\"properties\":{\"id\":\"sq\"},\"geometry\":"
                           "{\"type\":\"Polygon\",\"coordinates\":[[[0,-1],[1,-1],[1,1],[0,1],[0,-1]]]}}");
    CHECK(zs != NULL);
    if (!zs)
        return;
    log_ l = {0};
    aw_engine *e = aw_engine_new(zs, NULL, record, &l);
    feed(e, "t", 100, 0, -0.5, NAN);
    aw_report r;
    aw_report_clear(&r);
    snprintf(r.track, sizeof r.track, "t");
    r.has_position = true;
    r.lat = 0;
    r.lon = 0.5; /* inside: would be an enter if taken */
    r.alt_ft = NAN;
    r.time = 100; /* the same time */
    CHECK(aw_engine_feed(e, &r) == AW_FEED_DROPPED);
    r.time = 99.999; /* earlier */
    CHECK(aw_engine_feed(e, &r) == AW_FEED_DROPPED);
    r.time = NAN;
    CHECK(aw_engine_feed(e, &r) == AW_FEED_INVALID);
    r.time = INFINITY;
    CHECK(aw_engine_feed(e, &r) == AW_FEED_INVALID);
    CHECK(l.n == 0);
    aw_engine_stats st;
    aw_engine_get_stats(e, &st);
    CHECK(st.dropped == 2 && st.invalid == 2 && st.reports == 1);
    feed(e, "t", 100.001, 0, 0.5, NAN); /* a millisecond later: taken */
    CHECK(l.n == 1);
    aw_engine_free(e);
    aw_zones_free(zs);
}

/* The longest event: ids of control characters (six bytes each in JSON), an altitude of
 * 1e150 ft (the parsers take any finite number): close to 1 KB, the size the CLI once
 * formatted into, dropping longer events without a word (it now grows its buffer to the
 * length the formatter asks for). The formatter must say the length it needs, then write
 * all of it: valid JSON that gives the ids and numbers back. */
static void longest_event_json(void)
{
    aw_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = AW_EXIT;
    ev.cause = AW_CROSSING;
    memset(ev.track, 0x01, sizeof ev.track - 1);
    memset(ev.zone, 0x02, sizeof ev.zone - 1);
    memset(ev.callsign, 0x1f, sizeof ev.callsign - 1);
    ev.time = 1e10;
    ev.lat = -89.1234567;
    ev.lon = -179.1234567;
    ev.alt_ft = -1e150;
    ev.dwell_s = 9.87654321e8;
    ev.max_depth_m = 1.23456789e7;
    char small[64];
    int need = aw_event_to_json(&ev, small, sizeof small);
    CHECK(need > 900);
    CHECK(strlen(small) == sizeof small - 1); /* cut, but terminated */
    char *buf = malloc((size_t)need + 1);
    CHECK(buf != NULL);
    if (!buf)
        return;
    CHECK(aw_event_to_json(&ev, buf, (size_t)need + 1) == need);
    CHECK(strlen(buf) == (size_t)need && buf[need - 1] == '}');
    json_error_t jerr;
    json_t *o = json_loads(buf, 0, &jerr);
    CHECK(o != NULL);
    if (o) {
        CHECK(strcmp(json_string_value(json_object_get(o, "track")), ev.track) == 0);
        CHECK(strcmp(json_string_value(json_object_get(o, "zone")), ev.zone) == 0);
        CHECK(strcmp(json_string_value(json_object_get(o, "callsign")), ev.callsign) == 0);
        CHECK(strcmp(json_string_value(json_object_get(o, "type")), "exit") == 0);
        CHECK_NEAR(json_number_value(json_object_get(o, "alt_ft")), -1e150, 1e136);
        CHECK_NEAR(json_number_value(json_object_get(o, "dwell_s")), 9.87654321e8, 1e-3);
        CHECK_NEAR(json_number_value(json_object_get(o, "max_depth_m")), 1.23456789e7, 0.1);
        json_decref(o);
    }
    free(buf);
}

int main(void)
{
    longest_event_json();
    time_limits();
    number_edges();
    time_backwards();
    over_the_pole();
    touching_at_a_vertex();
    negative_altitudes();
    far_dates();
    return check_done("edges");
}
