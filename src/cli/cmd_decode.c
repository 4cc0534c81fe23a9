/* cmd_decode.c -- `adizwatch decode`: show what a binary input holds, one JSON object
 * per decoded record, before trusting it to `replay` or `watch`.
 *
 * Also home of the options every binary input shares (--radar-site, --receiver,
 * --start), parsed here for decode and by parse_run_options for replay and watch. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pipeline/pipeline_internal.h"

int parse_binary_option(const char *name, const char *value, run_options *o)
{
    if (strcmp(name, "radar-site") == 0) {
        if (o->nsites >= AW_RADAR_SITES_MAX) {
            fprintf(stderr, "adizwatch: at most %d radar sites\n", AW_RADAR_SITES_MAX);
            return -1;
        }
        if (aw_radar_site_parse(value, &o->sites[o->nsites]) < 0) {
            fprintf(stderr, "adizwatch: --radar-site wants SAC/SIC=LAT,LON,HEIGHT_M, not '%s'\n",
                    value);
            return -1;
        }
        o->nsites++;
        return 0;
    }
    if (strcmp(name, "receiver") == 0) {
        double lat, lon;
        int n = 0;
        if (sscanf(value, "%lf,%lf%n", &lat, &lon, &n) != 2 || value[n] != '\0' ||
            !(fabs(lat) <= 90) || !(fabs(lon) <= 180)) {
            fprintf(stderr, "adizwatch: --receiver wants LAT,LON in degrees, not '%s'\n", value);
            return -1;
        }
        o->receiver_lat = lat;
        o->receiver_lon = lon;
        return 0;
    }
    if (strcmp(name, "start") == 0) {
        if (aw_parse_time(value, strlen(value), &o->start) < 0) {
            fprintf(stderr, "adizwatch: --start wants a time with a zone (ISO 8601) or Unix "
                            "seconds, not '%s'\n", value);
            return -1;
        }
        return 0;
    }
    return -1;
}

static void print_record(const aw_decoded *d, double time, void *user)
{
    (void)time;
    (void)user;
    char buf[1024];
    int n = aw_decoded_to_json(d, buf, sizeof buf);
    if (n > 0 && (size_t)n < sizeof buf)
        puts(buf);
}

/* --frames: the frame itself as a raw-hex line, "@" + MLAT counter when it has one. */
static void print_frame(const aw_modes_frame *f, void *user)
{
    (void)user;
    char line[64];
    int n = f->has_mlat ? snprintf(line, sizeof line, "@%012llX", (unsigned long long)f->mlat_ticks)
                        : snprintf(line, sizeof line, "*");
    for (size_t i = 0; i < f->len; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, "%02X", f->data[i]);
    puts(strcat(line, ";"));
}

int cmd_decode(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, 0, 'f'},     {"radar-site", required_argument, 0, 'r'},
        {"receiver", required_argument, 0, 'R'},   {"start", required_argument, 0, 's'},
        {"frames", no_argument, 0, 'F'},           {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    bool frames = false;
    run_options o;
    memset(&o, 0, sizeof o);
    o.start = o.receiver_lat = o.receiver_lon = NAN;
    bin_format fmt = BIN_NONE;
    optind = 1;
    int c, idx;
    while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        switch (c) {
        case 'f':
            if (bin_format_parse(optarg, &fmt) < 0) {
                fprintf(stderr, "adizwatch: decode --format must be asterix, beast or raw\n");
                return EXIT_BAD_INPUT;
            }
            break;
        case 'r':
        case 'R':
        case 's':
            if (parse_binary_option(longopts[idx].name, optarg, &o) < 0)
                return EXIT_BAD_INPUT;
            break;
        case 'F': frames = true; break;
        case 'h': cli_usage("decode", stdout); return 0;
        default: cli_usage("decode", stderr); return EXIT_BAD_INPUT;
        }
    }
    if (argc - optind != 1 || (fmt == BIN_NONE && strcmp(argv[optind], "-") == 0)) {
        fprintf(stderr, "adizwatch: decode needs one FILE (or - with --format)\n");
        cli_usage("decode", stderr);
        return EXIT_BAD_INPUT;
    }
    if (fmt == BIN_NONE) { /* told by the file's first bytes */
        const char *chosen;
        char err[700];
        if (aw_pipeline_detect((const char *const *)argv + optind, 1, NULL, &chosen, err,
                               sizeof err) < 0) {
            fprintf(stderr, "adizwatch: %s\n", err);
            return EXIT_BAD_INPUT;
        }
        if (bin_format_parse(chosen, &fmt) < 0) {
            fprintf(stderr, "adizwatch: decode reads ASTERIX, pcap, pcapng, Beast and raw hex; "
                            "%s is none of them\n", argv[optind]);
            return EXIT_BAD_INPUT;
        }
    }
    bin_setup setup = {o.receiver_lat, o.receiver_lon, o.sites, o.nsites};
    bin_input in;
    if (bin_input_init(&in, fmt, &setup, print_record, NULL) < 0)
        return EXIT_RUN_FAILED;
    if (frames)
        in.frame_fn = print_frame;
    int rc = bin_input_file(&in, argv[optind], o.start);
    fflush(stdout);
    if (rc == 0)
        bin_input_summary(&in);
    bin_input_free(&in);
    return rc < 0 ? EXIT_BAD_INPUT : 0;
}
