/* pipeline.c -- lines in, events out: the loop body shared by replay and watch.
 *
 * Each line is parsed by the format's parser and fed to the engine. A malformed line
 * is never fatal and never silent: it is counted, and the first CLI_BAD_LINES_SHOWN are
 * printed with their line number and the reason (--strict stops at the first).
 * Binary inputs (binary_input.c) decode to reports themselves and come in
 * through pipeline_report; they count as "lines" in the summary. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/feeds.h"
#include "adizwatch/pipeline.h"
#include "ingest/id_table.h"
#include "pipeline/pipeline_internal.h"

/* ---- output ------------------------------------------------------------------------
 *
 * Every write is checked. A reader that went away (EPIPE: `replay ... | head -1`) ends the
 * run quietly, as Unix filters end; any other failure (a full disk) ends it with a
 * message and exit status 1. Nothing is lost without a word.
 *
 * With a store, a line is printed only once the store has committed what it says: lines
 * wait in `held` while the store has a transaction open, are written when it closes by a
 * commit, and are dropped (counted in the summary) when it closes by a rollback. So with
 * --db, every event on stdout is in the file. */
static void output_failed(pipeline *p)
{
    int err = errno ? errno : EIO;
    if (!p->out_failed) {
        p->out_failed = true;
        if (err == EPIPE)
            p->out_closed = true;
        else
            fprintf(p->log, "adizwatch: %s: cannot write the events: %s\n", p->source,
                    strerror(err));
    }
    p->failed = true;
}

static int write_out(pipeline *p, const char *data, size_t n)
{
    if (!p->out)
        return 0; /* no output asked for */
    if (p->out_failed)
        return -1;
    errno = 0;
    if (n > 0 && fwrite(data, 1, n, p->out) != n) {
        output_failed(p);
        return -1;
    }
    return 0;
}

int pipeline_flush(pipeline *p)
{
    if (!p->out)
        return 0;
    if (p->out_failed)
        return -1;
    errno = 0;
    if (fflush(p->out) != 0 || ferror(p->out)) {
        output_failed(p);
        return -1;
    }
    return 0;
}

/* After a store call (ok: it succeeded): once no transaction is open, the held lines
 * were committed (after a success) or rolled back (after a failure). */
static void store_settled(pipeline *p, bool ok)
{
    if (p->held.len == 0 || aw_store_in_transaction(p->store))
        return;
    if (ok)
        write_out(p, p->held.data, p->held.len);
    else
        p->unprinted += p->held.lines;
    p->held.len = 0;
    p->held.lines = 0;
}

void pipeline_store_error(pipeline *p, const char *err)
{
    if (p->store_errors++ == 0)
        fprintf(p->log, "adizwatch: store: %s\n", err);
    p->failed = true;
    store_settled(p, false);
}

int pipeline_print(pipeline *p, const char *text, size_t n)
{
    if (!p->out)
        return 0; /* no output asked for */
    if (!p->store) {
        if (write_out(p, text, n) < 0 || write_out(p, "\n", 1) < 0)
            return -1;
        return 0;
    }
    struct held_lines *h = &p->held;
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 4096;
        while (cap < h->len + n + 1)
            cap *= 2;
        char *grown = realloc(h->data, cap);
        if (!grown) {
            fprintf(p->log, "adizwatch: %s: out of memory holding events for the store\n",
                    p->source);
            p->unprinted++;
            p->failed = true;
            return -1;
        }
        h->data = grown;
        h->cap = cap;
    }
    memcpy(h->data + h->len, text, n);
    h->data[h->len + n] = '\n';
    h->len += n + 1;
    h->lines++;
    store_settled(p, true); /* no transaction open: nothing waits for a commit */
    return p->out_failed ? -1 : 0;
}

