/* path_crossings.c -- where a path's chords cross a zone's rings, through a grid of each
 * ring's chords.
 *
 * The engine asks this of every zone a segment could change state in. Through the
 * ring's latitude bins, a jagged ring (a star of hundreds of spikes) handed each short
 * path chord every chord in its bins -- a hundred and more, nearly all far east or west
 * of it; with a thousand such zones that was a third of a report's cost. Each ring now
 * also files its chords in a 2-D grid of about one cell a chord (a chord in every cell
 * its box, widened by PATH_MARGIN_DEG, covers), and a path chord looks only at the cells
 * under its own widened box.
 *
 * The crossings are the bins' own, bit for bit: a chord is tested when the bin search
 * tested it (its bins overlap the path chord's, it is not wholly east or west of it)
 * and it shares a cell with the path chord, with the same arithmetic. The grid only
 * leaves out chords that cannot meet: where chord_meet accepts a meeting (within 1e-12
 * of both chords), that point lies in both widened boxes, so in a cell of both -- the
 * cell of a coordinate is monotonic in it, for the filing and the query alike. */
#include <math.h>
#include <stdlib.h>

#include "zones/zone_index.h"

/* Chords farther apart in longitude than this do not meet (chord_meet's tolerance is
 * 1e-12 of a chord); the grid widens boxes by as much, in latitude too. */
#define PATH_MARGIN_DEG 1e-7
#define GRID_SIDE_MAX 4096 /* cells a side, whatever the ring's shape */

/* Where chord P0-P1 meets chord Q0-Q1: fraction along P, or -1 if they do not meet.
 * Parallel chords give -1: a path running along a boundary has its state found by the
 * midpoint tests around it. */
static double chord_meet(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y,
                         double q1x, double q1y, double *u_out)
{
    double rx = p1x - p0x, ry = p1y - p0y, sx = q1x - q0x, sy = q1y - q0y;
    double den = rx * sy - ry * sx;
    if (den == 0)
        return -1;
    double qpx = q0x - p0x, qpy = q0y - p0y;
    double t = (qpx * sy - qpy * sx) / den, u = (qpx * ry - qpy * rx) / den;
    const double eps = 1e-12;
    if (t < -eps || t > 1 + eps || u < -eps || u > 1 + eps)
        return -1;
    if (u_out)
        *u_out = u < 0 ? 0 : u > 1 ? 1 : u;
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

double aw_chord_meet(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y, double q1x,
                     double q1y, double *u)
{
    return chord_meet(p0x, p0y, p1x, p1y, q0x, q0y, q1x, q1y, u);
}

/* ---- the grid ------------------------------------------------------------------ */

static int grid_col(const aw_ring *r, double lon)
{
    double x = floor((lon - r->grid_lon0) * r->grid_inv);
    return x < 0 ? 0 : x >= r->grid_nx ? r->grid_nx - 1 : (int)x;
}

static int grid_row(const aw_ring *r, double lat)
{
    double y = floor((lat - r->grid_lat0) * r->grid_inv);
    return y < 0 ? 0 : y >= r->grid_ny ? r->grid_ny - 1 : (int)y;
}

/* The cells of the box from (x0, y0) to (x1, y1), widened by the margin. */
static void box_cells(const aw_ring *r, double x0, double y0, double x1, double y1, int *cx0, int *cy0,
                      int *cx1, int *cy1)
{
    *cx0 = grid_col(r, x0 - PATH_MARGIN_DEG);
    *cx1 = grid_col(r, x1 + PATH_MARGIN_DEG);
    *cy0 = grid_row(r, y0 - PATH_MARGIN_DEG);
    *cy1 = grid_row(r, y1 + PATH_MARGIN_DEG);
}

static void chord_cells(const aw_ring *r, int i, int *cx0, int *cy0, int *cx1, int *cy1)
{
    double xa = r->lon[i], xb = r->lon[i + 1], ya = r->lat[i], yb = r->lat[i + 1];
    box_cells(r, xa < xb ? xa : xb, ya < yb ? ya : yb, xa < xb ? xb : xa, ya < yb ? yb : ya, cx0, cy0, cx1,
              cy1);
}

int aw_ring_grid_build(aw_ring *r)
{
    /* Square cells (in degrees), about as many as chords. */
    double w = r->max_lon - r->min_lon, h = r->max_lat - r->min_lat;
    double side = sqrt(w * h / r->n);
    if (!(side > 0)) /* a ring with no width or no height */
        side = fmax(w, h) / r->n;
    if (!(side > 0))
        side = 1;
    r->grid_inv = 1 / side;
    double nx = ceil(w * r->grid_inv), ny = ceil(h * r->grid_inv);
    r->grid_nx = nx < 1 ? 1 : nx > GRID_SIDE_MAX ? GRID_SIDE_MAX : (int)nx;
    r->grid_ny = ny < 1 ? 1 : ny > GRID_SIDE_MAX ? GRID_SIDE_MAX : (int)ny;
    r->grid_lon0 = r->min_lon;
    r->grid_lat0 = r->min_lat;
    size_t ncells = (size_t)r->grid_nx * r->grid_ny;
    r->grid_start = calloc(ncells + 1, sizeof *r->grid_start);
    if (!r->grid_start)
        return -1;
    /* Two passes: count per cell, then file in place (each start advanced as it fills,
     * then shifted back). */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < r->n; i++) {
            int cx0, cy0, cx1, cy1;
            chord_cells(r, i, &cx0, &cy0, &cx1, &cy1);
            for (int y = cy0; y <= cy1; y++)
                for (int x = cx0; x <= cx1; x++) {
                    size_t c = (size_t)y * r->grid_nx + x;
                    if (pass == 0)
                        r->grid_start[c + 1]++;
                    else
                        r->grid_items[r->grid_start[c]++] = i;
                }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncells; c++)
                r->grid_start[c + 1] += r->grid_start[c];
            r->grid_items = malloc(((size_t)r->grid_start[ncells] + 1) * sizeof *r->grid_items);
            if (!r->grid_items)
                return -1;
        } else {
            for (size_t c = ncells; c > 0; c--)
                r->grid_start[c] = r->grid_start[c - 1];
            r->grid_start[0] = 0;
        }
    }
    return 0;
}

