/* patrol.c -- patrol analysis: trails in, take-offs, landings, straits, missions out.
 *
 * A trail is cut into covered stretches where two fixes are more than max_gap_s apart
 * (radar lost the aircraft). A stretch that starts low and slow at a named airfield and
 * moves away from it is a take-off; one that ends low and slow closing on a field is a
 * landing. Between them lies a mission. Straits are gate lines crossed by a step between
 * two fixes of one stretch. Groups and escorts are in groups.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/event.h"
#include "adizwatch/theater.h"
#include "geo/geo.h"
#include "patrol/patrol_internal.h"

#define KT_TO_MS (1852.0 / 3600.0)

void aw_patrol_defaults(aw_patrol_options *o)
{
    *o = (aw_patrol_options){.group_dist_m = 10000,
                             .group_alt_ft = 3000,
                             .group_min_s = 600,
                             .group_break_s = 120,
                             .step_s = 30,
                             .max_gap_s = 600,
                             .field_dist_m = 10000,
                             .field_agl_ft = 3000,
                             .field_speed_kt = 300,
                             .all_tracks = false};
}

int patrol_reserve(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- JSON ------------------------------------------------------------------------ */

json_t *patrol_time_json(double t)
{
    char iso[40];
    return json_string(aw_format_time(t, iso, sizeof iso));
}

json_t *patrol_real(double v, int decimals)
{
    if (!isfinite(v))
        return json_null();
    double m = pow(10, decimals);
    return json_real(round(v * m) / m);
}

json_t *patrol_event_object(const char *type, const char *track, double t, double lat, double lon)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "track", json_string(track));
    json_object_set_new(o, "time", patrol_time_json(t));
    json_object_set_new(o, "lat", patrol_real(lat, 5));
    json_object_set_new(o, "lon", patrol_real(lon, 5));
    return o;
}

int patrol_add_event(aw_patrol *pa, const char *type, int track, double t, double lat, double lon,
                     json_t *obj)
{
    /* %.10g keeps coordinates at 5 decimals and durations whole. */
    char *text = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(obj);
    if (!text || patrol_reserve((void **)&pa->ev, &pa->cev, pa->nev + 1, sizeof *pa->ev) < 0) {
        free(text);
        return -1;
    }
    aw_patrol_event *e = &pa->ev[pa->nev++];
    *e = (aw_patrol_event){type, "", t, lat, lon, text};
    snprintf(e->track, sizeof e->track, "%s", pa->tr[track].id);
    return 0;
}

static void add_aircraft(json_t *o, const ptrack *tr)
{
    json_object_set_new(o, "aircraft_type", json_string(tr->type));
    json_object_set_new(o, "nation", json_string(tr->nation));
    json_object_set_new(o, "class", json_string(aw_aircraft_class_name(tr->cls)));
}

/* ---- trails ----------------------------------------------------------------------- */

static int cmp_pos(const void *a, const void *b)
{
    const aw_position *x = *(const aw_position *const *)a, *y = *(const aw_position *const *)b;
    int c = strcmp(x->track, y->track);
    if (c)
        return c;
    return x->time < y->time ? -1 : x->time > y->time;
}

/* Tracks from the positions, identified; civil ones dropped unless all_tracks. */
static int load_tracks(aw_patrol *pa, const aw_position *p, size_t n, const aw_aircraft_db *db)
{
    const aw_position **sorted = malloc((n ? n : 1) * sizeof *sorted);
    pa->tr = calloc(n ? n : 1, sizeof *pa->tr);
    fix *fixes = malloc((n ? n : 1) * sizeof *fixes);
    if (!sorted || !pa->tr || !fixes) {
        free(sorted);
        free(fixes);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = &p[i];
    qsort(sorted, n, sizeof *sorted, cmp_pos);
    size_t nf = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        ptrack *tr = &pa->tr[pa->ntr];
        memset(tr, 0, sizeof *tr);
        snprintf(tr->id, sizeof tr->id, "%s", sorted[i]->track);
        tr->fx = fixes + nf;
        for (; j < n && strcmp(sorted[j]->track, tr->id) == 0; j++) {
            const aw_position *q = sorted[j];
            if (!isfinite(q->time) || !isfinite(q->lat) || !isfinite(q->lon))
                continue;
            if (tr->n && q->time <= tr->fx[tr->n - 1].t)
                continue; /* a duplicate time: keep the first */
            tr->fx[tr->n++] = (fix){q->time, q->lat, q->lon, q->alt_ft};
            if (q->callsign[0])
                snprintf(tr->callsign, sizeof tr->callsign, "%s", q->callsign);
        }
        i = j;
        aw_identity id;
        aw_identify(db, tr->id, tr->callsign, "", &id);
        const aw_aircraft *a = db ? aw_aircraft_db_find(db, tr->id) : NULL;
        snprintf(tr->type, sizeof tr->type, "%s",
                 id.type[0] ? id.type : (a && a->icao_type[0] ? a->icao_type : ""));
        snprintf(tr->nation, sizeof tr->nation, "%s", id.nation);
        tr->cls = aw_aircraft_class_of(tr->type);
        tr->group = -1;
        /* Patrols are military: a track the database calls civil is left out, and so is
         * one showing a callsign unless the database calls it military. */
        bool civil = a && a->cmpg[0] && !a->military;
        bool candidate = pa->o.all_tracks || id.military || (!civil && !tr->callsign[0]);
        if (tr->n && candidate) {
            nf += tr->n;
            pa->ntr++;
        }
    }
    free(sorted);
    if (pa->ntr == 0)
        free(fixes);
    return 0;
}

