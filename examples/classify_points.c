/* classify_points.c -- which zones contain each of many points, with aw_zones_at_many.
 *
 *   cc classify_points.c $(pkg-config --cflags --libs adizwatch) -o classify_points
 *   printf '37.5 126.9\n30 140\n' | ./classify_points zones.geojson
 *
 * Reads "LAT LON" lines (degrees) from stdin and prints each point with the ids of the
 * zones whose area contains it ("-" for none), in input order. Batching the points lets
 * the library fetch the index memory of later points while it answers earlier ones. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <adizwatch/zones.h>

#define BATCH 4096

static void answer(const aw_zone_set *zones, size_t n, const double *lat, const double *lon)
{
    static uint32_t count[BATCH];
    static int found[BATCH * 4];
    for (size_t done = 0; done < n;) {
        size_t got = aw_zones_at_many(zones, n - done, lat + done, lon + done, count, found,
                                      sizeof found / sizeof found[0]);
        if (got == 0) { /* one point in more zones than found[] holds: not in a sane file */
            fprintf(stderr, "a point lies in too many zones\n");
            exit(1);
        }
        const int *z = found;
        for (size_t i = 0; i < got; i++) {
            printf("%.6f %.6f", lat[done + i], lon[done + i]);
            for (uint32_t k = 0; k < count[i]; k++)
                printf("%c%s", k ? ',' : ' ', aw_zones_info(zones, *z++)->id);
            puts(count[i] ? "" : " -");
        }
        done += got;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ZONES.geojson < points\n", argv[0]);
        return 2;
    }
    aw_zone_set *zones = aw_zones_load_file(argv[1], NULL, NULL);
    if (!zones) {
        fprintf(stderr, "%s: not a valid zone file (adizwatch zones check says why)\n", argv[1]);
        return 2;
    }
    static double lat[BATCH], lon[BATCH];
    size_t n = 0;
    while (scanf("%lf %lf", &lat[n], &lon[n]) == 2)
        if (++n == BATCH) {
            answer(zones, n, lat, lon);
            n = 0;
        }
    answer(zones, n, lat, lon);
    aw_zones_free(zones);
    return 0;
}
