/* gen_zones.c -- random zone sets for the zone-count benchmark.
 *
 * usage: gen_zones COUNT MIN_VERTICES MAX_VERTICES MIN_RADIUS_KM MAX_RADIUS_KM [SEED]
 * Writes a GeoJSON FeatureCollection of COUNT star-shaped polygons (a random radius at
 * each of MIN..MAX_VERTICES sorted random bearings, so no edge crosses another) with
 * geodesic edges, centred at random in the East Asia box where the benchmark's traffic
 * flies (lat 20-48, lon 115-150). Zones overlap one another freely, as real airspace
 * does. A quarter have a band (floor and ceiling). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng = 0x243f6a8885a308d3ull;
static double uniform(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: gen_zones COUNT MIN_VERTICES MAX_VERTICES MIN_RADIUS_KM MAX_RADIUS_KM [SEED]\n");
        return 2;
    }
    long count = atol(argv[1]);
    int vmin = atoi(argv[2]), vmax = atoi(argv[3]);
    double rmin = atof(argv[4]), rmax = atof(argv[5]);
    if (argc > 6)
        rng ^= strtoull(argv[6], NULL, 10) * 0x9e3779b97f4a7c15ull;
    if (count < 1 || vmin < 3 || vmax < vmin || !(rmin > 0) || rmax < rmin) {
        fprintf(stderr, "gen_zones: bad arguments\n");
        return 2;
    }
    double *bearing = malloc((size_t)vmax * sizeof *bearing);
    printf("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (long z = 0; z < count; z++) {
        int nv = vmin + (int)(uniform() * (vmax - vmin + 1));
        double clat = 20 + 28 * uniform(), clon = 115 + 35 * uniform();
        double r = rmin + (rmax - rmin) * uniform();
        for (int i = 0; i < nv; i++)
            bearing[i] = 360.0 * ((i + 0.1 + 0.8 * uniform()) / nv); /* distinct, sorted */
        qsort(bearing, (size_t)nv, sizeof *bearing, cmp_double);
        printf("%s{\"type\":\"Feature\",\"properties\":{\"id\":\"R%ld\",\"name\":\"random %ld\","
               "\"kind\":\"restricted\",\"edges\":\"geodesic\"",
               z ? "," : "", z, z);
        if (z % 4 == 3)
            printf(",\"floor_ft\":%d,\"ceiling_ft\":%d", 1000 * (int)(10 * uniform()),
                   20000 + 1000 * (int)(20 * uniform()));
        printf("},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
        double lat0 = 0, lon0 = 0;
        for (int i = 0; i < nv; i++) {
            /* A spherical offset is close enough: these are test shapes, not places. */
            double d = r * (0.5 + 0.5 * uniform()) / 6371.0, b = bearing[i] * M_PI / 180;
            double la1 = clat * M_PI / 180;
            double la2 = asin(sin(la1) * cos(d) + cos(la1) * sin(d) * cos(b));
            double lo2 = clon * M_PI / 180 + atan2(sin(b) * sin(d) * cos(la1), cos(d) - sin(la1) * sin(la2));
            double lat = la2 * 180 / M_PI, lon = lo2 * 180 / M_PI;
            if (i == 0) {
                lat0 = lat;
                lon0 = lon;
            }
            printf("%s[%.6f,%.6f]", i ? "," : "", lon, lat);
        }
        printf(",[%.6f,%.6f]]]}}\n", lon0, lat0);
    }
    printf("]}\n");
    free(bearing);
    return 0;
}
