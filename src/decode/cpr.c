/* cpr.c -- Compact Position Reporting: ADS-B's 17-bit latitude/longitude encoding.
 *
 * A position squitter carries the position modulo a zone (6 deg of latitude airborne,
 * 1.5 deg on the surface), alternately in "even" (60 zones) and "odd" (59 zones) frames.
 * Global decoding finds the zone from an even/odd pair; local decoding finds it from a
 * reference known to be within half a zone. Written from the published description
 * (RTCA DO-260B section A.1.7, and the ICAO Annex 10 NL formula); see docs/decode.md. */
#include <math.h>

#include "adizwatch/decode.h"

#define CPR_SCALE 131072.0 /* 2^17 */

/* nl_boundary[i]: the latitude (deg) at and above which NL drops below 59 - i, i.e.
 * NL(lat) = 59 - (number of boundaries <= |lat|). Computed offline from
 * acos(sqrt((1 - cos(pi/30)) / (1 - cos(2 pi / NL)))) for NL = 59 .. 2. */
static const double nl_boundary[58] = {
    10.47047129996848, 14.82817436868679, 18.18626357071335, 21.02939492602846,
    23.54504486557071, 25.82924707058775, 27.93898710121904, 29.91135685731808,
    31.77209707681077, 33.53993436298484, 35.22899597796385, 36.85025107593526,
    38.41241892412256, 39.92256684333861, 41.38651832260239, 42.80914012243555,
    44.19454951419274, 45.54626722660235, 46.86733252498745, 48.16039128096622,
    49.42776439255687, 50.67150165553835, 51.89342469168768, 53.09516152796003,
    54.27817472272900, 55.44378444495043, 56.59318756205918, 57.72747353866114,
    58.84763776148457, 59.95459276694029, 61.04917774246351, 62.13216659210329,
    63.20427479381928, 64.26616522567440, 65.31845309682089, 66.36171008382617,
    67.39646774084667, 68.42322022083330, 69.44242631144024, 70.45451074987599,
    71.45986473028982, 72.45884544728945, 73.45177441667865, 74.43893415725137,
    75.42056256653356, 76.39684390794469, 77.36789461328188, 78.33374082922747,
    79.29428225456925, 80.24923213280512, 81.19801349271948, 82.13956980510606,
    83.07199444719814, 83.99173562980565, 84.89166190702085, 85.75541620944418,
    86.53536997512100, 87.00000000000000,
};

int aw_cpr_nl(double lat)
{
    double a = fabs(lat);
    int nl = 59;
    for (int i = 0; i < 58 && a >= nl_boundary[i]; i++)
        nl--;
    return nl;
}

/* x mod y into [0, y), for y > 0. */
static double mod_pos(double x, double y)
{
    double r = fmod(x, y);
    return r < 0 ? r + y : r;
}

static double wrap_lon(double lon)
{
    lon = mod_pos(lon + 180.0, 360.0) - 180.0;
    return lon;
}

int aw_cpr_global(unsigned lat_even, unsigned lon_even, unsigned lat_odd, unsigned lon_odd,
                  bool most_recent_odd, bool surface, double ref_lat, double ref_lon,
                  double *lat, double *lon)
{
    double span = surface ? 90.0 : 360.0;
    double dlat_e = span / 60.0, dlat_o = span / 59.0;
    double yz_e = lat_even / CPR_SCALE, yz_o = lat_odd / CPR_SCALE;
    double xz_e = lon_even / CPR_SCALE, xz_o = lon_odd / CPR_SCALE;

    double j = floor(59.0 * yz_e - 60.0 * yz_o + 0.5);
    double rlat_e = dlat_e * (mod_pos(j, 60.0) + yz_e);
    double rlat_o = dlat_o * (mod_pos(j, 59.0) + yz_o);
    if (surface) {
        /* Both hemispheres fit a surface pair: [0, 90) or 90 deg south of it. */
        if (isfinite(ref_lat) && fabs(rlat_e - 90.0 - ref_lat) < fabs(rlat_e - ref_lat)) {
            rlat_e -= 90.0;
            rlat_o -= 90.0;
        }
    } else {
        if (rlat_e >= 270.0)
            rlat_e -= 360.0;
        if (rlat_o >= 270.0)
            rlat_o -= 360.0;
    }
    if (rlat_e < -90 || rlat_e > 90 || rlat_o < -90 || rlat_o > 90)
        return -1;
    int nl = aw_cpr_nl(rlat_e);
    if (nl != aw_cpr_nl(rlat_o))
        return -1; /* the pair straddles a longitude-zone boundary */

    double rlat = most_recent_odd ? rlat_o : rlat_e;
    double xz = most_recent_odd ? xz_o : xz_e;
    int ni = nl - (most_recent_odd ? 1 : 0);
    if (ni < 1)
        ni = 1;
    double dlon = span / ni;
    double m = floor(xz_e * (nl - 1) - xz_o * nl + 0.5);
    double rlon = dlon * (mod_pos(m, ni) + xz);
    if (surface) {
        /* Four candidates 90 deg apart: take the one nearest the reference. */
        double base = rlon, best = rlon, best_d = INFINITY;
        for (int k = 0; k < 4; k++) {
            double cand = wrap_lon(base + 90.0 * k);
            double d = fabs(wrap_lon(cand - (isfinite(ref_lon) ? ref_lon : 0.0)));
            if (d < best_d) {
                best_d = d;
                best = cand;
            }
        }
        rlon = best;
    }
    *lat = rlat;
    *lon = wrap_lon(rlon);
    return 0;
}

void aw_cpr_local(unsigned lat_cpr, unsigned lon_cpr, bool odd, bool surface,
                  double ref_lat, double ref_lon, double *lat, double *lon)
{
    double span = surface ? 90.0 : 360.0;
    double yz = lat_cpr / CPR_SCALE, xz = lon_cpr / CPR_SCALE;
    double dlat = span / (odd ? 59.0 : 60.0);
    double j = floor(ref_lat / dlat) + floor(0.5 + mod_pos(ref_lat, dlat) / dlat - yz);
    double rlat = dlat * (j + yz);
    int ni = aw_cpr_nl(rlat) - (odd ? 1 : 0);
    if (ni < 1)
        ni = 1;
    double dlon = span / ni;
    double m = floor(ref_lon / dlon) + floor(0.5 + mod_pos(ref_lon, dlon) / dlon - xz);
    *lat = rlat;
    *lon = wrap_lon(dlon * (m + xz));
}
