/* map_land.c -- Natural Earth land from TopoJSON, as rings of longitude/latitude.
 *
 * TopoJSON stores each shared boundary once as an "arc"; a polygon ring is a list of arc
 * indices (~i, i.e. -i-1, for arc i reversed). A quantized topology ("transform" given)
 * stores arc positions as integers, each a delta from the previous one; the transform's
 * scale and translate turn them back into degrees. Consecutive arcs of a ring share an
 * end point, which is kept once. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report/map_internal.h"

typedef struct arcs {
    int n;
    int *start;       /* n + 1 offsets into x/y */
    double *x, *y;
} arcs;

typedef struct builder {
    map_land *land;
    int cap_rings, cap_pts, npts;
    const arcs *a;
    char *err;
    size_t errlen;
} builder;

static int decode_arcs(json_t *root, arcs *out, char *err, size_t errlen)
{
    json_t *ja = json_object_get(root, "arcs");
    if (!json_is_array(ja)) {
        snprintf(err, errlen, "TopoJSON: no \"arcs\" array");
        return -1;
    }
    double sx = 1, sy = 1, tx = 0, ty = 0;
    json_t *tr = json_object_get(root, "transform");
    bool quantized = json_is_object(tr);
    if (quantized) {
        json_t *sc = json_object_get(tr, "scale"), *tl = json_object_get(tr, "translate");
        if (!json_is_array(sc) || !json_is_array(tl) || json_array_size(sc) != 2 ||
            json_array_size(tl) != 2) {
            snprintf(err, errlen, "TopoJSON: bad \"transform\"");
            return -1;
        }
        sx = json_number_value(json_array_get(sc, 0));
        sy = json_number_value(json_array_get(sc, 1));
        tx = json_number_value(json_array_get(tl, 0));
        ty = json_number_value(json_array_get(tl, 1));
    }
    size_t n = json_array_size(ja), total = 0;
    for (size_t i = 0; i < n; i++)
        total += json_array_size(json_array_get(ja, i));
    out->n = (int)n;
    out->start = malloc((n + 1) * sizeof *out->start);
    out->x = malloc((total + 1) * sizeof *out->x);
    out->y = malloc((total + 1) * sizeof *out->y);
    if (!out->start || !out->x || !out->y) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *arc = json_array_get(ja, i);
        out->start[i] = (int)k;
        double qx = 0, qy = 0; /* running sums of the deltas */
        for (size_t j = 0; j < json_array_size(arc); j++) {
            json_t *p = json_array_get(arc, j);
            if (!json_is_array(p) || json_array_size(p) < 2) {
                snprintf(err, errlen, "TopoJSON: arc %zu position %zu is not [x, y]", i, j);
                return -1;
            }
            double px = json_number_value(json_array_get(p, 0));
            double py = json_number_value(json_array_get(p, 1));
            if (quantized) {
                qx += px;
                qy += py;
                px = qx * sx + tx;
                py = qy * sy + ty;
            }
            out->x[k] = px;
            out->y[k++] = py;
        }
    }
    out->start[n] = (int)k;
    return 0;
}

static int push_point(builder *b, double lon, double lat)
{
    map_land *l = b->land;
    if (b->npts == b->cap_pts) {
        int cap = b->cap_pts ? 2 * b->cap_pts : 4096;
        double *x = realloc(l->lon, cap * sizeof *x);
        if (!x)
            return -1;
        l->lon = x;
        double *y = realloc(l->lat, cap * sizeof *y);
        if (!y)
            return -1;
        l->lat = y;
        b->cap_pts = cap;
    }
    l->lon[b->npts] = lon;
    l->lat[b->npts++] = lat;
    return 0;
}

static int add_ring(builder *b, json_t *ring)
{
    map_land *l = b->land;
    if (l->nrings + 1 >= b->cap_rings) {
        int cap = b->cap_rings ? 2 * b->cap_rings : 256;
        int *s = realloc(l->start, (cap + 1) * sizeof *s);
        if (!s)
            return -1;
        l->start = s;
        b->cap_rings = cap;
    }
    int first = b->npts;
    for (size_t i = 0; i < json_array_size(ring); i++) {
        json_t *ji = json_array_get(ring, i);
        if (!json_is_integer(ji))
            goto bad;
        long long idx = json_integer_value(ji);
        bool rev = idx < 0;
        long long a = rev ? ~idx : idx;
        if (a >= b->a->n)
            goto bad;
        int s = b->a->start[a], e = b->a->start[a + 1], n = e - s;
        for (int j = i ? 1 : 0; j < n; j++) { /* the shared first point once */
            int k = rev ? e - 1 - j : s + j;
            if (push_point(b, b->a->x[k], b->a->y[k]) < 0)
                return -1;
        }
    }
    if (b->npts - first < 4) { /* degenerate: drop it */
        b->npts = first;
        return 0;
    }
    l->start[l->nrings++] = first;
    l->start[l->nrings] = b->npts;
    return 0;
bad:
    snprintf(b->err, b->errlen, "TopoJSON: a ring refers to an arc that does not exist");
    return -2;
}

static int add_geometry(builder *b, json_t *g, int depth)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    if (!type || depth > 8)
        return 0;
    json_t *arcs = json_object_get(g, "arcs");
    if (strcmp(type, "GeometryCollection") == 0) {
        json_t *gs = json_object_get(g, "geometries");
        for (size_t i = 0; i < json_array_size(gs); i++) {
            int rc = add_geometry(b, json_array_get(gs, i), depth + 1);
            if (rc < 0)
                return rc;
        }
    } else if (strcmp(type, "Polygon") == 0) {
        for (size_t r = 0; r < json_array_size(arcs); r++) {
            int rc = add_ring(b, json_array_get(arcs, r));
            if (rc < 0)
                return rc;
        }
    } else if (strcmp(type, "MultiPolygon") == 0) {
        for (size_t p = 0; p < json_array_size(arcs); p++) {
            json_t *poly = json_array_get(arcs, p);
            for (size_t r = 0; r < json_array_size(poly); r++) {
                int rc = add_ring(b, json_array_get(poly, r));
                if (rc < 0)
                    return rc;
            }
        }
    }
    return 0; /* points and lines are not land */
}

int map_land_decode(const char *json, size_t len, map_land *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    if (!root) {
        snprintf(err, errlen, "TopoJSON: line %d: %s", jerr.line, jerr.text);
        return -1;
    }
    arcs a = {0, NULL, NULL, NULL};
    int rc = -1;
    json_t *objects = json_object_get(root, "objects");
    if (!json_is_object(objects)) {
        snprintf(err, errlen, "TopoJSON: no \"objects\"");
    } else if (decode_arcs(root, &a, err, errlen) == 0) {
        builder b = {out, 0, 0, 0, &a, err, errlen};
        const char *key;
        json_t *obj;
        rc = 0;
        json_object_foreach(objects, key, obj) {
            if ((rc = add_geometry(&b, obj, 0)) < 0)
                break;
        }
        if (rc == -1)
            snprintf(err, errlen, "out of memory");
        rc = rc < 0 ? -1 : 0;
    }
    free(a.start);
    free(a.x);
    free(a.y);
    json_decref(root);
    if (rc < 0)
        map_land_free(out);
    return rc;
}

void map_land_free(map_land *l)
{
    free(l->start);
    free(l->lon);
    free(l->lat);
    memset(l, 0, sizeof *l);
}
