/* engine_internal.h -- the engine's own structures, shared by the files of the engine.
 *
 * engine.c runs them; engine_state.c saves and restores them (checkpoints). Kept in one
 * header so that the two cannot disagree on a field. Not a public API: users see only
 * the opaque aw_engine of include/adizwatch/engine.h. */
#ifndef ADIZWATCH_ENGINE_INTERNAL_H
#define ADIZWATCH_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

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
 * candidates wait in a block taken from the engine's pool only while there are any,
 * so an idle visit costs no candidate memory. */
#define DEPTH_CANDIDATES 32

typedef union candidate_block {
    depth_candidate cand[DEPTH_CANDIDATES];
    union candidate_block *next; /* in the engine's pool of free blocks */
} candidate_block;

/* 64 bytes: a million aircraft in two zones each are 128 MB of visits. */
typedef struct visit {
    int zone;
    uint16_t ncand;     /* depth candidates waiting in block */
    bool has_near;      /* near_lat, near_lon hold the last measurement's boundary point */
    float near_lat, near_lon; /* within 1.2 m of it (floats: a visit stays in 64 bytes) */
    double enter_time;
    double max_depth;   /* metres: the largest measured depth */
    double q_depth;     /* an upper bound of the depth (the last measurement, or the grid
                         * bound of a report ruled out since) ... */
    double q_s;         /* ... and where along the path it holds */
    double s;           /* path flown since the visit began (see open_visit) */
    candidate_block *block; /* NULL when ncand == 0 */
} visit;
_Static_assert(sizeof(void *) != 8 || sizeof(visit) <= 64, "visit outgrew 64 bytes");

/* Ordered so that it packs into 120 bytes, a 128-byte heap chunk: a million aircraft
 * are 128 MB of tracks, before their visits. */
typedef struct track {
    char id[AW_TRACK_ID_MAX];
    double time, lat, lon, alt_ft; /* last accepted position report */
    double clearance; /* metres that can be flown from the last exact look without a crossing */
    struct visit *visits;          /* the zones the track is inside */
    struct track *newer, *older;   /* recency list: most recently fed first */
    char callsign[AW_CALLSIGN_MAX];
    uint32_t nvisits, cap;
    bool has_position;
    bool lost;                     /* declared lost by the live clock (aw_engine_expire) */
} track;
_Static_assert(sizeof(void *) != 8 || sizeof(track) <= 120, "track outgrew its heap chunk");

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
    /* tracks: open addressing on the id, linear probing */
    track **slots;
    size_t nslots, ntracks, max_tracks;
    track *newest, *oldest;
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
    uint32_t stamp;
    candidate_block *free_blocks; /* visits' candidate blocks, for reuse */
    double near_lat, near_lon; /* the boundary point of the last depth measured */
};

#endif
