/* test_beast.c -- Beast binary framing and raw-hex lines: escapes, cut frames, garbage
 * before a frame, unknown types, Mode A/C, timestamps, streaming across buffer cuts. */
#include <string.h>

#include "adizwatch/decode.h"
#include "check.h"

/* Frame 1: type '3', timestamp 00 00 1a 00 00 01 (one escaped 0x1a), signal 0x1a
 * (escaped), the KLM1023 identification squitter. */
static const uint8_t stream[] = {
    0x1a, '3', 0x00, 0x00, 0x1a, 0x1a, 0x00, 0x00, 0x01, 0x1a, 0x1a,
    0x8D, 0x48, 0x40, 0xD6, 0x20, 0x2C, 0xC3, 0x71, 0xC3, 0x2C, 0xE0, 0x57, 0x60, 0x98,
    /* garbage between frames */
    0x00, 0xff, 0x12,
    /* Frame 2: type '2', a DF11 short frame containing a 0x1a data byte (escaped). */
    0x1a, '2', 0, 0, 0, 0, 0, 2, 0x40, 0x5d, 0x1a, 0x1a, 0x81, 0xe4, 0x6d, 0xc8, 0xeb,
    /* Frame 3: type '1', Mode A/C. */
    0x1a, '1', 0, 0, 0, 0, 0, 3, 0x20, 0x12, 0x34,
    /* Frame 4: type '3' cut short by the start of frame 5. */
    0x1a, '3', 0, 0, 0, 0, 0, 4, 0x30, 0x8D, 0x48,
    /* Frame 5: unknown type '9' */
    0x1a, '9', 1, 2, 3,
    /* Frame 6: type '2', whole. */
    0x1a, '2', 0, 0, 0, 0, 0, 6, 0x50, 0x5d, 0x39, 0x81, 0xe4, 0x6d, 0xc8, 0xeb,
};

static void test_stream(void)
{
    size_t pos = 0, used;
    aw_modes_frame f;
    CHECK(aw_beast_next(stream, sizeof stream, &used, &f) == AW_FRAME_OK);
    CHECK(f.type == '3' && f.len == 14 && f.mlat_ticks == 0x00001a000001ull && f.signal == 0x1a);
    CHECK(f.data[0] == 0x8D && f.data[13] == 0x98);
    CHECK(used == 25); /* 2 + 7 (one escape) + 2 (escaped signal) + 14 */
    pos += used;
    CHECK(aw_beast_next(stream + pos, sizeof stream - pos, &used, &f) == AW_FRAME_BAD);
    CHECK(used == 3); /* the garbage, up to the next 0x1a */
    pos += used;
    CHECK(aw_beast_next(stream + pos, sizeof stream - pos, &used, &f) == AW_FRAME_OK);
    CHECK(f.type == '2' && f.len == 7 && f.data[0] == 0x5d && f.data[1] == 0x1a && f.mlat_ticks == 2);
    pos += used;
    CHECK(aw_beast_next(stream + pos, sizeof stream - pos, &used, &f) == AW_FRAME_OK);
    CHECK(f.type == '1' && f.len == 2 && f.data[0] == 0x12 && f.data[1] == 0x34);
    pos += used;
    CHECK(aw_beast_next(stream + pos, sizeof stream - pos, &used, &f) == AW_FRAME_BAD);
    CHECK(used == 11); /* the cut frame, up to the 0x1a that starts the next */
    pos += used;
    CHECK(aw_beast_next(stream + pos, sizeof stream - pos, &used, &f) == AW_FRAME_BAD);
    CHECK(used == 5); /* unknown type */
    pos += used;
    /* The last frame fed a byte at a time: MORE until whole. */
    size_t start = pos;
    aw_frame_result r = AW_FRAME_MORE;
    for (size_t n = 1; n <= sizeof stream - start; n++) {
        r = aw_beast_next(stream + start, n, &used, &f);
        if (n < sizeof stream - start)
            CHECK(r == AW_FRAME_MORE);
    }
    CHECK(r == AW_FRAME_OK && f.mlat_ticks == 6 && f.data[6] == 0xeb);
    CHECK(aw_beast_next(stream, 0, &used, &f) == AW_FRAME_MORE);
}

static void test_rawhex(void)
{
    aw_modes_frame f;
    CHECK(aw_rawhex_parse("*8D4840D6202CC371C32CE0576098;", 30, &f) == 0);
    CHECK(f.len == 14 && f.data[0] == 0x8d && f.data[13] == 0x98 && !f.has_mlat);
    const char *ts = "@0000015C0F1A5D4840D6F87407;\r";
    CHECK(aw_rawhex_parse(ts, strlen(ts), &f) == 0);
    CHECK(f.has_mlat && f.mlat_ticks == 0x0000015C0F1Aull && f.len == 7 && f.data[0] == 0x5d);
    CHECK(aw_rawhex_parse("*1234;", 6, &f) == 0 && f.len == 2);
    CHECK(aw_rawhex_parse("*8D4840D6202CC371C32CE057609;", 29, &f) < 0); /* odd digits */
    CHECK(aw_rawhex_parse("*8D4840D6202CC371C32CE05760XX;", 30, &f) < 0);
    CHECK(aw_rawhex_parse("8D4840D6202CC371C32CE0576098", 28, &f) < 0);
    CHECK(aw_rawhex_parse("*8D4840D6202CC371C32CE0576098", 29, &f) < 0); /* no ';' */
    CHECK(aw_rawhex_parse("@0000;", 6, &f) < 0);
    CHECK(aw_rawhex_parse("", 0, &f) < 0);
}

/* Random bytes, with plenty of 0x1a and type bytes: the parser must always make
 * progress (or ask for more at the very end) and never read past the buffer (the
 * sanitizer build checks). */
static void test_random(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint8_t buf[4096];
    int frames = 0, bad = 0;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint8_t b = (uint8_t)x;
            buf[i] = (x >> 8) % 4 == 0 ? 0x1a : (x >> 8) % 4 == 1 ? (uint8_t)('1' + b % 3) : b;
        }
        size_t len = 1 + (size_t)(x % sizeof buf), pos = 0, used;
        aw_modes_frame f;
        while (pos < len) {
            aw_frame_result r = aw_beast_next(buf + pos, len - pos, &used, &f);
            if (r == AW_FRAME_MORE)
                break;
            CHECK(used > 0 && used <= len - pos);
            if (used == 0)
                break;
            pos += used;
            frames += r == AW_FRAME_OK;
            bad += r == AW_FRAME_BAD;
            if (r == AW_FRAME_OK)
                CHECK(f.len == 2 || f.len == 7 || f.len == 14);
        }
    }
    CHECK(frames > 100 && bad > 100);
}

int main(void)
{
    test_stream();
    test_random();
    test_rawhex();
    return check_done("beast");
}
