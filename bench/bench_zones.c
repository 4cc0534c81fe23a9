/* bench_zones.c -- how fast is "which zones contain this point", and what does a track cost?
 *
 * Run by ./scripts/bench, never by the test suite. Three classifiers answer for the same
 * random points in the same run -- adizwatch's zone index, GEOS prepared geometries
 * (GEOSPreparedContains_r) built from the very same densified rings, and the plain exact
 * test -- and must agree point for point, else the bench fails. Ratios, not absolute
 * figures, are what to compare across machines.
 *
 * usage: bench_zones ZONES.geojson POINTS COPIES [--spread] [--geos] [--exact] [--tracks N]
 *   COPIES > 1 loads the zones that many times, to see how cost grows with the number
 *   of zones. By default each copy is shifted a little east and north of the last, so
 *   a point lies in about COPIES times as many zones and the answers grow with them.
 *   With --spread the copies are laid side by side around the globe (see copy_offset),
 *   and each point is drawn in the box of a random copy: about as many answers a
 *   point as with one copy, however many copies. */
#include <geos_c.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "adizwatch/engine.h"
#include "zones/zone.h"

/* The East Asia box the points are drawn from. */
#define BOX_LAT0 20.0
#define BOX_LAT1 48.0
#define BOX_LON0 115.0
#define BOX_LON1 150.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double uniform(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* An order-free signature of a set of zone indices. */
static uint64_t mix(int z)
{
    uint64_t x = (uint64_t)z * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
    x ^= x >> 31;
    return x * 0xbf58476d1ce4e5b9ull;
}

/* Shift every position of a GeoJSON coordinates array by (dlon, dlat). */
static void shift_coords(json_t *c, double dlon, double dlat)
{
    if (json_is_array(c) && json_array_size(c) >= 2 && json_is_number(json_array_get(c, 0))) {
        json_array_set_new(c, 0, json_real(json_number_value(json_array_get(c, 0)) + dlon));
        json_array_set_new(c, 1, json_real(json_number_value(json_array_get(c, 1)) + dlat));
        return;
    }
    for (size_t i = 0; json_is_array(c) && i < json_array_size(c); i++)
        shift_coords(json_array_get(c, i), dlon, dlat);
}

/* Where copy k goes, spread: rows of 9 copies 36 degrees apart (westward, so that every
 * longitude stays within -360..360 and the whole set within one turn), rows 28 degrees
 * apart; copies 45.. repeat the pattern shifted by half a step (they overlap the first
 * 45, a point then lies in about two copies), copies 90.. by a quarter. */
static void copy_offset(int k, bool spread, double *dlon, double *dlat)
{
    if (!spread) {
        *dlon = 0.25 * k;
        *dlat = 0.15 * k;
        return;
    }
    static const double row_lat[] = {0, -28, 28, -56, -84};
    int layer = k / 45, i = k % 45;
    *dlon = -36.0 * (i % 9) - (layer == 1 ? 18 : layer == 2 ? 9 : 0);
    *dlat = row_lat[i / 9] + (layer == 1 ? -14 : layer == 2 ? 7 : 0);
}

/* The zone file with COPIES copies of its features, copy k shifted by copy_offset and
 * its ids suffixed "#k". */
static char *replicate(const char *path, int copies, bool spread)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        return NULL;
    json_t *features = json_object_get(root, "features");
    size_t n = json_array_size(features);
    for (int k = 1; k < copies; k++)
        for (size_t i = 0; i < n; i++) {
            json_t *f = json_deep_copy(json_array_get(features, i));
            json_t *props = json_object_get(f, "properties");
            char id[128];
            snprintf(id, sizeof id, "%s#%d", json_string_value(json_object_get(props, "id")), k);
            json_object_set_new(props, "id", json_string(id));
            double dlon, dlat;
            copy_offset(k, spread, &dlon, &dlat);
            shift_coords(json_object_get(json_object_get(f, "geometry"), "coordinates"), dlon, dlat);
            json_array_append_new(features, f);
        }
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

static void no_events(const aw_event *ev, void *user)
{
    (void)ev;
    (void)user;
}

