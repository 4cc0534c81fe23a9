/* zone_sub_grids.c -- cutting crowded boundary cells into SUB x SUB sub-grids.
 *
 * Why sub-grids: see zone_index.h. Why built this way: a thousand detailed zones make
 * 150,000 sub-grids, ten million sub-cells. Testing every chord of the parent against
 * every sub-cell, and counting every parent chord from the parent's reference for each
 * sub-cell's state, took 2.5 s there. Here each chord is filed only in the sub-cells
 * under its box, and each sub-cell's state is carried from its neighbour's: the segment
 * between two neighbouring sub-cells' points lies in the two of them, so only their own
 * chords can cross it. The states are the same as counted from the parent's reference
 * (the crossings of a closed ring by a closed path in the cell are even), and every
 * point a count starts from is kept well off the chords; where one is not, the state
 * is counted from the parent's reference as before. A sub-cell with the same chords
 * and zones as the one to its west shares its records, or else as the one to its south
 * (up a column, never turning). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zones/zone_index_build.h"

#define SS (SUB * SUB)

/* Does chord q come near the rectangle? */
static bool chord_near_rect(const double *q, double x0, double y0, double x1, double y1)
{
    if (greater(q[0], q[2]) < x0 || lesser(q[0], q[2]) > x1 || greater(q[1], q[3]) < y0 || lesser(q[1], q[3]) > y1)
        return false;
    return aw_ix_chord_meets_rect(q[0], q[1], q[2], q[3], x0, y0, x1, y1);
}

/* What one parent cell's zones look like in its sub-cells, zone i's sub-cell s at
 * i * SS + s: its chords (indices into the parent record's chords, ascending, at
 * items[first]), the point its state is known at (a reference if it has chords, else
 * its centre), that state, and whether counts may start from the point. */
typedef struct sub_work {
    int *first, *count, *items, *pairs;
    double *lat, *lon;
    uint8_t *state, *safe;
    int zones_cap, items_cap, pairs_cap;
    int *list, *last;  /* a sub-cell's zone list, and the last one interned */
    int *inside;       /* the parent's list (intern may move the lists) */
    int nlast;
    int64_t last_id;
} sub_work;

static int work_reserve(sub_work *w, int zones, int nzones_set)
{
    if (zones > w->zones_cap) {
        int cap = w->zones_cap ? w->zones_cap : 16;
        while (cap < zones)
            cap *= 2;
        size_t n = (size_t)cap * SS;
        int *first = realloc(w->first, n * sizeof *first), *count = realloc(w->count, n * sizeof *count);
        w->first = first ? first : w->first;
        w->count = count ? count : w->count;
        double *lat = realloc(w->lat, n * sizeof *lat), *lon = realloc(w->lon, n * sizeof *lon);
        w->lat = lat ? lat : w->lat;
        w->lon = lon ? lon : w->lon;
        uint8_t *state = realloc(w->state, n), *safe = realloc(w->safe, n);
        w->state = state ? state : w->state;
        w->safe = safe ? safe : w->safe;
        if (!first || !count || !lat || !lon || !state || !safe)
            return -1;
        w->zones_cap = cap;
    }
    if (!w->list) {
        w->list = malloc(3 * ((size_t)nzones_set + 1) * sizeof *w->list);
        if (!w->list)
            return -1;
        w->last = w->list + nzones_set + 1;
        w->inside = w->last + nzones_set + 1;
    }
    return 0;
}

/* Does the segment from sub-cell p's point to sub-cell s's cross an odd number of the
 * chords of either (each counted once: both lists ascend)? */
static bool odd_between(const sub_work *w, const double *q, int p, int s)
{
    const int *a = w->items + w->first[p], *b = w->items + w->first[s];
    int na = w->count[p], nb = w->count[s], i = 0, j = 0;
    double ax = w->lon[p], ay = w->lat[p], bx = w->lon[s], by = w->lat[s];
    bool odd = false;
    while (i < na || j < nb) {
        int k;
        if (j == nb || (i < na && a[i] < b[j]))
            k = a[i++];
        else if (i == na || b[j] < a[i])
            k = b[j++];
        else
            k = a[i++], j++;
        odd ^= crosses(ax, ay, bx, by, q + 4 * k);
    }
    return odd;
}

/* Zone i's (record pz of the parent) chords filed in the sub-cells, the sub-cells' points
 * and their states. xs, ys: the sub-cells' west and south edges. */
