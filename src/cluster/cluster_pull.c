/* cluster_pull.c -- reading a durable pull consumer, without natsSubscription_Fetch.
 *
 * Why not the library's fetch: in libnats 3.4.1 (Debian 12's), natsSubscription_Fetch
 * first takes the messages an earlier fetch left behind (those that arrived after it had
 * returned), then lowers the batch it asks the server for by that count and reads until
 * its count *equals* the lowered batch. With more than half a batch left behind, the count
 * is already past it: the fetch reads on until its timeout and stores every further
 * message past the end of its array of `batch` pointers (fixed upstream in nats.c 3.9.0,
 * PR 749). A worker fetching 512 reports with a 10 ms wait leaves messages behind
 * whenever the machine is loaded; the overflow corrupted the heap -- the workers' crashes
 * in natsMsg_Destroy on a pointer made of track-id text, and glibc's aborts. AddressSanitizer
 * does not see it: the library is not instrumented. tests/test_cluster_pull.c makes the
 * situation on purpose.
 *
 * So a pull is made here with the protocol's own request, {"batch":n,"expires":ns,
 * "no_wait":true} to $JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>, answered on an inbox of
 * ours read with a plain synchronous subscription. A consumer delivers in order, so what an
 * earlier request left behind is simply the next messages; and no call hands back more
 * than it was asked for. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_internal.h"

struct aw_pull {
    natsConnection *nc;
    natsSubscription *sub;   /* on our inbox: the consumer's messages and status replies */
    char inbox[128];
    char next[400];          /* the consumer's "next messages" request subject */
};

aw_pull *aw_pull_open(aw_cluster_conn *c, const char *stream, const char *consumer)
{
    aw_pull *p = calloc(1, sizeof *p);
    natsInbox *inbox = NULL;
    if (!p || natsInbox_Create(&inbox) != NATS_OK) {
        free(p);
        return NULL;
    }
    p->nc = c->nc;
    snprintf(p->inbox, sizeof p->inbox, "%s", inbox);
    natsInbox_Destroy(inbox);
    snprintf(p->next, sizeof p->next, "$JS.API.CONSUMER.MSG.NEXT.%s.%s", stream, consumer);
    if (natsConnection_SubscribeSync(&p->sub, p->nc, p->inbox) != NATS_OK) {
        free(p);
        return NULL;
    }
    /* never dropped as a slow consumer: what is here was asked for, a batch at a time */
    natsSubscription_SetPendingLimits(p->sub, -1, -1);
    return p;
}

void aw_pull_close(aw_pull *p)
{
    if (!p)
        return;
    natsSubscription_Destroy(p->sub); /* and the messages still queued on it */
    free(p);
}

const char *aw_pull_inbox(const aw_pull *p)
{
    return p->inbox;
}

/* A status the server sends in place of a message (no data, a Status header: 404 no
 * messages, 408 request expired, 409 consumer deleted or the like, 100 heartbeat): its
 * code, or 0 for a message. */
static int status_of(natsMsg *m, char *desc, size_t n)
{
    const char *v = NULL, *d = NULL;
    if (natsMsg_GetDataLength(m) > 0 || natsMsgHeader_Get(m, "Status", &v) != NATS_OK || !v)
        return 0;
    natsMsgHeader_Get(m, "Description", &d);
    snprintf(desc, n, "%s %s", v, d ? d : "");
    return atoi(v);
}

int aw_pull_fetch(aw_pull *p, natsMsg **msgs, int max, int wait_ms, char *err, size_t errlen)
{
    int count = 0;
    bool asked = false;
    int64_t deadline = 0;
    while (count < max) {
        int64_t left = 0; /* before asking: take only what is queued already */
        if (asked && (left = deadline - (int64_t)(aw_cluster_now() * 1000)) <= 0)
            break; /* what comes later is the next call's (it is queued by then) */
        natsMsg *m = NULL;
        natsStatus s = natsSubscription_NextMsg(&m, p->sub, left);
        if (s == NATS_TIMEOUT) {
            if (asked)
                break;
            /* what earlier requests left behind is taken; ask for the rest */
            char req[128];
            int n = snprintf(req, sizeof req, "{\"batch\":%d,\"expires\":%lld,\"no_wait\":true}",
                             max - count, (long long)wait_ms * 1000000LL);
            s = natsConnection_PublishRequest(p->nc, p->next, p->inbox, req, n);
            if (s != NATS_OK) {
                snprintf(err, errlen, "pull request not sent (%s)", natsStatus_GetText(s));
                return count > 0 ? count : -1;
            }
            asked = true;
            deadline = (int64_t)(aw_cluster_now() * 1000) + wait_ms;
            continue;
        }
        if (s != NATS_OK) { /* the connection closed, say */
            snprintf(err, errlen, "%s", natsStatus_GetText(s));
            return count > 0 ? count : -1;
        }
        char desc[160];
        int code = status_of(m, desc, sizeof desc);
        if (!code) {
            msgs[count++] = m;
            continue;
        }
        natsMsg_Destroy(m);
        if (code == 100 || !asked)
            continue; /* a heartbeat; the end of an earlier request */
        if (code == 404 || code == 408 || count > 0)
            break; /* a request ended (ours, or an earlier one: then ours comes next time) */
        snprintf(err, errlen, "%s", desc); /* 409 and the like, and nothing came */
        return -1;
    }
    return count;
}

natsStatus aw_pull_ack(aw_pull *p, natsMsg *m, int wait_ms)
{
    const char *reply = natsMsg_GetReply(m);
    if (!reply || strncmp(reply, "$JS.ACK.", 8) != 0)
        return NATS_ILLEGAL_STATE;
    natsMsg *resp = NULL;
    natsStatus s = natsConnection_RequestString(&resp, p->nc, reply, "+ACK", wait_ms);
    natsMsg_Destroy(resp);
    return s;
}
