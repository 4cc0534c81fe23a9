/* cluster_worker.c -- `adizwatch worker`: partitions owned by lease, an engine each.
 *
 * Leases. A JetStream key-value bucket P_leases, whose TTL is the lease's, holds key
 * "pK" = the owner's name for each owned partition and "worker.NAME" for each live
 * worker. An owner renews every third of the TTL by an update that expects the revision
 * it last wrote: if the update fails, someone else holds the key and the partition is
 * dropped at once. A key nobody renews ages out of the bucket, and the next worker to
 * create it (create fails if the key exists) is the new owner. A worker takes at most
 * one new partition per round and no more than its share, ceil(N / live workers), so
 * partitions spread over workers started together.
 *
 * Exactness. A partition is consumed by a durable pull consumer (ack-all) of its owner's
 * own, P_pK_REV, REV the lease revision at which it took the partition. Its
 * owner publishes the events of each report with Nats-Msg-Id = the event's stable id,
 * acknowledges reports only after their events are acknowledged by the stream, and
 * every --checkpoint-every reports or --checkpoint-interval seconds saves its engine's
 * state with the stream sequence it covers (cluster_checkpoint.c). A new owner reads the
 * consumer's ack floor F, restores the checkpoint C (or, without one, starts a fresh
 * engine at the partition's start: the engine is deterministic, so either way its state
 * is the one the last owner had at that point), recreates the consumer from C + 1 and
 * publishes the events of reports past F: those the last owner published before it died
 * are dropped by the stream's de-duplication.
 *
 * Fencing. An owner stalled past its lease (a loaded machine, a server restart) goes on
 * until its next renewal fails. Had the new owner recreated a consumer of the same name,
 * the stale owner's fetches would take reports from it: each engine would miss some, and
 * both would publish wrong events. So every takeover makes a consumer of its own and
 * deletes the earlier ones (their highest ack floor is the floor above): a stale owner's
 * fetches and acknowledgements reach a deleted consumer, and what it publishes before it
 * notices is what the new owner publishes too (the same engine state, the same ids). A
 * takeover first renews the lease, and each renewal checks that the owner's consumer is
 * still there (a stale owner may have taken over between the two): if not, it takes the
 * partition over again.
 *
 * Publishing is asynchronous (many events in flight, acknowledged together before the
 * reports are) but never two events of one track at once: an event waits until every
 * event in flight is acknowledged if one of its track is among them. A failed publish
 * (a server restart, say) then cannot leave a later event of a track stored before an
 * earlier one: the events of each track stay in the contract's order on the stream.
 *
 * Clocks. A clock message "C<TAB>time" on a partition expires its tracks at that time
 * (aw_engine_expire): `publish --end-clock` appends one after a recording; with
 * --live-clock S the owner appends one every S seconds with the wall-clock time, for live
 * feeds, so that a partition whose feed goes quiet still gets its `lost` exits. Being on
 * the stream, clocks are replayed in the same place on takeover, which keeps the result
 * the same whoever computes it. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/engine.h"
#include "cluster/cluster_internal.h"

typedef struct partition {
    int k;
    bool owned;
    uint64_t rev;             /* our lease key's last revision */
    aw_pull *pull;            /* reading its consumer (cluster_pull.c) */
    char durable[160];        /* its consumer, P_pK_REV */
    aw_engine *engine;
    uint64_t floor;           /* ack floor at takeover: events up to here are published */
    uint64_t fed;             /* reports fed since takeover */
    uint64_t last_seq;        /* the stream sequence of the last report fed */
    uint64_t since_save;      /* reports fed since the last checkpoint */
    double saved_at;          /* when it was saved (aw_cluster_now) */
    int slot;                 /* the checkpoint slot the head names */
    double next_tick;         /* --live-clock: when to append the next clock */
} partition;

/* Tracks (by hash) with an event in flight: at most one per track (see the banner). */
#define INFLIGHT_SLOTS 16384

