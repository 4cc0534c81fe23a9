/* test_zone_index.c -- the grid index answers exactly as the exact test, point for point.
 *
 * A million points: uniform over the zones' extent, and placed on and beside edges,
 * on vertices, inside holes and across the antimeridian -- where an index built on
 * cells would go wrong first. aw_zones_at_many must answer the same points alike. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "adizwatch/theater.h"
#include "case_zones.h"
#include "check.h"
#include "random.h"
#include "zones/zone.h"


static long mismatches;

/* Every point compared is kept, to be asked again through aw_zones_at_many. */
static double *kept_lat, *kept_lon;
static size_t nkept, kept_cap;

static void keep(double lat, double lon)
{
    if (nkept == kept_cap) {
        kept_cap = kept_cap ? 2 * kept_cap : 1 << 16;
        kept_lat = realloc(kept_lat, kept_cap * sizeof *kept_lat);
        kept_lon = realloc(kept_lon, kept_cap * sizeof *kept_lon);
    }
    kept_lat[nkept] = lat;
    kept_lon[nkept++] = lon;
}

/* aw_zones_at_many answers each kept point as aw_zones_at does (checked against the
 * exact test point by point), with room for only a few zones at a time, so that calls
 * stop short and resume; then forgets the points. */
static void compare_many(const aw_zone_set *zs, size_t cap)
{
    uint32_t *count = malloc(nkept * sizeof *count);
    int *zones = malloc(cap * sizeof *zones);
    long wrong = 0, calls = 0;
    for (size_t i = 0; i < nkept;) {
        size_t got = aw_zones_at_many(zs, nkept - i, kept_lat + i, kept_lon + i, count + i, zones, cap);
        calls++;
        if (got == 0) { /* a point with more zones than cap: cannot be */
            wrong++;
            break;
        }
        size_t k = 0;
        for (size_t j = i; j < i + got; j++) {
            int one[64], n = aw_zones_at(zs, kept_lat[j], kept_lon[j], one, 64);
            bool same = n == (int)count[j];
            for (int q = 0; same && q < n; q++)
                same = one[q] == zones[k + (size_t)q];
            k += count[j];
            if (!same && wrong++ < 5)
                fprintf(stderr, "many (%.12f, %.12f): %u zones, one at a time %d\n", kept_lat[j],
                        kept_lon[j], count[j], n);
        }
        i += got;
    }
    printf("%zu points through aw_zones_at_many in %ld calls (room for %zu zones)\n", nkept, calls, cap);
    CHECK(wrong == 0);
    CHECK(calls > 1);
    free(count);
    free(zones);
    nkept = 0;
}

static void compare(const aw_zone_set *zs, double lat, double lon)
{
    keep(lat, lon);
    int got[64], n = aw_zone_index_query(zs, lat, lon, got, 64);
    bool in_index[64] = {false};
    for (int i = 0; i < n && i < 64; i++)
        in_index[got[i]] = true;
    int expected = 0;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        bool exact = aw_zone_contains_2d(zs, z, lat, lon);
        expected += exact;
        if (exact != in_index[z] && mismatches++ < 10)
            fprintf(stderr, "zone %s at (%.12f, %.12f): exact %d, index %d\n",
                    aw_zones_info(zs, z)->id, lat, lon, exact, in_index[z]);
        if (aw_zone_index_holds(zs, z, lat, lon) != exact && mismatches++ < 10) /* one zone's answer */
            fprintf(stderr, "zone %s at (%.12f, %.12f): exact %d, aw_zone_index_holds %d\n",
                    aw_zones_info(zs, z)->id, lat, lon, exact, !exact);
    }
    if (n != expected && mismatches++ < 10)
        fprintf(stderr, "(%.12f, %.12f): index lists %d zones, exact %d\n", lat, lon, n, expected);
}

