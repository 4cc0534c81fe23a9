/* advice_section.c -- the "Scramble advice and intercepts" section of an observer report.
 *
 * Read back from the store's records (the JSON the CLI printed), so the report says what
 * the watch said at the time. Advice comes in episodes: an advice for a track that is
 * inside or heading into the ADIZ starts one, advice after turns and speed changes
 * updates it; the table shows each episode's first advice and how often it was updated.
 * The JSON arrays carry every record of the observer unchanged. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "adizwatch/ingest.h"
#include "adizwatch/theater.h"

typedef struct collect {
    char **v;
    size_t n, cap;
    bool failed;
} collect;

static int add_record(const aw_record *r, void *user)
{
    collect *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        char **v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->failed = true;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    if (!(c->v[c->n] = strdup(r->json))) {
        c->failed = true;
        return 1;
    }
    c->n++;
    return 0;
}

static int by_time(const void *a, const void *b)
{
    json_t *x = json_loads(*(char *const *)a, 0, NULL), *y = json_loads(*(char *const *)b, 0, NULL);
    const char *tx = json_string_value(json_object_get(x, "time"));
    const char *ty = json_string_value(json_object_get(y, "time"));
    int r = tx && ty ? strcmp(tx, ty) : 0; /* ISO 8601 UTC with ms: text order is time order */
    json_decref(x);
    json_decref(y);
    return r;
}

char **aw_advice_records(aw_store *s, double from, double to, size_t *n, char *err,
                         size_t errlen)
{
    collect c = {0};
    if (aw_store_records(s, "scramble_advice", from, to, add_record, &c, err, errlen) < 0 ||
        aw_store_records(s, "intercept", from, to, add_record, &c, err, errlen) < 0 ||
        c.failed) {
        if (c.failed)
            snprintf(err, errlen, "out of memory reading advice records");
        aw_advice_strings_free(c.v, c.n);
        return NULL;
    }
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, by_time);
    if (!c.v && !(c.v = calloc(1, sizeof *c.v))) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *n = c.n;
    return c.v;
}

void aw_advice_strings_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "05:48" in local time from an ISO 8601 UTC string ("?" if it does not parse). */
static void local_hm(const char *iso, int tz, char *buf, size_t n)
{
    double t;
    char out[40];
    if (!iso || aw_parse_time(iso, strlen(iso), &t) < 0) {
        snprintf(buf, n, "?");
        return;
    }
    aw_format_time(t + tz, out, sizeof out);
    snprintf(buf, n, "%.5s", out + 11);
}

static void aircraft(json_t *o, char *buf, size_t n)
{
    const char *type = str(o, "aircraft_type"), *nation = str(o, "nation");
    snprintf(buf, n, "%s%s%s%s", type[0] ? type : "unknown type", nation[0] ? " (" : "", nation,
             nation[0] ? ")" : "");
}

/* The advice table: one row per episode (its first advice), with the updates counted. */
static void advice_md(FILE *md, json_t **r, size_t n, int tz)
{
    size_t episodes = 0, total = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(str(r[i], "type"), "scramble_advice") == 0) {
            total++;
            const char *reason = str(r[i], "reason");
            episodes += strcmp(reason, "inside") == 0 || strcmp(reason, "heading") == 0;
        }
    if (total == 0) {
        fputs("No scramble advice was recorded (replay or watch with --advise).\n", md);
        return;
    }
    fprintf(md, "%zu advice episode%s, %zu advice in all (an update follows a turn of more "
                "than 15 degrees or a speed change of more than 20 %%; docs/advice.md). "
                "Times are local.\n\n"
                "| track | aircraft | advised | zone | best base | intercept | where | before "
                "territory | other bases | updates |\n"
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
            episodes, episodes == 1 ? "" : "s", total);
    for (size_t i = 0; i < n; i++) {
        json_t *a = r[i];
        const char *reason = str(a, "reason");
        if (strcmp(str(a, "type"), "scramble_advice") != 0 ||
            (strcmp(reason, "inside") != 0 && strcmp(reason, "heading") != 0))
            continue;
        int updates = 0;
        for (size_t j = i + 1; j < n; j++) {
            if (strcmp(str(r[j], "type"), "scramble_advice") != 0 ||
                strcmp(str(r[j], "track"), str(a, "track")) != 0)
                continue;
            const char *rj = str(r[j], "reason");
            if (strcmp(rj, "inside") == 0 || strcmp(rj, "heading") == 0)
                break; /* the next episode */
            updates++;
        }
        char t[16], ti[16] = "-", what[96], where[128] = "-", zone[96], others[256] = "";
        local_hm(str(a, "time"), tz, t, sizeof t);
        aircraft(a, what, sizeof what);
        double ttz = num(a, "time_to_zone_s");
        if (ttz > 0)
            snprintf(zone, sizeof zone, "%s in %.0f min", str(a, "zone"), ttz / 60);
        else
            snprintf(zone, sizeof zone, "%s (inside)", str(a, "zone"));
        const char *base = str(a, "base");
        if (base[0]) {
            local_hm(str(a, "intercept_time"), tz, ti, sizeof ti);
            aw_where(num(a, "intercept_lat"), num(a, "intercept_lon"), where, sizeof where);
        }
        json_t *bases = json_object_get(a, "bases");
        for (size_t k = 1; k < json_array_size(bases); k++) {
            size_t len = strlen(others);
            char hm[16];
            local_hm(str(json_array_get(bases, k), "intercept_time"), tz, hm, sizeof hm);
            snprintf(others + len, sizeof others - len, "%s%s %s", k > 1 ? ", " : "",
                     str(json_array_get(bases, k), "base"), hm);
        }
        double ttt = num(a, "time_to_territory_s");
        char before[64];
        if (!base[0])
            snprintf(before, sizeof before, "no base can meet it");
        else if (isnan(ttt))
            snprintf(before, sizeof before, "yes (not heading into it)");
        else
            snprintf(before, sizeof before, "%s (territory in %.0f min)",
                     json_is_true(json_object_get(a, "before_territory")) ? "yes" : "NO", ttt / 60);
        fprintf(md, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", str(a, "track"), what,
                t, zone, base[0] ? base : "none", ti, where, before, others[0] ? others : "-",
                updates);
    }
}

