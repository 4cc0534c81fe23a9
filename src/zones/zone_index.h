/* zone_index.h -- the grid index's layout, shared by its builder and its queries (internal).
 *
 * A grid of square lon/lat cells covers all the zones. Each cell holds a 32-bit value:
 *  - a list id: no zone boundary comes near the cell, so every point in it lies in the
 *    same zones, the interned list (most cells share a few lists);
 *  - BOUNDARY_FLAG | b: ring chords pass through the cell: its record b (below);
 *  - BOUNDARY_FLAG | SUB_FLAG | s: ring chords pass through the cell, which is cut into
 *    SUB x SUB sub-cells (sub-grid s). Each sub-cell holds a list id in turn, or
 *    BOUNDARY_FLAG | b: boundary cell record b keeps, for each zone whose boundary
 *    reaches the sub-cell, those chords and a reference point whose state is known
 *    exactly; a query point's state is the reference's, flipped once per chord that
 *    the segment from the reference to the point crosses.
 * Sub-grids make the cells fine where boundaries are, without refining the grid
 * everywhere: the cell size follows the boundaries rather than the zones' extent.
 * The answers are those of the exact test (aw_zone_contains_2d), zone by zone: a plain
 * cell's state was taken from the exact test, and the crossing parity is exact up to the
 * same on-boundary rule (aw_on_chord). */
#ifndef ADIZWATCH_ZONE_INDEX_H
#define ADIZWATCH_ZONE_INDEX_H

#include <math.h>
#include <stdint.h>

#include "zones/zone.h"

#define BOUNDARY_FLAG 0x80000000u
#define SUB_FLAG 0x40000000u      /* with BOUNDARY_FLAG: the cell has a sub-grid */
#define INDEX_MASK 0x3fffffffu
#define SUB 8                     /* a sub-grid is SUB x SUB sub-cells */
#define SUB_GRIDS_MAX 300000      /* beyond this many, only the most crowded cells are cut */
#define CELL_MARGIN_DEG 1e-7      /* chords are filed in every cell they come this close to */
#define COARSE_MAX_BYTES (512 << 10) /* the coarse grid is kept within the L2 cache */
#define COARSE_MIXED 0xffffu
#define COPY_ITEMS 4              /* lists are padded so that this many items can be copied */

typedef struct boundary_zone {   /* 32 bytes: the doubles first, no padding between */
    double ref_lat, ref_lon;      /* a point of the cell off every chord, state known */
    int zone;
    int chord0, nchords;          /* into ix->chords: 4 doubles each (lon1, lat1, lon2, lat2) */
    bool ref_inside;
} boundary_zone;
_Static_assert(sizeof(boundary_zone) == 32, "a boundary record is two to a cache line");

typedef struct boundary_cell {
    uint32_t inside_list;         /* zones containing the whole cell */
    int zone0, nzones;            /* into ix->bzones */
} boundary_cell;

struct aw_zone_index {
    double lat0, lon0, cell, inv_cell; /* south-west corner, cell size (degrees) */
    double lat1, lon1;            /* north-east corner */
    int nx, ny;
    bool one_turn;                /* the grid lies within -180..180 degrees of longitude */
    bool wraps;                   /* or else it is narrower than 360: one turn of a point fits */
    uint32_t *cells;              /* per cell: a list id, or a boundary cell, or a sub-grid */
    uint32_t *sub;                /* SUB * SUB values per sub-grid, as cells[] (no sub-grids) */
    long nsubgrids;
    /* A coarse grid of blocks of 2^coarse_shift x 2^coarse_shift cells (4 x 4, or
     * 8 x 8 when that would not stay within COARSE_MAX_BYTES), small enough to stay in
     * the CPU's cache: a block whose cells all hold the same list holds it too, and a
     * random point usually needs no other memory access. Otherwise COARSE_MIXED: look
     * at the cells. Entries are 16 bits, for twice the blocks in the same cache; a
     * block whose list id does not fit is marked mixed. */
    uint16_t *coarse;
    int cnx, cny, coarse_shift;
    uint16_t *clear;              /* Chebyshev distance in cells to the nearest boundary cell */
    double clear_cell_m;          /* no cell is narrower than this, in metres */
    int *list_start, *list_len, *list_items;
    long nbcells, nchords;        /* boundary cells, chords filed in them (cut ones' records unused) */
    int nlists, list_cap, items_n, items_cap;
    long bcells_n, bzones_n, chords_n; /* all records, sub-grids' included */
    boundary_cell *bcells;
    boundary_zone *bzones;
    double *chords;
};

static inline double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Does the segment from the reference (rx, ry) to the point (px, py) cross chord q?
 * Half-open on the chord's ends (an end on the segment's line counts as on its
 * negative side), so a path through a vertex shared by two chords counts once. */
static inline bool crosses(double rx, double ry, double px, double py, const double *q)
{
    double d1 = orient(rx, ry, px, py, q[0], q[1]), d2 = orient(rx, ry, px, py, q[2], q[3]);
    if ((d1 > 0) == (d2 > 0))
        return false;
    double e1 = orient(q[0], q[1], q[2], q[3], rx, ry), e2 = orient(q[0], q[1], q[2], q[3], px, py);
    return e1 != 0 && e2 != 0 && (e1 > 0) != (e2 > 0);
}

/* Is the point (in the record's cell) in the zone, or on its boundary? */
static inline bool boundary_zone_holds(const aw_zone_index *ix, const boundary_zone *bz, double lat,
                                       double lon)
{
    bool inside = bz->ref_inside;
    for (int c = 0; c < bz->nchords; c++) {
        const double *q = &ix->chords[4 * (bz->chord0 + c)];
        if (aw_on_chord(q[0], q[1], q[2], q[3], lat, lon))
            return true;
        if (crosses(bz->ref_lon, bz->ref_lat, lon, lat, q))
            inside = !inside;
    }
    return inside;
}

