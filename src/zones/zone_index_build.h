/* zone_index_build.h -- what the index builder's files share (internal).
 *
 * The build is split by concern: zone_index_build.c lays out the grid and fills its
 * cells, zone_index_mem.c keeps the big arrays and the interned zone lists, and
 * zone_sub_grids.c cuts crowded boundary cells into sub-grids. */
#ifndef ADIZWATCH_ZONE_INDEX_BUILD_H
#define ADIZWATCH_ZONE_INDEX_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "zones/zone_index.h"

/* The zone lists interned so far, by hash (zone_index_mem.c). */
typedef struct aw_ix_interner {
    aw_zone_index *ix;
    uint32_t *table; /* open addressing: list id + 1, 0 = empty */
    size_t size;
} aw_ix_interner;

/* Id of the list z[0..n) (sorted), adding it if new; -1 on allocation failure. */
int64_t aw_ix_intern(aw_ix_interner *in, const int *z, int n);

/* Room for need elements in the array *p of *cap (doubling); -1 on allocation failure. */
int aw_ix_grow(void **p, int *cap, int need, size_t elem);

/* The big arrays (cells, clearance, sub-grids, records, chords): mappings of their own
 * in huge pages. A zeroed array; room for need elements (the new room zeroed); free. */
void *aw_ix_big_alloc(size_t bytes);
int aw_ix_big_reserve(void **p, long *cap, long need, size_t elem);
void aw_ix_big_free(void *p);

/* Does chord (x1,y1)-(x2,y2) come near the rectangle? (Separating axes: the boxes
 * overlap by construction; the rectangle must not lie wholly on one side of the line.) */
static inline bool aw_ix_chord_meets_rect(double x1, double y1, double x2, double y2, double rx0,
                                          double ry0, double rx1, double ry1)
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

/* A point of the square (lon0, lat0, side size) well away from the n chords (chord j at
 * chords + 4 * idx[j], or chords + 4 * j when idx is NULL): the reference, in *lat and
 * *lon. Returns its distance (degrees, planar) to the nearest of them. */
double aw_ix_pick_reference(const double *chords, const int *idx, int n, double lon0, double lat0,
                            double size, double *lat, double *lon);

/* A point this far (degrees) or more from every chord of its record is safe to start a
 * crossing count from: well off the on-boundary distance, so that no rounding decides
 * on which side of a chord it lies. */
#define AW_IX_SAFE_GAP_DEG (16 * AW_ON_BOUNDARY_DEG)

/* ix->chords starts with a copy of every ring's chords (nring of them, zone by zone,
 * ring by ring); records point into it, or at copies after it where their chords do
 * not follow one another along a ring. The chords filed in the cells' records: for
 * record b (of the cells, before any sub-grid), g[first[b] ..] are their places in the
 * ring copy. */
typedef struct aw_ix_filing {
    int *g, *first;
    long nring;
    uint8_t *safe; /* per record of the cells: its reference is safe to count from */
} aw_ix_filing;

/* Where in ix->chords the chords at g[0..n) of the ring copy are: in it, if they follow
 * one another, else at a copy appended after ix->chords_n (room must be reserved). */
long aw_ix_place_chords(aw_zone_index *ix, const int *g, int n);

/* Cut the crowded boundary cells into sub-grids (zone_sub_grids.c). 0, or -1 on
 * allocation failure. */
int aw_ix_fill_sub_grids(aw_zone_set *zs, aw_zone_index *ix, aw_ix_interner *in, const aw_ix_filing *f);

#endif
