/* place_names.c -- places named as each observer names them.
 *
 * The same rocks are Dokdo in a ROK JCS release, Takeshima in a Japan Joint Staff one
 * and Liancourt Rocks in a neutral text; a report in an observer's name should read as
 * that observer writes, and an analyst comparing two may want the neutral names. The
 * places table (src/theater/places.c) uses the neutral name; this file renames. Only
 * names whose use by each side is well attested are listed (docs/report.md). */
#include <stdlib.h>
#include <string.h>

#include "adizwatch/observer.h"

typedef struct alias {
    const char *neutral; /* as the places table writes it */
    const char *iso;     /* observer */
    const char *name;
} alias;

static const alias aliases[] = {
    {"Liancourt Rocks", "KR", "Dokdo"},
    {"Liancourt Rocks", "JP", "Takeshima"},
    {"Senkaku/Diaoyu Islands", "JP", "Senkaku Islands"},
    {"Senkaku/Diaoyu Islands", "CN", "Diaoyu Islands"},
    {"Senkaku/Diaoyu Islands", "TW", "Diaoyutai Islands"},
};

/* Replace every `from` in s by `to`; returns a new string (s is freed), NULL on failure. */
static char *replace_all(char *s, const char *from, const char *to)
{
    size_t lf = strlen(from), lt = strlen(to), count = 0;
    for (const char *p = s; (p = strstr(p, from)); p += lf)
        count++;
    if (!count)
        return s;
    char *out = malloc(strlen(s) + count * (lt > lf ? lt - lf : 0) + 1);
    if (!out) {
        free(s);
        return NULL;
    }
    char *w = out;
    const char *p = s, *q;
    while ((q = strstr(p, from))) {
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        memcpy(w, to, lt);
        w += lt;
        p = q + lf;
    }
    strcpy(w, p);
    free(s);
    return out;
}

char *aw_observer_place_names(const char *text, const char *observer, bool neutral)
{
    char *s = strdup(text);
    for (size_t i = 0; s && !neutral && observer && i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].iso, observer) == 0)
            s = replace_all(s, aliases[i].neutral, aliases[i].name);
    return s;
}
