/* fuzz_lines.c -- the text parsers never crash, never read out of bounds, and give either
 * a clear "bad" with a reason or a report whose every number is finite and in range.
 * The first input byte picks the parser (CSV row, CSV header, SBS, time). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"

static void check_report(const aw_report *r)
{
    if (!isfinite(r->time))
        abort();
    if (r->has_position && (!(r->lat >= -90 && r->lat <= 90) || !(r->lon >= -180 && r->lon <= 180)))
        abort();
    if (isinf(r->alt_ft) || isinf(r->speed_kt) || isinf(r->track_deg))
        abort();
    if (memchr(r->track, 0, sizeof r->track) == NULL || memchr(r->callsign, 0, sizeof r->callsign) == NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* A private copy with no terminator: parsers must respect the length. */
    size_t n = size - 1;
    char *line = malloc(n ? n : 1);
    memcpy(line, data + 1, n);
    char err[256];
    aw_report r;
    switch (data[0] % 4) {
    case 0: {
        static const char header[] = "time,id,lat,lon,alt_ft,callsign,squawk,speed_kt,track_deg";
        aw_csv_columns cols;
        if (aw_csv_header(header, strlen(header), &cols, err, sizeof err) != 0)
            abort();
        err[0] = '\0';
        switch (aw_csv_parse(&cols, line, n, &r, err, sizeof err)) {
        case AW_PARSE_REPORT: check_report(&r); break;
        case AW_PARSE_BAD:
            if (!err[0])
                abort(); /* a bad line must say why */
            break;
        default: break;
        }
        break;
    }
    case 1: {
        aw_csv_columns cols;
        aw_csv_header(line, n, &cols, err, sizeof err);
        break;
    }
    case 2:
        err[0] = '\0';
        switch (aw_sbs_parse(line, n, 9 * 3600, &r, err, sizeof err)) {
        case AW_PARSE_REPORT: check_report(&r); break;
        case AW_PARSE_BAD:
            if (!err[0])
                abort();
            break;
        default: break;
        }
        break;
    default: {
        double t;
        if (aw_parse_time(line, n, &t) == 0 && !isfinite(t))
            abort();
        break;
    }
    }
    free(line);
    return 0;
}
