/* pipeline.h -- an input through the engine into the store: what `adizwatch replay` and
 * `adizwatch watch` do, for a program of one's own.
 *
 * The engine (engine.h) takes reports; a program that reads a recording or a feed also
 * has to split lines, recognise the format, read a CSV header, decode binary frames and
 * give them a time, count and report bad lines with their numbers, store events and
 * positions, and say at the end what it did. The pipeline does all that, exactly as the
 * commands do (they are thin wrappers over it): open one with the zones and options, give
 * it inputs -- a file, a folder of JSON files, a descriptor (stdin, a connected socket),
 * or lines, bytes, snapshots and reports from one's own loop -- and close it.
 *
 * Events come to on_event (and, if asked, as the event contract's JSON Lines to a
 * FILE); problems (a bad line with its line number, a store error) and the closing
 * summary come to on_message, one line each, worded as the command prints them. The
 * library prints nothing unless on_message is NULL, when those lines go to stderr.
 *
 * Formats: "auto" (the default) tells the inputs apart by their first bytes (a file:
 * text lines, aircraft.json snapshots, traces, Beast, raw hex, ASTERIX, pcap; sniff.h)
 * and the line formats by the first line; "csv", "sbs", "readsb" (JSON position lines)
 * say which; "snapshot" (readsb aircraft.json) and "trace" (tar1090 globe history) are
 * whole-file JSON inputs (feeds.h), read from files and folders in time order;
 * "asterix", "beast", "raw" are binary inputs (docs/decode.md).
 *
 * Beside the zone events the pipeline can give scramble advice and intercepts
 * (advise: advice.h), and make alerts of events for delivery (rules: alerts.h), each kept
 * in the store with the events and printed among them. A pipeline belongs to one thread
 * at a time. */
#ifndef ADIZWATCH_PIPELINE_H
#define ADIZWATCH_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "advice.h"
#include "alerts.h"
#include "decode.h"
#include "engine.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_pipeline aw_pipeline;

/* One line of the pipeline's messages (no newline). */
typedef void (*aw_message_fn)(const char *line, void *user);

/* The defaults of the command (and of a zero field below). */
#define AW_PIPELINE_TIMEOUT_S 300.0
#define AW_PIPELINE_MAX_TRACKS 1000000
#define AW_PIPELINE_TRAIL_INTERVAL_S 30.0

/* aw_pipeline_close: the run went well but alerts were still queued when the wait for
 * the sinks ended (they stay in the outbox for the next run). */
#define AW_PIPELINE_UNDELIVERED 1

