/* zone_valid.c -- is a polygon simple: do its rings' chords cross one another?
 *
 * Why a grid: the check used to take each chord against the chords in the same latitude
 * bins of every ring. A jagged polygon (a star of a few hundred spikes) has dozens of
 * spikes at every latitude, so each chord met hundreds of others: 3.8 s of the 10 that
 * 1,000 such zones took to load. Here the chords of a polygon are filed in a 2-D
 * grid of about one cell per chord, and only chords that share a cell are paired: a
 * chord meets the handful near it.
 *
 * The verdicts are those of the latitude-bin check, message for message and in the same
 * order (tests/test_zone_valid.c keeps that check as its reference and compares): a pair is
 * tested only if the bin check tested it too (their bins overlap), by the same
 * arithmetic, and the pairs found are reported in the bin check's order -- ring, ring,
 * chord, bin, chord -- with its stop after 20. What the grid adds is that two chords
 * whose boxes, widened by MARGIN_DEG, do not overlap are not tested: two such chords
 * cannot meet, the meeting test's own tolerance (1e-12 of a chord) being far below that
 * margin -- save through rounding, for nearly collinear chords far apart along their
 * line, which the bin check could have called a crossing wrongly. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "zones/zone.h"

#define MARGIN_DEG 1e-6 /* 0.1 m: chords this close are paired */
#define REPORTS_MAX 20  /* the check stops (at the next chord) once this many are found */

typedef struct chord_ref {
    int ring, i;
} chord_ref;

typedef struct valid_grid {
    double x0, y0, inv_cell;
    int nx, ny;
    int *start;         /* nx * ny + 1 offsets into items */
    int *items;         /* global chord numbers */
    chord_ref *chord;   /* per global chord: its ring and index */
    int *cx0, *cy0;     /* per global chord: the first column and row it is filed in */
    int *bin0, *bin1;   /* per global chord: its ring's first and last latitude bin it reaches */
    int *ring_first;    /* per ring: its first global chord */
} valid_grid;

typedef struct meeting {
    int bin, j;
    double t;
} meeting;

/* Column and row, clamped: floor, as a truncation of a value known to be within the
 * grid (floor is a call without SSE 4.1). */
static int col(const valid_grid *g, double lon)
{
    double x = (lon - g->x0) * g->inv_cell;
    return x < 0 ? 0 : x >= g->nx ? g->nx - 1 : (int)x;
}

static int row(const valid_grid *g, double lat)
{
    double y = (lat - g->y0) * g->inv_cell;
    return y < 0 ? 0 : y >= g->ny ? g->ny - 1 : (int)y;
}

/* The cells chord i of ring r is filed in (its box widened by the margin). */
static void chord_cells(const valid_grid *g, const aw_ring *r, int i, int *x0, int *x1, int *y0, int *y1)
{
    *x0 = col(g, lesser(r->lon[i], r->lon[i + 1]) - MARGIN_DEG);
    *x1 = col(g, greater(r->lon[i], r->lon[i + 1]) + MARGIN_DEG);
    *y0 = row(g, lesser(r->lat[i], r->lat[i + 1]) - MARGIN_DEG);
    *y1 = row(g, greater(r->lat[i], r->lat[i + 1]) + MARGIN_DEG);
}

static void grid_free(valid_grid *g)
{
    free(g->start);
    free(g->items);
    free(g->chord);
    free(g->cx0);
    free(g->cy0);
    free(g->bin0);
    free(g->bin1);
    free(g->ring_first);
}

