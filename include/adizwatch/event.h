/* event.h -- zone entry and exit events, as defined by the event contract.
 *
 * An event says that a track entered or left a zone, why (a crossing, the track's
 * first report, or the track being lost), and where and when. Exits also carry the
 * visit's dwell time and maximum depth. */
#ifndef ADIZWATCH_EVENT_H
#define ADIZWATCH_EVENT_H

#include <stddef.h>

#include "report.h"
#include "export.h"

AW_BEGIN_DECLS

typedef enum aw_event_type { AW_ENTER = 0, AW_EXIT = 1 } aw_event_type;

typedef enum aw_event_cause {
    AW_CROSSING = 0,   /* the path between two reports crossed the zone's boundary */
    AW_FIRST_SEEN = 1, /* the track's first report (or first after a gap) is inside */
    AW_LOST = 2        /* the next report came after more than the timeout */
} aw_event_cause;

typedef struct aw_event {
    aw_event_type type;
    aw_event_cause cause;
    char track[AW_TRACK_ID_MAX];
    char zone[64];                  /* zone id, truncated if longer (ids are checked at load) */
    double time;                    /* Unix epoch seconds, UTC */
    double lat, lon;                /* WGS84 degrees, lon in [-180, 180) */
    double alt_ft;                  /* NAN = unknown (printed as null) */
    char callsign[AW_CALLSIGN_MAX]; /* "" = none known (omitted from JSON) */
    double dwell_s;                 /* exits only: seconds since the matching enter */
    double max_depth_m;             /* exits only: deepest horizontal distance from the boundary */
} aw_event;

/* "enter"/"exit" and "crossing"/"first_seen"/"lost". */
const char *aw_event_type_name(aw_event_type t);
const char *aw_event_cause_name(aw_event_cause c);
/* Parse those names back; return 0 on success, -1 if unknown. */
int aw_event_type_parse(const char *s, aw_event_type *out);
int aw_event_cause_parse(const char *s, aw_event_cause *out);

/* Format `time` as ISO 8601 UTC with milliseconds, "2022-11-30T03:48:00.000Z".
 * buf needs at least 32 bytes. Returns buf. */
char *aw_format_time(double time, char *buf, size_t n);

/* Write the event as one JSON object (no newline) into buf, as the contract spells it.
 * Returns the length written, or the length needed if n is too small (like snprintf). */
int aw_event_to_json(const aw_event *ev, char *buf, size_t n);

AW_END_DECLS
#endif
