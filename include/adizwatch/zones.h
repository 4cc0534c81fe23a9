/* zones.h -- the airspace the engine watches: ADIZs, territorial airspace, any polygon.
 *
 * Zones are read from GeoJSON (a FeatureCollection of Polygon / MultiPolygon features,
 * holes allowed) as ../spec/events.md defines them: an `id` per feature, an optional
 * altitude band (`floor_ft`, `ceiling_ft`), and `edges` saying how consecutive vertices
 * are joined -- `geodesic` (default), `rhumb` or `planar`. Longitudes may run past 180
 * so that a zone can cross the antimeridian.
 *
 * Loading validates everything first and reports each problem with the feature's index
 * and id; a zone set is only returned when there is none. A loaded set is immutable and
 * may be shared by threads. */
#ifndef ADIZWATCH_ZONES_H
#define ADIZWATCH_ZONES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_zone_set aw_zone_set;

typedef enum aw_edge_kind { AW_EDGE_GEODESIC = 0, AW_EDGE_RHUMB, AW_EDGE_PLANAR } aw_edge_kind;

/* Descriptive properties of one zone. Strings are "" when absent. */
typedef struct aw_zone_info {
    const char *id, *name, *kind, *owner;
    double floor_ft, ceiling_ft; /* NAN when the band is open on that side */
    aw_edge_kind edges;
    int polygons;                /* number of polygons (parts) */
    int vertices;                /* vertices as given in the file, over all rings */
    int chords;                  /* chords after densifying the edges */
    double min_lat, max_lat, min_lon, max_lon; /* bounding box (lon may run past 180) */
} aw_zone_info;

/* Called once per problem found while loading. feature_index is the 0-based index in
 * "features" (-1 for a problem with the file as a whole); zone_id is NULL when the
 * feature has no usable id. */
typedef void (*aw_zone_problem_fn)(int feature_index, const char *zone_id, const char *message,
                                   void *user);

/* Load zones from a GeoJSON file. Returns NULL if the file cannot be read or parsed or
 * any feature has a problem; every problem is passed to fn (which may be NULL). */
aw_zone_set *aw_zones_load_file(const char *path, aw_zone_problem_fn fn, void *user);
/* The same from a string in memory. */
aw_zone_set *aw_zones_load_string(const char *json, size_t len, aw_zone_problem_fn fn, void *user);
void aw_zones_free(aw_zone_set *zs);

/* The zones: how many, and what is known of zone 0 <= zone < count (not checked). */
int aw_zones_count(const aw_zone_set *zs);
const aw_zone_info *aw_zones_info(const aw_zone_set *zs, int zone);
/* Index of the zone with this id, or -1. */
int aw_zones_find(const aw_zone_set *zs, const char *id);

/* Is the point inside the zone? Boundary included, holes excluded, and within the band
 * when alt_ft is known (NAN = unknown altitude counts as inside the band). */
bool aw_zone_contains(const aw_zone_set *zs, int zone, double lat, double lon, double alt_ft);
/* The horizontal test alone (no band). */
bool aw_zone_contains_2d(const aw_zone_set *zs, int zone, double lat, double lon);

/* Every zone whose horizontal area contains the point (bands are not tested), at once:
 * their indices, in no particular order, go to out (at most max of them); the return
 * value is how many there are, which may exceed max. The answers are exactly those of
 * aw_zone_contains_2d zone by zone, from the set's grid index, in tens of nanoseconds. */
int aw_zones_at(const aw_zone_set *zs, double lat, double lon, int *out, int max);

/* aw_zones_at for n points: faster for many scattered points, because the index memory
 * of points further on is fetched while earlier points are answered. Point i's
 * zones follow those of point i - 1 in zones[] (at most cap entries in all) and
 * count[i] says how many. Returns the number of points answered: n, or fewer when zones[]
 * ran out of room (call again from there). */
size_t aw_zones_at_many(const aw_zone_set *zs, size_t n, const double *lat, const double *lon,
                        uint32_t *count, int *zones, size_t cap);

/* Geodesic distance in metres from the point to the zone's nearest boundary (outer
 * ring or hole), whether the point is inside or not. */
double aw_zone_boundary_distance(const aw_zone_set *zs, int zone, double lat, double lon);

AW_END_DECLS
#endif
