/* patrol_section.c -- the "Patrols" section of an observer report.
 *
 * It is written from the group events' JSON (patrol.h), whether they come fresh from the
 * analysis or from the store's records, so both paths print the same thing: per group
 * its aircraft by type and nation, joint / escorted, where members took off and landed
 * (abroad or not), the straits it went through, and how long it flew. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/event.h"
#include "adizwatch/ingest.h"
#include "adizwatch/patrol.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Local "HH:MM" of an ISO time member. */
static const char *hm(json_t *o, const char *key, int tz, char *buf, size_t n)
{
    const char *iso = str(o, key);
    double t;
    char out[40];
    if (aw_parse_time(iso, strlen(iso), &t) < 0) {
        snprintf(buf, n, "?");
        return buf;
    }
    aw_format_time(t + tz, out, sizeof out);
    snprintf(buf, n, "%.5s", out + 11);
    return buf;
}

static void duration(FILE *md, json_int_t s)
{
    if (s >= 3600)
        fprintf(md, "%lld h %02lld min", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        fprintf(md, "%lld min", (long long)(s / 60));
}

/* The member object of a track, or NULL. */
static json_t *member(json_t *g, const char *track)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(g, "members"), i, m)
        if (strcmp(str(m, "track"), track) == 0)
            return m;
    return NULL;
}

/* "Tu-95MS x2, H-6K x1" for a list of track ids, by the members' types. */
static void tracks_by_type(FILE *md, json_t *g, json_t *tracks)
{
    const char *types[16];
    int counts[16], nt = 0;
    size_t i;
    json_t *t;
    json_array_foreach(tracks, i, t) {
        json_t *m = member(g, json_string_value(t));
        const char *type = m && str(m, "type")[0] ? str(m, "type") : "unknown type";
        int k = 0;
        while (k < nt && strcmp(types[k], type) != 0)
            k++;
        if (k == nt && nt < 16) {
            types[nt] = type;
            counts[nt++] = 0;
        }
        if (k < nt)
            counts[k]++;
    }
    for (int k = 0; k < nt; k++)
        fprintf(md, "%s%s \u00d7%d", k ? ", " : "", types[k], counts[k]);
}

static void fields(FILE *md, json_t *g, const char *key, const char *unseen, int tz, bool landing)
{
    char t[8];
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(g, key), i, e) {
        fprintf(md, "%s%s (%s, %s) %s, ", i ? "; " : "", str(e, "field_name"), str(e, "field"),
                str(e, "field_country"), hm(e, "time", tz, t, sizeof t));
        tracks_by_type(md, g, json_object_get(e, "tracks"));
        if (landing && json_is_true(json_object_get(e, "landed_abroad")))
            fprintf(md, " -- **landed abroad** (%s aircraft in %s)", str(e, "nation"),
                    str(e, "field_country"));
        if (strcmp(str(e, "basis"), "assumed") == 0) /* marked by the report (basis.c) */
            fprintf(md, " *[assumed A%lld]*",
                    (long long)json_integer_value(json_object_get(e, "assumption")));
    }
    json_t *u = json_object_get(g, unseen);
    if (json_array_size(u)) {
        fprintf(md, "%snot seen: ", json_array_size(json_object_get(g, key)) ? "; " : "");
        tracks_by_type(md, g, u);
    }
    fputc('\n', md);
}

