/* test_map.c -- the report map: a small synthetic map drawn to PNG and SVG.
 *
 * Land is a TopoJSON written here (quantized, delta-encoded, one ring made of an arc and
 * a reversed arc), the zones a small GeoJSON; the PNG is read back and looked at where
 * the projection says things are: track colours on tracks, land green on land, white
 * sea, the shaded territorial airspace, the observer's ADIZ line. The SVG must be well
 * formed and carry the legend text. */
#include <cairo.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/map.h"
#include "check.h"

/* Island A: 128-130E 34-36N, one arc. Island B: 124-126E 38-40N, arc 1 + arc 2 reversed.
 * Quantized with scale 0.01 degree from 120E 30N. */
static const char topo[] =
    "{\"type\":\"Topology\",\"transform\":{\"scale\":[0.01,0.01],\"translate\":[120,30]},"
    "\"objects\":{\"land\":{\"type\":\"GeometryCollection\",\"geometries\":["
    "{\"type\":\"Polygon\",\"arcs\":[[0]]},{\"type\":\"MultiPolygon\",\"arcs\":[[[1,-3]]]}]}},"
    "\"arcs\":[[[800,400],[200,0],[0,200],[-200,0],[0,-200]],"
    "[[400,800],[200,0],[0,200]],"
    "[[400,800],[0,200],[200,0]]]}";

