/* cluster_internal.h -- what the cluster files share: the connection and its JetStream
 * context. */
#ifndef ADIZWATCH_CLUSTER_INTERNAL_H
#define ADIZWATCH_CLUSTER_INTERNAL_H

#include <nats/nats.h>

#include "cluster/cluster.h"

struct aw_cluster_conn {
    natsConnection *nc;
    jsCtx *js;
    char url[256];
};

/* Seconds since an arbitrary origin (CLOCK_MONOTONIC). */
double aw_cluster_now(void);
void aw_cluster_sleep(double s);

#endif