/* Zone z's record in boundary cell bc (one at most: its index in ix->bzones), or -1. */
static inline long zone_record(const aw_zone_index *ix, const boundary_cell *bc, int z)
{
    for (int i = 0; i < bc->nzones; i++)
        if (ix->bzones[bc->zone0 + i].zone == z)
            return bc->zone0 + i;
    return -1;
}

/* The column / row of a longitude / latitude, clamped to the grid. */
static inline int cell_x(const aw_zone_index *ix, double lon)
{
    int x = (int)floor((lon - ix->lon0) * ix->inv_cell);
    return x < 0 ? 0 : x >= ix->nx ? ix->nx - 1 : x;
}

static inline int cell_y(const aw_zone_index *ix, double lat)
{
    int y = (int)floor((lat - ix->lat0) * ix->inv_cell);
    return y < 0 ? 0 : y >= ix->ny ? ix->ny - 1 : y;
}

/* The coarse block's value of cell (cx, cy): a list id, or BOUNDARY_FLAG to look at the
 * cell. */
static inline uint32_t coarse_value(const aw_zone_index *ix, unsigned cx, unsigned cy)
{
    uint32_t v = ix->coarse[(size_t)(cy >> ix->coarse_shift) * (unsigned)ix->cnx + (cx >> ix->coarse_shift)];
    return v == COARSE_MIXED ? BOUNDARY_FLAG : v;
}

/* The cell of a point within the grid: truncation is floor there, and only the far
 * edges need clamping. */
static inline void cell_of(const aw_zone_index *ix, double lat, double lon, unsigned *cx, unsigned *cy)
{
    unsigned x = (unsigned)((lon - ix->lon0) * ix->inv_cell), y = (unsigned)((lat - ix->lat0) * ix->inv_cell);
    *cx = x < (unsigned)ix->nx ? x : (unsigned)ix->nx - 1;
    *cy = y < (unsigned)ix->ny ? y : (unsigned)ix->ny - 1;
}

/* Where in ix->sub the value of a point of cell (cx, cy), whose value is the sub-grid
 * v, is kept. */
static inline size_t sub_slot(const aw_zone_index *ix, uint32_t v, unsigned cx, unsigned cy, double lat,
                              double lon)
{
    int sx = (int)(((lon - ix->lon0) * ix->inv_cell - cx) * SUB);
    int sy = (int)(((lat - ix->lat0) * ix->inv_cell - cy) * SUB);
    sx = sx < 0 ? 0 : sx >= SUB ? SUB - 1 : sx;
    sy = sy < 0 ? 0 : sy >= SUB ? SUB - 1 : sy;
    return (size_t)(v & INDEX_MASK) * (SUB * SUB) + (size_t)sy * SUB + (size_t)sx;
}

/* The box of a short segment (length_m long at most, from a to b) holds its geodesic when
 * widened by this margin, in degrees: the geodesic strays from the straight line in
 * longitude and latitude by less than its sagitta, L^2 / 8R, times (1 + tan(lat)); twice
 * that, in degrees of longitude at the highest latitude. -1: too long a segment (or too
 * near a pole) for the index's segment queries. */
static inline double segment_margin(double lat_a, double lon_a, double lat_b, double lon_b, double length_m)
{
    double max_lat = fmax(fabs(lat_a), fabs(lat_b));
    if (!(fabs(lon_b - lon_a) < 1) || !(max_lat < 85) || !(length_m < 50000))
        return -1;
    double c = cos(max_lat * AW_DEG);
    double sag_m = length_m * length_m / (8 * 6.3e6) * (1 + sqrt(1 - c * c) / c);
    return 2 * sag_m / (111000.0 * c) + 1e-6;
}

/* Only the cells under the box of a short segment are looked at; larger boxes answer
 * "cannot tell" (do the geometry). */
#define SEGMENT_MAX_CELLS 64

/* A short segment's box, widened, a turn (360 k degrees) east, and the cells under it. */
typedef struct segment_box {
    double x0, y0, x1, y1;
    int cx0, cy0, cx1, cy1;
} segment_box;

/* False when the box misses the grid. */
static inline bool segment_box_of(const aw_zone_index *ix, double lat_a, double lon_a, double lat_b,
                                  double lon_b, double margin, int k, segment_box *b)
{
    b->x0 = fmin(lon_a, lon_b) + 360.0 * k - margin;
    b->x1 = fmax(lon_a, lon_b) + 360.0 * k + margin;
    b->y0 = fmin(lat_a, lat_b) - margin;
    b->y1 = fmax(lat_a, lat_b) + margin;
    if (b->x1 < ix->lon0 || b->x0 > ix->lon1 || b->y1 < ix->lat0 || b->y0 > ix->lat1)
        return false;
    b->cx0 = cell_x(ix, b->x0);
    b->cx1 = cell_x(ix, b->x1);
    b->cy0 = cell_y(ix, b->y0);
    b->cy1 = cell_y(ix, b->y1);
    return true;
}

/* Call fn for each boundary record (a boundary cell's, or a boundary sub-cell's) under
 * the box -- of a cut cell, only the sub-cells under the box, found as sub_slot finds a
 * point's, so that any point of the box lies in one of them. Stops at fn's first nonzero
 * answer and returns it. */
typedef int (*aw_ix_record_fn)(const aw_zone_index *ix, uint32_t v, void *ctx);
int aw_ix_segment_records(const aw_zone_index *ix, const segment_box *b, aw_ix_record_fn fn, void *ctx);

#endif
