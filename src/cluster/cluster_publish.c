/* cluster_publish.c -- `adizwatch publish`: an input's reports onto the stream.
 *
 * The input is read by the pipeline, the same code as replay (formats, CSV headers, bad
 * lines counted with their numbers), over no zones: its on_report hook hands over each
 * report in input order, which is published to P.reports.K of its track's partition.
 * Publishing is asynchronous (one connection keeps the order of a partition's reports)
 * and each message carries Nats-Msg-Id = the input's identity (name, size, modification
 * time) and the report's number in it, so the stream keeps one copy of a report however
 * often the input is published within the duplicate window. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adizwatch/pipeline.h"
#include "cluster/cluster_internal.h"

typedef struct publisher {
    aw_cluster_conn *c;
    const char *prefix;
    int partitions;
    char identity[300];
    uint64_t number;    /* reports of this input so far */
    uint64_t published; /* over all inputs */
    natsStatus failed;  /* the first failure to hand a message to the library */
    double latest;      /* the latest report time */
} publisher;

static volatile uint64_t async_errors; /* publish acknowledgements that came back as errors */

static void on_async_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    (void)closure;
    if (async_errors++ == 0)
        fprintf(stderr, "adizwatch: publish: a report was not stored: %s\n",
                pae->ErrText ? pae->ErrText : natsStatus_GetText(pae->Err));
}

/* One message with its Nats-Msg-Id (the stream's de-duplication key), asynchronously:
 * the library sets the header, as the worker's event publishing does. */
static natsStatus publish_with_id(publisher *p, const char *subj, const char *id,
                                  const char *body, int len)
{
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = id;
    return js_PublishAsync(p->c->js, subj, body, len, &po);
}

static void on_report(const aw_report *r, aw_feed_result res, void *user)
{
    (void)res; /* the workers' engines reach the same verdict */
    publisher *p = user;
    p->number++;
    if (r->time > p->latest || p->number == 1)
        p->latest = r->time;
    if (p->failed != NATS_OK)
        return;
    char subj[160], body[512], id[340];
    int len = aw_cluster_report_encode(r, body, sizeof body);
    if (len < 0)
        return;
    snprintf(subj, sizeof subj, "%s.reports.%u", p->prefix,
             aw_cluster_partition(r->track, (uint32_t)p->partitions));
    snprintf(id, sizeof id, "%s:%llu", p->identity, (unsigned long long)p->number);
    natsStatus s = publish_with_id(p, subj, id, body, len);
    if (s != NATS_OK) {
        p->failed = s;
        fprintf(stderr, "adizwatch: publish: %s (%s)\n", natsStatus_GetText(s),
                nats_GetLastError(NULL));
    } else
        p->published++;
}

/* The end of the input as a clock on every partition (docs/scale-out.md, Expiry). */
static void publish_clock(publisher *p)
{
    char subj[160], body[64], id[360];
    int len = snprintf(body, sizeof body, "C\t%.17g", p->latest + 86400.0);
    for (int k = 0; k < p->partitions && p->failed == NATS_OK; k++) {
        snprintf(subj, sizeof subj, "%s.reports.%d", p->prefix, k);
        snprintf(id, sizeof id, "%s:clock:%d", p->identity, k);
        natsStatus s = publish_with_id(p, subj, id, body, len);
        if (s != NATS_OK)
            p->failed = s;
    }
}

/* The pipeline's problems (a bad line, with its number) pass; its closing summary, which
 * speaks of the placeholder engine's tracks and events, is replaced by publish's own. */
static void on_message(const char *line, void *user)
{
    (void)user;
    if (strncmp(line, "adizwatch: ", 11) != 0)
        fprintf(stderr, "%s\n", line);
}

/* Messages in the stream now, or -1. */
static int64_t stream_messages(aw_cluster_conn *c, const char *prefix)
{
    jsStreamInfo *si = NULL;
    if (js_GetStreamInfo(&si, c->js, prefix, NULL, NULL) != NATS_OK)
        return -1;
    int64_t n = (int64_t)si->State.Msgs;
    jsStreamInfo_Destroy(si);
    return n;
}

