/* test_depth_bound.c -- the depth grid's bound is never below the exact boundary distance,
 * is close to it deep inside a zone, and the engine's max_depth_m, which leans on it to
 * skip measurements, is still the exact maximum over the visit's reports. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "adizwatch/theater.h"
#include "case_zones.h"
#include "events/engine_internal.h"
#include "check.h"
#include "geo/geo.h"
#include "random.h"
#include "position.h"
#include "zones/zone.h"


/* Random points over each zone's extent (and a little beyond): the bound must hold
 * everywhere; deep inside (over 20 km) it must be within 3 % + 2 km of the truth. */
static void check_bound(const aw_zone_set *zs, const char *name, int per_zone)
{
    long below = 0, deep = 0, loose = 0;
    double worst = 0;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        const aw_zone_info *zi = aw_zones_info(zs, z);
        for (int i = 0; i < per_zone; i++) {
            double lat = zi->min_lat - 0.2 + (zi->max_lat - zi->min_lat + 0.4) * uniform();
            double lon = zi->min_lon - 0.2 + (zi->max_lon - zi->min_lon + 0.4) * uniform();
            lat = fmax(-90, fmin(90, lat));
            lon = lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
            double exact = aw_zone_boundary_distance(zs, z, lat, lon);
            double bound = aw_zone_depth_bound(zs, z, lat, lon);
            if (bound < exact && below++ < 5)
                fprintf(stderr, "%s zone %s (%.9f, %.9f): bound %.3f < exact %.3f\n", name,
                        zi->id, lat, lon, bound, exact);
            if (exact > 20000 && aw_zone_contains_2d(zs, z, lat, lon)) {
                deep++;
                loose += bound > 1.03 * exact + 2000;
                worst = fmax(worst, bound / exact);
            }
        }
    }
    printf("%s: %ld points deep inside, %ld loose, worst bound/exact %.4f\n", name, deep, loose,
           worst);
    CHECK(below == 0);
    CHECK(loose <= deep / 100); /* the grid's vertex is near the nearest one */
}

/* A random point of the zone's box (a pole's neighbourhood left out). */
static void point_in_box(const aw_zone_info *zi, double *lat, double *lon)
{
    *lat = fmax(-89.9, fmin(89.9, zi->min_lat + (zi->max_lat - zi->min_lat) * uniform()));
    *lon = zi->min_lon + (zi->max_lon - zi->min_lon) * uniform();
    *lon = *lon > 180 ? *lon - 360 : *lon;
}

/* aw_zone_boundary_nearest_from, given as hint the boundary point found for another
 * point (as the engine keeps it: floats, longitude within a turn), nearby or far, or for
 * the point itself, must return the distance and the boundary point that the search from
 * nothing returns, to the bit. */
static void check_hint(const aw_zone_set *zs, const char *name, int per_zone)
{
    long mismatches = 0, checked = 0;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        const aw_zone_info *zi = aw_zones_info(zs, z);
        for (int i = 0; i < per_zone; i++) {
            double lat, lon;
            point_in_box(zi, &lat, &lon);
            double spread = i % 3 == 0 ? 0 : i % 3 == 1 ? 0.5 : 20; /* degrees */
            double qlat = fmax(-90, fmin(90, lat + spread * (2 * uniform() - 1)));
            double qlon = lon + spread * (2 * uniform() - 1);
            qlon = qlon > 180 ? qlon - 360 : qlon < -180 ? qlon + 360 : qlon;
            double hlat, hlon, nlat, nlon, flat, flon;
            aw_zone_boundary_nearest(zs, z, qlat, qlon, &hlat, &hlon);
            double d = aw_zone_boundary_nearest(zs, z, lat, lon, &nlat, &nlon);
            double hint_lat = isnan(hlat) ? NAN : (float)hlat;
            double hint_lon = isnan(hlon) ? NAN : (float)remainder(hlon, 360.0);
            double dh = aw_zone_boundary_nearest_from(zs, z, lat, lon, hint_lat, hint_lon, &flat, &flon);
            checked++;
            if (memcmp(&d, &dh, sizeof d) || memcmp(&nlat, &flat, sizeof d) ||
                memcmp(&nlon, &flon, sizeof d)) {
                if (mismatches++ < 5)
                    fprintf(stderr, "%s zone %s (%.9f, %.9f) hint (%.9f, %.9f): %.9f at (%.9f, %.9f), "
                            "from the hint %.9f at (%.9f, %.9f)\n", name, zi->id, lat, lon, hint_lat,
                            hint_lon, d, nlat, nlon, dh, flat, flon);
            }
        }
    }
    printf("%s: %ld hinted searches, %ld differ\n", name, checked, mismatches);
    CHECK(checked > 0);
    CHECK(mismatches == 0);
}

