/* parallel.c -- `replay --threads N`: the engine's work spread over N threads, the
 * output exactly that of one engine.
 *
 * Where the time goes decides the shape: parsing is about a tenth of a replay through
 * the zones, the engine the rest. So the thread that reads the input goes on parsing
 * every line as before (bad lines are told there, in order, with their numbers), and
 * hands the reports, in chunks of CHUNK_ITEMS in input order, to N worker threads, each
 * with an engine of its own over the same zones (read-only: the zone set and its index
 * are not written after loading, and PROJ's geodesic is set up once, pthread_once).
 *
 * Which thread: a track always goes to the same engine, that of
 *     ((((h * 0x9E3779B97F4A7C15) >> 32) * N) >> 32),
 * h being the engine's own hash of the id (aw_engine_track_hash: 64-bit FNV-1a of the
 * id as the engine keeps it, cut to AW_TRACK_ID_MAX - 1 bytes). The multiplication
 * takes the thread from h's high bits, so each engine's table, indexed by h's low bits,
 * stays evenly filled; the second one maps those 32 bits onto 0..N-1 without the
 * division a modulo costs on every report.
 *
 * The output: each worker feeds its engine the chunk's reports that are its own, in
 * order, and keeps each event with the place in the chunk of the report that gave it.
 * When every worker is done with a chunk, the reading thread writes the chunk out
 * report by report, in input order: the report's events (printed, stored, alerted, in
 * the order the engine gave them), then its trail position and its verdict -- what one
 * engine fed the same reports does, since nothing a track does depends on another
 * track. One thing does: with max_tracks, a new track makes the engine forget the
 * longest idle track of all, which no single worker knows. The reading thread keeps
 * that order (track_recency.c) and puts the eviction in the chunk in front of the
 * report that causes it, for the victim's engine: its `lost` exits come out where one
 * engine gives them. So the events, the store, the messages, the summary and the exit
 * status are those of one engine, byte for byte (tests/cli_threads.sh).
 *
 * Keeping that order costs the reading thread a table lookup a report -- a fifth of its
 * time, and its time is a third of the run's -- while nothing can be evicted until
 * there are max_tracks tracks (a million by default). So it is kept only from then on.
 * Until then the reading thread counts at most how many tracks there can be (the
 * engines' count after the last chunk taken back, plus every item handed out since),
 * and each worker notes, for each track of its engine, the place in the input of the
 * report that fed it last (last_fed, by the engine's ref of the track). When that count
 * could reach max_tracks, every chunk is finished and the order is rebuilt at once:
 * the engines' tracks sorted by those places (start_recency).
 *
 * RING chunks circulate: the reader fills one while the workers run the ones before and
 * it writes out the ones they have finished. One mutex and two condition variables,
 * taken once per chunk per thread, not per report. Not for live feeds (a report would
 * wait for its chunk) nor with observers that see each report as it is fed (before_report,
 * after_report, the advisor): pipeline_threads then leaves the pipeline on one engine. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "events/engine_order.h"
#include "pipeline/pipeline_internal.h"
#include "pipeline/track_recency.h"

#define CHUNK_ITEMS 4096 /* reports (and evictions) a chunk */
#define RING 8           /* chunks in circulation */
#define PENDING 4        /* reports between a recency fetch and its use */

/* A report of the input, or the eviction of a track (the engine's max_tracks). */
typedef struct item {
    aw_report r;       /* an eviction: r.track is the victim's id */
    uint64_t line;     /* the input line, for messages */
    uint64_t hash;     /* aw_engine_track_hash(r.track) */
    int owner;         /* the worker whose engine has the track */
    bool evict;
} item;

typedef struct tagged_event {
    uint32_t item; /* the item that gave it, in its chunk */
    aw_event ev;
} tagged_event;

typedef struct event_list {
    tagged_event *v;
    size_t n, cap;
    bool lost; /* an event could not be kept (out of memory) */
} event_list;

typedef struct chunk {
    item *items;
    uint32_t n;
    uint32_t *mine;  /* worker w's items: mine[w * CHUNK_ITEMS + k], k < nmine[w] */
    uint32_t *nmine;
    int8_t *verdict; /* of mine[w * CHUNK_ITEMS + k]: an aw_feed_result (apart from the
                      * items, so that workers write no cache line another one writes) */
    event_list *events; /* per worker */
    int pending;        /* workers not done with it */
    uint64_t base;      /* the place in the input of items[0] (parallel.seq) */
    bool note_last_fed; /* the workers note last_fed (until recency is kept) */
} chunk;

