/* scramble.c -- the scramble advisor: who should scramble against which track, and when
 * the scramble is seen to meet it.
 *
 * Per track the advisor keeps a short history of positions (one every few seconds) to
 * estimate the current geodesic course and speed, the identity, and for every zone owner
 * that has interceptor bases an advice state: whether an episode is running (the track is
 * in or heading into the owner's ADIZ), when it was first and last advised, and the
 * course and speed the last advice assumed. Tracks that took off as the owner's fighters
 * carry their take-off; each of their reports is checked against the advised intruders.
 * Rules and thresholds: docs/advice.md. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "adizwatch/intercept.h"
#include "geo/geo.h"

#define KT_MS (1852.0 / 3600.0)
#define MAX_OWNERS 8
#define MAX_OWNER_ZONES 16
#define HIST 64              /* positions kept per track */
#define HIST_SPACING_S 4.0   /* ... at least this far apart */
#define EPISODE_END_S 300.0  /* an episode ends after this long without qualifying */
#define STALE_S 7200.0       /* tracks silent this long are forgotten */
#define SWEEP_S 600.0
#define STEADY_DEG 5.0       /* a course that moved less than this since the last look... */
#define STEADY_FRAC 0.05     /* ... and a speed less than this is steady: a turn is over */
#define MISS_KEEP_S 60.0      /* "no entry ahead" holds this long on the same course and
                               * speed: the horizon's end moves, the answer hardly does */
#define MAX_CLOSING_MPS 515.0 /* 1000 kt: no track closes on a zone faster (a bound for the
                               * cache of "out of reach": at worst one look late) */
#define MAX_INTERCEPTED 16
#define NBUCKETS 4096
#define MATCH_AGE_S 60.0     /* intruder's last report at most this old to be matched */
#define BASE_NAME_M 60000.0  /* take-off base named within this of one of the owner's bases */
#define AIRPORT_NAME_M 30000.0 /* ... or of an airport of the owner's country */

typedef struct owner {
    char code[4];
    int adiz[MAX_OWNER_ZONES], nadiz;
    int terr[MAX_OWNER_ZONES], nterr;
    const aw_airbase *bases[32];
    int nbases;
} owner;

typedef struct owner_state {
    bool active;                 /* an episode is running */
    double first_advice;         /* first advice of the running (or last) episode, NAN none */
    double prev_first_advice;    /* of the episode before */
    double last_advice, last_qualified;
    double course, speed;        /* as the last advice assumed */
    char zone[64];
    const char *best_base, *prev_best_base;
    double far_t, far_d;         /* when the owner's ADIZs were last found out of reach,
                                  * and the nearest boundary then (NAN: not cached) */
    double miss_t, miss_course, miss_speed; /* last look that found no entry ahead (NAN) */
} owner_state;

typedef struct sample {
    double t, lat, lon;
} sample;

typedef struct track {
    struct track *next;          /* hash chain */
    char id[AW_TRACK_ID_MAX];
    char callsign[AW_CALLSIGN_MAX], squawk[AW_SQUAWK_MAX];
    aw_identity identity;
    bool have_identity;
    sample hist[HIST];
    int nhist, head;             /* ring: hist[head] is the newest */
    bool have_pos;
    double t, lat, lon, alt_ft;  /* latest report */
    double rep_speed_kt, rep_track_deg; /* latest reported, NAN unknown */
    double next_eval;
    bool force_eval;
    bool have_prev;              /* course and speed at the previous evaluation */
    double prev_course, prev_speed;
    double unsteady_since;       /* turning or changing speed since then; NAN when steady */
    owner_state os[MAX_OWNERS];
    bool advised;                /* in the advised list */
    /* as an interceptor */
    bool seen;                   /* first position report taken */
    int takeoff_owner;           /* owner index, -1: not a take-off */
    double takeoff_time;
    const char *takeoff_base, *takeoff_icao;
    char intercepted[MAX_INTERCEPTED][AW_TRACK_ID_MAX];
    int nintercepted;
} track;

