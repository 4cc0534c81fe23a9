/* geodesy.c -- WGS84 geodesics (through PROJ), rhumb lines, and geodesic paths as chords.
 *
 * Why chords: the contract joins reports by geodesics and lets zone edges be geodesics,
 * rhumb lines or lon/lat lines. Chaining short lon/lat chords that never stray more
 * than AW_CHORD_TOL_M from the curve turns every question (crossing, containment)
 * into exact plane geometry on those chords, with a known, tiny error bound. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "geo/geo.h"
#include "geo/trig.h"

static struct geod_geodesic wgs84;
static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;

static void wgs84_init(void) { geod_init(&wgs84, AW_WGS84_A, AW_WGS84_F); }

const struct geod_geodesic *aw_wgs84(void)
{
    pthread_once(&wgs84_once, wgs84_init);
    return &wgs84;
}

double aw_geodesic_distance(double lat1, double lon1, double lat2, double lon2)
{
    double s12;
    geod_inverse(aw_wgs84(), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

/* An upper bound of the geodesic distance, tight to a few parts in a million over
 * hundreds of kilometres, at the cost of a few sines: the engine asks "is this report
 * no farther than that from a boundary point?" for most reports of a visit, and PROJ's
 * geod_inverse there was a sixth of a replay.
 *
 * The bound is the length of a path no shorter than the geodesic: the great circle
 * between the two points on the sphere of geodetic coordinates (unit vectors from
 * phi, lambda), drawn on the ellipsoid. At constant angular speed sigma (its angle) with
 * x = dphi/dt and y = cos(phi) dlambda/dt, x^2 + y^2 = sigma^2 and the ellipsoid's
 * element of length squared is M^2 x^2 + N^2 y^2 = N^2 sigma^2 - D x^2, D = N^2 - M^2.
 * Over t in [0, 1] the length is at most the root of the integral of that (Jensen: the
 * root is concave), and
 * - N^2 / a^2 = 1 / (1 - e^2 u), u = sin^2 phi, is at most 1 + e^2 u + e^4 u u_hi /
 *   (1 - e^2), u_hi an upper bound of u on the arc (a point of the arc is a point of
 *   the chord, whose |z| is at most the larger end's, over its norm, at least
 *   cos(sigma / 2)); the integral of u = z(t)^2 along the arc is closed-form;
 * - D = a^2 e^2 cos^2 phi h(w), h(w) = (w + 1 - e^2) / w^3, w = 1 - e^2 u, and h falls
 *   as w grows; by Cauchy-Schwarz the integral of D x^2 is at least the square of the
 *   integral of sqrt(D) dphi from phi1 to phi2, at least a^2 e^2 h(w_max) (z2 - z1)^2
 *   with z = sin phi and w_max that of the least |phi| between the ends.
 * The path differs from the geodesic by metres over hundreds of kilometres, and its
 * length from the bound by less (tests/test_geodesy.c checks the bound against PROJ on
 * random pairs). Past a quarter turn the bound is simply the angle times the largest
 * radius of curvature, a^2 / b. */
