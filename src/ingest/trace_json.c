/* trace_json.c -- tar1090 / readsb globe-history traces, one file and a day of them.
 *
 * A trace file (trace_full_<hex>.json, trace_recent_<hex>.json; often gzipped, as
 * adsb.lol's daily archives are) is one object: "icao", "r", "t", "dbFlags", a
 * "timestamp" base (Unix seconds) and "trace", an array of points
 *   [offset, lat, lon, alt|"ground"|null, gs, track, flags, vrate, details|null,
 *    source type, geom alt, geom rate, ias, roll]
 * of which older files write fewer. Flags: 1 stale (no position for a while before this
 * one), 2 a new leg starts (after a landing), 4 the vertical rate is geometric, 8 the
 * altitude is geometric. The details object, when not null, is a full aircraft object
 * whose "flight" and "squawk" hold until the next one says otherwise.
 *
 * A point is kept compact (no JSON after decoding), and a day is replayed by a k-way
 * merge that decodes each file only when the merge reaches its first point and frees it
 * after its last: memory follows the aircraft airborne at the moment, not the day. */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "adizwatch/feeds.h"
#include "feed_json.h"
#include "json_scan.h"

typedef struct trace_point {
    double time, lat, lon;
    float alt_ft, gs, track, alt_geom_ft;
    uint8_t flags;
    bool on_ground;
    char callsign[AW_CALLSIGN_MAX];
    char squawk[AW_SQUAWK_MAX];
} trace_point;

struct aw_trace {
    char id[AW_TRACK_ID_MAX];
    aw_feed_info info; /* the file's r, t, dbFlags */
    trace_point *points;
    size_t n;
};

/* ---- reading a file, plain or gzip --------------------------------------------------- */

