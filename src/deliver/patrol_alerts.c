/* patrol_alerts.c -- take-offs, landings, groups, escorts, strait transits and missions
 * (patrol.h) as alerts, through the same rules, outbox and sinks as zone events.
 *
 * Patrol events are not seen in one report: they are found on trails. So the alerts keep
 * a trail per track, sampled exactly as the pipeline samples the store's trails (a
 * track's first position, then one at least trail_interval_s after the last kept), and
 * run patrol.h's analysis on them: a replay once at the end of its input, which gives
 * what `adizwatch patrol` gives on the store; a live feed every minute of feed time over
 * the tracks still about, alerting an event only once later reports can no longer change
 * it (alerts.h says when). An event is given to the rules once (a set of the ids given),
 * and its id names it by type, track, zone and time, so a take-off found live and the
 * same take-off found in a replay of the recording are one alert to a receiver.
 *
 * Live memory is bounded by the tracks about: a track silent for an hour has had every
 * event settled and is forgotten, fixes older than twelve hours are dropped, and tracks
 * that are not patrol candidates (a callsign, or civil in the aircraft database, and not
 * military) keep no fixes at all. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/ingest.h"
#include "adizwatch/patrol.h"
#include "deliver/alerts_internal.h"
#include "ingest/id_table.h"

#define PERIOD_S 60.0       /* live: feed time between analyses */
#define QUIET_WALL_S 10.0   /* ... or wall time, once the feed's clock has moved at all */
#define ACTIVE_S 3600.0     /* live: a track silent this long is forgotten */
#define RETAIN_S 43200.0    /* live: fixes older than this are dropped */

typedef struct fixp {
    double t, lat, lon, alt;
} fixp;

typedef struct trail {
    char track[AW_TRACK_ID_MAX];
    char callsign[AW_CALLSIGN_MAX]; /* the last one sampled */
    fixp *fx;
    size_t n, cap;
    double last;  /* time of the last sampled report (also when no fix is kept) */
    bool ignored; /* live: not a patrol candidate, nothing kept */
} trail;

typedef struct trail_ref {
    char track[AW_TRACK_ID_MAX];
    size_t index; /* into patrol_trails.tr */
} trail_ref;

typedef struct member_slot {
    char track[AW_TRACK_ID_MAX];
} member_slot;

typedef struct given_slot {
    char id[AW_TRACK_ID_MAX]; /* the first 31 hex digits of the alert id: 124 bits */
} given_slot;

struct patrol_trails {
    bool live;
    double interval_s;
    aw_patrol_options o;
    trail *tr;
    size_t ntr, ctr;
    id_table ids;   /* track -> trail_ref */
    id_table given; /* of given_slot: events already given to the rules */
    id_table grouped; /* of member_slot: tracks of the groups given (a track is in one group) */
    uint64_t count;
    double clock, analysed_clock, analysed_wall; /* feed time; monotonic wall time */
};

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int aw_alerts_patrol_start(aw_alerts *a, bool live, double trail_interval_s)
{
    if (a->patrol) { /* started already: the mode may change (serve is live) */
        a->patrol->live = live;
        return 0;
    }
    if (!aw_alert_rules_want_patrol(a->rules))
        return 0;
    patrol_trails *pt = calloc(1, sizeof *pt);
    if (!pt)
        return -1;
    pt->live = live;
    pt->interval_s = trail_interval_s > 0 ? trail_interval_s : 30;
    aw_patrol_defaults(&pt->o);
    pt->ids = (id_table)ID_TABLE_INIT(trail_ref, 1024, 1u << 21);
    pt->given = (id_table)ID_TABLE_INIT(given_slot, 256, 1u << 16);
    pt->grouped = (id_table)ID_TABLE_INIT(member_slot, 256, 1u << 16);
    pt->clock = pt->analysed_clock = -INFINITY;
    pt->analysed_wall = wall_s();
    a->patrol = pt;
    return 0;
}

static void trail_free(trail *t) { free(t->fx); }

