/* serve_feed.c -- the feed thread of `adizwatch serve`.
 *
 * One feed thread runs the same pipeline as replay and watch (the engine stays
 * single-threaded) and, through the pipeline's hooks, keeps the aw_picture that the HTTP
 * threads (src/serve/) answer from. The feed is a live TCP feed (reconnected with backoff,
 * as watch does) or a recording replayed on a clock running at --speed times real time,
 * which the map can pause, change and seek.
 *
 * Live or replayed, a track that falls silent is lost on the feed's clock (see
 * docs/events.md): the map must not show aircraft that are no longer there. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/serve_feed.h"

/* set by SIGHUP (in any thread), taken by the feed thread: an atomic, lock-free */
static atomic_int reload_requested;

void serve_feed_hangup(void)
{
    atomic_store(&reload_requested, 1);
}

static void set_state(serve_ctx *s, const char *state)
{
    pthread_mutex_lock(&s->feed_lock);
    snprintf(s->feed_state, sizeof s->feed_state, "%s", state);
    pthread_mutex_unlock(&s->feed_lock);
}

/* The replay time now, following speed changes made from the map. */
static double replay_now(serve_feed *f)
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
static double feed_clock(serve_feed *f)
{
    if (f->s->mode == SERVE_REPLAY)
        return f->clock_started ? replay_now(f) : -INFINITY;
    return isfinite(f->live_time) ? f->live_time + (serve_mono_s() - f->live_time_at) : -INFINITY;
}

/* GET /metrics' text, rendered here on the feed thread (serve_http.c only copies it).
 * With a new_state, the feed's state changes with the text, at once for any reader: a
 * client told "done" reads the final counts. */
static void render_metrics(serve_feed *f, const char *new_state)
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
static void take_reload(serve_feed *f)
{
    if (f->muted || !atomic_exchange(&reload_requested, 0))
        return;
    cli_alerts_reload(f->p.alerts, f->alert_options, f->p.trail_interval_s);
}

/* Once a second: reports/s, lost tracks (engine and picture), the store's commit, a
 * SIGHUP's reload. */
static void housekeeping(serve_feed *f)
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
static void follow_zone_changes(serve_feed *f)
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
static void take_seek(serve_feed *f)
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
static void mute(serve_feed *f, bool on)
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
static void pace_replay(serve_feed *f, const aw_report *r)
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
    serve_feed *f = user;
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
    serve_feed *f = user;
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
    serve_feed *f = user;
    /* the pipeline gave the event to the rules just now: did they select it? */
    if (f->p.alerts && aw_alerts_last_selected(f->p.alerts))
        serve_alerted_add(f->s, ev); /* before the picture: a stream sees the flag */
    aw_picture_event(f->s->pic, ev);
    serve_advice_event(f->s, ev);
    pipeline_flush(&f->p); /* an event is out at once, even while a replay waits for its input */
}

static bool replay_stopped(void *user)
{
    serve_feed *f = user;
    return f->s->stop || f->rewind;
}

/* The file's lines into the pipeline, until its end, a stop or a seek back; false when
 * it cannot be opened. */
static bool replay_lines(serve_feed *f)
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
static void start_again(serve_feed *f)
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
static bool wait_for_seek(serve_feed *f)
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
static void run_replay(serve_feed *f)
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
static void run_connect(serve_feed *f)
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

void *serve_feed_main(void *arg)
{
    serve_feed *f = arg;
    if (f->s->mode == SERVE_REPLAY)
        run_replay(f);
    else if (f->s->mode == SERVE_CONNECT)
        run_connect(f);
    return NULL;
}

void serve_feed_hooks(serve_feed *f)
{
    f->p.before_report = before_report;
    f->p.after_report = after_report;
    f->p.on_event = on_event;
    f->p.hook_user = f;
}