char *aw_read_file_maybe_gz(const char *path, size_t *len, char *err, size_t errlen)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        snprintf(err, errlen, "cannot open %s", path);
        return NULL;
    }
    gzbuffer(gz, 1 << 17);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            snprintf(err, errlen, "%s: out of memory", path);
            gzclose(gz);
            return NULL;
        }
        if (cap - n < 2) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
            continue;
        }
        int got = gzread(gz, buf + n, (unsigned)(cap - n - 1 > (1u << 30) ? 1u << 30 : cap - n - 1));
        if (got < 0) {
            int code;
            snprintf(err, errlen, "%s: %s", path, gzerror(gz, &code));
            free(buf);
            gzclose(gz);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    gzclose(gz);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- one trace ------------------------------------------------------------------------ */

/* The callsign and squawk of a point's details object (text[0..n) is the object). */
static void scan_details(const char *text, size_t n, trace_point *out)
{
    json_t *details = json_loadb(text, n, 0, NULL);
    char buf[AW_CALLSIGN_MAX];
    feed_json_text(json_object_get(details, "flight"), buf, sizeof buf);
    if (buf[0])
        memcpy(out->callsign, buf, sizeof buf);
    feed_json_text(json_object_get(details, "squawk"), buf, sizeof out->squawk);
    if (buf[0])
        memcpy(out->squawk, buf, sizeof out->squawk);
    json_decref(details);
}

/* One point array at the cursor: 1 a point, 0 one without time or position (nothing to
 * place), -1 malformed. Fields by position: 0 offset, 1 lat, 2 lon, 3 altitude or
 * "ground", 4 ground speed, 5 track, 6 flags, 8 details, 10 geometric altitude. */
static int scan_point(json_scan *s, double base, const trace_point *prev, trace_point *out)
{
    if (!js_take(s, '['))
        return -1;
    memset(out, 0, sizeof *out);
    out->alt_ft = out->gs = out->track = out->alt_geom_ft = NAN;
    if (prev) {
        memcpy(out->callsign, prev->callsign, sizeof out->callsign);
        memcpy(out->squawk, prev->squawk, sizeof out->squawk);
    }
    double off = NAN, lat = NAN, lon = NAN;
    if (js_take(s, ']'))
        return 0;
    for (int i = 0;; i++) {
        double v;
        const char *str;
        size_t len;
        if (i == 8 && js_peek(s) == '{') {
            const char *from = s->p;
            if (!js_skip(s))
                return -1;
            scan_details(from, (size_t)(s->p - from), out);
        } else if (js_number(s, &v)) {
            switch (i) {
            case 0: off = v; break;
            case 1: lat = v; break;
            case 2: lon = v; break;
            case 3: out->alt_ft = (float)v; break;
            case 4: out->gs = (float)v; break;
            case 5: out->track = (float)v; break;
            case 6: out->flags = v >= 0 && v < 256 ? (uint8_t)v : 0; break;
            case 10: out->alt_geom_ft = (float)v; break;
            default: break;
            }
        } else if (js_string(s, &str, &len)) {
            if (i == 3 && len == 6 && memcmp(str, "ground", 6) == 0) {
                out->alt_ft = 0;
                out->on_ground = true;
            }
        } else if (!js_skip(s)) {
            return -1;
        }
        if (js_take(s, ','))
            continue;
        if (js_take(s, ']'))
            break;
        return -1;
    }
    if (!isfinite(off) || !isfinite(lat) || !isfinite(lon) || !isfinite(base + off))
        return 0;
    out->time = base + off;
    out->lat = lat;
    out->lon = lon;
    return 1;
}

static int by_time(const void *a, const void *b)
{
    double ta = ((const trace_point *)a)->time, tb = ((const trace_point *)b)->time;
    return (ta > tb) - (ta < tb);
}

/* A string value into buf (lower case when lower); "" when it is not a string. */
static bool scan_text(json_scan *s, char *buf, size_t size, bool lower)
{
    const char *str;
    size_t len;
    buf[0] = '\0';
    if (!js_string(s, &str, &len))
        return js_skip(s);
    if (len >= size)
        len = size - 1;
    for (size_t i = 0; i < len; i++)
        buf[i] = lower && str[i] >= 'A' && str[i] <= 'Z' ? (char)(str[i] - 'A' + 'a') : str[i];
    buf[len] = '\0';
    while (len > 0 && buf[len - 1] == ' ')
        buf[--len] = '\0';
    return true;
}

static bool key_is(const char *key, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(key, name, len) == 0;
}

aw_trace *aw_trace_parse(const char *text, size_t len, char *err, size_t errlen)
{
    json_scan s = {text, text + len, text};
    aw_trace *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    feed_info_clear(&t->info);
    double base = NAN;
    const char *trace_at = NULL;
    bool ok = js_take(&s, '{');
    if (ok && !js_take(&s, '}')) {
        for (;;) {
            const char *key;
            size_t klen;
            double v;
            if (!js_string(&s, &key, &klen) || !js_take(&s, ':')) {
                ok = false;
                break;
            }
            if (key_is(key, klen, "trace")) {
                js_peek(&s);
                trace_at = s.p;
                ok = js_skip(&s);
            } else if (key_is(key, klen, "timestamp")) {
                ok = js_number(&s, &base) || js_skip(&s);
            } else if (key_is(key, klen, "icao")) {
                ok = scan_text(&s, t->id, sizeof t->id, true);
            } else if (key_is(key, klen, "r")) {
                ok = scan_text(&s, t->info.registration, sizeof t->info.registration, false);
            } else if (key_is(key, klen, "t")) {
                ok = scan_text(&s, t->info.type, sizeof t->info.type, false);
            } else if (key_is(key, klen, "dbFlags") && js_number(&s, &v)) {
                /* A bit set: a whole number an int holds, or nothing (as feed_json_db). */
                if (v >= 0 && v <= INT_MAX && v == floor(v)) {
                    t->info.db_flags = (int)v;
                    t->info.military = (t->info.db_flags & AW_DBFLAG_MILITARY) != 0;
                }
            } else {
                ok = js_skip(&s);
            }
            if (!ok || js_take(&s, '}'))
                break;
            if (!js_take(&s, ',')) {
                ok = false;
                break;
            }
        }
    }
    if (!ok) {
        snprintf(err, errlen, "not JSON, or cut short, at byte %zu", js_offset(&s));
    } else if (!isfinite(base) || !trace_at || *trace_at != '[') {
        snprintf(err, errlen, "not a trace file: no \"timestamp\" and \"trace\"");
        ok = false;
    } else if (!t->id[0]) {
        snprintf(err, errlen, "not a trace file: no usable \"icao\"");
        ok = false;
    }
    size_t cap = 0;
    bool sorted = true;
    if (ok) {
        s.p = trace_at + 1;
        if (!js_take(&s, ']')) {
            for (;;) {
                if (t->n == cap) {
                    cap = cap ? 2 * cap : 256;
                    trace_point *grown = realloc(t->points, cap * sizeof *grown);
                    if (!grown) {
                        snprintf(err, errlen, "out of memory");
                        ok = false;
                        break;
                    }
                    t->points = grown;
                }
                const trace_point *prev = t->n ? &t->points[t->n - 1] : NULL;
                int got = scan_point(&s, base, prev, &t->points[t->n]);
                if (got < 0) {
                    snprintf(err, errlen, "a trace point is malformed at byte %zu", js_offset(&s));
                    ok = false;
                    break;
                }
                if (got > 0) {
                    if (prev && t->points[t->n].time < prev->time)
                        sorted = false;
                    t->n++;
                }
                if (js_take(&s, ','))
                    continue;
                if (js_take(&s, ']'))
                    break;
                snprintf(err, errlen, "the trace array is malformed at byte %zu", js_offset(&s));
                ok = false;
                break;
            }
        }
    }
    if (!ok) {
        aw_trace_free(t);
        return NULL;
    }
    if (!sorted) /* readsb writes them in order; a hand-merged file may not be */
        qsort(t->points, t->n, sizeof *t->points, by_time);
    return t;
}

aw_trace *aw_trace_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = aw_read_file_maybe_gz(path, &len, err, errlen);
    if (!text)
        return NULL;
    aw_trace *t = aw_trace_parse(text, len, err, errlen);
    free(text);
    return t;
}

