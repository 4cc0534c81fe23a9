/* test_pipeline_inputs.c -- what the public pipeline (adizwatch/pipeline.h) does beside
 * lines of text, as replay and watch use it: telling inputs apart, whole-file JSON,
 * binary streams, polled snapshots, scramble advice, alerts, and refusals with errno.
 *
 * Every check compares two real routes to the same answer (a file sniffed against the
 * format given; bytes in odd chunks against the file; snapshots polled against the same
 * files replayed; alerts in the file sink against the events printed), or a count the
 * fixture fixes, so that a pipeline that drops, repeats or invents anything fails. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/pipeline.h"
#include "adizwatch/theater.h"
#include "check.h"
#include "messages.h"
#include "position.h"

#define FEEDS FIXTURES "/feeds/"

typedef struct seen {
    messages msg; /* first: keep_message's */
    int reports, events, advice;
} seen;

static void on_report(const aw_report *r, aw_feed_result res, void *user)
{
    (void)r;
    ((seen *)user)->reports += res == AW_FEED_OK;
}

static void on_event(const aw_event *ev, void *user)
{
    (void)ev;
    ((seen *)user)->events++;
}

static void on_advice(const aw_advice_event *ev, void *user)
{
    (void)ev;
    ((seen *)user)->advice++;
}


