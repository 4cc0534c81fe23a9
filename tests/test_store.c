/* test_store.c -- the SQLite store against real files.
 *
 * The store's promises are about files and processes (what survives a reopen, a replay,
 * a kill -9, what another connection can see), so these tests use real files in a
 * temporary directory and look at them through their own SQLite connections rather
 * than only through the store's API. */
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adizwatch/store.h"
#include "check.h"

static aw_event make_event(aw_event_type type, aw_event_cause cause, const char *track,
                           const char *zone, double time)
{
    aw_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.cause = cause;
    snprintf(ev.track, sizeof ev.track, "%s", track);
    snprintf(ev.zone, sizeof ev.zone, "%s", zone);
    ev.time = time;
    ev.lat = 25.5;
    ev.lon = 121.25;
    ev.alt_ft = NAN;
    return ev;
}

static aw_event make_exit(const char *track, const char *zone, double time, double dwell,
                          double depth)
{
    aw_event ev = make_event(AW_EXIT, AW_CROSSING, track, zone, time);
    ev.dwell_s = dwell;
    ev.max_depth_m = depth;
    return ev;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static sqlite3 *open_raw(const char *path, int flags)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "?");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* First column of the first row as text ("" if none, "(error)" on failure). */
static void sql_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st;
    snprintf(out, n, "(error)");
    if (!db || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, db ? sqlite3_errmsg(db) : "no db");
        return;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", v ? (const char *)v : "NULL");
    } else if (rc == SQLITE_DONE) {
        snprintf(out, n, "%s", "");
    }
    sqlite3_finalize(st);
}

static long long sql_int(sqlite3 *db, const char *sql)
{
    char buf[64];
    sql_text(db, sql, buf, sizeof buf);
    return strcmp(buf, "(error)") == 0 ? -1 : atoll(buf);
}

/* Counts events of one file through a separate read-only connection. */
static long long count_events(const char *path, const char *where)
{
    sqlite3 *db = open_raw(path, SQLITE_OPEN_READONLY);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE %s", where);
    long long n = sql_int(db, sql);
    sqlite3_close(db);
    return n;
}

typedef struct collected {
    aw_event ev[64];
    int n;
    int stop_after; /* 0 = never stop */
} collected;

