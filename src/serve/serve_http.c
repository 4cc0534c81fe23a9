/* serve_http.c -- the HTTP side of `adizwatch serve`: the gate every request passes, the
 * JSON API, the login page and the map's files, on libmicrohttpd.
 *
 * Threading: libmicrohttpd runs one thread per connection (bounded: SERVE_MAX_CONNECTIONS
 * in all, SERVE_MAX_PER_IP per address), so a stream client may block in its reader
 * waiting for the picture to change without holding anyone else up. Every answer is
 * built from copies taken under the picture's lock; nothing here touches the engine.
 *
 * The gate (docs/web.md, "Security"), in order: a query with too many parameters (431)
 * or a NUL (400), a Host not ours (421), the rate per address (429), a body where none
 * is taken (413), unknown or repeated parameters (400); then, for a state change, the
 * Origin and the token (serve_guard.c). A watchdog cuts connections whose request head
 * is late: libmicrohttpd's own timeout counts only silence. */
#include <arpa/inet.h>
#include <math.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/ingest.h"
#include "adizwatch/observer.h"
#include "adizwatch/store.h"
#include "adizwatch/theater.h"
#include "serve/serve.h"

/* The map's files, compiled in (cmake/web.cmake). */
#define WEB_ASSET(sym) extern const unsigned char sym[]; extern const size_t sym##_size;
WEB_ASSET(web_index_html)
WEB_ASSET(web_app_js)
WEB_ASSET(web_app_css)
WEB_ASSET(web_leaflet_js)
WEB_ASSET(web_leaflet_css)
WEB_ASSET(web_land_json)

static const struct {
    const char *path, *type;
    const unsigned char *data;
    const size_t *size;
} assets[] = {
    {"/", "text/html; charset=utf-8", web_index_html, &web_index_html_size},
    {"/app.js", "text/javascript; charset=utf-8", web_app_js, &web_app_js_size},
    {"/app.css", "text/css; charset=utf-8", web_app_css, &web_app_css_size},
    {"/lib/leaflet.js", "text/javascript; charset=utf-8", web_leaflet_js, &web_leaflet_js_size},
    {"/lib/leaflet.css", "text/css; charset=utf-8", web_leaflet_css, &web_leaflet_css_size},
    {"/data/land-50m.json", "application/json", web_land_json, &web_land_json_size},
};

/* ---- /api/tracks ------------------------------------------------------------------- */

static enum MHD_Result api_tracks(serve_ctx *s, struct MHD_Connection *c)
{
    aw_picture_track *tracks;
    uint64_t version;
    long n = aw_picture_tracks(s->pic, 0, &tracks, &version);
    if (n < 0)
        return MHD_NO;
    serve_buf b = {0};
    serve_tracks_text(s, tracks, n, version, &b);
    serve_buf_printf(&b, "}");
    free(tracks);
    if (b.failed) {
        free(b.data);
        return MHD_NO;
    }
    return serve_send_text(c, 200, "application/json", b.data, b.len, MHD_RESPMEM_MUST_FREE);
}

#define TRAIL_MAX 1000