typedef struct worker {
    _Alignas(64) struct parallel *par; /* a cache line of its own: item changes per report */
    int index;
    aw_engine *engine;
    pthread_t thread;
    bool started;
    event_list *out;    /* where the engine's events go */
    uint32_t item;      /* the item being fed */
    pipeline *direct;   /* set: events go to this pipeline at once (expiry) */
    aw_engine_stats stats; /* the engine's counters after its last chunk (under mu) */
    uint64_t *last_fed; /* by the engine's ref of a track: parallel.seq of the report that
                         * fed it last (while the chunks say note_last_fed) */
    uint32_t last_fed_cap;
    bool last_fed_lost; /* out of memory growing it */
} worker;

struct parallel {
    int n;
    worker *workers;
    chunk ring[RING];
    uint64_t filled;  /* chunks handed to the workers */
    uint64_t merged;  /* chunks taken back (written out, unless failed) */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    bool stop;
    bool failed;      /* the output stopped at a failure: the rest is not written */
    bool bounded;     /* max_tracks: evictions can happen */
    bool recency_on;  /* ... and could now: recency is kept (see the top) */
    size_t max_tracks;
    uint64_t seq;     /* items put into chunks so far */
    uint64_t tracks_bound_at, seq_at; /* at most tracks_bound_at tracks when seq was seq_at */
    track_recency recency;
    uint64_t invalid; /* reports refused before reaching an engine */
    size_t *pos;      /* per worker: the next event to write out ... */
    uint32_t *next;   /* ... and the place of its next item in mine[] */
    /* With recency: reports waiting for their track's slot and entry to arrive from
     * memory (track_recency_prefetch), a ring, pend[pfirst] the oldest. */
    struct pending { aw_report r; uint64_t line, hash; } pend[PENDING];
    int pfirst, npend;
};

/* ---- the workers -------------------------------------------------------------------- */

static void worker_event(const aw_event *ev, void *user)
{
    worker *w = user;
    if (w->direct) {
        pipeline_event(ev, w->direct);
        return;
    }
    event_list *l = w->out;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        tagged_event *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->lost = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].item = w->item;
    l->v[l->n++].ev = *ev;
}

static void keep_last_fed(worker *w, uint32_t ref, uint64_t seq)
{
    if (ref >= w->last_fed_cap) {
        uint32_t cap = w->last_fed_cap ? w->last_fed_cap : 4096;
        while (cap <= ref)
            cap *= 2;
        uint64_t *v = realloc(w->last_fed, cap * sizeof *v);
        if (!v) {
            w->last_fed_lost = true;
            return;
        }
        w->last_fed = v;
        w->last_fed_cap = cap;
    }
    w->last_fed[ref] = seq;
}

/* The worker's items of a chunk, in order, with their tracks fetched a few reports
 * ahead (aw_engine_prefetch), as one engine reading ahead does. */