static void intercepts_md(FILE *md, json_t **r, size_t n, int tz)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += strcmp(str(r[i], "type"), "intercept") == 0;
    fputs("\n**Intercepts** (the owner's fighter took off after the advice and came within "
          "10 NM of the intruder):\n\n",
          md);
    if (count == 0) {
        fputs("None seen.\n", md);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *e = r[i];
        if (strcmp(str(e, "type"), "intercept") != 0)
            continue;
        char t[16], adv[16], off[16], what[96], where[128];
        local_hm(str(e, "time"), tz, t, sizeof t);
        local_hm(str(e, "advice_time"), tz, adv, sizeof adv);
        local_hm(str(e, "takeoff_time"), tz, off, sizeof off);
        aircraft(e, what, sizeof what);
        aw_where(num(e, "lat"), num(e, "lon"), where, sizeof where);
        const char *from = str(e, "takeoff_base"), *advised = str(e, "advised_base");
        fprintf(md, "- %s %s met %s %s, %.1f NM, %s; took off %s%s%s, %.0f min after the "
                    "advice of %s (advised: %s), and met it %.0f min later",
                t, str(e, "interceptor"), str(e, "track"), what, num(e, "distance_nm"), where,
                off, from[0] ? " from " : "", from, num(e, "advice_to_takeoff_s") / 60, adv,
                advised[0] ? advised : "no base", num(e, "takeoff_to_intercept_s") / 60);
        /* The interceptor's take-off is the scenario's, not a published one (basis.c). */
        if (strcmp(str(e, "basis"), "assumed") == 0)
            fprintf(md, " *[assumed A%lld]*", (long long)json_integer_value(json_object_get(e, "assumption")));
        fputc('\n', md);
    }
}

int aw_advice_report(const char *const *records, size_t n, const char *observer,
                     int tz_offset_s, FILE *md, FILE *json)
{
    json_t **r = calloc(n + 1, sizeof *r);
    if (!r)
        return -1;
    size_t m = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_loads(records[i], 0, NULL);
        if (!o || !json_is_object(o)) {
            json_decref(o);
            rc = -1;
            continue;
        }
        if (strcmp(str(o, "owner"), observer) == 0)
            r[m++] = o;
        else
            json_decref(o);
    }
    if (md) {
        fputs("\n## Scramble advice and intercepts\n\n", md);
        advice_md(md, r, m, tz_offset_s);
        intercepts_md(md, r, m, tz_offset_s);
    }
    if (json) {
        for (int pass = 0; pass < 2; pass++) {
            const char *type = pass ? "intercept" : "scramble_advice";
            fprintf(json, ",\"%s\":[", pass ? "intercepts" : "advice");
            int k = 0;
            for (size_t i = 0; i < m; i++) {
                if (strcmp(str(r[i], "type"), type) != 0)
                    continue;
                char *text = json_dumps(r[i], JSON_COMPACT | JSON_PRESERVE_ORDER |
                                                  JSON_REAL_PRECISION(10));
                fprintf(json, "%s%s", k++ ? "," : "", text ? text : "null");
                free(text);
            }
            fputc(']', json);
        }
    }
    for (size_t i = 0; i < m; i++)
        json_decref(r[i]);
    free(r);
    return rc;
}
