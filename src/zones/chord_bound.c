/* chord_bound.c -- a lower bound of the exact depth's distance to one chord.
 *
 * Why: the exact distance to a zone's boundary (aw_zone_boundary_nearest) measures the
 * chords near the sphere's nearest in the order of a lower bound, until the bound passes
 * the best so far; each measurement costs up to two of PROJ's geod_inverse. The order's
 * bound (the angle times the least radius of curvature, less 60 m) is up to 0.5 % under
 * the truth, so deep inside a zone (hundreds of km) chords a few km farther than the
 * nearest were measured too. This bound is within a few tens of metres of the answer
 * there, and passes over most of them unmeasured; the answer is unchanged (a chord it
 * passes over could not be nearer than the best so far).
 *
 * What is bounded is chord_exact's own answer: the distance from the origin of the
 * point's azimuthal equidistant plane to the segment between the chord's ends mapped
 * into it. Their distances from the origin are exact geodesic distances, at least la and
 * lb (aw_geodesic_distance_lower_unit). They are at most ell apart: the chord is a
 * lon/lat segment no longer than sqrt((M_max dphi)^2 + (P_max dlambda)^2) (M, the
 * meridian's radius of curvature, is largest at its highest |latitude|; P, the
 * parallel's radius, at its lowest), and the plane stretches lengths across by at most
 * x / sin x at x = r / b for points within r of the origin (no Gaussian curvature of
 * WGS84 exceeds 1 / b^2; Rauch's comparison bounds the reduced length from below by the
 * sphere's of radius b). A segment whose ends are r1, r2 from the origin and at most
 * ell apart is min(r1, r2) from it when its nearest point is an end, and otherwise at
 * least sqrt((r1^2 + r2^2 - ell^2) / 2) (the two right triangles on the foot). */
#include <math.h>

#include "zones/zone.h"

double aw_chord_distance_lower(const double *p, const aw_ring *r, int i)
{
    const double a = AW_WGS84_A, e2 = AW_WGS84_E2, b = AW_WGS84_A * (1 - AW_WGS84_F);
    const double *ua = &r->unit[3 * i], *ub = &r->unit[3 * i + 3];
    double la = aw_geodesic_distance_lower_unit(p, ua), lb = aw_geodesic_distance_lower_unit(p, ub);
    if (!(la > 0 && lb > 0))
        return 0;
    double lat1 = r->lat[i], lat2 = r->lat[i + 1];
    /* The sines of the chord's highest and lowest |latitude|, from its ends' unit vectors
     * (a lon/lat chord's latitude is linear along it: its extremes are at its ends). */
    double sh = fmax(fabs(ua[2]), fabs(ub[2]));
    double sl = lat1 * lat2 <= 0 ? 0.0 : fmin(fabs(ua[2]), fabs(ub[2]));
    double wh = 1 - e2 * sh * sh, wl = 1 - e2 * sl * sl;
    double m_max = a * (1 - e2) / (wh * sqrt(wh));
    double p_max = a * sqrt(1 - sl * sl) / sqrt(wl) * (1 + 1e-12);
    double dphi = fabs(lat2 - lat1) * AW_DEG, dlam = fabs(r->lon[i + 1] - r->lon[i]) * AW_DEG;
    double len = sqrt(m_max * m_max * dphi * dphi + p_max * p_max * dlam * dlam) * (1 + 1e-9);
    /* How far the chord's points can be from the point: the geodesic to an end is at
     * most a^2 / b times the angle to it (asin y <= y / sqrt(1 - y^2)), and the chord
     * adds at most its length. */
    double ex = p[0] - ua[0], ey = p[1] - ua[1], ez = p[2] - ua[2];
    double y = 0.5 * sqrt(ex * ex + ey * ey + ez * ez);
    if (!(y < 0.45))
        return 0;
    double reach = 2 * y / sqrt(1 - y * y) * (a * a / b) + len;
    double x = reach / b * (1 + 1e-9);
    if (!(x < 1.0))
        return 0;
    double stretch = 1 / (1 - x * x / 6); /* x / sin x, as sin x >= x - x^3 / 6 */
    double ell = len * stretch * (1 + 1e-9);
    double r_min = fmin(la, lb), h2 = 0.5 * (la * la + lb * lb - ell * ell);
    double low = h2 > 0 ? fmin(r_min, sqrt(h2)) : 0;
    return low * (1 - 1e-9) - 1e-3; /* for the rounding here and in chord_exact */
}
