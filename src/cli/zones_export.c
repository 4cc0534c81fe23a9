/* zones_export.c -- `adizwatch zones export`: zone sets out as GeoJSON or KML.
 *
 * The built-in theater is compiled in; exporting it lets an analyst look at it in any GIS
 * (GeoJSON) or in Google Earth (KML), and check it with `zones check`. GeoJSON is written
 * byte for byte as stored; KML is converted feature by feature, with each zone's source
 * and accuracy as its description. KML viewers join vertices by great circles whatever
 * the zone's `edges`, so rhumb edges are written densified (a point every 0.05 degree);
 * geodesic edges need nothing, and planar ones are drawn as great circles. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void xml_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        default: fputc(*s, out);
        }
    }
}

static const char *prop(json_t *props, const char *key)
{
    json_t *v = json_object_get(props, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Spherical isometric latitude: along a rhumb line, longitude is linear in it. */
static double isometric(double lat_deg)
{
    return log(tan(M_PI / 4 + lat_deg * M_PI / 360));
}

static double from_isometric(double psi)
{
    return (2 * atan(exp(psi)) - M_PI / 2) * 180 / M_PI;
}

/* Write the ring's positions; rhumb edges get a point every RHUMB_STEP_DEG at most, so
 * that a viewer joining points by great circles draws them close to the rhumb line (to
 * well under 100 m at this spacing in the theater's latitudes). */
#define RHUMB_STEP_DEG 0.05
static void kml_ring(FILE *out, json_t *ring, const char *tag, bool rhumb)
{
    fprintf(out, "<%s><LinearRing><coordinates>", tag);
    size_t n = json_array_size(ring);
    for (size_t i = 0; i < n; i++) {
        double lon = json_number_value(json_array_get(json_array_get(ring, i), 0));
        double lat = json_number_value(json_array_get(json_array_get(ring, i), 1));
        fprintf(out, "%s%.9g,%.9g", i ? " " : "", lon, lat);
        if (!rhumb || i + 1 == n)
            continue;
        double lon2 = json_number_value(json_array_get(json_array_get(ring, i + 1), 0));
        double lat2 = json_number_value(json_array_get(json_array_get(ring, i + 1), 1));
        int steps = (int)ceil(fmax(fabs(lon2 - lon), fabs(lat2 - lat)) / RHUMB_STEP_DEG);
        double psi1 = isometric(lat), psi2 = isometric(lat2);
        for (int k = 1; k < steps; k++) {
            double t = (double)k / steps;
            fprintf(out, " %.9g,%.9g", lon + t * (lon2 - lon),
                    from_isometric(psi1 + t * (psi2 - psi1)));
        }
    }
    fprintf(out, "</coordinates></LinearRing></%s>", tag);
}

static void kml_polygon(FILE *out, json_t *rings, bool rhumb)
{
    fputs("<Polygon>", out);
    size_t i;
    json_t *ring;
    json_array_foreach(rings, i, ring)
        kml_ring(out, ring, i == 0 ? "outerBoundaryIs" : "innerBoundaryIs", rhumb);
    fputs("</Polygon>", out);
}

static int write_kml(FILE *out, json_t *root)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\n", out);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(root, "features"), i, f) {
        json_t *props = json_object_get(f, "properties");
        json_t *geom = json_object_get(f, "geometry");
        const char *type = json_string_value(json_object_get(geom, "type"));
        json_t *coords = json_object_get(geom, "coordinates");
        bool rhumb = strcmp(prop(props, "edges"), "rhumb") == 0;
        fputs("<Placemark><name>", out);
        xml_text(out, prop(props, "id"));
        fputs("</name><description>", out);
        xml_text(out, prop(props, "name"));
        fputs(". Source: ", out);
        xml_text(out, prop(props, "source"));
        fputs(" Accuracy: ", out);
        xml_text(out, prop(props, "accuracy"));
        fputs("</description>", out);
        if (type && strcmp(type, "Polygon") == 0) {
            kml_polygon(out, coords, rhumb);
        } else if (type && strcmp(type, "MultiPolygon") == 0) {
            fputs("<MultiGeometry>", out);
            size_t k;
            json_t *poly;
            json_array_foreach(coords, k, poly)
                kml_polygon(out, poly, rhumb);
            fputs("</MultiGeometry>", out);
        }
        fputs("</Placemark>\n", out);
    }
    fputs("</Document></kml>\n", out);
    return ferror(out) ? -1 : 0;
}

static bool fopen_ok(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

int zones_export(const char *spec, const char *format)
{
    bool kml = strcmp(format, "kml") == 0;
    if (!kml && strcmp(format, "geojson") != 0) {
        fprintf(stderr, "adizwatch: --format must be geojson or kml, not '%s'\n", format);
        return EXIT_BAD_INPUT;
    }
    if (strchr(spec, ',') && strncmp(spec, "builtin:", 8) != 0 && !fopen_ok(spec)) {
        fprintf(stderr, "adizwatch: zones export takes one zone set, not '%s'\n", spec);
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zs = cli_load_zones(spec); /* refuse what would not load */
    if (!zs)
        return EXIT_BAD_INPUT;
    aw_zones_free(zs);
    size_t len;
    char *text = cli_zones_json(spec, &len);
    if (!text)
        return EXIT_BAD_INPUT;
    int rc = 0;
    if (!kml) {
        rc = fwrite(text, 1, len, stdout) == len ? 0 : -1;
    } else {
        json_error_t err;
        json_t *root = json_loadb(text, len, 0, &err);
        rc = root ? write_kml(stdout, root) : -1;
        json_decref(root);
    }
    free(text);
    if (rc != 0 || fflush(stdout) != 0) {
        perror("adizwatch: writing the export");
        return EXIT_RUN_FAILED;
    }
    return 0;
}
