/* main.c -- the adizwatch command: subcommand dispatch.
 *
 * `--help` is answered here for every command, from the one description of the command
 * line in help.c, before a command's own parser sees its arguments.
 *
 * SIGPIPE is ignored from the start, so that a closed pipe or peer is an error return a
 * command can act on (commit its store, stop its threads); cli_exit then ends the process
 * by SIGPIPE after all, quietly, as a Unix filter ends when its reader goes away. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
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
        return cli_exit(argc < 2 ? EXIT_BAD_INPUT : 0);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("adizwatch %s (library %s)\n", AW_VERSION_STRING, aw_version());
        return cli_exit(0);
    }
    if (strcmp(argv[1], "help") == 0)
        return cli_exit(help_command(argc - 1, argv + 1));
    /* COMMAND ... --help: an option value of "--help" is not worth the ambiguity. */
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || (i == 2 && strcmp(argv[i], "-h") == 0))
            if (cli_help_command(argv[1], stdout) == 0)
                return cli_exit(0);
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {{"replay", cmd_replay}, {"watch", cmd_watch}, {"zones", cmd_zones},
                    {"events", cmd_events}, {"decode", cmd_decode}, {"where", cmd_where},
                    {"identify", cmd_identify}, {"intercept", cmd_intercept},
                    {"serve", cmd_serve}, {"simulate", cmd_simulate},
                    {"report", cmd_report}, {"patrol", cmd_patrol},
                    {"deliver", cmd_deliver}};
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return cli_exit(commands[i].fn(argc - 1, argv + 1));
    fprintf(stderr, "adizwatch: unknown command '%s'\n\n", argv[1]);
    cli_help(stderr);
    return EXIT_BAD_INPUT;
}

/* The reader of stdout went away: a pipe or socket whose other end is closed reports
 * POLLERR for writing (Linux). Asked only once a write has failed. */
static bool stdout_reader_gone(void)
{
    struct pollfd pfd = {STDOUT_FILENO, POLLOUT, 0};
    return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR);
}

int cli_exit(int status)
{
    errno = 0;
    bool failed = fflush(stdout) != 0 || ferror(stdout);
    int err = errno;
    if (failed && (err == EPIPE || stdout_reader_gone())) {
        fflush(stderr);
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
        return 128 + SIGPIPE; /* not reached */
    }
    errno = 0;
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        err = errno;
    }
    if (!failed)
        return status;
    /* A write that failed before was said by whoever wrote (the status then says the
     * command failed); one found only now is said here. */
    if (status == 0)
        fprintf(stderr, "adizwatch: cannot write standard output: %s\n", strerror(err ? err : EIO));
    return status ? status : EXIT_RUN_FAILED;
}
