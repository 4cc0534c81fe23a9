/* zone_index.c -- "which zones contain this point", for every zone at once, at memory speed.
 *
 * The queries of the grid index that zone_index_build.c builds (zone_index.h says what
 * it holds): one point, many points with their cache misses overlapped, the clearance
 * to the nearest boundary, one zone's answer, and the zones whose boundaries a short
 * segment passes near. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zones/zone_index.h"

/* ---- queries ------------------------------------------------------------------- */

/* The list of zones holding all of a cell (or sub-cell) whose value is v: v itself, or
 * its boundary record's (in *bc; NULL for a plain cell). */
static uint32_t cell_list(const aw_zone_index *ix, uint32_t v, const boundary_cell **bc)
{
    *bc = v & BOUNDARY_FLAG ? &ix->bcells[v & INDEX_MASK] : NULL;
    return *bc ? (*bc)->inside_list : v;
}

/* The answer for a point whose cell (or sub-cell) holds v: a list id, or a boundary
 * cell record. */
static int answer_cell(const aw_zone_index *ix, uint32_t v, double lat, double lon, int *out,
                       int max, int n)
{
    const boundary_cell *bc;
    uint32_t list = cell_list(ix, v, &bc);
    const int *items = ix->list_items + ix->list_start[list];
    for (int i = 0; i < ix->list_len[list]; i++, n++)
        if (n < max)
            out[n] = items[i];
    if (!bc)
        return n;
    for (int i = 0; i < bc->nzones; i++) {
        const boundary_zone *bz = &ix->bzones[bc->zone0 + i];
        if (boundary_zone_holds(ix, bz, lat, lon)) {
            if (n < max)
                out[n] = bz->zone;
            n++;
        }
    }
    return n;
}

/* The value of the cell, or sub-cell, holding (lat, lon), which are within the grid. */
static inline uint32_t point_value(const aw_zone_index *ix, double lat, double lon)
{
    unsigned cx, cy;
    cell_of(ix, lat, lon, &cx, &cy);
    uint32_t v = coarse_value(ix, cx, cy);
    if (v & BOUNDARY_FLAG)
        v = ix->cells[(size_t)cy * ix->nx + cx];
    if ((v & SUB_FLAG) && (v & BOUNDARY_FLAG))
        v = ix->sub[sub_slot(ix, v, cx, cy, lat, lon)];
    return v;
}

static int query_cell(const aw_zone_index *ix, double lat, double lon, int *out, int max, int n)
{
    return answer_cell(ix, point_value(ix, lat, lon), lat, lon, out, max, n);
}

int aw_zone_index_query(const aw_zone_set *zs, double lat, double lon, int *out, int max)
{
    const aw_zone_index *ix = zs->index;
    if (!(lat >= ix->lat0 && lat <= ix->lat1))
        return 0;
    if (ix->one_turn) /* the grid lies within -180..180: the point itself or nothing */
        return lon >= ix->lon0 && lon <= ix->lon1
                   ? query_cell(ix, lat, lon, out, max, 0)
                   : 0;
    int n = 0;
    /* Zones may run past +-180: the point a turn either way may fall in the grid too. */
    for (int k = -1; k <= 1; k++) {
        double x = lon + 360.0 * k;
        if (x >= ix->lon0 && x <= ix->lon1)
            n = query_cell(ix, lat, x, out, max, n);
    }
    return n;
}

/* Is zone z among the answers of a point whose cell (or sub-cell) holds v? */
static bool cell_holds(const aw_zone_index *ix, uint32_t v, int z, double lat, double lon)
{
    const boundary_cell *bc;
    uint32_t list = cell_list(ix, v, &bc);
    const int *items = ix->list_items + ix->list_start[list];
    for (int i = 0; i < ix->list_len[list]; i++)
        if (items[i] == z)
            return true;
    long r = bc ? zone_record(ix, bc, z) : -1;
    return r >= 0 && boundary_zone_holds(ix, &ix->bzones[r], lat, lon);
}

