/* serve_advice.c -- `serve --advise`: the scramble advisor (src/advice) on the live
 * picture, its advice and intercepts kept for the map (/api/advice) as well as printed
 * and stored the way `replay --advise` does.
 *
 * The advisor runs in the feed thread, after the engine, as in pipeline_advice.c; the map
 * reads the last SERVE_ADVICE_KEEP of its events from HTTP threads, under a lock of their
 * own. When the zones change at run time the advisor is made anew over them (it keeps
 * pointers into the zone set it was made with). */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "adizwatch/alerts.h"
#include "adizwatch/theater.h"
#include "serve/serve.h"

struct serve_advice {
    aw_advisor *advisor;
    aw_store *store;  /* the feed's store (may be NULL) */
    FILE *out;
    pthread_mutex_t lock;
    char *ring[SERVE_ADVICE_KEEP];
    uint64_t count;   /* events ever; ring[(count - 1) % KEEP] is the newest */
    uint64_t store_errors;
};

static void on_advice(const aw_advice_event *ev, void *user)
{
    serve_ctx *s = user;
    serve_advice *a = s->advice;
    if (s->rerun)
        return; /* given the first time these reports were fed */
    char buf[4096];
    int n = aw_advice_event_to_json(ev, buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return; /* cannot happen with at most AW_ADVICE_MAX_BASES bases */
    /* --rules / --output: the rules decide, as for zone events (first: the alert joins the
     * transaction of the record); the map lists what they select */
    const char *alert = "";
    if (s->alerts) {
        char err[256];
        if (aw_alerts_advice(s->alerts, ev, buf, err, sizeof err) < 0)
            fprintf(stderr, "adizwatch: alerts: %s\n", err);
        alert = aw_alerts_last_selected(s->alerts) ? ",\"alert\":true}" : ",\"alert\":false}";
    }
    if (a->store) {
        aw_record rec = {aw_advice_kind_name(ev->kind), ev->track, ev->time, ev->lat, ev->lon, buf};
        char err[256];
        if (aw_store_add_record(a->store, &rec, err, sizeof err) < 0 && a->store_errors++ == 0)
            fprintf(stderr, "adizwatch: store: %s\n", err);
    }
    char *copy = malloc((size_t)n + strlen(alert) + 1);
    if (copy) /* the object with its alert flag, when the rules decide */
        snprintf(copy, (size_t)n + strlen(alert) + 1, "%.*s%s", alert[0] ? n - 1 : n, buf, alert);
    pthread_mutex_lock(&a->lock);
    char **slot = &a->ring[a->count % SERVE_ADVICE_KEEP];
    free(*slot);
    *slot = copy;
    a->count++;
    pthread_mutex_unlock(&a->lock);
    buf[n] = '\n';
    fwrite(buf, 1, (size_t)n + 1, a->out);
    fflush(a->out);
}

static aw_advisor *make_advisor(serve_ctx *s, const aw_zone_set *zs)
{
    aw_advisor_options opt;
    aw_advisor_defaults(&opt);
    opt.friendly = s->friendly;
    return aw_advisor_new(zs, s->aircraft_db, &opt, on_advice, s);
}

int serve_advice_start(serve_ctx *s, const aw_zone_set *zs, aw_store *store, FILE *out)
{
    serve_advice *a = calloc(1, sizeof *a);
    if (!a)
        return -1;
    a->store = store;
    a->out = out;
    pthread_mutex_init(&a->lock, NULL);
    s->advice = a;
    a->advisor = make_advisor(s, zs);
    if (!a->advisor) {
        serve_advice_stop(s);
        return -1;
    }
    return 0;
}

void serve_advice_report(serve_ctx *s, const aw_report *r)
{
    if (s->advice && aw_advisor_report(s->advice->advisor, r) < 0)
        fprintf(stderr, "adizwatch: advice: out of memory\n");
}

void serve_advice_event(serve_ctx *s, const aw_event *ev)
{
    if (s->advice)
        aw_advisor_event(s->advice->advisor, ev);
}

void serve_advice_zones(serve_ctx *s, const aw_zone_set *zs)
{
    if (!s->advice)
        return;
    aw_advisor *fresh = make_advisor(s, zs);
    if (!fresh) {
        fprintf(stderr, "adizwatch: advice: out of memory for the new zones; keeping the old\n");
        return;
    }
    aw_advisor_free(s->advice->advisor);
    s->advice->advisor = fresh;
}

json_t *serve_advice_json(serve_ctx *s)
{
    json_t *list = json_array();
    serve_advice *a = s->advice;
    if (!a)
        return json_pack("{s:b, s:o}", "advise", false, "events", list);
    pthread_mutex_lock(&a->lock);
    uint64_t first = a->count > SERVE_ADVICE_KEEP ? a->count - SERVE_ADVICE_KEEP : 0;
    for (uint64_t i = first; i < a->count; i++) {
        json_t *v = json_loads(a->ring[i % SERVE_ADVICE_KEEP], 0, NULL);
        if (!v)
            continue;
        /* where each base is, so that the map can draw the fighter's way to the intercept */
        size_t k;
        json_t *b;
        json_array_foreach(json_object_get(v, "bases"), k, b) {
            const aw_airbase *ab = aw_airbase_find(json_string_value(json_object_get(b, "icao")));
            if (ab) {
                json_object_set_new(b, "base_lat", json_real(ab->lat));
                json_object_set_new(b, "base_lon", json_real(ab->lon));
            }
        }
        json_array_append_new(list, v);
    }
    uint64_t count = a->count;
    pthread_mutex_unlock(&a->lock);
    return json_pack("{s:b, s:I, s:o}", "advise", true, "count", (json_int_t)count, "events", list);
}

uint64_t serve_advice_count(serve_ctx *s)
{
    if (!s->advice)
        return 0;
    pthread_mutex_lock(&s->advice->lock);
    uint64_t n = s->advice->count;
    pthread_mutex_unlock(&s->advice->lock);
    return n;
}

void serve_advice_stop(serve_ctx *s)
{
    serve_advice *a = s->advice;
    if (!a)
        return;
    if (a->advisor)
        aw_advisor_free(a->advisor);
    for (int i = 0; i < SERVE_ADVICE_KEEP; i++)
        free(a->ring[i]);
    pthread_mutex_destroy(&a->lock);
    free(a);
    s->advice = NULL;
}
