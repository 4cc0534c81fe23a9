/* observer.c -- an observing nation's period: visits grouped into incursions, as text and JSON.
 *
 * Visits come from pairing each enter with the next exit of the same track and zone. A
 * re-entry a moment after an exit that never gets deep (position noise on a boundary
 * the track flies along) is folded into the visit before it, so a report shows what an
 * air-defence staff would call one visit; the events themselves stay exact. Groups are
 * formed per zone, in order of entry: a visit joins the group whose first entry is within
 * the time window and distance of its own (bombers in formation enter within seconds and
 * a few kilometres of each other). The timeline is in time order across zones. A group
 * whose members leave apart (a formation splitting inside the zone) gives each part's
 * own exit. A visit of territorial airspace within half an hour of a landing at, or a
 * take-off from, a field of that country is a flight to or from it, not an incursion.
 * Thresholds and wording are in docs/report.md. */
#define _GNU_SOURCE /* open_memstream */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "adizwatch/ingest.h"
#include "adizwatch/theater.h"
#include "geo/geo.h"
#include "report/observer_internal.h"

typedef struct group {
    int zone, first, n;     /* v[first .. first+n) are its visits */
    double enter;
    const aw_event *first_enter;
} group;

void aw_observer_defaults(aw_observer_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->group_window_s = 600;
    opt->group_dist_m = 100000;
    opt->merge_gap_s = 120;
    opt->merge_depth_m = 1852;
    opt->split_s = 300;
}

static int cmp_visit(const void *a, const void *b)
{
    const visit *x = a, *y = b;
    if (x->zone != y->zone)
        return x->zone - y->zone;
    return x->enter->time < y->enter->time ? -1 : x->enter->time > y->enter->time;
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->enter != y->enter)
        return x->enter < y->enter ? -1 : 1;
    return x->zone - y->zone;
}

/* Local time: "HH:MM", or "MM-DD HH:MM" when the report spans more than one local day. */
static void local_hm(double t, int tz, bool with_date, char *buf, size_t n)
{
    char iso[32];
    aw_format_time(t + tz, iso, sizeof iso);
    if (with_date)
        snprintf(buf, n, "%.5s %.5s", iso + 5, iso + 11);
    else
        snprintf(buf, n, "%.5s", iso + 11);
}

void report_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
    fputc('"', f);
}

/* Aircraft of a set of visits by (type, nation), as "H-6K ×2 (CN), Tu-95MS ×4 (RU)". */
typedef struct kind {
    char type[64], nation[4];
    int count;
} kind;

static int kinds_of(const visit *const *vs, int n, kind *k, int max)
{
    int nk = 0;
    for (int i = 0; i < n; i++) {
        const char *type = vs[i]->id.type[0] ? vs[i]->id.type : "unknown type";
        int j = 0;
        while (j < nk && !(strcmp(k[j].type, type) == 0 && strcmp(k[j].nation, vs[i]->id.nation) == 0))
            j++;
        if (j == nk && nk < max) {
            snprintf(k[nk].type, sizeof k[nk].type, "%s", type);
            snprintf(k[nk].nation, sizeof k[nk].nation, "%s", vs[i]->id.nation);
            k[nk++].count = 0;
        }
        if (j < nk)
            k[j].count++;
    }
    return nk;
}

static void kinds_md(FILE *md, const kind *k, int nk)
{
    for (int j = 0; j < nk; j++)
        fprintf(md, "%s%s \u00d7%d%s%s%s", j ? ", " : "", k[j].type, k[j].count,
                k[j].nation[0] ? " (" : "", k[j].nation, k[j].nation[0] ? ")" : "");
}

void report_kind_json(FILE *json, bool first, const char *type, const char *nation,
                      const char *key, int n)
{
    fprintf(json, "%s{\"type\":", first ? "" : ",");
    report_json_string(json, type);
    fputs(",\"nation\":", json);
    report_json_string(json, nation);
    fprintf(json, ",\"%s\":%d}", key, n);
}

