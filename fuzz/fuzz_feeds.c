/* fuzz_feeds.c -- the readsb / tar1090 JSON readers and the sniffer on any bytes: no
 * crash, no read past the buffer (the input is handed over without a terminating NUL),
 * and whatever is read has its time and position finite. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/feeds.h"
#include "adizwatch/sniff.h"

static void check(const aw_report *r)
{
    if (!isfinite(r->time))
        abort();
    if (r->has_position && (!isfinite(r->lat) || !isfinite(r->lon)))
        abort();
    if (strnlen(r->track, sizeof r->track) == sizeof r->track ||
        strnlen(r->callsign, sizeof r->callsign) == sizeof r->callsign ||
        strnlen(r->squawk, sizeof r->squawk) == sizeof r->squawk)
        abort();
}

static void on_report(const aw_report *r, const aw_feed_info *info, void *user)
{
    (void)info;
    (void)user;
    check(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1); /* exactly size bytes: a read past them is caught */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    char err[256];
    (void)aw_sniff(data, size);
    aw_trace *t = aw_trace_parse(copy, size, err, sizeof err);
    if (t) {
        for (size_t i = 0; i < aw_trace_count(t); i++) {
            aw_report r;
            aw_feed_info info;
            aw_trace_point(t, i, &r, &info);
            check(&r);
        }
        aw_trace_free(t);
    }
    aw_readsb_seen *seen = aw_readsb_seen_new();
    (void)aw_readsb_snapshot(copy, size, seen, on_report, NULL, NULL, err, sizeof err);
    aw_readsb_seen_free(seen);
    aw_report r;
    aw_feed_info info;
    if (aw_readsb_line(copy, size, &r, &info, err, sizeof err) == AW_PARSE_REPORT)
        check(&r);
    double now;
    (void)aw_readsb_snapshot_time(copy, size, &now);
    free(copy);
    return 0;
}
