/* cmd_watch.c -- `adizwatch watch`: follow a live feed.
 *
 * A live feed drops, restarts and stalls; the watch must outlive all of it. It connects
 * as a TCP client (readsb / dump1090 port 30003 serves SBS), reconnects with exponential
 * backoff (1 s doubling to 30 s, back to 1 s once a usable line arrives), drops a
 * connection that brings no line for --idle-timeout, and stops cleanly on SIGINT or
 * SIGTERM with every event written and committed. What a bad feed costs is counted
 * (docs/hardening.md). SIGHUP reads the alert rules again (docs/alerts.md), keeping the
 * tracks and the outbox.
 *
 * Live, a track that falls silent is lost once the feed's clock -- the newest report
 * time, advanced by wall time while nothing arrives -- passes its last report by more
 * than the timeout: the watch officer must not wait for a report that never comes.
 *
 * What is done with the lines, bytes and snapshots is the library's pipeline
 * (adizwatch/pipeline.h, nothing internal): this file only connects, retries, times and
 * stops. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static volatile sig_atomic_t stop_requested, reload_requested;
static watch_metrics *metrics; /* --metrics, or NULL */
/* The watch's pipeline and options, for the waits between connections (nap). */
static aw_pipeline *watched;
static const run_options *watched_options;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void on_hangup(int sig)
{
    (void)sig;
    reload_requested = 1;
}

/* Once a second: lose the tracks silent since before now - timeout (now NAN: none),
 * commit (and apply the sinks' acknowledgements), metrics, and on SIGHUP read the rules
 * again -- also while the feed is down, so alerts already found are committed and
 * delivered and the outbox shrinks during an outage. Returns -1 when the run failed. */
static int tick(aw_pipeline *p, const run_options *o, double now, bool connected)
{
    aw_pipeline_tick(p, now);
    int rc = aw_pipeline_flush(p);
    watch_metrics_update(metrics, p, connected);
    if (reload_requested) {
        reload_requested = 0;
        cli_alerts_reload(aw_pipeline_alerts(p), o, o->trail_interval_s);
    }
    return rc;
}

/* Sleep up to seconds, waking early on a stop signal; the pipeline ticks meanwhile. */
static void nap(double seconds)
{
    double until = cli_monotonic_s() + seconds, last = cli_monotonic_s();
    if (watched)
        tick(watched, watched_options, NAN, false);
    while (!stop_requested && cli_monotonic_s() < until) {
        poll(NULL, 0, 100);
        if (watched && cli_monotonic_s() - last >= 1.0) {
            tick(watched, watched_options, NAN, false);
            last = cli_monotonic_s();
        }
    }
}

/* Wait before the next attempt, then double the wait (up to 30 s). */
static void back_off(double *backoff, const char *why, const char *what)
{
    fprintf(stderr, "adizwatch: %s%s%.0f s\n", why, what, *backoff);
    nap(*backoff);
    *backoff = *backoff * 2 > 30 ? 30 : *backoff * 2;
}

/* Read what the connection has; returns 1 while it is open, 0 when it closed, -1 when
 * the run failed. *got_line says whether any line came, *got_good whether one was not a
 * bad line: only a feed that gives usable data resets the backoff, so a feed of garbage
 * is not hammered. */
