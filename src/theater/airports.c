/* airports.c -- look-ups in the region's airport table (OurAirports, generated).
 *
 * Besides the fighter bases, scramble advice and descriptions need the airfields around
 * a track: where a diverted or escorted aircraft could land, which civil field is near.
 * The table itself is generated (tools/theater/make_airports.mjs -> airports_data.c). */
#include <math.h>
#include <strings.h>

#include "geo/geo.h"
#include "theater/airports_table.h"

int aw_airports_count(void) { return aw_airports_data_count; }

const aw_airport *aw_airport_at(int i)
{
    return i >= 0 && i < aw_airports_data_count ? &aw_airports_data[i] : NULL;
}

const aw_airport *aw_airport_find(const char *code)
{
    if (!code || !*code)
        return NULL;
    for (int i = 0; i < aw_airports_data_count; i++) {
        const aw_airport *a = &aw_airports_data[i];
        if (strcasecmp(a->ident, code) == 0 || strcasecmp(a->gps_code, code) == 0 ||
            strcasecmp(a->iata, code) == 0)
            return a;
    }
    return NULL;
}

const aw_airport *aw_airport_nearest(double lat, double lon, double *dist_m)
{
    if (!isfinite(lat) || !isfinite(lon) || lat < -90 || lat > 90)
        return NULL;
    const aw_airport *best = NULL;
    double best_s = INFINITY;
    for (int i = 0; i < aw_airports_data_count; i++) {
        double s;
        geod_inverse(aw_wgs84(), aw_airports_data[i].lat, aw_airports_data[i].lon, lat, lon, &s,
                     NULL, NULL);
        if (s < best_s) {
            best_s = s;
            best = &aw_airports_data[i];
        }
    }
    if (dist_m)
        *dist_m = best_s;
    return best;
}
