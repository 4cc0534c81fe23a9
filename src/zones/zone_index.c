/* zone_index.c -- "which zones contain this point", for every zone at once, at memory speed.
 *
 * A grid of square lon/lat cells covers all the zones. Each cell is either
 *  - plain: no zone boundary comes near it, so every point in it lies in the same zones;
 *    the cell holds the id of that list (lists are interned: most cells share a few), or
 *  - boundary: some ring chords pass through it. For each zone whose boundary is there,
 *    the cell keeps those chords and a reference point whose state is known exactly;
 *    a query point's state is the reference's, flipped once per chord that the segment
 *    from the reference to the point crosses. Zones wholly containing the cell are a
 *    plain list, as above.
 * The answers are those of the exact test (aw_zone_contains_2d), zone by zone: a plain
 * cell's state was taken from the exact test, and the crossing parity is exact up to the
 * same on-boundary rule (aw_on_chord).
 *
 * Each cell also knows how many cells away the nearest boundary cell is, which gives a
 * lower bound of the distance to any boundary: a track farther from every boundary than
 * it has flown since cannot have crossed one, and the engine skips the geometry. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zones/zone.h"

#define BOUNDARY_FLAG 0x80000000u
#define CELL_MARGIN_DEG 1e-7 /* chords are filed in every cell they come this close to */
#define CLEAR_MAX 65535
#define COARSE 8
#define COPY_ITEMS 4

typedef struct boundary_zone {
    int zone;
    double ref_lat, ref_lon; /* a point of the cell off every chord, state known */
    bool ref_inside;
    int chord0, nchords;     /* into ix->chords: 4 doubles each (lon1, lat1, lon2, lat2) */
} boundary_zone;

typedef struct boundary_cell {
    uint32_t inside_list;    /* zones containing the whole cell */
    int zone0, nzones;       /* into ix->bzones */
} boundary_cell;

struct aw_zone_index {
    double lat0, lon0, cell, inv_cell; /* south-west corner, cell size (degrees) */
    double lat1, lon1;       /* north-east corner */
    int nx, ny;
    bool one_turn;           /* the grid lies within -180..180 degrees of longitude */
    bool wraps;              /* or else it is narrower than 360: one turn of a point fits */
    uint32_t *cells;         /* list id, or BOUNDARY_FLAG | boundary cell index */
    /* A coarse grid of COARSE x COARSE blocks of cells, small enough to stay in the CPU's
     * cache: a block whose cells all hold the same list holds it too, and a random
     * point usually needs no other memory access. Otherwise BOUNDARY_FLAG: look at
     * the cells. */
    uint32_t *coarse;
    int cnx, cny;
    uint16_t *clear;         /* Chebyshev distance in cells to the nearest boundary cell */
    double clear_cell_m;     /* no cell is narrower than this, in metres */
    int *list_start, *list_len, *list_items;
    long nbcells, nchords;
    int nlists, list_cap, items_n, items_cap;
    boundary_cell *bcells;
    boundary_zone *bzones;
    double *chords;
};

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

static int grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
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

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

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

static int cell_x(const aw_zone_index *ix, double lon)
{
    int x = (int)floor((lon - ix->lon0) * ix->inv_cell);
    return x < 0 ? 0 : x >= ix->nx ? ix->nx - 1 : x;
}

static int cell_y(const aw_zone_index *ix, double lat)
{
    int y = (int)floor((lat - ix->lat0) * ix->inv_cell);
    return y < 0 ? 0 : y >= ix->ny ? ix->ny - 1 : y;
}

typedef struct hits {
    hit *v;
    int n, cap;
} hits;

