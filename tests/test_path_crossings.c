/* test_path_crossings.c -- the path crossings of a short segment from the index's
 * records near it (aw_zone_index_path_crossings) are those of the rings' latitude-bin
 * search (aw_zone_path_crossings), bit for bit, each value once: on jagged stars (as
 * bench/gen_zones.c draws them), stars with holes, zones across the antimeridian, the
 * three edge kinds, and paths of every length from metres to degrees -- random ones,
 * ones from or through the rings' own vertices, and ones along a parallel or a meridian
 * through a vertex. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "random.h"
#include "zones/zone.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long paths, crossings, mismatches, short_paths;

/* Sorted, each value once (a chord filed in several index cells gives its crossing once
 * for each: the same number, which the engine's sort merges). */
static void sort_unique(aw_params *p)
{
    qsort(p->v, (size_t)p->n, sizeof *p->v, cmp_double);
    int n = 0;
    for (int i = 0; i < p->n; i++)
        if (n == 0 || p->v[i] != p->v[n - 1])
            p->v[n++] = p->v[i];
    p->n = n;
}

/* Both searches on the path from a to b through every zone of the set. */
static void compare(const aw_zone_set *zs, double lat_a, double lon_a, double lat_b, double lon_b)
{
    aw_path path;
    aw_path_init(&path);
    CHECK(aw_path_build(&path, lat_a, lon_a, lat_b, lon_b) == 0);
    aw_params got = {0}, want = {0};
    /* A short segment, as the engine's flown_bound gives its length. */
    double flown = path.length_m * (1 + 1e-9) + 1e-3;
    if (!(fabs(lon_b - lon_a) < 1 && fabs(lat_a) < 85 && fabs(lat_b) < 85 && flown < 50000))
        flown = INFINITY; /* the index cannot tell: the bins answer, which the test checks too */
    else
        short_paths++;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        got.n = want.n = 0;
        CHECK(aw_zone_index_path_crossings(zs, z, &path, lat_a, lon_a, lat_b, lon_b, flown, &got) == 0);
        CHECK(aw_zone_path_crossings(zs, z, &path, &want) == 0);
        sort_unique(&got);
        sort_unique(&want);
        if (got.n != want.n || (got.n > 0 && memcmp(got.v, want.v, (size_t)got.n * sizeof *got.v) != 0)) {
            if (mismatches++ < 5)
                fprintf(stderr, "zone %d, path (%.9f, %.9f) -> (%.9f, %.9f): %d crossings in the index, %d\n",
                        z, lat_a, lon_a, lat_b, lon_b, got.n, want.n);
        }
        crossings += want.n;
    }
    paths++;
    aw_params_free(&got);
    aw_params_free(&want);
    aw_path_free(&path);
}

/* A ring of n vertices around (clon, clat) as GeoJSON, appended to buf: a star (sorted
 * bearings, radii in [r0, r1] degrees), its longitudes unrolled past 180 if need be. */
static void ring_json(char *buf, size_t cap, int n, double clon, double clat, double r0, double r1,
                      bool reverse)
{
    size_t len = strlen(buf);
    len += (size_t)snprintf(buf + len, cap - len, "[");
    double first[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        int k = reverse ? n - 1 - i : i;
        double b = 2 * M_PI * (k + 0.1 + 0.8 * uniform()) / n, d = r0 + (r1 - r0) * uniform();
        double lon = clon + d * cos(b) / cos(clat * M_PI / 180), lat = clat + d * sin(b);
        if (i == 0)
            first[0] = lon, first[1] = lat;
        len += (size_t)snprintf(buf + len, cap - len, "[%.9f,%.9f],", lon, lat);
    }
    snprintf(buf + len, cap - len, "[%.9f,%.9f]]", first[0], first[1]);
}

static aw_zone_set *star_set(int count, const char *edges, bool holes, bool antimeridian)
{
    size_t cap = 1 << 22;
    char *buf = malloc(cap);
    snprintf(buf, cap, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int z = 0; z < count; z++) {
        double clat = -60 + 120 * uniform(), clon = antimeridian ? 179.8 : -170 + 340 * uniform();
        double r = z % 3 == 0 ? 0.005 + 0.05 * uniform() : 0.1 + 1.5 * uniform();
        int n = 5 + (int)(uniform() * (z % 2 ? 400 : 60));
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len,
                 "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"S%d\",\"edges\":\"%s\"},"
                 "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[",
                 z ? "," : "", z, edges);
        ring_json(buf, cap, n, clon, clat, 0.5 * r, r, false);
        if (holes) {
            strcat(buf, ",");
            ring_json(buf, cap, 3 + (int)(uniform() * 30), clon, clat, 0.1 * r, 0.4 * r, true);
        }
        strcat(buf, "]}}");
    }
    strcat(buf, "]}");
    aw_zone_set *zs = aw_zones_load_string(buf, strlen(buf), NULL, NULL);
    free(buf);
    return zs;
}

static void test_set(int count, const char *edges, bool holes, bool antimeridian)
{
    aw_zone_set *zs = star_set(count, edges, holes, antimeridian);
    CHECK(zs != NULL);
    if (!zs)
        return;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        const aw_zone_info *zi = aw_zones_info(zs, z);
        const aw_ring *r = &zs->zones[z].polys[0].rings[0];
        double w = zi->max_lon - zi->min_lon, h = zi->max_lat - zi->min_lat;
        for (int k = 0; k < 60; k++) {
            /* From anywhere around the zone, metres to a few times its size. */
            double lat = zi->min_lat - 0.2 * h + 1.4 * h * uniform();
            double lon = zi->min_lon - 0.2 * w + 1.4 * w * uniform();
            double len = pow(10, -4 + 4 * uniform()) * fmax(w, h), b = 2 * M_PI * uniform();
            compare(zs, lat, lon, lat + len * sin(b), lon + len * cos(b));
            /* From a vertex, through a vertex, along its parallel and meridian. */
            int i = (int)(uniform() * r->n);
            double vlat = r->lat[i], vlon = r->lon[i];
            compare(zs, vlat, vlon, vlat + len * sin(b), vlon + len * cos(b));
            compare(zs, vlat - len * sin(b), vlon - len * cos(b), vlat + len * sin(b), vlon + len * cos(b));
            compare(zs, vlat, vlon - len, vlat, vlon + len);
            compare(zs, vlat - len, vlon, vlat + len, vlon);
        }
    }
    aw_zones_free(zs);
}

int main(void)
{
    const char *kinds[] = {"geodesic", "rhumb", "planar"};
    for (int k = 0; k < 3; k++) {
        test_set(12, kinds[k], false, false);
        test_set(8, kinds[k], true, false);
    }
    test_set(6, "geodesic", false, true);
    test_set(6, "planar", true, true);
    fprintf(stderr, "%ld paths (%ld short), %ld crossings, %ld differ\n", paths, short_paths, crossings,
            mismatches);
    CHECK(mismatches == 0);
    CHECK(short_paths > paths / 2);
    CHECK(crossings > paths); /* the paths do cross the rings, many times over */
    return check_done("path_crossings");
}
