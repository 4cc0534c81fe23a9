/* pipeline.h -- an input through the engine into the store: what `adizwatch replay` does,
 * for a program of one's own.
 *
 * The engine (engine.h) takes reports; a program that reads a recording or a feed also
 * has to split lines, recognise the format, read a CSV header, decode binary frames and
 * give them a time, count and report bad lines with their numbers, store events and
 * positions, and say at the end what it did. The pipeline does all that, exactly as the
 * command does (the same code): open one with the zones and options, give it inputs --
 * a file, a descriptor (stdin, a connected socket), or lines and reports from one's own
 * loop -- and close it.
 *
 * Events come to on_event (and, if asked, as the event contract's JSON Lines to a
 * FILE); problems (a bad line with its line number, a store error) and the closing
 * summary come to on_message, one line each, worded as the command prints them. The
 * library prints nothing unless on_message is NULL, when those lines go to stderr.
 *
 * Formats: "auto" (the default) tells the line formats apart by the first line; "csv",
 * "sbs", "readsb" (JSON position lines) say which; "asterix", "beast", "raw" are binary
 * inputs (docs/decode.md), read from a file or a descriptor. Whole-file JSON inputs
 * (aircraft.json snapshots, traces: feeds.h) and sniffing a binary input are not the
 * pipeline's yet: the command does them itself. A pipeline belongs to one thread at a
 * time. */
#ifndef ADIZWATCH_PIPELINE_H
#define ADIZWATCH_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* Options; a zeroed struct gives the defaults. */
typedef struct aw_pipeline_options {
    const char *format;      /* NULL or "auto", "csv", "sbs", "readsb", "asterix", "beast",
                              * "raw" */
    int tz_offset_s;         /* the SBS receiver's clock, seconds east of UTC */
    bool assume_utc;         /* a CSV time without a zone is taken as UTC (else a bad line) */
    double timeout_s;        /* a track not heard for this long is closed (0: 300) */
    size_t max_tracks;       /* tracks kept at most (0: 1000000) */
    const char *db_path;     /* keep events (and positions) in this SQLite file; NULL: none */
    double trail_interval_s; /* with db_path: a position per track every so many seconds
                              * (0: 30; negative: none) */
    bool strict;             /* the first bad line stops the input (it returns -1) */
    bool live;               /* a feed: a bad CSV header is a bad line, not the end */
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
    void *user;              /* passed to the three callbacks */
    int threads;             /* engines in this many threads of their own (0, 1: one engine,
                              * in the caller's thread), tracks split by their id; the output
                              * is the same, in the same order (docs/performance.md). Not for
                              * live feeds nor with on_report (one engine then); the lost
                              * exits of aw_pipeline_tick come engine by engine */
} aw_pipeline_options;

/* What went through a pipeline so far. */
typedef struct aw_pipeline_stats {
    uint64_t lines;          /* lines read (binary inputs: records decoded) */
    uint64_t bad_lines;      /* malformed lines, counted (and the first 20 told) */
    uint64_t skipped_lines;  /* well-formed lines with nothing for the engine */
    uint64_t store_errors;   /* failed writes to the store */
    uint64_t committed;      /* events committed to the store (0 without one) */
    aw_engine_stats engine;  /* reports, tracks, events... (engine.h) */
} aw_pipeline_stats;

/* A pipeline over zones (which must outlive it). Returns NULL with the reason in err if
 * an option is wrong (an unknown format) or the store cannot be opened. */
aw_pipeline *aw_pipeline_new(const aw_zone_set *zones, const aw_pipeline_options *opt,
                             char *err, size_t errlen);

/* Read a whole input: a file, or "-" for stdin; messages name it by its path. Returns 0,
 * or -1 if it could not be read or was stopped (strict, a store failure). */
int aw_pipeline_read_file(aw_pipeline *p, const char *path);
/* The same from a descriptor (not closed), read until its end: a pipe or a connected
 * socket (aw_tcp_connect). A binary input from a descriptor is taken as live: frames
 * are timed as they arrive. A live feed whose silent tracks must be closed on time is
 * better read in one's own loop: aw_line_reader, aw_pipeline_line, and aw_pipeline_tick
 * once a second. */
int aw_pipeline_read_fd(aw_pipeline *p, int fd, const char *name);

/* One's own loop: one line of text (without its end), numbered on from the lines before;
 * messages name the input as aw_pipeline_restart last did ("input" before). Returns 0,
 * or -1 to stop (strict and a bad line, or a failure). */
int aw_pipeline_line(aw_pipeline *p, const char *line, size_t len);
/* One report already parsed (counted as a line). */
int aw_pipeline_report(aw_pipeline *p, const aw_report *r);
/* A new stream begins (a reconnection, another file), called name in messages: the CSV
 * header and the detected format are forgotten; tracks and open visits are kept. */
void aw_pipeline_restart(aw_pipeline *p, const char *name);
/* The clock of a live feed: tracks not heard since now - timeout are closed (their exit
 * events come now), and the store commits if a second has passed. */
void aw_pipeline_tick(aw_pipeline *p, double now);

/* A copy of the pipeline's counters so far. */
void aw_pipeline_get_stats(const aw_pipeline *p, aw_pipeline_stats *out);

/* Commit, close the store, give the summary to on_message, free everything. Returns 0,
 * or -1 if anything failed along the way (a store error, the last commit). */
int aw_pipeline_close(aw_pipeline *p);

AW_END_DECLS
#endif
