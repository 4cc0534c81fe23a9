/* cmd_serve.c -- `adizwatch serve`: the live air picture over HTTP.
 *
 * One feed thread runs the same pipeline as replay and watch (the engine stays
 * single-threaded) and, through the pipeline's observers, keeps an aw_picture of every
 * track and event; HTTP threads (serve_http.c) answer from copies of that picture. The
 * feed is a live TCP feed (reconnected with backoff, as watch does) or a recording
 * replayed on a clock running at --speed times real time, which the map can pause and
 * change.
 *
 * Live or replayed, a track that falls silent is lost on the feed's clock (see
 * docs/events.md): the map must not show aircraft that are no longer there. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adizwatch/sim.h"
#include "cli/cli.h"
#include "pipeline/pipeline_internal.h"
#include "serve/serve.h"

static volatile sig_atomic_t stop_signal;
/* set by SIGHUP (in any thread), taken by the feed thread: an atomic, lock-free */
static atomic_int reload_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_signal = 1;
}

static void on_hangup(int sig)
{
    (void)sig;
    atomic_store(&reload_requested, 1);
}

typedef struct feed {
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
} feed;

static void set_state(serve_ctx *s, const char *state)
{
    pthread_mutex_lock(&s->feed_lock);
    snprintf(s->feed_state, sizeof s->feed_state, "%s", state);
    pthread_mutex_unlock(&s->feed_lock);
}

/* The replay time now, following speed changes made from the map. */
static double replay_now(feed *f)
{
    pthread_mutex_lock(&f->s->feed_lock);
    double speed = f->s->speed;
    pthread_mutex_unlock(&f->s->feed_lock);
    double now = serve_mono_s();
    if (speed != f->rspeed) { /* rebase: the clock keeps its time, changes its rate */
        f->rclock += (now - f->rclock_at) * f->rspeed;
        f->rclock_at = now;
        f->rspeed = speed;
        set_state(f->s, speed > 0 ? "replaying" : "paused");
    }
    return f->rclock + (now - f->rclock_at) * f->rspeed;
}

/* The feed's clock: where lost tracks are judged. */
static double feed_clock(feed *f)
{
    if (f->s->mode == SERVE_REPLAY)
        return f->clock_started ? replay_now(f) : -INFINITY;
    return isfinite(f->live_time) ? f->live_time + (serve_mono_s() - f->live_time_at) : -INFINITY;
}

/* GET /metrics' text, rendered here on the feed thread (serve_http.c only copies it).
 * With a new_state, the feed's state changes with the text, at once for any reader: a
 * client told "done" reads the final counts. */
static void render_metrics(feed *f, const char *new_state)
{
    pthread_mutex_lock(&f->s->feed_lock);
    const char *state = new_state ? new_state : f->s->feed_state;
    bool up = strcmp(state, "connected") == 0 || strcmp(state, "replaying") == 0;
    pthread_mutex_unlock(&f->s->feed_lock);
    aw_pipeline_stats st;
    pipeline_get_stats(&f->p, &st);
    char *text = cli_metrics_text(&st, f->p.alerts, up);
    pthread_mutex_lock(&f->s->feed_lock);
    free(f->s->metrics);
    f->s->metrics = text;
    if (new_state)
        snprintf(f->s->feed_state, sizeof f->s->feed_state, "%s", new_state);
    pthread_mutex_unlock(&f->s->feed_lock);
    f->last_metrics = serve_mono_s();
}

/* SIGHUP: the rules read again, as watch does (a bad file is reported, the rules in
 * force kept); not while a seek back is muted (the pipeline holds no alerts then). */
static void take_reload(feed *f)
{
    if (f->muted || !atomic_exchange(&reload_requested, 0))
        return;
    cli_alerts_reload(f->p.alerts, f->alert_options, f->p.trail_interval_s);
}

/* Once a second: reports/s, lost tracks (engine and picture), the store's commit, a
 * SIGHUP's reload. */
static void housekeeping(feed *f)
{
    double now = serve_mono_s();
    if (now - f->last_tick < 1.0)
        return;
    take_reload(f);
    double clock = feed_clock(f);
    if (isfinite(clock)) {
        aw_engine_expire(f->p.engine, clock);
        aw_picture_expire(f->s->pic, clock);
    }
    pipeline_tick(&f->p); /* commits, and prints the events committed */
    pipeline_flush(&f->p);
    pthread_mutex_lock(&f->s->feed_lock);
    f->s->reports_per_s = (double)f->reports_in_second / (now - f->last_tick);
    f->s->lines = f->p.lines;
    f->s->bad_lines = f->p.bad_lines;
    pthread_mutex_unlock(&f->s->feed_lock);
    f->reports_in_second = 0;
    f->last_tick = now;
    render_metrics(f, NULL);
}

