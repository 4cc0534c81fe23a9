/* test_advice.c -- the scramble advisor on synthetic tracks.
 *
 * One ADIZ with a territorial zone inside it, owned by KR, and two ROKAF bases: a near
 * one and a far one. An unidentified intruder flies east into the ADIZ; the advice must
 * name the base that meets it first (checked against the solver run by hand, not a
 * written answer), advise once while it flies straight, again after a 40-degree turn,
 * never for the owner's own fighters or identified civil traffic; a fighter that takes
 * off from the near base after the advice and closes to 10 NM gives an intercept, one
 * airborne before the advice does not. */
#include <geodesic.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/advice.h"
#include "adizwatch/intercept.h"
#include "check.h"
#include "position.h"

#define KT (1852.0 / 3600.0)
#define T0 1669766400.0 /* 2022-11-30T00:00:00Z */

static const char zones_json[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"TADIZ\",\"kind\":\"adiz\",\"owner\":\"KR\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[128,34],[131,34],[131,36.5],[128,36.5],"
    "[128,34]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"TTA\",\"kind\":\"territorial\",\"owner\":\"KR\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[129.5,35],[130,35],[130,35.5],[129.5,35.5],"
    "[129.5,35]]]}}]}";

static const aw_airbase bases[] = {
    {"Near AB", "RKXA", "KR", "ROKAF", true, 35.6, 128.6, "", "", 5, "test", 900, NAN, NAN,
     false, ""},
    {"Far AB", "RKXB", "KR", "ROKAF", true, 37.6, 127.0, "", "", 5, "test", 900, NAN, NAN,
     false, ""},
    {"Allied AB", "RKXC", "KR", "USAF", true, 35.3, 128.3, "", "", 1, "test", 2000, NAN, NAN,
     false, ""},
};

typedef struct got {
    int advice, intercepts, turns;
    aw_advice_event first, last_advice, intercept;
    char first_json[4096];
    int nforeign; /* advice on tracks that must never get one */
} got;

static void on_advice(const aw_advice_event *ev, void *user)
{
    got *g = user;
    if (strcmp(ev->track, "T1") != 0) {
        g->nforeign++;
        return;
    }
    if (ev->kind == AW_ADVICE_INTERCEPT) {
        if (g->intercepts++ == 0)
            g->intercept = *ev;
        return;
    }
    if (g->advice++ == 0) {
        g->first = *ev;
        aw_advice_event_to_json(ev, g->first_json, sizeof g->first_json);
    }
    g->turns += strcmp(ev->reason, "turn") == 0;
    g->last_advice = *ev;
}

static struct geod_geodesic wgs;

static void report(aw_advisor *a, const char *id, double t, double lat, double lon,
                   double alt, const char *callsign, const char *squawk, double kt, double trk)
{
    aw_report r = position_report(id, t, lat, lon, alt);
    snprintf(r.callsign, sizeof r.callsign, "%s", callsign);
    snprintf(r.squawk, sizeof r.squawk, "%s", squawk);
    r.speed_kt = kt;
    r.track_deg = trk;
    CHECK(aw_advisor_report(a, &r) == 0);
}

int main(void)
{
    geod_init(&wgs, 6378137.0, 1 / 298.257223563);
    aw_zone_set *zs = aw_zones_load_string(zones_json, strlen(zones_json), NULL, NULL);
    CHECK(zs != NULL);
    if (!zs)
        return 1;
    /* Who is who: K1/K2 are KR fighters, J1 a Chinese military track, C1 civil. */
    char path[] = "/tmp/test_advice_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Nation\n"
          "K1,,ROKAF,F-15K,,Mil,KR\nK2,,ROKAF,F-15K,,Mil,KR\n", f);
    fclose(f);
    char err[256];
    aw_aircraft_db *db = aw_aircraft_db_load(path, NULL, NULL, NULL, err, sizeof err);
    unlink(path);
    CHECK(db != NULL);

    aw_advisor_options opt;
    aw_advisor_defaults(&opt);
    opt.bases = bases;
    opt.nbases = 3;
    got g;
    memset(&g, 0, sizeof g);
    aw_advisor *a = aw_advisor_new(zs, db, &opt, on_advice, &g);
    CHECK(a != NULL);
    CHECK(!aw_advice_interceptor_base(&bases[2], "KR")); /* an ally's base is not KR's */

    /* The intruder: 35.25N 126.0E, east at 450 kt, a report every 10 s. */
    double lat = 35.25, lon = 126.0, course = 90, spd = 450 * KT, t = T0;
    /* K2 is airborne (high, far from any base) before anything is advised. */
    report(a, "K2", t - 5, 37.0, 126.0, 25000, "", "", 450, 180);
    double k2lat = 37.0, k2lon = 126.0;
    double fl_lat = NAN, fl_lon = NAN, takeoff = NAN, intercept_at = NAN;
    for (int i = 0; i < 240; i++, t += 10) { /* 40 min */
        if (i == 120)
            course = 130; /* a 40-degree turn after 20 min */
        report(a, "T1", t, lat, lon, 29000, "", "", 450, course);
        /* Identified civil traffic (callsign, squawk, a CN address) on the same path. */
        report(a, "780123", t + 1, lat + 0.05, lon, 33000, "CCA123", "2345", 450, course);
        /* The owner's own K2 cruising toward the zone. */
        report(a, "K2", t + 2, k2lat, k2lon, 25000, "", "", 450, 160);
        geod_direct(&wgs, k2lat, k2lon, 160, 450 * KT * 10, &k2lat, &k2lon, NULL);
        /* K1 takes off from Near AB 2 min after the first advice, pursues at 500 kt. */
        if (isnan(takeoff) && g.advice > 0 && t >= g.first.time + 120) {
            takeoff = t + 3;
            fl_lat = bases[0].lat;
            fl_lon = bases[0].lon;
        }
        if (!isnan(takeoff) && isnan(intercept_at)) {
            report(a, "K1", t + 3, fl_lat, fl_lon, t + 3 == takeoff ? 800 : 25000, "", "", 500, 0);
            double d, azi;
            geod_inverse(&wgs, fl_lat, fl_lon, lat, lon, &d, &azi, NULL);
            if (d <= 10 * 1852.0)
                intercept_at = t + 3;
            geod_direct(&wgs, fl_lat, fl_lon, azi, 500 * KT * 10, &fl_lat, &fl_lon, NULL);
        }
        geod_direct(&wgs, lat, lon, course, spd * 10, &lat, &lon, NULL);
    }

    /* The first advice: heading into TADIZ, at the first report (the reported course). */
    CHECK(g.advice >= 2);
    CHECK_STR(g.first.reason, "heading");
    CHECK_STR(g.first.owner, "KR");
    CHECK_STR(g.first.zone, "TADIZ");
    CHECK_NEAR(g.first.time, T0, 1e-6);
    CHECK(g.first.nbases == 2); /* the USAF base is not offered */
    CHECK(g.first.nbases == 2 && g.first.bases[0].intercept_time < g.first.bases[1].intercept_time);
    /* The solver by hand: Near AB meets it first, at the time the advice says. */
    aw_intercept_input in[2];
    aw_intercept out[2];
    for (int b = 0; b < 2; b++) {
        in[b] = (aw_intercept_input){bases[b].lat, bases[b].lon, 300, 900 / 3.6, 35.25, 126.0,
                                     90, 450 * KT, 10800};
        CHECK(aw_intercept_solve(&in[b], &out[b]) == 0 && out[b].possible);
    }
    const aw_airbase *want = out[0].time_s < out[1].time_s ? &bases[0] : &bases[1];
    CHECK(g.first.bases[0].base != NULL && g.first.bases[0].base->lat == want->lat);
    CHECK_STR(g.first.bases[0].base->name, "Near AB");
    CHECK_NEAR(g.first.bases[0].intercept_time, T0 + fmin(out[0].time_s, out[1].time_s), 1e-3);
    /* Territory: when the intruder would reach TTA, and the intercept comes first. */
    double ttt = aw_time_to_zone(zs, aw_zones_find(zs, "TTA"), 35.25, 126.0, 90, 450 * KT, 10800);
    CHECK(ttt > 0);
    CHECK_NEAR(g.first.time_to_territory_s, ttt, 1e-3);
    CHECK_STR(g.first.territory, "TTA");
    CHECK(g.first.bases[0].before_territory == (fmin(out[0].time_s, out[1].time_s) <= ttt));
    double ttz = aw_time_to_zone(zs, aw_zones_find(zs, "TADIZ"), 35.25, 126.0, 90, 450 * KT, 1800);
    CHECK_NEAR(g.first.time_to_zone_s, ttz, 1e-3);

    /* The JSON carries the required fields. */
    json_t *j = json_loads(g.first_json, 0, NULL);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "type")), "scramble_advice");
    CHECK_STR(json_string_value(json_object_get(j, "base")), "Near AB");
    CHECK(json_is_string(json_object_get(j, "intercept_time")));
    CHECK(json_is_number(json_object_get(j, "intercept_lat")));
    CHECK(json_is_number(json_object_get(j, "intercept_lon")));
    CHECK(json_is_boolean(json_object_get(j, "before_territory")));
    CHECK(json_array_size(json_object_get(j, "bases")) == 2);
    json_decref(j);

    /* Straight flight: one advice; the turn: exactly one more, labelled so. */
    CHECK(g.turns == 1);
    CHECK(g.advice == 2);
    CHECK_STR(g.last_advice.reason, "turn");
    CHECK(g.last_advice.time > T0 + 1200 && g.last_advice.time <= T0 + 1200 + 180);
    CHECK_NEAR(g.last_advice.course_deg, 130, 5);

    /* No advice for the owner's fighters or the identified airliner. */
    CHECK(g.nforeign == 0);

    /* The intercept: K1 after the advice, within 10 NM; K2 (airborne before) none. */
    CHECK(!isnan(intercept_at));
    CHECK(g.intercepts == 1);
    CHECK_STR(g.intercept.interceptor, "K1");
    CHECK_STR(g.intercept.owner, "KR");
    CHECK_STR(g.intercept.takeoff_base, "Near AB");
    CHECK_NEAR(g.intercept.takeoff_time, takeoff, 1e-6);
    CHECK_NEAR(g.intercept.advice_time, g.first.time, 1e-6);
    CHECK(g.intercept.distance_m <= 10 * 1852.0);
    CHECK(g.intercept.time <= intercept_at + 10 && g.intercept.time >= takeoff);
    char buf[2048];
    CHECK(aw_advice_event_to_json(&g.intercept, buf, sizeof buf) < (int)sizeof buf);
    j = json_loads(buf, 0, NULL);
    CHECK_NEAR(json_number_value(json_object_get(j, "advice_to_takeoff_s")), takeoff - g.first.time, 0.05);
    CHECK_NEAR(json_number_value(json_object_get(j, "takeoff_to_intercept_s")),
               g.intercept.time - takeoff, 0.05);
    json_decref(j);

    aw_advisor_free(a);
    aw_aircraft_db_free(db);
    aw_zones_free(zs);
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures != 0;
}