/* The exact depth's distance to one chord, as its definition gives it: the chord's ends
 * placed in the point's azimuthal equidistant plane by PROJ's geodesic, and the
 * distance from the origin to the segment between them. */
static double chord_distance(double lat, double lon, const aw_ring *r, int i)
{
    double x[2], y[2];
    for (int k = 0; k < 2; k++) {
        double s, azi;
        geod_inverse(aw_wgs84(), lat, lon, r->lat[i + k], r->lon[i + k], &s, &azi, NULL);
        x[k] = s * sin(azi * AW_DEG);
        y[k] = s * cos(azi * AW_DEG);
    }
    double dx = x[1] - x[0], dy = y[1] - y[0], len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? fmax(0.0, fmin(1.0, -(x[0] * dx + y[0] * dy) / len2)) : 0;
    return hypot(x[0] + t * dx, y[0] + t * dy);
}

/* aw_chord_distance_lower (what lets the exact depth's search pass over chords) is never
 * above that distance, and is close to it: random points over each zone's box, random
 * chords of its rings; within 1 % (+ 300 m) of the distance for nine in ten. */
static void check_chord_lower(const aw_zone_set *zs, const char *name, int per_zone)
{
    long above = 0, loose = 0, n = 0;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        const aw_zone_info *zi = aw_zones_info(zs, z);
        const aw_zone *zone = &zs->zones[z];
        for (int k = 0; k < per_zone; k++) {
            double lat, lon;
            point_in_box(zi, &lat, &lon);
            double p[3] = {cos(lat * AW_DEG) * cos(lon * AW_DEG), cos(lat * AW_DEG) * sin(lon * AW_DEG),
                           sin(lat * AW_DEG)};
            const aw_polygon *poly = &zone->polys[(int)(uniform() * zone->npolys)];
            const aw_ring *r = &poly->rings[(int)(uniform() * poly->nrings)];
            int i = (int)(uniform() * r->n);
            double exact = chord_distance(lat, lon, r, i), low = aw_chord_distance_lower(p, r, i);
            n++;
            if (low > exact + 1e-6 && above++ < 5)
                fprintf(stderr, "%s zone %s (%.9f, %.9f) chord %d: lower %.6f > %.6f\n", name, zi->id,
                        lat, lon, i, low, exact);
            loose += exact - low > 0.01 * exact + 300;
        }
    }
    printf("%s: %ld chord lower bounds, %ld above, %ld loose\n", name, n, above, loose);
    CHECK(above == 0);
    CHECK(loose <= n / 10);
}

/* The search's answer is the least chord distance over every chord of the zone (to a
 * micrometre: the test takes hypot where the search takes sqrt), however many chords
 * its bounds pass over. */
