/* basis.c -- what a report rests on: recorded or simulated tracks, and what was assumed.
 *
 * A reader of a report must be able to tell a recording from a simulation, and a
 * published fact from a scenario's guess (docs/report.md). `replay --db` keeps one row
 * per input in the store's provenance table; a simulated input carries the scenario's
 * own statement (name, seed, and for each take-off or landing it did not find published,
 * its reason). This file reads that back, numbers the assumptions as the report's
 * "Sources and assumptions" section lists them, and writes the section and the JSON. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/sim.h"
#include "report/observer_internal.h"

typedef struct input {
    char *file, *format, *tracks, *receiver;
    json_t *detail; /* a simulated input's provenance object, or NULL */
} input;

typedef struct assumed {
    char *track, *item, *reason;
    int number; /* 1-based; items with the same reason share one */
} assumed;

struct aw_report_basis {
    input *in;
    size_t nin;
    assumed *as;
    size_t nas;
    int nreasons;
    bool failed;
};

static int add_input(const aw_provenance *p, void *user)
{
    aw_report_basis *b = user;
    input *g = realloc(b->in, (b->nin + 1) * sizeof *g);
    if (!g) {
        b->failed = true;
        return 1;
    }
    b->in = g;
    input *i = &b->in[b->nin++];
    i->file = strdup(p->input);
    i->format = strdup(p->format);
    i->tracks = strdup(p->tracks);
    i->receiver = strdup(p->receiver ? p->receiver : "");
    i->detail = p->detail ? json_loads(p->detail, 0, NULL) : NULL;
    if (!i->file || !i->format || !i->tracks || !i->receiver)
        b->failed = true;
    /* The scenario's assumed items, numbered by distinct reason. */
    size_t k;
    json_t *a;
    json_array_foreach(json_object_get(i->detail, "assumed"), k, a) {
        const char *track = json_string_value(json_object_get(a, "track"));
        const char *item = json_string_value(json_object_get(a, "item"));
        const char *reason = json_string_value(json_object_get(a, "reason"));
        if (!track || !item || !reason)
            continue;
        assumed *ga = realloc(b->as, (b->nas + 1) * sizeof *ga);
        if (!ga) {
            b->failed = true;
            return 1;
        }
        b->as = ga;
        int number = 0;
        for (size_t j = 0; j < b->nas && !number; j++)
            if (strcmp(b->as[j].reason, reason) == 0)
                number = b->as[j].number;
        b->as[b->nas++] = (assumed){strdup(track), strdup(item), strdup(reason),
                                    number ? number : ++b->nreasons};
    }
    return 0;
}

aw_report_basis *aw_report_basis_load(aw_store *s, char *err, size_t errlen)
{
    aw_report_basis *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (aw_store_provenance(s, add_input, b, err, errlen) < 0 || b->failed) {
        if (b->failed)
            snprintf(err, errlen, "out of memory");
        aw_report_basis_free(b);
        return NULL;
    }
    return b;
}

void aw_report_basis_free(aw_report_basis *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nin; i++) {
        free(b->in[i].file);
        free(b->in[i].format);
        free(b->in[i].tracks);
        free(b->in[i].receiver);
        json_decref(b->in[i].detail);
    }
    for (size_t i = 0; i < b->nas; i++) {
        free(b->as[i].track);
        free(b->as[i].item);
        free(b->as[i].reason);
    }
    free(b->in);
    free(b->as);
    free(b);
}

const char *aw_report_basis_tracks(const aw_report_basis *b)
{
    if (!b || b->nin == 0)
        return "unknown";
    bool rec = false, sim = false;
    for (size_t i = 0; i < b->nin; i++) {
        rec |= strcmp(b->in[i].tracks, "recorded") == 0;
        sim |= strcmp(b->in[i].tracks, "simulated") == 0;
    }
    return rec && sim ? "mixed" : sim ? "simulated" : "recorded";
}

int aw_report_basis_assumed(const aw_report_basis *b, const char *track, const char *item)
{
    for (size_t i = 0; b && i < b->nas; i++)
        if (strcmp(b->as[i].track, track) == 0 && strcmp(b->as[i].item, item) == 0)
            return b->as[i].number;
    return 0;
}

const char *aw_report_basis_reason(const aw_report_basis *b, int k)
{
    for (size_t i = 0; b && i < b->nas; i++)
        if (b->as[i].number == k)
            return b->as[i].reason;
    return NULL;
}