static void on_and_near_chords(const aw_zone_set *zs, long count)
{
    for (long i = 0; i < count; i++) {
        const aw_zone *z = &zs->zones[(int)(uniform() * zs->n)];
        const aw_polygon *p = &z->polys[(int)(uniform() * z->npolys)];
        const aw_ring *r = &p->rings[(int)(uniform() * p->nrings)];
        int k = (int)(uniform() * r->n);
        double t = i % 5 == 0 ? 0 : uniform(); /* every fifth on a vertex */
        double lat = r->lat[k] + t * (r->lat[k + 1] - r->lat[k]);
        double lon = r->lon[k] + t * (r->lon[k + 1] - r->lon[k]);
        static const double offsets[] = {0, 1e-12, 1e-10, 1e-9, 2e-9, 1e-8, 1e-6, 1e-4};
        double d = offsets[i % 8] * (uniform() < 0.5 ? -1 : 1);
        double a = uniform() * 6.283185307179586;
        lat += d * sin(a);
        lon += d * cos(a);
        if (lon > 180)
            lon -= 360; /* queries come in -180..180, zones may run past */
        compare(zs, fmax(-90, fmin(90, lat)), lon);
    }
}

/* A segment the index calls clear (no zone listed near it) crosses no boundary: every zone holds all along it
 * or nowhere on it (tried at 33 points); and a zone that does not hold all along it
 * is among those aw_zone_index_segment_zones lists. Segments start on or near chords. */
static void segments(const aw_zone_set *zs, long count)
{
    long clear = 0, wrong = 0, listed = 0, missed = 0;
    for (long i = 0; i < count; i++) {
        const aw_zone *z = &zs->zones[(int)(uniform() * zs->n)];
        const aw_ring *r = &z->polys[(int)(uniform() * z->npolys)].rings[0];
        int k = (int)(uniform() * r->n);
        double lat_a = r->lat[k] + 0.1 * (uniform() - 0.5), lon_a = r->lon[k] + 0.1 * (uniform() - 0.5);
        double len = 50000 * uniform() * uniform(), az = 6.283185307179586 * uniform();
        double lat_b = lat_a + len * cos(az) / 111000, lon_b = lon_a + len * sin(az) / 111000 / cos(lat_a * AW_DEG);
        lon_a -= lon_a > 180 ? 360 : 0;
        lon_b -= lon_b > 180 ? 360 : 0;
        /* The zones whose boundaries the index finds near a segment include every zone
         * the segment crosses. */
        int near[1024];
        int nn = aw_zone_index_segment_zones(zs, lat_a, lon_a, lat_b, lon_b, 1.02 * len + 1, near, 1024);
        listed += nn >= 0;
        for (int zz = 0; zz < zs->n && nn >= 0; zz++) {
            bool first = aw_zone_contains_2d(zs, zz, lat_a, lon_a), crossed = false;
            for (int q = 1; q <= 32 && !crossed; q++) {
                double t = q / 32.0;
                crossed = aw_zone_contains_2d(zs, zz, lat_a + t * (lat_b - lat_a), lon_a + t * (lon_b - lon_a)) != first;
            }
            bool found = false;
            for (int m = 0; m < nn; m++)
                found |= near[m] == zz;
            if (crossed && !found && missed++ < 5)
                fprintf(stderr, "segment (%.9f, %.9f)-(%.9f, %.9f) crosses zone %d, not listed near it\n",
                        lat_a, lon_a, lat_b, lon_b, zz);
        }
        if (nn != 0) /* no zone's boundary near: clear, as the engine takes it */
            continue;
        clear++;
        for (int zz = 0; zz < zs->n; zz++) {
            bool first = aw_zone_contains_2d(zs, zz, lat_a, lon_a);
            for (int q = 1; q <= 32; q++) {
                double t = q / 32.0;
                if (aw_zone_contains_2d(zs, zz, lat_a + t * (lat_b - lat_a), lon_a + t * (lon_b - lon_a)) != first) {
                    if (wrong++ < 5)
                        fprintf(stderr, "clear segment (%.9f, %.9f)-(%.9f, %.9f) crosses zone %d\n",
                                lat_a, lon_a, lat_b, lon_b, zz);
                    break;
                }
            }
        }
    }
    printf("%ld of %ld segments near boundaries clear, %ld with their zones listed\n", clear, count,
           listed);
    CHECK(wrong == 0);
    CHECK(missed == 0);
    CHECK(listed > count / 2);
    CHECK(clear > count / 20);
}

