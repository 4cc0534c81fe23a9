/* test_threads.c -- a pipeline with threads (aw_pipeline_options.threads) gives what one
 * engine gives.
 *
 * Thousands of tracks wander over the suite's zones (in and out of the square, through
 * the banded zone's floor and ceiling, across the antimeridian), with attribute-only,
 * stale and refused reports among them, and are fed through aw_pipeline_report to
 * pipelines of 1, 2 and 4 threads, with and without a max_tracks that evicts, and with
 * strict: events (every field, in order), messages, counters and return values must be
 * the same. Then 45,000 tracks of a few reports with max_tracks 40,000: the threads keep
 * no recency order until an eviction can happen, and rebuild it from the engines then
 * (parallel.c), here after chunks have gone through the engines and been taken back. The lost exits of aw_pipeline_tick come engine by engine: the same events,
 * compared as a set. Run under ThreadSanitizer by scripts/test (label "threads"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/pipeline.h"
#include "check.h"
#include "random.h"

typedef struct run {
    aw_event *ev;
    size_t n, cap;
    char messages[8192];
    size_t mlen;
    aw_pipeline_stats stats;
    int stopped_at;   /* the report whose feed returned -1, or -1 */
    size_t before_tick; /* events before aw_pipeline_tick */
} run;

static void on_event(const aw_event *ev, void *user)
{
    run *r = user;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
        if (!r->ev)
            abort();
    }
    r->ev[r->n++] = *ev;
}

static void on_message(const char *line, void *user)
{
    run *r = user;
    int n = snprintf(r->messages + r->mlen, sizeof r->messages - r->mlen, "%s\n", line);
    if (n > 0 && r->mlen + (size_t)n < sizeof r->messages)
        r->mlen += (size_t)n;
}

/* The traffic: ntracks tracks of min_steps to max_steps - 1 reports, interleaved in time. */
static aw_report *reports;
static size_t nreports;

static int by_time(const void *a, const void *b)
{
    const aw_report *x = a, *y = b;
    return x->time < y->time ? -1 : x->time > y->time;
}

static void make_traffic(int ntracks, int min_steps, int max_steps)
{
    free(reports);
    nreports = 0;
    reports = calloc((size_t)ntracks * (max_steps + 1), sizeof *reports);
    if (!reports)
        abort();
    for (int k = 0; k < ntracks; k++) {
        double lat = -1 + 2 * uniform(), lon = (k % 10 == 0 ? 179 : -0.5) + 4 * uniform();
        double alt = 5000 + 20000 * uniform(), t = 1669766400 + 3600 * uniform();
        if (lon >= 180)
            lon -= 360;
        int steps = min_steps + (int)((max_steps - min_steps) * uniform());
        for (int s = 0; s < steps; s++) {
            aw_report *r = &reports[nreports++];
            aw_report_clear(r);
            snprintf(r->track, sizeof r->track, "trk%05d", k);
            r->time = t;
            r->has_position = uniform() > 0.05; /* else: a callsign alone */
            r->lat = lat;
            r->lon = lon;
            r->alt_ft = alt;
            snprintf(r->callsign, sizeof r->callsign, "C%d", (k + s) % 300);
            t += 20 + 400 * (uniform() < 0.03) + 10 * uniform(); /* now and then a gap */
            lat += 0.1 * (uniform() - 0.5);
            lon += 0.1 * (uniform() - 0.5);
            if (lon >= 180)
                lon -= 360;
            if (lon < -180)
                lon += 360;
            alt += 2000 * (uniform() - 0.5);
        }
    }
    qsort(reports, nreports, sizeof *reports, by_time);
    /* A stale report now and then (a track's earlier time), and refused ones. */
    for (size_t i = 100; i < nreports; i += 997)
        reports[i].time -= 600;
    reports[nreports / 3].track[0] = '\0';
    reports[nreports / 2].lat = 95;
    reports[2 * nreports / 3].time = NAN;
}

static void feed(run *r, const aw_zone_set *z, int threads, size_t max_tracks, bool strict)
{
    memset(r, 0, sizeof *r);
    r->stopped_at = -1;
    aw_pipeline_options o = {.max_tracks = max_tracks, .strict = strict, .on_event = on_event,
                             .on_message = on_message, .user = r, .threads = threads};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    if (!p)
        return;
    aw_pipeline_restart(p, "traffic");
    for (size_t i = 0; i < nreports; i++)
        if (aw_pipeline_report(p, &reports[i]) < 0) {
            r->stopped_at = (int)i;
            break;
        }
    aw_pipeline_tick(p, 1669766400 + 3 * 86400.0); /* settles what is in flight first */
    aw_pipeline_get_stats(p, &r->stats);
    CHECK(aw_pipeline_close(p) == 0 || strict);
}

