/* zone.h -- zone geometry as the engine uses it (internal).
 *
 * Each ring is kept as a chain of chords in lon/lat, densified from the file's edges so
 * that no chord strays more than AW_CHORD_TOL_M from the true edge (see geo.h). Rings
 * carry latitude bins -- for each horizontal band, the chords that reach into it -- so a
 * point or a path chord is only ever tested against the few chords near it. */
#ifndef ADIZWATCH_ZONE_H
#define ADIZWATCH_ZONE_H

#include "adizwatch/zones.h"
#include "geo/geo.h"

typedef struct aw_ring {
    int n;                /* number of chords; points 0..n, point n == point 0 */
    double *lat, *lon;    /* n + 1 points, lon unrolled continuously */
    int *edge;            /* n: index of the file's edge each chord comes from */
    double *unit;         /* 3 (n + 1): unit vectors on the sphere, for the distance prefilter */
    double min_lat, max_lat, min_lon, max_lon;
    int nbins;
    double bin_lat0, bin_h;
    int *bin_start;       /* nbins + 1 offsets into bin_items */
    int *bin_items;       /* chord indices */
} aw_ring;

typedef struct aw_polygon {
    int nrings;           /* ring 0 is the outer ring, the others holes */
    aw_ring *rings;
} aw_polygon;

typedef struct aw_zone {
    aw_zone_info info;    /* its strings are owned (strdup) by the zone */
    int npolys;
    aw_polygon *polys;
} aw_zone;

struct aw_zone_set {
    int n;
    aw_zone *zones;
};

/* A growable list of doubles (crossing parameters). */
typedef struct aw_params {
    double *v;
    int n, cap;
} aw_params;

int aw_params_push(aw_params *p, double x);
void aw_params_free(aw_params *p);

/* Densify a ring given as n_in closed positions (lon, lat pairs, first == last) with
 * the given edge kind. Returns 0, or -1 on allocation failure. */
int aw_ring_build(aw_ring *r, const double *lonlat, int n_in, aw_edge_kind edges);
void aw_ring_free(aw_ring *r);

/* Append to out the distances along the path (metres from its start) where its chords
 * cross the zone's boundary, lon-shifted by whole turns to meet the zone. */
int aw_zone_path_crossings(const aw_zone_set *zs, int zone, const aw_path *path, aw_params *out);

/* Report each pair of chords in a polygon that cross each other, through fn as
 * "ring R edge E crosses ring R2 edge E2 near (lon, lat)". Returns the count. */
int aw_polygon_self_intersections(const aw_polygon *poly,
                                  void (*fn)(const char *message, void *user), void *user);

#endif
