/* serve_stream.c -- /api/stream: the live picture as Server-Sent Events.
 *
 * Each client has a thread (libmicrohttpd's thread per connection) that blocks in its
 * content reader until the picture changes, then sends the new events at once and the
 * changed tracks at most every STREAM_TRACKS_INTERVAL_S. A client that goes away is
 * noticed by looking at its socket between waits, so that its slot is free within
 * STREAM_GONE_S even when the feed is quiet. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* POLLRDHUP */
#endif
#include <math.h>
#include <microhttpd.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"

typedef struct stream {
    serve_ctx *s;
    serve_buf out;         /* what is still to be sent, from off */
    size_t off;
    uint64_t events_seen, tracks_seen;
    double last_tracks, last_write;
    int fd;                /* the client's socket: watched for its going away */
} stream;

/* Whether the client has closed its end. A quiet feed writes nothing for seconds, and
 * only a write would otherwise tell: the slot must be freed within STREAM_GONE_S. */
static bool client_gone(const stream *st)
{
    if (st->fd < 0)
        return false;
    struct pollfd p = {st->fd, POLLRDHUP, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

/* Append "event: NAME\ndata: JSON\n\n" (taking the value's reference). */
static void sse_append(stream *st, const char *name, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(v);
    if (text)
        serve_buf_printf(&st->out, "event: %s\ndata: %s\n\n", name, text);
    free(text);
}

#define STREAM_EVENTS_PER_MESSAGE 256
/* Track changes go out at most this often: each track is sent once per change whatever
 * the interval, so a shorter one costs messages, not bytes, and cuts the lag. */
#define STREAM_TRACKS_INTERVAL_S 0.5
#define STREAM_REMOVED_MAX 4096
#define STREAM_KEEPALIVE_S 10  /* well under SERVE_IDLE_TIMEOUT_S */
#define STREAM_GONE_S 0.5      /* the longest wait between two looks at the client */

/* Fill st->out with what changed: new events at once, track changes every
 * STREAM_TRACKS_INTERVAL_S. */
static void stream_build(stream *st)
{
    serve_ctx *s = st->s;
    aw_event evs[32];
    uint64_t versions[32];
    for (int total = 0; total < STREAM_EVENTS_PER_MESSAGE;) {
        int n = aw_picture_events(s->pic, st->events_seen, NULL, NULL, -INFINITY, false, evs,
                                  versions, 32);
        for (int i = 0; i < n; i++) {
            sse_append(st, "zone", serve_event_json(s, &evs[i]));
            st->events_seen = versions[i];
        }
        total += n;
        if (n < 32)
            break;
    }
    double now = serve_mono_s();
    if (now - st->last_tracks >= STREAM_TRACKS_INTERVAL_S) {
        aw_picture_track *tracks;
        uint64_t version;
        long n = aw_picture_tracks(s->pic, st->tracks_seen, &tracks, &version);
        if (n >= 0) {
            static __thread char removed[STREAM_REMOVED_MAX][AW_TRACK_ID_MAX];
            int nr = st->tracks_seen
                         ? aw_picture_dropped_since(s->pic, st->tracks_seen, removed, STREAM_REMOVED_MAX)
                         : 0;
            if (n > 0 || nr > 0) {
                serve_buf_printf(&st->out, "event: tracks\ndata: ");
                serve_tracks_text(s, tracks, n, version, &st->out);
                serve_buf_printf(&st->out, ",\"removed\":[");
                for (int i = 0; i < nr; i++) {
                    if (i)
                        serve_buf_printf(&st->out, ",");
                    serve_buf_json_string(&st->out, removed[i]);
                }
                serve_buf_printf(&st->out, "]}\n\n");
            }
            st->tracks_seen = version;
            free(tracks);
        }
        st->last_tracks = now;
    }
    if (st->out.len == 0 && now - st->last_write >= STREAM_KEEPALIVE_S)
        serve_buf_printf(&st->out, ": keepalive\n\n"); /* proxies drop silent connections */
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    stream *st = cls;
    while (st->off == st->out.len) {
        if (st->s->stop || st->out.failed)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (client_gone(st))
            return MHD_CONTENT_READER_END_WITH_ERROR;
        st->off = st->out.len = 0;
        stream_build(st);
        if (st->out.len == 0) {
            aw_picture_stats ps;
            aw_picture_get_stats(st->s->pic, &ps);
            double wait = STREAM_TRACKS_INTERVAL_S - (serve_mono_s() - st->last_tracks);
            wait = wait > STREAM_GONE_S ? STREAM_GONE_S : wait;
            aw_picture_wait(st->s->pic, ps.version, wait > 0.05 ? wait : 0.05);
        }
    }
    size_t n = st->out.len - st->off < max ? st->out.len - st->off : max;
    memcpy(out, st->out.data + st->off, n);
    st->off += n;
    st->last_write = serve_mono_s();
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *st = cls;
    pthread_mutex_lock(&st->s->http_lock);
    st->s->streams--;
    pthread_mutex_unlock(&st->s->http_lock);
    free(st->out.data);
    free(st);
}

enum MHD_Result serve_api_stream(serve_ctx *s, struct MHD_Connection *c)
{
    pthread_mutex_lock(&s->http_lock);
    bool full = s->streams >= SERVE_MAX_STREAMS;
    if (!full)
        s->streams++;
    pthread_mutex_unlock(&s->http_lock);
    if (full)
        return serve_send_error(s, c, 503, "too many stream clients");
    stream *st = calloc(1, sizeof *st);
    if (!st) {
        pthread_mutex_lock(&s->http_lock);
        s->streams--;
        pthread_mutex_unlock(&s->http_lock);
        return MHD_NO;
    }
    st->s = s;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    st->fd = ci ? ci->connect_fd : -1;
    aw_picture_stats ps;
    aw_picture_get_stats(s->pic, &ps);
    st->events_seen = ps.version; /* events from now on; history is /api/events */
    st->last_tracks = -1e9;       /* the first message carries every track */
    st->last_write = serve_mono_s();
    serve_buf_printf(&st->out, "retry: 2000\n\n");
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, st, stream_free);
    if (!r) {
        stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