typedef struct worker {
    aw_cluster_conn *c;
    const aw_zone_set *zones;
    const aw_worker_options *o;
    kvStore *kv;
    int n;
    partition *parts;
    aw_event *pending;        /* the events of the report being fed */
    size_t npending, cap;
    bool oom;
    jsCtx *ajs;               /* asynchronous publishing, acknowledgements to on_ack */
    atomic_uint_fast64_t published, duplicates;
    atomic_int failed;        /* an asynchronous publish failed */
    atomic_int fail_code;     /* its JetStream error code */
    uint64_t inflight[INFLIGHT_SLOTS];
    uint32_t inflight_used[INFLIGHT_SLOTS / 2];
    size_t ninflight;
    uint64_t checkpoints, restored;
    int64_t epoch;            /* the reports stream's creation time (checkpoints name it) */
} worker;

/* Called by the client library's thread for each asynchronous publish. */
static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    (void)js;
    worker *w = closure;
    if (pa && pa->Duplicate)
        atomic_fetch_add(&w->duplicates, 1);
    else if (pa)
        atomic_fetch_add(&w->published, 1);
    else if (pae) {
        atomic_store(&w->fail_code, (int)pae->ErrCode);
        atomic_store(&w->failed, 1);
    }
    natsMsg_Destroy(msg);
}

static void inflight_clear(worker *w)
{
    for (size_t i = 0; i < w->ninflight; i++)
        w->inflight[w->inflight_used[i]] = 0;
    w->ninflight = 0;
}

/* Wait until every event in flight is acknowledged; -1 if one was not stored. */
static int wait_acks(worker *w, partition *p)
{
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 30000;
    natsStatus s = js_PublishAsyncComplete(w->ajs, &po);
    inflight_clear(w);
    if (s == NATS_OK && !atomic_load(&w->failed))
        return 0;
    fprintf(stderr, "adizwatch: worker %s: partition %d: events not acknowledged (%s, JetStream "
                    "error %d); their reports stay unacknowledged\n",
            w->o->name, p->k, s != NATS_OK ? natsStatus_GetText(s) : "publish failed",
            atomic_load(&w->fail_code));
    return -1;
}

/* Is an event of this track in flight? If not, it is now. */
static bool inflight_add(worker *w, uint64_t h)
{
    h |= 1; /* 0 marks an empty slot */
    size_t i = h & (INFLIGHT_SLOTS - 1);
    for (; w->inflight[i]; i = (i + 1) & (INFLIGHT_SLOTS - 1))
        if (w->inflight[i] == h)
            return true;
    w->inflight[i] = h;
    w->inflight_used[w->ninflight++] = (uint32_t)i;
    return false;
}

static void collect(const aw_event *ev, void *user)
{
    worker *w = user;
    if (w->npending == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        aw_event *p = realloc(w->pending, cap * sizeof *p);
        if (!p) {
            w->oom = true;
            return;
        }
        w->pending = p;
        w->cap = cap;
    }
    w->pending[w->npending++] = *ev;
}

static void drop_partition(worker *w, partition *p, bool release)
{
    aw_pull_close(p->pull); /* the durable consumer stays */
    p->pull = NULL;
    aw_engine_free(p->engine);
    p->engine = NULL;
    if (release && p->owned) {
        char key[32];
        snprintf(key, sizeof key, "p%d", p->k);
        kvStore_Delete(w->kv, key);
    }
    if (p->owned)
        fprintf(stderr, "adizwatch: worker %s: partition %d %s\n", w->o->name, p->k,
                release ? "released" : "lost (another worker holds its lease)");
    p->owned = false;
}

/* Delete the earlier owners' consumers of a partition's subject, and give the highest of
 * their ack floors (0 if none): every report up to it has its events stored. 0, or -1
 * if they could not be listed. */
static int earlier_consumers(worker *w, const char *subject, uint64_t *floor)
{
    jsConsumerInfoList *list = NULL;
    jsErrCode jerr = 0;
    *floor = 0;
    natsStatus s = js_Consumers(&list, w->c->js, w->o->prefix, NULL, &jerr);
    if (s == NATS_NOT_FOUND)
        return 0;
    if (s != NATS_OK)
        return -1;
    for (int i = 0; i < list->Count; i++) {
        const jsConsumerInfo *ci = list->List[i];
        if (!ci->Config || !ci->Config->FilterSubject || strcmp(ci->Config->FilterSubject, subject))
            continue;
        if (ci->AckFloor.Stream > *floor)
            *floor = ci->AckFloor.Stream;
        js_DeleteConsumer(w->c->js, w->o->prefix, ci->Name, NULL, &jerr);
    }
    jsConsumerInfoList_Destroy(list);
    return 0;
}

