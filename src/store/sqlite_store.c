/* sqlite_store.c -- the SQLite file behind store.h.
 *
 * Events are the record; visits are derived from them as they arrive, in the same
 * transaction, so the two tables never disagree. Writes are batched into one
 * transaction per second of wall time: a commit per event would cost an fsync per
 * event, while a second's batch bounds what a killed process can lose. */
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/store.h"

/* 2 added positions and records, 3 provenance; an older file gains them when opened. */
#define SCHEMA_VERSION 3
#define STR_(x) #x
#define STR(x) STR_(x)
#define COMMIT_INTERVAL_S 1.0

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS events("
    " id INTEGER PRIMARY KEY, track TEXT NOT NULL, zone TEXT NOT NULL,"
    " type TEXT NOT NULL CHECK(type IN ('enter','exit')), cause TEXT NOT NULL,"
    " time_ms INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, alt_ft REAL,"
    " callsign TEXT, dwell_s REAL, max_depth_m REAL,"
    " UNIQUE(track, zone, type, time_ms));"
    "CREATE INDEX IF NOT EXISTS events_zone_time ON events(zone, time_ms);"
    "CREATE INDEX IF NOT EXISTS events_track_time ON events(track, time_ms);"
    "CREATE INDEX IF NOT EXISTS events_time ON events(time_ms);"
    "CREATE TABLE IF NOT EXISTS visits("
    " id INTEGER PRIMARY KEY, track TEXT NOT NULL, zone TEXT NOT NULL,"
    " enter_ms INTEGER NOT NULL, enter_cause TEXT NOT NULL, enter_lat REAL, enter_lon REAL,"
    " exit_ms INTEGER, exit_cause TEXT, exit_lat REAL, exit_lon REAL,"
    " dwell_s REAL, max_depth_m REAL, callsign TEXT,"
    " UNIQUE(track, zone, enter_ms));"
    /* Analysts ask "what happened in zone Z between dates" far more than anything else. */
    "CREATE INDEX IF NOT EXISTS visits_zone_enter ON visits(zone, enter_ms);"
    /* A sampled trail per track, for analysis after the fact and maps. */
    "CREATE TABLE IF NOT EXISTS positions("
    " track TEXT NOT NULL, time_ms INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
    " alt_ft REAL, callsign TEXT, PRIMARY KEY(track, time_ms)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS positions_time ON positions(time_ms);"
    /* Events other than zone enter/exit, each kept whole as the JSON the CLI prints. */
    "CREATE TABLE IF NOT EXISTS records("
    " id INTEGER PRIMARY KEY, type TEXT NOT NULL, track TEXT NOT NULL, time_ms INTEGER NOT NULL,"
    " lat REAL, lon REAL, json TEXT NOT NULL, UNIQUE(type, track, time_ms, json));"
    "CREATE INDEX IF NOT EXISTS records_time ON records(time_ms);"
    /* Where the tracks came from, one row per input read (docs/report.md). */
    "CREATE TABLE IF NOT EXISTS provenance("
    " id INTEGER PRIMARY KEY, input TEXT NOT NULL, format TEXT NOT NULL,"
    " tracks TEXT NOT NULL CHECK(tracks IN ('recorded','simulated')), receiver TEXT NOT NULL,"
    " detail TEXT NOT NULL, UNIQUE(input, format, tracks, receiver, detail));"
    "PRAGMA user_version = " STR(SCHEMA_VERSION) ";";

enum {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_UNDO_EVENT, ST_INSERT_EVENT,
    ST_ADOPT_VISIT, ST_OPEN_VISIT, ST_CLOSE_VISIT, ST_INFER_VISIT,
    ST_INSERT_POSITION, ST_INSERT_RECORD, ST_INSERT_PROVENANCE,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_UNDO_EVENT] = "DELETE FROM events WHERE id = ?1",
    [ST_INSERT_EVENT] =
        "INSERT OR IGNORE INTO events(track, zone, type, cause, time_ms, lat, lon, alt_ft,"
        " callsign, dwell_s, max_depth_m) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    /* An enter replayed into a store that first saw only the exit (opened mid-visit)
     * belongs to the visit inferred then: give it its real start instead of opening a
     * second visit that no exit would ever close. The inferred start came from
     * exit - dwell, each rounded to the millisecond, hence the 1 ms slack. */
    [ST_ADOPT_VISIT] =
        "UPDATE OR IGNORE visits SET enter_ms = ?3, enter_cause = ?4, enter_lat = ?5,"
        " enter_lon = ?6, callsign = COALESCE(callsign, ?7)"
        " WHERE id = (SELECT id FROM visits WHERE track = ?1 AND zone = ?2"
        "  AND enter_cause = 'unknown' AND enter_ms BETWEEN ?3 - 1 AND ?3 + 1 LIMIT 1)",
    [ST_OPEN_VISIT] =
        "INSERT OR IGNORE INTO visits(track, zone, enter_ms, enter_cause, enter_lat, enter_lon,"
        " callsign) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_CLOSE_VISIT] =
        "UPDATE visits SET exit_ms = ?3, exit_cause = ?4, exit_lat = ?5, exit_lon = ?6,"
        " dwell_s = ?8, max_depth_m = ?9, callsign = COALESCE(?7, callsign)"
        " WHERE id = (SELECT id FROM visits WHERE track = ?1 AND zone = ?2"
        "  AND enter_ms <= ?3 AND exit_ms IS NULL ORDER BY enter_ms DESC LIMIT 1)",
    [ST_INFER_VISIT] =
        "INSERT OR IGNORE INTO visits(track, zone, enter_ms, enter_cause, exit_ms, exit_cause,"
        " exit_lat, exit_lon, dwell_s, max_depth_m, callsign)"
        " VALUES(?1, ?2, ?10, 'unknown', ?3, ?4, ?5, ?6, ?8, ?9, ?7)",
    [ST_INSERT_POSITION] =
        "INSERT OR IGNORE INTO positions(track, time_ms, lat, lon, alt_ft, callsign)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_INSERT_RECORD] =
        "INSERT OR IGNORE INTO records(type, track, time_ms, lat, lon, json)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_INSERT_PROVENANCE] =
        "INSERT OR IGNORE INTO provenance(input, format, tracks, receiver, detail)"
        " VALUES(?1, ?2, ?3, ?4, ?5)",
};

