/* zone_geometry.c -- densified rings, point-in-zone, boundary distance (path
 * crossings: path_crossings.c).
 *
 * Everything here works on the chords built by aw_ring_build. The answers are exact up
 * to the chord tolerance (AW_CHORD_TOL_M), which is far below the contract's 30 m. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zones/zone.h"

#define EARTH_MEAN_RADIUS_M 6371008.8

int aw_params_push(aw_params *p, double x)
{
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 16;
        double *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = x;
    return 0;
}

void aw_params_free(aw_params *p)
{
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

/* ---- building rings ------------------------------------------------------------ */

typedef struct ring_builder {
    aw_ring *r;
    int cap;
} ring_builder;

static int ring_push(ring_builder *b, double lat, double lon, int edge)
{
    aw_ring *r = b->r;
    /* Zero-length chords (repeated vertices) carry no boundary: drop them. */
    if (r->n >= 0 && r->lat[r->n] == lat && r->lon[r->n] == lon)
        return 0;
    int need = r->n + 2;
    if (need > b->cap) {
        int cap = b->cap ? 2 * b->cap : 64;
        while (cap < need)
            cap *= 2;
        double *la = realloc(r->lat, cap * sizeof *la);
        if (!la)
            return -1;
        r->lat = la;
        double *lo = realloc(r->lon, cap * sizeof *lo);
        if (!lo)
            return -1;
        r->lon = lo;
        int *e = realloc(r->edge, cap * sizeof *e);
        if (!e)
            return -1;
        r->edge = e;
        b->cap = cap;
    }
    r->n++;
    r->lat[r->n] = lat;
    r->lon[r->n] = lon;
    if (r->n > 0)
        r->edge[r->n - 1] = edge;
    return 0;
}

/* Chords for one rhumb or planar edge: split until short and within tolerance. */
static int push_straightish_edge(ring_builder *b, double lat1, double lon1, double lat2,
                                 double lon2, aw_edge_kind kind, int edge)
{
    double span = fmax(fabs(lat2 - lat1), fabs(lon2 - lon1));
    int n = span > AW_CHORD_MAX_DEG ? (int)ceil(span / AW_CHORD_MAX_DEG) : 1;
    if (kind == AW_EDGE_RHUMB && lat1 != lat2) {
        for (; n < (1 << 20); n *= 2) {
            double worst = 0, plat = lat1, plon = lon1;
            for (int i = 1; i <= n; i++) {
                double qlat, qlon, mlat, mlon;
                aw_rhumb_point(lat1, lon1, lat2, lon2, (double)i / n, &qlat, &qlon);
                aw_rhumb_point(lat1, lon1, lat2, lon2, (i - 0.5) / n, &mlat, &mlon);
                double d = aw_approx_metres(mlat, mlon, 0.5 * (plat + qlat), 0.5 * (plon + qlon));
                worst = fmax(worst, d);
                plat = qlat;
                plon = qlon;
            }
            if (worst <= AW_CHORD_TOL_M)
                break;
        }
    }
    for (int i = 1; i <= n; i++) {
        double lat, lon;
        if (i == n) {
            lat = lat2;
            lon = lon2;
        } else if (kind == AW_EDGE_RHUMB) {
            aw_rhumb_point(lat1, lon1, lat2, lon2, (double)i / n, &lat, &lon);
        } else {
            lat = lat1 + (lat2 - lat1) * i / n;
            lon = lon1 + (lon2 - lon1) * i / n;
        }
        if (ring_push(b, lat, lon, edge) < 0)
            return -1;
    }
    return 0;
}

/* The bin of a latitude, clamped to the ring's bins: floor, written as a truncation of a
 * value already known to be within 0..nbins (floor is a call without SSE 4.1, and the
 * bins are looked up for every chord built and every exact test). */
static int bin_of(const aw_ring *r, double lat)
{
    double v = (lat - r->bin_lat0) / r->bin_h;
    return !(v >= 0) ? 0 : v >= r->nbins ? r->nbins - 1 : (int)v;
}

