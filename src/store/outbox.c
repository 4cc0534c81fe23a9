/* outbox.c -- the alert outbox: alerts queued with the events they come from, removed
 * only when acknowledged.
 *
 * Queueing and removal share the store's connection and transaction: SQLite lets one
 * writer in at a time, and a second writing connection would wait for the store's
 * once-a-second transaction and could starve behind a busy feed. Sinks only read, on
 * connections of their own, and hand their acknowledgements to the writer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/outbox.h"
#include "store/store_internal.h"

static const char outbox_sql[] =
    "CREATE TABLE IF NOT EXISTS alerts("
    " id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, json TEXT NOT NULL,"
    " queued_ms INTEGER NOT NULL) WITHOUT ROWID;"
    /* AUTOINCREMENT: a seq is never reused after the rows above it were acknowledged and
     * removed, so a sink's cursor (the last seq it finished) never hides a new row. */
    "CREATE TABLE IF NOT EXISTS outbox("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, sink TEXT NOT NULL, alert TEXT NOT NULL,"
    " UNIQUE(sink, alert));"
    "CREATE INDEX IF NOT EXISTS outbox_sink_seq ON outbox(sink, seq);";

int aw_outbox_setup(aw_store *s, char *err, size_t errlen)
{
    sqlite3 *db = aw_store_sqlite(s);
    /* Alert ids are hashes, so the `alerts` index is written at random places: a page
     * cache of 8 MB (SQLite's default is 2) keeps it from being read back from the file
     * for every alert once it outgrows the default. */
    sqlite3_exec(db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
    if (sqlite3_exec(db, outbox_sql, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create the outbox: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err, size_t errlen)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "outbox: %s", sqlite3_errmsg(db));
    return -1;
}

int aw_outbox_queue(aw_store *s, const char *id, double time, const char *json,
                    const char *const *sinks, int nsinks, char *err, size_t errlen)
{
    if (aw_store_begin(s, err, errlen) < 0)
        return -1;
    sqlite3 *db = aw_store_sqlite(s);
    sqlite3_stmt *st;
    if (prepare(db,
                "INSERT OR IGNORE INTO alerts(id, time_ms, json, queued_ms) VALUES(?1, ?2, ?3, ?4)",
                &st, err, errlen) < 0)
        return -1;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, llround(time * 1000.0));
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "cannot queue alert %s: %s", id, sqlite3_errmsg(db));
        return -1;
    }
    if (sqlite3_changes(db) == 0)
        return 0;
    if (prepare(db, "INSERT OR IGNORE INTO outbox(sink, alert) VALUES(?1, ?2)", &st, err,
                errlen) < 0)
        return -1;
    for (int i = 0; i < nsinks; i++) {
        sqlite3_bind_text(st, 1, sinks[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            snprintf(err, errlen, "cannot queue alert %s: %s", id, sqlite3_errmsg(db));
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return 1;
}

int aw_outbox_ack(aw_store *s, const int64_t *seqs, size_t n, char *err, size_t errlen)
{
    if (n == 0)
        return 0;
    if (aw_store_begin(s, err, errlen) < 0)
        return -1;
    sqlite3 *db = aw_store_sqlite(s);
    sqlite3_stmt *st;
    if (prepare(db, "DELETE FROM outbox WHERE seq = ?1", &st, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, seqs[i]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            snprintf(err, errlen, "cannot remove an acknowledged alert: %s", sqlite3_errmsg(db));
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

long aw_outbox_pending(aw_store *s, const char *sink)
{
    sqlite3 *db = aw_store_sqlite(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox WHERE ?1 IS NULL OR sink = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    if (sink)
        sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

char **aw_outbox_sinks(aw_store *s, int *n)
{
    *n = 0;
    sqlite3 *db = aw_store_sqlite(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT sink FROM outbox ORDER BY sink", -1, &st, NULL)
        != SQLITE_OK)
        return NULL;
    char **v = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char **grown = realloc(v, (size_t)(*n + 1) * sizeof *v);
        if (!grown)
            break;
        v = grown;
        v[*n] = strdup((const char *)sqlite3_column_text(st, 0));
        if (v[*n])
            (*n)++;
    }
    sqlite3_finalize(st);
    return v;
}

/* ---- the sinks' side ----------------------------------------------------------------- */

struct aw_outbox_reader {
    sqlite3 *db;
    sqlite3_stmt *read;
};

aw_outbox_reader *aw_outbox_reader_open(const char *path, char *err, size_t errlen)
{
    aw_outbox_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db,
                           "SELECT o.seq, o.alert, a.json FROM outbox o JOIN alerts a ON a.id = "
                           "o.alert WHERE o.sink = ?1 AND o.seq > ?2 ORDER BY o.seq LIMIT ?3",
                           -1, &r->read, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "outbox '%s': %s", path, r->db ? sqlite3_errmsg(r->db) : "cannot open");
        aw_outbox_reader_close(r);
        return NULL;
    }
    sqlite3_busy_timeout(r->db, 5000);
    return r;
}

int aw_outbox_read(aw_outbox_reader *r, const char *sink, int64_t after, aw_outbox_item *items,
                   int max)
{
    sqlite3_bind_text(r->read, 1, sink, -1, SQLITE_STATIC);
    sqlite3_bind_int64(r->read, 2, after);
    sqlite3_bind_int(r->read, 3, max);
    int n = 0, rc;
    while (n < max && (rc = sqlite3_step(r->read)) == SQLITE_ROW) {
        aw_outbox_item *it = &items[n];
        it->seq = sqlite3_column_int64(r->read, 0);
        snprintf(it->id, sizeof it->id, "%s", (const char *)sqlite3_column_text(r->read, 1));
        it->json = strdup((const char *)sqlite3_column_text(r->read, 2));
        if (!it->json)
            break;
        n++;
    }
    sqlite3_reset(r->read);
    sqlite3_clear_bindings(r->read);
    return n;
}

void aw_outbox_items_free(aw_outbox_item *items, int n)
{
    for (int i = 0; i < n; i++) {
        free(items[i].json);
        items[i].json = NULL;
    }
}

void aw_outbox_reader_close(aw_outbox_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->read);
    sqlite3_close(r->db);
    free(r);
}