static void kinds_json(FILE *json, const char *name, const kind *k, int nk)
{
    fprintf(json, ",\"%s\":[", name);
    for (int i = 0; i < nk; i++)
        report_kind_json(json, i == 0, k[i].type, k[i].nation, "count", k[i].count);
    fputc(']', json);
}

static const char *exit_how(const aw_event *exit)
{
    return !exit ? "still_inside" : exit->cause == AW_LOST ? "lost" : "crossed";
}

static const char *exit_words(const aw_event *exit)
{
    return !exit ? "no exit: still inside where its track or the data ends"
                 : exit->cause == AW_LOST ? "lost (last seen)" : "crossed out";
}

/* "tkey": exit time, "pkey": exit place (null, null while inside). */
static void exit_json(FILE *json, const char *tkey, const char *pkey, const aw_event *e)
{
    char iso[32], place[128];
    if (!e) {
        fprintf(json, "\"%s\":null,\"%s\":null", tkey, pkey);
        return;
    }
    aw_where(e->lat, e->lon, place, sizeof place);
    fprintf(json, "\"%s\":\"%s\",\"%s\":", tkey, aw_format_time(e->time, iso, sizeof iso), pkey);
    report_json_string(json, place);
}

/* The parts of a group that left together: members sorted by exit, a new part when an
 * exit comes more than split_s after the part's first or the way out differs. */
typedef struct part {
    const visit *m[64];
    int n;
} part;

static int cmp_exit(const void *a, const void *b)
{
    const visit *x = *(const visit *const *)a, *y = *(const visit *const *)b;
    double tx = x->exit ? x->exit->time : INFINITY, ty = y->exit ? y->exit->time : INFINITY;
    return tx < ty ? -1 : tx > ty;
}

static int parts_of(const visit *v, const group *g, double split_s, part *p, int max)
{
    const visit *m[64];
    int n = g->n < 64 ? g->n : 64;
    for (int i = 0; i < n; i++)
        m[i] = &v[g->first + i];
    qsort(m, (size_t)n, sizeof *m, cmp_exit);
    int np = 0;
    for (int i = 0; i < n; i++) {
        part *cur = np ? &p[np - 1] : NULL;
        const aw_event *a = cur ? cur->m[0]->exit : NULL, *b = m[i]->exit;
        bool same = cur && strcmp(exit_how(a), exit_how(b)) == 0 &&
                    (!a || b->time - a->time <= split_s);
        if (!same) {
            if (np == max)
                break;
            cur = &p[np++];
            cur->n = 0;
        }
        cur->m[cur->n++] = m[i];
    }
    return np;
}

/* Straits the group's tracks went through during [from, to], from the patrol groups. */
static void route_md(FILE *md, json_t *const *groups, size_t ng, const visit *v, const group *g,
                     double from, double to, int tz, bool with_date)
{
    int shown = 0;
    for (size_t i = 0; i < ng; i++) {
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(groups[i], "straits"), k, s) {
            const char *iso = json_string_value(json_object_get(s, "time"));
            double t;
            if (!iso || aw_parse_time(iso, strlen(iso), &t) < 0 || t < from || t > to)
                continue;
            bool ours = false;
            size_t j;
            json_t *tr;
            json_array_foreach(json_object_get(s, "tracks"), j, tr)
                for (int m = 0; m < g->n && !ours; m++)
                    ours = strcmp(v[g->first + m].enter->track, json_string_value(tr)) == 0;
            if (!ours)
                continue;
            char hm[16];
            local_hm(t, tz, with_date, hm, sizeof hm);
            const char *ch = json_string_value(json_object_get(s, "channel"));
            fprintf(md, "%s%s%s%s%s %s", shown++ ? ", " : "; via ",
                    json_string_value(json_object_get(s, "strait")), ch && ch[0] ? " (" : "",
                    ch && ch[0] ? ch : "", ch && ch[0] ? ")" : "", hm);
        }
    }
}

