/* map_draw.c -- the report map's layers, bottom to top: sea, territorial airspace, land,
 * graticule, ADIZ lines, tracks with arrows, markers, labels, frame, north arrow, scale
 * bar, legend.
 *
 * The style follows the Japan Joint Staff's press-release maps: white sea, pale green
 * land with a teal coast, a dotted graticule labelled on all four sides, the 12 NM line
 * thin and dark, tracks as bold coloured lines ending in an map_arrowhead, and a boxed legend
 * at the bottom right. Added to it: ADIZ lines (dashed, one colour per owner), arrows
 * along the tracks, start and end times, markers, a scale bar and a north arrow. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/map_internal.h"

/* Outline vertices closer than this (pixels) to the last one drawn are skipped: the
 * zones' edges are densified to 0.1 m for the engine, far finer than a pixel. */
#define MIN_STEP_PX 0.5

#define FONT "DejaVu Sans"
void map_rgb(cairo_t *cr, const double c[3]) { cairo_set_source_rgb(cr, c[0], c[1], c[2]); }

void map_owner_rgb(const char *owner, double c[3])
{
    static const struct {
        const char *owner;
        double c[3];
    } t[] = {{"KR", {0.00, 0.30, 0.75}}, {"JP", {0.15, 0.15, 0.15}}, {"CN", {0.75, 0.15, 0.10}},
             {"TW", {0.05, 0.50, 0.25}}, {"RU", {0.45, 0.25, 0.55}}, {"KP", {0.55, 0.35, 0.10}}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].owner, owner) == 0) {
            memcpy(c, t[i].c, sizeof t[i].c);
            return;
        }
    c[0] = c[1] = c[2] = 0.4;
}

void map_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double map_text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* Text with its baseline's left end at (x, y), on a white halo so it reads over lines. */
static void text_halo(map_ctx *c, double x, double y, const char *s, const double col[3])
{
    cairo_t *cr = c->cr;
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 3.5 * c->u);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke_preserve(cr);
    map_rgb(cr, col);
    cairo_fill(cr);
}

static bool overlaps(const map_ctx *c, rect r)
{
    if (r.x0 < c->f->left || r.x1 > c->f->right || r.y0 < c->f->top || r.y1 > c->f->bottom)
        return true;
    for (int i = 0; i < c->nplaced; i++) {
        const rect *p = &c->placed[i];
        if (r.x0 < p->x1 && p->x0 < r.x1 && r.y0 < p->y1 && p->y0 < r.y1)
            return true;
    }
    return false;
}

void map_reserve(map_ctx *c, rect r)
{
    if (c->nplaced < MAX_LABELS)
        c->placed[c->nplaced++] = r;
}

/* A label beside a point, at the first of eight positions around it that is free. */
static bool label(map_ctx *c, double x, double y, const char *s, const double col[3], double size,
                  bool bold)
{
    cairo_t *cr = c->cr;
    map_font(cr, size, bold);
    double w = map_text_w(cr, s), h = size, g = 6 * c->u;
    for (int i = 0; i < c->nplaced; i++) { /* a formation: its labels once */
        const rect *p = &c->placed[i];
        if (strncmp(c->placed_text[i], s, sizeof c->placed_text[i] - 1) == 0 &&
            hypot((p->x0 + p->x1) / 2 - x, (p->y0 + p->y1) / 2 - y) < w / 2 + 60 * c->u)
            return true;
    }
    const double off[][2] = {{g, -g},          {g, h + g},      {-w - g, -g},    {-w - g, h + g},
                             {-w / 2, -2 * g}, {-w / 2, h + 2 * g}, {2 * g, h / 2}, {-w - 2 * g, h / 2}};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        double bx = x + off[i][0], by = y + off[i][1];
        rect r = {bx - 2, by - h, bx + w + 2, by + 0.3 * h};
        if (overlaps(c, r))
            continue;
        map_reserve(c, r);
        if (c->nplaced <= MAX_LABELS)
            snprintf(c->placed_text[c->nplaced - 1], sizeof c->placed_text[0], "%s", s);
        text_halo(c, bx, by, s, col);
        return true;
    }
    return false;
}

/* ---- zones and land ---------------------------------------------------------------- */

/* Which sides of the frame (grown by a margin) a point lies beyond: 1 left, 2 right,
 * 4 above, 8 below; 0 inside. */
