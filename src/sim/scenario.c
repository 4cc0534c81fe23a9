/* scenario.c -- scenario JSON to the simulator's structures, every problem named.
 *
 * A scenario is written by hand, so a mistake must come back as a sentence with the
 * JSON path ("aircraft[3].plan.waypoints[2]: speed_kt must be a positive number"), all
 * of them in one go, and nothing is flown until the whole file is sound. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "adizwatch/theater.h"
#include "sim/sim_internal.h"

typedef struct ctx {
    aw_sim_problem_fn fn;
    void *user;
    int problems;
} ctx;

static void problem(ctx *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->fn)
        c->fn(msg, c->user);
}

/* A number member: absent gives def (NAN def = required); out of [lo, hi] is a problem. */
static double num(ctx *c, json_t *o, const char *key, double def, double lo, double hi,
                  const char *path)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (isnan(def))
            problem(c, "%s: %s is required", path, key);
        return def;
    }
    if (!json_is_number(v)) {
        problem(c, "%s: %s must be a number", path, key);
        return def;
    }
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
        problem(c, "%s: %s = %g is outside %g..%g", path, key, x, lo, hi);
        return isnan(def) ? lo : def;
    }
    return x;
}

/* A string member copied into dst ("" if absent or null). */
static void str(ctx *c, json_t *o, const char *key, char *dst, size_t n, const char *path)
{
    dst[0] = '\0';
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return;
    if (!json_is_string(v) || json_string_length(v) >= n) {
        problem(c, "%s: %s must be a string of at most %zu bytes", path, key, n - 1);
        return;
    }
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
}

/* A place: "airfield" (air base or airport code) or lat/lon. *elev_ft gets the field
 * elevation (0 when not known). */
static bool place(ctx *c, json_t *o, const char *path, double *lat, double *lon, double *elev_ft)
{
    *elev_ft = 0;
    json_t *af = json_object_get(o, "airfield");
    if (af) {
        const char *code = json_string_value(af);
        const aw_airport *ap = code ? aw_airport_find(code) : NULL;
        const aw_airbase *ab = code ? aw_airbase_find(code) : NULL;
        if (!ab && !ap) {
            problem(c, "%s: airfield \"%s\" is not a known air base or airport code "
                       "(adizwatch where --bases)", path, code ? code : "?");
            return false;
        }
        *lat = ab ? ab->lat : ap->lat;
        *lon = ab ? ab->lon : ap->lon;
        if (ap && isfinite(ap->elevation_ft))
            *elev_ft = ap->elevation_ft;
        *elev_ft = num(c, o, "elevation_ft", *elev_ft, -1000, 20000, path);
        return true;
    }
    *lat = num(c, o, "lat", NAN, -90, 90, path);
    *lon = num(c, o, "lon", NAN, -180, 360, path);
    *elev_ft = num(c, o, "elevation_ft", 0, -1000, 20000, path);
    return isfinite(*lat) && isfinite(*lon);
}

/* A route: an array of waypoints, plus optionally the arrival airfield at its end.
 * Altitude and speed default to the previous waypoint's (prev_alt/prev_speed). */
