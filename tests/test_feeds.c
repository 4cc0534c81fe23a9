/* test_feeds.c -- readsb aircraft.json snapshots, readsb JSON position lines, tar1090
 * globe-history traces (plain, gzip, merged), timestamped Mode S lines and sniffing,
 * on the project's fixtures; with --shared (test feeds_shared), on the real samples in
 * ../shared/data/formats/, skipped only when one is absent. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "adizwatch/decode.h"
#include "adizwatch/feeds.h"
#include "adizwatch/identify.h"
#include "adizwatch/sniff.h"
#include "check.h"
#include "shared_data.h"

#define FEEDS FIXTURES "/feeds/"

/* A file of ../shared/data/formats; the test skips (77) when it is absent. */
static const char *formats(const char *rel)
{
    static char bufs[16][1024];
    static int next;
    char *buf = bufs[next++ % 16];
    char tmp[128];
    snprintf(tmp, sizeof tmp, "data/formats/%s", rel);
    shared_path(tmp, buf, sizeof bufs[0]);
    shared_need(buf);
    return buf;
}

typedef struct got {
    aw_report r[16];
    aw_feed_info info[16];
    int n;
} got;

static void collect(const aw_report *r, const aw_feed_info *info, void *user)
{
    got *g = user;
    if (g->n < 16) {
        g->r[g->n] = *r;
        g->info[g->n] = *info;
    }
    g->n++;
}

static const aw_report *find(const got *g, const char *id, const aw_feed_info **info)
{
    for (int i = 0; i < g->n && i < 16; i++)
        if (strcmp(g->r[i].track, id) == 0) {
            if (info)
                *info = &g->info[i];
            return &g->r[i];
        }
    return NULL;
}

static char *slurp(const char *path, size_t *len)
{
    char err[256];
    char *text = aw_read_file_maybe_gz(path, len, err, sizeof err);
    if (!text)
        fprintf(stderr, "%s\n", err);
    return text;
}

