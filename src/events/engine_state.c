/* engine_state.c -- the engine's state saved and restored (checkpoints).
 *
 * A worker of the scale-out (docs/scale-out.md) that takes a partition over must carry
 * on exactly where the last owner stopped. Replaying the partition from its start does
 * that, at a cost that grows with the stream; a saved state does it at once. Exactness
 * asks for everything that later events depend on, not only tracks and open visits:
 * the reports of a visit still waiting to have their depth measured (they may be its
 * deepest), the path-bound anchors that decide which later reports are measured, the
 * recency order (which track max_tracks evicts first) and where each track sits in the
 * table (the order aw_engine_expire closes tracks in). Saved as they are, nothing is
 * measured or rounded on the way: the restored engine is the saved one.
 *
 * Layout (all integers little-endian, doubles and floats as their IEEE-754 bits):
 *
 *   "AWENGST1"  u32 version (1)  u32 zone count  u64 zone fingerprint
 *   f64 timeout  u64 max_tracks  9 x u64 counters (aw_engine_stats, in order)
 *   u64 table slots (a power of two)  u64 tracks
 *   per track, least recently fed first:
 *     u64 slot  u8 id length, id  u8 callsign length, callsign
 *     u8 flags (1 has_position, 2 lost)  f64 time lat lon alt_ft clearance
 *     u32 open visits, per visit (in the track's order):
 *       u32 zone index  u8 has_near  f32 near_lat near_lon
 *       f64 enter_time max_depth q_depth q_s s
 *       u16 candidates, per candidate: f64 lat lon s bound
 *   u64 FNV-1a 64 of every byte above
 *
 * Restoring checks every count and index before using it (a state file is input like
 * any other), rebuilds the table aside and installs it only when the checksum holds. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/engine_internal.h"

#define STATE_MAGIC "AWENGST1"
#define FNV_BASIS 1469598103934665603ull
#define FNV_PRIME 1099511628211ull
#define MAX_SLOTS (1ull << 31)

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

static uint64_t bits64(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* What visits' zone indexes mean: each zone's id, band, box and shape counts, in order. */
static uint64_t zones_fingerprint(const aw_zone_set *zs)
{
    uint64_t h = FNV_BASIS;
    int n = aw_zones_count(zs);
    for (int z = 0; z < n; z++) {
        const aw_zone_info *zi = aw_zones_info(zs, z);
        h = fnv(h, zi->id, strlen(zi->id) + 1);
        double d[6] = {zi->floor_ft, zi->ceiling_ft, zi->min_lat, zi->max_lat, zi->min_lon, zi->max_lon};
        for (int i = 0; i < 6; i++) {
            uint64_t u = bits64(d[i]);
            h = fnv(h, &u, sizeof u);
        }
        int32_t k[4] = {zi->polygons, zi->vertices, zi->chords, (int32_t)zi->edges};
        h = fnv(h, k, sizeof k);
    }
    return h;
}

/* ---- saving ------------------------------------------------------------------ */

typedef struct writer {
    aw_state_write_fn fn;
    void *user;
    uint64_t hash;
    size_t n;
    bool failed;
    unsigned char buf[8192];
} writer;

static void flush(writer *w)
{
    if (w->n && !w->failed && w->fn(w->user, w->buf, w->n) != 0)
        w->failed = true;
    w->n = 0;
}

static void put(writer *w, const void *data, size_t n)
{
    w->hash = fnv(w->hash, data, n);
    if (w->n + n > sizeof w->buf)
        flush(w);
    memcpy(w->buf + w->n, data, n);
    w->n += n;
}

static void put_uint(writer *w, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(w, b, (size_t)bytes);
}

static void put_f64(writer *w, double x) { put_uint(w, bits64(x), 8); }

static void put_f32(writer *w, float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    put_uint(w, u, 4);
}

static void put_text(writer *w, const char *s)
{
    size_t n = strlen(s);
    put_uint(w, n, 1);
    put(w, s, n);
}

