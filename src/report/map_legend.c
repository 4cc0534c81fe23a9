/* map_legend.c -- the report map's legend and marker symbols.
 *
 * One legend line per track key, counting its aircraft by type and nation as the press
 * releases do ("H-6K \u00d72 (CN), Tu-95MS \u00d74 (RU)"), then the zones in view (ADIZ
 * lines by owner, territorial airspace), the marker kinds used, and the time zone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/map_internal.h"

void map_marker_shape(cairo_t *cr, aw_map_marker_kind kind, double x, double y, double u,
                      double col[3])
{
    static const double cols[][3] = {{0.1, 0.1, 0.1}, {0.05, 0.15, 0.45}, {0.85, 0.45, 0.0},
                                     {0.6, 0.0, 0.0}};
    memcpy(col, cols[kind], sizeof cols[kind]);
    map_rgb(cr, col);
    switch (kind) {
    case AW_MARK_PLACE:
        cairo_arc(cr, x, y, 3 * u, 0, 2 * M_PI);
        cairo_fill(cr);
        break;
    case AW_MARK_BASE:
        cairo_rectangle(cr, x - 5 * u, y - 5 * u, 10 * u, 10 * u);
        cairo_fill(cr);
        break;
    case AW_MARK_ADVICE:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, 8 * u, 0, 2 * M_PI);
        cairo_move_to(cr, x - 11 * u, y);
        cairo_line_to(cr, x + 11 * u, y);
        cairo_move_to(cr, x, y - 11 * u);
        cairo_line_to(cr, x, y + 11 * u);
        cairo_set_line_width(cr, 2 * u);
        cairo_stroke(cr);
        break;
    case AW_MARK_INTERCEPT:
        cairo_move_to(cr, x, y - 9 * u);
        cairo_line_to(cr, x + 7 * u, y);
        cairo_line_to(cr, x, y + 9 * u);
        cairo_line_to(cr, x - 7 * u, y);
        cairo_close_path(cr);
        cairo_fill(cr);
        break;
    }
}

/* ---- legend ------------------------------------------------------------------------ */

typedef struct row {
    int what;          /* 0 track key, 1 ADIZ, 2 territorial, 3 marker kind */
    double col[3];
    int arg;           /* marker kind; ADIZ own or not */
    char text[512];
} row;

static void strcat_n(char *dst, size_t n, const char *s)
{
    size_t l = strlen(dst);
    if (l + 1 < n)
        snprintf(dst + l, n - l, "%s", s);
}

/* "H-6K ×2 (CN), Tu-95MS ×4 (RU)" for the tracks of one key. */
void map_key_text(const aw_map *m, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    if (m->legend_keys) {
        strcat_n(out, n, key);
        strcat_n(out, n, ": ");
    }
    bool first = true;
    for (int i = 0; i < m->ntracks; i++) {
        const aw_map_track *t = &m->tracks[i];
        if (strcmp(map_track_key(t), key) != 0)
            continue;
        const char *type = t->type && t->type[0] ? t->type : "unknown type";
        const char *nat = t->nation ? t->nation : "";
        bool seen = false;
        int count = 0;
        for (int j = 0; j < m->ntracks; j++) {
            const aw_map_track *o = &m->tracks[j];
            const char *ot = o->type && o->type[0] ? o->type : "unknown type";
            if (strcmp(map_track_key(o), key) != 0 || strcmp(ot, type) != 0 ||
                strcmp(o->nation ? o->nation : "", nat) != 0)
                continue;
            if (j < i)
                seen = true;
            count++;
        }
        if (seen)
            continue;
        char part[128];
        snprintf(part, sizeof part, "%s%s \u00d7%d%s%s%s", first ? "" : ", ", type, count,
                 nat[0] ? " (" : "", nat, nat[0] ? ")" : "");
        strcat_n(out, n, part);
        first = false;
    }
}

