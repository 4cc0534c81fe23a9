/* test_zones.c -- loading, validation, point-in-zone, boundary distance. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/zones.h"
#include "check.h"

static aw_zone_set *load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    return aw_zones_load_file(path, NULL, NULL);
}

static void test_basic_containment(void)
{
    aw_zone_set *zs = load("zones_basic.geojson");
    CHECK(zs != NULL);
    if (!zs)
        return;
    CHECK(aw_zones_count(zs) == 5);
    int sq = aw_zones_find(zs, "square"), band = aw_zones_find(zs, "banded");
    int dl = aw_zones_find(zs, "dateline"), ring = aw_zones_find(zs, "ring");
    int parts = aw_zones_find(zs, "parts");
    CHECK(sq >= 0 && band >= 0 && dl >= 0 && ring >= 0 && parts >= 0);
    CHECK(aw_zones_find(zs, "nope") == -1);
    CHECK_STR(aw_zones_info(zs, sq)->name, "Equator square");
    CHECK(aw_zones_info(zs, sq)->edges == AW_EDGE_GEODESIC);
    CHECK(aw_zones_info(zs, band)->edges == AW_EDGE_PLANAR);

    CHECK(aw_zone_contains(zs, sq, 0, 0.5, NAN));
    CHECK(!aw_zone_contains(zs, sq, 0, -0.01, NAN));
    CHECK(aw_zone_contains(zs, sq, 0, 0.0, NAN));     /* boundary included */
    CHECK(aw_zone_contains(zs, sq, 0, 1.0, NAN));
    CHECK(aw_zone_contains(zs, sq, -0.5, 0.25, NAN)); /* on the south edge's vertex line */

    /* Band: floor and ceiling included, unknown altitude inside. */
    CHECK(aw_zone_contains(zs, band, 0, 2.5, 10000));
    CHECK(aw_zone_contains(zs, band, 0, 2.5, 20000));
    CHECK(!aw_zone_contains(zs, band, 0, 2.5, 20000.1));
    CHECK(!aw_zone_contains(zs, band, 0, 2.5, 9999.9));
    CHECK(aw_zone_contains(zs, band, 0, 2.5, NAN));
    CHECK(aw_zone_contains_2d(zs, band, 0, 2.5));

    /* Antimeridian: the zone runs 179..181, points come as -180..180. */
    CHECK(aw_zone_contains(zs, dl, 0, 179.5, NAN));
    CHECK(aw_zone_contains(zs, dl, 0, -179.5, NAN));
    CHECK(aw_zone_contains(zs, dl, 0.5, 180.0, NAN));
    CHECK(!aw_zone_contains(zs, dl, 0, -178.9, NAN));
    CHECK(!aw_zone_contains(zs, dl, 0, 178.9, NAN));

    /* Hole: inside the hole is outside, its edge is the zone's boundary (inside). */
    CHECK(aw_zone_contains(zs, ring, 0, 10.25, NAN));
    CHECK(!aw_zone_contains(zs, ring, 0, 11.0, NAN));
    CHECK(aw_zone_contains(zs, ring, 0, 10.5, NAN));

    /* MultiPolygon: both parts, not the gap between. */
    CHECK(aw_zone_contains(zs, parts, 0, 20.25, NAN));
    CHECK(aw_zone_contains(zs, parts, 0, 21.25, NAN));
    CHECK(!aw_zone_contains(zs, parts, 0, 20.75, NAN));

    /* Distance to the boundary: 0.5 deg of longitude on the equator to the east and
     * west edges; the north and south edges (geodesics bulging poleward by 2.1 m at
     * lon 0.5) are nearer: 55287.2 m of meridian plus the bulge. */
    CHECK_NEAR(aw_zone_boundary_distance(zs, sq, 0, 0.5), 55289.27, 0.5);
    CHECK_NEAR(aw_zone_boundary_distance(zs, sq, 0, 0.05), 5565.97, 0.5);
    CHECK_NEAR(aw_zone_boundary_distance(zs, sq, 0, -0.1), 11131.95, 0.5); /* outside */
    CHECK_NEAR(aw_zone_boundary_distance(zs, ring, 0, 11.0), 55289.26, 0.5); /* to the hole */
    aw_zones_free(zs);
}

/* The same vertices, three edge kinds: 60 N as a parallel (planar, rhumb) or a geodesic
 * that bulges north to 60.379 N at lon 10. */
static void test_edge_kinds(void)
{
    static const char fmt[] =
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"z\",\"edges\":\"%s\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[0,50],[20,50],[20,60],[0,60],[0,50]]]}}";
    const char *kinds[] = {"geodesic", "rhumb", "planar"};
    bool inside[3];
    for (int k = 0; k < 3; k++) {
        char json[512];
        snprintf(json, sizeof json, fmt, kinds[k]);
        aw_zone_set *zs = aw_zones_load_string(json, strlen(json), NULL, NULL);
        CHECK(zs != NULL);
        if (!zs)
            return;
        inside[k] = aw_zone_contains(zs, 0, 60.2, 10, NAN);
        CHECK(aw_zone_contains(zs, 0, 60.0, 10, NAN)); /* on the parallel: inside all */
        if (k == 0) {
            CHECK(aw_zone_contains(zs, 0, 60.378, 10, NAN));
            CHECK(!aw_zone_contains(zs, 0, 60.381, 10, NAN));
        }
        aw_zones_free(zs);
    }
    CHECK(inside[0]);
    CHECK(!inside[1]);
    CHECK(!inside[2]);
}

