/* main.c -- the adizwatch command: subcommand dispatch and help. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: adizwatch COMMAND [OPTIONS]\n"
    "\n"
    "  replay --zones ZONES [--format auto|csv|sbs|asterix|beast|raw] [--tz +HH:MM]\n"
    "         [--timeout S] [--db FILE] [--strict] [--radar-site SAC/SIC=LAT,LON,H]...\n"
    "         [--receiver LAT,LON] [--start TIME] [--max-tracks N] [--progress] FILE|-\n"
    "        Read position reports from a file (or stdin) and print zone events as\n"
    "        JSON Lines; a summary goes to stderr.\n"
    "  watch --connect HOST:PORT|udp://ADDR:PORT --zones ZONES [--format ...] [--tz +HH:MM]\n"
    "        [--timeout S] [--db FILE] [--radar-site ...] [--receiver LAT,LON]\n"
    "        Follow a live feed (readsb / dump1090 port 30003) and print events as they\n"
    "        happen; reconnects with backoff; SIGINT or SIGTERM stop it cleanly.\n"
    "  zones check FILE\n"
    "        Validate a GeoJSON zone file and list its zones.\n"
    "  zones list [ZONES] | zones show ID [ZONES] | zones export ZONES [--format geojson|kml]\n"
    "        List, describe (sources, accuracy) or export zones; ZONES defaults to\n"
    "        builtin:east-asia, the built-in East Asia theater.\n"
    "  where LAT LON | where --places | where --bases\n"
    "        Describe a position relative to the nearest reference place\n"
    "        (\"126 km NW of Ieodo\") and list the built-in zones containing it;\n"
    "        --places / --bases print the reference places / air bases with sources.\n"
    "  decode --format asterix|beast|raw [--radar-site SAC/SIC=LAT,LON,H]\n"
    "         [--receiver LAT,LON] [--start TIME] [--frames] FILE|-\n"
    "        Print every record of an ASTERIX (raw or pcap), Beast or raw-hex input as\n"
    "        JSON Lines.\n"
    "  report --db FILE --day YYYY-MM-DD --observer KR|JP|TW|CN [--reconcile OTHER]\n"
    "         [--zones ZONES] [--aircraft-db FILE] [--tz +HH:MM] [--out DIR]\n"
    "        An observer's day: incursions grouped, in local time, places in words,\n"
    "        territorial airspace stated; Markdown (and JSON with --out).\n"
    "  events --db FILE [--zone Z] [--track T] [--since TIME] [--until TIME]\n"
    "        Print stored events as JSON Lines.\n"
    "  identify TRACK [--callsign C] [--squawk S] [--aircraft-db FILE]\n"
    "        Who a track is: state of registry (from the ICAO address allocation or the\n"
    "        aircraft database), type, military, unidentified.\n"
    "  intercept --base LAT,LON --ready-min M --speed-kt V --target LAT,LON,COURSE,KT\n"
    "            [--territory ZONE_ID --zones ZONES] [--horizon-min H]\n"
    "        The earliest intercept on the WGS84 ellipsoid, and whether it comes before\n"
    "        the intruder, holding its course, would reach the territory.\n"
    "  serve --zones ZONES (--connect HOST:PORT | --replay FILE | --simulate SCENARIO)\n"
    "        [--speed X] [--format F]\n"
    "        [--tz +HH:MM] [--timeout S] [--db FILE] [--aircraft-db FILE] [--http ADDR:PORT]\n"
    "        The live air picture: a JSON API, a Server-Sent Events stream and an offline\n"
    "        web map on http://127.0.0.1:8080/ (docs/web.md).\n"
    "  simulate SCENARIO|builtin:2022-11-30 [--format csv|sbs] [--out FILE | --listen PORT]\n"
    "           [--speed X] [--seed N] [--tz +HH:MM] [--observer ID] [--aircraft-db FILE]\n"
    "        Fly a scenario (docs/simulator.md) and write what the radars report, or\n"
    "        serve it on a loopback port for watch.\n"
    "  patrol --db FILE [--day YYYY-MM-DD [--tz +HH:MM] | --from TIME --to TIME]\n"
    "         [--aircraft-db FILE] [--group-km K] [--group-min M] [--all-tracks]\n"
    "        Patrol analysis of the stored trails: groups, escorts, take-offs and\n"
    "        landings (abroad?), straits, missions; JSON Lines, kept as records.\n"
    "  deliver --db FILE [--rules FILE] [--timeout S]\n"
    "        Send the alerts still queued in a store or spool file (docs/alerts.md).\n"
    "\n"
    "ZONES is a GeoJSON file or builtin:east-asia; join several with commas.\n"
    "replay and watch take --rules FILE and --output URL (repeatable) to send alerts to\n"
    "file:, http(s)://, mqtt:// and nats:// sinks (docs/alerts.md).\n"
    "Exit status: 0 done, 1 failed while running, 2 bad usage or bad zone file,\n"
    "3 alerts still queued when --deliver-timeout ran out.\n";

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("adizwatch 0.1.0");
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {{"replay", cmd_replay}, {"watch", cmd_watch}, {"zones", cmd_zones},
                    {"events", cmd_events}, {"decode", cmd_decode}, {"where", cmd_where},
                    {"identify", cmd_identify}, {"intercept", cmd_intercept},
                    {"serve", cmd_serve}, {"simulate", cmd_simulate},
                    {"report", cmd_report}, {"patrol", cmd_patrol},
                    {"deliver", cmd_deliver}};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "adizwatch: unknown command '%s'\n\n%s", argv[1], usage);
    return EXIT_BAD_INPUT;
}
