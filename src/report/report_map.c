/* report_map.c -- the observer's day as a map: the press-release picture of the report.
 *
 * Which tracks: those of aircraft that are foreign to the observer (another nation, or
 * unknown) and either military or unidentified (identify.h), and that entered a zone of
 * a nation not their own during the observer's day. That is what an air-defence staff
 * puts on its map -- its own and civil traffic are left out, and so are foreign military
 * flights that stayed clear of other nations' zones (a third nation's interceptors in
 * their own ADIZ). Colours: one per patrol group (patrol.h: the groups the report's
 * Patrols section lists), else one per nation. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "adizwatch/map.h"
#include "adizwatch/patrol.h"
#include "adizwatch/store.h"
#include "adizwatch/theater.h"
#include "report/report_map.h"

#define MAX_MARKERS 512

extern const unsigned char web_land_json[];
extern const size_t web_land_json_size;

typedef struct trk {
    size_t first, n;        /* positions[first .. first + n) */
    aw_identity id;
    char key[64];
    int group_size;
} trk;

typedef struct marks {
    aw_map_marker m[MAX_MARKERS];
    char label[MAX_MARKERS][64];
    int n;
} marks;

static void add_mark(marks *mk, aw_map_marker_kind kind, double lat, double lon, const char *label)
{
    if (mk->n >= MAX_MARKERS || !isfinite(lat) || !isfinite(lon))
        return;
    for (int i = 0; i < mk->n; i++) /* the same thing in the same place once */
        if (mk->m[i].kind == kind && fabs(mk->m[i].lat - lat) < 1e-6 &&
            fabs(mk->m[i].lon - lon) < 1e-6)
            return;
    snprintf(mk->label[mk->n], sizeof mk->label[0], "%s", label ? label : "");
    mk->m[mk->n] = (aw_map_marker){kind, lat, lon, mk->label[mk->n]};
    mk->n++;
}

static const aw_airbase *find_base(const char *s)
{
    const aw_airbase *b = aw_airbase_find(s);
    for (int i = 0; !b && i < aw_airbases_count(); i++)
        if (strcasecmp(aw_airbase_at(i)->name, s) == 0)
            b = aw_airbase_at(i);
    return b;
}

typedef struct rec_ctx {
    marks *mk;
    int tz;
    const char *observer;
    char (*advised)[AW_TRACK_ID_MAX]; /* tracks whose first advice is marked already */
    int nadvised, cap;
} rec_ctx;

/* scramble_advice and intercept records: their JSON has base, intercept_lat/lon, and
 * the owner advised. Only the observer's are drawn, and of the advice (repeated as the
 * aircraft flies on) only the first per track: when the scramble would be ordered. */
static int on_record(const aw_record *r, void *user)
{
    rec_ctx *c = user;
    json_t *o = json_loads(r->json, 0, NULL);
    if (!o)
        return 0;
    const char *owner = json_string_value(json_object_get(o, "owner"));
    bool advice = strcmp(r->type, "scramble_advice") == 0;
    if (owner && strcmp(owner, c->observer) != 0) {
        json_decref(o);
        return 0;
    }
    if (advice) {
        for (int i = 0; i < c->nadvised; i++)
            if (strcmp(c->advised[i], r->track) == 0) {
                json_decref(o);
                return 0;
            }
        if (c->nadvised < c->cap)
            snprintf(c->advised[c->nadvised++], AW_TRACK_ID_MAX, "%s", r->track);
    }
    const char *base = json_string_value(json_object_get(o, "base"));
    if (!base)
        base = json_string_value(json_object_get(o, "takeoff_base"));
    json_t *ila = json_object_get(o, "intercept_lat"), *ilo = json_object_get(o, "intercept_lon");
    double lat = json_is_number(ila) ? json_number_value(ila) : r->lat;
    double lon = json_is_number(ilo) ? json_number_value(ilo) : r->lon;
    char label[64], hm[8];
    time_t s = (time_t)floor(r->time + c->tz);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    snprintf(label, sizeof label, "%s %s%s", hm, advice ? "from " : "intercept ",
             advice && base ? base : advice ? "?" : r->track);
    add_mark(c->mk, advice ? AW_MARK_ADVICE : AW_MARK_INTERCEPT, lat, lon, label);
    const aw_airbase *b = base ? find_base(base) : NULL;
    if (b)
        add_mark(c->mk, AW_MARK_BASE, b->lat, b->lon, b->icao);
    json_decref(o);
    return 0;
}