static int zone_in_sub_cells(const aw_zone_index *ix, sub_work *w, const boundary_zone *pz, int i,
                             const double *xs, const double *ys)
{
    const double m = CELL_MARGIN_DEG, size = ix->cell / SUB, *q0 = &ix->chords[4 * (long)pz->chord0];
    int *first = w->first + (size_t)i * SS, *count = w->count + (size_t)i * SS;
    memset(count, 0, SS * sizeof *count);
    /* File each chord in the sub-cells under its box (a billionth of a sub-cell wider
     * each way, far more than the rounding of the sub-cells' edges, then the same test
     * as the parent's): pairs of sub-cell and chord, chord by chord. */
    const double slack = 1e-9;
    int npairs = 0;
    for (int k = 0; k < pz->nchords; k++) {
        const double *q = q0 + 4 * k;
        double fx0 = (lesser(q[0], q[2]) - m - xs[0]) / size - slack, fx1 = (greater(q[0], q[2]) + m - xs[0]) / size + slack;
        double fy0 = (lesser(q[1], q[3]) - m - ys[0]) / size - slack, fy1 = (greater(q[1], q[3]) + m - ys[0]) / size + slack;
        /* Sub-cell sx reaches [x0 - m, x1 + m] when sx + 1 >= fx0 and sx <= fx1. */
        int sx0 = fx0 <= 0 ? 0 : fx0 >= SUB ? SUB - 1 : (int)ceil(fx0) - 1;
        int sx1 = fx1 < 0 ? 0 : fx1 >= SUB - 1 ? SUB - 1 : (int)fx1;
        int sy0 = fy0 <= 0 ? 0 : fy0 >= SUB ? SUB - 1 : (int)ceil(fy0) - 1;
        int sy1 = fy1 < 0 ? 0 : fy1 >= SUB - 1 ? SUB - 1 : (int)fy1;
        if (aw_ix_grow((void **)&w->pairs, &w->pairs_cap, 2 * (npairs + (sx1 - sx0 + 1) * (sy1 - sy0 + 1)),
                       sizeof *w->pairs) < 0)
            return -1;
        for (int sy = sy0; sy <= sy1; sy++)
            for (int sx = sx0; sx <= sx1; sx++)
                if (chord_near_rect(q, xs[sx] - m, ys[sy] - m, xs[sx] + size + m, ys[sy] + size + m)) {
                    w->pairs[2 * npairs] = sy * SUB + sx;
                    w->pairs[2 * npairs++ + 1] = k;
                    count[sy * SUB + sx]++;
                }
    }
    /* Items of all zones of the parent follow one another: zone i's start where the
     * zones before it ended (first[] of zone i - 1 plus its counts). */
    int base = 0;
    if (i > 0)
        base = w->first[(size_t)i * SS - 1] + w->count[(size_t)i * SS - 1];
    if (aw_ix_grow((void **)&w->items, &w->items_cap, base + npairs, sizeof *w->items) < 0)
        return -1;
    int at = base;
    for (int s = 0; s < SS; s++) {
        first[s] = at;
        at += count[s];
    }
    int fill[SS];
    memcpy(fill, first, sizeof fill);
    for (int p = 0; p < npairs; p++)
        w->items[fill[w->pairs[2 * p]]++] = w->pairs[2 * p + 1];
    /* Points and states, sub-cell by sub-cell along each row, each row from the one
     * below: each from its neighbour's where both points are safe. */
    for (int s = 0; s < SS; s++) {
        int sx = s % SUB, sy = s / SUB, at_s = i * SS + s;
        double lat, lon;
        bool safe = true;
        if (count[s]) {
            double gap = aw_ix_pick_reference(q0, w->items + first[s], count[s], xs[sx], ys[sy], size, &lat, &lon);
            safe = gap > AW_IX_SAFE_GAP_DEG;
        } else {
            lat = ys[sy] + size / 2;
            lon = xs[sx] + size / 2;
        }
        w->lat[at_s] = lat;
        w->lon[at_s] = lon;
        w->safe[at_s] = safe;
        int p = s == 0 ? -1 : sx > 0 ? at_s - 1 : at_s - SUB;
        if (p >= 0 && safe && w->safe[p])
            w->state[at_s] = w->state[p] ^ odd_between(w, q0, p, at_s);
        else
            w->state[at_s] = boundary_zone_holds(ix, pz, lat, lon);
    }
    return 0;
}

/* Id of the sorted list w->list[0..n), the last one's if the same (neighbouring
 * sub-cells mostly are). */
static int64_t intern_list(aw_ix_interner *in, sub_work *w, int n)
{
    bool same = w->last_id >= 0 && n == w->nlast;
    for (int k = 0; same && k < n; k++) /* a few zones: no memcmp call */
        same = w->list[k] == w->last[k];
    if (same)
        return w->last_id;
    w->last_id = aw_ix_intern(in, w->list, n);
    w->nlast = n;
    memcpy(w->last, w->list, (size_t)n * sizeof *w->list);
    return w->last_id;
}