/* The event's JSON in p->text, grown as needed; its length, or -1 out of memory. */
static int event_text(pipeline *p, const aw_event *ev)
{
    int n = aw_event_to_json(ev, p->text, p->text_cap);
    if (n >= 0 && (size_t)n >= p->text_cap) {
        size_t cap = (size_t)n + 1 > 1024 ? (size_t)n + 1 : 1024;
        char *grown = realloc(p->text, cap);
        if (!grown)
            return -1;
        p->text = grown;
        p->text_cap = cap;
        n = aw_event_to_json(ev, p->text, p->text_cap);
    }
    return n >= 0 && (size_t)n < p->text_cap ? n : -1;
}

/* ---- trails: a position per track every trail_interval_s, kept in the store --------
 *
 * The table only remembers when each track's position was last stored. It is bounded:
 * when it is full it is simply emptied, which costs at most one extra stored position per
 * track and keeps memory flat however many ids a feed invents. */
typedef struct trail_slot {
    char track[AW_TRACK_ID_MAX];
    double time;
} trail_slot;

struct trail_table {
    id_table ids; /* of trail_slot */
};

/* Store the report's position if the track has none stored within the interval. */
static void trail_report(pipeline *p, const aw_report *r)
{
    if (!p->store || !(p->trail_interval_s > 0) || !r->has_position)
        return;
    if (!p->trail) {
        if (!(p->trail = malloc(sizeof *p->trail)))
            return;
        *p->trail = (struct trail_table){ID_TABLE_INIT(trail_slot, 1024, 1u << 21)};
    }
    bool is_new;
    trail_slot *slot = id_table_slot(&p->trail->ids, r->track, &is_new);
    if (!slot || (!is_new && r->time - slot->time < p->trail_interval_s))
        return;
    slot->time = r->time;
    aw_position pos = {.time = r->time, .lat = r->lat, .lon = r->lon, .alt_ft = r->alt_ft};
    snprintf(pos.track, sizeof pos.track, "%s", r->track);
    snprintf(pos.callsign, sizeof pos.callsign, "%s", r->callsign);
    char err[256];
    if (aw_store_add_position(p->store, &pos, err, sizeof err) < 0)
        pipeline_store_error(p, err);
    else
        store_settled(p, true);
}

/* Queue the event's alert if the rules select it; a failure to queue fails the run like
 * a failure to store. */
static void pipeline_alert(pipeline *p, const aw_event *ev)
{
    char err[256];
    aw_alerts_set_provenance(p->alerts, p->provenance); /* the alert's basis */
    if (aw_alerts_event(p->alerts, ev, err, sizeof err) < 0) {
        if (p->store_errors++ == 0)
            fprintf(p->log, "adizwatch: alerts: %s\n", err);
        p->failed = true;
    }
}

void pipeline_event(const aw_event *ev, void *user)
{
    pipeline *p = user;
    if (p->alerts) /* first: the alert joins the transaction that commits the event */
        pipeline_alert(p, ev);
    bool stored = true;
    if (p->store) {
        char err[256];
        int rc = aw_store_add(p->store, ev, err, sizeof err);
        if (rc < 0) {
            /* Not stored -- unless only the commit after it failed, busy, leaving it in
             * the open transaction for the next commit. */
            stored = rc == -2;
            pipeline_store_error(p, err);
        } else {
            store_settled(p, true);
        }
    }
    int n = event_text(p, ev);
    if (n < 0) {
        fprintf(p->log, "adizwatch: %s: out of memory formatting an event\n", p->source);
        p->unprinted++;
        p->failed = true;
    } else if (stored) {
        pipeline_print(p, p->text, (size_t)n);
    } else {
        p->unprinted++;
    }
    if (p->advice)
        pipeline_advice_event(p, ev);
    if (p->on_event)
        p->on_event(ev, p->hook_user);
}

