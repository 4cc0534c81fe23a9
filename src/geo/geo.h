/* geo.h -- the WGS84 geometry every other part stands on (internal).
 *
 * Geodesics come from PROJ's geodesic.h (Karney's algorithms, accurate to nanometres).
 * Rhumb lines are computed here: they are straight in the ellipsoidal Mercator
 * projection, so a point on one is a linear blend of longitude and isometric latitude.
 * Curved lines (geodesic or rhumb edges, geodesic paths) are handled elsewhere as
 * chains of short chords in longitude/latitude, each within AW_CHORD_TOL_M of the
 * true curve: then intersection and point-in-polygon are plain plane geometry. */
#ifndef ADIZWATCH_GEO_H
#define ADIZWATCH_GEO_H

#include <geodesic.h>
#include <stdbool.h>
#include <stddef.h>

/* Chords stay within this distance of the curve they stand for. The reference oracle
 * densifies to 0.5 m; the contract's tolerance on positions is 30 m. */
#define AW_CHORD_TOL_M 0.1
/* Chords are also at most this long (degrees of lat or lon), so that short-chord
 * approximations (sphere prefilter, lat bins) stay tight. */
#define AW_CHORD_MAX_DEG 0.1

#define AW_DEG (3.14159265358979323846 / 180.0)

/* The WGS84 ellipsoid: semi-major axis (metres), flattening, first eccentricity squared
 * (f (2 - f)), and b^2 / a, the least radius of curvature anywhere on it (metres). */
#define AW_WGS84_A 6378137.0
#define AW_WGS84_F (1.0 / 298.257223563)
#define AW_WGS84_E2 0.00669437999014132
#define AW_WGS84_MIN_RADIUS_M 6335439.3271

/* The WGS84 ellipsoid, initialised once (thread-safe). */
const struct geod_geodesic *aw_wgs84(void);

/* Geodesic distance in metres between two points (degrees). */
double aw_geodesic_distance(double lat1, double lon1, double lat2, double lon2);

/* An upper bound of aw_geodesic_distance, within a few parts in a million of it over
 * hundreds of kilometres and never below it, without PROJ (a few sines; see geodesy.c). */
double aw_geodesic_distance_upper(double lat1, double lon1, double lat2, double lon2);

/* A lower bound of the geodesic distance between two points given as unit vectors at
 * their geodetic coordinates, within 3e-4 of it up to 1,000 km (0 past a radian). */
double aw_geodesic_distance_lower_unit(const double *p, const double *q);

/* Isometric latitude psi(phi) on WGS84 (the Mercator northing / a), and its inverse. */
double aw_isometric_lat(double lat_deg);
double aw_lat_from_isometric(double psi);

/* Point at fraction u of the rhumb line from (lat1, lon1) to (lat2, lon2); longitudes
 * are taken as given (no wrap), as GeoJSON rings with continuous longitudes need. */
void aw_rhumb_point(double lat1, double lon1, double lat2, double lon2, double u,
                    double *lat, double *lon);

/* Approximate metres between two nearby lon/lat points (local equirectangular). */
double aw_approx_metres(double lat1, double lon1, double lat2, double lon2);

/* A geodesic path from a to b, as chords: points (lat[i], lon[i]) at distances s[i]
 * along it, lon unrolled continuously from lon_a. */
typedef struct aw_path {
    struct geod_geodesicline line;
    double length_m;
    int n;          /* number of points (>= 2) */
    int cap;
    double *lat, *lon, *s;
    double min_lat, max_lat, min_lon, max_lon; /* bounding box of the chords, lon unrolled */
} aw_path;

void aw_path_init(aw_path *p);
void aw_path_free(aw_path *p);
/* Build the chords of the geodesic from a to b. Returns 0, or -1 on allocation failure. */
int aw_path_build(aw_path *p, double lat_a, double lon_a, double lat_b, double lon_b);
/* Point at distance s along the path (lon unrolled from lon_a). */
void aw_path_point(const aw_path *p, double s, double *lat, double *lon);

#endif
