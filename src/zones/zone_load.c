/* zone_load.c -- GeoJSON zone files: parse, validate, build.
 *
 * A bad zone file must be refused before anything runs, with every problem named by the
 * feature's index and id, so that the analyst can fix them all in one go. Validation
 * therefore never stops at the first problem; geometry is built only for features whose
 * coordinates passed, and the set is returned only when nothing at all was wrong. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zones/zone.h"

#define ZONE_ID_MAX 63 /* events carry the zone id in a 64-byte field */

typedef struct load_ctx {
    aw_zone_problem_fn fn;
    void *user;
    int problems;
    int feature;     /* index of the feature being read */
    const char *id;  /* its id, if known */
} load_ctx;

static void problem(load_ctx *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->fn)
        c->fn(c->feature, c->id, msg, c->user);
}

static const char *const edge_names[] = {"geodesic", "rhumb", "planar"};

/* "polygon 2 ring 1" for MultiPolygons, "ring 1" for Polygons. */
static const char *ring_name(char *buf, size_t n, bool multi, int poly, int ring)
{
    if (multi)
        snprintf(buf, n, "polygon %d ring %d", poly, ring);
    else
        snprintf(buf, n, "ring %d", ring);
    return buf;
}

/* Check one ring's positions; on success fill *out (malloc'ed lon,lat pairs). */
static bool read_ring(load_ctx *c, json_t *ring, const char *where, double **out, int *n_out)
{
    if (!json_is_array(ring)) {
        problem(c, "%s is not an array of positions", where);
        return false;
    }
    int n = (int)json_array_size(ring);
    if (n < 4) {
        problem(c, "%s has %d positions; a ring needs at least 4 (3 corners and the first again)",
                where, n);
        return false;
    }
    double *ll = malloc(2 * (size_t)n * sizeof *ll);
    if (!ll) {
        problem(c, "out of memory");
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        json_t *pos = json_array_get(ring, i);
        if (!json_is_array(pos) || json_array_size(pos) < 2 ||
            !json_is_number(json_array_get(pos, 0)) || !json_is_number(json_array_get(pos, 1))) {
            problem(c, "%s position %d is not [lon, lat]", where, i);
            ok = false;
            continue;
        }
        double lon = json_number_value(json_array_get(pos, 0));
        double lat = json_number_value(json_array_get(pos, 1));
        if (!isfinite(lon) || !isfinite(lat) || lat < -90 || lat > 90 || lon < -360 || lon > 360) {
            problem(c, "%s position %d [%g, %g] is out of range (lat -90..90, lon -360..360)",
                    where, i, lon, lat);
            ok = false;
            continue;
        }
        ll[2 * i] = lon;
        ll[2 * i + 1] = lat;
    }
    if (ok && (ll[0] != ll[2 * n - 2] || ll[1] != ll[2 * n - 1])) {
        problem(c, "%s is not closed: first position [%g, %g], last [%g, %g]", where, ll[0], ll[1],
                ll[2 * n - 2], ll[2 * n - 1]);
        ok = false;
    }
    if (!ok) {
        free(ll);
        return false;
    }
    *out = ll;
    *n_out = n;
    return true;
}

static void self_intersection_problem(const char *message, void *user)
{
    load_ctx *c = user;
    problem(c, "%s", message);
}

/* Read and build one polygon (array of rings). Returns false on any problem. */
static bool build_polygon(load_ctx *c, json_t *rings, bool multi, int pi, aw_edge_kind edges,
                          aw_polygon *poly, int *vertices)
{
    char where[64];
    if (!json_is_array(rings) || json_array_size(rings) == 0) {
        problem(c, "%s has no rings", multi ? ring_name(where, sizeof where, true, pi, 0) : "polygon");
        return false;
    }
    int nr = (int)json_array_size(rings);
    poly->rings = calloc((size_t)nr, sizeof *poly->rings);
    if (!poly->rings) {
        problem(c, "out of memory");
        return false;
    }
    bool ok = true;
    for (int r = 0; r < nr; r++) {
        double *ll;
        int n;
        ring_name(where, sizeof where, multi, pi, r);
        if (!read_ring(c, json_array_get(rings, r), where, &ll, &n)) {
            ok = false;
            continue;
        }
        *vertices += n;
        if (!ok) { /* an earlier ring failed: check the rest, build nothing */
            free(ll);
            continue;
        }
        int rc = aw_ring_build(&poly->rings[r], ll, n, edges);
        free(ll);
        poly->nrings = r + 1;
        if (rc == -2)
            problem(c, "%s winds round a pole (its geodesic edges do not close); split it", where);
        else if (rc == -3)
            problem(c, "%s has no extent: all its positions are the same", where);
        else if (rc < 0)
            problem(c, "out of memory");
        if (rc < 0)
            ok = false;
    }
    if (ok && aw_polygon_self_intersections(poly, self_intersection_problem, c) > 0)
        ok = false;
    return ok;
}