static void route(ctx *c, json_t *arr, json_t *arrival, const char *path, sim_route *r,
                  double prev_alt, double prev_speed)
{
    if (arr && !json_is_array(arr)) {
        problem(c, "%s must be an array of waypoints", path);
        arr = NULL;
    }
    int n = arr ? (int)json_array_size(arr) : 0;
    r->wp = calloc((size_t)n + 1, sizeof *r->wp);
    r->n = 0;
    if (!r->wp) {
        problem(c, "out of memory");
        return;
    }
    char p[256];
    for (int i = 0; i < n; i++) {
        json_t *w = json_array_get(arr, i);
        snprintf(p, sizeof p, "%s[%d]", path, i);
        if (!json_is_object(w)) {
            problem(c, "%s must be an object", p);
            continue;
        }
        sim_waypoint *wp = &r->wp[r->n++];
        double elev;
        str(c, w, "name", wp->name, sizeof wp->name, p);
        place(c, w, p, &wp->lat, &wp->lon, &elev);
        wp->alt_ft = num(c, w, "alt_ft", prev_alt, -1000, 70000, p);
        wp->speed_kt = num(c, w, "speed_kt", prev_speed, 1, 2000, p);
        json_t *fo = json_object_get(w, "fly_over");
        wp->fly_over = fo && json_is_true(fo);
        wp->passed = NAN;
        prev_alt = wp->alt_ft;
        prev_speed = wp->speed_kt;
    }
    if (arrival) {
        snprintf(p, sizeof p, "%s (arrival)", path);
        if (!json_is_object(arrival)) {
            problem(c, "%s must be an object", p);
            return;
        }
        sim_waypoint *wp = &r->wp[r->n];
        double elev;
        if (!place(c, arrival, p, &wp->lat, &wp->lon, &elev))
            return;
        str(c, arrival, "name", wp->name, sizeof wp->name, p);
        if (!wp->name[0]) {
            json_t *af = json_object_get(arrival, "airfield");
            snprintf(wp->name, sizeof wp->name, "%s", af ? json_string_value(af) : "arrival");
        }
        wp->alt_ft = elev;
        wp->speed_kt = num(c, arrival, "speed_kt", 150, 50, 400, p);
        wp->landing = true;
        wp->passed = NAN;
        r->n++;
    }
}

static bool id_chars_ok(const char *s, bool hex)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        bool ok = hex ? (strchr("0123456789abcdefABCDEF", *s) != NULL)
                      : ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
                         (*s >= 'a' && *s <= 'z') || *s == '-');
        if (!ok)
            return false;
    }
    return true;
}

