/* picture.c -- the live air picture: a track table and an event log behind one mutex.
 *
 * Written by the feed thread (one report or event at a time), read by HTTP threads that
 * want consistent copies. Tracks live in one array (removal swaps the last one in) found
 * through an open-addressing hash of their ids, rebuilt after removals, which happen
 * only when tracks time out. Trails are fixed-size rings beside the array, so a track
 * costs the same whatever its age. */
#include "adizwatch/picture.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct dropped_id {
    char id[AW_TRACK_ID_MAX];
    uint64_t version;
} dropped_id;

struct aw_picture {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    aw_picture_options opt;
    aw_picture_track *tracks;
    aw_trail_point *trails;   /* opt.trail_points per track, a ring */
    int *trail_start, *trail_len;
    size_t ntracks, cap;
    int *hash;                /* track index + 1; 0 = empty */
    size_t hash_cap;          /* a power of two, at least twice cap */
    aw_event *log;            /* ring of opt.event_log events */
    uint64_t *log_version;
    size_t log_next, log_count;
    dropped_id *dropped;      /* ring of opt.event_log ids */
    size_t dropped_next, dropped_count;
    aw_picture_stats stats;
    bool rerun;               /* reports fed again after a seek back: not counted or logged */
};

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int find_index(const aw_picture *pic, const char *id)
{
    if (!pic->hash_cap)
        return -1;
    for (size_t i = hash_id(id) & (pic->hash_cap - 1);; i = (i + 1) & (pic->hash_cap - 1)) {
        int v = pic->hash[i];
        if (v == 0)
            return -1;
        if (strcmp(pic->tracks[v - 1].id, id) == 0)
            return v - 1;
    }
}

static void hash_insert(aw_picture *pic, int index)
{
    size_t i = hash_id(pic->tracks[index].id) & (pic->hash_cap - 1);
    while (pic->hash[i])
        i = (i + 1) & (pic->hash_cap - 1);
    pic->hash[i] = index + 1;
}

static void hash_rebuild(aw_picture *pic)
{
    memset(pic->hash, 0, pic->hash_cap * sizeof *pic->hash);
    for (size_t i = 0; i < pic->ntracks; i++)
        hash_insert(pic, (int)i);
}

/* Room for one more track: the arrays double, the hash stays at least twice as big. */
static int grow(aw_picture *pic)
{
    size_t cap = pic->cap ? pic->cap * 2 : 256;
    size_t tp = (size_t)pic->opt.trail_points;
    aw_picture_track *t = realloc(pic->tracks, cap * sizeof *t);
    if (!t)
        return -1;
    pic->tracks = t;
    aw_trail_point *tr = realloc(pic->trails, cap * tp * sizeof *tr);
    if (!tr)
        return -1;
    pic->trails = tr;
    int *ts = realloc(pic->trail_start, cap * sizeof *ts);
    if (!ts)
        return -1;
    pic->trail_start = ts;
    int *tl = realloc(pic->trail_len, cap * sizeof *tl);
    if (!tl)
        return -1;
    pic->trail_len = tl;
    int *h = calloc(cap * 4, sizeof *h);
    if (!h)
        return -1;
    free(pic->hash);
    pic->hash = h;
    pic->hash_cap = cap * 4;
    pic->cap = cap;
    hash_rebuild(pic);
    return 0;
}

aw_picture *aw_picture_new(const aw_picture_options *opt)
{
    aw_picture *pic = calloc(1, sizeof *pic);
    if (!pic)
        return NULL;
    pic->opt = (aw_picture_options){60, 100000, 10000, 300};
    if (opt) {
        if (opt->trail_points > 0)
            pic->opt.trail_points = opt->trail_points;
        if (opt->max_tracks > 0)
            pic->opt.max_tracks = opt->max_tracks;
        if (opt->event_log > 0)
            pic->opt.event_log = opt->event_log;
        if (opt->timeout_s > 0)
            pic->opt.timeout_s = opt->timeout_s;
    }
    pic->log = calloc(pic->opt.event_log, sizeof *pic->log);
    pic->log_version = calloc(pic->opt.event_log, sizeof *pic->log_version);
    pic->dropped = calloc(pic->opt.event_log, sizeof *pic->dropped);
    if (!pic->log || !pic->log_version || !pic->dropped || grow(pic) < 0) {
        aw_picture_free(pic);
        return NULL;
    }
    pthread_mutex_init(&pic->lock, NULL);
    pthread_cond_init(&pic->changed, NULL);
    pic->stats.clock = -INFINITY;
    return pic;
}

