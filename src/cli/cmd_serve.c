/* cmd_serve.c -- `adizwatch serve`: the live air picture over HTTP.
 *
 * Here the options, the set-up and the stop: the zones, the picture, the pipeline with its
 * store and alerts, the HTTP server (src/serve/), then the feed thread (serve_feed.c) that
 * runs the pipeline on a live feed or a replayed recording until a signal. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/sim.h"
#include "cli/cli.h"
#include "cli/serve_feed.h"
#include "pipeline/pipeline_internal.h"
#include "serve/serve.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    (void)sig;
    stop_signal = 1;
}

static void on_hangup(int sig)
{
    (void)sig;
    serve_feed_hangup();
}


static const char usage[] =
    "usage: adizwatch serve --zones ZONES (--connect HOST:PORT | --replay FILE|DIR [--speed X]\n"
    "                       | --simulate SCENARIO [--speed X])\n"
    "                       [--format auto|csv|sbs|readsb] [--tz +HH:MM|Area/City] [--timeout S] [--db FILE]\n"
    "                       [--aircraft-db FILE] [--http ADDR:PORT] [--token-file FILE]\n"
    "                       [--allow-host NAME[:PORT]]... [--tls-cert PEM --tls-key PEM]\n"
    "                       [--friendly KR,US] [--advise] [--rules FILE] [--output URL]...\n"
    "                       [--spool FILE] [--deliver-timeout S]\n"
    "  The live air picture: JSON API, event stream and web map on --http\n"
    "  (default 127.0.0.1:8080). Read-only unless --token-file is given; an address other\n"
    "  than loopback needs it. See docs/web.md, \"Security\".\n";

typedef struct serve_options {
    const char *zones, *db, *connect, *replay, *simulate, *http, *aircraft_db;
    const char *token_file, *tls_cert, *tls_key, *friendly;
    bool advise;
    run_options alerts; /* --rules, --output, --spool, --deliver-timeout (alerts_run.c) */
    const char *allow_hosts[SERVE_MAX_ALLOW_HOSTS];
    int nallow_hosts;
    aw_format format;
    int tz_offset_s;
    double timeout_s, speed;
} serve_options;

