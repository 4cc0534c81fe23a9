/* alerts.h -- which events become alerts, and their delivery to people and systems.
 *
 * An alert is an event (a zone entry or exit, a scramble advice, an intercept, a take-off,
 * a landing abroad, a group of the patrol analysis, ...) that the rules select. Rules live in an INI file (docs/alerts.md): [rule NAME] sections
 * that select by event type, zone, zone kind, zone owner, nation, military /
 * unidentified and altitude band, with de-duplication and a rate limit per rule; an
 * [alerts] section naming friendly nations (never alerted); and [output NAME] sections
 * describing sinks (URL, headers, body template, credentials). Without rules every event
 * is an alert.
 *
 * Every alert has a stable id: a hash of what identifies its event (type, track, zone,
 * cause, time to the millisecond, and for advice its whole JSON), so the same event
 * gives the same id on every run and a receiver can drop the duplicates that
 * at-least-once delivery brings.
 *
 * Delivery goes through a durable outbox in SQLite (the store given with --db, or a
 * spool file): an alert is queued in the transaction that commits its event, each sink
 * has a thread that reads what is committed, sends it and reports acknowledgements; a
 * row leaves the outbox only once its sink acknowledged it (file written and synced,
 * HTTP 2xx, MQTT PUBACK, JetStream ack or NATS flush). Sinks retry with backoff on their
 * own, so a dead sink never holds up another; a restart resumes from the outbox. */
#ifndef ADIZWATCH_ALERTS_H
#define ADIZWATCH_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "export.h"
#include "identify.h"
#include "report.h"
#include "store.h"
#include "zones.h"

AW_BEGIN_DECLS

/* ---- rules ------------------------------------------------------------------------ */

typedef struct aw_alert_rules aw_alert_rules;

/* Load a rule file. Returns NULL with "PATH:LINE: reason" in err when the file cannot be
 * read or anything in it is wrong (an unknown section or key, a bad value): nothing is
 * half-loaded. */
aw_alert_rules *aw_alert_rules_load(const char *path, char *err, size_t errlen);
/* No rule file: every event is an alert. */
aw_alert_rules *aw_alert_rules_all(void);
void aw_alert_rules_free(aw_alert_rules *r);

/* Add friendly nations ("KR,JP": ISO 3166-1 alpha-2, comma-separated): events about
 * their aircraft are never alerted. Returns 0, or -1 with the reason in err. */
int aw_alert_rules_add_friendly(aw_alert_rules *r, const char *list, char *err, size_t errlen);

/* What the rules look at. Strings are "" when unknown, never NULL. */
typedef struct aw_alert_input {
    const char *type;      /* "enter", "exit", "scramble_advice", "intercept", ... */
    const char *cause;     /* "crossing", "first_seen", "lost"; for advice its reason */
    const char *track, *zone, *callsign;
    const char *zone_kind; /* the zone's `kind` ("adiz", "territorial", ...) */
    const char *owner;     /* the zone's owner (ISO code) */
    const char *nation;    /* the aircraft's (identify.h) */
    bool military, unidentified;
    double time, lat, lon, alt_ft; /* alt_ft NAN = unknown */
    const char *event_json; /* the event as printed (one JSON object) */
    /* Where the event comes from: "recorded", "simulated" or "assumed" (it rests on a
     * scenario's assumption, stated in basis_reason); NULL = not said. */
    const char *basis, *basis_reason;
} aw_alert_input;

/* Is type one of the patrol analysis' (takeoff, landing, landing_abroad, group, escort,
 * strait, mission)? A rule selects those only when its `events` names them. */
bool aw_alert_type_is_patrol(const char *type);
/* Does any rule name a patrol type? (Only then are patrol events worth finding.) */
bool aw_alert_rules_want_patrol(const aw_alert_rules *r);

/* Does an event become an alert? Returns the name of the first rule that selects it
 * ("*" without a rule file), or NULL. Keeps the de-duplication and rate-limit state,
 * which counts in event time, so a replay selects the same alerts on every run.
 * Events must come in time order for the limits to hold. */
const char *aw_alert_rules_select(aw_alert_rules *r, const aw_alert_input *in);

/* ---- outputs (sinks) described by the rule file ----------------------------------- */

/* Body templates for webhooks: the alert itself, or the {"text": ...} object Slack and
 * Mattermost accept, or Discord's {"content": ...}. */
typedef enum aw_alert_template {
    AW_TEMPLATE_JSON = 0, AW_TEMPLATE_SLACK, AW_TEMPLATE_DISCORD
} aw_alert_template;

#define AW_OUTPUT_HEADERS_MAX 8