static int outcode(const map_ctx *c, double x, double y)
{
    double g = 40 * c->u;
    return (x < c->f->left - g) | (x > c->f->right + g) << 1 | (y < c->f->top - g) << 2 |
           (y > c->f->bottom + g) << 3;
}

/* Add the closed ring c->px/py[0..n) to the path. Vertices within MIN_STEP_PX of the
 * last one drawn are skipped, and so is a vertex beyond the same side of the frame as
 * the last drawn and the next: that part of the outline is wholly off the map, and a
 * straight cut that stays beyond that side fills the frame the same. */
static void emit_ring(map_ctx *c, int n)
{
    double lx = 0, ly = 0;
    int lcode = 0;
    for (int i = 0; i < n; i++) {
        double x = c->px[i], y = c->py[i];
        int code = outcode(c, x, y);
        if (i > 0 && i < n - 1) {
            if (fabs(x - lx) + fabs(y - ly) < MIN_STEP_PX ||
                (lcode & code & outcode(c, c->px[i + 1], c->py[i + 1])))
                continue;
        }
        if (i == 0)
            cairo_move_to(c->cr, x, y);
        else
            cairo_line_to(c->cr, x, y);
        lx = x, ly = y, lcode = code;
    }
    cairo_close_path(c->cr);
}

/* Room for n projected points in c->px/py; false when out of memory. */
static bool room(map_ctx *c, int n)
{
    if (n <= c->cap)
        return true;
    double *x = realloc(c->px, (size_t)n * sizeof *x);
    if (x)
        c->px = x;
    double *y = x ? realloc(c->py, (size_t)n * sizeof *y) : NULL;
    if (y)
        c->py = y;
    if (!x || !y)
        return false;
    c->cap = n;
    return true;
}

/* Path of a zone ring, shifted by whole turns to lie about the central meridian. */
static void ring_path(map_ctx *c, const aw_ring *r)
{
    double mid = (r->min_lon + r->max_lon) / 2;
    double shift = 360 * round((mid - c->f->lon0) / 360);
    if (!room(c, r->n + 1))
        return;
    for (int i = 0; i <= r->n; i++)
        map_xy_raw(c->f, r->lat[i], r->lon[i] - shift, &c->px[i], &c->py[i]);
    emit_ring(c, r->n + 1);
}

bool map_zone_in_view(const map_ctx *c, const aw_zone_info *zi)
{
    double mid = (zi->min_lon + zi->max_lon) / 2;
    double shift = 360 * round((mid - c->f->lon0) / 360);
    return zi->max_lat >= c->f->min_lat && zi->min_lat <= c->f->max_lat &&
           zi->max_lon - shift >= c->f->min_lon && zi->min_lon - shift <= c->f->max_lon;
}

static void zone_path(map_ctx *c, const aw_zone *z)
{
    for (int p = 0; p < z->npolys; p++)
        for (int r = 0; r < z->polys[p].nrings; r++)
            ring_path(c, &z->polys[p].rings[r]);
}

static void draw_territorial(map_ctx *c)
{
    const aw_zone_set *zs = c->m->zones;
    cairo_t *cr = c->cr;
    for (int i = 0; zs && i < zs->n; i++) {
        const aw_zone *z = &zs->zones[i];
        if (strcmp(z->info.kind, "territorial") != 0 || !map_zone_in_view(c, &z->info))
            continue;
        zone_path(c, z);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_set_source_rgb(cr, 0.86, 0.86, 0.90);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_set_line_width(cr, 0.9 * c->u);
        cairo_stroke(cr);
    }
}