static int collect(const aw_event *ev, void *user)
{
    collected *c = user;
    if (c->n < 64)
        c->ev[c->n] = *ev;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static long run_query(aw_store *s, const char *zone, const char *track, double since,
                      double until, collected *c)
{
    char err[256] = "";
    aw_event_query q = {zone, track, since, until};
    memset(c, 0, sizeof *c);
    long n = aw_store_query(s, &q, collect, c, err, sizeof err);
    if (n < 0)
        fprintf(stderr, "query: %s\n", err);
    return n;
}

static void test_open_errors(const char *dir)
{
    char err[512] = "", path[512];
    aw_store *s = aw_store_open("/nonexistent-adizwatch-dir/sub/store.db", err, sizeof err);
    CHECK(s == NULL);
    CHECK(strstr(err, "/nonexistent-adizwatch-dir/sub/store.db") != NULL);

    /* A file from a future adizwatch must be refused, not silently written to. */
    snprintf(path, sizeof path, "%s/future.db", dir);
    sqlite3 *db = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    err[0] = '\0';
    s = aw_store_open(path, err, sizeof err);
    CHECK(s == NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK(strstr(err, "newer") != NULL);

    snprintf(path, sizeof path, "%s/not-a-db.db", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("this is a text file, not a SQLite database, whatever its name says\n", f);
        fclose(f);
    }
    err[0] = '\0';
    s = aw_store_open(path, err, sizeof err);
    CHECK(s == NULL);
    CHECK(strstr(err, path) != NULL);
}

static void test_roundtrip_and_filters(const char *dir)
{
    char err[512] = "", path[512];
    snprintf(path, sizeof path, "%s/roundtrip.db", dir);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    aw_event in[6];
    in[0] = make_event(AW_ENTER, AW_FIRST_SEEN, "a1b2c3", "ADIZ-N", 1000.0);
    in[0].alt_ft = 35000;
    snprintf(in[0].callsign, sizeof in[0].callsign, "CAL123");
    in[1] = make_event(AW_ENTER, AW_CROSSING, "ffee01", "ADIZ-N", 1010.25);
    in[2] = make_event(AW_ENTER, AW_CROSSING, "a1b2c3", "ADIZ-S", 1020.0);
    in[3] = make_exit("a1b2c3", "ADIZ-N", 1060.0, 60.0, 12345.5);
    in[3].alt_ft = 34000;
    in[4] = make_exit("ffee01", "ADIZ-N", 1070.0004, 59.75, 800.0);
    in[4].cause = AW_LOST;
    in[5] = make_exit("a1b2c3", "ADIZ-S", 1080.0, 60.0, 1.5);
    /* Added out of time order: the query, not the insertion, decides the order. */
    int order[6] = {3, 0, 5, 1, 4, 2};
    for (int i = 0; i < 6; i++)
        CHECK(aw_store_add(s, &in[order[i]], err, sizeof err) == 1);
    CHECK(aw_store_commit(s) == 0);
    CHECK(aw_store_committed(s) == 6);
    CHECK(aw_store_close(s) == 0);

    s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(aw_store_committed(s) == 0); /* counts this handle's work only */
    collected c;
    CHECK(run_query(s, NULL, NULL, NAN, NAN, &c) == 6);
    CHECK(c.n == 6);
    for (int i = 1; i < c.n && i < 6; i++)
        CHECK(c.ev[i - 1].time <= c.ev[i].time);
    /* Every field comes back, with unknowns as the event contract spells them. */
    CHECK_STR(c.ev[0].track, "a1b2c3");
    CHECK_STR(c.ev[0].zone, "ADIZ-N");
    CHECK(c.ev[0].type == AW_ENTER && c.ev[0].cause == AW_FIRST_SEEN);
    CHECK_NEAR(c.ev[0].time, 1000.0, 1e-9);
    CHECK_NEAR(c.ev[0].lat, 25.5, 1e-12);
    CHECK_NEAR(c.ev[0].lon, 121.25, 1e-12);
    CHECK_NEAR(c.ev[0].alt_ft, 35000, 1e-9);
    CHECK_STR(c.ev[0].callsign, "CAL123");
    CHECK(c.ev[0].dwell_s == 0 && c.ev[0].max_depth_m == 0);
    CHECK(isnan(c.ev[1].alt_ft));
    CHECK_STR(c.ev[1].callsign, "");
    CHECK_NEAR(c.ev[1].time, 1010.25, 1e-9);
    CHECK(c.ev[3].type == AW_EXIT);
    CHECK_NEAR(c.ev[3].dwell_s, 60.0, 1e-9);
    CHECK_NEAR(c.ev[3].max_depth_m, 12345.5, 1e-9);
    CHECK(c.ev[4].cause == AW_LOST);
    CHECK_NEAR(c.ev[4].time, 1070.0, 1e-9); /* stored to the millisecond */

    CHECK(run_query(s, "ADIZ-N", NULL, NAN, NAN, &c) == 4);
    CHECK(run_query(s, "ADIZ-S", NULL, NAN, NAN, &c) == 2);
    CHECK(run_query(s, "nowhere", NULL, NAN, NAN, &c) == 0);
    CHECK(run_query(s, NULL, "ffee01", NAN, NAN, &c) == 2);
    CHECK(c.n == 2 && strcmp(c.ev[0].track, "ffee01") == 0 && c.ev[1].type == AW_EXIT);
    CHECK(run_query(s, "ADIZ-N", "a1b2c3", NAN, NAN, &c) == 2);
    /* Bounds are inclusive. */
    CHECK(run_query(s, NULL, NULL, 1020.0, NAN, &c) == 4);
    CHECK_NEAR(c.ev[0].time, 1020.0, 1e-9);
    CHECK(run_query(s, NULL, NULL, NAN, 1020.0, &c) == 3);
    CHECK(run_query(s, NULL, NULL, 1010.25, 1060.0, &c) == 3);
    CHECK(run_query(s, "ADIZ-N", "a1b2c3", 1001.0, 1060.0, &c) == 1);
    CHECK(run_query(s, NULL, NULL, -INFINITY, INFINITY, &c) == 6);
    /* fn returning non-zero stops the walk. */
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    aw_event_query all = {NULL, NULL, NAN, NAN};
    CHECK(aw_store_query(s, &all, collect, &c, err, sizeof err) == 2);
    /* A NULL filter is "everything". */
    CHECK(aw_store_query(s, NULL, NULL, NULL, err, sizeof err) == 6);

    /* Rows added but not yet committed are visible to this handle's queries. */
    aw_event late = make_event(AW_ENTER, AW_CROSSING, "late01", "ADIZ-N", 2000.0);
    CHECK(aw_store_add(s, &late, err, sizeof err) == 1);
    CHECK(run_query(s, NULL, "late01", NAN, NAN, &c) == 1);

    aw_event bad = late;
    bad.time = NAN;
    err[0] = '\0';
    CHECK(aw_store_add(s, &bad, err, sizeof err) == -1);
    CHECK(err[0] != '\0');
    CHECK(aw_store_close(s) == 0);
}

/* Called from inside a query's callback: runs the same query again on the same handle. */
static int nested(const aw_event *ev, void *user)
{
    (void)ev;
    aw_store *s = user;
    char err[256];
    aw_event_query q = {NULL, NULL, NAN, NAN};
    return aw_store_query(s, &q, NULL, NULL, err, sizeof err) == 7 ? 0 : 1;
}

static void test_nested_query(const char *dir)
{
    char err[512] = "", path[512];
    snprintf(path, sizeof path, "%s/roundtrip.db", dir);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    aw_event_query q = {NULL, NULL, NAN, NAN};
    CHECK(aw_store_query(s, &q, nested, s, err, sizeof err) == 7);
    CHECK(aw_store_close(s) == 0);
}

/* The visits table as one string, to compare before and after a replay. */
static void visits_snapshot(const char *path, char *out, size_t n)
{
    sqlite3 *db = open_raw(path, SQLITE_OPEN_READONLY);
    sql_text(db,
             "SELECT group_concat(v, ';') FROM (SELECT quote(id) || quote(track) || quote(zone)"
             " || quote(enter_ms) || quote(enter_cause) || quote(enter_lat) || quote(enter_lon)"
             " || quote(exit_ms) || quote(exit_cause) || quote(exit_lat) || quote(exit_lon)"
             " || quote(dwell_s) || quote(max_depth_m) || quote(callsign) AS v"
             " FROM visits ORDER BY id)",
             out, n);
    sqlite3_close(db);
}

static void test_visits_and_replay(const char *dir)
{
    char err[512] = "", path[512];
    snprintf(path, sizeof path, "%s/visits.db", dir);
    aw_event in[16];
    int n = 0;
    in[n] = make_event(AW_ENTER, AW_CROSSING, "t1", "Z", 100.0);
    snprintf(in[n].callsign, sizeof in[n].callsign, "CAL1");
    n++;
    in[n++] = make_exit("t1", "Z", 160.0, 60.0, 500.0);
    in[n++] = make_event(AW_ENTER, AW_FIRST_SEEN, "t1", "Z", 200.0);
    in[n] = make_exit("t1", "Z", 230.5, 30.5, 250.0);
    snprintf(in[n].callsign, sizeof in[n].callsign, "EVA7");
    n++;
    in[n++] = make_event(AW_ENTER, AW_CROSSING, "t2", "Z", 300.0); /* never leaves */
    /* t3's enter came before the store was opened: only its exit is seen. */
    in[n++] = make_exit("t3", "Z", 400.0, 90.25, 42.0);
    /* t4's and t5's first visits were never closed (say the previous run died): an exit
     * closes the latest open visit that began before it, whatever the arrival order. */
    for (int k = 0; k < 2; k++) {
        const char *track = k ? "t5" : "t4";
        in[n++] = make_event(AW_ENTER, AW_CROSSING, track, "Z", 500.0);
        in[n++] = make_event(AW_ENTER, AW_FIRST_SEEN, track, "Z", 600.0);
        in[n++] = make_exit(track, "Z", k ? 550.0 : 660.0, k ? 50.0 : 60.0, 7.0);
        in[n++] = make_exit(track, "Z", k ? 660.0 : 550.0, k ? 60.0 : 50.0, 7.0);
    }

    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    for (int i = 0; i < n; i++)
        CHECK(aw_store_add(s, &in[i], err, sizeof err) == 1);
    CHECK(aw_store_add(s, &in[1], err, sizeof err) == 0);
    CHECK(aw_store_add(s, &in[4], err, sizeof err) == 0);
    CHECK(aw_store_close(s) == 0);

    sqlite3 *db = open_raw(path, SQLITE_OPEN_READONLY);
    CHECK(sql_int(db, "SELECT count(*) FROM events") == n);
    CHECK(sql_int(db, "SELECT count(*) FROM visits") == 8);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track IN ('t4', 't5')"
                      " AND enter_ms=600000 AND exit_ms=660000 AND dwell_s=60") == 2);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track IN ('t4', 't5')"
                      " AND enter_ms=500000 AND exit_ms=550000 AND dwell_s=50") == 2);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track='t1' AND enter_ms=100000"
                      " AND enter_cause='crossing' AND exit_ms=160000 AND exit_cause='crossing'"
                      " AND dwell_s=60 AND max_depth_m=500 AND callsign='CAL1'") == 1);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track='t1' AND enter_ms=200000"
                      " AND enter_cause='first_seen' AND exit_ms=230500 AND dwell_s=30.5"
                      " AND callsign='EVA7'") == 1);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track='t2' AND enter_ms=300000"
                      " AND exit_ms IS NULL AND dwell_s IS NULL") == 1);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track='t3' AND enter_ms=309750"
                      " AND enter_cause='unknown' AND exit_ms=400000 AND dwell_s=90.25") == 1);
    CHECK(sql_int(db, "SELECT count(*) FROM events WHERE type='enter' AND dwell_s IS NULL"
                      " AND max_depth_m IS NULL AND alt_ft IS NULL AND callsign IS NULL") == 6);
    char version[16];
    sql_text(db, "PRAGMA user_version", version, sizeof version);
    CHECK_STR(version, "3");
    char mode[16];
    sql_text(db, "PRAGMA journal_mode", mode, sizeof mode);
    CHECK_STR(mode, "wal");
    sqlite3_close(db);

    /* Replaying the same input, in a new process-lifetime of the store, changes nothing. */
    char before[4096], after[4096];
    visits_snapshot(path, before, sizeof before);
    s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < n; i++)
            CHECK(aw_store_add(s, &in[i], err, sizeof err) == 0);
    /* A re-run with other settings may give the same exit another dwell: it is the
     * same event, so it must not invent a second visit either. */
    aw_event other = in[1];
    other.dwell_s = 58.5;
    other.max_depth_m = 9999;
    CHECK(aw_store_add(s, &other, err, sizeof err) == 0);
    CHECK(aw_store_commit(s) == 0);
    CHECK(aw_store_committed(s) == 0);
    visits_snapshot(path, after, sizeof after);
    CHECK(strcmp(before, "(error)") != 0);
    CHECK_STR(after, before);

    /* The full recording, replayed later, has t3's enter: it completes the inferred
     * visit rather than opening one that nothing would close. */
    aw_event t3_enter = make_event(AW_ENTER, AW_CROSSING, "t3", "Z", 309.75);
    CHECK(aw_store_add(s, &t3_enter, err, sizeof err) == 1);
    CHECK(aw_store_close(s) == 0);
    db = open_raw(path, SQLITE_OPEN_READONLY);
    CHECK(sql_int(db, "SELECT count(*) FROM visits") == 8);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track='t3' AND enter_ms=309750"
                      " AND enter_cause='crossing' AND exit_ms=400000") == 1);
    CHECK(sql_int(db, "SELECT count(*) FROM events") == n + 1);
    sqlite3_close(db);
}