/* Patrol groups of the day, as the report's Patrols section has them (the store's group
 * records, else the analysis of its positions): each track's largest group is its key. */
static void group_keys(aw_store *s, const aw_observer_options *opt, const aw_position *pos,
                       trk *t, size_t nt, const aw_aircraft_db *adb)
{
    char err[256];
    size_t n = opt->npatrols;
    bool computed;
    /* the report's own groups when it has them: the store read and the analysis once */
    char **own = NULL;
    const char *const *groups = opt->patrols;
    if (!groups)
        groups = (const char *const *)(own = aw_patrol_groups(
            s, opt->day_start, opt->day_end, adb, NULL, &n, &computed, err, sizeof err));
    if (!groups)
        return; /* colours by nation then */
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_loads(groups[i], 0, NULL);
        const char *gid = json_string_value(json_object_get(o, "group"));
        json_t *members = json_object_get(o, "members"), *mo;
        size_t k;
        int size = (int)json_array_size(members);
        json_array_foreach(members, k, mo) {
            const char *tid = json_string_value(json_object_get(mo, "track"));
            for (size_t j = 0; tid && gid && j < nt; j++)
                if (strcmp(pos[t[j].first].track, tid) == 0 && size > t[j].group_size) {
                    snprintf(t[j].key, sizeof t[j].key, "group %s", gid);
                    t[j].group_size = size;
                }
        }
        json_decref(o);
    }
    if (own)
        aw_patrol_strings_free(own, n);
}

static int by_track(const void *a, const void *b)
{
    return strcmp((*(const aw_event *const *)a)->track, (*(const aw_event *const *)b)->track);
}

/* Did the track enter a zone that is not its own nation's? enters: the day's enter
 * events sorted by track (by_track). */
static bool entered_foreign_zone(const aw_event *const *enters, size_t n,
                                 const aw_zone_set *zones, const char *track, const char *nation)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first enter of this track */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(enters[mid]->track, track) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && strcmp(enters[i]->track, track) == 0; i++) {
        int z = aw_zones_find(zones, enters[i]->zone);
        if (z >= 0 && (!nation[0] || strcmp(aw_zones_info(zones, z)->owner, nation) != 0))
            return true;
    }
    return false;
}

typedef struct area {
    double lat0, lat1, lon0, lon1;
    bool any;
} area;

static void area_add(area *a, double lat, double lon)
{
    if (!a->any) {
        *a = (area){lat, lat, lon, lon, true};
        return;
    }
    a->lat0 = fmin(a->lat0, lat);
    a->lat1 = fmax(a->lat1, lat);
    a->lon0 = fmin(a->lon0, lon);
    a->lon1 = fmax(a->lon1, lon);
}

/* The area to show: the observer's ADIZs, the reference places, and the tracks where
 * they are inside some zone -- not the whole flight, whose take-off may be a thousand
 * kilometres away (Ukrainka); the frame cuts such legs, as the JSO maps do. */
static void focus(aw_map *m, const aw_zone_set *zones, const char *observer)
{
    area a = {0, 0, 0, 0, false};
    for (int z = 0; z < aw_zones_count(zones); z++) {
        const aw_zone_info *zi = aw_zones_info(zones, z);
        if (strcmp(zi->owner, observer) == 0 && strcmp(zi->kind, "adiz") == 0) {
            area_add(&a, zi->min_lat, zi->min_lon);
            area_add(&a, zi->max_lat, zi->max_lon);
        }
    }
    for (int i = 0; i < m->nmarkers; i++)
        if (m->markers[i].kind != AW_MARK_BASE)
            area_add(&a, m->markers[i].lat, m->markers[i].lon);
    for (int k = 0; k < m->ntracks; k++)
        for (int j = 0; j < m->tracks[k].n; j++) {
            double lat = m->tracks[k].lat[j], lon = m->tracks[k].lon[j];
            for (int z = 0; z < aw_zones_count(zones); z++)
                if (aw_zone_contains_2d(zones, z, lat, lon)) {
                    area_add(&a, lat, lon);
                    break;
                }
        }
    if (!a.any)
        return; /* the renderer fits what there is */
    m->min_lat = a.lat0 - 1;
    m->max_lat = a.lat1 + 1;
    m->min_lon = a.lon0 - 1;
    m->max_lon = a.lon1 + 1;
}

