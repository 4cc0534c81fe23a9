/* advice.h -- scramble advice for aircraft heading into an ADIZ, and intercepts seen.
 *
 * An advisor is fed the position reports of a feed (and, optionally, the zone events the
 * engine makes of them). For every track that is unidentified or military and not of a
 * zone owner's nation, and that is inside one of the owner's ADIZs or would enter one on
 * its current course and speed within the horizon, it works out, for every interceptor
 * base of the owner (theater.h), the earliest intercept (intercept.h: ready time, then
 * the fighter's cruise speed to meet the intruder holding its geodesic course), the
 * intruder's time to the owner's territorial airspace, and whether the intercept comes
 * first; then it emits a `scramble_advice` naming the best bases. It advises again when
 * the intruder turns or changes speed materially, and no more often than a minimum
 * interval per track and owner.
 *
 * It also watches for the answer: a military track of the owner's nation that takes off
 * after the advice (first seen low, or near one of the owner's air bases) and comes
 * within a distance (10 NM) of the advised intruder gives an `intercept` event with the
 * reaction times. docs/advice.md has the rules and thresholds.
 *
 * One advisor is single-threaded. Zones, aircraft database, the base table and the
 * `friendly` string must outlive it. */
#ifndef ADIZWATCH_ADVICE_H
#define ADIZWATCH_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "event.h"
#include "identify.h"
#include "report.h"
#include "store.h"
#include "theater.h"
#include "zones.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_advisor_options {
    double horizon_s;         /* advise on tracks entering an ADIZ within this (1800) */
    double turn_deg;          /* re-advise when the course changed by more than this (15) */
    double speed_frac;        /* ... or the speed by more than this fraction (0.20) */
    double min_interval_s;    /* at most one advice per track and owner this often (180) */
    double course_window_s;   /* course and speed from reports at least this far apart (60) */
    double eval_interval_s;   /* look at a track at most this often (10) */
    double intercept_horizon_s; /* search intercepts and territory this far ahead (10800) */
    double max_flight_s;      /* a base whose fighter would fly longer than this, airborne to
                               * intercept, is not advised (3600: about a fighter's combat
                               * radius at cruise, without a tanker) */
    int max_bases;            /* bases named per advice, best first (3) */
    double intercept_dist_m;  /* an interceptor this close to the intruder intercepts (18520) */
    double takeoff_alt_ft;    /* a first report below this is a take-off (10000) */
    double takeoff_base_m;    /* ... or within this of one of the owner's bases (40000) */
    double max_reaction_s;    /* take-offs later than this after the advice do not count (7200) */
    const char *friendly;     /* ISO codes, comma-separated, of nations whose military aircraft
                               * are identified friends to every owner and never advised on
                               * (NULL / "": none) */
    const aw_airbase *bases;  /* the base table: NULL = theater.h's (aw_airbase_at) */
    int nbases;               /* its length when bases is given */
} aw_advisor_options;

/* The defaults above. */
void aw_advisor_defaults(aw_advisor_options *opt);

/* The ready time (minutes) and cruise speed (km/h) the advisor uses for a base: its own
 * figures, or where the table has none the research notes' nominal scramble model --
 * airborne 8 min after the order (the upper end of the ROKAF 4-8 min, the only ROKAF
 * figure published being Seosan's 8; JASDF bases all publish 5) and 900 km/h. */
double aw_advice_ready_min(const aw_airbase *b);
double aw_advice_cruise_kmh(const aw_airbase *b);

/* Is this base one of the owner's interceptor bases? A military base in the owner's
 * country flown by the owner's own air force (ROKAF for KR, JASDF for JP...; allied
 * forces' bases are not the owner's to scramble), and not a bomber base. */
bool aw_advice_interceptor_base(const aw_airbase *b, const char *owner);

/* One base's answer in an advice. */
typedef struct aw_advice_base {
    const aw_airbase *base;
    double ready_min, speed_kmh;
    double intercept_time;    /* Unix s */
    double lat, lon;          /* the intercept point */
    double fighter_distance_m;
    bool before_territory;    /* the intercept comes before the territorial airspace */
} aw_advice_base;

#define AW_ADVICE_MAX_BASES 8

typedef enum aw_advice_kind { AW_ADVICE_SCRAMBLE = 0, AW_ADVICE_INTERCEPT = 1 } aw_advice_kind;

