/* fuzz_zones.c -- any bytes as a zone file: either refused with problems reported, or a
 * zone set whose containment and distance answers are sane, and whose index agrees with
 * the exact test. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "zones/zone.h"

static int problems;

static void count(int feature, const char *id, const char *message, void *user)
{
    (void)feature;
    (void)id;
    (void)user;
    if (!message || !message[0])
        abort();
    problems++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    problems = 0;
    aw_zone_set *zs = aw_zones_load_string((const char *)data, size, count, NULL);
    if (!zs) {
        if (problems == 0)
            abort(); /* refused without saying why */
        return 0;
    }
    if (problems)
        abort(); /* problems reported, yet loaded */
    /* Probe a few points derived from the input. */
    for (int k = 0; k < 8; k++) {
        double lat = -90 + 180.0 * ((data[k % size] * 131 + k * 17) % 1000) / 999.0;
        double lon = -180 + 360.0 * ((data[(k * 7) % size] * 71 + k * 29) % 1000) / 999.0;
        int out[256];
        int n = aw_zone_index_query(zs, lat, lon, out, 256);
        int exact = 0;
        for (int z = 0; z < aw_zones_count(zs); z++) {
            exact += aw_zone_contains_2d(zs, z, lat, lon);
            double d = aw_zone_boundary_distance(zs, z, lat, lon);
            if (!(d >= 0))
                abort();
        }
        if (n != exact)
            abort();
    }
    aw_zones_free(zs);
    return 0;
}
