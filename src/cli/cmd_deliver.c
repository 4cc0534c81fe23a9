/* cmd_deliver.c -- `adizwatch deliver --db FILE`: send the alerts still queued.
 *
 * A replay that timed out waiting for a sink leaves its alerts in the outbox; so does a
 * watch stopped while a broker was down. This sends them to the outputs they were queued
 * for (their URLs are in the outbox; --rules gives those outputs' headers, templates and
 * credentials) and waits up to --timeout. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/alerts.h"
#include "cli/cli.h"

int cmd_deliver(int argc, char **argv)
{
    static const char usage[] =
        "usage: adizwatch deliver --db FILE [--rules FILE] [--timeout S]\n";
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'}, {"rules", required_argument, 0, 'r'},
        {"timeout", required_argument, 0, 't'}, {"spool", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *rules_path = NULL;
    double timeout = 60;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'r': rules_path = optarg; break;
        case 't':
            if (cli_timeout_arg(optarg, &timeout) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (!db || optind != argc) {
        fprintf(stderr, "adizwatch: deliver needs --db FILE (the store or spool file)\n%s", usage);
        return EXIT_BAD_INPUT;
    }
    if (access(db, R_OK | W_OK) != 0) {
        fprintf(stderr, "adizwatch: cannot open %s\n", db);
        return EXIT_BAD_INPUT;
    }
    char err[700];
    aw_alert_rules *rules = rules_path ? aw_alert_rules_load(rules_path, err, sizeof err)
                                       : aw_alert_rules_all();
    if (!rules) {
        fprintf(stderr, "adizwatch: %s\n", rules_path ? err : "out of memory");
        return EXIT_BAD_INPUT;
    }
    int n;
    char **urls = aw_deliverer_queued_outputs(db, &n, err, sizeof err);
    if (!urls && n == 0 && err[0] && strstr(err, "store")) {
        fprintf(stderr, "adizwatch: %s\n", err);
        aw_alert_rules_free(rules);
        return EXIT_RUN_FAILED;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && aw_alert_rules_add_output(rules, urls[i], err, sizeof err) < 0) {
            fprintf(stderr, "adizwatch: queued for %s: %s\n", urls[i], err);
            rc = EXIT_RUN_FAILED;
        }
        free(urls[i]);
    }
    free(urls);
    if (rc || n == 0) {
        if (n == 0)
            fprintf(stderr, "adizwatch: deliver: nothing queued in %s\n", db);
        aw_alert_rules_free(rules);
        return rc;
    }
    aw_deliverer *d = aw_deliverer_new(rules, db, NULL, err, sizeof err);
    if (!d) {
        fprintf(stderr, "adizwatch: deliver: %s\n", err);
        aw_alert_rules_free(rules);
        return EXIT_RUN_FAILED;
    }
    long left = aw_deliverer_wait(d, timeout, NULL);
    cli_alerts_print_sinks(d, "deliver");
    aw_deliverer_free(d);
    aw_alert_rules_free(rules);
    if (left > 0) {
        fprintf(stderr, "adizwatch: deliver: %ld still queued in %s\n", left, db);
        return EXIT_UNDELIVERED;
    }
    return 0;
}
