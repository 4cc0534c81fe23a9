/* track_recency.h -- which track one engine would evict, kept for several engines.
 *
 * An engine with max_tracks forgets its longest idle track when a new one comes (its
 * visits exit as `lost`). The pipeline's threads (parallel.c) split the tracks over
 * several engines, none of which sees the others' tracks, so none of them can know
 * which is the longest idle of all. This table keeps, on the thread that reads the
 * input, the recency order of every track exactly as one engine would (touched by each
 * valid report, attribute-only and stale ones too), and names the track to forget. */
#ifndef ADIZWATCH_TRACK_RECENCY_H
#define ADIZWATCH_TRACK_RECENCY_H

#include <stddef.h>
#include <stdint.h>

#include "adizwatch/report.h"

typedef struct track_recency {
    struct recency_entry *entries; /* [0] unused: index 0 means none */
    uint32_t nentries, cap, free_list;
    uint32_t *slots;               /* open addressing on the id: an entry index, 0 empty */
    size_t nslots, ntracks, max_tracks;
    struct recency_touch *touches; /* every touch in order; stale ones skipped (.c) */
    size_t first, ntouches, touches_cap;
    uint64_t clock;                /* touches so far */
} track_recency;

/* A table for at most max_tracks tracks (> 0). Returns 0, or -1 without memory. */
int track_recency_init(track_recency *t, size_t max_tracks);
void track_recency_free(track_recency *t);

/* A report of track id (hash: aw_engine_track_hash(id)) as an engine takes it. Returns
 * 1 when the track is new and the table was full: the longest idle track was forgotten
 * first, its id (NUL-padded) copied into evicted; 0 otherwise; -1 without memory. */
int track_recency_touch(track_recency *t, const char *id, uint64_t hash,
                        char evicted[AW_TRACK_ID_MAX]);

/* Start fetching from memory what a touch of the id of this hash reads: stage 0 its
 * slot, stage 1 (once the slot has arrived) its entry. Changes nothing. */
void track_recency_prefetch(const track_recency *t, uint64_t hash, int stage);

#endif