/* Zones changed from the API (serve_zones.c) go under the engine here, between two
 * reports: a new engine over them, the picture's zone memberships forgotten (the next
 * reports fill them in again). */
static void follow_zone_changes(feed *f)
{
    const aw_zone_set *now = serve_zones(f->s);
    if (now == f->engine_zones)
        return;
    if (pipeline_set_zones(&f->p, now, f->timeout_s, CLI_MAX_TRACKS) < 0) {
        fprintf(stderr, "adizwatch: out of memory for the new zones; keeping the old\n");
        return;
    }
    aw_picture_clear_zones(f->s->pic);
    serve_advice_zones(f->s, now);
    f->engine_zones = now;
    fprintf(stderr, "adizwatch: zones changed: %d zones from the next report on\n", aw_zones_count(now));
}

/* A seek asked for from the map: forward, the replay clock jumps and the reports up to
 * the time sought are fed at once; back, the file is read again (run_replay). */
static void take_seek(feed *f)
{
    pthread_mutex_lock(&f->s->feed_lock);
    double target = f->s->seek_to;
    f->s->seek_to = NAN;
    pthread_mutex_unlock(&f->s->feed_lock);
    if (!isfinite(target) || !f->clock_started)
        return;
    if (target >= replay_now(f)) {
        f->rclock = target;
        f->rclock_at = serve_mono_s();
    } else {
        f->rewind = true;
        f->rewind_to = target;
    }
}

/* The first max_reports position reports were fed before a seek back: their events, advice and stored
 * rows were given then. While they are fed again, output goes nowhere and the picture
 * neither counts nor logs them. */
static void mute(feed *f, bool on)
{
    if (on == f->muted)
        return;
    f->muted = on;
    if (on) {
        f->store = f->p.store;
        f->out = f->p.out;
        f->alerts = f->p.alerts;
        f->p.store = NULL;
        f->p.out = NULL; /* the pipeline writes no events */
        f->p.alerts = NULL; /* and queues no alert twice */
    } else {
        f->p.store = f->store;
        f->p.out = f->out;
        f->p.alerts = f->alerts;
    }
    f->s->rerun = on;
    aw_picture_set_rerun(f->s->pic, on);
}

/* A replay waits here until its clock reaches the report. A seek asked for while it
 * waits (paused, the clock never reaches it) is taken at once: forward, the clock jumps;
 * back, the wait ends and the file is read again. */
static void pace_replay(feed *f, const aw_report *r)
{
    if (f->s->mode != SERVE_REPLAY || !r->has_position || !isfinite(r->time))
        return;
    if (!f->clock_started) {
        f->clock_started = true;
        f->rclock = r->time;
        f->rclock_at = serve_mono_s();
        pthread_mutex_lock(&f->s->feed_lock);
        f->rspeed = f->s->speed;
        pthread_mutex_unlock(&f->s->feed_lock);
    }
    for (;;) {
        take_seek(f);
        double now = replay_now(f);
        if (f->rewind)
            break;
        if (now >= r->time || f->s->stop) {
            pthread_mutex_lock(&f->s->feed_lock);
            /* behind schedule, in wall seconds: how late this report is fed */
            f->s->lag_s = f->rspeed > 0 ? (now - r->time) / f->rspeed : 0;
            pthread_mutex_unlock(&f->s->feed_lock);
            break;
        }
        double wait = f->rspeed > 0 ? (r->time - now) / f->rspeed : 0.1;
        poll(NULL, 0, (int)ceil(fmin(wait, 0.1) * 1000));
        housekeeping(f);
    }
}

/* Before the engine sees a report: the replay's pace, then any zone change. */
static void before_report(const aw_report *r, void *user)
{
    feed *f = user;
    pace_replay(f, r);
    follow_zone_changes(f);
    if (f->s->mode == SERVE_REPLAY && r->has_position && isfinite(r->time)) {
        mute(f, f->pass_reports < f->max_reports);
        if (++f->pass_reports > f->max_reports)
            f->max_reports = f->pass_reports;
        pthread_mutex_lock(&f->s->feed_lock);
        if (!isfinite(f->s->replay_start))
            f->s->replay_start = r->time;
        if (r->time > f->fed_high)
            f->fed_high = f->s->fed_until = r->time;
        pthread_mutex_unlock(&f->s->feed_lock);
    }
}