static void aircraft(ctx *c, json_t *o, int i, sim_aircraft *a)
{
    char p[64];
    snprintf(p, sizeof p, "aircraft[%d]", i);
    if (!json_is_object(o)) {
        problem(c, "%s must be an object", p);
        return;
    }
    char icao[16], track[AW_TRACK_ID_MAX];
    str(c, o, "icao", icao, sizeof icao, p);
    str(c, o, "track", track, sizeof track, p);
    if (!!icao[0] == !!track[0])
        problem(c, "%s: give exactly one of icao (24-bit address) and track (radar track "
                   "number)", p);
    else if (icao[0] && (strlen(icao) != 6 || !id_chars_ok(icao, true)))
        problem(c, "%s: icao \"%s\" is not 6 hex digits", p, icao);
    else if (track[0] && !id_chars_ok(track, false))
        problem(c, "%s: track \"%s\" must be letters, digits and '-'", p, track);
    a->info.icao = icao[0] != '\0';
    snprintf(a->id, sizeof a->id, "%s", icao[0] ? icao : track);
    for (char *q = a->id; a->info.icao && *q; q++)
        if (*q >= 'A' && *q <= 'F')
            *q = (char)(*q - 'A' + 'a');
    str(c, o, "callsign", a->callsign, sizeof a->callsign, p);
    str(c, o, "squawk", a->squawk, sizeof a->squawk, p);
    if (a->squawk[0] && (strlen(a->squawk) != 4 || strspn(a->squawk, "01234567") != 4))
        problem(c, "%s: squawk \"%s\" is not 4 octal digits", p, a->squawk);
    str(c, o, "type", a->type, sizeof a->type, p);
    str(c, o, "nationality", a->nationality, sizeof a->nationality, p);
    str(c, o, "airframe", a->airframe, sizeof a->airframe, p);

    json_t *perf = json_object_get(o, "performance");
    json_t *pe = perf ? perf : json_object();
    char pp[96];
    snprintf(pp, sizeof pp, "%s.performance", p);
    a->climb_fpm = num(c, pe, "climb_fpm", 2000, 100, 60000, pp);
    a->descent_fpm = num(c, pe, "descent_fpm", 2500, 100, 60000, pp);
    a->max_bank_deg = num(c, pe, "max_bank_deg", 25, 5, 80, pp);
    a->turn_rate_dps = num(c, pe, "turn_rate_dps", 3, 0.1, 30, pp);
    a->accel_kt_s = num(c, pe, "accel_kt_s", 1.5, 0.1, 50, pp);
    if (!perf)
        json_decref(pe);

    a->leader = -1;
    a->join.aircraft = a->leave.aircraft = -1;
    json_t *plan = json_object_get(o, "plan");
    if (!plan)
        return; /* a wingman that only flies in formation */
    snprintf(pp, sizeof pp, "%s.plan", p);
    if (!json_is_object(plan)) {
        problem(c, "%s must be an object", pp);
        return;
    }
    json_t *dep = json_object_get(plan, "departure");
    double elev = 0;
    a->dep_alt_ft = a->dep_speed_kt = NAN; /* without a departure, waypoints must say */
    if (dep) {
        char dp[128];
        snprintf(dp, sizeof dp, "%s.departure", pp);
        a->has_departure = place(c, dep, dp, &a->dep_lat, &a->dep_lon, &elev);
        json_t *tv = json_object_get(dep, "time");
        if (!json_is_string(tv) ||
            aw_parse_time(json_string_value(tv), json_string_length(tv), &a->dep_time) != 0) {
            problem(c, "%s: time must be an ISO 8601 time with a zone", dp);
            a->has_departure = false;
        }
        a->dep_alt_ft = num(c, dep, "alt_ft", elev, -1000, 70000, dp);
        a->dep_speed_kt = num(c, dep, "speed_kt", 150, 1, 2000, dp);
        a->dep_heading = json_object_get(dep, "heading_deg")
                             ? num(c, dep, "heading_deg", 0, 0, 360, dp)
                             : NAN; /* toward the first waypoint */
        str(c, dep, "assumed", a->dep_assumed, sizeof a->dep_assumed, dp);
    }
    char rp[128];
    snprintf(rp, sizeof rp, "%s.waypoints", pp);
    json_t *after = json_object_get(plan, "after_leave");
    json_t *arrival = json_object_get(plan, "arrival");
    if (json_is_object(arrival)) {
        char ap[128];
        snprintf(ap, sizeof ap, "%s.arrival", pp);
        str(c, arrival, "assumed", a->arr_assumed, sizeof a->arr_assumed, ap);
    }
    route(c, json_object_get(plan, "waypoints"), after ? NULL : arrival, rp, &a->route,
          a->dep_alt_ft, a->dep_speed_kt);
    if (after) {
        snprintf(rp, sizeof rp, "%s.after_leave", pp);
        double alt = a->route.n ? a->route.wp[a->route.n - 1].alt_ft : a->dep_alt_ft;
        double spd = a->route.n ? a->route.wp[a->route.n - 1].speed_kt : a->dep_speed_kt;
        route(c, after, arrival, rp, &a->after, alt, spd);
    }
}

/* "WP" (a waypoint of default_ac) or "AIRCRAFT:WP". */
static void ref(ctx *c, aw_sim *s, json_t *v, int default_ac, const char *path, sim_ref *r)
{
    r->aircraft = -1;
    if (!v || json_is_null(v))
        return;
    const char *t = json_string_value(v);
    if (!t || !*t) {
        problem(c, "%s must be \"WAYPOINT\" or \"AIRCRAFT:WAYPOINT\"", path);
        return;
    }
    const char *colon = strchr(t, ':');
    int ac = default_ac;
    const char *wp = t;
    if (colon) {
        char id[AW_TRACK_ID_MAX];
        snprintf(id, sizeof id, "%.*s", (int)(colon - t), t);
        ac = aw_sim_find(s, id);
        wp = colon + 1;
        if (ac < 0) {
            problem(c, "%s: no aircraft \"%s\"", path, id);
            return;
        }
    }
    if (ac < 0 || !sim_find_waypoint(&s->ac[ac], wp)) {
        problem(c, "%s: aircraft %s has no waypoint \"%s\"", path, ac >= 0 ? s->ac[ac].id : "?",
                wp);
        return;
    }
    r->aircraft = ac;
    snprintf(r->waypoint, sizeof r->waypoint, "%s", wp);
}

