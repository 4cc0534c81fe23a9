/* store.h -- events and visits kept in a SQLite file.
 *
 * The store is the record of what happened: every event once, whatever the number of
 * replays of the same input (events are unique by track, zone, type and time to the
 * millisecond), and one row per visit (an enter and, once it comes, its exit). It runs
 * in WAL mode and commits at least every second of wall time and on close, so a killed
 * process loses at most the last second of uncommitted work -- never a committed event. */
#ifndef ADIZWATCH_STORE_H
#define ADIZWATCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef struct aw_store aw_store;

/* Open (creating if needed) the store file. Returns NULL with a reason in err. */
aw_store *aw_store_open(const char *path, char *err, size_t errlen);
/* Commit what is pending and close. Returns 0, or -1 if the last commit failed. */
int aw_store_close(aw_store *s);

/* Add one event (inside the current transaction). An event already in the file is
 * ignored. Commits if a second of wall time has passed since the last commit.
 * Returns 1 if added, 0 if it was already there, -1 on error (reason in err). */
int aw_store_add(aw_store *s, const aw_event *ev, char *err, size_t errlen);

/* Commit now if a second has passed since the last commit (call it from idle loops). */
int aw_store_tick(aw_store *s);
/* Commit now. Returns 0 or -1. */
int aw_store_commit(aw_store *s);

/* Number of events added by this handle and committed so far. */
uint64_t aw_store_committed(const aw_store *s);

/* Query filter; NULL / NAN fields mean "any". */
typedef struct aw_event_query {
    const char *zone;
    const char *track;
    double since; /* epoch seconds, inclusive; NAN = no bound */
    double until; /* epoch seconds, inclusive; NAN = no bound */
} aw_event_query;

/* Call fn for each stored event matching q, in time order. Returns the number of events
 * visited, or -1 on error (reason in err). fn returning non-zero stops the walk. */
long aw_store_query(aw_store *s, const aw_event_query *q,
                    int (*fn)(const aw_event *ev, void *user), void *user,
                    char *err, size_t errlen);

#endif
