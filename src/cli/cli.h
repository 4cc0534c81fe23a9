/* cli.h -- what the subcommands of the adizwatch command share. */
#ifndef ADIZWATCH_CLI_H
#define ADIZWATCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "adizwatch/decode.h"
#include "adizwatch/engine.h"
#include "adizwatch/feeds.h"
#include "adizwatch/identify.h"
#include "adizwatch/ingest.h"
#include "adizwatch/pipeline.h"
#include "adizwatch/store.h"
#include "adizwatch/zones.h"

/* Options shared by replay and watch (parse_run_options, cmd_replay.c); the pipeline's
 * are aw_pipeline_options (run_pipeline_options). */
typedef struct run_options {
    const char *zones;
    const char *db;
    const char *connect;
    const char *poll;   /* --poll PATH_OR_URL: aircraft.json read again every interval_s */
    double interval_s;  /* --interval (default 1 s) */
    const char *format; /* --format: a name aw_pipeline_options takes (NULL: auto) */
    int tz_offset_s;
    bool assume_utc;    /* --assume-utc */
    double timeout_s;
    size_t max_tracks;  /* --max-tracks */
    bool progress;      /* --progress */
    double idle_timeout_s; /* --idle-timeout: a feed silent this long is reconnected (0 = never) */
    double trail_interval_s; /* --trail-interval: seconds between stored positions, 0 = none */
    bool strict;
    double start;       /* --start: clock origin of binary inputs (NAN = default rule) */
    double receiver_lat, receiver_lon;    /* --receiver (NAN = none) */
    aw_radar_site sites[AW_RADAR_SITES_MAX]; /* --radar-site, repeatable */
    int nsites;
    int nargs;          /* positional arguments left */
    char **args;
    bool advise;        /* --advise: scramble advice and intercepts */
    const char *aircraft_db; /* --aircraft-db: identities for --advise and the alerts */
    const char *friendly;    /* --friendly KR,JP: nations --advise treats as identified friends */
    const char *rules;       /* --rules FILE: which events are alerts (alerts_run.c) */
    const char *outputs[16]; /* --output URL, repeatable */
    int noutputs;
    const char *spool;       /* --spool FILE: the outbox without --db */
    double deliver_timeout_s; /* --deliver-timeout: replay waits this long for delivery */
    const char *metrics;     /* watch --metrics HOST:PORT: Prometheus /metrics */
    int threads;             /* replay --threads: engines in threads (0, 1: one) */
} run_options;

/* The default of --idle-timeout: a receiver with no traffic in range may be quiet for a
 * while, and reconnecting to it costs nothing; a dead link without a FIN is found in a
 * minute instead of TCP keepalive's two hours. */
#define CLI_IDLE_TIMEOUT_S 60.0

/* The pipeline's options from the run options (format: the one to read with). */
aw_pipeline_options run_pipeline_options(const run_options *o, const char *format);
/* aw_pipeline_new for a command: NULL with the problem printed and *status the exit status
 * (2 when an option or a file it names is wrong, 1 when the store cannot be opened). */
aw_pipeline *run_pipeline_new(const aw_zone_set *zones, const aw_pipeline_options *opt,
                              int *status);

/* Exit statuses: 0 done, 1 failed while running (I/O, --strict stop), 2 bad usage or a
 * bad zone file (nothing was run), 3 alerts still queued when delivery timed out. */
enum { EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2, EXIT_UNDELIVERED = 3 };

/* Seconds on the monotonic clock: for pacing, timeouts and intervals, which a change of
 * the wall clock must not stretch. */