int aw_observer_utc_offset(const char *observer)
{
    static const struct {
        const char *iso;
        int offset;
    } t[] = {{"KR", 9 * 3600}, {"JP", 9 * 3600}, {"KP", 9 * 3600}, {"CN", 8 * 3600},
             {"TW", 8 * 3600}, {"RU", 10 * 3600}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].iso, observer) == 0)
            return t[i].offset;
    return 0;
}

int aw_observer_day(aw_observer_options *opt, const char *day)
{
    char midnight[40];
    if (strlen(day) != 10)
        return -1;
    snprintf(midnight, sizeof midnight, "%sT00:00:00Z", day);
    if (aw_parse_time(midnight, strlen(midnight), &opt->day_start) < 0)
        return -1;
    opt->day_start -= opt->tz_offset_s; /* the observer's midnight */
    opt->day_end = opt->day_start + 86400;
    return 0;
}

/* The visits of the period in every zone (the reconcile needs the other observer's too),
 * sorted by zone and entry, with identities and airframes; noise re-entries folded. */
static visit *collect_visits(const aw_event *events, size_t n, const aw_zone_set *zones,
                             const aw_aircraft_db *db, const aw_observer_options *opt, size_t *nv_out)
{
    visit *v = calloc(n + 1, sizeof *v);
    if (!v)
        return NULL;
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        const aw_event *e = &events[i];
        int z = aw_zones_find(zones, e->zone);
        if (z < 0)
            continue;
        if (e->type == AW_ENTER) {
            /* A zone owner's own aircraft (its scrambled fighters) are no incursion. */
            aw_identity who;
            aw_identify(db, e->track, e->callsign, "", &who);
            bool own = who.nation[0] && strcmp(who.nation, aw_zones_info(zones, z)->owner) == 0;
            if (!own && e->time >= opt->day_start && e->time < opt->day_end) {
                v[nv] = (visit){.enter = e, .zone = z, .id = who};
                v[nv].basis = aw_airframe_of(db, e->track, v[nv].airframe, sizeof v[nv].airframe);
                for (size_t k = 0; k < opt->nlegs; k++)
                    if (strcmp(opt->legs[k].track, e->track) == 0) {
                        snprintf(v[nv].airframe, sizeof v[nv].airframe, "%s", opt->legs[k].airframe);
                        v[nv].basis = opt->legs[k].basis;
                    }
                nv++;
            }
            continue;
        }
        for (size_t k = nv; k-- > 0;)
            if (!v[k].exit && v[k].zone == z && strcmp(v[k].enter->track, e->track) == 0) {
                v[k].exit = e;
                break;
            }
    }
    qsort(v, nv, sizeof *v, cmp_visit);
    /* Fold noise re-entries: same track and zone, re-entered by crossing within
     * merge_gap_s of a crossing exit, and out again no deeper than merge_depth_m. */
    for (size_t i = 0; i < nv; i++) {
        if (v[i].dropped)
            continue;
        for (size_t k = i + 1; k < nv && v[k].zone == v[i].zone; k++) {
            if (v[k].dropped || strcmp(v[k].enter->track, v[i].enter->track) != 0)
                continue;
            const aw_event *out = v[i].exit, *in = v[k].enter, *again = v[k].exit;
            if (!out || out->cause != AW_CROSSING || in->cause != AW_CROSSING || !again ||
                in->time - out->time > opt->merge_gap_s || again->max_depth_m > opt->merge_depth_m)
                break;
            v[i].exit = again;
            v[i].merged++;
            v[k].dropped = true;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < nv; i++)
        if (!v[i].dropped)
            v[kept++] = v[i];
    *nv_out = kept;
    return v;
}

/* A visit of territorial airspace that ends in a landing or begins with a take-off at a
 * field there (a bomber landing abroad by agreement) is a flight to or from the field,
 * not an incursion. Returns "landing" or "takeoff" with the field in *field, or NULL. */
static bool field_in(const char *code, const char *country)
{
    const aw_airbase *ab = aw_airbase_find(code);
    const aw_airport *ap = ab ? NULL : aw_airport_find(code);
    const char *c = ab ? ab->country : ap ? ap->country : NULL;
    return c && strcmp(c, country) == 0;
}

