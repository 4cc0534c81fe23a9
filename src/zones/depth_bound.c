/* depth_bound.c -- a cheap upper bound of a point's distance to a zone's boundary.
 *
 * Why: an exit's max_depth_m is the largest exact boundary distance over the visit's
 * reports, and the exact distance (aw_zone_boundary_distance) costs microseconds. The
 * engine measures only reports that could be the deepest; this bound is what rules the
 * others out without measuring them.
 *
 * The distance to any boundary point is an upper bound of the distance to the boundary.
 * Each zone keeps a small grid over its extent; each cell holds a vertex of the zone's
 * rings near the cell (found by passing vertices from cell to cell in sweeps). A point's
 * bound is its distance to the nearest of the vertices of its cell and the eight around
 * it. Deep inside a zone -- where a visit's maximum is -- the nearest boundary point moves
 * little from one cell to the next, so the bound is close to the truth.
 *
 * The bound itself is rigorous: on the ellipsoid, in geodetic coordinates, no radius of
 * curvature exceeds a^2/b, so the geodesic distance is at most a^2/b times the angle
 * between the two points placed on the unit sphere at their geodetic coordinates. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geo/trig.h"
#include "zones/zone.h"

#define MAX_CURVATURE_RADIUS_M 6399593.6259 /* a^2 / b of WGS84 */
#define MIN_CELLS 256
#define MAX_CELLS 65536 /* 256 KB a zone */
#define SWEEP_ROUNDS 2 /* a second pair of sweeps mends most of the first pair's misses */

struct aw_depth_grid {
    double lat0, lon0, cell, inv_cell, mid_lon;
    int nx, ny;
    int32_t *vertex; /* per cell: a vertex, as an index into unit[] */
    double *unit;    /* 3 per vertex: every ring vertex on the unit sphere */
    bool own_unit;   /* unit is a copy (several rings), else the one ring's own */
};

typedef struct vertex_table {
    const double *lat, *lon; /* the one ring's, or flattened copies of the rings' */
    const double *row_cos;   /* per row: the cosine of its centre's latitude */
} vertex_table;

/* Squared distance from a cell's centre to a vertex, in degrees of latitude (longitude
 * scaled by the cosine of the centre's latitude): only ranks vertices. */
static double rank(const aw_depth_grid *g, const vertex_table *vt, int x, int y, int32_t v)
{
    double clat = g->lat0 + (y + 0.5) * g->cell, clon = g->lon0 + (x + 0.5) * g->cell;
    double dx = (vt->lon[v] - clon) * vt->row_cos[y], dy = vt->lat[v] - clat;
    return dx * dx + dy * dy;
}

/* Inlined: eight calls a cell a sweep, 400 M for 100,000 zones, half their build. */
static inline __attribute__((always_inline)) void consider(aw_depth_grid *g, const vertex_table *vt,
                                                           double *best, int x, int y, int nx, int ny)
{
    if (nx < 0 || ny < 0 || nx >= g->nx || ny >= g->ny)
        return;
    int32_t v = g->vertex[(size_t)ny * g->nx + nx];
    size_t c = (size_t)y * g->nx + x;
    if (v < 0 || v == g->vertex[c])
        return;
    double r = rank(g, vt, x, y, v);
    if (g->vertex[c] < 0 || r < best[c]) {
        g->vertex[c] = v;
        best[c] = r;
    }
}

/* The grid over the zone's nv ring vertices (lat, lon, and unit: the rings' unit
 * vectors, a copy that the grid keeps if own_unit). */
