/* observer_counts.c -- aircraft counted as aircraft, and why two observers' counts differ.
 *
 * An observer's count is of aircraft, not of tracks: two tracks of one airframe (out in
 * the morning, back in the afternoon) are one aircraft with two entries (patrol.h). And
 * observers do not publish the same kind of figure: the ROK JCS gives the aircraft that
 * entered the KADIZ; Japan's Joint Staff gives the aircraft it tracked near Japan with
 * their routes and no JADIZ count; Taiwan's MND the aircraft in its ADIZ. "Why the
 * counts differ" is built from those rules and the zone geometry, never states a figure
 * the observer does not publish, and is left out when both account for the same
 * aircraft. Rules and sources in docs/report.md. */
#include <stdlib.h>
#include <string.h>

#include "report/observer_internal.h"

static const aw_observer_rule rules[] = {
    {"KR", "ROK Joint Chiefs of Staff (JCS)",
     "the aircraft that entered the KADIZ, by type, with entry and exit times and places "
     "(distance and bearing from a landmark).",
     true},
    {"JP", "Japan Joint Staff Office (JSO)",
     "the aircraft it tracked near Japan, by type, with their routes on a map (the straits "
     "they passed) and the scrambles; it does not publish counts of JADIZ entries. This "
     "report takes \"near Japan\" as inside the JADIZ outer line.",
     false},
    {"TW", "ROC (Taiwan) Ministry of National Defense (MND)",
     "the aircraft that entered its ADIZ (in practice east of the median line), by type, "
     "with a map.",
     true},
};

const aw_observer_rule *aw_observer_rule_of(const char *observer)
{
    static aw_observer_rule generic = {"", "the observer",
                                       "the aircraft that entered its zones (no publishing rule "
                                       "is modelled for this observer).",
                                       true};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (observer && strcmp(rules[i].iso, observer) == 0)
            return &rules[i];
    return &generic;
}

/* Is this visit in one of the observer's ADIZs (what its account is about)? */
static bool in_adiz_of(const visit *v, const aw_zone_set *zones, const char *owner)
{
    const aw_zone_info *zi = aw_zones_info(zones, v->zone);
    return strcmp(zi->owner, owner) == 0 && strcmp(zi->kind, "adiz") == 0;
}

/* One airframe of the tally: its kind and its tracks. */
typedef struct frame {
    const char *airframe, *type, *nation;
    const char *tracks[8];
    int ntracks, entries;
    aw_airframe_basis basis;
    bool mine, theirs;
    int radar[2]; /* could the observer's / the other's radars see it: 1, 0, -1 unknown */
} frame;

static frame *find_frame(frame *f, size_t *nf, const visit *v)
{
    for (size_t i = 0; i < *nf; i++)
        if (strcmp(f[i].airframe, v->airframe) == 0)
            return &f[i];
    frame *n = &f[(*nf)++];
    memset(n, 0, sizeof *n);
    n->airframe = v->airframe;
    n->type = v->id.type[0] ? v->id.type : "unknown type";
    n->nation = v->id.nation;
    return n;
}

static void add_track(frame *f, const char *track)
{
    for (int i = 0; i < f->ntracks; i++)
        if (strcmp(f->tracks[i], track) == 0)
            return;
    if (f->ntracks < 8)
        f->tracks[f->ntracks++] = track;
}

/* The airframes of an owner's ADIZ visits (zone: one zone, -1: any of the owner's). */
static size_t frames_of(const visit *v, size_t nv, const aw_zone_set *zones, const char *owner,
                        int zone, frame *f)
{
    size_t nf = 0;
    for (size_t i = 0; i < nv; i++) {
        if (!in_adiz_of(&v[i], zones, owner) || (zone >= 0 && v[i].zone != zone))
            continue;
        frame *fr = find_frame(f, &nf, &v[i]);
        fr->entries++;
        fr->basis = v[i].basis;
        add_track(fr, v[i].enter->track);
    }
    return nf;
}

typedef struct tally {
    const char *type, *nation;
    int aircraft, entries;
} tally;

/* Airframes by (type, nation), in order of first appearance. */
static int tally_of(const frame *f, size_t nf, tally *t, int max, int only /* -1 any, 0 both,
                                                                               1 mine, 2 theirs */)
{
    int nt = 0;
    for (size_t i = 0; i < nf; i++) {
        int side = f[i].mine && f[i].theirs ? 0 : f[i].mine ? 1 : 2;
        if (only >= 0 && side != only)
            continue;
        int j = 0;
        while (j < nt && !(strcmp(t[j].type, f[i].type) == 0 && strcmp(t[j].nation, f[i].nation) == 0))
            j++;
        if (j == nt) {
            if (nt == max)
                continue;
            t[nt++] = (tally){f[i].type, f[i].nation, 0, 0};
        }
        t[j].aircraft++;
        t[j].entries += f[i].entries;
    }
    return nt;
}