int patrol_at(const aw_patrol *pa, int i, double t, double *lat, double *lon, double *alt)
{
    const ptrack *tr = &pa->tr[i];
    if (tr->n == 0 || t < tr->fx[0].t || t > tr->fx[tr->n - 1].t)
        return -1;
    size_t lo = 0, hi = tr->n - 1; /* fx[lo].t <= t <= fx[hi].t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tr->fx[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    const fix *a = &tr->fx[lo], *b = &tr->fx[hi];
    if (b->t - a->t > pa->o.max_gap_s && t != a->t && t != b->t)
        return -1;
    double u = b->t > a->t ? (t - a->t) / (b->t - a->t) : 0;
    *lat = a->lat + u * (b->lat - a->lat);
    *lon = a->lon + u * (b->lon - a->lon);
    if (alt)
        *alt = isnan(a->alt) || isnan(b->alt) ? (u < 0.5 ? a->alt : b->alt)
                                              : a->alt + u * (b->alt - a->alt);
    return 0;
}

/* ---- take-off and landing ----------------------------------------------------------- */

/* Is fix k of the stretch [i0, i1] an end at a field? first: a take-off test at i0 (speed
 * toward later fixes, moving away), else a landing test at i1. */
static bool field_end_at(const aw_patrol *pa, const ptrack *tr, size_t i0, size_t i1, bool first,
                         field_end *out)
{
    if (i1 == i0)
        return false;
    size_t k = first ? i0 : i1;
    const fix *f = &tr->fx[k];
    /* Speed over the neighbouring step, and a first look at the altitude (no field in the
     * tables lies above 4100 ft), before the field search, which is the costly part. */
    size_t k2 = first ? k + 1 : k - 1;
    double dt = fabs(tr->fx[k2].t - f->t);
    double v = aw_approx_metres(f->lat, f->lon, tr->fx[k2].lat, tr->fx[k2].lon) / dt;
    if (v > pa->o.field_speed_kt * KT_TO_MS ||
        (!isnan(f->alt) && f->alt > pa->o.field_agl_ft + 6000))
        return false;
    aw_field fld;
    double d;
    if (aw_field_nearest(f->lat, f->lon, &fld, &d) < 0 || d > pa->o.field_dist_m)
        return false;
    if (!isnan(f->alt) && f->alt - fld.elevation_ft > pa->o.field_agl_ft)
        return false;
    /* Moving away (take-off) or closing (landing): the fix up to 5 min along the stretch
     * is farther from the field than this one. */
    size_t far = k2;
    if (first)
        while (far < i1 && tr->fx[far + 1].t - f->t <= 300)
            far++;
    else
        while (far > i0 && f->t - tr->fx[far - 1].t <= 300)
            far--;
    double d_far = aw_geodesic_distance(fld.lat, fld.lon, tr->fx[far].lat, tr->fx[far].lon);
    if (d_far <= d)
        return false;
    *out = (field_end){0, !first, f->t, f->lat, f->lon, d, fld};
    return true;
}

static int push_field_end(aw_patrol *pa, const field_end *fe)
{
    if (patrol_reserve((void **)&pa->fe, &pa->cfe, pa->nfe + 1, sizeof *pa->fe) < 0)
        return -1;
    pa->fe[pa->nfe++] = *fe;
    return (int)pa->nfe - 1;
}

static int push_mission(aw_patrol *pa, const mission *m)
{
    if (patrol_reserve((void **)&pa->ms, &pa->cms, pa->nms + 1, sizeof *pa->ms) < 0)
        return -1;
    pa->ms[pa->nms++] = *m;
    return 0;
}

/* Take-offs, landings and missions of track i. */
static int track_missions(aw_patrol *pa, int i)
{
    const ptrack *tr = &pa->tr[i];
    mission m = {i, NAN, NAN, NAN, NAN, -1, -1};
    bool open = false;
    size_t i0 = 0;
    while (i0 < tr->n) {
        size_t i1 = i0;
        while (i1 + 1 < tr->n && tr->fx[i1 + 1].t - tr->fx[i1].t <= pa->o.max_gap_s)
            i1++;
        field_end fe;
        int up = -1, down = -1;
        if (field_end_at(pa, tr, i0, i1, true, &fe)) {
            fe.track = i;
            if ((up = push_field_end(pa, &fe)) < 0)
                return -1;
        }
        if (field_end_at(pa, tr, i0, i1, false, &fe)) {
            fe.track = i;
            if ((down = push_field_end(pa, &fe)) < 0)
                return -1;
        }
        if (open && up >= 0) { /* took off again without a landing seen: close the last */
            m.end = tr->fx[i0 - 1].t;
            if (push_mission(pa, &m) < 0)
                return -1;
            open = false;
        }
        if (!open) {
            m = (mission){i, tr->fx[i0].t, NAN, tr->fx[i0].lat, tr->fx[i0].lon, up, -1};
            open = true;
        }
        if (down >= 0) {
            m.end = tr->fx[i1].t;
            m.landing = down;
            if (push_mission(pa, &m) < 0)
                return -1;
            open = false;
        }
        i0 = i1 + 1;
    }
    if (open) {
        m.end = tr->fx[tr->n - 1].t;
        if (push_mission(pa, &m) < 0)
            return -1;
    }
    return 0;
}

int patrol_mission_at(const aw_patrol *pa, int i, double t)
{
    for (size_t k = 0; k < pa->nms; k++)
        if (pa->ms[k].track == i && pa->ms[k].start <= t && t <= pa->ms[k].end)
            return (int)k;
    return -1;
}

/* ---- straits ------------------------------------------------------------------------ */

static int track_straits(aw_patrol *pa, int i)
{
    const ptrack *tr = &pa->tr[i];
    double last_t[16];
    for (int s = 0; s < 16; s++)
        last_t[s] = -INFINITY;
    for (size_t k = 0; k + 1 < tr->n; k++) {
        const fix *a = &tr->fx[k], *b = &tr->fx[k + 1];
        if (b->t - a->t > pa->o.max_gap_s)
            continue;
        for (int s = 0; s < aw_straits_count() && s < 16; s++) {
            double u;
            int stretch = aw_strait_crossing(aw_strait_at(s), a->lat, a->lon, b->lat, b->lon, &u);
            if (stretch < 0)
                continue;
            double t = a->t + u * (b->t - a->t);
            /* Position noise can make a trail graze a gate twice: one transit in 5 min. */
            if (t - last_t[s] < 300)
                continue;
            last_t[s] = t;
            double azi;
            geod_inverse(aw_wgs84(), a->lat, a->lon, b->lat, b->lon, NULL, &azi, NULL);
            if (patrol_reserve((void **)&pa->cx, &pa->ccx, pa->ncx + 1, sizeof *pa->cx) < 0)
                return -1;
            pa->cx[pa->ncx++] = (crossing){i,
                                           s,
                                           stretch,
                                           t,
                                           a->lat + u * (b->lat - a->lat),
                                           a->lon + u * (b->lon - a->lon),
                                           azi < 0 ? azi + 360 : azi};
        }
    }
    return 0;
}

/* ---- events ------------------------------------------------------------------------- */

static json_t *field_json(const aw_field *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "field", json_string(f->code));
    json_object_set_new(o, "field_name", json_string(f->name));
    json_object_set_new(o, "field_country", json_string(f->country));
    return o;
}