#define FIELD_WINDOW_S 1800.0 /* approach and departure: the last / first half hour */

static const char *field_visit(const visit *const *m, int n, const aw_observer_options *opt,
                               const char *country, double enter, double exit, const char **field)
{
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < opt->nlegs; k++) {
            const aw_airframe_leg *l = &opt->legs[k];
            if (strcmp(l->track, m[i]->enter->track) != 0)
                continue;
            if (l->landing_field[0] && field_in(l->landing_field, country) &&
                l->landing_time >= enter - 60 && l->landing_time <= exit + FIELD_WINDOW_S) {
                *field = l->landing_field;
                return "landing";
            }
            if (l->takeoff_field[0] && field_in(l->takeoff_field, country) &&
                l->takeoff_time >= enter - FIELD_WINDOW_S && l->takeoff_time <= exit + 60) {
                *field = l->takeoff_field;
                return "takeoff";
            }
        }
    return NULL;
}

/* The incursions' Markdown and JSON. Returns the number of territorial ones. */
static int timeline(const visit *v, const group *g, size_t ng, const aw_zone_set *zones,
                    const aw_observer_options *opt, json_t *const *pg, size_t npg, bool with_date,
                    FILE *md, FILE *json)
{
    int territorial = 0, tz = opt->tz_offset_s;
    for (size_t k = 0; k < ng; k++) {
        const group *gr = &g[k];
        const aw_zone_info *zi = aw_zones_info(zones, gr->zone);
        bool ta = strcmp(zi->kind, "territorial") == 0;
        const visit *members[64];
        int nm = gr->n < 64 ? gr->n : 64, merged = 0;
        bool presumed = false;
        for (int i = 0; i < nm; i++) {
            members[i] = &v[gr->first + i];
            merged += members[i]->merged;
            presumed |= members[i]->basis == AW_AIRFRAME_PRESUMED;
        }
        kind kinds[16];
        int nk = kinds_of(members, nm, kinds, 16);
        part parts[8];
        int np = parts_of(v, gr, opt->split_s, parts, 8);
        const part *last = &parts[np - 1];
        const aw_event *last_exit = last->m[last->n - 1]->exit;
        bool first_seen = gr->first_enter->cause == AW_FIRST_SEEN;
        const char *field = NULL;
        const char *at_field = ta ? field_visit(members, nm, opt, zi->owner, gr->enter,
                                                last_exit ? last_exit->time : opt->day_end, &field)
                                  : NULL;
        territorial += ta && !at_field;
        char in_place[128], t_in[16];
        aw_where(gr->first_enter->lat, gr->first_enter->lon, in_place, sizeof in_place);
        local_hm(gr->enter, tz, with_date, t_in, sizeof t_in);
        if (md) {
            fprintf(md, "- %s ", t_in);
            kinds_md(md, kinds, nk);
            fprintf(md, " %s %s%s, %s", first_seen ? "first seen inside" : "crossed into", zi->id,
                    ta && !at_field ? " (TERRITORIAL AIRSPACE)" : "", in_place);
            if (at_field)
                fprintf(md, " -- %s %s, not an incursion",
                        strcmp(at_field, "landing") == 0 ? "to land at" : "after taking off from",
                        field);
            for (int p = 0; p < np; p++) {
                const aw_event *e = parts[p].m[0]->exit;
                fputs(p == 0 && np > 1 ? "; left in parts:" : p ? ";" : "", md);
                if (np > 1) {
                    kind pk[16];
                    int npk = kinds_of(parts[p].m, parts[p].n, pk, 16);
                    fputc(' ', md);
                    if (e) {
                        char hm[16];
                        local_hm(parts[p].m[parts[p].n - 1]->exit->time, tz, with_date, hm, sizeof hm);
                        fprintf(md, "%s ", hm);
                    }
                    kinds_md(md, pk, npk);
                }
                if (!e) {
                    fprintf(md, "%s%s", np > 1 ? " " : "; ", exit_words(e));
                    continue;
                }
                const aw_event *pe = parts[p].m[parts[p].n - 1]->exit;
                char place[128], hm[16];
                aw_where(pe->lat, pe->lon, place, sizeof place);
                local_hm(pe->time, tz, with_date, hm, sizeof hm);
                if (np > 1)
                    fprintf(md, " %s, %s", exit_words(pe), place);
                else
                    fprintf(md, "; %s %s, %s", hm, exit_words(pe), place);
            }
            if (last_exit)
                fprintf(md, " (%.0f min)", (last_exit->time - gr->enter) / 60);
            route_md(md, pg, npg, v, gr, gr->enter, last_exit ? last_exit->time : opt->day_end,
                     tz, with_date);
            if (merged)
                fprintf(md, "; %d re-entr%s within %.0f s of an exit and under %.0f m deep shown "
                            "as one visit",
                        merged, merged == 1 ? "y" : "ies", opt->merge_gap_s, opt->merge_depth_m);
            if (presumed)
                fputs("; airframe presumed from a landing and take-off", md);
            fputc('\n', md);
        }
        if (json) {
            char iso[32];
            fprintf(json, "%s{\"zone\":", k ? "," : "");
            report_json_string(json, zi->id);
            fprintf(json, ",\"enter\":\"%s\",", aw_format_time(gr->enter, iso, sizeof iso));
            exit_json(json, "exit", "exit_place", last_exit);
            fprintf(json, ",\"first_seen_inside\":%s,\"exit_how\":\"%s\",\"enter_place\":",
                    first_seen ? "true" : "false", exit_how(last_exit));
            report_json_string(json, in_place);
            fputs(",\"exits\":[", json);
            for (int p = 0; p < np; p++) {
                const aw_event *pe = parts[p].m[parts[p].n - 1]->exit;
                fprintf(json, "%s{\"how\":\"%s\",", p ? "," : "", exit_how(pe));
                exit_json(json, "time", "place", pe);
                kind pk[16];
                int npk = kinds_of(parts[p].m, parts[p].n, pk, 16);
                kinds_json(json, "aircraft", pk, npk);
                fputs(",\"tracks\":[", json);
                for (int j = 0; j < parts[p].n; j++) {
                    fputs(j ? "," : "", json);
                    report_json_string(json, parts[p].m[j]->enter->track);
                }
                fputs("]}", json);
            }
            fputc(']', json);
            kinds_json(json, "aircraft", kinds, nk);
            fputs(",\"tracks\":[", json);
            for (int j = 0; j < nm; j++) {
                fputs(j ? "," : "", json);
                report_json_string(json, members[j]->enter->track);
            }
            fputs("],\"airframes\":[", json);
            for (int j = 0; j < nm; j++) {
                fprintf(json, "%s{\"track\":", j ? "," : "");
                report_json_string(json, members[j]->enter->track);
                fputs(",\"airframe\":", json);
                report_json_string(json, members[j]->airframe);
                fprintf(json, ",\"basis\":\"%s\"}", aw_airframe_basis_name(members[j]->basis));
            }
            fprintf(json, "],\"merged_reentries\":%d,\"territorial\":%s,\"field_visit\":", merged,
                    ta && !at_field ? "true" : "false");
            if (at_field)
                fprintf(json, "{\"kind\":\"%s\",\"field\":\"%s\"}}", at_field, field);
            else
                fputs("null}", json);
        }
    }
    return territorial;
}

