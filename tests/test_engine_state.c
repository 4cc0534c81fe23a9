/* test_engine_state.c -- engine checkpoints: an engine saved at any point of an input and
 * restored emits, for the rest of it, exactly the events the saved one would have.
 *
 * Each input (a generated one with gaps, late reports, callsign-only reports, a live
 * clock and evictions; with --shared, the reference cases of ../shared/data/cases) is
 * run once without interruption; then an engine is saved at many points, a new engine
 * restored from the bytes and fed the rest. Events before the save plus the restored
 * engine's events must equal the uninterrupted run's, field by field, bit for bit; the
 * counters must agree at the end; and saving the restored engine must give the same
 * bytes. Damaged or mismatched states must be refused with a reason. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "adizwatch/ingest.h"
#include "check.h"
#include "events/engine_internal.h"
#include "position.h"
#include "random.h"
#include "shared_data.h"

/* ---- an input: reports, and clock ticks (aw_engine_expire) where has_position is
 * false and the track id is empty ---------------------------------------------------- */

typedef struct input {
    aw_report *r;
    size_t n, cap;
} input;

static void add(input *in, aw_report r)
{
    if (in->n == in->cap) {
        in->cap = in->cap ? 2 * in->cap : 1024;
        in->r = realloc(in->r, in->cap * sizeof *in->r);
        CHECK(in->r != NULL);
    }
    in->r[in->n++] = r;
}

static bool is_clock(const aw_report *r) { return r->track[0] == '\0'; }

/* ---- events, kept -------------------------------------------------------------------- */

typedef struct events {
    aw_event *ev;
    size_t n, cap;
} events;

static void keep(const aw_event *ev, void *user)
{
    events *l = user;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->ev = realloc(l->ev, l->cap * sizeof *l->ev);
        CHECK(l->ev != NULL);
    }
    l->ev[l->n++] = *ev;
}

static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static bool same_event(const aw_event *a, const aw_event *b)
{
    return a->type == b->type && a->cause == b->cause && strcmp(a->track, b->track) == 0 &&
           strcmp(a->zone, b->zone) == 0 && strcmp(a->callsign, b->callsign) == 0 &&
           same_bits(a->time, b->time) && same_bits(a->lat, b->lat) && same_bits(a->lon, b->lon) &&
           same_bits(a->alt_ft, b->alt_ft) && same_bits(a->dwell_s, b->dwell_s) &&
           same_bits(a->max_depth_m, b->max_depth_m);
}

static void step(aw_engine *e, const aw_report *r)
{
    if (is_clock(r))
        aw_engine_expire(e, r->time);
    else
        CHECK(aw_engine_feed(e, r) != AW_FEED_ERROR);
}

/* ---- a state in memory --------------------------------------------------------------- */

typedef struct buffer {
    unsigned char *data;
    size_t n, cap, at;
} buffer;

static int buf_write(void *user, const void *data, size_t len)
{
    buffer *b = user;
    if (b->n + len > b->cap) {
        b->cap = 2 * (b->n + len);
        b->data = realloc(b->data, b->cap);
        CHECK(b->data != NULL);
    }
    memcpy(b->data + b->n, data, len);
    b->n += len;
    return 0;
}

static int buf_read(void *user, void *data, size_t len)
{
    buffer *b = user;
    if (len > b->n - b->at)
        return -1;
    memcpy(data, b->data + b->at, len);
    b->at += len;
    return 0;
}

/* What the saved engine holds that a test should have seen somewhere. */
typedef struct coverage {
    size_t open_visits, candidates, lost, saves;
} coverage;

static void cover(const aw_engine *e, coverage *c)
{
    c->saves++;
    for (uint32_t ref = e->oldest; ref; ref = track_at(e, ref)->newer) {
        const track *t = track_at(e, ref);
        c->lost += t->clearance < 0; /* declared lost */
        c->open_visits += track_nvisits(t);
        for (uint32_t v = 0; v < track_nvisits(t); v++)
            if (t->visits->v[v].block)
                c->candidates += e->blocks[t->visits->v[v].block - 1]->ncand;
    }
}

