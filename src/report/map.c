/* map.c -- the report map's frame (area, projection) and its SVG and PNG output.
 *
 * The projection is spherical Mercator about the area's central meridian, in "Mercator
 * degrees" (x = longitude, y = the isometric latitude in degrees), scaled so that the
 * area fits the frame; the shorter side is widened so the frame is filled, as on a
 * printed chart. Mercator is conformal, so shapes and headings read true, and at these
 * latitudes (20-45 N) the scale varies by a third across the map: the scale bar gives
 * the scale at the middle latitude. */
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/map_internal.h"

#define DEG (M_PI / 180)

void aw_map_init(aw_map *m)
{
    memset(m, 0, sizeof *m);
    m->min_lat = m->max_lat = m->min_lon = m->max_lon = NAN;
}

static double merc_y(double lat)
{
    if (lat > 85)
        lat = 85;
    if (lat < -85)
        lat = -85;
    return log(tan(M_PI / 4 + lat * DEG / 2)) / DEG;
}

static double merc_lat(double y)
{
    return (2 * atan(exp(y * DEG)) - M_PI / 2) / DEG;
}

static double wrap180(double d)
{
    return d - 360 * floor((d + 180) / 360);
}

typedef struct bbox {
    double lat0, lat1, lon0, lon1; /* lon unwrapped about the first point */
    double ref;
    bool any;
} bbox;

static void bbox_add(bbox *b, double lat, double lon)
{
    if (!isfinite(lat) || !isfinite(lon))
        return;
    if (!b->any) {
        b->ref = lon;
        b->lat0 = b->lat1 = lat;
        b->lon0 = b->lon1 = lon;
        b->any = true;
        return;
    }
    lon = b->ref + wrap180(lon - b->ref);
    b->lat0 = fmin(b->lat0, lat);
    b->lat1 = fmax(b->lat1, lat);
    b->lon0 = fmin(b->lon0, lon);
    b->lon1 = fmax(b->lon1, lon);
}

void map_frame_of(const aw_map *m, map_frame *f)
{
    memset(f, 0, sizeof *f);
    f->w = m->width > 0 ? m->width : 1600;
    f->h = m->height > 0 ? m->height : 1200;
    f->u = f->w / 1600.0;
    double u = f->u;
    f->left = 70 * u;
    f->right = f->w - 70 * u;
    f->top = ((m->title || m->subtitle ? 130 : 40) + (m->basis ? 22 : 0)) * u;
    f->bottom = f->h - 45 * u;

    bbox b = {0, 0, 0, 0, 0, false};
    if (isfinite(m->min_lat) && isfinite(m->max_lat) && isfinite(m->min_lon) &&
        isfinite(m->max_lon)) {
        bbox_add(&b, m->min_lat, m->min_lon);
        b.lon1 = b.lon0 + fmod(m->max_lon - m->min_lon + 360, 360);
        b.lat1 = fmax(b.lat0, m->max_lat);
    } else {
        for (int i = 0; i < m->ntracks; i++)
            for (int j = 0; j < m->tracks[i].n; j++)
                bbox_add(&b, m->tracks[i].lat[j], m->tracks[i].lon[j]);
        for (int i = 0; i < m->nmarkers; i++)
            if (m->markers[i].kind != AW_MARK_BASE) /* bases are context, not the story */
                bbox_add(&b, m->markers[i].lat, m->markers[i].lon);
        if (m->zones && m->observer) {
            for (int z = 0; z < aw_zones_count(m->zones); z++) {
                const aw_zone_info *zi = aw_zones_info(m->zones, z);
                if (strcmp(zi->owner, m->observer) == 0 && strcmp(zi->kind, "adiz") == 0) {
                    bbox_add(&b, zi->min_lat, zi->min_lon);
                    bbox_add(&b, zi->max_lat, zi->max_lon);
                }
            }
        }
        if (!b.any) { /* nothing to fit: the East Asia theater */
            bbox_add(&b, 22, 116);
            bbox_add(&b, 44, 146);
        }
        double pad = fmax(1.0, 0.06 * fmax(b.lat1 - b.lat0, b.lon1 - b.lon0));
        b.lat0 = fmax(-80, b.lat0 - pad);
        b.lat1 = fmin(80, b.lat1 + pad);
        b.lon0 -= pad;
        b.lon1 += pad;
    }
    f->lon0 = (b.lon0 + b.lon1) / 2;
    double x0 = b.lon0 - f->lon0, x1 = b.lon1 - f->lon0;
    double y0 = merc_y(b.lat0), y1 = merc_y(b.lat1);
    if (x1 - x0 < 0.01)
        x0 -= 0.5, x1 += 0.5;
    if (y1 - y0 < 0.01)
        y0 -= 0.5, y1 += 0.5;
    double fw = f->right - f->left, fh = f->bottom - f->top;
    double s = fmin(fw / (x1 - x0), fh / (y1 - y0));
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    f->scale = s;
    f->xmin = cx - fw / s / 2;
    f->ymax = cy + fh / s / 2;
    f->min_lon = f->lon0 + f->xmin;
    f->max_lon = f->lon0 + cx + fw / s / 2;
    f->max_lat = merc_lat(f->ymax);
    f->min_lat = merc_lat(cy - fh / s / 2);
}

