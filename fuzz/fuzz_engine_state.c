/* fuzz_engine_state.c -- aw_engine_restore on arbitrary bytes: a checkpoint read back from
 * a store is input like any other. Whatever the bytes, restoring must not crash, leak or
 * read out of bounds; a state it accepts must run (a few reports fed, an expiry) and
 * save back to the same bytes it was read from.
 *
 * Arbitrary bytes nearly never get past the magic, version, zone fingerprint and final
 * checksum, so the harness mends them first: it writes the header a real engine over the
 * fixed zones would write and recomputes the checksum, leaving libFuzzer the tracks,
 * visits and candidates to vary. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"

static aw_zone_set *zones;
static unsigned char header[112]; /* a real engine's, magic to counters */

typedef struct buf {
    unsigned char *data;
    size_t n, cap, at;
} buf;

static int put(void *user, const void *data, size_t len)
{
    buf *b = user;
    if (b->n + len > b->cap) {
        b->cap = 2 * (b->n + len);
        b->data = realloc(b->data, b->cap);
        if (!b->data)
            abort();
    }
    memcpy(b->data + b->n, data, len);
    b->n += len;
    return 0;
}

static int get(void *user, void *data, size_t len)
{
    buf *b = user;
    if (len > b->n - b->at)
        return -1;
    memcpy(data, b->data + b->at, len);
    b->at += len;
    return 0;
}

static void on_event(const aw_event *ev, void *user)
{
    (void)ev;
    (void)user;
}

static void setup(void)
{
    static const char json[] =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"square\"},\"geometry\":{\"type\":"
        "\"Polygon\",\"coordinates\":[[[0,-0.5],[1,-0.5],[1,0.5],[0,0.5],[0,-0.5]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"band\",\"floor_ft\":10000,"
        "\"ceiling_ft\":20000},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[2,-0.5],[3,-0.5],[3,0.5],[2,0.5],[2,-0.5]]]}}]}";
    zones = aw_zones_load_string(json, sizeof json - 1, NULL, NULL);
    aw_engine *e = aw_engine_new(zones, NULL, on_event, NULL);
    if (!zones || !e)
        abort();
    buf b = {0};
    aw_engine_save(e, put, &b);
    if (b.n < sizeof header + 24)
        abort();
    memcpy(header, b.data, sizeof header);
    aw_engine_free(e);
    free(b.data);
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!zones)
        setup();
    /* header (with the input's first 16 bytes as slots and tracks, kept small), the
     * rest of the input, a checksum */
    buf in = {0};
    put(&in, header, sizeof header);
    unsigned char counts[16] = {0};
    memcpy(counts, data, size < 16 ? size : 16);
    counts[2] &= 0x3f; /* slots: at most 2^22 */
    memset(counts + 3, 0, 5);
    memset(counts + 10, 0, 6); /* tracks: at most 65535 */
    put(&in, counts, 16);
    if (size > 16)
        put(&in, data + 16, size - 16);
    uint64_t h = fnv(in.data, in.n);
    unsigned char sum[8];
    for (int i = 0; i < 8; i++)
        sum[i] = (unsigned char)(h >> (8 * i));
    put(&in, sum, 8);

    aw_engine *e = aw_engine_new(zones, NULL, on_event, NULL);
    char err[256];
    if (aw_engine_restore(e, get, &in, err, sizeof err) == 0) {
        buf out = {0};
        aw_engine_save(e, put, &out);
        if (out.n != in.at || memcmp(out.data, in.data, out.n) != 0)
            abort(); /* what was accepted must be what is saved */
        free(out.data);
        aw_report r;
        aw_report_clear(&r);
        r.has_position = true;
        r.alt_ft = 15000;
        const char *ids[3] = {"a", "b", "c"};
        for (int i = 0; i < 12; i++) {
            strcpy(r.track, ids[i % 3]);
            r.time = 1700000000.0 + 30 * i;
            r.lat = 0.1 * (i % 5) - 0.2;
            r.lon = -0.5 + 0.35 * i;
            aw_engine_feed(e, &r);
        }
        aw_engine_expire(e, 1800000000.0);
    }
    aw_engine_free(e);
    free(in.data);
    return 0;
}
