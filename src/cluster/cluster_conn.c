/* cluster_conn.c -- the connection to NATS and the stream every cluster command shares.
 *
 * A server that is not up yet (a worker started before it, a restart) is retried with a
 * doubling backoff rather than failing at once; once connected, the client library
 * reconnects by itself. The stream is checked, not trusted: a stream of the same name
 * made by someone else, or with another partition count, is refused with the reason,
 * since using it would mix tracks up or lose the de-duplication that makes the events
 * exact. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/cluster_internal.h"

double aw_cluster_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void aw_cluster_sleep(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

uint32_t aw_cluster_partition(const char *track, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)track; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return n ? h % n : 0;
}

aw_cluster_conn *aw_cluster_connect(const char *url, double retry_s)
{
    aw_cluster_conn *c = calloc(1, sizeof *c);
    natsOptions *opts = NULL;
    if (!c || natsOptions_Create(&opts) != NATS_OK) {
        free(c);
        fprintf(stderr, "adizwatch: out of memory\n");
        return NULL;
    }
    snprintf(c->url, sizeof c->url, "%s", url);
    natsOptions_SetURL(opts, url);
    natsOptions_SetTimeout(opts, 2000);
    natsOptions_SetMaxReconnect(opts, -1); /* once up, ride out server restarts */
    natsOptions_SetReconnectWait(opts, 250);
    double start = aw_cluster_now(), wait = 0.25;
    natsStatus s;
    for (;;) {
        s = natsConnection_Connect(&c->nc, opts);
        if (s == NATS_OK)
            break;
        double left = retry_s - (aw_cluster_now() - start);
        if (left <= 0)
            break;
        if (wait > left)
            wait = left;
        fprintf(stderr, "adizwatch: cannot reach NATS at %s (%s); retrying in %.2f s\n", url,
                natsStatus_GetText(s), wait);
        aw_cluster_sleep(wait);
        wait = fmin(wait * 2, 4.0);
    }
    natsOptions_Destroy(opts);
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: cannot reach NATS at %s (%s); gave up after %.0f s "
                        "(is nats-server -js running there?)\n",
                url, natsStatus_GetText(s), retry_s);
        free(c);
        return NULL;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 10000;
    jo.PublishAsync.MaxPending = 4096;
    if (natsConnection_JetStream(&c->js, c->nc, &jo) != NATS_OK) {
        fprintf(stderr, "adizwatch: NATS at %s: no JetStream context\n", url);
        aw_cluster_close(c);
        return NULL;
    }
    return c;
}

void aw_cluster_close(aw_cluster_conn *c)
{
    if (!c)
        return;
    if (c->js)
        jsCtx_Destroy(c->js);
    if (c->nc) {
        natsConnection_FlushTimeout(c->nc, 2000);
        natsConnection_Destroy(c->nc);
    }
    free(c);
}

/* The stream's partition count from its description, or -1 if it is not ours. */
static int described_partitions(const jsStreamConfig *cfg, const char *prefix)
{
    int n;
    if (!cfg->Description || sscanf(cfg->Description, "adizwatch partitions=%d", &n) != 1 ||
        n <= 0)
        return -1;
    char want[2][160];
    snprintf(want[0], sizeof want[0], "%s.reports.*", prefix);
    snprintf(want[1], sizeof want[1], "%s.events", prefix);
    for (int w = 0; w < 2; w++) {
        bool found = false;
        for (int i = 0; i < cfg->SubjectsLen; i++)
            found = found || strcmp(cfg->Subjects[i], want[w]) == 0;
        if (!found)
            return -1;
    }
    return n;
}