int pipeline_init(pipeline *p, const aw_zone_set *zones, double timeout_s, size_t max_tracks,
                  const char *db_path)
{
    memset(p, 0, sizeof *p);
    p->out = stdout;
    p->log = stderr;
    p->latest_time = -INFINITY;
    p->trail_interval_s = CLI_TRAIL_INTERVAL_S;
    if (db_path) {
        char err[512];
        p->store = aw_store_open(db_path, err, sizeof err);
        if (!p->store) {
            fprintf(p->log, "adizwatch: %s\n", err);
            return -1;
        }
    }
    aw_engine_options opt = {.timeout_s = timeout_s, .max_tracks = max_tracks};
    p->engine = aw_engine_new(zones, &opt, pipeline_event, p);
    if (!p->engine) {
        fprintf(p->log, "adizwatch: out of memory\n");
        aw_store_close(p->store);
        p->store = NULL;
        return -1;
    }
    return 0;
}

int pipeline_set_zones(pipeline *p, const aw_zone_set *zones, double timeout_s, size_t max_tracks)
{
    aw_engine_options opt = {.timeout_s = timeout_s, .max_tracks = max_tracks};
    aw_engine *e = aw_engine_new(zones, &opt, pipeline_event, p);
    if (!e)
        return -1;
    aw_engine_free(p->engine);
    p->engine = e;
    return 0;
}

static int bad_line(pipeline *p, const char *reason)
{
    p->bad_lines++;
    if (p->bad_lines <= CLI_BAD_LINES_SHOWN)
        fprintf(p->log, "%s:%llu: bad line: %s\n", p->source, (unsigned long long)p->lines,
                reason);
    if (p->bad_lines == CLI_BAD_LINES_SHOWN + 1 && !p->strict)
        fprintf(p->log, "%s: more bad lines follow; only counted from now on\n", p->source);
    return p->strict ? -1 : 0;
}

static int feed(pipeline *p, const aw_report *r);
static int feed_hashed(pipeline *p, const aw_report *r, uint64_t hash);

/* ---- reading ahead (replay of a file) ------------------------------------------------
 *
 * Parsed reports wait in a short queue. Each new one starts the fetch of its track
 * (stage 0 of aw_engine_prefetch), those before it move a stage on, and the oldest is
 * fed: by the time a report reaches the engine, its track and visits are in the cache.
 * A waiting report is fed under its own line number, and everything that is not a
 * report (a bad line, a skipped one, the end) first feeds those waiting, so messages,
 * counts and where --strict stops are those of feeding each line as it comes. */
#define LOOKAHEAD 3 /* reports waiting; one slot more is where the next is parsed */

typedef struct waiting {
    aw_report r;
    uint64_t line;
    uint64_t hash; /* of the track id, for aw_engine_prefetch */
} waiting;

struct lookahead {
    waiting q[LOOKAHEAD + 1];
    int first, n; /* a ring: q[first] is the oldest of the n waiting */
};

void pipeline_read_ahead(pipeline *p)
{
    if (p->live || p->store || p->before_report || p->after_report || p->on_event || p->ahead ||
        p->advice || p->par)
        return;
    p->ahead = calloc(1, sizeof *p->ahead); /* without memory, reports are fed at once */
}

/* Where the next report is parsed: the slot after the waiting ones. */
static aw_report *next_slot(pipeline *p)
{
    struct lookahead *a = p->ahead;
    return &a->q[(a->first + a->n) % (LOOKAHEAD + 1)].r;
}

/* The i-th waiting report, 0 the oldest. */
static waiting *waiting_at(struct lookahead *a, int i)
{
    return &a->q[(a->first + i) % (LOOKAHEAD + 1)];
}

static int feed_oldest(pipeline *p)
{
    struct lookahead *a = p->ahead;
    waiting *w = waiting_at(a, 0);
    a->first = (a->first + 1) % (LOOKAHEAD + 1);
    a->n--;
    uint64_t read = p->lines;
    p->lines = w->line;
    if (feed_hashed(p, &w->r, w->hash) < 0) {
        a->n = 0; /* the run stops at this line: what was read after it never was */
        return -1;
    }
    p->lines = read;
    return 0;
}