static const char *detail_str(const input *in, const char *key)
{
    const char *s = json_string_value(json_object_get(in->detail, key));
    return s ? s : "";
}

char *aw_report_basis_sentence(const aw_report_basis *b, char *buf, size_t n)
{
    const char *tracks = aw_report_basis_tracks(b);
    if (strcmp(tracks, "unknown") == 0) {
        snprintf(buf, n, "Basis of the tracks unknown (the store records no provenance)");
        return buf;
    }
    size_t used = (size_t)snprintf(buf, n, "%c%s tracks: ", tracks[0] - 'a' + 'A', tracks + 1);
    for (size_t i = 0; i < b->nin && used < n; i++) {
        const input *in = &b->in[i];
        if (in->detail)
            used += (size_t)snprintf(buf + used, n - used, "%sscenario %s, seed %lld (simulated, "
                                                           "not a recording)", i ? "; " : "",
                                     detail_str(in, "scenario"),
                                     (long long)json_integer_value(json_object_get(in->detail, "seed")));
        else
            used += (size_t)snprintf(buf + used, n - used, "%s%s (%s%s%s)", i ? "; " : "",
                                     in->file, in->format, in->receiver[0] ? ", " : "",
                                     in->receiver);
    }
    return buf;
}

void basis_json(const aw_report_basis *b, FILE *json)
{
    json_t *o = json_object(), *inputs = json_array(), *as = json_array();
    json_object_set_new(o, "tracks", json_string(aw_report_basis_tracks(b)));
    for (size_t i = 0; b && i < b->nin; i++) {
        const input *in = &b->in[i];
        json_t *e = json_pack("{s:s, s:s, s:s}", "file", in->file, "format", in->format,
                              "tracks", in->tracks);
        if (in->receiver[0])
            json_object_set_new(e, "receiver", json_string(in->receiver));
        if (in->detail) {
            const char *keys[] = {"scenario", "title", "seed", "observer"};
            for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
                json_t *v = json_object_get(in->detail, keys[k]);
                if (v && !json_is_null(v))
                    json_object_set(e, keys[k], v);
            }
        }
        json_array_append_new(inputs, e);
        json_t *g = json_object_get(in->detail, "assumptions");
        size_t k;
        json_t *a;
        json_array_foreach(g, k, a) json_array_append(as, a);
    }
    json_object_set_new(o, "inputs", inputs);
    char *t = json_dumps(o, JSON_COMPACT);
    fprintf(json, ",\"provenance\":%s", t ? t : "null");
    free(t);
    json_decref(o);
    /* The numbered assumptions the items cite, and the scenario's general ones. */
    json_t *items = json_array();
    for (int k = 1; b && k <= b->nreasons; k++) {
        json_t *tracks = json_array();
        const char *reason = NULL;
        for (size_t i = 0; i < b->nas; i++)
            if (b->as[i].number == k) {
                reason = b->as[i].reason;
                json_array_append_new(tracks, json_pack("{s:s, s:s}", "track", b->as[i].track,
                                                        "item", b->as[i].item));
            }
        json_array_append_new(items, json_pack("{s:i, s:s, s:o}", "number", k, "reason",
                                               reason ? reason : "", "items", tracks));
    }
    json_t *all = json_pack("{s:o, s:o}", "items", items, "general", as);
    t = json_dumps(all, JSON_COMPACT);
    fprintf(json, ",\"assumptions\":%s", t ? t : "null");
    free(t);
    json_decref(all);
}

