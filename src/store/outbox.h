/* outbox.h -- the alert outbox in a store's SQLite file. Internal to the library: the
 * deliverer (src/deliver/deliver.c) is its one user.
 *
 * Two tables: `alerts`, every alert ever queued (id, time, JSON) -- the record, which
 * also makes queueing idempotent -- and `outbox`, one row per alert and sink still to be
 * acknowledged. Writes go through the store's connection, in its transaction; each sink
 * reads through a connection of its own (WAL: a reader never waits for the writer and
 * sees only committed rows). */
#ifndef ADIZWATCH_OUTBOX_H
#define ADIZWATCH_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "adizwatch/store.h"

/* Create the tables if the file has none. Returns 0, or -1 with the reason. */
int aw_outbox_setup(aw_store *s, char *err, size_t errlen);

/* Queue the alert for each sink (keys: the sinks' URLs), in the open transaction. An id
 * already in `alerts` is ignored. Returns 1 if queued, 0 if known, -1 on error. */
int aw_outbox_queue(aw_store *s, const char *id, double time, const char *json,
                    const char *const *sinks, int nsinks, char *err, size_t errlen);

/* Remove acknowledged rows (by seq), in the open transaction. Returns 0 or -1. */
int aw_outbox_ack(aw_store *s, const int64_t *seqs, size_t n, char *err, size_t errlen);

/* Rows still queued (for one sink, or all with NULL), or -1. */
long aw_outbox_pending(aw_store *s, const char *sink);

/* The distinct sinks that have rows queued, as malloc'ed strings (*n of them), or NULL
 * (with *n = 0 when there are none). */
char **aw_outbox_sinks(aw_store *s, int *n);

typedef struct aw_outbox_reader aw_outbox_reader;

typedef struct aw_outbox_item {
    int64_t seq;
    char id[40];
    char *json; /* malloc'ed */
} aw_outbox_item;

aw_outbox_reader *aw_outbox_reader_open(const char *path, char *err, size_t errlen);
/* Up to max rows of the sink with seq > after, in seq order, into items. Returns how
 * many, or -1. Free each item's json (aw_outbox_items_free). */
int aw_outbox_read(aw_outbox_reader *r, const char *sink, int64_t after, aw_outbox_item *items,
                   int max);
void aw_outbox_items_free(aw_outbox_item *items, int n);
void aw_outbox_reader_close(aw_outbox_reader *r);

#endif