static void check_search(const aw_zone_set *zs, const char *name, int per_zone)
{
    long differ = 0, n = 0;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        const aw_zone_info *zi = aw_zones_info(zs, z);
        const aw_zone *zone = &zs->zones[z];
        for (int k = 0; k < per_zone; k++) {
            double lat, lon;
            point_in_box(zi, &lat, &lon);
            double brute = INFINITY;
            for (int q = 0; q < zone->npolys; q++)
                for (int h = 0; h < zone->polys[q].nrings; h++)
                    for (int i = 0; i < zone->polys[q].rings[h].n; i++)
                        brute = fmin(brute, chord_distance(lat, lon, &zone->polys[q].rings[h], i));
            double d = aw_zone_boundary_distance(zs, z, lat, lon);
            n++;
            if (!(fabs(d - brute) <= 1e-6) && differ++ < 5)
                fprintf(stderr, "%s zone %s (%.9f, %.9f): search %.9f, every chord %.9f\n", name,
                        zi->id, lat, lon, d, brute);
        }
    }
    printf("%s: %ld searches against every chord, %ld differ\n", name, n, differ);
    CHECK(differ == 0);
}

/* A point on a ring's vertex: its depth is 0, to a millimetre, and a number -- the
 * nearest chord's measure can round a hair below 0 there, and pass 2's band must not turn
 * into a NaN (an acos past 1) that passes every chord over. */
static void check_vertices(const aw_zone_set *zs, const char *name)
{
    long bad = 0, n = 0;
    for (int z = 0; z < aw_zones_count(zs); z++) {
        const aw_zone *zone = &zs->zones[z];
        for (int q = 0; q < zone->npolys; q++)
            for (int h = 0; h < zone->polys[q].nrings; h++) {
                const aw_ring *r = &zone->polys[q].rings[h];
                int step = r->n > 400 ? r->n / 400 : 1;
                for (int i = 0; i < r->n; i += step, n++) {
                    double d = aw_zone_boundary_distance(zs, z, r->lat[i], r->lon[i]);
                    if (!(d >= 0 && d < 1e-3) && bad++ < 5)
                        fprintf(stderr, "%s zone %s vertex %d (%.9f, %.9f): depth %g\n", name,
                                aw_zones_info(zs, z)->id, i, r->lat[i], r->lon[i], d);
                }
            }
    }
    printf("%s: %ld ring vertices, %ld with a depth other than 0\n", name, n, bad);
    CHECK(bad == 0);
}

typedef struct visit_log {
    double enter_time, entry_depth, last_t;
    double brute_max; /* the exact maximum over the reports since entry */
    bool open;
    long exits, mismatches;
} visit_log;

static const aw_zone_set *log_zones;
static int log_zone;
static visit_log vl;

static void on_event(const aw_event *ev, void *user)
{
    (void)user;
    if (aw_zones_find(log_zones, ev->zone) != log_zone)
        return;
    if (ev->type == AW_ENTER) {
        vl.open = true;
        vl.enter_time = ev->time;
        vl.brute_max = ev->cause == AW_CROSSING ? 0 /* lateral: on the boundary */
                                                : aw_zone_boundary_distance(log_zones, log_zone,
                                                                            ev->lat, ev->lon);
    } else if (vl.open) {
        vl.exits++;
        if (ev->max_depth_m != vl.brute_max && vl.mismatches++ < 5)
            fprintf(stderr, "track %s exit %.3f: max_depth_m %.6f, brute force %.6f\n", ev->track,
                    ev->time, ev->max_depth_m, vl.brute_max);
        vl.open = false;
    }
}


/* Straight tracks (in degrees) across one zone, a report every ~2 km: the engine's
 * maximum must equal the brute-force maximum of the exact depth of every report inside,
 * to the bit -- both measure the same points with the same function. With `quiet`, the
 * track falls silent for 200 s every 23 reports (less than the timeout: its visit goes
 * on) while another aircraft, far from every zone, reports: the quiet track's waiting
 * candidates are then measured early and their block returned (engine_settle_idle, as
 * when the engine holds more blocks than it keeps: here it keeps none), and the maxima
 * must still be the brute force's. */
static long quiet_settled;

