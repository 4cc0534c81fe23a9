/* main.c -- the adizwatch command: subcommand dispatch.
 *
 * `--help` is answered here for every command, from the one description of the command
 * line in help.c, before a command's own parser sees its arguments. */
#include <stdio.h>
#include <string.h>

#include "adizwatch/version.h"
#include "cli/cli.h"

static int help_command(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--man") == 0) {
        cli_help_man(stdout);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--bash-completion") == 0) {
        cli_help_bash(stdout);
        return 0;
    }
    if (argc == 2 && cli_help_command(argv[1], stdout) == 0)
        return 0;
    if (argc == 1) {
        cli_help(stdout);
        return 0;
    }
    fprintf(stderr, "usage: adizwatch help [COMMAND | --man | --bash-completion]\n");
    return EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cli_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("adizwatch %s (library %s)\n", AW_VERSION_STRING, aw_version());
        return 0;
    }
    if (strcmp(argv[1], "help") == 0)
        return help_command(argc - 1, argv + 1);
    /* COMMAND ... --help: an option value of "--help" is not worth the ambiguity. */
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || (i == 2 && strcmp(argv[i], "-h") == 0))
            if (cli_help_command(argv[1], stdout) == 0)
                return 0;
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
    fprintf(stderr, "adizwatch: unknown command '%s'\n\n", argv[1]);
    cli_help(stderr);
    return EXIT_BAD_INPUT;
}