static int total(const tally *t, int nt)
{
    int n = 0;
    for (int i = 0; i < nt; i++)
        n += t[i].aircraft;
    return n;
}

/* "8 aircraft (H-6K ×2, Tu-95MS ×4, Su-35S ×2)" */
static void aircraft_md(FILE *md, const tally *t, int nt, bool nations)
{
    fprintf(md, "%d aircraft (", total(t, nt));
    for (int i = 0; i < nt; i++)
        fprintf(md, "%s%s \u00d7%d%s%s%s", i ? ", " : "", t[i].type, t[i].aircraft,
                nations && t[i].nation[0] ? " (" : "", nations ? t[i].nation : "",
                nations && t[i].nation[0] ? ")" : "");
    fputc(')', md);
}

static void tally_json(FILE *json, const char *name, const tally *t, int nt)
{
    fprintf(json, ",\"%s\":[", name);
    for (int i = 0; i < nt; i++)
        report_kind_json(json, i == 0, t[i].type, t[i].nation, "aircraft", t[i].aircraft);
    fputc(']', json);
}

void counts_write(const visit *v, size_t nv, const aw_zone_set *zones,
                  const aw_observer_options *opt, FILE *md, FILE *json)
{
    const aw_observer_rule *rule = aw_observer_rule_of(opt->observer);
    frame *f = calloc(nv + 1, sizeof *f);
    if (!f)
        return;
    if (md)
        fputs("\n## Counts\n\n", md);
    if (md && !rule->counts_adiz)
        fprintf(md, "%s does not publish counts of entries into its ADIZ; the figures below "
                    "are this report's count of the aircraft inside it, not the observer's.\n\n",
                rule->publisher);
    if (json)
        fputs(",\"counts\":[", json);
    int shown = 0, zones_shown = 0;
    for (int z = 0; z < aw_zones_count(zones); z++) {
        const aw_zone_info *zi = aw_zones_info(zones, z);
        if (strcmp(zi->owner, opt->observer) != 0 || strcmp(zi->kind, "adiz") != 0)
            continue;
        size_t nf = frames_of(v, nv, zones, opt->observer, z, f);
        for (size_t i = 0; i < nf; i++)
            f[i].mine = true;
        tally t[32];
        int nt = tally_of(f, nf, t, 32, -1);
        int entries = 0;
        for (int i = 0; i < nt; i++) {
            entries += t[i].entries;
            if (json) {
                fprintf(json, "%s{\"zone\":", shown++ ? "," : "");
                report_json_string(json, zi->id);
                fputs(",\"type\":", json);
                report_json_string(json, t[i].type);
                fputs(",\"nation\":", json);
                report_json_string(json, t[i].nation);
                fprintf(json, ",\"aircraft\":%d,\"entries\":%d}", t[i].aircraft, t[i].entries);
            }
        }
        if (md) {
            fprintf(md, "- %s: ", zi->id);
            if (nt) {
                aircraft_md(md, t, nt, false);
                fprintf(md, ", %d entr%s", entries, entries == 1 ? "y" : "ies");
            } else {
                fputs("no aircraft", md);
            }
            fputs(".\n", md);
            for (size_t i = 0; i < nf; i++)
                if (f[i].ntracks > 1) {
                    fprintf(md, "  - %s %s: tracks", f[i].type, f[i].airframe);
                    for (int k = 0; k < f[i].ntracks; k++)
                        fprintf(md, "%s %s", k ? "," : "", f[i].tracks[k]);
                    fprintf(md, " are one aircraft (%s)\n",
                            f[i].basis == AW_AIRFRAME_PRESUMED
                                ? "presumed: it landed and took off again at one field"
                                : f[i].basis == AW_AIRFRAME_DB ? "the aircraft database's airframe"
                                                               : "one ICAO address");
                }
        }
        zones_shown++;
    }
    if (md && !zones_shown)
        fprintf(md, "%s has no ADIZ in this zone set.\n", opt->observer);
    size_t nf = frames_of(v, nv, zones, opt->observer, -1, f);
    if (json)
        fprintf(json, "],\"total_aircraft\":%zu", nf);
    if (md && zones_shown > 1)
        fprintf(md, "- In all: %zu aircraft.\n", nf);
    if (md)
        fputs("\nAircraft are counted as airframes (ICAO address, the aircraft database's "
              "airframe, or a landing followed by a take-off; docs/report.md); an entry is "
              "one visit.\n",
              md);
    free(f);
}

