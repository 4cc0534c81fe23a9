/* serve.h -- what the parts of `adizwatch serve` share: the feed thread (cli/serve_feed.c),
 * the HTTP server (serve_http.c) and the JSON they speak (serve_json.c). */
#ifndef ADIZWATCH_CLI_SERVE_H
#define ADIZWATCH_CLI_SERVE_H

#include <arpa/inet.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "adizwatch/identify.h"
#include "adizwatch/picture.h"
#include "adizwatch/store.h"
#include "adizwatch/zones.h"

/* Where the reports come from. */
typedef enum serve_mode { SERVE_CONNECT, SERVE_REPLAY } serve_mode;

/* Bounds on what a client may ask (docs/web.md, "Limits"). A connection is a thread
 * (serve_http.c), so the total is set high enough that 200 slow clients from a few
 * addresses cannot take every slot, and the head deadline frees theirs within seconds. */
#define SERVE_MAX_CONNECTIONS 512     /* open connections in all */
#define SERVE_MAX_PER_IP 32           /* open connections per client address */
#define SERVE_HEAD_TIMEOUT_S 5.0      /* a request head must arrive whole within this */
#define SERVE_IDLE_TIMEOUT_S 30       /* a connection silent this long is closed */
#define SERVE_MAX_STREAMS 256         /* /api/stream clients at once (a thread each) */
#define SERVE_REQUEST_MEMORY 32768    /* bytes per connection for the request head */
#define SERVE_MAX_PARAMS 16           /* query parameters in one request */
#define SERVE_BODY_MAX 4096           /* the login form's body */
#define SERVE_ZONE_BODY_MAX (4 << 20) /* a zone PUT's body: one GeoJSON Feature */
#define SERVE_LOG_PER_10S 20          /* log lines per 10 s; the rest are counted */
#define SERVE_TOKEN_MIN 16            /* characters in a --token-file token */
#define SERVE_MAX_ALLOW_HOSTS 16
#define SERVE_ADVICE_KEEP 500         /* advice and intercepts kept for the map */
#define SERVE_RATE_PER_S 50.0         /* requests per second per client address ... */
#define SERVE_RATE_BURST 200.0        /* ... after a burst of this many */
#define SERVE_EVENTS_LIMIT_MAX 10000  /* most events one /api/events answer holds */

/* Per-address token buckets, hashed into a fixed table (two addresses sharing a slot
 * share a bucket: the bound still holds, at worst for both together). The server
 * listens on IPv4 only (--http ADDR:PORT), so the key is the IPv4 address. */
#define SERVE_RATE_SLOTS_LOG2 10
#define SERVE_RATE_SLOTS (1u << SERVE_RATE_SLOTS_LOG2)
typedef struct rate_slot {
    double tokens, at;
} rate_slot;

/* The bucket of an IPv4 address as the socket holds it (network byte order). */
static inline unsigned serve_rate_slot(uint32_t addr_be)
{
    return (uint32_t)(ntohl(addr_be) * 2654435761u) >> (32 - SERVE_RATE_SLOTS_LOG2);
}

typedef struct serve_ctx {
    /* fixed at start */
    serve_mode mode;
    const char *source;             /* HOST:PORT or the replay file */
    /* the zones in force, changed at run time (serve_zones.c) */
    struct serve_zones_version *_Atomic zv; /* read with serve_zones(), serve_zones_json() */
    pthread_mutex_t zones_lock;     /* one change at a time */
    json_t *zone_base;              /* the features of --zones */
    json_t *zone_overlay;           /* the changes: {"put": {id: feature}, "deleted": [id]} */
    char *zones_file;               /* where the changes are kept (with --db), or NULL */
    aw_aircraft_db *aircraft_db;    /* may be NULL */
    const char *friendly;           /* --friendly: ISO codes, comma-separated (may be NULL) */
    /* --rules / --output: the alert flag is what the rules selected (serve_alerted), not
     * the --friendly test; the set holds a hash per selected event, under alerted_lock */
    bool rules_on;
    struct aw_alerts *alerts;       /* the rules, for advice and intercepts (feed thread) */
    pthread_mutex_t alerted_lock;
    uint64_t *alerted;              /* open addressing, 0 = empty */
    size_t alerted_n, alerted_cap;
    char *metrics;                  /* GET /metrics' text, rendered by the feed thread (feed_lock) */
    struct serve_advice *advice;    /* --advise (serve_advice.c), else NULL */
    aw_picture *pic;
    double started;                 /* wall clock, for uptime */

    /* the store, read by HTTP threads through their own handle */
    aw_store *reader;               /* NULL without --db */
    pthread_mutex_t reader_lock;

    /* feed state, written by the feed thread and (speed) by POST /api/replay */
    pthread_mutex_t feed_lock;
    char feed_state[32];            /* "connecting", "connected", "replaying", "paused", "done" ... */
    double speed;                   /* replay speed (0 = paused) */
    double lag_s;                   /* how far the feed is behind its schedule (replay) */
    double seek_to;                 /* POST /api/replay?seek=: where to go (NAN: nowhere) */
    double replay_start;            /* the first report's time (-INFINITY before it) */
    double fed_until;               /* the newest report time fed (-INFINITY before any) */
    atomic_bool rerun;              /* reports fed again after a seek back: output muted */
    double reports_per_s;           /* accepted reports in the last full second */
    uint64_t lines, bad_lines;
    atomic_bool stop;               /* set once, on SIGINT or SIGTERM */

    /* security (serve_guard.c; docs/web.md, "Security") */
    const char *token;              /* --token-file's token; NULL: the server is read-only */
    char session[65];               /* the login cookie's value: random, one per run */
    const char *allow_hosts[SERVE_MAX_ALLOW_HOSTS]; /* --allow-host: names besides the
                                                     * bound address and localhost */
    int nallow_hosts;
    char bound_host[64];            /* --http's address */
    unsigned port;                  /* the port listened on (atomic: set once threads run) */
    bool tls;                       /* --tls-cert: https, and Secure cookies */
    double log_tokens, log_at;      /* the log's token bucket (under http_lock) */
    unsigned long log_dropped;

    /* HTTP bookkeeping */
    pthread_mutex_t http_lock;
    int streams;                    /* /api/stream clients now */
    uint64_t requests, refused_rate, errors_4xx;
    uint64_t heads_cut;             /* connections closed for a late request head */
    rate_slot rate[SERVE_RATE_SLOTS];
} serve_ctx;

