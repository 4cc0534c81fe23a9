/* intercept.c -- the earliest intercept on the ellipsoid, and time to a zone.
 *
 * Both are searches along the intruder's geodesic. For the intercept, the gap
 * g(t) = distance(base, target(t)) - speed x (t - ready) shrinks no faster than
 * (fighter speed + target speed) per second, so from a point where g > 0 the next
 * g / (v + w) seconds cannot hold a meeting: stepping by that amount can never skip the
 * first root, and a bisection then pins it to a millisecond. The zone search steps the
 * same way by the distance to the zone's boundary. */
#include <math.h>
#include <string.h>

#include "adizwatch/intercept.h"
#include "geo/geo.h"

void aw_intercept_target_at(const aw_intercept_input *in, double t, double *lat, double *lon)
{
    geod_direct(aw_wgs84(), in->target_lat, in->target_lon, in->target_course_deg,
                in->target_speed_mps * t, lat, lon, NULL);
}

/* The gap at time t: positive while the fighter cannot yet be there. */
static double gap(const aw_intercept_input *in, double t)
{
    double lat, lon, s;
    aw_intercept_target_at(in, t, &lat, &lon);
    geod_inverse(aw_wgs84(), in->base_lat, in->base_lon, lat, lon, &s, NULL, NULL);
    double reach = t > in->ready_s ? in->fighter_speed_mps * (t - in->ready_s) : 0;
    return s - reach;
}

int aw_intercept_solve(const aw_intercept_input *in, aw_intercept *out)
{
    memset(out, 0, sizeof *out);
    if (!isfinite(in->base_lat) || !isfinite(in->base_lon) || !isfinite(in->target_lat) ||
        !isfinite(in->target_lon) || !isfinite(in->target_course_deg) ||
        !(in->fighter_speed_mps > 0) || !(in->target_speed_mps >= 0) || !(in->ready_s >= 0) ||
        !(in->horizon_s > 0) || fabs(in->base_lat) > 90 || fabs(in->target_lat) > 90)
        return -1;
    double rate = in->fighter_speed_mps + in->target_speed_mps;
    double prev = in->ready_s, t = prev, g = gap(in, t);
    /* Before the ready time the fighter is on the ground: start looking at it. */
    while (g > 0) {
        double step = fmax(g / rate, 1e-3);
        if (t + step > in->horizon_s)
            return 0; /* out->possible stays false */
        prev = t;
        t += step;
        g = gap(in, t);
    }
    /* The first meeting lies in (prev, t]: bisect to a millisecond. */
    double lo = prev, hi = t;
    while (hi - lo > 1e-3) {
        double mid = 0.5 * (lo + hi);
        if (gap(in, mid) > 0)
            lo = mid;
        else
            hi = mid;
    }
    out->possible = true;
    out->time_s = hi;
    aw_intercept_target_at(in, hi, &out->lat, &out->lon);
    geod_inverse(aw_wgs84(), in->base_lat, in->base_lon, out->lat, out->lon,
                 &out->fighter_distance_m, &out->fighter_course_deg, NULL);
    return 0;
}

double aw_time_to_zone(const aw_zone_set *zs, int zone, double lat, double lon,
                       double course_deg, double speed_mps, double horizon_s)
{
    if (aw_zone_contains_2d(zs, zone, lat, lon))
        return 0;
    if (!(speed_mps > 0))
        return -1;
    struct geod_geodesicline line;
    geod_directline(&line, aw_wgs84(), lat, lon, course_deg, speed_mps * horizon_s, 0);
    double t = 0, plat = lat, plon = lon;
    for (;;) {
        /* No point of the zone lies nearer than its boundary: a step that long cannot
         * enter it. At least 10 m a step, so a zone clipped by less is not seen. */
        double step = fmax(aw_zone_boundary_distance(zs, zone, plat, plon), 10.0) / speed_mps;
        double next = t + step;
        if (next > horizon_s)
            return -1;
        double nlat, nlon;
        geod_position(&line, speed_mps * next, &nlat, &nlon, NULL);
        if (aw_zone_contains_2d(zs, zone, nlat, nlon)) {
            /* Entered during (t, next]: bisect to a millisecond. */
            double lo = t, hi = next;
            while (hi - lo > 1e-3) {
                double mid = 0.5 * (lo + hi), mlat, mlon;
                geod_position(&line, speed_mps * mid, &mlat, &mlon, NULL);
                if (aw_zone_contains_2d(zs, zone, mlat, mlon))
                    hi = mid;
                else
                    lo = mid;
            }
            return hi;
        }
        t = next;
        plat = nlat;
        plon = nlon;
    }
}
