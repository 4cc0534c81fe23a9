/* sink_nats.c -- `nats://HOST:PORT/SUBJECT`, through libnats (cnats).
 *
 * When a JetStream stream takes the subject (asked of the server on each connection),
 * each alert is a JetStream publish and its ack -- the stream has stored it --
 * acknowledges it; the alert id goes as the message id (Nats-Msg-Id), so the stream
 * itself drops a repeat within its duplicate window. Otherwise it is a core publish,
 * which has no per-message ack: the batch is acknowledged when a flush (PING/PONG) says
 * the server has read everything before it. libnats' own reconnection is off: a lost
 * connection fails the batch, and the deliverer's backoff decides when to try again. */
#include <stdio.h>
#include <nats/nats.h>
#include <stdlib.h>
#include <string.h>

#include "deliver/sink.h"

typedef struct nats_sink {
    natsConnection *nc;
    jsCtx *js;
    bool stream; /* a stream takes the subject */
    char host[256], subject[256], server[300];
    int port;
    aw_alert_output o;
} nats_sink;

/* NATS subject matching: '*' is one token, '>' the rest. */
static bool subject_matches(const char *pattern, const char *subject)
{
    for (;;) {
        const char *pe = strchr(pattern, '.'), *se = strchr(subject, '.');
        size_t pl = pe ? (size_t)(pe - pattern) : strlen(pattern);
        size_t sl = se ? (size_t)(se - subject) : strlen(subject);
        if (pl == 1 && pattern[0] == '>')
            return true;
        if (!(pl == 1 && pattern[0] == '*') && (pl != sl || memcmp(pattern, subject, pl) != 0))
            return false;
        if (!pe || !se)
            return !pe && !se;
        pattern = pe + 1;
        subject = se + 1;
    }
}

static void drop(nats_sink *s)
{
    if (s->js)
        jsCtx_Destroy(s->js);
    if (s->nc) {
        natsConnection_Close(s->nc);
        natsConnection_Destroy(s->nc);
    }
    s->js = NULL;
    s->nc = NULL;
}

static void *nats_open(const aw_alert_output *o, char *err, size_t errlen)
{
    nats_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->o = *o;
    if (aw_sink_split_url(o->url + 7, s->host, sizeof s->host, &s->port, 4222, s->subject,
                          sizeof s->subject, err, errlen) < 0) {
        free(s);
        return NULL;
    }
    snprintf(s->server, sizeof s->server, "nats://%s:%d", s->host, s->port);
    return s;
}

static int nats_connect(nats_sink *s, char *err, size_t errlen)
{
    natsOptions *opts = NULL;
    natsStatus st = natsOptions_Create(&opts);
    if (st == NATS_OK)
        st = natsOptions_SetURL(opts, s->server);
    if (st == NATS_OK)
        st = natsOptions_SetTimeout(opts, 3000);
    if (st == NATS_OK)
        st = natsOptions_SetAllowReconnect(opts, false);
    if (st == NATS_OK && s->o.username[0])
        st = natsOptions_SetUserInfo(opts, s->o.username, s->o.password);
    if (st == NATS_OK)
        st = natsConnection_Connect(&s->nc, opts);
    natsOptions_Destroy(opts);
    if (st == NATS_OK)
        st = natsConnection_JetStream(&s->js, s->nc, NULL);
    if (st != NATS_OK) {
        snprintf(err, errlen, "%s: %s", s->o.url, natsStatus_GetText(st));
        drop(s);
        return -1;
    }
    /* Does a stream take the subject? A server without JetStream has no streams. */
    s->stream = false;
    jsStreamInfoList *list = NULL;
    if (js_Streams(&list, s->js, NULL, NULL) == NATS_OK && list) {
        for (int i = 0; i < list->Count && !s->stream; i++) {
            jsStreamConfig *c = list->List[i]->Config;
            for (int k = 0; c && k < c->SubjectsLen && !s->stream; k++)
                s->stream = subject_matches(c->Subjects[k], s->subject);
        }
        jsStreamInfoList_Destroy(list);
    }
    return 0;
}

static int nats_send(void *self, const aw_outbox_item *items, int n, send_status *status,
                     char *err, size_t errlen)
{
    nats_sink *s = self;
    if (!s->nc && nats_connect(s, err, errlen) < 0)
        return -1;
    natsStatus st = NATS_OK;
    for (int i = 0; i < n && st == NATS_OK; i++) {
        if (status[i] != SEND_PENDING)
            continue;
        int len = (int)strlen(items[i].json);
        if (s->stream) {
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MsgId = items[i].id;
            po.MaxWait = 5000;
            jsErrCode jerr = 0;
            st = js_Publish(NULL, s->js, s->subject, items[i].json, len, &po, &jerr);
            if (st == NATS_OK)
                status[i] = SEND_ACK;
        } else {
            st = natsConnection_Publish(s->nc, s->subject, items[i].json, len);
        }
    }
    if (st == NATS_OK && !s->stream) {
        st = natsConnection_FlushTimeout(s->nc, 5000);
        for (int i = 0; i < n && st == NATS_OK; i++)
            if (status[i] == SEND_PENDING)
                status[i] = SEND_ACK;
    }
    if (st != NATS_OK) {
        snprintf(err, errlen, "%s: %s", s->o.url, natsStatus_GetText(st));
        drop(s);
        return -1;
    }
    return 0;
}

static void nats_close(void *self)
{
    nats_sink *s = self;
    if (!s)
        return;
    drop(s);
    free(s);
}

const sink_ops aw_sink_nats = {nats_open, nats_send, nats_close};