static int parse_options(int argc, char **argv, serve_options *o)
{
    static const struct option longopts[] = {
        {"zones", required_argument, 0, 'z'},  {"db", required_argument, 0, 'd'},
        {"connect", required_argument, 0, 'c'}, {"replay", required_argument, 0, 'r'},
        {"simulate", required_argument, 0, 'S'}, {"speed", required_argument, 0, 'x'},
        {"format", required_argument, 0, 'f'}, {"tz", required_argument, 0, 't'},
        {"timeout", required_argument, 0, 'T'}, {"http", required_argument, 0, 'H'},
        {"aircraft-db", required_argument, 0, 'a'}, {"help", no_argument, 0, 'h'},
        {"token-file", required_argument, 0, 'K'}, {"allow-host", required_argument, 0, 'A'},
        {"friendly", required_argument, 0, 'F'}, {"advise", no_argument, 0, 'V'}, {"tls-cert", required_argument, 0, 'C'}, {"tls-key", required_argument, 0, 'Y'},
        {"rules", required_argument, 0, 'R'}, {"output", required_argument, 0, 'O'},
        {"spool", required_argument, 0, 'P'}, {"deliver-timeout", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->timeout_s = 300;
    o->speed = 1;
    o->http = "127.0.0.1:8080";
    o->alerts.deliver_timeout_s = 60;
    optind = 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'z': o->zones = optarg; break;
        case 'd': o->db = optarg; break;
        case 'c': o->connect = optarg; break;
        case 'r': o->replay = optarg; break;
        case 'S': o->simulate = optarg; break;
        case 'H': o->http = optarg; break;
        case 'a': o->aircraft_db = optarg; break;
        case 'K': o->token_file = optarg; break;
        case 'V': o->advise = true; break;
        case 'F':
            for (const char *p = optarg; *p; p++)
                if (!((*p >= 'A' && *p <= 'Z') || *p == ',')) {
                    fprintf(stderr, "adizwatch: --friendly wants ISO codes like KR,US, not '%s'\n", optarg);
                    return -1;
                }
            o->friendly = optarg;
            break;
        case 'C': o->tls_cert = optarg; break;
        case 'R': o->alerts.rules = optarg; break;
        case 'P': o->alerts.spool = optarg; break;
        case 'O':
            if (cli_output_arg(&o->alerts, optarg) < 0)
                return -1;
            break;
        case 'D':
            if (cli_deliver_timeout_arg(&o->alerts, optarg) < 0)
                return -1;
            break;
        case 'Y': o->tls_key = optarg; break;
        case 'A':
            if (o->nallow_hosts == SERVE_MAX_ALLOW_HOSTS || !*optarg || strpbrk(optarg, "/ ")) {
                fprintf(stderr, "adizwatch: --allow-host wants a NAME or NAME:PORT (at most %d)\n",
                        SERVE_MAX_ALLOW_HOSTS);
                return -1;
            }
            o->allow_hosts[o->nallow_hosts++] = optarg;
            break;
        case 'x':
            o->speed = strtod(optarg, &end);
            if (*end || !(o->speed > 0 && o->speed <= 100000)) {
                fprintf(stderr, "adizwatch: --speed wants a number above 0, at most 100000\n");
                return -1;
            }
            break;
        case 'f':
            if (aw_format_parse(optarg, &o->format) < 0) {
                fprintf(stderr, "adizwatch: serve reads text feeds: --format auto, csv, sbs or readsb, "
                                "not '%s'\n", optarg);
                return -1;
            }
            break;
        case 't':
            if (cli_tz_arg(optarg, &o->tz_offset_s) < 0)
                return -1;
            break;
        case 'T':
            if (cli_timeout_arg(optarg, &o->timeout_s) < 0)
                return -1;
            break;
        case 'h': fputs(usage, stdout); exit(0);
        default: fputs(usage, stderr); return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "adizwatch: serve takes no file argument (use --replay FILE)\n%s", usage);
        return -1;
    }
    if (!o->zones) {
        fprintf(stderr, "adizwatch: --zones is required\n%s", usage);
        return -1;
    }
    if (!o->tls_cert != !o->tls_key) {
        fprintf(stderr, "adizwatch: --tls-cert and --tls-key go together\n");
        return -1;
    }
    char bind_addr[64];
    const char *colon = strrchr(o->http, ':');
    snprintf(bind_addr, sizeof bind_addr, "%.*s", colon ? (int)(colon - o->http) : 0, o->http);
    if (colon && !serve_is_loopback(bind_addr)) {
        if (!o->token_file) {
            fprintf(stderr, "adizwatch: --http %s is reachable from other machines: give "
                            "--token-file (docs/web.md, \"Security\")\n", o->http);
            return -1;
        }
        fprintf(stderr, "adizwatch: warning: --http %s is reachable from other machines%s; "
                        "anyone who can reach it can read the picture\n", o->http,
                o->tls_cert ? "" : " over plain HTTP (no --tls-cert): the token crosses the network in clear");
    }
    if (!!o->connect + !!o->replay + !!o->simulate != 1) {
        fprintf(stderr, "adizwatch: serve needs exactly one of --connect HOST:PORT, --replay FILE, "
                        "--simulate SCENARIO\n%s", usage);
        return -1;
    }
    return 0;
}

static void print_db_problem(long line, const char *reason, void *user)
{
    fprintf(stderr, "%s:%ld: %s\n", (const char *)user, line, reason);
}

static int write_sim_row(const aw_report *r, int aircraft, void *user)
{
    (void)aircraft;
    char row[256];
    int n = aw_sim_format_csv(r, row, sizeof row);
    return n > 0 && (size_t)n < sizeof row && fwrite(row, 1, (size_t)n, user) == (size_t)n ? 0 : 1;
}

/* --simulate: fly the scenario into a temporary CSV (and, unless one is given, its
 * aircraft database), then serve that as a replay paced by --speed: one path through the
 * engine and the picture. The files go when serve ends. */
static char sim_tracks[64], sim_db[64];

static int simulate_to_files(serve_options *o)
{
    aw_sim *sim = aw_sim_load(o->simulate, cli_sim_problem, (void *)o->simulate);
    if (!sim)
        return -2; /* a bad scenario: bad input, nothing served */
    snprintf(sim_tracks, sizeof sim_tracks, "/tmp/adizwatch-sim-XXXXXX");
    int fd = mkstemp(sim_tracks);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    aw_sim_run_options ro = {1, -1};
    int rc = f && fputs(AW_SIM_CSV_HEADER, f) >= 0 && aw_sim_run(sim, &ro, write_sim_row, f, NULL) == 0
                 ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc == 0 && !o->aircraft_db) {
        snprintf(sim_db, sizeof sim_db, "/tmp/adizwatch-sim-db-XXXXXX");
        int dfd = mkstemp(sim_db);
        if (dfd < 0 || close(dfd) != 0 || cli_sim_aircraft_db(sim, sim_db, false) < 0)
            rc = -1;
        else
            o->aircraft_db = sim_db;
    }
    aw_sim_free(sim);
    if (rc < 0)
        fprintf(stderr, "adizwatch: --simulate %s: cannot write the simulated tracks\n", o->simulate);
    o->replay = sim_tracks;
    return rc;
}

