/* serve.h -- what the parts of `adizwatch serve` share: the feed thread (cmd_serve.c),
 * the HTTP server (serve_http.c) and the JSON they speak (serve_json.c). */
#ifndef ADIZWATCH_CLI_SERVE_H
#define ADIZWATCH_CLI_SERVE_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "adizwatch/identify.h"
#include "adizwatch/picture.h"
#include "adizwatch/store.h"
#include "adizwatch/zones.h"

/* Where the reports come from. */
typedef enum serve_mode { SERVE_CONNECT, SERVE_REPLAY } serve_mode;

/* Bounds on what a client may ask (docs/web.md, "Limits"). */
#define SERVE_MAX_CONNECTIONS 64      /* open connections in all */
#define SERVE_MAX_PER_IP 16           /* open connections per client address */
#define SERVE_MAX_STREAMS 32          /* /api/stream clients at once */
#define SERVE_REQUEST_MEMORY 32768    /* bytes per connection for the request head */
#define SERVE_RATE_PER_S 50.0         /* requests per second per client address ... */
#define SERVE_RATE_BURST 200.0        /* ... after a burst of this many */
#define SERVE_EVENTS_LIMIT_MAX 10000  /* most events one /api/events answer holds */

/* Per-address token buckets, hashed into a fixed table (two addresses sharing a slot
 * share a bucket: the bound still holds, at worst for both together). */
#define SERVE_RATE_SLOTS 1024
typedef struct rate_slot {
    uint32_t addr;
    double tokens, at;
} rate_slot;

typedef struct serve_ctx {
    /* fixed at start */
    serve_mode mode;
    const char *source;             /* HOST:PORT or the replay file */
    const aw_zone_set *zones;
    char *zones_json;               /* the GeoJSON of the zones, as loaded */
    size_t zones_json_len;
    aw_aircraft_db *aircraft_db;    /* may be NULL */
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
    double reports_per_s;           /* accepted reports in the last full second */
    uint64_t lines, bad_lines;
    atomic_bool stop;               /* set once, on SIGINT or SIGTERM */

    /* HTTP bookkeeping */
    pthread_mutex_t http_lock;
    int streams;                    /* /api/stream clients now */
    uint64_t requests, refused_rate, errors_4xx;
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
/* An event as the contract's JSON plus "where" (aw_where), "zone_name", "zone_kind". */
json_t *serve_event_json(const serve_ctx *s, const aw_event *ev);
/* The /api/stats object. */
json_t *serve_stats_json(serve_ctx *s);
/* The GeoJSON of the zones of a --zones spec, as the map draws them: geodesic and
 * planar edges densified, "name", "kind" and "owner" filled in. malloc'ed; NULL if the
 * spec cannot be read. */
char *serve_zones_geojson(const aw_zone_set *zs, const char *spec);

/* ---- HTTP (serve_http.c) ---------------------------------------------------------- */

typedef struct serve_http serve_http;
/* Listen on "ADDR:PORT" (IPv4). Returns NULL with the reason printed. */
serve_http *serve_http_start(serve_ctx *s, const char *addr_port);
void serve_http_stop(serve_http *h);

#endif