bool aw_zone_index_holds(const aw_zone_set *zs, int z, double lat, double lon)
{
    const aw_zone_index *ix = zs->index;
    if (!(lat >= ix->lat0 && lat <= ix->lat1))
        return false;
    for (int k = -1; k <= 1; k++) { /* as aw_zone_index_query tries the point */
        double x = ix->one_turn ? (k ? NAN : lon) : lon + 360.0 * k;
        if (!(x >= ix->lon0 && x <= ix->lon1))
            continue;
        if (cell_holds(ix, point_value(ix, lat, x), z, lat, x))
            return true;
    }
    return false;
}

/* The point's longitude as the grid has it: for a grid past 180 but narrower than a
 * turn, the one turn of lon that can fall in it (aw_zone_index_query tries all three). */
static double grid_lon(const aw_zone_index *ix, double lon)
{
    if (ix->wraps)
        lon = lon > ix->lon1 ? lon - 360 : lon < ix->lon0 ? lon + 360 : lon;
    return lon;
}

void aw_zone_index_prefetch(const aw_zone_set *zs, double lat, double lon)
{
    const aw_zone_index *ix = zs->index;
    lon = grid_lon(ix, lon);
    if (!(lat >= ix->lat0 && lat <= ix->lat1 && lon >= ix->lon0 && lon <= ix->lon1))
        return;
    unsigned cx, cy;
    cell_of(ix, lat, lon, &cx, &cy);
    __builtin_prefetch(&ix->cells[(size_t)cy * ix->nx + cx]);
    __builtin_prefetch(&ix->clear[(size_t)cy * ix->nx + cx]);
}

double aw_zone_index_clearance(const aw_zone_set *zs, double lat, double lon)
{
    const aw_zone_index *ix = zs->index;
    /* Outside the grid's latitudes: any way in must cover the latitude gap, and no
     * degree of latitude is shorter than 110574 m. Beside the grid: no bound (0). */
    if (lat < ix->lat0)
        return 0.99 * (ix->lat0 - lat) * 110574.0;
    if (lat > ix->lat1)
        return 0.99 * (lat - ix->lat1) * 110574.0;
    double best = INFINITY;
    bool in_grid = false;
    for (int k = -1; k <= 1; k++) {
        double x = lon + 360.0 * k;
        if (x < ix->lon0 || x > ix->lon1)
            continue;
        in_grid = true;
        int c = ix->clear[(size_t)cell_y(ix, lat) * ix->nx + cell_x(ix, x)];
        best = fmin(best, c >= 1 ? (c - 1) * ix->clear_cell_m : 0);
    }
    return in_grid ? best : 0;
}

void aw_zone_index_get_stats(const aw_zone_set *zs, aw_zone_index_stats *st)
{
    const aw_zone_index *ix = zs->index;
    st->cells = (long)ix->nx * ix->ny;
    st->boundary_cells = ix->nbcells;
    st->filed_chords = ix->nchords;
    st->lists = ix->nlists;
    st->sub_grids = ix->nsubgrids;
    st->cell_deg = ix->cell;
}

/* ---- the public queries -------------------------------------------------------- */

int aw_zones_at(const aw_zone_set *zs, double lat, double lon, int *out, int max)
{
    return aw_zone_index_query(zs, lat, lon, out, max);
}

/* Many points are answered in chunks, in passes: the first only finds each point's
 * coarse block and prefetches its cell, the next ones read the cells and prefetch what a
 * boundary cell needs, level by level, so that the cache misses of scattered points
 * overlap instead of following one another; the last writes the zone lists, copying a
 * fixed COPY_ITEMS items (the lists are padded) to spare a branch on the length. */
#define MANY_CHUNK 512
#define SLOW UINT32_MAX /* answered by aw_zone_index_query: grids wider than a turn */


/* The coarse block's value of a point, and its cell in (*cx, *cy); the fine cell is
 * prefetched when the block is mixed. */
static uint32_t block_value(const aw_zone_index *ix, double lat, double lon, unsigned *cx, unsigned *cy)
{
    if (!ix->one_turn && !ix->wraps)
        return SLOW;
    lon = grid_lon(ix, lon);
    if (!(lat >= ix->lat0 && lat <= ix->lat1 && lon >= ix->lon0 && lon <= ix->lon1))
        return 0; /* the empty list */
    cell_of(ix, lat, lon, cx, cy);
    uint32_t v = coarse_value(ix, *cx, *cy);
    if (v & BOUNDARY_FLAG)
        __builtin_prefetch(&ix->cells[(size_t)*cy * (unsigned)ix->nx + *cx]);
    return v;
}