/* The spherical cap around chords i0 .. i0 + count - 1 (their vertices): centre (unit
 * vector), cos, sin and radius. A great-circle arc between two points of a cap under 90
 * degrees stays in it; the radius is widened a little for rounding. */
static void cap_around(const aw_ring *r, int i0, int count, double *cap)
{
    int i1 = i0 + count < r->n ? i0 + count : r->n;
    double c[3] = {0, 0, 0};
    for (int i = i0; i <= i1; i++)
        for (int k = 0; k < 3; k++)
            c[k] += r->unit[3 * i + k];
    double norm = sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
    for (int k = 0; k < 3; k++)
        c[k] = norm > 0 ? c[k] / norm : (k == 2);
    double min_dot = 1;
    for (int i = i0; i <= i1; i++)
        min_dot = fmin(min_dot, c[0] * r->unit[3 * i] + c[1] * r->unit[3 * i + 1] +
                                    c[2] * r->unit[3 * i + 2]);
    double radius = acos(fmax(-1.0, fmin(1.0, min_dot))) * 1.0001 + 1e-9;
    cap[0] = c[0];
    cap[1] = c[1];
    cap[2] = c[2];
    cap[3] = cos(radius);
    cap[4] = sin(radius);
    cap[5] = radius;
}

static int ring_index(aw_ring *r)
{
    r->min_lat = r->max_lat = r->lat[0];
    r->min_lon = r->max_lon = r->lon[0];
    for (int i = 1; i <= r->n; i++) { /* not fmin / fmax: calls, and no NaN here */
        r->min_lat = r->lat[i] < r->min_lat ? r->lat[i] : r->min_lat;
        r->max_lat = r->lat[i] > r->max_lat ? r->lat[i] : r->max_lat;
        r->min_lon = r->lon[i] < r->min_lon ? r->lon[i] : r->min_lon;
        r->max_lon = r->lon[i] > r->max_lon ? r->lon[i] : r->max_lon;
    }
    r->unit = malloc(3 * (size_t)(r->n + 1) * sizeof *r->unit);
    if (!r->unit)
        return -1;
    for (int i = 0; i <= r->n; i++) {
        double phi = r->lat[i] * AW_DEG, lam = r->lon[i] * AW_DEG;
        r->unit[3 * i] = cos(phi) * cos(lam);
        r->unit[3 * i + 1] = cos(phi) * sin(lam);
        r->unit[3 * i + 2] = sin(phi);
    }
    /* Caps around runs of chords let the distance search skip most of a long ring. */
    r->nblocks = (r->n + AW_BLOCK_CHORDS - 1) / AW_BLOCK_CHORDS;
    r->nsupers = (r->n + AW_SUPER_CHORDS - 1) / AW_SUPER_CHORDS;
    r->block = malloc(6 * (size_t)r->nblocks * sizeof *r->block);
    r->super = malloc(6 * (size_t)r->nsupers * sizeof *r->super);
    if (!r->block || !r->super)
        return -1;
    for (int b = 0; b < r->nblocks; b++)
        cap_around(r, b * AW_BLOCK_CHORDS, AW_BLOCK_CHORDS, &r->block[6 * b]);
    for (int b = 0; b < r->nsupers; b++)
        cap_around(r, b * AW_SUPER_CHORDS, AW_SUPER_CHORDS, &r->super[6 * b]);
    /* About two chords a bin: a bin's list is then short whatever the ring's shape. */
    r->nbins = r->n / 2 < 1 ? 1 : r->n / 2 > 65536 ? 65536 : r->n / 2;
    r->bin_lat0 = r->min_lat;
    r->bin_h = (r->max_lat - r->min_lat) / r->nbins;
    if (!(r->bin_h > 0)) {
        r->nbins = 1;
        r->bin_h = 1;
    }
    r->bin_start = calloc((size_t)r->nbins + 1, sizeof *r->bin_start);
    if (!r->bin_start)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < r->n; i++) {
            bool up = r->lat[i + 1] > r->lat[i];
            int b0 = bin_of(r, up ? r->lat[i] : r->lat[i + 1]), b1 = bin_of(r, up ? r->lat[i + 1] : r->lat[i]);
            for (int b = b0; b <= b1; b++) {
                if (pass == 0)
                    r->bin_start[b + 1]++;
                else
                    r->bin_items[r->bin_start[b]++] = i;
            }
        }
        if (pass == 0) {
            for (int b = 0; b < r->nbins; b++)
                r->bin_start[b + 1] += r->bin_start[b];
            r->bin_items = malloc((size_t)(r->bin_start[r->nbins] + 1) * sizeof *r->bin_items);
            if (!r->bin_items)
                return -1;
        } else {
            /* The fill advanced each start to the next bin's: shift back. */
            for (int b = r->nbins; b > 0; b--)
                r->bin_start[b] = r->bin_start[b - 1];
            r->bin_start[0] = 0;
        }
    }
    return 0;
}

