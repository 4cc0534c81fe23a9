/* cmd_identify.c -- `adizwatch identify TRACK`: who is this, as JSON. */
#include <getopt.h>
#include <string.h>

#include "adizwatch/identify.h"
#include "cli/cli.h"

static void print_bad_row(long line, const char *reason, void *user)
{
    fprintf(stderr, "%s:%ld: bad row: %s\n", (const char *)user, line, reason);
}

/* Text fit for a JSON string: quotes and backslashes escaped, control bytes blanked. */
static void json_text(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 3 < n; s++) {
        if (*s == '"' || *s == '\\')
            out[k++] = '\\';
        out[k++] = (unsigned char)*s < 0x20 ? ' ' : *s;
    }
    out[k] = '\0';
}

int cmd_identify(int argc, char **argv)
{
    static const struct option longopts[] = {{"callsign", required_argument, 0, 'c'},
                                             {"squawk", required_argument, 0, 's'},
                                             {"aircraft-db", required_argument, 0, 'd'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *callsign = "", *squawk = "", *db_path = NULL;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': callsign = optarg; break;
        case 's': squawk = optarg; break;
        case 'd': db_path = optarg; break;
        case 'h': cli_usage("identify", stdout); return 0;
        default: cli_usage("identify", stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc - 1) {
        cli_usage("identify", stderr);
        return EXIT_BAD_INPUT;
    }
    aw_aircraft_db *db = NULL;
    if (db_path) {
        char err[512];
        db = aw_aircraft_db_load(db_path, print_bad_row, (void *)db_path, NULL, err, sizeof err);
        if (!db) {
            fprintf(stderr, "adizwatch: %s\n", err);
            return EXIT_BAD_INPUT;
        }
    }
    aw_identity id;
    aw_identify(db, argv[optind], callsign, squawk, &id);
    char type[160], track[80];
    json_text(id.type, type, sizeof type);
    json_text(argv[optind], track, sizeof track);
    printf("{\"track\":\"%s\",\"nation\":\"%s\",\"nation_name\":\"%s\",\"nation_source\":\"%s\","
           "\"type\":\"%s\",\"military\":%s,\"unidentified\":%s}\n",
           track, id.nation, id.nation_name, id.nation_source, type,
           id.military ? "true" : "false", id.unidentified ? "true" : "false");
    aw_aircraft_db_free(db);
    return 0;
}
