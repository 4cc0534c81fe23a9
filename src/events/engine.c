/* engine.c -- tracks and the zone events between their reports.
 *
 * For each accepted report b of a track whose previous report is a, and each zone the
 * segment a->b could touch, the engine lists the points where the state may change --
 * where the geodesic's chords cross the zone's rings, and where the linearly changing
 * altitude passes the floor or ceiling -- then tests the state between consecutive
 * points (at midpoints, on the true geodesic). Every change of state is an event. This
 * finds corner cuts, crossings of several zones in one segment, and climbs through a
 * floor inside a zone alike, with no special cases.
 *
 * The depth of a visit (largest distance from the boundary over its reports) is costly
 * to measure, so it is measured only when it could beat the visit's current maximum.
 * Two upper bounds say when it cannot: the depth grows by no more than the distance
 * flown, so the last measurement (or the last report's grid bound) plus the path flown
 * since; and the zone's depth grid (aw_zone_depth_bound), close to the truth deep
 * inside a zone; and the distance to the boundary point the last measurement found
 * (the depth is at most the distance to any boundary point), tight near that report
 * whichever way the aircraft flies. Reports that might beat the maximum wait as
 * candidates, and one measurement often rules several out (see visit_report). The
 * maximum found is the exact one: a report is only passed over when a bound proves it
 * no deeper than a measured report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/engine_internal.h"
#include "geo/geo.h"
#include "geo/trig.h"
#include "zones/zone.h"

/* Past CANDIDATE_BYTES_KEPT of candidate blocks, a track quiet for SETTLE_IDLE_S
 * (in report time: long past the few seconds between an aircraft's reports, well short
 * of the timeout that ends its visits) has its visits' depth candidates measured and
 * their blocks returned (engine_settle_idle). Below it, nothing is measured early: a
 * replay that ends with a quiet aircraft's visit open never needs its depth at all. */
#define SETTLE_IDLE_S 60.0
#define CANDIDATE_BYTES_KEPT (24u << 20)

aw_engine *aw_engine_new(const aw_zone_set *zones, const aw_engine_options *opt, aw_event_fn fn,
                         void *user)
{
    aw_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->zones = zones;
    e->timeout = opt && opt->timeout_s > 0 ? opt->timeout_s : 300.0;
    e->max_tracks = opt ? opt->max_tracks : 0;
    e->fn = fn;
    e->user = user;
    e->now = -INFINITY;
    e->block_bytes_kept = CANDIDATE_BYTES_KEPT;
    e->mark = calloc((size_t)aw_zones_count(zones) + 1, sizeof *e->mark);
    e->near_mark = calloc((size_t)aw_zones_count(zones) + 1, sizeof *e->near_mark);
    e->zone_near = malloc(((size_t)aw_zones_count(zones) + 1) * 2 * sizeof *e->zone_near);
    if (!e->mark || !e->near_mark || !e->zone_near || engine_tracks_init(e) < 0) {
        free(e->mark);
        free(e->near_mark);
        free(e->zone_near);
        free(e);
        return NULL;
    }
    for (int z = 0; z < 2 * aw_zones_count(zones); z++)
        e->zone_near[z] = NAN;
    aw_path_init(&e->path);
    return e;
}

void aw_engine_free(aw_engine *e)
{
    if (!e)
        return;
    engine_tracks_free(e);
    for (uint32_t i = 0; i < e->nblocks; i++)
        free(e->blocks[i]); /* NULL for a freed block's ref */
    free(e->blocks);
    free(e->spare_refs);
    aw_path_free(&e->path);
    aw_params_free(&e->params);
    free(e->changes);
    free(e->inside);
    free(e->scan);
    free(e->mark);
    free(e->near_mark);
    free(e->zone_near);
    free(e);
}

void aw_engine_get_stats(const aw_engine *e, aw_engine_stats *out) { *out = e->stats; }

/* ---- visits and events --------------------------------------------------------- */

static visit *find_visit(track *t, int zone)
{
    for (uint32_t i = 0; i < track_nvisits(t); i++)
        if (t->visits->v[i].zone == zone)
            return &t->visits->v[i];
    return NULL;
}

/* The exact depth of a point of the zone, counted; the boundary point it is measured
 * to is kept in e->near_lat, e->near_lon for the visit (note_near). The search starts
 * from a boundary point of the zone measured before (aw_zone_boundary_nearest_from,
 * the same result): the visit's own last one, else the zone's last one, which for a
 * track first seen near others is near its answer too. */