/* One cached query per combination of filters (zone, track, since, until), so each
 * gets a plan that can use the matching index. */
#define QUERY_SHAPES 16

struct aw_store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    sqlite3_stmt *query[QUERY_SHAPES];
    bool in_txn;
    uint64_t pending;   /* inserted since the open transaction began */
    uint64_t committed; /* inserted by this handle and committed */
    struct timespec last_commit;
};

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

/* Runs a statement that returns no rows we need; returns the SQLite result code. The
 * bindings are cleared so no statement keeps pointing into a caller's event. */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

static void finalize_all(aw_store *s)
{
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    for (int i = 0; i < QUERY_SHAPES; i++)
        sqlite3_finalize(s->query[i]);
}

/* Runs one PRAGMA that answers with a single value, copying it into out (may be NULL). */
static int pragma(sqlite3 *db, const char *sql, char *out, size_t outlen)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && out) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        snprintf(out, outlen, "%s", v ? (const char *)v : "");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Creates the schema if the file has none, and refuses a schema newer than ours. The
 * version is read inside an immediate transaction so two processes creating the same
 * new file at once take turns. */
static int setup_schema(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    char version[32];
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        pragma(db, "PRAGMA user_version", version, sizeof version) != SQLITE_OK) {
        snprintf(err, errlen, "store '%s': cannot read schema version: %s", path,
                 sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    long v = strtol(version, NULL, 10);
    if (v > SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "store '%s' has schema version %ld, newer than the %d this adizwatch "
                 "understands; use a newer adizwatch",
                 path, v, SCHEMA_VERSION);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (v < SCHEMA_VERSION && sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store '%s': cannot create schema: %s", path, sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store '%s': cannot commit schema: %s", path, sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

aw_store *aw_store_open(const char *path, char *err, size_t errlen)
{
    aw_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "store '%s': out of memory", path);
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store '%s': %s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char mode[16] = "";
    if (pragma(s->db, "PRAGMA journal_mode=WAL", mode, sizeof mode) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store '%s': %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    /* In-memory databases have no WAL; everywhere else it is what lets readers (report,
     * an analyst's sqlite3) run while we write, and keeps a killed writer's file sound. */
    if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0) {
        snprintf(err, errlen, "store '%s': cannot switch to WAL mode (journal mode is '%s')",
                 path, mode);
        goto fail;
    }
    /* FULL rather than NORMAL: in WAL mode NORMAL survives a killed process but not a
     * power cut, which can drop the last commits. FULL adds an fsync of the WAL per
     * commit. Measured through this file on ext4 / virtio: 0.36-0.41 ms mean per
     * commit of 1-10 events (NORMAL 0.09-0.15 ms), 1.2 ms for 100 events (NORMAL
     * 0.95 ms, the page writes dominate), worst cases a few ms in both modes. That is
     * within a ~1 ms budget for ordinary batches and, at about one commit a second,
     * under 0.1% of wall time for the promise that committed means kept. */
    if (pragma(s->db, "PRAGMA synchronous=FULL", NULL, 0) != SQLITE_OK) {
        snprintf(err, errlen, "store '%s': cannot set synchronous mode: %s", path,
                 sqlite3_errmsg(s->db));
        goto fail;
    }
    if (setup_schema(s->db, path, err, errlen) != 0)
        goto fail;
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            snprintf(err, errlen, "store '%s': unexpected schema (%s)", path,
                     sqlite3_errmsg(s->db));
            goto fail;
        }
    clock_gettime(CLOCK_MONOTONIC, &s->last_commit);
    return s;
fail:
    finalize_all(s);
    sqlite3_close(s->db);
    free(s);
    return NULL;
}

/* After a failed statement: if SQLite rolled the whole transaction back (disk full, I/O
 * error), our idea of what is pending must follow. Returns true if work was lost. */
static bool note_rollback(aw_store *s)
{
    if (!s->in_txn || !sqlite3_get_autocommit(s->db))
        return false;
    bool lost = s->pending > 0;
    s->in_txn = false;
    s->pending = 0;
    return lost;
}

int aw_store_commit(aw_store *s)
{
    if (!s->in_txn) {
        clock_gettime(CLOCK_MONOTONIC, &s->last_commit);
        return 0;
    }
    if (run(s->st[ST_COMMIT]) != SQLITE_DONE) {
        /* A busy COMMIT leaves the transaction open to retry; anything worse ends it. */
        note_rollback(s);
        return -1;
    }
    s->in_txn = false;
    s->committed += s->pending;
    s->pending = 0;
    clock_gettime(CLOCK_MONOTONIC, &s->last_commit);
    return 0;
}

/* The reason a commit failed; a failure that ended the transaction (anything but busy)
 * lost what it held, and says so. */
static void commit_failed(aw_store *s, char *err, size_t errlen)
{
    snprintf(err, errlen, "cannot commit: %s%s", sqlite3_errmsg(s->db),
             s->in_txn ? "" : " (events since the last commit were lost)");
}

int aw_store_tick(aw_store *s)
{
    if (seconds_since(&s->last_commit) < COMMIT_INTERVAL_S)
        return 0;
    return aw_store_commit(s);
}

uint64_t aw_store_committed(const aw_store *s) { return s->committed; }

bool aw_store_in_transaction(const aw_store *s) { return s->in_txn; }

int aw_store_close(aw_store *s)
{
    if (!s)
        return 0;
    int rc = aw_store_commit(s);
    finalize_all(s);
    /* Every statement is finalized, so this cannot be refused; if the commit failed,
     * closing rolls the open transaction back. */
    sqlite3_close(s->db);
    free(s);
    return rc;
}

static int64_t to_ms(double t) { return (int64_t)llround(t * 1000.0); }

/* Binds the parameters shared by the visit statements: ?1 track, ?2 zone, ?3 time_ms,
 * ?4 cause, ?5 lat, ?6 lon, ?7 callsign (NULL if none), ?8 dwell, ?9 depth, ?10 the
 * start inferred from the dwell. Statements ignore what they do not name. */
static void bind_visit(sqlite3_stmt *st, const aw_event *ev)
{
    int64_t ms = to_ms(ev->time);
    sqlite3_bind_text(st, 1, ev->track, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ev->zone, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ms);
    sqlite3_bind_text(st, 4, aw_event_cause_name(ev->cause), -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, ev->lat);
    sqlite3_bind_double(st, 6, ev->lon);
    if (ev->callsign[0])
        sqlite3_bind_text(st, 7, ev->callsign, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 7);
    int n = sqlite3_bind_parameter_count(st);
    if (n < 8)
        return;
    bool dwell_known = isfinite(ev->dwell_s);
    if (dwell_known)
        sqlite3_bind_double(st, 8, ev->dwell_s);
    else
        sqlite3_bind_null(st, 8);
    if (isfinite(ev->max_depth_m))
        sqlite3_bind_double(st, 9, ev->max_depth_m);
    else
        sqlite3_bind_null(st, 9);
    if (n >= 10)
        sqlite3_bind_int64(st, 10, dwell_known ? ms - to_ms(ev->dwell_s) : ms);
}

/* Inserts the event row; sets *inserted when it was not already there. */
static int insert_event(aw_store *s, const aw_event *ev, bool *inserted)
{
    sqlite3_stmt *ins = s->st[ST_INSERT_EVENT];
    bool is_exit = ev->type == AW_EXIT;
    sqlite3_bind_text(ins, 1, ev->track, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, ev->zone, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, aw_event_type_name(ev->type), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, aw_event_cause_name(ev->cause), -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 5, to_ms(ev->time));
    sqlite3_bind_double(ins, 6, ev->lat);
    sqlite3_bind_double(ins, 7, ev->lon);
    /* SQLite stores a bound NaN as NULL, which is what an unknown number should be. */
    sqlite3_bind_double(ins, 8, ev->alt_ft);
    if (ev->callsign[0])
        sqlite3_bind_text(ins, 9, ev->callsign, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(ins, 9);
    sqlite3_bind_double(ins, 10, is_exit ? ev->dwell_s : NAN);
    sqlite3_bind_double(ins, 11, is_exit ? ev->max_depth_m : NAN);
    int rc = run(ins);
    *inserted = rc == SQLITE_DONE && sqlite3_changes(s->db) > 0;
    return rc;
}

/* Opens or closes the visit a new event belongs to. */
static int update_visit(aw_store *s, const aw_event *ev)
{
    bool is_exit = ev->type == AW_EXIT;
    sqlite3_stmt *first = s->st[is_exit ? ST_CLOSE_VISIT : ST_ADOPT_VISIT];
    sqlite3_stmt *fallback = s->st[is_exit ? ST_INFER_VISIT : ST_OPEN_VISIT];
    bind_visit(first, ev);
    int rc = run(first);
    if (rc != SQLITE_DONE || sqlite3_changes(s->db) > 0)
        return rc;
    bind_visit(fallback, ev);
    return run(fallback);
}

/* Every write goes into the transaction of the current second. */
static int begin(aw_store *s, char *err, size_t errlen)
{
    if (s->in_txn)
        return 0;
    if (run(s->st[ST_BEGIN]) != SQLITE_DONE) {
        snprintf(err, errlen, "cannot begin a transaction: %s", sqlite3_errmsg(s->db));
        return -1;
    }
    s->in_txn = true;
    return 0;
}

int aw_store_add(aw_store *s, const aw_event *ev, char *err, size_t errlen)
{
    if (!isfinite(ev->time) || !isfinite(ev->lat) || !isfinite(ev->lon)) {
        snprintf(err, errlen, "event %s/%s: time and position must be known", ev->track,
                 ev->zone);
        return -1;
    }
    if (begin(s, err, errlen) < 0)
        return -1;
    bool inserted = false;
    int rc = insert_event(s, ev, &inserted);
    /* Only a new event changes its visit, so replaying an input changes nothing. */
    if (rc == SQLITE_DONE && inserted) {
        sqlite3_int64 row = sqlite3_last_insert_rowid(s->db);
        if ((rc = update_visit(s, ev)) != SQLITE_DONE) {
            /* An event kept without its visit change would never get one: a retry finds
             * the event and stops. So take the event back out, or if even that fails,
             * the whole open transaction. (Undoing by hand, rather than a savepoint per
             * event, because a savepoint made every insert four times slower.) */
            snprintf(err, errlen, "cannot store event %s/%s: %s", ev->track, ev->zone,
                     sqlite3_errmsg(s->db));
            if (!sqlite3_get_autocommit(s->db)) {
                sqlite3_bind_int64(s->st[ST_UNDO_EVENT], 1, row);
                if (run(s->st[ST_UNDO_EVENT]) != SQLITE_DONE)
                    run(s->st[ST_ROLLBACK]);
            }
            size_t len = errlen ? strlen(err) : 0;
            if (note_rollback(s) && len + 1 < errlen)
                snprintf(err + len, errlen - len, " (events since the last commit were lost)");
            return -1;
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "cannot store event %s/%s: %s", ev->track, ev->zone,
                 sqlite3_errmsg(s->db));
        size_t len = errlen ? strlen(err) : 0;
        if (note_rollback(s) && len + 1 < errlen)
            snprintf(err + len, errlen - len, " (events since the last commit were lost)");
        return -1;
    }
    if (inserted)
        s->pending++;
    /* If this commit fails the event stays in the open transaction (a busy COMMIT can
     * be retried by the next one), but the caller should hear about it now. */
    if (seconds_since(&s->last_commit) >= COMMIT_INTERVAL_S && aw_store_commit(s) != 0) {
        commit_failed(s, err, errlen);
        return s->in_txn ? -2 : -1;
    }
    return inserted ? 1 : 0;
}

/* Copies a text column into a fixed field, truncating; NULL becomes "". */
static void column_text(sqlite3_stmt *st, int col, char *out, size_t n)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    size_t len = v ? strlen((const char *)v) : 0;
    if (len >= n)
        len = n - 1;
    if (len)
        memcpy(out, v, len);
    out[len] = '\0';
}

static double column_real(sqlite3_stmt *st, int col, double if_null)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? if_null : sqlite3_column_double(st, col);
}