static int drain(aw_pipeline *p, aw_line_reader *lr, const char *source, bool *got_line,
                 bool *got_good)
{
    for (;;) {
        const char *line;
        size_t len;
        aw_line_result res = aw_line_reader_next(lr, &line, &len);
        if (res == AW_LINE_OK || res == AW_LINE_TOO_LONG) {
            *got_line = true;
            aw_pipeline_stats before, after;
            aw_pipeline_get_stats(p, &before);
            int rc = res == AW_LINE_OK ? aw_pipeline_line(p, line, len)
                                       : aw_pipeline_bad_line(p, "line too long");
            aw_pipeline_get_stats(p, &after);
            if (after.bad_lines == before.bad_lines)
                *got_good = true;
            if (rc < 0 && after.failed)
                return -1;
            continue;
        }
        if (res == AW_LINE_AGAIN)
            return 1;
        if (res == AW_LINE_ERROR)
            fprintf(stderr, "adizwatch: %s: %s\n", source, strerror(errno));
        else
            fprintf(stderr, "adizwatch: %s: feed closed\n", source);
        return 0;
    }
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A binary feed: Beast / raw hex / ASTERIX over TCP ("HOST:PORT"), or ASTERIX (or any
 * of them) over UDP ("udp://ADDR:PORT", multicast joined). Frames are timed by the
 * wall clock on arrival; ASTERIX times of day are placed on the day nearest now. */
static int watch_binary(const run_options *o, aw_pipeline *p)
{
    bool udp = strncmp(o->connect, "udp://", 6) == 0;
    const char *tcp_target = strncmp(o->connect, "tcp://", 6) == 0 ? o->connect + 6 : o->connect;
    double backoff = 1, last_tick = cli_monotonic_s();
    int rc = 0;
    static uint8_t buf[65536];
    double idle = udp ? 0 : o->idle_timeout_s; /* a UDP socket has no peer to reconnect to */
    while (!stop_requested && rc == 0) {
        char err[256];
        int fd = udp ? udp_listen(o->connect, err, sizeof err) : aw_tcp_connect(tcp_target, err, sizeof err);
        if (fd < 0) {
            back_off(&backoff, err, "; retrying in ");
            continue;
        }
        fprintf(stderr, "adizwatch: %s %s\n", udp ? "listening on" : "connected to", o->connect);
        aw_pipeline_restart(p, o->connect); /* a new stream: no partial frame carries over */
        double last_data = cli_monotonic_s();
        for (;;) {
            struct pollfd pfd = {fd, POLLIN, 0};
            poll(&pfd, 1, 250);
            if (stop_requested)
                break;
            bool closed = false;
            if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n > 0) {
                    aw_pipeline_bytes(p, buf, (size_t)n, wall_s());
                    backoff = 1;
                    last_data = cli_monotonic_s();
                } else if (n == 0 && !udp) {
                    fprintf(stderr, "adizwatch: %s: feed closed\n", o->connect);
                    closed = true;
                } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                    fprintf(stderr, "adizwatch: %s: %s\n", o->connect, strerror(errno));
                    closed = true;
                }
            }
            if (aw_pipeline_flush(p) < 0) /* the output or the store failed: the watch stops */
                rc = -1;
            double now = cli_monotonic_s();
            if (now - last_tick >= 1.0) {
                if (tick(p, o, wall_s(), true) < 0)
                    rc = -1;
                last_tick = now;
            }
            if (!closed && idle > 0 && now - last_data >= idle) {
                fprintf(stderr, "adizwatch: %s: no data for %g s; closing the connection\n",
                        o->connect, idle);
                closed = true;
            }
            if (closed || rc < 0)
                break;
        }
        close(fd);
        if (!stop_requested && rc == 0)
            back_off(&backoff, "", "reconnecting in ");
    }
    return rc;
}

/* A text feed over TCP: lines, the format told by the first (or given). Live, a track
 * that falls silent is lost on the feed's clock (the file's header says how). */