static void draw_land(map_ctx *c, const map_land *land)
{
    cairo_t *cr = c->cr;
    const map_frame *f = c->f;
    size_t cap = 0;
    double *lon = NULL;
    for (int r = 0; r < land->nrings; r++) {
        int s = land->start[r], n = land->start[r + 1] - s;
        if ((size_t)n > cap) {
            double *p = realloc(lon, (size_t)n * sizeof *p);
            if (!p)
                break;
            lon = p;
            cap = (size_t)n;
        }
        /* Unwrap the ring's longitudes continuously, then bring it about lon0. */
        double lo = 1e9, hi = -1e9, la0 = 90, la1 = -90;
        for (int i = 0; i < n; i++) {
            double v = land->lon[s + i];
            if (i > 0)
                v = lon[i - 1] + (v - lon[i - 1]) - 360 * round((v - lon[i - 1]) / 360);
            lon[i] = v;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            la0 = fmin(la0, land->lat[s + i]);
            la1 = fmax(la1, land->lat[s + i]);
        }
        double shift = 360 * round(((lo + hi) / 2 - f->lon0) / 360);
        if (la1 < f->min_lat - 1 || la0 > f->max_lat + 1 || hi - shift < f->min_lon - 1 ||
            lo - shift > f->max_lon + 1)
            continue;
        if (!room(c, n))
            break;
        for (int i = 0; i < n; i++)
            map_xy_raw(f, land->lat[s + i], lon[i] - shift, &c->px[i], &c->py[i]);
        emit_ring(c, n);
    }
    free(lon);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_source_rgb(cr, 0.75, 0.86, 0.75); /* the pale green of the JSO maps */
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.20, 0.58, 0.58);
    cairo_set_line_width(cr, 0.9 * c->u);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void map_adiz_dash(map_ctx *c, bool own)
{
    double d[] = {(own ? 14 : 9) * c->u, 5 * c->u};
    cairo_set_dash(c->cr, d, 2, 0);
    cairo_set_line_width(c->cr, (own ? 2.6 : 1.6) * c->u);
}

static void draw_adiz(map_ctx *c)
{
    const aw_zone_set *zs = c->m->zones;
    cairo_t *cr = c->cr;
    for (int i = 0; zs && i < zs->n; i++) {
        const aw_zone *z = &zs->zones[i];
        if (strcmp(z->info.kind, "territorial") == 0 || !map_zone_in_view(c, &z->info))
            continue;
        bool own = c->m->observer && strcmp(z->info.owner, c->m->observer) == 0;
        double col[3];
        map_owner_rgb(z->info.owner, col);
        zone_path(c, z);
        map_rgb(cr, col);
        map_adiz_dash(c, own);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
}

/* The zone names: beside the northernmost point of each outline that is in view. */
static void label_adiz(map_ctx *c)
{
    const aw_zone_set *zs = c->m->zones;
    for (int i = 0; zs && i < zs->n; i++) {
        const aw_zone *z = &zs->zones[i];
        if (strcmp(z->info.kind, "territorial") == 0 || !map_zone_in_view(c, &z->info))
            continue;
        double bx = NAN, by = INFINITY;
        for (int p = 0; p < z->npolys; p++) {
            const aw_ring *r = &z->polys[p].rings[0];
            double shift = 360 * round(((r->min_lon + r->max_lon) / 2 - c->f->lon0) / 360);
            for (int k = 0; k <= r->n; k++) {
                double x, y;
                map_xy_raw(c->f, r->lat[k], r->lon[k] - shift, &x, &y);
                if (x > c->f->left + 40 * c->u && x < c->f->right - 120 * c->u &&
                    y > c->f->top + 30 * c->u && y < c->f->bottom - 30 * c->u && y < by) {
                    bx = x;
                    by = y;
                }
            }
        }
        if (isnan(bx))
            continue;
        double col[3];
        map_owner_rgb(z->info.owner, col);
        label(c, bx, by, z->info.id, col, 15 * c->u, true);
    }
}

/* ---- graticule, frame, scale, north ------------------------------------------------ */

static double grid_step(double span)
{
    static const double steps[] = {0.25, 0.5, 1, 2, 5, 10, 15, 30, 60};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 8)
            return steps[i];
    return 90;
}

static void grid_name(double v, bool lat, double step, char *buf, size_t n)
{
    double w = lat ? v : v - 360 * floor((v + 180) / 360);
    char h = lat ? (w < 0 ? 'S' : 'N') : (w < 0 ? 'W' : 'E');
    if (step >= 1)
        snprintf(buf, n, "%.0f%c", fabs(w), h);
    else
        snprintf(buf, n, "%.2g%c", fabs(w), h);
}