double aw_geodesic_distance_upper(double lat1, double lon1, double lat2, double lon2)
{
    const double e2 = AW_WGS84_E2, a = AW_WGS84_A;
    double p1 = lat1 * AW_DEG, p2 = lat2 * AW_DEG;
    double z1, c1, z2, c2; /* polynomials (trig.h): within the 1e-9 below */
    aw_sincos(p1, &z1, &c1);
    aw_sincos(p2, &z2, &c2);
    double h = aw_sin(0.5 * (p2 - p1)), hl = aw_sin(0.5 * (lon2 - lon1) * AW_DEG);
    double hav = h * h + c1 * c2 * hl * hl; /* sin^2(sigma / 2) */
    hav = hav < 1.0 ? hav : 1.0;
    double sin2 = 4 * hav * (1 - hav), cs = 1 - 2 * hav; /* sin^2 sigma, cos sigma */
    /* The integrals over t in [0, 1] of sin^2(t sigma) (A) and of 2 sin((1-t) sigma)
     * sin(t sigma) (B); by their series when short (sigma < 0.05: under 320 km), where
     * the closed forms cancel. There q = sigma^2 = 4 asin(sqrt(hav))^2 comes from the
     * series of asin^2 (terms 2^2n hav^n / (2 n^2 C(2n, n)), all positive: the first five
     * leave out less than 1e-17 of it), not from asin and a root: a libm call on most
     * reports of a visit. */
    double A, B, q;
    if (hav < 6.2e-4) { /* sin^2(0.025) = 6.2487e-4 */
        q = 4 * hav * (1 + hav * (1.0 / 3 + hav * (8.0 / 45 + hav * (4.0 / 35 + hav * (128.0 / 1575)))));
        A = q * (1.0 / 3 - q * (1.0 / 15 - q * (2.0 / 315 - q * (1.0 / 2835))));
        B = q * (1.0 / 3 - q * (1.0 / 30 - q * (1.0 / 840 - q * (1.0 / 45360))));
    } else {
        double sigma = 2 * asin(sqrt(hav));
        if (hav > 0.5)
            return sigma * (a / sqrt(1 - e2)) * (1 + 1e-9);
        q = sigma * sigma;
        A = (sigma - sqrt(sin2) * cs) / (2 * sigma);
        B = sqrt(sin2) / sigma - cs;
    }
    /* One division where there were six (they ran one after another, a report's bound
     * waiting on each): 1 / (1 - hav) is 4 hav / sin^2 sigma, the constants' quotients
     * are folded, and 1 / w^3 is taken by its series in e^2 u_lo to the third power,
     * which falls short of it (by 15 (e^2 u_lo)^4 at most, 3e-8): the term it scales is
     * subtracted, so the bound only grows. The minima and maxima are written out: no
     * call into libm. */
    double zz = z1 * z1 > z2 * z2 ? z1 * z1 : z2 * z2, mean_u, u_hi;
    if (sin2 > 0) {
        double r = 1 / sin2;
        mean_u = ((z1 * z1 + z2 * z2) * A + z1 * z2 * B) * r;
        u_hi = zz * (4 * hav * r);
    } else {
        mean_u = z1 * z1;
        u_hi = zz;
    }
    u_hi = u_hi < 1.0 ? u_hi : 1.0;
    double u_lo = z1 * z2 <= 0 ? 0.0 : z1 * z1 < z2 * z2 ? z1 * z1 : z2 * z2;
    double eps = e2 * u_lo, w = 1 - eps, dz = z2 - z1;
    double hw = (w + 1 - e2) * (1 + eps * (3 + eps * (6 + eps * 10))); /* (w + 1 - e^2) / w^3, below */
    double n2 = 1 + e2 * mean_u + (e2 * e2 / (1 - e2)) * u_hi * mean_u;
    double len2 = q * n2 - e2 * hw * dz * dz; /* over a^2 */
    return a * sqrt(len2 > 0 ? len2 : 0.0) * (1 + 1e-9);
}

/* A lower bound of the geodesic distance between two points given as unit vectors at
 * their geodetic coordinates (cos phi cos lambda, cos phi sin lambda, sin phi), within
 * 3 parts in ten thousand of it up to 1,000 km (mostly far less): the exact depth's
 * search uses it to pass over chords that cannot be the nearest without measuring them.
 *
 * On Bessel's auxiliary sphere (reduced latitude beta, tan beta = (1 - f) tan phi) a
 * geodesic is a great circle, with ds = a g dsigma and dlambda = g domega, where
 * g = sqrt(1 - e^2 cos^2 beta) grows with |beta|. So s >= a g_lo sigma', g_lo at the
 * smaller end |beta| (a great circle's |beta| has no minimum between its ends; 0 when
 * they straddle the equator); and |domega| >= |dlambda| / g_hi, with g_hi at the
 * largest |beta| the arc can reach: sigma' <= s / b <= (a / b)^2 sigma (the angle on the
 * sphere of geodetic coordinates), and a point of an arc is a point of its chord over
 * the chord's norm, at least cos(sigma' / 2). sigma' grows with |domega|, so the arc
 * from (beta1, 0) to (beta2, dlambda / g_hi) is no longer than it. 0 past about 5,000
 * km, at a pole, and nearly half a turn of longitude apart. */
