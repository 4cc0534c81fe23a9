/* test_theater.c -- the built-in East Asia theater: published vertices, validity, facts.
 *
 * The ADIZ vertices are checked against the published values (degrees-minutes-seconds as
 * printed in the sources, converted here), so a typo in the data or in the generator
 * fails. The facts are the ones the story depends on: Ieodo lies in three ADIZs and in
 * nobody's territorial airspace; the Tsushima channels are 3 NM straits; Liancourt Rocks
 * are in both claimants' airspace. */
#include <geodesic.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "adizwatch/theater.h"
#include "adizwatch/zones.h"
#include "check.h"

static double dms(double d, double m, double s) { return d + m / 60.0 + s / 3600.0; }

typedef struct { double lat, lon; } ll;

/* KADIZ 2013, in polygon order (MND 2013-12-08 / CIMSEC / Incheon FIR). */
static const ll kadiz[12] = {
    {39, 123.5}, {39, 133}, {37 + 17 / 60.0, 133}, {36, 130.5}, {35 + 13 / 60.0, 129.8},
    {34 + 43 / 60.0, 129.15}, {34 + 17 / 60.0, 128 + 52 / 60.0}, {32.5, 127.5},
    {32.5, 126 + 50 / 60.0}, {30, 125 + 25 / 60.0}, {30, 124}, {37, 124}};

static json_t *feature(json_t *root, const char *id)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(root, "features"), i, f) {
        const char *fid = json_string_value(json_object_get(json_object_get(f, "properties"), "id"));
        if (fid && strcmp(fid, id) == 0)
            return f;
    }
    return NULL;
}

/* The outer ring of a Polygon feature. */
static json_t *outer(json_t *f)
{
    return json_array_get(json_object_get(json_object_get(f, "geometry"), "coordinates"), 0);
}

static bool vertex_eq(json_t *pos, double lat, double lon)
{
    return fabs(json_number_value(json_array_get(pos, 0)) - lon) < 1e-9 &&
           fabs(json_number_value(json_array_get(pos, 1)) - lat) < 1e-9;
}

/* Is (lat, lon) one of the ring's vertices, to 1e-9 degree (0.1 mm)? */
static bool has_vertex(json_t *ring, double lat, double lon)
{
    size_t i;
    json_t *pos;
    json_array_foreach(ring, i, pos)
        if (vertex_eq(pos, lat, lon))
            return true;
    return false;
}

static void check_vertices(json_t *root)
{
    json_t *ring = outer(feature(root, "KADIZ"));
    CHECK(json_array_size(ring) == 13);
    for (int i = 0; i < 12; i++)
        CHECK(vertex_eq(json_array_get(ring, (size_t)i), kadiz[i].lat, kadiz[i].lon));
    CHECK(vertex_eq(json_array_get(ring, 12), kadiz[0].lat, kadiz[0].lon));
    /* The Tsushima stretch (vertices 6-7) is marked uncertain by 3 NM. */
    json_t *unc = json_array_get(
        json_object_get(json_object_get(feature(root, "KADIZ"), "properties"), "uncertain_segments"), 0);
    CHECK(json_number_value(json_object_get(unc, "tolerance_nm")) == 3);
    CHECK(vertex_eq(json_object_get(unc, "from"), kadiz[5].lat, kadiz[5].lon));
    CHECK(vertex_eq(json_object_get(unc, "to"), kadiz[6].lat, kadiz[6].lon));

    const ll cadiz[6] = {{dms(33, 11, 0), dms(121, 47, 0)}, {dms(33, 11, 0), 125},
                         {31, dms(128, 20, 0)},             {dms(25, 38, 0), 125},
                         {dms(24, 45, 0), 123},             {dms(26, 44, 0), dms(120, 58, 0)}};
    ring = outer(feature(root, "CADIZ-ECS"));
    for (int i = 0; i < 6; i++)
        CHECK(has_vertex(ring, cadiz[i].lat, cadiz[i].lon));

    const ll jadiz[11] = {
        {dms(45, 45, 7), dms(138, 44, 47)}, {dms(40, 40, 9), dms(132, 59, 50)},
        {dms(37, 17, 10), dms(132, 59, 50)}, {dms(36, 0, 11), dms(130, 29, 51)},
        {dms(35, 13, 11), dms(129, 47, 52)}, {dms(33, 0, 12), dms(126, 59, 53)},
        {dms(33, 0, 12), dms(124, 59, 53)},  {30, 125}, {29, 124}, {28, 123}, {23, 123}};
    ring = outer(feature(root, "JADIZ"));
    for (int i = 0; i < 11; i++)
        CHECK(has_vertex(ring, jadiz[i].lat, jadiz[i].lon));

    const ll tw[5] = {{21, 117.5}, {21, 121.5}, {22.5, 123}, {29, 123}, {29, 117.5}};
    ring = outer(feature(root, "TWADIZ"));
    CHECK(json_array_size(ring) == 6);
    for (int i = 0; i < 5; i++)
        CHECK(vertex_eq(json_array_get(ring, (size_t)i), tw[i].lat, tw[i].lon));
}

