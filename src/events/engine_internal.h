/* engine_internal.h -- the engine's own structures, shared by the files of the engine.
 *
 * engine.c runs them, engine_tracks.c keeps the tracks (slab, table, recency list),
 * engine_state.c saves and restores them (checkpoints). Kept in one header so that the
 * files cannot disagree on a field. Not a public API: users see only
 * the opaque aw_engine of include/adizwatch/engine.h. */
#ifndef ADIZWATCH_ENGINE_INTERNAL_H
#define ADIZWATCH_ENGINE_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "geo/geo.h"
#include "zones/zone.h"

/* A report of a visit whose depth has not been measured: it might be the deepest. Its
 * depth is at most q_depth + |s - q_s| (the visit's path-bound anchor, below). */
typedef struct depth_candidate {
    double lat, lon;
    double s;     /* path flown since the visit began, at this report */
    double bound; /* an upper bound of its depth: the depth grid's or near_bound's */
} depth_candidate;

/* While a visit deepens, every report is a new maximum until the deepest is passed;
 * candidates wait in a block taken from the engine's pools only while there are any,
 * so an idle visit costs no candidate memory -- and a visit whose track has gone quiet
 * has its candidates settled (measured) and its block returned: engine_settle_idle.
 * Blocks come in five sizes, 4 to DEPTH_CANDIDATES candidates (136 bytes to 2 KB), and
 * a visit moves to the next when its block fills. The 64th candidate of a visit is what
 * makes it measure (whatever the block sizes): every block that fills costs a
 * measurement, about 4 us, so a visit deepening for a long time measures once every 64
 * reports for at most 2 KB (with 32, twice as often: a third more measurements on real
 * traffic; the memory of quiet tracks' blocks is bounded all the same, see
 * engine_settle_idle). */
#define DEPTH_CANDIDATES 64
#define NEAR_ZONES_MAX 256 /* more zones near one segment: it looks at every zone */
#define BLOCK_SIZES 5 /* blocks of 4 << k candidates, k < BLOCK_SIZES */

typedef struct candidate_block {
    uint16_t ncand;     /* candidates waiting in cand[] */
    uint16_t cap;       /* 4, 8, 16, 32 or 64 */
    uint32_t next_free; /* in the engine's pool of free blocks: the next one's ref, 0 = none */
    depth_candidate cand[];
} candidate_block;

static inline size_t block_bytes_of(const candidate_block *b)
{
    return sizeof *b + b->cap * sizeof(depth_candidate);
}

/* 56 bytes: two visits and their array's header are 120 bytes, a 128-byte heap chunk.
 * Every double here is one an event or a rigorous bound depends on. */
typedef struct visit {
    int zone;
    uint32_t block;     /* candidate block: its ref in e->blocks (index + 1), 0 = none */
    float near_lat, near_lon; /* within 1.2 m of the last measurement's boundary point;
                               * near_lat NaN: none yet (floats: see note_near) */
    double enter_time;
    double max_depth;   /* metres: the largest measured depth */
    double q_depth;     /* an upper bound of the depth (the last measurement, or the grid
                         * bound of a report ruled out since) ... */
    double q_s;         /* ... and where along the path it holds */
    double s;           /* path flown since the visit began (see open_visit) */
} visit;
_Static_assert(sizeof(visit) == 56, "visit outgrew 56 bytes");

/* A track's visits: one heap array grown with realloc, its counts in front (in bytes a
 * 16-byte heap chunk would round away anyway). NULL: no visit, none allocated. */
typedef struct visit_array {
    uint32_t n, cap;
    visit v[];
} visit_array;

/* An id of up to TRACK_ID_INLINE - 1 bytes (an ICAO address, a radar track number) is
 * kept in the track; a longer one in e->long_ids. */
#define TRACK_ID_INLINE 16

/* 80 bytes, in the engine's slab (e->chunks: no heap header, no rounding), linked by
 * 32-bit refs: a million aircraft are 80 MB of tracks and 4-8 MB of table. */
typedef struct track {
    char id[TRACK_ID_INLINE]; /* a short id, NUL-padded (a lookup compares the block); for
                               * a longer one id[0] is 0 and id[4..7] its ref (track_id) */
    double time, lat, lon, alt_ft; /* last accepted position report; time NaN: none yet */
    visit_array *visits;           /* the zones the track is inside */
    uint32_t newer, older;         /* recency list (refs, 0 = none): most recently fed first */
    float clearance;  /* metres that can be flown from the last exact look without a
                       * crossing, rounded down (a lower bound stays one); negative: the
                       * track was declared lost by the live clock (aw_engine_expire) */
    char callsign[AW_CALLSIGN_MAX];
} track;
_Static_assert(sizeof(void *) != 8 || sizeof(track) == 80, "track outgrew 80 bytes");

/* Tracks live in chunks of TRACK_CHUNK; a track's ref is its index + 1 (0 = none). */
#define TRACK_CHUNK_BITS 12
#define TRACK_CHUNK (1u << TRACK_CHUNK_BITS)

