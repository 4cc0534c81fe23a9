/* test_patrol.c -- patrol analysis on synthetic trails.
 *
 * Trails are flown here on the WGS84 ellipsoid (PROJ geodesic), one fix every 30 s as
 * the store keeps them: a formation of two bombers of two nations with two fighters and
 * a stranger nearby; a pair crossing the Miyako gate and a pair that stays short of it;
 * a take-off at Ukrainka and a landing at Jiaxing (abroad for a Russian aircraft), a
 * Chinese landing at home, and an airliner-like overflight of a field at FL300 (neither
 * take-off nor landing). Events are checked through their JSON, as users see them. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/ingest.h"
#include "adizwatch/patrol.h"
#include "adizwatch/theater.h"
#include "check.h"
#include "geo/geo.h"

#define KT 0.514444     /* m/s */
#define T0 1669766400.0 /* 2022-11-30T00:00:00Z */

typedef struct trails {
    aw_position p[20000];
    size_t n;
} trails;

static trails tr;

static void add(const char *id, double t, double lat, double lon, double alt)
{
    aw_position *p = &tr.p[tr.n++];
    memset(p, 0, sizeof *p);
    snprintf(p->track, sizeof p->track, "%s", id);
    p->time = t;
    p->lat = lat;
    p->lon = lon;
    p->alt_ft = alt;
}

static void offset(double lat, double lon, double azi, double right_m, double behind_m,
                   double *olat, double *olon)
{
    double a2;
    geod_direct(aw_wgs84(), lat, lon, azi + 90, right_m, olat, olon, &a2);
    geod_direct(aw_wgs84(), *olat, *olon, azi + 180, behind_m, olat, olon, &a2);
}

/* Fly a leader from (lat, lon) on azimuth azi at kt for dur_s, fixes every 30 s, and
 * members at offsets (right, behind metres). */
static void formation(const char *const *ids, const double (*off)[2], int n, double t0, double lat,
                      double lon, double azi, double kt, double alt, double dur_s)
{
    for (double s = 0; s <= dur_s; s += 30) {
        double la, lo, az;
        geod_direct(aw_wgs84(), lat, lon, azi, kt * KT * s, &la, &lo, &az);
        for (int i = 0; i < n; i++) {
            double ml, mo;
            offset(la, lo, az, off[i][0], off[i][1], &ml, &mo);
            add(ids[i], t0 + s + i * 0.1, ml, mo, alt + 500 * (i % 2));
        }
    }
}

/* A take-off from (lat, lon): 150 kt at the field, accelerating 1.5 kt/s to 450 kt,
 * climbing 1500 ft/min to FL300, on azimuth azi, for dur_s. reverse: the same path flown
 * backwards in time, ending at the field (a landing) at t_end = t0 + dur_s. */
static void from_field(const char *id, double t0, double lat, double lon, double elev_ft,
                       double azi, double dur_s, bool reverse)
{
    double dist = 0, v = 150;
    for (double s = 0; s <= dur_s; s += 30) {
        double la, lo, az;
        geod_direct(aw_wgs84(), lat, lon, azi, dist, &la, &lo, &az);
        double alt = fmin(elev_ft + 25 * s, 30000);
        add(id, reverse ? t0 + dur_s - s : t0 + s, la, lo, alt);
        double v2 = fmin(v + 1.5 * 30, 450);
        dist += 0.5 * (v + v2) * KT * 30;
        v = v2;
    }
}

static char *write_db(void)
{
    static char path[] = "/tmp/test_patrol_db_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs("$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,$#Tag 3,"
          "Category,$#Link,$Nation\n"
          "B1,,,Xian H-6K,,Mil,,,,,,CN\n"
          "B2,,,Tu-95MS,,Mil,,,,,,RU\n"
          "F1,,,Su-35S,,Mil,,,,,,RU\n"
          "F2,,,Su-35S,,Mil,,,,,,RU\n"
          "X1,,,Y-9,,Mil,,,,,,CN\n"
          "J1,,,J-16,,Mil,,,,,,CN\n"
          "J2,,,J-16,,Mil,,,,,,CN\n"
          "K1,,,F-15K,,Mil,,,,,,KR\n"
          "M1,,,H-6K,,Mil,,,,,,CN\n"
          "M2,,,H-6K,,Mil,,,,,,CN\n"
          "N1,,,H-6K,,Mil,,,,,,CN\n"
          "N2,,,H-6K,,Mil,,,,,,CN\n"
          "R1,,,Tu-95MS,,Mil,,,,,,RU\n"
          "C1,,,H-6K,,Mil,,,,,,CN\n"
          "A1,,,Boeing 737,,Civ,,,,,,JP\n",
          f);
    fclose(f);
    return path;
}