static void draw_graticule(map_ctx *c, bool labels)
{
    const map_frame *f = c->f;
    cairo_t *cr = c->cr;
    double step = grid_step(fmax(f->max_lat - f->min_lat, f->max_lon - f->min_lon));
    double d[] = {2 * c->u, 3 * c->u};
    char buf[16];
    map_font(cr, 12 * c->u, false);
    for (double lon = ceil(f->min_lon / step) * step; lon <= f->max_lon; lon += step) {
        double x, y;
        map_xy_raw(f, f->min_lat, lon, &x, &y);
        if (labels) {
            grid_name(lon, false, step, buf, sizeof buf);
            double w = map_text_w(cr, buf);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_move_to(cr, x - w / 2, f->top - 6 * c->u);
            cairo_show_text(cr, buf);
            cairo_move_to(cr, x - w / 2, f->bottom + 16 * c->u);
            cairo_show_text(cr, buf);
            continue;
        }
        cairo_move_to(cr, x, f->top);
        cairo_line_to(cr, x, f->bottom);
    }
    for (double lat = ceil(f->min_lat / step) * step; lat <= f->max_lat; lat += step) {
        double x, y;
        map_xy_raw(f, lat, f->min_lon, &x, &y);
        if (labels) {
            grid_name(lat, true, step, buf, sizeof buf);
            double w = map_text_w(cr, buf);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_move_to(cr, f->left - w - 6 * c->u, y + 4 * c->u);
            cairo_show_text(cr, buf);
            cairo_move_to(cr, f->right + 6 * c->u, y + 4 * c->u);
            cairo_show_text(cr, buf);
            continue;
        }
        cairo_move_to(cr, f->left, y);
        cairo_line_to(cr, f->right, y);
    }
    if (labels)
        return;
    cairo_set_source_rgba(cr, 0, 0, 0, 0.75);
    cairo_set_line_width(cr, 1 * c->u);
    cairo_set_dash(cr, d, 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void draw_north(map_ctx *c)
{
    cairo_t *cr = c->cr;
    double u = c->u, y = c->f->top + 22 * u;
    double x = c->legend_corner == 3 ? c->f->right - 34 * u : c->f->left + 34 * u;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x - 18 * u, y - 6 * u, 36 * u, 66 * u);
    cairo_fill(cr);
    cairo_move_to(cr, x, y + 16 * u);
    cairo_line_to(cr, x - 10 * u, y + 56 * u);
    cairo_line_to(cr, x, y + 46 * u);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_fill(cr);
    cairo_move_to(cr, x, y + 16 * u);
    cairo_line_to(cr, x + 10 * u, y + 56 * u);
    cairo_line_to(cr, x, y + 46 * u);
    cairo_close_path(cr);
    cairo_set_line_width(cr, 1.2 * u);
    cairo_stroke(cr);
    map_font(cr, 16 * u, true);
    cairo_move_to(cr, x - map_text_w(cr, "N") / 2, y + 12 * u);
    cairo_show_text(cr, "N");
    map_reserve(c, (rect){x - 18 * u, y - 6 * u, x + 18 * u, y + 60 * u});
}

static void draw_scale(map_ctx *c)
{
    cairo_t *cr = c->cr;
    const map_frame *f = c->f;
    double u = c->u, mid = (f->min_lat + f->max_lat) / 2;
    double km_px = 111.32 * cos(mid * M_PI / 180) / f->scale;
    double want = 0.2 * (f->right - f->left) * km_px, km = 1;
    while (km * 10 <= want)
        km *= 10;
    km = want >= 5 * km ? 5 * km : want >= 2 * km ? 2 * km : km;
    double len = km / km_px, y = f->bottom - 26 * u;
    double x = c->legend_corner == 1 ? f->right - len - 120 * u : f->left + 20 * u;
    char buf[64];
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x - 10 * u, y - 34 * u, len + 120 * u, 50 * u);
    cairo_fill(cr);
    map_reserve(c, (rect){x - 10 * u, y - 34 * u, x + len + 110 * u, y + 16 * u});
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + i * len / 4, y, len / 4, 6 * u);
        if (i % 2 == 0)
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        else
            cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(cr, 1 * u);
        cairo_stroke(cr);
    }
    map_font(cr, 12 * u, false);
    cairo_move_to(cr, x - 3 * u, y - 6 * u);
    cairo_show_text(cr, "0");
    snprintf(buf, sizeof buf, "%.0f km (%.0f NM)", km, km / 1.852);
    cairo_move_to(cr, x + len - 4 * u, y - 6 * u);
    cairo_show_text(cr, buf);
    snprintf(buf, sizeof buf, "Mercator; scale at %.0f%c", fabs(mid), mid < 0 ? 'S' : 'N');
    map_font(cr, 10 * u, false);
    cairo_move_to(cr, x, y - 22 * u);
    cairo_show_text(cr, buf);
}

/* ---- tracks ------------------------------------------------------------------------ */

