/* zone_index_build.c -- building the grid index (zone_index.h says what it holds).
 *
 * Chords are filed in the cells they pass; cells with chords become boundary cells, each
 * with a reference point whose state the exact test gives; the other cells take their
 * zone lists row by row from the exact test at the start of each run of cells; then the
 * clearance (distance to the nearest boundary cell) and the coarse blocks are derived,
 * and boundary cells crowded with chords are cut into sub-grids, whose states come from
 * their parent cell's exact answer. */
#define _GNU_SOURCE /* mremap */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "zones/zone_index.h"

#define CLEAR_MAX 65535

/* fmin and fmax for the hot loops, on coordinates and distances (never NaN): written
 * out so that they are inlined, where the C library's are calls (3 % of a large build). */
static inline double lesser(double x, double y) { return y < x ? y : x; }
static inline double greater(double x, double y) { return y > x ? y : x; }

/* ---- interned zone lists ------------------------------------------------------- */

typedef struct interner {
    aw_zone_index *ix;
    uint32_t *table; /* open addressing: list id + 1, 0 = empty */
    size_t size;
} interner;

static uint64_t list_hash(const int *z, int n)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint32_t)z[i]) * 1099511628211ull;
    return h;
}

/* Room for need elements in the array *p of *cap (doubling); -1 on allocation failure. */
static int reserve(void **p, long *cap, long need, size_t elem)
{
    if (need <= *cap)
        return 0;
    long c = *cap > 0 ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int grow(void **p, int *cap, int need, size_t elem)
{
    long c = *cap;
    int rc = reserve(p, &c, need, elem);
    *cap = (int)c;
    return rc;
}

/* ---- big arrays, in huge pages ----------------------------------------------------
 *
 * Queries read the big arrays at random: with 4 KB pages nearly every read of a large
 * index also misses the TLB. Each big array lives in a mapping of its own that the
 * kernel is asked, before anything is written, to back with huge pages (transparent
 * huge pages in madvise mode, as on Debian; elsewhere the advice changes nothing), and
 * grows with mremap, which moves page tables rather than bytes. They used to be built
 * with malloc and copied to 2 MB-aligned memory once done: for 1,000 detailed zones a
 * second of copying and page faults, and the largest array twice over at the peak. A
 * header before the array keeps the mapping's size. */
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_HEADER 64

/* Under AddressSanitizer the arrays stay on its heap, where it checks every access. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_IN_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_IN_HEAP 1
#endif
#endif

static void *big_map(void *old, size_t bytes)
{
    size_t size = bytes + BIG_HEADER;
#ifdef BIG_IN_HEAP
    size_t old_size = old ? *(size_t *)((char *)old - BIG_HEADER) : 0;
    char *h = realloc(old ? (char *)old - BIG_HEADER : NULL, size);
    if (!h)
        return NULL;
    if (size > old_size)
        memset(h + old_size, 0, size - old_size);
    *(size_t *)h = size;
    return h + BIG_HEADER;
#endif
    char *m = old ? mremap((char *)old - BIG_HEADER, *(size_t *)((char *)old - BIG_HEADER), size, MREMAP_MAYMOVE)
                  : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (size >= HUGE_PAGE / 2)
        madvise(m, size, MADV_HUGEPAGE);
#endif
    *(size_t *)m = size;
    return m + BIG_HEADER;
}

/* A zeroed big array of this many bytes; NULL on failure. */
static void *big_alloc(size_t bytes) { return big_map(NULL, bytes); }

/* reserve() for big arrays (the new room is zeroed). */
static int big_reserve(void **p, long *cap, long need, size_t elem)
{
    if (need <= *cap)
        return 0;
    long c = *cap > 0 ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = big_map(*p, (size_t)c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void big_free(void *p)
{
#ifdef BIG_IN_HEAP
    if (p)
        free((char *)p - BIG_HEADER);
    return;
#endif
    if (p)
        munmap((char *)p - BIG_HEADER, *(size_t *)((char *)p - BIG_HEADER));
}

/* Id of the list z[0..n) (sorted), adding it if new; -1 on allocation failure. */
static int64_t intern(interner *in, const int *z, int n)
{
    aw_zone_index *ix = in->ix;
    if (2 * ((size_t)ix->nlists + 1) > in->size) {
        size_t size = in->size ? in->size * 2 : 1024;
        uint32_t *t = calloc(size, sizeof *t);
        if (!t)
            return -1;
        for (int id = 0; id < ix->nlists; id++) {
            size_t j = list_hash(ix->list_items + ix->list_start[id], ix->list_len[id]) & (size - 1);
            while (t[j])
                j = (j + 1) & (size - 1);
            t[j] = (uint32_t)id + 1;
        }
        free(in->table);
        in->table = t;
        in->size = size;
    }
    size_t j = list_hash(z, n) & (in->size - 1);
    for (; in->table[j]; j = (j + 1) & (in->size - 1)) {
        int id = (int)in->table[j] - 1;
        if (ix->list_len[id] == n &&
            (n == 0 || memcmp(ix->list_items + ix->list_start[id], z, (size_t)n * sizeof *z) == 0))
            return id;
    }
    int cap = ix->list_cap;
    if (grow((void **)&ix->list_start, &cap, ix->nlists + 1, sizeof(int)) < 0)
        return -1;
    cap = ix->list_cap;
    if (grow((void **)&ix->list_len, &cap, ix->nlists + 1, sizeof(int)) < 0)
        return -1;
    ix->list_cap = cap;
    /* COPY_ITEMS of slack: aw_zones_at_many copies that many items whatever the length. */
    if (grow((void **)&ix->list_items, &ix->items_cap, ix->items_n + n + COPY_ITEMS, sizeof(int)) < 0)
        return -1;
    if (n > 0)
        memcpy(ix->list_items + ix->items_n, z, (size_t)n * sizeof *z);
    ix->list_start[ix->nlists] = ix->items_n;
    ix->list_len[ix->nlists] = n;
    ix->items_n += n;
    in->table[j] = (uint32_t)ix->nlists + 1;
    return ix->nlists++;
}

/* ---- building ------------------------------------------------------------------ */

typedef struct hit {
    uint32_t cell;
    int zone;
    const aw_ring *ring;
    int chord;
} hit;

/* Does chord (x1,y1)-(x2,y2) come near the rectangle? (Separating axes: the boxes
 * overlap by construction; the rectangle must not lie wholly on one side of the line.) */
static bool chord_meets_rect(double x1, double y1, double x2, double y2, double rx0, double ry0,
                             double rx1, double ry1)
{
    double s[4] = {orient(x1, y1, x2, y2, rx0, ry0), orient(x1, y1, x2, y2, rx1, ry0),
                   orient(x1, y1, x2, y2, rx0, ry1), orient(x1, y1, x2, y2, rx1, ry1)};
    bool pos = false, neg = false;
    for (int i = 0; i < 4; i++) {
        pos |= s[i] >= 0;
        neg |= s[i] <= 0;
    }
    return pos && neg;
}

/* File the ring's chords in the cells they pass: with hits NULL, count them per cell
 * (in start[cell + 1]); else put each at hits[start[cell]++]. Two passes rather than a
 * list of hits to sort: the list and its sorted copy were 360 MB for 1,000 zones. */
static void file_ring(aw_zone_index *ix, const aw_ring *r, int zone, uint32_t *start, hit *hits)
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
                    !chord_meets_rect(x1, y1, x2, y2, rx0, ry0, rx0 + ix->cell + 2 * m,
                                      ry0 + ix->cell + 2 * m))
                    continue;
                uint32_t c = (uint32_t)(cy * ix->nx + cx);
                if (hits)
                    hits[start[c]++] = (hit){c, zone, r, i};
                else
                    start[c + 1]++;
            }
    }
}