typedef struct problems {
    int count;
    int features[32];
    char text[4096];
} problems;

static void collect(int feature, const char *id, const char *message, void *user)
{
    problems *p = user;
    if (p->count < 32)
        p->features[p->count] = feature;
    p->count++;
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof p->text - len, "%d|%s|%s\n", feature, id ? id : "-", message);
}

static void test_validation(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/zones_bad.geojson", FIXTURES);
    problems p = {0};
    aw_zone_set *zs = aw_zones_load_file(path, collect, &p);
    CHECK(zs == NULL);
    CHECK(p.count == 9);
    CHECK(strstr(p.text, "0|open|ring 0 is not closed") != NULL);
    CHECK(strstr(p.text, "1|short|ring 0 has 3 positions") != NULL);
    CHECK(strstr(p.text, "2|bowtie|self-intersection") != NULL);
    CHECK(strstr(p.text, "3|faraway|ring 0 position 2 [1, 95] is out of range") != NULL);
    CHECK(strstr(p.text, "4|-|missing id") != NULL);
    CHECK(strstr(p.text, "5|open|duplicate id: feature 0") != NULL);
    CHECK(strstr(p.text, "6|upside|edges must be") != NULL);
    CHECK(strstr(p.text, "6|upside|floor_ft 30000 is above ceiling_ft 1000") != NULL);
    CHECK(strstr(p.text, "7|line|geometry must be a Polygon or MultiPolygon, not LineString") != NULL);

    problems q = {0};
    CHECK(aw_zones_load_string("{\"type\":", 9, collect, &q) == NULL);
    CHECK(q.count == 1 && q.features[0] == -1 && strstr(q.text, "not valid JSON") != NULL);

    problems r = {0};
    const char *empty = "{\"type\":\"FeatureCollection\",\"features\":[]}";
    CHECK(aw_zones_load_string(empty, strlen(empty), collect, &r) == NULL);
    CHECK(r.count == 1 && strstr(r.text, "no zones") != NULL);

    /* A hole touching its outer ring at one point is allowed (OGC); crossing is not. */
    const char *touch = "{\"type\":\"Feature\",\"properties\":{\"id\":\"t\",\"edges\":\"planar\"},"
                        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                        "[[0,0],[4,0],[4,4],[0,4],[0,0]],[[0,2],[1,1],[2,2],[1,3],[0,2]]]}}";
    problems t = {0};
    aw_zone_set *ok = aw_zones_load_string(touch, strlen(touch), collect, &t);
    CHECK(ok != NULL && t.count == 0);
    aw_zones_free(ok);
    const char *cross = "{\"type\":\"Feature\",\"properties\":{\"id\":\"c\",\"edges\":\"planar\"},"
                        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                        "[[0,0],[4,0],[4,4],[0,4],[0,0]],[[-1,2],[1,1],[2,2],[1,3],[-1,2]]]}}";
    problems c = {0};
    CHECK(aw_zones_load_string(cross, strlen(cross), collect, &c) == NULL);
    CHECK(c.count >= 1 && strstr(c.text, "ring 0 edge 3 crosses ring 1") != NULL);
}

/* The memory guard (ADIZWATCH_ZONES_MAX_MB) refuses a set whose index would pass it,
 * saying so, before anything is built; a limit the set fits in, or 0, lets it load. */
static void guard_problem(int feature, const char *id, const char *message, void *user)
{
    (void)feature;
    (void)id;
    if (strstr(message, "too large to load") && strstr(message, "ADIZWATCH_ZONES_MAX_MB"))
        (*(int *)user)++;
}

static void test_memory_guard(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/zones_basic.geojson", FIXTURES);
    int refused = 0;
    setenv("ADIZWATCH_ZONES_MAX_MB", "1", 1);
    CHECK(aw_zones_load_file(path, guard_problem, &refused) == NULL);
    CHECK(refused == 1);
    setenv("ADIZWATCH_ZONES_MAX_MB", "0", 1);
    aw_zone_set *zs = aw_zones_load_file(path, guard_problem, &refused);
    CHECK(zs != NULL && refused == 1);
    aw_zones_free(zs);
    setenv("ADIZWATCH_ZONES_MAX_MB", "4096", 1);
    zs = aw_zones_load_file(path, guard_problem, &refused);
    CHECK(zs != NULL && refused == 1);
    aw_zones_free(zs);
    unsetenv("ADIZWATCH_ZONES_MAX_MB");
}

int main(void)
{
    test_basic_containment();
    test_edge_kinds();
    test_validation();
    test_memory_guard();
    return check_done("zones");
}
