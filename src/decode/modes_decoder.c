/* modes_decoder.c -- Mode S replies to records: extended squitters (DF17/18) and the
 * surveillance replies (DF0/4/5/16/20/21) of aircraft already known.
 *
 * Decoding a squitter needs memory: a position is half a CPR pair, and a DF4/5/20/21
 * reply carries its address only XOR-ed into the parity, so it can be believed only for
 * an address a clean squitter has already shown. That memory lives in the decoder, one
 * small entry per aircraft in an open-addressing table keyed by address.
 *
 * Position resolution, in order (see docs/decode.md for why):
 *   1. global decoding of a fresh even/odd pair (10 s airborne, 25 s surface);
 *      (a surface pair's quadrant is picked by any known position);
 *   2. local decoding against the aircraft's own last position, if recent;
 *   3. surface frames only: local decoding against the latest surface position of any
 *      aircraft (a receiver hears surface traffic only near its antenna), then against
 *      the receiver position (--receiver);
 * otherwise the frame gives no position yet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/decode.h"

#define PAIR_MAX_AIRBORNE_S 10.0
#define PAIR_MAX_SURFACE_S 25.0
/* Own position used as a local reference: airborne 180 NM half-zone is 20 min at
 * 540 kt, so 5 min is safely inside; a taxiing aircraft moves little in 10 min. */
#define OWN_REF_MAX_AIRBORNE_S 300.0
#define OWN_REF_MAX_SURFACE_S 600.0
/* Airborne position as the reference of a surface frame: 2 min at 200 kt is 7 NM. */
#define OWN_REF_MAX_LANDING_S 120.0
#define NEIGHBOUR_REF_MAX_S 300.0
/* An address counts as known this long after its last clean squitter or all-call. */
#define KNOWN_MAX_S 300.0

typedef struct cpr_frame {
    unsigned lat, lon;
    double t;
    bool valid, surface;
} cpr_frame;

typedef struct aircraft {
    int32_t icao;           /* -1 = empty slot */
    double seen_t;          /* last clean DF11/17/18 */
    cpr_frame cpr[2];       /* [0] even, [1] odd */
    bool has_pos, pos_surface;
    double pos_lat, pos_lon, pos_t;
} aircraft;

struct aw_modes_decoder {
    aircraft *table;
    size_t cap, used;
    double receiver_lat, receiver_lon;
    bool has_neighbour;
    double neighbour_lat, neighbour_lon, neighbour_t;
};

aw_modes_decoder *aw_modes_decoder_new(const aw_modes_options *opt)
{
    aw_modes_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->cap = 256;
    d->table = malloc(d->cap * sizeof *d->table);
    if (!d->table) {
        free(d);
        return NULL;
    }
    for (size_t i = 0; i < d->cap; i++)
        d->table[i].icao = -1;
    d->receiver_lat = opt ? opt->receiver_lat : NAN;
    d->receiver_lon = opt ? opt->receiver_lon : NAN;
    return d;
}

void aw_modes_decoder_free(aw_modes_decoder *d)
{
    if (!d)
        return;
    free(d->table);
    free(d);
}

static size_t slot_of(uint32_t icao, size_t cap)
{
    return (icao * 2654435761u) & (cap - 1);
}

static aircraft *find(aw_modes_decoder *d, int32_t icao)
{
    for (size_t i = slot_of((uint32_t)icao, d->cap);; i = (i + 1) & (d->cap - 1)) {
        if (d->table[i].icao == icao)
            return &d->table[i];
        if (d->table[i].icao < 0)
            return NULL;
    }
}

static int grow(aw_modes_decoder *d)
{
    size_t ncap = d->cap * 2;
    aircraft *nt = malloc(ncap * sizeof *nt);
    if (!nt)
        return -1;
    for (size_t i = 0; i < ncap; i++)
        nt[i].icao = -1;
    for (size_t i = 0; i < d->cap; i++) {
        if (d->table[i].icao < 0)
            continue;
        size_t j = slot_of((uint32_t)d->table[i].icao, ncap);
        while (nt[j].icao >= 0)
            j = (j + 1) & (ncap - 1);
        nt[j] = d->table[i];
    }
    free(d->table);
    d->table = nt;
    d->cap = ncap;
    return 0;
}

