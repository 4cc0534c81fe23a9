/* json_input.c -- which reader a replay's inputs need, and the replay of the whole-file
 * JSON inputs: readsb aircraft.json snapshots and tar1090 globe-history traces.
 *
 * With --format auto the first bytes decide (src/ingest/sniff.c): a file nobody can read
 * stops the run before anything is fed, with the formats tried named. Snapshots and
 * traces come as many files or folders of them; they are put in time order first
 * (snapshots by their "now", traces by a k-way merge of their points) so that the engine
 * sees one clock, as it would from a live feed. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adizwatch/feeds.h"
#include "adizwatch/identify.h"
#include "adizwatch/sniff.h"
#include "pipeline/pipeline_internal.h"

/* ---- choosing the reader ------------------------------------------------------------- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The files of a folder tree (or the path itself), sorted by name. */
typedef struct file_list {
    char **paths;
    size_t n, cap;
} file_list;

static _Thread_local file_list *walking; /* nftw has no user pointer; one per thread, as
                                          * pipelines in two threads may walk at once */

static int add_path(file_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **grown = realloc(l->paths, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->paths = grown;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static int on_walk(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type != FTW_F)
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (base[0] == '.')
        return 0;
    return add_path(walking, path);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void file_list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
}

/* Every file named or under a folder named. -1 (reason in err) when one cannot be read. */
static int collect(const char *const *args, int nargs, file_list *l, char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    for (int i = 0; i < nargs; i++) {
        int rc;
        if (is_dir(args[i])) {
            walking = l;
            rc = nftw(args[i], on_walk, 16, FTW_PHYS);
        } else {
            rc = add_path(l, args[i]);
        }
        if (rc != 0) {
            snprintf(err, errlen, "cannot read %s", args[i]);
            file_list_free(l);
            return -1;
        }
    }
    qsort(l->paths, l->n, sizeof *l->paths, by_name);
    return 0;
}

int input_choose(const char *const *args, int nargs, input_choice *o, char *err, size_t errlen)
{
    if (o->binary || nargs < 1 || strcmp(args[0], "-") == 0)
        return 0;
    if (o->format != AW_FORMAT_AUTO && o->format != AW_FORMAT_READSB)
        return 0;
    /* A pipe or a FIFO (`replay <(zcat day.csv.gz)`) is read as stdin is, as text lines:
     * a look at its first bytes would take them from the reader. */
    struct stat st;
    if (!o->json && nargs == 1 && stat(args[0], &st) == 0 && !S_ISREG(st.st_mode) &&
        !S_ISDIR(st.st_mode))
        return 0;
    if (!o->json && nargs == 1 && !is_dir(args[0]) && o->format == AW_FORMAT_AUTO) {
        bool gz;
        char why[512];
        aw_input_kind k = aw_sniff_file(args[0], &gz, why, sizeof why);
        switch (k) {
        case AW_INPUT_UNKNOWN: snprintf(err, errlen, "%s", why); return -1;
        case AW_INPUT_CSV: case AW_INPUT_SBS: case AW_INPUT_READSB_LINES:
            if (gz) {
                snprintf(err, errlen, "%s is gzipped %s text: give it on stdin "
                                      "(zcat %s | adizwatch replay ... -)",
                         args[0], aw_input_kind_name(k), args[0]);
                return -1;
            }
            o->format = k == AW_INPUT_READSB_LINES ? AW_FORMAT_READSB : AW_FORMAT_AUTO;
            return 0;
        case AW_INPUT_SNAPSHOT: case AW_INPUT_TRACE: o->json = k; return 0;
        case AW_INPUT_BEAST: o->binary = BIN_BEAST; return 0;
        case AW_INPUT_RAWHEX: o->binary = BIN_RAW; return 0;
        case AW_INPUT_PCAP: case AW_INPUT_PCAPNG: case AW_INPUT_ASTERIX:
            o->binary = BIN_ASTERIX;
            return 0;
        }
        return 0;
    }
    /* Several files, a folder, or --format readsb: snapshots or traces, told by the first
     * file that is either (a readsb folder also holds receiver.json, stats.json). With
     * snapshots or traces already chosen, the folders are only checked for reading. */
    file_list l;
    if (collect(args, nargs, &l, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < l.n && !o->json; i++) {
        bool gz;
        char why[512];
        aw_input_kind k = aw_sniff_file(l.paths[i], &gz, why, sizeof why);
        if (k == AW_INPUT_SNAPSHOT || k == AW_INPUT_TRACE)
            o->json = k;
        else if (k == AW_INPUT_READSB_LINES && nargs == 1 && l.n == 1)
            break; /* --format readsb on a position stream: read as lines */
    }
    file_list_free(&l);
    if (!o->json && (nargs > 1 || is_dir(args[0]))) {
        snprintf(err, errlen, "no aircraft.json snapshot or trace file in %s%s (several "
                              "files or a folder are read only in those formats)",
                 args[0], nargs > 1 ? " ..." : "");
        return -1;
    }
    return 0;
}

/* ---- replay ----------------------------------------------------------------------------- */

static void bad_file(pipeline *p, const char *path, const char *reason)
{
    p->bad_lines++;
    if (p->bad_lines <= CLI_BAD_LINES_SHOWN)
        fprintf(p->log, "%s: bad file: %s\n", path, reason);
    if (p->strict)
        p->failed = true;
}

static void on_bad_trace(const char *path, const char *reason, void *user)
{
    bad_file(user, path, reason);
}

typedef struct snapshot_file {
    char *path;
    double now;
} snapshot_file;

static int by_now(const void *a, const void *b)
{
    const snapshot_file *x = a, *y = b;
    if (x->now != y->now)
        return (x->now > y->now) - (x->now < y->now);
    return strcmp(x->path, y->path);
}

/* The time of a snapshot file; NAN when it is not a snapshot. */
static double snapshot_time(const char *path)
{
    double now;
    return aw_readsb_snapshot_file_time(path, &now) == 0 ? now : NAN;
}

/* Set by the caller to end a replay early (serve on SIGTERM); NULL: never. */
typedef struct stop_check {
    bool (*fn)(void *user);
    void *user;
} stop_check;

static bool stopped(const pipeline *p, const stop_check *stop)
{
    return p->failed || (stop && stop->fn(stop->user));
}

static void replay_snapshots(pipeline *p, file_list *l, const stop_check *stop)
{
    snapshot_file *files = calloc(l->n ? l->n : 1, sizeof *files);
    aw_readsb_seen *seen = aw_readsb_seen_new();
    if (!files || !seen) {
        fprintf(p->log, "adizwatch: out of memory\n");
        p->failed = true;
        free(files);
        aw_readsb_seen_free(seen);
        return;
    }
    size_t n = 0, other = 0;
    for (size_t i = 0; i < l->n; i++) {
        double now = snapshot_time(l->paths[i]);
        if (isnan(now)) {
            other++;
            continue;
        }
        files[n].path = l->paths[i];
        files[n++].now = now;
    }
    qsort(files, n, sizeof *files, by_now);
    if (other)
        fprintf(p->log, "adizwatch: %zu files that are not aircraft.json snapshots skipped\n", other);
    for (size_t i = 0; i < n && !stopped(p, stop); i++) {
        char err[512];
        size_t len;
        char *text = aw_read_file_maybe_gz(files[i].path, &len, err, sizeof err);
        long given = text ? aw_readsb_snapshot(text, len, seen, pipeline_feed_report, p, NULL, err, sizeof err) : -1;
        if (given < 0)
            bad_file(p, files[i].path, err);
        free(text);
    }
    fprintf(p->log, "adizwatch: %zu aircraft.json snapshots read in time order\n", n);
    free(files);
    aw_readsb_seen_free(seen);
}

/* A file the trace merge should take: one that reads as a trace, or is named as one (so
 * that a damaged trace file is reported, not passed over in silence). */
static bool trace_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool gz;
    char err[512];
    return strncmp(base, "trace_", 6) == 0 || aw_sniff_file(path, &gz, err, sizeof err) == AW_INPUT_TRACE;
}

static void replay_traces(pipeline *p, file_list *l, const stop_check *stop)
{
    char err[256];
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (trace_file(l->paths[i]))
            l->paths[kept++] = l->paths[i];
        else
            free(l->paths[i]);
    }
    if (kept < l->n)
        fprintf(p->log, "adizwatch: %zu files that are not trace files skipped\n", l->n - kept);
    l->n = kept;
    aw_trace_merge *m = aw_trace_merge_new((const char *const *)l->paths, l->n, err, sizeof err);
    if (!m) {
        fprintf(p->log, "adizwatch: %s\n", err);
        p->failed = true;
        return;
    }
    aw_report r;
    aw_feed_info info;
    while (!stopped(p, stop) && aw_trace_merge_next(m, &r, &info, on_bad_trace, p) == 1)
        pipeline_feed_report(&r, &info, p);
    fprintf(p->log, "adizwatch: %zu trace files merged in time order, at most %zu decoded at once\n",
            l->n, aw_trace_merge_peak_open(m));
    aw_trace_merge_free(m);
}

int replay_json_paths(pipeline *p, const char *const *paths, int npaths, int kind,
                      bool (*stop)(void *user), void *user)
{
    file_list l;
    char err[512];
    if (collect(paths, npaths, &l, err, sizeof err) < 0) {
        fprintf(p->log, "adizwatch: %s\n", err);
        return -1;
    }
    stop_check sc = {stop, user};
    if (kind == AW_INPUT_TRACE)
        replay_traces(p, &l, stop ? &sc : NULL);
    else
        replay_snapshots(p, &l, stop ? &sc : NULL);
    file_list_free(&l);
    return p->failed ? -1 : 0;
}

int replay_json_into(pipeline *p, const char *path, int kind, bool (*stop)(void *user),
                     void *user)
{
    return replay_json_paths(p, &path, 1, kind, stop, user);
}