static void polygon_free(aw_polygon *p)
{
    if (!p->rings)
        return;
    for (int r = 0; r < p->nrings; r++)
        aw_ring_free(&p->rings[r]);
    free(p->rings);
}

static void zone_free(aw_zone *z)
{
    for (int p = 0; p < z->npolys; p++)
        polygon_free(&z->polys[p]);
    free(z->polys);
    aw_depth_grid_free(z->depth_grid);
    free((char *)z->info.id);
    free((char *)z->info.name);
    free((char *)z->info.kind);
    free((char *)z->info.owner);
}

static char *string_property(json_t *props, const char *key)
{
    json_t *v = props ? json_object_get(props, key) : NULL;
    return strdup(json_is_string(v) ? json_string_value(v) : "");
}

/* A band limit: absent or null -> NAN; a number -> it; anything else is a problem. */
static bool band_limit(load_ctx *c, json_t *props, const char *key, double *out)
{
    json_t *v = props ? json_object_get(props, key) : NULL;
    *out = NAN;
    if (!v || json_is_null(v))
        return true;
    if (json_is_number(v) && isfinite(json_number_value(v))) {
        *out = json_number_value(v);
        return true;
    }
    problem(c, "%s must be a number of feet", key);
    return false;
}

static bool read_feature(load_ctx *c, json_t *f, aw_zone *z)
{
    if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
        strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0) {
        problem(c, "not a GeoJSON Feature");
        return false;
    }
    json_t *props = json_object_get(f, "properties");
    if (props && !json_is_object(props) && !json_is_null(props)) {
        problem(c, "properties is not an object");
        props = NULL;
    }
    bool ok = true;
    /* The id: the property "id", or the Feature's own "id" member (RFC 7946 section 3.2: a
     * string or a number); when both are given they must agree. */
    json_t *id = props ? json_object_get(props, "id") : NULL;
    json_t *member = json_object_get(f, "id");
    char member_text[64] = "";
    if (json_is_string(member))
        snprintf(member_text, sizeof member_text, "%s", json_string_value(member));
    else if (json_is_integer(member))
        snprintf(member_text, sizeof member_text, "%" JSON_INTEGER_FORMAT, json_integer_value(member));
    else if (json_is_real(member))
        snprintf(member_text, sizeof member_text, "%.17g", json_real_value(member));
    json_t *member_id = member_text[0] ? json_string(member_text) : NULL;
    if (member && !member_text[0] && !json_is_null(member)) {
        problem(c, "the Feature's id must be a string or a number");
        ok = false;
    }
    if (json_is_string(id) && member_id && !json_equal(id, member_id)) {
        problem(c, "the Feature's id \"%s\" and its property id \"%s\" differ", member_text,
                json_string_value(id));
        ok = false;
    }
    if (!json_is_string(id) && member_id)
        id = member_id;
    if (!json_is_string(id) || json_string_length(id) == 0) {
        problem(c, "missing id: every zone needs a non-empty id (the Feature's \"id\" or a "
                   "string property \"id\")");
        ok = false;
    } else if (json_string_length(id) > ZONE_ID_MAX) {
        problem(c, "id is %zu bytes long; at most %d", json_string_length(id), ZONE_ID_MAX);
        ok = false;
    }
    z->info.id = strdup(json_is_string(id) ? json_string_value(id) : "");
    z->info.name = string_property(props, "name");
    z->info.kind = string_property(props, "kind");
    z->info.owner = string_property(props, "owner");
    c->id = json_is_string(id) ? z->info.id : NULL;
    json_decref(member_id);

    z->info.edges = AW_EDGE_GEODESIC;
    json_t *edges = props ? json_object_get(props, "edges") : NULL;
    if (edges && !json_is_null(edges)) {
        int k = -1;
        for (int i = 0; i < 3 && json_is_string(edges); i++)
            if (strcmp(json_string_value(edges), edge_names[i]) == 0)
                k = i;
        if (k < 0) {
            problem(c, "edges must be \"geodesic\", \"rhumb\" or \"planar\"");
            ok = false;
        } else {
            z->info.edges = (aw_edge_kind)k;
        }
    }
    ok &= band_limit(c, props, "floor_ft", &z->info.floor_ft);
    ok &= band_limit(c, props, "ceiling_ft", &z->info.ceiling_ft);
    if (z->info.floor_ft > z->info.ceiling_ft) {
        problem(c, "floor_ft %g is above ceiling_ft %g", z->info.floor_ft, z->info.ceiling_ft);
        ok = false;
    }

    json_t *geom = json_object_get(f, "geometry");
    const char *gtype = json_is_object(geom) && json_is_string(json_object_get(geom, "type"))
                            ? json_string_value(json_object_get(geom, "type"))
                            : NULL;
    json_t *coords = json_is_object(geom) ? json_object_get(geom, "coordinates") : NULL;
    bool multi = gtype && strcmp(gtype, "MultiPolygon") == 0;
    if (!gtype || (!multi && strcmp(gtype, "Polygon") != 0)) {
        problem(c, "geometry must be a Polygon or MultiPolygon%s%s", gtype ? ", not " : "",
                gtype ? gtype : "");
        return false;
    }
    if (!json_is_array(coords) || json_array_size(coords) == 0) {
        problem(c, "geometry has no coordinates");
        return false;
    }
    int np = multi ? (int)json_array_size(coords) : 1;
    z->polys = calloc((size_t)np, sizeof *z->polys);
    if (!z->polys) {
        problem(c, "out of memory");
        return false;
    }
    z->npolys = np;
    for (int p = 0; p < np; p++)
        ok &= build_polygon(c, multi ? json_array_get(coords, p) : coords, multi, p,
                            z->info.edges, &z->polys[p], &z->info.vertices);
    if (!ok)
        return false;

    z->info.polygons = np;
    z->info.min_lat = z->info.min_lon = INFINITY;
    z->info.max_lat = z->info.max_lon = -INFINITY;
    for (int p = 0; p < np; p++)
        for (int r = 0; r < z->polys[p].nrings; r++) {
            const aw_ring *ring = &z->polys[p].rings[r];
            z->info.chords += ring->n;
            z->info.min_lat = fmin(z->info.min_lat, ring->min_lat);
            z->info.max_lat = fmax(z->info.max_lat, ring->max_lat);
            z->info.min_lon = fmin(z->info.min_lon, ring->min_lon);
            z->info.max_lon = fmax(z->info.max_lon, ring->max_lon);
        }
    return true;
}

