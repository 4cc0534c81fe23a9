/* asterix_cat021.c -- CAT021, ADS-B target reports, editions 0.26 and 2.1.
 *
 * Ground stations repackage ADS-B squitters as CAT021. The two editions in service
 * differ in their UAP (0.26 has a single 8-byte position at FRN 4 and one time of day;
 * 2.1 has low/high resolution positions and four reception times), and nothing in the
 * data says which one a block uses: aw_asterix_decode tries 2.1, then 0.26. */
#include <math.h>

#include "decode/asterix_uap.h"

static const item_desc i021_220[] = {FIXED(1, 2), FIXED(2, 2), FIXED(3, 2), FIXED(4, 1)};
static const item_desc i021_110_v21[] = {EXT(1, 1, 1), REP(2, 15)};
static const item_desc i021_295[] = {
    FIXED(1, 1),  FIXED(2, 1),  FIXED(3, 1),  FIXED(4, 1),  FIXED(5, 1),  FIXED(6, 1),
    FIXED(7, 1),  FIXED(8, 1),  FIXED(9, 1),  FIXED(10, 1), FIXED(11, 1), FIXED(12, 1),
    FIXED(13, 1), FIXED(14, 1), FIXED(15, 1), FIXED(16, 1), FIXED(17, 1), FIXED(18, 1),
    FIXED(19, 1), FIXED(20, 1), FIXED(21, 1), FIXED(22, 1), FIXED(23, 1)};

/* Edition 2.1 (FRN order of the EUROCONTROL specification, part 12). */
const item_desc asterix_uap021_v21[] = {
    FIXED(10, 2),  EXT(40, 1, 1),  FIXED(161, 2), FIXED(15, 1),  FIXED(71, 3),
    FIXED(130, 6), FIXED(131, 8),
    FIXED(72, 3),  FIXED(150, 2),  FIXED(151, 2), FIXED(80, 3),  FIXED(73, 3),
    FIXED(74, 4),  FIXED(75, 3),
    FIXED(76, 4),  FIXED(140, 2),  EXT(90, 1, 1), FIXED(210, 1), FIXED(70, 2),
    FIXED(230, 2), FIXED(145, 2),
    FIXED(152, 2), FIXED(200, 1),  FIXED(155, 2), FIXED(157, 2), FIXED(160, 4),
    FIXED(165, 2), FIXED(77, 3),
    FIXED(170, 6), FIXED(20, 1),   COMPOUND(220, i021_220), FIXED(146, 2),
    FIXED(148, 2), COMPOUND(110, i021_110_v21), FIXED(16, 1),
    FIXED(8, 1),   EXT(271, 1, 1), FIXED(132, 1), REP(250, 8),   FIXED(260, 7),
    FIXED(400, 1), COMPOUND(295, i021_295),
    SPARE,         SPARE,          SPARE,         SPARE,         SPARE,
    EXPL(1001) /* RE */, EXPL(1000) /* SP */,
};
const int asterix_uap021_v21_n = sizeof asterix_uap021_v21 / sizeof asterix_uap021_v21[0];

static const item_desc i021_110_v026[] = {EXT(1, 1, 1), REP(2, 15)};

/* Edition 0.26. */
const item_desc asterix_uap021_v026[] = {
    FIXED(10, 2),  FIXED(40, 2),   FIXED(30, 3),  FIXED(130, 8), FIXED(80, 3),
    FIXED(140, 2), FIXED(90, 2),
    FIXED(210, 1), FIXED(230, 2),  FIXED(145, 2), FIXED(150, 2), FIXED(151, 2),
    FIXED(152, 2), FIXED(155, 2),
    FIXED(157, 2), FIXED(160, 4),  EXT(165, 1, 1), FIXED(170, 6), FIXED(95, 1),
    FIXED(32, 1),  FIXED(200, 1),
    FIXED(20, 1),  COMPOUND(220, i021_220), FIXED(146, 2), FIXED(148, 2),
    COMPOUND(110, i021_110_v026), FIXED(70, 2), FIXED(131, 1),
    SPARE,         SPARE,          SPARE,         SPARE,         SPARE,
    EXPL(1001) /* RE */, EXPL(1000) /* SP */,
};
const int asterix_uap021_v026_n = sizeof asterix_uap021_v026 / sizeof asterix_uap021_v026[0];

/* Ground vector: 2 bytes speed (2^-14 NM/s; in 2.1 the top bit is a range flag), 2 bytes
 * track angle (360/2^16 deg). */
static void ground_vector(const uint8_t *p, bool has_re_bit, aw_decoded *out)
{
    uint32_t gs = asterix_u(p, 2);
    if (has_re_bit)
        gs &= 0x7fff;
    out->groundspeed_kt = gs * (3600.0 / 16384.0);
    out->track_deg = asterix_u(p + 2, 2) * (360.0 / 65536.0);
}

void asterix_cat021(const asterix_record *r, int edition, aw_decoded *out)
{
    const uint8_t *p;
    if ((p = r->item[1])) {
        out->sac = p[0];
        out->sic = p[1];
    }
    if (edition == 26) {
        if ((p = r->item[3]))
            out->time_of_day = asterix_u(p, 3) / 128.0;
        if ((p = r->item[4])) {
            out->lat = asterix_s(p, 4) * (180.0 / 33554432.0); /* 180/2^25 */
            out->lon = asterix_s(p + 4, 4) * (180.0 / 33554432.0);
        }
        if ((p = r->item[5]))
            out->icao24 = (int32_t)asterix_u(p, 3);
        if ((p = r->item[6]))
            out->geo_altitude_ft = asterix_s(p, 2) * 6.25;
        if ((p = r->item[10]))
            out->flight_level = asterix_s(p, 2) / 4.0;
        if ((p = r->item[16]))
            ground_vector(p, false, out);
        if ((p = r->item[18]))
            asterix_callsign(p, out->callsign);
        if ((p = r->item[27]))
            out->mode3a = (int)(asterix_u(p, 2) & 0x0fff);
    } else {
        if ((p = r->item[3]))
            out->track_number = (int)(asterix_u(p, 2) & 0x0fff);
        /* Time of day: reception of the position, else its applicability, else the
         * report's transmission. */
        if ((p = r->item[12]) || (p = r->item[5]) || (p = r->item[28]))
            out->time_of_day = asterix_u(p, 3) / 128.0;
        if ((p = r->item[7])) {
            out->lat = asterix_s(p, 4) * (180.0 / 1073741824.0); /* 180/2^30 */
            out->lon = asterix_s(p + 4, 4) * (180.0 / 1073741824.0);
        } else if ((p = r->item[6])) {
            out->lat = asterix_s(p, 3) * (180.0 / 8388608.0); /* 180/2^23 */
            out->lon = asterix_s(p + 3, 3) * (180.0 / 8388608.0);
        }
        if ((p = r->item[11]))
            out->icao24 = (int32_t)asterix_u(p, 3);
        if ((p = r->item[16]))
            out->geo_altitude_ft = asterix_s(p, 2) * 6.25;
        if ((p = r->item[19]))
            out->mode3a = (int)(asterix_u(p, 2) & 0x0fff);
        if ((p = r->item[21]))
            out->flight_level = asterix_s(p, 2) / 4.0;
        if ((p = r->item[26]))
            ground_vector(p, true, out);
        if ((p = r->item[29]))
            asterix_callsign(p, out->callsign);
    }
    if (isfinite(out->flight_level))
        out->altitude_ft = out->flight_level * 100.0;
}
