/* zones_arg.c -- the --zones argument: a GeoJSON file, loaded and validated.
 *
 * Every command that watches zones loads them here, so that a bad zone file is refused
 * the same way everywhere: every problem printed, nothing run. */
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

aw_zone_set *cli_load_zones(const char *spec)
{
    aw_zone_set *zs = aw_zones_load_file(spec, print_zone_problem, (void *)spec);
    if (!zs)
        fprintf(stderr, "adizwatch: %s: zone file refused; nothing was run\n", spec);
    return zs;
}
