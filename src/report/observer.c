/* observer.c -- an observing nation's day: visits grouped into incursions, as text and JSON.
 *
 * Visits come from pairing each enter with the next exit of the same track and zone.
 * Groups are formed per zone, in order of entry: a visit joins the group whose first
 * entry is within the time window and distance of its own (bombers in formation enter
 * within seconds and a few kilometres of each other). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "adizwatch/observer.h"
#include "adizwatch/patrol.h"
#include "adizwatch/advice.h"
#include "adizwatch/theater.h"
#include "geo/geo.h"

typedef struct visit {
    const aw_event *enter, *exit; /* exit NULL while open */
    int zone;
} visit;

typedef struct group {
    int zone, first, n; /* visits[first] is the earliest; n members */
    double enter, exit; /* exit NAN if any member is still inside */
    const aw_event *first_enter, *last_exit;
} group;

static int cmp_visit(const void *a, const void *b)
{
    const visit *x = a, *y = b;
    if (x->zone != y->zone)
        return x->zone - y->zone;
    return x->enter->time < y->enter->time ? -1 : x->enter->time > y->enter->time;
}

static void local_hm(double t, int tz, char *buf, size_t n)
{
    char iso[32];
    aw_format_time(t + tz, iso, sizeof iso);
    snprintf(buf, n, "%.5s", iso + 11);
}

/* Aircraft of a group by (type, nation), as "H-6K x2 (CN), Tu-95MS x4 (RU)". */
typedef struct kind {
    char type[64], nation[4];
    int count;
} kind;

static int kinds_of(const visit *v, const group *g, const aw_aircraft_db *db, kind *k, int max)
{
    int nk = 0;
    for (int i = g->first; i < g->first + g->n; i++) {
        aw_identity id;
        aw_identify(db, v[i].enter->track, v[i].enter->callsign, "", &id);
        const char *type = id.type[0] ? id.type : "unknown type";
        int j = 0;
        while (j < nk && !(strcmp(k[j].type, type) == 0 && strcmp(k[j].nation, id.nation) == 0))
            j++;
        if (j == nk && nk < max) {
            snprintf(k[nk].type, sizeof k[nk].type, "%s", type);
            snprintf(k[nk].nation, sizeof k[nk].nation, "%s", id.nation);
            k[nk++].count = 0;
        }
        if (j < nk)
            k[j].count++;
    }
    return nk;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
    fputc('"', f);
}

/* Does any visit of a zone owned by `owner` and of kind "adiz" hold this track? */
static bool seen_by(const visit *v, size_t nv, const aw_zone_set *zs, const char *track,
                    const char *owner)
{
    for (size_t i = 0; i < nv; i++) {
        const aw_zone_info *zi = aw_zones_info(zs, v[i].zone);
        if (strcmp(zi->owner, owner) == 0 && strcmp(zi->kind, "adiz") == 0 &&
            strcmp(v[i].enter->track, track) == 0)
            return true;
    }
    return false;
}

/* One more aircraft of this type and nation in a tally. */
static void tally(kind *k, int *nk, int max, const char *type, const char *nation)
{
    int j = 0;
    while (j < *nk && !(strcmp(k[j].type, type) == 0 && strcmp(k[j].nation, nation) == 0))
        j++;
    if (j == *nk) {
        if (*nk == max)
            return;
        snprintf(k[j].type, sizeof k[j].type, "%s", type);
        snprintf(k[j].nation, sizeof k[j].nation, "%s", nation);
        k[j].count = 0;
        (*nk)++;
    }
    k[j].count++;
}

static int tally_total(const kind *k, int nk)
{
    int n = 0;
    for (int i = 0; i < nk; i++)
        n += k[i].count;
    return n;
}

/* "Tu-95MS ×2 (RU), Su-35S ×2 (RU)", or "none". */
static void kinds_md(FILE *md, const kind *k, int nk)
{
    if (!nk)
        fputs("none", md);
    for (int i = 0; i < nk; i++)
        fprintf(md, "%s%s ×%d (%s)", i ? ", " : "", k[i].type, k[i].count,
                k[i].nation[0] ? k[i].nation : "?");
}

static void kinds_json(FILE *json, const char *name, const kind *k, int nk)
{
    fprintf(json, ",\"%s\":[", name);
    for (int i = 0; i < nk; i++) {
        fprintf(json, "%s{\"type\":", i ? "," : "");
        json_string(json, k[i].type);
        fputs(",\"nation\":", json);
        json_string(json, k[i].nation);
        fprintf(json, ",\"count\":%d}", k[i].count);
    }
    fputc(']', json);
}

/* Why the two counts differ, in one paragraph: what both counted, and what each counted
 * alone because it never entered the other's zone. */
