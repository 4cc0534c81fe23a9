/* bench_decode.c -- how fast the decoders are, on one core.
 *
 * Mode S: a synthetic but realistic stream (per aircraft: even/odd airborne positions,
 * identification, velocity, DF11, and DF4/DF5 replies with the address in the parity),
 * built with the CPR and CRC encodings, decoded through aw_modes_decode with advancing
 * times so that pairs and local references work as in a live feed. Beast framing and
 * raw-hex parsing are timed on the same frames. ASTERIX: CAT062 and CAT048 blocks of 20
 * records each. Prints a table; run `build/bench/bench_decode [SECONDS_PER_ROW]`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/decode.h"

#define NAIRCRAFT 200
#define PER_AIRCRAFT 8

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void put_bits(uint8_t *m, int first, int n, uint32_t v)
{
    for (int i = 0; i < n; i++) {
        int bit = first - 1 + i;
        if (v >> (n - 1 - i) & 1)
            m[bit >> 3] |= (uint8_t)(0x80 >> (bit & 7));
    }
}

static void set_parity(uint8_t *m, int nbits, uint32_t overlay)
{
    uint32_t crc = aw_modes_crc(m, nbits) ^ overlay;
    int n = nbits / 8;
    m[n - 3] = (uint8_t)(crc >> 16);
    m[n - 2] = (uint8_t)(crc >> 8);
    m[n - 1] = (uint8_t)crc;
}

/* Airborne CPR encoding of (lat, lon) for one parity. */
static void cpr_encode(double lat, double lon, int odd, uint32_t *yz, uint32_t *xz)
{
    double dlat = 360.0 / (60 - odd);
    double y = floor(131072 * (fmod(lat + 360, dlat) / dlat) + 0.5);
    double rlat = dlat * (y / 131072 + floor(lat / dlat));
    int ni = aw_cpr_nl(rlat) - odd;
    double dlon = 360.0 / (ni > 1 ? ni : 1);
    double x = floor(131072 * (fmod(lon + 360, dlon) / dlon) + 0.5);
    *yz = (uint32_t)y & 0x1ffff;
    *xz = (uint32_t)x & 0x1ffff;
}

typedef struct frame {
    uint8_t b[14];
    int len;
} frame;

static int build_frames(frame *f)
{
    int n = 0;
    for (int a = 0; a < NAIRCRAFT; a++) {
        uint32_t icao = 0x700000 + (uint32_t)a * 7919;
        double lat = 30 + (a % 20) * 0.7, lon = 120 + (a / 20) * 0.9;
        for (int odd = 0; odd < 2; odd++) {
            frame *p = &f[n++];
            memset(p, 0, sizeof *p);
            p->len = 14;
            uint32_t yz, xz;
            cpr_encode(lat, lon, odd, &yz, &xz);
            put_bits(p->b, 1, 5, 17);
            put_bits(p->b, 6, 3, 5);
            put_bits(p->b, 9, 24, icao);
            put_bits(p->b, 33, 5, 11);
            put_bits(p->b, 41, 12, 0xC38);
            put_bits(p->b, 54, 1, (uint32_t)odd);
            put_bits(p->b, 55, 17, yz);
            put_bits(p->b, 72, 17, xz);
            set_parity(p->b, 112, 0);
        }
        frame *p = &f[n++]; /* identification */
        memset(p, 0, sizeof *p);
        p->len = 14;
        memcpy(p->b, (const uint8_t[]){0x8D, 0x48, 0x40, 0xD6, 0x20, 0x2C, 0xC3, 0x71, 0xC3, 0x2C, 0xE0}, 11);
        put_bits(p->b, 9, 24, icao);
        set_parity(p->b, 112, 0);
        p = &f[n++]; /* velocity */
        memset(p, 0, sizeof *p);
        p->len = 14;
        memcpy(p->b, (const uint8_t[]){0x8D, 0x48, 0x50, 0x20, 0x99, 0x44, 0x09, 0x94, 0x08, 0x38, 0x17}, 11);
        put_bits(p->b, 9, 24, icao);
        set_parity(p->b, 112, 0);
        p = &f[n++]; /* DF11 */
        memset(p, 0, sizeof *p);
        p->len = 7;
        put_bits(p->b, 1, 5, 11);
        put_bits(p->b, 6, 3, 5);
        put_bits(p->b, 9, 24, icao);
        set_parity(p->b, 56, 0);
        for (int k = 0; k < 3; k++) { /* DF4, DF5, DF4 */
            p = &f[n++];
            memset(p, 0, sizeof *p);
            p->len = 7;
            put_bits(p->b, 1, 5, k == 1 ? 5 : 4);
            put_bits(p->b, 20, 13, k == 1 ? 0x0808 : 0x1838);
            set_parity(p->b, 56, icao);
        }
    }
    return n;
}

static void row(const char *what, double count, double secs)
{
    printf("| %-44s | %12.0f | %8.3f | %10.2f |\n", what, count, secs, count / secs / 1e6);
}