/* One state change found in a segment, before it is emitted in time order. */
typedef struct change {
    double u;     /* fraction of the segment, 0..1 */
    int zone;
    bool enter;
    bool lateral; /* at a lateral boundary crossing (depth 0) */
} change;

struct aw_engine {
    const aw_zone_set *zones;
    double timeout;
    aw_event_fn fn;
    void *user;
    /* tracks: open addressing on the id, linear probing, slots hold refs (0 = empty) */
    uint32_t *slots;
    size_t nslots, ntracks, max_tracks;
    track **chunks;        /* the slab: chunk k holds the tracks of refs k*TRACK_CHUNK + 1 ... */
    uint32_t nchunks, nused; /* refs handed out so far (free ones are reused first) */
    uint32_t free_tracks;  /* evicted tracks' refs, chained through their `older` */
    uint32_t newest, oldest;
    uint32_t settled;      /* this track and all older ones hold no candidate block */
    char (*long_ids)[AW_TRACK_ID_MAX]; /* ids too long for a track, NUL-padded, by ref - 1 */
    uint32_t nlong, long_cap, free_long; /* free_long: a ref, chained by its first bytes */
    double now;            /* the latest report time fed */
    aw_engine_stats stats;
    /* scratch reused by every segment: no allocation per report once warm */
    aw_path path;
    aw_params params;
    change *changes;
    int nchanges, changes_cap;
    int *inside;       /* zones containing the current report horizontally */
    int ninside, inside_cap;
    uint32_t *mark;    /* mark[z] == stamp: z is in inside[] */
    int *scan;         /* zones a segment near boundaries must look at (scan_zones) */
    int scan_cap;
    int near[NEAR_ZONES_MAX]; /* zones with boundary near the segment (aw_zone_index_segment_zones) */
    uint32_t *near_mark; /* near_mark[z] == stamp: z is in near[] */
    uint32_t stamp;
    candidate_block **blocks; /* visits' candidate blocks, by ref - 1 */
    uint32_t nblocks, blocks_cap;
    uint32_t free_blocks[BLOCK_SIZES]; /* a pool a size: a ref, chained by next_free */
    size_t block_bytes_used;  /* bytes of the blocks visits hold (not in a pool) */
    size_t block_bytes_pooled; /* bytes of the blocks in the pools */
    size_t block_bytes_kept;  /* past this, quiet tracks' are settled (engine_settle_idle),
                               * and a block given back is freed, not pooled */
    uint32_t *spare_refs;     /* refs of freed blocks (e->blocks[ref - 1] NULL), for reuse */
    uint32_t nspare, spare_cap;
    double near_lat, near_lon; /* the boundary point of the last depth measured */
    double *zone_near; /* per zone: the last boundary point measured to (NAN: none) */
};

/* The track of a ref (not 0). */
static inline track *track_at(const aw_engine *e, uint32_t ref)
{
    return &e->chunks[(ref - 1) >> TRACK_CHUNK_BITS][(ref - 1) & (TRACK_CHUNK - 1)];
}

/* The track's id (NUL-terminated). */
static inline const char *track_id(const aw_engine *e, const track *t)
{
    uint32_t ref;
    if (t->id[0])
        return t->id;
    memcpy(&ref, t->id + 4, sizeof ref);
    return e->long_ids[ref - 1];
}

static inline uint32_t track_nvisits(const track *t)
{
    return t->visits ? t->visits->n : 0;
}

static inline bool track_has_position(const track *t)
{
    return !isnan(t->time);
}

/* The track table (engine_tracks.c). */
int engine_tracks_init(aw_engine *e);
void engine_tracks_free(aw_engine *e);
/* The track of that id (h: aw_engine_track_hash(id)), created when new; NULL: no memory. */
track *engine_find_track(aw_engine *e, const char *id, uint64_t h);
/* A new track record of that id (time NaN, the rest zero), in no table or list yet: its
 * ref, 0 without memory (for a restore). */
uint32_t engine_new_track(aw_engine *e, const char *id);
/* Every track freed and every candidate block back in the pool; e->slots is NULL after
 * it (a restore that failed installs a table again with engine_tracks_init). */
void engine_tracks_reset(aw_engine *e);
void engine_touch_track(aw_engine *e, track *t);
void engine_settle_idle(aw_engine *e, double idle_s);
/* in engine.c, for the table: exit the visits of a track about to be evicted, and
 * settle the candidates of a visit */
void engine_lose_track(aw_engine *e, track *t);
void engine_settle_depth(aw_engine *e, visit *v);
/* A candidate block's ref, with room for at least n candidates (n <= DEPTH_CANDIDATES),
 * or 0 without memory; and a block given back to its pool. */
uint32_t engine_take_block(aw_engine *e, uint32_t n);
void engine_give_block(aw_engine *e, uint32_t ref);

#endif