static void test_snapshots(void)
{
    aw_readsb_seen *seen = aw_readsb_seen_new();
    size_t len;
    char err[256];
    double now = 0;
    got g = {0};
    char *text = slurp(FEEDS "aircraft_1.json", &len);
    CHECK(text != NULL);
    long n = aw_readsb_snapshot(text, len, seen, collect, &g, &now, err, sizeof err);
    free(text);
    CHECK(n == 4);
    CHECK(g.n == 4); /* 000001 says nothing: no report */
    CHECK_NEAR(now, 1669786080.0, 1e-9);
    const aw_feed_info *info = NULL;
    const aw_report *r = find(&g, "71be12", &info);
    CHECK(r && r->has_position);
    if (r) {
        CHECK_NEAR(r->time, 1669786077.5, 1e-6); /* now - seen_pos, not now - seen */
        CHECK_STR(r->callsign, "KAL123");
        CHECK_STR(r->squawk, "2341");
        CHECK_NEAR(r->alt_ft, 35000, 0);
        CHECK_NEAR(r->speed_kt, 480.2, 1e-9);
        CHECK_NEAR(r->track_deg, 85.3, 1e-9);
        CHECK_STR(info->registration, "HL8001");
        CHECK_STR(info->type, "B77W");
        CHECK_STR(info->category, "A5");
        CHECK_NEAR(info->alt_geom_ft, 35550, 0);
        CHECK(!info->military);
    }
    r = find(&g, "~71be12", NULL); /* a non-ICAO address stays its own track */
    CHECK(r && r->has_position && fabs(r->lat - 35.6) < 1e-9);
    r = find(&g, "ae1234", &info);
    CHECK(r && r->has_position);
    if (r) {
        CHECK(info->on_ground);
        CHECK_NEAR(r->alt_ft, 0, 0);
        CHECK(info->military);
        CHECK(info->db_flags == 1);
        CHECK_NEAR(r->time, 1669786080.0, 1e-6);
    }
    r = find(&g, "780abc", NULL);
    CHECK(r && !r->has_position);
    if (r) {
        CHECK_NEAR(r->time, 1669786077.0, 1e-6); /* attribute-only: now - seen */
        CHECK_STR(r->squawk, "7000");
    }

    /* The next second: only what is new. */
    got g2 = {0};
    text = slurp(FEEDS "aircraft_2.json", &len);
    n = aw_readsb_snapshot(text, len, seen, collect, &g2, NULL, err, sizeof err);
    free(text);
    CHECK(n == 2);
    CHECK(find(&g2, "71be12", NULL) == NULL);   /* the same fix, now 3.5 s old */
    CHECK(find(&g2, "ae1234", NULL) == NULL);   /* the same fix on the ground */
    r = find(&g2, "~71be12", NULL);
    CHECK(r && r->has_position && fabs(r->lat - 35.61) < 1e-9);
    r = find(&g2, "780abc", NULL);
    CHECK(r && !r->has_position && strcmp(r->squawk, "7001") == 0);

    /* Without memory every aircraft with something to say reports. */
    got g3 = {0};
    text = slurp(FEEDS "aircraft_2.json", &len);
    CHECK(aw_readsb_snapshot(text, len, NULL, collect, &g3, NULL, err, sizeof err) == 4);
    free(text);
    aw_readsb_seen_free(seen);

    /* Not a snapshot. */
    const char *bad[] = {"{\"now\": 5}", "{\"aircraft\": []}", "[1,2]", "{\"now\":"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(aw_readsb_snapshot(bad[i], strlen(bad[i]), NULL, collect, &g3, NULL, err, sizeof err) == -1);
        CHECK(err[0] != '\0');
    }
    /* The v2 API: "ac" and now in milliseconds. */
    const char *v2 = "{\"ac\":[{\"hex\":\"abc123\",\"lat\":1.5,\"lon\":2.5,\"seen_pos\":1.5}],\"now\":1700000000500}";
    got g4 = {0};
    CHECK(aw_readsb_snapshot(v2, strlen(v2), NULL, collect, &g4, &now, err, sizeof err) == 1);
    CHECK_NEAR(g4.r[0].time, 1699999999.0, 1e-6);
    double head_now;
    CHECK(aw_readsb_snapshot_time("{ \"now\" : 1669786080.0,\n", 24, &head_now) == 0);
    CHECK_NEAR(head_now, 1669786080.0, 0);
}

static void test_position_lines(void)
{
    size_t len;
    char *text = slurp(FEEDS "positions.jsonl", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    aw_parse_result want[] = {AW_PARSE_REPORT, AW_PARSE_REPORT, AW_PARSE_REPORT, AW_PARSE_BAD};
    char *line = text;
    for (int i = 0; i < 4; i++) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        aw_report r;
        aw_feed_info info;
        char err[256] = "";
        aw_parse_result res = aw_readsb_line(line, n, &r, &info, err, sizeof err);
        CHECK(res == want[i]);
        if (i == 0) {
            CHECK(r.has_position && strcmp(r.track, "71be12") == 0);
            CHECK_NEAR(r.time, 1669786080.1, 1e-6);
        } else if (i == 1) {
            CHECK_STR(r.track, "~c0ffee");
            CHECK(info.on_ground);
            CHECK_NEAR(r.time, 1669786081.0, 1e-6);
        } else if (i == 2) {
            CHECK(!r.has_position);
            CHECK_STR(r.squawk, "7700");
        } else {
            CHECK(strstr(err, "now") != NULL);
        }
        line = nl ? nl + 1 : line + n;
    }
    free(text);
    CHECK(aw_format_detect("{\"now\":1}", 9) == AW_FORMAT_READSB);
}