/* Options; a zeroed struct gives the defaults. */
typedef struct aw_pipeline_options {
    const char *format;      /* NULL or "auto", "csv", "sbs", "readsb", "snapshot", "trace",
                              * "asterix", "beast", "raw" */
    int tz_offset_s;         /* the SBS receiver's clock, seconds east of UTC */
    bool assume_utc;         /* a CSV time without a zone is taken as UTC (else a bad line) */
    double timeout_s;        /* a track not heard for this long is closed (0: 300) */
    size_t max_tracks;       /* tracks kept at most (0: 1000000) */
    const char *db_path;     /* keep events (and positions) in this SQLite file; NULL: none */
    double trail_interval_s; /* with db_path: a position per track every so many seconds
                              * (0: 30; negative: none) */
    bool strict;             /* the first bad line stops the input (it returns -1) */
    bool live;               /* a feed: a bad CSV header is a bad line, not the end, and the
                              * input's provenance is stored with its first data line */
    bool progress;           /* with db_path: say through on_message how many events are
                              * committed, at each tick that changes it */
    double start;            /* binary inputs: the clock's origin, Unix seconds (0: the
                              * default rule of docs/decode.md) */
    bool has_receiver;       /* binary Mode S: the receiver's position, for CPR */
    double receiver_lat, receiver_lon;
    const aw_radar_site *sites; /* ASTERIX: the radars, for polar plots */
    int nsites;
    FILE *events_out;        /* also write each event as a JSON line here; NULL: don't */
    aw_event_fn on_event;    /* each event, once it is stored; may be NULL */
    /* each report with the engine's verdict (AW_FEED_OK, _DROPPED, _INVALID); may be NULL */
    void (*on_report)(const aw_report *r, aw_feed_result res, void *user);
    aw_message_fn on_message; /* problems and the summary; NULL: to stderr */
    void *user;              /* passed to the callbacks */

    /* Scramble advice (advice.h): when advise is set, an advisor sees each accepted report
     * and each event; its advice and intercepts are written as JSON lines among the
     * events, kept in the store as records, given to the alerts, and counted in the
     * summary. */
    bool advise;
    const char *aircraft_db; /* identities for the advisor and the alerts (identify.h's
                              * file); NULL: none (the advisor then learns only the
                              * military aircraft a readsb or tar1090 input marks) */
    const char *friendly;    /* advise: nations treated as identified friends ("KR,JP") */
    aw_advice_fn on_advice;  /* each advice and intercept; may be NULL */

    /* Alerts (alerts.h): events the rules select are queued in a durable outbox -- the
     * store when db_path is given (an alert commits with its event), else the SQLite file
     * outbox -- and sent by the rules' outputs. The pipeline takes the rules (they are
     * freed by aw_pipeline_close, or by aw_pipeline_new when it fails). */
    aw_alert_rules *rules;   /* NULL: no alerts */
    const char *outbox;      /* without db_path: the outbox file (required with rules) */
    double deliver_timeout_s; /* aw_pipeline_close waits this long for the sinks */
    int threads;             /* engines in this many threads of their own (0, 1: one engine,
                              * in the caller's thread), tracks split by their id; the output
                              * is the same, in the same order (docs/performance-round2.md). Not for
                              * live feeds nor with on_report or advise (one engine then);
                              * the lost exits of aw_pipeline_tick come engine by engine */
} aw_pipeline_options;

/* What went through a pipeline so far. */
typedef struct aw_pipeline_stats {
    uint64_t lines;          /* lines read (binary inputs: records decoded) */
    uint64_t bad_lines;      /* malformed lines, counted (and the first 20 told) */
    uint64_t skipped_lines;  /* well-formed lines with nothing for the engine */
    uint64_t store_errors;   /* failed writes to the store */
    uint64_t committed;      /* events committed to the store (0 without one) */
    double latest_time;      /* the newest report time seen (Unix seconds), the feed's
                              * clock; 0 before any */
    uint64_t advice, intercepts; /* with advise: scramble advice and intercepts given */
    bool failed;             /* the run has failed (a store or output error, strict) */
    aw_engine_stats engine;  /* reports, tracks, events... (engine.h) */
} aw_pipeline_stats;

/* A pipeline over zones (which must outlive it). Returns NULL with the reason in err, and
 * errno EINVAL when an option or a file it names is wrong (an unknown format, an
 * unreadable aircraft database, an outbox that cannot be opened: nothing has run), or
 * EIO when the store cannot be opened, ENOMEM without memory. */
aw_pipeline *aw_pipeline_new(const aw_zone_set *zones, const aw_pipeline_options *opt,
                             char *err, size_t errlen);

/* What reader the inputs at paths need, decided as `adizwatch replay` decides: with
 * format NULL, "auto" or "readsb", by their first bytes (sniff.h) -- several files or a
 * folder only as snapshots or traces. *chosen is then a format name for
 * the options (a static string; "auto" for text lines told by their first line),
 * otherwise format itself. "-" (stdin), a pipe or a FIFO is taken as text lines (a look
 * at its first bytes would take them from the reader). Returns 0, or -1 with the
 * reason in err (nothing readable: the formats tried are named). */
int aw_pipeline_detect(const char *const *paths, int npaths, const char *format,
                       const char **chosen, char *err, size_t errlen);

/* Read a whole input: a file, or "-" for stdin; messages name it by its path. With format
 * "auto" (or "readsb") a file is sniffed first, as aw_pipeline_detect does. When it is not live, the input's
 * provenance (recorded, or simulated if it says so) is stored at its end. Returns 0, or
 * -1 if it could not be read or was stopped (strict, a store failure). */
