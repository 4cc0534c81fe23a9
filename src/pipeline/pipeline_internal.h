/* pipeline_internal.h -- the pipeline from inputs to events, as replay, watch, decode and
 * serve share it: options, the line pipeline (pipeline.c) and binary inputs
 * (binary_input.c). Internal to the library until include/adizwatch/pipeline.h. */
#ifndef ADIZWATCH_PIPELINE_INTERNAL_H
#define ADIZWATCH_PIPELINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "adizwatch/alerts.h"
#include "adizwatch/decode.h"
#include "adizwatch/engine.h"
#include "adizwatch/ingest.h"
#include "adizwatch/store.h"
#include "adizwatch/zones.h"

/* Options shared by replay and watch. */
typedef struct run_options {
    const char *zones;
    const char *db;
    const char *connect;
    const char *poll;   /* --poll PATH_OR_URL: aircraft.json read again every interval_s */
    double interval_s;  /* --interval (default 1 s) */
    aw_format format;
    int tz_offset_s;
    bool assume_utc;    /* --assume-utc */
    double timeout_s;
    size_t max_tracks;  /* --max-tracks */
    bool progress;      /* --progress */
    double idle_timeout_s; /* --idle-timeout: a feed silent this long is reconnected (0 = never) */
    double trail_interval_s; /* --trail-interval: seconds between stored positions, 0 = none */
    bool strict;
    int binary;         /* a bin_format: --format asterix|beast|raw (0 = text formats) */
    int json;           /* an aw_input_kind: snapshots or traces (src/cli/json_input.c), 0 = none */
    double start;       /* --start: clock origin of binary inputs (NAN = default rule) */
    double receiver_lat, receiver_lon;    /* --receiver (NAN = none) */
    aw_radar_site sites[AW_RADAR_SITES_MAX]; /* --radar-site, repeatable */
    int nsites;
    int nargs;          /* positional arguments left */
    char **args;
    bool advise;        /* --advise: scramble advice and intercepts (src/cli/advice_run.c) */
    const char *aircraft_db; /* --aircraft-db: identities for --advise */
    const char *friendly;    /* --friendly KR,JP: nations --advise treats as identified friends */
    const char *rules;       /* --rules FILE: which events are alerts (src/cli/alerts_run.c) */
    const char *outputs[16]; /* --output URL, repeatable */
    int noutputs;
    const char *spool;       /* --spool FILE: the outbox without --db */
    double deliver_timeout_s; /* --deliver-timeout: replay waits this long for delivery */
    const char *metrics;     /* watch --metrics HOST:PORT: Prometheus /metrics */
    int threads;             /* replay --threads: engines in threads (0, 1: one) */
} run_options;

/* How many bad lines are printed before they are only counted. */
#define CLI_BAD_LINES_SHOWN 20

/* The pipeline from lines of text to events on stdout (and in the store). */
typedef struct pipeline {
    const char *source;     /* name used in messages: file name, "stdin", HOST:PORT */
    aw_format format;       /* AW_FORMAT_AUTO until the first line decides */
    int tz_offset_s;
    bool assume_utc;        /* --assume-utc: a CSV time without a zone is UTC */
    bool strict;
    bool progress;          /* --progress: say on stderr how many events are committed */
    uint64_t reported_committed;
    aw_engine *engine;
    aw_store *store;        /* NULL without --db */
    FILE *out;              /* events as JSON Lines (stdout; NULL: not written) */
    FILE *log;              /* problems and the summary (stderr) */
    bool have_header;
    aw_csv_columns cols;
    uint64_t lines, bad_lines, skipped_lines;
    uint64_t store_errors;
    double latest_time;     /* newest report time seen: the feed's clock */
    double trail_interval_s; /* store a track's position when this much newer (0: never) */
    struct trail_table *trail; /* per track: time of the last stored position */
    bool live;              /* a feed (watch): a bad CSV header is a bad line, not fatal */
    bool failed;            /* an unrecoverable error (store) */
    /* Observers (serve's live picture); NULL, as pipeline_init leaves them, = none.
     * before_report sees each parsed report before the engine (a replay paces itself
     * there), after_report sees it with the engine's verdict, on_event each event once it
     * has been stored (with --db: added to the open transaction) and queued for output. */
    void (*before_report)(const aw_report *r, void *user);
    void (*after_report)(const aw_report *r, aw_feed_result res, void *user);
    void (*on_event)(const aw_event *ev, void *user);
    void *hook_user;
    struct lookahead *ahead; /* reports read but not yet fed (pipeline_read_ahead), or NULL */
    char *provenance;       /* the input's provenance comment (JSON, ingest.h), or NULL */
    bool provenance_stored; /* pipeline_store_provenance has run */
    /* Output. Each event is one JSON line, formatted in text (grown as needed). With a
     * store, lines wait in held until the store has committed them (pipeline.c). */
    char *text;
    size_t text_cap;
    struct held_lines { char *data; size_t len, cap; uint64_t lines; } held;
    uint64_t unprinted;     /* events never printed: the store lost them before a commit */
    bool out_failed;        /* writing p->out failed (message printed unless out_closed) */
    bool out_closed;        /* ... because its reader went away (EPIPE): end quietly */
    aw_alerts *alerts;      /* --rules / --output: events become alerts (NULL = none) */
    struct parallel *par;   /* --threads: the engines' threads (parallel.c), or NULL */
} pipeline;

