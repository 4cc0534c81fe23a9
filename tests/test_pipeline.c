/* test_pipeline.c -- the public pipeline (adizwatch/pipeline.h) as a program uses it.
 *
 * The basic fixture replayed through aw_pipeline_read_file must give the hand-computed
 * events (tracks_basic.expected.jsonl) to on_event and, identically, as JSON lines to
 * events_out; a bad line must come to on_message with its line number and be counted,
 * and stop the input when strict; a store must hold what was given; lines fed from one's
 * own loop must give the same events as the file; a binary input must decode; a wrong
 * format or an unopenable store must be refused with a reason. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adizwatch/pipeline.h"
#include "adizwatch/store.h"
#include "check.h"
#include "messages.h"

typedef struct seen {
    messages msg; /* first: keep_message's */
    aw_event ev[64];
    int n;
    int reports;
} seen;

static void on_event(const aw_event *ev, void *user)
{
    seen *s = user;
    if (s->n < 64)
        s->ev[s->n++] = *ev;
}

static void on_report(const aw_report *r, aw_feed_result res, void *user)
{
    (void)r;
    seen *s = user;
    s->reports += res == AW_FEED_OK;
}


static bool any_message(const seen *s, const char *needle)
{
    return messages_have(&s->msg, needle);
}

/* The events match the expected file: same order, type, track, zone, time. */
static void check_expected(const seen *s)
{
    FILE *f = fopen(FIXTURES "/tracks_basic.expected.jsonl", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[2048];
    int i = 0;
    while (fgets(line, sizeof line, f)) {
        json_t *e = json_loads(line, 0, NULL);
        CHECK(e != NULL);
        if (i < s->n && e) {
            CHECK_STR(aw_event_type_name(s->ev[i].type), json_string_value(json_object_get(e, "type")));
            CHECK_STR(s->ev[i].track, json_string_value(json_object_get(e, "track")));
            CHECK_STR(s->ev[i].zone, json_string_value(json_object_get(e, "zone")));
            char when[32];
            CHECK_STR(aw_format_time(s->ev[i].time, when, sizeof when),
                      json_string_value(json_object_get(e, "time")));
        }
        json_decref(e);
        i++;
    }
    fclose(f);
    CHECK(i == s->n && i >= 4);
}

static aw_zone_set *zones(void)
{
    aw_zone_set *z = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(z != NULL);
    return z;
}

static void test_file_and_json(const aw_zone_set *z)
{
    seen s = {0};
    char *json = NULL;
    size_t json_len = 0;
    FILE *out = open_memstream(&json, &json_len);
    aw_pipeline_options o = {.events_out = out, .on_event = on_event, .on_report = on_report,
                             .on_message = keep_message, .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    CHECK(aw_pipeline_read_file(p, FIXTURES "/tracks_basic.csv") == 0);
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    CHECK(st.bad_lines == 2 && st.lines == 13); /* the fixture's two bad rows, told */
    CHECK(any_message(&s, "tracks_basic.csv:13: bad line: lat \"95\" out of range"));
    CHECK(st.engine.events == (uint64_t)s.n);
    CHECK(st.engine.reports == (uint64_t)s.reports && s.reports > 0);
    CHECK(aw_pipeline_close(p) == 0);
    fclose(out);
    check_expected(&s);
    /* events_out holds the same events, as the contract's JSON, one per line. */
    char *at = json;
    for (int i = 0; i < s.n; i++) {
        char want[1024];
        int n = aw_event_to_json(&s.ev[i], want, sizeof want);
        CHECK(n > 0 && strncmp(at, want, (size_t)n) == 0 && at[n] == '\n');
        at = strchr(at, '\n');
        if (!at)
            break;
        at++;
    }
    CHECK(at && *at == '\0');
    /* Without callbacks a regular file is read ahead (the engine prefetches): the same
     * output, byte for byte. */
    char *plain = NULL;
    size_t plain_len = 0;
    FILE *out2 = open_memstream(&plain, &plain_len);
    aw_pipeline_options quiet = {.events_out = out2, .on_message = keep_message, .user = &s};
    p = aw_pipeline_new(z, &quiet, err, sizeof err);
    CHECK(p != NULL && aw_pipeline_read_file(p, FIXTURES "/tracks_basic.csv") == 0);
    CHECK(aw_pipeline_close(p) == 0);
    fclose(out2);
    CHECK(plain_len == json_len && memcmp(plain, json, json_len) == 0);
    free(plain);
    free(json);
    /* The summary came as a message, not on stderr. */
    CHECK(any_message(&s, "tracks_basic.csv:") && any_message(&s, " events, "));
}

static void test_own_loop(const aw_zone_set *z)
{
    seen s = {0};
    aw_pipeline_options o = {.format = "csv", .on_event = on_event, .on_message = keep_message,
                             .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    aw_pipeline_restart(p, "my-feed");
    FILE *f = fopen(FIXTURES "/tracks_basic.csv", "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f))
        CHECK(aw_pipeline_line(p, line, strcspn(line, "\n")) == 0);
    if (f)
        fclose(f);
    CHECK(aw_pipeline_close(p) == 0);
    check_expected(&s);
    CHECK(any_message(&s, "my-feed:"));
}

/* A connected socket, read to its end: the same events as the file. */
static void test_socket(const aw_zone_set *z)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    FILE *f = fopen(FIXTURES "/tracks_basic.csv", "r");
    char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    CHECK(n > 100 && n < sizeof buf && write(sv[0], buf, n) == (ssize_t)n);
    close(sv[0]); /* the peer is done: the reader sees the end after the data */
    seen s = {0};
    aw_pipeline_options o = {.on_event = on_event, .on_message = keep_message, .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL && aw_pipeline_read_fd(p, sv[1], "feed:30003") == 0);
    CHECK(aw_pipeline_close(p) == 0);
    close(sv[1]);
    check_expected(&s);
    CHECK(any_message(&s, "feed:30003:13: bad line:"));
}

static void test_bad_lines_and_store(const aw_zone_set *z)
{
    char dir[] = "/tmp/aw_pipeline_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[64], db[64];
    snprintf(csv, sizeof csv, "%s/in.csv", dir);
    snprintf(db, sizeof db, "%s/events.db", dir);
    FILE *f = fopen(csv, "w");
    fputs("time,id,lat,lon,alt_ft\n"
          "1700000000,aaa001,0,-0.5,30000\n"
          "1700000100,aaa001,zero,0.5,30000\n" /* line 3: bad */
          "1700000200,aaa001,0,0.5,30000\n"
          "1700000300,aaa001,0,1.5,30000\n", f);
    fclose(f);

    seen s = {0};
    aw_pipeline_options o = {.db_path = db, .on_event = on_event, .on_message = keep_message,
                             .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    CHECK(aw_pipeline_read_file(p, csv) == 0);
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    CHECK(st.bad_lines == 1 && st.lines == 5);
    char want[128];
    snprintf(want, sizeof want, "%s:3: bad line:", csv);
    CHECK(any_message(&s, want));
    CHECK(aw_pipeline_close(p) == 0);
    CHECK(s.n == 2); /* enter and exit of square */

    aw_store *store = aw_store_open(db, err, sizeof err);
    CHECK(store != NULL);
    size_t n = 0;
    aw_event *stored = store ? aw_store_events_all(store, &n, err, sizeof err) : NULL;
    CHECK(stored && n == 2 && strcmp(stored[0].zone, "square") == 0);
    free(stored);
    if (store)
        aw_store_close(store);

    /* strict: the bad line stops the input. */
    seen t = {0};
    aw_pipeline_options so = {.strict = true, .on_event = on_event, .on_message = keep_message,
                              .user = &t};
    p = aw_pipeline_new(z, &so, err, sizeof err);
    CHECK(p != NULL);
    CHECK(aw_pipeline_read_file(p, csv) == -1);
    aw_pipeline_get_stats(p, &st);
    CHECK(st.lines == 3);
    aw_pipeline_close(p);

    unlink(csv);
    unlink(db);
    rmdir(dir);
}

static void test_binary_and_refusals(const aw_zone_set *z)
{
    seen s = {0};
    aw_pipeline_options o = {.format = "raw", .start = 1700000000, .on_report = on_report,
                             .on_message = keep_message, .user = &s};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(z, &o, err, sizeof err);
    CHECK(p != NULL);
    CHECK(aw_pipeline_read_file(p, FIXTURES "/frames.raw") == 0);
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    CHECK(st.lines > 0 && st.engine.reports + st.engine.attribute_reports > 0);
    CHECK(any_message(&s, "frames.raw:") && any_message(&s, "frames"));
    CHECK(aw_pipeline_close(p) == 0);

    aw_pipeline_options bad = {.format = "morse"};
    CHECK(aw_pipeline_new(z, &bad, err, sizeof err) == NULL && strstr(err, "morse"));
    aw_pipeline_options nodb = {.db_path = "/nonexistent/dir/events.db"};
    err[0] = '\0';
    CHECK(aw_pipeline_new(z, &nodb, err, sizeof err) == NULL && err[0]);
    seen m = {0};
    aw_pipeline_options missing = {.on_message = keep_message, .user = &m};
    p = aw_pipeline_new(z, &missing, err, sizeof err);
    CHECK(aw_pipeline_read_file(p, "/nonexistent.csv") == -1);
    CHECK(any_message(&m, "cannot open /nonexistent.csv"));
    aw_pipeline_close(p);
}

int main(void)
{
    aw_zone_set *z = zones();
    if (!z)
        return 1;
    test_file_and_json(z);
    test_own_loop(z);
    test_socket(z);
    test_bad_lines_and_store(z);
    test_binary_and_refusals(z);
    aw_zones_free(z);
    return check_done("pipeline");
}
