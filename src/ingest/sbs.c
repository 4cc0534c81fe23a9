/* sbs.c -- SBS-1 / BaseStation lines (dump1090, readsb port 30003) to reports.
 *
 * SBS is the live feed: one line per decoded Mode S message, most of them carrying a
 * single attribute of an aircraft, and its times in the receiver's local clock. This file
 * turns a line into a report, moving the time to UTC, and says precisely what is wrong
 * with a line that cannot be used. Like the CSV parser it works in place on the line:
 * fields are pointer+length spans and nothing is allocated. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "civil_time.h"
#include "field.h"

#define SBS_FIELDS 22
#define SBS_MIN_FIELDS 10 /* up to the logged time; some feeds drop empty trailing fields */

/* 1-based field numbers, as the format is documented. */
enum {
    F_TYPE = 1,
    F_TRANSMISSION = 2,
    F_HEX = 5,
    F_DATE = 7,
    F_TIME = 8,
    F_CALLSIGN = 11,
    F_ALT = 12,
    F_SPEED = 13,
    F_TRACK = 14,
    F_LAT = 15,
    F_LON = 16,
    F_SQUAWK = 18
};

static bool span_is(span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

/* An optional numeric field: empty leaves *out unknown. */
static bool number_field(span raw, const char *what, double *out, char *err, size_t errlen)
{
    span s = aw_field_trim(raw);
    if (s.n == 0)
        return true;
    int rc = aw_field_number(s, out);
    if (rc == 0)
        return true;
    char buf[48];
    aw_field_bad(err, errlen, "%s \"%s\" is not a %snumber", what,
                 aw_field_show(s, buf, sizeof buf), rc == -2 ? "finite " : "");
    return false;
}

/* Text field into a fixed buffer; false if it does not fit. */
static bool text_field(span raw, char *dst, size_t dstsize)
{
    span s = aw_field_trim(raw);
    if (s.n >= dstsize)
        return false;
    memcpy(dst, s.p, s.n);
    dst[s.n] = '\0';
    return true;
}

/* Two digits at p as a number, or -1. */
static int two_digits(const char *p)
{
    if (!aw_field_is_digit(p[0]) || !aw_field_is_digit(p[1]))
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Fields 7 and 8 ("2022/01/08", "22:42:15.605") in a clock tz_offset_s east of UTC.
 * They are read straight into a civil time -- the date as YYYY/MM/DD (or with dashes),
 * the time as HH:MM[:SS[.fff]] -- which aw_civil_time_to_epoch checks and converts in
 * integers (so milliseconds survive exactly), as aw_parse_time does for ISO 8601. */
static int sbs_time(span date, span time, int tz_offset_s, double *out)
{
    if (date.n != 10 || time.n < 5 || time.n > 24)
        return -1;
    for (size_t i = 0; i < 10; i++) {
        bool sep = i == 4 || i == 7;
        if (sep ? !(date.p[i] == '/' || date.p[i] == '-') : !aw_field_is_digit(date.p[i]))
            return -1;
    }
    aw_civil_time c = {.year = two_digits(date.p) * 100 + two_digits(date.p + 2),
                       .month = two_digits(date.p + 5),
                       .day = two_digits(date.p + 8),
                       .second = 0,
                       .frac = 0,
                       .scale = 1};
    const char *t = time.p;
    size_t n = time.n, p = 5;
    c.hour = two_digits(t);
    c.minute = two_digits(t + 3);
    if (c.hour < 0 || t[2] != ':' || c.minute < 0)
        return -1;
    if (p < n && t[p] == ':') {
        if (n - p < 3 || (c.second = two_digits(t + p + 1)) < 0)
            return -1;
        p += 3;
    }
    if (p < n && t[p] == '.') {
        ptrdiff_t end = aw_civil_read_fraction(&c, t, n, p + 1);
        if (end < 0)
            return -1;
        p = (size_t)end;
    }
    if (p != n)
        return -1; /* no zone or other surprises inside the field */

    /* An offset that is not whole minutes or not within a day is applied afterwards, as
     * a zone written +HH:MM could not say it. */
    int off = tz_offset_s, subtract = 0;
    if (off % 60 != 0 || off <= -24 * 3600 || off >= 24 * 3600) {
        subtract = off;
        off = 0;
    }
    if (aw_civil_time_to_epoch(&c, off, out) != 0)
        return -1;
    *out -= subtract;
    return 0;
}

aw_parse_result aw_sbs_parse(const char *line, size_t len, int tz_offset_s, aw_report *out,
                             char *err, size_t errlen)
{
    if (len && line[len - 1] == '\r')
        len--;
    if (aw_field_trim((span){line, len}).n == 0)
        return AW_PARSE_SKIP;

    /* f[1..22]; fields past 22 (some forks add their own) are ignored. */
    span f[SBS_FIELDS + 1];
    int nfields = aw_field_split_commas(line, len, f + 1, SBS_FIELDS, NULL);
    for (int i = nfields + 1; i <= SBS_FIELDS; i++)
        f[i] = (span){line + len, 0};

    char buf[48];
    span type = f[F_TYPE];
    if (!span_is(type, "MSG")) {
        if (span_is(type, "SEL") || span_is(type, "ID") || span_is(type, "AIR") ||
            span_is(type, "STA") || span_is(type, "CLK"))
            return AW_PARSE_SKIP;
        return aw_field_bad(err, errlen,
                            "message type \"%s\" is not one of MSG, SEL, ID, AIR, STA, CLK",
                            aw_field_show(type, buf, sizeof buf));
    }
    if (nfields < SBS_MIN_FIELDS)
        return aw_field_bad(err, errlen, "expected %d fields, got %d", SBS_FIELDS, nfields);

    span tt = f[F_TRANSMISSION];
    if (tt.n != 1 || tt.p[0] < '1' || tt.p[0] > '8')
        return aw_field_bad(err, errlen, "transmission type \"%s\" is not 1-8",
                            aw_field_show(tt, buf, sizeof buf));
    int transmission = tt.p[0] - '0';

    aw_report_clear(out);

    /* ICAO address in hex; a leading '~' marks a non-ICAO (TIS-B, anonymous) address and is
     * kept so such tracks never collide with a real airframe. */
    span hex = aw_field_trim(f[F_HEX]);
    if (hex.n == 0)
        return aw_field_bad(err, errlen, "hex ident is empty");
    size_t tilde = hex.p[0] == '~';
    bool ok = hex.n > tilde && hex.n - tilde <= 6;
    for (size_t i = tilde; ok && i < hex.n; i++)
        ok = aw_field_is_hex(hex.p[i]);
    if (!ok)
        return aw_field_bad(err, errlen, "hex ident \"%s\" is not 1-6 hex digits",
                            aw_field_show(hex, buf, sizeof buf));
    for (size_t i = 0; i < hex.n; i++)
        out->track[i] = aw_field_lower(hex.p[i]);
    out->track[hex.n] = '\0';

    if (sbs_time(f[F_DATE], f[F_TIME], tz_offset_s, &out->time) != 0) {
        char buf2[48];
        return aw_field_bad(err, errlen, "date/time \"%s %s\" is not a valid time",
                            aw_field_show(f[F_DATE], buf, sizeof buf),
                            aw_field_show(f[F_TIME], buf2, sizeof buf2));
    }

    if (!text_field(f[F_CALLSIGN], out->callsign, sizeof out->callsign))
        return aw_field_bad(err, errlen, "callsign \"%s\" longer than %d bytes",
                            aw_field_show(aw_field_trim(f[F_CALLSIGN]), buf, sizeof buf),
                            AW_CALLSIGN_MAX - 1);
    if (!text_field(f[F_SQUAWK], out->squawk, sizeof out->squawk))
        return aw_field_bad(err, errlen, "squawk \"%s\" longer than %d bytes",
                            aw_field_show(aw_field_trim(f[F_SQUAWK]), buf, sizeof buf),
                            AW_SQUAWK_MAX - 1);
    /* Altitude rides on MSG 2, 3, 5 and 7; it is kept even without a position. */
    if (!number_field(f[F_ALT], "altitude", &out->alt_ft, err, errlen) ||
        !number_field(f[F_SPEED], "speed", &out->speed_kt, err, errlen) ||
        !number_field(f[F_TRACK], "track", &out->track_deg, err, errlen))
        return AW_PARSE_BAD;

    if (transmission == 2 || transmission == 3) {
        span lat = aw_field_trim(f[F_LAT]), lon = aw_field_trim(f[F_LON]);
        if (lat.n == 0 && lon.n == 0)
            return AW_PARSE_REPORT; /* e.g. MSG 3 with only an altitude: still useful */
        if (lat.n == 0)
            return aw_field_bad(err, errlen, "lat is empty but lon is not");
        if (lon.n == 0)
            return aw_field_bad(err, errlen, "lon is empty but lat is not");
        double la = NAN, lo = NAN;
        if (!number_field(lat, "lat", &la, err, errlen) ||
            !number_field(lon, "lon", &lo, err, errlen))
            return AW_PARSE_BAD;
        if (la < -90 || la > 90)
            return aw_field_bad(err, errlen, "lat \"%s\" out of range [-90, 90]",
                                aw_field_show(lat, buf, sizeof buf));
        if (lo < -180 || lo > 180)
            return aw_field_bad(err, errlen, "lon \"%s\" out of range [-180, 180]",
                                aw_field_show(lon, buf, sizeof buf));
        out->lat = la;
        out->lon = lo;
        out->has_position = true;
    }
    return AW_PARSE_REPORT;
}
