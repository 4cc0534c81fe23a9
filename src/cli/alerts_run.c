/* alerts_run.c -- `--rules` and `--output` on replay and watch: the alert pipeline on the
 * pipeline's event hook.
 *
 * The rule file is read before anything else runs (a bad one exits 2 with its line and
 * reason). The outbox is the --db store when there is one, so an alert commits with its
 * event; otherwise a spool file (--spool, default adizwatch-outbox.sqlite here). At the
 * end the run waits for the sinks up to --deliver-timeout and says how many alerts are
 * still queued: `adizwatch deliver` or the next run sends them. */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/alerts.h"
#include "cli/cli.h"

#define DEFAULT_SPOOL "adizwatch-outbox.sqlite"

static aw_alert_rules *loaded;      /* between cli_alerts_prepare and cli_alerts_start */
static aw_aircraft_db *aircraft_db; /* outlives the alerts */

int cli_output_arg(run_options *o, const char *url)
{
    if (o->noutputs == (int)(sizeof o->outputs / sizeof *o->outputs)) {
        fprintf(stderr, "adizwatch: at most %d --output\n", o->noutputs);
        return -1;
    }
    o->outputs[o->noutputs++] = url;
    return 0;
}

int cli_deliver_timeout_arg(run_options *o, const char *s)
{
    char *end;
    o->deliver_timeout_s = strtod(s, &end);
    if (end == s || *end || !(o->deliver_timeout_s >= 0) || o->deliver_timeout_s > 86400) {
        fprintf(stderr, "adizwatch: --deliver-timeout wants seconds from 0 to 86400\n");
        return -1;
    }
    return 0;
}