static void put_stats(writer *w, const aw_engine_stats *s)
{
    uint64_t v[9] = {s->reports, s->attribute_reports, s->dropped, s->invalid, s->tracks,
                     s->events, s->open_visits, s->evicted, s->depth_measurements};
    for (int i = 0; i < 9; i++)
        put_uint(w, v[i], 8);
}

static size_t slot_of(const aw_engine *e, uint32_t ref)
{
    size_t mask = e->nslots - 1, i = aw_engine_track_hash(track_id(e, track_at(e, ref))) & mask;
    while (e->slots[i] != ref)
        i = (i + 1) & mask;
    return i;
}

int aw_engine_save(const aw_engine *e, aw_state_write_fn write, void *user)
{
    writer *w = malloc(sizeof *w);
    if (!w)
        return -1;
    w->fn = write;
    w->user = user;
    w->hash = FNV_BASIS;
    w->n = 0;
    w->failed = false;
    put(w, STATE_MAGIC, 8);
    put_uint(w, AW_ENGINE_STATE_VERSION, 4);
    put_uint(w, (uint64_t)aw_zones_count(e->zones), 4);
    put_uint(w, zones_fingerprint(e->zones), 8);
    put_f64(w, e->timeout);
    put_uint(w, e->max_tracks, 8);
    put_stats(w, &e->stats);
    put_uint(w, e->nslots, 8);
    put_uint(w, e->ntracks, 8);
    for (uint32_t ref = e->oldest; ref; ref = track_at(e, ref)->newer) {
        const track *t = track_at(e, ref);
        put_uint(w, slot_of(e, ref), 8);
        put_text(w, track_id(e, t));
        put_text(w, t->callsign);
        put_uint(w, (track_has_position(t) ? 1u : 0u) | (t->clearance < 0 ? 2u : 0u), 1);
        double d[5] = {t->time, t->lat, t->lon, t->alt_ft, t->clearance};
        for (int i = 0; i < 5; i++)
            put_f64(w, d[i]);
        put_uint(w, track_nvisits(t), 4);
        for (uint32_t i = 0; i < track_nvisits(t); i++) {
            const visit *v = &t->visits->v[i];
            const candidate_block *b = v->block ? e->blocks[v->block - 1] : NULL;
            put_uint(w, (uint64_t)v->zone, 4);
            put_uint(w, isnan(v->near_lat) ? 0 : 1, 1);
            put_f32(w, v->near_lat);
            put_f32(w, v->near_lon);
            double vd[5] = {v->enter_time, v->max_depth, v->q_depth, v->q_s, v->s};
            for (int k = 0; k < 5; k++)
                put_f64(w, vd[k]);
            put_uint(w, b ? b->ncand : 0, 2);
            for (uint32_t c = 0; b && c < b->ncand; c++) {
                const depth_candidate *dc = &b->cand[c];
                put_f64(w, dc->lat);
                put_f64(w, dc->lon);
                put_f64(w, dc->s);
                put_f64(w, dc->bound);
            }
        }
    }
    put_uint(w, w->hash, 8);
    flush(w);
    int rc = w->failed ? -1 : 0;
    free(w);
    return rc;
}

/* ---- restoring --------------------------------------------------------------- */

typedef struct reader {
    aw_state_read_fn fn;
    void *user;
    uint64_t hash, offset;
    bool failed;
    char *err;
    size_t errlen;
} reader;

