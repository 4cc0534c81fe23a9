/* sink.h -- what the deliverer asks of a sink: send a batch of alerts and say, for each,
 * whether it was acknowledged. Internal to src/deliver.
 *
 * A sink runs on its delivery thread only, so it needs no locks; it may block (connect,
 * wait for acknowledgements), but always within its own timeouts, so that the thread
 * notices a stop. Each external library is in its sink's file alone. */
#ifndef ADIZWATCH_SINK_H
#define ADIZWATCH_SINK_H

#include <stddef.h>
#include <time.h>

#include "adizwatch/alerts.h"
#include "store/outbox.h"

typedef enum send_status {
    SEND_PENDING = 0, /* to send (in) / not acknowledged, retry later (out) */
    SEND_ACK,         /* acknowledged: may leave the outbox */
    SEND_REFUSED      /* refused for good (HTTP 4xx): retrying it would not help */
} send_status;

typedef struct sink_ops {
    /* Set up from the output (no connection yet). NULL with the reason in err. */
    void *(*open)(const aw_alert_output *o, char *err, size_t errlen);
    /* Send the items whose status is SEND_PENDING and set their status. Returns 0 if the
     * sink worked, -1 if it failed (unreachable, error) with the reason in err: the
     * deliverer backs off before the next attempt. */
    int (*send)(void *sink, const aw_outbox_item *items, int n, send_status *status, char *err,
                size_t errlen);
    void (*close)(void *sink);
} sink_ops;

/* Seconds on the monotonic clock, for the deliverer's and the sinks' timeouts. */
static inline double sink_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

extern const sink_ops aw_sink_file, aw_sink_http, aw_sink_mqtt, aw_sink_nats;

/* The body a webhook template makes of an alert's JSON: malloc'ed, or NULL. */
char *aw_alert_body(aw_alert_template t, const char *alert_json);

/* "HOST:PORT/REST" (after the scheme) split; returns 0 or -1 with the reason. */
int aw_sink_split_url(const char *rest, char *host, size_t hostlen, int *port, int default_port,
                      char *path, size_t pathlen, char *err, size_t errlen);

#endif
