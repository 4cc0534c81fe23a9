/* map.h -- a report map in the manner of a press-release map: land, zones, tracks, legend.
 *
 * The map is drawn once with cairo, to an SVG file or a PNG image (the same drawing
 * code). Everything it shows is passed in plain structs: the zone set (ADIZ lines
 * dashed in their owner's colour, territorial airspace shaded; edges drawn as the zone
 * defines them -- rhumb or geodesic, densified), land as Natural Earth TopoJSON text,
 * tracks (points with a type, a nation and a colour key) and markers. The projection is
 * Mercator (conformal: angles and headings look right, north is up everywhere) centred
 * on the area shown; a graticule with labels, a scale bar and a north arrow frame it.
 *
 * Tracks with the same key share a colour and one legend line, which counts their
 * aircraft by type and nation ("H-6K x2 (CN), Tu-95MS x4 (RU)"). Colours are given to
 * keys in order of first appearance from a fixed palette. Rendering is deterministic:
 * the same aw_map gives the same picture. */
#ifndef ADIZWATCH_MAP_H
#define ADIZWATCH_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "zones.h"
#include "export.h"

AW_BEGIN_DECLS

/* One aircraft's track. */
typedef struct aw_map_track {
    const char *id;       /* track id (shown nowhere; for messages) */
    const char *type;     /* "H-6K"; "" or NULL = unknown type */
    const char *nation;   /* ISO 3166-1 alpha-2; "" or NULL = unknown */
    const char *key;      /* colour and legend key (a group, a nation...); NULL = nation */
    const double *time;   /* n epoch seconds (may be NULL: no time labels, no gap breaks) */
    const double *lat, *lon; /* n points in time order, WGS84 degrees */
    int n;
} aw_map_track;

typedef enum aw_map_marker_kind {
    AW_MARK_PLACE = 0,     /* a reference place: a dot and its name */
    AW_MARK_BASE,          /* an air base: a square */
    AW_MARK_ADVICE,        /* an advised intercept point: an open circle with a cross */
    AW_MARK_INTERCEPT      /* an actual intercept: a filled diamond */
} aw_map_marker_kind;

typedef struct aw_map_marker {
    aw_map_marker_kind kind;
    double lat, lon;
    const char *label;     /* NULL or "" = no label */
} aw_map_marker;

typedef struct aw_map {
    const char *title;        /* in the title box; NULL = none */
    const char *subtitle;     /* a line under it; NULL = none */
    const char *basis;        /* where the tracks come from (recorded, simulated), a line
                               * under the subtitle, in <desc> and the JSON; NULL = none */
    const aw_zone_set *zones; /* NULL = no zones */
    const char *observer;     /* owner whose ADIZ lines are drawn heavier; NULL = none */
    const char *land_topojson; /* Natural Earth land as TopoJSON text; NULL = no land */
    size_t land_len;
    const aw_map_track *tracks;
    int ntracks;
    const aw_map_marker *markers;
    int nmarkers;
    int tz_offset_s;          /* start/end labels in this local time (seconds east of UTC) */
    double gap_s;             /* a track is broken where reports are further apart (0 = 900) */
    int width, height;        /* pixels (SVG: px units); 0 = 1600 x 1200 */
    /* The area shown at least; all four NAN (aw_map_init) = fit the tracks, markers and
     * the observer's ADIZs with a margin. It is widened to the picture's proportions. */
    double min_lat, max_lat, min_lon, max_lon;
    bool legend_keys;         /* start each legend line with its key ("group 1: ...") */
} aw_map;

/* Defaults: everything NULL/0 and the area NAN (fit). */
void aw_map_init(aw_map *m);

/* Draw the map to an SVG file (the title and legend text are also given as the SVG's
 * <title> and <desc>, so the file is searchable; drawn text is glyph outlines).
 * Returns 0, or -1 with a reason in err. */
int aw_map_write_svg(const aw_map *m, const char *path, char *err, size_t errlen);

/* Draw the map to a PNG file of width x height pixels. Returns 0, or -1 with err. */
int aw_map_write_png(const aw_map *m, const char *path, char *err, size_t errlen);

/* Describe the map as JSON, to georeference the PNG and to name its colours: width,
 * height, projection ("mercator"), central_meridian, frame {left, top, right, bottom}
 * (pixels), px_per_degree (Mercator degrees: x = lon - central_meridian, y =
 * ln tan(45 + lat/2) in degrees), area {min_lat, max_lat, min_lon, max_lon}, keys [{key,
 * rgb "#rrggbb", legend}] and tracks [{id, key, type, nation, points}]. Returns 0, or -1
 * with err. */
int aw_map_write_json(const aw_map *m, const char *path, char *err, size_t errlen);

/* Where (lat, lon) falls in the picture, in pixels from the top left (the PNG's pixel
 * (x, y) covers [x, x+1) x [y, y+1)). Returns 0, or -1 if it is outside the map frame. */
int aw_map_project(const aw_map *m, double lat, double lon, double *x, double *y);

/* Release the process-wide caches cairo and fontconfig keep after drawing text (fonts,
 * configuration), so that leak checkers see a clean exit. Call only when no other thread
 * is drawing with cairo; drawing afterwards works (the caches are rebuilt). */
void aw_map_release_caches(void);

/* The colour (0..1 each) given to a track's key; returns the key's index in the legend,
 * or -1 (rgb untouched) if no track has this key. key is compared as aw_map_track.key
 * (a track with key NULL has its nation as key; with neither, "unknown"). */
int aw_map_key_rgb(const aw_map *m, const char *key, double rgb[3]);

AW_END_DECLS
#endif