/* If the visit change fails, the event must not stay behind without it: a retry would
 * find the event and never make the visit. A trigger plays the failing disk. */
static void test_visit_failure(const char *dir)
{
    char err[512] = "", path[512];
    snprintf(path, sizeof path, "%s/failing.db", dir);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(aw_store_close(s) == 0);
    sqlite3 *db = open_raw(path, SQLITE_OPEN_READWRITE);
    CHECK(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON visits"
                           " WHEN NEW.track = 'boom' BEGIN SELECT RAISE(ABORT, 'visit refused');"
                           " END", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);

    s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    aw_event ok1 = make_event(AW_ENTER, AW_CROSSING, "fine", "Z", 1.0);
    aw_event boom = make_event(AW_ENTER, AW_CROSSING, "boom", "Z", 2.0);
    aw_event ok2 = make_exit("fine", "Z", 3.0, 2.0, 1.0);
    CHECK(aw_store_add(s, &ok1, err, sizeof err) == 1);
    err[0] = '\0';
    CHECK(aw_store_add(s, &boom, err, sizeof err) == -1);
    CHECK(strstr(err, "visit refused") != NULL);
    CHECK(strstr(err, "boom") != NULL);
    CHECK(aw_store_add(s, &ok2, err, sizeof err) == 1);
    CHECK(aw_store_add(s, &boom, err, sizeof err) == -1); /* still new, so still tried */
    CHECK(aw_store_close(s) == 0);
    CHECK(count_events(path, "track='boom'") == 0);
    CHECK(count_events(path, "track='fine'") == 2);
    db = open_raw(path, SQLITE_OPEN_READONLY);
    CHECK(sql_int(db, "SELECT count(*) FROM visits WHERE track='fine' AND exit_ms=3000") == 1);
    sqlite3_close(db);
}

