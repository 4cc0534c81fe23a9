/* watch_metrics.c -- `watch --metrics HOST:PORT`: a Prometheus /metrics endpoint.
 *
 * What an operator graphs and alerts on: reports read, bad lines, events (by type when
 * alerts are on), alerts selected and, per sink, sent / failed attempts / refused /
 * still queued, whether the feed is connected, and the age of the newest report. The
 * watch loop renders the whole text once a second under a lock; the HTTP thread only
 * copies it, so it never reads the pipeline while the pipeline changes. Read-only, GET
 * /metrics only, bound to the address given (127.0.0.1 when only a port is). serve answers
 * the same text (cli_metrics_text) on its own port. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

struct watch_metrics {
    struct MHD_Daemon *daemon;
    pthread_mutex_t mu;
    char *text;
};

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)version;
    (void)upload;
    (void)state;
    watch_metrics *m = cls;
    if (*upload_size)
        return MHD_NO;
    bool ok = strcmp(method, "GET") == 0 && strcmp(url, "/metrics") == 0;
    char *body;
    pthread_mutex_lock(&m->mu);
    body = strdup(ok ? (m->text ? m->text : "") : "not found: GET /metrics\n");
    pthread_mutex_unlock(&m->mu);
    if (!body)
        return MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type",
                            ok ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
    enum MHD_Result rc = MHD_queue_response(c, ok ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, r);
    MHD_destroy_response(r);
    return rc;
}

watch_metrics *watch_metrics_start(const char *hostport)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    char host[64] = "127.0.0.1";
    const char *colon = strrchr(hostport, ':');
    const char *port_s = colon ? colon + 1 : hostport;
    if (colon && (size_t)(colon - hostport) < sizeof host && colon > hostport) {
        memcpy(host, hostport, (size_t)(colon - hostport));
        host[colon - hostport] = '\0';
    }
    char *end;
    long port = strtol(port_s, &end, 10);
    if (*end || end == port_s || port < 0 || port > 65535 ||
        inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "adizwatch: --metrics wants [IPv4-ADDRESS:]PORT, not '%s'\n", hostport);
        return NULL;
    }
    sa.sin_port = htons((uint16_t)port);
    watch_metrics *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    pthread_mutex_init(&m->mu, NULL);
    m->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
                                 NULL, handle, m, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_CONNECTION_LIMIT, 16u,
                                 MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!m->daemon) {
        fprintf(stderr, "adizwatch: --metrics: cannot listen on %s:%ld\n", host, port);
        pthread_mutex_destroy(&m->mu);
        free(m);
        return NULL;
    }
    fprintf(stderr, "adizwatch: metrics on http://%s:%ld/metrics\n", host, port);
    return m;
}

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = (t->cap + (size_t)n + 1) * 2;
        char *s = realloc(t->s, cap);
        if (!s)
            return;
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static void put_label(text *t, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            put(t, "\\%c", *v);
        else if (*v == '\n')
            put(t, "\\n");
        else
            put(t, "%c", *v);
    }
}

static void metric(text *t, const char *name, const char *type, const char *help)
{
    put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

char *cli_metrics_text(const aw_pipeline_stats *ps, aw_alerts *alerts, bool connected)
{
    text t = {NULL, 0, 0};
    const aw_engine_stats *e = &ps->engine;
    metric(&t, "adizwatch_lines_total", "counter", "Lines (or binary records) read from the feed.");
    put(&t, "adizwatch_lines_total %llu\n", (unsigned long long)ps->lines);
    metric(&t, "adizwatch_bad_lines_total", "counter", "Malformed lines, counted and skipped.");
    put(&t, "adizwatch_bad_lines_total %llu\n", (unsigned long long)ps->bad_lines);
    metric(&t, "adizwatch_reports_total", "counter", "Position reports accepted by the engine.");
    put(&t, "adizwatch_reports_total %llu\n", (unsigned long long)e->reports);
    metric(&t, "adizwatch_events_total", "counter", "Zone events (enter and exit).");
    put(&t, "adizwatch_events_total %llu\n", (unsigned long long)e->events);
    metric(&t, "adizwatch_tracks_total", "counter", "Tracks seen.");
    put(&t, "adizwatch_tracks_total %llu\n", (unsigned long long)e->tracks);
    metric(&t, "adizwatch_open_visits", "gauge", "Visits entered and not yet left.");
    put(&t, "adizwatch_open_visits %llu\n", (unsigned long long)e->open_visits);
    metric(&t, "adizwatch_feed_connected", "gauge", "1 while the feed is connected.");
    put(&t, "adizwatch_feed_connected %d\n", connected ? 1 : 0);
    if (ps->latest_time > 0) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        metric(&t, "adizwatch_newest_report_age_seconds", "gauge",
               "Wall time since the time of the newest report.");
        put(&t, "adizwatch_newest_report_age_seconds %.3f\n",
            (double)now.tv_sec + now.tv_nsec * 1e-9 - ps->latest_time);
    }
    if (alerts) {
        static const char *const types[4] = {"enter", "exit", "scramble_advice", "intercept"};
        uint64_t by_type[4], events, selected;
        aw_alerts_type_counts(alerts, by_type);
        aw_alerts_counts(alerts, &events, &selected);
        metric(&t, "adizwatch_events_by_type_total", "counter",
               "Events (zone, advice, intercept) by type, as the alert rules saw them.");
        for (int i = 0; i < 4; i++)
            put(&t, "adizwatch_events_by_type_total{type=\"%s\"} %llu\n", types[i],
                (unsigned long long)by_type[i]);
        metric(&t, "adizwatch_patrol_events_total", "counter",
               "Patrol events (take-offs, landings, groups...) given to the alert rules.");
        put(&t, "adizwatch_patrol_events_total %llu\n",
            (unsigned long long)aw_alerts_patrol_count(alerts));
        metric(&t, "adizwatch_alerts_selected_total", "counter", "Events the rules made alerts.");
        put(&t, "adizwatch_alerts_selected_total %llu\n", (unsigned long long)selected);
        aw_deliverer *d = aw_alerts_deliverer(alerts);
        int n = aw_deliverer_sinks(d);
        static const char *const names[5][2] = {
            {"adizwatch_alerts_sent_total", "Alerts acknowledged by the sink."},
            {"adizwatch_alert_failures_total", "Failed delivery attempts (each retried)."},
            {"adizwatch_alerts_refused_total", "Alerts the sink refused for good (HTTP 4xx)."},
            {"adizwatch_alerts_queued", "Alerts in the outbox for the sink."},
            {"adizwatch_sink_up", "1 if the last delivery attempt succeeded."}};
        for (int k = 0; k < 5; k++) {
            metric(&t, names[k][0], k == 3 || k == 4 ? "gauge" : "counter", names[k][1]);
            for (int i = 0; i < n; i++) {
                aw_sink_stats s;
                aw_deliverer_sink_stats(d, i, &s);
                long long v = k == 0 ? (long long)s.sent : k == 1 ? (long long)s.failed
                            : k == 2 ? (long long)s.refused : k == 3 ? aw_deliverer_queued(d, i)
                            : s.up;
                put(&t, "%s{sink=\"", names[k][0]);
                put_label(&t, s.url);
                put(&t, "\"} %lld\n", v);
            }
        }
    }
    return t.s;
}

void watch_metrics_update(watch_metrics *m, aw_pipeline *p, bool connected)
{
    if (!m)
        return;
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    char *s = cli_metrics_text(&st, aw_pipeline_alerts(p), connected);
    pthread_mutex_lock(&m->mu);
    free(m->text);
    m->text = s;
    pthread_mutex_unlock(&m->mu);
}

void watch_metrics_stop(watch_metrics *m)
{
    if (!m)
        return;
    MHD_stop_daemon(m->daemon);
    pthread_mutex_destroy(&m->mu);
    free(m->text);
    free(m);
}
