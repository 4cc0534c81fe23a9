/* path_crossings.c -- where a path's chords cross a zone's rings.
 *
 * The engine asks this of every zone a segment could change state in. Through the
 * ring's latitude bins, a jagged ring (a star of hundreds of spikes) hands a short path
 * chord every chord in its bins -- a hundred and more, nearly all far east or west of it,
 * and scattered in memory; with a thousand such zones that was a third of a report's
 * cost. So a short segment (one the index can answer for, as for the zones near it)
 * takes the chords of the zone's records in the index cells under its box instead:
 * copies of the rings' chords, the same numbers, contiguous, and just read by the search
 * for the zones near the segment. Any chord that meets the path is among them: a meeting
 * point lies in the segment's box, so in one of its cells (or sub-cells), and every
 * chord is filed in each cell it comes within CELL_MARGIN_DEG of. Long segments, rare,
 * search the bins. */
#include <math.h>
#include <stdlib.h>

#include "zones/zone_index.h"

/* Chords farther apart than this do not meet (chord_meet's tolerance is 1e-12 of a
 * chord). */
#define PATH_MARGIN_DEG 1e-7

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

/* ---- through the rings' latitude bins -------------------------------------------- */

static int ring_path_crossings(const aw_ring *r, const aw_path *path, double shift, aw_params *out)
{
    for (int j = 0; j + 1 < path->n; j++) {
        double ya = path->lat[j], yb = path->lat[j + 1];
        double xa = path->lon[j] + shift, xb = path->lon[j + 1] + shift;
        if (fmax(ya, yb) < r->min_lat || fmin(ya, yb) > r->max_lat || fmax(xa, xb) < r->min_lon ||
            fmin(xa, xb) > r->max_lon)
            continue;
        int b0 = aw_ring_bin(r, fmin(ya, yb)), b1 = aw_ring_bin(r, fmax(ya, yb));
        double x0 = fmin(xa, xb) - PATH_MARGIN_DEG, x1 = fmax(xa, xb) + PATH_MARGIN_DEG;
        for (int b = b0; b <= b1; b++) {
            for (int k = r->bin_start[b]; k < r->bin_start[b + 1]; k++) {
                int i = r->bin_items[k];
                /* A jagged ring has dozens of chords at any latitude: those wholly east
                 * or west of the path's chord cannot meet it. */
                if ((r->lon[i] < x0 && r->lon[i + 1] < x0) || (r->lon[i] > x1 && r->lon[i + 1] > x1))
                    continue;
                /* A chord listed in several bins is tested in the first one shared. */
                int first = aw_ring_bin(r, fmin(r->lat[i], r->lat[i + 1]));
                if ((first > b0 ? first : b0) != b)
                    continue;
                double t = chord_meet(xa, ya, xb, yb, r->lon[i], r->lat[i], r->lon[i + 1], r->lat[i + 1],
                                      NULL);
                if (t >= 0 && aw_params_push(out, path->s[j] + t * (path->s[j + 1] - path->s[j])) < 0)
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
    long r = zone_record(ix, bc, rc->zone);
    if (r < 0)
        return 0;
    const boundary_zone *bz = &ix->bzones[r];
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

int aw_zone_index_path_crossings(const aw_zone_set *zs, int zone, const aw_path *path, double lat_a,
                                 double lon_a, double lat_b, double lon_b, double length_m, aw_params *out)
{
    const aw_zone_index *ix = zs->index;
    double margin = segment_margin(lat_a, lon_a, lat_b, lon_b, length_m);
    segment_box box[3];
    bool in_grid[3];
    for (int k = -1; k <= 1; k++) {
        segment_box *b = &box[k + 1];
        in_grid[k + 1] = margin >= 0 && segment_box_of(ix, lat_a, lon_a, lat_b, lon_b, margin, k, b);
        bool large = in_grid[k + 1] && (b->cx1 - b->cx0 + 1) * (b->cy1 - b->cy0 + 1) > SEGMENT_MAX_CELLS;
        if (margin < 0 || large)
            return aw_zone_path_crossings(zs, zone, path, out); /* a long segment */
    }
    for (int k = -1; k <= 1; k++) {
        record_ctx rc = {zone, path, 360.0 * k, out};
        if (in_grid[k + 1] && aw_ix_segment_records(ix, &box[k + 1], record_crossings, &rc) < 0)
            return -1;
    }
    return 0;
}
