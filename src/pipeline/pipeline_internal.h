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
    aw_aircraft_db *alerts_db; /* the alerts' identities (--aircraft-db), or NULL */
    struct advice_run *advice; /* --advise: the scramble advisor (pipeline_advice.c), or NULL */
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
/* Where to parse the next line with threads: the next place in the chunk being filled
 * (parallel_report then need not copy it), or NULL (parse elsewhere). */
aw_report *parallel_slot(pipeline *p);
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
/* A line that could not be given, for the reason: counted and reported as a bad line. */
int pipeline_bad_line(pipeline *p, const char *reason);
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

/* What the decoders are told: the receiver's position for Mode S CPR (NAN: none) and
 * the radar sites of ASTERIX polar plots. */
typedef struct bin_setup {
    double receiver_lat, receiver_lon;
    const aw_radar_site *sites;
    int nsites;
} bin_setup;

/* Set up from the setup (NULL: none). Returns 0 or -1 (message printed). */
int bin_input_init(bin_input *in, bin_format f, const bin_setup *o, bin_record_fn fn,
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

/* The counters of p (aw_pipeline_stats, pipeline.h). */
struct aw_pipeline_stats;
void pipeline_get_stats(const pipeline *p, struct aw_pipeline_stats *out);

/* ---- advice and alerts (pipeline_advice.c, pipeline_alerts.c) ------------------------- */

/* --advise: a scramble advisor on the pipeline: it sees each accepted report and each
 * event; its advice and intercepts are printed among the events, kept in the store as
 * records, and given to the alerts and to on_advice (may be NULL). Identities from the
 * aircraft database file (NULL: an empty one, filled by feeds that mark military
 * aircraft). Returns 0, or -1 with the reason in err. */
int pipeline_advice_start(pipeline *p, const aw_zone_set *zones, const char *aircraft_db,
                          const char *friendly, void (*on_advice)(const struct aw_advice_event *ev, void *user),
                          void *user, char *err, size_t errlen);
/* Say how much advice was given (unless told to be quiet) and free the advisor. */
void pipeline_advice_stop(pipeline *p, bool quiet);
/* The advisor's part of a report the engine accepted, and of an event (pipeline.c). */
void pipeline_advice_report(pipeline *p, const aw_report *r);
void pipeline_advice_event(pipeline *p, const aw_event *ev);
/* Advice given so far: scramble advice and intercepts (0 without an advisor). */
void pipeline_advice_counts(const pipeline *p, uint64_t *advice, uint64_t *intercepts);
/* A report from readsb or tar1090 (aw_feed_fn; user is the pipeline): an aircraft the
 * feed marks military (dbFlags) that the advisor's database does not know is added to it
 * first, so that the advisor identifies it as military. */
struct aw_feed_info;
void pipeline_feed_report(const aw_report *r, const struct aw_feed_info *info, void *user);

/* Alerts on the pipeline's events: the rules (taken, freed also on failure) select,
 * the outbox (the store when p has one, else the file outbox) keeps, the rules' outputs
 * deliver; identities from the aircraft database file (NULL: none); patrol events live
 * (a feed) or at the finish (a replay). Returns 0, or -1 with the reason in err. */
int pipeline_alerts_start(pipeline *p, aw_alert_rules *rules, const char *outbox,
                          const char *aircraft_db, const aw_zone_set *zones, bool live,
                          char *err, size_t errlen);
/* After pipeline_finish: wait up to timeout_s for the sinks, say on p->log what they did
 * and what is still queued in outbox, free the alerts. 0, AW_PIPELINE_UNDELIVERED (1), or
 * -1 (the outbox failed). Nothing without alerts. */
int pipeline_alerts_finish(pipeline *p, double timeout_s, const char *outbox);
/* The per-sink counters, each line "adizwatch: WHO: URL: ...". */
void pipeline_alerts_print_sinks(FILE *log, const aw_deliverer *d, const char *who);

/* ---- choosing the reader, whole-file JSON inputs (json_input.c) ---------------------- */

/* What the inputs are: text lines (json and binary 0; format AUTO or READSB), a binary
 * format, or snapshots / traces (json: an aw_input_kind). */
typedef struct input_choice {
    aw_format format;
    bin_format binary;
    int json;
} input_choice;
/* With c->format AUTO or READSB (and nothing else chosen), decide from the inputs' first
 * bytes which reader they need. Returns 0, or -1 with the reason in err. */
int input_choose(const char *const *paths, int npaths, input_choice *c, char *err,
                 size_t errlen);
/* Feed the snapshots or traces at paths (files and folders) into p in time order, until
 * stop(user) says to end (stop may be NULL). 0, or -1 when the pipeline failed. */
int replay_json_paths(pipeline *p, const char *const *paths, int npaths, int kind,
                      bool (*stop)(void *user), void *user);
/* The same for one path (serve --replay). */
int replay_json_into(pipeline *p, const char *path, int kind, bool (*stop)(void *user),
                     void *user);

/* Feed one report built from a decoded record into the pipeline (counts it). */
int pipeline_report(pipeline *p, const aw_report *r);
/* A decoded binary record (bin_record_fn): fed as a report, or counted as skipped. */
void pipeline_record(const aw_decoded *d, double time, void *user);
#endif
