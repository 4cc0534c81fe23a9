/* cluster_internal.h -- what the cluster files share: the connection and its JetStream
 * context. */
#ifndef ADIZWATCH_CLUSTER_INTERNAL_H
#define ADIZWATCH_CLUSTER_INTERNAL_H

#include <nats/nats.h>

#include "adizwatch/engine.h"
#include "cluster/cluster.h"

struct aw_cluster_conn {
    natsConnection *nc;
    jsCtx *js;
    char url[256];
};

/* Checkpoints (cluster_checkpoint.c): the stream P_state made or checked, and *epoch set
 * to the reports stream's creation time (0, or -1 with the reason printed); partition k's engine state saved as covering stream sequence seq
 * into the slot *slot does not name (then *slot names it), or restored into a new engine
 * e (1, with *seq, *slot and the size; 0 when there is none; -1, reason printed, when it
 * cannot be used -- e is then still new). */
int aw_checkpoint_open(aw_cluster_conn *c, const char *prefix, int64_t *epoch);
int aw_checkpoint_save(aw_cluster_conn *c, const char *prefix, int64_t epoch, int k,
                       uint64_t seq, const aw_engine *e, int *slot, size_t *bytes);
int aw_checkpoint_load(aw_cluster_conn *c, const char *prefix, int64_t epoch, int k,
                       aw_engine *e, uint64_t *seq, int *slot, size_t *bytes);

/* Pulls (cluster_pull.c): a durable pull consumer of `stream` read through an inbox of our
 * own (libnats 3.4.1's natsSubscription_Fetch can write past its array: see that file).
 * aw_pull_fetch puts up to max messages, in the consumer's order, into msgs (the caller
 * destroys them), asking the server when none are queued and waiting up to wait_ms for
 * its answer; it returns the count (0: none now), or -1 with the reason in err (the
 * consumer is gone, the connection closed). aw_pull_ack acknowledges m (and, the consumer
 * being ack-all, every message before it) and waits for the server to confirm. */
typedef struct aw_pull aw_pull;
aw_pull *aw_pull_open(aw_cluster_conn *c, const char *stream, const char *consumer);
int aw_pull_fetch(aw_pull *p, natsMsg **msgs, int max, int wait_ms, char *err, size_t errlen);
natsStatus aw_pull_ack(aw_pull *p, natsMsg *m, int wait_ms);
void aw_pull_close(aw_pull *p);
/* The inbox its messages come to (tests send requests of their own there). */
const char *aw_pull_inbox(const aw_pull *p);

/* Seconds since an arbitrary origin (CLOCK_MONOTONIC). */
double aw_cluster_now(void);
void aw_cluster_sleep(double s);

#endif