/* Every ring of every zone, in zone order: a counting pass or a filing pass. */
static void file_rings(aw_zone_set *zs, aw_zone_index *ix, uint32_t *start, hit *hits)
{
    for (int z = 0; z < zs->n; z++)
        for (int p = 0; p < zs->zones[z].npolys; p++)
            for (int r = 0; r < zs->zones[z].polys[p].nrings; r++)
                file_ring(ix, &zs->zones[z].polys[p].rings[r], z, start, hits);
}

/* Distance in degrees from (lat, lon) to the chord q (lon1, lat1, lon2, lat2), planar. */
static double chord_gap(const double *q, double lat, double lon)
{
    double dx = q[2] - q[0], dy = q[3] - q[1], len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((lon - q[0]) * dx + (lat - q[1]) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(lon - (q[0] + t * dx), lat - (q[1] + t * dy));
}

/* A point of the square (lon0, lat0, side size) well away from every chord of the
 * entry: the reference. */
static void pick_reference(const aw_zone_index *ix, double lon0, double lat0, double size,
                           boundary_zone *bz)
{
    static const double tries[][2] = {{0.5, 0.5},   {0.31, 0.73}, {0.77, 0.21}, {0.13, 0.41},
                                      {0.62, 0.92}, {0.88, 0.58}, {0.23, 0.09}, {0.47, 0.33}};
    double best_gap = -1;
    for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
        double lon = lon0 + tries[k][0] * size, lat = lat0 + tries[k][1] * size;
        double gap = INFINITY;
        for (int c = 0; c < bz->nchords; c++)
            gap = lesser(gap, chord_gap(&ix->chords[4 * (bz->chord0 + c)], lat, lon));
        if (gap > best_gap) {
            best_gap = gap;
            bz->ref_lat = lat;
            bz->ref_lon = lon;
        }
        if (gap > 0.01 * size)
            break;
    }
}

