/* test_depth_bound.c -- the depth grid's bound is never below the exact boundary distance,
 * is close to it deep inside a zone, and the engine's max_depth_m, which leans on it to
 * skip measurements, is still the exact maximum over the visit's reports. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "adizwatch/engine.h"
#include "adizwatch/theater.h"
#include "case_zones.h"
#include "events/engine_internal.h"
#include "check.h"
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
        aw_zones_free(zs);
    }
    zs = aw_theater_load("east-asia", NULL, NULL);
    CHECK(zs != NULL);
    if (zs) {
        check_bound(zs, "east-asia", 5000);
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
