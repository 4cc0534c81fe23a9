/* feed_json.h -- the JSON field readers readsb_json.c and trace_json.c share: readsb and
 * tar1090 write the same fields (an altitude that may be "ground", callsigns padded with
 * spaces, the database's r/t/dbFlags) in both kinds of file, so they are read one way.
 * Internal to src/ingest. */
#ifndef ADIZWATCH_INGEST_FEED_JSON_H
#define ADIZWATCH_INGEST_FEED_JSON_H

#include <jansson.h>

#include "adizwatch/feeds.h"

/* Every field unknown (NAN / "" / false / 0). */
void feed_info_clear(aw_feed_info *info);
/* A JSON number (integer or real) as a double; NAN for anything else or absent. */
double feed_json_number(const json_t *v);
/* A JSON string, blanks trimmed, into buf; "" for anything else. */
void feed_json_text(const json_t *v, char *buf, size_t size);
/* An altitude: a number of feet, or "ground" (*alt_ft = 0, info->on_ground); else NAN. */
void feed_json_altitude(const json_t *v, double *alt_ft, aw_feed_info *info);
/* "r", "t", "dbFlags" of an object into info. */
void feed_json_db(const json_t *obj, aw_feed_info *info);

#endif