double aw_geodesic_distance_lower_unit(const double *p, const double *q)
{
    /* No transcendental call: where an angle would be taken, an elementary inequality
     * bounds it the safe way (asin y <= y / sqrt(1 - y^2), cos y >= 1 - y^2 / 2,
     * asin y >= y + y^3 / 6, and sin(x + d) from sin x, cos x and d's own bounds). */
    const double e2 = AW_WGS84_E2, fm = 1 - AW_WGS84_F, ab2 = 1 / (fm * fm); /* (a / b)^2 */
    double c1 = sqrt(p[0] * p[0] + p[1] * p[1]), c2 = sqrt(q[0] * q[0] + q[1] * q[1]);
    if (!(c1 > 1e-9 && c2 > 1e-9))
        return 0; /* at a pole: no longitude */
    double d1 = sqrt(c1 * c1 + fm * fm * p[2] * p[2]), d2 = sqrt(c2 * c2 + fm * fm * q[2] * q[2]);
    double sb1 = fm * p[2] / d1, cb1 = c1 / d1, sb2 = fm * q[2] / d2, cb2 = c2 / d2;
    double ex = p[0] - q[0], ey = p[1] - q[1], ez = p[2] - q[2];
    double y = 0.5 * sqrt(ex * ex + ey * ey + ez * ez); /* sin(sigma / 2) */
    if (!(y < 0.45))
        return 0;
    double sigma_max = 2 * y / sqrt(1 - y * y) * ab2 * (1 + 1e-9);
    if (!(sigma_max < 1.0))
        return 0;
    double sb_hi = fmin(1.0, fmax(fabs(sb1), fabs(sb2)) / (1 - sigma_max * sigma_max / 8));
    double sb_lo = sb1 * sb2 <= 0 ? 0.0 : fmin(fabs(sb1), fabs(sb2));
    double g_hi = sqrt(1 - e2 * (1 - sb_hi * sb_hi)), g_lo = sqrt(1 - e2 * (1 - sb_lo * sb_lo));
    /* Half the longitude difference, x: its sine and cosine from the two directions in
     * the equator's plane; then sin(x / g_hi) >= sin(x + d), d = (1 / g_hi - 1) sin x. */
    double ux = p[0] / c1 - q[0] / c2, uy = p[1] / c1 - q[1] / c2;
    double vx = p[0] / c1 + q[0] / c2, vy = p[1] / c1 + q[1] / c2;
    double sx = fmin(1.0, 0.5 * sqrt(ux * ux + uy * uy)), cx = fmin(1.0, 0.5 * sqrt(vx * vx + vy * vy));
    if (!(cx > 0.1))
        return 0; /* nearly half a turn of longitude apart: x / g_hi may pass 90 degrees */
    double d = (1 / g_hi - 1) * sx;
    double hw = sx * (1 - d * d / 2) + cx * (d - d * d * d / 6); /* <= sin(domega / 2) */
    double hb2 = 0.25 * ((sb2 - sb1) * (sb2 - sb1) + (cb2 - cb1) * (cb2 - cb1)); /* sin^2(dbeta / 2) */
    double h = fmin(1.0, sqrt(hb2 + cb1 * cb2 * hw * hw)) * (1 - 1e-12);
    double sigma = 2 * (h + h * h * h / 6);
    return AW_WGS84_A * g_lo * sigma * (1 - 1e-9);
}

/* First eccentricity of WGS84: e^2 = f (2 - f). */
static double wgs84_e(void)
{
    return sqrt(AW_WGS84_F * (2 - AW_WGS84_F));
}

