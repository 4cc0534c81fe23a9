/* alerts_internal.h -- what alerts.c (zone events, advice) and patrol_alerts.c (patrol
 * events) share: the run's alerts and the one way an event reaches the rules. */
#ifndef ADIZWATCH_ALERTS_INTERNAL_H
#define ADIZWATCH_ALERTS_INTERNAL_H

#include <jansson.h>

#include "adizwatch/alerts.h"

typedef struct patrol_trails patrol_trails;

struct aw_alerts {
    aw_alert_rules *rules;
    aw_deliverer *d;
    const aw_zone_set *zones;
    const aw_aircraft_db *db;
    uint64_t events, selected;
    uint64_t by_type[4]; /* enter, exit, scramble_advice, intercept */
    bool last_selected;  /* the last event given was selected */
    /* where the tracks come from (aw_alerts_set_provenance) */
    char *provenance;    /* the JSON as given, NULL = recorded */
    json_t *assumed;     /* its "assumed" items, or NULL */
    const char *provenance_given; /* the pointer last given, to skip comparing again */
    patrol_trails *patrol; /* NULL: no patrol alerts */
};

/* Select in->... with the rules and queue the alert: 1 queued, 0 not selected or already
 * queued, -1 error (reason in err). in->basis, when NULL, is the run's. */
int alerts_submit(aw_alerts *a, const aw_alert_input *in, char *err, size_t errlen);
/* The assumption (its reason) that item ("departure", "arrival") of track rests on, or
 * NULL. */
const char *alerts_assumed(const aw_alerts *a, const char *track, const char *item);
/* Free the patrol state (patrol_alerts.c). */
void alerts_patrol_free(aw_alerts *a);
/* Live: analyse when due (from aw_alerts_tick). */
void alerts_patrol_tick(aw_alerts *a);

#endif