/* Run the input whole, then saved and restored at `points` points (and at its ends). */
static void check_input(const char *name, const aw_zone_set *zs, const aw_engine_options *opt,
                        const input *in, int points, coverage *cov)
{
    events ref = {0};
    aw_engine *whole = aw_engine_new(zs, opt, keep, &ref);
    for (size_t i = 0; i < in->n; i++)
        step(whole, &in->r[i]);
    aw_engine_stats want;
    aw_engine_get_stats(whole, &want);
    aw_engine_free(whole);
    CHECK(ref.n > 0);

    events before = {0};
    aw_engine *e = aw_engine_new(zs, opt, keep, &before);
    size_t fed = 0, bad = 0;
    for (int p = 0; p <= points; p++) {
        size_t at = (size_t)((double)in->n * p / points);
        if (p > 0 && p < points) /* not always on a round number of reports */
            at = at - (size_t)(uniform() * (double)(in->n / points / 2 + 1));
        while (fed < at)
            step(e, &in->r[fed++]);
        buffer b = {0};
        CHECK(aw_engine_save(e, buf_write, &b) == 0);
        cover(e, cov);
        events after = {0};
        aw_engine *r = aw_engine_new(zs, opt, keep, &after);
        char err[256] = "";
        CHECK(aw_engine_restore(r, buf_read, &b, err, sizeof err) == 0);
        if (err[0])
            printf("  %s\n", err);
        CHECK(b.at == b.n);
        buffer again = {0};
        CHECK(aw_engine_save(r, buf_write, &again) == 0);
        CHECK(again.n == b.n && memcmp(again.data, b.data, b.n) == 0);
        for (size_t i = fed; i < in->n; i++)
            step(r, &in->r[i]);
        aw_engine_stats got;
        aw_engine_get_stats(r, &got);
        bool same = before.n + after.n == ref.n &&
                    memcmp(&got, &want, sizeof got) == 0;
        for (size_t i = 0; same && i < before.n; i++)
            same = same_event(&before.ev[i], &ref.ev[i]);
        for (size_t i = 0; same && i < after.n; i++)
            same = same_event(&after.ev[i], &ref.ev[before.n + i]);
        if (!same && bad++ < 3)
            printf("  %s: saved after %zu of %zu reports: %zu + %zu events, want %zu\n", name, fed,
                   in->n, before.n, after.n, ref.n);
        aw_engine_free(r);
        free(after.ev);
        free(again.data);
        free(b.data);
    }
    CHECK(bad == 0);
    printf("%s: %zu reports, %zu events, saved and restored at %d points: %s\n", name, in->n,
           ref.n, points + 1, bad ? "OTHER EVENTS" : "the same events");
    aw_engine_free(e);
    free(before.ev);
    free(ref.ev);
}

/* ---- the generated input ------------------------------------------------------------- */

/* Tracks wandering over tests/fixtures/zones_basic's square and banded zones, climbing
 * and descending through the band: some fall silent past the timeout, some send a late
 * (dropped) report or a callsign alone; a clock tick every few hundred reports. */
static void generate(input *in, int ntracks, int nreports)
{
    typedef struct { double lat, lon, alt, t, hdg; } pos;
    pos *p = calloc((size_t)ntracks, sizeof *p);
    CHECK(p != NULL);
    double now = 1700000000.0;
    for (int i = 0; i < ntracks; i++)
        p[i] = (pos){-0.6 + 1.2 * uniform(), -0.5 + 4 * uniform(), 25000 * uniform(), now,
                     uniform() * 6.283};
    for (int k = 0; k < nreports; k++) {
        int i = (int)(uniform() * ntracks);
        char id[16];
        snprintf(id, sizeof id, "g%04d", i);
        now += 0.5;
        double u = uniform();
        if (u < 0.02) { /* a callsign alone */
            aw_report r;
            aw_report_clear(&r);
            snprintf(r.track, sizeof r.track, "%s", id);
            snprintf(r.callsign, sizeof r.callsign, "CS%03d", (int)(uniform() * 999));
            r.time = now;
            add(in, r);
            continue;
        }
        if (u < 0.03) { /* late: older than the track's last report */
            add(in, position_report(id, p[i].t - 5, p[i].lat, p[i].lon, p[i].alt));
            continue;
        }
        double gap = u < 0.05 ? 400 : 10 + 60 * uniform(); /* past the 300 s timeout, or not */
        p[i].t = fmax(p[i].t + gap, now);
        p[i].hdg += 0.6 * (uniform() - 0.5);
        double d = 0.02 + 0.15 * uniform();
        p[i].lat = fmax(-0.8, fmin(0.8, p[i].lat + d * cos(p[i].hdg)));
        p[i].lon = fmax(-0.8, fmin(3.8, p[i].lon + d * sin(p[i].hdg)));
        p[i].alt = fmax(0, fmin(30000, p[i].alt + 3000 * (uniform() - 0.5)));
        add(in, position_report(id, p[i].t, p[i].lat, p[i].lon, p[i].alt));
        if (k % 500 == 499) { /* the live clock */
            aw_report tick;
            aw_report_clear(&tick);
            tick.time = now - 100;
            add(in, tick);
        }
    }
    free(p);
}

