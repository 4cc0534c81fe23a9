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

/* Seconds since an arbitrary origin (CLOCK_MONOTONIC). */
double aw_cluster_now(void);
void aw_cluster_sleep(double s);

#endif
