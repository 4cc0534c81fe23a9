/* trig.h -- sine and cosine for the engine's bounds, without the C library's call.
 *
 * Why: the depth bounds (aw_geodesic_distance_upper, the depth grid) and the length of
 * each hop take a few sines and cosines for every report of a visit -- tens of millions
 * in a replay. glibc's sin, cos and sincos save and restore the rounding mode on every
 * call, which was most of their cost there (about 8 % of a replay of real traffic).
 * These are plain polynomials, inlined: the argument is reduced to within pi/4 of a
 * multiple of pi/2 (pi/2 in two parts, Cody and Waite), then the Taylor series to the
 * 13th power (sine) and the 14th (cosine), whose first terms left out are under 3e-14
 * of the value there (tests/test_geodesy.c checks 1e-13 against libm). So only for
 * figures that are bounds with a margin far wider than that (a part in a billion), never
 * for a figure an event prints. Arguments up to a few turns (radians of latitudes,
 * longitudes and their differences); past AW_TRIG_MAX the C library answers. */
#ifndef ADIZWATCH_GEO_TRIG_H
#define ADIZWATCH_GEO_TRIG_H

#include <math.h>

#define AW_TRIG_MAX 64.0 /* radians: k * pi/2's high part stays exact (k < 2^20) */

static inline void aw_sincos(double x, double *s, double *c)
{
    if (!(fabs(x) <= AW_TRIG_MAX)) { /* and NaN */
        *s = sin(x);
        *c = cos(x);
        return;
    }
    /* pi/2 = PIO2_HI + PIO2_LO, PIO2_HI with 33 significant bits: k * PIO2_HI is exact. */
    const double PIO2_HI = 1.57079632673412561417e+00, PIO2_LO = 6.07710050650619224932e-11;
    const double SHIFTER = 6755399441055744.0; /* 1.5 * 2^52: adding it rounds to an integer */
    double k = (x * 0.63661977236758134308 + SHIFTER) - SHIFTER;
    double r = (x - k * PIO2_HI) - k * PIO2_LO, r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    /* Taylor to r^13 and r^14, in Estrin's order (pairs, then r^4 and r^8) so that the
     * terms are computed side by side rather than one after another */
    double sp = (-1.0 / 6 + r2 * (1.0 / 120)) + r4 * (-1.0 / 5040 + r2 * (1.0 / 362880)) +
                r8 * (-1.0 / 39916800 + r2 * (1.0 / 6227020800));
    double cp = (1.0 / 24 + r2 * (-1.0 / 720)) + r4 * (1.0 / 40320 + r2 * (-1.0 / 3628800)) +
                r8 * (1.0 / 479001600 + r2 * (-1.0 / 87178291200));
    double sr = r + r * r2 * sp, cr = (1 - 0.5 * r2) + r4 * cp;
    switch ((long)k & 3) {
    case 0:
        *s = sr;
        *c = cr;
        break;
    case 1:
        *s = cr;
        *c = -sr;
        break;
    case 2:
        *s = -sr;
        *c = -cr;
        break;
    default:
        *s = -cr;
        *c = sr;
        break;
    }
}

static inline double aw_sin(double x)
{
    double s, c;
    aw_sincos(x, &s, &c);
    return s;
}

static inline double aw_cos(double x)
{
    double s, c;
    aw_sincos(x, &s, &c);
    return c;
}

#endif
