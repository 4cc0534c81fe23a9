/* flight.c -- flying the flight plans: true trajectories sampled every step.
 *
 * Each aircraft is integrated in fixed steps (1 s): it steers toward its next waypoint
 * along the WGS84 geodesic (a step is a geod_direct along the current heading, and the
 * heading taken over is the geodesic's azimuth at the step's end, so straight flight stays
 * exactly on the geodesic), turns no faster than the smaller of its standard turn rate
 * and the rate its bank limit allows at its speed (omega = g tan(bank) / v), starts a
 * fly-by turn early by R tan(delta/2) so that it rolls out on the next leg, changes speed
 * and altitude at bounded rates, and plans its descent and slow-down to the arrival
 * airfield. Wingmen hold a slot (behind, right, above) relative to the leader's position
 * and track; one that joins late flies its own plan, holds in a turn until the join
 * moment, then chases the slot a little faster than the leader and locks on.
 * Aircraft are flown in dependency order so that a leader's trajectory (and the moments
 * its waypoints are passed) are known when a wingman needs them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo.h"
#include "sim/sim_internal.h"

#define KT_MS (1852.0 / 3600.0)
#define G_MS2 9.80665
#define LOCK_M 100.0          /* a joining wingman locks onto its slot this close */
#define MAX_FLIGHT_S (4 * 86400.0)

enum mode { M_ROUTE, M_HOLD, M_JOIN, M_FORM, M_DONE };

static double wrap180(double a)
{
    a = fmod(a + 180.0, 360.0);
    if (a < 0)
        a += 360.0;
    return a - 180.0;
}

static double wrap360(double a)
{
    a = fmod(a, 360.0);
    return a < 0 ? a + 360.0 : a;
}

/* Degrees per second the aircraft can turn at this ground speed. */
static double turn_rate(const sim_aircraft *a, double spd_kt)
{
    double v = fmax(spd_kt * KT_MS, 1.0);
    double bank_rate = G_MS2 * tan(a->max_bank_deg * AW_DEG) / v / AW_DEG;
    return fmin(a->turn_rate_dps, bank_rate);
}

const sim_waypoint *sim_find_waypoint(const sim_aircraft *a, const char *name)
{
    if (!name || !*name)
        return NULL;
    for (int i = 0; i < a->route.n; i++)
        if (strcmp(a->route.wp[i].name, name) == 0)
            return &a->route.wp[i];
    for (int i = 0; i < a->after.n; i++)
        if (strcmp(a->after.wp[i].name, name) == 0)
            return &a->after.wp[i];
    return NULL;
}

int sim_state_at(const sim_aircraft *a, double t, aw_sim_state *out)
{
    if (a->n == 0 || t < a->s[0].t || t > a->s[a->n - 1].t)
        return -1;
    double dt = a->n > 1 ? a->s[1].t - a->s[0].t : 1.0;
    int i = (int)floor((t - a->s[0].t) / dt);
    if (i < 0)
        i = 0;
    if (i > a->n - 1)
        i = a->n - 1;
    while (i > 0 && a->s[i].t > t)
        i--;
    while (i < a->n - 1 && a->s[i + 1].t <= t)
        i++;
    const sim_sample *p = &a->s[i];
    if (i == a->n - 1 || p->t == t) {
        *out = (aw_sim_state){p->lat, p->lon, p->alt_ft, p->speed_kt, p->track_deg, p->formation};
        return 0;
    }
    const sim_sample *q = &a->s[i + 1];
    double u = (t - p->t) / (q->t - p->t);
    double dlon = wrap180(q->lon - p->lon);
    out->lat = p->lat + u * (q->lat - p->lat);
    out->lon = p->lon + u * dlon;
    if (out->lon >= 180)
        out->lon -= 360;
    out->alt_ft = p->alt_ft + u * (q->alt_ft - p->alt_ft);
    out->speed_kt = p->speed_kt + u * (q->speed_kt - p->speed_kt);
    out->track_deg = wrap360(p->track_deg + u * wrap180(q->track_deg - p->track_deg));
    out->in_formation = p->formation && q->formation;
    return 0;
}

/* The wingman's slot at time t: 0, or -1 when the leader is not flying. */
static int slot(const aw_sim *s, const sim_aircraft *a, double t, aw_sim_state *st)
{
    if (sim_state_at(&s->ac[a->leader], t, st) != 0)
        return -1;
    double d = hypot(a->behind_m, a->right_m);
    double az = st->track_deg + atan2(a->right_m, -a->behind_m) / AW_DEG;
    double lat, lon;
    geod_direct(aw_wgs84(), st->lat, st->lon, az, d, &lat, &lon, NULL);
    st->lat = lat;
    st->lon = lon;
    st->alt_ft += a->above_ft;
    return 0;
}

