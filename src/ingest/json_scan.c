/* json_scan.c -- an in-place JSON cursor (see json_scan.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

char js_peek(json_scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
    return s->p < s->end ? *s->p : '\0';
}

bool js_take(json_scan *s, char c)
{
    if (js_peek(s) != c)
        return false;
    s->p++;
    return true;
}

size_t js_offset(const json_scan *s)
{
    return (size_t)(s->p - s->start);
}

bool js_string(json_scan *s, const char **str, size_t *len)
{
    if (js_peek(s) != '"')
        return false;
    const char *q = s->p + 1;
    while (q < s->end && *q != '"') {
        if (*q == '\\')
            q++; /* the escaped character, whatever it is, is not the end */
        q++;
    }
    if (q >= s->end)
        return false;
    *str = s->p + 1;
    *len = (size_t)(q - *str);
    s->p = q + 1;
    return true;
}

/* Plain decimals (at most 15 significant digits, no exponent) the quick way: the digits
 * as an integer, divided once by a power of ten. Both are exact doubles, so the one
 * division rounds correctly: the same double strtod gives. false: use strtod. */
static bool quick_decimal(json_scan *s, double *out)
{
    static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                   1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *q = s->p;
    bool neg = q < s->end && *q == '-';
    q += neg;
    uint64_t m = 0;
    int digits = 0, frac = 0;
    while (q < s->end && *q >= '0' && *q <= '9') {
        m = m * 10 + (uint64_t)(*q++ - '0');
        digits++;
    }
    if (digits == 0)
        return false;
    if (q < s->end && *q == '.') {
        q++;
        while (q < s->end && *q >= '0' && *q <= '9') {
            m = m * 10 + (uint64_t)(*q++ - '0');
            digits++;
            frac++;
        }
        if (frac == 0)
            return false;
    }
    if (digits > 15 || (q < s->end && (*q == 'e' || *q == 'E')))
        return false;
    double v = (double)m / pow10[frac];
    *out = neg ? -v : v;
    s->p = q;
    return true;
}

bool js_number(json_scan *s, double *out)
{
    char c = js_peek(s);
    if (!(c == '-' || (c >= '0' && c <= '9')))
        return false;
    if (quick_decimal(s, out))
        return true;
    char buf[48];
    size_t n = 0;
    const char *q = s->p;
    while (q < s->end && n + 1 < sizeof buf &&
           ((*q >= '0' && *q <= '9') || *q == '-' || *q == '+' || *q == '.' || *q == 'e' || *q == 'E'))
        buf[n++] = *q++;
    buf[n] = '\0';
    char *stop;
    double v = strtod(buf, &stop);
    if (stop != buf + n)
        return false;
    *out = v;
    s->p = q;
    return true;
}

static bool literal(json_scan *s, const char *word)
{
    size_t n = strlen(word);
    if (js_peek(s) != word[0] || (size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return false;
    s->p += n;
    return true;
}

bool js_null(json_scan *s)
{
    return literal(s, "null");
}

bool js_skip(json_scan *s)
{
    const char *str;
    size_t len;
    double num;
    char c = js_peek(s);
    if (c == '"')
        return js_string(s, &str, &len);
    if (c == '[' || c == '{') {
        /* Nesting is counted, strings stepped over: the brackets inside them do not count. */
        int depth = 0;
        while (s->p < s->end) {
            c = js_peek(s);
            if (c == '"') {
                if (!js_string(s, &str, &len))
                    return false;
                continue;
            }
            if (c == '\0')
                return false;
            s->p++;
            if (c == '[' || c == '{')
                depth++;
            else if (c == ']' || c == '}') {
                if (--depth == 0)
                    return true;
            }
        }
        return false;
    }
    return js_number(s, &num) || literal(s, "null") || literal(s, "true") || literal(s, "false");
}