static void after_report(const aw_report *r, aw_feed_result res, void *user)
{
    feed *f = user;
    if (res != AW_FEED_OK)
        return;
    aw_picture_report(f->s->pic, r);
    serve_advice_report(f->s, r); /* after the engine: an entry of this report is known */
    if (r->has_position) {
        f->reports_in_second++;
        if (!isfinite(f->live_time) || r->time > f->live_time) {
            f->live_time = r->time;
            f->live_time_at = serve_mono_s();
        }
    }
    housekeeping(f);
}

static void on_event(const aw_event *ev, void *user)
{
    feed *f = user;
    /* the pipeline gave the event to the rules just now: did they select it? */
    if (f->p.alerts && aw_alerts_last_selected(f->p.alerts))
        serve_alerted_add(f->s, ev); /* before the picture: a stream sees the flag */
    aw_picture_event(f->s->pic, ev);
    serve_advice_event(f->s, ev);
    pipeline_flush(&f->p); /* an event is out at once, even while a replay waits for its input */
}

static bool replay_stopped(void *user)
{
    feed *f = user;
    return f->s->stop || f->rewind;
}

/* The file's lines into the pipeline, until its end, a stop or a seek back; false when
 * it cannot be opened. */
static bool replay_lines(feed *f)
{
    int fd = strcmp(f->path, "-") == 0 ? STDIN_FILENO : open(f->path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "adizwatch: cannot open %s: %s\n", f->path, strerror(errno));
        return false;
    }
    /* A pipe or FIFO may fall silent: read it without blocking, so that the store still
     * commits (and the events committed are printed) while it waits. */
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    aw_line_reader *lr = aw_line_reader_new(fd, 1 << 20);
    while (!replay_stopped(f)) {
        const char *line;
        size_t len;
        aw_line_result res = aw_line_reader_next(lr, &line, &len);
        int rc = 0;
        if (res == AW_LINE_OK)
            rc = pipeline_line(&f->p, line, len);
        else if (res == AW_LINE_TOO_LONG)
            rc = pipeline_too_long(&f->p);
        else if (res == AW_LINE_AGAIN) {
            struct pollfd pfd = {fd, POLLIN, 0};
            poll(&pfd, 1, 250);
            housekeeping(f);
            continue;
        } else {
            if (res == AW_LINE_ERROR)
                fprintf(stderr, "adizwatch: reading %s: %s\n", f->path, strerror(errno));
            break;
        }
        if (rc < 0 && f->p.failed)
            break;
    }
    aw_line_reader_free(lr);
    if (fd != STDIN_FILENO)
        close(fd);
    return true;
}

/* A seek back: a new engine, the picture emptied, the replay clock at the time sought
 * (so that the reports before it are fed at once), the file read again from its start. */
static void start_again(feed *f)
{
    f->rewind = false;
    if (pipeline_set_zones(&f->p, f->engine_zones, f->timeout_s, CLI_MAX_TRACKS) < 0) {
        fprintf(stderr, "adizwatch: out of memory for the seek\n");
        f->p.failed = true;
        return;
    }
    serve_advice_zones(f->s, f->engine_zones);
    aw_picture_rewind(f->s->pic);
    pipeline_restart(&f->p);
    f->pass_reports = 0;
    f->rclock = f->rewind_to;
    f->rclock_at = serve_mono_s();
}

/* After the end of the file: the last picture stays up, until a seek back. */
static bool wait_for_seek(feed *f)
{
    while (!f->s->stop) {
        pthread_mutex_lock(&f->s->feed_lock);
        double target = f->s->seek_to;
        if (isfinite(target))
            f->s->seek_to = NAN;
        pthread_mutex_unlock(&f->s->feed_lock);
        if (isfinite(target) && f->clock_started && target < f->fed_high) {
            f->rewind = true;
            f->rewind_to = target;
            return true;
        }
        poll(NULL, 0, 100);
        if (serve_mono_s() - f->last_metrics >= 1.0) { /* the sinks' acknowledgements */
            take_reload(f);
            pipeline_tick(&f->p);
            render_metrics(f, NULL);
        }
    }
    return false;
}

/* --replay: the file's reports on the replay clock (paced in before_report); then the
 * picture stays up, and a seek back reads the file again. Snapshots and traces (a file
 * or a folder) are merged in time order. */