static int file_ring(aw_zone_index *ix, const aw_ring *r, int zone, hits *h)
{
    const double m = CELL_MARGIN_DEG;
    for (int i = 0; i < r->n; i++) {
        double x1 = r->lon[i], y1 = r->lat[i], x2 = r->lon[i + 1], y2 = r->lat[i + 1];
        int cx0 = cell_x(ix, fmin(x1, x2) - m), cx1 = cell_x(ix, fmax(x1, x2) + m);
        int cy0 = cell_y(ix, fmin(y1, y2) - m), cy1 = cell_y(ix, fmax(y1, y2) + m);
        for (int cy = cy0; cy <= cy1; cy++)
            for (int cx = cx0; cx <= cx1; cx++) {
                double rx0 = ix->lon0 + cx * ix->cell - m, ry0 = ix->lat0 + cy * ix->cell - m;
                if ((cx0 != cx1 || cy0 != cy1) &&
                    !chord_meets_rect(x1, y1, x2, y2, rx0, ry0, rx0 + ix->cell + 2 * m,
                                      ry0 + ix->cell + 2 * m))
                    continue;
                if (grow((void **)&h->v, &h->cap, h->n + 1, sizeof(hit)) < 0)
                    return -1;
                h->v[h->n++] = (hit){(uint32_t)(cy * ix->nx + cx), zone, r, i};
            }
    }
    return 0;
}