static void test_commit_timing(const char *dir)
{
    char err[512] = "", path[512];
    snprintf(path, sizeof path, "%s/timing.db", dir);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    aw_event a = make_event(AW_ENTER, AW_CROSSING, "first", "Z", 10.0);
    aw_event b = make_event(AW_ENTER, AW_CROSSING, "second", "Z", 11.0);
    CHECK(aw_store_add(s, &a, err, sizeof err) == 1);
    /* Still inside the open transaction: another connection cannot see it yet. */
    CHECK(count_events(path, "track='first'") == 0);
    CHECK(aw_store_committed(s) == 0);
    sleep_s(1.1);
    CHECK(aw_store_add(s, &b, err, sizeof err) == 1);
    CHECK(count_events(path, "track='first'") == 1);
    CHECK(aw_store_committed(s) >= 1);

    /* tick commits once a second has passed, and not before. */
    aw_event c = make_event(AW_ENTER, AW_CROSSING, "third", "Z", 12.0);
    aw_event d = make_event(AW_ENTER, AW_CROSSING, "fourth", "Z", 13.0);
    CHECK(aw_store_add(s, &c, err, sizeof err) == 1);
    CHECK(aw_store_tick(s) == 0);
    CHECK(count_events(path, "track='third'") == 0);
    sleep_s(1.1);
    CHECK(aw_store_tick(s) == 0);
    CHECK(count_events(path, "track='third'") == 1);
    CHECK(aw_store_committed(s) == 3);
    CHECK(aw_store_add(s, &d, err, sizeof err) == 1);
    CHECK(count_events(path, "track='fourth'") == 0);
    CHECK(aw_store_commit(s) == 0);
    CHECK(count_events(path, "track='fourth'") == 1);
    CHECK(aw_store_committed(s) == 4);
    CHECK(aw_store_close(s) == 0);
}