/* Is the partition's own consumer still there? (A stale owner's takeover deletes it.) */
static bool consumer_gone(worker *w, const partition *p)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetConsumerInfo(&ci, w->c->js, w->o->prefix, p->durable, NULL, &jerr);
    jsConsumerInfo_Destroy(ci);
    return s != NATS_OK && jerr == JSConsumerNotFoundErr;
}

/* Start consuming an owned partition from its checkpoint, or its start (the banner). */
static int take_over(worker *w, partition *p)
{
    char key[32], subject[160];
    snprintf(key, sizeof key, "p%d", p->k);
    snprintf(subject, sizeof subject, "%s.reports.%d", w->o->prefix, p->k);
    uint64_t rev;
    if (kvStore_UpdateString(&rev, w->kv, key, w->o->name, p->rev) != NATS_OK) {
        drop_partition(w, p, false); /* no longer ours: the consumers are the new owner's */
        return -1;
    }
    p->rev = rev;
    char *durable = p->durable;
    snprintf(durable, sizeof p->durable, "%s_p%d_%" PRIu64, w->o->prefix, p->k, rev);
    if (earlier_consumers(w, subject, &p->floor) < 0) {
        fprintf(stderr, "adizwatch: worker %s: partition %d: its consumers could not be listed; "
                        "trying again\n", w->o->name, p->k);
        return -1;
    }
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    aw_engine_options eo = {.timeout_s = w->o->timeout_s, .max_tracks = 1000000};
    p->engine = aw_engine_new(w->zones, &eo, collect, w);
    if (!p->engine) {
        fprintf(stderr, "adizwatch: worker %s: out of memory\n", w->o->name);
        drop_partition(w, p, true);
        return -1;
    }
    uint64_t from = 0;
    size_t bytes = 0;
    double t0 = aw_cluster_now();
    int got = aw_checkpoint_load(w->c, w->o->prefix, w->epoch, p->k, p->engine, &from, &p->slot, &bytes);
    if (got <= 0)
        from = 0; /* none, or not usable (said why): the engine is still new */
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = durable;
    cc.FilterSubject = subject;
    cc.DeliverPolicy = from ? js_DeliverByStartSequence : js_DeliverAll;
    cc.OptStartSeq = from ? from + 1 : 0;
    cc.AckPolicy = js_AckAll;
    cc.AckWait = (int64_t)60e9;
    cc.MaxAckPending = -1;
    jerr = 0;
    natsStatus s = js_AddConsumer(&ci, w->c->js, w->o->prefix, &cc, NULL, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: worker %s: consumer %s: %s (JetStream error %d)\n",
                w->o->name, durable, natsStatus_GetText(s), (int)jerr);
        aw_engine_free(p->engine);
        p->engine = NULL;
        return -1;
    }
    jsConsumerInfo_Destroy(ci);
    if (!(p->pull = aw_pull_open(w->c, w->o->prefix, durable))) {
        fprintf(stderr, "adizwatch: worker %s: partition %d: cannot subscribe to its consumer\n",
                w->o->name, p->k);
        drop_partition(w, p, true);
        return -1;
    }
    p->fed = p->since_save = 0;
    p->last_seq = from;
    p->saved_at = aw_cluster_now();
    if (from) {
        aw_engine_stats st;
        aw_engine_get_stats(p->engine, &st);
        w->restored++;
        fprintf(stderr, "adizwatch: worker %s: partition %d taken, restored checkpoint at stream "
                        "sequence %" PRIu64 " (%zu bytes, %" PRIu64 " tracks, %" PRIu64 " open "
                        "visits, %.3f s), resuming from %" PRIu64 " (events published after "
                        "stream sequence %" PRIu64 ")\n",
                w->o->name, p->k, from, bytes, st.tracks, st.open_visits,
                aw_cluster_now() - t0, from + 1, p->floor);
    } else
        fprintf(stderr, "adizwatch: worker %s: partition %d taken, replaying from its start "
                        "(events published after stream sequence %" PRIu64 ")\n",
                w->o->name, p->k, p->floor);
    return 0;
}

/* The engine has fed reports whose events are not all out, or the consumer is gone:
 * start over from the checkpoint and ack floor (the main loop takes the partition over
 * again while the lease is ours). */