static int build_rows(map_ctx *c, row **out)
{
    const aw_map *m = c->m;
    int cap = m->ntracks + m->nmarkers + (m->zones ? m->zones->n : 0) + 8, n = 0;
    row *r = calloc((size_t)cap, sizeof *r);
    if (!r)
        return -1;
    for (int i = 0; i < m->ntracks; i++) {
        const char *key = map_track_key(&m->tracks[i]);
        if (c->key_idx[i] != n)
            continue; /* not the key's first track */
        r[n].what = 0;
        map_palette(n, r[n].col);
        map_key_text(m, key, r[n].text, sizeof r[n].text);
        n++;
    }
    bool ta = false;
    for (int i = 0; m->zones && i < m->zones->n; i++) {
        const aw_zone_info *zi = &m->zones->zones[i].info;
        if (!map_zone_in_view(c, zi))
            continue;
        if (strcmp(zi->kind, "territorial") == 0) {
            ta = true;
            continue;
        }
        r[n].what = 1;
        map_owner_rgb(zi->owner, r[n].col);
        r[n].arg = m->observer && strcmp(zi->owner, m->observer) == 0;
        snprintf(r[n].text, sizeof r[n].text, "%s%s%s%s", zi->id, zi->owner[0] ? " (" : "",
                 zi->owner, zi->owner[0] ? ")" : "");
        n++;
    }
    if (ta) {
        r[n].what = 2;
        snprintf(r[n++].text, sizeof r[0].text, "territorial airspace (12 NM)");
    }
    static const char *mk_names[] = {"reference place", "air base", "advised intercept point",
                                     "intercept"};
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < m->nmarkers; i++)
            if ((int)m->markers[i].kind == k) {
                r[n].what = 3;
                r[n].arg = k;
                snprintf(r[n++].text, sizeof r[0].text, "%s", mk_names[k]);
                break;
            }
    *out = r;
    return n;
}

/* Break a row's text after ", " so that no line is wider than maxw; at most 4 lines. */
static int wrap(cairo_t *cr, const char *text, double maxw, char lines[4][512])
{
    int nl = 0;
    const char *p = text;
    while (*p && nl < 4) {
        size_t best = strlen(p);
        char buf[512];
        if (nl < 3 && map_text_w(cr, p) > maxw) {
            size_t cut = 0;
            for (const char *q = strstr(p, ", "); q; q = strstr(q + 1, ", ")) {
                size_t k = (size_t)(q - p) + 1; /* keep the comma */
                snprintf(buf, sizeof buf, "%.*s", (int)k, p);
                if (cut && map_text_w(cr, buf) > maxw)
                    break;
                cut = k;
            }
            if (cut)
                best = cut;
        }
        snprintf(lines[nl], 512, "%s%.*s", nl ? "    " : "", (int)best, p);
        nl++;
        p += best;
        while (*p == ' ')
            p++;
    }
    return nl;
}

/* How much a legend box at (x, y, w, h) would hide: track points most, then markers,
 * then the observer's zone outlines. */
static double hidden_by(const map_ctx *c, double x, double y, double w, double h)
{
    const aw_map *m = c->m;
    double score = 0, px, py, g = 20 * c->u;
    for (int k = 0; k < m->ntracks; k++)
        for (int j = 0; j < m->tracks[k].n; j++) {
            map_xy(c->f, m->tracks[k].lat[j], m->tracks[k].lon[j], &px, &py);
            score += 10 * (px >= x - g && px <= x + w + g && py >= y - g && py <= y + h + g);
        }
    for (int k = 0; k < m->nmarkers; k++) {
        map_xy(c->f, m->markers[k].lat, m->markers[k].lon, &px, &py);
        score += 50 * (px >= x && px <= x + w && py >= y && py <= y + h);
    }
    for (int z = 0; m->zones && m->observer && z < m->zones->n; z++) {
        const aw_zone *zn = &m->zones->zones[z];
        if (strcmp(zn->info.owner, m->observer) != 0 || strcmp(zn->info.kind, "adiz") != 0)
            continue;
        for (int p = 0; p < zn->npolys; p++) {
            const aw_ring *r = &zn->polys[p].rings[0];
            int step = r->n / 400 + 1; /* a sample is enough */
            for (int i = 0; i < r->n; i += step) {
                map_xy(c->f, r->lat[i], r->lon[i], &px, &py);
                score += step * (px >= x && px <= x + w && py >= y && py <= y + h);
            }
        }
    }
    return score;
}