static void test_generated(void)
{
    aw_zone_set *zs = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(zs != NULL);
    input in = {0};
    generate(&in, 300, 30000);
    coverage cov = {0};
    check_input("generated", zs, NULL, &in, 60, &cov);
    aw_engine_options few = {.timeout_s = 120, .max_tracks = 100}; /* evictions */
    check_input("generated, 100 tracks kept", zs, &few, &in, 25, &cov);
    printf("saved states held %zu open visits, %zu depth candidates, %zu lost tracks\n",
           cov.open_visits, cov.candidates, cov.lost);
    CHECK(cov.open_visits > 0 && cov.candidates > 0 && cov.lost > 0);
    free(in.r);
    aw_zones_free(zs);
}

/* ---- refusals ------------------------------------------------------------------------ */

static void expect_refused(const aw_zone_set *zs, const aw_engine_options *opt, buffer *b,
                           const char *why)
{
    events l = {0};
    aw_engine *e = aw_engine_new(zs, opt, keep, &l);
    char err[256] = "";
    b->at = 0;
    CHECK(aw_engine_restore(e, buf_read, b, err, sizeof err) == -1);
    if (!strstr(err, why))
        printf("  refused with \"%s\", wanted \"%s\"\n", err, why);
    CHECK(strstr(err, why) != NULL);
    /* still a new engine: it runs as one */
    aw_report r = position_report("x1", 1700000000, 0, 0.5, 30000);
    CHECK(aw_engine_feed(e, &r) == AW_FEED_OK);
    CHECK(l.n == 1);
    aw_engine_free(e);
    free(l.ev);
}