/* Has each zone the same chords in sub-cell sc as in sub-cell other? */
static bool same_chords(const sub_work *w, int nzones, int sc, int other)
{
    for (int i = 0; i < nzones; i++) {
        int at = i * SS + sc, bt = i * SS + other;
        if (w->count[at] != w->count[bt])
            return false;
        for (int k = 0; k < w->count[at]; k++) /* a few items: no memcmp call */
            if (w->items[w->first[at] + k] != w->items[w->first[bt] + k])
                return false;
    }
    return true;
}

/* Room in the index's record arrays while sub-grids add to them. */
typedef struct room {
    long bcells, bzones, chords, sub;
} room;

/* The sub-grid s of boundary cell c (record parent): every sub-cell's value. */
static int cut_cell(const aw_zone_set *zs, aw_zone_index *ix, aw_ix_interner *in, const aw_ix_filing *f,
                    sub_work *w, room *rm, size_t c, boundary_cell parent, long s)
{
    double xs[SUB], ys[SUB];
    double x0 = ix->lon0 + (double)(c % ix->nx) * ix->cell, y0 = ix->lat0 + (double)(c / ix->nx) * ix->cell;
    for (int k = 0; k < SUB; k++) {
        xs[k] = x0 + k * ix->cell / SUB;
        ys[k] = y0 + k * ix->cell / SUB;
    }
    if (work_reserve(w, parent.nzones, zs->n) < 0)
        return -1;
    for (int i = 0; i < parent.nzones; i++)
        if (zone_in_sub_cells(ix, w, &ix->bzones[parent.zone0 + i], i, xs, ys) < 0)
            return -1;
    long items = w->first[(size_t)parent.nzones * SS - 1] + w->count[(size_t)parent.nzones * SS - 1];
    if (aw_ix_big_reserve((void **)&ix->bzones, &rm->bzones, ix->bzones_n + (long)parent.nzones * SS,
                          sizeof *ix->bzones) < 0 ||
        aw_ix_big_reserve((void **)&ix->chords, &rm->chords, 4 * (ix->chords_n + items), sizeof *ix->chords) < 0 ||
        aw_ix_big_reserve((void **)&ix->bcells, &rm->bcells, ix->bcells_n + SS, sizeof *ix->bcells) < 0)
        return -1;
    int ninside = ix->list_len[parent.inside_list], *inside = w->inside;
    memcpy(inside, ix->list_items + ix->list_start[parent.inside_list], (size_t)ninside * sizeof *inside);
    uint32_t west = 0;      /* the value of the sub-cell to the west */
    int64_t west_list = -1; /* and its list */
    bool west_ok = false;   /* its records may serve here (its own, or shared from the west) */
    int64_t own_list[SS];   /* per sub-cell: its list if its records are its own or come
                             * up the column from the south, else -1 */
    for (int sc = 0; sc < SS; sc++) {
        /* The zones holding all of the sub-cell: the parent's, and those of its
         * records with no chord here whose state is in (their zones ascend, and none is
         * among the parent's: merged). */
        int n = 0, a = 0;
        bool records = false, as_west = sc % SUB != 0 && (west & BOUNDARY_FLAG) && west_ok &&
                                         same_chords(w, parent.nzones, sc, sc - 1);
        for (int i = 0; i < parent.nzones; i++) {
            const boundary_zone *pz = &ix->bzones[parent.zone0 + i];
            int at = i * SS + sc;
            if (w->count[at] == 0) {
                if (w->state[at]) {
                    for (; a < ninside && inside[a] < pz->zone; a++)
                        w->list[n++] = inside[a];
                    w->list[n++] = pz->zone;
                }
                continue;
            }
            records = true;
        }
        for (; a < ninside; a++)
            w->list[n++] = inside[a];
        int64_t id = intern_list(in, w, n);
        if (id < 0)
            return -1;
        uint32_t value = (uint32_t)id;
        own_list[sc] = -1;
        west_ok = true;
        if (records && as_west && id == west_list) {
            /* The same chords of the same zones as the sub-cell to the west, and the same
             * zones holding all of it: its records serve (the segment from one of their
             * references to a point here lies in the sub-cells between, whose chords
             * are these). */
            value = west;
        } else if (records && sc >= SUB && own_list[sc - SUB] == id && same_chords(w, parent.nzones, sc, sc - SUB)) {
            /* The same for the sub-cell to the south, if its records are its own or
             * come up the column: the segment from their reference lies in the
             * column. Not passed on to the east (that segment could cross the
             * sub-cell south of the next). */
            value = ix->sub[s * SS + sc - SUB];
            own_list[sc] = id; /* the sub-cell to the north may share them too: a column */
            west_ok = false;
        } else if (records) {
            own_list[sc] = id;
            long zone0 = ix->bzones_n;
            for (int i = 0; i < parent.nzones; i++) {
                int at = i * SS + sc;
                if (w->count[at] == 0)
                    continue;
                /* Its chords' places in the ring copy: pointed at there, or copied. */
                const int *g = f->g + f->first[parent.zone0 + i], *items = w->items + w->first[at];
                for (int k = 0; k < w->count[at]; k++)
                    w->pairs[k] = g[items[k]];
                long chord0 = aw_ix_place_chords(ix, w->pairs, w->count[at]);
                ix->bzones[ix->bzones_n++] = (boundary_zone){
                    .zone = ix->bzones[parent.zone0 + i].zone, .ref_lat = w->lat[at], .ref_lon = w->lon[at],
                    .ref_inside = w->state[at], .chord0 = (int)chord0, .nchords = w->count[at]};
            }
            if (ix->bcells_n > (long)INDEX_MASK)
                return -1;
            ix->bcells[ix->bcells_n] = (boundary_cell){(uint32_t)id, (int)zone0, (int)(ix->bzones_n - zone0)};
            value = BOUNDARY_FLAG | (uint32_t)ix->bcells_n++;
        }
        west = value;
        west_list = id;
        ix->sub[s * SS + sc] = value;
    }
    return 0;
}