typedef struct child_report {
    uint64_t committed;
    int uncommitted; /* events added after the last commit */
    int ok;          /* the child's own preconditions held */
} child_report;

/* In the child: commit some events, add more without committing, report, wait for the
 * kill. Never returns. */
static void killed_child(const char *path, int fd)
{
    char err[512];
    child_report r = {0, 0, 0};
    aw_store *s = aw_store_open(path, err, sizeof err);
    if (s) {
        int ok = 1;
        for (int i = 0; i < 100; i++) {
            char track[16];
            snprintf(track, sizeof track, "c%03d", i);
            aw_event ev = make_event(AW_ENTER, AW_CROSSING, track, "Z", 1000.0 + i);
            ok &= aw_store_add(s, &ev, err, sizeof err) == 1;
        }
        ok &= aw_store_commit(s) == 0;
        /* Enough uncommitted rows that some may spill from the page cache into the WAL
         * (recovery must ignore those frames too), but for half a second at most: the
         * store commits on its own a second after the last commit, and a loaded machine
         * may not add them all in time. */
        struct timespec t0, now;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < 5000; i++) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) * 1e-9 > 0.5)
                break;
            char track[16];
            snprintf(track, sizeof track, "u%04d", i);
            aw_event ev = make_event(AW_ENTER, AW_CROSSING, track, "Z", 2000.0 + i);
            ok &= aw_store_add(s, &ev, err, sizeof err) == 1;
            r.uncommitted++;
        }
        r.committed = aw_store_committed(s);
        r.ok = ok && r.committed == 100;
    }
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(1);
    for (;;)
        pause();
}

