/* watch_poll.c -- `watch --poll PATH_OR_URL`: follow readsb's aircraft.json by reading it
 * again every --interval seconds, from its folder or over HTTP (tar1090 serves it).
 *
 * Each read is a snapshot; what it repeats of the last one (the same fix, the same
 * attributes) adds nothing, so polling faster than readsb writes costs only the reads.
 * A read that fails (the file being replaced, the server down) is reported and tried
 * again at the next interval: a live watch outlives its feed's hiccups. Tracks that
 * fall silent are lost on the feed's clock, as in the TCP watch. */
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "adizwatch/feeds.h"
#include "cli/cli.h"

int watch_poll(const run_options *o, pipeline *p, volatile sig_atomic_t *stop)
{
    aw_readsb_seen *seen = aw_readsb_seen_new();
    if (!seen) {
        fprintf(stderr, "adizwatch: out of memory\n");
        return -1;
    }
    double interval = o->interval_s > 0 ? o->interval_s : 1.0;
    uint64_t failures = 0;
    bool was_failing = false;
    fprintf(stderr, "adizwatch: polling %s every %g s\n", o->poll, interval);
    while (!*stop && !p->failed) {
        double started = cli_monotonic_s();
        char err[512];
        size_t len;
        char *text = aw_fetch(o->poll, &len, err, sizeof err);
        double now = NAN;
        long given = text ? aw_readsb_snapshot(text, len, seen, cli_feed_report, p, &now, err, sizeof err) : -1;
        free(text);
        if (given < 0) {
            failures++;
            if (!was_failing || failures <= CLI_BAD_LINES_SHOWN)
                fprintf(stderr, "adizwatch: %s\n", err);
            was_failing = true;
        } else {
            if (was_failing)
                fprintf(stderr, "adizwatch: %s read again\n", o->poll);
            was_failing = false;
            aw_engine_expire(p->engine, now); /* the snapshot's now is the feed's clock */
        }
        pipeline_tick(p);
        fflush(p->out);
        while (!*stop && cli_monotonic_s() - started < interval)
            poll(NULL, 0, 50);
    }
    fprintf(stderr, "adizwatch: %s: %llu reads failed\n", o->poll, (unsigned long long)failures);
    aw_readsb_seen_free(seen);
    return p->failed ? -1 : 0;
}
