/* group_events.c -- the group and escort events: who, from where, to where, through what.
 *
 * A group's event gathers its members' sorties: take-offs and landings by field and
 * nation (landed abroad or not), the straits they went through while with the group, the
 * mission span, the escorts, and the tracks of another side that flew with it without
 * joining (shadowing). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "adizwatch/theater.h"
#include "patrol/patrol_internal.h"

/* Add a type to a list of distinct types. */
static void add_type(json_t *types, const char *type)
{
    size_t k;
    json_t *t;
    json_array_foreach(types, k, t)
        if (strcmp(json_string_value(t), type) == 0)
            return;
    json_array_append_new(types, json_string(type));
}

/* Append member i's field end (take-off or landing, index fe) to the list of entries
 * keyed by field and nation. */
static void add_field_entry(aw_patrol *pa, json_t *list, int i, int fe)
{
    const field_end *f = &pa->fe[fe];
    const ptrack *tr = &pa->tr[i];
    size_t k;
    json_t *e;
    json_array_foreach(list, k, e) {
        if (strcmp(json_string_value(json_object_get(e, "field")), f->f.code) == 0 &&
            strcmp(json_string_value(json_object_get(e, "nation")), tr->nation) == 0) {
            json_array_append_new(json_object_get(e, "tracks"), json_string(tr->id));
            json_object_set_new(
                e, "count",
                json_integer((json_int_t)json_array_size(json_object_get(e, "tracks"))));
            add_type(json_object_get(e, "types"), tr->type);
            double t0;
            const char *iso = json_string_value(json_object_get(e, "time"));
            if (aw_parse_time(iso, strlen(iso), &t0) == 0 && f->t < t0)
                json_object_set_new(e, "time", patrol_time_json(f->t)); /* the first of them */
            return;
        }
    }
    e = json_object();
    json_object_set_new(e, "field", json_string(f->f.code));
    json_object_set_new(e, "field_name", json_string(f->f.name));
    json_object_set_new(e, "field_country", json_string(f->f.country));
    json_object_set_new(e, "nation", json_string(tr->nation));
    json_object_set_new(e, "time", patrol_time_json(f->t));
    if (f->landing)
        json_object_set_new(e, "landed_abroad",
                            tr->nation[0] ? json_boolean(strcmp(tr->nation, f->f.country) != 0)
                                          : json_null());
    json_object_set_new(e, "count", json_integer(1));
    json_t *tracks = json_array(), *types = json_array();
    json_array_append_new(tracks, json_string(tr->id));
    json_object_set_new(e, "tracks", tracks);
    add_type(types, tr->type);
    json_object_set_new(e, "types", types);
    json_array_append_new(list, e);
}

/* Straits crossed by member i in [from, to], merged into entries: the same strait within
 * 30 min and 90 degrees of heading is one transit of the group. */
static void add_straits(aw_patrol *pa, json_t *list, double *first_t, double *first_azi, int i,
                        double from, double to)
{
    for (size_t c = 0; c < pa->ncx; c++) {
        const crossing *x = &pa->cx[c];
        if (x->track != i || x->t < from || x->t > to)
            continue;
        const aw_strait *s = aw_strait_at(x->strait);
        size_t k, found = (size_t)-1;
        json_t *e;
        json_array_foreach(list, k, e) {
            double dazi = fabs(fmod(first_azi[k] - x->azi + 540, 360) - 180);
            if (strcmp(json_string_value(json_object_get(e, "strait")), s->name) == 0 &&
                fabs(first_t[k] - x->t) <= 1800 && dazi <= 90)
                found = k;
        }
        if (found != (size_t)-1) {
            e = json_array_get(list, found);
            json_array_append_new(json_object_get(e, "tracks"), json_string(pa->tr[i].id));
            if (x->t < first_t[found]) {
                first_t[found] = x->t;
                json_object_set_new(e, "time", patrol_time_json(x->t));
            }
            continue;
        }
        k = json_array_size(list);
        if (k >= 64)
            continue; /* more transits than any patrol makes: keep the first 64 */
        first_t[k] = x->t;
        first_azi[k] = x->azi;
        e = json_object();
        json_object_set_new(e, "strait", json_string(s->name));
        const char *ch = s->channel[x->stretch];
        json_object_set_new(e, "channel", ch && *ch ? json_string(ch) : json_null());
        json_object_set_new(e, "heading", json_string(aw_compass16(x->azi)));
        json_object_set_new(e, "time", patrol_time_json(x->t));
        json_t *tracks = json_array();
        json_array_append_new(tracks, json_string(pa->tr[i].id));
        json_object_set_new(e, "tracks", tracks);
        json_array_append_new(list, e);
    }
}

static int cmp_time_member(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "time"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "time"));
    return strcmp(x ? x : "", y ? y : ""); /* ISO 8601 UTC text sorts as time does */
}