static void test_kill_mid_transaction(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/killed.db", dir);
    int fds[2];
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        killed_child(path, fds[1]);
    }
    close(fds[1]);
    child_report r = {0, 0, 0};
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t k = read(fds[0], (char *)&r + got, sizeof r - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fds[0]);
    CHECK(got == sizeof r);
    CHECK(r.ok == 1);
    CHECK(r.uncommitted > 0);
    kill(pid, SIGKILL);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    sqlite3 *db = open_raw(path, SQLITE_OPEN_READWRITE);
    char ok[64];
    sql_text(db, "PRAGMA integrity_check", ok, sizeof ok);
    CHECK_STR(ok, "ok");
    CHECK(sql_int(db, "SELECT count(*) FROM events") >= (long long)r.committed);
    CHECK(sql_int(db, "SELECT count(*) FROM events WHERE track LIKE 'c%'") == 100);
    CHECK(sql_int(db, "SELECT count(*) FROM events WHERE track LIKE 'u%'") == 0);
    CHECK(sql_int(db, "SELECT count(*) FROM visits") == 100);
    sqlite3_close(db);

    /* And the store itself carries on from there. */
    char err[512];
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (s) {
        CHECK(aw_store_query(s, NULL, NULL, NULL, err, sizeof err) == 100);
        aw_event again = make_event(AW_ENTER, AW_CROSSING, "c000", "Z", 1000.0);
        CHECK(aw_store_add(s, &again, err, sizeof err) == 0);
        CHECK(aw_store_close(s) == 0);
    }
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Positions and records: kept once, read back in order and within bounds; a version-1
 * file (events and visits only) gains the new tables when opened. */
typedef struct texts {
    char text[1024];
    int n;
} texts;

static int collect_position(const aw_position *p, void *user)
{
    texts *c = user;
    size_t len = strlen(c->text);
    snprintf(c->text + len, sizeof c->text - len, "%s@%.0f:%.2f,%.2f,%s,%s;", p->track,
             p->time, p->lat, p->lon, isnan(p->alt_ft) ? "nan" : "alt", p->callsign);
    c->n++;
    return 0;
}

static int collect_record(const aw_record *r, void *user)
{
    texts *c = user;
    size_t len = strlen(c->text);
    snprintf(c->text + len, sizeof c->text - len, "%s/%s@%.0f:%s:%s;", r->type, r->track, r->time,
             isnan(r->lat) ? "nopos" : "pos", r->json);
    c->n++;
    return 0;
}