/* Jagged stars (a random radius at each of 50 to 300 sorted bearings, geodesic edges,
 * 10 to 60 km), 48 of them overlapping in a box of 5 degrees: thousands of boundary cells
 * and sub-grids with several zones' spikes in each, whose states the builder carries
 * from cell to cell and sub-cell to sub-cell (bench/gen_zones.c draws the benchmark's
 * 1,000 the same way). */
static aw_zone_set *random_stars(void)
{
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    double bearing[300];
    len += (size_t)snprintf(text + len, cap - len, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int z = 0; z < 48; z++) {
        int nv = 50 + (int)(251 * uniform());
        double clat = 35 + 5 * uniform(), clon = 130 + 5 * uniform(), r = 10 + 50 * uniform();
        for (int i = 0; i < nv; i++)
            bearing[i] = 2 * M_PI * (i + 0.1 + 0.8 * uniform()) / nv;
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"S%d\"},"
                                "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[",
                                z ? "," : "", z);
        char first[64] = "";
        for (int i = 0; i < nv; i++) {
            double b = bearing[i], d = r * (0.5 + 0.5 * uniform()) / 6371.0;
            double la1 = clat * M_PI / 180, la2 = asin(sin(la1) * cos(d) + cos(la1) * sin(d) * cos(b));
            double lo2 = clon * M_PI / 180 + atan2(sin(b) * sin(d) * cos(la1), cos(d) - sin(la1) * sin(la2));
            char pos[64];
            snprintf(pos, sizeof pos, "[%.6f,%.6f]", lo2 * 180 / M_PI, la2 * 180 / M_PI);
            if (i == 0)
                snprintf(first, sizeof first, "%s", pos);
            len += (size_t)snprintf(text + len, cap - len, "%s%s", i ? "," : "", pos);
        }
        len += (size_t)snprintf(text + len, cap - len, ",%s", first); /* closed */
        len += (size_t)snprintf(text + len, cap - len, "]]}}");
    }
    len += (size_t)snprintf(text + len, cap - len, "]}");
    CHECK(len < cap);
    aw_zone_set *zs = aw_zones_load_string(text, len, NULL, NULL);
    free(text);
    return zs;
}

/* --shared: the same comparisons on the reference cases' zones. */
static int shared_cases(void)
{
    need_case_zones();
    for (int c = 0; c < CASE_COUNT; c++) {
        aw_zone_set *zs = load_case_zones(case_names[c]);
        if (!zs)
            continue;
        const aw_zone_info *first = aw_zones_info(zs, 0);
        double lat0 = first->min_lat, lat1 = first->max_lat, lon0 = first->min_lon, lon1 = first->max_lon;
        for (int z = 1; z < aw_zones_count(zs); z++) {
            const aw_zone_info *zi = aw_zones_info(zs, z);
            lat0 = fmin(lat0, zi->min_lat);
            lat1 = fmax(lat1, zi->max_lat);
            lon0 = fmin(lon0, zi->min_lon);
            lon1 = fmax(lon1, zi->max_lon);
        }
        for (long i = 0; i < 200000; i++) {
            double lon = lon0 + (lon1 - lon0) * uniform();
            compare(zs, lat0 + (lat1 - lat0) * uniform(), lon > 180 ? lon - 360 : lon);
        }
        on_and_near_chords(zs, 100000);
        compare_many(zs, 7);
        segments(zs, 20000);
        aw_zones_free(zs);
    }
    CHECK(mismatches == 0);
    free(kept_lat);
    free(kept_lon);
    return check_done("zone_index_shared");
}

