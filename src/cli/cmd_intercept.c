/* cmd_intercept.c -- `adizwatch intercept`: the what-if intercept question, as JSON.
 *
 * Times are seconds from now; the fields are those of the scramble_advice event. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/intercept.h"
#include "cli/cli.h"

#define KT 0.514444444 /* m/s per knot */

/* Parse "a,b" or "a,b,c,d" into n finite numbers. */
static int numbers(const char *s, double *v, int n)
{
    char *end;
    for (int i = 0; i < n; i++) {
        v[i] = strtod(s, &end);
        if (end == s || !isfinite(v[i]) || (i + 1 < n ? *end != ',' : *end != '\0'))
            return -1;
        s = end + 1;
    }
    return 0;
}

int cmd_intercept(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"base", required_argument, 0, 'b'},      {"ready-min", required_argument, 0, 'r'},
        {"speed-kt", required_argument, 0, 'v'},  {"target", required_argument, 0, 't'},
        {"territory", required_argument, 0, 'T'}, {"zones", required_argument, 0, 'z'},
        {"horizon-min", required_argument, 0, 'H'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    aw_intercept_input in = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 6 * 3600};
    const char *territory = NULL, *zones_spec = NULL;
    double v[4];
    bool ok = true;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            ok &= numbers(optarg, v, 2) == 0;
            in.base_lat = v[0];
            in.base_lon = v[1];
            break;
        case 'r':
            ok &= numbers(optarg, v, 1) == 0;
            in.ready_s = v[0] * 60;
            break;
        case 'v':
            ok &= numbers(optarg, v, 1) == 0;
            in.fighter_speed_mps = v[0] * KT;
            break;
        case 't':
            ok &= numbers(optarg, v, 4) == 0;
            in.target_lat = v[0];
            in.target_lon = v[1];
            in.target_course_deg = v[2];
            in.target_speed_mps = v[3] * KT;
            break;
        case 'H':
            ok &= numbers(optarg, v, 1) == 0;
            in.horizon_s = v[0] * 60;
            break;
        case 'T': territory = optarg; break;
        case 'z': zones_spec = optarg; break;
        case 'h': cli_usage("intercept", stdout); return 0;
        default: cli_usage("intercept", stderr); return EXIT_BAD_INPUT;
        }
    }
    aw_intercept out;
    if (!ok || optind != argc || (territory && !zones_spec) || aw_intercept_solve(&in, &out) < 0) {
        fprintf(stderr, "adizwatch: intercept needs --base, --ready-min, --speed-kt and --target "
                        "as numbers (and --zones with --territory)\n");
        cli_usage("intercept", stderr);
        return EXIT_BAD_INPUT;
    }
    printf("{\"possible\":%s", out.possible ? "true" : "false");
    if (out.possible)
        printf(",\"intercept_time\":%.1f,\"intercept_lat\":%.6f,\"intercept_lon\":%.6f,"
               "\"fighter_distance_km\":%.1f,\"fighter_course_deg\":%.1f",
               out.time_s, out.lat, out.lon, out.fighter_distance_m / 1000, out.fighter_course_deg);
    if (territory) {
        aw_zone_set *zs = cli_load_zones(zones_spec);
        if (!zs)
            return EXIT_BAD_INPUT;
        int z = aw_zones_find(zs, territory);
        if (z < 0) {
            fprintf(stderr, "\nadizwatch: no zone %s in %s\n", territory, zones_spec);
            aw_zones_free(zs);
            return EXIT_BAD_INPUT;
        }
        double tt = aw_time_to_zone(zs, z, in.target_lat, in.target_lon, in.target_course_deg,
                                    in.target_speed_mps, in.horizon_s);
        if (tt >= 0)
            printf(",\"territory\":\"%s\",\"time_to_territory\":%.1f", territory, tt);
        else
            printf(",\"territory\":\"%s\",\"time_to_territory\":null", territory);
        /* Before the territory: the meeting comes first, or the course never gets there. */
        printf(",\"before_territory\":%s",
               out.possible && (tt < 0 || out.time_s < tt) ? "true" : "false");
        aw_zones_free(zs);
    }
    puts("}");
    return 0;
}
