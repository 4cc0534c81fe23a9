/* engine_order.h -- which track an engine fed last, and its tracks in the order they
 * were last fed: what the pipeline's threads (src/pipeline/parallel.c) need to put the
 * tracks of several engines back into the one recency order a single engine would keep
 * (its max_tracks evicts the longest idle track of all). Read-only views of the
 * engine's recency list (engine_tracks.c), kept here so that the pipeline does not walk
 * the engine's structures itself. Not a public API. */
#ifndef ADIZWATCH_ENGINE_ORDER_H
#define ADIZWATCH_ENGINE_ORDER_H

#include "events/engine_internal.h"

/* The ref (> 0) of the track the last aw_engine_feed took: every report it does not
 * refuse (AW_FEED_OK or AW_FEED_DROPPED) makes its track the most recently fed. 0: no
 * track yet. */
static inline uint32_t engine_last_fed(const aw_engine *e)
{
    return e->newest;
}

/* How many tracks the engine has. */
static inline size_t engine_track_count(const aw_engine *e)
{
    return e->ntracks;
}

/* The engine's tracks, least recently fed first: their count, and fn called for each
 * with its ref and id (NUL-terminated). */
static inline size_t engine_tracks_by_recency(const aw_engine *e,
                                              void (*fn)(uint32_t ref, const char *id, void *user),
                                              void *user)
{
    size_t n = 0;
    for (uint32_t ref = e->oldest; ref; ref = track_at(e, ref)->newer, n++)
        fn(ref, track_id(e, track_at(e, ref)), user);
    return n;
}

#endif