int pipeline_drain_ahead(pipeline *p)
{
    while (p->ahead && p->ahead->n > 0)
        if (feed_oldest(p) < 0)
            return -1;
    return 0;
}

int pipeline_drain(pipeline *p)
{
    return p->par ? parallel_drain(p) : pipeline_drain_ahead(p);
}

/* The report just parsed into next_slot joins the queue; the oldest is fed once the
 * queue is full. */
static int read_ahead(pipeline *p)
{
    struct lookahead *a = p->ahead;
    waiting *w = waiting_at(a, a->n++);
    w->line = p->lines;
    w->hash = aw_engine_track_hash(w->r.track);
    aw_engine_prefetch(p->engine, w->hash, 0);
    if (a->n >= 2)
        aw_engine_prefetch(p->engine, waiting_at(a, a->n - 2)->hash, 1);
    if (a->n >= 3)
        aw_engine_prefetch(p->engine, waiting_at(a, a->n - 3)->hash, 2);
    return a->n > LOOKAHEAD ? feed_oldest(p) : 0;
}

int pipeline_bad_line(pipeline *p, const char *reason)
{
    if (pipeline_drain_ahead(p) < 0)
        return -1;
    p->lines++;
    return bad_line(p, reason);
}

int pipeline_too_long(pipeline *p) { return pipeline_bad_line(p, "line too long"); }

int pipeline_cut_off(pipeline *p)
{
    return pipeline_bad_line(p, "cut off: the connection ended in the middle of the line");
}

void pipeline_restart(pipeline *p)
{
    p->have_header = false;
}

int pipeline_line(pipeline *p, const char *line, size_t len)
{
    p->lines++;
    size_t trimmed = len;
    while (trimmed > 0 && (line[trimmed - 1] == '\r' || line[trimmed - 1] == ' '))
        trimmed--;
    if (trimmed == 0) {
        if (pipeline_drain_ahead(p) < 0)
            return -1;
        p->skipped_lines++;
        return 0;
    }
    if (aw_line_is_comment(line, len)) { /* before detection: CSV and SBS alike */
        if (pipeline_drain_ahead(p) < 0)
            return -1;
        size_t jl;
        const char *json = aw_provenance_comment(line, len, &jl);
        if (json && !p->provenance)
            p->provenance = strndup(json, jl);
        p->skipped_lines++;
        return 0;
    }
    bool detected = p->format == AW_FORMAT_AUTO;
    if (detected)
        p->format = aw_format_detect(line, len);
    /* A feed's basis goes to the store with its first data line (a comment comes first);
     * a replay records its file's at the end, with the receiver it was given. */
    if (p->live && p->store && !p->provenance_stored &&
        pipeline_store_provenance(p, p->format == AW_FORMAT_SBS ? "sbs" : "csv", "") < 0)
        return -1;
    char err[256];
    err[0] = '\0'; /* not = "": that would clear all 256 bytes for every line */
    aw_report r, *into = p->ahead ? next_slot(p) : p->par ? parallel_slot(p) : NULL;
    if (!into)
        into = &r;
    aw_parse_result res;
    if (p->format == AW_FORMAT_CSV && !p->have_header) {
        if (pipeline_drain_ahead(p) < 0)
            return -1;
        int header = aw_csv_header(line, len, &p->cols, err, sizeof err);
        if (header < 0 && p->live) {
            /* Garbage on a live feed is not the end of the watch: count it and take the
             * next line as the header (or, detected, as the first line) again. */
            if (detected)
                p->format = AW_FORMAT_AUTO;
            char why[300];
            snprintf(why, sizeof why, "not a usable CSV header: %s", err);
            return bad_line(p, why);
        }
        if (header < 0) {
            fprintf(p->log, "%s:%llu: not a usable CSV header: %s\n", p->source,
                    (unsigned long long)p->lines, err);
            p->failed = true;
            return -1;
        }
        p->have_header = true;
        p->cols.assume_utc = p->assume_utc;
        return 0;
    }
    if (p->format == AW_FORMAT_CSV)
        res = aw_csv_parse(&p->cols, line, len, into, err, sizeof err);
    else if (p->format == AW_FORMAT_READSB)
        res = aw_readsb_line(line, len, into, NULL, err, sizeof err);
    else
        res = aw_sbs_parse(line, len, p->tz_offset_s, into, err, sizeof err);
    if (res == AW_PARSE_REPORT && p->ahead)
        return read_ahead(p);
    if (pipeline_drain_ahead(p) < 0)
        return -1;
    if (res == AW_PARSE_BAD)
        return bad_line(p, err);
    if (res == AW_PARSE_SKIP) {
        p->skipped_lines++;
        return 0;
    }
    return feed(p, into);
}

