/* airframe.c -- aircraft, not tracks: which tracks are one airframe.
 *
 * A radar picture gives a track per sortie; a patrol that lands abroad and flies home
 * later gives two tracks of one aircraft, and counting tracks counts it twice. Three
 * sources say which tracks are one airframe, in order of authority: the ICAO address
 * (one per airframe), the aircraft database's `$Airframe` column (an analyst's or the
 * simulator's statement), and a landing followed by a take-off at the same field of the
 * same type and nation within a window. The last is an inference, marked *presumed*, and
 * made only when it is unambiguous as a count: at one field, a run of n landings of a
 * type and nation followed by a run of n take-offs of it (nothing of that kind in
 * between, the first take-off within the window of the last landing). The pairing inside
 * such a run (which of two H-6K that landed is which of two that left) is by order; the
 * count of aircraft does not depend on it (docs/report.md). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "adizwatch/patrol.h"

const char *aw_airframe_basis_name(aw_airframe_basis b)
{
    switch (b) {
    case AW_AIRFRAME_ICAO: return "icao";
    case AW_AIRFRAME_DB: return "aircraft-db";
    case AW_AIRFRAME_PRESUMED: return "presumed";
    default: return "track";
    }
}

aw_airframe_basis aw_airframe_of(const aw_aircraft_db *db, const char *track, char *buf, size_t n)
{
    uint32_t address;
    if (aw_icao_parse(track, &address) == 0) {
        snprintf(buf, n, "%06x", (unsigned)address);
        return AW_AIRFRAME_ICAO;
    }
    const aw_aircraft *a = aw_aircraft_db_find(db, track);
    if (a && a->airframe[0]) {
        snprintf(buf, n, "%s", a->airframe);
        return AW_AIRFRAME_DB;
    }
    snprintf(buf, n, "%s", track);
    return AW_AIRFRAME_TRACK;
}

/* One landing or take-off, for the run scan. */
typedef struct field_event {
    int leg;
    bool landing;
    double time;
} field_event;

static const aw_airframe_leg *legs_cmp_base;

static int cmp_field_event(const void *a, const void *b)
{
    const field_event *x = a, *y = b;
    const aw_airframe_leg *lx = &legs_cmp_base[x->leg], *ly = &legs_cmp_base[y->leg];
    const char *fx = x->landing ? lx->landing_field : lx->takeoff_field;
    const char *fy = y->landing ? ly->landing_field : ly->takeoff_field;
    int c = strcmp(fx, fy);
    if (!c)
        c = strcmp(lx->type, ly->type);
    if (!c)
        c = strcmp(lx->nation, ly->nation);
    if (!c)
        c = x->time < y->time ? -1 : x->time > y->time;
    return c;
}

static bool same_kind(const aw_airframe_leg *legs, const field_event *a, const field_event *b)
{
    const aw_airframe_leg *la = &legs[a->leg], *lb = &legs[b->leg];
    return strcmp(a->landing ? la->landing_field : la->takeoff_field,
                  b->landing ? lb->landing_field : lb->takeoff_field) == 0 &&
           strcmp(la->type, lb->type) == 0 && strcmp(la->nation, lb->nation) == 0;
}

/* The airframe of a leg, following presumed links back to the first leg. */
static const char *root_airframe(const aw_airframe_leg *legs, const int *from, int i)
{
    for (int guard = 0; from[i] >= 0 && guard < 1000; guard++)
        i = from[i];
    return legs[i].airframe;
}

