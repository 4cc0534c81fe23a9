/* cmd_replay.c -- `adizwatch replay`: a recording in, events out.
 *
 * The zone file is loaded and validated before the first line of tracks is read: a bad
 * zone file must never produce a partial, misleading run. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adizwatch/sniff.h"
#include "cli/cli.h"

/* A number of seconds from lo to hi, the whole argument. */
static bool seconds_arg(const char *arg, double lo, double hi, double *out)
{
    char *end;
    *out = strtod(arg, &end);
    return end != arg && !*end && *out >= lo && *out <= hi;
}

int parse_run_options(int argc, char **argv, run_options *o, const char *usage)
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
    o->max_tracks = CLI_MAX_TRACKS;
    o->idle_timeout_s = CLI_IDLE_TIMEOUT_S;
    o->trail_interval_s = CLI_TRAIL_INTERVAL_S;
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
        case 'f': {
            bin_format bf;
            if (bin_format_parse(optarg, &bf) == 0) {
                o->binary = bf;
            } else if (strcmp(optarg, "trace") == 0) {
                o->json = AW_INPUT_TRACE;
            } else if (aw_format_parse(optarg, &o->format) < 0) {
                fprintf(stderr, "adizwatch: --format must be auto, csv, sbs, readsb, trace, "
                                "asterix, beast or raw, not '%s'\n", optarg);
                return -1;
            }
            break;
        }
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
        case 'h': fputs(usage, stdout); exit(0);
        default: fputs(usage, stderr); return -1;
        }
    }
    if (!o->zones) {
        fprintf(stderr, "adizwatch: --zones is required\n%s", usage);
        return -1;
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    return 0;
}


/* The receiver or radar sites as given (--receiver, --radar-site), for the provenance. */
static const char *receiver_of(const run_options *o, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!o->binary && o->tz_offset_s) /* an SBS receiver's clock, as --tz gave it */
        snprintf(buf, n, "receiver clock UTC%+03d:%02d", o->tz_offset_s / 3600,
                 abs(o->tz_offset_s) / 60 % 60);
    else if (isfinite(o->receiver_lat))
        snprintf(buf, n, "receiver at %.4f,%.4f", o->receiver_lat, o->receiver_lon);
    else if (o->nsites > 0)
        snprintf(buf, n, "%d radar site%s", o->nsites, o->nsites == 1 ? "" : "s");
    return buf;
}

