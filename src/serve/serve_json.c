/* serve_json.c -- the JSON that `adizwatch serve` speaks: tracks as GeoJSON features with
 * who they are and where they are, events with a place description, stats, and the
 * zones as the map draws them.
 *
 * The map is Web Mercator, where only rhumb lines are straight. Geodesic and planar
 * edges are therefore densified here (a vertex every ~20 km along the true edge) so that
 * the zone drawn is the zone watched, to well under a pixel at the scales a theater map
 * is read at. */
#include <geodesic.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/theater.h"
#include "geo/geo.h"
#include "serve/serve.h"

static json_t *number_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *time_json(double t)
{
    char buf[40];
    return isfinite(t) ? json_string(aw_format_time(t, buf, sizeof buf)) : json_null();
}

static json_t *zone_entry(const serve_ctx *s, const aw_picture_zone *z, double clock)
{
    int zi = aw_zones_find(serve_zones(s), z->id);
    const aw_zone_info *info = zi >= 0 ? aw_zones_info(serve_zones(s), zi) : NULL;
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", z->id, "name",
                     info && info->name[0] ? info->name : z->id, "kind", info ? info->kind : "",
                     "since", time_json(z->since), "dwell_s",
                     number_or_null(clock >= z->since ? clock - z->since : 0));
}

json_t *serve_track_feature(const serve_ctx *s, const aw_picture_track *t, double clock)
{
    aw_identity who;
    aw_identify(s->aircraft_db, t->id, t->callsign, t->squawk, &who);
    /* The label a watch officer reads next to the symbol: callsign (else the id), type,
     * nation. */
    char label[160];
    snprintf(label, sizeof label, "%s%s%s%s%s", t->callsign[0] ? t->callsign : t->id,
             who.type[0] ? " " : "", who.type, who.nation[0] ? " " : "", who.nation);
    json_t *zones = json_array();
    for (int z = 0; z < t->nzones; z++)
        json_array_append_new(zones, zone_entry(s, &t->zones[z], clock));
    json_t *props = json_pack(
        "{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:o, s:I}",
        "id", t->id, "callsign", t->callsign, "squawk", t->squawk, "time", time_json(t->time),
        "alt_ft", number_or_null(t->alt_ft), "speed_kt", number_or_null(t->speed_kt),
        "heading_deg", number_or_null(t->heading_deg), "nation", who.nation, "nation_name",
        who.nation_name, "nation_source", who.nation_source, "type", who.type, "registration",
        who.registration, "military", who.military, "unidentified", who.unidentified, "label",
        label, "zones", zones, "reports", (json_int_t)t->reports);
    json_t *geom = json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates", t->lon, t->lat);
    return json_pack("{s:s, s:s, s:o, s:o}", "type", "Feature", "id", t->id, "geometry", geom,
                     "properties", props);
}

void serve_buf_printf(serve_buf *b, const char *fmt, ...)
{
    for (int attempt = 0; attempt < 2 && !b->failed; attempt++) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if (b->data && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
}

void serve_buf_json_string(serve_buf *b, const char *s)
{
    serve_buf_printf(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            serve_buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            serve_buf_printf(b, "\\u%04x", c);
        else
            serve_buf_printf(b, "%c", c);
    }
    serve_buf_printf(b, "\"");
}

static void buf_number(serve_buf *b, const char *key, double v, const char *fmt)
{
    serve_buf_printf(b, ",\"%s\":", key);
    if (isfinite(v))
        serve_buf_printf(b, fmt, v);
    else
        serve_buf_printf(b, "null");
}

static void buf_field(serve_buf *b, const char *key, const char *value)
{
    serve_buf_printf(b, ",\"%s\":", key);
    serve_buf_json_string(b, value);
}

void serve_track_feature_text(const serve_ctx *s, const aw_picture_track *t, double clock,
                              serve_buf *b)
{
    aw_identity who;
    aw_identify(s->aircraft_db, t->id, t->callsign, t->squawk, &who);
    char label[160], tb[40];
    snprintf(label, sizeof label, "%s%s%s%s%s", t->callsign[0] ? t->callsign : t->id,
             who.type[0] ? " " : "", who.type, who.nation[0] ? " " : "", who.nation);
    serve_buf_printf(b, "{\"type\":\"Feature\",\"id\":");
    serve_buf_json_string(b, t->id);
    serve_buf_printf(b, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]},"
                        "\"properties\":{\"id\":", t->lon, t->lat);
    serve_buf_json_string(b, t->id);
    buf_field(b, "callsign", t->callsign);
    buf_field(b, "squawk", t->squawk);
    buf_field(b, "time", aw_format_time(t->time, tb, sizeof tb));
    buf_number(b, "alt_ft", t->alt_ft, "%.1f");
    buf_number(b, "speed_kt", t->speed_kt, "%.1f");
    buf_number(b, "heading_deg", t->heading_deg, "%.1f");
    buf_field(b, "nation", who.nation);
    buf_field(b, "nation_name", who.nation_name);
    buf_field(b, "nation_source", who.nation_source);
    buf_field(b, "type", who.type);
    buf_field(b, "registration", who.registration);
    serve_buf_printf(b, ",\"military\":%s,\"unidentified\":%s", who.military ? "true" : "false",
                     who.unidentified ? "true" : "false");
    buf_field(b, "label", label);
    serve_buf_printf(b, ",\"zones\":[");
    for (int z = 0; z < t->nzones; z++) {
        json_t *o = zone_entry(s, &t->zones[z], clock); /* rare: only tracks inside zones */
        char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
        json_decref(o);
        serve_buf_printf(b, "%s%s", z ? "," : "", text ? text : "null");
        free(text);
    }
    serve_buf_printf(b, "],\"reports\":%llu}}", (unsigned long long)t->reports);
}