/* The statement for this combination of filters, prepared on first use. A query run
 * from inside another query's callback cannot share the busy cached statement, so it
 * gets its own (*owned tells the caller to finalize it). */
static sqlite3_stmt *query_stmt(aw_store *s, unsigned shape, bool *owned)
{
    *owned = s->query[shape] && sqlite3_stmt_busy(s->query[shape]);
    if (!*owned && s->query[shape])
        return s->query[shape];
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT track, zone, type, cause, time_ms, lat, lon, alt_ft, callsign, dwell_s,"
             " max_depth_m FROM events WHERE 1%s%s%s%s ORDER BY time_ms, id",
             shape & 1 ? " AND zone = ?1" : "", shape & 2 ? " AND track = ?2" : "",
             shape & 4 ? " AND time_ms >= ?3" : "", shape & 8 ? " AND time_ms <= ?4" : "");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, *owned ? 0 : SQLITE_PREPARE_PERSISTENT, &st, NULL)
        != SQLITE_OK)
        return NULL;
    if (!*owned)
        s->query[shape] = st;
    return st;
}

long aw_store_query(aw_store *s, const aw_event_query *q,
                    int (*fn)(const aw_event *ev, void *user), void *user,
                    char *err, size_t errlen)
{
    unsigned shape = (q && q->zone ? 1u : 0u) | (q && q->track ? 2u : 0u) |
                     (q && !isnan(q->since) ? 4u : 0u) | (q && !isnan(q->until) ? 8u : 0u);
    bool owned;
    sqlite3_stmt *st = query_stmt(s, shape, &owned);
    if (!st) {
        snprintf(err, errlen, "cannot query events: %s", sqlite3_errmsg(s->db));
        return -1;
    }
    /* Bounds are inclusive and compared in whole milliseconds, as the rows are stored;
     * infinite bounds are clamped so llround stays defined. */
    if (shape & 1)
        sqlite3_bind_text(st, 1, q->zone, -1, SQLITE_STATIC);
    if (shape & 2)
        sqlite3_bind_text(st, 2, q->track, -1, SQLITE_STATIC);
    if (shape & 4)
        sqlite3_bind_int64(st, 3, to_ms(fmax(fmin(q->since, 9e15), -9e15)));
    if (shape & 8)
        sqlite3_bind_int64(st, 4, to_ms(fmax(fmin(q->until, 9e15), -9e15)));
    long count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        aw_event ev;
        char type[16], cause[16];
        column_text(st, 0, ev.track, sizeof ev.track);
        column_text(st, 1, ev.zone, sizeof ev.zone);
        column_text(st, 2, type, sizeof type);
        column_text(st, 3, cause, sizeof cause);
        if (aw_event_type_parse(type, &ev.type) != 0 ||
            aw_event_cause_parse(cause, &ev.cause) != 0) {
            snprintf(err, errlen, "event %s/%s at %lld ms has unknown type '%s' or cause '%s'",
                     ev.track, ev.zone, (long long)sqlite3_column_int64(st, 4), type, cause);
            count = -1;
            break;
        }
        ev.time = (double)sqlite3_column_int64(st, 4) / 1000.0;
        ev.lat = sqlite3_column_double(st, 5);
        ev.lon = sqlite3_column_double(st, 6);
        ev.alt_ft = column_real(st, 7, NAN);
        column_text(st, 8, ev.callsign, sizeof ev.callsign);
        ev.dwell_s = column_real(st, 9, 0.0);
        ev.max_depth_m = column_real(st, 10, 0.0);
        count++;
        if (fn && fn(&ev, user) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (count >= 0 && rc != SQLITE_DONE) {
        snprintf(err, errlen, "cannot query events: %s", sqlite3_errmsg(s->db));
        count = -1;
    }
    if (owned)
        sqlite3_finalize(st);
    else {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return count;
}

typedef struct event_list {
    aw_event *v;
    size_t n, cap;
} event_list;

static int collect_event(const aw_event *ev, void *user)
{
    event_list *l = user;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        aw_event *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return 1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *ev;
    return 0;
}

aw_event *aw_store_events_all(aw_store *s, size_t *n, char *err, size_t errlen)
{
    event_list l = {NULL, 0, 0};
    aw_event_query q = {NULL, NULL, NAN, NAN};
    long got = aw_store_query(s, &q, collect_event, &l, err, errlen);
    if (got < 0 || (size_t)got != l.n) {
        if (got >= 0)
            snprintf(err, errlen, "out of memory reading the events");
        free(l.v);
        return NULL;
    }
    *n = l.n;
    return l.v ? l.v : calloc(1, sizeof *l.v);
}

/* ---- positions and records ------------------------------------------------------ */

/* Runs an INSERT OR IGNORE of a position or record in the open transaction; returns 1
 * if a row was added, 0 if it was there, -1 on error. Positions and records do not count
 * in aw_store_committed(), which promises events. */
static int insert_row(aw_store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
    int rc = run(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "cannot store %s: %s", what, sqlite3_errmsg(s->db));
        size_t len = errlen ? strlen(err) : 0;
        if (note_rollback(s) && len + 1 < errlen)
            snprintf(err + len, errlen - len, " (events since the last commit were lost)");
        return -1;
    }
    int added = sqlite3_changes(s->db) > 0;
    if (seconds_since(&s->last_commit) >= COMMIT_INTERVAL_S && aw_store_commit(s) != 0) {
        commit_failed(s, err, errlen);
        return s->in_txn ? -2 : -1;
    }
    return added;
}

int aw_store_add_position(aw_store *s, const aw_position *p, char *err, size_t errlen)
{
    if (!isfinite(p->time) || !isfinite(p->lat) || !isfinite(p->lon) || !p->track[0]) {
        snprintf(err, errlen, "position of '%s': track, time and position must be known",
                 p->track);
        return -1;
    }
    if (begin(s, err, errlen) < 0)
        return -1;
    sqlite3_stmt *st = s->st[ST_INSERT_POSITION];
    sqlite3_bind_text(st, 1, p->track, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, to_ms(p->time));
    sqlite3_bind_double(st, 3, p->lat);
    sqlite3_bind_double(st, 4, p->lon);
    sqlite3_bind_double(st, 5, p->alt_ft); /* NaN is stored as NULL */
    if (p->callsign[0])
        sqlite3_bind_text(st, 6, p->callsign, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 6);
    return insert_row(s, st, "position", err, errlen);
}

int aw_store_add_record(aw_store *s, const aw_record *r, char *err, size_t errlen)
{
    if (!r->type || !r->type[0] || !isfinite(r->time) || !r->json) {
        snprintf(err, errlen, "record: type, time and JSON must be given");
        return -1;
    }
    if (begin(s, err, errlen) < 0)
        return -1;
    sqlite3_stmt *st = s->st[ST_INSERT_RECORD];
    sqlite3_bind_text(st, 1, r->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->track ? r->track : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, to_ms(r->time));
    sqlite3_bind_double(st, 4, r->lat);
    sqlite3_bind_double(st, 5, r->lon);
    sqlite3_bind_text(st, 6, r->json, -1, SQLITE_STATIC);
    return insert_row(s, st, "record", err, errlen);
}

/* Prepares a read with [from, to) bounds in ms (NaN = unbounded) bound as ?1 and ?2. */
static sqlite3_stmt *prepare_range(aw_store *s, const char *sql, double from, double to)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, isnan(from) ? INT64_MIN : to_ms(fmax(fmin(from, 9e15), -9e15)));
    sqlite3_bind_int64(st, 2, isnan(to) ? INT64_MAX : to_ms(fmax(fmin(to, 9e15), -9e15)));
    return st;
}

