/* sim.h -- the flight simulator: scenarios in, position reports out.
 *
 * A scenario (JSON, docs/simulator.md) names aircraft, their flight plans and formations,
 * and the sensor picture that observes them. Loading validates it and flies every
 * aircraft once: WGS84 geodesics between waypoints (PROJ geodesic.h), turns at a bounded
 * rate (standard rate, or less when the bank limit says so), climbs and descents at
 * bounded rates, wingmen holding offsets from their leader. The true trajectories are
 * kept in memory; a run then samples them as the sensors would -- report interval,
 * radar coverage (range and radar horizon), dropouts and position noise from the
 * simulator's own PRNG -- and hands the reports over in time order. Same scenario, same
 * seed: the same reports, on every machine.
 *
 * A loaded scenario is immutable; runs keep their state on the stack. */
#ifndef ADIZWATCH_SIM_H
#define ADIZWATCH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "adizwatch/report.h"
#include "export.h"

AW_BEGIN_DECLS

/* The prefix naming a built-in scenario where a scenario file is expected. */
#define AW_SIM_BUILTIN_PREFIX "builtin:"

typedef struct aw_sim aw_sim;

/* Called once per problem found while loading (message names the JSON path). */
typedef void (*aw_sim_problem_fn)(const char *message, void *user);

/* Load a scenario from JSON text. Returns NULL if it has any problem; every problem is
 * passed to fn (which may be NULL). */
aw_sim *aw_sim_load_string(const char *json, size_t len, aw_sim_problem_fn fn, void *user);
/* Load from a file, or a built-in scenario named "builtin:NAME". */
aw_sim *aw_sim_load(const char *spec, aw_sim_problem_fn fn, void *user);
void aw_sim_free(aw_sim *s);

/* The JSON text of a built-in scenario ("2022-11-30"), or NULL; *len gets its length. */
const char *aw_sim_builtin_json(const char *name, size_t *len);
/* The names of the built-in scenarios, NULL-terminated. */
const char *const *aw_sim_builtin_names(void);

/* What a scenario says about one aircraft. Strings are "" when absent. */
typedef struct aw_sim_aircraft_info {
    const char *id;          /* report id: ICAO hex lower-case, or the radar track number */
    bool icao;               /* id is an ICAO address (else a radar track number) */
    const char *callsign, *squawk, *type, *nationality;
    /* The airframe flying this track: tracks of one aircraft on different legs (out in
     * the morning, back in the afternoon) share it. The scenario's "airframe", or the id. */
    const char *airframe;
    /* The scenario's reason when the take-off (field and time) or the landing field is
     * its own assumption rather than published ("assumed" on plan.departure / arrival),
     * "" when not. A wingman without a plan of its own takes its leader's. */
    const char *departure_assumed, *arrival_assumed;
    double start, end;       /* first and last instant of the true trajectory (Unix s) */
    int leader;              /* aircraft index of its formation leader, -1 if none */
} aw_sim_aircraft_info;

/* The scenario's "name" (the built-in's name, "" if none) and "title" ("" if none). */
const char *aw_sim_name(const aw_sim *s);
const char *aw_sim_title(const aw_sim *s);
/* The scenario's general assumptions ("assumptions": [{"what", "why"}]). */
int aw_sim_assumption_count(const aw_sim *s);
const char *aw_sim_assumption_what(const aw_sim *s, int i);
const char *aw_sim_assumption_why(const aw_sim *s, int i);

/* The scenario's aircraft: how many, and the i-th (0 <= i < count), or NULL. */
int aw_sim_aircraft_count(const aw_sim *s);
const aw_sim_aircraft_info *aw_sim_aircraft(const aw_sim *s, int i);
/* Index of the aircraft with this id, or -1. */
int aw_sim_find(const aw_sim *s, const char *id);

/* The true state of an aircraft. */
typedef struct aw_sim_state {
    double lat, lon;     /* WGS84 degrees */
    double alt_ft;       /* pressure altitude taken as height above sea level */
    double speed_kt;     /* ground speed */
    double track_deg;    /* true track over ground, 0..360 */
    bool in_formation;   /* holding its slot behind a leader */
} aw_sim_state;