void aw_airframes_assign(aw_airframe_leg *legs, size_t n, const aw_aircraft_db *db,
                         double link_max_s)
{
    int *from = malloc((n + 1) * sizeof *from);
    field_event *ev = malloc((2 * n + 1) * sizeof *ev);
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        legs[i].basis = aw_airframe_of(db, legs[i].track, legs[i].airframe, sizeof legs[i].airframe);
        if (from)
            from[i] = -1;
        if (!ev || legs[i].basis != AW_AIRFRAME_TRACK || !legs[i].type[0])
            continue; /* an address or the database settles it; an unknown type links nothing */
        if (legs[i].landing_field[0] && isfinite(legs[i].landing_time))
            ev[ne++] = (field_event){(int)i, true, legs[i].landing_time};
        if (legs[i].takeoff_field[0] && isfinite(legs[i].takeoff_time))
            ev[ne++] = (field_event){(int)i, false, legs[i].takeoff_time};
    }
    if (from && ev && ne > 1) {
        legs_cmp_base = legs;
        qsort(ev, ne, sizeof *ev, cmp_field_event);
        legs_cmp_base = NULL;
        /* Within each (field, type, nation), a run of landings then a run of take-offs. */
        for (size_t i = 0; i < ne;) {
            size_t l = i;
            while (l < ne && ev[l].landing && same_kind(legs, &ev[i], &ev[l]))
                l++;
            size_t t = l;
            while (t < ne && !ev[t].landing && same_kind(legs, &ev[i], &ev[t]))
                t++;
            size_t nl = l - i, nt = t - l;
            if (nl > 0 && nl == nt && ev[l].time - ev[l - 1].time <= link_max_s) {
                for (size_t k = 0; k < nl; k++) {
                    int a = ev[i + k].leg, b = ev[l + k].leg;
                    if (a != b && from[b] < 0)
                        from[b] = a;
                }
            }
            /* The take-offs of this run may start the next run only as landings do not:
             * move past the landings, and past take-offs that paired or stood alone. */
            i = nl > 0 ? l : t > i ? t : i + 1;
        }
        for (size_t i = 0; i < n; i++)
            if (from[i] >= 0) {
                char root[sizeof legs[i].airframe];
                snprintf(root, sizeof root, "%s", root_airframe(legs, from, (int)i));
                snprintf(legs[i].airframe, sizeof legs[i].airframe, "%s", root);
                legs[i].basis = AW_AIRFRAME_PRESUMED;
            }
    }
    free(from);
    free(ev);
}

/* Copy a JSON string member into dst. */
static void member(json_t *o, const char *key, char *dst, size_t n)
{
    const char *s = json_string_value(json_object_get(o, key));
    snprintf(dst, n, "%s", s ? s : "");
}

aw_airframe_leg *aw_airframe_legs(const aw_patrol *pa, const aw_aircraft_db *db,
                                  double link_max_s, size_t *n)
{
    size_t ne = aw_patrol_event_count(pa), cap = 16, nl = 0;
    aw_airframe_leg *legs = calloc(cap, sizeof *legs);
    for (size_t i = 0; legs && i < ne; i++) {
        const aw_patrol_event *e = aw_patrol_event_at(pa, i);
        bool landing = strcmp(e->type, "landing") == 0;
        if (!landing && strcmp(e->type, "takeoff") != 0 && strcmp(e->type, "mission") != 0)
            continue;
        size_t k = 0;
        while (k < nl && strcmp(legs[k].track, e->track) != 0)
            k++;
        if (k == nl) {
            if (nl == cap) {
                aw_airframe_leg *g = realloc(legs, 2 * cap * sizeof *g);
                if (!g)
                    break;
                legs = g;
                memset(legs + cap, 0, cap * sizeof *legs);
                cap *= 2;
            }
            snprintf(legs[nl].track, sizeof legs[nl].track, "%s", e->track);
            legs[nl].landing_time = legs[nl].takeoff_time = NAN;
            nl++;
        }
        aw_airframe_leg *l = &legs[k];
        json_t *o = json_loads(e->json, 0, NULL);
        if (!l->type[0])
            member(o, "aircraft_type", l->type, sizeof l->type);
        if (!l->nation[0])
            member(o, "nation", l->nation, sizeof l->nation);
        if (landing) { /* the last landing of the track */
            member(o, "field", l->landing_field, sizeof l->landing_field);
            l->landing_time = e->time;
        } else if (strcmp(e->type, "takeoff") == 0 && !isfinite(l->takeoff_time)) {
            member(o, "field", l->takeoff_field, sizeof l->takeoff_field);
            l->takeoff_time = e->time;
        }
        json_decref(o);
    }
    if (legs)
        aw_airframes_assign(legs, nl, db, link_max_s);
    *n = nl;
    return legs;
}
