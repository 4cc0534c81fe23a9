/* alerts_run.c -- `--rules` and `--output` on replay, watch and serve: the rules read
 * from the command line, for the pipeline's alerts (src/pipeline/pipeline_alerts.c).
 *
 * The rule file is read before anything else runs (a bad one exits 2 with its line and
 * reason). The outbox is the --db store when there is one, so an alert commits with its
 * event; otherwise a spool file (--spool, default adizwatch-outbox.sqlite here). */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/alerts.h"
#include "adizwatch/pipeline.h"
#include "cli/cli.h"
#include "pipeline/pipeline_internal.h"

#define DEFAULT_SPOOL "adizwatch-outbox.sqlite"

static aw_alert_rules *loaded; /* between cli_alerts_prepare and its taker */

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

aw_alert_rules *cli_alerts_take(void)
{
    aw_alert_rules *r = loaded;
    loaded = NULL;
    return r;
}

const char *cli_alerts_outbox(const run_options *o)
{
    const char *path = o->db ? o->db : o->spool ? o->spool : DEFAULT_SPOOL;
    if (loaded && !o->db && !o->spool)
        fprintf(stderr, "adizwatch: alerts: queued in %s (no --db or --spool)\n", path);
    return path;
}

int cli_alerts_start(pipeline *p, const run_options *o, const aw_zone_set *zones)
{
    if (!loaded)
        return 0;
    const char *outbox = cli_alerts_outbox(o);
    char err[700];
    if (pipeline_alerts_start(p, cli_alerts_take(), outbox, o->aircraft_db, zones,
                              o->connect || o->poll, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return -1;
    }
    return 0;
}

void cli_alerts_reload(aw_alerts *alerts, const run_options *o, double trail_interval_s)
{
    if (!alerts || !o->rules)
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
    aw_alerts_set_rules(alerts, r);
    if (aw_alerts_patrol_start(alerts, true, trail_interval_s) < 0)
        fprintf(stderr, "adizwatch: SIGHUP: out of memory: no patrol alerts\n");
    fprintf(stderr, "adizwatch: SIGHUP: rules read again from %s (outputs are kept until "
                    "a restart)\n", o->rules);
}

void cli_alerts_print_sinks(const aw_deliverer *d, const char *who)
{
    pipeline_alerts_print_sinks(stderr, d, who);
}

int cli_alerts_finish(pipeline *p, const run_options *o, double timeout_s)
{
    int rc = p ? pipeline_alerts_finish(p, timeout_s, o->db ? o->db : o->spool ? o->spool
                                                                              : DEFAULT_SPOOL)
               : 0;
    aw_alert_rules_free(loaded);
    loaded = NULL;
    return rc < 0 ? EXIT_RUN_FAILED : rc == AW_PIPELINE_UNDELIVERED ? EXIT_UNDELIVERED : 0;
}
