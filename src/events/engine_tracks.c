/* engine_tracks.c -- the engine's track table: where a track lives, how it is found by
 * its id, which one has been quiet longest.
 *
 * Memory per track is what limits how many aircraft one process follows, so tracks sit
 * in a slab of 80-byte records (chunks of TRACK_CHUNK, no heap header or rounding each)
 * and refer to each other by 32-bit refs: the hash table holds a ref a slot (open
 * addressing on the id, linear probing, at most half full), and the recency list -- most
 * recently fed first, so that the longest idle track is found at once -- links refs.
 * An id is kept in the track when it is short (15 bytes: ICAO addresses, radar track
 * numbers, the ids of tiled recordings), in a side table otherwise. A million aircraft
 * are 80 MB of tracks and 4 to 8 MB of table.
 *
 * The recency list also bounds the memory of depth candidates (engine_settle_idle): when
 * the visits hold more candidate blocks than the engine keeps, a track that has reported
 * nothing for a while has its visits' waiting candidates measured now, as its exit would
 * measure them, and their blocks go back to the pool. Otherwise every aircraft that went
 * quiet while deepening -- out of coverage, landed, the end of a recording -- would keep
 * a block of up to 2 KB until its timeout, or, in a replay that ends first, for ever. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events/engine_internal.h"

/* The id as the table keeps it: NUL-padded to its full size, so that a lookup compares
 * one fixed-size block (no strcmp call per report); and its hash (FNV-1a), computed on
 * the way. An id too long for the table is cut as the copy into a track would cut it. */
static uint64_t padded_id(const char *id, char key[AW_TRACK_ID_MAX], size_t *len)
{
    uint64_t h = 1469598103934665603ull;
    size_t n = 0;
    for (; n < AW_TRACK_ID_MAX - 1 && id[n]; n++) {
        key[n] = id[n];
        h = (h ^ (unsigned char)id[n]) * 1099511628211ull;
    }
    memset(key + n, 0, AW_TRACK_ID_MAX - n);
    *len = n;
    return h;
}

/* The id padded as padded_id pads it, without the hash (the caller has it). */
static void pad_id(const char *id, char key[AW_TRACK_ID_MAX], size_t *len)
{
    size_t n = 0;
    for (; n < AW_TRACK_ID_MAX - 1 && id[n]; n++)
        key[n] = id[n];
    memset(key + n, 0, AW_TRACK_ID_MAX - n);
    *len = n;
}

static uint64_t hash_id(const char *id)
{
    char key[AW_TRACK_ID_MAX];
    size_t n;
    return padded_id(id, key, &n);
}

static bool same_id(const aw_engine *e, const track *t, const char key[AW_TRACK_ID_MAX], size_t n)
{
    if (n < TRACK_ID_INLINE)
        return memcmp(t->id, key, TRACK_ID_INLINE) == 0;
    return !t->id[0] && memcmp(track_id(e, t), key, AW_TRACK_ID_MAX) == 0;
}

/* Keep a long id in the side table; 0 without memory. */
static uint32_t keep_long_id(aw_engine *e, const char key[AW_TRACK_ID_MAX])
{
    uint32_t ref = e->free_long;
    if (ref) {
        memcpy(&e->free_long, e->long_ids[ref - 1], sizeof ref);
    } else {
        if (e->nlong == e->long_cap) {
            uint32_t cap = e->long_cap ? 2 * e->long_cap : 256;
            char(*v)[AW_TRACK_ID_MAX] = realloc(e->long_ids, cap * sizeof *v);
            if (!v)
                return 0;
            e->long_ids = v;
            e->long_cap = cap;
        }
        ref = ++e->nlong;
    }
    memcpy(e->long_ids[ref - 1], key, AW_TRACK_ID_MAX);
    return ref;
}

static void drop_long_id(aw_engine *e, const track *t)
{
    uint32_t ref;
    if (t->id[0])
        return;
    memcpy(&ref, t->id + 4, sizeof ref);
    memcpy(e->long_ids[ref - 1], &e->free_long, sizeof ref);
    e->free_long = ref;
}

uint64_t aw_engine_track_hash(const char *id)
{
    return hash_id(id);
}