int aw_ring_build(aw_ring *r, const double *lonlat, int n_in, aw_edge_kind edges)
{
    memset(r, 0, sizeof *r);
    ring_builder b = {r, 0};
    r->n = -1; /* no point yet: the first push makes it 0 */
    if (ring_push(&b, lonlat[1], lonlat[0], 0) < 0)
        return -1;
    double offset = 0; /* whole turns added by unrolling geodesic edges */
    aw_path path;
    aw_path_init(&path);
    for (int e = 0; e + 1 < n_in; e++) {
        double lat1 = r->lat[r->n], lon1 = r->lon[r->n];
        double lat2 = lonlat[2 * e + 3], lon2 = lonlat[2 * e + 2] + offset;
        if (edges == AW_EDGE_GEODESIC) {
            if (aw_path_build(&path, lat1, lon1, lat2, lon2) < 0)
                return aw_path_free(&path), -1;
            for (int i = 1; i < path.n; i++)
                if (ring_push(&b, path.lat[i], path.lon[i], e) < 0)
                    return aw_path_free(&path), -1;
            /* The geodesic takes the short way round: keep later vertices continuous. */
            offset += path.lon[path.n - 1] - lon2;
        } else if (push_straightish_edge(&b, lat1, lon1, lat2, lon2, edges, e) < 0) {
            return -1;
        }
    }
    aw_path_free(&path);
    if (r->n < 2)
        return -3; /* degenerate: every vertex the same */
    if (fabs(r->lon[r->n] - r->lon[0]) > 1e-9)
        return -2; /* winds round a pole */
    r->lon[r->n] = r->lon[0];
    r->lat[r->n] = r->lat[0];
    return ring_index(r);
}

void aw_ring_free(aw_ring *r)
{
    free(r->lat);
    free(r->lon);
    free(r->edge);
    free(r->unit);
    free(r->block);
    free(r->super);
    free(r->bin_start);
    free(r->bin_items);
    memset(r, 0, sizeof *r);
}

/* ---- point in zone ------------------------------------------------------------- */

/* 0 outside, 1 inside, 2 on the boundary. Even-odd ray cast towards east. */
static int ring_locate(const aw_ring *r, double lat, double lon)
{
    if (lat < r->min_lat || lat > r->max_lat || lon < r->min_lon - AW_ON_BOUNDARY_DEG ||
        lon > r->max_lon + AW_ON_BOUNDARY_DEG)
        return 0;
    int b = bin_of(r, lat);
    bool in = false;
    for (int k = r->bin_start[b]; k < r->bin_start[b + 1]; k++) {
        int i = r->bin_items[k];
        double y1 = r->lat[i], y2 = r->lat[i + 1], x1 = r->lon[i], x2 = r->lon[i + 1];
        if (lat < fmin(y1, y2) || lat > fmax(y1, y2))
            continue;
        if (aw_on_chord(x1, y1, x2, y2, lat, lon))
            return 2;
        if ((y1 > lat) != (y2 > lat)) {
            double x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1);
            if (x > lon)
                in = !in;
        }
    }
    return in;
}

