/* replay_csv.c -- replay a recording into zone events, as `adizwatch replay` does.
 *
 *   cc replay_csv.c $(pkg-config --cflags --libs adizwatch) -o replay_csv
 *   ./replay_csv zones.geojson tracks.csv > events.jsonl
 *
 * The recording is CSV with a header naming at least time, id, lat and lon (or SBS, or
 * readsb JSON lines: the format is recognised from the first line). The library's
 * pipeline reads it, numbers and reports bad lines, and feeds the engine; each event
 * comes back to on_event -- here printed as the event contract's JSON, one per line --
 * and the messages (bad lines, the summary) to on_message. */
#include <stdio.h>

#include <adizwatch/pipeline.h>

static void print_event(const aw_event *ev, void *user)
{
    (void)user;
    char json[1024];
    if (aw_event_to_json(ev, json, sizeof json) < (int)sizeof json)
        puts(json);
}

static void print_message(const char *line, void *user)
{
    fprintf(stderr, "%s: %s\n", (const char *)user, line);
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
    aw_pipeline_options opt = {.on_event = print_event, .on_message = print_message,
                               .user = argv[0]};
    char err[256];
    aw_pipeline *p = aw_pipeline_new(zones, &opt, err, sizeof err);
    if (!p) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int rc = aw_pipeline_read_file(p, argv[2]);
    aw_pipeline_stats st;
    aw_pipeline_get_stats(p, &st);
    if (aw_pipeline_close(p) < 0)
        rc = -1;
    fprintf(stderr, "%llu lines, %llu bad, %llu events\n", (unsigned long long)st.lines,
            (unsigned long long)st.bad_lines, (unsigned long long)st.engine.events);
    aw_zones_free(zones);
    return rc < 0;
}
