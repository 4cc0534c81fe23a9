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

int watch_poll(const run_options *o, aw_pipeline *p, volatile sig_atomic_t *stop)
{
    double interval = o->interval_s > 0 ? o->interval_s : 1.0;
    uint64_t failures = 0;
    bool was_failing = false;
    int rc = 0;
    fprintf(stderr, "adizwatch: polling %s every %g s\n", o->poll, interval);
    while (!*stop && rc == 0) {
        double started = cli_monotonic_s();
        char err[512];
        size_t len;
        char *text = aw_fetch(o->poll, &len, err, sizeof err);
        double now = NAN;
        long given = text ? aw_pipeline_snapshot(p, text, len, &now, err, sizeof err) : -1;
        free(text);
        if (given < 0) {
            failures++;
            if (!was_failing || failures <= 20) /* the first 20, as bad lines */
                fprintf(stderr, "adizwatch: %s\n", err);
            was_failing = true;
            now = NAN;
        } else {
            if (was_failing)
                fprintf(stderr, "adizwatch: %s read again\n", o->poll);
            was_failing = false;
        }
        rc = aw_pipeline_tick(p, now); /* the snapshot's now is the feed's clock */
        fflush(stdout);
        while (!*stop && cli_monotonic_s() - started < interval)
            poll(NULL, 0, 50);
    }
    fprintf(stderr, "adizwatch: %s: %llu reads failed\n", o->poll, (unsigned long long)failures);
    return rc;
}