void aw_picture_free(aw_picture *pic)
{
    if (!pic)
        return;
    if (pic->cap) { /* fully constructed: the lock exists */
        pthread_mutex_destroy(&pic->lock);
        pthread_cond_destroy(&pic->changed);
    }
    free(pic->tracks);
    free(pic->trails);
    free(pic->trail_start);
    free(pic->trail_len);
    free(pic->hash);
    free(pic->log);
    free(pic->log_version);
    free(pic->dropped);
    free(pic);
}

static void changed(aw_picture *pic)
{
    pic->stats.version++;
    pthread_cond_broadcast(&pic->changed);
}

/* The track with this id, created if new (-1: refused or out of memory). */
static int track_for(aw_picture *pic, const char *id)
{
    int i = find_index(pic, id);
    if (i >= 0)
        return i;
    if (pic->ntracks >= pic->opt.max_tracks) {
        pic->stats.tracks_refused++;
        return -1;
    }
    if (pic->ntracks == pic->cap && grow(pic) < 0)
        return -1;
    i = (int)pic->ntracks++;
    aw_picture_track *t = &pic->tracks[i];
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", id);
    t->time = t->lat = t->lon = t->alt_ft = t->speed_kt = t->heading_deg = NAN;
    pic->trail_start[i] = pic->trail_len[i] = 0;
    hash_insert(pic, i);
    pic->stats.tracks = pic->ntracks;
    return i;
}

/* Initial bearing from a to b on the sphere: only for drawing the heading of a track
 * that does not report one, where a fraction of a degree does not show. */
static double bearing_deg(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180;
    double dl = (lon2 - lon1) * rad;
    double y = sin(dl) * cos(lat2 * rad);
    double x = cos(lat1 * rad) * sin(lat2 * rad) - sin(lat1 * rad) * cos(lat2 * rad) * cos(dl);
    double b = atan2(y, x) / rad;
    return b < 0 ? b + 360 : b;
}

void aw_picture_report(aw_picture *pic, const aw_report *r)
{
    pthread_mutex_lock(&pic->lock);
    /* An attribute-only report for a track never placed starts nothing: nothing to draw. */
    int i = r->has_position ? track_for(pic, r->track) : find_index(pic, r->track);
    if (i < 0) {
        pthread_mutex_unlock(&pic->lock);
        return;
    }
    aw_picture_track *t = &pic->tracks[i];
    if (r->callsign[0])
        snprintf(t->callsign, sizeof t->callsign, "%s", r->callsign);
    if (r->squawk[0])
        snprintf(t->squawk, sizeof t->squawk, "%s", r->squawk);
    if (isfinite(r->speed_kt))
        t->speed_kt = r->speed_kt;
    if (r->has_position) {
        if (isfinite(r->track_deg))
            t->heading_deg = r->track_deg;
        else if (isfinite(t->lat) && (t->lat != r->lat || t->lon != r->lon))
            t->heading_deg = bearing_deg(t->lat, t->lon, r->lat, r->lon);
        t->time = r->time;
        t->lat = r->lat;
        t->lon = r->lon;
        t->alt_ft = r->alt_ft;
        t->reports++;
        int tp = pic->opt.trail_points;
        int slot = (pic->trail_start[i] + pic->trail_len[i]) % tp;
        if (pic->trail_len[i] < tp)
            pic->trail_len[i]++;
        else
            pic->trail_start[i] = (pic->trail_start[i] + 1) % tp;
        pic->trails[(size_t)i * (size_t)tp + (size_t)slot] =
            (aw_trail_point){r->time, r->lat, r->lon, r->alt_ft};
        if (!pic->rerun)
            pic->stats.reports++;
        if (r->time > pic->stats.clock)
            pic->stats.clock = r->time;
    } else if (isfinite(r->track_deg)) {
        t->heading_deg = r->track_deg;
    }
    changed(pic);
    t->version = pic->stats.version;
    pthread_mutex_unlock(&pic->lock);
}

