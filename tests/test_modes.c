/* test_modes.c -- Mode S: CRC, altitude and squawk codes, identification, velocity,
 * CPR (global and local, airborne and surface), DF4/5/20/21 address recovery; and the
 * 13,469 reference-decoded position frames of ../shared (skipped when absent). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/decode.h"
#include "check.h"
#include "shared_data.h"

static int hex_frame(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex);
    for (size_t i = 0; i + 1 < n + 1 && i / 2 < 14 && hex[i]; i += 2) {
        unsigned v;
        if (sscanf(hex + i, "%2x", &v) != 1)
            return -1;
        out[i / 2] = (uint8_t)v;
    }
    return (int)(n / 2);
}

static aw_decode_result decode_hex(aw_modes_decoder *d, const char *hex, double t, aw_decoded *out)
{
    uint8_t f[14];
    char err[128];
    int n = hex_frame(hex, f);
    return aw_modes_decode(d, f, (size_t)n, t, out, err, sizeof err);
}

static void test_crc(void)
{
    uint8_t f[14];
    hex_frame("8D4840D6202CC371C32CE0576098", f);
    CHECK(aw_modes_crc(f, 112) == 0x576098);
    CHECK(aw_modes_syndrome(f, 112) == 0);
    f[5] ^= 0x10; /* one flipped bit must show */
    CHECK(aw_modes_syndrome(f, 112) != 0);
}

static void test_fields(void)
{
    /* Q = 1: 25 ft steps. 0xC38 from the classic position frame = 38000 ft. */
    CHECK_NEAR(aw_modes_ac12_ft(0xC38), 38000, 0);
    /* Gillham: C2 alone is -1000 ft; C1 alone (code 100, read as 5) -800 ft. */
    CHECK_NEAR(aw_modes_ac13_ft(0x0400), -1000, 0); /* C2 */
    CHECK_NEAR(aw_modes_ac13_ft(0x1000), -800, 0);  /* C1: code 100 -> 5 */
    CHECK_NEAR(aw_modes_ac13_ft(0x1400), -900, 0);  /* C1 C2: code 110 -> 4 */
    /* B4 + C2: first 500 ft band (n500 = 1, odd, so the C count reflects 3 -> 3): -500. */
    CHECK_NEAR(aw_modes_ac13_ft(0x0402), -500, 0);
    /* B4 + C1: n100 = 5 reflected to 1: 500 + 100 - 1300 = -700. */
    CHECK_NEAR(aw_modes_ac13_ft(0x1002), -700, 0);
    /* D4 is a high-order bit of the 500 ft Gray code: D4 + C2 = 127 bands up. */
    CHECK_NEAR(aw_modes_ac13_ft(0x0401), 127 * 500.0 + 300 - 1300, 0);
    CHECK(isnan(aw_modes_ac13_ft(0x0000)));
    CHECK(isnan(aw_modes_ac13_ft(0x0001))); /* no C pulse: invalid */
    CHECK(isnan(aw_modes_ac13_ft(0x0040))); /* metric */
    /* Squawk 7700: A=7 B=7 C=0 D=0 -> A1 A2 A4 B1 B2 B4 set. */
    unsigned id = 1u << 11 | 1u << 9 | 1u << 7 | 1u << 5 | 1u << 3 | 1u << 1;
    CHECK(aw_modes_squawk(id) == 07700);
    CHECK(aw_modes_squawk(1u << 12) == 00010); /* C1 */
    CHECK(aw_modes_squawk(1u << 0) == 00004);  /* D4 */
}

static void test_es(void)
{
    aw_modes_decoder *d = aw_modes_decoder_new(NULL);
    aw_decoded r;
    CHECK(decode_hex(d, "8D4840D6202CC371C32CE0576098", 0, &r) == AW_DECODE_OK);
    CHECK_STR(r.callsign, "KLM1023");
    CHECK(r.icao24 == 0x4840d6 && r.typecode == 4 && r.df == 17);

    CHECK(decode_hex(d, "8D485020994409940838175B284F", 0, &r) == AW_DECODE_OK);
    CHECK(r.typecode == 19);
    CHECK_NEAR(r.groundspeed_kt, 159.20, 0.01);
    CHECK_NEAR(r.track_deg, 182.88, 0.01);
    CHECK_NEAR(r.vertical_rate_fpm, -832, 0);

    /* Subtype 3 (airspeed and heading), the published example: heading 243.98 deg,
     * 375 kt, -2304 ft/min; no ground speed or track. */
    CHECK(decode_hex(d, "8DA05F219B06B6AF189400CBC33F", 0, &r) == AW_DECODE_OK);
    CHECK_NEAR(r.heading_deg, 243.98, 0.01);
    CHECK_NEAR(r.airspeed_kt, 375, 0);
    CHECK_NEAR(r.vertical_rate_fpm, -2304, 0);
    CHECK(isnan(r.groundspeed_kt) && isnan(r.track_deg));

    /* The classic pair: odd first, even last -> 52.2572, 3.91937 (the even's position). */
    CHECK(decode_hex(d, "8D40621D58C386435CC412692AD6", 10, &r) == AW_DECODE_OK);
    CHECK(isnan(r.lat)); /* half a pair: no position yet */
    CHECK_NEAR(r.altitude_ft, 38000, 0);
    CHECK(decode_hex(d, "8D40621D58C382D690C8AC2863A7", 11, &r) == AW_DECODE_OK);
    CHECK_NEAR(r.lat, 52.2572, 1e-4);
    CHECK_NEAR(r.lon, 3.91937, 1e-5);
    /* The odd frame again, now locally against the known position: 52.26578, 3.93891. */
    CHECK(decode_hex(d, "8D40621D58C386435CC412692AD6", 12, &r) == AW_DECODE_OK);
    CHECK_NEAR(r.lat, 52.26578, 1e-5);
    CHECK_NEAR(r.lon, 3.93891, 1e-5);

    /* A corrupted squitter is refused by the parity check. */
    CHECK(decode_hex(d, "8D40621D58C386435CC412692AD7", 12, &r) == AW_DECODE_BAD);
    /* Wrong length for the DF. */
    CHECK(decode_hex(d, "8D40621D58C386", 12, &r) == AW_DECODE_BAD);
    aw_modes_decoder_free(d);
}