/* Find or add; NULL only when out of memory. */
static aircraft *find_or_add(aw_modes_decoder *d, int32_t icao)
{
    aircraft *a = find(d, icao);
    if (a)
        return a;
    if ((d->used + 1) * 2 > d->cap && grow(d) < 0)
        return NULL;
    size_t i = slot_of((uint32_t)icao, d->cap);
    while (d->table[i].icao >= 0)
        i = (i + 1) & (d->cap - 1);
    a = &d->table[i];
    memset(a, 0, sizeof *a);
    a->icao = icao;
    a->seen_t = -INFINITY;
    d->used++;
    return a;
}

static bool is_known(aw_modes_decoder *d, int32_t icao, double t)
{
    aircraft *a = find(d, icao);
    return a && fabs(t - a->seen_t) <= KNOWN_MAX_S;
}

/* Bits first..first+n-1 of the frame (1-based, as the standards number them). */
static unsigned bits(const uint8_t *m, int first, int n)
{
    int lo = first - 1, hi = first - 2 + n; /* 0-based bit range, inclusive */
    uint64_t w = 0;
    for (int i = lo >> 3; i <= hi >> 3; i++) /* at most 5 bytes for n <= 32 */
        w = w << 8 | m[i];
    w >>= 7 - (hi & 7);
    return (unsigned)(w & ((1ull << n) - 1));
}

static void decode_ident(const uint8_t *m, aw_decoded *out)
{
    static const char charset[65] =
        "#ABCDEFGHIJKLMNOPQRSTUVWXYZ##### ###############0123456789######";
    char cs[9];
    for (int i = 0; i < 8; i++)
        cs[i] = charset[bits(m, 41 + 6 * i, 6)];
    int n = 8;
    while (n > 0 && (cs[n - 1] == ' ' || cs[n - 1] == '#'))
        n--;
    cs[n] = '\0';
    memcpy(out->callsign, cs, (size_t)n + 1);
}

static void decode_velocity(const uint8_t *m, aw_decoded *out)
{
    unsigned st = bits(m, 38, 3);
    if (st == 1 || st == 2) {
        unsigned vew = bits(m, 47, 10), vns = bits(m, 58, 10);
        if (vew != 0 && vns != 0) {
            double scale = st == 2 ? 4.0 : 1.0;
            double ve = (double)(vew - 1) * scale * (bits(m, 46, 1) ? -1 : 1);
            double vn = (double)(vns - 1) * scale * (bits(m, 57, 1) ? -1 : 1);
            out->groundspeed_kt = hypot(ve, vn);
            double trk = atan2(ve, vn) * 180.0 / 3.14159265358979323846;
            out->track_deg = trk < 0 ? trk + 360.0 : trk;
        }
    }
    /* Subtypes 3 and 4 give airspeed and heading: not a track over ground, so kept apart. */
    if (st == 3 || st == 4) {
        if (bits(m, 46, 1))
            out->heading_deg = bits(m, 47, 10) * (360.0 / 1024.0);
        unsigned as = bits(m, 58, 10);
        if (as != 0)
            out->airspeed_kt = (double)(as - 1) * (st == 4 ? 4.0 : 1.0);
    }
    if (st >= 1 && st <= 4) {
        unsigned vr = bits(m, 70, 9);
        if (vr != 0)
            out->vertical_rate_fpm = (double)(vr - 1) * 64.0 * (bits(m, 69, 1) ? -1 : 1);
    }
}

static void remember_position(aw_modes_decoder *d, aircraft *a, double t, bool surface,
                              double lat, double lon)
{
    a->has_pos = true;
    a->pos_lat = lat;
    a->pos_lon = lon;
    a->pos_t = t;
    a->pos_surface = surface;
    if (surface) {
        d->has_neighbour = true;
        d->neighbour_lat = lat;
        d->neighbour_lon = lon;
        d->neighbour_t = t;
    }
}