static bool polygon_contains(const aw_polygon *p, double lat, double lon)
{
    int where = ring_locate(&p->rings[0], lat, lon);
    if (where != 1)
        return where == 2;
    for (int h = 1; h < p->nrings; h++) {
        int w = ring_locate(&p->rings[h], lat, lon);
        if (w == 2)
            return true; /* a hole's edge is the zone's boundary, and boundaries are in */
        if (w == 1)
            return false;
    }
    return true;
}

bool aw_zone_contains_2d(const aw_zone_set *zs, int zone, const double lat, double lon)
{
    const aw_zone *z = &zs->zones[zone];
    if (lat < z->info.min_lat || lat > z->info.max_lat)
        return false;
    /* The zone's longitudes may run past +-180: try the point a turn either way. */
    for (int k = -1; k <= 1; k++) {
        double x = lon + 360.0 * k;
        if (x < z->info.min_lon - AW_ON_BOUNDARY_DEG || x > z->info.max_lon + AW_ON_BOUNDARY_DEG)
            continue;
        for (int p = 0; p < z->npolys; p++)
            if (polygon_contains(&z->polys[p], lat, x))
                return true;
    }
    return false;
}

bool aw_zone_contains(const aw_zone_set *zs, int zone, double lat, double lon, double alt_ft)
{
    const aw_zone_info *zi = &zs->zones[zone].info;
    if (!isnan(alt_ft) && (alt_ft < zi->floor_ft || alt_ft > zi->ceiling_ft))
        return false; /* comparisons with an absent (NAN) bound are false: open side */
    return aw_zone_contains_2d(zs, zone, lat, lon);
}

/* ---- distance to the boundary -------------------------------------------------- */