int report_map_write(const char *db_path, const aw_event *events, size_t nev,
                     const aw_zone_set *zones, const aw_aircraft_db *adb,
                     const aw_observer_options *opt, const char *day, const char *out_dir)
{
    char err[512];
    aw_store *s = aw_store_open(db_path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "adizwatch: map: %s\n", err);
        return -1;
    }
    size_t npos = 0;
    aw_position *pos = aw_patrol_positions(s, opt->day_start, opt->day_end, &npos, err, sizeof err);
    marks *mk = calloc(1, sizeof *mk);
    trk *t = calloc(npos + 1, sizeof *t);
    const aw_event **enters = calloc(nev + 1, sizeof *enters);
    size_t nenters = 0;
    int rc = 0;
    if (!pos || !mk || !t || !enters) {
        fprintf(stderr, "adizwatch: map: %s\n", !pos ? err : "out of memory");
        rc = -1;
        goto out;
    }

    for (size_t i = 0; i < nev; i++)
        if (events[i].type == AW_ENTER && events[i].time >= opt->day_start &&
            events[i].time < opt->day_end)
            enters[nenters++] = &events[i];
    qsort(enters, nenters, sizeof *enters, by_track);

    /* Tracks: positions come ordered by track, then time. */
    size_t nt = 0;
    for (size_t i = 0; i < npos; i++) {
        if (i == 0 || strcmp(pos[i].track, pos[i - 1].track) != 0)
            t[nt++] = (trk){i, 0, {0}, "", 0};
        t[nt - 1].n++;
    }
    size_t kept = 0;
    for (size_t k = 0; k < nt; k++) {
        const aw_position *p0 = &pos[t[k].first];
        const char *callsign = "";
        for (size_t i = 0; i < t[k].n; i++)
            if (pos[t[k].first + i].callsign[0])
                callsign = pos[t[k].first + i].callsign;
        aw_identify(adb, p0->track, callsign, "", &t[k].id);
        bool foreign = strcmp(t[k].id.nation, opt->observer) != 0;
        if (!foreign || !(t[k].id.military || t[k].id.unidentified) ||
            !entered_foreign_zone(enters, nenters, zones, p0->track, t[k].id.nation))
            continue;
        snprintf(t[k].key, sizeof t[k].key, "%s", t[k].id.nation[0] ? t[k].id.nation : "unknown");
        t[kept++] = t[k];
    }
    nt = kept;
    group_keys(s, opt, pos, t, nt, adb);

    aw_map_track *mt = calloc(nt + 1, sizeof *mt);
    double *buf = malloc((npos + 1) * 3 * sizeof *buf);
    if (!mt || !buf) {
        free(mt);
        free(buf);
        fprintf(stderr, "adizwatch: map: out of memory\n");
        rc = -1;
        goto out;
    }
    size_t off = 0;
    for (size_t k = 0; k < nt; k++) {
        double *tt = buf + off, *la = buf + npos + off, *lo = buf + 2 * npos + off;
        for (size_t i = 0; i < t[k].n; i++) {
            const aw_position *p = &pos[t[k].first + i];
            tt[i] = p->time;
            la[i] = p->lat;
            lo[i] = p->lon;
        }
        off += t[k].n;
        mt[k] = (aw_map_track){pos[t[k].first].track, t[k].id.type, t[k].id.nation, t[k].key,
                               tt, la, lo, (int)t[k].n};
    }

    /* Markers: advice and intercepts, the places the incursions are told from, bases. */
    char advised[MAX_MARKERS][AW_TRACK_ID_MAX];
    rec_ctx rcx = {mk, opt->tz_offset_s, opt->observer, advised, 0, MAX_MARKERS};
    aw_store_records(s, "scramble_advice", opt->day_start, opt->day_end, on_record, &rcx, err,
                     sizeof err);
    aw_store_records(s, "intercept", opt->day_start, opt->day_end, on_record, &rcx, err,
                     sizeof err);
    for (size_t i = 0; i < nev; i++) {
        const aw_event *e = &events[i];
        int z = aw_zones_find(zones, e->zone);
        if (z < 0 || e->time < opt->day_start || e->time >= opt->day_end ||
            strcmp(aw_zones_info(zones, z)->owner, opt->observer) != 0)
            continue;
        const aw_place *pl = aw_place_nearest(e->lat, e->lon, NULL, NULL);
        if (pl)
            add_mark(mk, AW_MARK_PLACE, pl->lat, pl->lon, pl->name);
    }
    for (int i = 0; i < aw_airbases_count(); i++) {
        const aw_airbase *b = aw_airbase_at(i);
        if (b->military && strcmp(b->country, opt->observer) == 0)
            add_mark(mk, AW_MARK_BASE, b->lat, b->lon, NULL); /* unlabelled: a crowd */
    }

    /* Aircraft, not tracks: tracks of one airframe (out and back) count once. */
    size_t naircraft = 0;
    for (size_t k = 0; k < nt; k++) {
        const char *track = pos[t[k].first].track;
        char af[48], other[48];
        aw_airframe_of(adb, track, af, sizeof af);
        for (size_t l = 0; l < opt->nlegs; l++)
            if (strcmp(opt->legs[l].track, track) == 0)
                snprintf(af, sizeof af, "%s", opt->legs[l].airframe);
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++) {
            const char *tj = pos[t[j].first].track;
            aw_airframe_of(adb, tj, other, sizeof other);
            for (size_t l = 0; l < opt->nlegs; l++)
                if (strcmp(opt->legs[l].track, tj) == 0)
                    snprintf(other, sizeof other, "%s", opt->legs[l].airframe);
            seen = strcmp(af, other) == 0;
        }
        naircraft += !seen;
    }
    char title[128], subtitle[256], path[1024];
    snprintf(title, sizeof title, "Outline of activity, %s (%s)", day, opt->observer);
    if (nt)
        snprintf(subtitle, sizeof subtitle,
                 "%zu foreign military or unidentified aircraft (%zu tracks) that entered "
                 "another nation's zone; ADIZ lines dashed, territorial airspace shaded",
                 naircraft, nt);
    else
        snprintf(subtitle, sizeof subtitle, "%s",
                 npos ? "No foreign military or unidentified aircraft entered another "
                        "nation's zone"
                      : "No positions stored for this day (replay --db stores them)");
    aw_map m;
    aw_map_init(&m);
    m.title = title;
    m.subtitle = subtitle;
    char basis[512];
    m.basis = aw_report_basis_sentence(opt->basis, basis, sizeof basis);
    m.zones = zones;
    m.observer = opt->observer;
    m.land_topojson = (const char *)web_land_json;
    m.land_len = web_land_json_size;
    m.tracks = mt;
    m.ntracks = (int)nt;
    m.markers = mk->m;
    m.nmarkers = mk->n;
    m.tz_offset_s = opt->tz_offset_s;
    m.legend_keys = true;
    focus(&m, zones, opt->observer);
    snprintf(path, sizeof path, "%s/map-%s-%s.svg", out_dir, opt->observer, day);
    if (aw_map_write_svg(&m, path, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s: %s\n", path, err);
        rc = -1;
    }
    snprintf(path, sizeof path, "%s/map-%s-%s.png", out_dir, opt->observer, day);
    if (rc == 0 && aw_map_write_png(&m, path, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s: %s\n", path, err);
        rc = -1;
    }
    snprintf(path, sizeof path, "%s/map-%s-%s.json", out_dir, opt->observer, day);
    if (rc == 0 && aw_map_write_json(&m, path, err, sizeof err) < 0) {
        fprintf(stderr, "adizwatch: %s: %s\n", path, err);
        rc = -1;
    }
    if (rc == 0)
        fprintf(stderr, "adizwatch: map with %zu tracks, %d markers: %s/map-%s-%s.{svg,png,json}\n", nt,
                mk->n, out_dir, opt->observer, day);
    free(mt);
    free(buf);
    aw_map_release_caches(); /* the CLI draws no more */
out:
    free(enters);
    free(t);
    free(mk);
    free(pos);
    aw_store_close(s);
    return rc;
}
