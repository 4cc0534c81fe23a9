/* field.h -- field helpers shared by the line parsers (csv.c, sbs.c).
 *
 * Both parsers work in place on the caller's line, so they need the same small tools:
 * pointer+length spans, blank trimming, ASCII character tests, a finite-number check,
 * printable field excerpts for error messages and a printf-style error setter. They live
 * here once so the two formats cannot drift apart in what they accept or how they report
 * it. Internal to src/ingest; everything is static inline, so there is nothing to link. */
#ifndef ADIZWATCH_INGEST_FIELD_H
#define ADIZWATCH_INGEST_FIELD_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "adizwatch/ingest.h"

/* A field of a line: not NUL-terminated. */
typedef struct span {
    const char *p;
    size_t n;
} span;

static inline bool aw_field_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static inline bool aw_field_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool aw_field_is_hex(char c)
{
    return aw_field_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline char aw_field_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s without leading and trailing blanks (spaces and tabs). */
static inline span aw_field_trim(span s)
{
    while (s.n && aw_field_is_blank(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && aw_field_is_blank(s.p[s.n - 1]))
        s.n--;
    return s;
}

/* The top bit of each byte of w that equals c (exact per byte: no borrow between bytes). */
static inline uint64_t aw_field_bytes_equal(uint64_t w, char c)
{
    const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
    uint64_t x = w ^ (ones * (uint64_t)(unsigned char)c); /* matching bytes become 0 */
    return ~(((x & low7) + low7) | x | low7);
}

/* Cut p[0, n) at every comma (no quoting): field k goes to out[k] for k < max; the
 * return value counts all fields, stored or not. Eight bytes are looked at a time,
 * commas found by a bit trick, since fields are too short for a memchr call per field
 * to pay; big-endian machines take the plain loop. With has_quote, also says whether
 * the line holds a '"' (a CSV row then needs the quote-aware split instead). */
static inline int aw_field_split_commas(const char *p, size_t n, span *out, int max,
                                        bool *has_quote)
{
    int nfields = 0;
    size_t start = 0, i = 0;
    uint64_t quotes = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (has_quote)
            quotes |= aw_field_bytes_equal(w, '"');
        for (uint64_t commas = aw_field_bytes_equal(w, ','); commas; commas &= commas - 1) {
            size_t at = i + (size_t)(__builtin_ctzll(commas) >> 3);
            if (nfields < max)
                out[nfields] = (span){p + start, at - start};
            nfields++;
            start = at + 1;
        }
    }
#endif
    for (; i < n; i++) {
        quotes |= p[i] == '"';
        if (p[i] == ',') {
            if (nfields < max)
                out[nfields] = (span){p + start, i - start};
            nfields++;
            start = i + 1;
        }
    }
    if (nfields < max)
        out[nfields] = (span){p + start, n - start};
    if (has_quote)
        *has_quote = quotes != 0;
    return nfields + 1;
}

/* Format the reason a line is unusable into err (if any) and return AW_PARSE_BAD. */
static inline aw_parse_result aw_field_bad(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline aw_parse_result aw_field_bad(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return AW_PARSE_BAD;
}

/* A field as it may appear inside an error message: short and printable ASCII (control
 * and non-ASCII bytes become '?', so a feed's garbage cannot put invalid UTF-8 or
 * terminal escapes into the log). s is shown as given (trim it first if wanted); longer
 * than bufsize - 4 bytes ends in "...". */
static inline const char *aw_field_show(span s, char *buf, size_t bufsize)
{
    size_t max = bufsize - 4, n = 0; /* room for "..." */
    for (; n < s.n && n < max; n++) {
        unsigned char c = (unsigned char)s.p[n];
        buf[n] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
    }
    if (n < s.n)
        memcpy(buf + n, "...", 4);
    else
        buf[n] = '\0';
    return buf;
}

/* s as a number: 0: ok; -1: not a number (or 64 bytes or more); -2: a number, but not
 * finite ("nan", "inf", 1e999). *out is only written on success. */
/* Clinger's fast path: a plain decimal [+-]digits[.digits] whose digits, read as an
 * integer, fit in 53 bits and with at most 22 after the point is one exact integer
 * divided by one exact power of ten -- a single correctly rounded IEEE division, the
 * same double strtod gives, at a fraction of its cost. Returns false for anything else
 * (the caller then uses strtod). */
static inline bool aw_decimal_fast(const char *p, size_t n, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = 0;
    bool neg = false;
    if (i < n && (p[i] == '-' || p[i] == '+'))
        neg = p[i++] == '-';
    /* Whole digits, then fraction digits: two tight loops rather than one that asks of
     * every character which part it is in. m wraps past 19 digits, but is unused then. */
    uint64_t m = 0;
    size_t start = i;
    for (; i < n && aw_field_is_digit(p[i]); i++)
        m = m * 10 + (uint64_t)(p[i] - '0');
    size_t digits = i - start, frac = 0;
    if (i < n && p[i] == '.') {
        size_t frac_start = ++i;
        for (; i < n && aw_field_is_digit(p[i]); i++)
            m = m * 10 + (uint64_t)(p[i] - '0');
        frac = i - frac_start;
        digits += frac;
    }
    if (i != n || digits == 0 || digits > 18 || m > (1ull << 53) || frac > 22)
        return false;
    double v = frac > 0 ? (double)m / pow10[frac] : (double)m;
    *out = neg ? -v : v;
    return true;
}

static inline int aw_field_number(span s, double *out)
{
    if (s.n > 0 && s.n < 64 && aw_decimal_fast(s.p, s.n, out))
        return 0;
    char buf[64];
    if (s.n == 0 || s.n >= sizeof buf)
        return -1;
    /* strtod would also skip leading blanks and read hex floats; data never means those. */
    char c = s.p[0];
    if (!(c == '-' || c == '+' || c == '.' || c == 'n' || c == 'N' || c == 'i' || c == 'I' ||
          aw_field_is_digit(c)))
        return -1;
    if (memchr(s.p, 'x', s.n) || memchr(s.p, 'X', s.n))
        return -1;
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + s.n)
        return -1;
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}

/* ---- CSV fields (the CSV reader, and the aircraft database) ---- */

/* The end of the field starting at pos: the next comma outside quotes, or len.
 * Returns false if a quote is left open. Counting quotes handles "" for free. */
static inline bool aw_field_csv_end(const char *line, size_t len, size_t pos, size_t *end)
{
    bool in_quotes = false;
    for (; pos < len; pos++) {
        if (line[pos] == '"')
            in_quotes = !in_quotes;
        else if (line[pos] == ',' && !in_quotes)
            break;
    }
    *end = pos;
    return !in_quotes;
}

/* Copy a raw field into dst, trimmed and unquoted ("" becomes "), NUL-terminated.
 * Returns its length, or -1 if it does not fit in dstsize - 1 bytes. */
static inline int aw_field_csv_copy(span raw, char *dst, size_t dstsize)
{
    span s = aw_field_trim(raw);
    size_t n = 0;
    if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"') {
        for (size_t i = 1; i + 1 < s.n; i++) {
            if (s.p[i] == '"' && i + 2 < s.n && s.p[i + 1] == '"')
                i++;
            if (n + 1 >= dstsize)
                return -1;
            dst[n++] = s.p[i];
        }
    } else {
        if (s.n + 1 > dstsize)
            return -1;
        memcpy(dst, s.p, s.n);
        n = s.n;
    }
    /* Quoted values may hold padding of their own ("EZY158T "). */
    size_t start = 0;
    while (start < n && aw_field_is_blank(dst[start]))
        start++;
    while (n > start && aw_field_is_blank(dst[n - 1]))
        n--;
    if (start)
        memmove(dst, dst + start, n - start);
    n -= start;
    dst[n] = '\0';
    return (int)n;
}

#endif
