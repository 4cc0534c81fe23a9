/* store.h -- events and visits kept in a SQLite file.
 *
 * The store is the record of what happened: every event once, whatever the number of
 * replays of the same input (events are unique by track, zone, type and time to the
 * millisecond), and one row per visit (an enter and, once it comes, its exit). It runs
 * in WAL mode and commits at least every second of wall time and on close, so a killed
 * process loses at most the last second of uncommitted work -- never a committed event. */
#ifndef ADIZWATCH_STORE_H
#define ADIZWATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_store aw_store;

/* Open (creating if needed) the store file. Returns NULL with a reason in err. */
aw_store *aw_store_open(const char *path, char *err, size_t errlen);
/* Commit what is pending and close. Returns 0, or -1 if the last commit failed. */
int aw_store_close(aw_store *s);

/* Add one event (inside the current transaction). An event already in the file is
 * ignored. Commits if a second of wall time has passed since the last commit.
 * Returns 1 if added, 0 if it was already there, -1 on error (reason in err: the event
 * is not kept), or -2 when the event is in the open transaction but the commit after it
 * failed, busy (reason in err): the next commit tries again. */
int aw_store_add(aw_store *s, const aw_event *ev, char *err, size_t errlen);

/* Commit now if a second has passed since the last commit (call it from idle loops). */
int aw_store_tick(aw_store *s);
/* Commit now. Returns 0 or -1. */
int aw_store_commit(aw_store *s);

/* Number of events added by this handle and committed so far. */
uint64_t aw_store_committed(const aw_store *s);
/* True while a transaction is open: what was added since the last commit is not yet in
 * the file. False right after a commit, and after a failure that rolled the open
 * transaction back (what it held is lost; the call that failed said so). */
bool aw_store_in_transaction(const aw_store *s);

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

/* Every stored event, in time order: a malloc'ed array of *n events (free() it; not NULL
 * when there are none), or NULL with the reason in err. */
aw_event *aw_store_events_all(aw_store *s, size_t *n, char *err, size_t errlen);

/* ---- positions: a sampled trail of every track ----------------------------------
 *
 * Patrol analysis and report maps need where aircraft flew, not just where they crossed a
 * boundary. `replay --db` and `watch --db` keep one report per track every
 * --trail-interval seconds (default 30), plus each track's first. */
typedef struct aw_position {
    char track[AW_TRACK_ID_MAX];
    char callsign[AW_CALLSIGN_MAX]; /* "" = none known */
    double time, lat, lon;          /* epoch seconds UTC; WGS84 degrees */
    double alt_ft;                  /* NAN = unknown */
} aw_position;

/* Add a position (in the current transaction). Unique by track and time to the ms: a
 * duplicate is ignored. Returns 1 if added, 0 if already there, -1 on error. */
int aw_store_add_position(aw_store *s, const aw_position *p, char *err, size_t errlen);

/* Call fn for each position with from <= time < to (NAN = unbounded), ordered by track
 * and then time. Returns the number visited or -1 (reason in err); fn returning non-zero
 * stops the walk. */
long aw_store_positions(aw_store *s, double from, double to,
                        int (*fn)(const aw_position *p, void *user), void *user,
                        char *err, size_t errlen);

/* ---- records: events other than zone enter/exit ---------------------------------
 *
 * Patrol analysis, scramble advice and intercepts produce events of their own, with
 * fields of their own. They are kept whole, as the JSON object the CLI prints, beside
 * their type, track, time and position for querying. */
typedef struct aw_record {
    const char *type;      /* "scramble_advice", "intercept", "group", "takeoff", ... */
    const char *track;     /* the track it is about; "" if none */
    double time;           /* epoch seconds UTC */
    double lat, lon;       /* NAN if it has no position */
    const char *json;      /* the whole event as one JSON object */
} aw_record;

/* Add a record (in the current transaction). A record equal to one stored (same type,
 * track, time to the ms and JSON) is ignored, so replays add nothing twice while two
 * different records of one moment (Korea's and Japan's advice on the same report) are
 * both kept. Returns 1 if added, 0 if already there, -1 on error. */
int aw_store_add_record(aw_store *s, const aw_record *r, char *err, size_t errlen);

/* Call fn for each record of this type (NULL: every type) with from <= time < to (NAN =
 * unbounded), in time order. The strings are valid during the call only. Returns the
 * number visited or -1 (reason in err); fn returning non-zero stops the walk. */
long aw_store_records(aw_store *s, const char *type, double from, double to,
                      int (*fn)(const aw_record *r, void *user), void *user,
                      char *err, size_t errlen);

/* ---- provenance: where the tracks came from -------------------------------------
 *
 * A report must say whether it rests on recorded or simulated tracks, and what each
 * simulated item assumes (docs/report.md). `replay --db` keeps one row per input it
 * read, so that `report` knows without being told again. */
typedef struct aw_provenance {
    const char *input;    /* the file as given, "stdin" for standard input */
    const char *format;   /* "csv", "sbs", "asterix", "beast", "raw" */
    const char *tracks;   /* "recorded" or "simulated" */
    const char *receiver; /* receiver or radar site as given, "" if none */
    const char *detail;   /* a simulated input's provenance JSON (sim.h), NULL if none */
} aw_provenance;

/* Add an input's provenance (in the current transaction); one equal to a stored one is
 * ignored. Returns 1 if added, 0 if already there, -1 on error (reason in err). */
int aw_store_add_provenance(aw_store *s, const aw_provenance *p, char *err, size_t errlen);

/* Call fn for each stored provenance, in the order added. Strings are valid during the
 * call only. Returns the number visited, or -1 (reason in err). */
long aw_store_provenance(aw_store *s, int (*fn)(const aw_provenance *p, void *user), void *user,
                         char *err, size_t errlen);

AW_END_DECLS
#endif