static void check_fixture_trace(aw_trace *t)
{
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK(aw_trace_count(t) == 5);
    CHECK_NEAR(aw_trace_start(t), 1669786000.5, 1e-6);
    aw_report r;
    aw_feed_info info;
    aw_trace_point(t, 0, &r, &info);
    CHECK_STR(r.track, "ae1234");
    CHECK(info.on_ground && r.alt_ft == 0);
    CHECK(info.new_leg && !info.stale);
    CHECK(info.military);
    CHECK_STR(info.registration, "05-5140");
    CHECK_STR(info.type, "C17");
    CHECK_STR(r.callsign, "RCH401");
    CHECK_STR(r.squawk, "1200");
    aw_trace_point(t, 1, &r, &info);
    CHECK_NEAR(r.time, 1669786060.75, 1e-6);
    CHECK_STR(r.callsign, "RCH401"); /* details carry on */
    aw_trace_point(t, 2, &r, &info);
    CHECK(!info.on_ground && r.alt_ft == 3000);
    CHECK_NEAR(info.alt_geom_ft, 3150, 0);
    CHECK_NEAR(r.speed_kt, 180, 0);
    aw_trace_point(t, 3, &r, &info);
    CHECK(info.stale && !info.new_leg);
    CHECK_STR(r.callsign, "RCH402");
    CHECK_STR(r.squawk, "1200");
    CHECK_NEAR(r.lat, 36.2, 1e-9);
}

