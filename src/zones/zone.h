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

/* fmin and fmax for the hot loops, on coordinates and distances (never NaN): written
 * out so that they are inlined, where the C library's are calls (3 % of a large build). */
static inline double lesser(double x, double y) { return y < x ? y : x; }
static inline double greater(double x, double y) { return y > x ? y : x; }

#define AW_BLOCK_CHORDS 16  /* chords under one small cap */
#define AW_SUPER_CHORDS 256 /* chords under one large cap */

typedef struct aw_ring {
    int n;                /* number of chords; points 0..n, point n == point 0 */
    double *lat, *lon;    /* n + 1 points, lon unrolled continuously */
    int *edge;            /* n: index of the file's edge each chord comes from */
    double *unit;         /* 3 (n + 1): unit vectors on the sphere, for the distance prefilter */
    int nblocks;          /* chords in blocks of AW_BLOCK_CHORDS, each within a spherical cap: */
    double *block;        /* 6 per block: the cap's centre (unit vector), cos, sin and radius */
    int nsupers;          /* the same over AW_SUPER_CHORDS chords: a two-level hierarchy */
    double *super;
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

typedef struct aw_depth_grid aw_depth_grid;

typedef struct aw_zone {
    aw_zone_info info;    /* its strings are owned (strdup) by the zone */
    int npolys;
    aw_polygon *polys;
    aw_depth_grid *depth_grid; /* for aw_zone_depth_bound (depth_bound.c) */
} aw_zone;

typedef struct aw_zone_index aw_zone_index;

struct aw_zone_set {
    int n;
    aw_zone *zones;
    aw_zone_index *index; /* built once the zones are loaded (zone_index.c) */
};

#define AW_ON_BOUNDARY_DEG 1e-9 /* ~0.1 mm: closer than this to a chord counts as on it */

/* Is (lat, lon) on the chord (x1, y1)-(x2, y2) (lon, lat), within AW_ON_BOUNDARY_DEG?
 * The point-in-zone test and the zone index must agree on this to the bit. */
static inline bool aw_on_chord(double x1, double y1, double x2, double y2, double lat, double lon)
{
    if (lat < (y1 < y2 ? y1 : y2) || lat > (y1 < y2 ? y2 : y1))
        return false;
    if (lon < (x1 < x2 ? x1 : x2) - AW_ON_BOUNDARY_DEG || lon > (x1 < x2 ? x2 : x1) + AW_ON_BOUNDARY_DEG)
        return false;
    double dx = x2 - x1, dy = y2 - y1, cross = dx * (lat - y1) - dy * (lon - x1);
    return cross * cross <= AW_ON_BOUNDARY_DEG * AW_ON_BOUNDARY_DEG * (dx * dx + dy * dy);
}

/* Build / free the grid index over a loaded set. Returns 0, or -1 on allocation failure. */
int aw_zone_index_build(aw_zone_set *zs);
void aw_zone_index_free(aw_zone_index *ix);

/* Zones whose horizontal extent contains the point (no band test): their indices go to
 * out (at most max; the return value is the full count). Exactly the answers of
 * aw_zone_contains_2d, zone by zone. */
int aw_zone_index_query(const aw_zone_set *zs, double lat, double lon, int *out, int max);

/* Is the point in zone z horizontally? The answer of aw_zone_contains_2d, from the
 * index: the zone's record in the point's cell, a few chords, where the exact test casts
 * a ray across the ring's chords at that latitude. */
bool aw_zone_index_holds(const aw_zone_set *zs, int zone, double lat, double lon);

/* Size of the index: cells, boundary cells, chords filed in them, lists, boundary cells
 * cut into sub-grids, cell size (degrees). */
typedef struct aw_zone_index_stats {
    long cells, boundary_cells, filed_chords, lists, sub_grids;
    double cell_deg;
} aw_zone_index_stats;
void aw_zone_index_get_stats(const aw_zone_set *zs, aw_zone_index_stats *st);

/* Start fetching what the index will read of the point (its cell, its clearance), for a
 * query a little later: with thousands of zones the index is far larger than the cache. */
void aw_zone_index_prefetch(const aw_zone_set *zs, double lat, double lon);

/* A lower bound, in metres, of the distance from the point to the nearest boundary of
 * any zone (0 when near one, or when the index cannot tell). */
double aw_zone_index_clearance(const aw_zone_set *zs, double lat, double lon);

/* Build / free a zone's depth grid (NULL when out of memory). */
aw_depth_grid *aw_depth_grid_build(const aw_zone *z);
void aw_depth_grid_free(aw_depth_grid *g);

/* An upper bound, in metres, of aw_zone_boundary_distance(zs, zone, lat, lon), close to
 * it deep inside the zone, for a few nanoseconds (INFINITY without a depth grid). */
double aw_zone_depth_bound(const aw_zone_set *zs, int zone, double lat, double lon);
/* The least 1 - cos(angle) from p, the unit vector of (lat, lon), to the ring vertices
 * the depth grid keeps around the point; INFINITY without a grid. The exact depth's
 * search starts from it (aw_zone_boundary_nearest_from). */
double aw_zone_depth_grid_measure(const aw_zone_set *zs, int zone, double lat, double lon,
                                  const double *p);

/* aw_zone_boundary_distance, and the point of the boundary it is measured to (a point
 * of a ring's chord, its longitude maybe a turn off the point's; NAN if none): whatever
 * the point q, the distance from q to the boundary is at most the geodesic from q to
 * that point, which is how the engine rules out reports near a measured one. */
double aw_zone_boundary_nearest(const aw_zone_set *zs, int zone, double lat, double lon,
                                double *near_lat, double *near_lon);

/* The same, bit for bit, given a point (hint_lat, hint_lon) that aw_zone_boundary_nearest
 * returned for this zone (any earlier point, within 20 m of a chord): the search for the
 * nearest chord starts from the distance to it rather than from nothing, and skips most
 * of the zone's chords at once. A NAN hint is no hint. */
double aw_zone_boundary_nearest_from(const aw_zone_set *zs, int zone, double lat, double lon,
                                     double hint_lat, double hint_lon, double *near_lat,
                                     double *near_lon);

/* The zones whose boundaries come near the segment (length_m long at most, from a to
 * b): those with chords in the boundary cells under its box, the box widened for the
 * geodesic's bow. Their indices go to out, each once, and their count is returned; -1
 * when it cannot tell (a long segment, a large box, more than max zones). A zone none of
 * whose boundary is near cannot be crossed sideways along the segment, nor can any chord
 * of its rings meet the segment's path; 0 zones: the segment is clear of every boundary. */
int aw_zone_index_segment_zones(const aw_zone_set *zs, double lat_a, double lon_a, double lat_b,
                                double lon_b, double length_m, int *out, int max);

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

/* The same crossings for the path of a short segment from a to b (length_m long at most,
 * as given to aw_zone_index_segment_zones), from the zone's records in the index cells
 * under the segment's box: the chords there are copies of the rings' (the same numbers),
 * contiguous, and the segment's search for the zones near it has just read those cells.
 * A chord filed in several of the cells gives its crossing once for each (the same
 * number); a long segment is answered by aw_zone_path_crossings. */
int aw_zone_index_path_crossings(const aw_zone_set *zs, int zone, const aw_path *path, double lat_a, double lon_a,
                                 double lat_b, double lon_b, double length_m, aw_params *out);

/* Report each pair of chords in a polygon that cross each other, through fn as
 * "ring R edge E crosses ring R2 edge E2 near (lon, lat)" (zone_valid.c). Returns the
 * count. */
int aw_polygon_self_intersections(const aw_polygon *poly,
                                  void (*fn)(const char *message, void *user), void *user);

/* A lower bound, in metres, of the exact depth's distance from the point (p: its unit
 * vector at its geodetic coordinates) to chord i of the ring, within tens of metres of it
 * at hundreds of km (chord_bound.c); 0 when it cannot tell. */
double aw_chord_distance_lower(const double *p, const aw_ring *r, int i);

/* Where chord P0-P1 meets chord Q0-Q1: the fraction along P (and *u along Q, if u is
 * given), or -1 if they do not meet. The ring's latitude bin of lat. Both are the
 * path-crossing code's own, which the validity check shares. */
double aw_chord_meet(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y, double q1x,
                     double q1y, double *u);
int aw_ring_bin(const aw_ring *r, double lat);

#endif
