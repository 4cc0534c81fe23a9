/* beast.c -- the Beast binary framing of Mode-S receivers (readsb / dump1090 port 30005).
 *
 * A frame is 0x1a, a type byte ('1' Mode A/C, '2' Mode S short, '3' Mode S long), a
 * 48-bit big-endian 12 MHz MLAT counter, a signal byte, then 2, 7 or 14 bytes of reply.
 * Any 0x1a inside the frame is sent twice, so a lone 0x1a always starts a frame: after
 * garbage or a cut the parser resynchronises there. Stateless: the caller keeps the
 * unconsumed tail of its buffer and calls again with more bytes. */
#include <math.h>
#include <string.h>

#include "adizwatch/decode.h"

#define BEAST_ESC 0x1a

/* Skip to the next byte that can start a frame (a 0x1a not doubled), from index from. */
static size_t resync(const uint8_t *buf, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++)
        if (buf[i] == BEAST_ESC)
            return i;
    return len;
}

aw_frame_result aw_beast_next(const uint8_t *buf, size_t len, size_t *used, aw_modes_frame *f)
{
    *used = 0;
    if (len == 0)
        return AW_FRAME_MORE;
    if (buf[0] != BEAST_ESC) {
        *used = resync(buf, len, 1);
        return AW_FRAME_BAD;
    }
    if (len < 2)
        return AW_FRAME_MORE;
    size_t datalen;
    switch (buf[1]) {
    case '1': datalen = 2; break;
    case '2': datalen = 7; break;
    case '3': datalen = 14; break;
    default:
        /* Unknown type (or a doubled 0x1a seen out of sync): drop it and resync. */
        *used = resync(buf, len, 2);
        return AW_FRAME_BAD;
    }
    uint8_t payload[6 + 1 + 14];
    size_t need = 7 + datalen, got = 0, i = 2;
    while (got < need) {
        if (i >= len)
            return AW_FRAME_MORE;
        uint8_t b = buf[i];
        if (b == BEAST_ESC) {
            if (i + 1 >= len)
                return AW_FRAME_MORE;
            if (buf[i + 1] != BEAST_ESC) {
                *used = i; /* a new frame starts inside this one: it was cut short */
                return AW_FRAME_BAD;
            }
            i++;
        }
        payload[got++] = b;
        i++;
    }
    memset(f, 0, sizeof *f);
    f->time = NAN;
    f->type = (char)buf[1];
    for (int k = 0; k < 6; k++)
        f->mlat_ticks = f->mlat_ticks << 8 | payload[k];
    f->has_mlat = true;
    f->signal = payload[6];
    memcpy(f->data, payload + 7, datalen);
    f->len = datalen;
    *used = i;
    return AW_FRAME_OK;
}
