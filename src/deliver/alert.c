/* alert.c -- an alert's stable id and its JSON.
 *
 * The id is what lets at-least-once delivery look like exactly-once to a receiver: it
 * must be the same for the same event on every run, on every machine, and differ for
 * any two events. So it hashes what the event contract says identifies an event --
 * type, track, zone, cause and time to the millisecond -- and, for advice and intercepts,
 * their whole JSON, which is deterministic. A patrol event (a take-off, a group) is named
 * by type, track, zone (field or strait) and time alone: its JSON grows while it is
 * watched live (a group's members, a mission's end), and the event is the same. 128 bits keep
 * collisions out of reach for any number of alerts a receiver will ever hold. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adizwatch/alerts.h"
#include "events/json_writer.h"

/* FNV-1a, 64 bits, over the string and a separator, then a final avalanche (the
 * splitmix64 finaliser) so that near keys give unrelated ids. */
static uint64_t hash_add(uint64_t h, const char *s)
{
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return (h ^ 0x1f) * 1099511628211ull;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void aw_alert_id(const aw_alert_input *in, char id[AW_ALERT_ID_LEN + 1])
{
    char ms[32];
    snprintf(ms, sizeof ms, "%lld", (long long)llround(in->time * 1000.0));
    bool named = !strcmp(in->type, "enter") || !strcmp(in->type, "exit") ||
                 aw_alert_type_is_patrol(in->type);
    const char *parts[] = {in->type, in->track, in->zone, in->cause, ms,
                           named ? "" : in->event_json};
    uint64_t a = 1469598103934665603ull, b = 0x84222325cbf29ce4ull;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        a = hash_add(a, parts[i]);
        b = hash_add(b ^ 0x5bd1e995u, parts[i]);
    }
    snprintf(id, AW_ALERT_ID_LEN + 1, "%016llx%016llx", (unsigned long long)mix(a),
             (unsigned long long)mix(b ^ a));
}

/* Bytes as they are, cut like json_put when the buffer is full. */
static void put_bytes(json_writer *w, const char *s, size_t n)
{
    if (w->len + 1 < w->size) {
        size_t room = w->size - w->len - 1, k = n < room ? n : room;
        memcpy(w->buf + w->len, s, k);
        w->buf[w->len + k] = '\0';
    }
    w->len += n;
}

static void put_string(json_writer *w, const char *s)
{
    put_bytes(w, "\"", 1);
    while (*s) {
        size_t run = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e"
                                "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                "\x1e\x1f");
        put_bytes(w, s, run);
        s += run;
        if (!*s)
            break;
        unsigned char c = (unsigned char)*s++;
        if (c == '"' || c == '\\')
            json_put(w, "\\%c", c);
        else
            json_put(w, "\\u%04x", c);
    }
    put_bytes(w, "\"", 1);
}

/* One line for people: who, what, where, when. */
static void put_text(json_writer *w, const aw_alert_input *in)
{
    char when[32], text[512], who[96], what[160];
    aw_format_time(in->time, when, sizeof when);
    snprintf(who, sizeof who, "%s%s%s%s%s%s", in->callsign[0] ? in->callsign : in->track,
             in->callsign[0] ? " (" : "", in->callsign[0] ? in->track : "",
             in->callsign[0] ? ")" : "", in->nation[0] ? ", " : "", in->nation);
    if (!strcmp(in->type, "enter"))
        snprintf(what, sizeof what, "entered %s", in->zone);
    else if (!strcmp(in->type, "exit"))
        snprintf(what, sizeof what, "left %s", in->zone);
    else if (!strcmp(in->type, "scramble_advice"))
        snprintf(what, sizeof what, "scramble advice for %s (%s)", in->zone, in->cause);
    else if (!strcmp(in->type, "takeoff"))
        snprintf(what, sizeof what, "took off from %s (%s)", in->zone, in->owner);
    else if (!strcmp(in->type, "landing") || !strcmp(in->type, "landing_abroad"))
        snprintf(what, sizeof what, "landed at %s (%s%s)", in->zone, in->owner,
                 in->type[7] ? ", abroad" : "");
    else if (!strcmp(in->type, "strait"))
        snprintf(what, sizeof what, "crossed the %s", in->zone);
    else if (!strcmp(in->type, "group"))
        snprintf(what, sizeof what, "leads a group (patrol analysis)");
    else if (!strcmp(in->type, "escort"))
        snprintf(what, sizeof what, "escorts bombers (patrol analysis)");
    else if (!strcmp(in->type, "mission"))
        snprintf(what, sizeof what, "flew a mission (patrol analysis)");
    else
        snprintf(what, sizeof what, "%s in %s", in->type, in->zone);
    char alt[32] = "";
    if (isfinite(in->alt_ft))
        snprintf(alt, sizeof alt, ", %.0f ft", in->alt_ft);
    double lat = fabs(in->lat) < 5e-4 ? 0 : in->lat, lon = fabs(in->lon) < 5e-4 ? 0 : in->lon;
    snprintf(text, sizeof text, "%s%s%s %s at %s, %.3f%c %.3f%c%s", who,
             in->military ? ", military" : "", in->unidentified ? ", unidentified" : "", what,
             when, fabs(lat), lat >= 0 ? 'N' : 'S', fabs(lon), lon >= 0 ? 'E' : 'W', alt);
    put_string(w, text);
}

int aw_alert_to_json(const aw_alert_input *in, const char *id, const char *rule, char *buf,
                     size_t n)
{
    json_writer w = {buf, n, 0};
    char when[32];
    json_put(&w, "{\"id\":\"%s\",\"rule\":", id);
    put_string(&w, rule ? rule : "");
    json_put(&w, ",\"type\":");
    put_string(&w, in->type);
    json_put(&w, ",\"track\":");
    put_string(&w, in->track);
    json_put(&w, ",\"zone\":");
    put_string(&w, in->zone);
    json_put(&w, ",\"zone_kind\":");
    put_string(&w, in->zone_kind);
    json_put(&w, ",\"owner\":");
    put_string(&w, in->owner);
    json_put(&w, ",\"nation\":");
    put_string(&w, in->nation);
    json_put(&w, ",\"military\":%s,\"unidentified\":%s,\"time\":\"%s\",\"text\":",
             in->military ? "true" : "false", in->unidentified ? "true" : "false",
             aw_format_time(in->time, when, sizeof when));
    put_text(&w, in);
    if (in->basis && in->basis[0]) {
        json_put(&w, ",\"basis\":");
        put_string(&w, in->basis);
        if (in->basis_reason && in->basis_reason[0]) {
            json_put(&w, ",\"basis_reason\":");
            put_string(&w, in->basis_reason);
        }
    }
    json_put(&w, ",\"event\":%s}", in->event_json[0] ? in->event_json : "null");
    if (n && w.len >= n)
        buf[n - 1] = '\0';
    return (int)w.len;
}