static inline double cli_monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cmd_replay(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_zones(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_where(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_intercept(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_patrol(int argc, char **argv);
int cmd_publish(int argc, char **argv); /* cluster: docs/scale-out.md */
int cmd_worker(int argc, char **argv);
/* --retry S (publish, worker, events --nats): 0, or -1 with the problem printed. */
int cli_retry_arg(const char *s, double *out);

/* Help, from the one description of the command line (help.c): the overview of every
 * command; one command's synopsis and options (-1 if there is no such command); the man
 * page adizwatch(1) as troff; the bash completion script. */
void cli_help(FILE *out);
/* A command's synopsis, for the messages of bad usage: "usage: adizwatch NAME ...". */
void cli_usage(const char *name, FILE *out);
int cli_help_command(const char *name, FILE *out);
void cli_help_man(FILE *out);
void cli_help_bash(FILE *out);

/* Parse replay/watch options (command: "replay" or "watch", for its usage); prints the
 * problem and returns -1 on bad usage. */
int parse_run_options(int argc, char **argv, run_options *o, const char *command);

/* The simulator's aircraft as an aircraft database file (simulate --aircraft-db), and
 * its problems printed; for simulate and serve --simulate. */
typedef struct aw_sim aw_sim;
int cli_sim_aircraft_db(const aw_sim *sim, const char *path, bool sbs);
void cli_sim_problem(const char *msg, void *user);

/* SIGINT and SIGTERM call handler (which sets a stop flag); SIGPIPE is ignored. */
void cli_catch_stop_signals(void (*handler)(int));

/* --tz and --timeout values: 0, or -1 with the problem printed. */
int cli_tz_arg(const char *s, int *seconds_out);
/* The offset of a --tz value (already checked by cli_tz_arg) in force at time t. */
int cli_tz_at(const char *s, double t, int *seconds_out);
int cli_timeout_arg(const char *s, double *out);

/* Load the zones named on the command line, printing every problem to stderr.
 * Returns NULL if there was any. */
aw_zone_set *cli_load_zones(const char *spec);
/* The GeoJSON text of one zone spec (a file or builtin:NAME), NUL-terminated, malloc'ed;
 * NULL (message printed) if it cannot be read. */
char *cli_zones_json(const char *spec, size_t *len);
/* `zones export SPEC` in format "geojson" or "kml" to stdout; returns an exit status. */
int zones_export(const char *spec, const char *format);

/* The exit of every command: flushes and closes stdout, and returns status, or 1 with a
 * message if stdout could not be written (unless status already says the command failed).
 * If stdout's reader went away (EPIPE), ends the process by SIGPIPE, silently, as Unix
 * filters end (a shell reports status 141). */
int cli_exit(int status);

/* --rules / --output (alerts_run.c). prepare reads the rule file before anything runs
 * (-1: problem printed, exit 2); start attaches the alerts to the pipeline once it is
 * set up (-1: problem printed); finish, after pipeline_finish, waits for delivery up to
 * timeout_s and frees: 0, EXIT_UNDELIVERED or EXIT_RUN_FAILED. Without --rules and
 * --output all three do nothing. */
struct pipeline; /* the internal pipeline (serve: src/pipeline/pipeline_internal.h) */
int cli_alerts_prepare(const run_options *o);
/* --output URL (added to o->outputs) and --deliver-timeout S, as replay, watch and serve
 * take them: 0, or -1 with the problem printed. */
int cli_output_arg(run_options *o, const char *url);
int cli_deliver_timeout_arg(run_options *o, const char *s);
/* The rules prepare read (NULL if none), for aw_pipeline_options.rules: the caller owns
 * them from now on. */
aw_alert_rules *cli_alerts_take(void);
/* Where the alerts queue: --db, --spool or the default spool (said on stderr when the
 * rules are read and neither option was given). */
const char *cli_alerts_outbox(const run_options *o);
int cli_alerts_start(struct pipeline *p, const run_options *o, const aw_zone_set *zones);
int cli_alerts_finish(struct pipeline *p, const run_options *o, double timeout_s);
/* The per-sink counters on stderr, each line "adizwatch: WHO: URL: ...". */
void cli_alerts_print_sinks(const aw_deliverer *d, const char *who);
/* SIGHUP: read --rules again; a bad file is reported and the rules in force kept. */
/* (trail_interval_s: the pipeline's, for the patrol alerts the new rules may name.) */
void cli_alerts_reload(aw_alerts *alerts, const run_options *o, double trail_interval_s);
int cmd_deliver(int argc, char **argv);

/* watch --metrics HOST:PORT (watch_metrics.c): start serves GET /metrics (NULL: problem
 * printed); update, from the watch loop once a second, renders what it serves. */
typedef struct watch_metrics watch_metrics;
watch_metrics *watch_metrics_start(const char *hostport);
void watch_metrics_update(watch_metrics *m, aw_pipeline *p, bool connected);
void watch_metrics_stop(watch_metrics *m);
/* The Prometheus text of a pipeline's counters and alerts (may be NULL) (malloc'd; NULL
 * when out of memory): what watch --metrics and serve's GET /metrics answer. From the
 * thread that feeds the pipeline. */
char *cli_metrics_text(const aw_pipeline_stats *st, aw_alerts *alerts, bool connected);

/* Parse one of --radar-site, --receiver, --start (name without dashes) into o.
 * Returns 0, or -1 with the problem printed. */
int parse_binary_option(const char *name, const char *value, run_options *o);

/* ---- inputs ---------------------------------------------------------------------------- */

/* What serve --replay PATH is: 0 text lines (CSV, SBS, readsb JSON lines), AW_INPUT_SNAPSHOT
 * or AW_INPUT_TRACE (a file or a folder of them), or -1 with the problem printed (nothing
 * readable, or a binary recording, which serve does not replay). */
int input_serve_kind(const char *path);

/* watch --poll: read aircraft.json (a path or an http(s) URL) every o->interval_s until
 * *stop; reports go into p. Returns 0, or -1 when the pipeline failed. */
int watch_poll(const run_options *o, aw_pipeline *p, volatile sig_atomic_t *stop);

/* Open a UDP socket for "udp://ADDR:PORT" (joins the group if ADDR is multicast).
 * Returns the socket or -1 with a reason in err. */
int udp_listen(const char *url, char *err, size_t errlen);

#endif
