/* alerts.c -- alerts over a run: each event the engine or the advisor makes is described
 * for the rules (zone kind and owner from the zone set, nation and military from
 * identify.h), and the selected ones are queued with their stable id.
 *
 * A zone event carries the callsign but no squawk, so "unidentified" for it means
 * military, or no callsign at the event (aw_identify with an empty squawk). */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "deliver/alerts_internal.h"

aw_alerts *aw_alerts_new(aw_alert_rules *rules, aw_deliverer *d, const aw_zone_set *zones,
                         const aw_aircraft_db *db)
{
    aw_alerts *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->rules = rules;
    a->d = d;
    a->zones = zones;
    a->db = db;
    return a;
}

static void zone_facts(const aw_alerts *a, const char *zone, aw_alert_input *in)
{
    in->zone_kind = in->owner = "";
    int z = a->zones ? aw_zones_find(a->zones, zone) : -1;
    if (z >= 0) {
        const aw_zone_info *info = aw_zones_info(a->zones, z);
        in->zone_kind = info->kind;
        in->owner = info->owner;
    }
}

int alerts_submit(aw_alerts *a, const aw_alert_input *in_given, char *err, size_t errlen)
{
    aw_alert_input basis = *in_given, *in = &basis;
    if (!in->basis)
        in->basis = a->provenance ? "simulated" : "recorded";
    a->events++;
    static const char *const types[4] = {"enter", "exit", "scramble_advice", "intercept"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(in->type, types[i]))
            a->by_type[i]++;
    const char *rule = aw_alert_rules_select(a->rules, in);
    a->last_selected = rule != NULL;
    if (!rule)
        return 0;
    a->selected++;
    char id[AW_ALERT_ID_LEN + 1], stack[4096];
    aw_alert_id(in, id);
    int n = aw_alert_to_json(in, id, rule, stack, sizeof stack);
    char *json = stack;
    if (n >= (int)sizeof stack) {
        if (!(json = malloc((size_t)n + 1))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        aw_alert_to_json(in, id, rule, json, (size_t)n + 1);
    }
    int rc = aw_deliverer_queue(a->d, id, in->time, json, err, errlen);
    if (json != stack)
        free(json);
    return rc;
}

int aw_alerts_event(aw_alerts *a, const aw_event *ev, char *err, size_t errlen)
{
    char json[1024];
    int n = aw_event_to_json(ev, json, sizeof json);
    if (n <= 0 || (size_t)n >= sizeof json)
        json[0] = '\0';
    aw_identity id;
    aw_identify(a->db, ev->track, ev->callsign, "", &id);
    aw_alert_input in = {
        .type = aw_event_type_name(ev->type), .cause = aw_event_cause_name(ev->cause),
        .track = ev->track, .zone = ev->zone, .callsign = ev->callsign,
        .nation = id.nation, .military = id.military, .unidentified = id.unidentified,
        .time = ev->time, .lat = ev->lat, .lon = ev->lon, .alt_ft = ev->alt_ft,
        .event_json = json,
    };
    zone_facts(a, ev->zone, &in);
    return alerts_submit(a, &in, err, errlen);
}

int aw_alerts_advice(aw_alerts *a, const aw_advice_event *ev, const char *json, char *err,
                     size_t errlen)
{
    aw_alert_input in = {
        .type = aw_advice_kind_name(ev->kind),
        .cause = ev->kind == AW_ADVICE_SCRAMBLE && ev->reason ? ev->reason : "",
        .track = ev->track, .zone = ev->zone, .callsign = "",
        .nation = ev->identity.nation ? ev->identity.nation : "",
        .military = ev->identity.military, .unidentified = ev->identity.unidentified,
        .time = ev->time, .lat = ev->lat, .lon = ev->lon, .alt_ft = ev->alt_ft,
        .event_json = json,
    };
    zone_facts(a, ev->zone, &in);
    /* The advice names the owner advised; the zone's owner is the same. */
    if (ev->owner[0])
        in.owner = ev->owner;
    return alerts_submit(a, &in, err, errlen);
}

void aw_alerts_set_rules(aw_alerts *a, aw_alert_rules *rules)
{
    aw_alert_rules_free(a->rules);
    a->rules = rules;
}

int aw_alerts_tick(aw_alerts *a)
{
    alerts_patrol_tick(a);
    return aw_deliverer_tick(a->d);
}

void aw_alerts_set_provenance(aw_alerts *a, const char *json)
{
    if (json == a->provenance_given) /* the pipeline's copy, the same at every report */
        return;
    a->provenance_given = json;
    if (json && a->provenance && strcmp(json, a->provenance) == 0)
        return;
    free(a->provenance);
    json_decref(a->assumed);
    a->provenance = json ? strdup(json) : NULL;
    json_t *o = json ? json_loads(json, 0, NULL) : NULL;
    a->assumed = json_incref(json_object_get(o, "assumed"));
    json_decref(o);
}

const char *alerts_assumed(const aw_alerts *a, const char *track, const char *item)
{
    size_t i;
    json_t *e;
    json_array_foreach(a->assumed, i, e) {
        const char *t = json_string_value(json_object_get(e, "track"));
        const char *it = json_string_value(json_object_get(e, "item"));
        if (t && it && strcmp(t, track) == 0 && strcmp(it, item) == 0)
            return json_string_value(json_object_get(e, "reason"));
    }
    return NULL;
}

aw_deliverer *aw_alerts_deliverer(aw_alerts *a) { return a->d; }

bool aw_alerts_last_selected(const aw_alerts *a) { return a->last_selected; }

void aw_alerts_counts(const aw_alerts *a, uint64_t *events, uint64_t *selected)
{
    *events = a->events;
    *selected = a->selected;
}

void aw_alerts_type_counts(const aw_alerts *a, uint64_t out[4])
{
    memcpy(out, a->by_type, sizeof a->by_type);
}

void aw_alerts_free(aw_alerts *a)
{
    if (!a)
        return;
    aw_deliverer_free(a->d);
    aw_alert_rules_free(a->rules);
    alerts_patrol_free(a);
    free(a->provenance);
    json_decref(a->assumed);
    free(a);
}