json_t *serve_event_json(const serve_ctx *s, const aw_event *ev)
{
    char buf[1024];
    int n = aw_event_to_json(ev, buf, sizeof buf);
    json_t *o = n > 0 && (size_t)n < sizeof buf ? json_loadb(buf, (size_t)n, 0, NULL) : NULL;
    if (!o)
        o = json_object();
    char where[128];
    if (aw_where(ev->lat, ev->lon, where, sizeof where) >= 0)
        json_object_set_new(o, "where", json_string(where));
    int zi = aw_zones_find(serve_zones(s), ev->zone);
    const aw_zone_info *info = zi >= 0 ? aw_zones_info(serve_zones(s), zi) : NULL;
    json_object_set_new(o, "zone_name", json_string(info && info->name[0] ? info->name : ev->zone));
    json_object_set_new(o, "zone_kind", json_string(info ? info->kind : ""));
    /* Who it was, as the tracks say it, so that an alert read from history has the same
     * detail as one streamed live; and whether it is alerted at all: with --rules what
     * the rules selected, else all but the zone owner's own and --friendly aircraft. */
    aw_identity who;
    aw_identify(s->aircraft_db, ev->track, ev->callsign, "", &who);
    json_object_set_new(o, "nation", json_string(who.nation));
    json_object_set_new(o, "aircraft_type", json_string(who.type));
    json_object_set_new(o, "military", json_boolean(who.military));
    json_object_set_new(o, "unidentified", json_boolean(who.unidentified));
    json_object_set_new(o, "zone_owner", json_string(info ? info->owner : ""));
    bool alert = s->rules_on ? serve_alerted(s, ev)
                             : !serve_friendly(s, who.nation, info ? info->owner : "");
    json_object_set_new(o, "alert", json_boolean(alert));
    return o;
}

