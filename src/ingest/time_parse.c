/* time_parse.c -- timestamps from text to UTC epoch seconds.
 *
 * Every input format ends up here (CSV times directly, SBS dates and times after
 * reshaping), so this is the one place that decides what a valid time is. The calendar
 * arithmetic is done by hand rather than with timegm()/mktime(): those depend on the TZ
 * environment or are non-standard, and a parser must give the same answer everywhere. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "ingest/field.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Exactly n digits at s[*p], advancing *p. */
static bool take_digits(const char *s, size_t len, size_t *p, int n, int *out)
{
    if (len - *p < (size_t)n)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = s[*p + (size_t)i];
        if (!is_digit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    *p += (size_t)n;
    *out = v;
    return true;
}

/* "Z", "+HH:MM", "+HHMM", "+HH"; with lenient, also a one-digit hour ("+9", "-5:30").
 * The whole of s[0..len) must be the offset. */
static int parse_offset(const char *s, size_t len, bool lenient, int *out)
{
    if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *out = 0;
        return 0;
    }
    if (len < 2 || (s[0] != '+' && s[0] != '-'))
        return -1;
    size_t p = 1;
    int h = 0, m = 0, hour_digits = 0;
    while (p < len && hour_digits < 2 && is_digit(s[p])) {
        h = h * 10 + (s[p] - '0');
        p++;
        hour_digits++;
    }
    if (hour_digits == 0 || (hour_digits == 1 && !lenient))
        return -1;
    if (p < len) {
        if (s[p] == ':')
            p++;
        else if (hour_digits != 2) /* "+930" is too ambiguous to guess at */
            return -1;
        if (!take_digits(s, len, &p, 2, &m) || p != len)
            return -1;
    }
    if (h > 23 || m > 59)
        return -1;
    int secs = h * 3600 + m * 60;
    *out = s[0] == '-' ? -secs : secs;
    return 0;
}

int aw_parse_tz_offset(const char *s, int *seconds_out)
{
    if (!s)
        return -1;
    return parse_offset(s, strlen(s), true, seconds_out);
}

/* Epoch seconds: [+-]digits[.digits]. No exponent, no "inf"/"nan", no hex: strtod would
 * take all of those, and none of them is a time anybody meant. */
static int parse_epoch(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    size_t p = 0, ndigits = 0;
    if (s[p] == '+' || s[p] == '-')
        p++;
    for (; p < len && is_digit(s[p]); p++)
        ndigits++;
    if (p < len && s[p] == '.')
        for (p++; p < len && is_digit(s[p]); p++)
            ndigits++;
    if (p != len || ndigits == 0)
        return -1;
    if (aw_decimal_fast(s, len, out))
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* YYYY-MM-DD[T ]HH:MM[:SS[.fff]]zone */
static int parse_iso(const char *s, size_t len, double *out)
{
    size_t p = 0;
    int y, mo, d, h, mi, sec = 0;
    if (!take_digits(s, len, &p, 4, &y) || p >= len || s[p++] != '-' ||
        !take_digits(s, len, &p, 2, &mo) || p >= len || s[p++] != '-' ||
        !take_digits(s, len, &p, 2, &d))
        return -1;
    if (p >= len || (s[p] != 'T' && s[p] != 't' && s[p] != ' '))
        return -1;
    p++;
    if (!take_digits(s, len, &p, 2, &h) || p >= len || s[p++] != ':' ||
        !take_digits(s, len, &p, 2, &mi))
        return -1;
    if (p < len && s[p] == ':') {
        p++;
        if (!take_digits(s, len, &p, 2, &sec))
            return -1;
    }

    /* Keep the fraction as an integer so the final division rounds once (below). */
    int64_t frac = 0, scale = 1;
    if (p < len && (s[p] == '.' || s[p] == ',')) {
        p++;
        size_t start = p;
        for (; p < len && is_digit(s[p]); p++)
            if (scale < 1000000000) { /* digits past nanoseconds carry nothing useful */
                frac = frac * 10 + (s[p] - '0');
                scale *= 10;
            }
        if (p == start)
            return -1;
    }

    int offset;
    if (p >= len || parse_offset(s + p, len - p, false, &offset) != 0)
        return -1; /* no zone: refuse rather than guess */

    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60)
        return -1;

    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
    /* (secs * scale + frac) / scale is exact up to the division when the numerator fits
     * in a double's 53 bits, so e.g. ".605" comes out as the double nearest to the true
     * time, the same as strtod of the epoch text would give. */
    const int64_t exact_limit = INT64_C(1) << 53;
    if (frac == 0)
        *out = (double)secs;
    else if (llabs(secs) < exact_limit / scale)
        *out = (double)(secs * scale + frac) / (double)scale;
    else
        *out = (double)secs + (double)frac / (double)scale;
    return 0;
}

/* Years 1 to 9999 UTC: what a four-digit ISO 8601 year can print (and every reader of
 * the events can parse back). Epoch seconds past them, or a year-0 date, are no time
 * anybody recorded. */
#define TIME_MIN (-62135596800.0) /* 0001-01-01T00:00:00Z */
#define TIME_END 253402300800.0   /* 10000-01-01T00:00:00Z */

int aw_parse_time(const char *s, size_t len, double *out)
{
    if (!s || len == 0)
        return -1;
    double t;
    int rc;
    /* A date starts with four digits and a dash; anything else can only be epoch seconds. */
    if (len >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
        s[4] == '-')
        rc = parse_iso(s, len, &t);
    else
        rc = parse_epoch(s, len, &t);
    /* Rounded to the millisecond (as events print) it must still be in range. */
    if (rc != 0 || !(t >= TIME_MIN && t < TIME_END - 0.0005))
        return -1;
    *out = t == 0 ? 0.0 : t; /* "-0" is 1970 too */
    return 0;
}