void map_arrowhead(map_ctx *c, double x, double y, double dx, double dy, const double col[3])
{
    double len = hypot(dx, dy);
    if (len <= 0)
        return;
    dx /= len;
    dy /= len;
    double l = 16 * c->u, w = 7 * c->u;
    cairo_move_to(c->cr, x + dx * 2 * c->u, y + dy * 2 * c->u);
    cairo_line_to(c->cr, x - dx * l - dy * w, y - dy * l + dx * w);
    cairo_line_to(c->cr, x - dx * l + dy * w, y - dy * l - dx * w);
    cairo_close_path(c->cr);
    map_rgb(c->cr, col);
    cairo_fill(c->cr);
}

/* One continuous piece of a track, points a..b: line, arrows every so often, end arrow. */
static void draw_piece(map_ctx *c, const aw_map_track *t, int a, int b, const double col[3], bool last)
{
    cairo_t *cr = c->cr;
    double x0 = 0, y0 = 0;
    for (int i = a; i <= b; i++) {
        double x, y;
        map_xy(c->f, t->lat[i], t->lon[i], &x, &y);
        if (i == a)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
        if (i == a)
            x0 = x, y0 = y;
    }
    map_rgb(cr, col);
    cairo_set_line_width(cr, 3.2 * c->u);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
    /* Direction arrows along the way: every `every` pixels of path, not near the end. */
    double every = 190 * c->u, run = every / 2, total = 0, px = x0, py = y0;
    for (int i = a + 1; i <= b; i++) {
        double x, y;
        map_xy(c->f, t->lat[i], t->lon[i], &x, &y);
        total += hypot(x - px, y - py);
        px = x, py = y;
    }
    double walked = 0;
    px = x0, py = y0;
    for (int i = a + 1; i <= b; i++) {
        double x, y;
        map_xy(c->f, t->lat[i], t->lon[i], &x, &y);
        double seg = hypot(x - px, y - py);
        while (seg > 0 && run <= seg && walked + run < total - every / 2) {
            double k = run / seg;
            map_arrowhead(c, px + (x - px) * k + (x - px) / seg * 8 * c->u,
                      py + (y - py) * k + (y - py) / seg * 8 * c->u, x - px, y - py, col);
            walked += run;
            seg -= run;
            px += (x - px) * k;
            py += (y - py) * k;
            run = every;
        }
        walked += seg;
        run -= seg;
        px = x, py = y;
    }
    /* The end: an arrowhead along the last few pixels' direction (JSO style), if it is
     * the track's real end. */
    double ex, ey, bx = px, by = py;
    map_xy(c->f, t->lat[b], t->lon[b], &ex, &ey);
    for (int i = b - 1; i >= a; i--) {
        map_xy(c->f, t->lat[i], t->lon[i], &bx, &by);
        if (hypot(ex - bx, ey - by) >= 6 * c->u)
            break;
    }
    if (last)
        map_arrowhead(c, ex, ey, ex - bx, ey - by, col);
}