static const char zones_json[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"XADIZ\",\"kind\":\"adiz\",\"owner\":\"KR\","
    "\"edges\":\"rhumb\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[123,31],[133,31],[133,37],[123,37],[123,31]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"TA-X\",\"kind\":\"territorial\",\"owner\":\"KR\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[127.6,33.6],[130.4,33.6],[130.4,36.4],[127.6,36.4],[127.6,33.6]]]}}]}";

static cairo_surface_t *png;

/* The pixel nearest to where (lat, lon) projects, as 0..255 r, g, b. */
static void pixel_at(const aw_map *m, double lat, double lon, int px[3])
{
    double x, y;
    aw_map_project(m, lat, lon, &x, &y);
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    int ix = (int)x, iy = (int)y;
    if (ix < 0 || iy < 0 || ix >= w || iy >= h) {
        px[0] = px[1] = px[2] = -1;
        return;
    }
    const unsigned char *d = cairo_image_surface_get_data(png);
    uint32_t v = *(const uint32_t *)(d + iy * cairo_image_surface_get_stride(png) + 4 * ix);
    px[0] = (v >> 16) & 255;
    px[1] = (v >> 8) & 255;
    px[2] = v & 255;
}

static bool near_rgb(const int px[3], double r, double g, double b)
{
    return abs(px[0] - (int)(r * 255 + 0.5)) <= 12 && abs(px[1] - (int)(g * 255 + 0.5)) <= 12 &&
           abs(px[2] - (int)(b * 255 + 0.5)) <= 12;
}

/* A tiny well-formedness check: every start tag closed in order, nothing left open. */
static bool xml_balanced(const char *s)
{
    char stack[64][48];
    int depth = 0;
    bool root_seen = false;
    while ((s = strchr(s, '<'))) {
        if (s[1] == '?' || s[1] == '!') {
            s = strchr(s, '>');
            if (!s)
                return false;
            continue;
        }
        bool closing = s[1] == '/';
        const char *name = s + 1 + closing;
        size_t n = strcspn(name, " \t\n/>");
        const char *end = strchr(s, '>');
        if (!end || n == 0 || n >= 48)
            return false;
        if (closing) {
            if (depth == 0 || strncmp(stack[depth - 1], name, n) != 0 || stack[depth - 1][n])
                return false;
            depth--;
        } else if (end[-1] != '/') {
            if (depth == 64 || (depth == 0 && root_seen))
                return false;
            memcpy(stack[depth], name, n);
            stack[depth++][n] = '\0';
            root_seen = true;
        }
        s = end + 1;
    }
    return depth == 0 && root_seen;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    if (p)
        p[n] = '\0';
    fclose(f);
    return p;
}

int main(void)
{
    char dir[] = "/tmp/test_map_XXXXXX", png_path[64], svg_path[64], err[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(png_path, sizeof png_path, "%s/map.png", dir);
    snprintf(svg_path, sizeof svg_path, "%s/map.svg", dir);

    aw_zone_set *zs = aw_zones_load_string(zones_json, strlen(zones_json), NULL, NULL);
    CHECK(zs != NULL);

    /* Track A: two H-6K east along 32N (key "CN"); track B: a Tu-95MS north along 131E. */
    double a_lat[] = {32, 32, 32}, a_lon[] = {122, 127, 134}, a_t[] = {0, 300, 600};
    double a2_lat[] = {32.02, 32.02}, a2_lon[] = {122, 134}, a2_t[] = {0, 600};
    double b_lat[] = {31, 35, 40}, b_lon[] = {131.5, 131.5, 131.5}, b_t[] = {0, 300, 600};
    aw_map_track tracks[] = {
        {"t1", "H-6K", "CN", NULL, a_t, a_lat, a_lon, 3},
        {"t2", "H-6K", "CN", NULL, a2_t, a2_lat, a2_lon, 2},
        {"t3", "Tu-95MS", "RU", NULL, b_t, b_lat, b_lon, 3},
    };
    aw_map_marker marks[] = {{AW_MARK_PLACE, 32.12, 125.18, "Ieodo"},
                             {AW_MARK_ADVICE, 33.0, 127.5, "advised intercept"}};
    aw_map m;
    aw_map_init(&m);
    m.title = "Outline of activity (test)";
    m.subtitle = "synthetic";
    m.zones = zs;
    m.observer = "KR";
    m.land_topojson = topo;
    m.land_len = strlen(topo);
    m.tracks = tracks;
    m.ntracks = 3;
    m.markers = marks;
    m.nmarkers = 2;
    m.tz_offset_s = 9 * 3600;
    m.width = 800;
    m.height = 600;

    /* The projection: inside points map into the frame, far ones do not; north is up. */
    double x1, y1, x2, y2;
    CHECK(aw_map_project(&m, 35, 129, &x1, &y1) == 0);
    CHECK(aw_map_project(&m, 36, 129, &x2, &y2) == 0);
    CHECK(y2 < y1 && fabs(x2 - x1) < 1e-9);
    CHECK(aw_map_project(&m, -40, 10, &x2, &y2) == -1);
    /* Conformal: a degree of latitude is 1/cos(lat) longitude degrees long on the map. */
    CHECK(aw_map_project(&m, 35, 130, &x2, &y2) == 0);
    double dx = x2 - x1, dy;
    aw_map_project(&m, 35.01, 129, &x2, &y2);
    dy = (y1 - y2) / 0.01;
    CHECK_NEAR(dy / dx, 1 / cos(35 * M_PI / 180), 0.01);

    double red[3], other[3];
    CHECK(aw_map_key_rgb(&m, "CN", red) == 0);
    CHECK(aw_map_key_rgb(&m, "RU", other) == 1);
    CHECK(aw_map_key_rgb(&m, "KP", other) == -1);
    aw_map_key_rgb(&m, "RU", other);
    CHECK(fabs(red[0] - other[0]) + fabs(red[1] - other[1]) + fabs(red[2] - other[2]) > 0.3);

    CHECK(aw_map_write_png(&m, png_path, err, sizeof err) == 0);
    png = cairo_image_surface_create_from_png(png_path);
    CHECK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS);
    CHECK(cairo_image_surface_get_width(png) == 800);
    CHECK(cairo_image_surface_get_height(png) == 600);
    int px[3];
    pixel_at(&m, 32, 126.0, px); /* on track A, away from its labels and arrows */
    CHECK(near_rgb(px, red[0], red[1], red[2]));
    pixel_at(&m, 38.0, 131.5, px); /* on track B */
    CHECK(near_rgb(px, other[0], other[1], other[2]));
    pixel_at(&m, 35.3, 129.3, px); /* island A */
    CHECK(near_rgb(px, 0.75, 0.86, 0.75));
    pixel_at(&m, 38.7, 125.3, px); /* island B: its ring joins an arc and a reversed arc */
    CHECK(near_rgb(px, 0.75, 0.86, 0.75));
    pixel_at(&m, 33.8, 127.8, px); /* territorial airspace, at sea: shaded */
    CHECK(near_rgb(px, 0.86, 0.86, 0.90));
    pixel_at(&m, 33.5, 125.5, px); /* open sea */
    CHECK(near_rgb(px, 1, 1, 1));
    /* The observer's ADIZ: its southern edge along 31N is dashed in KR's blue. */
    int blue = 0;
    for (double lon = 124; lon < 128; lon += 0.02) {
        pixel_at(&m, 31, lon, px);
        blue += near_rgb(px, 0.0, 0.30, 0.75);
    }
    CHECK(blue > 20);
    cairo_surface_destroy(png);

    CHECK(aw_map_write_svg(&m, svg_path, err, sizeof err) == 0);
    char *svg = slurp(svg_path);
    CHECK(svg != NULL);
    if (svg) {
        CHECK(strncmp(svg, "<?xml", 5) == 0);
        CHECK(strstr(svg, "<svg") != NULL);
        CHECK(xml_balanced(svg));
        CHECK(strstr(svg, "H-6K \u00d72 (CN)") != NULL);
        CHECK(strstr(svg, "Tu-95MS \u00d71 (RU)") != NULL);
        CHECK(strstr(svg, "XADIZ (KR)") != NULL);
        CHECK(strstr(svg, "advised intercept point") != NULL);
        CHECK(strstr(svg, "times UTC+09:00") != NULL);
        CHECK(strstr(svg, "Outline of activity (test)") != NULL);
        CHECK(strstr(svg, "width=\"800") != NULL);
    }
    free(svg);

    /* The JSON description georeferences the PNG and names the key colours. */
    char json_path[80];
    snprintf(json_path, sizeof json_path, "%s/map.json", dir);
    CHECK(aw_map_write_json(&m, json_path, err, sizeof err) == 0);
    json_t *meta = json_load_file(json_path, 0, NULL);
    CHECK(meta != NULL);
    if (meta) {
        CHECK(json_integer_value(json_object_get(meta, "width")) == 800);
        json_t *area = json_object_get(meta, "area"), *frame = json_object_get(meta, "frame");
        double ax, ay;
        aw_map_project(&m, json_real_value(json_object_get(area, "min_lat")),
                       json_real_value(json_object_get(area, "min_lon")), &ax, &ay);
        CHECK_NEAR(ax, json_real_value(json_object_get(frame, "left")), 1e-6);
        CHECK_NEAR(ay, json_real_value(json_object_get(frame, "bottom")), 1e-6);
        json_t *k0 = json_array_get(json_object_get(meta, "keys"), 0);
        char hex[8];
        snprintf(hex, sizeof hex, "#%02x%02x%02x", (int)lround(red[0] * 255),
                 (int)lround(red[1] * 255), (int)lround(red[2] * 255));
        CHECK(k0 && strcmp(json_string_value(json_object_get(k0, "rgb")), hex) == 0);
        CHECK(k0 && strcmp(json_string_value(json_object_get(k0, "legend")), "H-6K \u00d72 (CN)") == 0);
        CHECK(json_array_size(json_object_get(meta, "tracks")) == 3);
        json_decref(meta);
    }
    unlink(json_path);

    /* Bad land is refused with a reason, and nothing is written. */
    char bad_path[80];
    snprintf(bad_path, sizeof bad_path, "%s/bad.png", dir);
    m.land_topojson = "{\"type\":\"Topology\",\"objects\":{}}";
    m.land_len = strlen(m.land_topojson);
    CHECK(aw_map_write_png(&m, bad_path, err, sizeof err) == -1);
    CHECK(strstr(err, "arcs") != NULL);
    CHECK(access(bad_path, F_OK) != 0);
    m.land_topojson = "{\"type\":\"Topology\",\"objects\":{\"l\":{\"type\":\"Polygon\","
                      "\"arcs\":[[5]]}},\"arcs\":[]}";
    m.land_len = strlen(m.land_topojson);
    CHECK(aw_map_write_svg(&m, bad_path, err, sizeof err) == -1);
    CHECK(strstr(err, "arc") != NULL);

    if (getenv("TEST_MAP_KEEP")) /* to look at the pictures */
        printf("kept %s\n", dir);
    else {
        unlink(png_path);
        unlink(svg_path);
        rmdir(dir);
    }
    aw_zones_free(zs);
    aw_map_release_caches();
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures != 0;
}