/* Set up a pipeline: engine over zones, optional store. Returns 0 or -1 (message printed,
 * nothing left to free). */
int pipeline_init(pipeline *p, const aw_zone_set *zones, double timeout_s, size_t max_tracks,
                  const char *db_path);
/* Run the engine over other zones from the next report on (serve's zones at run time).
 * The engine is new: every track starts afresh, so a track inside a zone enters it
 * (first_seen) with its next report; visits open in the old zones are not closed. */
int pipeline_set_zones(pipeline *p, const aw_zone_set *zones, double timeout_s, size_t max_tracks);
/* The default of --max-tracks. */
#define CLI_MAX_TRACKS 1000000
/* The default of --idle-timeout: a receiver with no traffic in range may be quiet for a
 * while, and reconnecting to it costs nothing; a dead link without a FIN is found in a
 * minute instead of TCP keepalive's two hours. */
#define CLI_IDLE_TIMEOUT_S 60.0
/* The default of --trail-interval: a position every 30 s draws a jet's track within a few
 * km and costs a few rows per aircraft-minute. */
#define CLI_TRAIL_INTERVAL_S 30.0
/* A replay of a file may read a few reports ahead of the engine, so that the engine can
 * fetch their tracks from memory while it works on the ones before (aw_engine_prefetch).
 * Nothing observable changes: reports are fed in order, each under its own line number,
 * and every other kind of line first feeds those waiting. Not for live feeds (a report
 * must not wait for the next line) nor with a store or observers (their timing is seen);
 * the call then does nothing. */
void pipeline_read_ahead(pipeline *p);
/* Feed the reports read ahead, if any, and with threads write out every report handed
 * to them. Returns 0, or -1 to stop (as pipeline_line). */
int pipeline_drain(pipeline *p);
/* The reports read ahead only (what comes before a line that is not a report). */
int pipeline_drain_ahead(pipeline *p);
/* What follows the engine for one report: its trail position (with a store), the
 * after_report observer, a refusal told as a bad line, a failure. Returns 0 or -1 to
 * stop. pipeline_event is the engine's event callback (user: the pipeline). */
int pipeline_fed(pipeline *p, const aw_report *r, aw_feed_result fed);
void pipeline_event(const aw_event *ev, void *user);

/* ---- threads (parallel.c) ----------------------------------------------------------
 *
 * replay --threads N: N engines in N threads, tracks split by a hash of their id, the
 * output (events, store, messages, summary) that of one engine. Call after the
 * observers are set; does nothing (0) for n <= 1, a live feed, or observers that see
 * each report as it is fed (before_report, after_report). Returns 0, or -1 (message
 * printed). */
int pipeline_threads(pipeline *p, int n, const aw_zone_set *zones, double timeout_s,
                     size_t max_tracks);
