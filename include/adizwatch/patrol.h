/* patrol.h -- patrol analysis: who flew with whom, from where, through which strait.
 *
 * Zone events say where aircraft crossed boundaries; a patrol is more: bombers flying in
 * formation, fighters escorting them, a take-off at one nation's air base and a landing
 * at another's, the straits the group went through and how long the mission lasted. The
 * analysis works on the tracks' sampled trails (the store's positions, docs/store.md) and
 * their identities (identify.h), and produces events of six types, each a JSON object:
 *
 *   group    tracks within group_dist_m (and group_alt_ft) of each other for at least
 *            group_min_s: members with join/leave times, aircraft by type and nation,
 *            joint (more than one nation), escorted (bombers and fighters together),
 *            take-offs, landings (landed_abroad), straits and mission span of the members;
 *            tracks of another side flying with it (interceptors) are not members but
 *            `shadowed_by` (a pair of different nations links only if both are bombers,
 *            or the one that is not a bomber is of a nation already in the group)
 *   escort   a fighter flying with bombers: from, to, the bombers
 *   takeoff  the start of a covered stretch of trail, low and slow and moving away from
 *            the nearest named airfield within field_dist_m
 *   landing  the end of one, low, slow and closing on the field; landed_abroad is true
 *            when the field's country is not the aircraft's nation (null if unknown)
 *   strait   the trail crossing a strait's gate line (table below; positions approximate)
 *   mission  take-off (or first seen) to landing (or last seen)
 *
 * The rules and defaults are in docs/patrol.md. Nothing here keeps global state. */
#ifndef ADIZWATCH_PATROL_H
#define ADIZWATCH_PATROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "adizwatch/identify.h"
#include "adizwatch/store.h"
#include "export.h"

AW_BEGIN_DECLS

/* ---- aircraft classes -------------------------------------------------------------- */

typedef enum aw_aircraft_class {
    AW_CLASS_UNKNOWN = 0, /* no type, or a type not in the table */
    AW_CLASS_BOMBER,
    AW_CLASS_FIGHTER,
    AW_CLASS_OTHER /* known: airborne early warning, reconnaissance, transport... */
} aw_aircraft_class;

/* The class of a type as an aircraft database or scenario writes it ("Xian H-6K",
 * "Tu-95MS", "J-16 (presumed)", "fighter (presumed Chinese)"): designations are matched
 * as whole words with the hyphen optional and any suffix letters ("H-6" matches "H-6K",
 * not "H-60"); the words "bomber" and "fighter" count too. */
aw_aircraft_class aw_aircraft_class_of(const char *type);
/* "bomber", "fighter", "other", "unknown". */
const char *aw_aircraft_class_name(aw_aircraft_class c);

/* ---- straits ----------------------------------------------------------------------- */

#define AW_GATE_MAX_POINTS 6

/* A strait's gate: a polyline across it, from one shore to the other. A trail crossing
 * it transits the strait. Each stretch between two points may name a channel. */
typedef struct aw_strait {
    const char *name;        /* "Tsushima Strait" */
    const char *other_names; /* "Korea Strait (eastern channel) / ..." or "" */
    int n;                   /* points in the gate */
    double lat[AW_GATE_MAX_POINTS], lon[AW_GATE_MAX_POINTS];
    const char *channel[AW_GATE_MAX_POINTS - 1]; /* of stretch i (point i to i+1); "" none */
    const char *source; /* where the points come from and how exact they are */
} aw_strait;

/* The number of built-in straits. */
int aw_straits_count(void);
/* The i-th strait (0 <= i < aw_straits_count()), or NULL. */
const aw_strait *aw_strait_at(int i);

/* Does the straight (lon/lat, lon scaled by cos lat) step from a to b cross the gate?
 * Returns the stretch index crossed (first along the step) and the fraction of the step
 * in *u, or -1. */
int aw_strait_crossing(const aw_strait *s, double lat_a, double lon_a, double lat_b, double lon_b,
                       double *u);

/* ---- airfields --------------------------------------------------------------------- */

/* The nearest named airfield: an airport of theater.h's table or an air base. */
typedef struct aw_field {
    const char *code; /* ICAO code, else the OurAirports ident ("UHBU", "UHWV", "CN-0154") */
    const char *name;
    const char *country; /* ISO 3166-1 alpha-2 */
    double lat, lon;
    double elevation_ft; /* 0 when the table gives none */
} aw_field;

/* The named airfield nearest to (lat, lon) among the airports and air bases of
 * theater.h; *dist_m gets the distance. Returns 0, or -1 for bad coordinates. */
int aw_field_nearest(double lat, double lon, aw_field *out, double *dist_m);

/* ---- the analysis ------------------------------------------------------------------ */

typedef struct aw_patrol_options {
    double group_dist_m;   /* together: within this distance (10 km) */
    double group_alt_ft;   /* ... and this altitude difference when both are known (3000) */
    double group_min_s;    /* ... for at least this long (600 s) */
    double group_break_s;  /* a pair apart or unseen for longer starts a new run (120 s) */
    double step_s;         /* trails are compared at this interval (30 s) */
    double max_gap_s;      /* fixes further apart than this are not joined (600 s) */
    double field_dist_m;   /* take-off / landing: within this of the field (10 km) */
    double field_agl_ft;   /* ... at most this high above it, when altitude is known (3000) */
    double field_speed_kt; /* ... and at most this fast over the step to the next fix (300 kt) */
    bool all_tracks;       /* analyse civil tracks too (default: military per the aircraft
                            * database, or not in it as civil and showing no callsign) */
} aw_patrol_options;