static double measure_depth_from(aw_engine *e, int zone, double lat, double lon, double hint_lat,
                                 double hint_lon)
{
    e->stats.depth_measurements++;
    double *last = &e->zone_near[2 * zone];
    if (isnan(hint_lat)) {
        hint_lat = last[0];
        hint_lon = last[1];
    }
    double d = aw_zone_boundary_nearest_from(e->zones, zone, lat, lon, hint_lat, hint_lon, &e->near_lat,
                                             &e->near_lon);
    if (!isnan(e->near_lat)) {
        last[0] = e->near_lat;
        last[1] = e->near_lon;
    }
    return d;
}

static double measure_depth(aw_engine *e, int zone, double lat, double lon)
{
    return measure_depth_from(e, zone, lat, lon, NAN, NAN);
}

static double measure_visit_depth(aw_engine *e, const visit *v, double lat, double lon)
{
    return measure_depth_from(e, v->zone, lat, lon, v->near_lat, v->near_lon); /* NaN: none */
}

static void note_near(const aw_engine *e, visit *v)
{
    v->near_lat = (float)e->near_lat;
    v->near_lon = (float)remainder(e->near_lon, 360.0); /* |lon| <= 180: a float's half ulp,
                                                        * as a latitude's, is under 1e-5 deg */
}

/* An upper bound of the depth of (lat, lon) from the visit's last boundary point: the
 * depth is at most the distance to it, at most aw_geodesic_distance_upper (a path no
 * shorter than the geodesic, a few sines, within a few parts in a million of it). Only
 * when that falls just short of ruling the report out is the geodesic itself measured
 * (PROJ's geod_inverse: a microsecond, against tens for a depth). 4 m are added: 2 for
 * what the exact depth's plane approximation and the chord's own point may differ, 2
 * for the point's rounding to floats (at most 1.2 m). */
static double near_bound(const visit *v, double lat, double lon, double beat)
{
    if (isnan(v->near_lat))
        return INFINITY;
    double upper = aw_geodesic_distance_upper(lat, lon, v->near_lat, v->near_lon) + 4.0;
    if (upper <= beat || upper - beat > 2e-5 * upper)
        return upper; /* decided; or the geodesic, a few ppm shorter, would not be either */
    return fmin(upper, aw_geodesic_distance(lat, lon, v->near_lat, v->near_lon) * (1 + 1e-9) + 4.0);
}

/* fmax and fmin as the C library answers them (a NaN loses; of equal values the first
 * wins), written out so that the compiler inlines them: they run for every report of a
 * visit, where a call into libm showed in profiles. */
static inline double larger(double x, double y)
{
    return y > x || isnan(x) ? y : x;
}

static inline double smaller(double x, double y)
{
    return y < x || isnan(x) ? y : x;
}

/* A measurement d at path position s_at: the maximum, the path bound's anchor and the
 * boundary point. */
static void record_depth(const aw_engine *e, visit *v, double d, double s_at)
{
    v->max_depth = larger(v->max_depth, d);
    v->q_depth = d;
    v->q_s = s_at;
    note_near(e, v);
}

/* An upper bound of the candidate's depth. */
static double candidate_upper(const visit *v, const depth_candidate *c)
{
    return smaller(v->q_depth + fabs(c->s - v->q_s), c->bound);
}

/* Measure the most promising candidate; the bound of the others tightens to the new
 * measurement (depth changes no faster than the path flown), and those that can no
 * longer beat the maximum are dropped. */
static void measure_best_candidate(aw_engine *e, visit *v)
{
    candidate_block *blk = e->blocks[v->block - 1];
    depth_candidate *cand = blk->cand;
    uint32_t best = 0;
    double best_upper = candidate_upper(v, &cand[0]);
    for (uint32_t i = 1; i < blk->ncand; i++) {
        double u = candidate_upper(v, &cand[i]);
        if (u > best_upper) {
            best_upper = u;
            best = i;
        }
    }
    depth_candidate c = cand[best];
    cand[best] = cand[--blk->ncand];
    record_depth(e, v, measure_visit_depth(e, v, c.lat, c.lon), c.s);
    for (uint32_t i = 0; i < blk->ncand;) {
        if (candidate_upper(v, &cand[i]) > v->max_depth)
            cand[i].bound = smaller(cand[i].bound, near_bound(v, cand[i].lat, cand[i].lon, v->max_depth));
        if (candidate_upper(v, &cand[i]) <= v->max_depth)
            cand[i] = cand[--blk->ncand];
        else
            i++;
    }
    if (blk->ncand == 0) {
        engine_give_block(e, v->block);
        v->block = 0;
    }
}

