/* places.c -- reference points for describing positions: "126 km NW of Ieodo".
 *
 * The ROK JCS and the Japanese Joint Staff describe incursions relative to a few well-
 * known places (Ieodo, Ulleungdo, Pohang, Tsushima, the Miyako gap ...). This table holds
 * those places with their coordinates and the source of each; aw_where picks the nearest
 * one and gives the 16-point bearing and the geodesic distance (WGS84, PROJ geodesic). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "adizwatch/theater.h"
#include "geo/geo.h"

#include <geodesic.h>

/* Sources: "verified" entries were checked against the cited page while building this
 * table; "recalled" entries are the Wikipedia article coordinates as commonly published,
 * not re-checked here, good to about 0.05 degree -- enough for "N km BEARING of" text,
 * and marked so in the source string. */
#define RECALLED "Wikipedia (en) article coordinates, recalled, not re-verified (+-0.05 deg)"

static const aw_place places[] = {
    {"Ieodo", "Socotra Rock / Suyan Jiao / Parangdo", "reef", 32.1229528, 125.1824472,
     "Ieodo Ocean Research Station 32-07-22.63N 125-10-56.81E (Wikipedia, verified); "
     "a submerged reef 4.6 m below sea level, not land"},
    {"Marado", "", "island", 33.12, 126.27, RECALLED},
    {"Jeju", "Jeju Island / Cheju / Quelpart", "island", 33.3617, 126.5292,
     "Hallasan summit, centre of Jeju Island; " RECALLED},
    {"Busan", "Pusan", "city", 35.1796, 129.0756, RECALLED},
    {"Pohang", "", "city", 36.03222, 129.36500,
     "36-01-56N 129-21-54E (Wikipedia lt, verified)"},
    {"Ulleungdo", "Ulleung Island / Utsuryo-to / Dagelet", "island", 37.50111, 130.85639,
     "37-30-04N 130-51-23E (Wikipedia en, verified)"},
    {"Liancourt Rocks", "Dokdo / Takeshima", "islet", 37.24167, 131.86667,
     "37-14-30N 131-52-00E (Wikipedia, verified); sovereignty disputed (KR administers, "
     "JP claims)"},
    {"Gangneung", "", "city", 37.7519, 128.8761, RECALLED},
    {"Seoul", "", "city", 37.5665, 126.9780, RECALLED},
    {"Pyongyang", "", "city", 39.0392, 125.7625, RECALLED},
    {"Tsushima", "Tsushima Island", "island", 34.4167, 129.3333, RECALLED},
    {"Iki", "Iki Island", "island", 33.78, 129.72, RECALLED},
    {"Fukuoka", "", "city", 33.5904, 130.4017, RECALLED},
    {"Oki Islands", "Oki / Dogo", "island", 36.233, 133.283,
     "Dogo, the largest Oki island, 36-14N 133-17E (Wikipedia, verified)"},
    {"Noto Peninsula", "Noto", "peninsula", 37.30, 136.90, RECALLED},
    {"Sado", "Sado Island", "island", 38.0, 138.4, RECALLED},
    {"Cape Soya", "Wakkanai", "cape", 45.5225, 141.9364, RECALLED},
    {"Tokyo", "", "city", 35.6895, 139.6917, RECALLED},
    {"Kagoshima", "", "city", 31.5966, 130.5571, RECALLED},
    {"Tanegashima", "", "island", 30.60, 130.98, RECALLED},
    {"Amami Oshima", "Amami", "island", 28.30, 129.45, RECALLED},
    {"Okinawa", "Okinawa Island", "island", 26.50, 127.93, RECALLED},
    {"Miyako", "Miyako-jima / Miyako Island", "island", 24.75, 125.33, RECALLED},
    {"Ishigaki", "Ishigaki Island", "island", 24.34, 124.16, RECALLED},
    {"Yonaguni", "Yonaguni Island", "island", 24.467, 123.000,
     "24-28N 123-00E (Wikipedia, verified)"},
    {"Senkaku/Diaoyu Islands", "Senkaku-shoto / Diaoyu Dao / Diaoyutai", "island", 25.75,
     123.50, "Uotsuri-jima / Diaoyu Dao, the largest islet, from the Natural Earth 1:10m "
     "coastline (approx. 0.05 deg); sovereignty disputed (JP administers, CN and TW claim)"},
    {"Taipei", "", "city", 25.0330, 121.5654, RECALLED},
    {"Wenzhou", "", "city", 28.00, 120.67, RECALLED},
    {"Ningbo", "", "city", 29.87, 121.55, RECALLED},
    {"Shanghai", "", "city", 31.2304, 121.4737, RECALLED},
    {"Nanjing", "", "city", 32.06, 118.80, RECALLED},
    {"Qingdao", "", "city", 36.07, 120.38, RECALLED},
    {"Dalian", "", "city", 38.91, 121.60, RECALLED},
    {"Vladivostok", "", "city", 43.1155, 131.8855, RECALLED},
};

#define NPLACES ((int)(sizeof places / sizeof places[0]))

int aw_places_count(void) { return NPLACES; }

const aw_place *aw_place_at(int i) { return i >= 0 && i < NPLACES ? &places[i] : NULL; }

/* Does name equal one of the " / "-separated names in list (case-insensitive)? */
static bool among(const char *name, const char *list)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *end = strstr(p, " / ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncasecmp(p, name, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 3;
    }
    return false;
}

const aw_place *aw_place_find(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < NPLACES; i++)
        if (strcasecmp(places[i].name, name) == 0 || among(name, places[i].other_names))
            return &places[i];
    return NULL;
}

const aw_place *aw_place_nearest(double lat, double lon, double *dist_m, double *azi_deg)
{
    if (!isfinite(lat) || !isfinite(lon) || lat < -90 || lat > 90)
        return NULL;
    const aw_place *best = NULL;
    double best_s = INFINITY, best_azi = 0;
    for (int i = 0; i < NPLACES; i++) {
        double s, azi1, azi2;
        geod_inverse(aw_wgs84(), places[i].lat, places[i].lon, lat, lon, &s, &azi1, &azi2);
        if (s < best_s) {
            best_s = s;
            best_azi = azi1;
            best = &places[i];
        }
    }
    if (dist_m)
        *dist_m = best_s;
    if (azi_deg)
        *azi_deg = best_azi < 0 ? best_azi + 360 : best_azi;
    return best;
}

const char *aw_compass16(double azimuth_deg)
{
    static const char *const names[16] = {"N",  "NNE", "NE", "ENE", "E",  "ESE", "SE", "SSE",
                                          "S",  "SSW", "SW", "WSW", "W",  "WNW", "NW", "NNW"};
    if (!isfinite(azimuth_deg))
        return "?";
    double a = fmod(azimuth_deg, 360.0);
    if (a < 0)
        a += 360.0;
    return names[(int)floor(a / 22.5 + 0.5) % 16];
}

int aw_where(double lat, double lon, char *buf, size_t n)
{
    double s, azi;
    const aw_place *p = aw_place_nearest(lat, lon, &s, &azi);
    if (!p) {
        if (n > 0)
            buf[0] = '\0';
        return -1;
    }
    if (s < 500.0)
        return snprintf(buf, n, "at %s", p->name);
    return snprintf(buf, n, "%.0f km %s of %s", s / 1000.0, aw_compass16(azi), p->name);
}
