/* track_recency.c -- the recency order of tracks, as one engine keeps it (see the header).
 *
 * The ids: linear probing on the id's hash, kept at most half full, backward-shift
 * deletion, as the engine's own table. The order: not a linked list, whose every touch
 * rewrites two neighbours scattered in memory, but a log of touches (entry, time) that
 * only grows at its end, each entry keeping the time of its last touch: the longest
 * idle track is the first touch of the log that is still its entry's last. The log is
 * compacted when half of it is stale, so it stays within a few times the tracks. A
 * touch then costs the lookup and two writes, one of them sequential. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "pipeline/track_recency.h"

typedef struct recency_entry {
    char id[AW_TRACK_ID_MAX]; /* NUL-padded, cut as the engine cuts it */
    uint64_t hash;            /* aw_engine_track_hash(id) */
    uint64_t last;            /* time of its last touch; 0: a free entry */
} recency_entry;

typedef struct recency_touch {
    uint32_t entry;
    uint64_t time;
} recency_touch;

int track_recency_init(track_recency *t, size_t max_tracks)
{
    memset(t, 0, sizeof *t);
    t->max_tracks = max_tracks;
    t->nslots = 1024;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    t->cap = 1024;
    t->entries = malloc(t->cap * sizeof *t->entries);
    t->nentries = 1;
    t->touches_cap = 4096;
    t->touches = malloc(t->touches_cap * sizeof *t->touches);
    if (!t->slots || !t->entries || !t->touches) {
        track_recency_free(t);
        return -1;
    }
    return 0;
}

void track_recency_free(track_recency *t)
{
    free(t->slots);
    free(t->entries);
    free(t->touches);
    t->slots = NULL;
    t->entries = NULL;
    t->touches = NULL;
}

static bool current(const track_recency *t, const recency_touch *k)
{
    return t->entries[k->entry].last == k->time;
}

/* Log a touch of entry i: compacted first when full and half stale, else grown. */
static int log_touch(track_recency *t, uint32_t i)
{
    if (t->first + t->ntouches == t->touches_cap) {
        if (2 * (t->ntracks + 1) <= t->touches_cap) {
            size_t n = 0;
            for (size_t k = t->first; k < t->first + t->ntouches; k++)
                if (current(t, &t->touches[k]))
                    t->touches[n++] = t->touches[k];
            t->first = 0;
            t->ntouches = n;
        } else {
            recency_touch *grown = realloc(t->touches, 2 * t->touches_cap * sizeof *grown);
            if (!grown)
                return -1;
            t->touches = grown;
            t->touches_cap *= 2;
        }
    }
    t->entries[i].last = ++t->clock;
    t->touches[t->first + t->ntouches++] = (recency_touch){i, t->clock};
    return 0;
}

static int grow_slots(track_recency *t)
{
    size_t n = t->nslots * 2;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i])
            continue;
        size_t j = t->entries[t->slots[i]].hash & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return 0;
}

/* Forget the longest idle track: out of the table, its entry freed. */
static void forget_oldest(track_recency *t, char id[AW_TRACK_ID_MAX])
{
    while (!current(t, &t->touches[t->first])) { /* stale: touched again since */
        t->first++;
        t->ntouches--;
    }
    uint32_t victim = t->touches[t->first].entry;
    t->first++;
    t->ntouches--;
    memcpy(id, t->entries[victim].id, AW_TRACK_ID_MAX);
    size_t mask = t->nslots - 1, i = t->entries[victim].hash & mask;
    while (t->slots[i] != victim)
        i = (i + 1) & mask;
    for (size_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
        size_t home = t->entries[t->slots[j]].hash & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) { /* home not within (i, j] */
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i] = 0;
    t->entries[victim].last = 0;
    t->entries[victim].hash = t->free_list; /* a free entry links to the next free one */
    t->free_list = victim;
    t->ntracks--;
}

int track_recency_touch(track_recency *t, const char *id, uint64_t hash,
                        char evicted[AW_TRACK_ID_MAX])
{
    char key[AW_TRACK_ID_MAX];
    size_t n = strnlen(id, AW_TRACK_ID_MAX - 1);
    memcpy(key, id, n);
    memset(key + n, 0, AW_TRACK_ID_MAX - n);
    size_t mask = t->nslots - 1, j = hash & mask;
    for (; t->slots[j]; j = (j + 1) & mask) {
        uint32_t i = t->slots[j];
        if (t->entries[i].hash == hash && memcmp(t->entries[i].id, key, sizeof key) == 0)
            return log_touch(t, i);
    }
    int forgot = 0;
    if (t->ntracks >= t->max_tracks && t->ntracks > 0) {
        forget_oldest(t, evicted);
        forgot = 1;
    }
    if (2 * (t->ntracks + 1) > t->nslots && grow_slots(t) < 0)
        return -1;
    uint32_t i = t->free_list;
    if (i) {
        t->free_list = (uint32_t)t->entries[i].hash;
    } else {
        if (t->nentries == t->cap) {
            recency_entry *grown = realloc(t->entries, 2 * (size_t)t->cap * sizeof *grown);
            if (!grown)
                return -1;
            t->entries = grown;
            t->cap *= 2;
        }
        i = t->nentries++;
    }
    memcpy(t->entries[i].id, key, sizeof key);
    t->entries[i].hash = hash;
    mask = t->nslots - 1;
    for (j = hash & mask; t->slots[j]; j = (j + 1) & mask)
        ;
    t->slots[j] = i;
    t->ntracks++;
    if (log_touch(t, i) < 0)
        return -1;
    return forgot;
}

void track_recency_prefetch(const track_recency *t, uint64_t hash, int stage)
{
    const uint32_t *slot = &t->slots[hash & (t->nslots - 1)];
    if (stage == 0)
        __builtin_prefetch(slot);
    else if (*slot) /* the first probed is nearly always the one: the table is half empty */
        __builtin_prefetch(&t->entries[*slot]);
}