void aw_picture_event(aw_picture *pic, const aw_event *ev)
{
    pthread_mutex_lock(&pic->lock);
    changed(pic);
    if (!pic->rerun) { /* an event of a rerun was logged the first time */
        size_t slot = pic->log_next;
        pic->log[slot] = *ev;
        pic->log_version[slot] = pic->stats.version;
        pic->log_next = (slot + 1) % pic->opt.event_log;
        if (pic->log_count < pic->opt.event_log)
            pic->log_count++;
        pic->stats.events++;
    }
    if (ev->time > pic->stats.clock)
        pic->stats.clock = ev->time;
    /* The engine reports a track's first_seen enter before the report that placed it
     * reaches the picture: an enter makes the track, its position follows at once. */
    int i = ev->type == AW_ENTER ? track_for(pic, ev->track) : find_index(pic, ev->track);
    if (i >= 0) {
        aw_picture_track *t = &pic->tracks[i];
        int z;
        for (z = 0; z < t->nzones && strcmp(t->zones[z].id, ev->zone) != 0; z++)
            ;
        if (ev->type == AW_ENTER && z == t->nzones && t->nzones < AW_PICTURE_ZONES_MAX) {
            snprintf(t->zones[z].id, sizeof t->zones[z].id, "%s", ev->zone);
            t->zones[z].since = ev->time;
            t->nzones++;
        } else if (ev->type == AW_EXIT && z < t->nzones) {
            memmove(&t->zones[z], &t->zones[z + 1], (size_t)(t->nzones - z - 1) * sizeof t->zones[0]);
            t->nzones--;
        }
        if (ev->callsign[0])
            snprintf(t->callsign, sizeof t->callsign, "%s", ev->callsign);
        if (!isfinite(t->time)) /* made here: it times out like any track */
            t->time = ev->time;
        t->version = pic->stats.version;
    }
    pthread_mutex_unlock(&pic->lock);
}

void aw_picture_rewind(aw_picture *pic)
{
    aw_picture_expire(pic, INFINITY);
    pthread_mutex_lock(&pic->lock);
    pic->stats.clock = -INFINITY;
    changed(pic);
    pthread_mutex_unlock(&pic->lock);
}

void aw_picture_set_rerun(aw_picture *pic, bool rerun)
{
    pthread_mutex_lock(&pic->lock);
    pic->rerun = rerun;
    pthread_mutex_unlock(&pic->lock);
}

void aw_picture_clear_zones(aw_picture *pic)
{
    pthread_mutex_lock(&pic->lock);
    changed(pic);
    for (size_t i = 0; i < pic->ntracks; i++)
        if (pic->tracks[i].nzones) {
            pic->tracks[i].nzones = 0;
            pic->tracks[i].version = pic->stats.version;
        }
    pthread_mutex_unlock(&pic->lock);
}

size_t aw_picture_expire(aw_picture *pic, double now)
{
    pthread_mutex_lock(&pic->lock);
    size_t removed = 0, tp = (size_t)pic->opt.trail_points;
    for (size_t i = 0; i < pic->ntracks;) {
        if (!(now - pic->tracks[i].time > pic->opt.timeout_s)) {
            i++;
            continue;
        }
        changed(pic);
        dropped_id *d = &pic->dropped[pic->dropped_next];
        snprintf(d->id, sizeof d->id, "%s", pic->tracks[i].id);
        d->version = pic->stats.version;
        pic->dropped_next = (pic->dropped_next + 1) % pic->opt.event_log;
        if (pic->dropped_count < pic->opt.event_log)
            pic->dropped_count++;
        size_t last = --pic->ntracks;
        if (i != last) {
            pic->tracks[i] = pic->tracks[last];
            memcpy(&pic->trails[i * tp], &pic->trails[last * tp], tp * sizeof *pic->trails);
            pic->trail_start[i] = pic->trail_start[last];
            pic->trail_len[i] = pic->trail_len[last];
        }
        removed++;
    }
    if (removed) {
        hash_rebuild(pic);
        pic->stats.dropped += removed;
        pic->stats.tracks = pic->ntracks;
    }
    pthread_mutex_unlock(&pic->lock);
    return removed;
}

void aw_picture_get_stats(aw_picture *pic, aw_picture_stats *out)
{
    pthread_mutex_lock(&pic->lock);
    *out = pic->stats;
    pthread_mutex_unlock(&pic->lock);
}