/* The report's body: everything but the sources, before place names are applied. */
static int body(const aw_event *events, size_t n, const aw_zone_set *zones,
                const aw_aircraft_db *db, const aw_observer_options *opt, FILE *md, FILE *json,
                json_t *const *pg, size_t npg)
{
    size_t nv = 0;
    visit *v = collect_visits(events, n, zones, db, opt, &nv);
    group *g = calloc(nv + 1, sizeof *g);
    if (!v || !g) {
        free(v);
        free(g);
        return -1;
    }
    /* Groups, per zone of the observer; then in time order across zones. */
    size_t ng = 0;
    for (size_t i = 0; i < nv; i++) {
        if (strcmp(aw_zones_info(zones, v[i].zone)->owner, opt->observer) != 0)
            continue;
        group *cur = ng ? &g[ng - 1] : NULL;
        const aw_event *first = cur ? cur->first_enter : NULL;
        bool joins = cur && cur->zone == v[i].zone &&
                     v[i].enter->time - first->time <= opt->group_window_s &&
                     aw_geodesic_distance(first->lat, first->lon, v[i].enter->lat,
                                          v[i].enter->lon) <= opt->group_dist_m &&
                     (size_t)(cur->first + cur->n) == i;
        if (!joins) {
            cur = &g[ng++];
            *cur = (group){v[i].zone, (int)i, 0, v[i].enter->time, v[i].enter};
        }
        cur->n++;
    }
    qsort(g, ng, sizeof *g, cmp_group);

    int tz = opt->tz_offset_s;
    char a[32], b[32];
    aw_format_time(opt->day_start + tz, a, sizeof a);
    aw_format_time(opt->day_end + tz, b, sizeof b);
    bool one_day = opt->day_end - opt->day_start == 86400 && strcmp(a + 10, "T00:00:00.000Z") == 0;
    int tzh = tz / 3600, tzm = abs(tz) / 60 % 60;
    char zone_name[64];
    if (opt->tz_name && (opt->tz_name[0] != '+' && opt->tz_name[0] != '-'))
        snprintf(zone_name, sizeof zone_name, "%s, UTC%+03d:%02d", opt->tz_name, tzh, tzm);
    else
        snprintf(zone_name, sizeof zone_name, "UTC%+03d:%02d", tzh, tzm);
    const aw_observer_rule *rule = aw_observer_rule_of(opt->observer);
    if (md) {
        if (one_day)
            fprintf(md, "# %s: air defence identification report for %.10s (%s)\n\n",
                    opt->observer, a, zone_name);
        else
            fprintf(md, "# %s: air defence identification report, %.10s %.5s to %.10s %.5s (%s)\n\n",
                    opt->observer, a, a + 11, b, b + 11, zone_name);
        char line[1024];
        fprintf(md, "**Basis:** %s. Details under \"Sources and assumptions\".\n\n",
                aw_report_basis_sentence(opt->basis, line, sizeof line));
        fprintf(md, "**What %s publishes:** %s\n\n", rule->publisher, rule->publishes);
        fprintf(md, "## Timeline\n\n");
        if (!rule->counts_adiz)
            fprintf(md, "Visits of %s's zones as this report finds them in the tracks; %s "
                        "publishes the aircraft and their routes, not these entry and exit "
                        "times.\n\n",
                    opt->observer, rule->publisher);
        if (ng == 0)
            fprintf(md, "No aircraft entered %s's zones.\n", opt->observer);
    }
    if (json) {
        char iso[32];
        fprintf(json, "{\"observer\":");
        report_json_string(json, opt->observer);
        if (one_day)
            fprintf(json, ",\"day\":\"%.10s\"", a);
        fprintf(json, ",\"from\":\"%s\"", aw_format_time(opt->day_start, iso, sizeof iso));
        fprintf(json, ",\"to\":\"%s\",\"utc_offset_s\":%d", aw_format_time(opt->day_end, iso, sizeof iso), tz);
        fputs(",\"observer_rules\":{\"publisher\":", json);
        report_json_string(json, rule->publisher);
        fputs(",\"publishes\":", json);
        report_json_string(json, rule->publishes);
        fprintf(json, ",\"counts_adiz\":%s},\"incursions\":[", rule->counts_adiz ? "true" : "false");
    }
    int territorial = timeline(v, g, ng, zones, opt, pg, npg, !one_day, md, json);
    if (json)
        fprintf(json, "],\"territorial_incursions\":%d", territorial);
    if (md) {
        fprintf(md, "\n## Territorial airspace\n\n");
        if (territorial)
            fprintf(md, "%d incursion%s into %s's territorial airspace (marked above; flights "
                        "to land at or after taking off from a field there are not counted).\n",
                    territorial, territorial == 1 ? "" : "s", opt->observer);
        else
            fprintf(md, "None entered: no incursion above is into territorial airspace (an "
                        "air defence identification zone is not sovereign airspace).\n");
    }
    counts_write(v, nv, zones, opt, md, json);
    if (opt->other)
        reconcile_write(v, nv, zones, opt, md, json);
    free(v);
    free(g);
    return (int)ng;
}