void aw_trace_free(aw_trace *t)
{
    if (t)
        free(t->points);
    free(t);
}

size_t aw_trace_count(const aw_trace *t)
{
    return t->n;
}

double aw_trace_start(const aw_trace *t)
{
    return t->n ? t->points[0].time : NAN;
}

void aw_trace_point(const aw_trace *t, size_t i, aw_report *out, aw_feed_info *info)
{
    const trace_point *p = &t->points[i];
    aw_report_clear(out);
    memcpy(out->track, t->id, sizeof out->track);
    out->time = p->time;
    out->has_position = true;
    out->lat = p->lat;
    out->lon = p->lon;
    out->alt_ft = p->alt_ft;
    out->speed_kt = p->gs;
    out->track_deg = p->track;
    memcpy(out->callsign, p->callsign, sizeof out->callsign);
    memcpy(out->squawk, p->squawk, sizeof out->squawk);
    *info = t->info;
    info->on_ground = p->on_ground;
    info->alt_geom_ft = p->alt_geom_ft;
    info->stale = p->flags & 1;
    info->new_leg = p->flags & 2;
}

/* ---- a day of traces: the k-way merge -------------------------------------------------- */

typedef struct merge_file {
    char *path;
    double start;  /* time of its first point */
    aw_trace *t;   /* decoded while the merge is inside its span, else NULL */
    size_t next;   /* its next point */
} merge_file;

struct aw_trace_merge {
    merge_file *files;
    size_t n;
    size_t *waiting, nwaiting; /* a min-heap of files not yet opened, by start */
    size_t *open, nopen;       /* a min-heap of decoded files, by their next point's time */
    size_t peak_open;
};

static double waiting_key(const aw_trace_merge *m, size_t f)
{
    return m->files[f].start;
}

static double open_key(const aw_trace_merge *m, size_t f)
{
    const merge_file *mf = &m->files[f];
    return mf->t->points[mf->next].time;
}

static void heap_down(aw_trace_merge *m, size_t *h, size_t n, size_t i,
                      double (*key)(const aw_trace_merge *, size_t))
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, least = i;
        if (l < n && key(m, h[l]) < key(m, h[least]))
            least = l;
        if (r < n && key(m, h[r]) < key(m, h[least]))
            least = r;
        if (least == i)
            return;
        size_t tmp = h[i];
        h[i] = h[least];
        h[least] = tmp;
        i = least;
    }
}