static uint32_t block_size(uint32_t k) { return 4u << k; }

static size_t block_bytes(uint32_t cap)
{
    return sizeof(candidate_block) + cap * sizeof(depth_candidate);
}

/* Past the bytes kept, a block given back is freed rather than pooled: the pools of
 * five sizes would otherwise hold what the visits once needed of each. */
void engine_give_block(aw_engine *e, uint32_t ref)
{
    candidate_block *b = e->blocks[ref - 1];
    size_t bytes = block_bytes(b->cap);
    e->block_bytes_used -= bytes;
    if (e->block_bytes_used + e->block_bytes_pooled + bytes > e->block_bytes_kept) {
        if (e->nspare == e->spare_cap) {
            uint32_t cap = e->spare_cap ? 2 * e->spare_cap : 64;
            uint32_t *v = realloc(e->spare_refs, cap * sizeof *v);
            if (v) {
                e->spare_refs = v;
                e->spare_cap = cap;
            }
        }
        if (e->nspare < e->spare_cap) {
            e->spare_refs[e->nspare++] = ref;
            e->blocks[ref - 1] = NULL;
            free(b);
            return;
        }
    }
    uint32_t k = 0;
    while (block_size(k) < b->cap)
        k++;
    b->ncand = 0;
    b->next_free = e->free_blocks[k];
    e->free_blocks[k] = ref;
    e->block_bytes_pooled += bytes;
}

/* A candidate block for the visit: from the pool, or a new one; 0 without memory. */
uint32_t engine_take_block(aw_engine *e, uint32_t n)
{
    uint32_t k = 0;
    if (n > DEPTH_CANDIDATES)
        return 0;
    while (block_size(k) < n)
        k++;
    uint32_t ref = e->free_blocks[k];
    if (ref) {
        e->free_blocks[k] = e->blocks[ref - 1]->next_free;
        e->block_bytes_used += block_bytes(block_size(k));
        e->block_bytes_pooled -= block_bytes(block_size(k));
        return ref;
    }
    candidate_block *b = malloc(block_bytes(block_size(k)));
    if (!b)
        return 0;
    b->ncand = 0;
    b->cap = (uint16_t)block_size(k);
    e->block_bytes_used += block_bytes(b->cap);
    if (e->nspare > 0) { /* a freed block's ref */
        ref = e->spare_refs[--e->nspare];
        e->blocks[ref - 1] = b;
        return ref;
    }
    if (e->nblocks == e->blocks_cap) {
        uint32_t cap = e->blocks_cap ? 2 * e->blocks_cap : 64;
        candidate_block **v = realloc(e->blocks, cap * sizeof *v);
        if (!v) {
            e->block_bytes_used -= block_bytes(b->cap);
            free(b);
            return 0;
        }
        e->blocks = v;
        e->blocks_cap = cap;
    }
    e->blocks[e->nblocks] = b;
    return ++e->nblocks;
}

/* A report inside the visit, flown metres after the previous one. Its depth is only
 * measured when it could exceed the maximum, and then lazily: candidates wait until
 * the buffer fills or the visit ends, and one measurement often settles several. */