void alerts_patrol_free(aw_alerts *a)
{
    patrol_trails *pt = a->patrol;
    if (!pt)
        return;
    for (size_t i = 0; i < pt->ntr; i++)
        trail_free(&pt->tr[i]);
    free(pt->tr);
    id_table_free(&pt->ids);
    id_table_free(&pt->given);
    id_table_free(&pt->grouped);
    free(pt);
    a->patrol = NULL;
}

uint64_t aw_alerts_patrol_count(const aw_alerts *a) { return a->patrol ? a->patrol->count : 0; }

/* The trail of a track, made when new (NULL without memory). */
static trail *trail_of(patrol_trails *pt, const char *track)
{
    bool is_new;
    trail_ref *ref = id_table_slot(&pt->ids, track, &is_new);
    if (!ref)
        return NULL;
    if (!is_new)
        return ref->index < pt->ntr ? &pt->tr[ref->index] : NULL;
    ref->index = SIZE_MAX; /* until the trail is made */
    if (pt->ntr == pt->ctr) {
        size_t cap = pt->ctr ? 2 * pt->ctr : 64;
        trail *v = realloc(pt->tr, cap * sizeof *v);
        if (!v)
            return NULL;
        pt->tr = v;
        pt->ctr = cap;
    }
    ref->index = pt->ntr;
    trail *t = &pt->tr[pt->ntr++];
    memset(t, 0, sizeof *t);
    snprintf(t->track, sizeof t->track, "%s", track);
    t->last = -INFINITY;
    return t;
}

/* A track showing a callsign, or civil in the database, and not military is no patrol
 * candidate: patrol.c's own test, on the last callsign sampled as it takes the last of
 * the trail's (live made early, so that such a track keeps nothing). */
static bool candidate(const aw_alerts *a, const trail *t)
{
    aw_identity id;
    aw_identify(a->db, t->track, t->callsign, "", &id);
    if (id.military)
        return true;
    const aw_aircraft *ac = a->db ? aw_aircraft_db_find(a->db, t->track) : NULL;
    return !(ac && ac->cmpg[0] && !ac->military) && !t->callsign[0];
}

void aw_alerts_report(aw_alerts *a, const aw_report *r)
{
    patrol_trails *pt = a->patrol;
    if (!pt || !r->has_position || !isfinite(r->time))
        return;
    if (r->time > pt->clock)
        pt->clock = r->time;
    trail *t = trail_of(pt, r->track);
    if (!t)
        return;
    /* The store's rule: the first, then one at least interval_s after the last kept. */
    if (isfinite(t->last) && r->time - t->last < pt->interval_s)
        return;
    t->last = r->time;
    if (r->callsign[0])
        snprintf(t->callsign, sizeof t->callsign, "%s", r->callsign);
    if (t->ignored)
        return;
    if (pt->live && !candidate(a, t)) {
        t->ignored = true;
        free(t->fx);
        t->fx = NULL;
        t->n = t->cap = 0;
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        fixp *v = realloc(t->fx, cap * sizeof *v);
        if (!v)
            return; /* a fix missing from a trail: the analysis bridges it */
        t->fx = v;
        t->cap = cap;
    }
    t->fx[t->n++] = (fixp){r->time, r->lat, r->lon, r->alt_ft};
}

/* ---- the event as the rules see it ------------------------------------------------ */

/* What an event rests on that the scenario assumed: the first assumed take-off or
 * landing among its tracks, or NULL. */