static void heap_up(aw_trace_merge *m, size_t *h, size_t i,
                    double (*key)(const aw_trace_merge *, size_t))
{
    while (i > 0 && key(m, h[i]) < key(m, h[(i - 1) / 2])) {
        size_t parent = (i - 1) / 2, tmp = h[i];
        h[i] = h[parent];
        h[parent] = tmp;
        i = parent;
    }
}

/* The number after `"key"` and a colon in head; NAN when not found. */
static double number_after(const char *head, const char *key)
{
    const char *p = strstr(head, key);
    if (!p)
        return NAN;
    p += strlen(key);
    while (*p == ' ' || *p == ':' || *p == '[' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    char *end;
    double v = strtod(p, &end);
    return end == p ? NAN : v;
}

/* A file's start from its first bytes: "timestamp" plus the first point's offset (readsb
 * writes "timestamp" before "trace"); NAN when the head does not say. */
static double head_start(const char *path)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return NAN;
    char head[8192];
    int n = gzread(gz, head, sizeof head - 1);
    gzclose(gz);
    if (n <= 0)
        return NAN;
    head[n] = '\0';
    double base = number_after(head, "\"timestamp\"");
    double first = number_after(head, "\"trace\"");
    return isfinite(base) && isfinite(first) ? base + first : NAN;
}

aw_trace_merge *aw_trace_merge_new(const char *const *paths, size_t n, char *err, size_t errlen)
{
    aw_trace_merge *m = calloc(1, sizeof *m);
    if (!m || !(m->files = calloc(n ? n : 1, sizeof *m->files)) ||
        !(m->waiting = malloc((n ? n : 1) * sizeof *m->waiting)) ||
        !(m->open = malloc((n ? n : 1) * sizeof *m->open))) {
        aw_trace_merge_free(m);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        merge_file *f = &m->files[i];
        if (!(f->path = strdup(paths[i]))) {
            aw_trace_merge_free(m);
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        m->n++;
        f->start = head_start(f->path);
        if (isnan(f->start)) {
            /* An unusual head: decode once to learn the start (a bad file is reported
             * when the merge comes to it, at -infinity: first). */
            char why[256];
            aw_trace *t = aw_trace_load(f->path, why, sizeof why);
            f->start = t && t->n ? aw_trace_start(t) : -INFINITY;
            aw_trace_free(t);
        }
        m->waiting[m->nwaiting] = i;
        heap_up(m, m->waiting, m->nwaiting++, waiting_key);
    }
    return m;
}

int aw_trace_merge_next(aw_trace_merge *m, aw_report *out, aw_feed_info *info,
                        void (*bad)(const char *path, const char *reason, void *user), void *user)
{
    /* Open every file whose first point comes before the next point of those open. */
    while (m->nwaiting &&
           (!m->nopen || waiting_key(m, m->waiting[0]) <= open_key(m, m->open[0]))) {
        size_t fi = m->waiting[0];
        m->waiting[0] = m->waiting[--m->nwaiting];
        heap_down(m, m->waiting, m->nwaiting, 0, waiting_key);
        merge_file *f = &m->files[fi];
        char why[256];
        f->t = aw_trace_load(f->path, why, sizeof why);
        if (!f->t || f->t->n == 0) {
            if (!f->t && bad)
                bad(f->path, why, user);
            aw_trace_free(f->t);
            f->t = NULL;
            continue;
        }
        f->next = 0;
        m->open[m->nopen] = fi;
        heap_up(m, m->open, m->nopen++, open_key);
        if (m->nopen > m->peak_open)
            m->peak_open = m->nopen;
    }
    if (!m->nopen)
        return 0;
    merge_file *f = &m->files[m->open[0]];
    aw_trace_point(f->t, f->next++, out, info);
    if (f->next == f->t->n) {
        aw_trace_free(f->t);
        f->t = NULL;
        m->open[0] = m->open[--m->nopen];
    }
    heap_down(m, m->open, m->nopen, 0, open_key);
    return 1;
}

size_t aw_trace_merge_peak_open(const aw_trace_merge *m)
{
    return m->peak_open;
}

void aw_trace_merge_free(aw_trace_merge *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->files[i].path);
        aw_trace_free(m->files[i].t);
    }
    free(m->files);
    free(m->waiting);
    free(m->open);
    free(m);
}