static volatile double sink;

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 1.0;
    if (!(budget > 0))
        budget = 1.0;
    static frame frames[NAIRCRAFT * PER_AIRCRAFT];
    int nf = build_frames(frames);
    printf("| %-44s | %12s | %8s | %10s |\n", "decoder", "items", "seconds", "M items/s");
    printf("|----------------------------------------------|--------------|----------|------------|\n");

    /* Mode S decode (CRC + fields + CPR + address table). */
    aw_modes_decoder *d = aw_modes_decoder_new(NULL);
    aw_decoded out;
    char err[128];
    double count = 0, t0 = now_s(), el, positions = 0, ok = 0;
    int loop = 0;
    do {
        for (int i = 0; i < nf; i++) {
            ok += aw_modes_decode(d, frames[i].b, (size_t)frames[i].len, loop * 2.0 + i * 1e-4,
                                  &out, err, sizeof err) == AW_DECODE_OK;
            positions += isfinite(out.lat);
        }
        count += nf;
        loop++;
    } while ((el = now_s() - t0) < budget);
    row("Mode S frames decoded (mixed DF, CPR)", count, el);
    /* Proof of work: every frame must decode, and both position frames of every aircraft
     * must give a position after the first loop. */
    if (ok != count || positions < (count / nf - 1) * 2 * NAIRCRAFT) {
        fprintf(stderr, "bench_decode: %.0f of %.0f frames decoded, %.0f positions\n", ok, count,
                positions);
        return 1;
    }
    sink = positions;
    aw_modes_decoder_free(d);

    /* CRC alone on long frames. */
    count = 0;
    t0 = now_s();
    uint32_t acc = 0;
    do {
        for (int i = 0; i < nf; i++)
            acc ^= aw_modes_syndrome(frames[i].b, frames[i].len * 8);
        count += nf;
    } while ((el = now_s() - t0) < budget);
    sink = acc;
    row("Mode S CRC-24 syndromes", count, el);

    /* Beast framing: the frames as one escaped stream. */
    size_t cap = (size_t)nf * 40, blen = 0;
    uint8_t *beast = malloc(cap);
    for (int i = 0; i < nf; i++) {
        uint8_t raw[24] = {0, 0, 0, 0x1a, 0, (uint8_t)i, 0x40};
        memcpy(raw + 7, frames[i].b, (size_t)frames[i].len);
        beast[blen++] = 0x1a;
        beast[blen++] = frames[i].len == 14 ? '3' : '2';
        for (int k = 0; k < 7 + frames[i].len; k++) {
            if (raw[k] == 0x1a)
                beast[blen++] = 0x1a;
            beast[blen++] = raw[k];
        }
    }
    count = 0;
    t0 = now_s();
    do {
        size_t pos = 0, used;
        aw_modes_frame fr;
        while (pos < blen && aw_beast_next(beast + pos, blen - pos, &used, &fr) != AW_FRAME_MORE) {
            pos += used;
            count++;
        }
    } while ((el = now_s() - t0) < budget);
    row("Beast frames unframed", count, el);
    free(beast);

    /* Raw hex lines. */
    char (*lines)[40] = malloc((size_t)nf * sizeof *lines);
    for (int i = 0; i < nf; i++) {
        int n = sprintf(lines[i], "*");
        for (int k = 0; k < frames[i].len; k++)
            n += sprintf(lines[i] + n, "%02X", frames[i].b[k]);
        strcat(lines[i], ";");
    }
    count = 0;
    t0 = now_s();
    do {
        aw_modes_frame fr;
        for (int i = 0; i < nf; i++)
            aw_rawhex_parse(lines[i], strlen(lines[i]), &fr);
        count += nf;
    } while ((el = now_s() - t0) < budget);
    row("raw-hex lines parsed", count, el);
    free(lines);

    /* ASTERIX: blocks of 20 hand-built records -- CAT062 system tracks with 010 015 070
     * 105 185 060 380 (ADR, ID) 040 136, and CAT048 target reports with 010 140 020 040
     * 070 090 130 220 240 250 161 200 RE (the fixtures of tests/test_asterix.c). */
    static const uint8_t r062[] = {
        0xBB, 0x59, 0x20, 0x01, 0x02, 0x05, 0x54, 0x60, 0x00, 0xFF, 0xA0, 0x00, 0x00, 0x01,
        0xB0, 0x00, 0x00, 0x01, 0x90, 0xFE, 0x70, 0x02, 0xBD, 0xC0, 0x4c, 0xa7, 0xa8, 0x48,
        0x32, 0x34, 0xd3, 0x7c, 0x60, 0x12, 0x69, 0x06, 0x18};
    static const uint8_t r048[] = {
        0xFF, 0xF5, 0x01, 0x02, 0x07, 0x09, 0x07, 0x08, 0x40, 0xA1, 0x00, 0x64, 0x80, 0x20, 0x00,
        0x0F, 0xC0, 0x05, 0x78, 0x20, 0xC1, 0x3C, 0x4B, 0x5A, 0x1c, 0x11, 0xb1, 0xcb, 0x38, 0x20,
        0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0xBC, 0x08, 0x00, 0x40, 0x00, 0x03, 0xAA, 0xBB};
    struct { const char *name; const uint8_t *rec; size_t len; int cat; bool site; } cases[] = {
        {"ASTERIX CAT062 records", r062, sizeof r062, 62, false},
        {"ASTERIX CAT048 records (no radar site)", r048, sizeof r048, 48, false},
        {"ASTERIX CAT048 records (polar -> WGS84)", r048, sizeof r048, 48, true}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t blk[3 + 20 * 96];
        size_t bl = 3;
        for (int i = 0; i < 20; i++) {
            memcpy(blk + bl, cases[c].rec, cases[c].len);
            bl += cases[c].len;
        }
        blk[0] = (uint8_t)cases[c].cat;
        blk[1] = (uint8_t)(bl >> 8);
        blk[2] = (uint8_t)bl;
        aw_asterix_context ctx;
        memset(&ctx, 0, sizeof ctx);
        if (cases[c].site) {
            aw_radar_site_parse("7/9=35.0,129.0,100", &ctx.sites[0]);
            ctx.nsites = 1;
        }
        t0 = now_s();
        do
            aw_asterix_decode(&ctx, blk, bl, NULL, NULL, err, sizeof err);
        while ((el = now_s() - t0) < budget);
        row(cases[c].name, (double)ctx.records, el);
    }
    return 0;
}
