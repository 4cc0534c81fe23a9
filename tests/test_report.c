/* test_report.c -- observer reports: aircraft counted as airframes (addresses, the
 * database's $Airframe, presumed landing -> take-off links), visits that cross in or are
 * first seen inside, exits crossed / lost / open, noise re-entries shown as one visit, a
 * group leaving in parts, the timeline in time order, observer place names, why counts
 * differ (and silence when they do not), provenance and assumed items. */
#define _GNU_SOURCE /* open_memstream */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/observer.h"
#include "adizwatch/store.h"
#include "check.h"

static aw_airframe_leg leg(const char *track, const char *type, const char *to_field, double to_t,
                           const char *land_field, double land_t)
{
    aw_airframe_leg l;
    memset(&l, 0, sizeof l);
    snprintf(l.track, sizeof l.track, "%s", track);
    snprintf(l.type, sizeof l.type, "%s", type);
    snprintf(l.nation, sizeof l.nation, "CN");
    snprintf(l.takeoff_field, sizeof l.takeoff_field, "%s", to_field);
    snprintf(l.landing_field, sizeof l.landing_field, "%s", land_field);
    l.takeoff_time = to_t;
    l.landing_time = land_t;
    return l;
}

static void test_airframe_links(void)
{
    /* Two H-6K land at F1 and two take off from it 3 h later: two presumed airframes. */
    aw_airframe_leg a[] = {
        leg("M1", "H-6K", "HOME", 0, "F1", 3600),     leg("M2", "H-6K", "HOME", 0, "F1", 3610),
        leg("P1", "H-6K", "F1", 3600 * 4, "HOME", 9e4), leg("P2", "H-6K", "F1", 3600 * 4 + 5, "HOME", 9e4),
        /* A Y-8 takes off from F1 too: another type links to nothing. */
        leg("Y1", "Y-8", "F1", 3600 * 4, "", NAN),
    };
    aw_airframes_assign(a, 5, NULL, AW_AIRFRAME_LINK_S);
    CHECK(a[2].basis == AW_AIRFRAME_PRESUMED && strcmp(a[2].airframe, "M1") == 0);
    CHECK(a[3].basis == AW_AIRFRAME_PRESUMED && strcmp(a[3].airframe, "M2") == 0);
    CHECK(a[0].basis == AW_AIRFRAME_TRACK && strcmp(a[0].airframe, "M1") == 0);
    CHECK(a[4].basis == AW_AIRFRAME_TRACK && strcmp(a[4].airframe, "Y1") == 0);

    /* Two landed, one took off: which one is not known, and neither is linked. */
    aw_airframe_leg b[] = {leg("M1", "H-6K", "", NAN, "F1", 100), leg("M2", "H-6K", "", NAN, "F1", 110),
                           leg("P1", "H-6K", "F1", 5000, "", NAN)};
    aw_airframes_assign(b, 3, NULL, AW_AIRFRAME_LINK_S);
    CHECK(b[2].basis == AW_AIRFRAME_TRACK);

    /* A take-off after the window, or from another field: no link. */
    aw_airframe_leg c[] = {leg("M1", "H-6K", "", NAN, "F1", 100), leg("P1", "H-6K", "F1", 100 + 13 * 3600, "", NAN),
                           leg("M2", "H-6K", "", NAN, "F2", 100), leg("P2", "H-6K", "F3", 200, "", NAN)};
    aw_airframes_assign(c, 4, NULL, AW_AIRFRAME_LINK_S);
    CHECK(c[1].basis == AW_AIRFRAME_TRACK && c[3].basis == AW_AIRFRAME_TRACK);
    aw_airframes_assign(c, 2, NULL, 14 * 3600); /* a longer window links it */
    CHECK(c[1].basis == AW_AIRFRAME_PRESUMED);

    /* Out, back, out again: a chain keeps the first leg's airframe. */
    aw_airframe_leg d[] = {leg("L1", "Tu-95MS", "U", 0, "J", 100), leg("L2", "Tu-95MS", "J", 200, "U", 300),
                           leg("L3", "Tu-95MS", "U", 400, "", NAN)};
    aw_airframes_assign(d, 3, NULL, AW_AIRFRAME_LINK_S);
    CHECK(strcmp(d[2].airframe, "L1") == 0 && strcmp(d[1].airframe, "L1") == 0);

    /* An ICAO address is its own airframe, whatever the fields say. */
    aw_airframe_leg e[] = {leg("780a1b", "H-6K", "", NAN, "F1", 100), leg("780a1c", "H-6K", "F1", 200, "", NAN)};
    aw_airframes_assign(e, 2, NULL, AW_AIRFRAME_LINK_S);
    CHECK(e[1].basis == AW_AIRFRAME_ICAO && strcmp(e[1].airframe, "780a1c") == 0);
}

