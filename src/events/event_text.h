/* event_text.h -- the numbers and times of an event's JSON, written by hand, byte for
 * byte as printf and gmtime would write them.
 *
 * Why: with a thousand zones a replay writes a third of a million events, and printf's
 * "%.7f" (a multi-precision conversion of the double's exact value) with gmtime_r (a
 * lock) and strlen took a tenth of its time per report. The output is the contract's,
 * so nothing may change: a fixed-point figure is rounded from the double's exact binary
 * value, ties to even (what glibc does in the default rounding mode), in 128-bit
 * integers; whatever falls outside the fast path (not finite, too large, a year past
 * 9999 or before 1) is left to snprintf / gmtime_r as before. tests/test_event_text.c
 * compares both with the C library on millions of values, ties included. */
#ifndef ADIZWATCH_EVENT_TEXT_H
#define ADIZWATCH_EVENT_TEXT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* The digits of v, most significant first, into out; returns how many (at least one). */
static inline int event_text_uint(char *out, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* x as snprintf(out, size, "%.*f", prec, x) writes it, for prec 0..9; returns what
 * snprintf returns (512 bytes hold any double's text at these precisions). */
static inline int event_text_fixed(char *out, size_t size, double x, int prec)
{
    static const uint64_t pow10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                       100000000, 1000000000};
    double ax = fabs(x);
    if (!(ax < 1e9) || prec < 0 || prec > 9 || size < 32) /* NaN, infinite, large */
        return snprintf(out, size, "%.*f", prec, x);
    /* ax = m 2^e exactly, m an integer below 2^53; ax < 2^30, so e < 0 */
    int k;
    double f = frexp(ax, &k);
    uint64_t m = (uint64_t)ldexp(f, 53);
    int shift = 53 - k; /* ax = m / 2^shift */
    unsigned __int128 scaled = (unsigned __int128)m * pow10[prec];
    uint64_t q;
    if (ax == 0) {
        q = 0;
    } else if (shift >= 120) { /* below 2^-67 (times 10^9 < 2^30): under a half, rounds to 0 */
        q = 0;
    } else {
        unsigned __int128 one = (unsigned __int128)1 << shift, rem = scaled & (one - 1),
                          half = one >> 1;
        q = (uint64_t)(scaled >> shift);
        if (rem > half || (rem == half && (q & 1)))
            q++;
    }
    int n = 0;
    if (signbit(x))
        out[n++] = '-';
    uint64_t ip = q / pow10[prec], fp = q % pow10[prec];
    n += event_text_uint(out + n, ip);
    if (prec > 0) {
        out[n++] = '.';
        for (int i = prec - 1; i >= 0; i--) {
            out[n + i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        n += prec;
    }
    out[n] = '\0';
    return n;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (civil_from_days, after Howard
 * Hinnant's "chrono-compatible low-level date algorithms"). */
static inline void event_text_civil(int64_t days, int64_t *y, int *m, int *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;                                    /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static inline void event_text_2(char *out, int v)
{
    out[0] = (char)('0' + v / 10);
    out[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DDThh:mm:ss.mmmZ" of secs and ms (0..999) into out (at least 25 bytes), as
 * gmtime_r and "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" write it; returns the length, or
 * -1 outside years 1 to 9999 (then the caller asks the C library). */
static inline int event_text_time(char *out, time_t secs, int ms)
{
    if (secs < -62135596800LL || secs > 253402300799LL || ms < 0 || ms > 999)
        return -1;
    int64_t s = (int64_t)secs, days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t sod = s - days * 86400, y;
    int m, d;
    event_text_civil(days, &y, &m, &d);
    int yy = (int)y;
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    event_text_2(out + 5, m);
    out[7] = '-';
    event_text_2(out + 8, d);
    out[10] = 'T';
    event_text_2(out + 11, (int)(sod / 3600));
    out[13] = ':';
    event_text_2(out + 14, (int)(sod / 60 % 60));
    out[16] = ':';
    event_text_2(out + 17, (int)(sod % 60));
    out[19] = '.';
    out[20] = (char)('0' + ms / 100);
    event_text_2(out + 21, ms % 100);
    out[23] = 'Z';
    out[24] = '\0';
    return 24;
}

#endif