static aw_depth_grid *build(const aw_zone *z, const double *lat, const double *lon, double *unit, bool own_unit,
                            int nv)
{
    aw_depth_grid *g = calloc(1, sizeof *g);
    if (!g) {
        if (own_unit)
            free(unit);
        return NULL;
    }
    g->unit = unit;
    g->own_unit = own_unit;
    const aw_zone_info *zi = &z->info;
    double w = zi->max_lon - zi->min_lon, h = zi->max_lat - zi->min_lat;
    double target = fmin(MAX_CELLS, fmax(MIN_CELLS, 4.0 * nv));
    g->cell = fmax(sqrt(fmax(w * h, 1e-12) / target), 1e-6);
    g->inv_cell = 1 / g->cell;
    g->nx = (int)fmin(fmax(ceil(w / g->cell) + 1, 3), MAX_CELLS);
    g->ny = (int)fmin(fmax(ceil(h / g->cell) + 1, 3), MAX_CELLS);
    g->lat0 = zi->min_lat;
    g->lon0 = zi->min_lon;
    g->mid_lon = 0.5 * (zi->min_lon + zi->max_lon);
    size_t n = (size_t)g->nx * g->ny;
    g->vertex = malloc(n * sizeof *g->vertex);
    double *best = malloc(n * sizeof *best);
    double *row_cos = malloc((size_t)g->ny * sizeof *row_cos);
    if (!g->vertex || !best || !row_cos) {
        free(best);
        free(row_cos);
        aw_depth_grid_free(g);
        return NULL;
    }
    /* A cosine a row, not one for every vertex ranked (400 M for 100,000 zones). */
    for (int y = 0; y < g->ny; y++)
        row_cos[y] = cos((g->lat0 + (y + 0.5) * g->cell) * AW_DEG);
    vertex_table vt = {lat, lon, row_cos};
    for (size_t c = 0; c < n; c++)
        g->vertex[c] = -1;
    for (int32_t v = 0; v < nv; v++) {
        int x = (int)((lon[v] - g->lon0) * g->inv_cell), y = (int)((lat[v] - g->lat0) * g->inv_cell);
        x = x < 0 ? 0 : x >= g->nx ? g->nx - 1 : x;
        y = y < 0 ? 0 : y >= g->ny ? g->ny - 1 : y;
        size_t c = (size_t)y * g->nx + x;
        double r = rank(g, &vt, x, y, v);
        if (g->vertex[c] < 0 || r < best[c]) {
            g->vertex[c] = v;
            best[c] = r;
        }
    }
    /* Sweeps pass each cell the best vertex of its neighbours: an approximation of the
     * nearest vertex, which only makes the bound less tight, never wrong. */
    for (int round = 0; round < SWEEP_ROUNDS; round++) {
        for (int y = 0; y < g->ny; y++)
            for (int x = 0; x < g->nx; x++) {
                consider(g, &vt, best, x, y, x - 1, y);
                consider(g, &vt, best, x, y, x - 1, y - 1);
                consider(g, &vt, best, x, y, x, y - 1);
                consider(g, &vt, best, x, y, x + 1, y - 1);
            }
        for (int y = g->ny - 1; y >= 0; y--)
            for (int x = g->nx - 1; x >= 0; x--) {
                consider(g, &vt, best, x, y, x + 1, y);
                consider(g, &vt, best, x, y, x + 1, y + 1);
                consider(g, &vt, best, x, y, x, y + 1);
                consider(g, &vt, best, x, y, x - 1, y + 1);
            }
    }
    free(best);
    free(row_cos);
    return g;
}

aw_depth_grid *aw_depth_grid_build(const aw_zone *z)
{
    int nv = 0;
    for (int p = 0; p < z->npolys; p++)
        for (int r = 0; r < z->polys[p].nrings; r++)
            nv += z->polys[p].rings[r].n;
    /* One ring (most zones): its own points and unit vectors rather than copies (30 MB
     * kept for a thousand detailed zones). The ring outlives the grid (zone_free). */
    if (z->npolys == 1 && z->polys[0].nrings == 1) {
        const aw_ring *ring = &z->polys[0].rings[0];
        return build(z, ring->lat, ring->lon, ring->unit, false, nv);
    }
    double *lat = malloc((size_t)nv * sizeof *lat), *lon = malloc((size_t)nv * sizeof *lon);
    double *unit = malloc(3 * (size_t)nv * sizeof *unit);
    aw_depth_grid *g = NULL;
    if (lat && lon && unit && nv > 0) {
        int k = 0;
        for (int p = 0; p < z->npolys; p++)
            for (int r = 0; r < z->polys[p].nrings; r++) {
                const aw_ring *ring = &z->polys[p].rings[r];
                memcpy(unit + 3 * k, ring->unit, 3 * (size_t)ring->n * sizeof *unit);
                for (int i = 0; i < ring->n; i++, k++) {
                    lat[k] = ring->lat[i];
                    lon[k] = ring->lon[i];
                }
            }
        g = build(z, lat, lon, unit, true, nv);
    } else {
        free(unit);
    }
    free(lat);
    free(lon);
    return g;
}

