/* report_map.h -- `adizwatch report --out DIR`: the day's map beside the report. */
#ifndef ADIZWATCH_REPORT_MAP_H
#define ADIZWATCH_REPORT_MAP_H

#include <stddef.h>

#include "adizwatch/event.h"
#include "adizwatch/identify.h"
#include "adizwatch/observer.h"
#include "adizwatch/zones.h"

/* Write DIR/map-<OBS>-<DAY>.svg, .png and .json for the observer's day: the tracks (the
 * store's positions) of foreign military or unidentified aircraft that entered another
 * nation's zone that day, coloured by patrol group (else by nation), with advice and
 * intercept records, the places the day's incursions are described from, and the
 * observer's air bases. events are the stored events (time order). Prints what it wrote,
 * or why not, on stderr. Returns 0, or -1 on failure. */
int report_map_write(const char *db_path, const aw_event *events, size_t nev,
                     const aw_zone_set *zones, const aw_aircraft_db *adb,
                     const aw_observer_options *opt, const char *day, const char *out_dir);

#endif
