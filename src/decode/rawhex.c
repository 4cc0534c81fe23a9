/* rawhex.c -- the raw-hex text form of Mode S frames (dump1090 / readsb port 30002):
 * "*8D4840D6202CC371C32CE0576098;" per line, or "@" + 12 hex digits of 12 MHz MLAT
 * counter before the frame ("@0123456789AB8D48...;"), as --net-ro with timestamps
 * sends. Mode A/C replies come as 4 hex digits and are kept as 2-byte frames.
 * Recordings also come as "ISO-TIME <blanks> HEX" lines, the frame with its receive time. */
#include <math.h>
#include <string.h>

#include "adizwatch/decode.h"
#include "adizwatch/ingest.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int hex_frame(const char *p, size_t ndigits, aw_modes_frame *f)
{
    if (ndigits != 4 && ndigits != 14 && ndigits != 28)
        return -1;
    for (size_t k = 0; k < ndigits / 2; k++) {
        int hi = hexval(p[2 * k]), lo = hexval(p[2 * k + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        f->data[k] = (uint8_t)(hi << 4 | lo);
    }
    f->len = ndigits / 2;
    f->type = ndigits == 4 ? '1' : ndigits == 14 ? '2' : '3';
    return 0;
}

/* "2015-03-03T16:12:24.846557    5D4840D6F87407": the time (UTC when it names no zone). */
static int timed_line(const char *line, size_t len, aw_modes_frame *f)
{
    size_t t = 0;
    while (t < len && line[t] != ' ' && line[t] != '\t')
        t++;
    size_t h = t;
    while (h < len && (line[h] == ' ' || line[h] == '\t'))
        h++;
    if (t < 10 || t > 40 || h == t || h == len)
        return -1;
    char iso[48];
    memcpy(iso, line, t);
    iso[t] = '\0';
    double when;
    if (aw_parse_time(iso, t, &when) < 0) {
        iso[t] = 'Z';
        iso[t + 1] = '\0';
        if (aw_parse_time(iso, t + 1, &when) < 0)
            return -1;
    }
    memset(f, 0, sizeof *f);
    f->time = when;
    size_t n = len - h;
    if (n > 0 && line[len - 1] == ';')
        n--;
    if (n > 0 && line[h] == '*') {
        h++;
        n--;
    }
    return hex_frame(line + h, n, f);
}

int aw_rawhex_parse(const char *line, size_t len, aw_modes_frame *f)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n' || line[len - 1] == ' '))
        len--;
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    if (len > 0 && line[0] >= '0' && line[0] <= '9')
        return timed_line(line, len, f);
    if (len < 2 || (line[0] != '*' && line[0] != '@') || line[len - 1] != ';')
        return -1;
    memset(f, 0, sizeof *f);
    f->time = NAN;
    size_t i = 1, end = len - 1;
    if (line[0] == '@') {
        if (end - i < 12)
            return -1;
        for (int k = 0; k < 12; k++) {
            int v = hexval(line[i++]);
            if (v < 0)
                return -1;
            f->mlat_ticks = f->mlat_ticks << 4 | (uint64_t)v;
        }
        f->has_mlat = true;
    }
    return hex_frame(line + i, end - i, f);
}