int main(int argc, char **argv)
{
    if (shared_wanted(argc, argv))
        return shared_cases();
    char path[512];
    snprintf(path, sizeof path, "%s/zones_basic.geojson", FIXTURES);
    aw_zone_set *zs = aw_zones_load_file(path, NULL, NULL);
    CHECK(zs != NULL);
    if (!zs)
        return check_done("zone_index");
    /* Uniform over a box a little larger than the zones (antimeridian zone included). */
    for (long i = 0; i < 600000; i++) {
        double lat = -1.5 + 3 * uniform(), lon = -1 + 24 * uniform();
        if (i % 3 == 0)
            lon = 177 + 6 * uniform() - (i % 2 ? 360 : 0) * (uniform() < 0.5);
        if (lon > 180)
            lon -= 360;
        compare(zs, lat, lon);
    }
    on_and_near_chords(zs, 400000);
    CHECK(mismatches == 0);
    compare_many(zs, 100000);
    segments(zs, 20000);

    /* Clearance is a true lower bound: never more than the distance to a boundary. */
    long bad = 0;
    for (int i = 0; i < 20000; i++) {
        double lat = -1.5 + 3 * uniform(), lon = -1 + 24 * uniform();
        double clear = aw_zone_index_clearance(zs, lat, lon);
        double nearest = INFINITY;
        for (int z = 0; z < aw_zones_count(zs); z++)
            nearest = fmin(nearest, aw_zone_boundary_distance(zs, z, lat, lon));
        bad += clear > nearest;
    }
    CHECK(bad == 0);
    CHECK(aw_zone_index_clearance(zs, 0, 0.5) > 10000); /* deep inside the square */
    CHECK(aw_zone_index_clearance(zs, 0, 0.0) == 0);     /* on its edge */
    CHECK(aw_zone_index_clearance(zs, 5, 5) > 0.99 * 3.5 * 110574); /* north of everything */
    aw_zones_free(zs);

    /* The built-in East Asia set: a grid within -180..180, where aw_zones_at_many takes
     * its fast path (the fixtures' grid runs past 180). */
    zs = aw_theater_load("east-asia", NULL, NULL);
    CHECK(zs != NULL);
    if (zs) { /* every boundary cell is cut into a sub-grid: the points below go through them */
        aw_zone_index_stats st;
        aw_zone_index_get_stats(zs, &st);
        printf("east-asia: %ld cells, %ld boundary cells, %ld sub-grids\n", st.cells, st.boundary_cells, st.sub_grids);
        CHECK(st.boundary_cells > 1000 && st.sub_grids == st.boundary_cells);
    }
    for (long i = 0; zs && i < 300000; i++)
        compare(zs, 20 + 28 * uniform(), 115 + 35 * uniform());
    if (zs) {
        on_and_near_chords(zs, 100000);
        compare_many(zs, 1000);
        segments(zs, 20000);
        aw_zones_free(zs);
    }
    CHECK(mismatches == 0);

    zs = random_stars();
    CHECK(zs != NULL);
    if (zs) {
        aw_zone_index_stats st;
        aw_zone_index_get_stats(zs, &st);
        printf("random stars: %ld boundary cells, %ld sub-grids, %ld chords filed\n", st.boundary_cells,
               st.sub_grids, st.filed_chords);
        CHECK(st.sub_grids > 1000);
        for (long i = 0; i < 300000; i++)
            compare(zs, 34.5 + 6 * uniform(), 129.5 + 6 * uniform());
        on_and_near_chords(zs, 300000);
        compare_many(zs, 16);
        aw_zones_free(zs);
    }
    CHECK(mismatches == 0);
    free(kept_lat);
    free(kept_lon);
    return check_done("zone_index");
}
