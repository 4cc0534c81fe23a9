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
#include "ingest/civil_time.h"

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
 * take all of those, and none of them is a time anybody meant. One pass checks the shape
 * and gathers the digits for Clinger's fast path (see aw_decimal_fast: the same
 * conditions, the same one division); only what it cannot take goes to strtod. */
static int parse_epoch(const char *s, size_t len, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    size_t p = 0, ndigits = 0, nfrac = 0;
    bool neg = false;
    if (s[p] == '+' || s[p] == '-')
        neg = s[p++] == '-';
    uint64_t m = 0;
    for (; p < len && is_digit(s[p]); p++, ndigits++)
        m = m * 10 + (uint64_t)(s[p] - '0'); /* wraps past 19 digits; unused then */
    if (p < len && s[p] == '.')
        for (p++; p < len && is_digit(s[p]); p++, ndigits++, nfrac++)
            m = m * 10 + (uint64_t)(s[p] - '0');
    if (p != len || ndigits == 0)
        return -1;
    if (ndigits <= 18 && m <= (1ull << 53) && nfrac <= 22) {
        double v = nfrac > 0 ? (double)m / pow10[nfrac] : (double)m;
        *out = neg ? -v : v;
        return 0;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Years 1 to 9999 UTC: what a four-digit ISO 8601 year can print (and every reader of
 * the events can parse back). Epoch seconds past them, or a year-0 date, are no time
 * anybody recorded. */
#define TIME_MIN (-62135596800.0) /* 0001-01-01T00:00:00Z */
#define TIME_END 253402300800.0   /* 10000-01-01T00:00:00Z */

/* The last check every time passes: rounded to the millisecond (as events print) it
 * must still be in range. "-0" is 1970 too. */
static int accept_time(double t, double *out)
{
    if (!(t >= TIME_MIN && t < TIME_END - 0.0005))
        return -1;
    *out = t == 0 ? 0.0 : t;
    return 0;
}

ptrdiff_t aw_civil_read_fraction(aw_civil_time *c, const char *s, size_t len, size_t p)
{
    size_t start = p;
    for (; p < len && is_digit(s[p]); p++)
        if (c->scale < AW_CIVIL_SCALE_MAX) {
            c->frac = c->frac * 10 + (s[p] - '0');
            c->scale *= 10;
        }
    return p == start ? -1 : (ptrdiff_t)p;
}

int aw_civil_time_to_epoch(const aw_civil_time *c, int offset_s, double *out)
{
    int y = c->year, mo = c->month, d = c->day;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || c->hour > 23 ||
        c->minute > 59 || c->second > 60)
        return -1;

    int64_t secs = days_from_civil(y, mo, d) * 86400 + c->hour * 3600 + c->minute * 60 +
                   c->second - offset_s;
    /* (secs * scale + frac) / scale is exact up to the division when the numerator fits
     * in a double's 53 bits, so e.g. ".605" comes out as the double nearest to the true
     * time, the same as strtod of the epoch text would give. */
    const int64_t exact_limit = INT64_C(1) << 53;
    int64_t frac = c->frac, scale = c->scale;
    double t;
    if (frac == 0)
        t = (double)secs;
    else if (llabs(secs) < exact_limit / scale)
        t = (double)(secs * scale + frac) / (double)scale;
    else
        t = (double)secs + (double)frac / (double)scale;
    return accept_time(t, out);
}

/* YYYY-MM-DD[T ]HH:MM[:SS[.fff]]zone */
static int parse_iso(const char *s, size_t len, double *out)
{
    size_t p = 0;
    aw_civil_time c = {.second = 0, .frac = 0, .scale = 1};
    if (!take_digits(s, len, &p, 4, &c.year) || p >= len || s[p++] != '-' ||
        !take_digits(s, len, &p, 2, &c.month) || p >= len || s[p++] != '-' ||
        !take_digits(s, len, &p, 2, &c.day))
        return -1;
    if (p >= len || (s[p] != 'T' && s[p] != 't' && s[p] != ' '))
        return -1;
    p++;
    if (!take_digits(s, len, &p, 2, &c.hour) || p >= len || s[p++] != ':' ||
        !take_digits(s, len, &p, 2, &c.minute))
        return -1;
    if (p < len && s[p] == ':') {
        p++;
        if (!take_digits(s, len, &p, 2, &c.second))
            return -1;
    }

    /* Keep the fraction as an integer so the final division rounds once. */
    if (p < len && (s[p] == '.' || s[p] == ',')) {
        ptrdiff_t end = aw_civil_read_fraction(&c, s, len, p + 1);
        if (end < 0)
            return -1;
        p = (size_t)end;
    }

    int offset;
    if (p >= len || parse_offset(s + p, len - p, false, &offset) != 0)
        return -1; /* no zone: refuse rather than guess */
    return aw_civil_time_to_epoch(&c, offset, out);
}

int aw_parse_time(const char *s, size_t len, double *out)
{
    if (!s || len == 0)
        return -1;
    /* A date starts with four digits and a dash; anything else can only be epoch seconds. */
    if (len >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
        s[4] == '-')
        return parse_iso(s, len, out);
    double t;
    if (parse_epoch(s, len, &t) != 0)
        return -1;
    return accept_time(t, out);
}