static void start_over(worker *w, partition *p)
{
    jsPubOptions po; /* let what is in flight settle before publishing again */
    jsPubOptions_Init(&po);
    po.MaxWait = 5000;
    js_PublishAsyncComplete(w->ajs, &po);
    inflight_clear(w);
    atomic_store(&w->failed, 0);
    aw_pull_close(p->pull);
    p->pull = NULL;
    aw_engine_free(p->engine);
    p->engine = NULL;
    fprintf(stderr, "adizwatch: worker %s: partition %d: starting it over\n", w->o->name, p->k);
}

/* Renew our leases, say we live, and take a free partition if under our share; true if
 * still under it. */
static bool lease_round(worker *w)
{
    char key[160];
    uint64_t rev;
    snprintf(key, sizeof key, "worker.%s", w->o->name);
    kvStore_PutString(&rev, w->kv, key, w->o->name);
    int owned = 0;
    for (int i = 0; i < w->n; i++) {
        partition *p = &w->parts[i];
        if (!p->owned)
            continue;
        snprintf(key, sizeof key, "p%d", p->k);
        if (kvStore_UpdateString(&rev, w->kv, key, w->o->name, p->rev) == NATS_OK) {
            p->rev = rev;
            owned++;
            if (p->pull && consumer_gone(w, p)) {
                fprintf(stderr, "adizwatch: worker %s: partition %d: its consumer was deleted "
                                "(a stale owner's takeover); taking it over again\n",
                        w->o->name, p->k);
                start_over(w, p);
            }
        } else
            drop_partition(w, p, false);
    }
    int live = 1;
    kvKeysList keys = {0};
    if (kvStore_Keys(&keys, w->kv, NULL) == NATS_OK) {
        live = 0;
        for (int i = 0; i < keys.Count; i++)
            live += strncmp(keys.Keys[i], "worker.", 7) == 0;
        kvKeysList_Destroy(&keys);
        if (live < 1)
            live = 1;
    }
    int share = (w->n + live - 1) / live;
    if (owned >= share)
        return false;
    uint32_t start = aw_cluster_partition(w->o->name, (uint32_t)w->n);
    for (int j = 0; j < w->n; j++) {
        partition *p = &w->parts[(start + (uint32_t)j) % (uint32_t)w->n];
        if (p->owned)
            continue;
        snprintf(key, sizeof key, "p%d", p->k);
        kvEntry *e = NULL;
        natsStatus s = kvStore_Get(&e, w->kv, key);
        if (s == NATS_OK) {
            /* ours from a previous life of this worker (same name): take it back now */
            bool mine = strcmp(kvEntry_ValueString(e), w->o->name) == 0;
            uint64_t last = kvEntry_Revision(e);
            kvEntry_Destroy(e);
            if (!mine || kvStore_UpdateString(&rev, w->kv, key, w->o->name, last) != NATS_OK)
                continue;
        } else if (kvStore_CreateString(&rev, w->kv, key, w->o->name) != NATS_OK)
            continue;
        p->owned = true;
        p->rev = rev;
        take_over(w, p);
        return owned + 1 < share;
    }
    return false; /* none free */
}

/* Publish the pending events of a report at stream sequence seq, asynchronously; -1 on
 * failure. */
static int publish_pending(worker *w, partition *p, uint64_t seq)
{
    char subject[160], id[200], json[1024];
    snprintf(subject, sizeof subject, "%s.events", w->o->prefix);
    for (size_t i = 0; i < w->npending; i++) {
        if (seq <= p->floor)
            continue; /* published and acknowledged by an earlier owner */
        int len = aw_event_to_json(&w->pending[i], json, sizeof json);
        if (len < 0 || (size_t)len >= sizeof json)
            continue;
        /* one event of a track in flight at a time; and no more in flight than we track */
        uint64_t h = aw_engine_track_hash(w->pending[i].track);
        if (w->ninflight + 1 >= INFLIGHT_SLOTS / 2 || inflight_add(w, h)) {
            if (wait_acks(w, p) < 0)
                return -1;
            inflight_add(w, h);
        }
        aw_cluster_event_id(&w->pending[i], id, sizeof id);
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = id;
        po.MaxWait = 20000;
        natsStatus s = js_PublishAsync(w->ajs, subject, json, len, &po);
        if (s != NATS_OK) {
            fprintf(stderr, "adizwatch: worker %s: event not published (%s); the report "
                            "stays unacknowledged\n",
                    w->o->name, natsStatus_GetText(s));
            return -1;
        }
    }
    return 0;
}