static const char *assumed_reason(const aw_alerts *a, const char *type, const char *track,
                                  json_t *o)
{
    const char *why = NULL;
    if (!strcmp(type, "takeoff"))
        return alerts_assumed(a, track, "departure");
    if (!strcmp(type, "landing"))
        return alerts_assumed(a, track, "arrival");
    if (!strcmp(type, "mission")) {
        const char *by = json_string_value(json_object_get(o, "start_by"));
        if (by && !strcmp(by, "takeoff"))
            why = alerts_assumed(a, track, "departure");
        by = json_string_value(json_object_get(o, "end_by"));
        if (!why && by && !strcmp(by, "landing"))
            why = alerts_assumed(a, track, "arrival");
        return why;
    }
    static const char *const lists[2] = {"takeoffs", "landings"};
    static const char *const items[2] = {"departure", "arrival"};
    for (int l = 0; l < 2 && !why; l++) {
        size_t i, k;
        json_t *e, *t;
        json_array_foreach(json_object_get(o, lists[l]), i, e)
            json_array_foreach(json_object_get(e, "tracks"), k, t)
                if (!why && json_is_string(t))
                    why = alerts_assumed(a, json_string_value(t), items[l]);
    }
    return why;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Is the event settled at the feed's clock (live)? */
static bool settled(const patrol_trails *pt, const aw_patrol_event *e, json_t *o)
{
    double t = e->time;
    if (!strcmp(e->type, "mission")) {
        const char *end = str_of(o, "end");
        if (aw_parse_time(end, strlen(end), &t) < 0)
            return false;
    }
    return pt->clock - t > pt->o.max_gap_s;
}

/* Live, a group can come back as another (another lead, a later start) once tracks it
 * was linked through are forgotten; but a track belongs to one group only (patrol.h), so
 * a group with a member of a group already given is that group going on. Records the
 * members; true if one was known. */
static bool continued_group(patrol_trails *pt, json_t *o)
{
    bool known = false;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(o, "members"), i, m) {
        const char *track = json_string_value(json_object_get(m, "track"));
        bool is_new;
        if (track && id_table_slot(&pt->grouped, track, &is_new) && !is_new)
            known = true;
    }
    return known;
}

/* Give event e to the rules unless it was given already. */
static int give(aw_alerts *a, const aw_patrol_event *e, bool final, char *err, size_t errlen)
{
    patrol_trails *pt = a->patrol;
    json_t *o = json_loads(e->json, 0, NULL);
    if (!o) {
        snprintf(err, errlen, "patrol: an event that does not parse");
        return -1;
    }
    int rc = 0;
    if (!final && !settled(pt, e, o))
        goto done;
    bool abroad = !strcmp(e->type, "landing") && json_is_true(json_object_get(o, "landed_abroad"));
    bool at_field = !strcmp(e->type, "takeoff") || !strcmp(e->type, "landing");
    const char *zone = at_field ? str_of(o, "field")
                       : !strcmp(e->type, "strait") ? str_of(o, "strait") : "";
    const trail *t = trail_of(pt, e->track);
    const char *callsign = t ? t->callsign : "";
    aw_identity id;
    aw_identify(a->db, e->track, callsign, "", &id);
    const char *reason = a->provenance ? assumed_reason(a, e->type, e->track, o) : NULL;
    aw_alert_input in = {
        .type = abroad ? "landing_abroad" : e->type, .cause = "", .track = e->track,
        .zone = zone, .callsign = callsign,
        .zone_kind = at_field ? "airfield" : zone[0] ? "strait" : "",
        .owner = at_field ? str_of(o, "field_country") : "",
        .nation = id.nation, .military = id.military, .unidentified = id.unidentified,
        .time = e->time, .lat = e->lat, .lon = e->lon, .alt_ft = NAN,
        .event_json = e->json, .basis = reason ? "assumed" : NULL, .basis_reason = reason,
    };
    char aid[AW_ALERT_ID_LEN + 1];
    aw_alert_id(&in, aid);
    aid[AW_TRACK_ID_MAX - 1] = '\0';
    bool is_new;
    if (!id_table_slot(&pt->given, aid, &is_new) || !is_new) {
        if (!strcmp(e->type, "group"))
            continued_group(pt, o); /* its members now */
        goto done; /* given before (or no memory: the outbox drops a repeat by id anyway) */
    }
    if (!strcmp(e->type, "group") && continued_group(pt, o))
        goto done;
    pt->count++;
    rc = alerts_submit(a, &in, err, errlen);
done:
    json_decref(o);
    return rc;
}