static enum MHD_Result api_trail(serve_ctx *s, struct MHD_Connection *c, const char *id)
{
    aw_picture_track t;
    static __thread aw_trail_point pts[TRAIL_MAX];
    int n = aw_picture_find_track(s->pic, id, &t, pts, TRAIL_MAX);
    if (n < 0)
        return serve_send_error(s, c, 404, "no such track");
    aw_picture_stats st;
    aw_picture_get_stats(s->pic, &st);
    json_t *f = serve_track_feature(s, &t, st.clock);
    json_t *props = json_object_get(f, "properties");
    /* Depth now: the distance to the boundary of each zone the track is inside. */
    json_t *zones = json_object_get(props, "zones");
    size_t zi;
    json_t *z;
    json_array_foreach(zones, zi, z) {
        const aw_zone_set *zs = serve_zones(s);
        int k = aw_zones_find(zs, json_string_value(json_object_get(z, "id")));
        if (k >= 0)
            json_object_set_new(z, "depth_m",
                                json_real(aw_zone_boundary_distance(zs, k, t.lat, t.lon)));
    }
    char where[128];
    if (aw_where(t.lat, t.lon, where, sizeof where) >= 0)
        json_object_set_new(props, "where", json_string(where));
    json_t *coords = json_array(), *points = json_array();
    for (int i = 0; i < n; i++) {
        char tb[40];
        json_array_append_new(coords, json_pack("[f,f]", pts[i].lon, pts[i].lat));
        json_array_append_new(points, json_pack("{s:s, s:f, s:f, s:o}", "time",
                                                aw_format_time(pts[i].time, tb, sizeof tb),
                                                "lat", pts[i].lat, "lon", pts[i].lon, "alt_ft",
                                                isfinite(pts[i].alt_ft) ? json_real(pts[i].alt_ft) : json_null()));
    }
    json_object_set_new(props, "points", points);
    json_object_set_new(f, "geometry", json_pack("{s:s, s:o}", "type", "LineString", "coordinates", coords));
    return serve_send_json(c, 200, f);
}

/* ---- /api/events ------------------------------------------------------------------- */

typedef struct event_ring {
    aw_event *ev;
    int max, n, next;
    bool newest; /* keep the last max (no since) rather than the first */
} event_ring;

static int collect_event(const aw_event *ev, void *user)
{
    event_ring *r = user;
    if (!r->newest && r->n == r->max)
        return 1;
    r->ev[r->next] = *ev;
    r->next = (r->next + 1) % r->max;
    if (r->n < r->max)
        r->n++;
    return 0;
}

/* /api/report?observer=KR&day=YYYY-MM-DD[&reconcile=JP]: the observer report's JSON
 * (the same as `adizwatch report`), from the store. Local time is the observer's. */
static enum MHD_Result api_report(serve_ctx *s, struct MHD_Connection *c)
{
    const char *observer = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "observer");
    const char *day = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "day");
    const char *other = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "reconcile");
    if (!s->reader)
        return serve_send_error(s, c, 404, "the report needs the store: start serve with --db FILE");
    aw_observer_options opt;
    aw_observer_defaults(&opt);
    opt.observer = observer;
    opt.other = other && *other ? other : NULL;
    if (!observer || strlen(observer) != 2 || !day)
        return serve_send_error(s, c, 400, "observer (e.g. KR) and day (YYYY-MM-DD) are required");
    opt.tz_offset_s = aw_observer_utc_offset(observer);
    if (aw_observer_day(&opt, day) < 0)
        return serve_send_error(s, c, 400, "day: YYYY-MM-DD");
    char err[256] = "out of memory";
    size_t nev = 0;
    pthread_mutex_lock(&s->reader_lock);
    aw_event *events = aw_store_events_all(s->reader, &nev, err, sizeof err);
    aw_report_basis *basis = events ? aw_report_basis_load(s->reader, err, sizeof err) : NULL;
    pthread_mutex_unlock(&s->reader_lock);
    opt.basis = basis;
    char *text = NULL;
    size_t len = 0;
    FILE *json = events ? open_memstream(&text, &len) : NULL;
    int n = json ? aw_observer_report(events, nev, serve_zones(s), s->aircraft_db, &opt, NULL, json) : -1;
    if (json)
        fclose(json);
    free(events);
    aw_report_basis_free(basis);
    if (n < 0) {
        free(text);
        return serve_send_json(c, 500, json_pack("{s:s, s:i}", "error", err, "status", 500));
    }
    return serve_send_text(c, 200, "application/json", text, len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result api_events(serve_ctx *s, struct MHD_Connection *c)
{
    const char *since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    const char *zone = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "zone");
    const char *track = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "track");
    const char *limit_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    double since = NAN;
    if (since_s && aw_parse_time(since_s, strlen(since_s), &since) < 0)
        return serve_send_error(s, c, 400, "since: not a time (ISO 8601 with a zone, or Unix seconds)");
    long limit = 100;
    if (limit_s) {
        double l;
        if (!serve_decimal(limit_s, &l) || strchr(limit_s, '.') || l < 1 || l > SERVE_EVENTS_LIMIT_MAX)
            return serve_send_error(s, c, 400, "limit: an integer from 1 to 10000");
        limit = (long)l;
    }
    if (zone && !*zone)
        zone = NULL;
    if (track && !*track)
        track = NULL;
    event_ring ring = {calloc((size_t)limit, sizeof(aw_event)), (int)limit, 0, 0, !since_s};
    if (!ring.ev)
        return MHD_NO;
    const char *source = "memory";
    if (s->reader) {
        source = "store";
        aw_event_query q = {zone, track, since, NAN};
        char err[256];
        pthread_mutex_lock(&s->reader_lock);
        long got = aw_store_query(s->reader, &q, collect_event, &ring, err, sizeof err);
        pthread_mutex_unlock(&s->reader_lock);
        if (got < 0) {
            free(ring.ev);
            return serve_send_json(c, 500, json_pack("{s:s, s:i}", "error", err, "status", 500));
        }
    } else {
        ring.n = aw_picture_events(s->pic, 0, zone, track, isfinite(since) ? since : -INFINITY,
                                   ring.newest, ring.ev, NULL, ring.max);
        ring.next = ring.n % ring.max;
    }
    json_t *list = json_array();
    int first = ring.n < ring.max ? 0 : ring.next; /* oldest of the ring */
    double last = NAN;
    for (int k = 0; k < ring.n; k++) {
        const aw_event *ev = &ring.ev[(first + k) % ring.max];
        json_array_append_new(list, serve_event_json(s, ev));
        last = ev->time;
    }
    free(ring.ev);
    char tb[40];
    return serve_send_json(c, 200, json_pack("{s:s, s:i, s:o, s:s?}", "source", source, "count",
                                       (int)json_array_size(list), "events", list, "last_time",
                                       isfinite(last) ? aw_format_time(last, tb, sizeof tb) : NULL));
}

