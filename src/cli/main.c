/* main.c -- the adizwatch command: subcommand dispatch and help. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: adizwatch COMMAND [OPTIONS]\n"
    "\n"
    "  replay --zones ZONES [--format auto|csv|sbs] [--tz +HH:MM] [--timeout S]\n"
    "         [--db FILE] [--strict] FILE|-\n"
    "        Read position reports from a file (or stdin) and print zone events as\n"
    "        JSON Lines; a summary goes to stderr.\n"
    "  watch --connect HOST:PORT --zones ZONES [--format auto|csv|sbs] [--tz +HH:MM]\n"
    "        [--timeout S] [--db FILE]\n"
    "        Follow a live feed (readsb / dump1090 port 30003) and print events as they\n"
    "        happen; reconnects with backoff; SIGINT or SIGTERM stop it cleanly.\n"
    "  zones check FILE\n"
    "        Validate a GeoJSON zone file and list its zones.\n"
    "  events --db FILE [--zone Z] [--track T] [--since TIME] [--until TIME]\n"
    "        Print stored events as JSON Lines.\n"
    "\n"
    "Exit status: 0 done, 1 failed while running, 2 bad usage or bad zone file.\n";

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
                    {"events", cmd_events}};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "adizwatch: unknown command '%s'\n\n%s", argv[1], usage);
    return EXIT_BAD_INPUT;
}
