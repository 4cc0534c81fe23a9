/* zone_index_build.c -- building the grid index (zone_index.h says what it holds).
 *
 * Chords are filed in the cells they pass; cells with chords become boundary cells, each
 * with a reference point whose state is known: the exact test's, or, for a zone whose
 * exact test is the even-odd rule on its chords, carried from a neighbouring cell's
 * reference by counting crossings (one exact test per stretch of boundary instead of
 * one per cell). The other cells take their zone lists row by row from the exact test
 * at the start of each run of cells; then the clearance (distance to the nearest
 * boundary cell) and the coarse blocks are derived, and boundary cells crowded with
 * chords are cut into sub-grids (zone_sub_grids.c), whose states come from their
 * parent cell's reference. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zones/zone_index_build.h"

#define CLEAR_MAX 65535

/* ---- building ------------------------------------------------------------------ */

typedef struct hit { /* a chord filed in a cell (the cell is where it is filed) */
    int zone;
    int chord; /* in the ring chords at the front of ix->chords */
} hit;

/* File the ring's chords (the first at chords[g0] in ix->chords) in the cells they
 * pass: with hits NULL, count them per cell (in start[cell + 1]); else put each at
 * hits[start[cell]++]. Two passes rather than a list of hits to sort: the list and its
 * sorted copy were 360 MB for 1,000 zones. */
static void file_ring(aw_zone_index *ix, const aw_ring *r, int zone, int g0, uint32_t *start, hit *hits)
{
    const double m = CELL_MARGIN_DEG;
    for (int i = 0; i < r->n; i++) {
        double x1 = r->lon[i], y1 = r->lat[i], x2 = r->lon[i + 1], y2 = r->lat[i + 1];
        int cx0 = cell_x(ix, lesser(x1, x2) - m), cx1 = cell_x(ix, greater(x1, x2) + m);
        int cy0 = cell_y(ix, lesser(y1, y2) - m), cy1 = cell_y(ix, greater(y1, y2) + m);
        for (int cy = cy0; cy <= cy1; cy++)
            for (int cx = cx0; cx <= cx1; cx++) {
                double rx0 = ix->lon0 + cx * ix->cell - m, ry0 = ix->lat0 + cy * ix->cell - m;
                if ((cx0 != cx1 || cy0 != cy1) &&
                    !aw_ix_chord_meets_rect(x1, y1, x2, y2, rx0, ry0, rx0 + ix->cell + 2 * m,
                                            ry0 + ix->cell + 2 * m))
                    continue;
                uint32_t c = (uint32_t)(cy * ix->nx + cx);
                if (hits)
                    hits[start[c]++] = (hit){zone, g0 + i};
                else
                    start[c + 1]++;
            }
    }
}

/* Every ring of every zone, in zone order: a counting pass or a filing pass. */
static void file_rings(aw_zone_set *zs, aw_zone_index *ix, uint32_t *start, hit *hits)
{
    int g = 0;
    for (int z = 0; z < zs->n; z++)
        for (int p = 0; p < zs->zones[z].npolys; p++)
            for (int r = 0; r < zs->zones[z].polys[p].nrings; r++) {
                const aw_ring *ring = &zs->zones[z].polys[p].rings[r];
                file_ring(ix, ring, z, g, start, hits);
                g += ring->n;
            }
}

/* The chords of every ring, in the order file_rings takes them, at the front of
 * ix->chords: a record whose chords follow one another along a ring points at them
 * there instead of keeping a copy (most do: 7.5 M copies, 240 MB, for 1,000 zones). */
static void copy_rings(const aw_zone_set *zs, double *chords)
{
    for (int z = 0; z < zs->n; z++)
        for (int p = 0; p < zs->zones[z].npolys; p++)
            for (int r = 0; r < zs->zones[z].polys[p].nrings; r++) {
                const aw_ring *ring = &zs->zones[z].polys[p].rings[r];
                for (int i = 0; i < ring->n; i++, chords += 4) {
                    chords[0] = ring->lon[i];
                    chords[1] = ring->lat[i];
                    chords[2] = ring->lon[i + 1];
                    chords[3] = ring->lat[i + 1];
                }
            }
}