static bool any_message(const seen *s, const char *needle)
{
    return messages_have(&s->msg, needle);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

static void check_detect(const char *path, const char *format, const char *want)
{
    const char *chosen = NULL;
    char err[512];
    CHECK(aw_pipeline_detect(&path, 1, format, &chosen, err, sizeof err) == 0);
    CHECK_STR(chosen ? chosen : "(none)", want);
}

static void test_detect(void)
{
    check_detect(FIXTURES "/tracks_basic.csv", NULL, "auto");
    check_detect(FIXTURES "/tracks_basic.sbs", "auto", "auto");
    check_detect(FEEDS "positions.jsonl", NULL, "readsb");
    check_detect(FEEDS "aircraft_1.json", NULL, "snapshot");
    check_detect(FEEDS "trace_full_ae1234.json", NULL, "trace");
    check_detect(FEEDS "aircraft_1.json", "readsb", "snapshot");
    check_detect(FIXTURES "/frames.raw", NULL, "raw");
    check_detect("-", NULL, "auto");
    check_detect(FIXTURES "/tracks_basic.csv", "sbs", "sbs"); /* a format given is taken */
    /* A folder: its first snapshot or trace file by name decides. */
    check_detect(FEEDS, NULL, "snapshot");
    const char *chosen;
    char err[512] = "";
    const char *none = "/nonexistent/input.csv";
    CHECK(aw_pipeline_detect(&none, 1, NULL, &chosen, err, sizeof err) == -1 && err[0]);
    const char *two[] = {FIXTURES "/tracks_basic.csv", FIXTURES "/tracks_basic.sbs"};
    CHECK(aw_pipeline_detect(two, 2, NULL, &chosen, err, sizeof err) == -1);
    CHECK(strstr(err, "no aircraft.json snapshot or trace file") != NULL);
}

/* A file read with format auto is sniffed: the same as with its format given. */
static void test_sniffed_binary(const aw_zone_set *z)
{
    aw_pipeline_stats st[2];
    const char *formats[2] = {"auto", "raw"};
    for (int i = 0; i < 2; i++) {
        seen s = {0};
        aw_pipeline_options o = {.format = formats[i], .start = 1700000000,
                                 .on_message = keep_message, .user = &s};
        char err[256];
        aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
        CHECK(p && aw_pipeline_read_file(p, FIXTURES "/frames.raw") == 0);
        aw_pipeline_get_stats(p, &st[i]);
        CHECK(any_message(&s, "frames.raw:") && any_message(&s, " frames, "));
        aw_pipeline_close(p);
    }
    CHECK(st[0].lines > 0 && st[0].lines == st[1].lines);
    CHECK(st[0].engine.reports == st[1].engine.reports);
    CHECK(st[0].engine.attribute_reports == st[1].engine.attribute_reports);
}

/* Bytes of a binary stream in chunks that cut frames: what the file gives, no more. */
static void test_bytes(const aw_zone_set *z)
{
    size_t len;
    char *raw = slurp(FIXTURES "/frames.raw", &len);
    CHECK(raw != NULL && len > 100);
    if (!raw)
        return;
    seen s = {0};
    aw_pipeline_options o = {.format = "raw", .live = true, .on_message = keep_message,
                             .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    aw_pipeline_restart(p, "radio:30002");
    for (size_t at = 0; p && at < len; at += 7)
        CHECK(aw_pipeline_bytes(p, raw + at, len - at < 7 ? len - at : 7, 1700000000.0 + at) == 0);
    aw_pipeline_stats live;
    aw_pipeline_get_stats(p, &live);
    CHECK(aw_pipeline_close(p) == 0);
    CHECK(any_message(&s, "radio:30002: ") && any_message(&s, " frames, "));

    aw_pipeline_options f = {.format = "raw", .start = 1700000000, .on_message = keep_message,
                             .user = &s};
    p = aw_pipeline_new(z, &f, err, sizeof err);
    CHECK(p && aw_pipeline_read_file(p, FIXTURES "/frames.raw") == 0);
    aw_pipeline_stats file;
    aw_pipeline_get_stats(p, &file);
    aw_pipeline_close(p);
    CHECK(live.lines == file.lines && live.lines > 0);
    free(raw);

    aw_pipeline_options text = {.format = "csv", .on_message = keep_message, .user = &s};
    p = aw_pipeline_new(z, &text, err, sizeof err);
    CHECK(p && aw_pipeline_bytes(p, "x", 1, 0) == -1); /* bytes need a binary format */
    aw_pipeline_close(p);
}

/* Snapshots replayed from files and the same texts given one by one (watch --poll): the
 * same reports; a trace file read sniffed. */
static void test_snapshots_and_traces(const aw_zone_set *z)
{
    const char *files[] = {FEEDS "aircraft_2.json", FEEDS "aircraft_1.json"}; /* out of order */
    seen a = {0};
    aw_pipeline_options o = {.on_report = on_report, .on_message = keep_message, .user = &a};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p && aw_pipeline_read_paths(p, files, 2) == 0);
    aw_pipeline_close(p);
    CHECK(a.reports > 0);
    CHECK(any_message(&a, "2 aircraft.json snapshots read in time order"));

    seen b = {0};
    aw_pipeline_options po = {.live = true, .on_report = on_report, .on_message = keep_message,
                              .user = &b};
    p = aw_pipeline_new(z, &po, err, sizeof err);
    CHECK(p != NULL);
    double last = 0;
    for (int i = 1; i >= 0; i--) { /* in time order: aircraft_1 first */
        size_t len;
        char *text = slurp(files[i], &len);
        double now = 0;
        CHECK(text && aw_pipeline_snapshot(p, text, len, &now, err, sizeof err) > 0);
        CHECK(now > last);
        last = now;
        CHECK(aw_pipeline_tick(p, now) == 0);
        free(text);
    }
    CHECK(aw_pipeline_snapshot(p, "{\"no\":1}", 8, NULL, err, sizeof err) == -1 && err[0]);
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    CHECK(st.latest_time > 0 && st.latest_time <= last);
    aw_pipeline_close(p);
    CHECK(b.reports == a.reports);

    seen t = {0};
    aw_pipeline_options to = {.on_report = on_report, .on_message = keep_message, .user = &t};
    p = aw_pipeline_new(z, &to, err, sizeof err);
    CHECK(p && aw_pipeline_read_file(p, FEEDS "trace_full_ae1234.json") == 0);
    aw_pipeline_close(p);
    CHECK(t.reports > 2 && any_message(&t, "1 trace files merged in time order"));
}

/* A cut line is counted and told with its number; a tick with no clock closes nothing, a
 * tick past the timeout closes the silent track. */
static void test_bad_line_and_tick(const aw_zone_set *z)
{
    seen s = {0};
    aw_pipeline_options o = {.format = "csv", .live = true, .timeout_s = 60,
                             .on_event = on_event, .on_message = keep_message, .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    aw_pipeline_restart(p, "feed");
    const char *lines[] = {"time,id,lat,lon,alt_ft", "1700000000,aaa001,0,-0.5,30000",
                           "1700000100,aaa001,0,0.5,30000"};
    for (int i = 0; i < 3; i++)
        CHECK(aw_pipeline_line(p, lines[i], strlen(lines[i])) == 0);
    CHECK(aw_pipeline_bad_line(p, "cut off") == 0);
    CHECK(any_message(&s, "feed:4: bad line: cut off"));
    CHECK(s.events == 1); /* entered the square */
    CHECK(aw_pipeline_tick(p, NAN) == 0 && s.events == 1);
    CHECK(aw_pipeline_tick(p, 1700000100 + 61) == 0 && s.events == 2); /* lost: the exit */
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    CHECK(st.bad_lines == 1 && st.lines == 4 && st.latest_time == 1700000100);
    CHECK(aw_pipeline_close(p) == 0);
}

/* An unidentified aircraft flying east toward the KADIZ: advice comes to on_advice, as a
 * JSON line among the events, and in the counts and the summary. */
static void test_advise(void)
{
    aw_zone_set *ea = aw_theater_load("east-asia", NULL, NULL);
    CHECK(ea != NULL);
    if (!ea)
        return;
    seen s = {0};
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    aw_pipeline_options o = {.advise = true, .on_advice = on_advice, .events_out = f,
                             .on_message = keep_message, .user = &s};
    char err[512];
    aw_pipeline *p = aw_pipeline_new(ea, &o, err, sizeof err);
    CHECK(p != NULL);
    for (int i = 0; p && i < 360; i++) { /* an hour at 450 kt from 123E along 32.5N */
        aw_report r = position_report("T1", 1669766400.0 + 10 * i, 32.5, 123.0 + i * 0.0248, 30000);
        r.speed_kt = 450;
        r.track_deg = 90;
        CHECK(aw_pipeline_report(p, &r) == 0);
    }
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    CHECK(st.advice >= 1 && st.advice + st.intercepts == (uint64_t)s.advice);
    CHECK(aw_pipeline_close(p) == 0);
    fclose(f);
    CHECK(out && strstr(out, "\"type\":\"scramble_advice\"") != NULL);
    char want[64];
    snprintf(want, sizeof want, ": %llu scramble advice, 0 intercepts",
             (unsigned long long)st.advice);
    CHECK(any_message(&s, want));
    free(out);

    /* An aircraft database that cannot be read: refused, EINVAL, the reason said. */
    aw_pipeline_options bad = {.advise = true, .aircraft_db = "/nonexistent/aircraft.csv"};
    err[0] = '\0';
    errno = 0;
    CHECK(aw_pipeline_new(ea, &bad, err, sizeof err) == NULL && errno == EINVAL && err[0]);
    aw_zones_free(ea);
}

/* Every event an alert (rules with a file: output): the sink's file holds one line per
 * event, and the close waits for it. */
static void test_alerts(const aw_zone_set *z)
{
    char dir[] = "/tmp/aw_pipeline_inputs_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char sink[128], url[160], outbox[128];
    snprintf(sink, sizeof sink, "%s/alerts.jsonl", dir);
    snprintf(url, sizeof url, "file:%s", sink);
    snprintf(outbox, sizeof outbox, "%s/outbox.sqlite", dir);
    char err[512];
    aw_alert_rules *rules = aw_alert_rules_all();
    CHECK(rules && aw_alert_rules_add_output(rules, url, err, sizeof err) == 0);
    seen s = {0};
    aw_pipeline_options o = {.rules = rules, .outbox = outbox, .deliver_timeout_s = 10,
                             .on_event = on_event, .on_message = keep_message, .user = &s};
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL && aw_pipeline_alerts(p) != NULL);
    CHECK(p && aw_pipeline_read_file(p, FIXTURES "/tracks_basic.csv") == 0);
    CHECK(aw_pipeline_close(p) == 0);
    CHECK(s.events >= 4);
    /* "alerts: E events (P of the patrol analysis), S selected as alerts": every zone event
     * and every patrol event (found at the close) selected. */
    long events = -1, patrol = -1, selected = -1;
    for (int i = 0; i < s.msg.n; i++) {
        const char *at = strstr(s.msg.line[i], "alerts: ");
        if (at && sscanf(at, "alerts: %ld events (%ld of the patrol analysis), %ld selected",
                         &events, &patrol, &selected) == 3)
            break;
    }
    CHECK(patrol >= 0 && events == s.events + patrol && selected == events);
    size_t len = 0;
    char *text = slurp(sink, &len);
    long lines = 0;
    for (size_t i = 0; text && i < len; i++)
        lines += text[i] == '\n';
    CHECK(lines == selected);
    free(text);

    /* Rules without an outbox or a store: refused, and the rules freed (ASan says). */
    aw_alert_rules *r2 = aw_alert_rules_all();
    aw_pipeline_options none = {.rules = r2};
    errno = 0;
    CHECK(aw_pipeline_new(z, &none, err, sizeof err) == NULL && errno == EINVAL);
    /* A store that cannot be opened: EIO; a format nobody reads: EINVAL. */
    aw_pipeline_options nodb = {.db_path = "/nonexistent/dir/events.db"};
    errno = 0;
    CHECK(aw_pipeline_new(z, &nodb, err, sizeof err) == NULL && errno == EIO);
    aw_pipeline_options morse = {.format = "morse"};
    errno = 0;
    CHECK(aw_pipeline_new(z, &morse, err, sizeof err) == NULL && errno == EINVAL);
    unlink(sink);
    unlink(outbox);
    char extra[160];
    snprintf(extra, sizeof extra, "%s-wal", outbox);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", outbox);
    unlink(extra);
    rmdir(dir);
}

int main(void)
{
    aw_zone_set *z = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(z != NULL);
    if (!z)
        return 1;
    test_detect();
    test_sniffed_binary(z);
    test_bytes(z);
    test_snapshots_and_traces(z);
    test_bad_line_and_tick(z);
    test_advise();
    test_alerts(z);
    aw_zones_free(z);
    return check_done("pipeline_inputs");
}