static void test_positions_and_records(const char *dir)
{
    char err[512] = "", path[512];
    snprintf(path, sizeof path, "%s/v1.db", dir);
    /* A version-1 file as an older adizwatch left it. */
    sqlite3 *db = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    CHECK(sqlite3_exec(db,
                       "CREATE TABLE events(id INTEGER PRIMARY KEY, track TEXT NOT NULL,"
                       " zone TEXT NOT NULL, type TEXT NOT NULL, cause TEXT NOT NULL,"
                       " time_ms INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
                       " alt_ft REAL, callsign TEXT, dwell_s REAL, max_depth_m REAL,"
                       " UNIQUE(track, zone, type, time_ms)); PRAGMA user_version = 1",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    aw_position b = {.track = "b", .time = 200, .lat = 35, .lon = 129, .alt_ft = NAN};
    aw_position a1 = {.track = "a", .time = 100, .lat = 34, .lon = 128, .alt_ft = 30000,
                      .callsign = "KAL1"};
    aw_position a2 = {.track = "a", .time = 130, .lat = 34.1, .lon = 128.1, .alt_ft = 30000};
    CHECK(aw_store_add_position(s, &b, err, sizeof err) == 1);
    CHECK(aw_store_add_position(s, &a2, err, sizeof err) == 1);
    CHECK(aw_store_add_position(s, &a1, err, sizeof err) == 1);
    CHECK(aw_store_add_position(s, &a1, err, sizeof err) == 0); /* kept once */
    aw_position bad = {.track = "c", .time = NAN, .lat = 1, .lon = 1};
    CHECK(aw_store_add_position(s, &bad, err, sizeof err) == -1);

    aw_record adv = {.type = "scramble_advice", .track = "a", .time = 150, .lat = 34.2,
                     .lon = 128.2, .json = "{\"base\":\"RKTN\"}"};
    aw_record grp = {.type = "group", .track = "", .time = 120, .lat = NAN, .lon = NAN,
                     .json = "{\"members\":2}"};
    CHECK(aw_store_add_record(s, &adv, err, sizeof err) == 1);
    CHECK(aw_store_add_record(s, &grp, err, sizeof err) == 1);
    CHECK(aw_store_add_record(s, &adv, err, sizeof err) == 0);
    aw_record adv_jp = adv; /* another owner's advice on the same report is kept too */
    adv_jp.json = "{\"base\":\"RJFZ\"}";
    CHECK(aw_store_add_record(s, &adv_jp, err, sizeof err) == 1);
    CHECK(aw_store_commit(s) == 0);
    CHECK(aw_store_committed(s) == 0); /* the count promises events only */

    texts c = {"", 0};
    CHECK(aw_store_positions(s, NAN, NAN, collect_position, &c, err, sizeof err) == 3);
    CHECK_STR(c.text, "a@100:34.00,128.00,alt,KAL1;a@130:34.10,128.10,alt,;"
                      "b@200:35.00,129.00,nan,;");
    memset(&c, 0, sizeof c);
    CHECK(aw_store_positions(s, 130, 200, collect_position, &c, err, sizeof err) == 1);
    CHECK_STR(c.text, "a@130:34.10,128.10,alt,;");
    memset(&c, 0, sizeof c);
    CHECK(aw_store_records(s, NULL, NAN, NAN, collect_record, &c, err, sizeof err) == 3);
    CHECK_STR(c.text, "group/@120:nopos:{\"members\":2};"
                      "scramble_advice/a@150:pos:{\"base\":\"RKTN\"};"
                      "scramble_advice/a@150:pos:{\"base\":\"RJFZ\"};");
    memset(&c, 0, sizeof c);
    CHECK(aw_store_records(s, "scramble_advice", NAN, 150, collect_record, &c, err,
                           sizeof err) == 0);
    CHECK(aw_store_records(s, "scramble_advice", 150, NAN, collect_record, &c, err,
                           sizeof err) == 2);
    CHECK(aw_store_close(s) == 0);
}

int main(void)
{
    char dir[] = "/tmp/adizwatch-store-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_open_errors(dir);
    test_roundtrip_and_filters(dir);
    test_nested_query(dir);
    test_visits_and_replay(dir);
    test_visit_failure(dir);
    test_commit_timing(dir);
    test_kill_mid_transaction(dir);
    test_positions_and_records(dir);
    remove_dir(dir);
    return check_done("store");
}
