/* fuzz_decode.c -- the binary decoders (Beast framing, raw hex, Mode S, ASTERIX) on any
 * bytes: no crash, no read past the buffer, and decoded positions on the globe. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/decode.h"



static void check(const aw_decoded *d)
{
    if (!isnan(d->lat) && !(d->lat >= -90 && d->lat <= 90))
        abort();
    if (!isnan(d->lon) && !(d->lon >= -180 && d->lon <= 180))
        abort();
    if (isinf(d->altitude_ft) || isinf(d->groundspeed_kt) || isinf(d->flight_level))
        abort();
    char json[2048];
    if (aw_decoded_to_json(d, json, sizeof json) < 0)
        abort();
}

static void on_record(const aw_decoded *d, void *user)
{
    (void)user;
    check(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* Private copies with nothing after them: decoders must respect the length. */
    size_t n = size - 1;
    uint8_t *buf = malloc(n ? n : 1);
    memcpy(buf, data + 1, n);
    char err[256];
    switch (data[0] % 3) {
    case 0: { /* Beast stream through the Mode S decoder */
        aw_modes_options opt = {35.0, 129.0};
        aw_modes_decoder *dec = aw_modes_decoder_new(&opt);
        size_t pos = 0, used;
        aw_modes_frame f;
        double t = 0;
        while (pos < n) {
            aw_frame_result r = aw_beast_next(buf + pos, n - pos, &used, &f);
            if (r == AW_FRAME_MORE || used == 0)
                break;
            if (used > n - pos)
                abort();
            pos += used;
            if (r == AW_FRAME_OK && (f.len == 7 || f.len == 14)) {
                aw_decoded d;
                if (aw_modes_decode(dec, f.data, f.len, t += 0.5, &d, err, sizeof err) == AW_DECODE_OK)
                    check(&d);
            }
        }
        aw_modes_decoder_free(dec);
        break;
    }
    case 1: { /* raw hex lines */
        aw_modes_frame f;
        char *line = (char *)buf;
        if (aw_rawhex_parse(line, n, &f) == 0 && f.len != 2 && f.len != 7 && f.len != 14)
            abort();
        break;
    }
    default: { /* ASTERIX blocks, with a radar site for CAT048 */
        aw_asterix_context ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.sites[0] = (aw_radar_site){0, 1, 35.0, 129.0, 100};
        ctx.nsites = 1;
        size_t used = aw_asterix_decode(&ctx, buf, n, on_record, NULL, err, sizeof err);
        if (used > n)
            abort();
        break;
    }
    }
    free(buf);
    return 0;
}
