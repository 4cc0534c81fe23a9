/* deliver.c -- the deliverer: one thread per sink, reading the outbox, sending, retrying.
 *
 * Why a thread per sink: a sink blocks (a TCP connect to a dead broker, a webhook that
 * takes 15 s to answer) and retries with its own backoff; on its own thread it holds up
 * nothing but itself. Why the outbox on disk: a sink may be down for hours, and what
 * waits for it must neither fill memory nor die with the process. Each thread keeps only
 * its current batch in memory and a cursor (the last outbox row it has finished with), so
 * rows are sent in order per sink; acknowledged rows are handed to the writer (the thread
 * that queues, through aw_deliverer_tick) to be removed, because SQLite has one writer
 * and the store's connection is that writer.
 *
 * Delivery is at least once: a row leaves the outbox only after its sink acknowledged it
 * and that removal committed, so a crash between the two sends it again on the next run
 * (same id). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <mosquitto.h>
#include <nats/nats.h>

#include "adizwatch/alerts.h"
#include "deliver/sink.h"
#include "store/outbox.h"

#define BATCH 256
#define BACKOFF_MIN_S 0.2
#define IDLE_POLL_S 0.1

typedef struct sink_thread {
    struct aw_deliverer *d;
    const sink_ops *ops;
    void *sink;
    aw_alert_output out;
    pthread_t th;
    bool started;
    int64_t cursor;
    /* counters, under d->mu */
    uint64_t sent, failed, refused;
    bool up;
} sink_thread;

struct aw_deliverer {
    char path[1024];
    aw_store *store;   /* the writer: borrowed (replay/watch --db) or own */
    bool own_store;
    sink_thread *sinks;
    int nsinks;
    const char **keys; /* the sinks' URLs: their rows in the outbox */
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int64_t *acked;    /* rows acknowledged, not yet removed */
    size_t nacked, capacked;
    atomic_int stop;
};

/* Sleep up to seconds, or until the deliverer stops. */
static void nap(aw_deliverer *d, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double t = until.tv_sec + until.tv_nsec * 1e-9 + seconds;
    until.tv_sec = (time_t)t;
    until.tv_nsec = (long)((t - floor(t)) * 1e9);
    pthread_mutex_lock(&d->mu);
    while (!atomic_load(&d->stop))
        if (pthread_cond_timedwait(&d->wake, &d->mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&d->mu);
}

static const sink_ops *ops_for(const char *url)
{
    if (!strncmp(url, "file:", 5))
        return &aw_sink_file;
    if (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8))
        return &aw_sink_http;
    if (!strncmp(url, "mqtt://", 7) || !strncmp(url, "mqtts://", 8))
        return &aw_sink_mqtt;
    if (!strncmp(url, "nats://", 7))
        return &aw_sink_nats;
    return NULL;
}

/* Record what the last attempt settled: acknowledged rows go to the writer. */
static void settle(sink_thread *t, const aw_outbox_item *items, int n, const send_status *st,
                   bool *done)
{
    aw_deliverer *d = t->d;
    pthread_mutex_lock(&d->mu);
    for (int i = 0; i < n; i++) {
        if (done[i] || st[i] == SEND_PENDING)
            continue;
        done[i] = true;
        if (st[i] == SEND_REFUSED) {
            t->refused++;
            continue;
        }
        if (d->nacked == d->capacked) {
            size_t cap = d->capacked ? 2 * d->capacked : 1024;
            int64_t *v = realloc(d->acked, cap * sizeof *v);
            if (!v) {
                done[i] = false; /* sent again later: a duplicate, never a loss */
                continue;
            }
            d->acked = v;
            d->capacked = cap;
        }
        d->acked[d->nacked++] = items[i].seq;
        t->sent++;
    }
    pthread_mutex_unlock(&d->mu);
}

