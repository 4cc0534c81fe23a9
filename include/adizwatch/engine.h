/* engine.h -- position reports in, zone events out.
 *
 * The engine keeps one small state per track (last accepted report, callsign, the zones
 * it is inside with their open visits) and, for each new report, works out every
 * entry and exit between the previous report and this one exactly as the contract
 * says: along the WGS84 geodesic at constant speed, altitude linear in time, crossings
 * of lateral boundaries and of floors and ceilings alike. Events are handed to a
 * callback in the order they happen for each track.
 *
 * One engine is single-threaded; separate engines (sharing one zone set) may run in
 * separate threads. */
#ifndef ADIZWATCH_ENGINE_H
#define ADIZWATCH_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "report.h"
#include "zones.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_engine aw_engine;

typedef struct aw_engine_options {
    double timeout_s;  /* reports further apart than this are not joined (default 300) */
    size_t max_tracks; /* keep at most this many tracks (0: no limit): a new one evicts the
                        * longest idle, which is lost (exit/lost) from any zone it is in */
} aw_engine_options;

/* Called for each event; the event is valid only during the call. */
typedef void (*aw_event_fn)(const aw_event *ev, void *user);

typedef struct aw_engine_stats {
    uint64_t reports;   /* reports with a position that were accepted */
    uint64_t attribute_reports; /* reports that only updated a callsign, squawk, speed... */
    uint64_t dropped;   /* older than, or as old as, the track's last accepted report */
    uint64_t invalid;   /* refused: see AW_FEED_INVALID */
    uint64_t tracks;    /* tracks seen */
    uint64_t events;    /* events emitted */
    uint64_t open_visits; /* visits entered and not yet exited */
    uint64_t evicted;   /* tracks dropped to stay within max_tracks */
    uint64_t depth_measurements; /* exact boundary distances measured for max_depth_m */
} aw_engine_stats;

/* Create an engine over zones (which must outlive it). opt may be NULL for defaults.
 * Returns NULL on allocation failure. */
aw_engine *aw_engine_new(const aw_zone_set *zones, const aw_engine_options *opt,
                         aw_event_fn fn, void *user);
void aw_engine_free(aw_engine *e);

/* The largest altitude (feet, either sign) the engine takes: ten times a satellite's
 * low orbit, so no real report is refused, and every event's altitude prints exactly. */
#define AW_MAX_ABS_ALT_FT 1e7

typedef enum aw_feed_result {
    AW_FEED_OK = 0,       /* accepted (events, if any, were emitted) */
    AW_FEED_DROPPED = 1,  /* not newer than the track's last accepted report: dropped */
    AW_FEED_INVALID = 2,  /* empty track id, non-finite time, a position off the globe, or
                           * an altitude beyond AW_MAX_ABS_ALT_FT */
    AW_FEED_ERROR = -1    /* out of memory: the events emitted before it stand, each with
                           * its visit; an enter whose visit could not be kept is not
                           * emitted. The caller should stop. */
} aw_feed_result;

/* Process one report. Reports are taken in the order given. */
aw_feed_result aw_engine_feed(aw_engine *e, const aw_report *r);

/* A hint for callers that read ahead: start fetching from memory what feeding a report
 * of a track will touch, in stages a report or more apart -- stage 0 the track's slot
 * in the table, stage 1 (once the slot has arrived) the track, stage 2 (once the track
 * has) its open visits. With thousands of interleaved tracks these are cache misses
 * that the engine would otherwise wait for one after the other. Changes no result.
 * hash is aw_engine_track_hash of the report's track id, computed once per report. */
uint64_t aw_engine_track_hash(const char *id);
void aw_engine_prefetch(const aw_engine *e, uint64_t hash, int stage);
/* aw_engine_feed for a caller that has hashed the report's id already (one reading
 * ahead): hash must be aw_engine_track_hash(r->track). The same result, without hashing
 * the id a second time. */
aw_feed_result aw_engine_feed_hashed(aw_engine *e, const aw_report *r, uint64_t hash);

/* Declare the clock: every track inside a zone whose last report is older than
 * now - timeout gets its `exit`/`lost` events now (live feeds call this; a replay of a
 * file need not, since a track's gap is then seen when its next report comes). */
void aw_engine_expire(aw_engine *e, double now);

/* Forget the track with this id as max_tracks would (counted in `evicted`): its open
 * visits exit as `lost` now, at its last report. Returns 1 if it was there, else 0.
 * For callers that keep the recency order of tracks across several engines (the
 * pipeline's threads, src/pipeline/parallel.c). */
int aw_engine_evict(aw_engine *e, const char *id);

/* ---- checkpoints: the engine's state saved and restored ------------------------
 *
 * aw_engine_save writes everything the engine carries from one report to the next --
 * each track's last report, callsign and open visits with their depth bookkeeping
 * (including the reports still waiting to have their depth measured), the recency
 * order that decides evictions, the table layout that decides the order of expiries,
 * and the counters -- so that an engine restored from it and fed the rest of the
 * input emits exactly the events, bit for bit, that the saved engine would have.
 *
 * The format is binary, versioned and independent of the machine: an 8-byte magic
 * "AWENGST1", a 32-bit version (AW_ENGINE_STATE_VERSION), then fixed-width
 * little-endian integers and IEEE-754 doubles and floats (their bits, little-endian),
 * and a trailing FNV-1a 64-bit checksum of every byte before it. It records the
 * engine's timeout and max_tracks and a fingerprint of the zone set (each zone's id,
 * band and bounding box, in order): a state is restored only into an engine with the
 * same options over the same zones, since visits name zones by their index. The
 * layout is described in src/events/engine_state.c. */
#define AW_ENGINE_STATE_VERSION 1

/* Write len bytes; return 0, or -1 to stop the save (it then returns -1). */
typedef int (*aw_state_write_fn)(void *user, const void *data, size_t len);
/* Read exactly len bytes; return 0, or -1 if they are not there (end of data, error). */
typedef int (*aw_state_read_fn)(void *user, void *data, size_t len);

/* Save the engine's state through write. The engine is not changed. Returns 0, or -1
 * when write failed. */
int aw_engine_save(const aw_engine *e, aw_state_write_fn write, void *user);

/* Restore a saved state into e, which must be new (nothing fed yet) and made with the
 * same zones and options as the saved one. Returns 0, or -1 with the reason in err
 * (with the byte offset where the data went wrong): a short read, another format or
 * version, other options or zones, inconsistent or corrupted data (checksum), a value
 * the engine would not write back as it stands (not a state it saved), or out
 * of memory. On failure e is left as it was, new. */
int aw_engine_restore(aw_engine *e, aw_state_read_fn read, void *user, char *err,
                      size_t errlen);

/* A copy of the engine's counters so far. */
void aw_engine_get_stats(const aw_engine *e, aw_engine_stats *out);

AW_END_DECLS
#endif
