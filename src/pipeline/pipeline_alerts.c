/* pipeline_alerts.c -- alerts on the pipeline's events (`--rules`, `--output`;
 * aw_pipeline_options.rules).
 *
 * The outbox is the store when there is one, so an alert commits with its event;
 * otherwise a file outbox of its own. At the end the run waits for the sinks up to a
 * timeout and says how many alerts are still queued: `adizwatch deliver` or the next run
 * sends them. The rules themselves are read by whoever calls (the command, before
 * anything runs: a bad rule file must never start a run). */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/alerts.h"
#include "adizwatch/pipeline.h"
#include "pipeline/pipeline_internal.h"

int pipeline_alerts_start(pipeline *p, aw_alert_rules *r, const char *outbox,
                          const char *aircraft_db, const aw_zone_set *zones, bool live,
                          char *err, size_t errlen)
{
    if (aircraft_db && !p->alerts_db) {
        long bad = 0;
        p->alerts_db = aw_aircraft_db_load(aircraft_db, NULL, NULL, &bad, err, errlen);
        if (!p->alerts_db) {
            aw_alert_rules_free(r);
            return -1;
        }
    }
    char why[512];
    aw_deliverer *d = aw_deliverer_new(r, outbox, p->store, why, sizeof why);
    if (!d) {
        snprintf(err, errlen, "alerts: %s", why);
        aw_alert_rules_free(r);
        return -1;
    }
    p->alerts = aw_alerts_new(r, d, zones, p->alerts_db);
    /* Patrol events (when a rule names them): live on a feed, at the end of a replay. */
    if (p->alerts && aw_alerts_patrol_start(p->alerts, live, p->trail_interval_s) < 0) {
        aw_alerts_free(p->alerts); /* and with them the rules and the deliverer */
        p->alerts = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!p->alerts) {
        snprintf(err, errlen, "out of memory");
        aw_deliverer_free(d);
        aw_alert_rules_free(r);
        return -1;
    }
    return 0;
}

void pipeline_alerts_print_sinks(FILE *log, const aw_deliverer *d, const char *who)
{
    for (int i = 0; i < aw_deliverer_sinks(d); i++) {
        aw_sink_stats st;
        aw_deliverer_sink_stats(d, i, &st);
        fprintf(log, "adizwatch: %s: %s: %llu delivered, %llu failed attempts, %llu refused\n",
                who, st.url, (unsigned long long)st.sent, (unsigned long long)st.failed,
                (unsigned long long)st.refused);
    }
}

int pipeline_alerts_finish(pipeline *p, double timeout_s, const char *outbox)
{
    int rc = 0;
    if (p->alerts) {
        aw_deliverer *d = aw_alerts_deliverer(p->alerts);
        char err[512];
        if (aw_deliverer_detach_store(d, err, sizeof err) < 0) {
            fprintf(p->log, "adizwatch: alerts: %s\n", err);
            rc = -1;
        } else {
            /* A replay's patrol events: found now that every trail is complete. */
            if (aw_alerts_patrol_finish(p->alerts, err, sizeof err) < 0) {
                fprintf(p->log, "adizwatch: alerts: %s\n", err);
                rc = -1;
            }
            long left = aw_deliverer_wait(d, timeout_s, NULL);
            uint64_t events, selected;
            aw_alerts_counts(p->alerts, &events, &selected);
            fprintf(p->log, "adizwatch: alerts: %llu events (%llu of the patrol analysis), "
                            "%llu selected as alerts\n", (unsigned long long)events,
                    (unsigned long long)aw_alerts_patrol_count(p->alerts),
                    (unsigned long long)selected);
            pipeline_alerts_print_sinks(p->log, d, "alerts");
            if (left > 0) {
                fprintf(p->log, "adizwatch: alerts: %ld still queued in %s after %g s; "
                                "`adizwatch deliver --db %s` or the next run sends them\n",
                        left, outbox, timeout_s, outbox);
                if (rc == 0) /* a failure says more */
                    rc = AW_PIPELINE_UNDELIVERED;
            }
        }
        aw_alerts_free(p->alerts);
        p->alerts = NULL;
    }
    aw_aircraft_db_free(p->alerts_db);
    p->alerts_db = NULL;
    return rc;
}