static void *sink_main(void *arg)
{
    sink_thread *t = arg;
    aw_deliverer *d = t->d;
    char err[512];
    aw_outbox_reader *r = NULL;
    aw_outbox_item items[BATCH];
    send_status st[BATCH];
    bool done[BATCH];
    double backoff = BACKOFF_MIN_S;
    char last_err[512] = "";
    while (!atomic_load(&d->stop)) {
        if (!r && !(r = aw_outbox_reader_open(d->path, err, sizeof err))) {
            fprintf(stderr, "adizwatch: alerts: %s\n", err);
            nap(d, 1);
            continue;
        }
        int n = aw_outbox_read(r, t->out.url, t->cursor, items, BATCH);
        if (n <= 0) {
            nap(d, IDLE_POLL_S);
            continue;
        }
        memset(st, 0, sizeof st);
        memset(done, 0, sizeof done);
        bool finished = false;
        int left = n;
        while (!finished) {
            err[0] = '\0';
            int before = left;
            int rc = t->ops->send(t->sink, items, n, st, err, sizeof err);
            settle(t, items, n, st, done);
            left = 0;
            for (int i = 0; i < n; i++)
                left += !done[i];
            pthread_mutex_lock(&d->mu);
            if (rc < 0)
                t->failed++;
            t->up = rc == 0;
            pthread_mutex_unlock(&d->mu);
            if (rc == 0 && err[0] && strcmp(err, last_err) != 0)
                fprintf(stderr, "adizwatch: alerts: %s\n", err); /* a refusal */
            if (left == 0) {
                finished = true;
                if (last_err[0] && rc == 0)
                    fprintf(stderr, "adizwatch: alerts: %s: delivering again\n", t->out.url);
                if (rc == 0)
                    last_err[0] = '\0';
                backoff = BACKOFF_MIN_S;
                break;
            }
            if (atomic_load(&d->stop))
                break;
            if (rc == 0 && left < before)
                continue; /* a sink that settles a part per call (HTTP: one) goes on */
            /* Say it once per distinct reason, not on every retry of a long outage. */
            if (strcmp(err, last_err) != 0)
                fprintf(stderr, "adizwatch: alerts: %s; retrying with backoff up to %g s\n",
                        err[0] ? err : t->out.url, t->out.retry_max_s);
            snprintf(last_err, sizeof last_err, "%s", err);
            nap(d, backoff);
            backoff = fmin(backoff * 2, t->out.retry_max_s);
        }
        if (finished)
            t->cursor = items[n - 1].seq;
        aw_outbox_items_free(items, n);
    }
    aw_outbox_reader_close(r);
    return NULL;
}

/* The libraries' global set-up is not thread-safe: done once, before any sink thread
 * starts. */
static void init_libraries(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mosquitto_lib_init();
    nats_Open(-1);
}

aw_deliverer *aw_deliverer_new(const aw_alert_rules *rules, const char *path, aw_store *store,
                               char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_libraries);
    aw_deliverer *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(d->path, sizeof d->path, "%s", path);
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->wake, NULL);
    d->store = store;
    if (!store) {
        d->store = aw_store_open(path, err, errlen);
        if (!d->store) {
            aw_deliverer_free(d);
            return NULL;
        }
        d->own_store = true;
    }
    if (aw_outbox_setup(d->store, err, errlen) < 0) {
        aw_deliverer_free(d);
        return NULL;
    }
    int n = aw_alert_rules_outputs(rules);
    d->sinks = calloc((size_t)n + 1, sizeof *d->sinks);
    d->keys = calloc((size_t)n + 1, sizeof *d->keys);
    if (!d->sinks || !d->keys) {
        snprintf(err, errlen, "out of memory");
        aw_deliverer_free(d);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        sink_thread *t = &d->sinks[i];
        t->d = d;
        t->out = *aw_alert_rules_output(rules, i);
        t->ops = ops_for(t->out.url);
        char why[400];
        if (!t->ops || !(t->sink = t->ops->open(&t->out, why, sizeof why))) {
            snprintf(err, errlen, "output %s: %s", t->out.url, t->ops ? why : "unknown kind");
            aw_deliverer_free(d);
            return NULL;
        }
        d->keys[i] = t->out.url;
        d->nsinks++;
    }
    for (int i = 0; i < d->nsinks; i++) {
        sink_thread *t = &d->sinks[i];
        if (pthread_create(&t->th, NULL, sink_main, t) != 0) {
            snprintf(err, errlen, "cannot start a delivery thread");
            aw_deliverer_free(d);
            return NULL;
        }
        t->started = true;
    }
    return d;
}