static const char zones_json[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"ZA\",\"name\":\"A\",\"kind\":\"adiz\",\"owner\":\"KR\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[130,36],[132.5,36],[132.5,38],[130,38],[130,36]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"ZB\",\"name\":\"B\",\"kind\":\"adiz\",\"owner\":\"JP\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[131.5,37],[134,37],[134,39],[131.5,39],[131.5,37]]]}}]}";

static aw_event ev(aw_event_type type, aw_event_cause cause, const char *track, const char *zone,
                   double t, double lat, double lon, double depth)
{
    aw_event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.cause = cause;
    snprintf(e.track, sizeof e.track, "%s", track);
    snprintf(e.zone, sizeof e.zone, "%s", zone);
    e.time = t;
    e.lat = lat;
    e.lon = lon;
    e.alt_ft = NAN;
    e.max_depth_m = depth;
    return e;
}

static int cmp_time(const void *a, const void *b)
{
    double x = ((const aw_event *)a)->time, y = ((const aw_event *)b)->time;
    return x < y ? -1 : x > y;
}

/* Run a report into strings. */
static int report(const aw_event *e, size_t n, const aw_zone_set *zs, const aw_aircraft_db *db,
                  const aw_observer_options *o, char **md, char **json)
{
    size_t ml, jl;
    FILE *m = open_memstream(md, &ml), *j = open_memstream(json, &jl);
    int rc = aw_observer_report(e, n, zs, db, o, m, j);
    fclose(m);
    fclose(j);
    return rc;
}

static void test_observer_report(const char *dir)
{
    aw_zone_set *zs = aw_zones_load_string(zones_json, strlen(zones_json), NULL, NULL);
    CHECK(zs != NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/ac.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("$ICAO,$Type,#CMPG,$Airframe,$Nation\n"
          "A1,H-6K,Mil,,CN\nA2,Y-8,Mil,,CN\nS1,Tu-95MS,Mil,,RU\nS2,Tu-95MS,Mil,,RU\n"
          "S3,Su-35S,Mil,,RU\nB1,H-6K,Mil,X-1,CN\nB2,H-6K,Mil,X-1,CN\nK1,F-15K,Mil,,KR\n",
          f);
    fclose(f);
    char err[256];
    aw_aircraft_db *db = aw_aircraft_db_load(path, NULL, NULL, NULL, err, sizeof err);
    CHECK(db != NULL);
    double t0 = 1669766400; /* 2022-11-30T00:00Z */
    aw_event e[] = {
        /* B2 first in the list but last in time: the timeline sorts. */
        ev(AW_ENTER, AW_CROSSING, "B2", "ZA", t0 + 30000, 36.5, 130.0, 0),
        ev(AW_EXIT, AW_CROSSING, "B2", "ZA", t0 + 30500, 36.5, 132.5, 30000),
        /* A1 crosses in and out, then a 24 s re-entry 300 m deep: one visit. */
        ev(AW_ENTER, AW_CROSSING, "A1", "ZA", t0 + 1000, 36.2, 130.0, 0),
        ev(AW_EXIT, AW_CROSSING, "A1", "ZA", t0 + 2000, 36.0, 131.0, 20000),
        ev(AW_ENTER, AW_CROSSING, "A1", "ZA", t0 + 2030, 36.0, 131.1, 0),
        ev(AW_EXIT, AW_CROSSING, "A1", "ZA", t0 + 2054, 36.0, 131.2, 300),
        /* A2 first seen inside, lost later. */
        ev(AW_ENTER, AW_FIRST_SEEN, "A2", "ZA", t0 + 5000, 37.5, 130.5, 0),
        ev(AW_EXIT, AW_LOST, "A2", "ZA", t0 + 5600, 37.6, 130.6, 5000),
        /* S1, S2, S3 cross in together near the rocks; S3 leaves 15 min before the rest. */
        ev(AW_ENTER, AW_CROSSING, "S1", "ZA", t0 + 10000, 38.0, 131.8, 0),
        ev(AW_ENTER, AW_CROSSING, "S2", "ZA", t0 + 10005, 38.0, 131.81, 0),
        ev(AW_ENTER, AW_CROSSING, "S3", "ZA", t0 + 10010, 38.0, 131.82, 0),
        ev(AW_EXIT, AW_CROSSING, "S3", "ZA", t0 + 10600, 38.0, 131.0, 9000),
        ev(AW_ENTER, AW_CROSSING, "S1", "ZB", t0 + 10800, 38.0, 131.5, 0),
        ev(AW_ENTER, AW_CROSSING, "S2", "ZB", t0 + 10800, 38.0, 131.51, 0),
        ev(AW_EXIT, AW_CROSSING, "S1", "ZA", t0 + 11500, 37.0, 132.5, 9000),
        ev(AW_EXIT, AW_CROSSING, "S2", "ZA", t0 + 11500, 37.0, 132.51, 9000),
        /* B1: the first leg of airframe X-1. */
        ev(AW_ENTER, AW_CROSSING, "B1", "ZA", t0 + 20000, 36.5, 130.0, 0),
        ev(AW_EXIT, AW_CROSSING, "B1", "ZA", t0 + 20500, 36.5, 132.5, 30000),
        /* KR's own fighter: no incursion. */
        ev(AW_ENTER, AW_CROSSING, "K1", "ZA", t0 + 900, 36.1, 130.0, 0),
    };
    size_t n = sizeof e / sizeof e[0];
    qsort(e, n, sizeof e[0], cmp_time);

    aw_observer_options o;
    aw_observer_defaults(&o);
    o.observer = "KR";
    o.other = "JP";
    o.tz_offset_s = 9 * 3600;
    CHECK(aw_observer_day(&o, "2022-11-30") == 0);
    char *md = NULL, *js = NULL;
    int rc = report(e, n, zs, db, &o, &md, &js);
    CHECK(rc == 5); /* A1, A2, S group, B1, B2 */
    if (getenv("SHOW_REPORT"))
        fputs(md, stderr);
    json_error_t jerr;
    json_t *r = json_loads(js, 0, &jerr);
    CHECK(r != NULL);
    if (!r)
        fprintf(stderr, "%s\n%s\n", jerr.text, js);
    json_t *inc = json_object_get(r, "incursions");
    CHECK(json_array_size(inc) == 5);
    const char *prev = "";
    size_t i;
    json_t *it;
    json_array_foreach(inc, i, it) { /* time order */
        const char *t = json_string_value(json_object_get(it, "enter"));
        CHECK(strcmp(prev, t) <= 0);
        prev = t;
    }
    json_t *a1 = json_array_get(inc, 0), *a2 = json_array_get(inc, 1), *sg = json_array_get(inc, 2);
    CHECK(json_is_false(json_object_get(a1, "first_seen_inside")));
    CHECK(json_integer_value(json_object_get(a1, "merged_reentries")) == 1);
    CHECK(strcmp(json_string_value(json_object_get(a1, "exit")), "2022-11-30T00:34:14.000Z") == 0);
    CHECK(json_is_true(json_object_get(a2, "first_seen_inside")));
    CHECK(strcmp(json_string_value(json_object_get(a2, "exit_how")), "lost") == 0);
    CHECK(json_array_size(json_object_get(sg, "exits")) == 2);
    CHECK(strstr(md, "first seen inside ZA") && strstr(md, "crossed into ZA") &&
          strstr(md, "lost (last seen)") && strstr(md, "left in parts:"));
    CHECK(strstr(md, "1 re-entry within 120 s of an exit and under 1852 m deep shown as one visit"));
    /* Counts: airframe X-1 is one aircraft with two entries. */
    CHECK(json_integer_value(json_object_get(r, "total_aircraft")) == 6);
    json_array_foreach(json_object_get(r, "counts"), i, it) {
        const char *type = json_string_value(json_object_get(it, "type"));
        json_int_t ac = json_integer_value(json_object_get(it, "aircraft"));
        json_int_t en = json_integer_value(json_object_get(it, "entries"));
        if (strcmp(type, "H-6K") == 0)
            CHECK(ac == 2 && en == 3);
        if (strcmp(type, "Tu-95MS") == 0)
            CHECK(ac == 2 && en == 2);
    }
    CHECK(strstr(md, "- ZA: 6 aircraft (H-6K \u00d72, Y-8 \u00d71, Tu-95MS \u00d72, Su-35S \u00d71), 7 entries."));
    /* Place names: KR writes Dokdo. */
    CHECK(strstr(md, "of Dokdo") && !strstr(md, "Liancourt"));
    /* The accounts differ: why, without a figure JP does not publish as an ADIZ count. */
    CHECK(strstr(md, "**Why the counts differ.**") && strstr(md, "not a figure it publishes"));
    CHECK(json_is_true(json_object_get(json_object_get(r, "reconcile"), "differ")));
    /* No store: the basis is unknown, and said so. */
    CHECK(strcmp(json_string_value(json_object_get(json_object_get(r, "provenance"), "tracks")),
                 "unknown") == 0);
    json_decref(r);
    free(md);
    free(js);

    /* Neutral names; the same observer twice: no "why". */
    o.neutral_names = true;
    o.other = "KR";
    report(e, n, zs, db, &o, &md, &js);
    CHECK(strstr(md, "of Liancourt Rocks") && !strstr(md, "Dokdo"));
    CHECK(!strstr(md, "Why the counts differ") && strstr(md, "Both accounts cover the same 6 aircraft"));
    free(md);
    free(js);
    aw_aircraft_db_free(db);
    aw_zones_free(zs);
}

/* A flight to land at a field of the zone's country is no territorial incursion. */
static void test_field_visit(void)
{
    static const char ta[] =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"TA-KR\",\"name\":\"T\",\"kind\":\"territorial\","
        "\"owner\":\"KR\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[128,35.5],[129.5,35.5],"
        "[129.5,36.5],[128,36.5],[128,35.5]]]}}]}";
    aw_zone_set *zs = aw_zones_load_string(ta, strlen(ta), NULL, NULL);
    double t0 = 1669766400;
    aw_event e[] = {ev(AW_ENTER, AW_CROSSING, "L1", "TA-KR", t0 + 1000, 35.6, 129.5, 0),
                    ev(AW_ENTER, AW_CROSSING, "X1", "TA-KR", t0 + 5000, 36.4, 129.5, 0),
                    ev(AW_EXIT, AW_CROSSING, "X1", "TA-KR", t0 + 5600, 36.4, 129.4, 3000)};
    aw_airframe_leg legs[] = {leg("L1", "Tu-95MS", "", NAN, "RKTN", t0 + 1600)}; /* Daegu */
    aw_observer_options o;
    aw_observer_defaults(&o);
    o.observer = "KR";
    o.tz_offset_s = 9 * 3600;
    aw_observer_day(&o, "2022-11-30");
    o.legs = legs;
    o.nlegs = 1;
    char *md = NULL, *js = NULL;
    CHECK(report(e, 3, zs, NULL, &o, &md, &js) == 2);
    json_t *r = json_loads(js, 0, NULL);
    CHECK(json_integer_value(json_object_get(r, "territorial_incursions")) == 1);
    json_t *l1 = json_array_get(json_object_get(r, "incursions"), 0);
    CHECK(strcmp(json_string_value(json_object_get(json_object_get(l1, "field_visit"), "kind")),
                 "landing") == 0);
    CHECK(strstr(md, "to land at RKTN, not an incursion") && strstr(md, "1 incursion into KR"));
    json_decref(r);
    free(md);
    free(js);
    aw_zones_free(zs);
}

static void test_basis(const char *dir)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/b.db", dir);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    aw_report_basis *b = aw_report_basis_load(s, err, sizeof err);
    CHECK(strcmp(aw_report_basis_tracks(b), "unknown") == 0);
    aw_report_basis_free(b);
    aw_provenance rec = {"day.csv", "csv", "recorded", "", NULL};
    aw_provenance sim = {"sim.csv", "csv", "simulated", "",
                         "{\"tracks\":\"simulated\",\"scenario\":\"t\",\"seed\":3,\"assumed\":["
                         "{\"track\":\"A1\",\"item\":\"arrival\",\"reason\":\"field assumed\"},"
                         "{\"track\":\"A2\",\"item\":\"arrival\",\"reason\":\"field assumed\"},"
                         "{\"track\":\"K1\",\"item\":\"departure\",\"reason\":\"scramble assumed\"}]}"};
    CHECK(aw_store_add_provenance(s, &rec, err, sizeof err) == 1);
    CHECK(aw_store_add_provenance(s, &rec, err, sizeof err) == 0); /* kept once */
    b = aw_report_basis_load(s, err, sizeof err);
    CHECK(strcmp(aw_report_basis_tracks(b), "recorded") == 0);
    aw_report_basis_free(b);
    CHECK(aw_store_add_provenance(s, &sim, err, sizeof err) == 1);
    b = aw_report_basis_load(s, err, sizeof err);
    CHECK(strcmp(aw_report_basis_tracks(b), "mixed") == 0);
    CHECK(aw_report_basis_assumed(b, "A2", "arrival") == 1); /* one reason, one number */
    CHECK(aw_report_basis_assumed(b, "K1", "departure") == 2);
    CHECK(aw_report_basis_assumed(b, "A1", "departure") == 0);
    char line[256];
    CHECK(strstr(aw_report_basis_sentence(b, line, sizeof line), "Mixed tracks: day.csv (csv); "
                                                                  "scenario t, seed 3"));

    /* A group's assumed landing and an intercept by an assumed scramble are marked. */
    aw_zone_set *zs = aw_zones_load_string(zones_json, strlen(zones_json), NULL, NULL);
    const char *groups[] = {"{\"type\":\"group\",\"group\":\"G1\",\"landings\":[{\"field\":\"F1\","
                            "\"tracks\":[\"A1\",\"A2\"],\"time\":\"2022-11-30T01:00:00Z\"}],"
                            "\"takeoffs\":[{\"field\":\"F0\",\"tracks\":[\"A1\"],"
                            "\"time\":\"2022-11-30T00:00:00Z\"}]}"};
    const char *advice[] = {"{\"type\":\"intercept\",\"owner\":\"KR\",\"track\":\"A1\",\"interceptor\":\"K1\","
                            "\"time\":\"2022-11-30T00:30:00Z\",\"lat\":36,\"lon\":131}"};
    aw_observer_options o;
    aw_observer_defaults(&o);
    o.observer = "KR";
    o.tz_offset_s = 9 * 3600;
    aw_observer_day(&o, "2022-11-30");
    o.basis = b;
    o.patrols = groups;
    o.npatrols = 1;
    o.advice = advice;
    o.nadvice = 1;
    char *md = NULL, *js = NULL;
    CHECK(report(NULL, 0, zs, NULL, &o, &md, &js) == 0);
    json_t *r = json_loads(js, 0, NULL);
    CHECK(r != NULL);
    json_t *g = json_array_get(json_object_get(r, "patrols"), 0);
    json_t *land = json_array_get(json_object_get(g, "landings"), 0);
    json_t *off = json_array_get(json_object_get(g, "takeoffs"), 0);
    CHECK(strcmp(json_string_value(json_object_get(land, "basis")), "assumed") == 0);
    CHECK(strcmp(json_string_value(json_object_get(land, "reason")), "field assumed") == 0);
    CHECK(json_object_get(off, "basis") == NULL); /* A1's take-off was not assumed */
    json_t *icp = json_array_get(json_object_get(r, "intercepts"), 0);
    CHECK(strcmp(json_string_value(json_object_get(icp, "basis")), "assumed") == 0);
    CHECK(strcmp(json_string_value(json_object_get(json_object_get(r, "provenance"), "tracks")),
                 "mixed") == 0);
    CHECK(strstr(md, "*[assumed A1]*") && strstr(md, "## Sources and assumptions") &&
          strstr(md, "- A1 (A1 landing, A2 landing): field assumed"));
    json_decref(r);
    free(md);
    free(js);
    aw_zones_free(zs);
    aw_report_basis_free(b);
    aw_store_close(s);
}

static void test_place_names(void)
{
    const char *t = "12 km E of Liancourt Rocks; 40 km N of Senkaku/Diaoyu Islands";
    char *kr = aw_observer_place_names(t, "KR", false), *jp = aw_observer_place_names(t, "JP", false);
    char *ne = aw_observer_place_names(t, "JP", true), *us = aw_observer_place_names(t, "US", false);
    CHECK(strcmp(kr, "12 km E of Dokdo; 40 km N of Senkaku/Diaoyu Islands") == 0);
    CHECK(strcmp(jp, "12 km E of Takeshima; 40 km N of Senkaku Islands") == 0);
    CHECK(strcmp(ne, t) == 0 && strcmp(us, t) == 0);
    free(kr);
    free(jp);
    free(ne);
    free(us);
    CHECK(aw_observer_rule_of("JP")->counts_adiz == false && aw_observer_rule_of("KR")->counts_adiz);
}

int main(void)
{
    char dir[] = "/tmp/test_report_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    test_airframe_links();
    test_observer_report(dir);
    test_basis(dir);
    test_field_visit();
    test_place_names();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done("report");
}