int engine_tracks_init(aw_engine *e)
{
    e->nslots = 1024;
    e->slots = calloc(e->nslots, sizeof *e->slots);
    return e->slots ? 0 : -1;
}

void engine_tracks_free(aw_engine *e)
{
    for (uint32_t ref = 1; ref <= e->nused; ref++)
        free(track_at(e, ref)->visits); /* NULL for a free (evicted) record */
    for (uint32_t k = 0; k < e->nchunks; k++)
        free(e->chunks[k]);
    free(e->chunks);
    free(e->slots);
    free(e->long_ids);
}

void engine_tracks_reset(aw_engine *e)
{
    engine_tracks_free(e);
    e->slots = NULL;
    e->chunks = NULL;
    e->long_ids = NULL;
    e->nslots = e->ntracks = 0;
    e->nchunks = e->nused = e->free_tracks = e->newest = e->oldest = e->settled = 0;
    e->nlong = e->long_cap = e->free_long = 0;
    memset(e->free_blocks, 0, sizeof e->free_blocks); /* every candidate block back */
    e->block_bytes_pooled = 0;
    for (uint32_t ref = e->nblocks; ref >= 1; ref--)
        if (e->blocks[ref - 1]) {
            e->block_bytes_used = block_bytes_of(e->blocks[ref - 1]);
            engine_give_block(e, ref);
        }
    e->block_bytes_used = 0;
}

static int grow_table(aw_engine *e)
{
    size_t n = e->nslots * 2;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < e->nslots; i++) {
        uint32_t ref = e->slots[i];
        if (!ref)
            continue;
        size_t j = hash_id(track_id(e, track_at(e, ref))) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = ref;
    }
    free(e->slots);
    e->slots = slots;
    e->nslots = n;
    return 0;
}

/* A record for a new track: a freed one, or the slab's next. */
static uint32_t new_record(aw_engine *e)
{
    uint32_t ref = e->free_tracks;
    if (ref) {
        e->free_tracks = track_at(e, ref)->older;
        return ref;
    }
    if (e->nused == UINT32_MAX - 1)
        return 0;
    if (e->nused == (uint64_t)e->nchunks * TRACK_CHUNK) {
        track **chunks = realloc(e->chunks, (e->nchunks + 1) * sizeof *chunks);
        if (!chunks)
            return 0;
        e->chunks = chunks;
        if (!(chunks[e->nchunks] = malloc(TRACK_CHUNK * sizeof(track))))
            return 0;
        e->nchunks++;
    }
    return ++e->nused;
}

static void unlink_track(aw_engine *e, uint32_t ref)
{
    track *t = track_at(e, ref);
    if (e->settled == ref)
        e->settled = t->older;
    if (t->newer)
        track_at(e, t->newer)->older = t->older;
    else
        e->newest = t->older;
    if (t->older)
        track_at(e, t->older)->newer = t->newer;
    else
        e->oldest = t->newer;
    t->newer = t->older = 0;
}

static void touch_track(aw_engine *e, uint32_t ref)
{
    track *t = track_at(e, ref);
    if (e->settled == ref) /* it may take candidates again */
        e->settled = t->older;
    if (e->newest == ref)
        return;
    if (t->newer || t->older || e->oldest == ref)
        unlink_track(e, ref);
    t->older = e->newest;
    if (e->newest)
        track_at(e, e->newest)->newer = ref;
    e->newest = ref;
    if (!e->oldest)
        e->oldest = ref;
}

/* Remove a track from the table: backward-shift deletion keeps linear probing exact
 * without tombstones. */
