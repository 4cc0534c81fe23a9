/* cmd_replay.c -- `adizwatch replay`: a recording in, events out; a thin wrapper over
 * the library's pipeline (adizwatch/pipeline.h), which reads, detects, decodes, stores
 * and summarises exactly as a program linking the library gets it.
 *
 * The zone file, the inputs' format and the rule file are checked before the first line
 * of tracks is read: a bad one must never produce a partial, misleading run (exit 2). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* The names --format takes (aw_pipeline_options.format's, but "snapshot": a snapshot is
 * told by its first bytes). */
static bool format_known(const char *name)
{
    static const char *const names[] = {"auto", "csv", "sbs", "readsb", "trace", "asterix",
                                        "beast", "raw"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* A number of seconds from lo to hi, the whole argument. */
static bool seconds_arg(const char *arg, double lo, double hi, double *out)
{
    char *end;
    *out = strtod(arg, &end);
    return end != arg && !*end && *out >= lo && *out <= hi;
}

int parse_run_options(int argc, char **argv, run_options *o, const char *command)
{
    static const struct option longopts[] = {
        {"zones", required_argument, 0, 'z'},   {"format", required_argument, 0, 'f'},
        {"tz", required_argument, 0, 't'},      {"timeout", required_argument, 0, 'T'},
        {"db", required_argument, 0, 'd'},      {"strict", no_argument, 0, 's'},
        {"connect", required_argument, 0, 'c'}, {"help", no_argument, 0, 'h'},
        {"radar-site", required_argument, 0, 'B'}, {"receiver", required_argument, 0, 'B'},
        {"start", required_argument, 0, 'B'},    {"max-tracks", required_argument, 0, 'M'},
        {"progress", no_argument, 0, 'P'},      {"trail-interval", required_argument, 0, 'I'},
        {"idle-timeout", required_argument, 0, 'W'},
        {"advise", no_argument, 0, 'A'},        {"aircraft-db", required_argument, 0, 'a'},
        {"friendly", required_argument, 0, 'F'}, {"assume-utc", no_argument, 0, 'U'},
        {"poll", required_argument, 0, 'L'},    {"interval", required_argument, 0, 'V'},
        {"rules", required_argument, 0, 'R'},   {"output", required_argument, 0, 'O'},
        {"spool", required_argument, 0, 'S'},   {"deliver-timeout", required_argument, 0, 'D'},
        {"metrics", required_argument, 0, 'm'}, {"threads", required_argument, 0, 'N'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->timeout_s = 300;
    o->max_tracks = AW_PIPELINE_MAX_TRACKS;
    o->idle_timeout_s = CLI_IDLE_TIMEOUT_S;
    o->trail_interval_s = AW_PIPELINE_TRAIL_INTERVAL_S;
    o->start = o->receiver_lat = o->receiver_lon = NAN;
    o->deliver_timeout_s = 60;
    optind = 1;
    int c, idx;
    while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        char *end;
        switch (c) {
        case 'z': o->zones = optarg; break;
        case 'd': o->db = optarg; break;
        case 'c': o->connect = optarg; break;
        case 's': o->strict = true; break;
        case 'f':
            if (!format_known(optarg)) {
                fprintf(stderr, "adizwatch: --format must be auto, csv, sbs, readsb, trace, "
                                "asterix, beast or raw, not '%s'\n", optarg);
                return -1;
            }
            o->format = optarg;
            break;
        case 'B':
            if (parse_binary_option(longopts[idx].name, optarg, o) < 0)
                return -1;
            break;
        case 't':
            if (cli_tz_arg(optarg, &o->tz_offset_s) < 0)
                return -1;
            break;
        case 'P': o->progress = true; break;
        case 'U': o->assume_utc = true; break;
        case 'L': o->poll = optarg; break;
        case 'V':
            if (!seconds_arg(optarg, 0.1, 3600, &o->interval_s)) {
                fprintf(stderr, "adizwatch: --interval wants seconds from 0.1 to 3600\n");
                return -1;
            }
            break;
        case 'A': o->advise = true; break;
        case 'a': o->aircraft_db = optarg; break;
        case 'F': o->friendly = optarg; break;
        case 'R': o->rules = optarg; break;
        case 'S': o->spool = optarg; break;
        case 'm': o->metrics = optarg; break;
        case 'N': {
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 1 || n > 64) {
                fprintf(stderr, "adizwatch: --threads wants a whole number from 1 to 64\n");
                return -1;
            }
            o->threads = (int)n;
            break;
        }
        case 'O':
            if (cli_output_arg(o, optarg) < 0)
                return -1;
            break;
        case 'D':
            if (cli_deliver_timeout_arg(o, optarg) < 0)
                return -1;
            break;
        case 'I':
            o->trail_interval_s = strtod(optarg, &end);
            if (*end || !(o->trail_interval_s >= 0) || o->trail_interval_s > 86400) {
                fprintf(stderr, "adizwatch: --trail-interval wants seconds from 0 (no "
                                "positions stored) to 86400\n");
                return -1;
            }
            break;
        case 'M': {
            long long n = strtoll(optarg, &end, 10);
            if (*end || n < 1) {
                fprintf(stderr, "adizwatch: --max-tracks wants a positive whole number\n");
                return -1;
            }
            o->max_tracks = (size_t)n;
            break;
        }
        case 'T':
            if (cli_timeout_arg(optarg, &o->timeout_s) < 0)
                return -1;
            break;
        case 'W':
            if (!seconds_arg(optarg, 0, 86400, &o->idle_timeout_s)) {
                fprintf(stderr, "adizwatch: --idle-timeout wants seconds from 0 (never) to 86400\n");
                return -1;
            }
            break;
        case 'h': cli_usage(command, stdout); exit(0);
        default: cli_usage(command, stderr); return -1;
        }
    }
    if (!o->zones) {
        fprintf(stderr, "adizwatch: --zones is required\n");
        cli_usage(command, stderr);
        return -1;
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    return 0;
}


int cmd_replay(int argc, char **argv)
{
    run_options o;
    if (parse_run_options(argc, argv, &o, "replay") < 0)
        return EXIT_BAD_INPUT;
    if (o.nargs < 1) {
        fprintf(stderr, "adizwatch: replay reads a FILE (or - for stdin)\n");
        cli_usage("replay", stderr);
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zones = cli_load_zones(o.zones);
    if (!zones)
        return EXIT_BAD_INPUT;
    const char *format;
    char err[1024];
    int status = EXIT_BAD_INPUT;
    if (aw_pipeline_detect((const char *const *)o.args, o.nargs, o.format, &format, err,
                           sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s\n", err);
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    bool json = strcmp(format, "snapshot") == 0 || strcmp(format, "trace") == 0;
    const char *path = o.args[0];
    if (cli_alerts_prepare(&o) < 0)
        goto out;
    if (!json && o.nargs != 1) {
        fprintf(stderr, "adizwatch: replay reads one FILE (or - for stdin); several files or a "
                        "folder only of aircraft.json snapshots or traces\n");
        cli_usage("replay", stderr);
        goto out;
    }
    if (!json && strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
        fprintf(stderr, "adizwatch: cannot open %s: %s\n", path, strerror(errno));
        goto out;
    }
    aw_pipeline_options po = run_pipeline_options(&o, format);
    aw_pipeline *p = run_pipeline_new(zones, &po, &status);
    if (!p)
        goto out;
    int rc = aw_pipeline_read_paths(p, (const char *const *)o.args, o.nargs);
    int crc = aw_pipeline_close(p);
    status = rc < 0 || crc < 0               ? EXIT_RUN_FAILED
             : crc == AW_PIPELINE_UNDELIVERED ? EXIT_UNDELIVERED
                                              : 0;
out:
    cli_alerts_finish(NULL, &o, 0); /* rules read but never taken */
    aw_zones_free(zones);
    return status;
}