long aw_ix_place_chords(aw_zone_index *ix, const int *g, int n)
{
    bool run = true;
    for (int k = 1; k < n && run; k++)
        run = g[k] == g[0] + k;
    if (run)
        return g[0];
    long at = ix->chords_n;
    for (int k = 0; k < n; k++)
        memcpy(&ix->chords[4 * (at + k)], &ix->chords[4 * (long)g[k]], 4 * sizeof *ix->chords);
    ix->chords_n += n;
    return at;
}

/* Squared distance in degrees from (lat, lon) to the chord q (lon1, lat1, lon2, lat2),
 * planar. */
static double chord_gap2(const double *q, double lat, double lon)
{
    double dx = q[2] - q[0], dy = q[3] - q[1], len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((lon - q[0]) * dx + (lat - q[1]) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = lon - (q[0] + t * dx), ey = lat - (q[1] + t * dy);
    return ex * ex + ey * ey;
}

double aw_ix_pick_reference(const double *chords, const int *idx, int n, double lon0, double lat0,
                            double size, double *ref_lat, double *ref_lon)
{
    static const double tries[][2] = {{0.5, 0.5},   {0.31, 0.73}, {0.77, 0.21}, {0.13, 0.41},
                                      {0.62, 0.92}, {0.88, 0.58}, {0.23, 0.09}, {0.47, 0.33}};
    double best = -1, enough = 1e-4 * size * size; /* a hundredth of the side, squared */
    for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
        double lon = lon0 + tries[k][0] * size, lat = lat0 + tries[k][1] * size;
        double gap2 = INFINITY;
        for (int c = 0; c < n; c++)
            gap2 = lesser(gap2, chord_gap2(chords + 4 * (idx ? idx[c] : c), lat, lon));
        if (gap2 > best) {
            best = gap2;
            *ref_lat = lat;
            *ref_lon = lon;
        }
        if (gap2 > enough)
            break;
    }
    return sqrt(best);
}

/* Can a zone's state be carried from cell to cell by counting crossings of its chords?
 * Yes when the exact test is the even-odd rule on the chords: one ring, no hole, no
 * second polygon (overlapping parts or a hole outside its ring would break the rule),
 * and narrower than a turn, so that the exact test never sees the ring a turn away. */
static bool zone_chains(const aw_zone *z)
{
    return z->npolys == 1 && z->polys[0].nrings == 1 && z->info.max_lon - z->info.min_lon < 350;
}

/* Are the two chords the same bits? (memcmp, without the call.) */
static inline bool same_bits(const double *p, const double *q)
{
    uint64_t a[4], b[4];
    memcpy(a, p, sizeof a);
    memcpy(b, q, sizeof b);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
}

/* The chords of two records of one zone, each counted once: does the segment from the
 * first's reference to the second's cross them an odd number of times? -1 when the
 * records are too large to compare chord by chord. */
static int parity_between(const aw_zone_index *ix, const boundary_zone *a, const boundary_zone *b)
{
    if ((long)a->nchords * b->nchords > 4096)
        return -1;
    const double *qa = &ix->chords[4 * (long)a->chord0], *qb = &ix->chords[4 * (long)b->chord0];
    int odd = 0;
    for (int i = 0; i < a->nchords; i++)
        odd ^= crosses(a->ref_lon, a->ref_lat, b->ref_lon, b->ref_lat, qa + 4 * i);
    for (int j = 0; j < b->nchords; j++) {
        const double *q = qb + 4 * j;
        if (!crosses(a->ref_lon, a->ref_lat, b->ref_lon, b->ref_lat, q))
            continue; /* counted or not, the parity is the same: no need to look */
        bool twice = false; /* filed in both cells: counted with a's (the same bits) */
        for (int i = 0; i < a->nchords && !twice; i++)
            twice = same_bits(q, qa + 4 * i);
        odd ^= !twice;
    }
    return odd;
}

/* The state of record bz's reference (cell c) from a neighbour's (the cell to the west or
 * south, built already): the segment between the two references lies in the two cells,
 * so only the chords filed in them can cross it. -1 when no neighbour will do. */