static void decode_position(aw_modes_decoder *d, aircraft *a, const uint8_t *m, double t,
                            bool surface, aw_decoded *out)
{
    bool odd = bits(m, 54, 1);
    cpr_frame *cur = &a->cpr[odd], *other = &a->cpr[!odd];
    cur->lat = bits(m, 55, 17);
    cur->lon = bits(m, 72, 17);
    cur->t = t;
    cur->valid = true;
    cur->surface = surface;

    /* A surface frame needs a reference within 45 NM: an airborne position of the same
     * aircraft serves only if it is fresh (just landed), a surface one for longer. */
    double own_max = !surface ? OWN_REF_MAX_AIRBORNE_S
                     : a->pos_surface ? OWN_REF_MAX_SURFACE_S : OWN_REF_MAX_LANDING_S;
    bool own_ok = a->has_pos && fabs(t - a->pos_t) <= own_max;
    double ref_lat = NAN, ref_lon = NAN;
    if (own_ok) {
        ref_lat = a->pos_lat;
        ref_lon = a->pos_lon;
    } else if (surface && d->has_neighbour && fabs(t - d->neighbour_t) <= NEIGHBOUR_REF_MAX_S) {
        ref_lat = d->neighbour_lat;
        ref_lon = d->neighbour_lon;
    } else if (surface && isfinite(d->receiver_lat)) {
        ref_lat = d->receiver_lat;
        ref_lon = d->receiver_lon;
    }

    /* A surface pair has solutions 90 deg apart: any position within 45 deg picks the
     * right one, however old. */
    double quad_lat = ref_lat, quad_lon = ref_lon;
    if (surface && !isfinite(quad_lat)) {
        if (a->has_pos) {
            quad_lat = a->pos_lat;
            quad_lon = a->pos_lon;
        } else if (d->has_neighbour) {
            quad_lat = d->neighbour_lat;
            quad_lon = d->neighbour_lon;
        }
    }
    double lat, lon;
    double pair_max = surface ? PAIR_MAX_SURFACE_S : PAIR_MAX_AIRBORNE_S;
    bool pair = other->valid && other->surface == surface && fabs(t - other->t) <= pair_max;
    if (pair && (!surface || isfinite(quad_lat))) {
        const cpr_frame *ev = odd ? other : cur, *od = odd ? cur : other;
        if (aw_cpr_global(ev->lat, ev->lon, od->lat, od->lon, odd, surface, quad_lat, quad_lon,
                          &lat, &lon) == 0) {
            out->lat = lat;
            out->lon = lon;
            remember_position(d, a, t, surface, lat, lon);
            return;
        }
    }
    if (isfinite(ref_lat) && (own_ok || surface)) {
        aw_cpr_local(cur->lat, cur->lon, odd, surface, ref_lat, ref_lon, &lat, &lon);
        out->lat = lat;
        out->lon = lon;
        remember_position(d, a, t, surface, lat, lon);
    }
}

static void decode_surface_motion(const uint8_t *m, aw_decoded *out)
{
    unsigned mov = bits(m, 38, 7);
    /* Ground speed: a non-linear scale (DO-260B table A-31), knots. */
    if (mov == 1)
        out->groundspeed_kt = 0;
    else if (mov >= 2 && mov <= 8)
        out->groundspeed_kt = 0.125 + (mov - 2) * 0.125;
    else if (mov >= 9 && mov <= 12)
        out->groundspeed_kt = 1.0 + (mov - 9) * 0.25;
    else if (mov >= 13 && mov <= 38)
        out->groundspeed_kt = 2.0 + (mov - 13) * 0.5;
    else if (mov >= 39 && mov <= 93)
        out->groundspeed_kt = 15.0 + (mov - 39) * 1.0;
    else if (mov >= 94 && mov <= 108)
        out->groundspeed_kt = 70.0 + (mov - 94) * 2.0;
    else if (mov >= 109 && mov <= 123)
        out->groundspeed_kt = 100.0 + (mov - 109) * 5.0;
    else if (mov == 124)
        out->groundspeed_kt = 175.0;
    if (bits(m, 45, 1))
        out->track_deg = bits(m, 46, 7) * 360.0 / 128.0;
}