static void fail(reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    if (!r->err || !r->errlen)
        return;
    int n = snprintf(r->err, r->errlen, "engine state, byte %llu: ", (unsigned long long)r->offset);
    if (n < 0 || (size_t)n >= r->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static void get(reader *r, void *data, size_t n)
{
    if (r->failed) {
        memset(data, 0, n);
        return;
    }
    if (r->fn(r->user, data, n) != 0) {
        memset(data, 0, n);
        fail(r, "the data ends here (a state of %zu more bytes was expected)", n);
        return;
    }
    r->hash = fnv(r->hash, data, n);
    r->offset += n;
}

static uint64_t get_uint(reader *r, int bytes)
{
    unsigned char b[8];
    get(r, b, (size_t)bytes);
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static double get_f64(reader *r)
{
    uint64_t u = get_uint(r, 8);
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static float get_f32(reader *r)
{
    uint32_t u = (uint32_t)get_uint(r, 4);
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* A length-prefixed text into out (size cap); empty allowed only when may_be_empty. */
static void get_text(reader *r, char *out, size_t cap, bool may_be_empty, const char *what)
{
    size_t n = (size_t)get_uint(r, 1);
    if (!r->failed && (n >= cap || (n == 0 && !may_be_empty))) {
        fail(r, "%s of %zu bytes (1 to %zu expected)", what, n, cap - 1);
        n = 0;
    }
    memset(out, 0, cap);
    get(r, out, n);
    if (!r->failed && strlen(out) != n)
        fail(r, "%s holds a NUL byte", what);
}

/* The tracks restored so far: records of the engine's slab (a new engine's: nothing else
 * is in it) in a table of their own, installed only when all is well. */
typedef struct table {
    uint32_t *slots;
    size_t nslots, ntracks;
    uint32_t newest, oldest;
} table;

/* A failed restore leaves the engine as new: no track, every block in the pool. */
static void free_table(aw_engine *e, table *tb)
{
    engine_tracks_reset(e);
    free(tb->slots);
    if (engine_tracks_init(e) < 0) /* a table of 1,024 slots, as aw_engine_new made */
        abort();                  /* no memory for 4 KB: the engine cannot go on */
}

static void get_visit(reader *r, aw_engine *e, visit *v, int nzones, const char *id)
{
    uint64_t zone = get_uint(r, 4);
    uint64_t has_near = get_uint(r, 1);
    if (!r->failed && (zone >= (uint64_t)nzones || has_near > 1)) {
        fail(r, "track %s: a visit of zone %llu (%d zones) or a bad flag", id,
             (unsigned long long)zone, nzones);
        return;
    }
    v->zone = (int)zone;
    v->block = 0;
    v->near_lat = get_f32(r);
    v->near_lon = get_f32(r);
    if (has_near != 1) /* none: a NaN latitude says so */
        v->near_lat = v->near_lon = NAN;
    else if (!r->failed && isnan(v->near_lat))
        fail(r, "track %s: a boundary point with no latitude", id);
    v->enter_time = get_f64(r);
    v->max_depth = get_f64(r);
    v->q_depth = get_f64(r);
    v->q_s = get_f64(r);
    v->s = get_f64(r);
    uint64_t ncand = get_uint(r, 2);
    if (!r->failed && ncand >= DEPTH_CANDIDATES) { /* a full block is measured at once */
        fail(r, "track %s: %llu depth candidates (fewer than %d expected)", id,
             (unsigned long long)ncand, DEPTH_CANDIDATES);
        return;
    }
    if (ncand == 0 || r->failed)
        return;
    if (!(v->block = engine_take_block(e, (uint32_t)ncand))) {
        fail(r, "out of memory");
        return;
    }
    candidate_block *b = e->blocks[v->block - 1];
    b->ncand = (uint16_t)ncand;
    for (uint64_t c = 0; c < ncand; c++) {
        depth_candidate *dc = &b->cand[c];
        dc->lat = get_f64(r);
        dc->lon = get_f64(r);
        dc->s = get_f64(r);
        dc->bound = get_f64(r);
    }
}

/* One track, placed in its slot and made the most recently fed. */
static void get_track(reader *r, aw_engine *e, table *tb, int nzones)
{
    uint64_t slot = get_uint(r, 8);
    if (!r->failed && (slot >= tb->nslots || tb->slots[slot])) {
        fail(r, "a track in slot %llu (of %zu), or twice in one", (unsigned long long)slot,
             tb->nslots);
        return;
    }
    char id[AW_TRACK_ID_MAX];
    get_text(r, id, sizeof id, false, "a track id");
    uint32_t ref = r->failed ? 0 : engine_new_track(e, id);
    if (!ref) {
        fail(r, "out of memory");
        return;
    }
    track *t = track_at(e, ref); /* the engine's from here, freed with it on failure */
    tb->slots[slot] = ref;
    tb->ntracks++;
    get_text(r, t->callsign, sizeof t->callsign, true, "a callsign");
    uint64_t flags = get_uint(r, 1);
    if (!r->failed && flags > 3)
        fail(r, "track %s: flags %llu", id, (unsigned long long)flags);
    double time = get_f64(r);
    t->lat = get_f64(r);
    t->lon = get_f64(r);
    t->alt_ft = get_f64(r);
    double clearance = get_f64(r);
    if (!r->failed && (((flags & 1) && !isfinite(time)) || (!(flags & 2) && !(clearance >= 0))))
        fail(r, "track %s: time %g, clearance %g", id, time, clearance);
    t->time = flags & 1 ? time : NAN; /* NaN: no position yet */
    /* a float as the engine keeps it (rounded down: a lower bound stays one); negative:
     * lost */
    float c = (float)clearance;
    t->clearance = flags & 2 ? -1.0f : c > clearance ? nextafterf(c, -INFINITY) : c;
    uint64_t nvisits = get_uint(r, 4);
    if (!r->failed && nvisits > (uint64_t)nzones)
        fail(r, "track %s: %llu open visits (%d zones)", id, (unsigned long long)nvisits, nzones);
    if (!r->failed && nvisits && (!(flags & 1) || (flags & 2))) /* the engine never has those */
        fail(r, "track %s: open visits %s", id, flags & 2 ? "while lost" : "without a position");
    if (r->failed)
        return;
    if (nvisits && !(t->visits = malloc(sizeof *t->visits + nvisits * sizeof(visit)))) {
        fail(r, "out of memory");
        return;
    }
    if (t->visits) {
        t->visits->n = 0;
        t->visits->cap = (uint32_t)nvisits;
    }
    visit *v = t->visits ? t->visits->v : NULL;
    for (uint32_t i = 0; i < nvisits && !r->failed; i++) {
        t->visits->n = i + 1; /* so that a failure returns this visit's block */
        get_visit(r, e, &v[i], nzones, id);
        for (uint32_t j = 0; j < i && !r->failed; j++)
            if (v[j].zone == v[i].zone)
                fail(r, "track %s: two visits of zone %d", id, v[i].zone);
    }
    /* the recency list, oldest first: each track read is the newest so far */
    t->older = tb->newest;
    if (tb->newest)
        track_at(e, tb->newest)->newer = ref;
    tb->newest = ref;
    if (!tb->oldest)
        tb->oldest = ref;
}

/* Every track must be found where a lookup looks: no empty slot between its hash's
 * home and its slot, and no other track of the same id on the way. */
static void check_probes(reader *r, const aw_engine *e, const table *tb)
{
    size_t mask = tb->nslots - 1;
    for (size_t j = 0; j < tb->nslots && !r->failed; j++) {
        if (!tb->slots[j])
            continue;
        const char *id = track_id(e, track_at(e, tb->slots[j]));
        for (size_t i = aw_engine_track_hash(id) & mask; i != j; i = (i + 1) & mask)
            if (!tb->slots[i] || strcmp(track_id(e, track_at(e, tb->slots[i])), id) == 0) {
                fail(r, "track %s is not where the table would look for it", id);
                break;
            }
    }
}

/* A writer that keeps only the last 8 bytes it is given: a save's checksum (a put never
 * splits across two writes). */
static int keep_tail(void *user, const void *data, size_t n)
{
    if (n >= 8)
        memcpy(user, (const unsigned char *)data + n - 8, 8);
    return 0;
}

static uint64_t le64(const unsigned char b[8])
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

int aw_engine_restore(aw_engine *e, aw_state_read_fn read, void *user, char *err, size_t errlen)
{
    reader r = {.fn = read, .user = user, .hash = FNV_BASIS, .err = err, .errlen = errlen};
    static const aw_engine_stats zero;
    if (e->ntracks || memcmp(&e->stats, &zero, sizeof zero) != 0) {
        fail(&r, "the engine has been fed already: restore into a new engine");
        return -1;
    }
    char magic[8];
    get(&r, magic, sizeof magic);
    if (!r.failed && memcmp(magic, STATE_MAGIC, 8) != 0)
        fail(&r, "not an adizwatch engine state (no \"" STATE_MAGIC "\" at its start)");
    uint64_t version = get_uint(&r, 4);
    if (!r.failed && version != AW_ENGINE_STATE_VERSION)
        fail(&r, "state version %llu; this library reads version %d", (unsigned long long)version,
             AW_ENGINE_STATE_VERSION);
    int nzones = aw_zones_count(e->zones);
    uint64_t zcount = get_uint(&r, 4), zprint = get_uint(&r, 8);
    if (!r.failed && (zcount != (uint64_t)nzones || zprint != zones_fingerprint(e->zones)))
        fail(&r, "saved over other zones (%llu zones, fingerprint %016llx; these: %d, %016llx)",
             (unsigned long long)zcount, (unsigned long long)zprint, nzones,
             (unsigned long long)zones_fingerprint(e->zones));
    double timeout = get_f64(&r);
    uint64_t max_tracks = get_uint(&r, 8);
    if (!r.failed && (bits64(timeout) != bits64(e->timeout) || max_tracks != e->max_tracks))
        fail(&r, "saved with timeout %g s and max_tracks %llu; this engine has %g s and %zu",
             timeout, (unsigned long long)max_tracks, e->timeout, e->max_tracks);
    uint64_t v[9];
    for (int i = 0; i < 9; i++)
        v[i] = get_uint(&r, 8);
    aw_engine_stats stats = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    uint64_t nslots = get_uint(&r, 8), ntracks = get_uint(&r, 8);
    if (!r.failed && (nslots < 1024 || nslots > MAX_SLOTS || (nslots & (nslots - 1)) ||
                      2 * ntracks > nslots))
        fail(&r, "a table of %llu slots for %llu tracks", (unsigned long long)nslots,
             (unsigned long long)ntracks);
    if (r.failed)
        return -1;
    table tb = {.nslots = (size_t)nslots};
    if (!(tb.slots = calloc(tb.nslots, sizeof *tb.slots)))
        fail(&r, "out of memory");
    for (uint64_t i = 0; i < ntracks && !r.failed; i++)
        get_track(&r, e, &tb, nzones);
    check_probes(&r, e, &tb);
    uint64_t want = r.hash, sum = get_uint(&r, 8);
    if (!r.failed && sum != want)
        fail(&r, "checksum %016llx, the data gives %016llx: the state is corrupted",
             (unsigned long long)sum, (unsigned long long)want);
    if (r.failed) {
        free_table(e, &tb);
        return -1;
    }
    free(e->slots);
    e->slots = tb.slots;
    e->nslots = tb.nslots;
    e->ntracks = tb.ntracks;
    e->newest = tb.newest;
    e->oldest = tb.oldest;
    e->stats = stats;
    /* The latest report time, for settling quiet tracks' candidates (engine_settle_idle):
     * not saved; the latest track's is it unless that track was evicted since, and it
     * only decides when candidates are measured, never what the events say. */
    for (uint32_t ref = 1; ref <= e->nused; ref++)
        if (track_at(e, ref)->time > e->now)
            e->now = track_at(e, ref)->time;
    /* The engine keeps some values narrower than the state writes them (a clearance as
     * a float, no time without a position, no boundary point without its flag): a
     * state it would not write back byte for byte is not one it wrote, and is refused
     * rather than silently changed. */
    unsigned char tail[8];
    if (aw_engine_save(e, keep_tail, tail) != 0 || le64(tail) != sum) {
        fail(&r, "a value the engine cannot hold as written (not a state it saved)");
        engine_tracks_reset(e);
        if (engine_tracks_init(e) < 0)
            abort(); /* no memory for 4 KB: the engine cannot go on */
        e->stats = zero;
        e->now = -INFINITY;
        return -1;
    }
    return 0;
}
