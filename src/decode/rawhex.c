/* rawhex.c -- the raw-hex text form of Mode S frames (dump1090 / readsb port 30002):
 * "*8D4840D6202CC371C32CE0576098;" per line, or "@" + 12 hex digits of 12 MHz MLAT
 * counter before the frame ("@0123456789AB8D48...;"), as --net-ro with timestamps
 * sends. Mode A/C replies come as 4 hex digits and are kept as 2-byte frames. */
#include <string.h>

#include "adizwatch/decode.h"

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

int aw_rawhex_parse(const char *line, size_t len, aw_modes_frame *f)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n' || line[len - 1] == ' '))
        len--;
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    if (len < 2 || (line[0] != '*' && line[0] != '@') || line[len - 1] != ';')
        return -1;
    memset(f, 0, sizeof *f);
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
    size_t ndigits = end - i;
    if (ndigits != 4 && ndigits != 14 && ndigits != 28)
        return -1;
    for (size_t k = 0; k < ndigits / 2; k++) {
        int hi = hexval(line[i + 2 * k]), lo = hexval(line[i + 2 * k + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        f->data[k] = (uint8_t)(hi << 4 | lo);
    }
    f->len = ndigits / 2;
    f->type = ndigits == 4 ? '1' : ndigits == 14 ? '2' : '3';
    return 0;
}