/* replay of a binary input: decoded whole, each record fed in order. */
static int replay_binary(const run_options *o, aw_zone_set *zones)
{
    const char *path = o->args[0];
    if (strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
        fprintf(stderr, "adizwatch: cannot open %s: %s\n", path, strerror(errno));
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    pipeline p;
    if (pipeline_init(&p, zones, o->timeout_s, o->max_tracks, o->db) < 0) {
        aw_zones_free(zones);
        return EXIT_RUN_FAILED;
    }
    p.source = strcmp(path, "-") == 0 ? "stdin" : path;
    p.strict = o->strict;
    p.progress = o->progress;
    p.trail_interval_s = o->trail_interval_s;
    bin_input in;
    in.modes = NULL;
    int rc = o->advise ? cli_advice_start(&p, o, zones) : 0;
    if (rc == 0)
        rc = cli_alerts_start(&p, o, zones);
    if (rc == 0)
        rc = pipeline_threads(&p, o->threads, zones, o->timeout_s, o->max_tracks);
    if (rc == 0)
        rc = bin_input_init(&in, (bin_format)o->binary, o, pipeline_record, &p);
    if (rc == 0)
        rc = bin_input_file(&in, path, o->start);
    if (rc == 0)
        bin_input_summary(&in);
    char receiver[64];
    if (rc == 0 && pipeline_store_provenance(&p, bin_format_name((bin_format)o->binary), receiver_of(o, receiver, sizeof receiver)) < 0)
        rc = -1;
    if (in.modes)
        bin_input_free(&in);
    if (pipeline_finish(&p) < 0 || p.failed)
        rc = -1;
    int arc = cli_alerts_finish(&p, o, o->deliver_timeout_s);
    cli_advice_stop(&p);
    aw_zones_free(zones);
    return rc < 0 ? EXIT_RUN_FAILED : arc;
}

int cmd_replay(int argc, char **argv)
{
    static const char usage[] =
        "usage: adizwatch replay --zones ZONES\n"
        "                        [--format auto|csv|sbs|readsb|trace|asterix|beast|raw]\n"
        "                        [--tz +HH:MM|Area/City] [--assume-utc] [--timeout S]\n"
        "                        [--db FILE [--trail-interval S]]\n"
        "                        [--strict] [--max-tracks N] [--progress]\n"
        "                        [--radar-site SAC/SIC=LAT,LON,H]... [--receiver LAT,LON]\n"
        "                        [--start TIME] [--advise [--aircraft-db FILE] [--friendly CC,..]]\n"
        "                        [--rules FILE] [--output URL]... [--spool FILE]\n"
        "                        [--deliver-timeout S] [--threads N]\n"
        "                        FILE|-    (aircraft.json snapshots, traces: FILE|DIR...)\n";
    run_options o;
    if (parse_run_options(argc, argv, &o, usage) < 0)
        return EXIT_BAD_INPUT;
    if (o.nargs < 1) {
        fprintf(stderr, "adizwatch: replay reads a FILE (or - for stdin)\n%s", usage);
        return EXIT_BAD_INPUT;
    }
    aw_zone_set *zones = cli_load_zones(o.zones);
    if (!zones)
        return EXIT_BAD_INPUT;
    if (input_choose(&o) < 0 || cli_alerts_prepare(&o) < 0) {
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    if (o.json)
        return replay_json(&o, zones);
    if (o.nargs != 1) {
        fprintf(stderr, "adizwatch: replay reads one FILE (or - for stdin); several files or a "
                        "folder only of aircraft.json snapshots or traces\n%s", usage);
        cli_alerts_finish(NULL, &o, 0);
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    if (o.binary)
        return replay_binary(&o, zones);
    const char *path = o.args[0];
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "adizwatch: cannot open %s: %s\n", path, strerror(errno));
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }
    pipeline p;
    if (pipeline_init(&p, zones, o.timeout_s, o.max_tracks, o.db) < 0) {
        aw_zones_free(zones);
        return EXIT_RUN_FAILED;
    }
    p.source = fd == STDIN_FILENO ? "stdin" : path;
    p.format = o.format;
    p.tz_offset_s = o.tz_offset_s;
    p.assume_utc = o.assume_utc;
    p.strict = o.strict;
    p.progress = o.progress;
    p.trail_interval_s = o.trail_interval_s;
    if ((o.advise && cli_advice_start(&p, &o, zones) < 0) ||
        cli_alerts_start(&p, &o, zones) < 0 ||
        pipeline_threads(&p, o.threads, zones, o.timeout_s, o.max_tracks) < 0) {
        pipeline_finish(&p);
        cli_alerts_finish(&p, &o, 0);
        cli_advice_stop(&p);
        if (fd != STDIN_FILENO)
            close(fd);
        aw_zones_free(zones);
        return EXIT_BAD_INPUT;
    }

    /* Read ahead only in a regular file: through a pipe the next line may be slow to come,
     * and no report should wait for it. */
    struct stat st;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular)
        pipeline_read_ahead(&p);
    aw_line_reader *lr = aw_line_reader_new(fd, 1 << 20);
    int rc = 0;
    for (;;) {
        const char *line;
        size_t len;
        /* Through a pipe that goes quiet, the store still commits every second, and the
         * events it has committed are printed (with --db they wait for the commit). */
        if (!regular && aw_line_reader_pending(lr) == 0) {
            struct pollfd pfd = {fd, POLLIN, 0};
            if (poll(&pfd, 1, 250) == 0) {
                if (pipeline_drain(&p) < 0) { /* --threads: out with what has come */
                    rc = -1;
                    break;
                }
                pipeline_tick(&p);
                if (pipeline_flush(&p) < 0) {
                    rc = -1;
                    break;
                }
                continue;
            }
        }
        aw_line_result lres = aw_line_reader_next(lr, &line, &len);
        if (lres == AW_LINE_OK)
            rc = pipeline_line(&p, line, len);
        else if (lres == AW_LINE_TOO_LONG)
            rc = pipeline_too_long(&p);
        else if (lres == AW_LINE_AGAIN)
            continue;
        else if (lres == AW_LINE_EOF) {
            rc = pipeline_drain(&p);
            break;
        } else {
            int saved = errno;
            if (pipeline_drain(&p) == 0)
                fprintf(stderr, "adizwatch: reading %s: %s\n", p.source, strerror(saved));
            rc = -1;
        }
        if (rc < 0)
            break;
        if ((p.lines & 1023) == 0)
            pipeline_tick(&p);
    }
    aw_line_reader_free(lr);
    if (fd != STDIN_FILENO)
        close(fd);
    char receiver[64];
    if (rc == 0 &&
        pipeline_store_provenance(&p, p.format == AW_FORMAT_SBS ? "sbs" : "csv",
                                  receiver_of(&o, receiver, sizeof receiver)) < 0)
        rc = -1;
    if (pipeline_finish(&p) < 0)
        rc = -1;
    int arc = cli_alerts_finish(&p, &o, o.deliver_timeout_s);
    cli_advice_stop(&p);
    aw_zones_free(zones);
    return rc < 0 ? EXIT_RUN_FAILED : arc;
}
