/* asterix_cat062.c -- CAT062, SDPS system tracks (edition 1.1x UAP).
 *
 * The fused air picture of a surveillance data processing system: one track per
 * aircraft, already in WGS84, with the Mode S derived data (address, callsign) when
 * there is any. This is what an air defence network passes around. */
#include <math.h>

#include "decode/asterix_uap.h"

static const item_desc i062_380[] = {
    FIXED(1, 3),  FIXED(2, 6),  FIXED(3, 2),  FIXED(4, 2),  FIXED(5, 2),  FIXED(6, 2),
    FIXED(7, 2),  EXT(8, 1, 1), REP(9, 15),   FIXED(10, 2), FIXED(11, 2), FIXED(12, 7),
    FIXED(13, 2), FIXED(14, 2), FIXED(15, 2), FIXED(16, 2), FIXED(17, 2), FIXED(18, 2),
    FIXED(19, 1), FIXED(20, 8), FIXED(21, 1), FIXED(22, 6), FIXED(23, 2), FIXED(24, 1),
    REP(25, 8),   FIXED(26, 2), FIXED(27, 2), FIXED(28, 2)};
static const item_desc i062_290[] = {FIXED(1, 1), FIXED(2, 1), FIXED(3, 1), FIXED(4, 1),
                                     FIXED(5, 2), FIXED(6, 1), FIXED(7, 1), FIXED(8, 1),
                                     FIXED(9, 1), FIXED(10, 1)};
#define ONE(k) FIXED(k, 1)
static const item_desc i062_295[] = {
    ONE(1),  ONE(2),  ONE(3),  ONE(4),  ONE(5),  ONE(6),  ONE(7),  ONE(8),  ONE(9),
    ONE(10), ONE(11), ONE(12), ONE(13), ONE(14), ONE(15), ONE(16), ONE(17), ONE(18),
    ONE(19), ONE(20), ONE(21), ONE(22), ONE(23), ONE(24), ONE(25), ONE(26), ONE(27),
    ONE(28), ONE(29), ONE(30), ONE(31)};
static const item_desc i062_390[] = {
    FIXED(1, 2),  FIXED(2, 7),  FIXED(3, 4),  FIXED(4, 1),  FIXED(5, 4),  FIXED(6, 1),
    FIXED(7, 4),  FIXED(8, 4),  FIXED(9, 3),  FIXED(10, 2), FIXED(11, 2), REP(12, 4),
    FIXED(13, 6), FIXED(14, 1), FIXED(15, 7), FIXED(16, 7), FIXED(17, 3), FIXED(18, 7)};
static const item_desc i062_110[] = {FIXED(1, 1), FIXED(2, 4), FIXED(3, 6), FIXED(4, 2),
                                     FIXED(5, 2), FIXED(6, 1), FIXED(7, 1)};
static const item_desc i062_500[] = {FIXED(1, 4), FIXED(2, 2), FIXED(3, 4), FIXED(4, 1),
                                     FIXED(5, 1), FIXED(6, 2), FIXED(7, 2), FIXED(8, 1)};
static const item_desc i062_340[] = {FIXED(1, 2), FIXED(2, 4), FIXED(3, 2),
                                     FIXED(4, 2), FIXED(5, 2), FIXED(6, 1)};

const item_desc asterix_uap062[] = {
    FIXED(10, 2),  SPARE,          FIXED(15, 1),  FIXED(70, 3),  FIXED(105, 8),
    FIXED(100, 6), FIXED(185, 4),
    FIXED(210, 2), FIXED(60, 2),   FIXED(245, 7), COMPOUND(380, i062_380),
    FIXED(40, 2),  EXT(80, 1, 1),  COMPOUND(290, i062_290),
    FIXED(200, 1), COMPOUND(295, i062_295), FIXED(136, 2), FIXED(130, 2),
    FIXED(135, 2), FIXED(220, 2),  COMPOUND(390, i062_390),
    EXT(270, 1, 1), FIXED(300, 1), COMPOUND(110, i062_110), FIXED(120, 2),
    EXT(510, 3, 3), COMPOUND(500, i062_500), COMPOUND(340, i062_340),
    SPARE,         SPARE,          SPARE,         SPARE,         SPARE,
    EXPL(1001) /* RE */, EXPL(1000) /* SP */,
};
const int asterix_uap062_n = sizeof asterix_uap062 / sizeof asterix_uap062[0];

void asterix_cat062(const asterix_record *r, aw_decoded *out)
{
    const uint8_t *p;
    if ((p = r->item[1])) {
        out->sac = p[0];
        out->sic = p[1];
    }
    if ((p = r->item[4]))
        out->time_of_day = asterix_u(p, 3) / 128.0;
    if ((p = r->item[5])) {
        out->lat = asterix_s(p, 4) * (180.0 / 33554432.0); /* 180/2^25 deg */
        out->lon = asterix_s(p + 4, 4) * (180.0 / 33554432.0);
    }
    if ((p = r->item[7])) {
        double vx = asterix_s(p, 2) * 0.25, vy = asterix_s(p + 2, 2) * 0.25; /* m/s */
        out->groundspeed_kt = hypot(vx, vy) * 3600.0 / 1852.0;
        double trk = atan2(vx, vy) * 180.0 / 3.14159265358979323846;
        out->track_deg = trk < 0 ? trk + 360.0 : trk;
    }
    if ((p = r->item[9]))
        out->mode3a = (int)(asterix_u(p, 2) & 0x0fff);
    if ((p = r->item[11])) {
        size_t sl;
        const uint8_t *s = asterix_subfield(&asterix_uap062[10], p, r->item_len[11], 1, &sl);
        if (s)
            out->icao24 = (int32_t)asterix_u(s, 3);
        s = asterix_subfield(&asterix_uap062[10], p, r->item_len[11], 2, &sl);
        if (s)
            asterix_callsign(s, out->callsign);
    }
    if ((p = r->item[12]))
        out->track_number = (int)asterix_u(p, 2);
    if ((p = r->item[17])) {
        out->flight_level = asterix_s(p, 2) / 4.0;
    } else if ((p = r->item[19])) {
        /* Calculated track barometric altitude: QNH bit, 15-bit two's complement 1/4 FL. */
        int32_t v = (int32_t)(asterix_u(p, 2) & 0x7fff);
        if (v & 0x4000)
            v -= 0x8000;
        out->flight_level = v / 4.0;
    }
    if (isfinite(out->flight_level))
        out->altitude_ft = out->flight_level * 100.0;
    if ((p = r->item[18]))
        out->geo_altitude_ft = asterix_s(p, 2) * 6.25;
}
