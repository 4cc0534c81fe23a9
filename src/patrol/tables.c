/* tables.c -- what the patrol analysis knows: aircraft classes, strait gates, airfields.
 *
 * The class table holds the types that take part in bomber patrols around Japan, Korea
 * and Taiwan and the fighters that meet them; a type not in it is "unknown" (and so is
 * neither bomber nor fighter: a group of unknown types is never called escorted). The
 * strait gates are polylines across each strait between headlands and islands whose
 * positions are recalled, not surveyed: good to a few kilometres, plenty for a gate
 * tens of kilometres long, but approximate, and marked so. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "adizwatch/patrol.h"
#include "adizwatch/theater.h"
#include "geo/geo.h"

/* ---- classes ------------------------------------------------------------------------ */

typedef struct class_entry {
    const char *designation; /* as written, hyphen optional when matching */
    aw_aircraft_class cls;
} class_entry;

static const class_entry classes[] = {
    /* Bombers: Chinese H-6 family (H-6K, H-6N, H-6J...), Russian long-range aviation,
     * US bombers. */
    {"H-6", AW_CLASS_BOMBER},
    {"Tu-95", AW_CLASS_BOMBER},
    {"Tu-160", AW_CLASS_BOMBER},
    {"Tu-22M", AW_CLASS_BOMBER},
    {"B-52", AW_CLASS_BOMBER},
    {"B-1", AW_CLASS_BOMBER},
    {"B-2", AW_CLASS_BOMBER},
    {"JH-7", AW_CLASS_BOMBER},
    /* Fighters (multirole and interceptors). */
    {"Su-35", AW_CLASS_FIGHTER},
    {"Su-30", AW_CLASS_FIGHTER},
    {"Su-27", AW_CLASS_FIGHTER},
    {"Su-34", AW_CLASS_FIGHTER},
    {"MiG-31", AW_CLASS_FIGHTER},
    {"MiG-29", AW_CLASS_FIGHTER},
    {"J-16", AW_CLASS_FIGHTER},
    {"J-11", AW_CLASS_FIGHTER},
    {"J-10", AW_CLASS_FIGHTER},
    {"J-15", AW_CLASS_FIGHTER},
    {"J-20", AW_CLASS_FIGHTER},
    {"F-15", AW_CLASS_FIGHTER},
    {"F-16", AW_CLASS_FIGHTER},
    {"F-2", AW_CLASS_FIGHTER},
    {"F-35", AW_CLASS_FIGHTER},
    {"F-22", AW_CLASS_FIGHTER},
    {"F-4", AW_CLASS_FIGHTER},
    {"KF-16", AW_CLASS_FIGHTER},
    {"KF-21", AW_CLASS_FIGHTER},
    {"FA-50", AW_CLASS_FIGHTER},
    {"F-5", AW_CLASS_FIGHTER},
    {"IDF", AW_CLASS_FIGHTER},
    {"Mirage 2000", AW_CLASS_FIGHTER},
    /* Others seen with or near patrols: AEW&C, ELINT/reconnaissance, ASW, tankers. */
    {"Y-9", AW_CLASS_OTHER},
    {"Y-8", AW_CLASS_OTHER},
    {"Y-20", AW_CLASS_OTHER},
    {"KJ-500", AW_CLASS_OTHER},
    {"KJ-200", AW_CLASS_OTHER},
    {"KJ-2000", AW_CLASS_OTHER},
    {"Tu-214R", AW_CLASS_OTHER},
    {"Tu-214", AW_CLASS_OTHER},
    {"Il-20", AW_CLASS_OTHER},
    {"Il-38", AW_CLASS_OTHER},
    {"Il-78", AW_CLASS_OTHER},
    {"A-50", AW_CLASS_OTHER},
    {"Tu-142", AW_CLASS_OTHER},
    {"An-26", AW_CLASS_OTHER},
    {"WZ-7", AW_CLASS_OTHER},
    {"WZ-10", AW_CLASS_OTHER},
    {"TB-001", AW_CLASS_OTHER},
    {"E-767", AW_CLASS_OTHER},
    {"E-2", AW_CLASS_OTHER},
    {"E-737", AW_CLASS_OTHER},
    {"RC-135", AW_CLASS_OTHER},
    {"P-3", AW_CLASS_OTHER},
    {"P-8", AW_CLASS_OTHER},
    {"P-1", AW_CLASS_OTHER},
    {"KC-330", AW_CLASS_OTHER},
    {"KC-135", AW_CLASS_OTHER},
    {"KC-767", AW_CLASS_OTHER},
};