/* Build a DF4/DF5 reply with the address overlaid on the parity. */
static void overlay(uint8_t *f, uint32_t icao)
{
    uint32_t crc = aw_modes_crc(f, 56) ^ icao;
    f[4] = (uint8_t)(crc >> 16);
    f[5] = (uint8_t)(crc >> 8);
    f[6] = (uint8_t)crc;
}

static void test_surveillance(void)
{
    aw_modes_decoder *d = aw_modes_decoder_new(NULL);
    aw_decoded r;
    char err[128];
    /* DF4, altitude code 0xC38 | Q as 13 bits: 38000 ft = n 1560 -> bits. */
    unsigned n = (38000 + 1000) / 25; /* 11 bits */
    unsigned ac13 = ((n & 0x7e0) << 2) | ((n & 0x10) << 1) | 0x10 | (n & 0xf);
    CHECK_NEAR(aw_modes_ac13_ft(ac13), 38000, 0);
    uint8_t f[7] = {4 << 3, 0, (uint8_t)(ac13 >> 8), (uint8_t)ac13, 0, 0, 0};
    overlay(f, 0x40621d);
    /* Unknown address: skipped (could be noise). */
    CHECK(aw_modes_decode(d, f, 7, 0, &r, err, sizeof err) == AW_DECODE_SKIP);
    CHECK(decode_hex(d, "8D40621D58C386435CC412692AD6", 1, &r) == AW_DECODE_OK);
    CHECK(aw_modes_decode(d, f, 7, 2, &r, err, sizeof err) == AW_DECODE_OK);
    CHECK(r.icao24 == 0x40621d && r.df == 4);
    CHECK_NEAR(r.altitude_ft, 38000, 0);
    /* DF5 squawk 7700. */
    unsigned id = 1u << 11 | 1u << 9 | 1u << 7 | 1u << 5 | 1u << 3 | 1u << 1;
    uint8_t g[7] = {5 << 3, 0, (uint8_t)(id >> 8), (uint8_t)id, 0, 0, 0};
    overlay(g, 0x40621d);
    CHECK(aw_modes_decode(d, g, 7, 3, &r, err, sizeof err) == AW_DECODE_OK);
    CHECK(r.mode3a == 07700);
    /* Long after the last squitter the address is forgotten. */
    CHECK(aw_modes_decode(d, g, 7, 1000, &r, err, sizeof err) == AW_DECODE_SKIP);
    aw_modes_decoder_free(d);
}

static void test_cpr_surface(void)
{
    /* Surface global decoding: the four longitude candidates 90 deg apart and the two
     * hemispheres are told apart by the reference; a far reference flips the answer. */
    double lat, lon;
    /* Encode a known point by the CPR encoding formulas, then decode it back. */
    double plat = 43.6295, plon = 1.3690;
    unsigned yz[2], xz[2];
    for (int odd = 0; odd < 2; odd++) {
        double dlat = 90.0 / (60 - odd);
        double y = floor(131072 * fmod(plat, dlat) / dlat + 0.5);
        double rlat = dlat * (y / 131072 + floor(plat / dlat));
        int nl = aw_cpr_nl(rlat) - odd;
        double dlon = 90.0 / (nl > 1 ? nl : 1);
        double x = floor(131072 * fmod(plon, dlon) / dlon + 0.5);
        yz[odd] = (unsigned)y & 0x1ffff;
        xz[odd] = (unsigned)x & 0x1ffff;
    }
    CHECK(aw_cpr_global(yz[0], xz[0], yz[1], xz[1], false, true, 43, 1, &lat, &lon) == 0);
    CHECK_NEAR(lat, plat, 1e-4);
    CHECK_NEAR(lon, plon, 1e-4);
    CHECK(aw_cpr_global(yz[0], xz[0], yz[1], xz[1], false, true, 43, 90, &lat, &lon) == 0);
    CHECK_NEAR(lon, plon + 90, 1e-4); /* the reference picks the candidate */
    aw_cpr_local(yz[1], xz[1], true, true, 43.5, 1.2, &lat, &lon);
    CHECK_NEAR(lat, plat, 1e-4);
    CHECK_NEAR(lon, plon, 1e-4);
    CHECK(aw_cpr_nl(0) == 59 && aw_cpr_nl(87.5) == 1 && aw_cpr_nl(-52.2) == 36);
}

