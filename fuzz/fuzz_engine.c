/* fuzz_engine.c -- random tracks against a fixed set of zones: for every track and zone,
 * enters and exits alternate (an exit only after an enter), event times never go
 * backwards within a track, every number is finite, and a track evicted by
 * max_tracks has left every zone.
 *
 * Tracks move as aircraft do: each report steps up to a third of a degree from the
 * track's last position (across the zones' edges, corners and the antimeridian), and
 * only a new track, or now and then a report that says so, lands anywhere at all. An
 * input is at most MAX_REPORTS reports (the rest is ignored; ./scripts/fuzz passes
 * -max_len=256 to match): four tracks, evictions, expiry and every kind of crossing fit
 * in that many, and libFuzzer learns far more from many short runs than from a few
 * long ones. Random positions for every report of a 4 KB input made 512 segments
 * thousands of kilometres long, and the geodesic paths of those (a chord every few
 * hundred metres) were nearly all the time spent: 2 to 50 inputs a second, too few to
 * find anything. 64 reports gave about 1,500 a second on a busy machine; 32 give half
 * the engine's work an input (exact depths at each exit, above all), for as many new
 * units found in the same time (docs/performance.md). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"

static aw_zone_set *zones;
static int state[4][16];    /* per track, per zone: inside? */
static double last_time[4]; /* per track: time of its last event */
static int lru[3], nlive;   /* the engine's table of at most 3 ids, least recent first */
#define MAX_REPORTS 32

static bool placed[4];      /* per track: has a position the next report steps from */
static double at_lat[4], at_lon[4];

/* A report for id t was accepted: mirror the engine's least-recently-used eviction. An
 * evicted id must have left every zone; when it comes back it is a new track. */
static void touch(int t)
{
    int i = 0;
    while (i < nlive && lru[i] != t)
        i++;
    if (i == nlive && nlive == 3) {
        int old = lru[0];
        for (int z = 0; z < 16; z++)
            if (state[old][z])
                abort();
        last_time[old] = -INFINITY;
        placed[old] = false;
        i = 0;
    } else if (i == nlive) {
        nlive++;
    }
    for (; i + 1 < nlive; i++)
        lru[i] = lru[i + 1];
    lru[nlive - 1] = t;
}

static void on_event(const aw_event *ev, void *user)
{
    (void)user;
    int t = ev->track[0] - 'a', z = aw_zones_find(zones, ev->zone);
    if (t < 0 || t >= 4 || z < 0 || z >= 16)
        abort();
    if (!isfinite(ev->time) || !isfinite(ev->lat) || !isfinite(ev->lon) || isinf(ev->alt_ft))
        abort();
    if (ev->time < last_time[t] - 1e-6)
        abort();
    last_time[t] = ev->time;
    if (ev->type == AW_ENTER) {
        if (state[t][z])
            abort();
        state[t][z] = 1;
    } else {
        if (!state[t][z] || !isfinite(ev->dwell_s) || ev->dwell_s < -1e-6 ||
            !isfinite(ev->max_depth_m) || ev->max_depth_m < 0)
            abort();
        state[t][z] = 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!zones) {
        const char *path = getenv("ADIZWATCH_FUZZ_ZONES");
        zones = aw_zones_load_file(path ? path : "tests/fixtures/zones_basic.geojson", NULL, NULL);
        if (!zones)
            abort();
    }
    memset(state, 0, sizeof state);
    memset(placed, 0, sizeof placed);
    for (int t = 0; t < 4; t++)
        last_time[t] = -INFINITY;
    nlive = 0;
    aw_engine_options opt = {.timeout_s = 300, .max_tracks = 3}; /* 4 ids: eviction too */
    aw_engine *e = aw_engine_new(zones, &opt, on_event, NULL);
    double t0 = 1700000000;
    /* 8 bytes a report: track, time step, lat, lon, altitude, expiry / jump. */
    if (size > 8 * MAX_REPORTS)
        size = 8 * MAX_REPORTS;
    for (size_t i = 0; i + 8 <= size; i += 8) {
        const uint8_t *b = data + i;
        aw_report r;
        aw_report_clear(&r);
        r.track[0] = (char)('a' + b[0] % 4);
        t0 += (double)(int8_t)b[1] * 3.0; /* steps forwards and backwards, gaps */
        r.time = t0;
        r.has_position = true;
        int t = b[0] % 4;
        if (!placed[t] || b[7] == 0xEF) { /* anywhere: the zones' box, or the dateline zone */
            r.lat = ((b[2] << 8 | b[3]) / 65535.0) * 4 - 2;
            r.lon = ((b[4] << 8 | b[5]) / 65535.0) * 26 - 2;
            if (b[0] & 0x80)
                r.lon = 177 + (r.lon + 2) / 26 * 6 - (b[0] & 0x40 ? 360 : 0);
        } else { /* a step from the last position: up to 0.32 degrees each way */
            r.lat = at_lat[t] + (int8_t)b[2] * 0.0025 + b[3] / 102000.0;
            r.lon = at_lon[t] + (int8_t)b[4] * 0.0025 + b[5] / 102000.0;
            r.lat = r.lat > 90 ? 180 - r.lat : r.lat < -90 ? -180 - r.lat : r.lat;
        }
        if (r.lon > 180)
            r.lon -= 360;
        if (r.lon < -180)
            r.lon += 360;
        r.alt_ft = b[6] == 255 ? NAN : b[6] * 200.0;
        aw_feed_result res = aw_engine_feed(e, &r);
        if (res != AW_FEED_INVALID)
            touch(t);
        if (res == AW_FEED_OK) {
            placed[t] = true;
            at_lat[t] = r.lat;
            at_lon[t] = r.lon;
        }
        if (b[7] == 0xEE)
            aw_engine_expire(e, t0 + 400);
    }
    aw_engine_free(e);
    return 0;
}
