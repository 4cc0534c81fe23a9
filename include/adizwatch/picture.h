/* picture.h -- the live air picture: current tracks, their trails and zones, recent events.
 *
 * The engine is single-threaded and keeps only what it needs to find crossings; a map
 * needs more (where every track is now, where it has been, which zones it is in and for
 * how long) and must read it from other threads while the feed goes on. An aw_picture is
 * that table: the feed thread hands it every accepted report and every event, readers
 * take consistent copies. Every function locks the picture's own mutex, so any thread
 * may call any function; nothing is shared between pictures.
 *
 * Versions: every change (a report, an event, a track dropped) gets the next number of
 * one counter. A track remembers the version of its last change and each logged event
 * its own, so a reader that keeps the last version it saw can ask for "what changed
 * since" -- the live stream does exactly that. */
#ifndef ADIZWATCH_PICTURE_H
#define ADIZWATCH_PICTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "report.h"
#include "export.h"

AW_BEGIN_DECLS

typedef struct aw_picture aw_picture;

typedef struct aw_picture_options {
    int trail_points;    /* positions kept per track (default 60) */
    size_t max_tracks;   /* tracks kept at most; a new one beyond it is counted, not kept
                            (default 100000) */
    size_t event_log;    /* recent events kept in memory (default 10000) */
    double timeout_s;    /* a track silent this long on the feed clock is dropped (default 300) */
} aw_picture_options;

/* One position of a trail. */
typedef struct aw_trail_point {
    double time, lat, lon, alt_ft;
} aw_trail_point;

/* A zone a track is inside now. */
typedef struct aw_picture_zone {
    char id[64];
    double since;        /* time of the enter event */
} aw_picture_zone;

#define AW_PICTURE_ZONES_MAX 8 /* zones remembered per track; more are counted, not kept */

/* A copy of one track's state. */
typedef struct aw_picture_track {
    char id[AW_TRACK_ID_MAX];
    char callsign[AW_CALLSIGN_MAX];
    char squawk[AW_SQUAWK_MAX];
    double time;         /* last position report */
    double lat, lon, alt_ft, speed_kt;
    double heading_deg;  /* reported track, else the bearing from the previous position; NAN */
    uint64_t reports;
    uint64_t version;    /* picture version of its last change */
    int nzones;
    aw_picture_zone zones[AW_PICTURE_ZONES_MAX];
} aw_picture_track;

/* Counters. */
typedef struct aw_picture_stats {
    uint64_t version;    /* the current version */
    uint64_t reports;    /* positions taken */
    uint64_t events;     /* events taken */
    uint64_t tracks;     /* tracks held now */
    uint64_t tracks_refused; /* new tracks not kept because max_tracks was reached */
    uint64_t dropped;    /* tracks let go after timeout_s of silence */
    double clock;        /* newest report or event time (-INFINITY before the first) */
} aw_picture_stats;

/* A new picture (opt may be NULL for defaults), or NULL when out of memory. */
aw_picture *aw_picture_new(const aw_picture_options *opt);
void aw_picture_free(aw_picture *pic);

/* An accepted report (the engine said AW_FEED_OK). Position reports move the track and
 * extend its trail; attribute-only reports update its callsign, squawk and speed. */
void aw_picture_report(aw_picture *pic, const aw_report *r);
/* An event: an enter adds the zone to the track's zones, an exit removes it; both are
 * logged. */
void aw_picture_event(aw_picture *pic, const aw_event *ev);
/* A replay seeks back: every track is dropped (streams see them removed) and the clock
 * starts again from the next report. */
void aw_picture_rewind(aw_picture *pic);
/* While rerun is set, reports and events are ones the picture has seen before (a replay
 * fed again after a seek back): tracks, positions and zones follow them, but they are
 * not counted in the stats nor logged as events again. */
void aw_picture_set_rerun(aw_picture *pic, bool rerun);
/* Forget which zones every track is in: the zones changed and the engine starts afresh
 * (serve's zones at run time); the next enter events fill them in again. */
void aw_picture_clear_zones(aw_picture *pic);
/* Drop tracks whose last report is older than now - timeout_s. Returns how many. */
size_t aw_picture_expire(aw_picture *pic, double now);

void aw_picture_get_stats(aw_picture *pic, aw_picture_stats *out);

/* Copies of the tracks changed after version `since` (0: all), malloc'ed into *out
 * (free() it). Returns the count; *version receives the picture version the copy is
 * consistent with. Returns -1 when out of memory. */
long aw_picture_tracks(aw_picture *pic, uint64_t since, aw_picture_track **out,
                       uint64_t *version);

/* One track and its trail (oldest first, at most max points into pts). Returns the
 * number of points, or -1 when there is no such track. */
int aw_picture_find_track(aw_picture *pic, const char *id, aw_picture_track *out,
                     aw_trail_point *pts, int max);

/* Ids of tracks dropped after version `since`, as of now (a reader that saw them can
 * take them off the map). Writes up to max ids; returns how many were written. Only the
 * most recent drops are remembered (as many as event_log). */
int aw_picture_dropped_since(aw_picture *pic, uint64_t since, char (*ids)[AW_TRACK_ID_MAX],
                             int max);

/* Logged events with version > since, oldest first, passing the filters (NULL = any
 * zone / track; time >= min_time). Writes at most max into out (and their versions into
 * versions, which may be NULL). With newest set, the last max matches are returned
 * instead of the first. Returns the count. */
int aw_picture_events(aw_picture *pic, uint64_t since, const char *zone, const char *track,
                      double min_time, bool newest, aw_event *out, uint64_t *versions,
                      int max);

/* Wait until the version passes `seen` or timeout_s elapses; returns the version. */
uint64_t aw_picture_wait(aw_picture *pic, uint64_t seen, double timeout_s);

/* Wake every waiter (shutting down). */
void aw_picture_wake_all(aw_picture *pic);

AW_END_DECLS
#endif