/* Save the partition's engine state, covering the last report fed, when it is due. */
static void maybe_checkpoint(worker *w, partition *p)
{
    const aw_worker_options *o = w->o;
    if (!p->since_save || !((o->checkpoint_reports && p->since_save >= o->checkpoint_reports) ||
                            (o->checkpoint_s > 0 && aw_cluster_now() - p->saved_at >= o->checkpoint_s)))
        return;
    size_t bytes;
    if (aw_checkpoint_save(w->c, o->prefix, w->epoch, p->k, p->last_seq, p->engine, &p->slot,
                           &bytes) == 0) {
        w->checkpoints++;
        fprintf(stderr, "adizwatch: worker %s: partition %d: checkpoint at stream sequence %" PRIu64
                        " (%zu bytes)\n", o->name, p->k, p->last_seq, bytes);
    }
    p->since_save = 0;
    p->saved_at = aw_cluster_now();
}

/* --live-clock: append the wall-clock time to the partition as a clock message. */
static void live_tick(worker *w, partition *p)
{
    double now = aw_cluster_now();
    if (!(w->o->live_clock_s > 0) || now < p->next_tick)
        return;
    p->next_tick = now + w->o->live_clock_s;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double wall = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    char subject[160], data[64], id[96];
    snprintf(subject, sizeof subject, "%s.reports.%d", w->o->prefix, p->k);
    int n = snprintf(data, sizeof data, "C\t%.3f", wall);
    snprintf(id, sizeof id, "tick|%d|%.0f", p->k, floor(wall * 1000));
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = id;
    natsStatus s = js_Publish(NULL, w->c->js, subject, data, n, &po, NULL);
    if (s != NATS_OK)
        fprintf(stderr, "adizwatch: worker %s: partition %d: clock not appended (%s)\n",
                w->o->name, p->k, natsStatus_GetText(s));
}

/* One batch of an owned partition; returns the messages processed, -1 on failure. */
static int consume(worker *w, partition *p)
{
    natsMsg *msgs[512];
    char err[200];
    /* hardly waiting: an idle partition must not hold up the others (the main loop
     * sleeps when none had anything) */
    int got = aw_pull_fetch(p->pull, msgs, 512, 10, err, sizeof err);
    if (got < 0) {
        fprintf(stderr, "adizwatch: worker %s: partition %d: fetch: %s\n", w->o->name, p->k, err);
        aw_cluster_sleep(0.2);
        return -1;
    }
    int done = 0, rc = 0;
    natsMsg *last = NULL;
    for (int i = 0; i < got; i++) {
        natsMsg *m = msgs[i];
        jsMsgMetaData *meta = NULL;
        if (natsMsg_GetMetaData(&meta, m) != NATS_OK) {
            rc = -1;
            break;
        }
        uint64_t seq = meta->Sequence.Stream;
        jsMsgMetaData_Destroy(meta);
        aw_report r;
        w->npending = 0;
        const char *data = natsMsg_GetData(m);
        if (data[0] == 'C' && data[1] == '\t') { /* the clock (publish --end-clock) */
            aw_engine_expire(p->engine, strtod(data + 2, NULL));
            if (w->oom) {
                rc = -1;
                break;
            }
        } else if (aw_cluster_report_decode(data, (size_t)natsMsg_GetDataLength(m), &r) == 0) {
            if (aw_engine_feed(p->engine, &r) == AW_FEED_ERROR || w->oom) {
                fprintf(stderr, "adizwatch: worker %s: out of memory\n", w->o->name);
                rc = -1;
                break;
            }
        } else
            fprintf(stderr, "adizwatch: worker %s: partition %d: sequence %llu is not a "
                            "report; skipped\n",
                    w->o->name, p->k, (unsigned long long)seq);
        if (publish_pending(w, p, seq) < 0) {
            rc = -1;
            break;
        }
        p->fed++;
        p->since_save++;
        p->last_seq = seq;
        last = m;
        done++;
    }
    if (last && rc == 0 && wait_acks(w, p) < 0)
        rc = -1;
    if (last && rc == 0) {
        /* ack-all: this acknowledges every report up to it, all of whose events are in */
        if (aw_pull_ack(p->pull, last, 10000) != NATS_OK)
            fprintf(stderr, "adizwatch: worker %s: partition %d: acknowledgement lost; the "
                            "next owner will publish again (de-duplicated)\n",
                    w->o->name, p->k);
        maybe_checkpoint(w, p); /* every event up to last_seq is in the stream */
    }
    for (int i = 0; i < got; i++)
        natsMsg_Destroy(msgs[i]);
    if (rc < 0)
        start_over(w, p);
    return rc < 0 ? -1 : done;
}

