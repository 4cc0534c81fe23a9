/* observer.h -- what an observing nation reports: its zones' incursions over a period.
 *
 * An air-defence staff reports groups, not tracks: "H-6K x2 entered the KADIZ 126 km NW
 * of Ieodo at 05:48 and left at 06:13". Visits (an enter and its exit) of the observer's
 * zones are grouped when they begin close together in time and place; each group is
 * described with its aircraft by type and nation, how it came in (crossed the boundary or
 * was first seen inside) and how it went (crossed out, lost, or still inside), its places
 * in words as the observer names them and its local times. Aircraft are counted as
 * aircraft, not tracks (patrol.h, airframes). Each observer's own publishing rules shape
 * what is said about the counts of another; every report states the basis of its tracks
 * (recorded or simulated, and what the simulation assumed). Rules in docs/report.md. */
#ifndef ADIZWATCH_OBSERVER_H
#define ADIZWATCH_OBSERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "event.h"
#include "identify.h"
#include "patrol.h"
#include "store.h"
#include "zones.h"
#include "export.h"

AW_BEGIN_DECLS

/* ---- basis: where the tracks came from (src/report/basis.c) --------------------------
 *
 * Read from the store's provenance table (store.h), which `replay --db` fills: each input
 * recorded or simulated, and a simulated input's scenario, seed and assumptions. */
typedef struct aw_report_basis aw_report_basis;

/* The store's provenance. NULL with a reason in err on a store error. */
aw_report_basis *aw_report_basis_load(aw_store *s, char *err, size_t errlen);
void aw_report_basis_free(aw_report_basis *b);
/* "recorded", "simulated", "mixed", or "unknown" (no provenance stored: a store written
 * before adizwatch kept it). b may be NULL ("unknown"). */
const char *aw_report_basis_tracks(const aw_report_basis *b);
/* The number (1-based, as the report's "Sources and assumptions" lists them) of the
 * scenario assumption behind this track's "departure" or "arrival", or 0 if none. */
int aw_report_basis_assumed(const aw_report_basis *b, const char *track, const char *item);
/* The reason of assumption number k (1-based), or NULL. */
const char *aw_report_basis_reason(const aw_report_basis *b, int k);
/* A patrol event's or record's JSON with what rests on an assumption marked
 * "basis":"assumed", "assumption": k, "reason": a take-off or landing event of an assumed
 * track, a group's take-offs and landings of assumed tracks, an intercept whose
 * interceptor's take-off is assumed. malloc'ed; NULL if json does not parse. */
char *aw_report_basis_annotate(const aw_report_basis *b, const char *json);
/* Could the observer's radars see an aircraft here? A simulated input's sensor sites
 * (range and radar horizon, sim.h): 1 yes, 0 no, -1 not known (no sites of that
 * observer in the provenance, as for recorded tracks). alt_ft NAN: range only. */
int aw_report_basis_radar_sees(const aw_report_basis *b, const char *observer, double lat,
                               double lon, double alt_ft);
/* One sentence for a map legend or a caption: "Simulated tracks: scenario 2022-11-30,
 * seed 1 (not a recording)" / "Recorded tracks: day.csv (csv)". Returns buf. */
char *aw_report_basis_sentence(const aw_report_basis *b, char *buf, size_t n);

/* ---- the report ------------------------------------------------------------------------ */

typedef struct aw_observer_options {
    const char *observer;  /* ISO code of the observing nation: zones with this owner */
    double day_start;      /* Unix seconds: visits entered in [day_start, day_end) */
    double day_end;
    int tz_offset_s;       /* the observer's local time, for the text */
    const char *tz_name;   /* as given (+09:00, Asia/Seoul), for the title; NULL = offset */
    double group_window_s; /* visits entered within this of a group's first: same group (600) */
    double group_dist_m;   /* ... and within this distance of it (100 km) */
    double merge_gap_s;    /* a re-entry within this of the exit (120 s) ... */
    double merge_depth_m;  /* ... never deeper than this (1852 m): one visit in the report */
    double split_s;        /* members leaving more than this apart: separate exits (300 s) */
    bool neutral_names;    /* Liancourt Rocks, not Dokdo (KR) or Takeshima (JP) */
    const char *other;     /* a second observer to reconcile with, or NULL */
    const char *const *patrols; /* group events' JSON (patrol.h) for a "Patrols" section and
                                 * a `patrols` array; NULL = no such section */
    size_t npatrols;
    const char *const *advice;  /* scramble_advice and intercept records' JSON (advice.h), in
                                 * time order, for a "Scramble advice and intercepts" section
                                 * and `advice` / `intercepts` arrays; NULL = no section */
    size_t nadvice;
    const aw_airframe_leg *legs; /* airframes of the tracks (patrol.h); NULL/0: each track's
                                  * address, database airframe or id */
    size_t nlegs;
    const aw_report_basis *basis; /* provenance; NULL = unknown */
    const aw_position *positions; /* the period's trails (store.h), for radar cover in the
                                   * reconcile; NULL/0 = not told */
    size_t npositions;
} aw_observer_options;

/* Defaults: the windows and thresholds above, everything else zero / NULL. */
void aw_observer_defaults(aw_observer_options *opt);

/* The observer's local offset from UTC in seconds: East Asia's nations (KR, JP, KP +9 h;
 * CN, TW +8 h; RU's Far East +10 h), 0 for any other. */
int aw_observer_utc_offset(const char *observer);

/* Fill opt->day_start and day_end for the observer's local day "YYYY-MM-DD" at
 * opt->tz_offset_s. Returns 0, or -1 if day is not a date. */
int aw_observer_day(aw_observer_options *opt, const char *day);

/* What an observer publishes about incursions, as modelled (docs/report.md). */
typedef struct aw_observer_rule {
    const char *iso;        /* "KR" */
    const char *publisher;  /* "ROK Joint Chiefs of Staff (JCS)" */
    const char *publishes;  /* what its releases give, in a sentence */
    bool counts_adiz;       /* it publishes the aircraft that entered its ADIZ */
} aw_observer_rule;
/* The rule of an observer; a generic one ("aircraft in its zones") for any other. */
const aw_observer_rule *aw_observer_rule_of(const char *observer);

/* A place name as the observer writes it ("Liancourt Rocks" -> "Dokdo" for KR,
 * "Takeshima" for JP); neutral names are the table's. Every occurrence in text is
 * rewritten; returns a malloc'ed string (NULL when out of memory). */
char *aw_observer_place_names(const char *text, const char *observer, bool neutral);

/* Write the report on `events` (all stored events, in time order) as Markdown and as
 * JSON (either FILE may be NULL). The JSON: observer, from, to, `incursions` (one entry
 * per group and zone visit: zone, enter, exit (ISO 8601 UTC, null while open),
 * first_seen_inside, exit_how, enter_place, exit_place, exits (one per part that left
 * apart), aircraft [{type, nation, count}], tracks, airframes, territorial), `counts`
 * [{zone, type, nation, aircraft, entries}] and `total_aircraft` for the observer's
 * ADIZ, `observer_rules`, `provenance`, `assumptions`; with opt->other `reconcile`; with
 * opt->patrols `patrols`; with opt->advice `advice` and `intercepts`. Returns the number
 * of incursions, or -1 on allocation failure or a patrol group that does not parse. */
int aw_observer_report(const aw_event *events, size_t n, const aw_zone_set *zones,
                       const aw_aircraft_db *db, const aw_observer_options *opt, FILE *markdown,
                       FILE *json);

AW_END_DECLS
#endif