static void group_md(FILE *md, json_t *g, int tz)
{
    char a[8], b[8];
    fprintf(md, "\n### %s: ", str(g, "group"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(g, "aircraft"), i, e) {
        const char *type = str(e, "type")[0] ? str(e, "type") : "unknown type";
        fprintf(md, "%s%s \u00d7%lld%s%s%s", i ? ", " : "", type,
                (long long)json_integer_value(json_object_get(e, "count")),
                str(e, "nation")[0] ? " (" : "", str(e, "nation"), str(e, "nation")[0] ? ")" : "");
    }
    fputc('\n', md);
    fprintf(md, "\n- %s",
            json_is_true(json_object_get(g, "joint")) ? "**Joint**: " : "One nation: ");
    json_array_foreach(json_object_get(g, "nations"), i, e)
        fprintf(md, "%s%s", i ? " + " : "", json_string_value(e));
    if (json_array_size(json_object_get(g, "nations")) == 0)
        fputs("unknown", md);
    if (json_is_true(json_object_get(g, "escorted"))) {
        fputs("; **escorted** by ", md);
        json_t *ids = json_array();
        json_array_foreach(json_object_get(g, "escorts"), i, e)
            json_array_append_new(ids, json_string(str(e, "track")));
        tracks_by_type(md, g, ids);
        json_decref(ids);
    }
    if (json_array_size(json_object_get(g, "shadowed_by"))) {
        fputs("\n- Shadowed by (flying with it, of another side):", md);
        json_array_foreach(json_object_get(g, "shadowed_by"), i, e)
            fprintf(md, "%s %s %s (%s) %s-%s", i ? ";" : "", str(e, "track"),
                    str(e, "type")[0] ? str(e, "type") : "?",
                    str(e, "nation")[0] ? str(e, "nation") : "?", hm(e, "from", tz, a, sizeof a),
                    hm(e, "to", tz, b, sizeof b));
    }
    fprintf(md, "\n- Together %s-%s (", hm(g, "start", tz, a, sizeof a),
            hm(g, "end", tz, b, sizeof b));
    duration(md, json_integer_value(json_object_get(g, "duration_s")));
    fprintf(md, "); mission %s-%s (", hm(g, "mission_start", tz, a, sizeof a),
            hm(g, "mission_end", tz, b, sizeof b));
    duration(md, json_integer_value(json_object_get(g, "mission_s")));
    fputs(", take-off or first seen to landing or last seen)\n- Took off: ", md);
    fields(md, g, "takeoffs", "takeoff_unseen", tz, false);
    fputs("- Landed: ", md);
    fields(md, g, "landings", "landing_unseen", tz, true);
    fputs("- Straits: ", md);
    json_array_foreach(json_object_get(g, "straits"), i, e) {
        fprintf(md, "%s%s", i ? "; " : "", str(e, "strait"));
        if (str(e, "channel")[0])
            fprintf(md, " (%s)", str(e, "channel"));
        fprintf(md, " %s heading %s, ", hm(e, "time", tz, a, sizeof a), str(e, "heading"));
        tracks_by_type(md, g, json_object_get(e, "tracks"));
    }
    fputs(json_array_size(json_object_get(g, "straits")) ? "\n" : "none\n", md);
    fputs("- Members:", md);
    json_array_foreach(json_object_get(g, "members"), i, e)
        fprintf(md, "%s %s %s (%s) %s-%s", i ? ";" : "", str(e, "track"),
                str(e, "type")[0] ? str(e, "type") : "?",
                str(e, "nation")[0] ? str(e, "nation") : "?", hm(e, "joined", tz, a, sizeof a),
                hm(e, "left", tz, b, sizeof b));
    fputc('\n', md);
}

int aw_patrol_report(const char *const *groups_json, size_t n, int tz_offset_s, FILE *md,
                     FILE *json)
{
    json_t **g = calloc(n + 1, sizeof *g);
    if (!g)
        return -1;
    int rc = (int)n;
    for (size_t i = 0; i < n; i++)
        if (!(g[i] = json_loads(groups_json[i], 0, NULL)) || !json_is_object(g[i]))
            rc = -1;
    if (md && rc >= 0) {
        fputs("\n## Patrols\n\n", md);
        if (n == 0)
            fputs("No group of aircraft flew together (docs/patrol.md).\n", md);
        else
            fputs("Aircraft that flew together (within 10 km for 10 min by default; "
                  "docs/patrol.md), with where they took off and landed and the straits "
                  "they went through. Times are local.\n",
                  md);
        for (size_t i = 0; i < n; i++)
            group_md(md, g[i], tz_offset_s);
    }
    if (json && rc >= 0) {
        fputs(",\"patrols\":[", json);
        for (size_t i = 0; i < n; i++) {
            char *text = json_dumps(g[i], JSON_COMPACT | JSON_REAL_PRECISION(10));
            fprintf(json, "%s%s", i ? "," : "", text ? text : "null");
            free(text);
        }
        fputc(']', json);
    }
    for (size_t i = 0; i < n; i++)
        json_decref(g[i]);
    free(g);
    return rc;
}