/* ---- /api/replay: the replay clock's speed ------------------------------------------ */

static enum MHD_Result api_replay(serve_ctx *s, struct MHD_Connection *c, bool post)
{
    if (post) {
        if (s->mode != SERVE_REPLAY)
            return serve_send_error(s, c, 409, "not replaying: speed and seek apply to --replay only");
        const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "speed");
        const char *t = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "seek");
        double speed = NAN, seek = NAN;
        if (!v && !t)
            return serve_send_error(s, c, 400, "speed=X (0 to 100000) or seek=TIME, or both");
        if (v && (!serve_decimal(v, &speed) || speed > 100000))
            return serve_send_error(s, c, 400, "speed: a decimal number from 0 (paused) to 100000");
        if (t && (aw_parse_time(t, strlen(t), &seek) < 0 || !isfinite(seek)))
            return serve_send_error(s, c, 400, "seek: a time (ISO 8601 with a zone, or Unix seconds)");
        pthread_mutex_lock(&s->feed_lock);
        double was = s->speed;
        if (v)
            s->speed = speed;
        if (t)
            s->seek_to = seek;
        pthread_mutex_unlock(&s->feed_lock);
        if (v)
            serve_log(s, "replay speed %g -> %g", was, speed);
        if (t) {
            char tb[40];
            serve_log(s, "replay seek to %s", aw_format_time(seek, tb, sizeof tb));
        }
    }
    pthread_mutex_lock(&s->feed_lock);
    json_t *o = json_pack("{s:b, s:o, s:s}", "replay", s->mode == SERVE_REPLAY, "speed",
                          s->mode == SERVE_REPLAY ? json_real(s->speed) : json_null(), "state",
                          s->feed_state);
    pthread_mutex_unlock(&s->feed_lock);
    return serve_send_json(c, 200, o);
}

/* ---- dispatch ---------------------------------------------------------------------- */

