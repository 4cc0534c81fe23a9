/* gen_tracks.c -- a day of synthetic traffic for the replay benchmark.
 *
 * usage: gen_tracks AIRCRAFT REPORTS csv|sbs
 * AIRCRAFT aircraft fly great circles (WGS84 geodesics) across the East Asia box at
 * 450 kt, one report every 10 s, interleaved in time order as a feed delivers them,
 * until REPORTS reports are written to stdout -- as adizwatch CSV, or as SBS-1 MSG 3
 * lines (CRLF, receiver clock UTC) with an MSG 1 callsign per aircraft first. */
#include <geodesic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;
static double uniform(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[3], "csv") && strcmp(argv[3], "sbs"))) {
        fprintf(stderr, "usage: gen_tracks AIRCRAFT REPORTS csv|sbs\n");
        return 2;
    }
    int n = atoi(argv[1]);
    long total = atol(argv[2]);
    bool sbs = strcmp(argv[3], "sbs") == 0;
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    struct geod_geodesicline *line = malloc((size_t)n * sizeof *line);
    double *alt = malloc((size_t)n * sizeof *alt);
    for (int i = 0; i < n; i++) {
        /* From a random point of the box's west or south edge, on a random heading east
         * or north: every line crosses the box and most cross some zone. */
        double lat = 20 + 28 * uniform(), lon = 115 + 10 * uniform();
        geod_directline(&line[i], &g, lat, lon, 20 + 100 * uniform(), 4e6, 0);
        alt[i] = 1000 * (int)(5 + 36 * uniform());
    }
    const double t0 = 1669766400.0, speed = 450 * 1852.0 / 3600.0; /* 2022-11-30T00:00Z */
    if (!sbs)
        fputs("time,id,lat,lon,alt_ft,callsign\n", stdout);
    else
        for (int i = 0; i < n; i++)
            printf("MSG,1,1,1,%06X,1,2022/11/30,00:00:00.000,2022/11/30,00:00:00.000,T%05d,,,,,,,,,,,0\r\n",
                   0x780000 + i, i);
    long written = 0;
    for (long step = 0; written < total; step++) {
        for (int i = 0; i < n && written < total; i++, written++) {
            double t = t0 + 10.0 * step + 10.0 * i / n, lat, lon;
            geod_position(&line[i], speed * (t - t0), &lat, &lon, NULL);
            if (!sbs) {
                printf("%.3f,%06x,%.5f,%.5f,%.0f,T%05d\n", t, 0x780000 + i, lat, lon, alt[i], i);
            } else {
                time_t secs = (time_t)t;
                struct tm tm;
                gmtime_r(&secs, &tm);
                int ms = (int)((t - (double)secs) * 1000);
                printf("MSG,3,1,1,%06X,1,%04d/%02d/%02d,%02d:%02d:%02d.%03d,%04d/%02d/%02d,"
                       "%02d:%02d:%02d.%03d,,%.0f,,,%.5f,%.5f,,,,,,0\r\n",
                       0x780000 + i, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec, ms, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, ms, alt[i], lat, lon);
            }
        }
    }
    free(line);
    free(alt);
    return 0;
}