/* Analyse the trails (those kept), give the settled events (all when final). Returns
 * the number queued or -1. */
static int analyse(aw_alerts *a, bool final, char *err, size_t errlen)
{
    patrol_trails *pt = a->patrol;
    /* Only the candidates' fixes: the analysis would drop the others itself (the same
     * test), and a day of airliners would otherwise be copied for nothing. */
    size_t n = 0;
    for (size_t i = 0; i < pt->ntr; i++)
        n += candidate(a, &pt->tr[i]) ? pt->tr[i].n : 0;
    aw_position *pos = malloc((n ? n : 1) * sizeof *pos);
    if (!pos) {
        snprintf(err, errlen, "patrol: out of memory");
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < pt->ntr; i++) {
        const trail *t = &pt->tr[i];
        if (!candidate(a, t))
            continue;
        for (size_t j = 0; j < t->n; j++, k++) {
            pos[k] = (aw_position){.time = t->fx[j].t, .lat = t->fx[j].lat,
                                   .lon = t->fx[j].lon, .alt_ft = t->fx[j].alt};
            memcpy(pos[k].track, t->track, sizeof pos[k].track);
            memcpy(pos[k].callsign, t->callsign, sizeof pos[k].callsign);
        }
    }
    aw_patrol *pa = aw_patrol_analyse(pos, n, a->db, &pt->o, err, errlen);
    free(pos);
    if (!pa)
        return -1;
    int queued = 0;
    for (size_t i = 0; i < aw_patrol_event_count(pa); i++) {
        int rc = give(a, aw_patrol_event_at(pa, i), final, err, errlen);
        if (rc < 0) {
            queued = -1;
            break;
        }
        queued += rc;
    }
    aw_patrol_free(pa);
    return queued;
}

/* Live: forget tracks silent for ACTIVE_S and fixes older than RETAIN_S. */
static void forget(patrol_trails *pt)
{
    size_t kept = 0;
    for (size_t i = 0; i < pt->ntr; i++) {
        trail *t = &pt->tr[i];
        if (pt->clock - t->last > ACTIVE_S) {
            trail_free(t);
            continue;
        }
        size_t old = 0;
        while (old < t->n && pt->clock - t->fx[old].t > RETAIN_S)
            old++;
        if (old) {
            memmove(t->fx, t->fx + old, (t->n - old) * sizeof *t->fx);
            t->n -= old;
        }
        pt->tr[kept++] = *t;
    }
    if (kept == pt->ntr)
        return;
    pt->ntr = kept;
    id_table_free(&pt->ids); /* the indexes moved: made again */
    for (size_t i = 0; i < pt->ntr; i++) {
        bool is_new;
        trail_ref *ref = id_table_slot(&pt->ids, pt->tr[i].track, &is_new);
        if (ref)
            ref->index = i;
    }
}

void alerts_patrol_tick(aw_alerts *a)
{
    patrol_trails *pt = a->patrol;
    if (!pt || !pt->live || !isfinite(pt->clock) || pt->clock == pt->analysed_clock)
        return;
    double now = wall_s();
    if (pt->clock - pt->analysed_clock < PERIOD_S && now - pt->analysed_wall < QUIET_WALL_S)
        return;
    pt->analysed_clock = pt->clock;
    pt->analysed_wall = now;
    char err[256];
    if (analyse(a, false, err, sizeof err) < 0)
        fprintf(stderr, "adizwatch: alerts: %s\n", err);
    forget(pt);
}

int aw_alerts_patrol_finish(aw_alerts *a, char *err, size_t errlen)
{
    if (!a->patrol || a->patrol->live)
        return 0;
    return analyse(a, true, err, errlen);
}

int aw_alerts_patrol_analyse(aw_alerts *a, bool all, char *err, size_t errlen)
{
    if (!a->patrol)
        return 0;
    a->patrol->analysed_clock = a->patrol->clock;
    a->patrol->analysed_wall = wall_s();
    return analyse(a, all, err, errlen);
}