static void evict_track(aw_engine *e, uint32_t ref)
{
    track *t = track_at(e, ref);
    engine_lose_track(e, t);
    unlink_track(e, ref);
    size_t mask = e->nslots - 1, i = hash_id(track_id(e, t)) & mask;
    while (e->slots[i] != ref)
        i = (i + 1) & mask;
    for (size_t j = (i + 1) & mask; e->slots[j]; j = (j + 1) & mask) {
        size_t home = hash_id(track_id(e, track_at(e, e->slots[j]))) & mask;
        /* Move slots[j] into the hole at i if its home is not within (i, j]. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            e->slots[i] = e->slots[j];
            i = j;
        }
    }
    e->slots[i] = 0;
    drop_long_id(e, t);
    free(t->visits);
    t->visits = NULL;
    t->older = e->free_tracks;
    e->free_tracks = ref;
    e->ntracks--;
    e->stats.evicted++;
}

uint32_t engine_new_track(aw_engine *e, const char *id)
{
    char key[AW_TRACK_ID_MAX];
    size_t len;
    padded_id(id, key, &len);
    uint32_t ref = new_record(e), long_ref = 0;
    if (!ref)
        return 0;
    track *t = track_at(e, ref);
    memset(t, 0, sizeof *t);
    if (len < TRACK_ID_INLINE) {
        memcpy(t->id, key, sizeof t->id);
    } else if ((long_ref = keep_long_id(e, key))) {
        memcpy(t->id + 4, &long_ref, sizeof long_ref);
    } else { /* the record goes back */
        t->older = e->free_tracks;
        e->free_tracks = ref;
        return 0;
    }
    t->time = NAN; /* no position yet */
    return ref;
}

track *engine_find_track(aw_engine *e, const char *id, uint64_t h)
{
    /* h, the id's FNV-1a, comes from the caller: a byte at a time, each waiting on the
     * multiply before, it was 2 % of a replay -- twice over when a reader that prefetches
     * (aw_engine_prefetch) had hashed the id already. */
    char key[AW_TRACK_ID_MAX];
    size_t len;
    pad_id(id, key, &len);
    for (;;) {
        size_t j = h & (e->nslots - 1);
        for (; e->slots[j]; j = (j + 1) & (e->nslots - 1)) {
            track *t = track_at(e, e->slots[j]);
            if (same_id(e, t, key, len)) {
                touch_track(e, e->slots[j]);
                return t;
            }
        }
        if (e->max_tracks && e->ntracks >= e->max_tracks && e->oldest) {
            evict_track(e, e->oldest);
            continue;
        }
        if (2 * (e->ntracks + 1) > e->nslots) {
            if (grow_table(e) < 0)
                return NULL;
            continue;
        }
        uint32_t ref = engine_new_track(e, id);
        if (!ref)
            return NULL;
        track *t = track_at(e, ref);
        e->slots[j] = ref;
        e->ntracks++;
        e->stats.tracks++;
        touch_track(e, ref);
        return t;
    }
}

int aw_engine_evict(aw_engine *e, const char *id)
{
    char key[AW_TRACK_ID_MAX];
    size_t len;
    uint64_t h = padded_id(id, key, &len);
    for (size_t j = h & (e->nslots - 1); e->slots[j]; j = (j + 1) & (e->nslots - 1))
        if (same_id(e, track_at(e, e->slots[j]), key, len)) {
            evict_track(e, e->slots[j]);
            return 1;
        }
    return 0;
}

void aw_engine_prefetch(const aw_engine *e, uint64_t hash, int stage)
{
    /* The first track probed is nearly always the one (the table is at most half full);
     * it is taken without comparing ids, since a wrong guess costs only a wasted fetch. */
    const uint32_t *slot = &e->slots[hash & (e->nslots - 1)];
    if (stage <= 0) {
        __builtin_prefetch(slot);
    } else if (*slot) {
        const track *t = track_at(e, *slot);
        if (stage == 1) {
            __builtin_prefetch(t);
            __builtin_prefetch((const char *)t + sizeof *t - 1);
        } else if (t->visits) {
            __builtin_prefetch(t->visits);
            __builtin_prefetch((const char *)t->visits + 64);
        }
    }
}

void engine_settle_idle(aw_engine *e, double idle_s)
{
    while (e->block_bytes_used > e->block_bytes_kept) {
        uint32_t ref = e->settled ? track_at(e, e->settled)->newer : e->oldest;
        if (!ref)
            return;
        track *t = track_at(e, ref);
        if (track_has_position(t) && !(e->now - t->time > idle_s))
            return; /* this one and those fed after it are still flying */
        for (uint32_t i = 0; i < track_nvisits(t); i++)
            if (t->visits->v[i].block)
                engine_settle_depth(e, &t->visits->v[i]);
        e->settled = ref;
    }
}
