/* case_zones.h -- the zones of a reference case in ../shared/data/cases, when that data is
 * beside the repository; NULL (and a line saying it was skipped) when it is not. */
#ifndef ADIZWATCH_TEST_CASE_ZONES_H
#define ADIZWATCH_TEST_CASE_ZONES_H

#include <stdio.h>

#include "adizwatch/zones.h"

/* The cases whose zones the unit tests use: circles, long geodesic edges, bands, a polygon
 * across the antimeridian. */
static const char *const case_names[] = {"synthetic", "kansai1", "savan"};
#define CASE_COUNT 3

static inline aw_zone_set *load_case_zones(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../../../shared/data/cases/%s/zones.geojson", FIXTURES, name);
    aw_zone_set *zs = aw_zones_load_file(path, NULL, NULL);
    if (!zs)
        printf("skipped the %s zones: shared data absent\n", name);
    return zs;
}

#endif