/* Records' JSON with their assumed items marked; NULL on a record that does not parse. */
static char **annotated(const aw_report_basis *b, const char *const *in, size_t n)
{
    char **out = calloc(n + 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = aw_report_basis_annotate(b, in[i]))) {
            for (size_t k = 0; k < i; k++)
                free(out[k]);
            free(out);
            return NULL;
        }
    return out;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Copy a memory stream's text to f with the observer's place names. */
static int flush_named(FILE *f, char *text, const aw_observer_options *opt)
{
    if (!f)
        return 0;
    char *named = aw_observer_place_names(text ? text : "", opt->observer, opt->neutral_names);
    if (!named)
        return -1;
    fputs(named, f);
    free(named);
    return 0;
}

int aw_observer_report(const aw_event *events, size_t n, const aw_zone_set *zones,
                       const aw_aircraft_db *db, const aw_observer_options *opt, FILE *md,
                       FILE *json)
{
    char *mtext = NULL, *jtext = NULL;
    size_t mlen = 0, jlen = 0;
    FILE *mb = md ? open_memstream(&mtext, &mlen) : NULL;
    FILE *jb = json ? open_memstream(&jtext, &jlen) : NULL;
    char **patrols = opt->patrols ? annotated(opt->basis, opt->patrols, opt->npatrols) : NULL;
    char **advice = opt->advice ? annotated(opt->basis, opt->advice, opt->nadvice) : NULL;
    json_t **pg = calloc(opt->npatrols + 1, sizeof *pg);
    int rc = 0;
    if ((md && !mb) || (json && !jb) || !pg || (opt->patrols && !patrols) ||
        (opt->advice && !advice))
        rc = -1;
    for (size_t i = 0; rc == 0 && patrols && i < opt->npatrols; i++)
        pg[i] = json_loads(patrols[i], 0, NULL);
    int ng = rc == 0 ? body(events, n, zones, db, opt, mb, jb, pg, patrols ? opt->npatrols : 0) : -1;
    if (ng < 0)
        rc = -1;
    /* The Patrols section (src/report/patrol_section.c); a group that does not parse fails. */
    if (rc == 0 && patrols &&
        aw_patrol_report((const char *const *)patrols, opt->npatrols, opt->tz_offset_s, mb, jb) < 0)
        rc = -1;
    /* Scramble advice and intercepts (src/report/advice_section.c). */
    if (rc == 0 && advice && aw_advice_report((const char *const *)advice, opt->nadvice,
                                              opt->observer, opt->tz_offset_s, mb, jb) < 0)
        rc = -1;
    if (mb)
        fclose(mb);
    if (jb)
        fclose(jb);
    if (rc == 0 && (flush_named(md, mtext, opt) < 0 || flush_named(json, jtext, opt) < 0))
        rc = -1;
    /* The sources are quoted as they are, after the renaming. */
    if (rc == 0 && md)
        basis_md(opt->basis, md);
    if (rc == 0 && json) {
        basis_json(opt->basis, json);
        fputs("}\n", json);
    }
    for (size_t i = 0; i < opt->npatrols && pg; i++)
        json_decref(pg[i]);
    free(pg);
    free(mtext);
    free(jtext);
    free_strings(patrols, opt->npatrols);
    free_strings(advice, opt->nadvice);
    return rc < 0 ? -1 : ng;
}
