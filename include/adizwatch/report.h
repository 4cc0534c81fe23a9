/* report.h -- one aircraft position report, the unit every input is turned into.
 *
 * Whatever the source (CSV, SBS-1, later radar formats), a parser produces aw_report
 * values and the engine consumes them. Unknown numeric fields are NAN; unknown text
 * fields are empty strings. */
#ifndef ADIZWATCH_REPORT_H
#define ADIZWATCH_REPORT_H

#include <stdbool.h>
#include "export.h"

AW_BEGIN_DECLS

#define AW_TRACK_ID_MAX 32 /* bytes including the terminating NUL */
#define AW_CALLSIGN_MAX 12 /* bytes including the terminating NUL */
#define AW_SQUAWK_MAX 8    /* bytes including the terminating NUL */

typedef struct aw_report {
    double time;                     /* Unix epoch seconds, UTC, fractional allowed */
    char track[AW_TRACK_ID_MAX];     /* ICAO 24-bit address in lower-case hex, or a radar track id */
    bool has_position;               /* false: the report only updates attributes (SBS MSG 1, 4, 6...) */
    double lat, lon;                 /* WGS84 degrees, valid when has_position */
    double alt_ft;                   /* barometric altitude in feet, NAN = unknown */
    char callsign[AW_CALLSIGN_MAX];  /* trimmed; "" = not in this report */
    char squawk[AW_SQUAWK_MAX];      /* 4 octal digits; "" = not in this report */
    double speed_kt;                 /* ground speed, NAN = unknown */
    double track_deg;                /* true track over ground, NAN = unknown */
} aw_report;

/* Reset every field to "unknown" (NAN / empty / no position). */
void aw_report_clear(aw_report *r);

AW_END_DECLS
#endif