double aw_isometric_lat(double lat_deg)
{
    if (lat_deg >= 90.0)
        return INFINITY;
    if (lat_deg <= -90.0)
        return -INFINITY;
    double e = wgs84_e(), s = sin(lat_deg * AW_DEG);
    return atanh(s) - e * atanh(e * s);
}

double aw_lat_from_isometric(double psi)
{
    if (isinf(psi))
        return psi > 0 ? 90.0 : -90.0;
    /* Fixed-point iteration on phi = asin(tanh(psi + e atanh(e sin phi))); converges
     * by a factor e^2 per step, so a handful of steps reach machine precision. */
    double e = wgs84_e(), phi = asin(tanh(psi));
    for (int i = 0; i < 12; i++) {
        double next = asin(tanh(psi + e * atanh(e * sin(phi))));
        if (fabs(next - phi) < 1e-15) {
            phi = next;
            break;
        }
        phi = next;
    }
    return phi / AW_DEG;
}

void aw_rhumb_point(double lat1, double lon1, double lat2, double lon2, double u,
                    double *lat, double *lon)
{
    *lon = lon1 + u * (lon2 - lon1);
    if (lat1 == lat2) { /* a parallel: exact, and safe at the poles */
        *lat = lat1;
        return;
    }
    double p1 = aw_isometric_lat(lat1), p2 = aw_isometric_lat(lat2);
    *lat = aw_lat_from_isometric(p1 + u * (p2 - p1));
}

double aw_approx_metres(double lat1, double lon1, double lat2, double lon2)
{
    const double m_per_deg = 111319.49;
    double dx = (lon2 - lon1) * cos(0.5 * (lat1 + lat2) * AW_DEG), dy = lat2 - lat1;
    return m_per_deg * sqrt(dx * dx + dy * dy);
}

void aw_path_init(aw_path *p)
{
    p->n = p->cap = 0;
    p->lat = p->lon = p->s = NULL;
}

void aw_path_free(aw_path *p)
{
    free(p->lat);
    free(p->lon);
    free(p->s);
    aw_path_init(p);
}

void aw_path_point(const aw_path *p, double s, double *lat, double *lon)
{
    geod_genposition(&p->line, GEOD_LONG_UNROLL, s, lat, lon, NULL, NULL, NULL, NULL, NULL,
                     NULL);
}

static int path_reserve(aw_path *p, int n)
{
    if (n <= p->cap)
        return 0;
    int cap = p->cap ? p->cap : 16;
    while (cap < n)
        cap *= 2;
    double *a = realloc(p->lat, cap * sizeof *a);
    if (!a)
        return -1;
    p->lat = a;
    a = realloc(p->lon, cap * sizeof *a);
    if (!a)
        return -1;
    p->lon = a;
    a = realloc(p->s, cap * sizeof *a);
    if (!a)
        return -1;
    p->s = a;
    p->cap = cap;
    return 0;
}

/* Does chord i of the path (points i and i + 1) stray more than AW_CHORD_TOL_M from the
 * geodesic, sampled at its midpoint (the deviation of a smooth curve from a chord peaks
 * near its middle)?
 *
 * The midpoint's offset is first estimated in closed form, for a few sines instead of a
 * point of the geodesic (PROJ's geod_genposition, a fifth of loading a thousand detailed
 * zones): the mean of a curve's two ends is h^2 / 2 times its second derivative away
 * from its middle (h half the chord's arc, s, plus terms in h^4), and along a geodesic of
 * azimuth alpha, with phi' = cos(alpha) / M and Clairaut's N cos(phi) sin(alpha) constant,
 * phi'' = -(sin^2(alpha) tan(phi) + 3 e^2 sin(phi) cos(phi) cos^2(alpha)) / a^2 and
 * cos(phi) lambda'' = 2 sin(alpha) cos(alpha) tan(phi) / a^2, to within e^2 of each term
 * (the e^2 term is M's change along a meridian). Against the measured offset, on random
 * geodesics up to 60 km long below 75 degrees of latitude, the estimate was within 1.5 %
 * (tests/test_geodesy.c checks the chords this gives); only an estimate within 10 % of
 * the tolerance leaves the decision to the measurement, so the chords are those the
 * measurement alone gives. */
