/* zones_arg.c -- the --zones argument: GeoJSON files and built-in zone sets.
 *
 * Every command that watches zones loads them here, so that a bad zone file is refused
 * the same way everywhere: every problem printed, nothing run. A spec is a file name or
 * `builtin:NAME` (the zones compiled into the library, e.g. builtin:east-asia); several
 * specs may be joined with commas, and their zones are watched together (ids must then
 * be unique across them). Each part is validated on its own first, so that problems are
 * reported against the file and feature index the analyst can look up. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adizwatch/theater.h"
#include "cli/cli.h"

static void print_zone_problem(int feature, const char *id, const char *message, void *user)
{
    const char *spec = user;
    if (feature < 0)
        fprintf(stderr, "%s: %s\n", spec, message);
    else if (id)
        fprintf(stderr, "%s: feature %d (id \"%s\"): %s\n", spec, feature, id, message);
    else
        fprintf(stderr, "%s: feature %d: %s\n", spec, feature, message);
}

static bool is_builtin(const char *spec)
{
    return strncmp(spec, AW_BUILTIN_PREFIX, strlen(AW_BUILTIN_PREFIX)) == 0;
}

/* Load one spec (no commas). */
static aw_zone_set *load_one(const char *spec)
{
    if (is_builtin(spec))
        return aw_theater_load(spec + strlen(AW_BUILTIN_PREFIX), print_zone_problem,
                               (void *)spec);
    return aw_zones_load_file(spec, print_zone_problem, (void *)spec);
}

char *cli_zones_json(const char *spec, size_t *len)
{
    char err[256] = "out of memory";
    char *text = aw_theater_zones_text(spec, len, err, sizeof err);
    if (!text)
        fprintf(stderr, "%s: %s\n", spec, err);
    return text;
}

/* Several specs: each validated alone, then their features loaded as one set. */
static aw_zone_set *load_combined(const char *spec)
{
    char *list = strdup(spec);
    if (!list)
        return NULL;
    json_t *features = json_array();
    bool ok = true;
    for (char *save = NULL, *part = strtok_r(list, ",", &save); part;
         part = strtok_r(NULL, ",", &save)) {
        aw_zone_set *alone = load_one(part);
        if (!alone) {
            ok = false;
            continue;
        }
        aw_zones_free(alone);
        size_t len;
        char *text = cli_zones_json(part, &len);
        json_t *root = text ? json_loadb(text, len, 0, NULL) : NULL;
        free(text);
        json_array_extend(features, json_object_get(root, "features"));
        json_decref(root);
    }
    free(list);
    aw_zone_set *zs = NULL;
    if (ok) {
        json_t *all = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
        char *text = json_dumps(all, JSON_COMPACT);
        if (text)
            zs = aw_zones_load_string(text, strlen(text), print_zone_problem, (void *)spec);
        free(text);
        json_decref(all);
    } else {
        json_decref(features);
    }
    return zs;
}

aw_zone_set *cli_load_zones(const char *spec)
{
    struct stat st;
    bool combined = strchr(spec, ',') && stat(spec, &st) != 0; /* "a,b.geojson" may exist */
    aw_zone_set *zs = combined ? load_combined(spec) : load_one(spec);
    if (!zs)
        fprintf(stderr, "adizwatch: %s: zone file refused; nothing was run\n", spec);
    return zs;
}