/* Could this observer's radars see any position of the frame's tracks in the period? */
static int radar_sees(const frame *f, const aw_observer_options *opt, const char *observer)
{
    int seen = -1;
    for (size_t i = 0; i < opt->npositions; i++) {
        const aw_position *p = &opt->positions[i];
        if (p->time < opt->day_start || p->time >= opt->day_end)
            continue;
        bool ours = false;
        for (int k = 0; k < f->ntracks && !ours; k++)
            ours = strcmp(p->track, f->tracks[k]) == 0;
        if (!ours)
            continue;
        int r = aw_report_basis_radar_sees(opt->basis, observer, p->lat, p->lon, p->alt_ft);
        if (r < 0)
            return -1; /* this observer's radars are not known */
        if (r > 0)
            return 1;
        seen = 0;
    }
    return seen;
}

/* ", JP's radars (the scenario's sites) could see 2 of them" for one side's airframes. */
static void radar_md(FILE *md, const frame *f, size_t nf, bool want_mine, int who,
                     const char *observer)
{
    int known = 0, seen = 0, n = 0;
    for (size_t i = 0; i < nf; i++) {
        if (want_mine ? !(f[i].mine && !f[i].theirs) : !(f[i].theirs && !f[i].mine))
            continue;
        n++;
        known += f[i].radar[who] >= 0;
        seen += f[i].radar[who] > 0;
    }
    if (!n || known < n)
        return;
    if (seen == n)
        fprintf(md, "; %s's radars (the scenario's simulated sites) could see %s", observer,
                n == 1 ? "it" : n == 2 ? "both" : "all of them");
    else if (seen == 0)
        fprintf(md, "; %s's radars (the scenario's simulated sites) could see none of them",
                observer);
    else
        fprintf(md, "; %s's radars (the scenario's simulated sites) could see %d of them",
                observer, seen);
}