void map_xy_raw(const map_frame *f, double lat, double lon, double *x, double *y)
{
    *x = f->left + (lon - f->lon0 - f->xmin) * f->scale;
    *y = f->top + (f->ymax - merc_y(lat)) * f->scale;
}

void map_xy(const map_frame *f, double lat, double lon, double *x, double *y)
{
    map_xy_raw(f, lat, f->lon0 + wrap180(lon - f->lon0), x, y);
}

int aw_map_project(const aw_map *m, double lat, double lon, double *x, double *y)
{
    map_frame f;
    map_frame_of(m, &f);
    map_xy(&f, lat, lon, x, y);
    return *x >= f.left && *x <= f.right && *y >= f.top && *y <= f.bottom ? 0 : -1;
}

const char *map_track_key(const aw_map_track *t)
{
    if (t->key)
        return t->key;
    return t->nation && t->nation[0] ? t->nation : "unknown";
}

void map_palette(int i, double rgb[3])
{
    /* The press-release colours first (red, salmon, purple, grey), then distinct others. */
    static const double pal[][3] = {
        {0.90, 0.05, 0.05}, {0.96, 0.62, 0.45}, {0.42, 0.05, 0.45}, {0.50, 0.50, 0.50},
        {0.05, 0.35, 0.85}, {0.10, 0.58, 0.20}, {0.95, 0.55, 0.00}, {0.55, 0.30, 0.10},
        {0.00, 0.60, 0.62}, {0.85, 0.20, 0.65}};
    int n = (int)(sizeof pal / sizeof pal[0]);
    memcpy(rgb, pal[((i % n) + n) % n], 3 * sizeof(double));
}

int *map_key_indices(const aw_map *m)
{
    int *idx = malloc(((size_t)m->ntracks + 1) * sizeof *idx), nkeys = 0;
    for (int i = 0; idx && i < m->ntracks; i++) {
        const char *k = map_track_key(&m->tracks[i]);
        int j = 0;
        while (j < i && strcmp(map_track_key(&m->tracks[j]), k) != 0)
            j++;
        idx[i] = j < i ? idx[j] : nkeys++;
    }
    return idx;
}

int aw_map_key_rgb(const aw_map *m, const char *key, double rgb[3])
{
    int idx = 0;
    for (int i = 0; i < m->ntracks; i++) {
        const char *k = map_track_key(&m->tracks[i]);
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(map_track_key(&m->tracks[j]), k) == 0;
        if (seen)
            continue;
        if (strcmp(k, key) == 0) {
            map_palette(idx, rgb);
            return idx;
        }
        idx++;
    }
    return -1;
}

/* ---- output ------------------------------------------------------------------------ */

typedef struct membuf {
    char *p;
    size_t n, cap;
    bool failed;
} membuf;

static cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int len)
{
    membuf *b = closure;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return CAIRO_STATUS_SUCCESS;
}

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

/* Draw on a fresh surface; text receives the legend lines. */
static int render(cairo_surface_t *surface, const aw_map *m, const map_frame *f, char **text,
                  char *err, size_t errlen)
{
    map_land land = {0, NULL, NULL, NULL};
    if (m->land_topojson && map_land_decode(m->land_topojson, m->land_len, &land, err, errlen) < 0)
        return -1;
    cairo_t *cr = cairo_create(surface);
    int rc = map_draw(cr, m, f, m->land_topojson ? &land : NULL, text);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    cairo_status_t st = cairo_status(cr);
    if (rc == 0 && st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cairo: %s", cairo_status_to_string(st));
        rc = -1;
    }
    cairo_destroy(cr);
    map_land_free(&land);
    return rc;
}