static void reconcile_summary(kind split[3][16], const int nsplit[3],
                              const aw_observer_options *opt, FILE *md, FILE *json)
{
    int both = tally_total(split[0], nsplit[0]), mine = tally_total(split[1], nsplit[1]),
        theirs = tally_total(split[2], nsplit[2]);
    if (md) {
        fprintf(md, "\n**Why the counts differ.** %s counted %d aircraft in its ADIZ, %s %d. "
                    "Both counted ",
                opt->observer, both + mine, opt->other, both + theirs);
        kinds_md(md, split[0], nsplit[0]);
        fprintf(md, ". Only %s: ", opt->observer);
        kinds_md(md, split[1], nsplit[1]);
        if (mine)
            fprintf(md, " (never in %s's ADIZ)", opt->other);
        fprintf(md, ". Only %s: ", opt->other);
        kinds_md(md, split[2], nsplit[2]);
        if (theirs)
            fprintf(md, " (never in %s's ADIZ)", opt->observer);
        fputs(".\n", md);
    }
    if (json) {
        fprintf(json, ",\"counts\":{\"mine\":%d,\"theirs\":%d", both + mine, both + theirs);
        kinds_json(json, "both", split[0], nsplit[0]);
        kinds_json(json, "only_mine", split[1], nsplit[1]);
        kinds_json(json, "only_theirs", split[2], nsplit[2]);
        fputc('}', json);
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

int aw_observer_report(const aw_event *events, size_t n, const aw_zone_set *zones,
                       const aw_aircraft_db *db, const aw_observer_options *opt, FILE *md,
                       FILE *json)
{
    /* Visits of the day, in every zone (the reconcile needs the other observer's too). */
    visit *v = calloc(n + 1, sizeof *v);
    group *g = calloc(n + 1, sizeof *g);
    if (!v || !g) {
        free(v);
        free(g);
        return -1;
    }
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
            if (!own && e->time >= opt->day_start && e->time < opt->day_end)
                v[nv++] = (visit){e, NULL, z};
            continue;
        }
        for (size_t k = nv; k-- > 0;)
            if (!v[k].exit && v[k].zone == z && strcmp(v[k].enter->track, e->track) == 0) {
                v[k].exit = e;
                break;
            }
    }
    qsort(v, nv, sizeof *v, cmp_visit);

    /* Groups, per zone of the observer. */
    size_t ng = 0;
    for (size_t i = 0; i < nv; i++) {
        const aw_zone_info *zi = aw_zones_info(zones, v[i].zone);
        if (strcmp(zi->owner, opt->observer) != 0)
            continue;
        group *cur = ng ? &g[ng - 1] : NULL;
        const aw_event *first = cur ? v[cur->first].enter : NULL;
        bool joins = cur && cur->zone == v[i].zone &&
                     v[i].enter->time - first->time <= opt->group_window_s &&
                     aw_geodesic_distance(first->lat, first->lon, v[i].enter->lat,
                                          v[i].enter->lon) <= opt->group_dist_m &&
                     (size_t)(cur->first + cur->n) == i;
        if (!joins) {
            cur = &g[ng++];
            *cur = (group){v[i].zone, (int)i, 0, v[i].enter->time, -INFINITY, v[i].enter, NULL};
        }
        cur->n++;
        if (!v[i].exit)
            cur->exit = NAN;
        else if (!isnan(cur->exit) && v[i].exit->time > cur->exit) {
            cur->exit = v[i].exit->time;
            cur->last_exit = v[i].exit;
        }
    }

    for (size_t k = 0; k < ng; k++)
        if (isnan(g[k].exit))
            g[k].last_exit = NULL; /* someone is still inside: the group has not left */

    char day[32];
    aw_format_time(opt->day_start + opt->tz_offset_s, day, sizeof day);
    day[10] = '\0';
    int tzh = opt->tz_offset_s / 3600, tzm = abs(opt->tz_offset_s) / 60 % 60;
    if (md) {
        fprintf(md, "# %s: air defence identification report for %s (UTC%+03d:%02d)\n\n",
                opt->observer, day, tzh, tzm);
        fprintf(md, "## Timeline\n\n");
        if (ng == 0)
            fprintf(md, "No aircraft entered %s's zones.\n", opt->observer);
    }
    if (json) {
        fprintf(json, "{\"observer\":");
        json_string(json, opt->observer);
        fprintf(json, ",\"day\":\"%s\",\"utc_offset_s\":%d,\"incursions\":[", day, opt->tz_offset_s);
    }
    int territorial = 0;
    for (size_t k = 0; k < ng; k++) {
        const group *gr = &g[k];
        const aw_zone_info *zi = aw_zones_info(zones, gr->zone);
        bool ta = strcmp(zi->kind, "territorial") == 0;
        territorial += ta;
        kind kinds[16];
        int nk = kinds_of(v, gr, db, kinds, 16);
        char in_place[128], out_place[128] = "", t_in[8], t_out[8] = "";
        aw_where(gr->first_enter->lat, gr->first_enter->lon, in_place, sizeof in_place);
        if (gr->last_exit) {
            aw_where(gr->last_exit->lat, gr->last_exit->lon, out_place, sizeof out_place);
            local_hm(gr->exit, opt->tz_offset_s, t_out, sizeof t_out);
        }
        local_hm(gr->enter, opt->tz_offset_s, t_in, sizeof t_in);
        if (md) {
            fprintf(md, "- %s ", t_in);
            for (int j = 0; j < nk; j++)
                fprintf(md, "%s%s \u00d7%d%s%s%s", j ? ", " : "", kinds[j].type, kinds[j].count,
                        kinds[j].nation[0] ? " (" : "", kinds[j].nation, kinds[j].nation[0] ? ")" : "");
            fprintf(md, " entered %s%s, %s", zi->id, ta ? " (TERRITORIAL AIRSPACE)" : "", in_place);
            if (gr->last_exit)
                fprintf(md, "; %s left, %s (%.0f min)\n", t_out, out_place, (gr->exit - gr->enter) / 60);
            else
                fprintf(md, "; still inside at the end of the data\n");
        }
        if (json) {
            char iso[32];
            fprintf(json, "%s{\"zone\":", k ? "," : "");
            json_string(json, zi->id);
            fprintf(json, ",\"enter\":\"%s\",\"exit\":", aw_format_time(gr->enter, iso, sizeof iso));
            if (gr->last_exit)
                fprintf(json, "\"%s\"", aw_format_time(gr->exit, iso, sizeof iso));
            else
                fputs("null", json);
            fputs(",\"enter_place\":", json);
            json_string(json, in_place);
            fputs(",\"exit_place\":", json);
            if (gr->last_exit)
                json_string(json, out_place);
            else
                fputs("null", json);
            kinds_json(json, "aircraft", kinds, nk);
            fputs(",\"tracks\":[", json);
            for (int j = 0; j < gr->n; j++) {
                fputs(j ? "," : "", json);
                json_string(json, v[gr->first + j].enter->track);
            }
            fprintf(json, "],\"territorial\":%s}", ta ? "true" : "false");
        }
    }
    if (json)
        fprintf(json, "],\"territorial_incursions\":%d", territorial);
    if (md) {
        fprintf(md, "\n## Territorial airspace\n\n");
        if (territorial)
            fprintf(md, "%d incursion%s into %s's territorial airspace (marked above).\n",
                    territorial, territorial == 1 ? "" : "s", opt->observer);
        else
            fprintf(md, "None entered: every incursion above is into an air defence "
                        "identification zone, which is not sovereign airspace.\n");
    }

    /* Reconcile: the aircraft each observer saw inside its own ADIZ. */
    if (opt->other) {
        if (md)
            fprintf(md, "\n## Reconcile with %s\n\nEach nation counts the aircraft inside its "
                        "own ADIZ; the zones overlap only in part.\n\n| track | type | nation | in "
                        "%s's ADIZ | in %s's ADIZ |\n| --- | --- | --- | --- | --- |\n",
                    opt->other, opt->observer, opt->other);
        if (json) {
            fputs(",\"reconcile\":{\"other\":", json);
            json_string(json, opt->other);
            fputs(",\"tracks\":[", json);
        }
        int shown = 0;
        /* Aircraft by type counted by both, by the observer only, by the other only. */
        kind split[3][16];
        int nsplit[3] = {0, 0, 0};
        for (size_t i = 0; i < nv; i++) {
            const char *track = v[i].enter->track;
            bool dup = false;
            for (size_t j = 0; j < i && !dup; j++)
                dup = strcmp(v[j].enter->track, track) == 0;
            if (dup)
                continue;
            bool mine = seen_by(v, nv, zones, track, opt->observer);
            bool theirs = seen_by(v, nv, zones, track, opt->other);
            if (!mine && !theirs)
                continue;
            aw_identity id;
            aw_identify(db, track, v[i].enter->callsign, "", &id);
            int side = mine && theirs ? 0 : mine ? 1 : 2;
            tally(split[side], &nsplit[side], 16, id.type[0] ? id.type : "unknown type",
                  id.nation);
            if (md)
                fprintf(md, "| %s | %s | %s | %s | %s |\n", track, id.type[0] ? id.type : "?",
                        id.nation[0] ? id.nation : "?", mine ? "yes" : "no", theirs ? "yes" : "no");
            if (json) {
                fprintf(json, "%s{\"track\":", shown ? "," : "");
                json_string(json, track);
                fprintf(json, ",\"mine\":%s,\"theirs\":%s}", mine ? "true" : "false",
                        theirs ? "true" : "false");
            }
            shown++;
        }
        if (json)
            fputc(']', json);
        reconcile_summary(split, nsplit, opt, md, json);
        if (json)
            fputc('}', json);
    }
    /* The Patrols section (src/report/patrol_section.c); a group that does not parse fails. */
    bool patrols_bad = opt->patrols &&
                       aw_patrol_report(opt->patrols, opt->npatrols, opt->tz_offset_s, md, json) < 0;
    /* Scramble advice and intercepts (src/report/advice_section.c). */
    if (opt->advice && aw_advice_report(opt->advice, opt->nadvice, opt->observer,
                                        opt->tz_offset_s, md, json) < 0)
        patrols_bad = true;
    if (json)
        fputs("}\n", json);
    free(v);
    free(g);
    return patrols_bad ? -1 : (int)ng;
}