/* An event of the advisor: a scramble advice or an intercept. Valid during the callback. */
typedef struct aw_advice_event {
    aw_advice_kind kind;
    char track[AW_TRACK_ID_MAX];  /* the intruder */
    char owner[4];                /* the zone owner advised */
    char zone[64];                /* the ADIZ it is in or heading into */
    double time;                  /* the report that caused it (Unix s) */
    double lat, lon, alt_ft;      /* intruder (advice) or interceptor (intercept) position */
    aw_identity identity;         /* of the intruder */
    /* scramble_advice */
    const char *reason;           /* "inside", "heading", "turn", "speed" */
    double course_deg, speed_mps; /* the intruder's, as estimated */
    double time_to_zone_s;        /* 0 when inside */
    char territory[64];           /* the owner's territorial zone it would reach first, "" none */
    double time_to_territory_s;   /* -1: not within the intercept horizon */
    int nbases;                   /* bases that can intercept, best (earliest) first */
    aw_advice_base bases[AW_ADVICE_MAX_BASES];
    /* intercept */
    char interceptor[AW_TRACK_ID_MAX];
    double distance_m;            /* interceptor to intruder when the event fired */
    double advice_time;           /* first advice of the episode (Unix s) */
    double takeoff_time;          /* the interceptor's take-off (its first report) */
    const char *takeoff_base;     /* base or airfield name, "" if not recognised */
    const char *takeoff_icao;     /* its code, "" if not recognised */
    const char *advised_base;     /* the advice's best base at take-off, "" if none */
} aw_advice_event;

typedef void (*aw_advice_fn)(const aw_advice_event *ev, void *user);

typedef struct aw_advisor aw_advisor;

/* Create an advisor over zones (ADIZs: kind "adiz"; territory: kind "territorial";
 * owner from the zones' `owner`). db (may be NULL) identifies tracks; opt NULL =
 * defaults. Returns NULL on allocation failure. */
aw_advisor *aw_advisor_new(const aw_zone_set *zones, const aw_aircraft_db *db,
                           const aw_advisor_options *opt, aw_advice_fn fn, void *user);
void aw_advisor_free(aw_advisor *a);

/* Feed one report (in time order per track, as the engine takes them). Reports without
 * a position update the track's callsign, squawk, speed and track. Returns 0, or -1 on
 * allocation failure. */
int aw_advisor_report(aw_advisor *a, const aw_report *r);

/* Feed one zone event: an entry into an ADIZ makes the track's next report be looked at
 * at once; a track lost is forgotten. */
void aw_advisor_event(aw_advisor *a, const aw_event *ev);

/* "scramble_advice" or "intercept". */
const char *aw_advice_kind_name(aw_advice_kind k);

/* Write the event as one JSON object (no newline), snprintf rules: returns the length
 * written or needed. Advice: type, track, time (ISO 8601 UTC), owner, zone, reason, lat,
 * lon, alt_ft, nation, aircraft_type, course_deg, speed_kt, time_to_zone_s, territory,
 * time_to_territory_s (null if none), base, base_icao, intercept_time, intercept_lat,
 * intercept_lon, before_territory, bases [{base, icao, operator, ready_min, speed_kmh,
 * nominal, intercept_time, intercept_lat, intercept_lon, distance_km, before_territory}].
 * Intercept: type, track, interceptor, owner, zone, time, lat, lon, alt_ft, distance_nm,
 * advice_time, takeoff_time, takeoff_base, takeoff_icao, advised_base,
 * advice_to_takeoff_s, takeoff_to_intercept_s. */
int aw_advice_event_to_json(const aw_advice_event *ev, char *buf, size_t n);

/* ---- from the store, for reports (src/report/advice_section.c) --------------------- */

/* The stored scramble_advice and intercept records with from <= time < to, in time
 * order, as malloc'ed JSON strings (*n of them; free with aw_advice_strings_free), or
 * NULL with a reason in err. */
char **aw_advice_records(aw_store *s, double from, double to, size_t *n, char *err,
                         size_t errlen);
void aw_advice_strings_free(char **v, size_t n);

/* Write the "Scramble advice and intercepts" section of an observer report (Markdown to
 * md) and its `advice` and `intercepts` arrays (the observer's records as stored, to
 * json, each preceded by a comma: the caller's object is open), from records as
 * aw_advice_records gives them; only those whose owner is the observer. Local times at
 * tz_offset_s. Either FILE may be NULL. Returns 0, or -1 if a record does not parse. */
int aw_advice_report(const char *const *records, size_t n, const char *observer,
                     int tz_offset_s, FILE *md, FILE *json);

AW_END_DECLS
#endif