/* ../shared/data/formats/modes/tutorial_positions.csv: every frame with a reference
 * lat/lon must decode to it within 1e-4 deg. Frames are fed in file order through one
 * decoder with the receiver at Toulouse-Blagnac (where the recording starts). */
static int test_tutorial(void)
{
    char path[512];
    shared_need(shared_path("data/formats/modes/tutorial_positions.csv", path, sizeof path));
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (!fp)
        return 0;
    aw_modes_options opt = {43.6293, 1.3638};
    aw_modes_decoder *d = aw_modes_decoder_new(&opt);
    char line[512];
    int rows = 0, with_ref = 0, matched = 0, shown = 0;
    double worst = 0;
    CHECK(fgets(line, sizeof line, fp) != NULL); /* header */
    static const char header[] = "timestamp,frame,df,icao24,bds,parity,lat_cpr,lon_cpr,latitude,longitude";
    CHECK(strncmp(line, header, sizeof header - 1) == 0);
    while (fgets(line, sizeof line, fp)) {
        char *fields[16];
        int nf = 0;
        for (char *s = line, *tok; nf < 16 && (tok = strsep(&s, ",\n")) != NULL;)
            fields[nf++] = tok;
        if (nf < 10)
            continue;
        rows++;
        aw_decoded r;
        aw_decode_result res = decode_hex(d, fields[1], atof(fields[0]), &r);
        if (!*fields[8])
            continue;
        with_ref++;
        double rlat = atof(fields[8]), rlon = atof(fields[9]);
        double err = fmax(fabs(r.lat - rlat), fabs(r.lon - rlon));
        if (res == AW_DECODE_OK && err <= 1e-4) {
            matched++;
            if (err > worst)
                worst = err;
        } else if (shown++ < 10) {
            printf("mismatch %s at %s: got %.6f %.6f, reference %.6f %.6f\n", fields[1],
                   fields[0], r.lat, r.lon, rlat, rlon);
        }
    }
    fclose(fp);
    aw_modes_decoder_free(d);
    printf("tutorial_positions: %d rows, %d with a reference position, %d matched (worst %.2g deg)\n",
           rows, with_ref, matched, worst);
    CHECK(rows == 13469);
    CHECK(with_ref == 13465);
    CHECK(matched == with_ref);
    return 1;
}

/* Random frames (every DF, most failing their parity) and random valid squitters
 * (parity fixed up): decoding never crashes and refuses what fails the CRC. */
static void test_random(void)
{
    aw_modes_decoder *d = aw_modes_decoder_new(NULL);
    uint64_t x = 0x2545f4914f6cdd1dull;
    int ok = 0, bad = 0;
    for (int i = 0; i < 200000; i++) {
        uint8_t f[14];
        for (int k = 0; k < 14; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            f[k] = (uint8_t)(x >> 24);
        }
        size_t len = (f[0] >> 3) >= 16 ? 14 : 7;
        if (i & 1) { /* a squitter with a correct parity and random content */
            f[0] = (uint8_t)(17 << 3 | (f[0] & 7));
            len = 14;
            uint32_t crc = aw_modes_crc(f, 112);
            f[11] = (uint8_t)(crc >> 16), f[12] = (uint8_t)(crc >> 8), f[13] = (uint8_t)crc;
        }
        aw_decoded r;
        char err[128];
        aw_decode_result res = aw_modes_decode(d, f, len, i * 0.01, &r, err, sizeof err);
        ok += res == AW_DECODE_OK;
        bad += res == AW_DECODE_BAD;
        if (res == AW_DECODE_OK && isfinite(r.lat))
            CHECK(fabs(r.lat) <= 90 && fabs(r.lon) <= 180);
    }
    CHECK(ok >= 100000 && bad > 5000); /* random DF11/17/18 fail their parity */
    aw_modes_decoder_free(d);
}

int main(int argc, char **argv)
{
    if (shared_wanted(argc, argv)) {
        test_tutorial();
        return check_done("modes_shared");
    }
    test_crc();
    test_random();
    test_fields();
    test_es();
    test_surveillance();
    test_cpr_surface();
    return check_done("modes");
}