/* ---- JSON (serve_json.c) ---------------------------------------------------------- */

/* A GeoJSON Point feature of a track: id, callsign, squawk, time, alt_ft, speed_kt,
 * heading_deg, nation, nation_name, type, registration, military, unidentified, label,
 * zones [{id, name, kind, since, dwell_s}] (dwell on the picture's clock). */
json_t *serve_track_feature(const serve_ctx *s, const aw_picture_track *t, double clock);
/* A growing text buffer. */
typedef struct serve_buf {
    char *data;
    size_t len, cap;
    bool failed;   /* out of memory: the text is incomplete */
} serve_buf;
void serve_buf_printf(serve_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string (quoted, escaped). */
void serve_buf_json_string(serve_buf *b, const char *s);
/* The same feature as serve_track_feature, written straight as text: the stream and
 * /api/tracks send thousands of tracks a second, and building them as jansson values
 * costs a dozen allocations each. */
void serve_track_feature_text(const serve_ctx *s, const aw_picture_track *t, double clock,
                              serve_buf *b);
/* A FeatureCollection of tracks (the text of /api/tracks and of stream messages), without
 * its closing brace so that the stream can add "removed". */
void serve_tracks_text(serve_ctx *s, const aw_picture_track *tracks, long n, uint64_t version,
                       serve_buf *b);
/* An event as the contract's JSON plus "where" (aw_where), "zone_name", "zone_kind". */
json_t *serve_event_json(const serve_ctx *s, const aw_event *ev);
/* Whether traffic of nation in a zone owned by owner is own or friendly (--friendly):
 * not alerted. An unknown nation is never friendly. */
bool serve_friendly(const serve_ctx *s, const char *nation, const char *owner);
/* --rules: remember that the rules selected ev as an alert (feed thread), and ask (any
 * thread). */
void serve_alerted_add(serve_ctx *s, const aw_event *ev);
bool serve_alerted(const serve_ctx *s, const aw_event *ev);
/* The /api/stats object. */
json_t *serve_stats_json(serve_ctx *s);
/* The GeoJSON of the zones in the text of a FeatureCollection, as the map draws them:
 * geodesic and planar edges densified, "name", "kind" and "owner" filled in. malloc'ed;
 * NULL without memory. */
char *serve_zones_geojson_text(const aw_zone_set *zs, const char *text, size_t len);

/* ---- zones at run time (serve_zones.c) -------------------------------------------- */

typedef struct serve_zones_version serve_zones_version;
/* The zones in force now, and their GeoJSON as the map draws them. Both stay valid for
 * as long as the server runs. */
const aw_zone_set *serve_zones(const serve_ctx *s);
const char *serve_zones_json(const serve_ctx *s, size_t *len);
/* Which version of the zones is in force: 0 at start, one more per change. */
int serve_zones_number(const serve_ctx *s);
/* Start with zs (loaded from spec; taken over), and with --db the changes kept beside
 * the store laid over it. -1 (reason printed) if those changes make zones refused. */
int serve_zones_init(serve_ctx *s, aw_zone_set *zs, const char *spec, const char *db);
void serve_zones_free(serve_ctx *s);
/* Add or replace zone id with a GeoJSON Feature (text). 0, with *replaced set; -1 with
 * each problem appended to problem_list as {zone, problem}. */
int serve_zones_put(serve_ctx *s, const char *id, const char *body, size_t len, json_t *problem_list,
                    bool *replaced);
/* Remove zone id: 0; -2 no such zone; -1 the zones left are refused (problems listed). */
int serve_zones_delete(serve_ctx *s, const char *id, json_t *problem_list);

/* ---- scramble advice (serve_advice.c) --------------------------------------------- */

typedef struct serve_advice serve_advice;
/* --advise: an advisor over zs; its events printed to out, kept in store (may be NULL)
 * and for the map. -1 when out of memory. The rest do nothing without --advise. */
int serve_advice_start(serve_ctx *s, const aw_zone_set *zs, aw_store *store, FILE *out);
void serve_advice_report(serve_ctx *s, const aw_report *r);   /* feed thread */
void serve_advice_event(serve_ctx *s, const aw_event *ev);    /* feed thread */
void serve_advice_zones(serve_ctx *s, const aw_zone_set *zs); /* the zones changed */
void serve_advice_stop(serve_ctx *s);
/* /api/advice: {"advise", "count", "events": [the last SERVE_ADVICE_KEEP, oldest first]}. */
json_t *serve_advice_json(serve_ctx *s);
uint64_t serve_advice_count(serve_ctx *s);

/* ---- the gate (serve_guard.c) ------------------------------------------------------ */

/* Whether a Host header (name[:port]) names this server: the bound address, a localhost
 * form or an --allow-host name; a port, if given, must be ours for the first two. */
bool serve_host_allowed(const serve_ctx *s, const char *host);
/* Whether an Origin header (scheme://name[:port]) is this server's own page. */
bool serve_origin_allowed(const serve_ctx *s, const char *origin);
typedef enum serve_auth { SERVE_AUTH_NONE, SERVE_AUTH_BEARER, SERVE_AUTH_COOKIE } serve_auth;
/* How a request proves it holds the token (none when the server has no token). */
struct MHD_Connection;
serve_auth serve_request_auth(const serve_ctx *s, struct MHD_Connection *c);
/* Equal strings, in a time that does not depend on where they differ. */
bool serve_secret_equal(const char *a, const char *b);
/* Read --token-file: one line of at least SERVE_TOKEN_MIN characters from [A-Za-z0-9._~-].
 * Returns a malloc'ed token, or NULL with the reason printed. */
char *serve_read_token(const char *path);
/* A fresh random session value (64 hex digits) into out[65]. -1 if none can be had. */
int serve_new_session(char out[65]);
/* Whether ADDR (IPv4 text) is a loopback address. */
bool serve_is_loopback(const char *addr);
/* Check the query: only names in allowed (NULL-terminated), each at most once, no NUL.
 * Returns NULL if fine, else a message for a 400 answer (static or in err). */
const char *serve_params_check(struct MHD_Connection *c, const char *const *allowed,
                               char *err, size_t errlen);
/* A plain decimal number ("12", "0.5"): no sign, hex, exponent, inf or nan. */
bool serve_decimal(const char *v, double *out);
/* A log line on stderr, at most SERVE_LOG_PER_10S per 10 s (a hostile client must not
 * fill the disk); the lines dropped are counted in the next one written. */
void serve_log(serve_ctx *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void serve_vlog(serve_ctx *s, const char *fmt, va_list ap);
/* Seconds on the monotonic clock: for intervals, never for times of reports. */
double serve_mono_s(void);

/* ---- answers (serve_answer.c) and the stream (serve_stream.c) ---------------------- */

#include <microhttpd.h>
/* Queue an answer with the common headers; body is taken (freed) with MHD_RESPMEM_MUST_FREE. */
enum MHD_Result serve_send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                char *body, size_t len, enum MHD_ResponseMemoryMode mode);
/* A JSON value (its reference taken). */
enum MHD_Result serve_send_json(struct MHD_Connection *c, unsigned status, json_t *v);
/* {"error": message, "status": status}, counted in the 4xx errors. */
enum MHD_Result serve_send_error(serve_ctx *s, struct MHD_Connection *c, unsigned status,
                                 const char *message);
/* 405 with Allow. */
enum MHD_Result serve_method_not_allowed(serve_ctx *s, struct MHD_Connection *c, const char *allow);
/* GET /api/stream (503 when SERVE_MAX_STREAMS clients are streaming). */
enum MHD_Result serve_api_stream(serve_ctx *s, struct MHD_Connection *c);

/* ---- HTTP (serve_http.c) ---------------------------------------------------------- */

typedef struct serve_http serve_http;
/* Listen on "ADDR:PORT" (IPv4); with cert and key (PEM text, may be NULL) over TLS.
 * Returns NULL with the reason printed. */
serve_http *serve_http_start(serve_ctx *s, const char *addr_port, const char *tls_cert,
                             const char *tls_key);
void serve_http_stop(serve_http *h);

#endif