/* Chords filed in a boundary cell, all its zones together. */
static long cell_chords(const aw_zone_index *ix, const boundary_cell *bc)
{
    long n = 0;
    for (int i = 0; i < bc->nzones; i++)
        n += ix->bzones[bc->zone0 + i].nchords;
    return n;
}

/* The fewest chords a boundary cell must hold to be cut: 1 (every one) unless that would
 * make more than SUB_GRIDS_MAX sub-grids, then the most crowded cells only. */
static long cut_threshold(const aw_zone_index *ix)
{
    enum { TOP = 64 };
    long count[TOP + 1] = {0}, above = 0;
    for (long b = 0; b < ix->bcells_n; b++) {
        long k = cell_chords(ix, &ix->bcells[b]);
        count[k < TOP ? k : TOP]++;
    }
    for (long t = TOP; t >= 1; t--) {
        if (above + count[t] > SUB_GRIDS_MAX)
            return t + 1;
        above += count[t];
    }
    return 1;
}

/* Cut boundary cells into sub-grids: fewer chords to test, and far fewer points in
 * boundary (sub-)cells at all, for one more memory access (prefetched in batches). Each
 * sub-grid costs about a kilobyte with its records, so a set with very many boundary
 * cells (a thousand detailed zones: over a million) has only its most crowded ones
 * cut, the others answered from their chords as they are.
 *
 * A cut cell's own records stay where they are, unused (no value points at them any
 * more): moving the records after them down over them, as was done, freed no memory
 * (the pages stay with the process) and took 0.06 s of loading 1,000 detailed zones
 * for their 9 MB. */
int aw_ix_fill_sub_grids(aw_zone_set *zs, aw_zone_index *ix, aw_ix_interner *in, const aw_ix_filing *f)
{
    room rm = {ix->bcells_n + 1, ix->nchords + 1, 4 * (f->nring + ix->nchords + 1), 0}; /* as allocated */
    long threshold = cut_threshold(ix);
    sub_work w = {0};
    w.last_id = -1;
    int rc = 0;
    size_t ncells = (size_t)ix->nx * ix->ny;
    for (size_t c = 0; c < ncells && rc == 0; c++) {
        uint32_t v = ix->cells[c];
        if (!(v & BOUNDARY_FLAG))
            continue;
        boundary_cell parent = ix->bcells[v & INDEX_MASK];
        if (cell_chords(ix, &parent) < threshold)
            continue;
        long s = ix->nsubgrids;
        if (s > (long)INDEX_MASK || aw_ix_big_reserve((void **)&ix->sub, &rm.sub, (s + 1) * SS, sizeof *ix->sub) < 0 ||
            cut_cell(zs, ix, in, f, &w, &rm, c, parent, s) < 0) {
            rc = -1;
            break;
        }
        ix->cells[c] = BOUNDARY_FLAG | SUB_FLAG | (uint32_t)s;
        ix->nsubgrids++;
    }
    free(w.first);
    free(w.count);
    free(w.items);
    free(w.pairs);
    free(w.lat);
    free(w.lon);
    free(w.state);
    free(w.safe);
    free(w.list);
    return rc;
}
