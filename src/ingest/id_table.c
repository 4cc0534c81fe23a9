/* id_table.c -- see id_table.h. */
#include "id_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/report.h"

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

/* Linear probing: the id's slot, or the empty one where it would go. */
static unsigned char *probe(const id_table *t, const char *id)
{
    size_t i = hash_id(id) & (t->nslots - 1);
    for (;;) {
        unsigned char *slot = t->slots + i * t->slot_size;
        if (!slot[0] || strcmp((const char *)slot, id) == 0)
            return slot;
        i = (i + 1) & (t->nslots - 1);
    }
}

void *id_table_slot(id_table *t, const char *id, bool *is_new)
{
    if (2 * (t->used + 1) > t->nslots) {
        size_t n = t->nslots ? 2 * t->nslots : t->first;
        if (n > t->max) {
            memset(t->slots, 0, t->nslots * t->slot_size);
            t->used = 0;
        } else {
            unsigned char *old = t->slots, *grown = calloc(n, t->slot_size);
            if (!grown)
                return NULL;
            size_t oldn = t->nslots;
            t->slots = grown;
            t->nslots = n;
            for (size_t i = 0; i < oldn; i++) {
                const unsigned char *s = old + i * t->slot_size;
                if (s[0])
                    memcpy(probe(t, (const char *)s), s, t->slot_size);
            }
            free(old);
        }
    }
    unsigned char *slot = probe(t, id);
    *is_new = !slot[0];
    if (*is_new) {
        size_t n = strlen(id);
        memcpy(slot, id, n < AW_TRACK_ID_MAX ? n : AW_TRACK_ID_MAX - 1);
        t->used++;
    }
    return slot;
}

void id_table_free(id_table *t)
{
    free(t->slots);
    t->slots = NULL;
    t->nslots = t->used = 0;
}