int map_draw_legend(map_ctx *c, char **text)
{
    cairo_t *cr = c->cr;
    const map_frame *f = c->f;
    double u = c->u, size = 15 * u, lh = 22 * u, pad = 12 * u, sw = 44 * u;
    row *r = NULL;
    int n = build_rows(c, &r);
    if (n < 0)
        return -1;
    char (*lines)[4][512] = calloc((size_t)n + 1, sizeof *lines);
    int *nl = calloc((size_t)n + 1, sizeof *nl);
    if (!lines || !nl) {
        free(lines);
        free(nl);
        free(r);
        return -1;
    }
    int tzh = c->m->tz_offset_s / 3600, tzm = abs(c->m->tz_offset_s) / 60 % 60;
    char foot[64];
    snprintf(foot, sizeof foot, "times UTC%+03d:%02d", tzh, tzm);
    map_font(cr, size, false);
    double maxw = 0.36 * (f->right - f->left), w = map_text_w(cr, foot);
    int total = 1;
    for (int i = 0; i < n; i++) {
        nl[i] = wrap(cr, r[i].text, maxw, lines[i]);
        total += nl[i];
        for (int k = 0; k < nl[i]; k++)
            w = fmax(w, map_text_w(cr, lines[i][k]));
    }
    w += sw + 3 * pad;
    double h = total * lh + 2 * pad;
    /* The corner that hides least (bottom right first, as on the JSO maps); the north
     * arrow and the scale bar take corners left free. */
    double x = 0, y = 0, best = -1;
    for (int corner = 0; corner < 4; corner++) {
        double cx = corner % 2 == 0 ? f->right - w - 10 * u : f->left + 10 * u;
        double cy = corner < 2 ? f->bottom - h - 10 * u : f->top + 10 * u;
        double hidden = hidden_by(c, cx, cy, w, h);
        if (best < 0 || hidden < best) {
            best = hidden;
            x = cx;
            y = cy;
            c->legend_corner = corner;
        }
    }
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.5 * u);
    cairo_stroke(cr);
    size_t tl = strlen(foot) + 1;
    for (int i = 0; i < n; i++)
        tl += strlen(r[i].text) + 1;
    *text = malloc(tl);
    if (*text)
        (*text)[0] = '\0';
    double ly = y + pad;
    for (int i = 0; i < n; i++) {
        double cy = ly + 0.5 * lh, sx = x + pad;
        switch (r[i].what) {
        case 0:
            cairo_move_to(cr, sx, cy);
            cairo_line_to(cr, sx + sw - 12 * u, cy);
            map_rgb(cr, r[i].col);
            cairo_set_line_width(cr, 3.2 * u);
            cairo_stroke(cr);
            map_arrowhead(c, sx + sw, cy, 1, 0, r[i].col);
            break;
        case 1:
            cairo_move_to(cr, sx, cy);
            cairo_line_to(cr, sx + sw, cy);
            map_rgb(cr, r[i].col);
            map_adiz_dash(c, r[i].arg);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            break;
        case 2:
            cairo_rectangle(cr, sx, cy - 7 * u, sw, 14 * u);
            cairo_set_source_rgb(cr, 0.86, 0.86, 0.90);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
            cairo_set_line_width(cr, 0.9 * u);
            cairo_stroke(cr);
            break;
        default: {
            double col[3];
            map_marker_shape(cr, (aw_map_marker_kind)r[i].arg, sx + sw / 2, cy, u, col);
        }
        }
        map_font(cr, size, false);
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (int k = 0; k < nl[i]; k++) {
            cairo_move_to(cr, sx + sw + pad, ly + 0.5 * lh + 0.35 * size);
            cairo_show_text(cr, lines[i][k]);
            ly += lh;
        }
        if (*text) {
            strcat(*text, r[i].text);
            strcat(*text, "\n");
        }
    }
    map_font(cr, 12 * u, false);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_move_to(cr, x + pad, ly + 0.5 * lh + 4 * u);
    cairo_show_text(cr, foot);
    if (*text)
        strcat(*text, foot);
    map_reserve(c, (rect){x, y, x + w, y + h});
    free(lines);
    free(nl);
    free(r);
    return 0;
}
