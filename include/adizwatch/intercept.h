/* intercept.h -- can a fighter from this base meet that intruder, where, and in time?
 *
 * The intruder is taken to hold its course (a WGS84 geodesic from its position with the
 * given initial azimuth) and speed. The fighter is airborne after the base's ready time
 * and then flies the geodesic to the meeting point at constant speed. The earliest
 * meeting time is the first t at which the fighter's reach, speed x (t - ready), covers
 * the geodesic distance from the base to where the intruder is at t; it is found by
 * stepping (steps bounded by how fast that distance can change) and bisecting to a
 * millisecond, on the ellipsoid (PROJ geodesic.h), with no flat-earth shortcut. */
#ifndef ADIZWATCH_INTERCEPT_H
#define ADIZWATCH_INTERCEPT_H

#include <stdbool.h>

#include "zones.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_intercept_input {
    double base_lat, base_lon;            /* degrees */
    double ready_s;                       /* seconds from now until the fighter is airborne */
    double fighter_speed_mps;             /* > 0 */
    double target_lat, target_lon;        /* degrees, now */
    double target_course_deg;             /* initial azimuth of its geodesic */
    double target_speed_mps;              /* >= 0 */
    double horizon_s;                     /* give up after this many seconds (e.g. 6 h) */
} aw_intercept_input;

typedef struct aw_intercept {
    bool possible;            /* false: no meeting within the horizon */
    double time_s;            /* seconds from now */
    double lat, lon;          /* the meeting point */
    double fighter_distance_m;
    double fighter_course_deg; /* initial azimuth from the base */
} aw_intercept;

/* Solve. Returns 0, or -1 if the input is not sensible (non-finite, speed <= 0...). */
int aw_intercept_solve(const aw_intercept_input *in, aw_intercept *out);

/* Where the intruder is after t seconds on its course. */
void aw_intercept_target_at(const aw_intercept_input *in, double t, double *lat, double *lon);

/* Seconds until an aircraft at (lat, lon) holding course and speed enters the zone
 * (horizontally; 0 if it is inside now), or -1 if not within horizon_s. */
double aw_time_to_zone(const aw_zone_set *zs, int zone, double lat, double lon,
                       double course_deg, double speed_mps, double horizon_s);

AW_END_DECLS
#endif
