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
 * than the timeout: the watch officer must not wait for a report that never comes. */
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
static pipeline *watched;
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

/* Once a second: commit (and apply the sinks' acknowledgements), metrics, and on SIGHUP
 * read the rules again -- also while the feed is down, so alerts already found are
 * committed and delivered and the outbox shrinks during an outage. */
static void tick(pipeline *p, const run_options *o, bool connected)
{
    pipeline_tick(p);
    if (!connected)
        pipeline_flush(p); /* connected, the read loop flushes (and acts on a failure) */
    watch_metrics_update(metrics, p, connected);
    if (reload_requested) {
        reload_requested = 0;
        cli_alerts_reload(p, o);
    }
}

static void every_second(pipeline *p, const run_options *o) { tick(p, o, true); }

/* Sleep up to seconds, waking early on a stop signal; the pipeline ticks meanwhile. */
static void nap(double seconds)
{
    double until = cli_monotonic_s() + seconds, last = cli_monotonic_s();
    if (watched)
        tick(watched, watched_options, false);
    while (!stop_requested && cli_monotonic_s() < until) {
        poll(NULL, 0, 100);
        if (watched && cli_monotonic_s() - last >= 1.0) {
            tick(watched, watched_options, false);
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

/* Read what the connection has; returns 1 while it is open, 0 when it closed. *got_line
 * says whether any line came, *got_good whether one was not a bad line: only a feed that
 * gives usable data resets the backoff, so a feed of garbage is not hammered. */
static int drain(pipeline *p, aw_line_reader *lr, bool *got_line, bool *got_good)
{
    for (;;) {
        const char *line;
        size_t len;
        aw_line_result res = aw_line_reader_next(lr, &line, &len);
        if (res == AW_LINE_OK || res == AW_LINE_TOO_LONG) {
            *got_line = true;
            uint64_t bad = p->bad_lines;
            int rc = res == AW_LINE_OK ? pipeline_line(p, line, len) : pipeline_too_long(p);
            if (p->bad_lines == bad)
                *got_good = true;
            if (rc < 0 && p->failed)
                return -1;
            continue;
        }
        if (res == AW_LINE_AGAIN)
            return 1;
        if (res == AW_LINE_ERROR)
            fprintf(stderr, "adizwatch: %s: %s\n", p->source, strerror(errno));
        else
            fprintf(stderr, "adizwatch: %s: feed closed\n", p->source);
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
static int watch_binary(const run_options *o, pipeline *p)
{
    bin_input in;
    if (bin_input_init(&in, (bin_format)o->binary, o, pipeline_record, p) < 0)
        return -1;
    in.source = o->connect;
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
        in.npending = 0; /* a new stream: no partial frame carries over */
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
                    bin_input_stream(&in, buf, (size_t)n, wall_s());
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
            pipeline_flush(p); /* a failure sets p->failed: the watch stops below */
            double now = cli_monotonic_s();
            if (now - last_tick >= 1.0) {
                aw_engine_expire(p->engine, wall_s());
                every_second(p, o);
                pipeline_flush(p);
                last_tick = now;
            }
            if (p->failed)
                rc = -1;
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
    bin_input_summary(&in);
    bin_input_free(&in);
    return rc;
}

int cmd_watch(int argc, char **argv)
{
    static const char usage[] =
        "usage: adizwatch watch (--connect HOST:PORT|udp://ADDR:PORT |\n"
        "                        --poll PATH|URL [--interval S]) --zones ZONES\n"
        "                       [--format auto|csv|sbs|readsb|asterix|beast|raw] [--tz +HH:MM|Area/City]\n"
        "                       [--assume-utc]\n"
        "                       [--timeout S] [--idle-timeout S] [--max-tracks N]\n"
        "                       [--db FILE [--trail-interval S]]\n"
        "                       [--radar-site SAC/SIC=LAT,LON,H]...\n"
        "                       [--receiver LAT,LON]\n"
        "                       [--advise [--aircraft-db FILE] [--friendly CC,..]]\n"
        "                       [--rules FILE] [--output URL]... [--spool FILE]\n"
        "                       [--deliver-timeout S] [--metrics [ADDR:]PORT]\n";
    run_options o;
    if (parse_run_options(argc, argv, &o, usage) < 0)
        return EXIT_BAD_INPUT;
    if (!o.connect == !o.poll || o.nargs != 0) {
        fprintf(stderr, "adizwatch: watch needs --connect HOST:PORT or --poll PATH|URL (one of "
                        "them) and no file\n%s", usage);
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zones = cli_load_zones(o.zones);
    if (!zones)
        return EXIT_BAD_INPUT;
    if (cli_alerts_prepare(&o) < 0) {
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    pipeline p;
    if (pipeline_init(&p, zones, o.timeout_s, o.max_tracks, o.db) < 0) {
        aw_zones_free(zones);
        return EXIT_RUN_FAILED;
    }
    p.source = o.connect ? o.connect : o.poll;
    p.format = o.format;
    p.tz_offset_s = o.tz_offset_s;
    p.assume_utc = o.assume_utc;
    p.progress = o.progress;
    p.trail_interval_s = o.trail_interval_s;
    if ((o.advise && cli_advice_start(&p, &o, zones) < 0) ||
        cli_alerts_start(&p, &o, zones) < 0) {
        pipeline_finish(&p);
        cli_alerts_finish(&p, &o, 0);
        cli_advice_stop(&p);
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }

    if (o.metrics && !(metrics = watch_metrics_start(o.metrics))) {
        pipeline_finish(&p);
        cli_alerts_finish(&p, &o, 0);
        cli_advice_stop(&p);
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    watch_metrics_update(metrics, &p, false);
    watched = &p;
    watched_options = &o;
    cli_catch_stop_signals(on_signal);
    struct sigaction hup;
    memset(&hup, 0, sizeof hup);
    hup.sa_handler = on_hangup;
    sigaction(SIGHUP, &hup, NULL);

    if (o.binary || o.poll) {
        int brc = o.poll ? watch_poll(&o, &p, &stop_requested) : watch_binary(&o, &p);
        if (stop_requested)
            fprintf(stderr, "adizwatch: stopping on signal\n");
        watched = NULL;
        if (pipeline_finish(&p) < 0)
            brc = -1;
        cli_alerts_finish(&p, &o, o.deliver_timeout_s);
        watch_metrics_stop(metrics);
        cli_advice_stop(&p);
        aw_zones_free(zones);
        return brc < 0 ? EXIT_RUN_FAILED : 0;
    }

    aw_line_reader *lr = aw_line_reader_new(-1, 1 << 20);
    aw_line_reader_keep_unterminated(lr, false); /* a feed closing mid-line cut it short */
    p.live = true;
    double backoff = 1, last_tick = cli_monotonic_s(), feed_time_at = cli_monotonic_s();
    double feed_time = p.latest_time;
    int rc = 0;
    while (!stop_requested && rc == 0) {
        char err[256];
        int fd = aw_tcp_connect(o.connect, err, sizeof err);
        if (fd < 0) {
            back_off(&backoff, err, "; retrying in ");
            continue;
        }
        fprintf(stderr, "adizwatch: connected to %s\n", o.connect);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        aw_line_reader_reset(lr, fd);
        if (o.format == AW_FORMAT_AUTO)
            p.format = AW_FORMAT_AUTO;
        pipeline_restart(&p);
        double last_line = cli_monotonic_s();
        for (;;) {
            struct pollfd pfd = {fd, POLLIN, 0};
            poll(&pfd, 1, 250);
            if (stop_requested)
                break;
            bool got = false, good = false;
            int open_ = drain(&p, lr, &got, &good);
            if (good)
                backoff = 1;
            if (pipeline_flush(&p) < 0)
                open_ = -1; /* stdout is gone or full: the watch stops */
            double now = cli_monotonic_s();
            if (got)
                last_line = now;
            /* A stalled feed (or one trickling bytes with no line end) is as good as dead;
             * TCP keepalive would take two hours to say so. */
            if (open_ > 0 && o.idle_timeout_s > 0 && now - last_line >= o.idle_timeout_s) {
                fprintf(stderr, "adizwatch: %s: no complete line for %g s; closing the "
                                "connection\n", o.connect, o.idle_timeout_s);
                open_ = 0;
            }
            if (p.latest_time != feed_time) {
                feed_time = p.latest_time;
                feed_time_at = now;
            }
            if (now - last_tick >= 1.0) {
                if (feed_time > 0)
                    aw_engine_expire(p.engine, feed_time + (now - feed_time_at));
                every_second(&p, &o);
                if (pipeline_flush(&p) < 0)
                    open_ = -1;
                last_tick = now;
            }
            if (open_ < 0)
                rc = -1;
            if (open_ <= 0)
                break;
        }
        if (aw_line_reader_pending(lr) > 0)
            pipeline_cut_off(&p);
        close(fd);
        if (!stop_requested && rc == 0)
            back_off(&backoff, "", "reconnecting in ");
    }
    if (stop_requested)
        fprintf(stderr, "adizwatch: stopping on signal\n");
    aw_line_reader_free(lr);
    watched = NULL;
    if (pipeline_finish(&p) < 0)
        rc = -1;
    /* SIGTERM flushes: the sinks get up to --deliver-timeout for what is queued; the rest
     * stays in the outbox for the next start. */
    cli_alerts_finish(&p, &o, o.deliver_timeout_s);
    watch_metrics_stop(metrics);
    cli_advice_stop(&p);
    aw_zones_free(zones);
    return rc < 0 ? EXIT_RUN_FAILED : 0;
}
