/* sim_internal.h -- what the simulator's files share: the loaded scenario (internal).
 *
 * scenario.c fills these structures from JSON, flight.c flies the aircraft into sampled
 * true trajectories, sensor.c turns trajectories into reports. */
#ifndef ADIZWATCH_SIM_INTERNAL_H
#define ADIZWATCH_SIM_INTERNAL_H

#include "adizwatch/sim.h"

#define SIM_NAME_MAX 48

typedef struct sim_waypoint {
    char name[SIM_NAME_MAX];
    double lat, lon;
    double alt_ft;      /* target altitude on the leg to this waypoint */
    double speed_kt;    /* target ground speed on the leg to this waypoint */
    bool fly_over;      /* turn after passing it, not before (fly-by is the default) */
    bool landing;       /* the arrival airfield: descend to it, end the flight there */
    double passed;      /* filled by flight.c: when it was passed (NAN = never) */
} sim_waypoint;

typedef struct sim_route {
    sim_waypoint *wp;
    int n;
} sim_route;

/* A reference to the moment an aircraft passes one of its waypoints. */
typedef struct sim_ref {
    int aircraft;       /* -1: none */
    char waypoint[SIM_NAME_MAX];
} sim_ref;

typedef struct sim_sample {
    double t, lat, lon, alt_ft, speed_kt, track_deg;
    bool formation;
} sim_sample;

typedef struct sim_aircraft {
    aw_sim_aircraft_info info;
    char id[AW_TRACK_ID_MAX], callsign[AW_CALLSIGN_MAX], squawk[AW_SQUAWK_MAX];
    char type[SIM_NAME_MAX], nationality[8];
    char airframe[SIM_NAME_MAX];          /* "" = the id */
    char dep_assumed[512], arr_assumed[512]; /* the scenario's reasons, "" = not assumed */
    /* plan */
    bool has_departure;
    double dep_time, dep_lat, dep_lon, dep_alt_ft, dep_speed_kt, dep_heading; /* heading NAN = toward wp 0 */
    sim_route route;    /* flown from departure (members: up to the join) */
    sim_route after;    /* flown after leaving the formation */
    /* performance */
    double climb_fpm, descent_fpm, max_bank_deg, turn_rate_dps, accel_kt_s;
    /* formation */
    int leader;
    double behind_m, right_m, above_ft;
    sim_ref join, leave; /* join.aircraft -1: in formation from the leader's departure */
    double join_speed_kt; /* extra speed to catch up with the slot */
    /* true trajectory */
    sim_sample *s;
    int n;
} sim_aircraft;

typedef struct sim_site {
    char name[SIM_NAME_MAX];
    double lat, lon, antenna_m, range_km;
} sim_site;

typedef struct sim_observer {
    char id[16];
    sim_site *sites;
    int nsites;
} sim_observer;

typedef struct sim_assumption {
    char *what, *why;
} sim_assumption;

struct aw_sim {
    char name[SIM_NAME_MAX];
    char *title;                /* never NULL once loaded */
    sim_assumption *assumptions;
    int nassumptions;
    sim_aircraft *ac;
    int nac;
    double step_s;
    double interval_s, noise_m, alt_noise_ft, alt_round_ft, dropout;
    sim_observer *obs;
    int nobs;
};

/* flight.c: fly every aircraft (in dependency order). Returns 0 or -1 with a message. */
int sim_fly_all(aw_sim *s, char *err, size_t errlen);
/* Find a waypoint by name on an aircraft's routes; NULL if none. */
const sim_waypoint *sim_find_waypoint(const sim_aircraft *a, const char *name);
/* The sample-interpolated state; -1 outside the trajectory. */
int sim_state_at(const sim_aircraft *a, double t, aw_sim_state *out);

/* Small deterministic PRNG (xoshiro256**, seeded through splitmix64). */
typedef struct sim_rng {
    uint64_t s[4];
} sim_rng;
void sim_rng_seed(sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(sim_rng *r);
double sim_rng_uniform(sim_rng *r);   /* [0, 1) */
double sim_rng_gauss(sim_rng *r);     /* standard normal */

#endif