int aw_cluster_stream(aw_cluster_conn *c, const char *prefix, int partitions, bool create,
                      double wait_s)
{
    double start = aw_cluster_now();
    for (;;) {
        jsStreamInfo *si = NULL;
        jsErrCode jerr = 0;
        natsStatus s = js_GetStreamInfo(&si, c->js, prefix, NULL, &jerr);
        if (s == NATS_OK) {
            int have = described_partitions(si->Config, prefix);
            bool dup_ok = si->Config->Duplicates > 0;
            if (have < 0 || !dup_ok) {
                fprintf(stderr,
                        "adizwatch: stream %s on %s has another configuration (description "
                        "\"%s\", %d subjects%s): it is not adizwatch's; use another --prefix "
                        "or remove that stream\n",
                        prefix, c->url, si->Config->Description ? si->Config->Description : "",
                        si->Config->SubjectsLen, dup_ok ? "" : ", no duplicate window");
                jsStreamInfo_Destroy(si);
                return -1;
            }
            jsStreamInfo_Destroy(si);
            if (partitions > 0 && partitions != have) {
                fprintf(stderr,
                        "adizwatch: stream %s holds %d partitions; refusing %d: tracks would "
                        "be split differently from the reports already published (use "
                        "--partitions %d, or another --prefix)\n",
                        prefix, have, partitions, have);
                return -1;
            }
            return have;
        }
        if (jerr != JSStreamNotFoundErr && s != NATS_NOT_FOUND) {
            fprintf(stderr, "adizwatch: stream %s on %s: %s (JetStream error %d; is the "
                            "server started with -js?)\n",
                    prefix, c->url, natsStatus_GetText(s), (int)jerr);
            return -1;
        }
        if (create)
            break;
        if (aw_cluster_now() - start >= wait_s) {
            fprintf(stderr, "adizwatch: no stream %s on %s (run adizwatch publish first)\n",
                    prefix, c->url);
            return -1;
        }
        aw_cluster_sleep(0.5);
    }
    if (partitions <= 0)
        partitions = AW_CLUSTER_PARTITIONS;
    char desc[64], subj[2][160];
    snprintf(desc, sizeof desc, "adizwatch partitions=%d", partitions);
    snprintf(subj[0], sizeof subj[0], "%s.reports.*", prefix);
    snprintf(subj[1], sizeof subj[1], "%s.events", prefix);
    const char *subjects[2] = {subj[0], subj[1]};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = prefix;
    cfg.Description = desc;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 2;
    cfg.Storage = js_FileStorage;
    cfg.Duplicates = (int64_t)(AW_CLUSTER_DUP_WINDOW_S * 1e9);
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_AddStream(&si, c->js, &cfg, NULL, &jerr);
    if (s != NATS_OK) {
        if (jerr == JSStreamNameExistErr) /* made meanwhile by another publisher: check it */
            return aw_cluster_stream(c, prefix, partitions, false, 0);
        fprintf(stderr, "adizwatch: cannot create stream %s on %s: %s (JetStream error %d: "
                        "%s)\n",
                prefix, c->url, natsStatus_GetText(s), (int)jerr, nats_GetLastError(NULL));
        return -1;
    }
    jsStreamInfo_Destroy(si);
    return partitions;
}

int aw_cluster_report_encode(const aw_report *r, char *buf, size_t n)
{
    int len = snprintf(buf, n, "%.17g\t%s\t%d\t%.17g\t%.17g\t%.17g\t%s\t%s\t%.17g\t%.17g",
                       r->time, r->track, r->has_position ? 1 : 0, r->lat, r->lon, r->alt_ft,
                       r->callsign, r->squawk, r->speed_kt, r->track_deg);
    return len < 0 || (size_t)len >= n ? -1 : len;
}

/* The next tab-separated field of [*p, end) into out (cut to outlen); -1 if none. */
static int field(const char **p, const char *end, char *out, size_t outlen)
{
    if (*p > end)
        return -1;
    const char *tab = memchr(*p, '\t', (size_t)(end - *p));
    const char *stop = tab ? tab : end;
    size_t n = (size_t)(stop - *p);
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, *p, n);
    out[n] = '\0';
    *p = stop + 1;
    return 0;
}

int aw_cluster_report_decode(const char *line, size_t len, aw_report *r)
{
    const char *p = line, *end = line + len;
    char f[10][64];
    for (int i = 0; i < 10; i++)
        if (field(&p, end, f[i], sizeof f[i]) < 0)
            return -1;
    aw_report_clear(r);
    char *e;
    r->time = strtod(f[0], &e);
    if (*e || !f[1][0] || strlen(f[1]) >= sizeof r->track)
        return -1;
    strcpy(r->track, f[1]);
    r->has_position = f[2][0] == '1';
    r->lat = strtod(f[3], NULL);
    r->lon = strtod(f[4], NULL);
    r->alt_ft = strtod(f[5], NULL);
    if (strlen(f[6]) >= sizeof r->callsign || strlen(f[7]) >= sizeof r->squawk)
        return -1;
    memcpy(r->callsign, f[6], strlen(f[6]) + 1);
    memcpy(r->squawk, f[7], strlen(f[7]) + 1);
    r->speed_kt = strtod(f[8], NULL);
    r->track_deg = strtod(f[9], NULL);
    return 0;
}

void aw_cluster_event_id(const aw_event *ev, char *buf, size_t n)
{
    snprintf(buf, n, "%s|%s|%s|%s|%.0f", ev->track, ev->zone, aw_event_type_name(ev->type),
             aw_event_cause_name(ev->cause), floor(ev->time * 1000.0 + 0.5));
}