/* The defaults above. */
void aw_patrol_defaults(aw_patrol_options *o);

/* One event of the analysis. json is the whole event as one JSON object (no newline),
 * with at least type, track, time (ISO 8601 UTC), lat, lon. */
typedef struct aw_patrol_event {
    const char *type;            /* "group", "escort", "takeoff", "landing", "strait", "mission" */
    char track[AW_TRACK_ID_MAX]; /* group: its lead (the first member to join) */
    double time, lat, lon;
    char *json;
} aw_patrol_event;

typedef struct aw_patrol aw_patrol;

/* Analyse the trails: n positions (any order; those of one track make its trail), the
 * aircraft database for types and nations (may be NULL: then nothing is known to be a
 * bomber or a fighter). Returns NULL with a reason in err on allocation failure. */
aw_patrol *aw_patrol_analyse(const aw_position *p, size_t n, const aw_aircraft_db *db,
                             const aw_patrol_options *o, char *err, size_t errlen);
void aw_patrol_free(aw_patrol *pa);

/* The events, in time order (ties: group, escort, takeoff, strait, landing, mission). */
size_t aw_patrol_event_count(const aw_patrol *pa);
const aw_patrol_event *aw_patrol_event_at(const aw_patrol *pa, size_t i);

/* The event as a store record (pointers into the event). */
aw_record aw_patrol_event_record(const aw_patrol_event *ev);

/* ---- from the store ---------------------------------------------------------------- */

/* The store's positions with from <= time < to (NAN = unbounded), malloc'ed, *n of them
 * (an empty store gives a non-NULL array and 0). NULL with a reason in err on failure. */
aw_position *aw_patrol_positions(aw_store *s, double from, double to, size_t *n, char *err,
                                 size_t errlen);

/* The group events' JSON objects for groups starting in [from, to): the store's records of
 * type "group" when there are any there (what `adizwatch patrol` stored), otherwise the
 * analysis of the store's positions with options o (NULL: defaults), stored nowhere.
 * *computed says which. Returns a malloc'ed array of *n malloc'ed strings (free with
 * aw_patrol_strings_free), or NULL with a reason in err. */
char **aw_patrol_groups(aw_store *s, double from, double to, const aw_aircraft_db *db,
                        const aw_patrol_options *o, size_t *n, bool *computed, char *err,
                        size_t errlen);
void aw_patrol_strings_free(char **v, size_t n);

/* ---- airframes: aircraft, not tracks (src/patrol/airframe.c) ----------------------
 *
 * Which tracks are one aircraft: its ICAO address; else the aircraft database's
 * `$Airframe`; else a landing -> take-off link at one field (same type and nation, the
 * take-off within link_max_s of the landing, unambiguous as a count), *presumed*; else
 * the track is its own airframe. Rules in docs/report.md. */
typedef enum aw_airframe_basis {
    AW_AIRFRAME_TRACK = 0, /* nothing links it: the track id stands for the airframe */
    AW_AIRFRAME_ICAO,      /* the ICAO 24-bit address */
    AW_AIRFRAME_DB,        /* the aircraft database's $Airframe */
    AW_AIRFRAME_PRESUMED   /* a landing -> take-off link */
} aw_airframe_basis;

/* "track", "icao", "aircraft-db", "presumed". */
const char *aw_airframe_basis_name(aw_airframe_basis b);

/* The airframe of a track from its address or the database alone (no links). */
aw_airframe_basis aw_airframe_of(const aw_aircraft_db *db, const char *track, char *buf, size_t n);

#define AW_AIRFRAME_LINK_S (12 * 3600.0) /* default window from landing to take-off */

/* One track: its type, nation, first take-off and last landing (fields "" and times NAN
 * when not seen); airframe and basis are filled by aw_airframes_assign. */
typedef struct aw_airframe_leg {
    char track[AW_TRACK_ID_MAX];
    char type[64], nation[4];
    char takeoff_field[16], landing_field[16];
    double takeoff_time, landing_time;
    char airframe[48];
    aw_airframe_basis basis;
} aw_airframe_leg;

/* Give every leg its airframe. A presumed chain (out, back, out again) takes the first
 * leg's airframe. */
void aw_airframes_assign(aw_airframe_leg *legs, size_t n, const aw_aircraft_db *db,
                         double link_max_s);

/* The legs of an analysis (one per track with a take-off, landing or mission), airframes
 * assigned. malloc'ed, *n of them; NULL when out of memory. */
aw_airframe_leg *aw_airframe_legs(const aw_patrol *pa, const aw_aircraft_db *db,
                                  double link_max_s, size_t *n);

/* ---- the report section (src/report/patrol_section.c) ------------------------------ */

/* Write the "Patrols" section of an observer report from group events' JSON objects
 * (from aw_patrol_event or stored records of type "group"): per group its members by
 * type and nation, joint / escorted, take-offs, landings (landed abroad), straits and
 * duration, times in local time at tz_offset_s. Markdown to md, and to json the member
 * `,"patrols":[...]` (the group objects) for the report object being written. Either
 * FILE may be NULL. Returns the number of groups written, or -1 if one does not parse. */
int aw_patrol_report(const char *const *groups_json, size_t n, int tz_offset_s, FILE *md,
                     FILE *json);

AW_END_DECLS
#endif