size_t aw_zones_at_many(const aw_zone_set *zs, size_t n, const double *lat, const double *lon,
                        uint32_t *count, int *zones, size_t cap)
{
    const aw_zone_index *ix = zs->index;
    size_t used = 0;
    uint32_t v[MANY_CHUNK];
    unsigned cx[MANY_CHUNK], cy[MANY_CHUNK];
    size_t slot[MANY_CHUNK];
    uint16_t edge[MANY_CHUNK], subs[MANY_CHUNK]; /* the points in boundary cells, sub-grids */
    for (size_t i0 = 0; i0 < n; i0 += MANY_CHUNK) {
        size_t m = n - i0 < MANY_CHUNK ? n - i0 : MANY_CHUNK;
        const double *la = lat + i0, *lo = lon + i0;
        int nedge = 0, nsubs = 0;
        for (size_t j = 0; j < m; j++)
            v[j] = block_value(ix, la[j], lo[j], &cx[j], &cy[j]);
        for (size_t j = 0; j < m; j++)
            if (v[j] != SLOW && (v[j] & BOUNDARY_FLAG)) {
                v[j] = ix->cells[(size_t)cy[j] * (unsigned)ix->nx + cx[j]];
                if ((v[j] & BOUNDARY_FLAG) && (v[j] & SUB_FLAG)) {
                    slot[j] = sub_slot(ix, v[j], cx[j], cy[j], la[j], grid_lon(ix, lo[j]));
                    __builtin_prefetch(&ix->sub[slot[j]]);
                    subs[nsubs++] = (uint16_t)j;
                } else if (v[j] & BOUNDARY_FLAG) {
                    __builtin_prefetch(&ix->bcells[v[j] & INDEX_MASK]);
                    edge[nedge++] = (uint16_t)j;
                }
            }
        for (int e = 0; e < nsubs; e++) {
            size_t j = subs[e];
            v[j] = ix->sub[slot[j]];
            if (v[j] & BOUNDARY_FLAG) {
                __builtin_prefetch(&ix->bcells[v[j] & INDEX_MASK]);
                edge[nedge++] = (uint16_t)j;
            }
        }
        /* A boundary cell's record, then its first zone's, then that zone's chords:
         * each fetched for all the chunk's points before any is read. */
        for (int e = 0; e < nedge; e++)
            __builtin_prefetch(&ix->bzones[ix->bcells[v[edge[e]] & INDEX_MASK].zone0]);
        for (int e = 0; e < nedge; e++) {
            const boundary_cell *bc = &ix->bcells[v[edge[e]] & INDEX_MASK];
            if (bc->nzones > 0) {
                const boundary_zone *bz = &ix->bzones[bc->zone0];
                __builtin_prefetch(&ix->chords[4 * bz->chord0]);
                __builtin_prefetch(&ix->chords[4 * bz->chord0 + 4]);
            }
        }
        for (size_t j = 0; j < m; j++) {
            size_t room = cap - used;
            int max = room > INT32_MAX ? INT32_MAX : (int)room, k;
            if (v[j] == SLOW) {
                k = aw_zone_index_query(zs, la[j], lo[j], zones + used, max);
            } else if (v[j] & BOUNDARY_FLAG) {
                k = answer_cell(ix, v[j], la[j], grid_lon(ix, lo[j]), zones + used, max, 0);
            } else {
                k = ix->list_len[v[j]];
                const int *items = ix->list_items + ix->list_start[v[j]];
                if (room >= COPY_ITEMS && k <= COPY_ITEMS)
                    memcpy(zones + used, items, COPY_ITEMS * sizeof *items);
                else
                    for (int q = 0; q < k && q < max; q++)
                        zones[used + q] = items[q];
            }
            if ((size_t)k > room)
                return i0 + j;
            count[i0 + j] = (uint32_t)k;
            used += (size_t)k;
        }
    }
    return n;
}

/* ---- segments ------------------------------------------------------------------ */

/* A sub-cell's column (or row) from a coordinate's offset in cells from the cell's own
 * west (or south) side, as sub_slot computes it. */
static int sub_index(double offset)
{
    int s = (int)(offset * SUB);
    return s < 0 ? 0 : s >= SUB ? SUB - 1 : s;
}