/* One token per request; a client address out of tokens is refused. */
static bool rate_ok(serve_ctx *s, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    uint32_t addr = 0;
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        addr = ((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr.s_addr;
    double now = serve_mono_s();
    pthread_mutex_lock(&s->http_lock);
    s->requests++;
    /* Addresses that share a slot share its bucket: starting it afresh for each new
     * address would let two clients that collide reset each other's bound forever. The
     * slot is the top bits of a multiplicative hash: the low bits depend only on the
     * address's low bits, and would put a whole /24 in one bucket. */
    rate_slot *slot = &s->rate[serve_rate_slot(addr)];
    if (slot->at == 0) {
        slot->tokens = SERVE_RATE_BURST;
        slot->at = now;
    }
    slot->tokens = fmin(SERVE_RATE_BURST, slot->tokens + (now - slot->at) * SERVE_RATE_PER_S);
    slot->at = now;
    bool ok = slot->tokens >= 1;
    if (ok)
        slot->tokens -= 1;
    else
        s->refused_rate++;
    pthread_mutex_unlock(&s->http_lock);
    return ok;
}

/* ---- the login page ---------------------------------------------------------------- */

/* A fixed page (nothing from the request or the data is put in it). */
static const char login_page[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>adizwatch - sign in</title>"
    "<link rel=\"stylesheet\" href=\"/app.css\"></head><body class=\"login\"><form method=\"post\" "
    "action=\"/login\"><h1>ADIZWATCH</h1><p>This server is read-only without its token (the "
    "contents of serve's --token-file).</p><label>Token <input type=\"password\" name=\"token\" "
    "id=\"token\" autocomplete=\"current-password\" required></label> <button id=\"sign-in\">Sign in"
    "</button> <a href=\"/\">back to the map</a></form></body></html>";

/* POST /login with token=TOKEN (form-encoded): the session cookie and back to the map. */
static enum MHD_Result login(serve_ctx *s, struct MHD_Connection *c, const char *body)
{
    if (!s->token)
        return serve_send_error(s, c, 403, "read-only: this server has no token (start serve with --token-file)");
    if (strncmp(body, "token=", 6) != 0 || !serve_secret_equal(body + 6, s->token)) {
        serve_log(s, "login refused: wrong token");
        return serve_send_error(s, c, 403, "wrong token");
    }
    char cookie[160];
    snprintf(cookie, sizeof cookie, "aw_session=%s; Path=/; HttpOnly; SameSite=Strict%s", s->session,
             s->tls ? "; Secure" : "");
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Set-Cookie", cookie);
    MHD_add_response_header(r, "Location", "/");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, 303, r);
    MHD_destroy_response(r);
    serve_log(s, "login: session opened");
    return ret;
}

/* ---- zones at run time --------------------------------------------------------------- */

/* PUT /api/zones/{id} (a GeoJSON Feature) or DELETE /api/zones/{id}: 201 added, 200
 * replaced or deleted, 422 with the problems listed, 404 no such zone to delete. */
static enum MHD_Result api_zone_change(serve_ctx *s, struct MHD_Connection *c, const char *id,
                                       bool put, const char *body, size_t len)
{
    if (!*id || strlen(id) >= 64 || strchr(id, '/'))
        return serve_send_error(s, c, 400, "a zone id: /api/zones/{id}, under 64 characters");
    json_t *problems = json_array();
    bool replaced = false;
    int rc = put ? serve_zones_put(s, id, body ? body : "", len, problems, &replaced)
                 : serve_zones_delete(s, id, problems);
    if (rc == -2) {
        json_decref(problems);
        return serve_send_error(s, c, 404, "no such zone");
    }
    if (rc < 0) {
        serve_log(s, "zone %.64s: %s refused (%zu problem%s)", id, put ? "change" : "deletion",
                  json_array_size(problems), json_array_size(problems) == 1 ? "" : "s");
        return serve_send_json(c, 422, json_pack("{s:s, s:i, s:o}", "error", "zone refused", "status", 422,
                                           "problems", problems));
    }
    json_decref(problems);
    serve_log(s, "zone %.64s %s; in force from the next report", id,
              !put ? "deleted" : replaced ? "replaced" : "added");
    return serve_send_json(c, put && !replaced ? 201 : 200,
                     json_pack("{s:s, s:s, s:i}", "zone", id, "change",
                               !put ? "deleted" : replaced ? "replaced" : "added", "zones",
                               aw_zones_count(serve_zones(s))));
}

/* ---- the gate and the dispatch ------------------------------------------------------ */

/* What each request carries from its first line to its answer (made by uri_logged). */
typedef struct request {
    bool head_seen;        /* the handler has been called once */
    bool too_many_params;  /* the query had more than SERVE_MAX_PARAMS names */
    bool nul;              /* "%00" in the raw URL */
    bool body_too_big;
    size_t body_max;       /* what this request may send: the login form, a zone, or nothing */
    size_t body_len, body_cap;
    char *body;            /* NUL-terminated */
} request;

/* Called with the raw URL before libmicrohttpd records the query's parameters. It keeps
 * a record per parameter in the connection's small memory pool, and a query with
 * hundreds of them exhausts it and gets the connection closed with no answer; so a
 * query with too many is cut here (the raw URL is in the connection's own, writable
 * read buffer) and answered with 431 by the handler. */
static void *uri_logged(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    request *rq = calloc(1, sizeof *rq);
    if (!rq)
        return NULL;
    const char *q = strchr(uri, '?');
    int n = q && q[1] ? 1 : 0;
    for (const char *p = q; p && *p; p++)
        n += *p == '&';
    for (const char *p = strchr(uri, '%'); p; p = strchr(p + 1, '%'))
        if (p[1] == '0' && p[2] == '0')
            rq->nul = true;
    if (n > SERVE_MAX_PARAMS) {
        rq->too_many_params = true;
        ((char *)q)[1] = '\0';
    }
    return rq;
}

static void head_done(struct MHD_Connection *c);
static void slot_request_done(struct MHD_Connection *c);

/* A state change: the server must have a token, the request must show it, and a page
 * asking must be this server's own (Origin); a client without an Origin must hold the
 * token itself (a bearer header), not just the browser's cookie. Returns 0 if allowed,
 * else the refusal queued. */
static int refuse_change(serve_ctx *s, struct MHD_Connection *c, bool login_form,
                         enum MHD_Result *ret)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (origin && !serve_origin_allowed(s, origin)) {
        serve_log(s, "refused a cross-origin %s", login_form ? "login" : "change");
        *ret = serve_send_error(s, c, 403, "cross-origin request refused");
        return -1;
    }
    if (login_form)
        return 0;
    if (!s->token) {
        *ret = serve_send_error(s, c, 403, "read-only: start serve with --token-file to allow changes");
        return -1;
    }
    serve_auth auth = serve_request_auth(s, c);
    if (auth == SERVE_AUTH_NONE || (auth == SERVE_AUTH_COOKIE && !origin)) {
        serve_log(s, "refused a change without the token");
        *ret = serve_send_error(s, c, 401, auth == SERVE_AUTH_NONE
                                         ? "the token is required (Authorization: Bearer, or sign in at /login)"
                                         : "a change signed in by cookie needs an Origin header");
        return -1;
    }
    return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    serve_ctx *s = cls;
    request *rq = *con_cls;
    if (!rq)
        return MHD_NO; /* out of memory in uri_logged */
    if (!rq->head_seen) { /* the head has arrived; a body may follow */
        rq->head_seen = true;
        rq->body_max = strcmp(url, "/login") == 0 && strcmp(method, "POST") == 0 ? SERVE_BODY_MAX
                       : strncmp(url, "/api/zones/", 11) == 0 && strcmp(method, "PUT") == 0
                           ? SERVE_ZONE_BODY_MAX : 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) { /* keep a body that may come, refuse a big one */
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->body_too_big || rq->body_len + n > rq->body_max) {
            rq->body_too_big = true;
            return MHD_YES;
        }
        if (rq->body_len + n + 1 > rq->body_cap) {
            size_t cap = rq->body_cap ? rq->body_cap : 4096;
            while (cap < rq->body_len + n + 1)
                cap *= 2;
            char *grown = realloc(rq->body, cap);
            if (!grown)
                return MHD_NO;
            rq->body = grown;
            rq->body_cap = cap;
        }
        memcpy(rq->body + rq->body_len, upload_data, n);
        rq->body_len += n;
        rq->body[rq->body_len] = '\0';
        return MHD_YES;
    }
    head_done(c); /* the head and any body are in: the deadline no longer applies */
    if (rq->too_many_params)
        return serve_send_error(s, c, 431, "too many query parameters (at most 16)");
    if (rq->nul)
        return serve_send_error(s, c, 400, "a NUL character (%00) in the URL");
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!serve_host_allowed(s, host)) {
        serve_log(s, "refused Host '%.80s'", host ? host : "(none)");
        return serve_send_error(s, c, 421, "this server does not answer to that Host (see serve --allow-host)");
    }
    if (!rate_ok(s, c))
        return serve_send_error(s, c, 429, "too many requests: at most 50 per second per client");
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    bool is_login = strcmp(url, "/login") == 0;
    if (rq->body_too_big)
        return serve_send_error(s, c, 413, rq->body_max ? "request body too large"
                                                  : "request bodies are not accepted here");

    static const char *const no_params[] = {NULL};
    static const char *const events_params[] = {"since", "zone", "track", "limit", NULL};
    static const char *const report_params[] = {"observer", "day", "reconcile", NULL};
    static const char *const replay_params[] = {"speed", "seek", NULL};
    const char *const *allowed = strcmp(url, "/api/events") == 0   ? events_params
                                 : strcmp(url, "/api/report") == 0 ? report_params
                                 : strcmp(url, "/api/replay") == 0 ? replay_params
                                                                   : no_params;
    char perr[128];
    const char *problem = serve_params_check(c, allowed, perr, sizeof perr);
    if (problem)
        return serve_send_error(s, c, 400, problem);

    enum MHD_Result ret;
    if (is_login) {
        if (get)
            return serve_send_text(c, 200, "text/html; charset=utf-8", (char *)login_page,
                             sizeof login_page - 1, MHD_RESPMEM_PERSISTENT);
        if (!post)
            return serve_method_not_allowed(s, c, "GET, HEAD, POST");
        if (refuse_change(s, c, true, &ret))
            return ret;
        return login(s, c, rq->body ? rq->body : "");
    }
    if (strcmp(url, "/api/replay") == 0) {
        if (!get && !post)
            return serve_method_not_allowed(s, c, "GET, HEAD, POST");
        if (post && refuse_change(s, c, false, &ret))
            return ret;
        return api_replay(s, c, post);
    }
    if (strncmp(url, "/api/zones/", 11) == 0) {
        bool put = strcmp(method, "PUT") == 0, del = strcmp(method, "DELETE") == 0;
        if (!put && !del)
            return serve_method_not_allowed(s, c, "PUT, DELETE");
        if (refuse_change(s, c, false, &ret))
            return ret;
        return api_zone_change(s, c, url + 11, put, rq->body, rq->body_len);
    }
    if (!get)
        return serve_method_not_allowed(s, c, "GET, HEAD");
    if (strcmp(url, "/api/session") == 0)
        return serve_send_json(c, 200, json_pack("{s:b, s:b, s:s}", "write",
                                           serve_request_auth(s, c) != SERVE_AUTH_NONE, "token",
                                           s->token != NULL, "login", "/login"));
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        if (strcmp(url, assets[i].path) == 0 || (strcmp(url, "/index.html") == 0 && i == 0))
            return serve_send_text(c, 200, assets[i].type, (char *)assets[i].data, *assets[i].size,
                             MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/api/zones") == 0) {
        size_t len;
        const char *json = serve_zones_json(s, &len);
        return serve_send_text(c, 200, "application/geo+json", (char *)json, len, MHD_RESPMEM_PERSISTENT);
    }
    if (strcmp(url, "/api/tracks") == 0)
        return api_tracks(s, c);
    if (strncmp(url, "/api/tracks/", 12) == 0) {
        const char *id = url + 12, *slash = strchr(id, '/');
        if (slash && strcmp(slash, "/trail") == 0 && slash > id && slash - id < AW_TRACK_ID_MAX) {
            char tid[AW_TRACK_ID_MAX];
            memcpy(tid, id, (size_t)(slash - id));
            tid[slash - id] = '\0';
            return api_trail(s, c, tid);
        }
        return serve_send_error(s, c, 404, "no such endpoint: use /api/tracks/{id}/trail");
    }
    if (strcmp(url, "/api/events") == 0)
        return api_events(s, c);
    if (strcmp(url, "/api/stats") == 0)
        return serve_send_json(c, 200, serve_stats_json(s));
    if (strcmp(url, "/api/advice") == 0)
        return serve_send_json(c, 200, serve_advice_json(s));
    if (strcmp(url, "/api/report") == 0)
        return api_report(s, c);
    if (strcmp(url, "/api/stream") == 0)
        return serve_api_stream(s, c);
    if (strcmp(url, "/metrics") == 0) { /* Prometheus: the feed thread renders it */
        pthread_mutex_lock(&s->feed_lock);
        char *text = strdup(s->metrics ? s->metrics : "");
        pthread_mutex_unlock(&s->feed_lock);
        if (!text)
            return MHD_NO;
        return serve_send_text(c, 200, "text/plain; version=0.0.4; charset=utf-8", text,
                               strlen(text), MHD_RESPMEM_MUST_FREE);
    }
    return serve_send_error(s, c, 404, "not found");
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    request *rq = *con_cls;
    if (rq)
        free(rq->body);
    free(rq);
    *con_cls = NULL;
    slot_request_done(c);
}