static void visit_report(aw_engine *e, visit *v, double lat, double lon, double flown)
{
    v->s += flown;
    if (v->q_depth + fabs(v->s - v->q_s) <= v->max_depth)
        return;
    depth_candidate c = {lat, lon, v->s, near_bound(v, lat, lon, v->max_depth)};
    /* The grid's bound is a few per cent over the truth: when the boundary-point bound
     * is already within a per cent of the maximum, the grid would not rule it out. */
    if (c.bound > v->max_depth * 1.01 + 100.0)
        c.bound = smaller(c.bound, aw_zone_depth_bound(e->zones, v->zone, lat, lon));
    if (c.bound <= v->max_depth) {
        /* Ruled out by its grid bound, which then anchors the path bound here: the next
         * reports are at most this deep plus what is flown since. Past a visit's deepest
         * point that rules most of them out without a grid bound of their own. */
        v->q_depth = c.bound;
        v->q_s = v->s;
        return;
    }
    candidate_block *blk = v->block ? e->blocks[v->block - 1] : NULL;
    if (!blk || blk->ncand == blk->cap) { /* a block, or the next size up */
        uint32_t ref = engine_take_block(e, blk ? 2u * blk->cap : 1);
        if (!ref) { /* no room to wait: measure now */
            record_depth(e, v, measure_visit_depth(e, v, lat, lon), v->s);
            return;
        }
        candidate_block *bigger = e->blocks[ref - 1];
        if (blk) {
            memcpy(bigger->cand, blk->cand, blk->ncand * sizeof *blk->cand);
            bigger->ncand = blk->ncand;
            engine_give_block(e, v->block);
        }
        v->block = ref;
        blk = bigger;
    }
    blk->cand[blk->ncand++] = c;
    if (blk->ncand == DEPTH_CANDIDATES)
        measure_best_candidate(e, v);
}

/* Settle max_depth before the visit's exit is reported (or its track goes quiet). */
void engine_settle_depth(aw_engine *e, visit *v)
{
    while (v->block)
        measure_best_candidate(e, v);
}

static void emit(aw_engine *e, const track *t, int zone, aw_event_type type, aw_event_cause cause,
                 double time, double lat, double lon, double alt, visit *v)
{
    if (v)
        engine_settle_depth(e, v);
    aw_event ev;
    ev.type = type;
    ev.cause = cause;
    const char *id = track_id(e, t);
    memset(ev.track, 0, sizeof ev.track);
    memcpy(ev.track, id, strlen(id));
    snprintf(ev.zone, sizeof ev.zone, "%s", aw_zones_info(e->zones, zone)->id);
    ev.time = time;
    ev.lat = lat;
    ev.lon = lon;
    ev.alt_ft = alt;
    memcpy(ev.callsign, t->callsign, sizeof ev.callsign);
    ev.dwell_s = v && type == AW_EXIT ? time - v->enter_time : 0;
    ev.max_depth_m = v && type == AW_EXIT ? v->max_depth : 0;
    e->stats.events++;
    e->fn(&ev, e->user);
}

/* The visit starts at an entry point of known depth, u of the way along a segment of
 * length len: the segment's report is then (1 - u) len further on. */
static int open_visit(aw_engine *e, track *t, int zone, double time, double depth, double u,
                      double len)
{
    uint32_t n = track_nvisits(t);
    if (!t->visits || n == t->visits->cap) {
        uint32_t cap = n ? 2 * n : 1;
        visit_array *a = realloc(t->visits, sizeof *a + cap * sizeof(visit));
        if (!a)
            return -1;
        a->n = n;
        a->cap = cap;
        t->visits = a;
    }
    t->visits->v[t->visits->n++] = (visit){.zone = zone,
                                           .near_lat = NAN,
                                           .near_lon = NAN,
                                           .enter_time = time,
                                           .max_depth = depth,
                                           .q_depth = depth,
                                           .s = -u * len};
    e->stats.open_visits++;
    return 0;
}

static void close_visit(aw_engine *e, track *t, visit *v)
{
    *v = t->visits->v[--t->visits->n];
    e->stats.open_visits--;
}

/* Exit every open visit as `lost`, at the track's last report. */
void engine_lose_track(aw_engine *e, track *t)
{
    while (track_nvisits(t) > 0) {
        visit *v = &t->visits->v[0];
        emit(e, t, v->zone, AW_EXIT, AW_LOST, t->time, t->lat, t->lon, t->alt_ft, v);
        close_visit(e, t, v);
    }
}

static void take_callsign(track *t, const aw_report *r)
{
    if (r->callsign[0])
        memcpy(t->callsign, r->callsign, sizeof t->callsign);
}

/* ---- one segment --------------------------------------------------------------- */

static int push_change(aw_engine *e, change c)
{
    if (e->nchanges == e->changes_cap) {
        int cap = e->changes_cap ? 2 * e->changes_cap : 16;
        change *v = realloc(e->changes, cap * sizeof *v);
        if (!v)
            return -1;
        e->changes = v;
        e->changes_cap = cap;
    }
    e->changes[e->nchanges++] = c;
    return 0;
}