/* Every zone names its source and accuracy. */
static void check_properties(json_t *root)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(root, "features"), i, f) {
        json_t *p = json_object_get(f, "properties");
        const char *keys[] = {"id", "name", "kind", "owner", "edges", "source", "accuracy"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            CHECK(json_string_length(json_object_get(p, keys[k])) > 0);
    }
}

static bool in(const aw_zone_set *zs, const char *id, double lat, double lon)
{
    int z = aw_zones_find(zs, id);
    CHECK(z >= 0);
    return z >= 0 && aw_zone_contains(zs, z, lat, lon, NAN);
}

static bool in_place(const aw_zone_set *zs, const char *id, const char *place)
{
    const aw_place *p = aw_place_find(place);
    CHECK(p != NULL);
    return p && in(zs, id, p->lat, p->lon);
}

static void check_facts(const aw_zone_set *zs)
{
    CHECK(in_place(zs, "KADIZ", "Ieodo"));
    CHECK(in_place(zs, "CADIZ-ECS", "Ieodo"));
    CHECK(in_place(zs, "JADIZ", "Ieodo"));
    CHECK(!in_place(zs, "TA-KR", "Ieodo")); /* a submerged reef, nobody's territory */
    CHECK(!in_place(zs, "TA-CN", "Ieodo"));
    CHECK(in_place(zs, "KADIZ", "Seoul"));
    CHECK(in_place(zs, "JADIZ", "Tokyo"));
    CHECK(in_place(zs, "TWADIZ", "Taipei"));
    CHECK(!in_place(zs, "KADIZ", "Tokyo"));
    CHECK(in_place(zs, "TA-KR", "Ulleungdo"));
    CHECK(in_place(zs, "TA-KR", "Jeju"));
    CHECK(in_place(zs, "TA-KR", "Liancourt Rocks"));
    CHECK(in_place(zs, "TA-JP", "Dokdo")); /* found by its other name */
    CHECK(in_place(zs, "TA-JP", "Senkaku/Diaoyu Islands"));
    CHECK(in_place(zs, "TA-CN", "Diaoyu Dao"));
    CHECK(in_place(zs, "TA-TW", "Diaoyutai"));
    CHECK(in_place(zs, "TA-RU", "Vladivostok"));
    CHECK(in_place(zs, "TA-CN", "Shanghai"));

    /* Tsushima west channel: the middle between Busan and Tsushima is nobody's airspace,
     * and 15 km west of Tsushima's centre (about 8 km off its coast) is outside Japan's
     * 3 NM strait limit though it would be inside 12 NM. */
    const aw_place *busan = aw_place_find("Busan"), *tsushima = aw_place_find("Tsushima");
    double s12, azi1, lat, lon;
    {
        struct geod_geodesic g;
        geod_init(&g, 6378137, 1 / 298.257223563);
        geod_inverse(&g, busan->lat, busan->lon, tsushima->lat, tsushima->lon, &s12, &azi1, NULL);
        geod_direct(&g, busan->lat, busan->lon, azi1, s12 / 2, &lat, &lon, NULL);
        CHECK(!in(zs, "TA-JP", lat, lon));
        CHECK(!in(zs, "TA-KR", lat, lon));
        geod_direct(&g, tsushima->lat, tsushima->lon, 270, 15000, &lat, &lon, NULL);
        CHECK(!in(zs, "TA-JP", lat, lon));
        /* Outside the straits Japan's airspace reaches 12 NM: 20 km north of Dogo (Oki). */
        const aw_place *oki = aw_place_find("Oki Islands");
        geod_direct(&g, oki->lat, oki->lon, 0, 20000, &lat, &lon, NULL);
        CHECK(in(zs, "TA-JP", lat, lon));
    }

    /* Yonaguni: since 2010 the JADIZ bulges 14 NM west of 123E around the island. */
    CHECK(in(zs, "JADIZ", 24.45, 122.78));
    CHECK(in(zs, "TWADIZ", 24.45, 122.78));
    CHECK(!in(zs, "JADIZ", 24.45, 122.57));
    CHECK(!in(zs, "JADIZ", 26.0, 122.9)); /* 123E is the boundary elsewhere */

    /* What the reference puts outside the JADIZ altogether: the Northern Territories and
     * Ogasawara (with the Volcano Islands). */
    CHECK(!in(zs, "JADIZ", 44.0, 145.8));   /* Kunashir */
    CHECK(in(zs, "TA-JP", 44.0, 145.8) && in(zs, "TA-RU", 44.0, 145.8)); /* disputed land */
    CHECK(!in(zs, "JADIZ", 43.8, 146.72));  /* Shikotan */
    CHECK(!in(zs, "JADIZ", 45.0, 147.8));   /* Iturup / Etorofu */
    CHECK(!in(zs, "JADIZ", 27.09, 142.19)); /* Chichijima */
    CHECK(!in(zs, "JADIZ", 24.78, 141.32)); /* Iwo To */
    /* Nemuro Strait: the directive's line is 3 NM off mainland Hokkaido, so mid-strait
     * toward Kunashir is outside. */
    CHECK(!in(zs, "JADIZ", 43.8, 145.3));
    /* What it covers out to sea: the Izu islands, the Daito islands, the Pacific off
     * Okinawa where the 7 Jun 2023 patrol turned (about 23N 132.6E: inside, on both sides
     * of the old closure's 23N edge), and the Sea of Japan up to points (1)-(2). */
    CHECK(in(zs, "JADIZ", 33.1, 139.8));    /* Hachijojima */
    CHECK(in(zs, "JADIZ", 25.85, 131.23));  /* Minami-Daito */
    CHECK(in(zs, "JADIZ", 22.9, 132.6) && in(zs, "JADIZ", 23.1, 132.6));
    CHECK(in(zs, "JADIZ", 45.6, 138.9));    /* just inside point (1) */
    CHECK(!in(zs, "JADIZ", 46.3, 141.3));   /* off Moneron, Sakhalin's side of the median */
}

