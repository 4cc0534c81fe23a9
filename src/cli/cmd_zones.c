/* cmd_zones.c -- `adizwatch zones check FILE`: validate a zone file, list its zones. */
#include <math.h>
#include <string.h>

#include "cli/cli.h"

static const char *const edge_names[] = {"geodesic", "rhumb", "planar"};

static void band(char *buf, size_t n, const aw_zone_info *zi)
{
    if (isnan(zi->floor_ft) && isnan(zi->ceiling_ft))
        snprintf(buf, n, "all altitudes");
    else if (isnan(zi->ceiling_ft))
        snprintf(buf, n, "from %.0f ft up", zi->floor_ft);
    else if (isnan(zi->floor_ft))
        snprintf(buf, n, "up to %.0f ft", zi->ceiling_ft);
    else
        snprintf(buf, n, "%.0f-%.0f ft", zi->floor_ft, zi->ceiling_ft);
}

int cmd_zones(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "usage: adizwatch zones check FILE\n");
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zs = cli_load_zones(argv[2]);
    if (!zs)
        return EXIT_BAD_INPUT;
    int n = aw_zones_count(zs);
    printf("%s: %d zone%s, valid\n", argv[2], n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++) {
        const aw_zone_info *zi = aw_zones_info(zs, i);
        char b[64];
        band(b, sizeof b, zi);
        printf("  %-16s %-12s %-8s %d polygon%s, %d vertices (%d chords), %s%s%s\n", zi->id,
               zi->kind[0] ? zi->kind : "-", edge_names[zi->edges], zi->polygons,
               zi->polygons == 1 ? "" : "s", zi->vertices, zi->chords, b,
               zi->name[0] ? ", " : "", zi->name);
    }
    aw_zones_free(zs);
    return 0;
}