struct aw_advisor {
    const aw_zone_set *zs;
    const aw_aircraft_db *db;
    aw_advisor_options opt;
    aw_advice_fn fn;
    void *user;
    owner owners[MAX_OWNERS];
    int nowners;
    track *buckets[NBUCKETS];
    track **advised;             /* tracks with any advice, for intercept matching */
    size_t nadvised, capadvised;
    double last_sweep;
};

void aw_advisor_defaults(aw_advisor_options *o)
{
    *o = (aw_advisor_options){.horizon_s = 1800, .turn_deg = 15, .speed_frac = 0.20,
                              .min_interval_s = 180, .course_window_s = 60,
                              .eval_interval_s = 10, .intercept_horizon_s = 10800,
                              .max_flight_s = 3600, .max_bases = 3, .intercept_dist_m = 10 * 1852.0,
                              .takeoff_alt_ft = 10000, .takeoff_base_m = 40000,
                              .max_reaction_s = 7200};
}

double aw_advice_ready_min(const aw_airbase *b)
{
    return isfinite(b->alert_min) ? b->alert_min : 8.0;
}

double aw_advice_cruise_kmh(const aw_airbase *b)
{
    return isfinite(b->cruise_kmh) && b->cruise_kmh > 0 ? b->cruise_kmh : 900.0;
}

/* The air force of each owner: only its bases are the owner's to scramble. */
static const char *air_force(const char *owner)
{
    static const struct {
        const char *iso, *force;
    } t[] = {{"KR", "ROKAF"}, {"JP", "JASDF"}, {"TW", "ROCAF"}, {"CN", "PLAAF"},
             {"RU", "Russian Aerospace Forces"}, {"KP", "KPAF"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].iso, owner) == 0)
            return t[i].force;
    return NULL;
}

bool aw_advice_interceptor_base(const aw_airbase *b, const char *owner)
{
    if (!b || !owner || !b->military || !b->country || strcmp(b->country, owner) != 0)
        return false;
    const char *force = air_force(owner);
    if (force && (!b->operator_ || strcmp(b->operator_, force) != 0))
        return false;
    /* A bomber base says so in its alert posture ("not applicable (bomber base)"). */
    return !b->alert_source || strncmp(b->alert_source, "not applicable", 14) != 0;
}

/* The base table in use: the options' or the theater's. */
static int nbases(const aw_advisor *a)
{
    return a->opt.bases ? a->opt.nbases : aw_airbases_count();
}

static const aw_airbase *base_at(const aw_advisor *a, int i)
{
    return a->opt.bases ? &a->opt.bases[i] : aw_airbase_at(i);
}

static double wrap180(double a)
{
    a = fmod(a + 180.0, 360.0);
    if (a < 0)
        a += 360.0;
    return a - 180.0;
}

