/* fuzz_engine.c -- random tracks against a fixed set of zones: for every track and zone,
 * enters and exits alternate (an exit only after an enter), event times never go
 * backwards within a track, every number is finite, and a track evicted by
 * max_tracks has left every zone. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"

static aw_zone_set *zones;
static int state[4][16];    /* per track, per zone: inside? */
static double last_time[4]; /* per track: time of its last event */
static int lru[3], nlive;   /* the engine's table of at most 3 ids, least recent first */

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
    for (int t = 0; t < 4; t++)
        last_time[t] = -INFINITY;
    nlive = 0;
    aw_engine_options opt = {.timeout_s = 300, .max_tracks = 3}; /* 4 ids: eviction too */
    aw_engine *e = aw_engine_new(zones, &opt, on_event, NULL);
    double t0 = 1700000000;
    /* 8 bytes a report: track, time step, lat, lon, altitude. */
    for (size_t i = 0; i + 8 <= size; i += 8) {
        const uint8_t *b = data + i;
        aw_report r;
        aw_report_clear(&r);
        r.track[0] = (char)('a' + b[0] % 4);
        t0 += (double)(int8_t)b[1] * 3.0; /* steps forwards and backwards, gaps */
        r.time = t0;
        r.has_position = true;
        r.lat = ((b[2] << 8 | b[3]) / 65535.0) * 4 - 2;
        r.lon = ((b[4] << 8 | b[5]) / 65535.0) * 26 - 2;
        if (b[0] & 0x80)
            r.lon = 177 + (r.lon + 2) / 26 * 6 - (b[0] & 0x40 ? 360 : 0); /* the dateline zone */
        if (r.lon > 180)
            r.lon -= 360;
        if (r.lon < -180)
            r.lon += 360;
        r.alt_ft = b[6] == 255 ? NAN : b[6] * 200.0;
        if (aw_engine_feed(e, &r) != AW_FEED_INVALID)
            touch(r.track[0] - 'a');
        if (b[7] == 0xEE)
            aw_engine_expire(e, t0 + 400);
    }
    aw_engine_free(e);
    return 0;
}