/* A gzip copy of a file in dir; returns its path (static buffer). */
static const char *gzip_copy(const char *src, const char *dir, const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *text = slurp(src, &len);
    gzFile gz = gzopen(path, "wb");
    if (!text || !gz || gzwrite(gz, text, (unsigned)len) != (int)len)
        fprintf(stderr, "cannot write %s\n", path);
    if (gz)
        gzclose(gz);
    free(text);
    return path;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static void count_bad(const char *path, const char *reason, void *user)
{
    (void)path;
    (void)reason;
    ++*(int *)user;
}

static void test_traces(const char *dir)
{
    char err[256];
    aw_trace *t = aw_trace_load(FEEDS "trace_full_ae1234.json", err, sizeof err);
    check_fixture_trace(t);
    aw_trace_free(t);
    const char *gz = gzip_copy(FEEDS "trace_full_ae1234.json", dir, "trace_full_ae1234.json.gz");
    t = aw_trace_load(gz, err, sizeof err);
    check_fixture_trace(t);
    aw_trace_free(t);
    bool gzipped;
    CHECK(aw_sniff_file(gz, &gzipped, err, sizeof err) == AW_INPUT_TRACE && gzipped);
    CHECK(aw_trace_load(FEEDS "aircraft_1.json", err, sizeof err) == NULL);
    CHECK(strstr(err, "trace") != NULL);

    /* A merge of three files: A 0..20, B 5..25 (gzip), C 100..110, each out of step. */
    char a[512], b[512], c[512], bad[512];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(c, sizeof c, "%s/c.json", dir);
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    write_file(a, "{\"icao\":\"aaaaaa\",\"timestamp\":1000,\"trace\":[[0,1,1,100],[10,1,2,100],[20,1,3,100]]}");
    write_file(c, "{\"icao\":\"cccccc\",\"timestamp\":1100,\"trace\":[[0,3,1,null],[10,3,2,null]]}");
    write_file(bad, "{\"icao\":\"dddddd\",\"timestamp\":1000,\"trace\":[[0,1,1,100]");
    write_file(b, "{\"icao\":\"bbbbbb\",\"timestamp\":1005,\"trace\":[[0,2,1,1],[7,2,2,1],[20,2,3,1]]}");
    char bgz[512];
    snprintf(bgz, sizeof bgz, "%s", gzip_copy(b, dir, "b.json.gz"));
    unlink(b);
    const char *paths[] = {c, bgz, bad, a};
    aw_trace_merge *m = aw_trace_merge_new(paths, 4, err, sizeof err);
    CHECK(m != NULL);
    if (!m)
        return;
    double want[] = {1000, 1005, 1010, 1012, 1020, 1025, 1100, 1110};
    const char *ids[] = {"aaaaaa", "bbbbbb", "aaaaaa", "bbbbbb", "aaaaaa", "bbbbbb", "cccccc", "cccccc"};
    aw_report r;
    aw_feed_info info;
    int k = 0, bads = 0;
    while (aw_trace_merge_next(m, &r, &info, count_bad, &bads) == 1) {
        if (k < 8) {
            CHECK_NEAR(r.time, want[k], 1e-9);
            CHECK_STR(r.track, ids[k]);
        }
        k++;
    }
    CHECK(k == 8);
    CHECK(aw_trace_merge_peak_open(m) == 2); /* C is decoded only after A and B are done */
    CHECK(bads == 1); /* bad.json: cut short, reported once, the rest goes on */
    aw_trace_merge_free(m);
}

/* Cut short anywhere or with a byte changed, a trace is refused or read, never overrun:
 * the text is copied to a buffer of exactly its length for each try (ASan sees any
 * read past it). */
static void test_trace_damage(void)
{
    size_t len;
    char *text = slurp(FEEDS "trace_full_ae1234.json", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    int refused = 0, read = 0;
    for (size_t cut = 0; cut < len; cut++) {
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, text, cut);
        char err[256];
        aw_trace *t = aw_trace_parse(copy, cut, err, sizeof err);
        if (t)
            read++;
        else
            refused++;
        aw_trace_free(t);
        free(copy);
    }
    size_t whole = len; /* without the file's last blanks */
    while (whole > 0 && (text[whole - 1] == '\n' || text[whole - 1] == ' '))
        whole--;
    CHECK(refused == (int)whole); /* every cut before the last '}' loses a closing bracket */
    CHECK(read == (int)(len - whole));
    static const char bytes[] = {'"', '[', ']', '{', '}', ',', '\\', '-', 'e', '\0'};
    for (size_t i = 0; i < len; i++)
        for (size_t b = 0; b < sizeof bytes; b++) {
            char *copy = malloc(len);
            memcpy(copy, text, len);
            copy[i] = bytes[b];
            char err[256];
            aw_trace *t = aw_trace_parse(copy, len, err, sizeof err);
            if (t)
                CHECK(aw_trace_count(t) <= 5);
            aw_trace_free(t);
            free(copy);
        }
    free(text);
}

static void test_real_trace(void)
{
    const char *path = formats("readsb/trace_full_ac671b.json");
    char err[256];
    aw_trace *t = aw_trace_load(path, err, sizeof err);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK(aw_trace_count(t) == 2500);
    CHECK_NEAR(aw_trace_start(t), 1738703622.619, 1e-6);
    aw_report r;
    aw_feed_info info;
    aw_trace_point(t, 0, &r, &info);
    CHECK_STR(r.track, "ac671b");
    CHECK_STR(info.registration, "N899DN");
    CHECK_STR(info.type, "B739");
    CHECK(!info.military);
    CHECK_NEAR(r.lat, 16.777359, 1e-9);
    CHECK_NEAR(r.alt_ft, 32000, 0);
    CHECK(info.stale); /* the first point's flags are 1 */
    CHECK_STR(r.callsign, "");
    aw_trace_point(t, 3, &r, &info);
    CHECK_STR(r.callsign, "DAL1812");
    CHECK_STR(r.squawk, "4637");
    aw_trace_point(t, 2499, &r, &info);
    CHECK_NEAR(r.time, 1738703622.619 + 81655.47, 1e-6);
    int ground = 0, stale = 0, legs = 0;
    double prev = -INFINITY;
    bool ordered = true;
    for (size_t i = 0; i < aw_trace_count(t); i++) {
        aw_trace_point(t, i, &r, &info);
        ground += info.on_ground;
        stale += info.stale;
        legs += info.new_leg;
        if (r.time < prev)
            ordered = false;
        prev = r.time;
    }
    CHECK(ground == 394 && stale == 75 && legs == 3);
    CHECK(ordered);
    aw_trace_free(t);
}

static void test_timed_modes(void)
{
    aw_modes_frame f;
    const char *line = "2015-03-03T16:12:24.846557    5D4840D6F87407";
    CHECK(aw_rawhex_parse(line, strlen(line), &f) == 0);
    CHECK_NEAR(f.time, 1425399144.846557, 1e-6);
    CHECK(f.len == 7 && f.data[0] == 0x5D && f.data[6] == 0x07);
    line = "2015-03-03T16:12:24.846557+01:00 8D4840D6202CC371C32CE0576098";
    CHECK(aw_rawhex_parse(line, strlen(line), &f) == 0);
    CHECK_NEAR(f.time, 1425399144.846557 - 3600, 1e-6);
    CHECK(f.len == 14);
    line = "@0000002A5F008D4840D6202CC371C32CE0576098;";
    CHECK(aw_rawhex_parse(line, strlen(line), &f) == 0);
    CHECK(f.has_mlat && f.mlat_ticks == 0x2A5F00 && isnan(f.time));
    line = "2015-03-03T16:12:24 5D4840D6F874";
    CHECK(aw_rawhex_parse(line, strlen(line), &f) == -1); /* 12 digits: no frame */
    line = "2015-13-03T16:12:24 5D4840D6F87407";
    CHECK(aw_rawhex_parse(line, strlen(line), &f) == -1);

}

/* pyModeS' data.txt: every line parses, with its time, in time order. */
static void shared_timed_modes(void)
{
    aw_modes_frame f;
    FILE *fp = fopen(formats("modes/data.txt"), "r");
    CHECK(fp != NULL);
    if (!fp)
        return;
    char buf[256];
    int lines = 0, parsed = 0;
    double prev = 0;
    bool ordered = true;
    while (fgets(buf, sizeof buf, fp)) {
        lines++;
        if (aw_rawhex_parse(buf, strlen(buf), &f) == 0) {
            parsed++;
            if (f.time < prev)
                ordered = false;
            prev = f.time;
        }
    }
    fclose(fp);
    CHECK(lines == 4516 && parsed == lines);
    CHECK(ordered);
}

/* The real samples, each told by its first bytes. */
static void shared_sniff(void)
{
    struct {
        const char *rel;
        aw_input_kind kind;
    } cases[] = {
        {"readsb/trace_full_ac671b.json", AW_INPUT_TRACE},
        {"beast/sample_dump1090.bin", AW_INPUT_BEAST},
        {"asterix/cat_062_065.pcap", AW_INPUT_PCAP},
        {"asterix/cat062cat065.raw", AW_INPUT_ASTERIX},
        {"asterix/cat21_re.ast", AW_INPUT_ASTERIX},
        {"modes/data.txt", AW_INPUT_RAWHEX},
        {"modes/tutorial_positions.csv", AW_INPUT_CSV},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = formats(cases[i].rel);
        bool gz;
        char err[512];
        aw_input_kind k = aw_sniff_file(path, &gz, err, sizeof err);
        if (k != cases[i].kind)
            fprintf(stderr, "%s: sniffed %s\n", path, aw_input_kind_name(k));
        CHECK(k == cases[i].kind);
        CHECK(!gz);
    }
}

static void test_sniff(void)
{
    char err[512];
    bool gz;
    struct {
        const char *path;
        aw_input_kind kind;
    } cases[] = {
        {FEEDS "aircraft_1.json", AW_INPUT_SNAPSHOT},
        {FEEDS "positions.jsonl", AW_INPUT_READSB_LINES},
        {FEEDS "trace_full_ae1234.json", AW_INPUT_TRACE},
        {FIXTURES "/tracks_basic.csv", AW_INPUT_CSV},
        {FIXTURES "/tracks_basic.sbs", AW_INPUT_SBS},
        {FIXTURES "/frames.raw", AW_INPUT_RAWHEX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aw_input_kind k = aw_sniff_file(cases[i].path, &gz, err, sizeof err);
        if (k != cases[i].kind)
            fprintf(stderr, "%s: sniffed %s\n", cases[i].path, aw_input_kind_name(k));
        CHECK(k == cases[i].kind);
        CHECK(!gz);
    }
    const uint8_t pcapng[] = {0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a};
    CHECK(aw_sniff(pcapng, sizeof pcapng) == AW_INPUT_PCAPNG);
    const uint8_t elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
    CHECK(aw_sniff(elf, sizeof elf) == AW_INPUT_UNKNOWN);
    const char *prose = "Hello world\nthis is not data\n";
    CHECK(aw_sniff((const uint8_t *)prose, strlen(prose)) == AW_INPUT_UNKNOWN);
    const char *other_json = "{\"version\":\"3.14\",\"refresh\":1000}";
    CHECK(aw_sniff((const uint8_t *)other_json, strlen(other_json)) == AW_INPUT_UNKNOWN);
    /* "AIR," opens with 'A' (category 65) and "IR" (a length of 18770): text, not ASTERIX. */
    static char sbs[9000];
    memset(sbs, '\n', sizeof sbs);
    memcpy(sbs, "AIR,,1,1,4CA2D6,1\nMSG,3,1,1,4CA2D6,1", 36);
    CHECK(aw_sniff((const uint8_t *)sbs, 8192) == AW_INPUT_SBS);
    /* A block cut by the end of a head that is the whole file is not ASTERIX either. */
    const uint8_t cut[] = {62, 0, 40, 1, 2, 3};
    CHECK(aw_sniff(cut, sizeof cut) == AW_INPUT_UNKNOWN);
    const uint8_t two[] = {62, 0, 5, 1, 2, 48, 0, 4, 9};
    CHECK(aw_sniff(two, sizeof two) == AW_INPUT_ASTERIX);
    CHECK(aw_sniff_file(FIXTURES "/zones_basic.geojson", &gz, err, sizeof err) == AW_INPUT_UNKNOWN);
    CHECK(strstr(err, "tried") != NULL);
}

/* What a feed knows of an aircraft enters the aircraft database one entry at a time. */
static void test_db_put(void)
{
    aw_aircraft_db *db = aw_aircraft_db_new();
    CHECK(db != NULL);
    const char *ids[] = {"AE1234", "71be12", "~00abcd", "000001", "ae1234", "zz"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        aw_aircraft a;
        memset(&a, 0, sizeof a);
        snprintf(a.id, sizeof a.id, "%s", ids[i]);
        snprintf(a.type, sizeof a.type, "T%zu", i);
        a.military = i != 1;
        CHECK(aw_aircraft_db_put(db, &a) == 0);
    }
    CHECK(aw_aircraft_db_count(db) == 5); /* ae1234 given twice, the second replaces */
    const aw_aircraft *a = aw_aircraft_db_find(db, "AE1234");
    CHECK(a && strcmp(a->type, "T4") == 0);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        CHECK(aw_aircraft_db_find(db, ids[i]) != NULL);
    CHECK(aw_aircraft_db_find(db, "abcdef") == NULL);
    aw_identity who;
    aw_identify(db, "ae1234", "RCH401", "1200", &who);
    CHECK(who.military && who.unidentified); /* military: unidentified whatever it shows */
    aw_identify(db, "71be12", "KAL123", "2341", &who);
    CHECK(!who.military && !who.unidentified);
    aw_aircraft_db_free(db);
}

int main(int argc, char **argv)
{
    if (shared_wanted(argc, argv)) {
        test_real_trace();
        shared_timed_modes();
        shared_sniff();
        return check_done("feeds_shared");
    }
    char dir[] = "/tmp/test_feeds_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_snapshots();
    test_position_lines();
    test_traces(dir);
    test_trace_damage();
    test_timed_modes();
    test_sniff();
    test_db_put();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done("feeds");
}