static void log_error(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (strstr(msg, "no longer available")) /* a stream client went away: routine */
        return;
    serve_log(cls, "%s", msg);
}

/* ---- the head deadline --------------------------------------------------------------- */

/* libmicrohttpd's own timeout is for silence: a client sending one header line every few
 * seconds keeps its connection (and, here, its thread) for ever. So each connection is
 * noted when it opens, and a watchdog shuts down the socket of any whose request head
 * has not arrived whole SERVE_HEAD_TIMEOUT_S after it opened (or SERVE_IDLE_TIMEOUT_S
 * after its previous request, on a kept-alive connection); libmicrohttpd then closes it
 * as it does any connection whose client went away. */
typedef struct conn_slot {
    bool used, reading_head, cut;
    int fd;
    double deadline;
} conn_slot;

struct serve_http {
    struct MHD_Daemon *daemon;
    serve_ctx *s;
    pthread_mutex_t lock;
    conn_slot slots[SERVE_MAX_CONNECTIONS + 16];
    pthread_t watchdog;
    atomic_bool stopping;
};

static serve_http *the_http; /* one server per process: reached from connection callbacks */

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    serve_http *h = cls;
    pthread_mutex_lock(&h->lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        for (size_t i = 0; ci && i < sizeof h->slots / sizeof h->slots[0]; i++)
            if (!h->slots[i].used) {
                h->slots[i] = (conn_slot){true, true, false, ci->connect_fd,
                                          serve_mono_s() + SERVE_HEAD_TIMEOUT_S};
                *socket_context = &h->slots[i];
                break;
            }
    } else if (*socket_context) {
        ((conn_slot *)*socket_context)->used = false;
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&h->lock);
}