static int state_from_neighbour(const aw_zone_index *ix, const uint8_t *safe, size_t c, const boundary_zone *bz)
{
    size_t near[2] = {c % ix->nx ? c - 1 : c, c >= (size_t)ix->nx ? c - ix->nx : c};
    for (int k = 0; k < 2; k++) {
        uint32_t v = ix->cells[near[k]];
        long r = near[k] != c && (v & BOUNDARY_FLAG) ? zone_record(ix, &ix->bcells[v & INDEX_MASK], bz->zone)
                                                      : -1;
        if (r < 0 || !safe[r])
            continue;
        int odd = parity_between(ix, &ix->bzones[r], bz);
        if (odd >= 0)
            return ix->bzones[r].ref_inside ^ odd;
    }
    return -1;
}

/* Boundary cells: the chords filed by cell (a counting sort: in zone order within each
 * cell), then grouped by zone. Each record's reference state is carried from a
 * neighbouring cell's where the zone allows (zone_chains), else taken from the exact
 * test: about one exact test per ring and row instead of one per record. */
static int build_boundary_cells(aw_zone_set *zs, aw_zone_index *ix, aw_ix_filing *f)
{
    size_t ncells = (size_t)ix->nx * ix->ny;
    uint32_t *start = calloc(ncells + 1, sizeof *start);
    if (!start)
        return -1;
    file_rings(zs, ix, start, NULL);
    for (size_t c = 0; c < ncells; c++) {
        if (start[c + 1] > INT32_MAX - start[c]) { /* too many to count in an int */
            free(start);
            return -1;
        }
        start[c + 1] += start[c];
    }
    long nhits = start[ncells];
    hit *sorted = malloc(((size_t)nhits + 1) * sizeof *sorted);
    uint8_t *safe = f->safe = malloc((size_t)nhits + 1); /* per record: its reference is safe to count from */
    f->g = malloc(((size_t)nhits + 1) * sizeof *f->g);
    f->first = malloc(((size_t)nhits + 1) * sizeof *f->first);
    if (!sorted || !safe || !f->g || !f->first) {
        free(start);
        free(sorted);
        return -1;
    }
    file_rings(zs, ix, start, sorted);
    for (size_t c = ncells; c > 0; c--)
        start[c] = start[c - 1];
    start[0] = 0;

    int nb = 0, nbz = 0;
    for (size_t c = 0; c < ncells; c++)
        if (start[c + 1] > start[c])
            nb++;
    ix->bcells = aw_ix_big_alloc(((size_t)nb + 1) * sizeof *ix->bcells);
    ix->bzones = aw_ix_big_alloc(((size_t)nhits + 1) * sizeof *ix->bzones);
    ix->chords = aw_ix_big_alloc(4 * ((size_t)f->nring + nhits + 1) * sizeof *ix->chords);
    if (!ix->bcells || !ix->bzones || !ix->chords) {
        free(start);
        free(sorted);
        return -1;
    }
    ix->nbcells = nb;
    ix->nchords = nhits;
    copy_rings(zs, ix->chords);
    ix->chords_n = f->nring;
    int b = 0, nfiled = 0;
    for (size_t c = 0; c < ncells; c++) {
        uint32_t s0 = start[c], s1 = start[c + 1];
        if (s0 == s1)
            continue;
        boundary_cell *bc = &ix->bcells[b];
        bc->zone0 = nbz;
        for (uint32_t i = s0; i < s1;) {
            boundary_zone *bz = &ix->bzones[nbz];
            bz->zone = sorted[i].zone;
            f->first[nbz] = nfiled;
            for (; i < s1 && sorted[i].zone == bz->zone; i++)
                f->g[nfiled++] = sorted[i].chord;
            bz->nchords = nfiled - f->first[nbz];
            bz->chord0 = (int)aw_ix_place_chords(ix, f->g + f->first[nbz], bz->nchords);
            double gap = aw_ix_pick_reference(&ix->chords[4 * (long)bz->chord0], NULL, bz->nchords,
                                              ix->lon0 + (double)(c % ix->nx) * ix->cell,
                                              ix->lat0 + (double)(c / ix->nx) * ix->cell, ix->cell,
                                              &bz->ref_lat, &bz->ref_lon);
            safe[nbz] = gap > AW_IX_SAFE_GAP_DEG;
            int state = safe[nbz] && zone_chains(&zs->zones[bz->zone]) ? state_from_neighbour(ix, safe, c, bz) : -1;
            bz->ref_inside = state >= 0 ? state : aw_zone_contains_2d(zs, bz->zone, bz->ref_lat, bz->ref_lon);
            nbz++;
        }
        bc->nzones = nbz - bc->zone0;
        ix->cells[c] = BOUNDARY_FLAG | (uint32_t)b++;
    }
    ix->bcells_n = nb;
    ix->bzones_n = nbz;
    free(start);
    free(sorted);
    return 0;
}