/* Distance in degrees from (lat, lon) to the chord q (lon1, lat1, lon2, lat2), planar. */
static double chord_gap(const double *q, double lat, double lon)
{
    double dx = q[2] - q[0], dy = q[3] - q[1], len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((lon - q[0]) * dx + (lat - q[1]) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(lon - (q[0] + t * dx), lat - (q[1] + t * dy));
}

/* A point of the cell well away from every chord of the entry: the reference. */
static void pick_reference(const aw_zone_index *ix, int cx, int cy, boundary_zone *bz)
{
    static const double tries[][2] = {{0.5, 0.5},   {0.31, 0.73}, {0.77, 0.21}, {0.13, 0.41},
                                      {0.62, 0.92}, {0.88, 0.58}, {0.23, 0.09}, {0.47, 0.33}};
    double best_gap = -1;
    for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
        double lon = ix->lon0 + (cx + tries[k][0]) * ix->cell;
        double lat = ix->lat0 + (cy + tries[k][1]) * ix->cell;
        double gap = INFINITY;
        for (int c = 0; c < bz->nchords; c++)
            gap = fmin(gap, chord_gap(&ix->chords[4 * (bz->chord0 + c)], lat, lon));
        if (gap > best_gap) {
            best_gap = gap;
            bz->ref_lat = lat;
            bz->ref_lon = lon;
        }
        if (gap > 0.01 * ix->cell)
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

/* Boundary cells: group the hits by cell (counting sort), then by zone. */
static int build_boundary_cells(aw_zone_set *zs, aw_zone_index *ix, hits *h)
{
    size_t ncells = (size_t)ix->nx * ix->ny;
    uint32_t *start = calloc(ncells + 1, sizeof *start);
    hit *sorted = malloc(((size_t)h->n + 1) * sizeof *sorted);
    if (!start || !sorted) {
        free(start);
        free(sorted);
        return -1;
    }
    for (int i = 0; i < h->n; i++)
        start[h->v[i].cell + 1]++;
    for (size_t c = 0; c < ncells; c++)
        start[c + 1] += start[c];
    for (int i = 0; i < h->n; i++)
        sorted[start[h->v[i].cell]++] = h->v[i];
    for (size_t c = ncells; c > 0; c--)
        start[c] = start[c - 1];
    start[0] = 0;

    int nb = 0, nbz = 0;
    for (size_t c = 0; c < ncells; c++)
        if (start[c + 1] > start[c])
            nb++;
    ix->bcells = calloc((size_t)nb + 1, sizeof *ix->bcells);
    ix->bzones = malloc(((size_t)h->n + 1) * sizeof *ix->bzones);
    ix->chords = malloc(4 * ((size_t)h->n + 1) * sizeof *ix->chords);
    if (!ix->bcells || !ix->bzones || !ix->chords) {
        free(start);
        free(sorted);
        return -1;
    }
    ix->nbcells = nb;
    ix->nchords = h->n;
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
            pick_reference(ix, (int)(c % ix->nx), (int)(c / ix->nx), bz);
            bz->ref_inside = aw_zone_contains_2d(zs, bz->zone, bz->ref_lat, bz->ref_lon);
        }
        bc->nzones = nbz - bc->zone0;
    }
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
    const boundary_cell *bc = &ix->bcells[v & ~BOUNDARY_FLAG];
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
static int fill_plain_cells(aw_zone_set *zs, aw_zone_index *ix)
{
    interner in = {ix, NULL, 0};
    int *active = malloc(((size_t)zs->n + 1) * sizeof *active);
    span_event *ev = NULL;
    int ev_cap = 0, rc = -1;
    if (!active || intern(&in, NULL, 0) != 0) /* list 0 is the empty list */
        goto done;
    for (int y = 0; y < ix->ny; y++) {
        int nev = 0;
        double lat = ix->lat0 + (y + 0.5) * ix->cell;
        for (int z = 0; z < zs->n; z++) {
            const aw_zone_info *zi = &zs->zones[z].info;
            if (cell_y(ix, zi->min_lat) > y || cell_y(ix, zi->max_lat) < y)
                continue;
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
            int64_t id = intern(&in, active, nactive);
            if (id < 0)
                goto done;
            for (; x < next; x++) {
                uint32_t *v = &ix->cells[(size_t)y * ix->nx + x];
                if (*v & BOUNDARY_FLAG)
                    ix->bcells[*v & ~BOUNDARY_FLAG].inside_list = (uint32_t)id;
                else
                    *v = (uint32_t)id;
            }
        }
    }
    rc = 0;
done:
    free(in.table);
    free(active);
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
    ix->cnx = (ix->nx + COARSE - 1) / COARSE;
    ix->cny = (ix->ny + COARSE - 1) / COARSE;
    ix->coarse = malloc((size_t)ix->cnx * ix->cny * sizeof *ix->coarse);
    if (!ix->coarse)
        return -1;
    for (int by = 0; by < ix->cny; by++)
        for (int bx = 0; bx < ix->cnx; bx++) {
            uint32_t v = ix->cells[(size_t)by * COARSE * ix->nx + (size_t)bx * COARSE];
            for (int y = by * COARSE; y < (by + 1) * COARSE && y < ix->ny; y++)
                for (int x = bx * COARSE; x < (bx + 1) * COARSE && x < ix->nx; x++)
                    if (ix->cells[(size_t)y * ix->nx + x] != v)
                        v = BOUNDARY_FLAG;
            ix->coarse[(size_t)by * ix->cnx + bx] = v;
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
    ix->cells = calloc(ncells, sizeof *ix->cells);
    ix->clear = malloc(ncells * sizeof *ix->clear);
    if (!ix->cells || !ix->clear)
        return -1;
    double max_abs_lat = fmax(fabs(ix->lat0), fabs(ix->lat1));
    ix->clear_cell_m = 0.99 * ix->cell * fmin(110574.0, 111319.49 * cos(fmin(max_abs_lat, 89.9) * AW_DEG));

    hits h = {NULL, 0, 0};
    int rc = 0;
    for (int z = 0; z < zs->n && rc == 0; z++)
        for (int p = 0; p < zs->zones[z].npolys && rc == 0; p++)
            for (int r = 0; r < zs->zones[z].polys[p].nrings && rc == 0; r++)
                rc = file_ring(ix, &zs->zones[z].polys[p].rings[r], z, &h);
    if (rc == 0)
        rc = build_boundary_cells(zs, ix, &h);
    free(h.v);
    if (rc == 0)
        rc = fill_plain_cells(zs, ix);
    if (rc == 0)
        fill_clearance(ix);
    if (rc == 0)
        rc = fill_coarse(ix);
    return rc;
}

void aw_zone_index_free(aw_zone_index *ix)
{
    if (!ix)
        return;
    free(ix->cells);
    free(ix->coarse);
    free(ix->clear);
    free(ix->list_start);
    free(ix->list_len);
    free(ix->list_items);
    free(ix->bcells);
    free(ix->bzones);
    free(ix->chords);
    free(ix);
}

/* ---- queries ------------------------------------------------------------------- */

/* Does the segment from the reference (rx, ry) to the point (px, py) cross chord q?
 * Half-open on the chord's ends (an end on the segment's line counts as on its
 * negative side), so a path through a vertex shared by two chords counts once. */
static bool crosses(double rx, double ry, double px, double py, const double *q)
{
    double d1 = orient(rx, ry, px, py, q[0], q[1]), d2 = orient(rx, ry, px, py, q[2], q[3]);
    if ((d1 > 0) == (d2 > 0))
        return false;
    double e1 = orient(q[0], q[1], q[2], q[3], rx, ry), e2 = orient(q[0], q[1], q[2], q[3], px, py);
    return e1 != 0 && e2 != 0 && (e1 > 0) != (e2 > 0);
}

/* The answer for a point whose cell holds v (a list id, or a boundary cell). */
static int answer_cell(const aw_zone_index *ix, uint32_t v, double lat, double lon, int *out,
                       int max, int n)
{
    uint32_t list = v;
    const boundary_cell *bc = NULL;
    if (v & BOUNDARY_FLAG) {
        bc = &ix->bcells[v & ~BOUNDARY_FLAG];
        list = bc->inside_list;
    }
    const int *items = ix->list_items + ix->list_start[list];
    for (int i = 0; i < ix->list_len[list]; i++, n++)
        if (n < max)
            out[n] = items[i];
    if (!bc)
        return n;
    for (int i = 0; i < bc->nzones; i++) {
        const boundary_zone *bz = &ix->bzones[bc->zone0 + i];
        bool inside = bz->ref_inside, on = false;
        for (int c = 0; c < bz->nchords && !on; c++) {
            const double *q = &ix->chords[4 * (bz->chord0 + c)];
            if (aw_on_chord(q[0], q[1], q[2], q[3], lat, lon))
                on = true;
            else if (crosses(bz->ref_lon, bz->ref_lat, lon, lat, q))
                inside = !inside;
        }
        if (on || inside) {
            if (n < max)
                out[n] = bz->zone;
            n++;
        }
    }
    return n;
}

static int query_cell(const aw_zone_index *ix, double lat, double lon, int *out, int max, int n)
{
    /* lat and lon are within the grid: truncation is floor, and only the far edges
     * need clamping. */
    int cx = (int)((lon - ix->lon0) * ix->inv_cell), cy = (int)((lat - ix->lat0) * ix->inv_cell);
    cx = cx < ix->nx ? cx : ix->nx - 1;
    cy = cy < ix->ny ? cy : ix->ny - 1;
    uint32_t v = ix->coarse[(size_t)(cy / COARSE) * ix->cnx + cx / COARSE];
    if (v & BOUNDARY_FLAG)
        v = ix->cells[(size_t)cy * ix->nx + cx];
    return answer_cell(ix, v, lat, lon, out, max, n);
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

/* The point's longitude as the grid has it: for a grid past 180 but narrower than a
 * turn, the one turn of lon that can fall in it (aw_zone_index_query tries all three). */
static double grid_lon(const aw_zone_index *ix, double lon)
{
    if (ix->wraps)
        lon = lon > ix->lon1 ? lon - 360 : lon < ix->lon0 ? lon + 360 : lon;
    return lon;
}

/* The coarse block's value of a point, and the index of its cell in *cell; the fine
 * cell is prefetched when the block is mixed. */
static uint32_t block_value(const aw_zone_index *ix, double lat, double lon, size_t *cell)
{
    if (!ix->one_turn && !ix->wraps)
        return SLOW;
    lon = grid_lon(ix, lon);
    if (!(lat >= ix->lat0 && lat <= ix->lat1 && lon >= ix->lon0 && lon <= ix->lon1))
        return 0; /* the empty list */
    unsigned cx = (unsigned)((lon - ix->lon0) * ix->inv_cell);
    unsigned cy = (unsigned)((lat - ix->lat0) * ix->inv_cell);
    cx = cx < (unsigned)ix->nx ? cx : (unsigned)ix->nx - 1;
    cy = cy < (unsigned)ix->ny ? cy : (unsigned)ix->ny - 1;
    *cell = (size_t)cy * (unsigned)ix->nx + cx;
    uint32_t v = ix->coarse[(size_t)(cy / COARSE) * (unsigned)ix->cnx + cx / COARSE];
    if (v & BOUNDARY_FLAG)
        __builtin_prefetch(&ix->cells[*cell]);
    return v;
}

size_t aw_zones_at_many(const aw_zone_set *zs, size_t n, const double *lat, const double *lon,
                        uint32_t *count, int *zones, size_t cap)
{
    const aw_zone_index *ix = zs->index;
    size_t used = 0;
    uint32_t v[MANY_CHUNK];
    size_t cell[MANY_CHUNK];
    uint16_t edge[MANY_CHUNK]; /* the points in boundary cells */
    for (size_t i0 = 0; i0 < n; i0 += MANY_CHUNK) {
        size_t m = n - i0 < MANY_CHUNK ? n - i0 : MANY_CHUNK;
        int nedge = 0;
        for (size_t j = 0; j < m; j++)
            v[j] = block_value(ix, lat[i0 + j], lon[i0 + j], &cell[j]);
        for (size_t j = 0; j < m; j++)
            if (v[j] != SLOW && (v[j] & BOUNDARY_FLAG)) {
                v[j] = ix->cells[cell[j]];
                if (v[j] & BOUNDARY_FLAG) {
                    __builtin_prefetch(&ix->bcells[v[j] & ~BOUNDARY_FLAG]);
                    edge[nedge++] = (uint16_t)j;
                }
            }
        /* A boundary cell's record, then its first zone's, then that zone's chords:
         * each fetched for all the chunk's points before any is read. */
        for (int e = 0; e < nedge; e++)
            __builtin_prefetch(&ix->bzones[ix->bcells[v[edge[e]] & ~BOUNDARY_FLAG].zone0]);
        for (int e = 0; e < nedge; e++) {
            const boundary_cell *bc = &ix->bcells[v[edge[e]] & ~BOUNDARY_FLAG];
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
                k = aw_zone_index_query(zs, lat[i0 + j], lon[i0 + j], zones + used, max);
            } else if (v[j] & BOUNDARY_FLAG) {
                k = answer_cell(ix, v[j], lat[i0 + j], grid_lon(ix, lon[i0 + j]), zones + used, max, 0);
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

/* No boundary cell within the box of a short segment: no boundary chord comes near it,
 * so nothing can be crossed sideways along it. Only boxes of a few cells are looked
 * at; longer segments answer false (do the geometry). */
#define SEGMENT_MAX_CELLS 64

bool aw_zone_index_segment_clear(const aw_zone_set *zs, double lat_a, double lon_a, double lat_b,
                                 double lon_b, double length_m)
{
    const aw_zone_index *ix = zs->index;
    double max_lat = fmax(fabs(lat_a), fabs(lat_b));
    if (!(fabs(lon_b - lon_a) < 1) || !(max_lat < 85) || !(length_m < 50000))
        return false;
    /* The geodesic strays from the straight line in longitude and latitude by less than
     * its sagitta, L^2 / 8R, times (1 + tan(lat)); twice that, in degrees of longitude
     * at the highest latitude, is the margin. */
    double c = cos(max_lat * AW_DEG);
    double sag_m = length_m * length_m / (8 * 6.3e6) * (1 + sqrt(1 - c * c) / c);
    double margin = 2 * sag_m / (111000.0 * c) + 1e-6;
    /* The box a turn either way too, as aw_zone_index_query tries the point. */
    for (int k = -1; k <= 1; k++) {
        double x0 = fmin(lon_a, lon_b) + 360.0 * k - margin, x1 = fmax(lon_a, lon_b) + 360.0 * k + margin;
        double y0 = fmin(lat_a, lat_b) - margin, y1 = fmax(lat_a, lat_b) + margin;
        if (x1 < ix->lon0 || x0 > ix->lon1 || y1 < ix->lat0 || y0 > ix->lat1)
            continue; /* beside the grid: no zone there */
        int cx0 = cell_x(ix, x0), cx1 = cell_x(ix, x1), cy0 = cell_y(ix, y0), cy1 = cell_y(ix, y1);
        if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > SEGMENT_MAX_CELLS)
            return false;
        for (int y = cy0; y <= cy1; y++)
            for (int x = cx0; x <= cx1; x++)
                if (ix->cells[(size_t)y * ix->nx + x] & BOUNDARY_FLAG)
                    return false;
    }
    return true;
}