static conn_slot *slot_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void head_done(struct MHD_Connection *c)
{
    conn_slot *slot = slot_of(c);
    if (!slot || !the_http)
        return;
    pthread_mutex_lock(&the_http->lock);
    slot->reading_head = false;
    pthread_mutex_unlock(&the_http->lock);
}

static void slot_request_done(struct MHD_Connection *c)
{
    conn_slot *slot = slot_of(c);
    if (!slot || !the_http)
        return;
    pthread_mutex_lock(&the_http->lock);
    slot->reading_head = true;
    slot->deadline = serve_mono_s() + SERVE_IDLE_TIMEOUT_S;
    pthread_mutex_unlock(&the_http->lock);
}

static void *watchdog(void *arg)
{
    serve_http *h = arg;
    while (!h->stopping) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
        double now = serve_mono_s();
        unsigned long cut = 0;
        pthread_mutex_lock(&h->lock);
        for (size_t i = 0; i < sizeof h->slots / sizeof h->slots[0]; i++) {
            conn_slot *sl = &h->slots[i];
            if (sl->used && sl->reading_head && !sl->cut && now > sl->deadline) {
                shutdown(sl->fd, SHUT_RDWR);
                sl->cut = true;
                cut++;
            }
        }
        pthread_mutex_unlock(&h->lock);
        if (cut) {
            pthread_mutex_lock(&h->s->http_lock);
            h->s->heads_cut += cut;
            pthread_mutex_unlock(&h->s->http_lock);
        }
        if (cut)
            serve_log(h->s, "closed %lu connection%s whose request head was late (%.0f s)", cut,
                      cut == 1 ? "" : "s", SERVE_HEAD_TIMEOUT_S);
    }
    return NULL;
}

