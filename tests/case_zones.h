/* case_zones.h -- the zones of a reference case in ../shared/data/cases, for the --shared
 * part of a unit test (shared_data.h): absent, the test is skipped; present but not
 * loading, it fails. */
#ifndef ADIZWATCH_TEST_CASE_ZONES_H
#define ADIZWATCH_TEST_CASE_ZONES_H

#include <stdio.h>

#include "adizwatch/zones.h"
#include "check.h"
#include "shared_data.h"

/* The cases whose zones the unit tests use: circles, long geodesic edges, bands, a polygon
 * across the antimeridian. */
static const char *const case_names[] = {"synthetic", "kansai1", "savan"};
#define CASE_COUNT 3

/* Skips the test unless every case's zones file is there, so that a run either checks
 * all of them or none. */
static inline void need_case_zones(void)
{
    char rel[128], path[512];
    for (int c = 0; c < CASE_COUNT; c++) {
        snprintf(rel, sizeof rel, "data/cases/%s/zones.geojson", case_names[c]);
        shared_need(shared_path(rel, path, sizeof path));
    }
}

static inline aw_zone_set *load_case_zones(const char *name)
{
    char rel[128], path[512];
    snprintf(rel, sizeof rel, "data/cases/%s/zones.geojson", name);
    aw_zone_set *zs = aw_zones_load_file(shared_path(rel, path, sizeof path), NULL, NULL);
    if (!zs)
        printf("%s: the zones do not load\n", path);
    CHECK(zs != NULL); /* the file is there (need_case_zones): not loading is a failure */
    return zs;
}

#endif
