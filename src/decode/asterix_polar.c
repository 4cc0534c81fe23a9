/* asterix_polar.c -- a radar's polar measurement to a WGS84 position, and the
 * --radar-site option that says where the radar is.
 *
 * A radar measures slant range rho (straight line from the antenna to the target) and
 * azimuth theta. With the target's height (from its Mode C flight level) and the
 * antenna's, the triangle centre-of-earth / antenna / target gives the angle at the
 * centre, hence the ground range along the surface. The earth is taken locally as a
 * sphere of the ellipsoid's Gaussian mean radius sqrt(M N) at the site; the ground range
 * is then laid along the geodesic from the site at azimuth theta (PROJ geod_direct).
 * Approximations, documented in docs/decode.md: the flight level (pressure altitude) is
 * used as the height above the ellipsoid -- a few hundred metres of height error move
 * the ground range by metres at long range, more only close to the radar at high
 * elevation; no refraction correction; theta taken from true north. Without a flight
 * level the target is put at the site's height (ground range ~ slant range). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "adizwatch/decode.h"
#include "geo/geo.h"

int aw_radar_site_parse(const char *s, aw_radar_site *out)
{
    int sac, sic, n = 0;
    double lat, lon, h;
    if (sscanf(s, "%d/%d=%lf,%lf,%lf%n", &sac, &sic, &lat, &lon, &h, &n) != 5 || s[n] != '\0')
        return -1;
    if (sac < 0 || sac > 255 || sic < 0 || sic > 255 || !(fabs(lat) <= 90) ||
        !(fabs(lon) <= 180) || !isfinite(h))
        return -1;
    out->sac = sac;
    out->sic = sic;
    out->lat = lat;
    out->lon = lon;
    out->height_m = h;
    return 0;
}

void aw_polar_to_wgs84(const aw_radar_site *site, double rho_nm, double theta_deg,
                       double alt_m, double *lat, double *lon)
{
    double e2 = AW_WGS84_F * (2 - AW_WGS84_F);
    double s = sin(site->lat * AW_DEG);
    double w = sqrt(1 - e2 * s * s);
    double n_rad = AW_WGS84_A / w;                       /* prime vertical */
    double m_rad = AW_WGS84_A * (1 - e2) / (w * w * w);  /* meridian */
    double r = sqrt(m_rad * n_rad);
    double rho = rho_nm * 1852.0;
    double hs = site->height_m, ht = isfinite(alt_m) ? alt_m : site->height_m;
    double a = r + hs, b = r + ht;
    double c = (a * a + b * b - rho * rho) / (2 * a * b);
    if (c > 1)
        c = 1; /* rho shorter than the height difference: straight overhead */
    if (c < -1)
        c = -1;
    double ground = r * acos(c);
    double lat2, lon2;
    geod_direct(aw_wgs84(), site->lat, site->lon, theta_deg, ground, &lat2, &lon2, NULL);
    *lat = lat2;
    *lon = lon2;
}
