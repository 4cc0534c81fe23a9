/* sink_mqtt.c -- `mqtt://HOST:PORT/TOPIC` (and `mqtts://` over TLS), through libmosquitto.
 *
 * Alerts are published at QoS 1: the broker answers each with a PUBACK, and only that
 * acknowledges the alert. A batch is published at once (libmosquitto keeps a window of
 * messages in flight) and the network loop is run on this thread until every PUBACK is
 * in or a timeout passes. A lost connection is not resumed: the client is dropped and
 * the unacknowledged alerts are sent again on a new one, which can duplicate an alert
 * whose PUBACK was lost with the connection -- receivers drop repeats by id. */
#include <stdio.h>
#include <mosquitto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deliver/sink.h"

typedef struct mqtt_sink {
    struct mosquitto *m;
    bool connected;
    int connack;              /* -1 until the CONNACK; then its code */
    char host[256], topic[256];
    int port;
    bool tls;
    aw_alert_output o;
    /* the batch in flight */
    int *mids;
    send_status *status;
    int n;
} mqtt_sink;

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
    (void)m;
    mqtt_sink *s = obj;
    s->connack = rc;
}

/* At QoS 1 this is the PUBACK. */
static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    (void)m;
    mqtt_sink *s = obj;
    for (int i = 0; i < s->n; i++)
        if (s->status[i] == SEND_PENDING && s->mids[i] == mid) {
            s->status[i] = SEND_ACK;
            return;
        }
}

static void drop(mqtt_sink *s)
{
    if (s->m) {
        mosquitto_disconnect(s->m);
        mosquitto_destroy(s->m);
    }
    s->m = NULL;
    s->connected = false;
}

static void *mqtt_open(const aw_alert_output *o, char *err, size_t errlen)
{
    mqtt_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->o = *o;
    s->tls = strncmp(o->url, "mqtts://", 8) == 0;
    const char *rest = o->url + (s->tls ? 8 : 7);
    if (aw_sink_split_url(rest, s->host, sizeof s->host, &s->port, s->tls ? 8883 : 1883,
                          s->topic, sizeof s->topic, err, errlen) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

static int mqtt_connect(mqtt_sink *s, char *err, size_t errlen)
{
    s->m = mosquitto_new(NULL, true, s);
    if (!s->m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    mosquitto_int_option(s->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    /* The whole batch in flight at once (the default window of 20 costs a round trip per
     * 20 alerts); the batch bounds it. */
    mosquitto_int_option(s->m, MOSQ_OPT_SEND_MAXIMUM, 0);
    mosquitto_max_inflight_messages_set(s->m, 0);
    mosquitto_connect_callback_set(s->m, on_connect);
    mosquitto_publish_callback_set(s->m, on_publish);
    if (s->o.username[0])
        mosquitto_username_pw_set(s->m, s->o.username, s->o.password[0] ? s->o.password : NULL);
    if (s->tls) {
        int rc = mosquitto_tls_set(s->m, s->o.tls_ca[0] ? s->o.tls_ca : NULL,
                                   s->o.tls_ca[0] ? NULL : "/etc/ssl/certs", NULL, NULL, NULL);
        if (rc != MOSQ_ERR_SUCCESS) {
            snprintf(err, errlen, "%s: TLS: %s", s->o.url, mosquitto_strerror(rc));
            drop(s);
            return -1;
        }
    }
    s->connack = -1;
    /* Not mosquitto_connect: its blocking TCP connect to an unreachable host would hold
     * this thread (and a stop) for the kernel's two minutes; the loop below gives 5 s. */
    int rc = mosquitto_connect_async(s->m, s->host, s->port, 30);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "%s: %s", s->o.url,
                 rc == MOSQ_ERR_ERRNO ? "cannot connect" : mosquitto_strerror(rc));
        drop(s);
        return -1;
    }
    double until = sink_now_s() + 5;
    while (s->connack < 0 && sink_now_s() < until)
        if ((rc = mosquitto_loop(s->m, 100, 1)) != MOSQ_ERR_SUCCESS)
            break;
    if (s->connack != 0) {
        snprintf(err, errlen, "%s: %s", s->o.url,
                 s->connack > 0 ? mosquitto_connack_string(s->connack) : "no CONNACK");
        drop(s);
        return -1;
    }
    s->connected = true;
    return 0;
}

static int mqtt_send(void *self, const aw_outbox_item *items, int n, send_status *status,
                     char *err, size_t errlen)
{
    mqtt_sink *s = self;
    if (!s->connected && mqtt_connect(s, err, errlen) < 0)
        return -1;
    int *mids = calloc((size_t)n, sizeof *mids);
    if (!mids) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->mids = mids;
    s->status = status;
    s->n = n;
    int rc = MOSQ_ERR_SUCCESS, waiting = 0;
    for (int i = 0; i < n; i++) {
        if (status[i] != SEND_PENDING)
            continue;
        waiting++;
        mids[i] = -1;
        if (rc == MOSQ_ERR_SUCCESS)
            rc = mosquitto_publish(s->m, &mids[i], s->topic, (int)strlen(items[i].json),
                                   items[i].json, 1, false);
    }
    double until = sink_now_s() + 10;
    while (rc == MOSQ_ERR_SUCCESS && sink_now_s() < until) {
        int left = 0;
        for (int i = 0; i < n; i++)
            left += status[i] == SEND_PENDING;
        if (!left)
            break;
        rc = mosquitto_loop(s->m, 100, 1);
    }
    int left = 0;
    for (int i = 0; i < n; i++)
        left += status[i] == SEND_PENDING;
    s->mids = NULL;
    s->status = NULL;
    s->n = 0;
    free(mids);
    if (rc != MOSQ_ERR_SUCCESS || left) {
        snprintf(err, errlen, "%s: %s (%d of %d alerts not acknowledged)", s->o.url,
                 rc != MOSQ_ERR_SUCCESS ? mosquitto_strerror(rc) : "no PUBACK in time", left,
                 waiting);
        drop(s); /* a new connection sends them again */
        return -1;
    }
    return 0;
}

static void mqtt_close(void *self)
{
    mqtt_sink *s = self;
    if (!s)
        return;
    drop(s);
    free(s);
}

const sink_ops aw_sink_mqtt = {mqtt_open, mqtt_send, mqtt_close};