void basis_md(const aw_report_basis *b, FILE *md)
{
    char line[1024];
    fputs("\n## Sources and assumptions\n\n", md);
    fprintf(md, "- **Basis:** %s.\n", aw_report_basis_sentence(b, line, sizeof line));
    for (size_t i = 0; b && i < b->nin; i++) {
        const input *in = &b->in[i];
        fprintf(md, "- Input: `%s` (%s, %s%s%s)", in->file, in->format, in->tracks,
                in->receiver[0] ? ", " : "", in->receiver);
        if (in->detail) {
            json_t *obs = json_object_get(in->detail, "observer");
            fprintf(md, ": scenario %s, \"%s\", seed %lld, %s", detail_str(in, "scenario"),
                    detail_str(in, "title"),
                    (long long)json_integer_value(json_object_get(in->detail, "seed")),
                    json_is_string(obs) ? "one observer's radars" : "every observer's radars");
            if (json_is_string(obs))
                fprintf(md, " (%s)", json_string_value(obs));
        }
        fputs("\n", md);
    }
    if (strcmp(aw_report_basis_tracks(b), "recorded") == 0)
        fputs("- The tracks are recorded; nothing in this report rests on a scenario "
              "assumption. Take-offs, landings, groups and airframe links are inferred from "
              "the tracks by the rules of docs/patrol.md and docs/report.md.\n",
              md);
    if (b && b->nreasons) {
        fputs("\nItems marked *[assumed Ak]* rest on the scenario's own assumption k, not on a "
              "published source:\n\n",
              md);
        for (int k = 1; k <= b->nreasons; k++) {
            fprintf(md, "- A%d (", k);
            int shown = 0;
            for (size_t i = 0; i < b->nas; i++)
                if (b->as[i].number == k)
                    fprintf(md, "%s%s %s", shown++ ? ", " : "", b->as[i].track,
                            strcmp(b->as[i].item, "arrival") == 0 ? "landing" : "take-off");
            fprintf(md, "): %s\n", aw_report_basis_reason(b, k));
        }
    }
    for (size_t i = 0; b && i < b->nin; i++) {
        json_t *g = json_object_get(b->in[i].detail, "assumptions");
        if (!json_array_size(g))
            continue;
        fprintf(md, "\nThe scenario's general assumptions (%s):\n\n", detail_str(&b->in[i], "scenario"));
        size_t k;
        json_t *a;
        json_array_foreach(g, k, a)
            fprintf(md, "- %s. *Why:* %s\n", json_string_value(json_object_get(a, "what")),
                    json_string_value(json_object_get(a, "why")) ? json_string_value(json_object_get(a, "why")) : "");
    }
}

static void mark(json_t *o, const aw_report_basis *b, int n)
{
    json_object_set_new(o, "basis", json_string("assumed"));
    json_object_set_new(o, "assumption", json_integer(n));
    json_object_set_new(o, "reason", json_string(aw_report_basis_reason(b, n)));
}

char *aw_report_basis_annotate(const aw_report_basis *b, const char *json_text)
{
    json_t *o = json_loads(json_text, 0, NULL);
    if (!o)
        return NULL;
    const char *type = json_string_value(json_object_get(o, "type"));
    const char *track = json_string_value(json_object_get(o, "track"));
    if (type && track && (strcmp(type, "takeoff") == 0 || strcmp(type, "landing") == 0)) {
        int n = aw_report_basis_assumed(b, track, type[0] == 't' ? "departure" : "arrival");
        if (n)
            mark(o, b, n);
    }
    const char *lists[2] = {"takeoffs", "landings"};
    const char *items[2] = {"departure", "arrival"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(o, lists[l]), i, e) {
            size_t k;
            json_t *t;
            json_array_foreach(json_object_get(e, "tracks"), k, t) {
                int n = aw_report_basis_assumed(b, json_string_value(t), items[l]);
                if (n) {
                    mark(e, b, n);
                    break;
                }
            }
        }
    }
    const char *who = json_string_value(json_object_get(o, "interceptor"));
    if (type && strcmp(type, "intercept") == 0 && who) {
        int n = aw_report_basis_assumed(b, who, "departure");
        if (n)
            mark(o, b, n);
    }
    char *out = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    return out;
}

/* Great-circle distance in km (a sphere is close enough for radar cover). */
static double sphere_km(double lat1, double lon1, double lat2, double lon2)
{
    double r = M_PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 6371.0 * asin(fmin(1, sqrt(a)));
}

int aw_report_basis_radar_sees(const aw_report_basis *b, const char *observer, double lat,
                               double lon, double alt_ft)
{
    int known = -1;
    for (size_t i = 0; b && i < b->nin; i++) {
        size_t k;
        json_t *ob;
        json_array_foreach(json_object_get(b->in[i].detail, "sensors"), k, ob) {
            const char *id = json_string_value(json_object_get(ob, "observer"));
            if (!id || strcmp(id, observer) != 0)
                continue;
            known = 0;
            size_t j;
            json_t *st;
            json_array_foreach(json_object_get(ob, "sites"), j, st) {
                double range = json_number_value(json_object_get(st, "range_km"));
                if (isfinite(alt_ft))
                    range = fmin(range, aw_radar_horizon_km(
                                            json_number_value(json_object_get(st, "antenna_m")),
                                            alt_ft * 0.3048));
                if (sphere_km(lat, lon, json_number_value(json_object_get(st, "lat")),
                              json_number_value(json_object_get(st, "lon"))) <= range)
                    return 1;
            }
        }
    }
    return known;
}
