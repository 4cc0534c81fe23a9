/* own_loop.c -- the engine inside a program's own feed loop.
 *
 *   cc own_loop.c $(pkg-config --cflags --libs adizwatch) -o own_loop
 *   ./own_loop zones.geojson
 *
 * A surveillance system already has its own input (here: one aircraft flying east along
 * the equator from 1 W to 3 E, a report every 10 s, standing in for whatever the system
 * receives). It builds an aw_report per position, feeds it, and once a "second" of its
 * clock tells the engine the time, so that a track that falls silent inside a zone is
 * closed as lost without waiting for a next report that will never come. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <adizwatch/engine.h>
#include <adizwatch/version.h>

static void on_event(const aw_event *ev, void *user)
{
    int *n = user;
    char when[32];
    printf("%s %s %s %s (%s) at %.3f,%.3f", aw_format_time(ev->time, when, sizeof when),
           ev->track, aw_event_type_name(ev->type), ev->zone, aw_event_cause_name(ev->cause),
           ev->lat, ev->lon);
    if (ev->type == AW_EXIT)
        printf(", %.0f s inside, %.1f km deep", ev->dwell_s, ev->max_depth_m / 1000);
    putchar('\n');
    (*n)++;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ZONES.geojson\n", argv[0]);
        return 2;
    }
    fprintf(stderr, "built against adizwatch %s, running with %s\n", AW_VERSION_STRING,
            aw_version());
    aw_zone_set *zones = aw_zones_load_file(argv[1], NULL, NULL);
    if (!zones)
        return 2;
    int events = 0;
    aw_engine_options opt = {.timeout_s = 120, .max_tracks = 1000};
    aw_engine *engine = aw_engine_new(zones, &opt, on_event, &events);

    double t0 = 1700000000;
    for (int i = 0; i <= 240; i++) { /* the program's own loop: 240 reports, 40 minutes */
        aw_report r;
        aw_report_clear(&r);
        r.time = t0 + 10.0 * i;
        strcpy(r.track, "abc123");
        strcpy(r.callsign, "OWN1");
        r.has_position = true;
        r.lat = 0;
        r.lon = -1 + 4.0 * i / 240; /* 1 W to 3 E */
        r.alt_ft = 15000; /* inside the band of a banded zone, too */
        if (r.lon < 2.5) /* the aircraft falls silent at 2.5 E ... */
            aw_engine_feed(engine, &r);
        aw_engine_expire(engine, r.time); /* ... and the clock closes its visit */
    }
    aw_engine_free(engine);
    aw_zones_free(zones);
    fprintf(stderr, "%d events\n", events);
    return events > 0 ? 0 : 1;
}