int aw_pipeline_read_file(aw_pipeline *p, const char *path);
/* The same from a descriptor (not closed), read until its end: a pipe or a connected
 * socket (aw_tcp_connect). A binary input from a descriptor is taken as live: frames
 * are timed as they arrive. A live feed whose silent tracks must be closed on time is
 * better read in one's own loop: aw_line_reader, aw_pipeline_line, and aw_pipeline_tick
 * once a second. */
int aw_pipeline_read_fd(aw_pipeline *p, int fd, const char *name);
/* Several inputs: aircraft.json snapshots or trace files (told as aw_pipeline_detect
 * tells them, or format "snapshot" or "trace"), the files named and those under the
 * folders named, fed in time order (snapshots by their "now", traces merged point by
 * point); messages name them "input". A file that cannot be read is counted with the bad
 * lines and told. One path is read as aw_pipeline_read_file reads it. Returns 0, or -1
 * when the pipeline failed. */
int aw_pipeline_read_paths(aw_pipeline *p, const char *const *paths, int npaths);

/* One's own loop: one line of text (without its end), numbered on from the lines before;
 * messages name the input as aw_pipeline_restart last did ("input" before). Returns 0,
 * or -1 to stop (strict and a bad line, or a failure). */
int aw_pipeline_line(aw_pipeline *p, const char *line, size_t len);
/* One report already parsed (counted as a line). */
int aw_pipeline_report(aw_pipeline *p, const aw_report *r);
/* A line that cannot be given (too long to keep, cut off by the end of a connection):
 * counted and reported like any bad line, with the reason. Returns as aw_pipeline_line. */
int aw_pipeline_bad_line(aw_pipeline *p, const char *reason);
/* Bytes of a binary stream (format "asterix", "beast" or "raw") as they arrive at time now
 * (Unix seconds: frames are timed by it); a frame cut between two calls is kept for the
 * next. Returns 0, or -1 when the pipeline failed. */
int aw_pipeline_bytes(aw_pipeline *p, const void *data, size_t len, double now);
/* One aircraft.json snapshot (its text): each aircraft with something new since the
 * snapshots before gives a report. *now (may be NULL) gets the snapshot's time, the feed's
 * clock. Returns the number of aircraft read, or -1 with the reason in err when the text
 * is not a snapshot (nothing fed). */
long aw_pipeline_snapshot(aw_pipeline *p, const char *text, size_t len, double *now,
                          char *err, size_t errlen);
/* A new stream begins (a reconnection, another file), called name in messages: the CSV
 * header, the detected format and a binary frame cut short are forgotten; tracks and
 * open visits are kept. */
void aw_pipeline_restart(aw_pipeline *p, const char *name);
/* The clock of a live feed: tracks not heard since now - timeout are closed (their exit
 * events come now; now NAN: none), the store commits if a second has passed, the alerts'
 * sinks are heard. Returns 0, or -1 when the pipeline has failed. */
int aw_pipeline_tick(aw_pipeline *p, double now);
/* Flush events_out. Returns 0, or -1 if it cannot be written or the pipeline has failed
 * (a reader that went away, EPIPE, ends the run without a message). */
int aw_pipeline_flush(aw_pipeline *p);
/* The pipeline's alerts (to read their counts and sinks, or aw_alerts_set_rules to change
 * the rules while it runs); NULL without rules. */
aw_alerts *aw_pipeline_alerts(aw_pipeline *p);

/* A copy of the pipeline's counters so far. */
void aw_pipeline_get_stats(const aw_pipeline *p, aw_pipeline_stats *out);

/* Commit, close the store, give the summary to on_message; with rules, wait up to
 * deliver_timeout_s for the sinks and say what they did; with advise, count the advice;
 * free everything. Returns 0, AW_PIPELINE_UNDELIVERED (alerts still queued), or -1 if
 * anything failed along the way (a store error, the last commit, the outbox). */
int aw_pipeline_close(aw_pipeline *p);

AW_END_DECLS
#endif