/* The events of type `type` (and track, if not NULL) parsed; count in *n (max 16). */
static int find(const aw_patrol *pa, const char *type, const char *track, json_t **out, int max)
{
    int n = 0;
    for (size_t i = 0; i < aw_patrol_event_count(pa); i++) {
        const aw_patrol_event *e = aw_patrol_event_at(pa, i);
        if (strcmp(e->type, type) != 0 || (track && strcmp(e->track, track) != 0))
            continue;
        json_t *j = json_loads(e->json, 0, NULL);
        CHECK(j != NULL);
        CHECK_STR(json_string_value(json_object_get(j, "type")), type);
        CHECK_STR(json_string_value(json_object_get(j, "track")), e->track);
        if (n < max)
            out[n++] = j;
        else
            json_decref(j);
    }
    return n;
}

static void free_all(json_t **j, int n)
{
    for (int i = 0; i < n; i++)
        json_decref(j[i]);
}

static bool has_track(json_t *arr, const char *key, const char *id)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        json_t *v = key ? json_object_get(e, key) : e;
        if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
            return true;
    }
    return false;
}

static void test_classes(void)
{
    CHECK(aw_aircraft_class_of("Xian H-6K") == AW_CLASS_BOMBER);
    CHECK(aw_aircraft_class_of("H6K") == AW_CLASS_BOMBER);
    CHECK(aw_aircraft_class_of("Tu-95MS") == AW_CLASS_BOMBER);
    CHECK(aw_aircraft_class_of("Tu-22M3") == AW_CLASS_BOMBER);
    CHECK(aw_aircraft_class_of("Su-35S") == AW_CLASS_FIGHTER);
    CHECK(aw_aircraft_class_of("J-16 (presumed)") == AW_CLASS_FIGHTER);
    CHECK(aw_aircraft_class_of("fighter (presumed Chinese)") == AW_CLASS_FIGHTER);
    CHECK(aw_aircraft_class_of("Lockheed Martin F-22A") == AW_CLASS_FIGHTER);
    CHECK(aw_aircraft_class_of("KJ-500") == AW_CLASS_OTHER);
    CHECK(aw_aircraft_class_of("Tu-214R") == AW_CLASS_OTHER);
    CHECK(aw_aircraft_class_of("UH-60") == AW_CLASS_UNKNOWN); /* not "H-6" */
    CHECK(aw_aircraft_class_of("SH-60K") == AW_CLASS_UNKNOWN);
    CHECK(aw_aircraft_class_of("Boeing 737") == AW_CLASS_UNKNOWN);
    CHECK(aw_aircraft_class_of("") == AW_CLASS_UNKNOWN);
    CHECK_STR(aw_aircraft_class_name(AW_CLASS_BOMBER), "bomber");
}

static void test_gate(void)
{
    const aw_strait *miyako = NULL;
    for (int i = 0; i < aw_straits_count(); i++)
        if (strcmp(aw_strait_at(i)->name, "Miyako Strait") == 0)
            miyako = aw_strait_at(i);
    CHECK(miyako != NULL);
    if (!miyako)
        return;
    double u = -1;
    /* From the East China Sea to the Pacific between Miyako and Okinawa. */
    CHECK(aw_strait_crossing(miyako, 25.8, 125.9, 24.6, 127.2, &u) == 0);
    CHECK(u > 0 && u < 1);
    /* Staying on one side. */
    CHECK(aw_strait_crossing(miyako, 26.5, 125.0, 26.0, 125.5, &u) == -1);
    /* Passing west of Miyako-jima misses the gate's end. */
    CHECK(aw_strait_crossing(miyako, 25.0, 124.8, 24.0, 125.2, &u) == -1);
}

