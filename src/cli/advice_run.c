/* advice_run.c -- `replay --advise` / `watch --advise`: the scramble advisor on the
 * pipeline's hooks.
 *
 * The advisor sees every accepted report after the engine (so an ADIZ entry event of the
 * same report has already reached it) and every zone event. Its events are printed as
 * JSON lines among the zone events and kept in the store as records. Without --advise
 * nothing here runs and the output is what it always was. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "cli/cli.h"

typedef struct advice_run {
    pipeline *p;
    aw_advisor *advisor;
    aw_aircraft_db *db;
    uint64_t advice, intercepts;
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
    if (p->alerts) { /* first: in the transaction of the record */
        char err[256];
        if (aw_alerts_advice(p->alerts, ev, buf, err, sizeof err) < 0) {
            fprintf(stderr, "adizwatch: alerts: %s\n", err);
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

static void after_report(const aw_report *r, aw_feed_result res, void *user)
{
    advice_run *ar = user;
    if (res != AW_FEED_OK)
        return;
    if (aw_advisor_report(ar->advisor, r) < 0) {
        fprintf(stderr, "adizwatch: advice: out of memory\n");
        ar->p->failed = true;
    }
}

static void on_event(const aw_event *ev, void *user)
{
    advice_run *ar = user;
    aw_advisor_event(ar->advisor, ev);
}

int cli_advice_start(pipeline *p, const run_options *o, const aw_zone_set *zones)
{
    advice_run *ar = calloc(1, sizeof *ar);
    if (!ar) {
        fprintf(stderr, "adizwatch: out of memory\n");
        return -1;
    }
    ar->p = p;
    if (o->aircraft_db) {
        char err[512];
        long bad = 0;
        ar->db = aw_aircraft_db_load(o->aircraft_db, NULL, NULL, &bad, err, sizeof err);
        if (!ar->db) {
            fprintf(stderr, "adizwatch: %s\n", err);
            free(ar);
            return -1;
        }
        if (bad)
            fprintf(stderr, "adizwatch: %s: %ld bad rows skipped\n", o->aircraft_db, bad);
    }
    if (!ar->db && !(ar->db = aw_aircraft_db_new())) { /* filled from the feed (dbFlags) */
        fprintf(stderr, "adizwatch: out of memory\n");
        free(ar);
        return -1;
    }
    aw_advisor_options opt;
    aw_advisor_defaults(&opt);
    opt.friendly = o->friendly;
    ar->advisor = aw_advisor_new(zones, ar->db, &opt, on_advice, ar);
    if (!ar->advisor) {
        fprintf(stderr, "adizwatch: out of memory\n");
        aw_aircraft_db_free(ar->db);
        free(ar);
        return -1;
    }
    p->after_report = after_report;
    p->on_event = on_event;
    p->hook_user = ar;
    return 0;
}

aw_aircraft_db *cli_advice_db(pipeline *p)
{
    return p->after_report == after_report ? ((advice_run *)p->hook_user)->db : NULL;
}

void cli_advice_stop(pipeline *p)
{
    if (p->after_report != after_report)
        return;
    advice_run *ar = p->hook_user;
    if (!p->out_closed) /* when stdout's reader went away, nothing more is said */
        fprintf(stderr, "adizwatch: %s: %llu scramble advice, %llu intercepts\n",
                p->source ? p->source : "input", (unsigned long long)ar->advice,
                (unsigned long long)ar->intercepts);
    aw_advisor_free(ar->advisor);
    aw_aircraft_db_free(ar->db);
    free(ar);
    p->after_report = NULL;
    p->on_event = NULL;
    p->hook_user = NULL;
}