static double dot3(const double *a, const double *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static void cross3(const double *a, const double *b, double *c)
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

/* 1 - cos(angle) from p to the great-circle arc a-b on the unit sphere: a cheap
 * quantity that grows with the distance, used only to pick candidate chords. */
static double sphere_arc_measure(const double *p, const double *a, const double *b)
{
    double n[3];
    cross3(a, b, n);
    double nn = dot3(n, n);
    if (nn > 1e-30) {
        /* The foot of p on the great circle lies within the arc when p is on the
         * inner side of both planes through the arc's ends (and the sphere's centre). */
        double c1[3], c2[3];
        cross3(a, p, c1);
        cross3(p, b, c2);
        if (dot3(c1, n) >= 0 && dot3(c2, n) >= 0) {
            double pn2 = dot3(p, n) * dot3(p, n) / nn;
            return 1 - sqrt(fmax(0.0, 1 - pn2));
        }
    }
    return 1 - fmax(dot3(p, a), dot3(p, b));
}

/* Where the chord's end i lies seen from the point: azimuthal equidistant coordinates
 * (exact distance, exact azimuth). */
static void polar_xy(double lat, double lon, const aw_ring *r, int i, double *x, double *y)
{
    double s, azi;
    geod_inverse(aw_wgs84(), lat, lon, r->lat[i], r->lon[i], &s, &azi, NULL);
    *x = s * sin(azi * AW_DEG);
    *y = s * cos(azi * AW_DEG);
}

/* Can block bl hold a point within angle theta (cos ct, sin st) of p? */
static bool block_within(const double *bl, const double *p, double ct, double st)
{
    if (ct <= -bl[3]) /* theta + radius >= 180 degrees: the two caps cover everything */
        return true;
    /* angle(p, centre) <= theta + radius  <=>  p.c >= cos(theta + radius) */
    return p[0] * bl[0] + p[1] * bl[1] + p[2] * bl[2] >= ct * bl[3] - st * bl[4];
}

#define PASS2_MAX 512

/* Pass 2's band around a sphere measure m (the nearest chord's, at the end): sphere and
 * ellipsoid distances differ by at most 0.56 % (the meridian's radius of curvature at
 * the equator), so only chords within 1.2 % (+60 m) of the sphere's nearest can be the
 * nearest on the ellipsoid. Its measure, and the cos and sin of its angle. */
static void band_of(double m, double *limit_m, double *ct, double *st)
{
    /* m may round a hair below 0 for a point on a vertex: acos past 1 would be NaN */
    double theta = acos(fmin(1.0, fmax(-1.0, 1 - m))) * 1.012 + 60.0 / EARTH_MEAN_RADIUS_M;
    *limit_m = theta >= 3.14159 ? INFINITY : 1 - cos(theta);
    *ct = cos(theta);
    *st = sin(theta);
}

/* A chord pass 1 met within the band of its best so far, and its measure. */
typedef struct met_chord {
    const aw_ring *r;
    int i;
    double m;
} met_chord;

/* The search for the nearest chord: the best so far as an angle (theta, its cos and
 * sin) and as the cheap measure 1 - cos. Pass 1 looks at every block within the band
 * of the best so far, not only within the best, and keeps the chords it meets in the
 * band: the band only narrows as the best falls, so at the end they hold every chord
 * of pass 2's band, and the second walk over the rings that gathered them is not made
 * (unless more than PASS2_MAX were met). The band is worked out again only when the
 * best has fallen by a tenth since: a wider band is still a band. */
typedef struct nearest {
    const double *p;
    double best_m, ct, st;
    double band_m, limit_m, lct, lst; /* the band of best measure band_m */
    met_chord *met;
    int nmet;
    bool overflow;
} nearest;

static void nearest_band(nearest *s)
{
    if (s->best_m < 0.9 * s->band_m) {
        s->band_m = s->best_m;
        band_of(s->best_m, &s->limit_m, &s->lct, &s->lst);
    }
}

static void nearest_update(nearest *s, double m)
{
    if (m >= s->best_m)
        return;
    s->best_m = m;
    s->ct = 1 - m;
    s->st = sqrt(fmax(0.0, 1 - s->ct * s->ct));
    nearest_band(s);
}

/* Pass 1 over the chords of super-block sb whose caps come within the band. */
static void nearest_in_super(const aw_ring *r, int sb, nearest *s)
{
    if (!block_within(&r->super[6 * sb], s->p, s->lct, s->lst))
        return;
    int b0 = sb * (AW_SUPER_CHORDS / AW_BLOCK_CHORDS);
    int b1 = b0 + AW_SUPER_CHORDS / AW_BLOCK_CHORDS < r->nblocks ? b0 + AW_SUPER_CHORDS / AW_BLOCK_CHORDS
                                                               : r->nblocks;
    for (int b = b0; b < b1; b++) {
        if (!block_within(&r->block[6 * b], s->p, s->lct, s->lst))
            continue;
        int i1 = (b + 1) * AW_BLOCK_CHORDS < r->n ? (b + 1) * AW_BLOCK_CHORDS : r->n;
        for (int i = b * AW_BLOCK_CHORDS; i < i1; i++) {
            double m = sphere_arc_measure(s->p, &r->unit[3 * i], &r->unit[3 * i + 3]);
            nearest_update(s, m);
            if (m <= s->limit_m) {
                if (s->nmet < PASS2_MAX)
                    s->met[s->nmet++] = (met_chord){r, i, m};
                else
                    s->overflow = true;
            }
        }
    }
}

/* Pass 2's candidates: a chord (ring, index) and a lower bound of its distance. */
typedef struct candidate {
    double low;
    const aw_ring *r;
    int i;
} candidate;

#define POLAR_CACHE 64

static int cmp_candidate(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return x->low < y->low ? -1 : x->low > y->low ? 1 : (x->i > y->i) - (x->i < y->i);
}

/* A radius of curvature no larger than any on the geodesics from a point at lat to
 * chord i. The ellipsoid's metric is M^2 dphi^2 + N^2 cos^2 phi dlambda^2 with N >= M,
 * and M grows with |phi|; a geodesic's |phi| has no minimum between its ends (its one
 * extremum, the vertex, is a maximum), so on a geodesic within one hemisphere M is at
 * least M at the smaller end latitude; across the equator, b^2/a. The geodesic is then
 * at least that radius times its angle on the sphere of geodetic coordinates. */
static double min_radius(double lat, const aw_ring *r, int i)
{
    double l1 = r->lat[i], l2 = r->lat[i + 1];
    if ((lat > 0 && (l1 <= 0 || l2 <= 0)) || (lat < 0 && (l1 >= 0 || l2 >= 0)) || lat == 0)
        return AW_WGS84_MIN_RADIUS_M;
    double phi = fmin(fabs(lat), fmin(fabs(l1), fabs(l2))) * AW_DEG, sp = sin(phi);
    double w = 1 - AW_WGS84_E2 * sp * sp;
    /* M = a (1 - e^2) / w^1.5, rounded down by a part in 10^9. */
    return AW_WGS84_A * (1 - AW_WGS84_E2) / (w * sqrt(w)) * (1 - 1e-9);
}

/* The angle whose 1 - cos is m, rounded down a little (it only bounds from below). */
static double angle_of_measure(double m)
{
    return acos(fmin(1.0, fmax(-1.0, 1 - m))) * (1 - 1e-9);
}

/* Vertices already placed in the point's plane (a chord shares its ends with its
 * neighbours), direct-mapped by index. */
typedef struct polar_cache {
    const aw_ring *ring[POLAR_CACHE];
    int index[POLAR_CACHE];
    double x[POLAR_CACHE], y[POLAR_CACHE];
} polar_cache;

static void polar_cached(polar_cache *c, double lat, double lon, const aw_ring *r, int i, double *x,
                         double *y)
{
    int k = i % POLAR_CACHE;
    if (c->ring[k] != r || c->index[k] != i) {
        polar_xy(lat, lon, r, i, &c->x[k], &c->y[k]);
        c->ring[k] = r;
        c->index[k] = i;
    }
    *x = c->x[k];
    *y = c->y[k];
}

/* Exact distance from the point to chord i, in the point's azimuthal equidistant plane;
 * *t_out: where the nearest point of the chord is (0 at vertex i, 1 at vertex i + 1). */
static double chord_exact(polar_cache *c, const aw_ring *r, int i, double lat, double lon,
                          double *t_out)
{
    double ax, ay, bx, by;
    polar_cached(c, lat, lon, r, i, &ax, &ay);
    polar_cached(c, lat, lon, r, i + 1, &bx, &by);
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double fx = ax + t * dx, fy = ay + t * dy;
    *t_out = t;
    return sqrt(fx * fx + fy * fy);
}

/* The nearest point found: chord i of ring r, t of the way along it. */
typedef struct foot {
    const aw_ring *r;
    int i;
    double t;
} foot;

/* Keep the chord's distance d if it is the best so far (fmin's rule: a NaN loses). */
static void take_if_nearer(double *best, foot *f, double d, const aw_ring *r, int i, double t)
{
    if (d < *best || isnan(*best)) {
        *best = d;
        *f = (foot){r, i, t};
    }
}

/* Every chord whose sphere measure from p is within limit_m (its caps within the angle
 * of cos ct, sin st), in ring order, handed to fn with its measure. */
typedef void (*band_fn)(void *ctx, const aw_ring *r, int i, double m);

static void band_chords(const aw_zone *z, const double *p, double ct, double st, double limit_m,
                        band_fn fn, void *ctx)
{
    for (int q = 0; q < z->npolys; q++)
        for (int h = 0; h < z->polys[q].nrings; h++) {
            const aw_ring *r = &z->polys[q].rings[h];
            for (int i = 0; i < r->n; i++) {
                if (i % AW_SUPER_CHORDS == 0 &&
                    !block_within(&r->super[6 * (i / AW_SUPER_CHORDS)], p, ct, st)) {
                    i += AW_SUPER_CHORDS - 1;
                    continue;
                }
                if (i % AW_BLOCK_CHORDS == 0 &&
                    !block_within(&r->block[6 * (i / AW_BLOCK_CHORDS)], p, ct, st)) {
                    i += AW_BLOCK_CHORDS - 1;
                    continue;
                }
                double m = sphere_arc_measure(p, &r->unit[3 * i], &r->unit[3 * i + 3]);
                if (m <= limit_m)
                    fn(ctx, r, i, m);
            }
        }
}

/* Pass 2's candidates, gathered for sorting (too many: overflow, measure them all). */
typedef struct gathered {
    candidate cand[PASS2_MAX];
    int n;
    bool overflow;
    double lat;
} gathered;

static void gather(void *ctx, const aw_ring *r, int i, double m)
{
    gathered *g = ctx;
    if (g->n == PASS2_MAX) {
        g->overflow = true;
        return;
    }
    /* No chord is nearer on the ellipsoid than the smallest radius of curvature on the
     * way times its angle on the sphere, less the 60 m the band allows for the plane's
     * approximation. */
    g->cand[g->n++] = (candidate){angle_of_measure(m) * min_radius(g->lat, r, i) - 60.0, r, i};
}

/* Pass 2 measuring every chord of the band, in ring order. */
typedef struct measured {
    polar_cache cache;
    double lat, lon, best;
    foot f;
} measured;

static void measure_chord(void *ctx, const aw_ring *r, int i, double m)
{
    (void)m;
    measured *s = ctx;
    double t, d = chord_exact(&s->cache, r, i, s->lat, s->lon, &t);
    take_if_nearer(&s->best, &s->f, d, r, i, t);
}

/* The distance d, and the nearest point as a point of its chord (NAN when none). */
static double foot_point(double d, const foot *f, double *near_lat, double *near_lon)
{
    if (near_lat) {
        *near_lat = f->r ? f->r->lat[f->i] + f->t * (f->r->lat[f->i + 1] - f->r->lat[f->i]) : NAN;
        *near_lon = f->r ? f->r->lon[f->i] + f->t * (f->r->lon[f->i + 1] - f->r->lon[f->i]) : NAN;
    }
    return d;
}

double aw_zone_boundary_distance(const aw_zone_set *zs, int zone, double lat, double lon)
{
    return aw_zone_boundary_nearest(zs, zone, lat, lon, NULL, NULL);
}

double aw_zone_boundary_nearest(const aw_zone_set *zs, int zone, double lat, double lon,
                                double *near_lat, double *near_lon)
{
    return aw_zone_boundary_nearest_from(zs, zone, lat, lon, NAN, NAN, near_lat, near_lon);
}

/* Pass 1's starting best from a hint: the angle to the hint point, plus 20 m. The hint
 * is a point of some chord as lon/lat interpolates it, rounded to floats by the engine
 * (1.2 m); a chord of at most AW_CHORD_MAX_DEG strays from the great-circle arc pass 1
 * measures by about a metre. So some chord is surely nearer than the start, and pass 1
 * ends on the very chord and measure it would have found from nothing: the caps it
 * skips could hold nothing nearer than the start. */
static void nearest_start(nearest *s, double hint_lat, double hint_lon)
{
    if (isnan(hint_lat) || isnan(hint_lon))
        return;
    double cl = cos(hint_lat * AW_DEG);
    double q[3] = {cl * cos(hint_lon * AW_DEG), cl * sin(hint_lon * AW_DEG), sin(hint_lat * AW_DEG)};
    double ex = s->p[0] - q[0], ey = s->p[1] - q[1], ez = s->p[2] - q[2];
    double theta = 2 * asin(fmin(1.0, 0.5 * sqrt(ex * ex + ey * ey + ez * ez))) + 20.0 / AW_WGS84_MIN_RADIUS_M;
    if (theta >= 3.14159)
        return;
    s->ct = cos(theta);
    s->st = sin(theta);
    s->best_m = 1 - s->ct;
}

double aw_zone_boundary_nearest_from(const aw_zone_set *zs, int zone, double lat, double lon,
                                     double hint_lat, double hint_lon, double *near_lat,
                                     double *near_lon)
{
    const aw_zone *z = &zs->zones[zone];
    double p[3] = {cos(lat * AW_DEG) * cos(lon * AW_DEG), cos(lat * AW_DEG) * sin(lon * AW_DEG),
                   sin(lat * AW_DEG)};
    /* Pass 1: the sphere's nearest chord. The super-block whose cap centre is nearest
     * goes first, so that the best-so-far is small early and most caps are skipped. */
    met_chord met[PASS2_MAX];
    nearest s = {p, INFINITY, -1, 0, INFINITY, INFINITY, -1, 0, met, 0, false};
    nearest_start(&s, hint_lat, hint_lon);
    nearest_band(&s);
    /* Or from the ring vertices the depth grid holds around the point, if nearer: a
     * chord's measure is at most that of its ends, so the nearest chord is within it.
     * Raised by a part in a million (and 1e-14: the measures' rounding) so that it is
     * beaten outright, and pass 1 ends on the very chord and measure it would have found
     * from nothing. Without a hint nearby (a visit's first measurement, a zone's first
     * in this part of it) pass 1 otherwise looked at most of a jagged ring's chords:
     * 19.2 M chords for the 1,000 random zones' 133,533 measurements, 11.5 M now. */
    double gm = aw_zone_depth_grid_measure(zs, zone, lat, lon, p) * (1 + 1e-6) + 1e-14;
    if (gm < s.best_m && gm < 1)
        nearest_update(&s, gm);
    for (int q = 0; q < z->npolys; q++)
        for (int h = 0; h < z->polys[q].nrings; h++) {
            const aw_ring *r = &z->polys[q].rings[h];
            int seed = 0;
            double seed_dot = -2;
            for (int sb = 0; sb < r->nsupers; sb++) {
                const double *c = &r->super[6 * sb];
                double d = p[0] * c[0] + p[1] * c[1] + p[2] * c[2];
                if (d > seed_dot) {
                    seed_dot = d;
                    seed = sb;
                }
            }
            nearest_in_super(r, seed, &s);
            for (int sb = 0; sb < r->nsupers; sb++)
                if (sb != seed)
                    nearest_in_super(r, sb, &s);
        }
    double limit_m, ct, st;
    band_of(s.best_m, &limit_m, &ct, &st);
    /* Pass 2: exact distance to the candidates. In the azimuthal equidistant plane
     * around the point, distances from the origin are exact, and a chord of at most
     * AW_CHORD_MAX_DEG maps to a segment straight to well under a metre. Candidates are
     * measured in the order of a lower bound of their distance, and the search stops at
     * the first whose bound proves it no nearer than the best so far: deep inside a zone,
     * dozens of chords can lie within the 1.2 % band, and each costs two geod_inverse. */
    gathered g;
    g.n = 0;
    g.overflow = false;
    g.lat = lat;
    if (!s.overflow) { /* pass 1 met them all (see nearest) */
        for (int k = 0; k < s.nmet; k++)
            if (met[k].m <= limit_m)
                gather(&g, met[k].r, met[k].i, met[k].m);
    } else {
        band_chords(z, p, ct, st, limit_m, gather, &g);
    }
    if (g.overflow) { /* a great many: measure them all */
        measured all = {.lat = lat, .lon = lon, .best = INFINITY, .f = {NULL, 0, 0}};
        memset(all.cache.ring, 0, sizeof all.cache.ring);
        band_chords(z, p, ct, st, limit_m, measure_chord, &all);
        return foot_point(all.best, &all.f, near_lat, near_lon);
    }
    candidate *cand = g.cand;
    int nc = g.n;
    qsort(cand, (size_t)nc, sizeof *cand, cmp_candidate);
    polar_cache cache;
    memset(cache.ring, 0, sizeof cache.ring);
    double best = INFINITY;
    foot f = {NULL, 0, 0};
    for (int k = 0; k < nc; k++) {
        if (cand[k].low >= best)
            break; /* nor any after it */
        if (k > 0 && aw_chord_distance_lower(p, cand[k].r, cand[k].i) >= best)
            continue; /* a closer look: it cannot be nearer either (chord_bound.c) */
        double t, d = chord_exact(&cache, cand[k].r, cand[k].i, lat, lon, &t);
        take_if_nearer(&best, &f, d, cand[k].r, cand[k].i, t);
    }
    return foot_point(best, &f, near_lat, near_lon);
}

/* ---- validity (zone_valid.c), path crossings (path_crossings.c) ------------------- */

int aw_ring_bin(const aw_ring *r, double lat) { return bin_of(r, lat); }