int aw_deliverer_queue(aw_deliverer *d, const char *id, double time, const char *json,
                       char *err, size_t errlen)
{
    int rc = aw_outbox_queue(d->store, id, time, json, d->keys, d->nsinks, err, errlen);
    if (rc >= 0 && d->own_store)
        aw_store_tick(d->store);
    return rc;
}

int aw_deliverer_tick(aw_deliverer *d)
{
    pthread_mutex_lock(&d->mu);
    int64_t *acked = d->acked;
    size_t n = d->nacked;
    d->acked = NULL;
    d->nacked = d->capacked = 0;
    pthread_mutex_unlock(&d->mu);
    char err[256];
    int rc = aw_outbox_ack(d->store, acked, n, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "adizwatch: alerts: %s (they will be sent again)\n", err);
    free(acked);
    if (d->own_store && aw_store_tick(d->store) < 0)
        rc = -1;
    return rc;
}

int aw_deliverer_detach_store(aw_deliverer *d, char *err, size_t errlen)
{
    if (d->own_store)
        return 0;
    d->store = aw_store_open(d->path, err, errlen);
    d->own_store = d->store != NULL;
    return d->store ? 0 : -1;
}

/* Alerts the sinks settled so far (acknowledged or refused). */
static uint64_t settled(aw_deliverer *d, uint64_t *refused)
{
    uint64_t n = 0;
    *refused = 0;
    pthread_mutex_lock(&d->mu);
    for (int i = 0; i < d->nsinks; i++) {
        n += d->sinks[i].sent + d->sinks[i].refused;
        *refused += d->sinks[i].refused;
    }
    pthread_mutex_unlock(&d->mu);
    return n;
}

long aw_deliverer_wait(aw_deliverer *d, double timeout_s, volatile const int *stop)
{
    double until = sink_now_s() + timeout_s;
    long left = 0;
    uint64_t counted_at = UINT64_MAX; /* what was settled when the outbox was last counted */
    for (;;) {
        /* Counting a big outbox takes a while: only again once something was settled.
         * Read before the tick, so every acknowledgement counted is applied when the
         * rows are counted. */
        uint64_t refused, now_settled = settled(d, &refused);
        aw_deliverer_tick(d);
        if (d->own_store)
            aw_store_commit(d->store);
        if (now_settled != counted_at) {
            counted_at = now_settled;
            left = 0;
            for (int i = 0; i < d->nsinks; i++) {
                long k = aw_outbox_pending(d->store, d->keys[i]);
                left += k > 0 ? k : 0;
            }
        }
        if (left <= (long)refused || sink_now_s() >= until || (stop && *stop))
            break;
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
    }
    return left;
}

char **aw_deliverer_queued_outputs(const char *path, int *n, char *err, size_t errlen)
{
    *n = 0;
    aw_store *s = aw_store_open(path, err, errlen);
    if (!s)
        return NULL;
    char **v = NULL;
    if (aw_outbox_setup(s, err, errlen) == 0)
        v = aw_outbox_sinks(s, n);
    aw_store_close(s);
    return v;
}

int aw_deliverer_sinks(const aw_deliverer *d) { return d->nsinks; }

long aw_deliverer_queued(aw_deliverer *d, int i)
{
    return i >= 0 && i < d->nsinks && d->store ? aw_outbox_pending(d->store, d->keys[i]) : -1;
}

void aw_deliverer_sink_stats(const aw_deliverer *d, int i, aw_sink_stats *out)
{
    aw_deliverer *m = (aw_deliverer *)d;
    pthread_mutex_lock(&m->mu);
    const sink_thread *t = &d->sinks[i];
    out->url = t->out.url;
    out->sent = t->sent;
    out->failed = t->failed;
    out->refused = t->refused;
    out->up = t->up;
    pthread_mutex_unlock(&m->mu);
}

void aw_deliverer_free(aw_deliverer *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    atomic_store(&d->stop, 1);
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->mu);
    for (int i = 0; i < d->nsinks; i++)
        if (d->sinks[i].started)
            pthread_join(d->sinks[i].th, NULL);
    for (int i = 0; i < d->nsinks; i++)
        d->sinks[i].ops->close(d->sinks[i].sink);
    if (d->store) {
        aw_deliverer_tick(d);
        if (d->own_store)
            aw_store_close(d->store);
    }
    free(d->acked);
    free(d->sinks);
    free(d->keys);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->wake);
    free(d);
}
