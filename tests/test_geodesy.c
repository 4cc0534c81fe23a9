/* test_geodesy.c -- WGS84 geodesics, rhumb lines and path chords, checked against PROJ.
 *
 * The rhumb line is our own code: it must be straight in PROJ's ellipsoidal Mercator
 * ("+proj=merc +ellps=WGS84"). Path chords must stay within the chord tolerance of
 * PROJ's geodesic. */
#include <proj.h>

#include "check.h"
#include "geo/geo.h"
#include "geo/trig.h"
#include "random.h"

static PJ_CONTEXT *ctx;
static PJ *merc;

static void mercator(double lat, double lon, double *x, double *y)
{
    PJ_COORD c = proj_coord(proj_torad(lon), proj_torad(lat), 0, 0);
    c = proj_trans(merc, PJ_FWD, c);
    *x = c.xy.x;
    *y = c.xy.y;
}

static void test_distance(void)
{
    /* One degree of longitude on the equator, and a meridian quadrant. */
    CHECK_NEAR(aw_geodesic_distance(0, 0, 0, 1), 111319.4908, 1e-3);
    CHECK_NEAR(aw_geodesic_distance(0, 0, 90, 0), 10001965.7293, 1e-3);
    CHECK_NEAR(aw_approx_metres(0, 0, 0, 0.01), 1113.1949, 1e-3);
}

/* A random pair of points up to 10^log10_max metres apart and PROJ's distance between
 * them: every latitude, crowded near the equator and the poles, some pairs along a
 * meridian or a parallel. */
static double random_pair(int i, double log10_max, double *lat1, double *lon1, double *lat2,
                          double *lon2)
{
    double lat = i % 3 == 0 ? 180 * uniform() - 90 : i % 3 == 1 ? 4 * uniform() - 2 : 89.99 - 10 * uniform();
    *lat1 = uniform() < 0.5 ? lat : -lat;
    *lon1 = 360 * uniform() - 180;
    double dist = pow(10, log10_max * uniform());
    double azi = i % 7 == 0 ? 0 : i % 7 == 1 ? 90 : 360 * uniform();
    double s;
    geod_direct(aw_wgs84(), *lat1, *lon1, azi, dist, lat2, lon2, NULL);
    geod_inverse(aw_wgs84(), *lat1, *lon1, *lat2, *lon2, &s, NULL, NULL);
    return s;
}

static void unit_vector(double lat, double lon, double *p)
{
    p[0] = cos(lat * AW_DEG) * cos(lon * AW_DEG);
    p[1] = cos(lat * AW_DEG) * sin(lon * AW_DEG);
    p[2] = sin(lat * AW_DEG);
}

/* trig.h's sine and cosine: within 1e-13 of libm's (relative; absolute near a zero) on
 * the arguments the bounds give them (radians of latitudes, longitudes and their
 * differences, a few turns), and libm's own answer past AW_TRIG_MAX or for a NaN. An
 * error in the reduction or a coefficient is off by far more. */
static void test_trig(void)
{
    int off = 0;
    for (int i = 0; i < 1000000; i++) {
        double x = (2 * uniform() - 1) * (i % 4 == 0 ? AW_TRIG_MAX : i % 4 == 1 ? 7.0 : 0.8);
        double s, c;
        aw_sincos(x, &s, &c);
        off += fabs(s - sin(x)) > 1e-13 * fmax(fabs(sin(x)), 1.0) ||
               fabs(c - cos(x)) > 1e-13 * fmax(fabs(cos(x)), 1.0) ||
               (fabs(sin(x)) > 1e-3 && fabs(s - sin(x)) > 1e-13 * fabs(sin(x))) ||
               (fabs(cos(x)) > 1e-3 && fabs(c - cos(x)) > 1e-13 * fabs(cos(x))) ||
               aw_sin(x) != s || aw_cos(x) != c;
    }
    CHECK(off == 0);
    double s, c;
    aw_sincos(0, &s, &c);
    CHECK(s == 0 && c == 1);
    aw_sincos(1e-300, &s, &c);
    CHECK(s == 1e-300 && c == 1);
    for (int k = -40; k <= 40; k++) { /* the quarter turns, where the reduction switches */
        double x = k * 0.5 * M_PI;
        aw_sincos(x, &s, &c);
        CHECK_NEAR(s, sin(x), 1e-13);
        CHECK_NEAR(c, cos(x), 1e-13);
        aw_sincos(nextafter(x + M_PI_4, 0), &s, &c);
        CHECK_NEAR(s, sin(nextafter(x + M_PI_4, 0)), 1e-13);
    }
    aw_sincos(1e6, &s, &c);
    CHECK(s == sin(1e6) && c == cos(1e6));
    aw_sincos(NAN, &s, &c);
    CHECK(isnan(s) && isnan(c));
}

