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
 * Exactness without engine snapshots. A partition is consumed by the durable pull
 * consumer P_pK (ack-all). A new owner reads the consumer's ack floor F, recreates it
 * from the start of the partition and feeds every report again to a fresh engine, which
 * is deterministic: the engine's state after report F is the state the last owner had.
 * Events of reports up to F are not published again (a report is acknowledged only
 * after its events were); events of later reports are published with Nats-Msg-Id = the
 * event's stable id, so the ones the last owner published before it died are dropped
 * by the stream's de-duplication. The cost: a takeover re-reads the partition from its
 * start (engine work only, no publishing) -- see docs/scale-out.md. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/engine.h"
#include "cluster/cluster_internal.h"

typedef struct partition {
    int k;
    bool owned;
    uint64_t rev;             /* our lease key's last revision */
    natsSubscription *sub;
    aw_engine *engine;
    uint64_t floor;           /* ack floor at takeover: events up to here are published */
    uint64_t fed;             /* reports fed since takeover */
} partition;

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
    uint64_t published, duplicates;
} worker;

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
    if (p->sub) {
        natsSubscription_Destroy(p->sub); /* the durable consumer stays */
        p->sub = NULL;
    }
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

/* Start consuming an owned partition from its start (see the banner). */
static int take_over(worker *w, partition *p)
{
    char durable[160], subject[160];
    snprintf(durable, sizeof durable, "%s_p%d", w->o->prefix, p->k);
    snprintf(subject, sizeof subject, "%s.reports.%d", w->o->prefix, p->k);
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    p->floor = 0;
    if (js_GetConsumerInfo(&ci, w->c->js, w->o->prefix, durable, NULL, &jerr) == NATS_OK) {
        p->floor = ci->AckFloor.Stream;
        jsConsumerInfo_Destroy(ci);
        js_DeleteConsumer(w->c->js, w->o->prefix, durable, NULL, &jerr);
    }
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = durable;
    cc.FilterSubject = subject;
    cc.DeliverPolicy = js_DeliverAll;
    cc.AckPolicy = js_AckAll;
    cc.AckWait = (int64_t)60e9;
    cc.MaxAckPending = -1;
    jerr = 0;
    natsStatus s = js_AddConsumer(&ci, w->c->js, w->o->prefix, &cc, NULL, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: worker %s: consumer %s: %s (JetStream error %d)\n",
                w->o->name, durable, natsStatus_GetText(s), (int)jerr);
        return -1;
    }
    jsConsumerInfo_Destroy(ci);
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = w->o->prefix;
    so.Consumer = durable;
    s = js_PullSubscribe(&p->sub, w->c->js, subject, durable, NULL, &so, &jerr);
    aw_engine_options eo = {.timeout_s = w->o->timeout_s, .max_tracks = 1000000};
    p->engine = s == NATS_OK ? aw_engine_new(w->zones, &eo, collect, w) : NULL;
    if (!p->engine) {
        fprintf(stderr, "adizwatch: worker %s: partition %d: %s\n", w->o->name, p->k,
                s != NATS_OK ? natsStatus_GetText(s) : "out of memory");
        drop_partition(w, p, true);
        return -1;
    }
    p->fed = 0;
    fprintf(stderr, "adizwatch: worker %s: partition %d taken, replaying from its start "
                    "(events published after stream sequence %llu)\n",
            w->o->name, p->k, (unsigned long long)p->floor);
    return 0;
}

/* Renew our leases, say we live, and take a free partition if under our share. */
static void lease_round(worker *w)
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
        return;
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
        return;
    }
}

/* Publish the pending events of a report at stream sequence seq; -1 on failure. */
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
        aw_cluster_event_id(&w->pending[i], id, sizeof id);
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = id;
        jsPubAck *ack = NULL;
        jsErrCode jerr = 0;
        natsStatus s = js_Publish(&ack, w->c->js, subject, json, len, &po, &jerr);
        if (s != NATS_OK) {
            fprintf(stderr, "adizwatch: worker %s: event not published (%s); the report "
                            "stays unacknowledged\n",
                    w->o->name, natsStatus_GetText(s));
            return -1;
        }
        if (ack->Duplicate)
            w->duplicates++;
        else
            w->published++;
        jsPubAck_Destroy(ack);
    }
    return 0;
}

/* One batch of an owned partition; returns the messages processed, -1 on failure. */
static int consume(worker *w, partition *p)
{
    natsMsgList list = {0};
    jsErrCode jerr = 0;
    natsStatus s = natsSubscription_Fetch(&list, p->sub, 512, 100, &jerr);
    if (s == NATS_TIMEOUT)
        return 0;
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: worker %s: partition %d: fetch: %s\n", w->o->name, p->k,
                natsStatus_GetText(s));
        aw_cluster_sleep(0.2);
        return -1;
    }
    int done = 0, rc = 0;
    natsMsg *last = NULL;
    for (int i = 0; i < list.Count; i++) {
        natsMsg *m = list.Msgs[i];
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
        last = m;
        done++;
    }
    if (last && rc == 0) {
        /* ack-all: this acknowledges every report up to it, all of whose events are in */
        if (natsMsg_AckSync(last, NULL, &jerr) != NATS_OK)
            fprintf(stderr, "adizwatch: worker %s: partition %d: acknowledgement lost; the "
                            "next owner will publish again (de-duplicated)\n",
                    w->o->name, p->k);
    }
    natsMsgList_Destroy(&list);
    if (rc < 0) {
        /* the engine has fed reports whose events are not all out: start over from the
         * ack floor (the main loop takes it over again while the lease is ours) */
        natsSubscription_Destroy(p->sub);
        p->sub = NULL;
        aw_engine_free(p->engine);
        p->engine = NULL;
        fprintf(stderr, "adizwatch: worker %s: partition %d: starting it over\n", w->o->name,
                p->k);
    }
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
    w.parts = calloc((size_t)w.n, sizeof *w.parts);
    if (!w.parts) {
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
        if (now >= next_round) {
            lease_round(&w);
            next_round = now + o->lease_s / 3;
        }
        int busy = 0, owned = 0;
        for (int i = 0; i < w.n && !*o->stop; i++) {
            partition *p = &w.parts[i];
            if (!p->owned)
                continue;
            owned++;
            if (!p->sub && take_over(&w, p) < 0)
                continue;
            int got = consume(&w, p);
            busy += got > 0;
            if (aw_cluster_now() >= next_round)
                break; /* renew before reading on */
        }
        if (!owned)
            aw_cluster_sleep(0.1);
        (void)busy;
    }
    for (int i = 0; i < w.n; i++)
        drop_partition(&w, &w.parts[i], true);
    char key[160];
    snprintf(key, sizeof key, "worker.%s", o->name);
    kvStore_Delete(w.kv, key);
    fprintf(stderr, "adizwatch: worker %s: stopped; %llu events published, %llu duplicates "
                    "dropped by the stream\n",
            o->name, (unsigned long long)w.published, (unsigned long long)w.duplicates);
    kvStore_Destroy(w.kv);
    free(w.parts);
    free(w.pending);
    return 0;
}
