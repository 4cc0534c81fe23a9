/* theater.h -- the built-in East Asia theater: zones, reference places, air bases.
 *
 * adizwatch knows the zones of the 30 Nov 2022 China-Russia joint bomber patrol without
 * the user drawing anything: the ADIZs of Korea, China (East China Sea), Japan and Taiwan
 * and the 12 NM territorial airspace of Japan, both Koreas, China, Taiwan and Russia.
 * The GeoJSON is compiled into the library (no file is looked up at run time); its
 * sources and accuracy are in each zone's `source` and `accuracy` properties and in
 * docs/theater.md.
 *
 * The places are the reference points that official statements use ("126 km NW of
 * Ieodo"); the air bases are the fighter bases that would scramble, with what the public
 * sources say about their alert posture and aircraft. Every table is constant: nothing
 * here has mutable state, and every function may be called from any thread. */
#ifndef ADIZWATCH_THEATER_H
#define ADIZWATCH_THEATER_H

#include <stdbool.h>
#include <stddef.h>

#include "adizwatch/zones.h"
#include "export.h"

AW_BEGIN_DECLS

/* The prefix that names a built-in zone set where a zone file is expected. */
#define AW_BUILTIN_PREFIX "builtin:"

/* The GeoJSON text of a built-in zone set ("east-asia"), or NULL if there is no such set.
 * *len (if len is not NULL) receives its length in bytes. The text is static. */
const char *aw_theater_geojson(const char *name, size_t *len);

/* Load a built-in zone set by name ("east-asia"). Returns NULL if the name is unknown
 * (fn is told so, with feature index -1) or, which would be a build error, the data is
 * invalid. */
aw_zone_set *aw_theater_load(const char *name, aw_zone_problem_fn fn, void *user);

/* The names of the built-in zone sets, NULL-terminated. */
const char *const *aw_theater_names(void);

/* The GeoJSON text of a zone spec, a file name or builtin:NAME: NUL-terminated and
 * malloc'ed (free() it), its length in *len; NULL with the reason in err if it cannot be
 * read. The text is not validated (aw_zones_load_string does that). */
char *aw_theater_zones_text(const char *spec, size_t *len, char *err, size_t errlen);

/* ---- places ---------------------------------------------------------------------- */

/* A reference point for descriptions. */
typedef struct aw_place {
    const char *name;        /* as used in descriptions: "Ieodo" */
    const char *other_names; /* all other names, "" if none: "Socotra Rock / Suyan Jiao" */
    const char *kind;        /* "city", "island", "islet", "reef", "peninsula", "strait" */
    double lat, lon;         /* WGS84 degrees */
    const char *source;      /* where the coordinates come from, and how exact they are */
} aw_place;

/* The number of built-in places. */
int aw_places_count(void);
/* The i-th place (0 <= i < aw_places_count()), or NULL. */
const aw_place *aw_place_at(int i);
/* The place with this name (case-insensitive; other names count too), or NULL. */
const aw_place *aw_place_find(const char *name);

/* The place nearest to (lat, lon) on the WGS84 ellipsoid. *dist_m receives the geodesic
 * distance and *azi_deg the azimuth from the place towards the point (0..360, clockwise
 * from north); either may be NULL. Returns NULL only for non-finite coordinates. */
const aw_place *aw_place_nearest(double lat, double lon, double *dist_m, double *azi_deg);

/* The 16-point compass name ("N", "NNE", ... "NNW") of an azimuth in degrees. */
const char *aw_compass16(double azimuth_deg);

/* Describe a position the way air-defence statements do: "126 km NW of Ieodo" -- the
 * nearest place, the 16-point bearing from it and the distance rounded to the km;
 * within 500 m of a place (which would round to 0 km), "at Ieodo". Writes at most n
 * bytes (always NUL-terminated when n > 0) and returns the length of the full
 * description, or -1 for bad coordinates. */
int aw_where(double lat, double lon, char *buf, size_t n);

/* ---- air bases ------------------------------------------------------------------- */

/* An airfield with its aircraft and, where public sources give them, its alert posture
 * and nominal performance. Every figure has its source; NAN means no source gave one. */
typedef struct aw_airbase {
    const char *name;
    const char *icao;           /* ICAO code; a field that no source gives a code for has
                                 * a local identifier "CC-NAME" ("RU-UGLOVAYA") instead */
    const char *country;        /* ISO 3166-1 alpha-2 of the territory: "JP", "KR", "RU" */
    const char *operator_;      /* "JASDF", "ROKAF", "USAF", "Russian Aerospace Forces" */
    bool military;              /* false for a civil airport */
    double lat, lon;
    const char *coord_source;
    const char *aircraft;       /* types and units stationed; "" if not known */
    double alert_min;           /* order to airborne, minutes (NAN: not published) */
    const char *alert_source;
    double cruise_kmh;          /* transit speed used for scramble estimates */
    double dash_kmh;            /* maximum speed at altitude (NAN: unknown) */
    double radius_km;           /* combat radius (NAN: unknown) */
    bool nominal;               /* true when the speeds are the nominal model, not the type's */
    const char *performance_source;
} aw_airbase;

/* The built-in bases: how many, and the i-th (0 <= i < count), or NULL. */
int aw_airbases_count(void);
const aw_airbase *aw_airbase_at(int i);
/* The base with this ICAO code (case-insensitive), or NULL. */
const aw_airbase *aw_airbase_find(const char *icao);

/* ---- airports --------------------------------------------------------------------- */

/* An airport or airfield of OurAirports (public domain; medium and large ones) in Japan,
 * the Koreas, China, Taiwan and Russia within 115-150E 18-50N. OurAirports includes air
 * bases (their names say so) but does not mark fields as military or civil. */
typedef struct aw_airport {
    const char *ident;     /* OurAirports ident: the ICAO code where there is one */
    const char *gps_code;  /* "" if none */
    const char *iata;      /* "" if none */
    const char *name;
    const char *municipality;
    const char *country;   /* ISO 3166-1 alpha-2 */
    bool large;            /* OurAirports type large_airport (else medium_airport) */
    bool scheduled_service;
    double lat, lon;
    double elevation_ft;   /* NAN if not given */
} aw_airport;

/* The built-in airports: how many, and the i-th (0 <= i < count), or NULL. */
int aw_airports_count(void);
const aw_airport *aw_airport_at(int i);
/* The airport with this ident, GPS code or IATA code (case-insensitive), or NULL. */
const aw_airport *aw_airport_find(const char *code);
/* The airport nearest to (lat, lon) (geodesic), its distance in *dist_m (may be NULL);
 * NULL for non-finite coordinates. */
const aw_airport *aw_airport_nearest(double lat, double lon, double *dist_m);

AW_END_DECLS
#endif