/* The JADIZ keeps no edge of the old closure of convenience (23N, 150E, 45-45N east of
 * Hokkaido): what the published points do not give is drawn by rule, and says so. */
static void check_jadiz_rules(json_t *root)
{
    json_t *f = feature(root, "JADIZ");
    json_t *ring = outer(f);
    size_t i;
    json_t *pos;
    json_array_foreach(ring, i, pos) {
        double lon = json_number_value(json_array_get(pos, 0));
        double lat = json_number_value(json_array_get(pos, 1));
        CHECK(lon < 149.9);
        /* At 23N 123E the inferred line meets the median with Taiwan (300 m east). */
        CHECK(!(fabs(lat - 23) < 1e-9 && lon > 123.01));
        CHECK(!(fabs(lat - dms(45, 45, 7)) < 1e-9 && lon > 142.0));
    }
    json_t *p = json_object_get(f, "properties");
    CHECK(strstr(json_string_value(json_object_get(p, "accuracy")), "DRAWN BY RULE") != NULL);
    json_t *out = json_object_get(p, "outside");
    CHECK(json_array_size(out) == 2);
    CHECK(strstr(json_string_value(json_array_get(out, 0)), "Northern Territories") != NULL);
    CHECK(strstr(json_string_value(json_array_get(out, 1)), "Ogasawara") != NULL);
}

static void check_where(void)
{
    const aw_place *ieodo = aw_place_find("ieodo");
    CHECK(ieodo != NULL);
    struct geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    double lat, lon;
    geod_direct(&g, ieodo->lat, ieodo->lon, 315, 126000, &lat, &lon, NULL);
    char buf[128];
    int n = aw_where(lat, lon, buf, sizeof buf);
    CHECK_STR(buf, "126 km NW of Ieodo");
    CHECK(n == (int)strlen(buf));
    aw_where(ieodo->lat, ieodo->lon, buf, sizeof buf);
    CHECK_STR(buf, "at Ieodo");
    char small[8];
    CHECK(aw_where(lat, lon, small, sizeof small) == n); /* truncated, full length back */
    CHECK(strlen(small) == 7);
    CHECK(aw_where(NAN, 125, buf, sizeof buf) == -1);
    CHECK_STR(aw_compass16(0), "N");
    CHECK_STR(aw_compass16(11.24), "N");
    CHECK_STR(aw_compass16(11.25), "NNE");
    CHECK_STR(aw_compass16(348.76), "N");
    CHECK_STR(aw_compass16(-45), "NW");
    CHECK_STR(aw_compass16(202.5), "SSW");
    double s, azi;
    const aw_place *p = aw_place_nearest(37.6, 131.0, &s, &azi);
    CHECK(p && strcmp(p->name, "Ulleungdo") == 0);
    CHECK(s > 10000 && s < 20000);
    CHECK(aw_places_count() > 20);
    CHECK(aw_place_at(aw_places_count()) == NULL);
}

