/* bench_feeds.c -- how fast globe-history traces decode, against CSV of the same positions.
 *
 * The same positions (AIRCRAFT aircraft x POINTS points, flying straight lines) are
 * written in memory twice: as CSV rows (adizwatch's own columns) and as one tar1090
 * trace_full JSON text per aircraft, with the point arrays readsb writes (14 fields, a
 * details object every 30th point). Each is then decoded to aw_report values, one core,
 * best of three: CSV through aw_csv_parse, traces through aw_trace_parse and
 * aw_trace_point. The ratio, not the absolute rate, is the figure to compare across
 * machines. Prints a table; run `build/bench/bench_feeds [AIRCRAFT] [POINTS]`. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/feeds.h"
#include "adizwatch/ingest.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A growable text buffer. */
typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->n) {
            t->n += (size_t)n;
            return;
        }
        t->cap = t->cap ? 2 * t->cap : 1 << 20;
        t->p = realloc(t->p, t->cap);
        if (!t->p) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    int aircraft = argc > 1 ? atoi(argv[1]) : 2000;
    int points = argc > 2 ? atoi(argv[2]) : 500;
    if (aircraft < 1 || points < 1) {
        fprintf(stderr, "usage: bench_feeds [AIRCRAFT] [POINTS]\n");
        return 2;
    }
    text csv = {0};
    text *traces = calloc((size_t)aircraft, sizeof *traces);
    put(&csv, "time,id,lat,lon,alt_ft,callsign\n");
    double t0 = 1669780000.0;
    for (int a = 0; a < aircraft; a++) {
        double lat0 = 25 + (a % 200) * 0.1, lon0 = 120 + (a / 200) * 0.3, base = t0 + a;
        put(&traces[a], "{\"icao\":\"%06x\",\"r\":\"HL%04d\",\"t\":\"B738\",\"dbFlags\":0,"
                        "\"timestamp\": %.3f,\"trace\":[\n", 0x710000 + a, a % 10000, base);
        for (int i = 0; i < points; i++) {
            double t = base + i * 4.0, lat = lat0 + i * 0.01, lon = lon0 + i * 0.012;
            int alt = 30000 + (i % 7) * 25;
            put(&csv, "%.3f,%06x,%.6f,%.6f,%d,KAL%d\n", t, 0x710000 + a, lat, lon, alt, a);
            if (i % 30 == 0)
                put(&traces[a], "%s[%.2f,%.6f,%.6f,%d,451.2,45.3,0,0,{\"type\":\"adsb_icao\","
                                "\"flight\":\"KAL%-5d\",\"alt_geom\":%d,\"squawk\":\"2341\","
                                "\"nic\":8,\"rc\":186},\"adsb_icao\",%d,0,280,0.0]",
                    i ? ",\n" : "", t - base, lat, lon, alt, a, alt + 500, alt + 500);
            else
                put(&traces[a], ",\n[%.2f,%.6f,%.6f,%d,451.2,45.3,0,0,null,\"adsb_icao\",%d,0,280,0.0]",
                    t - base, lat, lon, alt, alt + 500);
        }
        put(&traces[a], "]}\n");
    }
    size_t total = (size_t)aircraft * (size_t)points, trace_bytes = 0;
    for (int a = 0; a < aircraft; a++)
        trace_bytes += traces[a].n;

    double best_csv = INFINITY, best_trace = INFINITY, sum_csv = 0, sum_trace = 0;
    for (int run = 0; run < 3; run++) {
        double start = now_s();
        aw_csv_columns cols;
        char err[256];
        const char *p = csv.p, *end = csv.p + csv.n;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (aw_csv_header(p, (size_t)(nl - p), &cols, err, sizeof err) < 0) {
            fprintf(stderr, "header: %s\n", err);
            return 1;
        }
        size_t n = 0;
        for (p = nl + 1; p < end; p = nl + 1) {
            nl = memchr(p, '\n', (size_t)(end - p));
            aw_report r;
            if (aw_csv_parse(&cols, p, (size_t)(nl - p), &r, err, sizeof err) == AW_PARSE_REPORT) {
                n++;
                sum_csv += r.lat;
            }
        }
        double csv_s = now_s() - start;
        if (n != total) {
            fprintf(stderr, "CSV gave %zu reports, not %zu\n", n, total);
            return 1;
        }
        start = now_s();
        n = 0;
        for (int a = 0; a < aircraft; a++) {
            aw_trace *t = aw_trace_parse(traces[a].p, traces[a].n, err, sizeof err);
            if (!t) {
                fprintf(stderr, "trace: %s\n", err);
                return 1;
            }
            for (size_t i = 0; i < aw_trace_count(t); i++) {
                aw_report r;
                aw_feed_info info;
                aw_trace_point(t, i, &r, &info);
                sum_trace += r.lat;
                n++;
            }
            aw_trace_free(t);
        }
        double trace_s = now_s() - start;
        if (n != total) {
            fprintf(stderr, "traces gave %zu reports, not %zu\n", n, total);
            return 1;
        }
        if (csv_s < best_csv)
            best_csv = csv_s;
        if (trace_s < best_trace)
            best_trace = trace_s;
    }
    if (fabs(sum_csv - sum_trace) > 1e-3 * fabs(sum_csv)) {
        fprintf(stderr, "the two formats decoded different latitudes\n");
        return 1;
    }
    printf("| input | reports | MB | seconds | M reports/s |\n|---|---|---|---|---|\n");
    printf("| CSV rows | %zu | %.1f | %.3f | %.2f |\n", total, csv.n / 1e6, best_csv, total / best_csv / 1e6);
    printf("| trace_full JSON | %zu | %.1f | %.3f | %.2f |\n", total, trace_bytes / 1e6, best_trace,
           total / best_trace / 1e6);
    printf("trace / CSV reports per second: %.3f\n", best_csv / best_trace);
    free(csv.p);
    for (int a = 0; a < aircraft; a++)
        free(traces[a].p);
    free(traces);
    return 0;
}