/* Steps a prepared read to its end, calling row() for each row; returns the count or
 * -1. The statement is finalized. */
static long walk(aw_store *s, sqlite3_stmt *st, const char *what,
                 int (*row)(sqlite3_stmt *st, void *ctx), void *ctx, char *err, size_t errlen)
{
    if (!st) {
        snprintf(err, errlen, "cannot query %s: %s", what, sqlite3_errmsg(s->db));
        return -1;
    }
    long count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        count++;
        if (row(st, ctx) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "cannot query %s: %s", what, sqlite3_errmsg(s->db));
        count = -1;
    }
    sqlite3_finalize(st);
    return count;
}

typedef struct position_walk {
    int (*fn)(const aw_position *p, void *user);
    void *user;
} position_walk;

static int position_row(sqlite3_stmt *st, void *ctx)
{
    position_walk *w = ctx;
    aw_position p;
    column_text(st, 0, p.track, sizeof p.track);
    p.time = (double)sqlite3_column_int64(st, 1) / 1000.0;
    p.lat = sqlite3_column_double(st, 2);
    p.lon = sqlite3_column_double(st, 3);
    p.alt_ft = column_real(st, 4, NAN);
    column_text(st, 5, p.callsign, sizeof p.callsign);
    return w->fn ? w->fn(&p, w->user) : 0;
}