int aw_ix_segment_records(const aw_zone_index *ix, const segment_box *b, aw_ix_record_fn fn, void *ctx)
{
    for (int y = b->cy0; y <= b->cy1; y++)
        for (int x = b->cx0; x <= b->cx1; x++) {
            uint32_t v = ix->cells[(size_t)y * ix->nx + x];
            if (!(v & BOUNDARY_FLAG))
                continue;
            int r;
            if (!(v & SUB_FLAG)) {
                if ((r = fn(ix, v, ctx)) != 0)
                    return r;
                continue;
            }
            const uint32_t *sub = &ix->sub[(size_t)(v & INDEX_MASK) * SUB * SUB];
            int sx0 = sub_index((b->x0 - ix->lon0) * ix->inv_cell - x);
            int sx1 = sub_index((b->x1 - ix->lon0) * ix->inv_cell - x);
            int sy0 = sub_index((b->y0 - ix->lat0) * ix->inv_cell - y);
            int sy1 = sub_index((b->y1 - ix->lat0) * ix->inv_cell - y);
            for (int sy = sy0; sy <= sy1; sy++)
                for (int sx = sx0; sx <= sx1; sx++)
                    if ((sub[sy * SUB + sx] & BOUNDARY_FLAG) && (r = fn(ix, sub[sy * SUB + sx], ctx)) != 0)
                        return r;
        }
    return 0;
}

/* The records under a segment's box are gathered first, then read level by level --
 * each record's cell entry, its zones, their chords -- with each level fetched for all of
 * them before any is read: with a thousand zones these are cache misses, and a segment's
 * few dozen records then wait for them together rather than one after another. */
#define GATHER_MAX 256

typedef struct gather {
    uint32_t v[GATHER_MAX];
    int n;
    int *out, nout, max; /* the zones found */
} gather;

/* The zones of the gathered records into the list, each once; -1 once past the room. */
static int gather_flush(const aw_zone_index *ix, gather *g)
{
    for (int i = 0; i < g->n; i++) {
        const boundary_cell *bc = &ix->bcells[g->v[i] & INDEX_MASK];
        __builtin_prefetch(&ix->bzones[bc->zone0]);
        __builtin_prefetch(&ix->bzones[bc->zone0 + 1]);
    }
    for (int i = 0; i < g->n; i++) {
        const boundary_cell *bc = &ix->bcells[g->v[i] & INDEX_MASK];
        for (int j = 0; j < bc->nzones; j++) {
            const boundary_zone *bz = &ix->bzones[bc->zone0 + j];
            __builtin_prefetch(&ix->chords[4 * bz->chord0]); /* for the path's crossings next */
            int z = bz->zone, k = 0;
            while (k < g->nout && g->out[k] != z)
                k++;
            if (k < g->nout)
                continue;
            if (g->nout == g->max)
                return -1;
            g->out[g->nout++] = z;
        }
    }
    g->n = 0;
    return 0;
}

static int gather_record(const aw_zone_index *ix, uint32_t v, void *ctx)
{
    gather *g = ctx;
    __builtin_prefetch(&ix->bcells[v & INDEX_MASK]);
    g->v[g->n++] = v;
    return g->n == GATHER_MAX ? gather_flush(ix, g) : 0;
}

int aw_zone_index_segment_zones(const aw_zone_set *zs, double lat_a, double lon_a, double lat_b,
                                double lon_b, double length_m, int *out, int max)
{
    const aw_zone_index *ix = zs->index;
    double margin = segment_margin(lat_a, lon_a, lat_b, lon_b, length_m);
    if (margin < 0)
        return -1;
    gather g;
    g.n = 0;
    g.out = out;
    g.nout = 0;
    g.max = max;
    for (int k = -1; k <= 1; k++) {
        segment_box b;
        if (!segment_box_of(ix, lat_a, lon_a, lat_b, lon_b, margin, k, &b))
            continue;
        if ((b.cx1 - b.cx0 + 1) * (b.cy1 - b.cy0 + 1) > SEGMENT_MAX_CELLS)
            return -1;
        if (aw_ix_segment_records(ix, &b, gather_record, &g) != 0)
            return -1; /* more than the room: the caller looks at every zone */
    }
    return gather_flush(ix, &g) < 0 ? -1 : g.nout;
}