int aw_cluster_publish(aw_cluster_conn *c, const aw_publish_options *o, char **inputs,
                       int ninputs)
{
    int n = aw_cluster_stream(c, o->prefix, o->partitions, true, 0);
    if (n < 0)
        return -1;
    /* the async error handler is the context's: make one with it */
    jsCtx *js = NULL;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 10000;
    jo.PublishAsync.MaxPending = 4096;
    /* a loaded server falls behind for a while: wait for room rather than fail (the
     * library's default gives up after 200 ms, which a busy machine exceeds) */
    jo.PublishAsync.StallWait = 30000;
    jo.PublishAsync.ErrHandler = on_async_error;
    if (natsConnection_JetStream(&js, c->nc, &jo) != NATS_OK) {
        fprintf(stderr, "adizwatch: publish: no JetStream context\n");
        return -1;
    }
    int64_t before = stream_messages(c, o->prefix);
    uint64_t bad = 0;
    jsCtx *plain = c->js;
    c->js = js;
    /* The pipeline runs an engine; publishing needs none, so it gets one zone no flight
     * reaches (a 1 km square by the South Pole) and keeps one track: nearly no work. */
    static const char no_zones[] =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
        "\"none\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[0,-89.99],[0.01,-89.99],[0.01,-89.98],[0,-89.98],[0,-89.99]]]}}]}";
    aw_zone_set *zones = aw_zones_load_string(no_zones, sizeof no_zones - 1, NULL, NULL);
    if (!zones)
        fprintf(stderr, "adizwatch: publish: internal zone refused\n");
    publisher p = {.c = c, .prefix = o->prefix, .partitions = n};
    int rc = zones ? 0 : -1;
    for (int i = 0; i < ninputs && rc == 0 && p.failed == NATS_OK; i++) {
        struct stat st;
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0) {
            const char *base = strrchr(inputs[i], '/');
            snprintf(p.identity, sizeof p.identity, "%s:%lld:%lld.%09ld",
                     base ? base + 1 : inputs[i], (long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        } else
            snprintf(p.identity, sizeof p.identity, "%s", inputs[i]); /* stdin: by name */
        p.number = 0;
        aw_pipeline_options po = {.format = o->format, .tz_offset_s = o->tz_offset_s,
                                  .assume_utc = o->assume_utc, .max_tracks = 1,
                                  .on_report = on_report,
                                  .on_message = on_message, .user = &p};
        char err[256];
        aw_pipeline *pl = aw_pipeline_new(zones, &po, err, sizeof err);
        if (!pl) {
            fprintf(stderr, "adizwatch: publish: %s\n", err);
            rc = -1;
            break;
        }
        if (aw_pipeline_read_file(pl, inputs[i]) < 0)
            rc = -1;
        aw_pipeline_stats st2;
        aw_pipeline_get_stats(pl, &st2);
        bad += st2.bad_lines;
        aw_pipeline_close(pl);
    }
    if (o->end_clock && rc == 0 && p.number > 0)
        publish_clock(&p);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 60000;
    natsStatus s = js_PublishAsyncComplete(js, &po);
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: publish: not every report was acknowledged (%s)\n",
                natsStatus_GetText(s));
        rc = -1;
    }
    if (p.failed != NATS_OK || async_errors)
        rc = -1;
    c->js = plain;
    int64_t after = stream_messages(c, o->prefix);
    fprintf(stderr, "adizwatch: published %llu reports to %s.reports.* (%d partitions), %lld "
                    "new in the stream (the rest were there already), %llu bad lines%s\n",
            (unsigned long long)p.published, o->prefix, n,
            (long long)(before >= 0 && after >= 0 ? after - before : -1),
            (unsigned long long)bad,
            rc == 0 ? "" : "; with failures: run it again (duplicates are dropped)");
    jsCtx_Destroy(js);
    aw_zones_free(zones);
    return rc;
}