bool serve_friendly(const serve_ctx *s, const char *nation, const char *owner)
{
    if (!nation[0])
        return false; /* nobody knows whose it is: that is what an alert is for */
    if (owner && strcmp(nation, owner) == 0)
        return true;
    size_t n = strlen(nation);
    for (const char *p = s->friendly; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, nation, n) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

json_t *serve_stats_json(serve_ctx *s)
{
    aw_picture_stats ps;
    aw_picture_get_stats(s->pic, &ps);
    static const char *const modes[] = {"connect", "replay", "simulate"};
    pthread_mutex_lock(&s->feed_lock);
    json_t *feed = json_pack("{s:s, s:s, s:s, s:o, s:f, s:f, s:I, s:I, s:o, s:o}", "mode", modes[s->mode],
                             "source", s->source ? s->source : "", "state", s->feed_state,
                             "speed", s->mode == SERVE_REPLAY ? json_real(s->speed) : json_null(),
                             "lag_s", s->lag_s, "reports_per_s", s->reports_per_s, "lines",
                             (json_int_t)s->lines, "bad_lines", (json_int_t)s->bad_lines, "start",
                             time_json(s->replay_start), "fed_until", time_json(s->fed_until));
    double reports_per_s = s->reports_per_s, lag = s->lag_s;
    pthread_mutex_unlock(&s->feed_lock);
    pthread_mutex_lock((pthread_mutex_t *)&s->http_lock);
    json_t *http = json_pack("{s:i, s:I, s:I, s:I, s:I}", "streams", s->streams, "requests",
                             (json_int_t)s->requests, "refused_rate", (json_int_t)s->refused_rate,
                             "errors_4xx", (json_int_t)s->errors_4xx, "heads_cut",
                             (json_int_t)s->heads_cut);
    pthread_mutex_unlock((pthread_mutex_t *)&s->http_lock);
    return json_pack("{s:o, s:f, s:I, s:I, s:I, s:I, s:I, s:f, s:o, s:o, s:{s:i, s:i}, s:I}", "clock",
                     time_json(isfinite(ps.clock) ? ps.clock : NAN), "reports_per_s",
                     reports_per_s, "reports", (json_int_t)ps.reports, "tracks",
                     (json_int_t)ps.tracks, "events", (json_int_t)ps.events, "tracks_dropped",
                     (json_int_t)ps.dropped, "tracks_refused", (json_int_t)ps.tracks_refused,
                     "backlog_s", lag, "feed", feed, "http", http, "zones", "count",
                     aw_zones_count(serve_zones(s)), "version", serve_zones_number(s), "advice",
                     (json_int_t)serve_advice_count(s));
}

/* ---- zones --------------------------------------------------------------------- */

/* Append the points of one edge, without its start, to out ([lon, lat] pairs). */
static void densify_edge(const struct geod_geodesic *g, aw_edge_kind kind, double lon1,
                         double lat1, double lon2, double lat2, json_t *out)
{
    const double step_m = 20000;
    int n = 1;
    if (kind == AW_EDGE_GEODESIC) {
        double s12, azi1, azi2;
        geod_inverse(g, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
        n = (int)ceil(s12 / step_m);
        if (n > 1) {
            struct geod_geodesicline line;
            geod_inverseline(&line, g, lat1, lon1, lat2, lon2, 0);
            for (int k = 1; k < n; k++) {
                double lat, lon;
                geod_position(&line, s12 * k / n, &lat, &lon, NULL);
                /* keep longitudes continuous with the ring's (rings may run past 180) */
                lon += 360 * round((lon1 + (lon2 - lon1) * k / n - lon) / 360);
                json_array_append_new(out, json_pack("[f,f]", lon, lat));
            }
        }
    } else if (kind == AW_EDGE_PLANAR) {
        double deg = fmax(fabs(lon2 - lon1), fabs(lat2 - lat1));
        n = (int)ceil(deg / 0.2);
        for (int k = 1; k < n; k++)
            json_array_append_new(out, json_pack("[f,f]", lon1 + (lon2 - lon1) * k / n,
                                                 lat1 + (lat2 - lat1) * k / n));
    }
    json_array_append_new(out, json_pack("[f,f]", lon2, lat2));
}

static json_t *densify_ring(const struct geod_geodesic *g, aw_edge_kind kind, json_t *ring)
{
    json_t *out = json_array();
    size_t n = json_array_size(ring);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(ring, i);
        double lon = json_number_value(json_array_get(p, 0)), lat = json_number_value(json_array_get(p, 1));
        if (i == 0) {
            json_array_append_new(out, json_pack("[f,f]", lon, lat));
            continue;
        }
        json_t *q = json_array_get(ring, i - 1);
        densify_edge(g, kind, json_number_value(json_array_get(q, 0)),
                     json_number_value(json_array_get(q, 1)), lon, lat, out);
    }
    return out;
}

static json_t *densify_polygon(const struct geod_geodesic *g, aw_edge_kind kind, json_t *poly)
{
    json_t *out = json_array();
    size_t i;
    json_t *ring;
    json_array_foreach(poly, i, ring)
        json_array_append_new(out, densify_ring(g, kind, ring));
    return out;
}

/* Add the features of one spec's GeoJSON to `features`, densified, with the properties
 * the loaded zone set knows (name and kind default to the id and ""). */
static void add_features(const aw_zone_set *zs, const char *text, size_t len, json_t *features)
{
    const struct geod_geodesic *g = aw_wgs84();
    json_t *root = json_loadb(text, len, 0, NULL);
    json_t *list = json_object_get(root, "features");
    if (!list && root) {
        list = json_array();
        json_array_append(list, root);
    } else {
        json_incref(list);
    }
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f) {
        json_t *props = json_object_get(f, "properties");
        const char *id = json_string_value(json_object_get(props, "id"));
        int zi = id ? aw_zones_find(zs, id) : -1;
        if (zi < 0)
            continue;
        const aw_zone_info *info = aw_zones_info(zs, zi);
        json_t *geom = json_object_get(f, "geometry");
        const char *type = json_string_value(json_object_get(geom, "type"));
        json_t *coords = json_object_get(geom, "coordinates"), *dense;
        if (type && strcmp(type, "Polygon") == 0) {
            dense = densify_polygon(g, info->edges, coords);
        } else {
            dense = json_array();
            size_t k;
            json_t *poly;
            json_array_foreach(coords, k, poly)
                json_array_append_new(dense, densify_polygon(g, info->edges, poly));
        }
        json_t *p = json_copy(props);
        json_object_set_new(p, "name", json_string(info->name[0] ? info->name : info->id));
        json_object_set_new(p, "kind", json_string(info->kind));
        json_object_set_new(p, "owner", json_string(info->owner));
        json_array_append_new(features, json_pack("{s:s, s:o, s:{s:s, s:o}}", "type", "Feature",
                                                  "properties", p, "geometry", "type", type,
                                                  "coordinates", dense));
    }
    json_decref(list);
    json_decref(root);
}

