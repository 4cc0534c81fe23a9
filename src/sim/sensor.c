/* sensor.c -- what the air-defence radars report of the true trajectories.
 *
 * Each aircraft is sampled every report interval (with its own phase, as radar scans
 * are not synchronised with anything); a sample becomes a report when a site of the
 * chosen observer(s) sees it -- within the site's instrumented range and within the
 * radar horizon of the 4/3-earth model, d = 4.12 km (sqrt(h_antenna) + sqrt(h_target)) --
 * and survives the dropout draw; its position is then displaced by Gaussian noise.
 * The random numbers come from the simulator's own generator (xoshiro256**, seeded per
 * aircraft from the run's seed and the aircraft's id), and every candidate report draws
 * the same numbers whether or not it is seen, so a seed gives the same reports on every
 * machine, and choosing another observer changes coverage but not the noise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo.h"
#include "sim/sim_internal.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void sim_rng_seed(sim_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_rng_uniform(sim_rng *r) { return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53; }

double sim_rng_gauss(sim_rng *r)
{
    /* Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]. */
    double u = 1.0 - sim_rng_uniform(r), v = sim_rng_uniform(r);
    return sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v);
}

double aw_radar_horizon_km(double antenna_m, double target_m)
{
    return 4.12 * (sqrt(fmax(antenna_m, 0)) + sqrt(fmax(target_m, 0)));
}

static bool site_sees(const sim_site *site, const aw_sim_state *st)
{
    double limit_km = fmin(site->range_km, aw_radar_horizon_km(site->antenna_m, st->alt_ft * 0.3048));
    /* A sphere first: only points near the limit need the ellipsoid. */
    double p1 = site->lat * AW_DEG, p2 = st->lat * AW_DEG;
    double dl = (st->lon - site->lon) * AW_DEG;
    double c = sin(p1) * sin(p2) + cos(p1) * cos(p2) * cos(dl);
    double sphere_km = acos(fmax(-1.0, fmin(1.0, c))) * 6371.0;
    if (sphere_km < limit_km * 0.99)
        return true;
    if (sphere_km > limit_km * 1.01)
        return false;
    return aw_geodesic_distance(site->lat, site->lon, st->lat, st->lon) <= limit_km * 1000.0;
}

bool aw_sim_visible(const aw_sim *s, int observer, const aw_sim_state *st)
{
    if (s->nobs == 0)
        return true;
    for (int o = 0; o < s->nobs; o++) {
        if (observer >= 0 && o != observer)
            continue;
        for (int k = 0; k < s->obs[o].nsites; k++)
            if (site_sees(&s->obs[o].sites[k], st))
                return true;
    }
    return false;
}

typedef struct pending {
    aw_report r;
    int aircraft;
} pending;

static int by_time(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->r.time != y->r.time)
        return x->r.time < y->r.time ? -1 : 1;
    return (x->aircraft > y->aircraft) - (x->aircraft < y->aircraft);
}

static uint64_t id_hash(const char *id)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 1099511628211ULL;
    return h;
}

int aw_sim_run(const aw_sim *s, const aw_sim_run_options *o, aw_sim_report_fn fn, void *user,
               aw_sim_counts *counts)
{
    aw_sim_counts cnt = {0, 0, 0};
    size_t np = 0, cap = 0;
    pending *p = NULL;
    int observer = o ? o->observer : -1;
    uint64_t seed = o ? o->seed : 0;
    for (int i = 0; i < s->nac; i++) {
        const sim_aircraft *a = &s->ac[i];
        if (a->n == 0)
            continue;
        sim_rng rng;
        sim_rng_seed(&rng, seed ^ id_hash(a->id));
        /* The phase of this aircraft's reports, in whole tenths of a second. */
        double phase = floor(sim_rng_uniform(&rng) * s->interval_s * 10.0) / 10.0;
        double t0 = a->s[0].t, t1 = a->s[a->n - 1].t;
        double k0 = ceil((t0 - phase) / s->interval_s);
        for (double k = k0;; k++) {
            double t = phase + k * s->interval_s;
            if (t > t1)
                break;
            double u = sim_rng_uniform(&rng);
            double gn = sim_rng_gauss(&rng), ge = sim_rng_gauss(&rng), ga = sim_rng_gauss(&rng);
            aw_sim_state st;
            if (sim_state_at(a, t, &st) != 0)
                continue;
            if (!aw_sim_visible(s, observer, &st)) {
                cnt.unseen++;
                continue;
            }
            if (u < s->dropout) {
                cnt.dropped++;
                continue;
            }
            if (np == cap) {
                size_t nc = cap ? cap * 2 : 4096;
                pending *q = realloc(p, nc * sizeof *q);
                if (!q) {
                    free(p);
                    return -1;
                }
                p = q;
                cap = nc;
            }
            pending *e = &p[np++];
            aw_report_clear(&e->r);
            e->aircraft = i;
            e->r.time = t;
            snprintf(e->r.track, sizeof e->r.track, "%s", a->id);
            e->r.has_position = true;
            double lat = st.lat, lon = st.lon;
            if (s->noise_m > 0) {
                double dn = gn * s->noise_m, de = ge * s->noise_m;
                geod_direct(aw_wgs84(), st.lat, st.lon, atan2(de, dn) / AW_DEG, hypot(dn, de),
                            &lat, &lon, NULL);
            }
            e->r.lat = lat;
            e->r.lon = lon;
            double alt = st.alt_ft + ga * s->alt_noise_ft;
            if (s->alt_round_ft > 0)
                alt = round(alt / s->alt_round_ft) * s->alt_round_ft;
            e->r.alt_ft = alt;
            e->r.speed_kt = st.speed_kt;
            e->r.track_deg = st.track_deg;
            snprintf(e->r.callsign, sizeof e->r.callsign, "%s", a->callsign);
            snprintf(e->r.squawk, sizeof e->r.squawk, "%s", a->squawk);
        }
    }
    if (np)
        qsort(p, np, sizeof *p, by_time);
    int rc = 0;
    for (size_t k = 0; k < np; k++) {
        cnt.reports++;
        if (fn(&p[k].r, p[k].aircraft, user) != 0) {
            rc = 1;
            break;
        }
    }
    free(p);
    if (counts)
        *counts = cnt;
    return rc;
}