long aw_store_positions(aw_store *s, double from, double to,
                        int (*fn)(const aw_position *p, void *user), void *user,
                        char *err, size_t errlen)
{
    sqlite3_stmt *st = prepare_range(
        s,
        "SELECT track, time_ms, lat, lon, alt_ft, callsign FROM positions"
        " WHERE time_ms >= ?1 AND time_ms < ?2 ORDER BY track, time_ms",
        from, to);
    position_walk w = {fn, user};
    return walk(s, st, "positions", position_row, &w, err, errlen);
}

typedef struct record_walk {
    int (*fn)(const aw_record *r, void *user);
    void *user;
} record_walk;

static int record_row(sqlite3_stmt *st, void *ctx)
{
    record_walk *w = ctx;
    aw_record r = {
        .type = (const char *)sqlite3_column_text(st, 0),
        .track = (const char *)sqlite3_column_text(st, 1),
        .time = (double)sqlite3_column_int64(st, 2) / 1000.0,
        .lat = column_real(st, 3, NAN),
        .lon = column_real(st, 4, NAN),
        .json = (const char *)sqlite3_column_text(st, 5),
    };
    return w->fn ? w->fn(&r, w->user) : 0;
}

long aw_store_records(aw_store *s, const char *type, double from, double to,
                      int (*fn)(const aw_record *r, void *user), void *user,
                      char *err, size_t errlen)
{
    sqlite3_stmt *st = prepare_range(
        s,
        "SELECT type, track, time_ms, lat, lon, json FROM records"
        " WHERE time_ms >= ?1 AND time_ms < ?2 AND (?3 IS NULL OR type = ?3)"
        " ORDER BY time_ms, id",
        from, to);
    if (st && type)
        sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
    record_walk w = {fn, user};
    return walk(s, st, "records", record_row, &w, err, errlen);
}

