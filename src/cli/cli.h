/* cli.h -- what the subcommands of the adizwatch command share. */
#ifndef ADIZWATCH_CLI_H
#define ADIZWATCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "adizwatch/engine.h"
#include "adizwatch/ingest.h"
#include "adizwatch/store.h"
#include "adizwatch/zones.h"

/* Exit statuses: 0 done, 1 failed while running (I/O, --strict stop), 2 bad usage or a
 * bad zone file (nothing was run). */
enum { EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2 };

int cmd_replay(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_zones(int argc, char **argv);
int cmd_events(int argc, char **argv);

/* Options shared by replay and watch. */
typedef struct run_options {
    const char *zones;
    const char *db;
    const char *connect;
    aw_format format;
    int tz_offset_s;
    double timeout_s;
    bool strict;
    int nargs;          /* positional arguments left */
    char **args;
} run_options;

/* Parse replay/watch options; prints the problem and returns -1 on bad usage. */
int parse_run_options(int argc, char **argv, run_options *o, const char *usage);

/* Load the zones named on the command line, printing every problem to stderr.
 * Returns NULL if there was any. */
aw_zone_set *cli_load_zones(const char *spec);

/* How many bad lines are printed before they are only counted. */
#define CLI_BAD_LINES_SHOWN 20

/* The pipeline from lines of text to events on stdout (and in the store). */
typedef struct pipeline {
    const char *source;     /* name used in messages: file name, "stdin", HOST:PORT */
    aw_format format;       /* AW_FORMAT_AUTO until the first line decides */
    int tz_offset_s;
    bool strict;
    aw_engine *engine;
    aw_store *store;        /* NULL without --db */
    FILE *out;
    bool have_header;
    aw_csv_columns cols;
    uint64_t lines, bad_lines, skipped_lines;
    uint64_t store_errors;
    double latest_time;     /* newest report time seen: the feed's clock */
    bool failed;            /* an unrecoverable error (store) */
} pipeline;

/* Set up a pipeline: engine over zones, optional store. Returns 0 or -1 (message printed). */
int pipeline_init(pipeline *p, const aw_zone_set *zones, double timeout_s, const char *db_path);
/* Take one line. Returns 0 to go on, -1 to stop (--strict and a bad line, or failure). */
int pipeline_line(pipeline *p, const char *line, size_t len);
/* A line too long to keep: counted and reported like any bad line. */
int pipeline_too_long(pipeline *p);
/* Forget the CSV header and detected format (a new connection starts a new stream). */
void pipeline_restart(pipeline *p);
/* Print the summary to stderr, close the store. Returns 0 or -1 if closing failed. */
int pipeline_finish(pipeline *p);

#endif
