/* map_internal.h -- what the report map's source files share (internal). */
#ifndef ADIZWATCH_MAP_INTERNAL_H
#define ADIZWATCH_MAP_INTERNAL_H

#include <cairo.h>

#include "adizwatch/map.h"

/* Land rings in longitude/latitude, decoded from TopoJSON. */
typedef struct map_land {
    int nrings;
    int *start;         /* nrings + 1 offsets into lon/lat */
    double *lon, *lat;
} map_land;

/* Decode every Polygon / MultiPolygon of every object of a TopoJSON topology (quantized
 * and delta-encoded arcs, or plain ones). Returns 0, or -1 with a reason in err. */
int map_land_decode(const char *json, size_t len, map_land *out, char *err, size_t errlen);
void map_land_free(map_land *l);

/* The picture's geometry: page size, the map frame and the Mercator projection. */
typedef struct map_frame {
    int w, h;
    double u;                          /* size unit: 1 at 1600 px wide */
    double left, top, right, bottom;   /* the map frame in pixels */
    double lon0;                       /* central meridian */
    double xmin, ymax, scale;          /* Mercator degrees at the frame's top left; px per degree */
    double min_lat, max_lat, min_lon, max_lon; /* the area shown (lon about lon0, unwrapped) */
} map_frame;

void map_frame_of(const aw_map *m, map_frame *f);
/* Pixel position of (lat, lon); lon is first brought within 180 degrees of lon0. */
void map_xy(const map_frame *f, double lat, double lon, double *x, double *y);
/* The same for a longitude already unwrapped to where it belongs (no wrapping). */
void map_xy_raw(const map_frame *f, double lat, double lon, double *x, double *y);

/* The legend's key of a track (its key, else its nation, else "unknown"). */
const char *map_track_key(const aw_map_track *t);
/* The legend text of a key: "H-6K \u00d72 (CN), Tu-95MS \u00d74 (RU)", after "key: " when
 * m->legend_keys. */
void map_key_text(const aw_map *m, const char *key, char *out, size_t n);
/* Each track's key index (keys numbered in order of first appearance), malloc'ed;
 * NULL when out of memory. */
int *map_key_indices(const aw_map *m);
/* The palette colour of key index i. */
void map_palette(int i, double rgb[3]);

/* Draw the whole map on a cairo context of f->w x f->h. land may be NULL. Returns 0, or
 * -1 if the legend cannot be built (allocation). The legend text lines, '\n'-separated,
 * are appended to *text (malloc'ed; may be NULL on return when out of memory). */
int map_draw(cairo_t *cr, const aw_map *m, const map_frame *f, const map_land *land, char **text);

/* ---- drawing state and helpers shared by map_draw.c and map_legend.c ---- */

#include "zones/zone.h"

#define MAX_LABELS 4096

typedef struct rect { /* a label's box, in pixels */
    double x0, y0, x1, y1;
} rect;

typedef struct map_ctx {
    cairo_t *cr;
    const aw_map *m;
    const map_frame *f;
    double u;
    rect placed[MAX_LABELS]; /* labels placed so far: later ones avoid them */
    int nplaced;
    char placed_text[MAX_LABELS][32]; /* what each label says ("" for other boxes) */
    int legend_corner;       /* 0 bottom right, 1 bottom left, 2 top right, 3 top left */
    double *px, *py;         /* a ring's projected points (map_draw.c) */
    int *key_idx;            /* each track's key index (map_key_indices) */
    int cap;
} map_ctx;

void map_rgb(cairo_t *cr, const double c[3]);
/* The colour of an owner's ADIZ lines (KR blue, JP black, CN red, TW green...). */
void map_owner_rgb(const char *owner, double c[3]);
void map_font(cairo_t *cr, double size, bool bold);
double map_text_w(cairo_t *cr, const char *s);
/* Keep later labels off this box. */
void map_reserve(map_ctx *c, rect r);
bool map_zone_in_view(const map_ctx *c, const aw_zone_info *zi);
/* The dash and width of ADIZ lines (own: the observer's, heavier). */
void map_adiz_dash(map_ctx *c, bool own);
/* A filled arrowhead with its tip at (x, y) pointing along (dx, dy). */
void map_arrowhead(map_ctx *c, double x, double y, double dx, double dy, const double col[3]);
/* A marker's symbol centred on (x, y); its colour goes to col. */
void map_marker_shape(cairo_t *cr, aw_map_marker_kind kind, double x, double y, double u,
                      double col[3]);
/* The legend box at the frame's bottom right; its lines are returned in *text
 * (malloc'ed, '\n'-separated). Returns 0 or -1 (allocation). */
int map_draw_legend(map_ctx *c, char **text);

#endif
