/* cmd_where.c -- `adizwatch where LAT LON`: a position in the words of a JCS statement.
 *
 * "126 km NW of Ieodo": the nearest reference place, the 16-point bearing from it and the
 * geodesic distance; then the built-in zones that contain the position, so that one
 * command answers "where is that, and whose zone is it in?". `where --places` and
 * `where --bases` print the reference tables themselves (tab-separated, with sources). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/theater.h"
#include "cli/cli.h"

static bool parse_coord(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static void num(double v)
{
    if (isnan(v))
        printf("\t-");
    else
        printf("\t%g", v);
}

static int print_tables(bool bases)
{
    if (!bases) {
        puts("name\tother_names\tkind\tlat\tlon\tsource");
        for (int i = 0; i < aw_places_count(); i++) {
            const aw_place *p = aw_place_at(i);
            printf("%s\t%s\t%s\t%.7f\t%.7f\t%s\n", p->name, p->other_names, p->kind, p->lat,
                   p->lon, p->source);
        }
        return 0;
    }
    puts("icao\tname\tcountry\toperator\tlat\tlon\taircraft\talert_min\tcruise_kmh\t"
         "dash_kmh\tradius_km\tnominal\talert_source\tperformance_source\tcoord_source");
    for (int i = 0; i < aw_airbases_count(); i++) {
        const aw_airbase *b = aw_airbase_at(i);
        printf("%s\t%s\t%s\t%s\t%.4f\t%.4f\t%s", b->icao, b->name, b->country, b->operator_,
               b->lat, b->lon, b->aircraft);
        num(b->alert_min);
        num(b->cruise_kmh);
        num(round(b->dash_kmh));
        num(b->radius_km);
        printf("\t%s\t%s\t%s\t%s\n", b->nominal ? "nominal" : "sourced", b->alert_source,
               b->performance_source, b->coord_source);
    }
    return 0;
}

int cmd_where(int argc, char **argv)
{
    double lat, lon;
    if (argc == 2 && (strcmp(argv[1], "--places") == 0 || strcmp(argv[1], "--bases") == 0))
        return print_tables(strcmp(argv[1], "--bases") == 0);
    if (argc != 3) {
        fprintf(stderr, "usage: adizwatch where LAT LON   (decimal degrees, north and east "
                        "positive)\n       adizwatch where --places | --bases\n");
        return EXIT_BAD_INPUT;
    }
    if (!parse_coord(argv[1], -90, 90, &lat) || !parse_coord(argv[2], -180, 360, &lon)) {
        fprintf(stderr, "adizwatch: where: '%s %s' is not a latitude (-90..90) and a "
                        "longitude (-180..360) in decimal degrees\n", argv[1], argv[2]);
        return EXIT_BAD_INPUT;
    }
    char text[128];
    if (aw_where(lat, lon, text, sizeof text) < 0) {
        fprintf(stderr, "adizwatch: where: bad position\n");
        return EXIT_BAD_INPUT;
    }
    puts(text);
    aw_zone_set *zs = aw_theater_load("east-asia", NULL, NULL);
    if (!zs) {
        fprintf(stderr, "adizwatch: the built-in zones do not load (a build error)\n");
        return EXIT_RUN_FAILED;
    }
    printf("zones:");
    int inside = 0;
    for (int z = 0; z < aw_zones_count(zs); z++)
        if (aw_zone_contains_2d(zs, z, lat, lon)) {
            printf(" %s", aw_zones_info(zs, z)->id);
            inside++;
        }
    puts(inside ? "" : " none");
    aw_zones_free(zs);
    return 0;
}
