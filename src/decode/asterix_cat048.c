/* asterix_cat048.c -- CAT048, monoradar target reports (edition 1.2x UAP).
 *
 * A radar plot or local track: where the radar saw something (slant range and azimuth
 * from the antenna), its Mode 3/A, Mode C flight level and, with Mode S, its address
 * and identification. Military aircraft that do not squitter still answer radar: this
 * is how a bomber without ADS-B becomes a position. The polar position is turned into
 * WGS84 with the radar site of the record's SAC/SIC (--radar-site). */
#include <math.h>

#include "decode/asterix_uap.h"

static const item_desc i048_130[] = {FIXED(1, 1), FIXED(2, 1), FIXED(3, 1), FIXED(4, 1),
                                     FIXED(5, 1), FIXED(6, 1), FIXED(7, 1)};
static const item_desc i048_120[] = {FIXED(1, 2), REP(2, 6)};

const item_desc asterix_uap048[] = {
    FIXED(10, 2),  FIXED(140, 3), EXT(20, 1, 1),  FIXED(40, 4),  FIXED(70, 2),
    FIXED(90, 2),  COMPOUND(130, i048_130),
    FIXED(220, 3), FIXED(240, 6), REP(250, 8),    FIXED(161, 2), FIXED(42, 4),
    FIXED(200, 4), EXT(170, 1, 1),
    FIXED(210, 4), EXT(30, 1, 1), FIXED(80, 2),   FIXED(100, 4), FIXED(110, 2),
    COMPOUND(120, i048_120), FIXED(230, 2),
    FIXED(260, 7), FIXED(55, 1),  FIXED(50, 2),   FIXED(65, 1),  FIXED(60, 2),
    EXPL(1000) /* SP */, EXPL(1001) /* RE */,
};
const int asterix_uap048_n = sizeof asterix_uap048 / sizeof asterix_uap048[0];

static const aw_radar_site *find_site(const aw_asterix_context *ctx, int sac, int sic)
{
    for (int i = 0; i < ctx->nsites; i++)
        if (ctx->sites[i].sac == sac && ctx->sites[i].sic == sic)
            return &ctx->sites[i];
    return NULL;
}

void asterix_cat048(aw_asterix_context *ctx, const asterix_record *r, aw_decoded *out)
{
    const uint8_t *p;
    if ((p = r->item[1])) {
        out->sac = p[0];
        out->sic = p[1];
    }
    if ((p = r->item[2]))
        out->time_of_day = asterix_u(p, 3) / 128.0;
    if ((p = r->item[4])) {
        out->rho_nm = asterix_u(p, 2) / 256.0;
        out->theta_deg = asterix_u(p + 2, 2) * (360.0 / 65536.0);
    }
    if ((p = r->item[5]))
        out->mode3a = (int)(asterix_u(p, 2) & 0x0fff);
    if ((p = r->item[6])) {
        /* V, G, then a 14-bit two's complement in 1/4 FL. */
        int32_t v = (int32_t)(asterix_u(p, 2) & 0x3fff);
        if (v & 0x2000)
            v -= 0x4000;
        out->flight_level = v / 4.0;
        out->altitude_ft = out->flight_level * 100.0;
    }
    if ((p = r->item[8]))
        out->icao24 = (int32_t)asterix_u(p, 3);
    if ((p = r->item[9]))
        asterix_callsign(p, out->callsign);
    if ((p = r->item[11]))
        out->track_number = (int)(asterix_u(p, 2) & 0x0fff);
    if ((p = r->item[13])) {
        out->groundspeed_kt = asterix_u(p, 2) * (3600.0 / 16384.0); /* 2^-14 NM/s */
        out->track_deg = asterix_u(p + 2, 2) * (360.0 / 65536.0);
    }
    if (isfinite(out->rho_nm) && out->sac >= 0) {
        const aw_radar_site *site = find_site(ctx, out->sac, out->sic);
        if (site) {
            double alt_m = isfinite(out->flight_level) ? out->flight_level * 100.0 * 0.3048 : NAN;
            aw_polar_to_wgs84(site, out->rho_nm, out->theta_deg, alt_m, &out->lat, &out->lon);
        }
    }
}