/* ---- crossings ----------------------------------------------------------------- */

static int ring_path_crossings(const aw_ring *r, const aw_path *path, double shift, aw_params *out)
{
    for (int j = 0; j + 1 < path->n; j++) {
        double ya = path->lat[j], yb = path->lat[j + 1];
        double xa = path->lon[j] + shift, xb = path->lon[j + 1] + shift;
        double lo_y = fmin(ya, yb), hi_y = fmax(ya, yb), lo_x = fmin(xa, xb), hi_x = fmax(xa, xb);
        if (hi_y < r->min_lat || lo_y > r->max_lat || hi_x < r->min_lon || lo_x > r->max_lon)
            continue;
        int b0 = aw_ring_bin(r, lo_y), b1 = aw_ring_bin(r, hi_y);
        double x0 = lo_x - PATH_MARGIN_DEG, x1 = hi_x + PATH_MARGIN_DEG;
        int qx0, qy0, qx1, qy1;
        box_cells(r, lo_x, lo_y, hi_x, hi_y, &qx0, &qy0, &qx1, &qy1);
        for (int y = qy0; y <= qy1; y++)
            for (int x = qx0; x <= qx1; x++) {
                size_t c = (size_t)y * r->grid_nx + x;
                for (int k = r->grid_start[c]; k < r->grid_start[c + 1]; k++) {
                    int i = r->grid_items[k];
                    /* What the bin search would have passed over: wholly east or west
                     * of the path's chord, or in none of its bins (a chord whose
                     * latitudes reach the path chord's is in one of them). */
                    double y1 = r->lat[i], y2 = r->lat[i + 1];
                    double ylo = y1 < y2 ? y1 : y2, yhi = y1 < y2 ? y2 : y1;
                    if ((r->lon[i] < x0 && r->lon[i + 1] < x0) || (r->lon[i] > x1 && r->lon[i + 1] > x1))
                        continue;
                    if ((yhi < lo_y || ylo > hi_y) && (aw_ring_bin(r, yhi) < b0 || aw_ring_bin(r, ylo) > b1))
                        continue;
                    double t = chord_meet(xa, ya, xb, yb, r->lon[i], r->lat[i], r->lon[i + 1],
                                          r->lat[i + 1], NULL);
                    if (t < 0)
                        continue;
                    /* A chord filed in several of these cells is counted in the first. */
                    if (qx1 > qx0 || qy1 > qy0) {
                        int fx0, fy0, fx1, fy1;
                        chord_cells(r, i, &fx0, &fy0, &fx1, &fy1);
                        if ((fx0 > qx0 ? fx0 : qx0) != x || (fy0 > qy0 ? fy0 : qy0) != y)
                            continue;
                    }
                    if (aw_params_push(out, path->s[j] + t * (path->s[j + 1] - path->s[j])) < 0)
                        return -1;
                }
            }
    }
    return 0;
}