int aw_cluster_worker(aw_cluster_conn *c, const aw_zone_set *zones, const aw_worker_options *o)
{
    worker w = {.c = c, .zones = zones, .o = o};
    w.n = aw_cluster_stream(c, o->prefix, 0, false, 3600);
    if (w.n < 0)
        return -1;
    char bucket[160];
    snprintf(bucket, sizeof bucket, "%s_leases", o->prefix);
    kvConfig kc;
    kvConfig_Init(&kc);
    kc.Bucket = bucket;
    kc.History = 1;
    kc.TTL = (int64_t)(o->lease_s * 1e9);
    natsStatus s = js_CreateKeyValue(&w.kv, c->js, &kc);
    if (s != NATS_OK)
        s = js_KeyValue(&w.kv, c->js, bucket);
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: worker %s: lease bucket %s: %s (%s)\n", o->name, bucket,
                natsStatus_GetText(s), nats_GetLastError(NULL));
        return -1;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 10000;
    jo.PublishAsync.MaxPending = INFLIGHT_SLOTS / 2;
    jo.PublishAsync.StallWait = 10000;
    jo.PublishAsync.AckHandler = on_ack;
    jo.PublishAsync.AckHandlerClosure = &w;
    if (aw_checkpoint_open(c, o->prefix, &w.epoch) < 0 ||
        natsConnection_JetStream(&w.ajs, c->nc, &jo) != NATS_OK ||
        !(w.parts = calloc((size_t)w.n, sizeof *w.parts))) {
        jsCtx_Destroy(w.ajs);
        kvStore_Destroy(w.kv);
        return -1;
    }
    for (int i = 0; i < w.n; i++)
        w.parts[i].k = i;
    fprintf(stderr, "adizwatch: worker %s: %d partitions, lease %.1f s\n", o->name, w.n,
            o->lease_s);
    double next_round = 0;
    while (!*o->stop) {
        double now = aw_cluster_now();
        if (now >= next_round) /* sooner while taking partitions up to our share */
            next_round = now + (lease_round(&w) ? fmin(0.3, o->lease_s / 3) : o->lease_s / 3);
        int busy = 0, owned = 0;
        for (int i = 0; i < w.n && !*o->stop; i++) {
            partition *p = &w.parts[i];
            if (!p->owned)
                continue;
            owned++;
            if (!p->pull && take_over(&w, p) < 0)
                continue;
            live_tick(&w, p);
            int got = consume(&w, p);
            busy += got > 0;
            if (aw_cluster_now() >= next_round)
                break; /* renew before reading on */
        }
        if (!owned)
            aw_cluster_sleep(0.1);
        else if (!busy)
            aw_cluster_sleep(0.02); /* every partition read to its end */
    }
    for (int i = 0; i < w.n; i++)
        drop_partition(&w, &w.parts[i], true);
    char key[160];
    snprintf(key, sizeof key, "worker.%s", o->name);
    kvStore_Delete(w.kv, key);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 5000;
    js_PublishAsyncComplete(w.ajs, &po);
    fprintf(stderr, "adizwatch: worker %s: stopped; %" PRIu64 " events published, %" PRIu64
                    " duplicates dropped by the stream, %" PRIu64 " checkpoints saved, %" PRIu64
                    " restored\n",
            o->name, (uint64_t)atomic_load(&w.published), (uint64_t)atomic_load(&w.duplicates),
            w.checkpoints, w.restored);
    jsCtx_Destroy(w.ajs);
    kvStore_Destroy(w.kv);
    free(w.parts);
    free(w.pending);
    return 0;
}
