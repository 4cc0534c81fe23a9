/* messages.h -- a pipeline's messages as a test keeps them (aw_pipeline_options
 * .on_message) and looks in them. A test's user struct begins with its `messages`, so
 * that keep_message takes the user pointer as it comes. */
#ifndef ADIZWATCH_TEST_MESSAGES_H
#define ADIZWATCH_TEST_MESSAGES_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct messages {
    char line[64][512];
    int n; /* lines kept (the first 64) */
} messages;

static inline void keep_message(const char *line, void *user)
{
    messages *m = user;
    if (m->n < 64)
        snprintf(m->line[m->n++], sizeof m->line[0], "%s", line);
}

/* Whether a kept line contains needle. */
static inline bool messages_have(const messages *m, const char *needle)
{
    for (int i = 0; i < m->n; i++)
        if (strstr(m->line[i], needle))
            return true;
    return false;
}

#endif
