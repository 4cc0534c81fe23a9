/* replay_csv.c -- replay a CSV recording into zone events, as `adizwatch replay` does.
 *
 *   cc replay_csv.c $(pkg-config --cflags --libs adizwatch) -o replay_csv
 *   ./replay_csv zones.geojson tracks.csv > events.jsonl
 *
 * The CSV has a header naming at least time, id, lat and lon (README: "CSV columns").
 * Each event is printed as the event contract's JSON, one per line; a bad row is
 * reported with its line number and skipped. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <adizwatch/engine.h>
#include <adizwatch/ingest.h>

static void print_event(const aw_event *ev, void *user)
{
    (void)user;
    char json[1024];
    if (aw_event_to_json(ev, json, sizeof json) < (int)sizeof json)
        puts(json);
}

static void print_problem(int feature, const char *id, const char *message, void *user)
{
    fprintf(stderr, "%s: feature %d (%s): %s\n", (const char *)user, feature, id ? id : "?",
            message);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ZONES.geojson TRACKS.csv\n", argv[0]);
        return 2;
    }
    aw_zone_set *zones = aw_zones_load_file(argv[1], print_problem, argv[1]);
    if (!zones)
        return 2;
    int fd = open(argv[2], O_RDONLY);
    if (fd < 0) {
        perror(argv[2]);
        return 2;
    }
    aw_engine *engine = aw_engine_new(zones, NULL, print_event, NULL);
    aw_line_reader *lines = aw_line_reader_new(fd, 1 << 16);
    aw_csv_columns cols;
    char err[256];
    const char *line;
    size_t len;
    long n = 0, bad = 0;
    aw_line_result lr;
    while ((lr = aw_line_reader_next(lines, &line, &len)) != AW_LINE_EOF && lr != AW_LINE_ERROR) {
        n++;
        if (lr != AW_LINE_OK)
            continue;
        if (n == 1) {
            if (aw_csv_header(line, len, &cols, err, sizeof err) < 0) {
                fprintf(stderr, "%s: %s\n", argv[2], err);
                return 2;
            }
            continue;
        }
        aw_report r;
        aw_parse_result pr = aw_csv_parse(&cols, line, len, &r, err, sizeof err);
        if (pr == AW_PARSE_BAD) {
            fprintf(stderr, "%s:%ld: %s\n", argv[2], n, err);
            bad++;
        } else if (pr == AW_PARSE_REPORT) {
            aw_engine_feed(engine, &r);
        }
    }
    aw_engine_stats st;
    aw_engine_get_stats(engine, &st);
    fprintf(stderr, "%ld lines, %ld bad, %llu events\n", n, bad, (unsigned long long)st.events);
    aw_line_reader_free(lines);
    close(fd);
    aw_engine_free(engine);
    aw_zones_free(zones);
    return lr == AW_LINE_ERROR;
}