void aw_depth_grid_free(aw_depth_grid *g)
{
    if (!g)
        return;
    free(g->vertex);
    if (g->own_unit)
        free(g->unit);
    free(g);
}

/* The grid cell of (lat, lon), kept one cell inside the edges (its neighbours exist). */
static void grid_cell(const aw_depth_grid *g, double lat, double lon, int *cx_out, int *cy_out)
{
    /* The zone's longitudes may run past 180: take the turn of lon nearest its middle. */
    double x = lon + 360.0 * round((g->mid_lon - lon) / 360.0);
    int cx = (int)floor((x - g->lon0) * g->inv_cell), cy = (int)floor((lat - g->lat0) * g->inv_cell);
    *cx_out = cx < 1 ? 1 : cx >= g->nx - 1 ? g->nx - 2 : cx;
    *cy_out = cy < 1 ? 1 : cy >= g->ny - 1 ? g->ny - 2 : cy;
}

double aw_zone_depth_grid_measure(const aw_zone_set *zs, int zone, double lat, double lon,
                                  const double *p)
{
    const aw_depth_grid *g = zs->zones[zone].depth_grid;
    if (!g)
        return INFINITY;
    int cx, cy;
    grid_cell(g, lat, lon, &cx, &cy);
    double best = 2; /* 1 - cos: as sphere_arc_measure takes it at a chord's end */
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            const double *v = &g->unit[3 * g->vertex[(size_t)(cy + dy) * g->nx + cx + dx]];
            double m = 1 - (p[0] * v[0] + p[1] * v[1] + p[2] * v[2]);
            best = m < best ? m : best;
        }
    return best;
}

double aw_zone_depth_bound(const aw_zone_set *zs, int zone, double lat, double lon)
{
    const aw_depth_grid *g = zs->zones[zone].depth_grid;
    if (!g)
        return INFINITY;
    int cx, cy;
    grid_cell(g, lat, lon, &cx, &cy);
    double sl, cl, so, co; /* polynomials (trig.h): far within the margin below */
    aw_sincos(lat * AW_DEG, &sl, &cl);
    aw_sincos(lon * AW_DEG, &so, &co);
    double px = cl * co, py = cl * so, pz = sl;
    /* The vertices of the cell and its neighbours: near a zone's middle, where two
     * sides are about as far, the neighbours hold the other side's vertex. */
    double chord2 = INFINITY;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            const double *v = &g->unit[3 * g->vertex[(size_t)(cy + dy) * g->nx + cx + dx]];
            double ex = px - v[0], ey = py - v[1], ez = pz - v[2];
            double d2 = ex * ex + ey * ey + ez * ez;
            chord2 = d2 < chord2 ? d2 : chord2;
        }
    double half = 0.5 * sqrt(chord2), angle;
    if (half < 0.05) { /* under 640 km: asin's series, no libm call (a grid bound is taken
                        * for most reports of a visit). Its terms after h^9 add less than
                        * 3e-15 of it, far inside the margin below. */
        double h2 = half * half;
        angle = 2 * half * (1 + h2 * (1.0 / 6 + h2 * (3.0 / 40 + h2 * (5.0 / 112 + h2 * (35.0 / 1152)))));
    } else {
        angle = 2 * asin(half < 1.0 ? half : 1.0);
    }
    /* A little over the exact figure, for the rounding of the arithmetic above. */
    return angle * MAX_CURVATURE_RADIUS_M * (1 + 1e-9) + 1e-3;
}