/* ---- the memory guard ------------------------------------------------------------
 *
 * A zone set's index and depth grids take memory in proportion to its chords (the
 * rings densified to AW_CHORD_TOL_M): about ZONE_BYTES_PER_CHORD bytes each, measured
 * on sets from ten detailed zones to 100,000 small ones (docs/performance-round2.md), plus
 * the grid itself. A set whose estimate passes the limit is refused before its index
 * is built, with the figures, rather than let the machine swap or the process be
 * killed half-way: ADIZWATCH_ZONES_MAX_MB sets the limit (default 2048; 0 for none).
 * A first check, on the file's own vertices (each at least a chord), comes before any
 * geometry is built. */
#define ZONE_BYTES_PER_CHORD 850.0
#define ZONE_BYTES_FIXED (64.0 * 1024 * 1024) /* the grid (at most 4 M cells), lists, caps */
#define ZONE_BYTES_PER_ZONE 2048.0
#define ZONES_MAX_MB_DEFAULT 2048

static double zones_limit_bytes(void)
{
    const char *v = getenv("ADIZWATCH_ZONES_MAX_MB");
    char *end;
    long long mb = v && *v ? strtoll(v, &end, 10) : ZONES_MAX_MB_DEFAULT;
    if (v && *v && (*end || mb < 0))
        mb = ZONES_MAX_MB_DEFAULT; /* unreadable: the default, not no limit */
    return mb == 0 ? INFINITY : (double)mb * 1024 * 1024;
}