static int cmp_hit_zone(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    return x->zone != y->zone ? (x->zone < y->zone ? -1 : 1) : 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Boundary cells: the chords filed by cell (a counting sort), then grouped by zone. */
static int build_boundary_cells(aw_zone_set *zs, aw_zone_index *ix)
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
    if (!sorted) {
        free(start);
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
    ix->bcells = big_alloc(((size_t)nb + 1) * sizeof *ix->bcells);
    ix->bzones = big_alloc(((size_t)nhits + 1) * sizeof *ix->bzones);
    ix->chords = big_alloc(4 * ((size_t)nhits + 1) * sizeof *ix->chords);
    if (!ix->bcells || !ix->bzones || !ix->chords) {
        free(start);
        free(sorted);
        return -1;
    }
    ix->nbcells = nb;
    ix->nchords = nhits;
    int b = 0, nch = 0;
    for (size_t c = 0; c < ncells; c++) {
        uint32_t s0 = start[c], s1 = start[c + 1];
        if (s0 == s1)
            continue;
        qsort(sorted + s0, s1 - s0, sizeof *sorted, cmp_hit_zone);
        ix->cells[c] = BOUNDARY_FLAG | (uint32_t)b;
        boundary_cell *bc = &ix->bcells[b++];
        bc->zone0 = nbz;
        for (uint32_t i = s0; i < s1;) {
            boundary_zone *bz = &ix->bzones[nbz++];
            bz->zone = sorted[i].zone;
            bz->chord0 = nch;
            for (; i < s1 && sorted[i].zone == bz->zone; i++) {
                const aw_ring *r = sorted[i].ring;
                int k = sorted[i].chord;
                double *q = &ix->chords[4 * nch++];
                q[0] = r->lon[k];
                q[1] = r->lat[k];
                q[2] = r->lon[k + 1];
                q[3] = r->lat[k + 1];
            }
            bz->nchords = nch - bz->chord0;
            pick_reference(ix, ix->lon0 + (double)(c % ix->nx) * ix->cell,
                           ix->lat0 + (double)(c / ix->nx) * ix->cell, ix->cell, bz);
            bz->ref_inside = aw_zone_contains_2d(zs, bz->zone, bz->ref_lat, bz->ref_lon);
        }
        bc->nzones = nbz - bc->zone0;
    }
    ix->bcells_n = nb;
    ix->bzones_n = nbz;
    ix->chords_n = nch;
    free(start);
    free(sorted);
    return 0;
}

/* Is cell c a boundary cell for zone z? */
static bool boundary_for(const aw_zone_index *ix, size_t c, int z)
{
    uint32_t v = ix->cells[c];
    if (!(v & BOUNDARY_FLAG))
        return false;
    const boundary_cell *bc = &ix->bcells[v & INDEX_MASK];
    for (int i = 0; i < bc->nzones; i++)
        if (ix->bzones[bc->zone0 + i].zone == z)
            return true;
    return false;
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
static int fill_plain_cells(aw_zone_set *zs, aw_zone_index *ix, interner *in)
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
    if (!active || !row_start || !by_row || !rows || intern(in, NULL, 0) != 0) /* list 0: empty */
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
            for (int x = x0; x <= x1;) {
                if (boundary_for(ix, (size_t)y * ix->nx + x, z)) {
                    x++;
                    continue;
                }
                int run = x;
                while (x <= x1 && !boundary_for(ix, (size_t)y * ix->nx + x, z))
                    x++;
                if (!aw_zone_contains_2d(zs, z, lat, ix->lon0 + (run + 0.5) * ix->cell))
                    continue;
                if (grow((void **)&ev, &ev_cap, nev + 2, sizeof *ev) < 0)
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
            int64_t id = intern(in, active, nactive);
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

/* ---- sub-grids ----------------------------------------------------------------- */

/* Room in the index's record arrays while sub-grids add to them. */
typedef struct room {
    long bcells, bzones, chords, sub;
} room;

/* Does chord q come near the rectangle? */
static bool chord_near_rect(const double *q, double x0, double y0, double x1, double y1)
{
    if (greater(q[0], q[2]) < x0 || lesser(q[0], q[2]) > x1 || greater(q[1], q[3]) < y0 || lesser(q[1], q[3]) > y1)
        return false;
    return chord_meets_rect(q[0], q[1], q[2], q[3], x0, y0, x1, y1);
}

/* The value of the sub-cell with south-west corner (x0, y0) of the boundary cell
 * `parent`: for each of the parent's zones, the chords that reach the sub-cell, with a
 * reference point whose state the parent answers exactly (as the exact test would);
 * zones none of whose chords reach it hold all of it or none, as at its centre. */
static int64_t sub_cell_value(aw_zone_index *ix, interner *in, room *rm, boundary_cell parent,
                              const int *inside, int ninside, int *list, double x0, double y0)
{
    double size = ix->cell / SUB, m = CELL_MARGIN_DEG;
    long parent_chords = 0;
    for (int i = 0; i < parent.nzones; i++)
        parent_chords += ix->bzones[parent.zone0 + i].nchords;
    if (big_reserve((void **)&ix->bzones, &rm->bzones, ix->bzones_n + parent.nzones, sizeof *ix->bzones) < 0 ||
        big_reserve((void **)&ix->chords, &rm->chords, 4 * (ix->chords_n + parent_chords), sizeof *ix->chords) < 0)
        return -1;
    memcpy(list, inside, (size_t)ninside * sizeof *list);
    int nlist = ninside;
    long zone0 = ix->bzones_n;
    for (int i = 0; i < parent.nzones; i++) {
        const boundary_zone *pz = &ix->bzones[parent.zone0 + i];
        boundary_zone *bz = &ix->bzones[ix->bzones_n];
        bz->zone = pz->zone;
        bz->chord0 = (int)ix->chords_n;
        for (int k = 0; k < pz->nchords; k++) {
            const double *q = &ix->chords[4 * (pz->chord0 + k)];
            if (chord_near_rect(q, x0 - m, y0 - m, x0 + size + m, y0 + size + m))
                memcpy(&ix->chords[4 * ix->chords_n++], q, 4 * sizeof *q);
        }
        bz->nchords = (int)ix->chords_n - bz->chord0;
        if (bz->nchords == 0) {
            if (boundary_zone_holds(ix, pz, y0 + size / 2, x0 + size / 2))
                list[nlist++] = pz->zone;
            continue;
        }
        pick_reference(ix, x0, y0, size, bz);
        bz->ref_inside = boundary_zone_holds(ix, pz, bz->ref_lat, bz->ref_lon);
        ix->bzones_n++;
    }
    qsort(list, (size_t)nlist, sizeof *list, cmp_int);
    int64_t id = intern(in, list, nlist);
    if (id < 0 || ix->bzones_n == zone0)
        return id;
    if (big_reserve((void **)&ix->bcells, &rm->bcells, ix->bcells_n + 1, sizeof *ix->bcells) < 0 ||
        ix->bcells_n > (long)INDEX_MASK)
        return -1;
    ix->bcells[ix->bcells_n] = (boundary_cell){(uint32_t)id, (int)zone0, (int)(ix->bzones_n - zone0)};
    return BOUNDARY_FLAG | (uint32_t)ix->bcells_n++;
}

/* Once the crowded boundary cells have their sub-grids, their own records (among the
 * first nb, with their zones and chords) serve no query: the sub-cells' records take
 * their place. The records of the cells left whole move down over them (they are in
 * cell order, so each moves down or stays), then the sub-cells' records follow. */
static void drop_cell_records(aw_zone_index *ix, long nb, long nbz, long nch)
{
    long kb = 0, kz = 0, kc = 0; /* records kept so far */
    size_t ncells = (size_t)ix->nx * ix->ny;
    for (size_t c = 0; c < ncells; c++) {
        uint32_t v = ix->cells[c];
        if (!(v & BOUNDARY_FLAG) || (v & SUB_FLAG))
            continue;
        boundary_cell bc = ix->bcells[v & INDEX_MASK];
        for (int i = 0; i < bc.nzones; i++) {
            boundary_zone bz = ix->bzones[bc.zone0 + i];
            memmove(&ix->chords[4 * kc], &ix->chords[4 * (long)bz.chord0],
                    (size_t)bz.nchords * 4 * sizeof *ix->chords);
            bz.chord0 = (int)kc;
            kc += bz.nchords;
            ix->bzones[kz + i] = bz;
        }
        bc.zone0 = (int)kz;
        kz += bc.nzones;
        ix->bcells[kb] = bc;
        ix->cells[c] = BOUNDARY_FLAG | (uint32_t)kb++;
    }
    long db = nb - kb, dz = nbz - kz, dc = nch - kc; /* dropped */
    memmove(ix->bcells + kb, ix->bcells + nb, (size_t)(ix->bcells_n - nb) * sizeof *ix->bcells);
    memmove(ix->bzones + kz, ix->bzones + nbz, (size_t)(ix->bzones_n - nbz) * sizeof *ix->bzones);
    memmove(ix->chords + 4 * kc, ix->chords + 4 * nch, (size_t)(ix->chords_n - nch) * 4 * sizeof *ix->chords);
    ix->bcells_n -= db;
    ix->bzones_n -= dz;
    ix->chords_n -= dc;
    for (long b = kb; b < ix->bcells_n; b++)
        ix->bcells[b].zone0 -= (int)dz;
    for (long z = kz; z < ix->bzones_n; z++)
        ix->bzones[z].chord0 -= (int)dc;
    for (long i = 0; i < ix->nsubgrids * SUB * SUB; i++)
        if (ix->sub[i] & BOUNDARY_FLAG)
            ix->sub[i] -= (uint32_t)db;
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
 * cut, the others answered from their chords as they are. */
static int fill_sub_grids(aw_zone_set *zs, aw_zone_index *ix, interner *in)
{
    room rm = {ix->bcells_n + 1, ix->nchords + 1, 4 * (ix->nchords + 1), 0}; /* as allocated */
    long nb = ix->bcells_n, nbz = ix->bzones_n, nch = ix->chords_n;
    long threshold = cut_threshold(ix);
    int *inside = malloc(2 * ((size_t)zs->n + 1) * sizeof *inside), *list = inside + zs->n + 1;
    if (!inside)
        return -1;
    size_t ncells = (size_t)ix->nx * ix->ny;
    for (size_t c = 0; c < ncells; c++) {
        uint32_t v = ix->cells[c];
        if (!(v & BOUNDARY_FLAG))
            continue;
        boundary_cell parent = ix->bcells[v & INDEX_MASK];
        if (cell_chords(ix, &parent) < threshold)
            continue;
        int ninside = ix->list_len[parent.inside_list];
        memcpy(inside, ix->list_items + ix->list_start[parent.inside_list], (size_t)ninside * sizeof *inside);
        long s = ix->nsubgrids;
        if (s > (long)INDEX_MASK ||
            big_reserve((void **)&ix->sub, &rm.sub, (s + 1) * SUB * SUB, sizeof *ix->sub) < 0) {
            free(inside);
            return -1;
        }
        double x0 = ix->lon0 + (double)(c % ix->nx) * ix->cell, y0 = ix->lat0 + (double)(c / ix->nx) * ix->cell;
        for (int sy = 0; sy < SUB; sy++)
            for (int sx = 0; sx < SUB; sx++) {
                int64_t value = sub_cell_value(ix, in, &rm, parent, inside, ninside, list,
                                               x0 + sx * ix->cell / SUB, y0 + sy * ix->cell / SUB);
                if (value < 0) {
                    free(inside);
                    return -1;
                }
                ix->sub[s * SUB * SUB + sy * SUB + sx] = (uint32_t)value;
            }
        ix->cells[c] = BOUNDARY_FLAG | SUB_FLAG | (uint32_t)s;
        ix->nsubgrids++;
    }
    free(inside);
    drop_cell_records(ix, nb, nbz, nch);
    return 0;
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
    ix->cells = big_alloc(ncells * sizeof *ix->cells);
    ix->clear = big_alloc(ncells * sizeof *ix->clear);
    if (!ix->cells || !ix->clear)
        return -1;
    double max_abs_lat = fmax(fabs(ix->lat0), fabs(ix->lat1));
    ix->clear_cell_m = 0.99 * ix->cell * fmin(110574.0, 111319.49 * cos(fmin(max_abs_lat, 89.9) * AW_DEG));

    int rc = build_boundary_cells(zs, ix);
    interner in = {ix, NULL, 0};
    if (rc == 0)
        rc = fill_plain_cells(zs, ix, &in);
    if (rc == 0)
        fill_clearance(ix);
    if (rc == 0)
        rc = fill_sub_grids(zs, ix, &in);
    free(in.table);
    if (rc == 0)
        rc = fill_coarse(ix);
    return rc;
}

void aw_zone_index_free(aw_zone_index *ix)
{
    if (!ix)
        return;
    big_free(ix->cells);
    big_free(ix->sub);
    free(ix->coarse);
    big_free(ix->clear);
    free(ix->list_start);
    free(ix->list_len);
    free(ix->list_items);
    big_free(ix->bcells);
    big_free(ix->bzones);
    big_free(ix->chords);
    free(ix);
}