/* Hand one report to the engine; a refused report counts as a bad line. */
static int feed(pipeline *p, const aw_report *r)
{
    if (p->par) /* --threads: an engine in another thread (parallel.c) */
        return parallel_report(p, r);
    if (p->before_report)
        p->before_report(r, p->hook_user);
    if (r->has_position && r->time > p->latest_time)
        p->latest_time = r->time;
    return pipeline_fed(p, r, aw_engine_feed(p->engine, r));
}

/* A report read ahead, its id hashed already (only a replay with nothing else to do
 * reads ahead: pipeline_read_ahead). */
static int feed_hashed(pipeline *p, const aw_report *r, uint64_t hash)
{
    if (p->par || p->before_report)
        return feed(p, r);
    if (r->has_position && r->time > p->latest_time)
        p->latest_time = r->time;
    return pipeline_fed(p, r, aw_engine_feed_hashed(p->engine, r, hash));
}

int pipeline_fed(pipeline *p, const aw_report *r, aw_feed_result fed)
{
    if (fed == AW_FEED_OK)
        trail_report(p, r);
    if (p->advice && fed == AW_FEED_OK)
        pipeline_advice_report(p, r);
    if (fed == AW_FEED_OK && p->alerts) { /* trails for patrol alerts, and their basis */
        aw_alerts_set_provenance(p->alerts, p->provenance);
        aw_alerts_report(p->alerts, r);
    }
    if (p->after_report)
        p->after_report(r, fed, p->hook_user);
    if (fed == AW_FEED_INVALID)
        return bad_line(p, "report refused: empty id, bad time, position off the globe or altitude past 1e7 ft");
    if (fed == AW_FEED_ERROR) {
        fprintf(p->log, "%s:%llu: out of memory\n", p->source, (unsigned long long)p->lines);
        p->failed = true;
        return -1;
    }
    return p->failed ? -1 : 0;
}

int pipeline_report(pipeline *p, const aw_report *r)
{
    if (pipeline_drain_ahead(p) < 0)
        return -1;
    p->lines++;
    return feed(p, r);
}

void pipeline_tick(pipeline *p)
{
    if (p->alerts)
        aw_alerts_tick(p->alerts);
    if (!p->store)
        return;
    if (aw_store_tick(p->store) < 0)
        pipeline_store_error(p, "cannot commit");
    else
        store_settled(p, true);
    /* Only what the store has committed is reported: after a crash, at least this many
     * events are in the file. */
    uint64_t n = aw_store_committed(p->store);
    if (p->progress && n != p->reported_committed)
        fprintf(p->log, "adizwatch: %s: %llu events committed\n", p->source, (unsigned long long)n);
    p->reported_committed = n;
}

void pipeline_get_stats(const pipeline *p, aw_pipeline_stats *out)
{
    memset(out, 0, sizeof *out);
    out->lines = p->lines;
    out->bad_lines = p->bad_lines;
    out->skipped_lines = p->skipped_lines;
    out->store_errors = p->store_errors;
    out->committed = p->store ? aw_store_committed(p->store) : 0;
    out->latest_time = p->latest_time > 0 ? p->latest_time : 0;
    pipeline_advice_counts(p, &out->advice, &out->intercepts);
    out->failed = p->failed;
    if (p->engine)
        pipeline_engine_stats(p, &out->engine);
}