/* Upper-case letters and digits of s, hyphens dropped, other characters as one space:
 * "Xian H-6K (CN)" -> " XIAN H6K CN ". */
static void normalise(const char *s, char *out, size_t n)
{
    size_t k = 0;
    if (n < 3)
        return;
    out[k++] = ' ';
    for (; *s && k + 2 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '-')
            continue;
        if (isalnum(c))
            out[k++] = (char)toupper(c);
        else if (out[k - 1] != ' ')
            out[k++] = ' ';
    }
    if (out[k - 1] != ' ')
        out[k++] = ' ';
    out[k] = '\0';
}

/* Does the designation d (normalised, without the surrounding spaces) occur in t as a
 * word start, not followed by a digit when it ends in one (suffix letters allowed: H-6
 * matches H-6K but not H-60; Tu-22M matches Tu-22M3)? */
static bool has_designation(const char *t, const char *d)
{
    size_t len = strlen(d);
    bool ends_in_digit = len && isdigit((unsigned char)d[len - 1]);
    for (const char *p = strstr(t, d); p; p = strstr(p + 1, d))
        if (p[-1] == ' ' && !(ends_in_digit && isdigit((unsigned char)p[len])))
            return true;
    return false;
}

aw_aircraft_class aw_aircraft_class_of(const char *type)
{
    if (!type || !*type)
        return AW_CLASS_UNKNOWN;
    char t[160], d[40];
    normalise(type, t, sizeof t);
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        normalise(classes[i].designation, d, sizeof d);
        d[strlen(d) - 1] = '\0'; /* drop the trailing space: suffix letters may follow */
        if (has_designation(t, d + 1))
            return classes[i].cls;
    }
    if (strstr(t, " BOMBER"))
        return AW_CLASS_BOMBER;
    if (strstr(t, " FIGHTER"))
        return AW_CLASS_FIGHTER;
    return AW_CLASS_UNKNOWN;
}

const char *aw_aircraft_class_name(aw_aircraft_class c)
{
    switch (c) {
    case AW_CLASS_BOMBER: return "bomber";
    case AW_CLASS_FIGHTER: return "fighter";
    case AW_CLASS_OTHER: return "other";
    default: return "unknown";
    }
}

/* ---- straits ------------------------------------------------------------------------ */

#define RECALLED_COAST                                                                             \
    "headland and island positions recalled from charts and Wikipedia, "                           \
    "not surveyed: approximate (+-0.05 deg)"

static const aw_strait straits[] = {
    {"Tsushima Strait",
     "Korea Strait / Tsushima Channel / Western Channel",
     5,
     {35.05, 34.68, 34.09, 33.78, 33.52},
     {129.00, 129.45, 129.21, 129.70, 129.88},
     {"western channel (Korea Strait)", "over Tsushima", "eastern channel", "eastern channel"},
     "Busan coast (Dadaepo) -> Tsushima north tip -> Tsushima south tip (Tsutsu) -> Iki -> "
     "Kyushu (Higashi-Matsuura); " RECALLED_COAST},
    {"Miyako Strait",
     "Okinawa-Miyako gap",
     2,
     {24.72, 26.08},
     {125.47, 127.71},
     {"", "", "", ""},
     "Miyako-jima east cape (Higashi-hennazaki) -> Okinawa south cape (Kyan); the reference "
     "notes give about 24.8N 125.3E and 26.2N 127.7E; " RECALLED_COAST},
    {"Osumi Strait",
     "Osumi Kaikyo / Van Diemen Strait",
     3,
     {30.44, 30.99, 30.80},
     {130.52, 130.66, 130.96},
     {"west of Cape Sata (to Yakushima)", "east of Cape Sata (to Tanegashima)", "", ""},
     "Yakushima north coast -> Cape Sata -> Tanegashima north tip; " RECALLED_COAST},
    {"Tsugaru Strait",
     "Tsugaru Kaikyo",
     2,
     {41.53, 41.73},
     {140.91, 140.99},
     {"", "", "", ""},
     "Cape Oma (Honshu) -> Cape Shiokubi (Hokkaido), the narrows; " RECALLED_COAST},
    {"Soya Strait",
     "La Perouse Strait",
     2,
     {45.52, 45.90},
     {141.94, 142.08},
     {"", "", "", ""},
     "Cape Soya (Hokkaido) -> Cape Crillon (Sakhalin); " RECALLED_COAST},
    {"Taiwan Strait",
     "Formosa Strait",
     2,
     {25.45, 24.85},
     {119.78, 120.93},
     {"", "", "", ""},
     "Pingtan Island (Fujian) -> Hsinchu coast (Taiwan), the narrows; a gate across the "
     "strait: flights along it cross, flights from the mainland toward Taiwan do "
     "not; " RECALLED_COAST},
};