int aw_zone_path_crossings(const aw_zone_set *zs, int zone, const aw_path *path, aw_params *out)
{
    const aw_zone *z = &zs->zones[zone];
    for (int k = -1; k <= 1; k++) {
        double shift = 360.0 * k;
        if (path->max_lon + shift < z->info.min_lon || path->min_lon + shift > z->info.max_lon ||
            path->max_lat < z->info.min_lat || path->min_lat > z->info.max_lat)
            continue;
        for (int p = 0; p < z->npolys; p++)
            for (int h = 0; h < z->polys[p].nrings; h++)
                if (ring_path_crossings(&z->polys[p].rings[h], path, shift, out) < 0)
                    return -1;
    }
    return 0;
}

/* ---- through the index, near a short segment ------------------------------------ */

typedef struct record_ctx {
    int zone;
    const aw_path *path;
    double shift; /* the path a turn east or west, to meet the grid */
    aw_params *out;
} record_ctx;

/* The crossings of the path's chords with those of the zone's record in the boundary
 * cell (or sub-cell) v, if it has one; -1 without memory. */
static int record_crossings(const aw_zone_index *ix, uint32_t v, void *ctx)
{
    const record_ctx *rc = ctx;
    const boundary_cell *bc = &ix->bcells[v & INDEX_MASK];
    const boundary_zone *bz = NULL;
    for (int i = 0; i < bc->nzones && !bz; i++)
        if (ix->bzones[bc->zone0 + i].zone == rc->zone)
            bz = &ix->bzones[bc->zone0 + i];
    if (!bz)
        return 0;
    const aw_path *path = rc->path;
    for (int j = 0; j + 1 < path->n; j++) {
        double ya = path->lat[j], yb = path->lat[j + 1];
        double xa = path->lon[j] + rc->shift, xb = path->lon[j + 1] + rc->shift;
        double x0 = fmin(xa, xb) - PATH_MARGIN_DEG, x1 = fmax(xa, xb) + PATH_MARGIN_DEG;
        double y0 = fmin(ya, yb) - PATH_MARGIN_DEG, y1 = fmax(ya, yb) + PATH_MARGIN_DEG;
        for (int c = 0; c < bz->nchords; c++) {
            const double *q = &ix->chords[4 * (bz->chord0 + c)];
            if ((q[0] < x0 && q[2] < x0) || (q[0] > x1 && q[2] > x1) || (q[1] < y0 && q[3] < y0) ||
                (q[1] > y1 && q[3] > y1))
                continue; /* wholly beside the path's chord */
            double t = chord_meet(xa, ya, xb, yb, q[0], q[1], q[2], q[3], NULL);
            if (t >= 0 && aw_params_push(rc->out, path->s[j] + t * (path->s[j + 1] - path->s[j])) < 0)
                return -1;
        }
    }
    return 0;
}

int aw_zone_index_path_crossings(const aw_zone_set *zs, int zone, const aw_path *path, double lat_a, double lon_a,
                                 double lat_b, double lon_b, double length_m, aw_params *out)
{
    const aw_zone_index *ix = zs->index;
    double margin = segment_margin(lat_a, lon_a, lat_b, lon_b, length_m);
    segment_box box[3];
    bool in_grid[3];
    for (int k = -1; k <= 1; k++) {
        segment_box *b = &box[k + 1];
        in_grid[k + 1] = margin >= 0 && segment_box_of(ix, lat_a, lon_a, lat_b, lon_b, margin, k, b);
        if (margin < 0 || (in_grid[k + 1] && (b->cx1 - b->cx0 + 1) * (b->cy1 - b->cy0 + 1) > SEGMENT_MAX_CELLS))
            return aw_zone_path_crossings(zs, zone, path, out); /* a long segment */
    }
    for (int k = -1; k <= 1; k++) {
        record_ctx rc = {zone, path, 360.0 * k, out};
        if (in_grid[k + 1] && segment_records(ix, &box[k + 1], record_crossings, &rc) < 0)
            return -1;
    }
    return 0;
}