/* Zone z's record in cell c (an index into ix->bzones), or -1 if c is no boundary cell
 * of z. */
static long record_for(const aw_zone_index *ix, size_t c, int z)
{
    uint32_t v = ix->cells[c];
    return v & BOUNDARY_FLAG ? zone_record(ix, &ix->bcells[v & INDEX_MASK], z) : -1;
}

/* Is the centre (lat, lon) of a cell with none of zone z's chords in z? Carried from
 * the record b of the boundary cell to its west where the zone allows (the segment from
 * its reference to the centre lies in the two cells, and only the record's chords are
 * there), else the exact test. */
static bool run_inside(const aw_zone_set *zs, const aw_zone_index *ix, const uint8_t *safe, long b, int z,
                       double lat, double lon)
{
    if (b < 0 || !safe[b] || !zone_chains(&zs->zones[z]))
        return aw_zone_contains_2d(zs, z, lat, lon);
    const boundary_zone *bz = &ix->bzones[b];
    bool inside = bz->ref_inside;
    for (int k = 0; k < bz->nchords; k++)
        inside ^= crosses(bz->ref_lon, bz->ref_lat, lon, lat, &ix->chords[4 * ((long)bz->chord0 + k)]);
    return inside;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

typedef struct span_event {
    int x, zone, delta;
} span_event;

static int cmp_span_event(const void *a, const void *b)
{
    const span_event *p = a, *q = b;
    return p->x != q->x ? (p->x < q->x ? -1 : 1) : (p->delta - q->delta);
}

/* Plain cells: row by row, each zone's runs of non-boundary cells take the state of the
 * exact test at the run's first cell; a sweep along the row turns the runs into lists. */
static int fill_plain_cells(aw_zone_set *zs, aw_zone_index *ix, aw_ix_interner *in, const aw_ix_filing *f)
{
    int *active = malloc(((size_t)zs->n + 1) * sizeof *active);
    /* The zones whose rows include y: zones sorted by first row (by_row, from
     * row_start), the current ones in rows[0..nrows). Looking at every zone on every
     * row took 170 M tests for 100,000 zones. */
    int *row_start = calloc((size_t)ix->ny + 1, sizeof *row_start);
    int *by_row = malloc(((size_t)zs->n + 1) * sizeof *by_row);
    int *rows = malloc(((size_t)zs->n + 1) * sizeof *rows);
    span_event *ev = NULL;
    int ev_cap = 0, rc = -1, nrows = 0;
    if (!active || !row_start || !by_row || !rows || aw_ix_intern(in, NULL, 0) != 0) /* list 0: empty */
        goto done;
    for (int z = 0; z < zs->n; z++)
        row_start[cell_y(ix, zs->zones[z].info.min_lat) + 1]++;
    for (int y = 0; y < ix->ny; y++)
        row_start[y + 1] += row_start[y];
    for (int z = 0; z < zs->n; z++)
        by_row[row_start[cell_y(ix, zs->zones[z].info.min_lat)]++] = z;
    for (int y = ix->ny; y > 0; y--)
        row_start[y] = row_start[y - 1];
    row_start[0] = 0;
    for (int y = 0; y < ix->ny; y++) {
        int nev = 0, kept = 0;
        double lat = ix->lat0 + (y + 0.5) * ix->cell;
        for (int k = 0; k < nrows; k++)
            if (cell_y(ix, zs->zones[rows[k]].info.max_lat) >= y)
                rows[kept++] = rows[k];
        nrows = kept;
        for (int k = row_start[y]; k < row_start[y + 1]; k++)
            rows[nrows++] = by_row[k];
        for (int k = 0; k < nrows; k++) {
            int z = rows[k];
            const aw_zone_info *zi = &zs->zones[z].info;
            int x0 = cell_x(ix, zi->min_lon), x1 = cell_x(ix, zi->max_lon);
            long west = -1; /* z's record in the boundary cell before the run */
            for (int x = x0; x <= x1;) {
                long b = record_for(ix, (size_t)y * ix->nx + x, z);
                if (b >= 0) {
                    west = b;
                    x++;
                    continue;
                }
                int run = x;
                while (x <= x1 && record_for(ix, (size_t)y * ix->nx + x, z) < 0)
                    x++;
                if (!run_inside(zs, ix, f->safe, run > x0 ? west : -1, z, lat, ix->lon0 + (run + 0.5) * ix->cell))
                    continue;
                if (aw_ix_grow((void **)&ev, &ev_cap, nev + 2, sizeof *ev) < 0)
                    goto done;
                ev[nev++] = (span_event){run, z, +1};
                ev[nev++] = (span_event){x, z, -1};
            }
        }
        if (nev > 1)
            qsort(ev, (size_t)nev, sizeof *ev, cmp_span_event);
        int nactive = 0, k = 0;
        for (int x = 0; x < ix->nx;) {
            for (; k < nev && ev[k].x == x; k++) {
                if (ev[k].delta > 0) {
                    active[nactive++] = ev[k].zone;
                } else {
                    for (int i = 0; i < nactive; i++)
                        if (active[i] == ev[k].zone) {
                            active[i] = active[--nactive];
                            break;
                        }
                }
            }
            int next = k < nev ? ev[k].x : ix->nx;
            qsort(active, (size_t)nactive, sizeof *active, cmp_int);
            int64_t id = aw_ix_intern(in, active, nactive);
            if (id < 0)
                goto done;
            for (; x < next; x++) {
                uint32_t *v = &ix->cells[(size_t)y * ix->nx + x];
                if (*v & BOUNDARY_FLAG)
                    ix->bcells[*v & INDEX_MASK].inside_list = (uint32_t)id;
                else
                    *v = (uint32_t)id;
            }
        }
    }
    rc = 0;
done:
    free(active);
    free(row_start);
    free(by_row);
    free(rows);
    free(ev);
    return rc;
}

/* Chebyshev distance transform: two passes, each cell from its already-visited
 * neighbours. */
static void fill_clearance(aw_zone_index *ix)
{
    int nx = ix->nx, ny = ix->ny;
    for (int y = 0; y < ny; y++)
        for (int x = 0; x < nx; x++) {
            size_t c = (size_t)y * nx + x;
            if (ix->cells[c] & BOUNDARY_FLAG) {
                ix->clear[c] = 0;
                continue;
            }
            int d = CLEAR_MAX;
            if (x > 0)
                d = d < ix->clear[c - 1] + 1 ? d : ix->clear[c - 1] + 1;
            if (y > 0)
                for (int dx = -1; dx <= 1; dx++)
                    if (x + dx >= 0 && x + dx < nx) {
                        int v = ix->clear[c - nx + dx] + 1;
                        d = d < v ? d : v;
                    }
            ix->clear[c] = (uint16_t)(d > CLEAR_MAX ? CLEAR_MAX : d);
        }
    for (int y = ny - 1; y >= 0; y--)
        for (int x = nx - 1; x >= 0; x--) {
            size_t c = (size_t)y * nx + x;
            int d = ix->clear[c];
            if (x < nx - 1)
                d = d < ix->clear[c + 1] + 1 ? d : ix->clear[c + 1] + 1;
            if (y < ny - 1)
                for (int dx = -1; dx <= 1; dx++)
                    if (x + dx >= 0 && x + dx < nx) {
                        int v = ix->clear[c + nx + dx] + 1;
                        d = d < v ? d : v;
                    }
            ix->clear[c] = (uint16_t)(d > CLEAR_MAX ? CLEAR_MAX : d);
        }
}

static int fill_coarse(aw_zone_index *ix)
{
    int shift = 2, size;
    for (;; shift++) {
        size = 1 << shift;
        ix->cnx = (ix->nx + size - 1) / size;
        ix->cny = (ix->ny + size - 1) / size;
        if ((size_t)ix->cnx * ix->cny * sizeof *ix->coarse <= COARSE_MAX_BYTES || shift == 3)
            break;
    }
    ix->coarse_shift = shift;
    ix->coarse = malloc((size_t)ix->cnx * ix->cny * sizeof *ix->coarse);
    if (!ix->coarse)
        return -1;
    for (int by = 0; by < ix->cny; by++)
        for (int bx = 0; bx < ix->cnx; bx++) {
            uint32_t v = ix->cells[(size_t)by * size * ix->nx + (size_t)bx * size];
            for (int y = by * size; y < (by + 1) * size && y < ix->ny; y++)
                for (int x = bx * size; x < (bx + 1) * size && x < ix->nx; x++)
                    if (ix->cells[(size_t)y * ix->nx + x] != v)
                        v = BOUNDARY_FLAG;
            ix->coarse[(size_t)by * ix->cnx + bx] = (uint16_t)(v < COARSE_MIXED ? v : COARSE_MIXED);
        }
    return 0;
}

int aw_zone_index_build(aw_zone_set *zs)
{
    aw_zone_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return -1;
    zs->index = ix;
    double min_lat = INFINITY, max_lat = -INFINITY, min_lon = INFINITY, max_lon = -INFINITY;
    long chords = 0;
    for (int z = 0; z < zs->n; z++) {
        const aw_zone_info *zi = &zs->zones[z].info;
        min_lat = fmin(min_lat, zi->min_lat);
        max_lat = fmax(max_lat, zi->max_lat);
        min_lon = fmin(min_lon, zi->min_lon);
        max_lon = fmax(max_lon, zi->max_lon);
        chords += zi->chords;
    }
    /* About 64 cells per chord (at least 64 k, at most 4 M cells): boundary cells are
     * then a small fraction, and the grid stays within tens of megabytes. */
    double width = max_lon - min_lon + 4 * CELL_MARGIN_DEG;
    double height = max_lat - min_lat + 4 * CELL_MARGIN_DEG;
    double target = fmin(4194304.0, fmax(65536.0, 64.0 * (double)chords));
    ix->cell = sqrt(width * height / target);
    ix->inv_cell = 1 / ix->cell;
    ix->lon0 = min_lon - 2 * CELL_MARGIN_DEG;
    ix->lat0 = min_lat - 2 * CELL_MARGIN_DEG;
    ix->nx = (int)ceil(width / ix->cell);
    ix->ny = (int)ceil(height / ix->cell);
    ix->lat1 = ix->lat0 + ix->ny * ix->cell;
    ix->lon1 = ix->lon0 + ix->nx * ix->cell;
    ix->one_turn = ix->lon0 >= -180 && ix->lon1 <= 180;
    ix->wraps = !ix->one_turn && ix->lon1 - ix->lon0 < 360;
    size_t ncells = (size_t)ix->nx * ix->ny;
    ix->cells = aw_ix_big_alloc(ncells * sizeof *ix->cells);
    ix->clear = aw_ix_big_alloc(ncells * sizeof *ix->clear);
    if (!ix->cells || !ix->clear)
        return -1;
    double max_abs_lat = fmax(fabs(ix->lat0), fabs(ix->lat1));
    ix->clear_cell_m = 0.99 * ix->cell * fmin(110574.0, 111319.49 * cos(fmin(max_abs_lat, 89.9) * AW_DEG));

    aw_ix_filing filing = {0};
    for (int z = 0; z < zs->n; z++)
        filing.nring += zs->zones[z].info.chords;
    int rc = build_boundary_cells(zs, ix, &filing);
    aw_ix_interner in = {ix, NULL, 0};
    if (rc == 0)
        rc = fill_plain_cells(zs, ix, &in, &filing);
    if (rc == 0)
        fill_clearance(ix);
    if (rc == 0)
        rc = aw_ix_fill_sub_grids(zs, ix, &in, &filing);
    free(in.table);
    free(filing.g);
    free(filing.first);
    free(filing.safe);
    if (rc == 0)
        rc = fill_coarse(ix);
    return rc;
}

void aw_zone_index_free(aw_zone_index *ix)
{
    if (!ix)
        return;
    aw_ix_big_free(ix->cells);
    aw_ix_big_free(ix->sub);
    free(ix->coarse);
    aw_ix_big_free(ix->clear);
    free(ix->list_start);
    free(ix->list_len);
    free(ix->list_items);
    aw_ix_big_free(ix->bcells);
    aw_ix_big_free(ix->bzones);
    aw_ix_big_free(ix->chords);
    free(ix);
}