int aw_store_add_provenance(aw_store *s, const aw_provenance *p, char *err, size_t errlen)
{
    if (!p->input || !p->format || !p->tracks ||
        (strcmp(p->tracks, "recorded") != 0 && strcmp(p->tracks, "simulated") != 0)) {
        snprintf(err, errlen, "provenance: input, format and tracks (recorded or simulated) "
                              "must be given");
        return -1;
    }
    if (begin(s, err, errlen) < 0)
        return -1;
    sqlite3_stmt *st = s->st[ST_INSERT_PROVENANCE];
    sqlite3_bind_text(st, 1, p->input, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->format, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->tracks, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->receiver ? p->receiver : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->detail ? p->detail : "", -1, SQLITE_STATIC);
    return insert_row(s, st, "provenance", err, errlen);
}

typedef struct provenance_walk {
    int (*fn)(const aw_provenance *p, void *user);
    void *user;
} provenance_walk;

static int provenance_row(sqlite3_stmt *st, void *ctx)
{
    provenance_walk *w = ctx;
    const char *detail = (const char *)sqlite3_column_text(st, 4);
    aw_provenance p = {
        .input = (const char *)sqlite3_column_text(st, 0),
        .format = (const char *)sqlite3_column_text(st, 1),
        .tracks = (const char *)sqlite3_column_text(st, 2),
        .receiver = (const char *)sqlite3_column_text(st, 3),
        .detail = detail && detail[0] ? detail : NULL,
    };
    return w->fn ? w->fn(&p, w->user) : 0;
}

long aw_store_provenance(aw_store *s, int (*fn)(const aw_provenance *p, void *user), void *user,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT input, format, tracks, receiver, detail FROM provenance"
                                  " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        st = NULL;
    provenance_walk w = {fn, user};
    return walk(s, st, "provenance", provenance_row, &w, err, errlen);
}

/* ---- for the alert outbox (outbox.c): this connection and its open transaction, so
 * an alert is committed with the event it comes from ---------------------------------- */

sqlite3 *aw_store_sqlite(aw_store *s) { return s->db; }

int aw_store_begin(aw_store *s, char *err, size_t errlen) { return begin(s, err, errlen); }