int aw_map_write_svg(const aw_map *m, const char *path, char *err, size_t errlen)
{
    map_frame f;
    map_frame_of(m, &f);
    membuf buf = {NULL, 0, 0, false};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(membuf_write, &buf, f.w, f.h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    char *text = NULL;
    int rc = render(s, m, &f, &text, err, errlen);
    cairo_surface_finish(s);
    if (rc == 0 && (buf.failed || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)) {
        snprintf(err, errlen, "cairo SVG: %s", cairo_status_to_string(cairo_surface_status(s)));
        rc = -1;
    }
    cairo_surface_destroy(s);
    /* cairo writes text as glyph outlines: put the words in <title> and <desc> too. */
    char *open = rc == 0 && buf.p ? (buf.p[buf.n] = '\0', strstr(buf.p, "<svg")) : NULL;
    char *close = open ? strchr(open, '>') : NULL;
    if (rc == 0 && !close) {
        snprintf(err, errlen, "cairo SVG: no <svg> element");
        rc = -1;
    }
    FILE *out = rc == 0 ? fopen(path, "w") : NULL;
    if (rc == 0 && !out) {
        snprintf(err, errlen, "%s: cannot write", path);
        rc = -1;
    }
    if (out) {
        fwrite(buf.p, 1, (size_t)(close + 1 - buf.p), out);
        fputs("\n<title>", out);
        xml_text(out, m->title ? m->title : "map");
        fputs("</title>\n<desc>", out);
        if (m->subtitle) {
            xml_text(out, m->subtitle);
            fputc('\n', out);
        }
        if (m->basis) {
            xml_text(out, m->basis);
            fputc('\n', out);
        }
        xml_text(out, text);
        fputs("</desc>", out);
        fwrite(close + 1, 1, buf.n - (size_t)(close + 1 - buf.p), out);
        if (fclose(out) != 0) {
            snprintf(err, errlen, "%s: write failed", path);
            rc = -1;
        }
    }
    free(text);
    free(buf.p);
    return rc;
}

int aw_map_write_png(const aw_map *m, const char *path, char *err, size_t errlen)
{
    map_frame f;
    map_frame_of(m, &f);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, f.w, f.h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cairo: %s", cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return -1;
    }
    char *text = NULL;
    int rc = render(s, m, &f, &text, err, errlen);
    free(text);
    if (rc == 0) {
        cairo_status_t st = cairo_surface_write_to_png(s, path);
        if (st != CAIRO_STATUS_SUCCESS) {
            snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(st));
            rc = -1;
        }
    }
    cairo_surface_destroy(s);
    return rc;
}

int aw_map_write_json(const aw_map *m, const char *path, char *err, size_t errlen)
{
    map_frame f;
    map_frame_of(m, &f);
    json_t *o = json_object(), *keys = json_array(), *tracks = json_array();
    json_object_set_new(o, "width", json_integer(f.w));
    json_object_set_new(o, "height", json_integer(f.h));
    json_object_set_new(o, "projection", json_string("mercator"));
    if (m->basis)
        json_object_set_new(o, "basis", json_string(m->basis));
    json_object_set_new(o, "central_meridian", json_real(f.lon0));
    json_object_set_new(o, "frame", json_pack("{s:f,s:f,s:f,s:f}", "left", f.left, "top", f.top,
                                              "right", f.right, "bottom", f.bottom));
    json_object_set_new(o, "px_per_degree", json_real(f.scale));
    json_object_set_new(o, "area", json_pack("{s:f,s:f,s:f,s:f}", "min_lat", f.min_lat, "max_lat",
                                             f.max_lat, "min_lon", f.min_lon, "max_lon", f.max_lon));
    int *idx = map_key_indices(m);
    if (!idx) {
        json_decref(o);
        json_decref(keys);
        json_decref(tracks);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < m->ntracks; i++) {
        const aw_map_track *t = &m->tracks[i];
        const char *key = map_track_key(t);
        double rgb[3];
        map_palette(idx[i], rgb);
        if (idx[i] == (int)json_array_size(keys)) {
            char hex[8], legend[512];
            snprintf(hex, sizeof hex, "#%02x%02x%02x", (int)lround(rgb[0] * 255),
                     (int)lround(rgb[1] * 255), (int)lround(rgb[2] * 255));
            map_key_text(m, key, legend, sizeof legend);
            json_array_append_new(keys, json_pack("{s:s,s:s,s:s}", "key", key, "rgb", hex,
                                                  "legend", legend));
        }
        json_array_append_new(tracks, json_pack("{s:s,s:s,s:s,s:s,s:i}", "id", t->id ? t->id : "",
                                                "key", key, "type", t->type ? t->type : "",
                                                "nation", t->nation ? t->nation : "", "points",
                                                t->n));
    }
    free(idx);
    json_object_set_new(o, "keys", keys);
    json_object_set_new(o, "tracks", tracks);
    int rc = json_dump_file(o, path, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
    json_decref(o);
    if (rc < 0)
        snprintf(err, errlen, "%s: cannot write", path);
    return rc < 0 ? -1 : 0;
}

void aw_map_release_caches(void)
{
    cairo_debug_reset_static_data(); /* drops cairo's font map, which holds fontconfig's */
    FcFini();
}
