/* run_pipeline.c -- replay's and watch's options as the library's pipeline takes them
 * (adizwatch/pipeline.h), and what serve --replay may read.
 *
 * The commands are thin wrappers over the pipeline: what they add is the command line,
 * the exit statuses, and (watch) the connection and its retries. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "adizwatch/sniff.h"
#include "cli/cli.h"

aw_pipeline_options run_pipeline_options(const run_options *o, const char *format)
{
    aw_pipeline_options po;
    memset(&po, 0, sizeof po);
    po.format = format;
    po.tz_offset_s = o->tz_offset_s;
    po.assume_utc = o->assume_utc;
    po.timeout_s = o->timeout_s;
    po.max_tracks = o->max_tracks;
    po.db_path = o->db;
    po.trail_interval_s = o->trail_interval_s > 0 ? o->trail_interval_s : -1; /* 0: none */
    po.strict = o->strict;
    po.progress = o->progress;
    po.start = isfinite(o->start) ? o->start : 0;
    po.has_receiver = isfinite(o->receiver_lat);
    po.receiver_lat = o->receiver_lat;
    po.receiver_lon = o->receiver_lon;
    po.sites = o->sites;
    po.nsites = o->nsites;
    po.events_out = stdout;
    po.advise = o->advise;
    po.aircraft_db = o->aircraft_db;
    po.friendly = o->friendly;
    po.outbox = cli_alerts_outbox(o);
    po.rules = cli_alerts_take();
    po.deliver_timeout_s = o->deliver_timeout_s;
    po.threads = o->threads;
    return po;
}

aw_pipeline *run_pipeline_new(const aw_zone_set *zones, const aw_pipeline_options *opt,
                              int *status)
{
    char err[1024];
    aw_pipeline *p = aw_pipeline_new(zones, opt, err, sizeof err);
    if (!p) {
        *status = errno == EINVAL ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
        fprintf(stderr, "adizwatch: %s\n", err);
    }
    return p;
}

int input_serve_kind(const char *path)
{
    const char *chosen;
    char err[700];
    if (aw_pipeline_detect(&path, 1, NULL, &chosen, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s\n", err);
        return -1;
    }
    if (strcmp(chosen, "snapshot") == 0)
        return AW_INPUT_SNAPSHOT;
    if (strcmp(chosen, "trace") == 0)
        return AW_INPUT_TRACE;
    if (strcmp(chosen, "auto") != 0 && strcmp(chosen, "readsb") != 0) {
        fprintf(stderr, "adizwatch: %s is a binary recording; serve replays text lines, "
                        "aircraft.json snapshots and traces: use `adizwatch replay` for it\n", path);
        return -1;
    }
    return 0;
}