static double zones_estimate(long zones, long chords)
{
    return ZONE_BYTES_FIXED + ZONE_BYTES_PER_ZONE * (double)zones + ZONE_BYTES_PER_CHORD * (double)chords;
}

/* Positions in a GeoJSON coordinates array, at any depth. */
static long count_positions(json_t *c)
{
    if (!json_is_array(c))
        return 0;
    if (json_array_size(c) >= 2 && json_is_number(json_array_get(c, 0)))
        return 1;
    long n = 0;
    for (size_t i = 0; i < json_array_size(c); i++)
        n += count_positions(json_array_get(c, i));
    return n;
}

/* Refuse the set if its estimate passes the limit; false when refused. */
static bool within_memory_limit(load_ctx *c, long zones, long vertices, long chords)
{
    double limit = zones_limit_bytes(), need = zones_estimate(zones, chords);
    if (need <= limit)
        return true;
    c->feature = -1;
    c->id = NULL;
    if (chords > vertices)
        problem(c, "too large to load: %ld zones, %ld vertices densified to %ld chords, would take "
                   "about %.0f MB to index, over the limit of %.0f MB; set ADIZWATCH_ZONES_MAX_MB "
                   "higher (0: no limit) or load fewer zones",
                zones, vertices, chords, need / 1048576, limit / 1048576);
    else
        problem(c, "too large to load: %ld zones, %ld vertices, would take at least %.0f MB to "
                   "index, over the limit of %.0f MB; set ADIZWATCH_ZONES_MAX_MB higher (0: no "
                   "limit) or load fewer zones",
                zones, vertices, need / 1048576, limit / 1048576);
    return false;
}

/* Ids seen so far, for the duplicate check: open addressing on the id's hash, each slot
 * the feature index + 1 of the first zone with that id (0: empty). Comparing every id
 * with every earlier one took 5e9 comparisons, two minutes, for 100,000 zones. */
typedef struct id_table {
    int *slot;
    size_t mask;
} id_table;

static size_t id_table_size(int n)
{
    size_t size = 16;
    while (size < 2 * (size_t)n)
        size *= 2;
    return size;
}

/* The first feature before i with this id, or -1 (and i is noted as the first). */
static int first_with_id(id_table *t, const aw_zone_set *zs, const char *id, int i)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    size_t k = h & t->mask;
    for (; t->slot[k]; k = (k + 1) & t->mask)
        if (strcmp(zs->zones[t->slot[k] - 1].info.id, id) == 0)
            return t->slot[k] - 1;
    t->slot[k] = i + 1;
    return -1;
}

/* The zones of the document, their rings built and checked; NULL after any problem.
 * *vertices: the file's positions, for the memory guard. */
