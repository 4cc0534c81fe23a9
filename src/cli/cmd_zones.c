/* cmd_zones.c -- `adizwatch zones`: check a zone file; list, show and export zone sets.
 *
 * `check FILE` validates a file and lists its zones. `list`, `show ID` and `export` work
 * on any zone spec and default to builtin:east-asia, so that the built-in theater -- what
 * it contains, where each boundary comes from and how far to trust it -- can be read
 * without opening the source tree. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define DEFAULT_ZONES "builtin:east-asia"

static const char *const edge_names[] = {"geodesic", "rhumb", "planar"};

static const char usage_text[] =
    "usage: adizwatch zones check FILE\n"
    "       adizwatch zones list [ZONES]\n"
    "       adizwatch zones show ID [ZONES]\n"
    "       adizwatch zones export [ZONES] [--format geojson|kml]\n"
    "ZONES: a GeoJSON file or builtin:east-asia (the default); list takes several,\n"
    "joined with commas.\n";

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

static void print_zone_line(const aw_zone_info *zi)
{
    char b[64];
    band(b, sizeof b, zi);
    printf("  %-16s %-12s %-8s %d polygon%s, %d vertices (%d chords), %s%s%s\n", zi->id,
           zi->kind[0] ? zi->kind : "-", edge_names[zi->edges], zi->polygons,
           zi->polygons == 1 ? "" : "s", zi->vertices, zi->chords, b, zi->name[0] ? ", " : "",
           zi->name);
}

static int zones_check(const char *path)
{
    aw_zone_set *zs = cli_load_zones(path);
    if (!zs)
        return EXIT_BAD_INPUT;
    int n = aw_zones_count(zs);
    printf("%s: %d zone%s, valid\n", path, n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++)
        print_zone_line(aw_zones_info(zs, i));
    aw_zones_free(zs);
    return 0;
}

static int zones_list(const char *spec)
{
    aw_zone_set *zs = cli_load_zones(spec);
    if (!zs)
        return EXIT_BAD_INPUT;
    for (int i = 0; i < aw_zones_count(zs); i++) {
        const aw_zone_info *zi = aw_zones_info(zs, i);
        printf("%-12s %-12s %-3s %-8s %s\n", zi->id, zi->kind[0] ? zi->kind : "-",
               zi->owner[0] ? zi->owner : "-", edge_names[zi->edges], zi->name);
    }
    aw_zones_free(zs);
    return 0;
}

/* Every property of one zone, then the loader's view of its geometry. */
static int zones_show(const char *id, const char *spec)
{
    aw_zone_set *zs = cli_load_zones(spec);
    if (!zs)
        return EXIT_BAD_INPUT;
    int z = aw_zones_find(zs, id);
    if (z < 0) {
        fprintf(stderr, "adizwatch: %s: no zone with id '%s'\n", spec, id);
        aw_zones_free(zs);
        return EXIT_BAD_INPUT;
    }
    size_t len;
    char *text = cli_zones_json(spec, &len);
    json_t *root = text ? json_loadb(text, len, 0, NULL) : NULL;
    free(text);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(root, "features"), i, f) {
        json_t *props = json_object_get(f, "properties");
        if (!json_is_string(json_object_get(props, "id")) ||
            strcmp(json_string_value(json_object_get(props, "id")), id) != 0)
            continue;
        const char *key;
        json_t *v;
        json_object_foreach(props, key, v) {
            if (json_is_string(v)) {
                printf("%s: %s\n", key, json_string_value(v));
            } else {
                char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                printf("%s: %s\n", key, dump ? dump : "?");
                free(dump);
            }
        }
        break;
    }
    json_decref(root);
    const aw_zone_info *zi = aw_zones_info(zs, z);
    printf("geometry: %d polygon%s, %d vertices (%d chords)\n", zi->polygons,
           zi->polygons == 1 ? "" : "s", zi->vertices, zi->chords);
    printf("bounds: %.4f..%.4f N, %.4f..%.4f E\n", zi->min_lat, zi->max_lat, zi->min_lon,
           zi->max_lon);
    aw_zones_free(zs);
    return 0;
}

int cmd_zones(int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "check") == 0 && argc == 3)
        return zones_check(argv[2]);
    if (strcmp(sub, "list") == 0 && argc <= 3)
        return zones_list(argc == 3 ? argv[2] : DEFAULT_ZONES);
    if (strcmp(sub, "show") == 0 && (argc == 3 || argc == 4))
        return zones_show(argv[2], argc == 4 ? argv[3] : DEFAULT_ZONES);
    if (strcmp(sub, "export") == 0) {
        const char *spec = NULL, *format = "geojson";
        bool ok = true;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
                format = argv[++i];
            else if (strncmp(argv[i], "--format=", 9) == 0)
                format = argv[i] + 9;
            else if (!spec && argv[i][0] != '-')
                spec = argv[i];
            else
                ok = false;
        }
        if (ok)
            return zones_export(spec ? spec : DEFAULT_ZONES, format);
    }
    fputs(usage_text, stderr);
    return EXIT_BAD_INPUT;
}