static void formations(ctx *c, aw_sim *s, json_t *arr)
{
    if (!arr)
        return;
    if (!json_is_array(arr)) {
        problem(c, "formations must be an array");
        return;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *f = json_array_get(arr, i);
        char p[64];
        snprintf(p, sizeof p, "formations[%zu]", i);
        const char *lid = json_string_value(json_object_get(f, "leader"));
        int leader = lid ? aw_sim_find(s, lid) : -1;
        if (leader < 0) {
            problem(c, "%s: leader must name an aircraft", p);
            continue;
        }
        json_t *members = json_object_get(f, "members");
        if (!json_is_array(members) || json_array_size(members) == 0) {
            problem(c, "%s: members must be a non-empty array", p);
            continue;
        }
        for (size_t k = 0; k < json_array_size(members); k++) {
            json_t *m = json_array_get(members, k);
            char mp[96];
            snprintf(mp, sizeof mp, "%s.members[%zu]", p, k);
            const char *mid = json_string_value(json_object_get(m, "aircraft"));
            int mi = mid ? aw_sim_find(s, mid) : -1;
            if (mi < 0 || mi == leader) {
                problem(c, "%s: aircraft must name another aircraft", mp);
                continue;
            }
            sim_aircraft *a = &s->ac[mi];
            if (a->leader >= 0) {
                problem(c, "%s: %s is already in a formation", mp, a->id);
                continue;
            }
            a->leader = leader;
            a->behind_m = num(c, m, "behind_m", 0, -20000, 20000, mp);
            a->right_m = num(c, m, "right_m", 0, -20000, 20000, mp);
            a->above_ft = num(c, m, "above_ft", 0, -10000, 10000, mp);
            if (a->behind_m == 0 && a->right_m == 0)
                problem(c, "%s: a wingman needs an offset (behind_m, right_m)", mp);
            a->join_speed_kt = num(c, f, "join_speed_kt", 60, 5, 500, p);
            char jp[128];
            snprintf(jp, sizeof jp, "%s.join_at", p);
            ref(c, s, json_object_get(f, "join_at"), leader, jp, &a->join);
            snprintf(jp, sizeof jp, "%s.leave_at", p);
            ref(c, s, json_object_get(f, "leave_at"), leader, jp, &a->leave);
            bool joins_late = json_object_get(f, "join_at") != NULL;
            if (joins_late && (!a->has_departure))
                problem(c, "%s: %s joins at a waypoint, so it needs its own plan with a "
                           "departure", mp, a->id);
            if (!joins_late && a->has_departure)
                problem(c, "%s: %s flies in formation from the leader's departure, so it "
                           "takes no departure of its own (or give join_at)", mp, a->id);
            if (a->leave.aircraft >= 0 && a->after.n == 0)
                problem(c, "%s: %s leaves the formation but has no after_leave waypoints "
                           "or arrival", mp, a->id);
        }
    }
}

static void sensors(ctx *c, aw_sim *s, json_t *o)
{
    if (o && !json_is_object(o)) {
        problem(c, "sensors must be an object");
        o = NULL;
    }
    json_t *e = o ? o : json_object();
    s->interval_s = num(c, e, "report_interval_s", 10, 0.1, 3600, "sensors");
    s->noise_m = num(c, e, "noise_m", 0, 0, 100000, "sensors");
    s->alt_noise_ft = num(c, e, "alt_noise_ft", 0, 0, 10000, "sensors");
    s->alt_round_ft = num(c, e, "alt_round_ft", 0, 0, 1000, "sensors");
    s->dropout = num(c, e, "dropout", 0, 0, 0.99, "sensors");
    json_t *obs = json_object_get(e, "observers");
    if (obs && !json_is_array(obs))
        problem(c, "sensors.observers must be an array");
    size_t n = json_is_array(obs) ? json_array_size(obs) : 0;
    s->obs = calloc(n + 1, sizeof *s->obs);
    for (size_t i = 0; s->obs && i < n; i++) {
        json_t *ob = json_array_get(obs, i);
        char p[64];
        snprintf(p, sizeof p, "sensors.observers[%zu]", i);
        sim_observer *so = &s->obs[s->nobs++];
        str(c, ob, "id", so->id, sizeof so->id, p);
        if (!so->id[0])
            problem(c, "%s: id is required", p);
        json_t *sites = json_object_get(ob, "sites");
        size_t ns = json_is_array(sites) ? json_array_size(sites) : 0;
        if (ns == 0)
            problem(c, "%s: sites must be a non-empty array", p);
        so->sites = calloc(ns + 1, sizeof *so->sites);
        for (size_t k = 0; so->sites && k < ns; k++) {
            json_t *st = json_array_get(sites, k);
            char sp[96];
            snprintf(sp, sizeof sp, "%s.sites[%zu]", p, k);
            sim_site *site = &so->sites[so->nsites++];
            double elev;
            str(c, st, "name", site->name, sizeof site->name, sp);
            place(c, st, sp, &site->lat, &site->lon, &elev);
            site->antenna_m = num(c, st, "antenna_m", NAN, 0, 10000, sp);
            site->range_km = num(c, st, "range_km", NAN, 1, 5000, sp);
        }
    }
    if (!o)
        json_decref(e);
}