static bool chord_strays(const aw_path *p, int i)
{
    double lat_m = 0.5 * (p->lat[i] + p->lat[i + 1]), s = p->s[i + 1] - p->s[i];
    if (fabs(lat_m) < 75 && s < 30e3) {
        double sp = sin(lat_m * AW_DEG), cp = cos(lat_m * AW_DEG), tp = sp / cp;
        double dx = (p->lon[i + 1] - p->lon[i]) * cp, dy = p->lat[i + 1] - p->lat[i], h = sqrt(dx * dx + dy * dy);
        if (h > 0) {
            double sa = dx / h, ca = dy / h;
            double north = sa * sa * tp + 3 * AW_WGS84_E2 * sp * cp * ca * ca, east = 2 * sa * ca * tp;
            double est = s * s / (8 * AW_WGS84_A) * sqrt(north * north + east * east);
            if (est < 0.9 * AW_CHORD_TOL_M)
                return false;
            if (est > 1.1 * AW_CHORD_TOL_M)
                return true;
        }
    }
    double mlat, mlon;
    aw_path_point(p, 0.5 * (p->s[i] + p->s[i + 1]), &mlat, &mlon);
    double d = aw_approx_metres(mlat, mlon, 0.5 * (p->lat[i] + p->lat[i + 1]), 0.5 * (p->lon[i] + p->lon[i + 1]));
    return d > AW_CHORD_TOL_M;
}

/* The chords double in number until none strays (or 4,096 of them). Each try stops at
 * its first straying chord, computing only the points up to it: a try that fails
 * usually fails at its first chord, so only the last try computes every point (it was
 * every try, twice the work, for a zone set's thousands of edges). */
int aw_path_build(aw_path *p, double lat_a, double lon_a, double lat_b, double lon_b)
{
    geod_inverseline(&p->line, aw_wgs84(), lat_a, lon_a, lat_b, lon_b, 0);
    p->length_m = p->line.s13;
    double lat_end, lon_end;
    aw_path_point(p, p->length_m, &lat_end, &lon_end);
    double span = fmax(fabs(lat_end - lat_a), fabs(lon_end - lon_a));
    int n = 1;
    if (span > AW_CHORD_MAX_DEG)
        n = (int)ceil(span / AW_CHORD_MAX_DEG);
    /* Short paths at ordinary latitudes bulge by less than a millimetre: one chord. */
    bool check = p->length_m > 1000.0 || fabs(lat_a) > 80.0 || fabs(lat_b) > 80.0;
    for (;;) {
        if (path_reserve(p, n + 1) < 0)
            return -1;
        for (int i = 0; i <= n; i++)
            p->s[i] = p->length_m * i / n;
        p->lat[0] = lat_a;
        p->lon[0] = lon_a;
        p->lat[n] = lat_end;
        p->lon[n] = lon_end;
        int i = 0; /* points up to i are in place */
        bool strays = false;
        for (; i < n && !strays; i++) {
            if (i + 1 < n)
                aw_path_point(p, p->s[i + 1], &p->lat[i + 1], &p->lon[i + 1]);
            strays = check && n < 4096 && chord_strays(p, i);
        }
        if (!strays)
            break;
        n *= 2;
    }
    p->n = n + 1;
    p->min_lat = p->max_lat = lat_a;
    p->min_lon = p->max_lon = lon_a;
    for (int i = 1; i < p->n; i++) { /* not fmin / fmax: calls, and no NaN here */
        p->min_lat = p->lat[i] < p->min_lat ? p->lat[i] : p->min_lat;
        p->max_lat = p->lat[i] > p->max_lat ? p->lat[i] : p->max_lat;
        p->min_lon = p->lon[i] < p->min_lon ? p->lon[i] : p->min_lon;
        p->max_lon = p->lon[i] > p->max_lon ? p->lon[i] : p->max_lon;
    }
    return 0;
}