/* Bytes of engine state per tracked aircraft, with n tracks each seen once. */
static double bytes_per_track(const aw_zone_set *zs, long n)
{
    long before = rss_kib();
    aw_engine *e = aw_engine_new(zs, NULL, no_events, NULL);
    aw_report r;
    aw_report_clear(&r);
    r.has_position = true;
    r.alt_ft = 30000;
    for (long i = 0; i < n; i++) {
        snprintf(r.track, sizeof r.track, "%06lx", i);
        r.time = 1669766400.0 + (double)i * 1e-3;
        r.lat = BOX_LAT0 + (BOX_LAT1 - BOX_LAT0) * uniform();
        r.lon = BOX_LON0 + (BOX_LON1 - BOX_LON0) * uniform();
        aw_engine_feed(e, &r);
    }
    long after = rss_kib();
    aw_engine_free(e);
    return (after - before) * 1024.0 / (double)n;
}

static GEOSGeometry *ring_geos(GEOSContextHandle_t g, const aw_ring *r)
{
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(g, (unsigned)r->n + 1, 2);
    for (int i = 0; i <= r->n; i++)
        GEOSCoordSeq_setXY_r(g, seq, (unsigned)i, r->lon[i], r->lat[i]);
    return GEOSGeom_createLinearRing_r(g, seq);
}