void reconcile_write(const visit *v, size_t nv, const aw_zone_set *zones,
                     const aw_observer_options *opt, FILE *md, FILE *json)
{
    const aw_observer_rule *me = aw_observer_rule_of(opt->observer);
    const aw_observer_rule *them = aw_observer_rule_of(opt->other);
    frame *f = calloc(nv + 1, sizeof *f);
    if (!f)
        return;
    size_t nf = 0;
    for (size_t i = 0; i < nv; i++) {
        bool mine = in_adiz_of(&v[i], zones, opt->observer);
        bool theirs = in_adiz_of(&v[i], zones, opt->other);
        if (!mine && !theirs)
            continue;
        frame *fr = find_frame(f, &nf, &v[i]);
        fr->mine |= mine;
        fr->theirs |= theirs;
        fr->entries += mine;
        add_track(fr, v[i].enter->track);
    }
    for (size_t i = 0; i < nf; i++) {
        f[i].radar[0] = radar_sees(&f[i], opt, opt->observer);
        f[i].radar[1] = radar_sees(&f[i], opt, opt->other);
    }
    tally split[3][32];
    int ns[3];
    for (int s = 0; s < 3; s++)
        ns[s] = tally_of(f, nf, split[s], 32, s);
    int both = total(split[0], ns[0]), mine = total(split[1], ns[1]), theirs = total(split[2], ns[2]);
    bool differ = mine || theirs;
    if (md) {
        fprintf(md, "\n## Reconcile with %s\n\n", opt->other);
        fprintf(md, "- %s, %s publishes %s\n", opt->observer, me->publisher, me->publishes);
        fprintf(md, "- %s, %s publishes %s\n", opt->other, them->publisher, them->publishes);
        if (!differ)
            fprintf(md, "\nBoth accounts cover the same %d aircraft.\n", both);
    }
    if (md && differ) {
        fprintf(md, "\n| airframe | tracks | type | nation | in %s's account | in %s's account |\n"
                    "| --- | --- | --- | --- | --- | --- |\n",
                opt->observer, opt->other);
        for (size_t i = 0; i < nf; i++) {
            fprintf(md, "| %s | ", f[i].airframe);
            for (int k = 0; k < f[i].ntracks; k++)
                fprintf(md, "%s%s", k ? ", " : "", f[i].tracks[k]);
            fprintf(md, " | %s | %s | %s | %s |\n", f[i].type, f[i].nation[0] ? f[i].nation : "?",
                    f[i].mine ? "yes" : "no", f[i].theirs ? "yes" : "no");
        }
        fprintf(md, "\n**Why the counts differ.** %s's account here: ", opt->observer);
        tally all_mine[32];
        int nm = 0;
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < ns[s]; i++) {
                int j = 0;
                while (j < nm && !(strcmp(all_mine[j].type, split[s][i].type) == 0 &&
                                   strcmp(all_mine[j].nation, split[s][i].nation) == 0))
                    j++;
                if (j == nm && nm < 32)
                    all_mine[nm++] = (tally){split[s][i].type, split[s][i].nation, 0, 0};
                if (j < nm)
                    all_mine[j].aircraft += split[s][i].aircraft;
            }
        aircraft_md(md, all_mine, nm, true);
        fprintf(md, " %s. ", me->counts_adiz ? "in its ADIZ" : "near it (not a figure it publishes as an ADIZ count)");
        fprintf(md, "%s's: %d aircraft %s. ", opt->other, both + theirs,
                them->counts_adiz ? "in its ADIZ" : "near it (not a figure it publishes as an ADIZ count)");
        if (both) {
            fputs("Both: ", md);
            aircraft_md(md, split[0], ns[0], true);
            fputs(". ", md);
        }
        if (mine) {
            fprintf(md, "Only %s: ", opt->observer);
            aircraft_md(md, split[1], ns[1], true);
            fprintf(md, ", never inside %s's ADIZ%s", opt->other,
                    them->counts_adiz ? "" : " (so not near it as this report models it)");
            radar_md(md, f, nf, true, 1, opt->other);
            fputs(". ", md);
        }
        if (theirs) {
            fprintf(md, "Only %s: ", opt->other);
            aircraft_md(md, split[2], ns[2], true);
            fprintf(md, ", never inside %s's ADIZ", opt->observer);
            radar_md(md, f, nf, false, 0, opt->observer);
            fputs(". ", md);
        }
        bool known[2] = {false, false};
        for (size_t i = 0; i < nf; i++)
            for (int k = 0; k < 2; k++)
                known[k] |= f[i].radar[k] >= 0;
        bool simulated = strcmp(aw_report_basis_tracks(opt->basis), "simulated") == 0;
        if (known[0] && known[1])
            fputs("Radar cover: the tracks here are the simulated observers' radar pictures "
                  "together; what each observer's radars could see is judged from the "
                  "scenario's sites (range and radar horizon), which are approximate.\n",
                  md);
        else if (simulated)
            fprintf(md, "Radar cover: the tracks here are the scenario's radar pictures "
                        "together; it has no radar sites for %s, so what %s radars could see "
                        "is not judged here.\n",
                    !known[0] && !known[1] ? "either observer"
                    : !known[0]            ? opt->observer
                                           : opt->other,
                    !known[0] && !known[1] ? "their" : "its");
        else
            fputs("Radar cover: the tracks here come from the inputs listed under \"Sources "
                  "and assumptions\", not from either observer's radars, whose cover is not "
                  "known here; an aircraft outside an observer's cover would be missing from "
                  "its own account.\n",
                  md);
    }
    if (json) {
        fputs(",\"reconcile\":{\"other\":", json);
        report_json_string(json, opt->other);
        fputs(",\"other_publisher\":", json);
        report_json_string(json, them->publisher);
        fprintf(json, ",\"differ\":%s,\"mine\":%d,\"theirs\":%d", differ ? "true" : "false",
                both + mine, both + theirs);
        tally_json(json, "both", split[0], ns[0]);
        tally_json(json, "only_mine", split[1], ns[1]);
        tally_json(json, "only_theirs", split[2], ns[2]);
        fputs(",\"airframes\":[", json);
        for (size_t i = 0; i < nf; i++) {
            fprintf(json, "%s{\"airframe\":", i ? "," : "");
            report_json_string(json, f[i].airframe);
            fputs(",\"tracks\":[", json);
            for (int k = 0; k < f[i].ntracks; k++) {
                fputs(k ? "," : "", json);
                report_json_string(json, f[i].tracks[k]);
            }
            fprintf(json, "],\"mine\":%s,\"theirs\":%s", f[i].mine ? "true" : "false",
                    f[i].theirs ? "true" : "false");
            const char *cover[3] = {"null", "false", "true"};
            fprintf(json, ",\"my_radar_sees\":%s,\"their_radar_sees\":%s}",
                    cover[f[i].radar[0] + 1], cover[f[i].radar[1] + 1]);
        }
        fputs("]}", json);
    }
    free(f);
}