static void check_airbases(void)
{
    const aw_airbase *komatsu = aw_airbase_find("rjnk");
    CHECK(komatsu && strcmp(komatsu->country, "JP") == 0);
    CHECK(komatsu && komatsu->alert_min == 5);
    const aw_airbase *seosan = aw_airbase_find("RKTP");
    CHECK(seosan && seosan->alert_min == 8);
    const aw_airbase *daegu = aw_airbase_find("RKTN");
    CHECK(daegu && isnan(daegu->alert_min) && daegu->radius_km == 1800);
    const aw_airbase *ukrainka = aw_airbase_find("UHBU");
    CHECK(ukrainka && strcmp(ukrainka->country, "RU") == 0);
    CHECK(aw_airbase_find("XXXX") == NULL);
    /* The Su-35S escort's base of the 30 Nov 2022 scenario: approximate, and said so. */
    const aw_airbase *uglovaya = aw_airbase_find("ru-uglovaya");
    CHECK(uglovaya && strstr(uglovaya->coord_source, "APPROXIMATE") != NULL);
    CHECK(uglovaya && strstr(uglovaya->aircraft, "Su-35S") != NULL);
    for (int i = 0; i < aw_airbases_count(); i++) {
        const aw_airbase *b = aw_airbase_at(i);
        /* An ICAO code, or a local "CC-NAME" identifier for a field without a known one
         * (never a made-up 4-letter code). */
        CHECK(strlen(b->icao) == 4 || (strlen(b->icao) > 3 && b->icao[2] == '-'));
        CHECK(b->coord_source[0] && b->performance_source[0]);
        CHECK(b->cruise_kmh > 0);
    }
}

static void check_airports(void)
{
    CHECK(aw_airports_count() > 100);
    const aw_airport *icn = aw_airport_find("ICN"); /* by IATA code */
    CHECK(icn && strcmp(icn->ident, "RKSI") == 0 && icn->large && strcmp(icn->country, "KR") == 0);
    CHECK(aw_airport_find("rjtt") != NULL);
    CHECK(aw_airport_find("") == NULL && aw_airport_find("ZZZZ") == NULL);
    for (int i = 0; i < aw_airports_count(); i++) {
        const aw_airport *a = aw_airport_at(i);
        CHECK(a->lat >= 18 && a->lat <= 50 && a->lon >= 115 && a->lon <= 150);
    }
    CHECK(aw_airport_at(-1) == NULL);
    if (icn) {
        double s;
        const aw_airport *near = aw_airport_nearest(icn->lat + 0.01, icn->lon, &s);
        CHECK(near == icn);
        CHECK_NEAR(s, 1109, 2); /* 0.01 degree of latitude at 37.5N */
    }
    CHECK(aw_airport_nearest(NAN, 0, NULL) == NULL);
}

static int unknown_problems;
static void count_problem(int f, const char *id, const char *msg, void *user)
{
    (void)f, (void)id, (void)msg, (void)user;
    unknown_problems++;
}

int main(void)
{
    size_t len = 0;
    const char *text = aw_theater_geojson("east-asia", &len);
    CHECK(text != NULL && len > 1000);
    CHECK(aw_theater_geojson("west-asia", NULL) == NULL);
    CHECK(aw_theater_load("nowhere", count_problem, NULL) == NULL);
    CHECK(unknown_problems == 1);

    json_error_t err;
    json_t *root = json_loadb(text, len, 0, &err);
    CHECK(root != NULL);
    check_vertices(root);
    check_properties(root);
    check_jadiz_rules(root);
    json_decref(root);

    aw_zone_set *zs = aw_theater_load("east-asia", NULL, NULL);
    CHECK(zs != NULL);
    if (zs) {
        CHECK(aw_zones_count(zs) == 10);
        const char *adiz[] = {"KADIZ", "CADIZ-ECS", "JADIZ", "TWADIZ"};
        for (int i = 0; i < 4; i++) {
            const aw_zone_info *zi = aw_zones_info(zs, aw_zones_find(zs, adiz[i]));
            CHECK(zi->edges == AW_EDGE_RHUMB && strcmp(zi->kind, "adiz") == 0);
        }
        const char *ta[] = {"TA-JP", "TA-KR", "TA-CN", "TA-TW", "TA-RU", "TA-KP"};
        for (int i = 0; i < 6; i++)
            CHECK(aw_zones_find(zs, ta[i]) >= 0 &&
                  strcmp(aw_zones_info(zs, aw_zones_find(zs, ta[i]))->kind, "territorial") == 0);
        check_facts(zs);
        aw_zones_free(zs);
    }
    check_where();
    check_airbases();
    check_airports();
    return check_done("theater");
}