static double ref_time(const aw_sim *s, const sim_ref *r)
{
    if (r->aircraft < 0)
        return NAN;
    const sim_waypoint *w = sim_find_waypoint(&s->ac[r->aircraft], r->waypoint);
    return w ? w->passed : NAN;
}

static int push(sim_aircraft *a, int *cap, double t, double lat, double lon, double alt,
                double spd, double trk, bool form)
{
    if (a->n == *cap) {
        int nc = *cap ? *cap * 2 : 4096;
        sim_sample *ns = realloc(a->s, (size_t)nc * sizeof *ns);
        if (!ns)
            return -1;
        a->s = ns;
        *cap = nc;
    }
    if (lon >= 180)
        lon -= 360;
    if (lon < -180)
        lon += 360;
    a->s[a->n++] = (sim_sample){t, lat, lon, alt, spd, wrap360(trk), form};
    return 0;
}

static double approach(double v, double target, double up, double down)
{
    if (target > v)
        return fmin(target, v + up);
    return fmax(target, v - down);
}

static int fly(aw_sim *s, sim_aircraft *a, char *err, size_t errlen)
{
    const struct geod_geodesic *g = aw_wgs84();
    const double dt = s->step_s;
    int cap = 0;
    enum mode mode;
    const sim_route *r = &a->route;
    int idx = 0;
    double t, lat = 0, lon = 0, alt = 0, spd = 0, hdg = 0;
    double t_join = ref_time(s, &a->join), t_leave = ref_time(s, &a->leave);
    aw_sim_state st;

    if (a->leader >= 0 && a->join.aircraft < 0) {
        const sim_aircraft *L = &s->ac[a->leader];
        if (L->n == 0) {
            snprintf(err, errlen, "%s: its leader %s never flies", a->id, L->id);
            return -1;
        }
        t = L->s[0].t;
        mode = M_FORM;
    } else {
        t = a->dep_time;
        lat = a->dep_lat;
        lon = a->dep_lon;
        alt = a->dep_alt_ft;
        spd = a->dep_speed_kt;
        hdg = a->dep_heading;
        if (isnan(hdg))
            geod_inverse(g, lat, lon, r->wp[0].lat, r->wp[0].lon, NULL, &hdg, NULL);
        mode = M_ROUTE;
    }
    if (a->leader >= 0 && a->join.aircraft >= 0 && isnan(t_join)) {
        snprintf(err, errlen, "%s: its join waypoint %s is never passed", a->id, a->join.waypoint);
        return -1;
    }
    const double t_start = t;
    bool pushed = false; /* this instant's sample is already stored */
    for (;;) {
        if (t - t_start > MAX_FLIGHT_S) {
            snprintf(err, errlen, "%s: still flying after %.0f days (a waypoint it cannot "
                     "reach, or a join that never happens?)", a->id, MAX_FLIGHT_S / 86400);
            return -1;
        }
        if (mode == M_FORM) {
            if (!isnan(t_leave) && t >= t_leave) {
                mode = M_ROUTE;
                r = &a->after;
                idx = 0;
            } else if (slot(s, a, t, &st) != 0) {
                break; /* the leader has landed: so has the formation */
            } else {
                lat = st.lat, lon = st.lon, alt = st.alt_ft, spd = st.speed_kt, hdg = st.track_deg;
            }
        }
        if (!pushed && push(a, &cap, t, lat, lon, alt, spd, hdg, mode == M_FORM) != 0)
            goto oom;
        pushed = false;
        if (mode == M_FORM) {
            t += dt;
            continue;
        }
        double want_hdg = hdg, want_spd = spd, want_alt = alt;
        if (mode == M_ROUTE && idx >= r->n) {
            bool to_join = a->leader >= 0 && r == &a->route && a->join.aircraft >= 0;
            if (!to_join)
                break;
            mode = t >= t_join ? M_JOIN : M_HOLD;
        }
        if (mode == M_HOLD && t >= t_join)
            mode = M_JOIN;
        if (mode == M_ROUTE) {
            sim_waypoint *wp = (sim_waypoint *)&r->wp[idx];
            double dist, azi1, azi2;
            geod_inverse(g, lat, lon, wp->lat, wp->lon, &dist, &azi1, &azi2);
            double v = fmax(spd * KT_MS, 1.0);
            double radius = v / (turn_rate(a, spd) * AW_DEG);
            bool last = idx == r->n - 1;
            double lead = 0;
            if (!last && !wp->fly_over) {
                double out;
                geod_inverse(g, wp->lat, wp->lon, r->wp[idx + 1].lat, r->wp[idx + 1].lon, NULL,
                             &out, NULL);
                double delta = fabs(wrap180(out - azi2));
                if (delta <= 120)
                    lead = radius * tan(delta / 2 * AW_DEG);
            }
            bool behind = fabs(wrap180(azi1 - hdg)) > 90 && dist < 2 * radius;
            if (last && dist <= v * dt) {
                wp->passed = t + dist / v;
                bool ends = wp->landing || !(a->leader >= 0 && r == &a->route && a->join.aircraft >= 0);
                if (ends) {
                    if (push(a, &cap, wp->passed, wp->lat, wp->lon, wp->landing ? wp->alt_ft : alt,
                             wp->landing ? wp->speed_kt : spd, azi2, false) != 0)
                        goto oom;
                    break;
                }
                idx++;
                mode = t >= t_join ? M_JOIN : M_HOLD;
            } else if (!last && (dist <= fmax(lead, v * dt / 2) || behind)) {
                wp->passed = lead > 0 ? t : t + dist / v;
                idx++;
                pushed = true;
                continue; /* steer for the next waypoint from this same instant */
            } else {
                want_hdg = azi1;
                want_spd = wp->speed_kt;
                want_alt = wp->alt_ft;
                if (wp->landing) {
                    /* Top of descent and slow-down planned back from the runway. */
                    double ttg = dist / v;
                    double cruise_alt = idx > 0 ? r->wp[idx - 1].alt_ft : alt;
                    double cruise_spd = idx > 0 ? r->wp[idx - 1].speed_kt : spd;
                    want_alt = fmin(fmax(cruise_alt, wp->alt_ft),
                                    wp->alt_ft + a->descent_fpm / 60.0 * ttg * 0.9);
                    want_spd = fmin(cruise_spd, wp->speed_kt + a->accel_kt_s * ttg * 0.5);
                }
            }
        }
        if (mode == M_HOLD) {
            want_hdg = hdg + 170; /* keep turning right at the full rate */
        } else if (mode == M_JOIN) {
            if (slot(s, a, t + dt, &st) != 0)
                break;
            double dist, azi;
            geod_inverse(g, lat, lon, st.lat, st.lon, &dist, &azi, NULL);
            if (dist <= LOCK_M) {
                mode = M_FORM;
                t += dt;
                continue;
            }
            want_hdg = azi;
            want_spd = st.speed_kt + fmin(a->join_speed_kt, dist / 60.0 / KT_MS);
            want_alt = st.alt_ft;
        }
        double rate = turn_rate(a, spd) * dt;
        double d = wrap180(want_hdg - hdg);
        hdg += d > rate ? rate : d < -rate ? -rate : d;
        spd = approach(spd, want_spd, a->accel_kt_s * dt, a->accel_kt_s * dt);
        alt = approach(alt, want_alt, a->climb_fpm / 60.0 * dt, a->descent_fpm / 60.0 * dt);
        double lat2, lon2, azi2;
        geod_direct(g, lat, lon, hdg, spd * KT_MS * dt, &lat2, &lon2, &azi2);
        lat = lat2, lon = lon2, hdg = azi2;
        t += dt;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory flying %s", a->id);
    return -1;
}

/* Depth-first: fly what an aircraft depends on (leader, join and leave references) first. */
static int fly_dep(aw_sim *s, int i, char *state, char *err, size_t errlen)
{
    if (state[i] == 2)
        return 0;
    if (state[i] == 1) {
        snprintf(err, errlen, "%s: formations depend on each other in a circle", s->ac[i].id);
        return -1;
    }
    state[i] = 1;
    const sim_aircraft *a = &s->ac[i];
    int deps[3] = {a->leader, a->join.aircraft, a->leave.aircraft};
    for (int k = 0; k < 3; k++)
        if (deps[k] >= 0 && fly_dep(s, deps[k], state, err, errlen) != 0)
            return -1;
    if (fly(s, &s->ac[i], err, errlen) != 0)
        return -1;
    state[i] = 2;
    return 0;
}

int sim_fly_all(aw_sim *s, char *err, size_t errlen)
{
    char *state = calloc((size_t)s->nac, 1);
    if (!state) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < s->nac && rc == 0; i++)
        rc = fly_dep(s, i, state, err, errlen);
    free(state);
    return rc;
}

int aw_sim_truth(const aw_sim *s, int aircraft, double t, aw_sim_state *out)
{
    if (aircraft < 0 || aircraft >= s->nac)
        return -1;
    return sim_state_at(&s->ac[aircraft], t, out);
}

double aw_sim_passed(const aw_sim *s, int aircraft, const char *waypoint)
{
    if (aircraft < 0 || aircraft >= s->nac)
        return NAN;
    const sim_waypoint *w = sim_find_waypoint(&s->ac[aircraft], waypoint);
    return w ? w->passed : NAN;
}

double aw_sim_step(const aw_sim *s) { return s->step_s; }