serve_http *serve_http_start(serve_ctx *s, const char *addr_port, const char *tls_cert,
                             const char *tls_key)
{
    char host[64];
    const char *colon = strrchr(addr_port, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    if (!colon || (size_t)(colon - addr_port) >= sizeof host || *end || port < 0 || port > 65535) {
        fprintf(stderr, "adizwatch: --http wants ADDR:PORT (IPv4), not '%s'\n", addr_port);
        return NULL;
    }
    memcpy(host, addr_port, (size_t)(colon - addr_port));
    host[colon - addr_port] = '\0';
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "adizwatch: --http: '%s' is not an IPv4 address\n", host);
        return NULL;
    }
    sa.sin_port = htons((uint16_t)port);
    snprintf(s->bound_host, sizeof s->bound_host, "%s", host);
    s->tls = tls_cert != NULL;
    serve_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->s = s;
    pthread_mutex_init(&h->lock, NULL);
    the_http = h;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (s->tls)
        flags |= MHD_USE_TLS;
    h->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, s, MHD_OPTION_EXTERNAL_LOGGER, log_error, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_MAX_PER_IP,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_REQUEST_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_IDLE_TIMEOUT_S,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logged, s,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
        s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, tls_cert,
        MHD_OPTION_HTTPS_MEM_KEY, tls_key, MHD_OPTION_END);
    if (!h->daemon) {
        fprintf(stderr, "adizwatch: cannot listen on %s (in use? not a local address?%s)\n", addr_port,
                s->tls ? " a bad TLS certificate or key?" : "");
        the_http = NULL;
        pthread_mutex_destroy(&h->lock);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    /* The daemon's threads are running already and read the port (serve_guard.c): an
     * atomic store, so that ThreadSanitizer, which cannot see that a client learns the
     * port only from the line below, sees no race either. */
    __atomic_store_n(&s->port, di ? di->port : (unsigned)port, __ATOMIC_RELEASE);
    if (pthread_create(&h->watchdog, NULL, watchdog, h) != 0) {
        fprintf(stderr, "adizwatch: cannot start the HTTP watchdog\n");
        MHD_stop_daemon(h->daemon);
        the_http = NULL;
        free(h);
        return NULL;
    }
    fprintf(stderr, "adizwatch: serving the map on %s://%s:%u/ (%s)\n", s->tls ? "https" : "http",
            host, __atomic_load_n(&s->port, __ATOMIC_ACQUIRE), s->token ? "changes need the token" : "read-only: no --token-file");
    return h;
}

void serve_http_stop(serve_http *h)
{
    if (!h)
        return;
    h->stopping = true;
    pthread_join(h->watchdog, NULL);
    MHD_stop_daemon(h->daemon);
    the_http = NULL;
    pthread_mutex_destroy(&h->lock);
    free(h);
}