static void run_replay(feed *f)
{
    for (;;) {
        set_state(f->s, "replaying");
        if (f->json) {
            replay_json_into(&f->p, f->path, f->json, replay_stopped, f);
        } else if (!replay_lines(f)) {
            set_state(f->s, "failed");
            return;
        }
        mute(f, false);
        if (!f->rewind) {
            /* The recording is over, its trails complete: every patrol event is alerted
             * (those given already are not given again). */
            char err[256];
            if (f->p.alerts && aw_alerts_patrol_analyse(f->p.alerts, true, err, sizeof err) < 0)
                fprintf(stderr, "adizwatch: alerts: %s\n", err);
            pipeline_tick(&f->p);
            pipeline_flush(&f->p); /* "done" says every event is out */
            pthread_mutex_lock(&f->s->feed_lock);
            f->s->lines = f->p.lines;
            f->s->bad_lines = f->p.bad_lines;
            f->s->reports_per_s = 0;
            pthread_mutex_unlock(&f->s->feed_lock);
            render_metrics(f, f->p.failed ? "failed" : "done");
            /* stdin cannot be read again; a failed feed stays failed */
            if (f->p.failed || strcmp(f->path, "-") == 0 || !wait_for_seek(f))
                return;
        }
        start_again(f);
        if (f->p.failed)
            return;
    }
}

/* --connect: a text feed (SBS or CSV over TCP), reconnected with backoff 1 s .. 30 s,
 * hardened as watch is (docs/hardening.md): a line cut by the connection's end is counted,
 * not parsed; a bad header is a bad line; a feed silent for CLI_IDLE_TIMEOUT_S is
 * reconnected. */
static void run_connect(feed *f)
{
    aw_line_reader *lr = aw_line_reader_new(-1, 1 << 20);
    aw_line_reader_keep_unterminated(lr, false);
    f->p.live = true;
    double backoff = 1;
    while (!f->s->stop) {
        char err[256];
        set_state(f->s, "connecting");
        int fd = aw_tcp_connect(f->s->source, err, sizeof err);
        if (fd < 0) {
            fprintf(stderr, "adizwatch: %s; retrying in %.0f s\n", err, backoff);
            for (double until = serve_mono_s() + backoff; !f->s->stop && serve_mono_s() < until;) {
                poll(NULL, 0, 100);
                housekeeping(f);
            }
            backoff = fmin(backoff * 2, 30);
            continue;
        }
        fprintf(stderr, "adizwatch: connected to %s\n", f->s->source);
        set_state(f->s, "connected");
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        aw_line_reader_reset(lr, fd);
        if (f->format == AW_FORMAT_AUTO)
            f->p.format = AW_FORMAT_AUTO;
        pipeline_restart(&f->p);
        bool open_ = true;
        double last_line = serve_mono_s();
        while (open_ && !f->s->stop && !f->p.failed) {
            struct pollfd pfd = {fd, POLLIN, 0};
            poll(&pfd, 1, 250);
            for (;;) {
                const char *line;
                size_t len;
                aw_line_result res = aw_line_reader_next(lr, &line, &len);
                if (res == AW_LINE_OK || res == AW_LINE_TOO_LONG) {
                    last_line = serve_mono_s();
                    backoff = 1;
                    if (res == AW_LINE_OK)
                        pipeline_line(&f->p, line, len);
                    else
                        pipeline_too_long(&f->p);
                    continue;
                }
                if (res != AW_LINE_AGAIN) {
                    fprintf(stderr, "adizwatch: %s: %s\n", f->s->source,
                            res == AW_LINE_ERROR ? strerror(errno) : "feed closed");
                    open_ = false;
                }
                break;
            }
            if (open_ && serve_mono_s() - last_line >= CLI_IDLE_TIMEOUT_S) {
                fprintf(stderr, "adizwatch: %s: no complete line for %g s; closing the "
                                "connection\n", f->s->source, CLI_IDLE_TIMEOUT_S);
                open_ = false;
            }
            housekeeping(f);
        }
        if (aw_line_reader_pending(lr) > 0)
            pipeline_cut_off(&f->p);
        close(fd);
        if (f->p.failed)
            break;
    }
    aw_line_reader_free(lr);
    set_state(f->s, f->p.failed ? "failed" : "stopped");
}

static void *feed_main(void *arg)
{
    feed *f = arg;
    if (f->s->mode == SERVE_REPLAY)
        run_replay(f);
    else if (f->s->mode == SERVE_CONNECT)
        run_connect(f);
    return NULL;
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
    feed *f = calloc(1, sizeof *f);
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
    f->p.before_report = before_report;
    f->p.after_report = after_report;
    f->p.on_event = on_event;
    f->p.hook_user = f;

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
    if (pthread_create(&feeder, NULL, feed_main, f) != 0) {
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