static int field_events(aw_patrol *pa)
{
    for (size_t k = 0; k < pa->nfe; k++) {
        const field_end *fe = &pa->fe[k];
        const ptrack *tr = &pa->tr[fe->track];
        const char *type = fe->landing ? "landing" : "takeoff";
        json_t *o = patrol_event_object(type, tr->id, fe->t, fe->lat, fe->lon);
        json_t *fj = field_json(&fe->f);
        json_object_update(o, fj);
        json_decref(fj);
        json_object_set_new(o, "distance_km", patrol_real(fe->dist_m / 1000, 1));
        add_aircraft(o, tr);
        if (fe->landing)
            json_object_set_new(o, "landed_abroad",
                                tr->nation[0] ? json_boolean(strcmp(tr->nation, fe->f.country) != 0)
                                              : json_null());
        if (patrol_add_event(pa, type, fe->track, fe->t, fe->lat, fe->lon, o) < 0)
            return -1;
    }
    return 0;
}

static int strait_events(aw_patrol *pa)
{
    for (size_t k = 0; k < pa->ncx; k++) {
        const crossing *c = &pa->cx[k];
        const aw_strait *s = aw_strait_at(c->strait);
        const ptrack *tr = &pa->tr[c->track];
        json_t *o = patrol_event_object("strait", tr->id, c->t, c->lat, c->lon);
        json_object_set_new(o, "strait", json_string(s->name));
        const char *ch = s->channel[c->stretch];
        json_object_set_new(o, "channel", ch && *ch ? json_string(ch) : json_null());
        json_object_set_new(o, "heading", json_string(aw_compass16(c->azi)));
        json_object_set_new(o, "approximate", json_true());
        add_aircraft(o, tr);
        if (patrol_add_event(pa, "strait", c->track, c->t, c->lat, c->lon, o) < 0)
            return -1;
    }
    return 0;
}