static void local_hm(double t, int tz, char *buf, size_t n)
{
    time_t s = (time_t)floor(t + tz);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(buf, n, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static void draw_tracks(map_ctx *c)
{
    const aw_map *m = c->m;
    double gap = m->gap_s > 0 ? m->gap_s : 900;
    for (int i = 0; i < m->ntracks; i++) {
        const aw_map_track *t = &m->tracks[i];
        double col[3];
        map_palette(c->key_idx[i], col);
        int a = 0;
        for (int j = 1; j <= t->n; j++) {
            bool gap_here = j < t->n && t->time && t->time[j] - t->time[j - 1] > gap;
            if (j == t->n || gap_here) {
                if (j - 1 > a)
                    draw_piece(c, t, a, j - 1, col, j == t->n);
                a = j;
            }
            if (gap_here) { /* not observed in between: a thin dashed link */
                double x0, y0, x1, y1, d[] = {6 * c->u, 6 * c->u};
                map_xy(c->f, t->lat[j - 1], t->lon[j - 1], &x0, &y0);
                map_xy(c->f, t->lat[j], t->lon[j], &x1, &y1);
                cairo_move_to(c->cr, x0, y0);
                cairo_line_to(c->cr, x1, y1);
                map_rgb(c->cr, col);
                cairo_set_line_width(c->cr, 1.5 * c->u);
                cairo_set_dash(c->cr, d, 2, 0);
                cairo_stroke(c->cr);
                cairo_set_dash(c->cr, NULL, 0, 0);
            }
        }
    }
}

/* Start and end labels, after every line so that they sit on top: a start ring and
 * "H-6K 05:37", and the end time. Crowded ones (a formation) are left out. */
static void label_tracks(map_ctx *c)
{
    const aw_map *m = c->m;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < m->ntracks; i++) {
            const aw_map_track *t = &m->tracks[i];
            if (t->n < 2)
                continue;
            double col[3], x, y;
            map_palette(c->key_idx[i], col);
            int k = pass == 0 ? 0 : t->n - 1;
            map_xy(c->f, t->lat[k], t->lon[k], &x, &y);
            char buf[96], hm[8] = "";
            if (t->time)
                local_hm(t->time[k], m->tz_offset_s, hm, sizeof hm);
            if (pass == 0) {
                cairo_arc(c->cr, x, y, 4.5 * c->u, 0, 2 * M_PI);
                cairo_set_source_rgb(c->cr, 1, 1, 1);
                cairo_fill_preserve(c->cr);
                map_rgb(c->cr, col);
                cairo_set_line_width(c->cr, 2 * c->u);
                cairo_stroke(c->cr);
                snprintf(buf, sizeof buf, "%s%s%s", t->type && t->type[0] ? t->type : "",
                         t->type && t->type[0] && hm[0] ? " " : "", hm);
            } else {
                snprintf(buf, sizeof buf, "%s", hm);
            }
            if (buf[0])
                label(c, x, y, buf, col, 13 * c->u, false);
        }
}

/* ---- markers ----------------------------------------------------------------------- */

static void draw_markers(map_ctx *c)
{
    double u = c->u;
    for (int i = 0; i < c->m->nmarkers; i++) {
        const aw_map_marker *mk = &c->m->markers[i];
        double x, y, col[3];
        if ((unsigned)mk->kind > AW_MARK_INTERCEPT)
            continue;
        map_xy(c->f, mk->lat, mk->lon, &x, &y);
        if (x < c->f->left || x > c->f->right || y < c->f->top || y > c->f->bottom)
            continue;
        map_marker_shape(c->cr, mk->kind, x, y, u, col);
        map_reserve(c, (rect){x - 6 * u, y - 6 * u, x + 6 * u, y + 6 * u});
        if (mk->label && mk->label[0])
            label(c, x, y, mk->label, col, (mk->kind == AW_MARK_PLACE ? 12 : 13) * u, false);
    }
}

/* ---- the whole ----------------------------------------------------------------------- */

static void draw_title(map_ctx *c)
{
    cairo_t *cr = c->cr;
    const map_frame *f = c->f;
    double u = c->u;
    if (c->m->title) {
        cairo_rectangle(cr, f->left + 20 * u, 16 * u, f->right - f->left - 40 * u, 56 * u);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.16, 0.28, 0.50); /* the JSO title box's blue */
        cairo_set_line_width(cr, 3 * u);
        cairo_stroke(cr);
        map_font(cr, 26 * u, true);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, f->w / 2.0 - map_text_w(cr, c->m->title) / 2, 53 * u);
        cairo_show_text(cr, c->m->title);
    }
    if (c->m->subtitle) {
        map_font(cr, 15 * u, false);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, f->w / 2.0 - map_text_w(cr, c->m->subtitle) / 2, 98 * u);
        cairo_show_text(cr, c->m->subtitle);
    }
    if (c->m->basis) { /* a map must not pass a simulation off as a recording */
        map_font(cr, 13 * u, false);
        cairo_set_source_rgb(cr, 0.55, 0.1, 0.1);
        cairo_move_to(cr, f->w / 2.0 - map_text_w(cr, c->m->basis) / 2, 122 * u);
        cairo_show_text(cr, c->m->basis);
    }
}

int map_draw(cairo_t *cr, const aw_map *m, const map_frame *f, const map_land *land, char **text)
{
    map_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->cr = cr;
    c->m = m;
    c->f = f;
    c->u = f->u;
    if (!(c->key_idx = map_key_indices(m))) {
        free(c);
        return -1;
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_title(c);

    cairo_save(cr);
    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_clip(cr);
    draw_territorial(c);
    if (land)
        draw_land(c, land);
    draw_graticule(c, false);
    draw_adiz(c);
    draw_tracks(c);
    /* Fixed furniture first, so that labels keep off it. */
    int rc = map_draw_legend(c, text);
    draw_north(c);
    draw_scale(c);
    draw_markers(c);
    label_tracks(c);
    label_adiz(c);
    cairo_restore(cr);

    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.5 * c->u);
    cairo_stroke(cr);
    draw_graticule(c, true);
    free(c->px);
    free(c->py);
    free(c->key_idx);
    free(c);
    return rc;
}