/* Order an array of objects by their "time" member. */
static void sort_by_time(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = malloc((n + 1) * sizeof *v);
    if (!v)
        return; /* left in member order */
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, cmp_time_member);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
}

static json_t *aircraft_json(const ptrack *tr)
{
    json_t *o = json_object();
    json_object_set_new(o, "track", json_string(tr->id));
    json_object_set_new(o, "type", json_string(tr->type));
    json_object_set_new(o, "nation", json_string(tr->nation));
    json_object_set_new(o, "class", json_string(aw_aircraft_class_name(tr->cls)));
    return o;
}

static int escort_event(aw_patrol *pa, const pgroup *g, int k, const char *gid)
{
    int f = g->members[k];
    const ptrack *tr = &pa->tr[f];
    double start = INFINITY, end = -INFINITY;
    json_t *bombers = json_array();
    for (int j = 0; j < g->n; j++) {
        int b = g->members[j];
        if (pa->tr[b].cls != AW_CLASS_BOMBER)
            continue;
        bool direct = false;
        for (size_t r = 0; r < pa->nruns; r++) {
            const run *ru = &pa->runs[r];
            if ((ru->a == f && ru->b == b) || (ru->a == b && ru->b == f)) {
                direct = true;
                start = fmin(start, ru->start);
                end = fmax(end, ru->end);
            }
        }
        if (direct)
            json_array_append_new(bombers, aircraft_json(&pa->tr[b]));
    }
    if (!isfinite(start)) { /* with the group, never right beside a bomber: its group span */
        start = g->joined[k];
        end = g->left[k];
    }
    double lat = NAN, lon = NAN;
    patrol_at(pa, f, start, &lat, &lon, NULL);
    json_t *o = patrol_event_object("escort", tr->id, start, lat, lon);
    json_object_set_new(o, "group", json_string(gid));
    json_object_set_new(o, "end", patrol_time_json(end));
    json_object_set_new(o, "duration_s", json_integer((json_int_t)llround(end - start)));
    json_object_set_new(o, "aircraft_type", json_string(tr->type));
    json_object_set_new(o, "nation", json_string(tr->nation));
    json_object_set_new(o, "bombers", bombers);
    return patrol_add_event(pa, "escort", f, start, lat, lon, o);
}