static int watch_lines(const run_options *o, aw_pipeline *p)
{
    aw_line_reader *lr = aw_line_reader_new(-1, 1 << 20);
    if (!lr) {
        fprintf(stderr, "adizwatch: out of memory\n");
        return -1;
    }
    aw_line_reader_keep_unterminated(lr, false); /* a feed closing mid-line cut it short */
    double backoff = 1, last_tick = cli_monotonic_s(), feed_time_at = cli_monotonic_s();
    double feed_time = 0;
    int rc = 0;
    while (!stop_requested && rc == 0) {
        char err[256];
        int fd = aw_tcp_connect(o->connect, err, sizeof err);
        if (fd < 0) {
            back_off(&backoff, err, "; retrying in ");
            continue;
        }
        fprintf(stderr, "adizwatch: connected to %s\n", o->connect);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        aw_line_reader_reset(lr, fd);
        aw_pipeline_restart(p, o->connect);
        double last_line = cli_monotonic_s();
        for (;;) {
            struct pollfd pfd = {fd, POLLIN, 0};
            poll(&pfd, 1, 250);
            if (stop_requested)
                break;
            bool got = false, good = false;
            int open_ = drain(p, lr, o->connect, &got, &good);
            if (good)
                backoff = 1;
            if (aw_pipeline_flush(p) < 0)
                open_ = -1; /* stdout is gone or full: the watch stops */
            double now = cli_monotonic_s();
            if (got)
                last_line = now;
            /* A stalled feed (or one trickling bytes with no line end) is as good as dead;
             * TCP keepalive would take two hours to say so. */
            if (open_ > 0 && o->idle_timeout_s > 0 && now - last_line >= o->idle_timeout_s) {
                fprintf(stderr, "adizwatch: %s: no complete line for %g s; closing the "
                                "connection\n", o->connect, o->idle_timeout_s);
                open_ = 0;
            }
            aw_pipeline_stats st;
            aw_pipeline_get_stats(p, &st);
            if (st.latest_time != feed_time) {
                feed_time = st.latest_time;
                feed_time_at = now;
            }
            if (now - last_tick >= 1.0) {
                if (tick(p, o, feed_time > 0 ? feed_time + (now - feed_time_at) : NAN, true) < 0)
                    open_ = -1;
                last_tick = now;
            }
            if (open_ < 0)
                rc = -1;
            if (open_ <= 0)
                break;
        }
        if (aw_line_reader_pending(lr) > 0)
            aw_pipeline_bad_line(p, "cut off: the connection ended in the middle of the line");
        close(fd);
        if (!stop_requested && rc == 0)
            back_off(&backoff, "", "reconnecting in ");
    }
    aw_line_reader_free(lr);
    return rc;
}

int cmd_watch(int argc, char **argv)
{
    run_options o;
    if (parse_run_options(argc, argv, &o, "watch") < 0)
        return EXIT_BAD_INPUT;
    if (!o.connect == !o.poll || o.nargs != 0) {
        fprintf(stderr, "adizwatch: watch needs --connect HOST:PORT or --poll PATH|URL (one of "
                        "them) and no file\n");
        cli_usage("watch", stderr);
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zones = cli_load_zones(o.zones);
    if (!zones)
        return EXIT_BAD_INPUT;
    int status = EXIT_BAD_INPUT;
    if (cli_alerts_prepare(&o) < 0)
        goto out;
    /* A feed is read as lines (--format auto, csv, sbs, readsb; trace is not a feed's) or
     * as a binary stream; --poll reads snapshots. */
    bool binary_format = o.format && (!strcmp(o.format, "asterix") || !strcmp(o.format, "beast") ||
                                      !strcmp(o.format, "raw"));
    bool binary = o.connect && binary_format;
    const char *format = binary ? o.format
                         : o.format && !binary_format && strcmp(o.format, "trace") != 0 ? o.format
                                                                                       : "auto";
    aw_pipeline_options po = run_pipeline_options(&o, format);
    po.strict = false; /* a feed outlives its bad lines */
    po.live = true;
    aw_pipeline *p = run_pipeline_new(zones, &po, &status);
    if (!p)
        goto out;
    aw_pipeline_restart(p, o.connect ? o.connect : o.poll);
    if (o.metrics && !(metrics = watch_metrics_start(o.metrics))) {
        aw_pipeline_close(p);
        goto out;
    }
    watch_metrics_update(metrics, p, false);
    watched = p;
    watched_options = &o;
    cli_catch_stop_signals(on_signal);
    struct sigaction hup;
    memset(&hup, 0, sizeof hup);
    hup.sa_handler = on_hangup;
    sigaction(SIGHUP, &hup, NULL);

    int rc = o.poll ? watch_poll(&o, p, &stop_requested)
             : binary ? watch_binary(&o, p)
                      : watch_lines(&o, p);
    if (stop_requested)
        fprintf(stderr, "adizwatch: stopping on signal\n");
    watched = NULL;
    /* SIGTERM flushes: the sinks get up to --deliver-timeout for what is queued; the rest
     * stays in the outbox for the next start. */
    if (aw_pipeline_close(p) < 0)
        rc = -1;
    watch_metrics_stop(metrics);
    status = rc < 0 ? EXIT_RUN_FAILED : 0;
out:
    cli_alerts_finish(NULL, &o, 0); /* rules read but never taken */
    aw_zones_free(zones);
    return status;
}