/* File every chord of the polygon in the cells it comes near: about one cell a chord. */
static int grid_build(valid_grid *g, const aw_polygon *poly)
{
    int n = 0;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int r = 0; r < poly->nrings; r++) {
        const aw_ring *ring = &poly->rings[r];
        n += ring->n;
        x0 = fmin(x0, ring->min_lon);
        x1 = fmax(x1, ring->max_lon);
        y0 = fmin(y0, ring->min_lat);
        y1 = fmax(y1, ring->max_lat);
    }
    double w = x1 - x0 + 4 * MARGIN_DEG, h = y1 - y0 + 4 * MARGIN_DEG;
    double cell = fmax(sqrt(w * h / (n > 0 ? n : 1)), fmax(w, h) / (4.0 * n + 4));
    g->x0 = x0 - 2 * MARGIN_DEG;
    g->y0 = y0 - 2 * MARGIN_DEG;
    g->inv_cell = 1 / cell;
    g->nx = (int)fmin(fmax(ceil(w / cell), 1), 4.0 * n + 4);
    g->ny = (int)fmin(fmax(ceil(h / cell), 1), 4.0 * n + 4);
    size_t ncells = (size_t)g->nx * g->ny;
    g->start = calloc(ncells + 1, sizeof *g->start);
    g->chord = malloc(((size_t)n + 1) * sizeof *g->chord);
    g->cx0 = malloc(((size_t)n + 1) * sizeof *g->cx0);
    g->cy0 = malloc(((size_t)n + 1) * sizeof *g->cy0);
    g->bin0 = malloc(((size_t)n + 1) * sizeof *g->bin0);
    g->bin1 = malloc(((size_t)n + 1) * sizeof *g->bin1);
    g->ring_first = malloc(((size_t)poly->nrings + 1) * sizeof *g->ring_first);
    if (!g->start || !g->chord || !g->cx0 || !g->cy0 || !g->bin0 || !g->bin1 || !g->ring_first)
        return -1;
    long filed = 0;
    for (int r = 0, k = 0; r < poly->nrings; r++) {
        const aw_ring *ring = &poly->rings[r];
        g->ring_first[r] = k;
        for (int i = 0; i < ring->n; i++, k++) {
            int cx0, cx1, cy0, cy1;
            chord_cells(g, ring, i, &cx0, &cx1, &cy0, &cy1);
            g->chord[k] = (chord_ref){r, i};
            g->cx0[k] = cx0;
            g->cy0[k] = cy0;
            g->bin0[k] = aw_ring_bin(ring, lesser(ring->lat[i], ring->lat[i + 1]));
            g->bin1[k] = aw_ring_bin(ring, greater(ring->lat[i], ring->lat[i + 1]));
            for (int y = cy0; y <= cy1; y++)
                for (int x = cx0; x <= cx1; x++)
                    g->start[(size_t)y * g->nx + x + 1]++;
            filed += (long)(cx1 - cx0 + 1) * (cy1 - cy0 + 1);
        }
    }
    if (filed > 0x7fffffff)
        return -1;
    g->items = malloc(((size_t)filed + 1) * sizeof *g->items);
    if (!g->items)
        return -1;
    for (size_t c = 0; c < ncells; c++)
        g->start[c + 1] += g->start[c];
    for (int r = 0, k = 0; r < poly->nrings; r++)
        for (int i = 0; i < poly->rings[r].n; i++, k++) {
            int cx0, cx1, cy0, cy1;
            chord_cells(g, &poly->rings[r], i, &cx0, &cx1, &cy0, &cy1);
            for (int y = cy0; y <= cy1; y++)
                for (int x = cx0; x <= cx1; x++)
                    g->items[g->start[(size_t)y * g->nx + x]++] = k;
        }
    for (size_t c = ncells; c > 0; c--) /* the fill advanced each start to the next cell's */
        g->start[c] = g->start[c - 1];
    g->start[0] = 0;
    return 0;
}

/* Does chord i start at one of the file's vertices (rather than inside an edge)? */
static bool starts_edge(const aw_ring *r, int i) { return i == 0 || r->edge[i - 1] != r->edge[i]; }

static int cmp_meeting(const void *a, const void *b)
{
    const meeting *p = a, *q = b;
    if (p->bin != q->bin)
        return p->bin < q->bin ? -1 : 1;
    return (p->j > q->j) - (p->j < q->j);
}

/* The chords of ring r2 that chord i of ring r1 meets, as the bin check finds them:
 * appended to *m (grown as needed). Returns the count, or -1 when out of memory. */