/* aw_geodesic_distance_upper: never below PROJ's distance (but for nanometres of
 * rounding), and tight: within 2e-5 of it up to 1,000 km (the engine asks of a few
 * hundred), 5e-4 up to 5,000 km. */
static void test_distance_upper(void)
{
    int below = 0, loose = 0;
    double worst = 0;
    for (int i = 0; i < 200000; i++) {
        double lat1, lon1, lat2, lon2, s = random_pair(i, 6.7, &lat1, &lon1, &lat2, &lon2);
        double u = aw_geodesic_distance_upper(lat1, lon1, lat2, lon2);
        below += u < s - 1e-6;
        double slack = (u - s) / s;
        loose += slack > (s <= 1e6 ? 2e-5 : 5e-4);
        if (s > 100e3 && s < 600e3 && slack > worst)
            worst = slack;
    }
    CHECK(below == 0);
    CHECK(loose == 0);
    CHECK(worst < 1e-5);
    /* The same point; a quarter meridian and half a turn (the coarse bound). */
    CHECK(aw_geodesic_distance_upper(35, 135, 35, 135) == 0);
    CHECK(aw_geodesic_distance_upper(0, 0, 90, 0) >= 10001965.7293);
    CHECK(aw_geodesic_distance_upper(10, 0, -10, 179) >= aw_geodesic_distance(10, 0, -10, 179));
}

/* aw_geodesic_distance_lower_unit: never above PROJ's distance (but for nanometres);
 * away from the poles within 3e-4 up to 1,000 km and 2e-4 up to 500 km, and never 0. */
static void test_distance_lower(void)
{
    int above = 0, slack_far = 0, zero = 0;
    for (int i = 0; i < 200000; i++) {
        double lat1, lon1, lat2, lon2, s = random_pair(i, 6, &lat1, &lon1, &lat2, &lon2), p[3], q[3];
        unit_vector(lat1, lon1, p);
        unit_vector(lat2, lon2, q);
        double l = aw_geodesic_distance_lower_unit(p, q);
        above += l > s + 1e-6;
        if (fabs(lat1) < 85 && fabs(lat2) < 85) { /* near a pole it may answer 0 */
            zero += l == 0 && s > 1;
            slack_far += (s - l) / s > (s <= 5e5 ? 2e-4 : 3e-4);
        }
    }
    CHECK(above == 0);
    CHECK(zero == 0);
    CHECK(slack_far == 0);
}

static void test_isometric_latitude(void)
{
    for (double lat = -85; lat <= 85; lat += 7.3) {
        double x, y;
        mercator(lat, 0, &x, &y);
        CHECK_NEAR(aw_isometric_lat(lat) * 6378137.0, y, 1e-4);
        CHECK_NEAR(aw_lat_from_isometric(aw_isometric_lat(lat)), lat, 1e-12);
    }
}

static void test_rhumb_straight_in_mercator(void)
{
    double lat1 = 31.0, lon1 = 121.5, lat2 = 38.2, lon2 = 131.9;
    double x1, y1, x2, y2;
    mercator(lat1, lon1, &x1, &y1);
    mercator(lat2, lon2, &x2, &y2);
    for (int i = 0; i <= 10; i++) {
        double u = i / 10.0, lat, lon, x, y;
        aw_rhumb_point(lat1, lon1, lat2, lon2, u, &lat, &lon);
        mercator(lat, lon, &x, &y);
        CHECK_NEAR(x, x1 + u * (x2 - x1), 1e-4);
        CHECK_NEAR(y, y1 + u * (y2 - y1), 1e-4);
    }
    /* Along a parallel the rhumb is the parallel itself. */
    double lat, lon;
    aw_rhumb_point(60, 0, 60, 20, 0.5, &lat, &lon);
    CHECK_NEAR(lat, 60, 1e-12);
    CHECK_NEAR(lon, 10, 1e-12);
}