/* The true state at time t (interpolated between the 1 s integration steps). Returns 0,
 * or -1 if the aircraft is not flying at t. */
int aw_sim_truth(const aw_sim *s, int aircraft, double t, aw_sim_state *out);
/* When the aircraft passed its waypoint of this name (Unix s; the start of a fly-by
 * turn, the touchdown for the landing airfield), or NAN if it has none or never did. */
double aw_sim_passed(const aw_sim *s, int aircraft, const char *waypoint);
/* The integration step in seconds (the spacing of the true trajectory's samples). */
double aw_sim_step(const aw_sim *s);

/* ---- sensors --------------------------------------------------------------------- */

/* Radar horizon in km for an antenna and a target at these heights above the sea (m),
 * 4/3-earth model: 4.12 * (sqrt(h_antenna) + sqrt(h_target)). Negative heights count as 0. */
double aw_radar_horizon_km(double antenna_m, double target_m);

/* Number of observers (air-defence systems) in the sensor picture, and their ids. */
int aw_sim_observer_count(const aw_sim *s);
const char *aw_sim_observer_id(const aw_sim *s, int i);

/* Would the observer (-1: any observer) see this true state? With no observers in the
 * scenario every state is seen. */
bool aw_sim_visible(const aw_sim *s, int observer, const aw_sim_state *st);

typedef struct aw_sim_run_options {
    uint64_t seed;          /* PRNG seed: dropouts, noise, report phases */
    int observer;           /* only this observer's sites (-1: all of them) */
} aw_sim_run_options;

/* Called for every report, in time order (ties: aircraft order). aircraft is its index.
 * Return non-zero to stop the run. */
typedef int (*aw_sim_report_fn)(const aw_report *r, int aircraft, void *user);

/* Produce the reports. Returns 0 when all were delivered, 1 when fn stopped the run,
 * -1 on allocation failure. Counters (may be NULL): reports delivered, reports lost to
 * dropouts, report times at which no sensor saw the aircraft. */
typedef struct aw_sim_counts {
    uint64_t reports, dropped, unseen;
} aw_sim_counts;
int aw_sim_run(const aw_sim *s, const aw_sim_run_options *o, aw_sim_report_fn fn, void *user,
               aw_sim_counts *counts);

/* ---- output formats -------------------------------------------------------------- */

/* The adizwatch CSV header (with its line end). */
#define AW_SIM_CSV_HEADER "time,id,lat,lon,alt_ft,callsign,squawk,speed_kt,track_deg\n"

/* One CSV row for a report, with "\n". Returns the length written (snprintf rules). */
int aw_sim_format_csv(const aw_report *r, char *buf, size_t n);

/* SBS-1 lines (CRLF) for a report: MSG 3 (position, altitude, speed, track, squawk) and,
 * when with_ident and the report has a callsign, MSG 1 before it. Times are written in
 * the receiver clock tz_offset_s east of UTC. A radar track number, which SBS cannot
 * carry, becomes the non-ICAO address "~" + its trailing digits. Returns the length. */
int aw_sim_format_sbs(const aw_report *r, int tz_offset_s, bool with_ident, char *buf, size_t n);

/* Provenance: a simulated file says so in its first line, a comment that the CSV and
 * SBS readers skip and `replay --db` records (docs/report.md): AW_PROVENANCE_PREFIX and
 * one JSON object, {"tracks": "simulated", "scenario", "title", "seed", "observer",
 * "format", "assumed": [{"track", "airframe", "item": "departure"|"arrival", "reason"}],
 * "assumptions": [{"what", "why"}], "sensors": [{"observer", "sites": [{"name", "lat",
 * "lon", "antenna_m", "range_km"}]}]}. Returns the line (with line_end), malloc'd, or NULL
 * when out of memory. observer may be NULL (every observer's sites). */
char *aw_sim_provenance_line(const aw_sim *s, uint64_t seed, const char *observer,
                             const char *format, const char *line_end);

/* The SBS hex ident for a report id (see above) into buf; -1 if it has none. */
int aw_sim_sbs_ident(const char *id, char *buf, size_t n);

AW_END_DECLS
#endif
