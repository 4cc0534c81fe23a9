/* id_table.h -- a bounded hash table of fixed-size slots keyed by a track id.
 *
 * Two readers remember something per track over a whole input: readsb snapshots (the
 * last position seen, so a repeated one adds nothing) and the pipeline's trails (the time
 * of the last stored position). Both want the same thing: O(1) lookup by id, slots that
 * hold the id first (a NUL-padded char[AW_TRACK_ID_MAX]), and a bound on memory -- when
 * the table would pass its bound it is emptied, which only costs a repeated position or
 * an extra trail point. Linear probing, kept at most half full. */
#ifndef ADIZWATCH_ID_TABLE_H
#define ADIZWATCH_ID_TABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct id_table {
    unsigned char *slots;
    size_t slot_size;  /* bytes a slot; the slot starts with its id (char[AW_TRACK_ID_MAX]) */
    size_t first;      /* slots at the first growth (a power of two) */
    size_t max;        /* most slots (a power of two): past it the table is emptied */
    size_t nslots, used;
} id_table;

#define ID_TABLE_INIT(type, first_slots, max_slots) \
    {NULL, sizeof(type), (first_slots), (max_slots), 0, 0}

/* The slot of id, zeroed but for its id when new (*is_new says so); NULL without memory. */
void *id_table_slot(id_table *t, const char *id, bool *is_new);
void id_table_free(id_table *t);

#endif
