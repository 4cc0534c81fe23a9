/* cluster_events.c -- `adizwatch events --nats`: the cluster's events, read back.
 *
 * The workers publish each event once (the stream drops repeats by their stable id) as
 * the event contract's JSON line, so reading P.events from its start with a pull
 * consumer gives what `adizwatch replay` prints for the same input: each track's events
 * in their order, tracks of different partitions interleaved as the workers published
 * them. With a store, each line is parsed back into an event and kept (a store ignores
 * an event it already has), so report, patrol and serve work on a cluster's output. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/ingest.h"
#include "adizwatch/store.h"
#include "cluster/cluster_internal.h"

static int text(json_t *o, const char *k, char *out, size_t n)
{
    const char *s = json_string_value(json_object_get(o, k));
    if (!s)
        return -1;
    snprintf(out, n, "%s", s);
    return 0;
}

static double number(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* An event from its contract JSON; 0 or -1. */
static int event_from_json(const char *line, size_t len, aw_event *ev)
{
    json_t *o = json_loadb(line, len, 0, NULL);
    if (!o)
        return -1;
    memset(ev, 0, sizeof *ev);
    char type[16], cause[16], when[40];
    int rc = 0;
    if (text(o, "type", type, sizeof type) < 0 || aw_event_type_parse(type, &ev->type) < 0 ||
        text(o, "cause", cause, sizeof cause) < 0 ||
        aw_event_cause_parse(cause, &ev->cause) < 0 ||
        text(o, "track", ev->track, sizeof ev->track) < 0 ||
        text(o, "zone", ev->zone, sizeof ev->zone) < 0 ||
        text(o, "time", when, sizeof when) < 0 || aw_parse_time(when, strlen(when), &ev->time) < 0)
        rc = -1;
    ev->lat = number(o, "lat");
    ev->lon = number(o, "lon");
    ev->alt_ft = number(o, "alt_ft");
    text(o, "callsign", ev->callsign, sizeof ev->callsign);
    ev->dwell_s = number(o, "dwell_s");
    ev->max_depth_m = number(o, "max_depth_m");
    if (ev->type == AW_ENTER)
        ev->dwell_s = ev->max_depth_m = 0;
    json_decref(o);
    return rc;
}

/* Nothing came within a wait: is the reader at the stream's end? Not if the server has
 * messages for it still, or has delivered more than were read (on their way: a loaded
 * machine answers late, and a late end-of-request status cuts a wait short). */
static bool at_end(aw_cluster_conn *c, const char *prefix, const char *reader, uint64_t read)
{
    jsConsumerInfo *ci = NULL;
    if (js_GetConsumerInfo(&ci, c->js, prefix, reader, NULL, NULL) != NATS_OK)
        return true;
    bool end = ci->NumPending == 0 && ci->Delivered.Consumer <= read;
    jsConsumerInfo_Destroy(ci);
    return end;
}

int aw_cluster_events(aw_cluster_conn *c, const char *prefix, const char *db_path,
                      bool follow, volatile int *stop)
{
    if (aw_cluster_stream(c, prefix, 0, false, follow ? 3600 : 0) < 0)
        return -1;
    aw_store *store = NULL;
    char err[256];
    if (db_path && !(store = aw_store_open(db_path, err, sizeof err))) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return -1;
    }
    char subject[160], reader[80];
    snprintf(subject, sizeof subject, "%s.events", prefix);
    /* A pull consumer of our own, removed at the end (libnats 3.4's ordered push
     * consumer can stall on long streams); AckNone: reading changes nothing. */
    snprintf(reader, sizeof reader, "%s_reader_%ld", prefix, (long)getpid());
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = reader;
    cc.FilterSubject = subject;
    cc.DeliverPolicy = js_DeliverAll;
    cc.AckPolicy = js_AckNone;
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    aw_pull *pull = NULL;
    natsStatus s = js_AddConsumer(&ci, c->js, prefix, &cc, NULL, &jerr);
    if (s == NATS_OK) {
        jsConsumerInfo_Destroy(ci);
        if (!(pull = aw_pull_open(c, prefix, reader)))
            s = NATS_NO_MEMORY;
    }
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: events: cannot read %s: %s\n", subject,
                natsStatus_GetText(s));
        js_DeleteConsumer(c->js, prefix, reader, NULL, NULL);
        aw_store_close(store);
        return -1;
    }
    uint64_t n = 0, bad = 0;
    int rc = 0, empty = 0;
    bool done = false;
    natsMsg *msgs[1024];
    while (!*stop && !done && rc == 0) {
        int got = aw_pull_fetch(pull, msgs, 1024, follow ? 500 : 1000, err, sizeof err);
        if (got == 0) {
            if (store)
                aw_store_tick(store);
            /* nothing more: the stream had no (more) events (10 empty waits in a row end
             * it even so: a delivery lost in a server restart is not coming) */
            done = !follow && (at_end(c, prefix, reader, n) || ++empty >= 10);
            continue;
        }
        empty = 0;
        if (got < 0) {
            fprintf(stderr, "adizwatch: events: %s\n", err);
            rc = -1;
            break;
        }
        for (int i = 0; i < got && rc == 0; i++) {
            natsMsg *m = msgs[i];
            const char *data = natsMsg_GetData(m);
            int len = natsMsg_GetDataLength(m);
            fwrite(data, 1, (size_t)len, stdout);
            putchar('\n');
            n++;
            if (store) {
                aw_event ev;
                if (event_from_json(data, (size_t)len, &ev) < 0)
                    bad++;
                else if (aw_store_add(store, &ev, err, sizeof err) < 0) {
                    fprintf(stderr, "adizwatch: events: %s\n", err);
                    rc = -1;
                }
            }
            jsMsgMetaData *meta = NULL;
            if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
                done = done || (meta->NumPending == 0 && !follow);
                jsMsgMetaData_Destroy(meta);
            }
        }
        for (int i = 0; i < got; i++)
            natsMsg_Destroy(msgs[i]);
    }
    aw_pull_close(pull);
    js_DeleteConsumer(c->js, prefix, reader, NULL, NULL);
    if (store && aw_store_close(store) < 0)
        rc = -1;
    fprintf(stderr, "adizwatch: %llu events read from %s%s\n", (unsigned long long)n, subject,
            bad ? " (some could not be stored: not the event contract's JSON)" : "");
    return rc;
}
