/* serve_feed.h -- the feed thread of `adizwatch serve` (serve_feed.c), as cmd_serve.c
 * sets it up: the state it keeps between reports, and its entry points. */
#ifndef ADIZWATCH_CLI_SERVE_FEED_H
#define ADIZWATCH_CLI_SERVE_FEED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "pipeline/pipeline_internal.h"
#include "serve/serve.h"

typedef struct serve_feed {
    serve_ctx *s;
    pipeline p;
    const char *path;          /* --replay FILE|DIR */
    int json;                  /* --replay of snapshots or traces: their aw_input_kind */
    aw_format format;
    double last_tick;          /* monotonic time of the last housekeeping */
    uint64_t reports_in_second;
    /* the replay clock: replay time rclock at monotonic time rclock_at, running at speed */
    bool clock_started;
    double rclock, rclock_at, rspeed;
    double live_time, live_time_at; /* connect: newest report time and when it came */
    const aw_zone_set *engine_zones; /* the zones the engine runs over */
    double timeout_s;
    /* seeking (replay): a seek back reads the file again from its start, fast, up to the
     * time sought; reports already fed once (the first max_reports of the file) are a
     * rerun whose output is muted, so that nothing is printed, stored or alerted twice */
    double fed_high;                  /* the newest report time fed */
    uint64_t pass_reports, max_reports;
    bool rewind;               /* a seek back: read the file again */
    double rewind_to;
    bool muted;
    aw_store *store;           /* the pipeline's store, output and alerts while muted */
    FILE *out;
    aw_alerts *alerts;
    const run_options *alert_options; /* --rules and the rest, read again on SIGHUP */
    double last_metrics;       /* monotonic time /metrics was last rendered */
} serve_feed;

/* The pipeline's hooks (before and after each report, each event) pointed at the feed. */
void serve_feed_hooks(serve_feed *f);
/* The thread: --replay or --connect until s->stop. */
void *serve_feed_main(void *arg);
/* SIGHUP: the rules are read again by the feed thread, between two reports. Only an
 * atomic store: safe in a signal handler. */
void serve_feed_hangup(void);

#endif