#define NSTRAITS ((int)(sizeof straits / sizeof straits[0]))

int aw_straits_count(void)
{
    return NSTRAITS;
}

const aw_strait *aw_strait_at(int i)
{
    return i >= 0 && i < NSTRAITS ? &straits[i] : NULL;
}

/* Segments p + t r and q + u s in a local plane (x = lon cos lat0, y = lat). */
int aw_strait_crossing(const aw_strait *s, double lat_a, double lon_a, double lat_b, double lon_b,
                       double *u_out)
{
    double c = cos(0.5 * (lat_a + lat_b) * AW_DEG);
    double px = lon_a * c, py = lat_a, rx = (lon_b - lon_a) * c, ry = lat_b - lat_a;
    int best = -1;
    double best_t = 2;
    for (int i = 0; i + 1 < s->n; i++) {
        double qx = s->lon[i] * c, qy = s->lat[i];
        double sx = (s->lon[i + 1] - s->lon[i]) * c, sy = s->lat[i + 1] - s->lat[i];
        double den = rx * sy - ry * sx;
        if (fabs(den) < 1e-15)
            continue; /* parallel: a step along the gate does not cross it */
        double t = ((qx - px) * sy - (qy - py) * sx) / den;
        double u = ((qx - px) * ry - (qy - py) * rx) / den;
        /* Half-open on the step (t in [0, 1)) so that a fix exactly on the gate counts once. */
        if (t >= 0 && t < 1 && u >= 0 && u <= 1 && t < best_t) {
            best = i;
            best_t = t;
        }
    }
    if (best >= 0 && u_out)
        *u_out = best_t;
    return best;
}

/* ---- airfields ---------------------------------------------------------------------- */

int aw_field_nearest(double lat, double lon, aw_field *out, double *dist_m)
{
    if (!isfinite(lat) || !isfinite(lon))
        return -1;
    double best = INFINITY;
    const aw_airport *ap = aw_airport_nearest(lat, lon, &best);
    if (ap) {
        /* An air base of the bases table under the same code keeps its name there
         * ("Daegu AB (K-2)", not the airport table's "Daegu Airport"): one field, one name. */
        /* The ICAO code where OurAirports has one only as the GPS code (RU-0327 = UHWV). */
        const char *code = ap->gps_code[0] && strchr(ap->ident, '-') ? ap->gps_code : ap->ident;
        const aw_airbase *same = aw_airbase_find(code);
        *out = (aw_field){code,        same ? same->name : ap->name,
                          ap->country, ap->lat,
                          ap->lon,     isnan(ap->elevation_ft) ? 0 : ap->elevation_ft};
    }
    for (int i = 0; i < aw_airbases_count(); i++) {
        const aw_airbase *b = aw_airbase_at(i);
        /* Cheap prefilter: a degree of latitude is 111 km. */
        if (fabs(b->lat - lat) * 111e3 > best)
            continue;
        double d = aw_geodesic_distance(lat, lon, b->lat, b->lon);
        if (d < best) {
            best = d;
            *out = (aw_field){b->icao, b->name, b->country, b->lat, b->lon, 0};
        }
    }
    if (!isfinite(best))
        return -1;
    if (dist_m)
        *dist_m = best;
    return 0;
}
