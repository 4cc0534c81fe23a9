/* observer.h -- what an observing nation reports: its zones' incursions of one day.
 *
 * An air-defence staff reports groups, not tracks: "H-6K x2 entered the KADIZ 126 km NW
 * of Ieodo at 05:48 and left at 06:13". Visits (an enter and its exit) of the observer's
 * zones are grouped when they begin close together in time and place; each group is
 * described with its aircraft by type and nation, its places in words and its local
 * times. Territorial airspace is reported explicitly, entered or not. */
#ifndef ADIZWATCH_OBSERVER_H
#define ADIZWATCH_OBSERVER_H

#include <stdio.h>

#include "event.h"
#include "identify.h"
#include "zones.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_observer_options {
    const char *observer;  /* ISO code of the observing nation: zones with this owner */
    double day_start;      /* Unix seconds: visits entered in [day_start, day_end) */
    double day_end;
    int tz_offset_s;       /* the observer's local time, for the text */
    double group_window_s; /* visits entered within this of a group's first: same group (600) */
    double group_dist_m;   /* ... and within this distance of it (100 km) */
    const char *other;     /* a second observer to reconcile with, or NULL */
    const char *const *patrols; /* group events' JSON (patrol.h) for a "Patrols" section and
                                 * a `patrols` array; NULL = no such section */
    size_t npatrols;
    const char *const *advice;  /* scramble_advice and intercept records' JSON (advice.h), in
                                 * time order, for a "Scramble advice and intercepts" section
                                 * and `advice` / `intercepts` arrays; NULL = no section */
    size_t nadvice;
} aw_observer_options;

/* The observer's local offset from UTC in seconds: East Asia's nations (KR, JP, KP +9 h;
 * CN, TW +8 h; RU's Far East +10 h), 0 for any other. */
int aw_observer_utc_offset(const char *observer);

/* Fill opt->day_start and day_end for the observer's local day "YYYY-MM-DD" at
 * opt->tz_offset_s. Returns 0, or -1 if day is not a date. */
int aw_observer_day(aw_observer_options *opt, const char *day);

/* Write the report on `events` (all stored events, in time order) as Markdown and as
 * JSON (either FILE may be NULL). The JSON has an `incursions` array, one entry per
 * group and zone visit: zone, enter, exit (ISO 8601 UTC, null while open), enter_place,
 * exit_place, aircraft [{type, nation, count}], territorial. With opt->patrols, a
 * "Patrols" section and a `patrols` array follow (patrol.h). Returns the number of
 * incursions, or -1 on allocation failure or a patrol group that does not parse. */
int aw_observer_report(const aw_event *events, size_t n, const aw_zone_set *zones,
                       const aw_aircraft_db *db, const aw_observer_options *opt, FILE *markdown,
                       FILE *json);

AW_END_DECLS
#endif
