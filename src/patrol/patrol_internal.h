/* patrol_internal.h -- what the parts of the patrol analysis share (not installed). */
#ifndef ADIZWATCH_PATROL_INTERNAL_H
#define ADIZWATCH_PATROL_INTERNAL_H

#include <jansson.h>

#include "adizwatch/patrol.h"

typedef struct fix {
    double t, lat, lon, alt; /* alt NAN = unknown */
} fix;

/* A track's end at an airfield: a take-off or a landing. */
typedef struct field_end {
    int track;
    bool landing;
    double t, lat, lon, dist_m;
    aw_field f;
} field_end;

/* A sortie: take-off (or first seen) to landing (or last seen). */
typedef struct mission {
    int track;
    double start, end, lat, lon; /* lat/lon at the start */
    int takeoff, landing;        /* index into field ends, -1 if not seen */
} mission;

typedef struct crossing {
    int track, strait, stretch;
    double t, lat, lon, azi;
} crossing;

typedef struct ptrack {
    char id[AW_TRACK_ID_MAX];
    char callsign[AW_CALLSIGN_MAX];
    char type[64], nation[4];
    aw_aircraft_class cls;
    fix *fx;
    size_t n;
    int group; /* index into groups, -1 if none */
} ptrack;

/* Two tracks together from start to end. */
typedef struct run {
    int a, b;
    double start, end;
    bool linked; /* the two are in one group (not one shadowing the other) */
} run;

typedef struct pgroup {
    int lead;          /* track that joined first */
    double start, end; /* first and last instant two members were together */
    int *members;      /* track indices, in order of joining */
    double *joined, *left;
    int n;
} pgroup;

struct aw_patrol {
    aw_patrol_options o;
    ptrack *tr;
    size_t ntr;
    field_end *fe;
    size_t nfe, cfe;
    mission *ms;
    size_t nms, cms;
    crossing *cx;
    size_t ncx, ccx;
    run *runs;
    size_t nruns, cruns;
    pgroup *groups;
    size_t ngroups;
    aw_patrol_event *ev;
    size_t nev, cev;
};

/* Grow *p (element size sz) so that it holds at least need elements. 0 or -1. */
int patrol_reserve(void **p, size_t *cap, size_t need, size_t sz);

/* Position of track i at time t, interpolated between fixes at most max_gap_s apart.
 * Returns 0, or -1 if the track is not known then. */
int patrol_at(const aw_patrol *pa, int i, double t, double *lat, double *lon, double *alt);

/* Pair runs and groups (groups.c): fills runs, groups and each track's group. 0 or -1. */
int patrol_find_groups(aw_patrol *pa);
/* Group and escort events (group_events.c). 0 or -1. */
int patrol_group_events(aw_patrol *pa);

/* The mission of track i containing time t, or -1. */
int patrol_mission_at(const aw_patrol *pa, int i, double t);

/* Add an event whose JSON is obj (taken over: decref'ed here). 0 or -1. */
int patrol_add_event(aw_patrol *pa, const char *type, int track, double t, double lat, double lon,
                     json_t *obj);
/* A new event object with type, track, time, lat, lon set. */
json_t *patrol_event_object(const char *type, const char *track, double t, double lat, double lon);
/* ISO 8601 UTC time as a JSON string. */
json_t *patrol_time_json(double t);
/* A number rounded to `decimals` places (keeps the JSON short). */
json_t *patrol_real(double v, int decimals);

#endif
