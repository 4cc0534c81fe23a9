/* test_regressions.c -- inputs found by fuzzing (./scripts/fuzz), kept so that what was
 * once wrong stays right. */
#include <math.h>
#include <string.h>

#include "adizwatch/decode.h"
#include "adizwatch/engine.h"
#include "adizwatch/feeds.h"
#include "check.h"

/* fuzz_zones: a feature that is not a Feature, then more features. Its id was never
 * read, and the duplicate-id check used it. */
static void zone_not_a_feature(void)
{
    const char *json = "{\"type\":\"FeatureCollection\",\"features\":["
                       "{\"type\":\"FeAture\",\"properties\":{\"id\":\"a\"}},"
                       "{\"type\":\"Feature\",\"properties\":{\"id\":\"b\"},\"geometry\":"
                       "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
    CHECK(aw_zones_load_string(json, strlen(json), NULL, NULL) == NULL);
}

static int records;
static double record_lat;

static void on_record(const aw_decoded *d, void *user)
{
    (void)user;
    records++;
    record_lat = d->lat;
}

/* fuzz_decode: a CAT062 record whose WGS84 position item holds a latitude of 4500
 * degrees. A position off the globe is dropped, the record kept. */
static void asterix_position_off_the_globe(void)
{
    static const unsigned char block[] = {
        0x3e, 0x00, 0x28, 0x88, 0x01, 0x00, 0x32, 0x00, 0xe4, 0x42, 0x00, 0x44, 0x30, 0x00,
        0x05, 0x23, 0x80, 0x5f, 0x80, 0x80, 0x80, 0x00, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x38, 0xe4, 0xae, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xff};
    aw_asterix_context ctx;
    memset(&ctx, 0, sizeof ctx);
    char err[256];
    records = 0;
    aw_asterix_decode(&ctx, block, sizeof block, on_record, NULL, err, sizeof err);
    CHECK(records == 1);
    CHECK(isnan(record_lat));
}

static double last_time = -INFINITY;
static int backwards;

static void on_event(const aw_event *ev, void *user)
{
    (void)user;
    backwards += ev->time < last_time;
    last_time = ev->time;
}

/* fuzz_engine: after the live clock lost a track, a report older than its last one
 * was taken as a new first sighting, and the track's events went back in time. */
static void engine_lost_then_older_report(void)
{
    aw_zone_set *zs = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(zs != NULL);
    if (!zs)
        return;
    aw_engine *e = aw_engine_new(zs, NULL, on_event, NULL);
    aw_report r;
    aw_report_clear(&r);
    strcpy(r.track, "c");
    r.has_position = true;
    r.time = 2000;
    r.lat = 0;
    r.lon = 0.5;
    CHECK(aw_engine_feed(e, &r) == AW_FEED_OK); /* first seen in the square */
    aw_engine_expire(e, 2400);                   /* lost */
    r.time = 1500;
    CHECK(aw_engine_feed(e, &r) == AW_FEED_DROPPED);
    r.time = 2500;
    CHECK(aw_engine_feed(e, &r) == AW_FEED_OK); /* first seen again */
    CHECK(backwards == 0);
    aw_engine_free(e);
    aw_zones_free(zs);
}

/* fuzz_feeds: a trace's dbFlags of 1.2e10 was cast to int (undefined). A value no int
 * holds is not a bit set: ignored, the trace read. */
static void trace_db_flags_out_of_range(void)
{
    static const char text[] = "{\"icao\":\"ae1234\",\"t\":\"C16\",\"dbFlags\":11669786000.5,"
                               "\"timestamp\":1700000000,\"trace\":[[0,35.9,126.6,30000]]}";
    char err[256];
    aw_trace *t = aw_trace_parse(text, sizeof text - 1, err, sizeof err);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK(aw_trace_count(t) == 1);
    aw_report r;
    aw_feed_info info;
    aw_trace_point(t, 0, &r, &info);
    CHECK(info.db_flags == 0 && !info.military);
    CHECK(strcmp(info.type, "C16") == 0);
    aw_trace_free(t);
}

int main(void)
{
    trace_db_flags_out_of_range();
    zone_not_a_feature();
    asterix_position_off_the_globe();
    engine_lost_then_older_report();
    return check_done("regressions");
}