long aw_picture_tracks(aw_picture *pic, uint64_t since, aw_picture_track **out, uint64_t *version)
{
    pthread_mutex_lock(&pic->lock);
    size_t n = 0;
    for (size_t i = 0; i < pic->ntracks; i++)
        n += pic->tracks[i].version > since && pic->tracks[i].reports > 0;
    aw_picture_track *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy) {
        pthread_mutex_unlock(&pic->lock);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < pic->ntracks; i++)
        if (pic->tracks[i].version > since && pic->tracks[i].reports > 0)
            copy[k++] = pic->tracks[i];
    if (version)
        *version = pic->stats.version;
    pthread_mutex_unlock(&pic->lock);
    *out = copy;
    return (long)k;
}

int aw_picture_find_track(aw_picture *pic, const char *id, aw_picture_track *out,
                     aw_trail_point *pts, int max)
{
    pthread_mutex_lock(&pic->lock);
    int i = find_index(pic, id);
    int n = -1;
    if (i >= 0 && pic->tracks[i].reports > 0) {
        *out = pic->tracks[i];
        int tp = pic->opt.trail_points, len = pic->trail_len[i];
        int skip = len > max ? len - max : 0; /* keep the newest */
        n = 0;
        for (int k = skip; k < len; k++)
            pts[n++] = pic->trails[(size_t)i * (size_t)tp + (size_t)((pic->trail_start[i] + k) % tp)];
    }
    pthread_mutex_unlock(&pic->lock);
    return n;
}

int aw_picture_dropped_since(aw_picture *pic, uint64_t since, char (*ids)[AW_TRACK_ID_MAX], int max)
{
    pthread_mutex_lock(&pic->lock);
    int n = 0;
    size_t cap = pic->opt.event_log;
    for (size_t k = 0; k < pic->dropped_count && n < max; k++) {
        const dropped_id *d = &pic->dropped[(pic->dropped_next + cap - pic->dropped_count + k) % cap];
        if (d->version > since)
            memcpy(ids[n++], d->id, AW_TRACK_ID_MAX);
    }
    pthread_mutex_unlock(&pic->lock);
    return n;
}

int aw_picture_events(aw_picture *pic, uint64_t since, const char *zone, const char *track,
                      double min_time, bool newest, aw_event *out, uint64_t *versions, int max)
{
    if (max <= 0)
        return 0;
    pthread_mutex_lock(&pic->lock);
    size_t cap = pic->opt.event_log;
    int n = 0;
    for (size_t k = 0; k < pic->log_count; k++) {
        /* oldest first; with `newest`, walk from the newest end and reverse at the end */
        size_t age = newest ? pic->log_count - 1 - k : k;
        size_t slot = (pic->log_next + cap - pic->log_count + age) % cap;
        const aw_event *ev = &pic->log[slot];
        if (pic->log_version[slot] <= since || (zone && strcmp(ev->zone, zone) != 0) ||
            (track && strcmp(ev->track, track) != 0) || ev->time < min_time)
            continue;
        out[n] = *ev;
        if (versions)
            versions[n] = pic->log_version[slot];
        if (++n == max)
            break;
    }
    pthread_mutex_unlock(&pic->lock);
    if (newest)
        for (int a = 0, b = n - 1; a < b; a++, b--) {
            aw_event t = out[a];
            out[a] = out[b];
            out[b] = t;
            if (versions) {
                uint64_t v = versions[a];
                versions[a] = versions[b];
                versions[b] = v;
            }
        }
    return n;
}

uint64_t aw_picture_wait(aw_picture *pic, uint64_t seen, double timeout_s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double whole = floor(timeout_s);
    until.tv_sec += (time_t)whole;
    until.tv_nsec += (long)((timeout_s - whole) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&pic->lock);
    while (pic->stats.version <= seen)
        if (pthread_cond_timedwait(&pic->changed, &pic->lock, &until) != 0)
            break;
    uint64_t v = pic->stats.version;
    pthread_mutex_unlock(&pic->lock);
    return v;
}

void aw_picture_wake_all(aw_picture *pic)
{
    pthread_mutex_lock(&pic->lock);
    pthread_cond_broadcast(&pic->changed);
    pthread_mutex_unlock(&pic->lock);
}
