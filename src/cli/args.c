/* args.c -- option values several commands share, checked the same way everywhere. */
#include <math.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_tz_arg(const char *s, int *seconds_out)
{
    /* A zone name gives the offset in force now; commands that know the instant they
     * print (report, patrol, events --text) resolve it again there (cli_tz_at). */
    if (aw_tz_offset_at(s, (double)time(NULL), seconds_out) == 0)
        return 0;
    fprintf(stderr, "adizwatch: --tz wants an offset like +09:00 or a tz database name like "
                    "Asia/Seoul, not '%s'\n", s);
    return -1;
}

int cli_tz_at(const char *s, double t, int *seconds_out)
{
    return aw_tz_offset_at(s, t, seconds_out);
}

int cli_timeout_arg(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (end != s && !*end && *out > 0 && isfinite(*out))
        return 0;
    fprintf(stderr, "adizwatch: --timeout wants a positive number of seconds\n");
    return -1;
}

void cli_catch_stop_signals(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler; /* no SA_RESTART: blocking calls return, loops see the flag */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed peer is an error return, not a death */
}