static void test_path_chords(void)
{
    aw_path p;
    aw_path_init(&p);
    /* 60 N from 30 E to 32 E: the geodesic bulges about 420 m north of the parallel. */
    CHECK(aw_path_build(&p, 60, 30, 60, 32) == 0);
    CHECK(p.n > 2);
    double s12;
    geod_inverse(aw_wgs84(), 60, 30, 60, 32, &s12, NULL, NULL);
    CHECK_NEAR(p.length_m, s12, 1e-6);
    double worst = 0;
    for (int i = 0; i + 1 < p.n; i++) {
        for (int k = 1; k < 4; k++) {
            double f = k / 4.0, s = p.s[i] + f * (p.s[i + 1] - p.s[i]), lat, lon;
            aw_path_point(&p, s, &lat, &lon);
            double clat = p.lat[i] + f * (p.lat[i + 1] - p.lat[i]);
            double clon = p.lon[i] + f * (p.lon[i + 1] - p.lon[i]);
            double d = aw_geodesic_distance(lat, lon, clat, clon);
            worst = d > worst ? d : worst;
        }
    }
    CHECK(worst <= 2 * AW_CHORD_TOL_M);
    double mlat, mlon;
    aw_path_point(&p, p.length_m / 2, &mlat, &mlon);
    CHECK(mlat > 60.0035 && mlat < 60.0040);
    /* Across the antimeridian the longitudes are unrolled, never jumping by 360. */
    CHECK(aw_path_build(&p, 0, 179.5, 0, -179.5) == 0);
    for (int i = 0; i + 1 < p.n; i++)
        CHECK(p.lon[i + 1] > p.lon[i]);
    CHECK_NEAR(p.lon[p.n - 1], 180.5, 1e-9);
    aw_path_free(&p);
}

/* The midpoint of chord i of a path with n equal chords strays more than the tolerance
 * from the geodesic, measured with PROJ (the rule aw_path_build states). */
static bool measured_strays(const aw_path *p, int n, int i)
{
    double s0 = p->length_m * i / n, s1 = p->length_m * (i + 1) / n, lat[3], lon[3];
    aw_path_point(p, s0, &lat[0], &lon[0]);
    aw_path_point(p, s1, &lat[1], &lon[1]);
    aw_path_point(p, 0.5 * (s0 + s1), &lat[2], &lon[2]);
    if (i == 0) {
        lat[0] = p->lat[0];
        lon[0] = p->lon[0];
    }
    if (i + 1 == n) { /* the path's end, as built */
        lat[1] = p->lat[p->n - 1];
        lon[1] = p->lon[p->n - 1];
    }
    return aw_approx_metres(lat[2], lon[2], 0.5 * (lat[0] + lat[1]), 0.5 * (lon[0] + lon[1])) > AW_CHORD_TOL_M;
}

/* aw_path_build's chords are those of its rule measured at every midpoint, although it
 * estimates most midpoints' offsets in closed form: no chord it keeps strays when
 * measured, and the path with half as many chords, had it been tried, has a chord that
 * does (so the doubling would not have stopped there). Random geodesics of 1 km to
 * 300 km at every latitude, along meridians and parallels too. */
static void test_path_chords_as_measured(void)
{
    aw_path p;
    aw_path_init(&p);
    long kept_stray = 0, half_fits = 0, halves = 0;
    for (int k = 0; k < 12000; k++) {
        double lat1, lon1, lat2, lon2;
        random_pair(k, 3 + 2.5 * uniform(), &lat1, &lon1, &lat2, &lon2);
        if (aw_path_build(&p, lat1, lon1, lat2, lon2) < 0)
            break;
        int n = p.n - 1;
        bool checked = p.length_m > 1000.0 || fabs(lat1) > 80.0 || fabs(lat2) > 80.0;
        if (!checked || n >= 4096)
            continue;
        for (int i = 0; i < n; i++)
            kept_stray += measured_strays(&p, n, i);
        double span = fmax(fabs(p.lat[n] - lat1), fabs(p.lon[n] - lon1));
        int n0 = span > AW_CHORD_MAX_DEG ? (int)ceil(span / AW_CHORD_MAX_DEG) : 1;
        if (n % 2 == 0 && n / 2 >= n0) {
            bool strays = false;
            for (int i = 0; i < n / 2 && !strays; i++)
                strays = measured_strays(&p, n / 2, i);
            halves++;
            half_fits += !strays;
        }
    }
    printf("path chords: %ld halved paths tried, %ld kept chords stray, %ld halves fit\n", halves, kept_stray,
           half_fits);
    CHECK(halves > 1000);
    CHECK(kept_stray == 0);
    CHECK(half_fits == 0);
    aw_path_free(&p);
}

int main(void)
{
    ctx = proj_context_create();
    merc = proj_create(ctx, "+proj=merc +ellps=WGS84 +lon_0=0");
    if (!merc) {
        fprintf(stderr, "PROJ cannot build the Mercator projection\n");
        return 1;
    }
    test_distance();
    test_trig();
    test_distance_upper();
    test_distance_lower();
    test_isometric_latitude();
    test_rhumb_straight_in_mercator();
    test_path_chords();
    test_path_chords_as_measured();
    proj_destroy(merc);
    proj_context_destroy(ctx);
    return check_done("geodesy");
}