/* Each zone as a GEOS (Multi)Polygon from the same densified rings the index uses. */
static const GEOSPreparedGeometry **geos_zones(GEOSContextHandle_t g, const aw_zone_set *zs)
{
    const GEOSPreparedGeometry **prep = calloc((size_t)zs->n, sizeof *prep);
    for (int z = 0; z < zs->n; z++) {
        const aw_zone *zone = &zs->zones[z];
        GEOSGeometry **polys = calloc((size_t)zone->npolys, sizeof *polys);
        for (int p = 0; p < zone->npolys; p++) {
            const aw_polygon *poly = &zone->polys[p];
            GEOSGeometry **holes = calloc((size_t)poly->nrings, sizeof *holes);
            for (int h = 1; h < poly->nrings; h++)
                holes[h - 1] = ring_geos(g, &poly->rings[h]);
            polys[p] = GEOSGeom_createPolygon_r(g, ring_geos(g, &poly->rings[0]), holes,
                                                (unsigned)poly->nrings - 1);
            free(holes);
        }
        GEOSGeometry *geom = GEOSGeom_createCollection_r(g, GEOS_MULTIPOLYGON, polys, (unsigned)zone->npolys);
        free(polys);
        prep[z] = GEOSPrepare_r(g, geom);
    }
    return prep;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_zones ZONES.geojson POINTS COPIES [--geos] [--exact] [--tracks N]\n");
        return 2;
    }
    long npoints = atol(argv[2]);
    int copies = atoi(argv[3]);
    bool geos = false, exact = false, spread = false;
    long ntracks = 0;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--geos") == 0)
            geos = true;
        else if (strcmp(argv[i], "--exact") == 0)
            exact = true;
        else if (strcmp(argv[i], "--spread") == 0)
            spread = true;
        else if (strcmp(argv[i], "--tracks") == 0 && i + 1 < argc)
            ntracks = atol(argv[++i]);
    }
    /* A hundred copies of a detailed set are past the zone loader's default memory guard
     * (its estimate is a cautious one); this program loads them on purpose. */
    setenv("ADIZWATCH_ZONES_MAX_MB", "0", 0);
    char *text = replicate(argv[1], copies, spread);
    if (!text) {
        fprintf(stderr, "bench_zones: cannot read %s\n", argv[1]);
        return 1;
    }
    double t0 = now();
    aw_zone_set *zs = aw_zones_load_string(text, strlen(text), NULL, NULL);
    double build_s = now() - t0;
    free(text);
    if (!zs) {
        fprintf(stderr, "bench_zones: the zones do not load (run adizwatch zones check)\n");
        return 1;
    }
    double *lat = malloc((size_t)npoints * sizeof *lat), *lon = malloc((size_t)npoints * sizeof *lon);
    uint64_t *sig = malloc((size_t)npoints * sizeof *sig);
    memset(sig, 0xff, (size_t)npoints * sizeof *sig); /* fault the pages in before timing */
    for (long i = 0; i < npoints; i++) {
        double dlon = 0, dlat = 0;
        if (spread)
            copy_offset((int)(uniform() * copies), true, &dlon, &dlat);
        lat[i] = BOX_LAT0 + dlat + (BOX_LAT1 - BOX_LAT0) * uniform();
        lon[i] = BOX_LON0 + dlon + (BOX_LON1 - BOX_LON0) * uniform();
        lon[i] += lon[i] < -180 ? 360 : 0; /* as a feed gives it */
    }
    /* The index, as an application with many points calls it: aw_zones_at_many over
     * chunks (the time covers writing every point's zones to an array); the signatures
     * are taken between the timed calls. Then one point at a time (aw_zones_at). */
    enum { CHUNK = 4096 };
    size_t zcap = (size_t)CHUNK * 64;
    int *zbuf = malloc(zcap * sizeof *zbuf);
    uint32_t counts[CHUNK];
    uint64_t answers = 0;
    double index_s = 0;
    for (long i = 0; i < npoints;) {
        size_t want = (size_t)(npoints - i) < CHUNK ? (size_t)(npoints - i) : CHUNK;
        t0 = now();
        size_t got = aw_zones_at_many(zs, want, lat + i, lon + i, counts, zbuf, zcap);
        index_s += now() - t0;
        size_t k = 0;
        for (size_t j = 0; j < got; j++) {
            uint64_t s = 0;
            for (uint32_t m = 0; m < counts[j]; m++)
                s += mix(zbuf[k++]);
            sig[i + (long)j] = s;
            answers += counts[j];
        }
        i += (long)got;
    }
    free(zbuf);
    int out[4096];
    uint64_t one_sum = 0;
    t0 = now();
    for (long i = 0; i < npoints; i++)
        one_sum += (uint64_t)aw_zones_at(zs, lat[i], lon[i], out, 4096);
    double one_s = now() - t0;
    long disagree = one_sum != answers;
    aw_zone_index_stats st;
    aw_zone_index_get_stats(zs, &st);
    printf("{\"zones\": %d, \"copies\": %d, \"points\": %ld, \"build_s\": %.4f, "
           "\"spread\": %s, \"index_s\": %.4f, \"answers\": %llu, \"cells\": %ld, \"boundary_cells\": %ld, "
           "\"filed_chords\": %ld, \"sub_grids\": %ld, \"cell_deg\": %.5f, \"one_at_a_time_s\": %.4f",
           zs->n, copies, npoints, build_s, spread ? "true" : "false", index_s, (unsigned long long)answers, st.cells,
           st.boundary_cells, st.filed_chords, st.sub_grids, st.cell_deg, one_s);
    if (exact) {
        t0 = now();
        for (long i = 0; i < npoints; i++) {
            uint64_t s = 0;
            for (int z = 0; z < zs->n; z++)
                if (aw_zone_contains_2d(zs, z, lat[i], lon[i]))
                    s += mix(z);
            disagree += s != sig[i];
        }
        printf(", \"exact_s\": %.4f", now() - t0);
    }
    if (geos) {
        GEOSContextHandle_t g = GEOS_init_r();
        const GEOSPreparedGeometry **prep = geos_zones(g, zs);
        GEOSCoordSequence *seq = GEOSCoordSeq_create_r(g, 1, 2);
        GEOSGeometry *pt = GEOSGeom_createPoint_r(g, seq);
        t0 = now();
        for (long i = 0; i < npoints; i++) {
            /* GEOS geometries are immutable: a point per query, as its users do. */
            GEOSGeom_destroy_r(g, pt);
            seq = GEOSCoordSeq_create_r(g, 1, 2);
            GEOSCoordSeq_setXY_r(g, seq, 0, lon[i], lat[i]);
            pt = GEOSGeom_createPoint_r(g, seq);
            uint64_t s = 0;
            for (int z = 0; z < zs->n; z++)
                if (GEOSPreparedContains_r(g, prep[z], pt) == 1)
                    s += mix(z);
            disagree += s != sig[i];
        }
        printf(", \"geos_s\": %.4f", now() - t0);
        GEOSGeom_destroy_r(g, pt);
        GEOS_finish_r(g);
    }
    if (ntracks > 0)
        printf(", \"bytes_per_track\": %.1f", bytes_per_track(zs, ntracks));
    printf(", \"disagreements\": %ld}\n", disagree);
    aw_zones_free(zs);
    free(lat);
    free(lon);
    free(sig);
    return disagree ? 1 : 0;
}