char *serve_zones_geojson_text(const aw_zone_set *zs, const char *text, size_t len)
{
    json_t *features = json_array();
    add_features(zs, text, len, features);
    json_t *all = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
    char *out = json_dumps(all, JSON_COMPACT | JSON_REAL_PRECISION(9));
    json_decref(all);
    return out;
}

/* A FeatureCollection of tracks (the text of /api/tracks and of stream messages),
 * without its closing brace so that the stream can add "removed". */
void serve_tracks_text(serve_ctx *s, const aw_picture_track *tracks, long n, uint64_t version,
                       serve_buf *b)
{
    aw_picture_stats st;
    aw_picture_get_stats(s->pic, &st);
    char clock[40];
    serve_buf_printf(b, "{\"type\":\"FeatureCollection\",\"clock\":");
    if (isfinite(st.clock))
        serve_buf_json_string(b, aw_format_time(st.clock, clock, sizeof clock));
    else
        serve_buf_printf(b, "null");
    serve_buf_printf(b, ",\"version\":%llu,\"features\":[", (unsigned long long)version);
    for (long i = 0; i < n; i++) {
        if (i)
            serve_buf_printf(b, ",");
        serve_track_feature_text(s, &tracks[i], st.clock, b);
    }
    serve_buf_printf(b, "]");
}

/* What identifies an event for the alert flag: type, track, zone and time to the
 * millisecond (FNV-1a; 0 is kept for the empty slot). */
static uint64_t event_key(const aw_event *ev)
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%d|%s|%s|%.0f", (int)ev->type, ev->track, ev->zone,
                     ev->time * 1000);
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n && i < (int)sizeof buf; i++)
        h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
    return h ? h : 1;
}

void serve_alerted_add(serve_ctx *s, const aw_event *ev)
{
    uint64_t k = event_key(ev);
    pthread_mutex_lock(&s->alerted_lock);
    if ((s->alerted_n + 1) * 2 > s->alerted_cap) { /* grow, at most half full */
        size_t cap = s->alerted_cap ? s->alerted_cap * 2 : 1024;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t) {
            pthread_mutex_unlock(&s->alerted_lock);
            return;
        }
        for (size_t i = 0; i < s->alerted_cap; i++)
            if (s->alerted[i]) {
                size_t j = s->alerted[i] & (cap - 1);
                while (t[j])
                    j = (j + 1) & (cap - 1);
                t[j] = s->alerted[i];
            }
        free(s->alerted);
        s->alerted = t;
        s->alerted_cap = cap;
    }
    size_t j = k & (s->alerted_cap - 1);
    while (s->alerted[j] && s->alerted[j] != k)
        j = (j + 1) & (s->alerted_cap - 1);
    if (!s->alerted[j]) {
        s->alerted[j] = k;
        s->alerted_n++;
    }
    pthread_mutex_unlock(&s->alerted_lock);
}

bool serve_alerted(const serve_ctx *s, const aw_event *ev)
{
    uint64_t k = event_key(ev);
    serve_ctx *m = (serve_ctx *)s; /* the lock only */
    pthread_mutex_lock(&m->alerted_lock);
    bool found = false;
    if (s->alerted_cap)
        for (size_t j = k & (s->alerted_cap - 1); s->alerted[j]; j = (j + 1) & (s->alerted_cap - 1))
            if (s->alerted[j] == k) {
                found = true;
                break;
            }
    pthread_mutex_unlock(&m->alerted_lock);
    return found;
}