/* The scenario's name, title and general assumptions: what a report cites as its basis. */
static void about(ctx *c, aw_sim *s, json_t *root)
{
    str(c, root, "name", s->name, sizeof s->name, "scenario");
    json_t *t = json_object_get(root, "title");
    s->title = strdup(json_is_string(t) ? json_string_value(t) : "");
    json_t *arr = json_object_get(root, "assumptions");
    if (arr && !json_is_array(arr)) {
        problem(c, "assumptions must be an array of {\"what\", \"why\"}");
        return;
    }
    size_t n = arr ? json_array_size(arr) : 0;
    s->assumptions = calloc(n + 1, sizeof *s->assumptions);
    for (size_t i = 0; s->assumptions && i < n; i++) {
        json_t *a = json_array_get(arr, i);
        const char *what = json_string_value(json_object_get(a, "what"));
        const char *why = json_string_value(json_object_get(a, "why"));
        if (!what) {
            problem(c, "assumptions[%zu]: what must be a string", i);
            continue;
        }
        sim_assumption *sa = &s->assumptions[s->nassumptions++];
        sa->what = strdup(what);
        sa->why = strdup(why ? why : "");
    }
}

aw_sim *aw_sim_load_string(const char *json, size_t len, aw_sim_problem_fn fn, void *user)
{
    ctx c = {fn, user, 0};
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    if (!root) {
        problem(&c, "not valid JSON: line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    aw_sim *s = calloc(1, sizeof *s);
    json_t *acs = json_object_get(root, "aircraft");
    if (!s || !json_is_object(root) || !json_is_array(acs) || json_array_size(acs) == 0) {
        problem(&c, "a scenario is an object with a non-empty \"aircraft\" array");
        json_decref(root);
        aw_sim_free(s);
        return NULL;
    }
    s->step_s = 1.0;
    about(&c, s, root);
    size_t n = json_array_size(acs);
    s->ac = calloc(n, sizeof *s->ac);
    if (!s->ac) {
        problem(&c, "out of memory");
        json_decref(root);
        aw_sim_free(s);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        aircraft(&c, json_array_get(acs, i), (int)i, &s->ac[i]);
        s->nac++;
        for (size_t k = 0; k < i; k++)
            if (s->ac[i].id[0] && strcmp(s->ac[i].id, s->ac[k].id) == 0)
                problem(&c, "aircraft[%zu]: id %s is used twice", i, s->ac[i].id);
    }
    formations(&c, s, json_object_get(root, "formations"));
    for (int i = 0; i < s->nac; i++) {
        sim_aircraft *a = &s->ac[i];
        if (a->leader < 0 && (!a->has_departure || a->route.n == 0))
            problem(&c, "aircraft[%d] (%s): needs a plan with a departure and at least one "
                        "waypoint or an arrival (or a place in a formation)", i, a->id);
    }
    sensors(&c, s, json_object_get(root, "sensors"));
    json_decref(root);
    if (c.problems == 0) {
        char err[256];
        if (sim_fly_all(s, err, sizeof err) != 0)
            problem(&c, "%s", err);
    }
    if (c.problems) {
        aw_sim_free(s);
        return NULL;
    }
    for (int i = 0; i < s->nac; i++) {
        sim_aircraft *a = &s->ac[i];
        a->info.id = a->id;
        a->info.callsign = a->callsign;
        a->info.squawk = a->squawk;
        a->info.type = a->type;
        a->info.nationality = a->nationality;
        a->info.airframe = a->airframe[0] ? a->airframe : a->id;
        /* A wingman flying its leader's plan takes off and lands with it. */
        const sim_aircraft *planner = a;
        while (!planner->has_departure && planner->leader >= 0)
            planner = &s->ac[planner->leader];
        a->info.departure_assumed = a->has_departure ? a->dep_assumed : planner->dep_assumed;
        a->info.arrival_assumed = a->arr_assumed[0] || a->has_departure || a->after.n
                                      ? a->arr_assumed
                                      : planner->arr_assumed;
        a->info.leader = a->leader;
        a->info.start = a->n ? a->s[0].t : NAN;
        a->info.end = a->n ? a->s[a->n - 1].t : NAN;
    }
    return s;
}

aw_sim *aw_sim_load(const char *spec, aw_sim_problem_fn fn, void *user)
{
    ctx c = {fn, user, 0};
    if (strncmp(spec, AW_SIM_BUILTIN_PREFIX, strlen(AW_SIM_BUILTIN_PREFIX)) == 0) {
        size_t len;
        const char *json = aw_sim_builtin_json(spec + strlen(AW_SIM_BUILTIN_PREFIX), &len);
        if (!json) {
            problem(&c, "no built-in scenario \"%s\" (known: 2022-11-30)", spec);
            return NULL;
        }
        return aw_sim_load_string(json, len, fn, user);
    }
    FILE *f = fopen(spec, "rb");
    if (!f) {
        problem(&c, "%s: cannot open", spec);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 65536);
            if (!nb)
                break;
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool err = ferror(f) || !buf;
    fclose(f);
    if (err) {
        free(buf);
        problem(&c, "%s: read error", spec);
        return NULL;
    }
    aw_sim *s = aw_sim_load_string(buf, len, fn, user);
    free(buf);
    return s;
}

void aw_sim_free(aw_sim *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nac; i++) {
        free(s->ac[i].route.wp);
        free(s->ac[i].after.wp);
        free(s->ac[i].s);
    }
    free(s->ac);
    for (int i = 0; i < s->nassumptions; i++) {
        free(s->assumptions[i].what);
        free(s->assumptions[i].why);
    }
    free(s->assumptions);
    free(s->title);
    for (int i = 0; i < s->nobs; i++)
        free(s->obs[i].sites);
    free(s->obs);
    free(s);
}

int aw_sim_aircraft_count(const aw_sim *s) { return s->nac; }

const aw_sim_aircraft_info *aw_sim_aircraft(const aw_sim *s, int i)
{
    return i >= 0 && i < s->nac ? &s->ac[i].info : NULL;
}

int aw_sim_find(const aw_sim *s, const char *id)
{
    for (int i = 0; i < s->nac; i++)
        if (strcmp(s->ac[i].id, id) == 0)
            return i;
    return -1;
}

int aw_sim_observer_count(const aw_sim *s) { return s->nobs; }

const char *aw_sim_observer_id(const aw_sim *s, int i)
{
    return i >= 0 && i < s->nobs ? s->obs[i].id : NULL;
}

const char *aw_sim_name(const aw_sim *s) { return s->name; }
const char *aw_sim_title(const aw_sim *s) { return s->title ? s->title : ""; }
int aw_sim_assumption_count(const aw_sim *s) { return s->nassumptions; }

const char *aw_sim_assumption_what(const aw_sim *s, int i)
{
    return i >= 0 && i < s->nassumptions ? s->assumptions[i].what : NULL;
}

const char *aw_sim_assumption_why(const aw_sim *s, int i)
{
    return i >= 0 && i < s->nassumptions ? s->assumptions[i].why : NULL;
}