static bool same_event(const aw_event *a, const aw_event *b)
{
    return a->type == b->type && a->cause == b->cause && strcmp(a->track, b->track) == 0 &&
           strcmp(a->zone, b->zone) == 0 && strcmp(a->callsign, b->callsign) == 0 &&
           memcmp(&a->time, &b->time, sizeof a->time) == 0 &&
           memcmp(&a->lat, &b->lat, sizeof a->lat) == 0 &&
           memcmp(&a->lon, &b->lon, sizeof a->lon) == 0 &&
           memcmp(&a->alt_ft, &b->alt_ft, sizeof a->alt_ft) == 0 &&
           memcmp(&a->dwell_s, &b->dwell_s, sizeof a->dwell_s) == 0 &&
           memcmp(&a->max_depth_m, &b->max_depth_m, sizeof a->max_depth_m) == 0;
}

static int by_track_zone(const void *a, const void *b)
{
    const aw_event *x = a, *y = b;
    int c = strcmp(x->track, y->track);
    return c ? c : strcmp(x->zone, y->zone);
}

/* The lost exits of the tick are found where the last report's events end. */
static size_t tick_start(const run *r)
{
    size_t i = r->n;
    while (i > 0 && r->ev[i - 1].cause == AW_LOST &&
           r->ev[i - 1].time < 1669766400 + 2 * 86400.0 && r->ev[i - 1].type == AW_EXIT)
        i--;
    return i;
}

static void compare(const run *one, const run *many, const char *what)
{
    fprintf(stderr, "%s: %zu / %zu events\n", what, one->n, many->n);
    CHECK(one->n == many->n);
    CHECK(one->stopped_at == many->stopped_at);
    CHECK(strcmp(one->messages, many->messages) == 0);
    CHECK(memcmp(&one->stats, &many->stats, sizeof one->stats) == 0);
    if (one->n != many->n)
        return;
    /* In order up to the tick; the tick's lost exits as a set. */
    size_t t1 = tick_start(one), t2 = tick_start(many);
    bool same = t1 == t2;
    for (size_t i = 0; same && i < t1; i++)
        same = same_event(&one->ev[i], &many->ev[i]);
    CHECK(same);
    qsort(one->ev + t1, one->n - t1, sizeof *one->ev, by_track_zone);
    qsort(many->ev + t2, many->n - t2, sizeof *many->ev, by_track_zone);
    for (size_t i = t1; same && i < one->n; i++)
        same = same_event(&one->ev[i], &many->ev[i]);
    CHECK(same);
}

int main(void)
{
    aw_zone_set *z = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(z != NULL);
    if (!z)
        return check_done("threads");
    static const struct {
        int ntracks, min_steps, max_steps;
        size_t max_tracks;
        bool strict;
        const char *name;
    } cases[] = {{3000, 5, 40, 0, false, "default max_tracks"},
                 {3000, 5, 40, 150, false, "max_tracks 150"},
                 {3000, 5, 40, 0, true, "strict"},
                 {45000, 2, 6, 40000, false, "max_tracks 40000 of 45000 tracks"}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        run one, many;
        if (c == 0 || cases[c].ntracks != cases[c - 1].ntracks)
            make_traffic(cases[c].ntracks, cases[c].min_steps, cases[c].max_steps);
        feed(&one, z, 1, cases[c].max_tracks, cases[c].strict);
        /* The test tests something: events, evictions, refusals, a tick's exits. */
        CHECK(one.n > (cases[c].strict ? 100u : 1000u));
        CHECK(one.stats.engine.dropped > 0 && one.stats.engine.attribute_reports > 0);
        CHECK(strstr(one.messages, "report refused") != NULL);
        CHECK(cases[c].strict ? one.stopped_at == (int)(nreports / 3)
                              : one.n > tick_start(&one) && one.stopped_at == -1);
        CHECK(cases[c].max_tracks == 0 || one.stats.engine.evicted > 0);
        for (int threads = 2; threads <= 4; threads += 2) {
            char what[64];
            snprintf(what, sizeof what, "%s, %d threads", cases[c].name, threads);
            feed(&many, z, threads, cases[c].max_tracks, cases[c].strict);
            compare(&one, &many, what);
            free(many.ev);
        }
        free(one.ev);
    }
    free(reports);
    aw_zones_free(z);
    return check_done("threads");
}