static void remove_sim_files(void)
{
    if (sim_tracks[0])
        unlink(sim_tracks);
    if (sim_db[0])
        unlink(sim_db);
}

/* A whole small file as a string (the TLS certificate and key). NULL with the reason. */
static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = f ? calloc(1, 1 << 20) : NULL;
    size_t n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    if (f)
        fclose(f);
    if (!text || n == 0) {
        fprintf(stderr, "adizwatch: cannot read %s%s%s\n", path, f ? "" : ": ", f ? "" : strerror(errno));
        free(text);
        return NULL;
    }
    return text;
}

static int serve_run(serve_options *op)
{
    serve_options o = *op;
    if (o.simulate) {
        atexit(remove_sim_files);
        int made = simulate_to_files(&o);
        if (made < 0)
            return made == -2 ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    if (o.replay && strcmp(o.replay, "-") != 0 && access(o.replay, R_OK) != 0) {
        fprintf(stderr, "adizwatch: cannot open %s: %s\n", o.replay, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    int replay_kind = 0; /* text lines, or snapshots / traces (src/cli/json_input.c) */
    if (o.replay && strcmp(o.replay, "-") != 0 && o.format == AW_FORMAT_AUTO &&
        (replay_kind = input_serve_kind(o.replay)) < 0)
        return EXIT_BAD_INPUT; /* fail now, not serve an empty map */
    aw_zone_set *zones = cli_load_zones(o.zones);
    if (!zones)
        return EXIT_BAD_INPUT;
    static serve_ctx s; /* big (rate table); one per process run, not library state */
    memset(&s, 0, sizeof s);
    s.mode = o.replay ? SERVE_REPLAY : SERVE_CONNECT;
    s.source = o.replay ? o.replay : o.connect;
    if (serve_zones_init(&s, zones, o.zones, o.db) < 0) { /* takes zones over */
        serve_zones_free(&s);
        return EXIT_BAD_INPUT;
    }
    s.speed = o.speed;
    s.friendly = o.friendly;
    for (int i = 0; i < o.nallow_hosts; i++)
        s.allow_hosts[i] = o.allow_hosts[i];
    s.nallow_hosts = o.nallow_hosts;
    char *token = NULL;
    if (o.token_file) {
        token = serve_read_token(o.token_file);
        if (!token || serve_new_session(s.session) < 0) {
            if (token)
                fprintf(stderr, "adizwatch: no random numbers for the session\n");
            free(token);
            serve_zones_free(&s);
            return EXIT_BAD_INPUT;
        }
        s.token = token;
    }
    snprintf(s.feed_state, sizeof s.feed_state, "starting");
    pthread_mutex_init(&s.reader_lock, NULL);
    pthread_mutex_init(&s.feed_lock, NULL);
    pthread_mutex_init(&s.http_lock, NULL);
    pthread_mutex_init(&s.alerted_lock, NULL);
    int rc = EXIT_RUN_FAILED;
    char *tls_cert = NULL, *tls_key = NULL;
    serve_feed *f = calloc(1, sizeof *f);
    aw_picture_options popt = {60, 100000, 10000, o.timeout_s};
    s.pic = aw_picture_new(&popt);
    if (!f || !s.pic) {
        fprintf(stderr, "adizwatch: out of memory\n");
        goto out;
    }
    if (o.aircraft_db) {
        char err[256];
        long bad = 0;
        s.aircraft_db = aw_aircraft_db_load(o.aircraft_db, print_db_problem, (void *)o.aircraft_db,
                                            &bad, err, sizeof err);
        if (!s.aircraft_db) {
            fprintf(stderr, "adizwatch: %s\n", err);
            rc = EXIT_BAD_INPUT;
            goto out;
        }
    }
    f->engine_zones = serve_zones(&s);
    f->timeout_s = o.timeout_s;
    if (pipeline_init(&f->p, f->engine_zones, o.timeout_s, CLI_MAX_TRACKS, o.db) < 0)
        goto out;
    o.alerts.aircraft_db = o.aircraft_db;
    if (cli_alerts_start(&f->p, &o.alerts, f->engine_zones) < 0) {
        pipeline_finish(&f->p);
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    s.rules_on = f->p.alerts != NULL;
    s.alerts = f->p.alerts; /* advice and intercepts go to the rules too */
    f->alert_options = &o.alerts;
    /* Patrol events as a live feed gives them (docs/alerts.md): settled ones as the feed
     * goes, and a recording's all at its end. */
    if (f->p.alerts && aw_alerts_patrol_start(f->p.alerts, true, f->p.trail_interval_s) < 0) {
        fprintf(stderr, "adizwatch: out of memory\n");
        pipeline_finish(&f->p);
        goto out;
    }
    if (o.db) {
        char err[512];
        s.reader = aw_store_open(o.db, err, sizeof err); /* HTTP threads' own handle */
        if (!s.reader) {
            fprintf(stderr, "adizwatch: %s\n", err);
            pipeline_finish(&f->p);
            goto out;
        }
    }
    if (o.advise && serve_advice_start(&s, f->engine_zones, f->p.store, stdout) < 0) {
        fprintf(stderr, "adizwatch: out of memory\n");
        pipeline_finish(&f->p);
        goto out;
    }
    f->s = &s;
    f->path = o.replay;
    f->json = replay_kind;
    f->format = o.format;
    f->live_time = -INFINITY;
    f->last_tick = serve_mono_s();
    f->fed_high = -INFINITY;
    s.seek_to = NAN;
    s.replay_start = s.fed_until = -INFINITY;
    f->p.source = s.source;
    f->p.format = o.format;
    f->p.tz_offset_s = o.tz_offset_s;
    serve_feed_hooks(f);

    cli_catch_stop_signals(on_signal);
    struct sigaction hup;
    memset(&hup, 0, sizeof hup);
    hup.sa_handler = on_hangup;
    sigaction(SIGHUP, &hup, NULL);

    s.started = serve_mono_s();
    tls_cert = o.tls_cert ? read_small_file(o.tls_cert) : NULL;
    tls_key = o.tls_key ? read_small_file(o.tls_key) : NULL;
    /* libmicrohttpd keeps pointers to these: they live until the server stops */
    serve_http *http = (o.tls_cert && (!tls_cert || !tls_key)) ? NULL
                       : serve_http_start(&s, o.http, tls_cert, tls_key);
    if (!http) {
        pipeline_finish(&f->p);
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    pthread_t feeder;
    if (pthread_create(&feeder, NULL, serve_feed_main, f) != 0) {
        fprintf(stderr, "adizwatch: cannot start the feed thread\n");
        serve_http_stop(http);
        pipeline_finish(&f->p);
        goto out;
    }
    while (!stop_signal)
        poll(NULL, 0, 200);
    fprintf(stderr, "adizwatch: stopping on signal\n");
    s.stop = true;
    aw_picture_wake_all(s.pic);
    serve_http_stop(http);
    pthread_join(feeder, NULL);
    s.alerts = NULL;
    rc = pipeline_finish(&f->p) < 0 || f->p.failed ? EXIT_RUN_FAILED : 0;
    int arc = cli_alerts_finish(&f->p, &o.alerts, o.alerts.deliver_timeout_s);
    if (rc == 0)
        rc = arc;
out:
    if (f && f->p.alerts)
        cli_alerts_finish(&f->p, &o.alerts, 0);
    serve_advice_stop(&s);
    if (s.reader)
        aw_store_close(s.reader);
    aw_aircraft_db_free(s.aircraft_db);
    aw_picture_free(s.pic);
    if (token)
        memset(token, 0, strlen(token));
    free(token);
    if (tls_key)
        memset(tls_key, 0, strlen(tls_key));
    free(tls_key);
    free(tls_cert);
    free(f);
    serve_zones_free(&s);
    pthread_mutex_destroy(&s.reader_lock);
    pthread_mutex_destroy(&s.feed_lock);
    pthread_mutex_destroy(&s.http_lock);
    pthread_mutex_destroy(&s.alerted_lock);
    free(s.alerted);
    free(s.metrics);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    serve_options o;
    if (parse_options(argc, argv, &o) < 0)
        return EXIT_BAD_INPUT;
    o.alerts.db = o.db;
    o.alerts.friendly = o.friendly;
    if (cli_alerts_prepare(&o.alerts) < 0) /* a bad rule file: refused before anything runs */
        return EXIT_BAD_INPUT;
    int rc = serve_run(&o);
    cli_alerts_finish(NULL, &o.alerts, 0); /* rules read but never started (serve_run failed early) */
    return rc;
}
