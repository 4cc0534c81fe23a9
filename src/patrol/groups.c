/* groups.c -- who flew with whom: pair runs and groups (their events: group_events.c).
 *
 * Trails are compared at a common clock (every step_s). At each tick the tracks known
 * then are sorted by latitude and swept, so only pairs within group_dist_m in latitude
 * are measured. A pair within group_dist_m (and group_alt_ft when both altitudes are
 * known) extends its current run; apart or unseen for longer than group_break_s, it
 * starts a new one. Runs lasting group_min_s or more may link their two tracks (same
 * side: see build_groups); a group is a connected set of linked tracks, so a formation
 * that splits and a pair that joins late stay one group, each member with its join and
 * leave times. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo.h"
#include "patrol/patrol_internal.h"

typedef struct slot {
    uint64_t key; /* (a << 32 | b) + 1, 0 = empty */
    double start, last;
} slot;

typedef struct pairmap {
    slot *s;
    size_t cap, n;
} pairmap;

static size_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static slot *pm_find(pairmap *m, uint64_t key)
{
    size_t i = hash64(key) & (m->cap - 1);
    while (m->s[i].key && m->s[i].key != key)
        i = (i + 1) & (m->cap - 1);
    return &m->s[i];
}

static int pm_grow(pairmap *m)
{
    pairmap bigger = {calloc(m->cap ? m->cap * 2 : 1024, sizeof(slot)), m->cap ? m->cap * 2 : 1024,
                      0};
    if (!bigger.s)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->s[i].key) {
            *pm_find(&bigger, m->s[i].key) = m->s[i];
            bigger.n++;
        }
    free(m->s);
    *m = bigger;
    return 0;
}

static int finish_run(aw_patrol *pa, const slot *s)
{
    if (s->last - s->start < pa->o.group_min_s)
        return 0;
    if (patrol_reserve((void **)&pa->runs, &pa->cruns, pa->nruns + 1, sizeof *pa->runs) < 0)
        return -1;
    uint64_t k = s->key - 1;
    pa->runs[pa->nruns++] = (run){(int)(k >> 32), (int)(k & 0xffffffffu), s->start, s->last, false};
    return 0;
}

/* Tracks a and b (a < b) are together at t. */
static int together(aw_patrol *pa, pairmap *m, int a, int b, double t)
{
    if (2 * (m->n + 1) > m->cap && pm_grow(m) < 0)
        return -1;
    uint64_t key = ((uint64_t)a << 32 | (uint64_t)b) + 1;
    slot *s = pm_find(m, key);
    if (!s->key) {
        *s = (slot){key, t, t};
        m->n++;
        return 0;
    }
    if (t - s->last <= pa->o.group_break_s) {
        s->last = t;
        return 0;
    }
    if (finish_run(pa, s) < 0)
        return -1;
    s->start = s->last = t;
    return 0;
}

typedef struct active {
    int i;
    double lat, lon, alt;
} active;

typedef struct starter {
    double first;
    int i;
} starter;