int cli_alerts_prepare(const run_options *o)
{
    if (!o->rules && o->noutputs == 0)
        return 0;
    char err[700];
    aw_alert_rules *r = o->rules ? aw_alert_rules_load(o->rules, err, sizeof err)
                                 : aw_alert_rules_all();
    if (!r) {
        fprintf(stderr, "adizwatch: %s\n", o->rules ? err : "out of memory");
        return -1;
    }
    if (o->friendly && aw_alert_rules_add_friendly(r, o->friendly, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: --friendly: %s\n", err);
        aw_alert_rules_free(r);
        return -1;
    }
    for (int i = 0; i < o->noutputs; i++)
        if (aw_alert_rules_add_output(r, o->outputs[i], err, sizeof err) < 0) {
            fprintf(stderr, "adizwatch: --output: %s\n", err);
            aw_alert_rules_free(r);
            return -1;
        }
    if (aw_alert_rules_outputs(r) == 0) {
        fprintf(stderr, "adizwatch: alerts need somewhere to go: give --output URL or an "
                        "[output NAME] section in %s\n", o->rules);
        aw_alert_rules_free(r);
        return -1;
    }
    loaded = r;
    return 0;
}

int cli_alerts_start(pipeline *p, const run_options *o, const aw_zone_set *zones)
{
    if (!loaded)
        return 0;
    aw_alert_rules *r = loaded;
    loaded = NULL;
    char err[700];
    if (o->aircraft_db && !aircraft_db) {
        long bad = 0;
        aircraft_db = aw_aircraft_db_load(o->aircraft_db, NULL, NULL, &bad, err, sizeof err);
        if (!aircraft_db) {
            fprintf(stderr, "adizwatch: %s\n", err);
            aw_alert_rules_free(r);
            return -1;
        }
    }
    const char *path = o->db ? o->db : o->spool ? o->spool : DEFAULT_SPOOL;
    if (!o->db && !o->spool)
        fprintf(stderr, "adizwatch: alerts: queued in %s (no --db or --spool)\n", path);
    aw_deliverer *d = aw_deliverer_new(r, path, p->store, err, sizeof err);
    if (!d) {
        fprintf(stderr, "adizwatch: alerts: %s\n", err);
        aw_alert_rules_free(r);
        return -1;
    }
    p->alerts = aw_alerts_new(r, d, zones, aircraft_db);
    /* Patrol events (when a rule names them): live on a feed, at the end of a replay. */
    if (p->alerts && aw_alerts_patrol_start(p->alerts, o->connect || o->poll,
                                            p->trail_interval_s) < 0) {
        aw_alerts_free(p->alerts);
        p->alerts = NULL;
        fprintf(stderr, "adizwatch: out of memory\n");
        return -1;
    }
    if (!p->alerts) {
        fprintf(stderr, "adizwatch: out of memory\n");
        aw_deliverer_free(d);
        aw_alert_rules_free(r);
        return -1;
    }
    return 0;
}

void cli_alerts_reload(pipeline *p, const run_options *o)
{
    if (!p->alerts || !o->rules)
        return;
    char err[700];
    aw_alert_rules *r = aw_alert_rules_load(o->rules, err, sizeof err);
    if (r && o->friendly && aw_alert_rules_add_friendly(r, o->friendly, err, sizeof err) < 0) {
        aw_alert_rules_free(r);
        r = NULL;
    }
    if (!r) {
        fprintf(stderr, "adizwatch: SIGHUP: %s; keeping the rules in force\n", err);
        return;
    }
    aw_alerts_set_rules(p->alerts, r);
    if (aw_alerts_patrol_start(p->alerts, true, p->trail_interval_s) < 0)
        fprintf(stderr, "adizwatch: SIGHUP: out of memory: no patrol alerts\n");
    fprintf(stderr, "adizwatch: SIGHUP: rules read again from %s (outputs are kept until "
                    "a restart)\n", o->rules);
}

void cli_alerts_print_sinks(const aw_deliverer *d, const char *who)
{
    for (int i = 0; i < aw_deliverer_sinks(d); i++) {
        aw_sink_stats st;
        aw_deliverer_sink_stats(d, i, &st);
        fprintf(stderr, "adizwatch: %s: %s: %llu delivered, %llu failed attempts, %llu refused\n",
                who, st.url, (unsigned long long)st.sent, (unsigned long long)st.failed,
                (unsigned long long)st.refused);
    }
}

int cli_alerts_finish(pipeline *p, const run_options *o, double timeout_s)
{
    int rc = 0;
    if (p && p->alerts) {
        aw_deliverer *d = aw_alerts_deliverer(p->alerts);
        char err[512];
        if (aw_deliverer_detach_store(d, err, sizeof err) < 0) {
            fprintf(stderr, "adizwatch: alerts: %s\n", err);
            rc = EXIT_RUN_FAILED;
        } else {
            /* A replay's patrol events: found now that every trail is complete. */
            if (aw_alerts_patrol_finish(p->alerts, err, sizeof err) < 0) {
                fprintf(stderr, "adizwatch: alerts: %s\n", err);
                rc = EXIT_RUN_FAILED;
            }
            long left = aw_deliverer_wait(d, timeout_s, NULL);
            uint64_t events, selected;
            aw_alerts_counts(p->alerts, &events, &selected);
            fprintf(stderr, "adizwatch: alerts: %llu events (%llu of the patrol analysis), "
                            "%llu selected as alerts\n", (unsigned long long)events,
                    (unsigned long long)aw_alerts_patrol_count(p->alerts),
                    (unsigned long long)selected);
            cli_alerts_print_sinks(d, "alerts");
            if (left > 0) {
                const char *path = o->db ? o->db : o->spool ? o->spool : DEFAULT_SPOOL;
                fprintf(stderr, "adizwatch: alerts: %ld still queued in %s after %g s; "
                                "`adizwatch deliver --db %s` or the next run sends them\n",
                        left, path, timeout_s, path);
                rc = EXIT_UNDELIVERED;
            }
        }
        aw_alerts_free(p->alerts);
        p->alerts = NULL;
    }
    aw_alert_rules_free(loaded);
    loaded = NULL;
    aw_aircraft_db_free(aircraft_db);
    aircraft_db = NULL;
    return rc;
}