static int meetings(const valid_grid *g, const aw_polygon *poly, int r1, int i, int r2, meeting **m,
                    int *cap)
{
    const aw_ring *a = &poly->rings[r1], *b = &poly->rings[r2];
    double ya = lesser(a->lat[i], a->lat[i + 1]), yb = greater(a->lat[i], a->lat[i + 1]);
    if (yb < b->min_lat || ya > b->max_lat)
        return 0;
    int b0 = aw_ring_bin(b, ya), b1 = aw_ring_bin(b, yb);
    int cx0, cx1, cy0, cy1, found = 0;
    chord_cells(g, a, i, &cx0, &cx1, &cy0, &cy1);
    for (int y = cy0; y <= cy1; y++)
        for (int x = cx0; x <= cx1; x++) {
            size_t c = (size_t)y * g->nx + x;
            for (int s = g->start[c]; s < g->start[c + 1]; s++) {
                int kb = g->items[s];
                if (g->chord[kb].ring != r2)
                    continue;
                /* Each pair once: in the first cell both are filed in. */
                if ((g->cx0[kb] > cx0 ? g->cx0[kb] : cx0) != x || (g->cy0[kb] > cy0 ? g->cy0[kb] : cy0) != y)
                    continue;
                int j = g->chord[kb].i;
                if (r1 == r2 && (j <= i + 1 || (i == 0 && j == a->n - 1)))
                    continue; /* the same or neighbouring chords share a vertex */
                /* The bin check pairs chords whose bins overlap, in the first one shared. */
                int first = g->bin0[kb], last = g->bin1[kb];
                int bin = first > b0 ? first : b0;
                if (bin > (last < b1 ? last : b1))
                    continue;
                double u, t = aw_chord_meet(a->lon[i], a->lat[i], a->lon[i + 1], a->lat[i + 1], b->lon[j],
                                            b->lat[j], b->lon[j + 1], b->lat[j + 1], &u);
                /* A meeting at a chord's far end is met again at the start of the next
                 * chord: count it there, once. */
                if (t < 0 || t > 1 - 1e-9 || u > 1 - 1e-9)
                    continue;
                if (r1 == r2 && a->edge[i] == b->edge[j])
                    continue; /* chords of one edge follow a simple curve */
                /* A hole may touch another ring at a vertex (OGC allows it). */
                if (r1 != r2 && ((t < 1e-9 && starts_edge(a, i)) || (u < 1e-9 && starts_edge(b, j))))
                    continue;
                if (found + 1 > *cap) {
                    int nc = *cap ? 2 * *cap : 16;
                    meeting *p = realloc(*m, (size_t)nc * sizeof *p);
                    if (!p)
                        return -1;
                    *m = p;
                    *cap = nc;
                }
                (*m)[found++] = (meeting){bin, j, t};
            }
        }
    return found;
}

int aw_polygon_self_intersections(const aw_polygon *poly,
                                  void (*fn)(const char *message, void *user), void *user)
{
    valid_grid g = {0};
    meeting *m = NULL;
    int cap = 0, found = 0;
    if (grid_build(&g, poly) < 0) {
        grid_free(&g);
        if (fn)
            fn("out of memory checking for self-intersections", user);
        return 1;
    }
    for (int r1 = 0; r1 < poly->nrings; r1++) {
        const aw_ring *a = &poly->rings[r1];
        for (int r2 = r1; r2 < poly->nrings; r2++) {
            const aw_ring *b = &poly->rings[r2];
            for (int i = 0; i < a->n && found < REPORTS_MAX; i++) {
                int nm = meetings(&g, poly, r1, i, r2, &m, &cap);
                if (nm < 0) {
                    if (fn)
                        fn("out of memory checking for self-intersections", user);
                    found++;
                    break;
                }
                if (nm > 1)
                    qsort(m, (size_t)nm, sizeof *m, cmp_meeting);
                for (int k = 0; k < nm; k++) {
                    char msg[200];
                    double t = m[k].t;
                    snprintf(msg, sizeof msg,
                             "self-intersection: ring %d edge %d crosses ring %d edge %d near "
                             "(%.5f, %.5f)",
                             r1, a->edge[i], r2, b->edge[m[k].j], a->lon[i] + t * (a->lon[i + 1] - a->lon[i]),
                             a->lat[i] + t * (a->lat[i + 1] - a->lat[i]));
                    if (fn)
                        fn(msg, user);
                    found++;
                }
            }
        }
    }
    free(m);
    grid_free(&g);
    return found;
}
