/* feeds.h -- what readsb and tar1090 write: aircraft.json snapshots, the JSON position
 * stream, and globe-history trace files.
 *
 * Hobbyists run readsb (or dump1090-fa) with tar1090 on top; OSINT analysts download
 * daily globe-history archives (`traces/XX/trace_full_<hex>.json`, often gzipped).
 * These readers turn all three into aw_report values, with the database facts readsb
 * attaches (registration, type, dbFlags) beside them in an aw_feed_info.
 *
 * Times: a snapshot's aircraft carry `seen_pos`, the age of their position at the file's
 * `now`, so a position's time is now - seen_pos (not now - seen: `seen` is the last
 * message of any kind). A trace point's time is the file's `timestamp` plus the point's
 * offset. JSON numbers are read with Jansson. */
#ifndef ADIZWATCH_FEEDS_H
#define ADIZWATCH_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "report.h"
#include "export.h"

AW_BEGIN_DECLS

/* readsb's dbFlags bits (README-json.md). */
#define AW_DBFLAG_MILITARY 1
#define AW_DBFLAG_INTERESTING 2
#define AW_DBFLAG_PIA 4
#define AW_DBFLAG_LADD 8

/* Facts that come with a report from readsb / tar1090 but have no place in aw_report. */
typedef struct aw_feed_info {
    char registration[16]; /* "r", "" when absent */
    char type[8];          /* "t": ICAO type designator, "" when absent */
    char category[4];      /* emitter category "A3"..., "" when absent */
    int db_flags;          /* "dbFlags", 0 when absent */
    bool military;         /* db_flags & AW_DBFLAG_MILITARY */
    bool on_ground;        /* altitude given as "ground" (alt_ft is then 0) */
    double alt_geom_ft;    /* geometric (GNSS) altitude, NAN when absent */
    bool stale;            /* trace point flag 1: no position for a while before this one */
    bool new_leg;          /* trace point flag 2: a new leg (after a landing) starts here */
} aw_feed_info;

/* Receives each report read from a JSON input. */
typedef void (*aw_feed_fn)(const aw_report *r, const aw_feed_info *info, void *user);

/* ---- readsb aircraft.json snapshots -------------------------------------------------- */

/* What was last said of each aircraft, so that a snapshot repeating a position already
 * seen (readsb writes the file every second; a position may be minutes old) adds
 * nothing. Bounded: when full it is emptied, which costs at most one repeated report per
 * aircraft. */
typedef struct aw_readsb_seen aw_readsb_seen;
/* An empty one, or NULL without memory; freed (NULL allowed) by aw_readsb_seen_free. */
aw_readsb_seen *aw_readsb_seen_new(void);
void aw_readsb_seen_free(aw_readsb_seen *s);

/* Read one snapshot ({"now":..., "aircraft":[...]}, or the "ac" array of the v2 API, whose
 * "now" is in milliseconds). Each aircraft gives at most one report: with its position
 * (time now - seen_pos) when that is new, else attribute-only (time now - seen) when its
 * callsign, squawk or altitude changed, else nothing. seen may be NULL (no memory: every
 * aircraft reports). *now_out (may be NULL) gets the snapshot's time. Returns the number
 * of reports given, or -1 with the reason in err (not JSON, no now, no aircraft array). */
long aw_readsb_snapshot(const char *text, size_t len, aw_readsb_seen *seen, aw_feed_fn fn,
                        void *user, double *now_out, char *err, size_t errlen);

/* The snapshot time of a file's first bytes ("now" is readsb's first key), without reading
 * the rest; -1 when it is not there. */
int aw_readsb_snapshot_time(const char *head, size_t len, double *now_out);
/* The snapshot time of a file (plain or gzip): from its first bytes, or by reading it
 * whole when they do not say. 0, or -1 when it is not an aircraft.json snapshot. */
int aw_readsb_snapshot_file_time(const char *path, double *now_out);

/* One line of readsb's JSON position stream (--net-json-port): an aircraft object with
 * its own "now". AW_PARSE_REPORT with *out (and *info if not NULL) filled, AW_PARSE_SKIP
 * for a line with neither position nor attributes, AW_PARSE_BAD with the reason. */
aw_parse_result aw_readsb_line(const char *line, size_t len, aw_report *out, aw_feed_info *info,
                               char *err, size_t errlen);

/* ---- globe-history traces (trace_full_XXXXXX.json, trace_recent_XXXXXX.json) ------- */

/* One decoded trace file: its points in time order. */
typedef struct aw_trace aw_trace;

/* Decode a trace from memory (text is JSON, not gzip). NULL with the reason in err. */
aw_trace *aw_trace_parse(const char *text, size_t len, char *err, size_t errlen);
/* Read and decode a trace file, plain or gzip. NULL with the reason in err. */
aw_trace *aw_trace_load(const char *path, char *err, size_t errlen);
void aw_trace_free(aw_trace *t);
/* Points in the trace; the time of the first (the trace is in time order). */
size_t aw_trace_count(const aw_trace *t);
double aw_trace_start(const aw_trace *t);
/* The i-th point as a report, with the file's r/t/dbFlags and the point's flags. Each
 * point's details object (when not null) updates the callsign and squawk, which carry
 * on to the points after it. */
void aw_trace_point(const aw_trace *t, size_t i, aw_report *out, aw_feed_info *info);

/* A time-ordered merge of many trace files (a day's archive: thousands of files). Only
 * a start time and the path of each file are held until the merge reaches that start;
 * a file is decoded then and freed as soon as its last point is given. Memory is bounded
 * by the files whose time span covers the current time, never the whole day. */
typedef struct aw_trace_merge aw_trace_merge;

/* paths: the files (copied). Each file's start is read from its first bytes (or, when
 * that fails, by decoding it once). NULL with the reason in err (out of memory). */
aw_trace_merge *aw_trace_merge_new(const char *const *paths, size_t n, char *err, size_t errlen);
/* The next point in time order: 1 and *out, *info filled, 0 at the end. A file that cannot
 * be read is reported through bad(path, reason, user) (may be NULL) and skipped. */
int aw_trace_merge_next(aw_trace_merge *m, aw_report *out, aw_feed_info *info,
                        void (*bad)(const char *path, const char *reason, void *user), void *user);
/* The most files decoded at once so far: the bound actually reached. */
size_t aw_trace_merge_peak_open(const aw_trace_merge *m);
void aw_trace_merge_free(aw_trace_merge *m);

/* ---- files ---------------------------------------------------------------------------- */

/* Read a whole file, gunzipping it if it is gzip (zlib reads plain files as they are).
 * malloc'ed and NUL-terminated; NULL with the reason in err. */
char *aw_read_file_maybe_gz(const char *path, size_t *len, char *err, size_t errlen);
/* The same for a path or an http:// or https:// URL (libcurl: redirects followed, gzip
 * accepted, an HTTP error status is an error, 20 s and 64 MiB at most). */
char *aw_fetch(const char *path_or_url, size_t *len, char *err, size_t errlen);

AW_END_DECLS

#endif