static int cmp_change(const void *a, const void *b)
{
    const change *x = a, *y = b;
    if (x->u != y->u)
        return x->u < y->u ? -1 : 1;
    if (x->enter != y->enter) /* at one instant, leave one zone before entering the next */
        return x->enter ? 1 : -1;
    return x->zone - y->zone;
}

typedef struct segment {
    const track *a; /* the track, still holding report a */
    const aw_report *b;
    double flown;   /* its length at most (flown_bound) */
    int nnear;      /* zones near it, from the index (-1: it could not tell) */
} segment;

static double seg_alt(const segment *s, double u)
{
    if (isnan(s->a->alt_ft) || isnan(s->b->alt_ft))
        return NAN;
    return s->a->alt_ft + u * (s->b->alt_ft - s->a->alt_ft);
}

static void seg_point(aw_engine *e, const segment *s, double u, double *lat, double *lon)
{
    if (u <= 0) {
        *lat = s->a->lat;
        *lon = s->a->lon;
    } else if (u >= 1) {
        *lat = s->b->lat;
        *lon = s->b->lon;
    } else {
        aw_path_point(&e->path, u * e->path.length_m, lat, lon);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bool in_band(const aw_zone_info *zi, double alt)
{
    return isnan(alt) || !(alt < zi->floor_ft || alt > zi->ceiling_ft);
}

/* aw_zone_contains at u along the segment, its horizontal part from the index (the
 * same answer, from the few chords of the point's cell). */
static bool seg_contains(aw_engine *e, const segment *s, int z, double u)
{
    double lat, lon;
    seg_point(e, s, u, &lat, &lon);
    return in_band(aw_zones_info(e->zones, z), seg_alt(s, u)) && aw_zone_index_holds(e->zones, z, lat, lon);
}

/* The path's crossings of zone z's rings, into e->params: none when the index has not
 * found its boundary near the segment; else from its records in the index cells under
 * the segment (or, for a segment too long for the index to tell, from its rings). */
static int path_crossings(aw_engine *e, const segment *s, int z)
{
    if (s->nnear < 0)
        return aw_zone_path_crossings(e->zones, z, &e->path, &e->params);
    if (e->near_mark[z] != e->stamp)
        return 0;
    return aw_zone_index_path_crossings(e->zones, z, &e->path, s->a->lat, s->a->lon, s->b->lat, s->b->lon,
                                        s->flown, &e->params);
}

/* The state changes of zone z along the segment, appended to e->changes. */
static int zone_changes(aw_engine *e, const segment *s, int z, bool in_a, bool in_b)
{
    const aw_zone_info *zi = aw_zones_info(e->zones, z);
    aw_params *p = &e->params;
    p->n = 0;
    if (e->path.length_m > 0) {
        if (path_crossings(e, s, z) < 0)
            return -1;
        for (int i = 0; i < p->n; i++)
            p->v[i] /= e->path.length_m;
    }
    /* Floor and ceiling: the altitude is linear in time, and time in distance. */
    double vert[2] = {NAN, NAN};
    double alt_a = s->a->alt_ft, alt_b = s->b->alt_ft;
    if (!isnan(alt_a) && !isnan(alt_b) && alt_a != alt_b) {
        double limits[2] = {zi->floor_ft, zi->ceiling_ft};
        for (int k = 0; k < 2; k++) {
            double u = (limits[k] - alt_a) / (alt_b - alt_a);
            if (u > 0 && u < 1) {
                vert[k] = u;
                if (aw_params_push(p, u) < 0)
                    return -1;
            }
        }
    }
    if (p->n == 0 && in_a == in_b)
        return 0;
    if (p->n > 1)
        qsort(p->v, (size_t)p->n, sizeof(double), cmp_double);
    int n = 0;
    for (int i = 0; i < p->n; i++) {
        double u = p->v[i];
        if (u <= 1e-12 || u >= 1 - 1e-12 || (n > 0 && u - p->v[n - 1] < 1e-12))
            continue; /* the ends are the reports themselves; duplicates are one point */
        p->v[n++] = u;
    }
    /* Test the state between consecutive points; each change is an event. */
    bool state = in_a;
    for (int i = 0; i <= n; i++) {
        double lo = i ? p->v[i - 1] : 0, hi = i < n ? p->v[i] : 1;
        bool mid = seg_contains(e, s, z, 0.5 * (lo + hi));
        if (mid != state) {
            bool lateral = i > 0 && lo != vert[0] && lo != vert[1];
            if (push_change(e, (change){lo, z, mid, lateral}) < 0)
                return -1;
            state = mid;
        }
    }
    if (in_b != state && push_change(e, (change){1, z, in_b, false}) < 0)
        return -1;
    return 0;
}

/* Could the segment touch the zone at all? A cheap box test on the path's chords. */
static bool segment_near_zone(const aw_engine *e, int z)
{
    const aw_zone_info *zi = aw_zones_info(e->zones, z);
    const aw_path *p = &e->path;
    if (p->max_lat < zi->min_lat || p->min_lat > zi->max_lat)
        return false;
    for (int k = -1; k <= 1; k++)
        if (p->max_lon + 360.0 * k >= zi->min_lon && p->min_lon + 360.0 * k <= zi->max_lon)
            return true;
    return false;
}

/* The zones containing b horizontally: listed in e->inside (e->ninside) and marked
 * with the current stamp in e->mark. */
static int zones_at(aw_engine *e, double lat, double lon)
{
    int n = aw_zone_index_query(e->zones, lat, lon, e->inside, e->inside_cap);
    if (n > e->inside_cap) {
        int *v = realloc(e->inside, (size_t)n * sizeof *v);
        if (!v)
            return -1;
        e->inside = v;
        e->inside_cap = n;
        n = aw_zone_index_query(e->zones, lat, lon, e->inside, e->inside_cap);
    }
    e->ninside = n;
    if (++e->stamp == 0) { /* wrapped: clear the old marks */
        memset(e->mark, 0, (size_t)aw_zones_count(e->zones) * sizeof *e->mark);
        memset(e->near_mark, 0, (size_t)aw_zones_count(e->zones) * sizeof *e->near_mark);
        e->stamp = 1;
    }
    for (int i = 0; i < n; i++)
        e->mark[e->inside[i]] = e->stamp;
    return 0;
}

/* Does the altitude, linear from alt_a to alt_b, pass the zone's floor or ceiling? */
static bool passes_limit(const aw_zone_info *zi, double alt_a, double alt_b)
{
    if (isnan(alt_a) || isnan(alt_b))
        return false; /* unknown in between: inside the band all along */
    return (alt_a - zi->floor_ft) * (alt_b - zi->floor_ft) < 0 ||
           (alt_a - zi->ceiling_ft) * (alt_b - zi->ceiling_ft) < 0;
}

/* The zones a segment near boundaries must look at, into e->scan: those b is in
 * (horizontally), those whose boundary the index finds near the segment (e->near, nnear
 * of them, marked), and those the track is in -- any other zone holds neither end and is
 * not crossed sideways, nor by a floor or ceiling (it would hold the end horizontally).
 * Returns the count, or -1 to look at every zone (nnear < 0: a long segment, or too many
 * near it). With a thousand zones, testing each one's box for every such segment was
 * most of a report's cost. */
static int scan_zones(aw_engine *e, const track *t, int nnear)
{
    if (nnear < 0)
        return -1;
    int nvisits = (int)track_nvisits(t), want = e->ninside + nnear + nvisits;
    if (e->scan_cap < want) {
        int *v = realloc(e->scan, (size_t)want * sizeof *v);
        if (!v)
            return -1;
        e->scan = v;
        e->scan_cap = want;
    }
    int n = e->ninside;
    if (n > 0) /* inside is NULL until a report is first inside a zone */
        memcpy(e->scan, e->inside, (size_t)n * sizeof *e->scan);
    for (int i = 0; i < nnear; i++) /* those not already listed as holding b */
        if (e->mark[e->near[i]] != e->stamp)
            e->scan[n++] = e->near[i];
    for (int v = 0; v < nvisits; v++) {
        int z = t->visits->v[v].zone;
        if (e->mark[z] != e->stamp && e->near_mark[z] != e->stamp)
            e->scan[n++] = z;
    }
    return n;
}

/* A clearance as the track keeps it: a float, rounded down so that it stays a lower
 * bound (a few millimetres lost at most). */
static float below(double x)
{
    float f = (float)x;
    return f > x ? nextafterf(f, -INFINITY) : f;
}

/* An upper bound of the distance flown from a to b: the flat-earth estimate is within
 * a percent of the geodesic over short hops; long hops are measured exactly. */
static double flown_bound(const track *a, const aw_report *b)
{
    /* aw_approx_metres, with trig.h's cosine: a few ulps off libm's, against the 1 % and
     * the metre added (a libm call here was 2 % of a replay) */
    double dx = (b->lon - a->lon) * aw_cos(0.5 * (a->lat + b->lat) * AW_DEG), dy = b->lat - a->lat;
    double d = 111319.49 * sqrt(dx * dx + dy * dy);
    if (d < 50000.0 && fabs(a->lon - b->lon) < 1.0)
        return 1.01 * d + 1.0;
    return aw_geodesic_distance(a->lat, a->lon, b->lat, b->lon) * (1 + 1e-9) + 1e-3;
}

static int process_segment(aw_engine *e, track *t, const aw_report *b)
{
    /* The visits' candidate blocks, wanted at the end (visit_report), and b's cell of
     * the index: fetched while the segment is looked at, not waited for then. */
    for (uint32_t i = 0; i < track_nvisits(t); i++)
        if (t->visits->v[i].block)
            __builtin_prefetch(e->blocks[t->visits->v[i].block - 1]);
    aw_zone_index_prefetch(e->zones, b->lat, b->lon);
    double flown = flown_bound(t, b);
    /* Far from every boundary, no lateral crossing can have happened since the last
     * exact look: only a floor or ceiling can change the state, in zones b is in. Nor
     * when the index has no zone's boundary near the segment; and a zone whose boundary
     * is not near is not crossed sideways, though it holds an end. */
    bool far = t->clearance > flown;
    int nnear = far ? 0
                    : aw_zone_index_segment_zones(e->zones, t->lat, t->lon, b->lat, b->lon, flown, e->near,
                                                  NEAR_ZONES_MAX);
    bool clear = nnear == 0;
    segment s = {t, b, flown, nnear};
    bool path_built = false;
    if (!clear) {
        if (aw_path_build(&e->path, t->lat, t->lon, b->lat, b->lon) < 0)
            return -1;
        path_built = true;
    }
    if (zones_at(e, b->lat, b->lon) < 0)
        return -1;
    for (int i = 0; i < nnear; i++)
        e->near_mark[e->near[i]] = e->stamp;
    e->nchanges = 0;
    int nz = clear ? e->ninside : scan_zones(e, t, nnear);
    const int *list = clear ? e->inside : e->scan;
    if (nz < 0) {
        nz = aw_zones_count(e->zones);
        list = NULL;
    }
    for (int i = 0; i < nz; i++) {
        int z = list ? list[i] : i;
        const aw_zone_info *zi = aw_zones_info(e->zones, z);
        bool in_a = find_visit(t, z) != NULL;
        bool in_b = e->mark[z] == e->stamp && in_band(zi, b->alt_ft);
        if (clear) {
            if (in_a == in_b && !passes_limit(zi, t->alt_ft, b->alt_ft))
                continue; /* neither end nor anything between changes state */
            if (!path_built) {
                if (aw_path_build(&e->path, t->lat, t->lon, b->lat, b->lon) < 0)
                    return -1;
                path_built = true;
            }
        } else if (!in_a && !in_b && !segment_near_zone(e, z)) {
            continue;
        }
        if (zone_changes(e, &s, z, in_a, in_b) < 0)
            return -1;
    }
    if (e->nchanges > 1)
        qsort(e->changes, (size_t)e->nchanges, sizeof *e->changes, cmp_change);
    double len = path_built ? e->path.length_m : flown;
    for (int i = 0; i < e->nchanges; i++) {
        const change *c = &e->changes[i];
        double lat, lon, when = t->time + c->u * (b->time - t->time), alt = seg_alt(&s, c->u);
        seg_point(e, &s, c->u, &lat, &lon);
        if (c->enter) {
            double depth = c->lateral ? 0 : measure_depth(e, c->zone, lat, lon);
            /* The visit first: an enter whose visit cannot be kept would never see its
             * exit, so without memory there is no enter either, only the error. */
            if (open_visit(e, t, c->zone, when, depth, c->u, len) < 0)
                return -1;
            if (!c->lateral)
                note_near(e, &t->visits->v[t->visits->n - 1]);
            emit(e, t, c->zone, AW_ENTER, AW_CROSSING, when, lat, lon, alt, NULL);
        } else {
            visit *v = find_visit(t, c->zone);
            if (!v)
                continue;
            emit(e, t, c->zone, AW_EXIT, AW_CROSSING, when, lat, lon, alt, v);
            close_visit(e, t, v);
        }
    }
    /* b is a report of every visit still open: it may be the deepest point so far. */
    for (uint32_t i = 0; i < track_nvisits(t); i++)
        visit_report(e, &t->visits->v[i], b->lat, b->lon, len);
    t->clearance = below(far ? t->clearance - flown : aw_zone_index_clearance(e->zones, b->lat, b->lon));
    return 0;
}

/* ---- feeding ------------------------------------------------------------------- */

static int first_seen(aw_engine *e, track *t, const aw_report *r)
{
    if (zones_at(e, r->lat, r->lon) < 0)
        return -1;
    t->clearance = below(aw_zone_index_clearance(e->zones, r->lat, r->lon));
    for (int i = 0; i < e->ninside; i++) {
        int z = e->inside[i];
        if (!in_band(aw_zones_info(e->zones, z), r->alt_ft))
            continue;
        double depth = measure_depth(e, z, r->lat, r->lon);
        if (open_visit(e, t, z, r->time, depth, 0, 0) < 0)
            return -1; /* no enter without its visit (as in process_segment) */
        note_near(e, &t->visits->v[t->visits->n - 1]);
        emit(e, t, z, AW_ENTER, AW_FIRST_SEEN, r->time, r->lat, r->lon, r->alt_ft, NULL);
    }
    return 0;
}

/* The parsers never pass such reports, but the library takes reports from anyone. An
 * altitude is unknown (NaN) or within AW_MAX_ABS_ALT_FT: past that it is no aircraft's,
 * and an event would carry a number too long to print exactly. */
static bool report_valid(const aw_report *r)
{
    if (!r->track[0] || !isfinite(r->time))
        return false;
    return !r->has_position || (r->lat >= -90 && r->lat <= 90 && r->lon >= -180 && r->lon <= 180 &&
                                !(fabs(r->alt_ft) > AW_MAX_ABS_ALT_FT));
}

aw_feed_result aw_engine_feed(aw_engine *e, const aw_report *r)
{
    return aw_engine_feed_hashed(e, r, aw_engine_track_hash(r->track));
}

aw_feed_result aw_engine_feed_hashed(aw_engine *e, const aw_report *r, uint64_t hash)
{
    if (!report_valid(r)) {
        e->stats.invalid++;
        return AW_FEED_INVALID;
    }
    track *t = engine_find_track(e, r->track, hash);
    if (!t)
        return AW_FEED_ERROR;
    if (!r->has_position) {
        take_callsign(t, r);
        e->stats.attribute_reports++;
        return AW_FEED_OK;
    }
    if (track_has_position(t) && !(r->time > t->time)) {
        e->stats.dropped++;
        return AW_FEED_DROPPED;
    }
    int rc;
    if (!track_has_position(t) || t->clearance < 0 || r->time - t->time > e->timeout) {
        t->clearance = 0; /* not lost any more (first_seen sets the clearance) */
        if (track_has_position(t))
            engine_lose_track(e, t); /* with the callsign known at its last report */
        take_callsign(t, r);
        rc = first_seen(e, t, r);
    } else {
        take_callsign(t, r);
        rc = process_segment(e, t, r);
    }
    t->time = r->time;
    t->lat = r->lat;
    t->lon = r->lon;
    t->alt_ft = r->alt_ft;
    e->stats.reports++;
    if (r->time > e->now)
        e->now = r->time;
    engine_settle_idle(e, SETTLE_IDLE_S);
    return rc < 0 ? AW_FEED_ERROR : AW_FEED_OK;
}

void aw_engine_expire(aw_engine *e, double now)
{
    for (size_t i = 0; i < e->nslots; i++) {
        track *t = e->slots[i] ? track_at(e, e->slots[i]) : NULL;
        if (t && track_nvisits(t) > 0 && now - t->time > e->timeout) {
            engine_lose_track(e, t);
            /* Lost is lost: a late report of the old path starts the track afresh
             * (first_seen) rather than joining a path already declared ended. */
            t->clearance = -1;
        }
    }
}
