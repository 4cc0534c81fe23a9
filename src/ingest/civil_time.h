/* civil_time.h -- a calendar date and time of day, in a clock offset from UTC, to epoch
 * seconds.
 *
 * The ISO 8601 parser (time_parse.c) and the SBS reader (sbs.c), whose date and time come
 * in separate fields, both end here, so a time read either way passes the same checks
 * and comes out as the same double. Internal to src/ingest. */
#ifndef ADIZWATCH_INGEST_CIVIL_TIME_H
#define ADIZWATCH_INGEST_CIVIL_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Fraction digits past nanoseconds carry nothing useful: scale stops growing here. */
#define AW_CIVIL_SCALE_MAX 1000000000

typedef struct aw_civil_time {
    int year, month, day, hour, minute, second;
    int64_t frac, scale; /* fraction of a second: frac / scale, scale a power of ten */
} aw_civil_time;

/* Reads the fraction digits of s[p..len) (p just past the '.') into c->frac and c->scale,
 * kept as an integer so that the final division rounds once. Returns the index past the
 * digits, or -1 when there is none. */
ptrdiff_t aw_civil_read_fraction(aw_civil_time *c, const char *s, size_t len, size_t p);

/* Checks the fields (month, day of that month, hour <= 23, minute <= 59, second <= 60),
 * subtracts offset_s (seconds east of UTC) and checks that the time is within years 1 to
 * 9999, as aw_parse_time does. 0 and *out set, or -1. */
int aw_civil_time_to_epoch(const aw_civil_time *c, int offset_s, double *out);

#endif