static uint32_t hash_id(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static track *find_track(aw_advisor *a, const char *id)
{
    for (track *t = a->buckets[hash_id(id) % NBUCKETS]; t; t = t->next)
        if (strcmp(t->id, id) == 0)
            return t;
    return NULL;
}

static track *get_track(aw_advisor *a, const char *id)
{
    track *t = find_track(a, id);
    if (t)
        return t;
    t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    snprintf(t->id, sizeof t->id, "%s", id);
    t->rep_speed_kt = t->rep_track_deg = t->alt_ft = NAN;
    t->next_eval = -INFINITY;
    t->unsteady_since = NAN;
    t->takeoff_owner = -1;
    for (int i = 0; i < MAX_OWNERS; i++)
        t->os[i].first_advice = t->os[i].prev_first_advice = t->os[i].far_d = t->os[i].miss_t = NAN;
    uint32_t b = hash_id(id) % NBUCKETS;
    t->next = a->buckets[b];
    a->buckets[b] = t;
    return t;
}

aw_advisor *aw_advisor_new(const aw_zone_set *zones, const aw_aircraft_db *db,
                           const aw_advisor_options *opt, aw_advice_fn fn, void *user)
{
    aw_advisor *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->zs = zones;
    a->db = db;
    if (opt)
        a->opt = *opt;
    else
        aw_advisor_defaults(&a->opt);
    if (a->opt.max_bases > AW_ADVICE_MAX_BASES)
        a->opt.max_bases = AW_ADVICE_MAX_BASES;
    a->fn = fn;
    a->user = user;
    a->last_sweep = -INFINITY;
    /* Owners: those with an ADIZ and at least one interceptor base. */
    int nz = aw_zones_count(zones);
    for (int z = 0; z < nz; z++) {
        const aw_zone_info *zi = aw_zones_info(zones, z);
        if (strcmp(zi->kind, "adiz") != 0 || !zi->owner[0] || strlen(zi->owner) > 3)
            continue;
        int k = 0;
        while (k < a->nowners && strcmp(a->owners[k].code, zi->owner) != 0)
            k++;
        if (k == a->nowners) {
            if (k == MAX_OWNERS)
                continue;
            owner *o = &a->owners[a->nowners++];
            memset(o, 0, sizeof *o);
            snprintf(o->code, sizeof o->code, "%s", zi->owner);
        }
        if (a->owners[k].nadiz < MAX_OWNER_ZONES)
            a->owners[k].adiz[a->owners[k].nadiz++] = z;
    }
    for (int k = 0; k < a->nowners; k++) {
        owner *o = &a->owners[k];
        for (int z = 0; z < nz; z++) {
            const aw_zone_info *zi = aw_zones_info(zones, z);
            if (strcmp(zi->kind, "territorial") == 0 && strcmp(zi->owner, o->code) == 0 &&
                o->nterr < MAX_OWNER_ZONES)
                o->terr[o->nterr++] = z;
        }
        for (int i = 0; i < nbases(a) && o->nbases < 32; i++)
            if (aw_advice_interceptor_base(base_at(a, i), o->code))
                o->bases[o->nbases++] = base_at(a, i);
    }
    int kept = 0;
    for (int k = 0; k < a->nowners; k++)
        if (a->owners[k].nbases > 0)
            a->owners[kept++] = a->owners[k];
    a->nowners = kept;
    return a;
}

void aw_advisor_free(aw_advisor *a)
{
    if (!a)
        return;
    for (int b = 0; b < NBUCKETS; b++)
        for (track *t = a->buckets[b], *n; t; t = n) {
            n = t->next;
            free(t);
        }
    free(a->advised);
    free(a);
}

static void identify(aw_advisor *a, track *t)
{
    aw_identify(a->db, t->id, t->callsign, t->squawk, &t->identity);
    t->have_identity = true;
}

/* Current course and speed: the geodesic from the newest kept position at least
 * course_window_s old to the latest report; without one, the reported speed and track. */
static bool estimate(const aw_advisor *a, const track *t, double *course, double *speed)
{
    for (int i = 0; i < t->nhist; i++) {
        const sample *s = &t->hist[(t->head - i + HIST) % HIST];
        double dt = t->t - s->t;
        if (dt < a->opt.course_window_s)
            continue;
        if (dt > 4 * a->opt.course_window_s)
            break; /* a gap: the chord says nothing about now */
        double d, azi2;
        geod_inverse(aw_wgs84(), s->lat, s->lon, t->lat, t->lon, &d, NULL, &azi2);
        *speed = d / dt;
        *course = *speed < 1 ? 0 : fmod(azi2 + 360.0, 360.0);
        return true;
    }
    if (isfinite(t->rep_speed_kt) && isfinite(t->rep_track_deg)) {
        *speed = t->rep_speed_kt * KT_MS;
        *course = t->rep_track_deg;
        return true;
    }
    return false;
}

static bool mark_advised(aw_advisor *a, track *t)
{
    if (t->advised)
        return true;
    if (a->nadvised == a->capadvised) {
        size_t cap = a->capadvised ? 2 * a->capadvised : 16;
        track **p = realloc(a->advised, cap * sizeof *p);
        if (!p)
            return false;
        a->advised = p;
        a->capadvised = cap;
    }
    a->advised[a->nadvised++] = t;
    t->advised = true;
    return true;
}

static int cmp_base(const void *x, const void *y)
{
    const aw_advice_base *p = x, *q = y;
    return p->intercept_time < q->intercept_time ? -1 : p->intercept_time > q->intercept_time;
}

static void advise(aw_advisor *a, track *t, int k, int zone, double ttz, double course,
                   double speed, const char *reason)
{
    const owner *o = &a->owners[k];
    owner_state *st = &t->os[k];
    aw_advice_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = AW_ADVICE_SCRAMBLE;
    snprintf(ev.track, sizeof ev.track, "%s", t->id);
    snprintf(ev.owner, sizeof ev.owner, "%s", o->code);
    snprintf(ev.zone, sizeof ev.zone, "%s", aw_zones_info(a->zs, zone)->id);
    ev.time = t->t;
    ev.lat = t->lat;
    ev.lon = t->lon;
    ev.alt_ft = t->alt_ft;
    ev.identity = t->identity;
    ev.reason = reason;
    ev.course_deg = course;
    ev.speed_mps = speed;
    ev.time_to_zone_s = ttz;
    ev.time_to_territory_s = -1;
    for (int i = 0; i < o->nterr; i++) {
        double tt = aw_time_to_zone(a->zs, o->terr[i], t->lat, t->lon, course, speed,
                                    a->opt.intercept_horizon_s);
        if (tt >= 0 && (ev.time_to_territory_s < 0 || tt < ev.time_to_territory_s)) {
            ev.time_to_territory_s = tt;
            snprintf(ev.territory, sizeof ev.territory, "%s", aw_zones_info(a->zs, o->terr[i])->id);
        }
    }
    aw_advice_base all[32];
    int n = 0;
    for (int i = 0; i < o->nbases; i++) {
        const aw_airbase *b = o->bases[i];
        double ready = aw_advice_ready_min(b), kmh = aw_advice_cruise_kmh(b);
        aw_intercept_input in = {b->lat, b->lon, ready * 60, kmh / 3.6, t->lat, t->lon,
                                 course, speed, a->opt.intercept_horizon_s};
        aw_intercept out;
        if (aw_intercept_solve(&in, &out) < 0 || !out.possible ||
            out.time_s - ready * 60 > a->opt.max_flight_s)
            continue;
        all[n++] = (aw_advice_base){b, ready, kmh, t->t + out.time_s, out.lat, out.lon,
                                    out.fighter_distance_m,
                                    ev.time_to_territory_s < 0 ||
                                        out.time_s <= ev.time_to_territory_s};
    }
    qsort(all, (size_t)n, sizeof all[0], cmp_base);
    ev.nbases = n < a->opt.max_bases ? n : a->opt.max_bases;
    memcpy(ev.bases, all, (size_t)ev.nbases * sizeof all[0]);

    if (!st->active) {
        st->prev_first_advice = st->first_advice;
        st->prev_best_base = st->best_base;
        st->first_advice = t->t;
        st->best_base = ev.nbases ? ev.bases[0].base->name : "";
    }
    st->active = true;
    st->last_advice = t->t;
    st->course = course;
    st->speed = speed;
    snprintf(st->zone, sizeof st->zone, "%s", ev.zone);
    mark_advised(a, t);
    if (a->fn)
        a->fn(&ev, a->user);
}

/* Does the owner want to know about this track? Unidentified or military, and not its
 * own (a track of unknown nation is not the owner's). */
static bool of_interest(const aw_advisor *a, const track *t, const owner *o)
{
    if (!(t->identity.unidentified || t->identity.military) ||
        strcmp(t->identity.nation, o->code) == 0)
        return false;
    const char *f = a->opt.friendly, *n = t->identity.nation;
    size_t len = strlen(n);
    if (!f || !len)
        return true;
    for (const char *p = f; (p = strstr(p, n)) != NULL; p += len)
        if ((p == f || p[-1] == ',' || p[-1] == ' ') && (p[len] == '\0' || p[len] == ',' || p[len] == ' '))
            return false; /* an identified friend */
    return true;
}

static void evaluate(aw_advisor *a, track *t)
{
    double course, speed;
    bool have = estimate(a, t, &course, &speed);
    /* Re-advise once a turn or speed change is over, not midway through it (then the
     * next advice would follow at once); an intruder that never settles (an orbit) is
     * re-advised at twice the minimum interval. */
    bool steady = have && t->have_prev && fabs(wrap180(course - t->prev_course)) < STEADY_DEG &&
                  fabs(speed - t->prev_speed) <= STEADY_FRAC * fmax(speed, 1.0);
    if (steady || !have)
        t->unsteady_since = NAN;
    else if (isnan(t->unsteady_since))
        t->unsteady_since = t->t;
    t->have_prev = have;
    if (have) {
        t->prev_course = course;
        t->prev_speed = speed;
    }
    for (int k = 0; k < a->nowners; k++) {
        const owner *o = &a->owners[k];
        owner_state *st = &t->os[k];
        if (!of_interest(a, t, o))
            continue;
        int zone = -1;
        double ttz = -1;
        /* Far from every ADIZ of the owner at the last look, and not yet able to be near:
         * no boundary distances (the costly part) until it could be. */
        double reach = have ? speed * a->opt.horizon_s : 0;
        bool far = !isnan(st->far_d) && st->far_d - MAX_CLOSING_MPS * (t->t - st->far_t) > reach;
        double nearest = INFINITY;
        bool missed = have && t->t - st->miss_t < MISS_KEEP_S &&
                      fabs(wrap180(course - st->miss_course)) < STEADY_DEG &&
                      fabs(speed - st->miss_speed) <= STEADY_FRAC * fmax(speed, 1.0);
        bool predicted = false;
        for (int i = 0; i < o->nadiz; i++) {
            int z = o->adiz[i];
            double tz;
            if (aw_zone_contains_2d(a->zs, z, t->lat, t->lon)) {
                tz = 0;
                nearest = 0;
            } else if (far || !have || speed < 1) {
                continue;
            } else {
                double d = aw_zone_boundary_distance(a->zs, z, t->lat, t->lon);
                nearest = fmin(nearest, d);
                if (d > reach || missed)
                    continue; /* cannot get there within the horizon, or did not just now */
                tz = aw_time_to_zone(a->zs, z, t->lat, t->lon, course, speed, a->opt.horizon_s);
                predicted = true;
            }
            if (tz >= 0 && (ttz < 0 || tz < ttz)) {
                ttz = tz;
                zone = z;
            }
        }
        if (predicted && zone < 0) {
            st->miss_t = t->t;
            st->miss_course = course;
            st->miss_speed = speed;
        } else if (!missed) {
            st->miss_t = NAN;
        }
        if (!far) {
            bool out_of_reach = have && speed >= 1 && isfinite(nearest) && nearest > reach;
            st->far_d = out_of_reach ? nearest : NAN;
            st->far_t = t->t;
        }
        if (zone < 0) {
            if (st->active && t->t - st->last_qualified > EPISODE_END_S)
                st->active = false;
            continue;
        }
        st->last_qualified = t->t;
        if (!have)
            continue; /* inside, but no course yet: the next report will have one */
        if (!st->active) {
            advise(a, t, k, zone, ttz, course, speed, ttz > 0 ? "heading" : "inside");
            continue;
        }
        if (t->t - st->last_advice < a->opt.min_interval_s)
            continue;
        double dturn = fabs(wrap180(course - st->course));
        double dspeed = st->speed > 0 ? fabs(speed - st->speed) / st->speed : (speed > 0 ? 1 : 0);
        bool settled = steady || t->t - t->unsteady_since >= 2 * a->opt.min_interval_s;
        if (settled && (dturn > a->opt.turn_deg || dspeed > a->opt.speed_frac)) {
            advise(a, t, k, zone, ttz, course, speed, dturn > a->opt.turn_deg ? "turn" : "speed");
        }
    }
}

/* The first position report of a military track of an owner's nation: a take-off if it is
 * low or near one of the owner's bases; the base is named when one is near. */
static void first_seen(aw_advisor *a, track *t)
{
    t->seen = true;
    if (!t->identity.military || !t->identity.nation[0])
        return;
    int k = 0;
    while (k < a->nowners && strcmp(a->owners[k].code, t->identity.nation) != 0)
        k++;
    if (k == a->nowners)
        return;
    const owner *o = &a->owners[k];
    const aw_airbase *near = NULL;
    double near_d = INFINITY;
    for (int i = 0; i < nbases(a); i++) {
        const aw_airbase *b = base_at(a, i);
        if (!b->military || strcmp(b->country, o->code) != 0)
            continue;
        double d = aw_geodesic_distance(t->lat, t->lon, b->lat, b->lon);
        if (d < near_d) {
            near_d = d;
            near = b;
        }
    }
    bool low = isfinite(t->alt_ft) && t->alt_ft < a->opt.takeoff_alt_ft;
    if (!low && near_d > a->opt.takeoff_base_m)
        return;
    t->takeoff_owner = k;
    t->takeoff_time = t->t;
    t->takeoff_base = t->takeoff_icao = "";
    if (near && near_d <= BASE_NAME_M) {
        t->takeoff_base = near->name;
        t->takeoff_icao = near->icao;
        return;
    }
    double d;
    const aw_airport *ap = aw_airport_nearest(t->lat, t->lon, &d);
    if (ap && d <= AIRPORT_NAME_M && strcmp(ap->country, o->code) == 0) {
        t->takeoff_base = ap->name;
        t->takeoff_icao = ap->ident;
    }
}

static bool already_intercepted(const track *f, const char *id)
{
    for (int i = 0; i < f->nintercepted; i++)
        if (strcmp(f->intercepted[i], id) == 0)
            return true;
    return false;
}

/* An interceptor's report: is an intruder advised to its owner before its take-off
 * within reach? */
static void check_intercepts(aw_advisor *a, track *f)
{
    int k = f->takeoff_owner;
    if (k < 0 || f->nintercepted >= MAX_INTERCEPTED)
        return;
    for (size_t i = 0; i < a->nadvised; i++) {
        track *x = a->advised[i];
        if (x == f || !x->have_pos || fabs(f->t - x->t) > MATCH_AGE_S)
            continue;
        const owner_state *st = &x->os[k];
        double adv = st->first_advice;
        const char *best = st->best_base;
        if (!(adv <= f->takeoff_time)) { /* the running episode began after the take-off */
            adv = st->prev_first_advice;
            best = st->prev_best_base;
        }
        if (!(adv <= f->takeoff_time) || f->takeoff_time - adv > a->opt.max_reaction_s)
            continue;
        if (already_intercepted(f, x->id))
            continue;
        double lat = x->lat, lon = x->lon, course, speed;
        if (f->t != x->t && estimate(a, x, &course, &speed))
            geod_direct(aw_wgs84(), x->lat, x->lon, course, speed * (f->t - x->t), &lat, &lon, NULL);
        double d = aw_geodesic_distance(f->lat, f->lon, lat, lon);
        if (d > a->opt.intercept_dist_m)
            continue;
        snprintf(f->intercepted[f->nintercepted++], AW_TRACK_ID_MAX, "%s", x->id);
        aw_advice_event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = AW_ADVICE_INTERCEPT;
        snprintf(ev.track, sizeof ev.track, "%s", x->id);
        snprintf(ev.owner, sizeof ev.owner, "%s", a->owners[k].code);
        snprintf(ev.zone, sizeof ev.zone, "%s", st->zone);
        snprintf(ev.interceptor, sizeof ev.interceptor, "%s", f->id);
        ev.time = f->t;
        ev.lat = f->lat;
        ev.lon = f->lon;
        ev.alt_ft = f->alt_ft;
        ev.identity = x->identity;
        ev.reason = "";
        ev.distance_m = d;
        ev.advice_time = adv;
        ev.takeoff_time = f->takeoff_time;
        ev.takeoff_base = f->takeoff_base;
        ev.takeoff_icao = f->takeoff_icao;
        ev.advised_base = best ? best : "";
        ev.time_to_territory_s = -1;
        if (a->fn)
            a->fn(&ev, a->user);
        if (f->nintercepted >= MAX_INTERCEPTED)
            return;
    }
}

/* Forget tracks silent for STALE_S (an intruder that long gone cannot be met). */
static void sweep(aw_advisor *a, double now)
{
    a->last_sweep = now;
    for (int b = 0; b < NBUCKETS; b++) {
        track **pp = &a->buckets[b];
        while (*pp) {
            track *t = *pp;
            if (t->have_pos && now - t->t > STALE_S) {
                *pp = t->next;
                for (size_t i = 0; i < a->nadvised; i++)
                    if (a->advised[i] == t) {
                        a->advised[i] = a->advised[--a->nadvised];
                        break;
                    }
                free(t);
            } else {
                pp = &t->next;
            }
        }
    }
}

int aw_advisor_report(aw_advisor *a, const aw_report *r)
{
    if (!r->track[0] || !isfinite(r->time))
        return 0;
    track *t = get_track(a, r->track);
    if (!t)
        return -1;
    bool ident_changed = !t->have_identity;
    if (r->callsign[0] && strcmp(r->callsign, t->callsign) != 0) {
        snprintf(t->callsign, sizeof t->callsign, "%s", r->callsign);
        ident_changed = true;
    }
    if (r->squawk[0] && strcmp(r->squawk, t->squawk) != 0) {
        snprintf(t->squawk, sizeof t->squawk, "%s", r->squawk);
        ident_changed = true;
    }
    if (ident_changed)
        identify(a, t);
    if (isfinite(r->speed_kt))
        t->rep_speed_kt = r->speed_kt;
    if (isfinite(r->track_deg))
        t->rep_track_deg = r->track_deg;
    if (!r->has_position || !isfinite(r->lat) || !isfinite(r->lon))
        return 0;
    if (t->have_pos && r->time <= t->t)
        return 0; /* out of order: the engine drops it too */
    if (t->have_pos && (t->nhist == 0 || t->t - t->hist[t->head].t >= HIST_SPACING_S)) {
        t->head = (t->head + 1) % HIST;
        t->hist[t->head] = (sample){t->t, t->lat, t->lon};
        if (t->nhist < HIST)
            t->nhist++;
    }
    t->have_pos = true;
    t->t = r->time;
    t->lat = r->lat;
    t->lon = r->lon;
    t->alt_ft = r->alt_ft;
    if (!t->seen)
        first_seen(a, t);
    if (t->force_eval || t->t >= t->next_eval) {
        t->force_eval = false;
        t->next_eval = t->t + a->opt.eval_interval_s;
        evaluate(a, t);
    }
    if (t->takeoff_owner >= 0)
        check_intercepts(a, t);
    if (r->time - a->last_sweep >= SWEEP_S)
        sweep(a, r->time);
    return 0;
}

void aw_advisor_event(aw_advisor *a, const aw_event *ev)
{
    track *t = find_track(a, ev->track);
    if (!t)
        return;
    if (ev->type == AW_ENTER) {
        int z = aw_zones_find(a->zs, ev->zone);
        if (z >= 0 && strcmp(aw_zones_info(a->zs, z)->kind, "adiz") == 0)
            t->force_eval = true;
    } else if (ev->cause == AW_LOST) {
        /* Silent past the timeout: whatever comes back is advised afresh. */
        for (int k = 0; k < a->nowners; k++)
            t->os[k].active = false;
    }
}

const char *aw_advice_kind_name(aw_advice_kind k)
{
    return k == AW_ADVICE_INTERCEPT ? "intercept" : "scramble_advice";
}