static void check_engine(const aw_zone_set *zs, int zone, int tracks, bool quiet)
{
    log_zones = zs;
    log_zone = zone;
    const aw_zone_info *zi = aw_zones_info(zs, zone);
    vl = (visit_log){0};
    for (int k = 0; k < tracks; k++) {
        aw_engine *e = aw_engine_new(zs, NULL, on_event, NULL);
        if (quiet)
            e->block_bytes_kept = 0;
        double lat0 = zi->min_lat + (zi->max_lat - zi->min_lat) * uniform();
        double lon0 = zi->min_lon - 1;
        double slope = 2 * uniform() - 1, step = 0.02;
        int n = (int)((zi->max_lon - zi->min_lon + 2) / step);
        double t = 1669766400.0;
        for (int i = 0; i <= n; i++, t += 10) {
            char id[16];
            snprintf(id, sizeof id, "t%d", k);
            if (quiet && i > 0 && i % 23 == 0) {
                size_t held = e->block_bytes_used; /* in blocks the visits hold */
                aw_report clock = position_report("far-away", t + 140, 0, 0, 30000);
                aw_engine_feed(e, &clock);
                CHECK(e->block_bytes_used == 0);
                CHECK(e->block_bytes_pooled == 0); /* past the bytes kept, freed, not pooled */
                quiet_settled += held > 0;
                t += 190;
            }
            double lon = lon0 + step * i;
            aw_report r = position_report(id, t,
                                          fmax(-89, fmin(89, lat0 + slope * step * i)),
                                          lon > 180 ? lon - 360 : lon, 30000);
            bool was_open = vl.open;
            aw_engine_feed(e, &r);
            /* A report inside the visit (not the one that closed it) counts. */
            if (vl.open && (was_open || vl.enter_time < r.time) &&
                aw_zone_contains_2d(zs, zone, r.lat, r.lon))
                vl.brute_max = fmax(vl.brute_max, aw_zone_boundary_distance(zs, zone, r.lat, r.lon));
        }
        aw_engine_free(e);
        vl.open = false;
    }
    printf("zone %s: %ld exits checked against brute force%s\n", zi->id, vl.exits,
           quiet ? " (quiet spells)" : "");
    CHECK(vl.exits > 0);
    CHECK(vl.mismatches == 0);
}

/* --shared: the bound over the reference cases' zones. */
static int shared_cases(void)
{
    need_case_zones();
    for (int c = 0; c < CASE_COUNT; c++) {
        aw_zone_set *zs = load_case_zones(case_names[c]);
        if (zs) {
            check_bound(zs, case_names[c], 5000);
            check_hint(zs, case_names[c], 1000);
            check_chord_lower(zs, case_names[c], 10000);
            aw_zones_free(zs);
        }
    }
    return check_done("depth_bound_shared");
}

int main(int argc, char **argv)
{
    rng = 0x5851f42d4c957f2dull;
    if (shared_wanted(argc, argv))
        return shared_cases();
    char path[512];
    snprintf(path, sizeof path, "%s/zones_basic.geojson", FIXTURES);
    aw_zone_set *zs = aw_zones_load_file(path, NULL, NULL);
    CHECK(zs != NULL);
    if (zs) {
        check_bound(zs, "fixtures", 20000);
        check_hint(zs, "fixtures", 3000);
        check_chord_lower(zs, "fixtures", 20000);
        check_search(zs, "fixtures", 300);
        check_vertices(zs, "fixtures");
        aw_zones_free(zs);
    }
    zs = aw_theater_load("east-asia", NULL, NULL);
    CHECK(zs != NULL);
    if (zs) {
        check_bound(zs, "east-asia", 5000);
        check_hint(zs, "east-asia", 1000);
        check_chord_lower(zs, "east-asia", 10000);
        check_search(zs, "east-asia", 3);
        check_vertices(zs, "east-asia");
        for (int z = 0; z < aw_zones_count(zs); z++)
            if (!(aw_zones_info(zs, z)->floor_ft > 30000) && !(aw_zones_info(zs, z)->ceiling_ft < 30000))
                for (int quiet = 0; quiet < 2; quiet++)
                    check_engine(zs, z, 40, quiet);
        printf("quiet spells that settled waiting candidates: %ld\n", quiet_settled);
        CHECK(quiet_settled > 0); /* the early settling was exercised, not stepped around */
        aw_zones_free(zs);
    }
    return check_done("depth_bound");
}