/* A report for the threads (from feed()). Returns 0, or -1 to stop. */
int parallel_report(pipeline *p, const aw_report *r);
/* Write out everything handed to the threads. Returns 0, or -1 if the run failed. */
int parallel_drain(pipeline *p);
/* Write out what is in flight, stop the threads, free their engines (pipeline_finish). */
void pipeline_threads_end(pipeline *p);
/* The engine's counters, summed over the threads' engines with threads. */
void pipeline_engine_stats(const pipeline *p, aw_engine_stats *out);
/* aw_engine_expire on the pipeline's engine, or on each thread's engine in turn. */
void pipeline_expire(pipeline *p, double now);
/* Take one line. Returns 0 to go on, -1 to stop (--strict and a bad line, or failure). */
int pipeline_line(pipeline *p, const char *line, size_t len);
/* A line too long to keep: counted and reported like any bad line. */
int pipeline_too_long(pipeline *p);
/* A partial line left when a connection ended: counted and reported as a bad line. */
int pipeline_cut_off(pipeline *p);
/* Forget the CSV header and detected format (a new connection starts a new stream). */
void pipeline_restart(pipeline *p);
/* Commit if a second has passed; with --progress, report what is committed. */
void pipeline_tick(pipeline *p);
/* Print the summary to p->log, close the store, flush p->out. Returns 0, or -1 if the
 * run failed, the last commit failed or the output could not be written. When the
 * output's reader went away (EPIPE: p->out_closed) nothing more is said. */
/* Keep in the store where the input's tracks came from: simulated when it carried a
 * provenance comment, else recorded (format: "csv", "sbs", ...; receiver "" if none).
 * Call before pipeline_finish. Returns 0, or -1 (message printed). */
int pipeline_store_provenance(pipeline *p, const char *format, const char *receiver);
int pipeline_finish(pipeline *p);
/* Write one line (text without its newline, which is added) to p->out: at once without
 * a store, after the store's next commit with one -- what the output shows with a store
 * has been committed. Returns 0, or -1 if writing failed (p->failed is set). */
int pipeline_print(pipeline *p, const char *text, size_t n);
/* A store call failed with err: said once, the run fails, held lines the store rolled
 * back are counted as never printed. */
void pipeline_store_error(pipeline *p, const char *err);
/* Flush p->out. Returns 0, or -1 if writing failed (p->failed is set). */
int pipeline_flush(pipeline *p);

/* ---- binary inputs (binary_input.c) ---------------------------------------- */

/* Binary / frame formats, beside the text formats of aw_format. */
typedef enum bin_format { BIN_NONE = 0, BIN_ASTERIX, BIN_BEAST, BIN_RAW } bin_format;

/* "asterix", "beast", "raw" -> the format; -1 for any other name. */
int bin_format_parse(const char *name, bin_format *out);
/* The format's --format name; "binary" for BIN_NONE. */
const char *bin_format_name(bin_format f);

/* Called for each decoded record with its time (Unix seconds; NAN if none). */
typedef void (*bin_record_fn)(const aw_decoded *d, double time, void *user);

/* A decoding session over one input: the Mode S decoder state, the ASTERIX context, the
 * clock rule (docs/decode.md), counters, and the unconsumed tail of a byte stream. */
typedef struct bin_input {
    bin_format format;
    const char *source;
    FILE *log;                 /* problems and the summary (stderr) */
    aw_modes_decoder *modes;
    aw_asterix_context asterix;
    double clock_ref;          /* Beast/raw: time of the first MLAT tick; ASTERIX: day reference */
    bool have_first_tick;
    uint64_t first_tick, last_tick;
    double last_time;
    bin_record_fn fn;
    void *user;
    /* When set, Mode S frames are handed here as they are and not decoded. */
    void (*frame_fn)(const aw_modes_frame *f, void *user);
    uint8_t *pending;          /* stream bytes not yet forming a whole frame/block */
    size_t npending, cap;
    uint64_t frames, records, bad, skipped;
} bin_input;

/* Set up from the options (--receiver, --radar-site). Returns 0 or -1 (message printed). */
int bin_input_init(bin_input *in, bin_format f, const run_options *o, bin_record_fn fn,
                   void *user);
void bin_input_free(bin_input *in);
/* Decode a whole file (ASTERIX: raw blocks or a pcap capture). start NAN = default rule.
 * Returns 0, or -1 if it cannot be read (message printed). */
int bin_input_file(bin_input *in, const char *path, double start);
/* Decode bytes arriving live at wall-clock time now; a partial frame is kept for the
 * next call. */
void bin_input_stream(bin_input *in, const uint8_t *buf, size_t len, double now);
/* Print the counters to stderr. */
void bin_input_summary(const bin_input *in);

/* Feed one report built from a decoded record into the pipeline (counts it). */
int pipeline_report(pipeline *p, const aw_report *r);
/* A decoded binary record (bin_record_fn): fed as a report, or counted as skipped. */
void pipeline_record(const aw_decoded *d, double time, void *user);
#endif