static int mission_events(aw_patrol *pa)
{
    for (size_t k = 0; k < pa->nms; k++) {
        const mission *m = &pa->ms[k];
        const ptrack *tr = &pa->tr[m->track];
        json_t *o = patrol_event_object("mission", tr->id, m->start, m->lat, m->lon);
        json_object_set_new(o, "start", patrol_time_json(m->start));
        json_object_set_new(o, "end", patrol_time_json(m->end));
        json_object_set_new(o, "duration_s", json_integer((json_int_t)llround(m->end - m->start)));
        json_object_set_new(o, "start_by", json_string(m->takeoff >= 0 ? "takeoff" : "first_seen"));
        json_object_set_new(o, "end_by", json_string(m->landing >= 0 ? "landing" : "last_seen"));
        json_object_set_new(o, "from",
                            m->takeoff >= 0 ? json_string(pa->fe[m->takeoff].f.code) : json_null());
        json_object_set_new(o, "to",
                            m->landing >= 0 ? json_string(pa->fe[m->landing].f.code) : json_null());
        add_aircraft(o, tr);
        if (patrol_add_event(pa, "mission", m->track, m->start, m->lat, m->lon, o) < 0)
            return -1;
    }
    return 0;
}

static int type_rank(const char *type)
{
    static const char *const order[] = {"group",  "escort",  "takeoff",
                                        "strait", "landing", "mission"};
    for (int i = 0; i < 6; i++)
        if (strcmp(order[i], type) == 0)
            return i;
    return 6;
}

static int cmp_event(const void *a, const void *b)
{
    const aw_patrol_event *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    int r = type_rank(x->type) - type_rank(y->type);
    return r ? r : strcmp(x->track, y->track);
}

aw_patrol *aw_patrol_analyse(const aw_position *p, size_t n, const aw_aircraft_db *db,
                             const aw_patrol_options *o, char *err, size_t errlen)
{
    aw_patrol *pa = calloc(1, sizeof *pa);
    if (!pa)
        goto oom;
    if (o)
        pa->o = *o;
    else
        aw_patrol_defaults(&pa->o);
    if (load_tracks(pa, p, n, db) < 0)
        goto oom;
    for (size_t i = 0; i < pa->ntr; i++)
        if (track_missions(pa, (int)i) < 0 || track_straits(pa, (int)i) < 0)
            goto oom;
    if (patrol_find_groups(pa) < 0 || patrol_group_events(pa) < 0 || field_events(pa) < 0 ||
        strait_events(pa) < 0 || mission_events(pa) < 0)
        goto oom;
    if (pa->nev > 1) /* no events: pa->ev is NULL, which qsort must not be given */
        qsort(pa->ev, pa->nev, sizeof *pa->ev, cmp_event);
    return pa;
oom:
    snprintf(err, errlen, "patrol analysis: out of memory");
    aw_patrol_free(pa);
    return NULL;
}

void aw_patrol_free(aw_patrol *pa)
{
    if (!pa)
        return;
    if (pa->ntr)
        free(pa->tr[0].fx); /* one block for all fixes */
    free(pa->tr);
    free(pa->fe);
    free(pa->ms);
    free(pa->cx);
    free(pa->runs);
    for (size_t g = 0; g < pa->ngroups; g++) {
        free(pa->groups[g].members);
        free(pa->groups[g].joined);
        free(pa->groups[g].left);
    }
    free(pa->groups);
    for (size_t i = 0; i < pa->nev; i++)
        free(pa->ev[i].json);
    free(pa->ev);
    free(pa);
}

size_t aw_patrol_event_count(const aw_patrol *pa)
{
    return pa ? pa->nev : 0;
}

const aw_patrol_event *aw_patrol_event_at(const aw_patrol *pa, size_t i)
{
    return pa && i < pa->nev ? &pa->ev[i] : NULL;
}

aw_record aw_patrol_event_record(const aw_patrol_event *ev)
{
    return (aw_record){ev->type, ev->track, ev->time, ev->lat, ev->lon, ev->json};
}
