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
#include "adizwatch/store.h"
#include "adizwatch/zones.h"
#include "pipeline/pipeline_internal.h"

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
int cli_help_command(const char *name, FILE *out);
void cli_help_man(FILE *out);
void cli_help_bash(FILE *out);

/* Parse replay/watch options; prints the problem and returns -1 on bad usage. */
int parse_run_options(int argc, char **argv, run_options *o, const char *usage);

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

/* --advise: attach a scramble advisor to the pipeline (its hooks); advice and intercept
 * events go to p->out as JSON lines and, with --db, into the store as records. Returns
 * 0, or -1 with the problem printed (the aircraft database cannot be read). */
int cli_advice_start(pipeline *p, const run_options *o, const aw_zone_set *zones);
/* The aircraft database the advisor identifies by (the --aircraft-db file's, or an empty
 * one), for a feed to add what it knows (readsb's military flag); NULL without --advise. */
aw_aircraft_db *cli_advice_db(pipeline *p);
/* Free what cli_advice_start set up (after pipeline_finish); nothing if it was not. */
void cli_advice_stop(pipeline *p);

/* --rules / --output (alerts_run.c). prepare reads the rule file before anything runs
 * (-1: problem printed, exit 2); start attaches the alerts to the pipeline once it is
 * set up (-1: problem printed); finish, after pipeline_finish, waits for delivery up to
 * timeout_s and frees: 0, EXIT_UNDELIVERED or EXIT_RUN_FAILED. Without --rules and
 * --output all three do nothing. */
int cli_alerts_prepare(const run_options *o);
/* --output URL (added to o->outputs) and --deliver-timeout S, as replay, watch and serve
 * take them: 0, or -1 with the problem printed. */
int cli_output_arg(run_options *o, const char *url);
int cli_deliver_timeout_arg(run_options *o, const char *s);
int cli_alerts_start(pipeline *p, const run_options *o, const aw_zone_set *zones);
int cli_alerts_finish(pipeline *p, const run_options *o, double timeout_s);
/* The per-sink counters on stderr, each line "adizwatch: WHO: URL: ...". */
void cli_alerts_print_sinks(const aw_deliverer *d, const char *who);
/* SIGHUP: read --rules again; a bad file is reported and the rules in force kept. */
void cli_alerts_reload(pipeline *p, const run_options *o);
int cmd_deliver(int argc, char **argv);

/* watch --metrics HOST:PORT (watch_metrics.c): start serves GET /metrics (NULL: problem
 * printed); update, from the watch loop once a second, renders what it serves. */
typedef struct watch_metrics watch_metrics;
watch_metrics *watch_metrics_start(const char *hostport);
void watch_metrics_update(watch_metrics *m, pipeline *p, bool connected);
void watch_metrics_stop(watch_metrics *m);
/* The Prometheus text of the pipeline's counters (malloc'd; NULL when out of memory): what
 * watch --metrics and serve's GET /metrics answer. From the thread that feeds p. */
char *cli_metrics_text(pipeline *p, bool connected);

/* Parse one of --radar-site, --receiver, --start (name without dashes) into o.
 * Returns 0, or -1 with the problem printed. */
int parse_binary_option(const char *name, const char *value, run_options *o);

/* ---- JSON and sniffed inputs (src/cli/json_input.c) --------------------------------- */

/* With --format auto (or readsb), decide from the inputs' first bytes which reader they
 * need (sets o->format, o->binary or o->json). Returns 0, or -1 with the problem printed
 * (nothing readable: the formats tried are named). */
int input_choose(run_options *o);
/* What serve --replay PATH is: 0 text lines (CSV, SBS, readsb JSON lines), AW_INPUT_SNAPSHOT
 * or AW_INPUT_TRACE (a file or a folder of them), or -1 with the problem printed (nothing
 * readable, or a binary recording, which serve does not replay). */
int input_serve_kind(const char *path);
/* Feed the snapshots or traces at path (a file or a folder) into p in time order, until
 * stop(user) says to end (stop may be NULL). 0, or -1 when the pipeline failed. */
int replay_json_into(pipeline *p, const char *path, int kind, bool (*stop)(void *user),
                     void *user);
/* replay of aircraft.json snapshots or trace files (o->json): files and folders, in time
 * order. Frees zones; returns an exit status. */
int replay_json(const run_options *o, aw_zone_set *zones);

/* watch --poll: read aircraft.json (a path or an http(s) URL) every o->interval_s until
 * *stop; reports go into p. Returns 0, or -1 when the pipeline failed. */
int watch_poll(const run_options *o, pipeline *p, volatile sig_atomic_t *stop);
/* A report from readsb or tar1090 into the pipeline; with --advise, an aircraft the feed's
 * database marks military (dbFlags) and the aircraft database does not know is added to
 * it first, so that the advisor identifies it as military. */
void cli_feed_report(const aw_report *r, const aw_feed_info *info, void *pipeline_p);

/* Open a UDP socket for "udp://ADDR:PORT" (joins the group if ADDR is multicast).
 * Returns the socket or -1 with a reason in err. */
int udp_listen(const char *url, char *err, size_t errlen);

#endif
