/* position.h -- the position report the unit tests feed: a track id, a time, a place and
 * an altitude, nothing else known. */
#ifndef ADIZWATCH_TEST_POSITION_H
#define ADIZWATCH_TEST_POSITION_H

#include <stdio.h>

#include "adizwatch/report.h"

static inline aw_report position_report(const char *id, double t, double lat, double lon, double alt)
{
    aw_report r;
    aw_report_clear(&r);
    snprintf(r.track, sizeof r.track, "%s", id);
    r.time = t;
    r.has_position = true;
    r.lat = lat;
    r.lon = lon;
    r.alt_ft = alt;
    return r;
}

#endif