int main(void)
{
    test_classes();
    test_gate();
    char *dbpath = write_db();
    char err[256];
    aw_aircraft_db *db =
        dbpath ? aw_aircraft_db_load(dbpath, NULL, NULL, NULL, err, sizeof err) : NULL;
    CHECK(db != NULL);

    /* 1. Two bombers (CN, RU) and two Su-35S in formation for 40 min over the Sea of
     * Japan, a Y-9 60 km off on a parallel course. */
    const char *ids[] = {"B1", "B2", "F1", "F2"};
    const double off[][2] = {{0, 0}, {-1500, 2000}, {5000, -3000}, {6500, -1500}};
    formation(ids, off, 4, T0 + 3600, 39.5, 132.2, 200, 430, 30000, 2400);
    /* A J-16 pair (CN) flying 40 km off, closing to 6 km after 15 min: escorts that join
     * late; an F-15K (KR) shadowing the formation from 5 to 25 min: not a member. */
    for (double s = 0; s <= 2400; s += 30) {
        double la, lo, az, ml, mo;
        geod_direct(aw_wgs84(), 39.5, 132.2, 200, 430 * KT * s, &la, &lo, &az);
        double right = s < 900 ? 40000 : 6000;
        offset(la, lo, az, right, -3000, &ml, &mo);
        add("J1", T0 + 3600 + s + 0.2, ml, mo, 30500);
        offset(la, lo, az, right + 1500, -1500, &ml, &mo);
        add("J2", T0 + 3600 + s + 0.3, ml, mo, 30500);
        if (s >= 300 && s <= 1500) {
            offset(la, lo, az, -4000, 2000, &ml, &mo);
            add("K1", T0 + 3600 + s + 0.4, ml, mo, 31000);
        }
    }
    const char *x1[] = {"X1"};
    const double x1off[][2] = {{60000, 0}};
    formation(x1, x1off, 1, T0 + 3600, 39.5, 132.2, 200, 430, 30000, 2400);

    /* 2. A pair crossing the Miyako gate south-eastward; another pair short of it. */
    const char *mids[] = {"M1", "M2"};
    const double poff[][2] = {{0, 0}, {1500, 2000}};
    formation(mids, poff, 2, T0 + 8 * 3600, 25.8, 125.9, 135, 430, 29000, 1800);
    const char *nids[] = {"N1", "N2"};
    formation(nids, poff, 2, T0 + 8 * 3600, 27.5, 123.5, 45, 430, 29000, 1800);

    /* 3. R1 takes off at Ukrainka, is lost, and lands at Jiaxing 6 h later; C1 lands at
     * Rugao (home); A1 overflies Rugao at FL300. */
    const aw_airbase *ukr = aw_airbase_find("UHBU");
    const aw_airport *jia = aw_airport_find("CN-0154"), *rug = aw_airport_find("ZSRG");
    CHECK(ukr && jia && rug);
    if (!ukr || !jia || !rug)
        return check_done("patrol");
    from_field("R1", T0, ukr->lat, ukr->lon, 0, 150, 1200, false);
    from_field("R1", T0 + 6 * 3600, jia->lat, jia->lon, jia->elevation_ft, 110, 1200, true);
    from_field("C1", T0 + 5 * 3600, rug->lat, rug->lon, 0, 90, 1200, true);
    for (double s = 0; s <= 1200; s += 30) {
        double la, lo, az;
        geod_direct(aw_wgs84(), rug->lat, rug->lon - 0.5, 90, -40000 + 450 * KT * s, &la, &lo, &az);
        add("A1", T0 + 5 * 3600 + s, la, lo, 30000);
    }

    aw_patrol_options o;
    aw_patrol_defaults(&o);
    CHECK_NEAR(o.group_dist_m, 10000, 0);
    CHECK_NEAR(o.group_min_s, 600, 0);
    o.all_tracks = true; /* A1 must be looked at to show it is not a landing */
    aw_patrol *pa = aw_patrol_analyse(tr.p, tr.n, db, &o, err, sizeof err);
    CHECK(pa != NULL);
    if (!pa)
        return check_done("patrol");

    /* Events are in time order. */
    for (size_t i = 1; i < aw_patrol_event_count(pa); i++)
        CHECK(aw_patrol_event_at(pa, i - 1)->time <= aw_patrol_event_at(pa, i)->time);

    json_t *g[16];
    int ng = find(pa, "group", NULL, g, 16);
    CHECK(ng == 3); /* the formation, the Miyako pair, the other pair */
    json_t *form = NULL, *mpair = NULL;
    for (int i = 0; i < ng; i++) {
        json_t *m = json_object_get(g[i], "members");
        if (has_track(m, "track", "B1"))
            form = g[i];
        if (has_track(m, "track", "M1"))
            mpair = g[i];
        CHECK(!has_track(m, "track", "X1")); /* 60 km off: never with anyone */
        CHECK(!has_track(m, "track", "R1"));
    }
    CHECK(form && mpair);
    if (form) {
        CHECK(json_integer_value(json_object_get(form, "size")) == 6);
        CHECK(json_is_true(json_object_get(form, "joint")));
        CHECK(json_is_true(json_object_get(form, "escorted")));
        CHECK(json_integer_value(json_object_get(form, "bombers")) == 2);
        CHECK(json_integer_value(json_object_get(form, "fighters")) == 4);
        CHECK(json_array_size(json_object_get(form, "nations")) == 2); /* CN, RU: not KR */
        CHECK(has_track(json_object_get(form, "escorts"), "track", "F1"));
        CHECK(has_track(json_object_get(form, "escorts"), "track", "J2"));
        CHECK(!has_track(json_object_get(form, "members"), "track", "K1"));
        json_t *sh = json_object_get(form, "shadowed_by");
        CHECK(json_array_size(sh) == 1 && has_track(sh, "track", "K1"));
        /* The J-16s join where they meet the bombers, not when their pair formed. */
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(form, "members"), k, m) {
            const char *id = json_string_value(json_object_get(m, "track"));
            double jt = NAN;
            const char *iso = json_string_value(json_object_get(m, "joined"));
            aw_parse_time(iso, strlen(iso), &jt);
            CHECK_NEAR(jt, T0 + 3600 + (id[0] == 'J' ? 900 : 0), 60);
        }
        CHECK_NEAR((double)json_integer_value(json_object_get(form, "duration_s")), 2400, 60);
        CHECK(json_array_size(json_object_get(form, "straits")) == 0);
    }
    if (mpair) {
        CHECK(json_is_false(json_object_get(mpair, "joint")));
        CHECK(json_is_false(json_object_get(mpair, "escorted")));
        json_t *st = json_object_get(mpair, "straits");
        CHECK(json_array_size(st) == 1);
        json_t *s0 = json_array_get(st, 0);
        CHECK_STR(json_string_value(json_object_get(s0, "strait")), "Miyako Strait");
        CHECK_STR(json_string_value(json_object_get(s0, "heading")), "SE");
        CHECK(json_array_size(json_object_get(s0, "tracks")) == 2);
    }
    free_all(g, ng);

    json_t *e[16];
    int ne = find(pa, "escort", NULL, e, 16);
    CHECK(ne == 4); /* Su-35S x2, J-16 x2; not the F-15K */
    for (int i = 0; i < ne; i++) {
        const char *type = json_string_value(json_object_get(e[i], "aircraft_type"));
        CHECK(type && (strcmp(type, "Su-35S") == 0 || strcmp(type, "J-16") == 0));
        CHECK(has_track(json_object_get(e[i], "bombers"), "track", "B1") ||
              has_track(json_object_get(e[i], "bombers"), "track", "B2"));
    }
    free_all(e, ne);

    ne = find(pa, "strait", NULL, e, 16);
    CHECK(ne == 2); /* M1 and M2; N1, N2 stay north-west of the gate */
    for (int i = 0; i < ne; i++)
        CHECK(strncmp(json_string_value(json_object_get(e[i], "track")), "M", 1) == 0);
    free_all(e, ne);

    /* Take-off and landing. */
    ne = find(pa, "takeoff", NULL, e, 16);
    CHECK(ne == 1);
    if (ne == 1) {
        CHECK_STR(json_string_value(json_object_get(e[0], "track")), "R1");
        CHECK_STR(json_string_value(json_object_get(e[0], "field")), "UHBU");
        CHECK_STR(json_string_value(json_object_get(e[0], "field_country")), "RU");
    }
    free_all(e, ne);
    ne = find(pa, "landing", NULL, e, 16);
    CHECK(ne == 2); /* R1 at Jiaxing, C1 at Rugao; not A1 */
    for (int i = 0; i < ne; i++) {
        const char *t = json_string_value(json_object_get(e[i], "track"));
        if (strcmp(t, "R1") == 0) {
            CHECK_STR(json_string_value(json_object_get(e[i], "field")), "CN-0154");
            CHECK(json_is_true(json_object_get(e[i], "landed_abroad")));
        } else {
            CHECK_STR(t, "C1");
            CHECK_STR(json_string_value(json_object_get(e[i], "field")), "ZSRG");
            CHECK(json_is_false(json_object_get(e[i], "landed_abroad")));
        }
    }
    free_all(e, ne);
    ne = find(pa, "mission", "R1", e, 16);
    CHECK(ne == 1); /* one sortie across the radar gap */
    if (ne == 1) {
        CHECK_STR(json_string_value(json_object_get(e[0], "from")), "UHBU");
        CHECK_STR(json_string_value(json_object_get(e[0], "to")), "CN-0154");
        CHECK_NEAR((double)json_integer_value(json_object_get(e[0], "duration_s")), 6 * 3600 + 1200,
                   1);
    }
    free_all(e, ne);
    ne = find(pa, "mission", "A1", e, 16);
    CHECK(ne == 1);
    if (ne == 1) {
        CHECK_STR(json_string_value(json_object_get(e[0], "start_by")), "first_seen");
        CHECK_STR(json_string_value(json_object_get(e[0], "end_by")), "last_seen");
    }
    free_all(e, ne);

    /* Default options skip civil tracks: no mission for the airliner. */
    aw_patrol_defaults(&o);
    aw_patrol *pb = aw_patrol_analyse(tr.p, tr.n, db, &o, err, sizeof err);
    CHECK(pb && find(pb, "mission", "A1", e, 16) == 0);
    ne = pb ? find(pb, "mission", "R1", e, 16) : 0;
    CHECK(ne == 1);
    free_all(e, ne);
    aw_patrol_free(pb);

    /* Records are idempotent in the store: a second pass adds nothing. */
    char dir[] = "/tmp/test_patrol_XXXXXX", path[300];
    if (mkdtemp(dir)) {
        snprintf(path, sizeof path, "%s/p.db", dir);
        aw_store *s = aw_store_open(path, err, sizeof err);
        CHECK(s != NULL);
        int added[2] = {0, 0};
        for (int pass = 0; s && pass < 2; pass++)
            for (size_t i = 0; i < aw_patrol_event_count(pa); i++) {
                aw_record r = aw_patrol_event_record(aw_patrol_event_at(pa, i));
                int rc = aw_store_add_record(s, &r, err, sizeof err);
                CHECK(rc >= 0);
                added[pass] += rc > 0;
            }
        CHECK(added[0] == (int)aw_patrol_event_count(pa));
        CHECK(added[1] == 0);
        if (s)
            aw_store_close(s);
        unlink(path);
        char wal[320];
        snprintf(wal, sizeof wal, "%s-wal", path);
        unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", path);
        unlink(wal);
        rmdir(dir);
    }

    /* The report section renders the groups. */
    const char *gj[16];
    size_t ngj = 0;
    for (size_t i = 0; i < aw_patrol_event_count(pa) && ngj < 16; i++)
        if (strcmp(aw_patrol_event_at(pa, i)->type, "group") == 0)
            gj[ngj++] = aw_patrol_event_at(pa, i)->json;
    char *mdbuf = NULL, *jbuf = NULL;
    size_t mdlen = 0, jlen = 0;
    FILE *md = open_memstream(&mdbuf, &mdlen), *js = open_memstream(&jbuf, &jlen);
    fputs("{\"x\":1", js);
    CHECK(aw_patrol_report(gj, ngj, 9 * 3600, md, js) == (int)ngj);
    fputs("}", js);
    fclose(md);
    fclose(js);
    if (getenv("PATROL_SHOW"))
        fputs(mdbuf, stdout);
    CHECK(mdbuf && strstr(mdbuf, "## Patrols"));
    CHECK(mdbuf && strstr(mdbuf, "**Joint**: CN + RU"));
    CHECK(mdbuf && strstr(mdbuf, "**escorted** by Su-35S \u00d72"));
    CHECK(mdbuf && strstr(mdbuf, "Miyako Strait"));
    CHECK(mdbuf && strstr(mdbuf, "Shadowed by") && strstr(mdbuf, "K1 F-15K (KR)"));
    json_t *rep = jbuf ? json_loads(jbuf, 0, NULL) : NULL;
    CHECK(rep && json_array_size(json_object_get(rep, "patrols")) == ngj);
    json_decref(rep);
    free(mdbuf);
    free(jbuf);

    aw_patrol_free(pa);
    aw_aircraft_db_free(db);
    if (dbpath)
        unlink(dbpath);
    return check_done("patrol");
}