typedef struct aw_alert_output {
    char name[64];   /* the section's name, or the URL for an --output alone */
    char url[512];   /* file:PATH, http(s)://..., mqtt(s)://HOST:PORT/TOPIC, nats://HOST:PORT/SUBJECT */
    char headers[AW_OUTPUT_HEADERS_MAX][256]; /* HTTP "Name: value" */
    int nheaders;
    aw_alert_template body;
    char username[128], password[128]; /* MQTT / NATS */
    char tls_ca[256];  /* MQTT over TLS (mqtts://): CA file; "" = the system's */
    double retry_max_s; /* the longest wait between retries (30) */
} aw_alert_output;

/* The outputs of the rule file, then those added. */
int aw_alert_rules_outputs(const aw_alert_rules *r);
const aw_alert_output *aw_alert_rules_output(const aw_alert_rules *r, int i);
/* Add an --output URL (kept once if the file has an output with that URL). Returns 0, or
 * -1 with the reason in err (a URL of no known kind). */
int aw_alert_rules_add_output(aw_alert_rules *r, const char *url, char *err, size_t errlen);

/* ---- alerts ----------------------------------------------------------------------- */

#define AW_ALERT_ID_LEN 32 /* hex digits; buffers need one more */

/* The alert's stable id: 128 bits of hash, in hex. */
void aw_alert_id(const aw_alert_input *in, char id[AW_ALERT_ID_LEN + 1]);

/* The alert as one JSON object (no newline): id, rule, type, track, zone, zone_kind,
 * owner, nation, military, unidentified, time, text (one line for people) and event
 * (the event itself). snprintf rules: returns the length written or needed. */
int aw_alert_to_json(const aw_alert_input *in, const char *id, const char *rule, char *buf,
                     size_t n);

/* ---- delivery --------------------------------------------------------------------- */

typedef struct aw_deliverer aw_deliverer;

/* Start delivering to the rules' outputs from the outbox in the SQLite file at path.
 * store, when given, is the store already open on that file (replay / watch --db): alerts
 * are queued in its transactions, and it must stay open until aw_deliverer_detach_store.
 * Without it the deliverer opens the file itself (a spool file, or `deliver --db`).
 * Returns NULL with the reason in err. */
aw_deliverer *aw_deliverer_new(const aw_alert_rules *rules, const char *path, aw_store *store,
                               char *err, size_t errlen);

/* Queue an alert for every output (in the open transaction; an id already queued or sent
 * is ignored). Returns 1 if queued, 0 if already known, -1 on error (reason in err). */
int aw_deliverer_queue(aw_deliverer *d, const char *id, double time, const char *json,
                       char *err, size_t errlen);
/* Apply the acknowledgements the sinks reported (removing their rows) and commit when
 * due. Call from the thread that queues, at least every second. */
int aw_deliverer_tick(aw_deliverer *d);
/* The borrowed store is about to close: from now on the deliverer writes through a
 * connection of its own. */
int aw_deliverer_detach_store(aw_deliverer *d, char *err, size_t errlen);

/* Wait until every queued alert is acknowledged or refused, or timeout_s passed (or
 * *stop became non-zero, if stop is given). Returns how many alerts (rows of the outbox)
 * are still queued. */
long aw_deliverer_wait(aw_deliverer *d, double timeout_s, volatile const int *stop);

/* The outputs (URLs) that have alerts queued in the outbox of the SQLite file at path:
 * malloc'ed strings, *n of them (free each, then the array). NULL with the reason in err
 * when the file cannot be opened; NULL with *n = 0 when nothing is queued. */
char **aw_deliverer_queued_outputs(const char *path, int *n, char *err, size_t errlen);

/* Counters of one output. */
typedef struct aw_sink_stats {
    const char *url;
    uint64_t sent;     /* acknowledged */
    uint64_t failed;   /* attempts that failed (and will be retried) */
    uint64_t refused;  /* permanently refused (HTTP 4xx): left in the outbox, not retried this run */
    bool up;           /* the last attempt succeeded */
} aw_sink_stats;

/* The number of outputs (sinks): output i is the rules' output i (aw_alert_rules_output). */
int aw_deliverer_sinks(const aw_deliverer *d);
/* Alerts of output i still in the outbox (committed or not), or -1. From the thread that
 * queues. */
long aw_deliverer_queued(aw_deliverer *d, int i);
void aw_deliverer_sink_stats(const aw_deliverer *d, int i, aw_sink_stats *out);

/* Stop the sink threads (an alert in flight stays queued), apply the last
 * acknowledgements, close. */
void aw_deliverer_free(aw_deliverer *d);