int pipeline_store_provenance(pipeline *p, const char *format, const char *receiver)
{
    if (!p->store || p->provenance_stored)
        return 0;
    p->provenance_stored = true;
    aw_provenance pv = {p->source, format, p->provenance ? "simulated" : "recorded", receiver,
                        p->provenance};
    char err[256];
    if (aw_store_add_provenance(p->store, &pv, err, sizeof err) < 0) {
        pipeline_store_error(p, err);
        return -1;
    }
    return 0;
}

int pipeline_finish(pipeline *p)
{
    int rc = pipeline_drain(p); /* -1: a report fed at last stops the run, as --strict says */
    free(p->ahead);
    p->ahead = NULL;
    aw_engine_stats st;
    pipeline_engine_stats(p, &st);
    pipeline_threads_end(p);
    char stored[160] = "";
    if (p->store) {
        /* The final commit releases the held lines; its failure is the only thing the
         * "last commit" message speaks of (a --strict stop is not one). */
        int commit = aw_store_commit(p->store);
        store_settled(p, commit == 0);
        if (p->held.len > 0) { /* still in the open transaction: the close rolls it back */
            p->unprinted += p->held.lines;
            p->held.len = p->held.lines = 0;
        }
        uint64_t committed = aw_store_committed(p->store);
        if (aw_store_close(p->store) < 0)
            commit = -1;
        p->store = NULL;
        if (commit < 0) {
            fprintf(p->log, "adizwatch: store: the last commit failed\n");
            rc = -1;
        }
        snprintf(stored, sizeof stored, ", %llu new events stored, %llu store errors",
                 (unsigned long long)committed, (unsigned long long)p->store_errors);
        if (p->unprinted) {
            size_t len = strlen(stored);
            snprintf(stored + len, sizeof stored - len,
                     ", %llu events not printed (never committed)",
                     (unsigned long long)p->unprinted);
        }
    }
    if (pipeline_flush(p) < 0)
        rc = -1;
    free(p->text);
    free(p->held.data);
    p->text = p->held.data = NULL;
    if (!p->out_closed) { /* when the reader went away, nothing more is said */
        fprintf(p->log,
                "adizwatch: %s: %llu lines, %llu reports, %llu attribute-only, %llu tracks, "
                "%llu events, %llu dropped (stale/duplicate), %llu bad lines, %llu skipped "
                "lines, %llu visits still open%s\n",
                p->source, (unsigned long long)p->lines, (unsigned long long)st.reports,
                (unsigned long long)st.attribute_reports, (unsigned long long)st.tracks,
                (unsigned long long)st.events, (unsigned long long)st.dropped,
                (unsigned long long)p->bad_lines, (unsigned long long)p->skipped_lines,
                (unsigned long long)st.open_visits, stored);
        if (st.evicted)
            fprintf(p->log,
                    "adizwatch: %s: %llu tracks evicted to stay within --max-tracks (each "
                    "lost from the zones it was in)\n",
                    p->source, (unsigned long long)st.evicted);
    }
    aw_engine_free(p->engine);
    free(p->provenance);
    p->provenance = NULL;
    if (p->trail)
        id_table_free(&p->trail->ids);
    free(p->trail);
    return rc;
}

/* A decoded record becomes a report for the engine; records that name no aircraft
 * (no address, track number or squawk) or have no time are counted as skipped. */
void pipeline_record(const aw_decoded *d, double time, void *user)
{
    pipeline *p = user;
    aw_report r;
    if (p->failed || !isfinite(time) || !aw_decoded_to_report(d, time, &r)) {
        p->skipped_lines++;
        return;
    }
    if (pipeline_report(p, &r) < 0)
        p->failed = true; /* --strict, or the store failed: the rest is not fed */
}