static int cmp_starter(const void *a, const void *b)
{
    const starter *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_active(const void *a, const void *b)
{
    const active *x = a, *y = b;
    return x->lat < y->lat ? -1 : x->lat > y->lat;
}

static int find_root(int *parent, int i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static void unite(int *parent, uint64_t *mask, int a, int b)
{
    int ra = find_root(parent, a), rb = find_root(parent, b);
    if (ra != rb) {
        parent[ra] = rb;
        mask[rb] |= mask[ra];
    }
}

/* Members are taken in order of joining, then of id. */
typedef struct joiner {
    int i;
    double joined;
    const char *id;
} joiner;

static int cmp_joiner(const void *a, const void *b)
{
    const joiner *x = a, *y = b;
    if (x->joined != y->joined)
        return x->joined < y->joined ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int cmp_group(const void *a, const void *b)
{
    const pgroup *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_run_start(const void *a, const void *b)
{
    const run *x = *(const run *const *)a, *y = *(const run *const *)b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_run_end_desc(const void *a, const void *b)
{
    const run *x = *(const run *const *)a, *y = *(const run *const *)b;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* Join and leave times relative to the lead's formation: a member joins when its own
 * formation (a wingman pair that took off together, say) first links to the lead's, and
 * leaves when it last does -- so an escort pair joins where it meets the bombers, not at
 * its take-off. Taking the linked runs in order of start (of end, backwards, for leaving)
 * and uniting their tracks, a member joins at the run that brings it into the lead's set.
 * The group is together from the first join to the last leave. parent holds the groups
 * (union-find over the tracks). */
static int refine_group(aw_patrol *pa, pgroup *g, int *parent)
{
    const run **r = malloc((pa->nruns + 1) * sizeof *r);
    joiner *ord = malloc((size_t)g->n * sizeof *ord);
    int *p2 = malloc((pa->ntr + 1) * sizeof *p2);
    if (!r || !ord || !p2) {
        free(r);
        free(ord);
        free(p2);
        return -1;
    }
    size_t nr = 0;
    for (size_t k = 0; k < pa->nruns; k++)
        if (pa->runs[k].linked &&
            find_root(parent, pa->runs[k].a) == find_root(parent, g->members[0]))
            r[nr++] = &pa->runs[k];
    for (int pass = 0; pass < 2; pass++) {
        qsort(r, nr, sizeof *r, pass ? cmp_run_end_desc : cmp_run_start);
        double *when = pass ? g->left : g->joined;
        for (int m = 0; m < g->n; m++) {
            p2[g->members[m]] = g->members[m];
            when[m] = NAN;
        }
        for (size_t k = 0; k < nr; k++) {
            int ra = find_root(p2, r[k]->a), rb = find_root(p2, r[k]->b);
            if (ra != rb)
                p2[ra] = rb;
            int lead = find_root(p2, g->lead);
            if (find_root(p2, r[k]->a) != lead)
                continue; /* a link elsewhere: the lead's set is not growing */
            for (int m = 0; m < g->n; m++)
                if (isnan(when[m]) && find_root(p2, g->members[m]) == lead)
                    when[m] = pass ? r[k]->end : r[k]->start;
        }
    }
    g->start = INFINITY;
    g->end = -INFINITY;
    for (int m = 0; m < g->n; m++) {
        ord[m] = (joiner){m, g->joined[m], pa->tr[g->members[m]].id};
        g->start = fmin(g->start, g->joined[m]);
        g->end = fmax(g->end, g->left[m]);
    }
    qsort(ord, (size_t)g->n, sizeof *ord, cmp_joiner);
    int *mem = malloc((size_t)g->n * sizeof *mem);
    double *jo = malloc((size_t)g->n * sizeof *jo), *le = malloc((size_t)g->n * sizeof *le);
    int rc = mem && jo && le ? 0 : -1;
    for (int m = 0; rc == 0 && m < g->n; m++) {
        mem[m] = g->members[ord[m].i];
        jo[m] = g->joined[ord[m].i];
        le[m] = g->left[ord[m].i];
    }
    if (rc == 0) {
        memcpy(g->members, mem, (size_t)g->n * sizeof *mem);
        memcpy(g->joined, jo, (size_t)g->n * sizeof *jo);
        memcpy(g->left, le, (size_t)g->n * sizeof *le);
    }
    free(mem);
    free(jo);
    free(le);
    free(r);
    free(ord);
    free(p2);
    return rc;
}

/* Groups from the runs: connected tracks. */
static int build_groups(aw_patrol *pa)
{
    size_t nt = pa->ntr;
    int *parent = malloc((nt + 1) * sizeof *parent);
    double *joined = malloc((nt + 1) * sizeof *joined), *left = malloc((nt + 1) * sizeof *left);
    joiner *order = malloc((nt + 1) * sizeof *order);
    int *gi = malloc((nt + 1) * sizeof *gi);
    uint64_t *mask = malloc((nt + 1) * sizeof *mask); /* nations of a root's group */
    pa->groups = calloc(nt / 2 + 1, sizeof *pa->groups);
    int rc = -1;
    if (!parent || !joined || !left || !order || !gi || !mask || !pa->groups)
        goto done;
    for (size_t i = 0; i < nt; i++) {
        parent[i] = (int)i;
        joined[i] = INFINITY;
        left[i] = -INFINITY;
        gi[i] = -1;
    }
    /* Nations as bits (the first 63 distinct ones; others count as unknown). */
    const char *nat[63];
    int nn = 0;
    for (size_t i = 0; i < nt; i++) {
        mask[i] = 0;
        if (!pa->tr[i].nation[0])
            continue;
        int k = 0;
        while (k < nn && strcmp(nat[k], pa->tr[i].nation) != 0)
            k++;
        if (k == nn && nn < 63)
            nat[nn++] = pa->tr[i].nation;
        if (k < nn)
            mask[i] = 1ULL << k;
    }
    /* Who flies with whom is not who is on whose side: fighters shadowing a bomber
     * formation fly as close as its escorts. A run links its two tracks into a group when
     * they are of one nation (or either is of unknown nation), or both are bombers (a
     * joint patrol); then, until nothing changes, when a track that is not a bomber is of
     * a nation already in the other's group (an escort of the partner nation). Runs left
     * unlinked are shadowing: reported with the group, not as members. */
    for (size_t r = 0; r < pa->nruns; r++) {
        const ptrack *a = &pa->tr[pa->runs[r].a], *b = &pa->tr[pa->runs[r].b];
        if (!mask[pa->runs[r].a] || !mask[pa->runs[r].b] || strcmp(a->nation, b->nation) == 0 ||
            (a->cls == AW_CLASS_BOMBER && b->cls == AW_CLASS_BOMBER))
            unite(parent, mask, pa->runs[r].a, pa->runs[r].b);
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t r = 0; r < pa->nruns; r++) {
            int a = pa->runs[r].a, b = pa->runs[r].b, ra = find_root(parent, a),
                rb = find_root(parent, b);
            if (ra == rb)
                continue;
            if ((pa->tr[a].cls != AW_CLASS_BOMBER && (mask[rb] & mask[a])) ||
                (pa->tr[b].cls != AW_CLASS_BOMBER && (mask[ra] & mask[b]))) {
                unite(parent, mask, a, b);
                changed = true;
            }
        }
    }
    for (size_t r = 0; r < pa->nruns; r++) {
        run *ru = &pa->runs[r];
        ru->linked = find_root(parent, ru->a) == find_root(parent, ru->b);
        if (!ru->linked)
            continue;
        int ends[2] = {ru->a, ru->b};
        for (int e = 0; e < 2; e++) {
            joined[ends[e]] = fmin(joined[ends[e]], ru->start);
            left[ends[e]] = fmax(left[ends[e]], ru->end);
        }
    }
    size_t no = 0;
    for (size_t i = 0; i < nt; i++)
        if (isfinite(joined[i]))
            order[no++] = (joiner){(int)i, joined[i], pa->tr[i].id};
    qsort(order, no, sizeof *order, cmp_joiner);
    for (size_t k = 0; k < no; k++) {
        int i = order[k].i, root = find_root(parent, i);
        if (gi[root] < 0) {
            gi[root] = (int)pa->ngroups++;
            pgroup *g = &pa->groups[gi[root]];
            g->members = malloc(nt * sizeof *g->members);
            g->joined = malloc(nt * sizeof *g->joined);
            g->left = malloc(nt * sizeof *g->left);
            if (!g->members || !g->joined || !g->left)
                goto done;
            g->lead = i;
            g->start = joined[i];
            g->end = left[i];
        }
        pgroup *g = &pa->groups[gi[root]];
        g->members[g->n] = i;
        g->joined[g->n] = joined[i];
        g->left[g->n++] = left[i];
        g->end = fmax(g->end, left[i]);
    }
    for (size_t g = 0; g < pa->ngroups; g++)
        if (refine_group(pa, &pa->groups[g], parent) < 0)
            goto done;
    qsort(pa->groups, pa->ngroups, sizeof *pa->groups, cmp_group);
    for (size_t g = 0; g < pa->ngroups; g++)
        for (int k = 0; k < pa->groups[g].n; k++)
            pa->tr[pa->groups[g].members[k]].group = (int)g;
    rc = 0;
done:
    free(parent);
    free(joined);
    free(left);
    free(order);
    free(gi);
    free(mask);
    return rc;
}

int patrol_find_groups(aw_patrol *pa)
{
    if (pa->ntr < 2)
        return build_groups(pa);
    double tmin = INFINITY, tmax = -INFINITY;
    for (size_t i = 0; i < pa->ntr; i++) {
        tmin = fmin(tmin, pa->tr[i].fx[0].t);
        tmax = fmax(tmax, pa->tr[i].fx[pa->tr[i].n - 1].t);
    }
    double step = pa->o.step_s > 0 ? pa->o.step_s : 30;
    double t0 = floor(tmin / step) * step;
    long nk = (long)((tmax - t0) / step) + 1;
    active *act = malloc(pa->ntr * sizeof *act);
    pairmap m = {0};
    int rc = act && pm_grow(&m) == 0 ? 0 : -1;
    double dlat = pa->o.group_dist_m / 110000.0; /* a degree of latitude is >= 110.5 km */
    /* Tracks flying at t: taken in order of their first fix, dropped after their last, so
     * that a day of traffic is not scanned whole at every tick. */
    starter *by_start = malloc(pa->ntr * sizeof *by_start);
    int *live = malloc(pa->ntr * sizeof *live);
    if (!by_start || !live)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < pa->ntr; i++)
        by_start[i] = (starter){pa->tr[i].fx[0].t, (int)i};
    if (rc == 0)
        qsort(by_start, pa->ntr, sizeof *by_start, cmp_starter);
    size_t next = 0, nlive = 0;
    for (long k = 0; rc == 0 && k < nk; k++) {
        double t = t0 + (double)k * step;
        while (next < pa->ntr && by_start[next].first <= t)
            live[nlive++] = by_start[next++].i;
        size_t na = 0, kept = 0;
        for (size_t l = 0; l < nlive; l++) {
            int i = live[l];
            if (pa->tr[i].fx[pa->tr[i].n - 1].t < t)
                continue; /* landed or lost for good */
            live[kept++] = i;
            active *a = &act[na];
            if (patrol_at(pa, i, t, &a->lat, &a->lon, &a->alt) == 0) {
                a->i = i;
                na++;
            }
        }
        nlive = kept;
        qsort(act, na, sizeof *act, cmp_active);
        for (size_t x = 0; rc == 0 && x < na; x++)
            for (size_t y = x + 1; rc == 0 && y < na && act[y].lat - act[x].lat <= dlat; y++) {
                const active *p = &act[x], *q = &act[y];
                if (aw_approx_metres(p->lat, p->lon, q->lat, q->lon) > pa->o.group_dist_m)
                    continue;
                if (!isnan(p->alt) && !isnan(q->alt) && fabs(p->alt - q->alt) > pa->o.group_alt_ft)
                    continue;
                rc = together(pa, &m, p->i < q->i ? p->i : q->i, p->i < q->i ? q->i : p->i, t);
            }
    }
    for (size_t i = 0; rc == 0 && i < m.cap; i++)
        if (m.s[i].key)
            rc = finish_run(pa, &m.s[i]);
    free(m.s);
    free(act);
    free(by_start);
    free(live);
    if (rc < 0)
        return -1;
    return build_groups(pa);
}