static void run_chunk(worker *w, chunk *c)
{
    const uint32_t *mine = c->mine + (size_t)w->index * CHUNK_ITEMS;
    int8_t *verdict = c->verdict + (size_t)w->index * CHUNK_ITEMS;
    uint32_t n = c->nmine[w->index];
    w->out = &c->events[w->index];
    for (uint32_t k = 0; k < n; k++) {
        if (k + 8 < n) { /* written by the reading thread: in another core's cache */
            const char *next = (const char *)&c->items[mine[k + 8]];
            for (size_t b = 0; b < sizeof(item); b += 64)
                __builtin_prefetch(next + b);
            __builtin_prefetch(next + sizeof(item) - 1); /* an item spans 3 or 4 lines */
        }
        if (k + 3 < n)
            aw_engine_prefetch(w->engine, c->items[mine[k + 3]].hash, 0);
        if (k + 2 < n)
            aw_engine_prefetch(w->engine, c->items[mine[k + 2]].hash, 1);
        if (k + 1 < n)
            aw_engine_prefetch(w->engine, c->items[mine[k + 1]].hash, 2);
        item *it = &c->items[mine[k]];
        w->item = mine[k];
        if (it->evict) {
            aw_engine_evict(w->engine, it->r.track);
            continue;
        }
        verdict[k] = (int8_t)aw_engine_feed_hashed(w->engine, &it->r, it->hash);
        if (c->note_last_fed && (verdict[k] == AW_FEED_OK || verdict[k] == AW_FEED_DROPPED))
            keep_last_fed(w, engine_last_fed(w->engine), c->base + mine[k]);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    struct parallel *par = w->par;
    for (uint64_t k = 0;; k++) {
        pthread_mutex_lock(&par->mu);
        while (par->filled <= k && !par->stop)
            pthread_cond_wait(&par->work, &par->mu);
        bool have = par->filled > k;
        pthread_mutex_unlock(&par->mu);
        if (!have)
            break;
        chunk *c = &par->ring[k % RING];
        run_chunk(w, c);
        pthread_mutex_lock(&par->mu);
        aw_engine_get_stats(w->engine, &w->stats);
        if (--c->pending == 0)
            pthread_cond_broadcast(&par->done);
        pthread_mutex_unlock(&par->mu);
    }
    return NULL;
}

/* ---- the reading thread ------------------------------------------------------------- */

static int owner_of(const struct parallel *par, uint64_t hash)
{
    return (int)((((hash * 0x9E3779B97F4A7C15ull) >> 32) * (uint64_t)par->n) >> 32);
}

/* The engine's own test (aw_engine_feed refuses these, touching no track): made here,
 * so that a refused report is told in line order and leaves the recency alone. */
static bool report_valid(const aw_report *r)
{
    if (!r->track[0] || !isfinite(r->time))
        return false;
    return !r->has_position || (r->lat >= -90 && r->lat <= 90 && r->lon >= -180 && r->lon <= 180 &&
                                !(fabs(r->alt_ft) > AW_MAX_ABS_ALT_FT));
}

/* Write a finished chunk out, item by item in input order. Returns 0, or -1 where one
 * engine's run would have stopped (a failure of the store, the output, memory). */
static int write_chunk(pipeline *p, chunk *c)
{
    struct parallel *par = p->par;
    for (int w = 0; w < par->n; w++) {
        par->pos[w] = 0;
        par->next[w] = 0;
        if (c->events[w].lost) {
            fprintf(p->log, "%s: out of memory keeping the events of a thread\n", p->source);
            p->failed = true;
            return -1;
        }
    }
    uint64_t read = p->lines;
    int rc = 0;
    for (uint32_t i = 0; i < c->n && rc == 0; i++) {
        const item *it = &c->items[i];
        const event_list *l = &c->events[it->owner];
        size_t *pos = &par->pos[it->owner];
        while (*pos < l->n && l->v[*pos].item == i)
            pipeline_event(&l->v[(*pos)++].ev, p);
        size_t k = (size_t)it->owner * CHUNK_ITEMS + par->next[it->owner]++;
        if (it->evict)
            continue; /* its report, next, says whether the run stops */
        p->lines = it->line;
        rc = pipeline_fed(p, &it->r, (aw_feed_result)c->verdict[k]);
    }
    p->lines = read;
    return rc;
}

/* Take back the oldest chunk handed out, once its workers are done, and write it out
 * (unless the output has stopped). */
static int take_back(pipeline *p)
{
    struct parallel *par = p->par;
    chunk *c = &par->ring[par->merged % RING];
    pthread_mutex_lock(&par->mu);
    while (c->pending > 0)
        pthread_cond_wait(&par->done, &par->mu);
    if (par->bounded && !par->recency_on) {
        /* Each worker's count is that after this chunk or a later one: no track goes
         * before recency is kept, so it can only be more than after this chunk. */
        uint64_t tracks = 0;
        for (int w = 0; w < par->n; w++)
            tracks += par->workers[w].stats.tracks;
        par->tracks_bound_at = tracks;
        par->seq_at = c->base + c->n;
    }
    pthread_mutex_unlock(&par->mu);
    par->merged++;
    if (!par->failed && write_chunk(p, c) < 0)
        par->failed = true;
    return par->failed ? -1 : 0;
}

static void chunk_reset(struct parallel *par, chunk *c)
{
    c->n = 0;
    for (int w = 0; w < par->n; w++) {
        c->nmine[w] = 0;
        c->events[w].n = 0;
        c->events[w].lost = false;
    }
}

/* Hand the chunk being filled to the workers, and make the next one ready (writing out
 * the oldest if every chunk is out). */
static int hand_over(pipeline *p)
{
    struct parallel *par = p->par;
    chunk *c = &par->ring[par->filled % RING];
    if (c->n == 0)
        return 0;
    c->note_last_fed = par->bounded && !par->recency_on;
    pthread_mutex_lock(&par->mu);
    c->pending = par->n;
    par->filled++;
    pthread_cond_broadcast(&par->work);
    pthread_mutex_unlock(&par->mu);
    int rc = 0;
    while (par->filled - par->merged >= RING)
        if (take_back(p) < 0)
            rc = -1;
    chunk_reset(par, &par->ring[par->filled % RING]);
    return rc;
}

/* A place for the next item in the chunk being filled. */
static item *next_item(pipeline *p, uint64_t hash)
{
    struct parallel *par = p->par;
    chunk *c = &par->ring[par->filled % RING];
    if (c->n == CHUNK_ITEMS) {
        if (hand_over(p) < 0)
            return NULL;
        c = &par->ring[par->filled % RING];
    }
    if (c->n == 0)
        c->base = par->seq;
    par->seq++;
    uint32_t i = c->n++;
    item *it = &c->items[i];
    it->owner = owner_of(par, hash);
    it->hash = hash;
    c->mine[(size_t)it->owner * CHUNK_ITEMS + c->nmine[it->owner]++] = i;
    return it;
}

/* Into the chunk: the report (line: its line number), after the eviction it causes. */
static int dispatch(pipeline *p, const aw_report *r, uint64_t line, uint64_t hash)
{
    struct parallel *par = p->par;
    if (par->recency_on) {
        char victim[AW_TRACK_ID_MAX];
        int evicted = track_recency_touch(&par->recency, r->track, hash, victim);
        if (evicted < 0) {
            fprintf(p->log, "%s:%llu: out of memory\n", p->source, (unsigned long long)line);
            p->failed = par->failed = true;
            return -1;
        }
        if (evicted) {
            item *it = next_item(p, aw_engine_track_hash(victim));
            if (!it)
                return -1;
            it->evict = true;
            it->line = line;
            memcpy(it->r.track, victim, sizeof victim);
        }
    }
    item *it = next_item(p, hash);
    if (!it)
        return -1;
    it->evict = false;
    it->line = line;
    if (&it->r != r) /* else parsed in place (parallel_slot) */
        it->r = *r;
    return 0;
}

/* The oldest report waiting for its recency entry goes into the chunk. */
static int dispatch_pending(pipeline *p)
{
    struct parallel *par = p->par;
    struct pending *w = &par->pend[par->pfirst];
    par->pfirst = (par->pfirst + 1) % PENDING;
    par->npend--;
    return dispatch(p, &w->r, w->line, w->hash);
}

typedef struct last_fed_track {
    uint64_t seq;   /* the place in the input of the report that fed it last */
    const char *id;
} last_fed_track;

typedef struct track_list {
    last_fed_track *v;
    size_t n, cap;
    const worker *w;
    bool unknown; /* a track with no place noted (out of memory, or more than counted) */
} track_list;

static void list_track(uint32_t ref, const char *id, void *user)
{
    track_list *l = user;
    if (ref >= l->w->last_fed_cap || l->n == l->cap) {
        l->unknown = true;
        return;
    }
    l->v[l->n++] = (last_fed_track){l->w->last_fed[ref], id};
}

static int by_seq(const void *a, const void *b)
{
    uint64_t x = ((const last_fed_track *)a)->seq, y = ((const last_fed_track *)b)->seq;
    return (x > y) - (x < y);
}

/* From here on an eviction can happen: every chunk is finished, and the recency order
 * is rebuilt from the engines -- their tracks, by the place in the input of their last
 * report, touched in that order. The workers wait for the next chunk meanwhile (the
 * mutex, taken when their last chunk was taken back, orders their writes before). */
static int start_recency(pipeline *p)
{
    struct parallel *par = p->par;
    if (parallel_drain(p) < 0)
        return -1;
    par->recency_on = true;
    track_list l = {0};
    for (int w = 0; w < par->n; w++)
        l.cap += engine_track_count(par->workers[w].engine);
    l.v = malloc((l.cap + 1) * sizeof *l.v);
    for (int w = 0; l.v && !l.unknown && w < par->n; w++) {
        l.w = &par->workers[w];
        l.unknown = l.w->last_fed_lost;
        if (!l.unknown)
            engine_tracks_by_recency(l.w->engine, list_track, &l);
    }
    int rc = l.v && !l.unknown ? 0 : -1;
    if (rc == 0) {
        qsort(l.v, l.n, sizeof *l.v, by_seq);
        char victim[AW_TRACK_ID_MAX]; /* none: there are fewer than max_tracks */
        for (size_t k = 0; k < l.n && rc == 0; k++)
            if (track_recency_touch(&par->recency, l.v[k].id, aw_engine_track_hash(l.v[k].id),
                                    victim) != 0)
                rc = -1;
    }
    free(l.v);
    for (int w = 0; w < par->n; w++) {
        free(par->workers[w].last_fed);
        par->workers[w].last_fed = NULL;
        par->workers[w].last_fed_cap = 0;
    }
    if (rc < 0) {
        fprintf(p->log, "%s:%llu: out of memory\n", p->source, (unsigned long long)p->lines);
        p->failed = par->failed = true;
    }
    return rc;
}

/* The next line is parsed straight into the chunk when its report will go there next:
 * while no recency is kept (no eviction can come before it) and the chunk has room. */
aw_report *parallel_slot(pipeline *p)
{
    struct parallel *par = p->par;
    chunk *c = &par->ring[par->filled % RING];
    if (par->recency_on || par->failed || c->n == CHUNK_ITEMS)
        return NULL;
    return &c->items[c->n].r;
}

int parallel_report(pipeline *p, const aw_report *r)
{
    struct parallel *par = p->par;
    if (par->failed)
        return -1;
    if (r->has_position && r->time > p->latest_time)
        p->latest_time = r->time;
    if (!report_valid(r)) { /* told now, in line order; touches no track */
        par->invalid++;
        return pipeline_fed(p, r, AW_FEED_INVALID);
    }
    uint64_t hash = aw_engine_track_hash(r->track);
    aw_report parsed; /* r may be in the chunk that start_recency hands over */
    if (par->bounded && !par->recency_on &&
        par->tracks_bound_at + (par->seq - par->seq_at) >= par->max_tracks) {
        parsed = *r;
        r = &parsed;
        if (start_recency(p) < 0)
            return -1;
    }
    if (!par->recency_on)
        return dispatch(p, r, p->lines, hash);
    /* The recency table misses the cache as the engines do: its slot is fetched now,
     * its entry two reports later, and it is used two reports after that. */
    if (par->npend == PENDING && dispatch_pending(p) < 0)
        return -1;
    struct pending *w = &par->pend[(par->pfirst + par->npend++) % PENDING];
    w->r = *r;
    w->line = p->lines;
    w->hash = hash;
    track_recency_prefetch(&par->recency, hash, 0);
    if (par->npend >= 3)
        track_recency_prefetch(&par->recency, par->pend[(par->pfirst + par->npend - 3) % PENDING].hash, 1);
    return 0;
}

int parallel_drain(pipeline *p)
{
    struct parallel *par = p->par;
    while (par->npend > 0 && !par->failed)
        if (dispatch_pending(p) < 0)
            break;
    par->npend = 0;
    int rc = hand_over(p);
    while (par->merged < par->filled)
        if (take_back(p) < 0)
            rc = -1;
    return rc < 0 || par->failed ? -1 : 0;
}

/* ---- setting up, the clock, counters, the end -------------------------------------- */

static void parallel_free(struct parallel *par)
{
    pthread_mutex_lock(&par->mu);
    par->stop = true;
    pthread_cond_broadcast(&par->work);
    pthread_mutex_unlock(&par->mu);
    for (int w = 0; par->workers && w < par->n; w++) { /* NULL: its allocation failed */
        if (par->workers[w].started)
            pthread_join(par->workers[w].thread, NULL);
        aw_engine_free(par->workers[w].engine);
    }
    for (int k = 0; k < RING; k++) {
        chunk *c = &par->ring[k];
        if (c->events)
            for (int w = 0; w < par->n; w++)
                free(c->events[w].v);
        free(c->events);
        free(c->items);
        free(c->mine);
        free(c->verdict);
        free(c->nmine);
    }
    if (par->bounded)
        track_recency_free(&par->recency);
    for (int w = 0; par->workers && w < par->n; w++)
        free(par->workers[w].last_fed);
    pthread_cond_destroy(&par->work);
    pthread_cond_destroy(&par->done);
    pthread_mutex_destroy(&par->mu);
    free(par->pos);
    free(par->next);
    free(par->workers);
    free(par);
}

int pipeline_threads(pipeline *p, int n, const aw_zone_set *zones, double timeout_s,
                     size_t max_tracks)
{
    if (n <= 1 || p->par || p->live || p->before_report || p->after_report || p->advice)
        return 0;
    if (pipeline_drain_ahead(p) < 0)
        return -1;
    free(p->ahead);
    p->ahead = NULL;
    struct parallel *par = calloc(1, sizeof *par);
    if (!par)
        goto nomem;
    pthread_mutex_init(&par->mu, NULL);
    pthread_cond_init(&par->work, NULL);
    pthread_cond_init(&par->done, NULL);
    par->n = n;
    par->workers = aligned_alloc(_Alignof(worker), (size_t)n * sizeof *par->workers);
    if (par->workers)
        memset(par->workers, 0, (size_t)n * sizeof *par->workers);
    par->pos = calloc((size_t)n, sizeof *par->pos);
    par->next = calloc((size_t)n, sizeof *par->next);
    bool ok = par->workers && par->pos && par->next;
    for (int k = 0; ok && k < RING; k++) {
        chunk *c = &par->ring[k];
        c->items = malloc(CHUNK_ITEMS * sizeof *c->items);
        c->mine = malloc((size_t)n * CHUNK_ITEMS * sizeof *c->mine);
        c->verdict = malloc((size_t)n * CHUNK_ITEMS * sizeof *c->verdict);
        c->nmine = calloc((size_t)n, sizeof *c->nmine);
        c->events = calloc((size_t)n, sizeof *c->events);
        ok = c->items && c->mine && c->verdict && c->nmine && c->events;
    }
    if (ok && max_tracks > 0) {
        ok = track_recency_init(&par->recency, max_tracks) == 0;
        par->bounded = ok;
        par->max_tracks = max_tracks;
    }
    aw_engine_options opt = {.timeout_s = timeout_s, .max_tracks = 0}; /* recency decides */
    for (int w = 0; ok && w < n; w++) {
        worker *wk = &par->workers[w];
        wk->par = par;
        wk->index = w;
        wk->engine = aw_engine_new(zones, &opt, worker_event, wk);
        ok = wk->engine != NULL;
    }
    if (!ok) {
        parallel_free(par);
        goto nomem;
    }
    for (int w = 0; w < n; w++) {
        worker *wk = &par->workers[w];
        if (pthread_create(&wk->thread, NULL, worker_main, wk) != 0) {
            fprintf(p->log, "adizwatch: cannot start %d threads\n", n);
            parallel_free(par);
            return -1;
        }
        wk->started = true;
    }
    p->par = par;
    return 0;
nomem:
    fprintf(p->log, "adizwatch: out of memory starting %d threads\n", n);
    return -1;
}

void pipeline_threads_end(pipeline *p)
{
    if (!p->par)
        return;
    parallel_drain(p); /* nothing is left in flight when the engines go */
    parallel_free(p->par);
    p->par = NULL;
}

void pipeline_engine_stats(const pipeline *p, aw_engine_stats *out)
{
    struct parallel *par = p->par;
    if (!par) {
        aw_engine_get_stats(p->engine, out);
        return;
    }
    memset(out, 0, sizeof *out);
    out->invalid = par->invalid;
    pthread_mutex_lock(&par->mu);
    for (int w = 0; w < par->n; w++) {
        const aw_engine_stats *s = &par->workers[w].stats;
        out->reports += s->reports;
        out->attribute_reports += s->attribute_reports;
        out->dropped += s->dropped;
        out->invalid += s->invalid;
        out->tracks += s->tracks;
        out->events += s->events;
        out->open_visits += s->open_visits;
        out->evicted += s->evicted;
        out->depth_measurements += s->depth_measurements;
    }
    pthread_mutex_unlock(&par->mu);
}

void pipeline_expire(pipeline *p, double now)
{
    struct parallel *par = p->par;
    if (!par) {
        aw_engine_expire(p->engine, now);
        return;
    }
    /* Every chunk is written out first; the workers then wait for the next one, and
     * their engines are the reading thread's for a moment (the mutex orders it). Tracks
     * come out engine by engine, each engine's in its table's order. */
    if (parallel_drain(p) < 0)
        return;
    for (int w = 0; w < par->n; w++) {
        worker *wk = &par->workers[w];
        wk->direct = p;
        aw_engine_expire(wk->engine, now);
        wk->direct = NULL;
        pthread_mutex_lock(&par->mu);
        aw_engine_get_stats(wk->engine, &wk->stats);
        pthread_mutex_unlock(&par->mu);
    }
}
