/* from_store.c -- patrol analysis fed from the store: positions in, group JSON out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "patrol/patrol_internal.h"

typedef struct pos_list {
    aw_position *p;
    size_t n, cap;
    bool oom;
} pos_list;

static int take_position(const aw_position *p, void *user)
{
    pos_list *l = user;
    if (patrol_reserve((void **)&l->p, &l->cap, l->n + 1, sizeof *l->p) < 0) {
        l->oom = true;
        return 1;
    }
    l->p[l->n++] = *p;
    return 0;
}

aw_position *aw_patrol_positions(aw_store *s, double from, double to, size_t *n, char *err,
                                 size_t errlen)
{
    pos_list l = {malloc(sizeof(aw_position)), 0, 1, false};
    if (!l.p || aw_store_positions(s, from, to, take_position, &l, err, errlen) < 0 || l.oom) {
        if (l.oom || !l.p)
            snprintf(err, errlen, "positions: out of memory");
        free(l.p);
        return NULL;
    }
    *n = l.n;
    return l.p;
}

typedef struct str_list {
    char **v;
    size_t n, cap;
    bool oom;
} str_list;

static int push_string(str_list *l, const char *s)
{
    char *c = strdup(s);
    if (!c || patrol_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) < 0) {
        free(c);
        l->oom = true;
        return 1;
    }
    l->v[l->n++] = c;
    return 0;
}

static int take_record(const aw_record *r, void *user)
{
    return push_string(user, r->json);
}

void aw_patrol_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

char **aw_patrol_groups(aw_store *s, double from, double to, const aw_aircraft_db *db,
                        const aw_patrol_options *o, size_t *n, bool *computed, char *err,
                        size_t errlen)
{
    str_list l = {calloc(1, sizeof(char *)), 0, 1, false};
    if (!l.v)
        goto oom;
    if (aw_store_records(s, "group", from, to, take_record, &l, err, errlen) < 0) {
        aw_patrol_strings_free(l.v, l.n);
        return NULL;
    }
    if (l.oom)
        goto oom;
    *computed = l.n == 0;
    if (l.n == 0) {
        /* Groups that start in the window; their members' trails before and after it are
         * left out, as `adizwatch patrol` over the same window would. */
        size_t np = 0;
        aw_position *p = aw_patrol_positions(s, from, to, &np, err, errlen);
        if (!p) {
            aw_patrol_strings_free(l.v, l.n);
            return NULL;
        }
        aw_patrol *pa = aw_patrol_analyse(p, np, db, o, err, errlen);
        free(p);
        if (!pa) {
            aw_patrol_strings_free(l.v, l.n);
            return NULL;
        }
        for (size_t i = 0; i < aw_patrol_event_count(pa) && !l.oom; i++) {
            const aw_patrol_event *e = aw_patrol_event_at(pa, i);
            if (strcmp(e->type, "group") == 0)
                push_string(&l, e->json);
        }
        aw_patrol_free(pa);
        if (l.oom)
            goto oom;
    }
    *n = l.n;
    return l.v;
oom:
    snprintf(err, errlen, "patrol groups: out of memory");
    aw_patrol_strings_free(l.v, l.n);
    return NULL;
}