static void test_refused(void)
{
    aw_zone_set *zs = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(zs != NULL);
    input in = {0};
    rng = 12345;
    generate(&in, 50, 3000);
    events l = {0};
    aw_engine *e = aw_engine_new(zs, NULL, keep, &l);
    for (size_t i = 0; i < in.n; i++)
        step(e, &in.r[i]);
    buffer b = {0};
    CHECK(aw_engine_save(e, buf_write, &b) == 0);
    CHECK(b.n > 1000);

    /* every cut of the data is refused, saying where it ends */
    for (size_t cut = 0; cut < b.n; cut += 1 + cut / 3) {
        buffer c = {b.data, cut, cut, 0};
        expect_refused(zs, NULL, &c, "the data ends here");
    }
    /* any flipped bit is refused (most by the checksum, some sooner) */
    int flips = 0;
    for (size_t at = 0; at < b.n; at += 1 + b.n / 97, flips++) {
        b.data[at] ^= 0x10;
        expect_refused(zs, NULL, &b, "engine state, byte ");
        b.data[at] ^= 0x10;
    }
    CHECK(flips > 90);
    b.data[b.n - 20] ^= 1; /* within the last track: only the checksum tells */
    expect_refused(zs, NULL, &b, "the state is corrupted");
    b.data[b.n - 20] ^= 1;
    b.data[0] = 'X';
    expect_refused(zs, NULL, &b, "not an adizwatch engine state");
    b.data[0] = 'A';
    b.data[8] = 2;
    expect_refused(zs, NULL, &b, "state version 2; this library reads version 1");
    b.data[8] = 1;
    aw_engine_options other = {.timeout_s = 600};
    expect_refused(zs, &other, &b, "saved with timeout 300 s");
    const char *square = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                         "\"properties\":{\"id\":\"square\"},\"geometry\":{\"type\":\"Polygon\","
                         "\"coordinates\":[[[0,-0.5],[1,-0.5],[1,0.5],[0,0.5],[0,-0.5]]]}}]}";
    aw_zone_set *one = aw_zones_load_string(square, strlen(square), NULL, NULL);
    CHECK(one != NULL);
    expect_refused(one, NULL, &b, "saved over other zones");
    aw_zones_free(one);

    /* a value the engine would keep narrower than written (fuzz_engine_state found one:
     * a subnormal clearance, which the engine's float holds as 0) is refused, not
     * silently changed: one track fed once, its clearance set, the checksum mended */
    {
        events seen = {0};
        aw_engine *one_track = aw_engine_new(zs, NULL, keep, &seen);
        aw_report r = position_report("t1", 1700000000, 0, 0.5, 30000);
        aw_engine_feed(one_track, &r);
        buffer c = {0};
        CHECK(aw_engine_save(one_track, buf_write, &c) == 0);
        aw_engine_free(one_track);
        free(seen.ev);
        /* 128 bytes of header; slot u64, id "t1", no callsign, flags, time lat lon alt */
        size_t at = 128 + 8 + 1 + 2 + 1 + 1 + 4 * 8;
        CHECK(c.n >= at + 8 + 4 + 8); /* then the visits, the checksum */
        double subnormal = 5e-311;
        memcpy(c.data + at, &subnormal, 8); /* little-endian, as the format */
        uint64_t h = 1469598103934665603ull;
        for (size_t i = 0; i + 8 < c.n; i++)
            h = (h ^ c.data[i]) * 1099511628211ull;
        for (int i = 0; i < 8; i++)
            c.data[c.n - 8 + i] = (unsigned char)(h >> (8 * i));
        expect_refused(zs, NULL, &c, "not a state it saved");
        free(c.data);
    }

    /* into an engine already fed */
    b.at = 0;
    char err[256] = "";
    CHECK(aw_engine_restore(e, buf_read, &b, err, sizeof err) == -1);
    CHECK(strstr(err, "restore into a new engine") != NULL);

    /* a failing writer fails the save */
    CHECK(aw_engine_save(e, (aw_state_write_fn)buf_read, &(buffer){0}) == -1);
    aw_engine_free(e);
    free(b.data);
    free(l.ev);
    free(in.r);
    aw_zones_free(zs);
}

/* ---- the reference cases ------------------------------------------------------------- */

static void read_csv(const char *path, input *in)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char line[4096], err[256];
    aw_csv_columns cols;
    CHECK(fgets(line, sizeof line, f) != NULL);
    CHECK(aw_csv_header(line, strcspn(line, "\r\n"), &cols, err, sizeof err) == 0);
    cols.assume_utc = true;
    while (fgets(line, sizeof line, f)) {
        aw_report r;
        if (aw_csv_parse(&cols, line, strcspn(line, "\r\n"), &r, err, sizeof err) == AW_PARSE_REPORT)
            add(in, r);
    }
    fclose(f);
}

static void test_cases(void)
{
    const char *cases[] = {"kansai1", "savan", "synthetic"};
    for (int c = 0; c < 3; c++) {
        char rel[128], zp[512], tp[512];
        snprintf(rel, sizeof rel, "data/cases/%s/zones.geojson", cases[c]);
        shared_need(shared_path(rel, zp, sizeof zp));
        snprintf(rel, sizeof rel, "data/cases/%s/tracks.csv", cases[c]);
        shared_need(shared_path(rel, tp, sizeof tp));
        aw_zone_set *zs = aw_zones_load_file(zp, NULL, NULL);
        CHECK(zs != NULL);
        input in = {0};
        read_csv(tp, &in);
        CHECK(in.n > 50);
        coverage cov = {0};
        check_input(cases[c], zs, NULL, &in, in.n > 10000 ? 40 : 25, &cov);
        CHECK(cov.open_visits > 0);
        free(in.r);
        aw_zones_free(zs);
    }
}

int main(int argc, char **argv)
{
    if (shared_wanted(argc, argv)) {
        test_cases();
        return check_done("engine_state");
    }
    test_generated();
    test_refused();
    return check_done("engine_state");
}