/* ---- alerts over a run: rules + deliverer, fed the engine's and the advisor's events -- */

struct aw_advice_event;
typedef struct aw_alerts aw_alerts;

/* Take rules and deliverer (both owned from now on, freed by aw_alerts_free); zones
 * give each zone's kind and owner, db (may be NULL; must outlive the alerts) the
 * aircraft's nation and whether it is military. */
aw_alerts *aw_alerts_new(aw_alert_rules *rules, aw_deliverer *d, const aw_zone_set *zones,
                         const aw_aircraft_db *db);
/* A zone event: queued for delivery if the rules select it. Call it before the event is
 * added to the store, so both are in one transaction. Returns 1 if queued, 0 if not
 * selected (or already queued), -1 on error (reason in err). */
int aw_alerts_event(aw_alerts *a, const aw_event *ev, char *err, size_t errlen);
/* A scramble advice or intercept, with its JSON as printed. As aw_alerts_event. */
int aw_alerts_advice(aw_alerts *a, const struct aw_advice_event *ev, const char *json,
                     char *err, size_t errlen);
/* Select with these rules from now on (owned; the old ones are freed, with their
 * de-duplication state). The outputs stay those the deliverer started with. */
void aw_alerts_set_rules(aw_alerts *a, aw_alert_rules *rules);
/* aw_deliverer_tick. */
int aw_alerts_tick(aw_alerts *a);
aw_deliverer *aw_alerts_deliverer(aw_alerts *a);
/* ---- patrol events as alerts (src/deliver/patrol_alerts.c) ---------------------------
 *
 * Take-offs, landings, groups, escorts, strait transits and missions (patrol.h) are found
 * on the tracks' trails, so the alerts keep a trail of their own: a position per track
 * every trail_interval_s, sampled as the store samples its trails, so that the analysis
 * sees what `adizwatch patrol` would see in the store. Patrol alerts have their type
 * ("landing_abroad" for a landing whose field is not of the aircraft's nation), the
 * field (take-off, landing) or strait as their zone (zone_kind "airfield" or "strait",
 * owner the field's country), and an id over type, track, zone and time alone, so the
 * same take-off or group has the same id whether found live or in a replay.
 *
 * A replay (live false) analyses every trail once, when aw_alerts_patrol_finish is
 * called at the end of the input. Live (watch, serve), the trails of the tracks seen in
 * the last hour are analysed each minute of feed time (and when the feed is quiet for ten
 * seconds), and an event is alerted once it is settled -- when later reports can no
 * longer change it: a landing or a mission once its track has been silent for
 * max_gap_s (10 min: until then the aircraft may still be flying), anything else once
 * the feed's clock is max_gap_s past it. Each event is given to the rules once. Nothing
 * happens unless a rule names a patrol type. */
/* Start keeping trails (with the aircraft database of aw_alerts_new for types and
 * nations); called again, only sets live. Returns 0 (also when no rule wants patrol
 * events), -1 out of memory. */
int aw_alerts_patrol_start(aw_alerts *a, bool live, double trail_interval_s);
/* A report the engine accepted. */
void aw_alerts_report(aw_alerts *a, const aw_report *r);
/* A replay's input ended: analyse the trails and alert every event not yet given to the
 * rules. Nothing when started live (a live feed that stops leaves trails unfinished).
 * Returns the number queued, or -1 (reason in err). */
int aw_alerts_patrol_finish(aw_alerts *a, char *err, size_t errlen);
/* Analyse now, live or not: all, every event (a recording served live has ended, so its
 * trails are complete: serve --replay at the end of its file); else the settled ones. */
int aw_alerts_patrol_analyse(aw_alerts *a, bool all, char *err, size_t errlen);
/* Where the tracks come from: the JSON of a simulated input's provenance comment
 * (ingest.h; its "assumed" items mark what rests on an assumption), or NULL: recorded.
 * Every alert from now on carries its basis. Copied; a call with the same text is cheap. */
void aw_alerts_set_provenance(aw_alerts *a, const char *json);
/* Patrol events given to the rules so far. */
uint64_t aw_alerts_patrol_count(const aw_alerts *a);

/* Whether the rules selected the last event given (aw_alerts_event, aw_alerts_advice). */
bool aw_alerts_last_selected(const aw_alerts *a);
/* Events seen and alerts selected so far. */
void aw_alerts_counts(const aw_alerts *a, uint64_t *events, uint64_t *selected);
/* Events seen so far by type: enter, exit, scramble_advice, intercept (out[0..3]). */
void aw_alerts_type_counts(const aw_alerts *a, uint64_t out[4]);
void aw_alerts_free(aw_alerts *a);

AW_END_DECLS
#endif