static aw_decode_result decode_es(aw_modes_decoder *d, const uint8_t *m, double t,
                                  aw_decoded *out, char *err, size_t errlen)
{
    int32_t icao = (int32_t)bits(m, 9, 24);
    aircraft *a = find_or_add(d, icao);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return AW_DECODE_BAD;
    }
    a->seen_t = t;
    out->icao24 = icao;
    int tc = (int)bits(m, 33, 5);
    out->typecode = tc;
    if (tc >= 1 && tc <= 4) {
        decode_ident(m, out);
    } else if (tc >= 5 && tc <= 8) {
        out->surface = true;
        decode_surface_motion(m, out);
        decode_position(d, a, m, t, true, out);
    } else if ((tc >= 9 && tc <= 18) || (tc >= 20 && tc <= 22)) {
        unsigned alt = bits(m, 41, 12);
        if (tc <= 18) {
            out->altitude_ft = aw_modes_ac12_ft(alt);
        } else if (alt != 0) {
            out->geo_altitude_ft = alt / 0.3048; /* GNSS height, metres */
        }
        decode_position(d, a, m, t, false, out);
    } else if (tc == 19) {
        decode_velocity(m, out);
    }
    return AW_DECODE_OK;
}

aw_decode_result aw_modes_decode(aw_modes_decoder *d, const uint8_t *frame, size_t len,
                                 double t, aw_decoded *out, char *err, size_t errlen)
{
    aw_decoded_clear(out);
    out->source = AW_SRC_MODES;
    if (len != 7 && len != 14) {
        snprintf(err, errlen, "a Mode S frame has 7 or 14 bytes, not %zu", len);
        return AW_DECODE_BAD;
    }
    int df = frame[0] >> 3;
    if (df >= 24)
        df = 24; /* DF24 (Comm-D) uses only the first two bits */
    int nbits = df >= 16 ? 112 : 56;
    if ((size_t)nbits / 8 != len) {
        snprintf(err, errlen, "DF%d wants %d bits, the frame has %zu", df, nbits, len * 8);
        return AW_DECODE_BAD;
    }
    out->df = df;
    uint32_t syn = aw_modes_syndrome(frame, nbits);
    switch (df) {
    case 17:
    case 18:
        if (syn != 0) {
            snprintf(err, errlen, "DF%d parity check failed (syndrome %06x)", df, syn);
            return AW_DECODE_BAD;
        }
        if (df == 18) {
            unsigned cf = frame[0] & 7;
            if (cf != 0 && cf != 1 && cf != 6)
                return AW_DECODE_SKIP; /* TIS-B management / reserved formats */
        }
        return decode_es(d, frame, t, out, err, errlen);
    case 11: {
        if (syn >= 0x80) {
            snprintf(err, errlen, "DF11 parity check failed (syndrome %06x)", syn);
            return AW_DECODE_BAD;
        }
        int32_t icao = (int32_t)bits(frame, 9, 24);
        out->icao24 = icao;
        if (syn == 0) { /* only a clean reply makes an address known */
            aircraft *a = find_or_add(d, icao);
            if (a)
                a->seen_t = t;
        }
        return AW_DECODE_OK;
    }
    case 0:
    case 4:
    case 5:
    case 16:
    case 20:
    case 21:
        if (!is_known(d, (int32_t)syn, t))
            return AW_DECODE_SKIP; /* noise, or an aircraft we have not heard squitter */
        out->icao24 = (int32_t)syn;
        if (df == 5 || df == 21)
            out->mode3a = aw_modes_squawk(bits(frame, 20, 13));
        else
            out->altitude_ft = aw_modes_ac13_ft(bits(frame, 20, 13));
        return AW_DECODE_OK;
    default:
        return AW_DECODE_SKIP;
    }
}
