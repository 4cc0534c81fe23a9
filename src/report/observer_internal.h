/* observer_internal.h -- what the observer report's files share (internal).
 *
 * observer.c builds visits and groups and writes the timeline; observer_counts.c counts
 * aircraft and entries and says why two observers' counts differ; basis.c writes the
 * provenance and the assumptions; place_names.c names places as the observer does. */
#ifndef ADIZWATCH_OBSERVER_INTERNAL_H
#define ADIZWATCH_OBSERVER_INTERNAL_H

#include <stdio.h>

#include "adizwatch/observer.h"

/* One visit of a zone by a track, as the report shows it: an enter and its exit (NULL
 * while open); a noise re-entry merged into it moves the exit on (merged counts them). */
typedef struct visit {
    const aw_event *enter, *exit;
    int zone;
    int merged;              /* re-entries folded into this visit */
    bool dropped;            /* folded into an earlier visit */
    char airframe[48];
    aw_airframe_basis basis;
    aw_identity id;
} visit;

/* Write `,"provenance":{...},"assumptions":{...}` and the Markdown section. */
void basis_json(const aw_report_basis *b, FILE *json);
void basis_md(const aw_report_basis *b, FILE *md);

/* The "Counted" paragraph and `counts` / `total_aircraft` for the observer's ADIZ, and,
 * with opt->other, the "Why the counts differ" section and `reconcile`. v: the visits
 * (dropped ones skipped), of every zone. */
void counts_write(const visit *v, size_t nv, const aw_zone_set *zones,
                  const aw_observer_options *opt, FILE *md, FILE *json);
void reconcile_write(const visit *v, size_t nv, const aw_zone_set *zones,
                     const aw_observer_options *opt, FILE *md, FILE *json);

/* JSON string with escapes. */
void report_json_string(FILE *f, const char *s);
/* {"type", "nation", key: n}, after a comma unless first. */
void report_kind_json(FILE *json, bool first, const char *type, const char *nation,
                      const char *key, int n);

#endif