static aw_zone_set *load_json(json_t *root, load_ctx *c, long *vertices_out)
{
    const char *type = json_is_object(root) && json_is_string(json_object_get(root, "type"))
                           ? json_string_value(json_object_get(root, "type"))
                           : "";
    json_t *features;
    json_t *single = NULL;
    if (strcmp(type, "FeatureCollection") == 0) {
        features = json_object_get(root, "features");
        if (!json_is_array(features)) {
            problem(c, "FeatureCollection has no \"features\" array");
            return NULL;
        }
    } else if (strcmp(type, "Feature") == 0) {
        single = json_array();
        json_array_append(single, root);
        features = single;
    } else {
        problem(c, "not a GeoJSON FeatureCollection or Feature");
        return NULL;
    }
    int n = (int)json_array_size(features);
    long vertices = 0;
    for (int i = 0; i < n; i++)
        vertices += count_positions(json_object_get(json_object_get(json_array_get(features, i), "geometry"),
                                                    "coordinates"));
    if (!within_memory_limit(c, n, vertices, vertices)) {
        json_decref(single);
        return NULL;
    }
    aw_zone_set *zs = calloc(1, sizeof *zs);
    if (zs)
        zs->zones = calloc(n ? (size_t)n : 1, sizeof *zs->zones);
    if (!zs || !zs->zones) {
        free(zs);
        json_decref(single);
        problem(c, "out of memory");
        return NULL;
    }
    zs->n = n;
    if (n == 0)
        problem(c, "the file has no zones");
    id_table ids = {calloc(id_table_size(n), sizeof(int)), id_table_size(n) - 1};
    if (!ids.slot) {
        aw_zones_free(zs);
        json_decref(single);
        problem(c, "out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        c->feature = i;
        c->id = NULL;
        read_feature(c, json_array_get(features, i), &zs->zones[i]);
        /* A feature refused early (not a Feature at all) has no id to compare. */
        const char *id = zs->zones[i].info.id;
        int j = id && id[0] ? first_with_id(&ids, zs, id, i) : -1;
        if (j >= 0)
            problem(c, "duplicate id: feature %d has the same id", j);
    }
    free(ids.slot);
    json_decref(single);
    if (c->problems) {
        aw_zones_free(zs);
        return NULL;
    }
    *vertices_out = vertices;
    return zs;
}

/* The set's index and depth grids, once the document is freed (for 1,000 detailed zones
 * the parsed document is 57 MB, for 100,000 small ones 380 MB: memory the index can
 * reuse rather than fault in anew). NULL after any problem, the set freed. */
static aw_zone_set *index_set(aw_zone_set *zs, load_ctx *c, long vertices)
{
    if (!zs)
        return NULL;
    long chords = 0;
    for (int i = 0; i < zs->n; i++)
        chords += zs->zones[i].info.chords;
    within_memory_limit(c, zs->n, vertices, chords);
    if (!c->problems && aw_zone_index_build(zs) < 0)
        problem(c, "out of memory building the zone index");
    for (int i = 0; i < zs->n && !c->problems; i++)
        if (!(zs->zones[i].depth_grid = aw_depth_grid_build(&zs->zones[i])))
            problem(c, "out of memory building the depth grid of zone %d", i);
    if (c->problems) {
        aw_zones_free(zs);
        return NULL;
    }
    return zs;
}

aw_zone_set *aw_zones_load_string(const char *text, size_t len, aw_zone_problem_fn fn, void *user)
{
    load_ctx c = {fn, user, 0, -1, NULL};
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        problem(&c, "not valid JSON: line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    long vertices = 0;
    aw_zone_set *zs = load_json(root, &c, &vertices);
    json_decref(root);
    return index_set(zs, &c, vertices);
}

/* The whole file, NUL-terminated (its length in *len); NULL with errno set. Parsing a
 * buffer is a sixth faster than jansson reading the file a character at a time. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    size_t n = 0, cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 1 << 16;
    char *buf = malloc(cap + 1);
    int err = buf ? 0 : ENOMEM;
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) { /* the end, or an error */
            err = ferror(f) ? (errno ? errno : EIO) : 0;
            break;
        }
        char *b = realloc(buf, 2 * cap + 1); /* it grew, or is no regular file */
        if (!b) {
            err = ENOMEM;
            break;
        }
        buf = b;
        cap *= 2;
    }
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

aw_zone_set *aw_zones_load_file(const char *path, aw_zone_problem_fn fn, void *user)
{
    load_ctx c = {fn, user, 0, -1, NULL};
    json_error_t jerr;
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        problem(&c, "cannot read zones: %s", strerror(errno));
        return NULL;
    }
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    free(text);
    if (!root) {
        problem(&c, "cannot read zones: line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    long vertices = 0;
    aw_zone_set *zs = load_json(root, &c, &vertices);
    json_decref(root);
    return index_set(zs, &c, vertices);
}

void aw_zones_free(aw_zone_set *zs)
{
    if (!zs)
        return;
    for (int i = 0; i < zs->n; i++)
        zone_free(&zs->zones[i]);
    free(zs->zones);
    aw_zone_index_free(zs->index);
    free(zs);
}

int aw_zones_count(const aw_zone_set *zs) { return zs->n; }

const aw_zone_info *aw_zones_info(const aw_zone_set *zs, int zone) { return &zs->zones[zone].info; }

int aw_zones_find(const aw_zone_set *zs, const char *id)
{
    for (int i = 0; i < zs->n; i++)
        if (strcmp(zs->zones[i].info.id, id) == 0)
            return i;
    return -1;
}