static int group_event(aw_patrol *pa, size_t gno)
{
    const pgroup *g = &pa->groups[gno];
    char gid[16];
    snprintf(gid, sizeof gid, "G%zu", gno + 1);
    double lat = NAN, lon = NAN;
    patrol_at(pa, g->lead, g->start, &lat, &lon, NULL);
    json_t *o = patrol_event_object("group", pa->tr[g->lead].id, g->start, lat, lon);
    json_t *members = json_array(), *kinds = json_array(), *nations = json_array();
    json_t *takeoffs = json_array(), *landings = json_array(), *straits = json_array();
    json_t *escorts = json_array(), *no_takeoff = json_array(), *no_landing = json_array();
    double first_t[64], first_azi[64];
    double m_start = INFINITY, m_end = -INFINITY;
    int bombers = 0, fighters = 0;
    for (int k = 0; k < g->n; k++) {
        const ptrack *tr = &pa->tr[g->members[k]];
        json_t *mo = aircraft_json(tr);
        json_object_set_new(mo, "joined", patrol_time_json(g->joined[k]));
        json_object_set_new(mo, "left", patrol_time_json(g->left[k]));
        json_array_append_new(members, mo);
        bombers += tr->cls == AW_CLASS_BOMBER;
        fighters += tr->cls == AW_CLASS_FIGHTER;
        /* Aircraft by type and nation. */
        size_t j;
        json_t *e;
        bool found = false;
        json_array_foreach(kinds, j, e) {
            if (strcmp(json_string_value(json_object_get(e, "type")), tr->type) == 0 &&
                strcmp(json_string_value(json_object_get(e, "nation")), tr->nation) == 0) {
                json_object_set_new(
                    e, "count", json_integer(json_integer_value(json_object_get(e, "count")) + 1));
                found = true;
            }
        }
        if (!found) {
            e = json_object();
            json_object_set_new(e, "type", json_string(tr->type));
            json_object_set_new(e, "nation", json_string(tr->nation));
            json_object_set_new(e, "class", json_string(aw_aircraft_class_name(tr->cls)));
            json_object_set_new(e, "count", json_integer(1));
            json_array_append_new(kinds, e);
        }
        found = !tr->nation[0];
        json_array_foreach(nations, j, e)
            found = found || strcmp(json_string_value(e), tr->nation) == 0;
        if (!found)
            json_array_append_new(nations, json_string(tr->nation));
        /* The member's sortie that holds its time with the group. */
        int mi = patrol_mission_at(pa, g->members[k], g->joined[k]);
        double from = g->joined[k], to = g->left[k];
        if (mi >= 0) {
            const mission *m = &pa->ms[mi];
            from = m->start;
            to = m->end;
            if (m->takeoff >= 0)
                add_field_entry(pa, takeoffs, g->members[k], m->takeoff);
            else
                json_array_append_new(no_takeoff, json_string(tr->id));
            if (m->landing >= 0)
                add_field_entry(pa, landings, g->members[k], m->landing);
            else
                json_array_append_new(no_landing, json_string(tr->id));
        }
        m_start = fmin(m_start, from);
        m_end = fmax(m_end, to);
        /* The straits it went through with the group (not before joining or after leaving). */
        add_straits(pa, straits, first_t, first_azi, g->members[k], g->joined[k] - pa->o.step_s,
                    g->left[k] + pa->o.step_s);
    }
    /* Tracks of another side that flew with members without joining (interceptors). */
    json_t *shadow = json_array();
    for (size_t r = 0; r < pa->nruns; r++) {
        const run *ru = &pa->runs[r];
        int other = pa->tr[ru->a].group == (int)gno   ? ru->b
                    : pa->tr[ru->b].group == (int)gno ? ru->a
                                                      : -1;
        if (ru->linked || other < 0)
            continue;
        size_t k;
        json_t *e, *found = NULL;
        json_array_foreach(shadow, k, e)
            if (strcmp(json_string_value(json_object_get(e, "track")), pa->tr[other].id) == 0)
                found = e;
        if (!found) {
            found = aircraft_json(&pa->tr[other]);
            json_object_set_new(found, "from", patrol_time_json(ru->start));
            json_object_set_new(found, "to", patrol_time_json(ru->end));
            json_object_set_new(found, "from_t", json_real(ru->start));
            json_object_set_new(found, "to_t", json_real(ru->end));
            json_array_append_new(shadow, found);
            continue;
        }
        if (ru->start < json_real_value(json_object_get(found, "from_t"))) {
            json_object_set_new(found, "from", patrol_time_json(ru->start));
            json_object_set_new(found, "from_t", json_real(ru->start));
        }
        if (ru->end > json_real_value(json_object_get(found, "to_t"))) {
            json_object_set_new(found, "to", patrol_time_json(ru->end));
            json_object_set_new(found, "to_t", json_real(ru->end));
        }
    }
    size_t sk;
    json_t *se;
    json_array_foreach(shadow, sk, se) {
        json_object_del(se, "from_t");
        json_object_del(se, "to_t");
    }
    sort_by_time(takeoffs);
    sort_by_time(landings);
    sort_by_time(straits);
    bool escorted = bombers > 0 && fighters > 0;
    if (escorted)
        for (int k = 0; k < g->n; k++)
            if (pa->tr[g->members[k]].cls == AW_CLASS_FIGHTER)
                json_array_append_new(escorts, aircraft_json(&pa->tr[g->members[k]]));
    bool abroad = false;
    size_t j;
    json_t *e;
    json_array_foreach(landings, j, e)
        abroad = abroad || json_is_true(json_object_get(e, "landed_abroad"));
    json_object_set_new(o, "group", json_string(gid));
    json_object_set_new(o, "start", patrol_time_json(g->start));
    json_object_set_new(o, "end", patrol_time_json(g->end));
    json_object_set_new(o, "duration_s", json_integer((json_int_t)llround(g->end - g->start)));
    json_object_set_new(o, "size", json_integer(g->n));
    json_object_set_new(o, "aircraft", kinds);
    json_object_set_new(o, "nations", nations);
    json_object_set_new(o, "joint", json_boolean(json_array_size(nations) > 1));
    json_object_set_new(o, "bombers", json_integer(bombers));
    json_object_set_new(o, "fighters", json_integer(fighters));
    json_object_set_new(o, "escorted", json_boolean(escorted));
    json_object_set_new(o, "escorts", escorts);
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "shadowed_by", shadow);
    json_object_set_new(o, "takeoffs", takeoffs);
    json_object_set_new(o, "takeoff_unseen", no_takeoff);
    json_object_set_new(o, "landings", landings);
    json_object_set_new(o, "landing_unseen", no_landing);
    json_object_set_new(o, "landed_abroad", json_boolean(abroad));
    json_object_set_new(o, "straits", straits);
    json_object_set_new(o, "mission_start", patrol_time_json(m_start));
    json_object_set_new(o, "mission_end", patrol_time_json(m_end));
    json_object_set_new(o, "mission_s", json_integer((json_int_t)llround(m_end - m_start)));
    if (patrol_add_event(pa, "group", g->lead, g->start, lat, lon, o) < 0)
        return -1;
    if (escorted)
        for (int k = 0; k < g->n; k++)
            if (pa->tr[g->members[k]].cls == AW_CLASS_FIGHTER && escort_event(pa, g, k, gid) < 0)
                return -1;
    return 0;
}

int patrol_group_events(aw_patrol *pa)
{
    for (size_t g = 0; g < pa->ngroups; g++)
        if (group_event(pa, g) < 0)
            return -1;
    return 0;
}
