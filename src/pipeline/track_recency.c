/* track_recency.c -- the recency order of tracks, as one engine keeps it (see the header).
 *
 * The same structure as the engine's own: linear probing on the id's hash, kept at most
 * half full, backward-shift deletion, and a doubly linked list from the most to the least
 * recently touched. Entries are 48 bytes in one array and linked by index, so that the
 * table costs a fraction of what the engines keep per track. */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "pipeline/track_recency.h"

typedef struct recency_entry {
    char id[AW_TRACK_ID_MAX]; /* NUL-padded, cut as the engine cuts it */
    uint64_t hash;            /* aw_engine_track_hash(id); free entries: unused */
    uint32_t newer, older;    /* free entries: older is the next free one */
} recency_entry;

int track_recency_init(track_recency *t, size_t max_tracks)
{
    memset(t, 0, sizeof *t);
    t->max_tracks = max_tracks;
    t->nslots = 1024;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    t->cap = 1024;
    t->entries = malloc(t->cap * sizeof *t->entries);
    t->nentries = 1;
    if (!t->slots || !t->entries) {
        track_recency_free(t);
        return -1;
    }
    return 0;
}

void track_recency_free(track_recency *t)
{
    free(t->slots);
    free(t->entries);
    t->slots = NULL;
    t->entries = NULL;
}

static void unlink_entry(track_recency *t, uint32_t i)
{
    recency_entry *e = &t->entries[i];
    if (e->newer)
        t->entries[e->newer].older = e->older;
    else
        t->newest = e->older;
    if (e->older)
        t->entries[e->older].newer = e->newer;
    else
        t->oldest = e->newer;
}

static void push_newest(track_recency *t, uint32_t i)
{
    recency_entry *e = &t->entries[i];
    e->newer = 0;
    e->older = t->newest;
    if (t->newest)
        t->entries[t->newest].newer = i;
    t->newest = i;
    if (!t->oldest)
        t->oldest = i;
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

/* Forget the oldest track: out of the list, out of the table, its entry freed. */
static void forget_oldest(track_recency *t, char id[AW_TRACK_ID_MAX])
{
    uint32_t victim = t->oldest;
    memcpy(id, t->entries[victim].id, AW_TRACK_ID_MAX);
    unlink_entry(t, victim);
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
    t->entries[victim].older = t->free_list;
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
        if (t->entries[i].hash == hash && memcmp(t->entries[i].id, key, sizeof key) == 0) {
            if (t->newest != i) {
                unlink_entry(t, i);
                push_newest(t, i);
            }
            return 0;
        }
    }
    int forgot = 0;
    if (t->ntracks >= t->max_tracks && t->oldest) {
        forget_oldest(t, evicted);
        forgot = 1;
    }
    if (2 * (t->ntracks + 1) > t->nslots) {
        if (grow_slots(t) < 0)
            return -1;
    }
    uint32_t i = t->free_list;
    if (i) {
        t->free_list = t->entries[i].older;
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
    push_newest(t, i);
    return forgot;
}
