/* pipeline_advice.c -- scramble advice on the pipeline (`replay --advise`, `watch
 * --advise`, aw_pipeline_options.advise).
 *
 * The advisor sees every accepted report after the engine (so an ADIZ entry event of the
 * same report has already reached it) and every zone event. Its events are printed as
 * JSON lines among the zone events and kept in the store as records. Without an advisor
 * nothing here runs and the output is what it always was. */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "adizwatch/feeds.h"
#include "pipeline/pipeline_internal.h"

typedef struct advice_run {
    aw_advisor *advisor;
    aw_aircraft_db *db;
    uint64_t advice, intercepts;
    void (*on_advice)(const aw_advice_event *ev, void *user);
    void *user;
    pipeline *p;
} advice_run;

static void on_advice(const aw_advice_event *ev, void *user)
{
    advice_run *ar = user;
    pipeline *p = ar->p;
    char buf[4096];
    int n = aw_advice_event_to_json(ev, buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return; /* cannot happen with at most AW_ADVICE_MAX_BASES bases */
    if (ev->kind == AW_ADVICE_INTERCEPT)
        ar->intercepts++;
    else
        ar->advice++;
    if (ar->on_advice)
        ar->on_advice(ev, ar->user);
    if (p->alerts) { /* first: in the transaction of the record */
        char err[256];
        if (aw_alerts_advice(p->alerts, ev, buf, err, sizeof err) < 0) {
            fprintf(p->log, "adizwatch: alerts: %s\n", err);
            p->failed = true;
        }
    }
    if (p->store) {
        aw_record rec = {aw_advice_kind_name(ev->kind), ev->track, ev->time, ev->lat, ev->lon, buf};
        char err[256];
        if (aw_store_add_record(p->store, &rec, err, sizeof err) < 0) {
            pipeline_store_error(p, err);
            return; /* not stored: not printed (as the pipeline's events) */
        }
    }
    pipeline_print(p, buf, (size_t)n);
}

void pipeline_advice_report(pipeline *p, const aw_report *r)
{
    if (aw_advisor_report(p->advice->advisor, r) < 0) {
        fprintf(p->log, "adizwatch: advice: out of memory\n");
        p->failed = true;
    }
}

void pipeline_advice_event(pipeline *p, const aw_event *ev)
{
    aw_advisor_event(p->advice->advisor, ev);
}

int pipeline_advice_start(pipeline *p, const aw_zone_set *zones, const char *aircraft_db,
                          const char *friendly, void (*fn)(const aw_advice_event *ev, void *user),
                          void *user, char *err, size_t errlen)
{
    advice_run *ar = calloc(1, sizeof *ar);
    if (!ar) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ar->p = p;
    ar->on_advice = fn;
    ar->user = user;
    if (aircraft_db) {
        long bad = 0;
        ar->db = aw_aircraft_db_load(aircraft_db, NULL, NULL, &bad, err, errlen);
        if (!ar->db) {
            free(ar);
            return -1;
        }
        if (bad)
            fprintf(p->log, "adizwatch: %s: %ld bad rows skipped\n", aircraft_db, bad);
    }
    if (!ar->db && !(ar->db = aw_aircraft_db_new())) { /* filled from the feed (dbFlags) */
        snprintf(err, errlen, "out of memory");
        free(ar);
        return -1;
    }
    aw_advisor_options opt;
    aw_advisor_defaults(&opt);
    opt.friendly = friendly;
    ar->advisor = aw_advisor_new(zones, ar->db, &opt, on_advice, ar);
    if (!ar->advisor) {
        snprintf(err, errlen, "out of memory");
        aw_aircraft_db_free(ar->db);
        free(ar);
        return -1;
    }
    p->advice = ar;
    return 0;
}

void pipeline_advice_counts(const pipeline *p, uint64_t *advice, uint64_t *intercepts)
{
    *advice = p->advice ? p->advice->advice : 0;
    *intercepts = p->advice ? p->advice->intercepts : 0;
}

void pipeline_feed_report(const aw_report *r, const aw_feed_info *info, void *user)
{
    pipeline *p = user;
    aw_aircraft_db *db = info->military && p->advice ? p->advice->db : NULL;
    if (db && !aw_aircraft_db_find(db, r->track)) {
        aw_aircraft a;
        memset(&a, 0, sizeof a);
        snprintf(a.id, sizeof a.id, "%s", r->track);
        snprintf(a.registration, sizeof a.registration, "%s", info->registration);
        snprintf(a.icao_type, sizeof a.icao_type, "%s", info->type);
        snprintf(a.type, sizeof a.type, "%s", info->type);
        snprintf(a.cmpg, sizeof a.cmpg, "Mil");
        a.military = true;
        if (aw_aircraft_db_put(db, &a) < 0)
            fprintf(p->log, "adizwatch: out of memory; %s not marked military\n", r->track);
    }
    if (!p->failed && pipeline_report(p, r) < 0)
        p->failed = true;
}

void pipeline_advice_stop(pipeline *p, bool quiet)
{
    advice_run *ar = p->advice;
    if (!ar)
        return;
    if (!quiet && !p->out_closed) /* when the output's reader went away, nothing more is said */
        fprintf(p->log, "adizwatch: %s: %llu scramble advice, %llu intercepts\n",
                p->source ? p->source : "input", (unsigned long long)ar->advice,
                (unsigned long long)ar->intercepts);
    aw_advisor_free(ar->advisor);
    aw_aircraft_db_free(ar->db);
    free(ar);
    p->advice = NULL;
}
