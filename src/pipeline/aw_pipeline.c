/* aw_pipeline.c -- the public face of the pipeline (adizwatch/pipeline.h).
 *
 * It is the command's own pipeline (pipeline.c, binary_input.c) behind an opaque handle:
 * the same parsing, counting, storing and wording, so a program that links the library
 * gets what `adizwatch replay` does. The command writes problems to stderr; here they go
 * through a stdio stream of our own (fopencookie) that hands each complete line to the
 * caller's on_message, so that not one message had to be rewritten for the library. */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adizwatch/feeds.h"
#include "adizwatch/pipeline.h"
#include "adizwatch/sniff.h"
#include "pipeline/pipeline_internal.h"

struct aw_pipeline {
    pipeline p;
    bin_format bin;       /* BIN_NONE for the text formats */
    aw_format text;       /* the text format asked for (AW_FORMAT_AUTO: detect) */
    int json;             /* AW_INPUT_SNAPSHOT or AW_INPUT_TRACE: whole-file JSON; 0 */
    bin_setup ro;         /* what the binary decoders take: receiver, radar sites */
    aw_radar_site sites[AW_RADAR_SITES_MAX];
    double start;         /* NAN: the default clock rule */
    char *name;           /* the input's name in messages */
    FILE *log;            /* the messages' stream: on_message's, or stderr */
    aw_message_fn on_message;
    void *user;
    char line[1024];      /* a message being assembled */
    size_t len;
    bin_input *stream;    /* a live binary input's decoding session (aw_pipeline_bytes) */
    aw_readsb_seen *seen; /* what aw_pipeline_snapshot's snapshots said before */
    char *outbox;         /* where alerts queue, for the closing words */
    double deliver_timeout_s;
    int tz_offset_s;      /* for the provenance's receiver */
    bool has_receiver;
};

/* ---- messages: complete lines to on_message ----------------------------------------- */

static void message_flush(aw_pipeline *ap)
{
    ap->line[ap->len] = '\0';
    ap->on_message(ap->line, ap->user);
    ap->len = 0;
}

static ssize_t message_write(void *cookie, const char *buf, size_t n)
{
    aw_pipeline *ap = cookie;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n')
            message_flush(ap);
        else if (ap->len < sizeof ap->line - 1) /* a longer line is cut, never lost whole */
            ap->line[ap->len++] = buf[i];
    }
    return (ssize_t)n;
}

static int message_close(void *cookie)
{
    aw_pipeline *ap = cookie;
    if (ap->len)
        message_flush(ap);
    return 0;
}

static int set_name(aw_pipeline *ap, const char *name)
{
    char *copy = strdup(name ? name : "input");
    if (!copy)
        return -1;
    free(ap->name);
    ap->name = copy;
    ap->p.source = copy;
    return 0;
}

/* A format name: text (AW_FORMAT_*), binary (BIN_*) or whole-file JSON (AW_INPUT_*). */
static int parse_format(const char *name, aw_format *text, bin_format *bin, int *json)
{
    *text = AW_FORMAT_AUTO;
    *bin = BIN_NONE;
    *json = 0;
    if (!name)
        return 0;
    if (strcmp(name, "snapshot") == 0)
        *json = AW_INPUT_SNAPSHOT;
    else if (strcmp(name, "trace") == 0)
        *json = AW_INPUT_TRACE;
    else if (bin_format_parse(name, bin) != 0 && aw_format_parse(name, text) != 0)
        return -1;
    return 0;
}

static const char *format_name(const input_choice *c)
{
    static const char *const text[] = {"auto", "csv", "sbs", "readsb"};
    if (c->binary)
        return bin_format_name(c->binary);
    if (c->json)
        return c->json == AW_INPUT_TRACE ? "trace" : "snapshot";
    return text[c->format];
}

int aw_pipeline_detect(const char *const *paths, int npaths, const char *format,
                       const char **chosen, char *err, size_t errlen)
{
    input_choice c;
    if (parse_format(format, &c.format, &c.binary, &c.json) < 0) {
        snprintf(err, errlen, "unknown format '%s'", format);
        return -1;
    }
    if (input_choose(paths, npaths, &c, err, errlen) < 0)
        return -1;
    *chosen = format_name(&c);
    return 0;
}

/* Undo a pipeline that could not be set up, saying nothing. */
static void discard(aw_pipeline *ap)
{
    pipeline *p = &ap->p;
    if (p->engine) {
        p->out = NULL;
        p->out_closed = true; /* no summary */
        pipeline_finish(p);
    } else if (p->store) {
        aw_store_close(p->store);
    }
    if (p->alerts)
        aw_alerts_free(p->alerts);
    aw_aircraft_db_free(p->alerts_db);
    pipeline_advice_stop(p, true);
    if (ap->log && ap->log != stderr)
        fclose(ap->log);
    free(ap->name);
    free(ap->outbox);
    free(ap);
}

static aw_pipeline *refuse(aw_pipeline *ap, aw_alert_rules *rules, int code)
{
    aw_alert_rules_free(rules);
    if (ap)
        discard(ap);
    errno = code;
    return NULL;
}

aw_pipeline *aw_pipeline_new(const aw_zone_set *zones, const aw_pipeline_options *opt,
                             char *err, size_t errlen)
{
    static const aw_pipeline_options defaults;
    if (!opt)
        opt = &defaults;
    aw_alert_rules *rules = opt->rules; /* ours from now on */
    aw_format text;
    bin_format bin;
    int json;
    if (parse_format(opt->format, &text, &bin, &json) < 0) {
        snprintf(err, errlen, "unknown format '%s' (auto, csv, sbs, readsb, snapshot, trace, "
                              "asterix, beast, raw)", opt->format);
        return refuse(NULL, rules, EINVAL);
    }
    if (opt->nsites < 0 || opt->nsites > AW_RADAR_SITES_MAX || (opt->nsites && !opt->sites)) {
        snprintf(err, errlen, "between 0 and %d radar sites", AW_RADAR_SITES_MAX);
        return refuse(NULL, rules, EINVAL);
    }
    if (rules && !opt->db_path && !opt->outbox) {
        snprintf(err, errlen, "alerts need an outbox: a store (db_path) or an outbox file");
        return refuse(NULL, rules, EINVAL);
    }
    aw_pipeline *ap = calloc(1, sizeof *ap);
    if (!ap) {
        snprintf(err, errlen, "out of memory");
        return refuse(NULL, rules, ENOMEM);
    }
    ap->on_message = opt->on_message;
    ap->user = opt->user;
    if (ap->on_message) {
        cookie_io_functions_t io = {.write = message_write, .close = message_close};
        ap->log = fopencookie(ap, "w", io);
        if (ap->log)
            setvbuf(ap->log, NULL, _IONBF, 0); /* each message as it is told */
    } else {
        ap->log = stderr;
    }
    if (!ap->log || set_name(ap, "input") < 0) {
        snprintf(err, errlen, "out of memory");
        return refuse(ap, rules, ENOMEM);
    }
    aw_store *store = NULL;
    if (opt->db_path && !(store = aw_store_open(opt->db_path, err, errlen)))
        return refuse(ap, rules, EIO);
    if (pipeline_init(&ap->p, zones, opt->timeout_s > 0 ? opt->timeout_s : AW_PIPELINE_TIMEOUT_S,
                      opt->max_tracks ? opt->max_tracks : AW_PIPELINE_MAX_TRACKS, NULL) < 0) {
        snprintf(err, errlen, "out of memory");
        aw_store_close(store);
        return refuse(ap, rules, ENOMEM);
    }
    pipeline *p = &ap->p;
    p->source = ap->name;
    p->store = store;
    p->out = opt->events_out;
    p->log = ap->log;
    p->format = text;
    p->tz_offset_s = opt->tz_offset_s;
    p->assume_utc = opt->assume_utc;
    p->strict = opt->strict;
    p->live = opt->live;
    p->progress = opt->progress;
    p->trail_interval_s = opt->trail_interval_s > 0   ? opt->trail_interval_s
                          : opt->trail_interval_s < 0 ? 0
                                                      : AW_PIPELINE_TRAIL_INTERVAL_S;
    p->on_event = opt->on_event;
    p->after_report = opt->on_report;
    p->hook_user = opt->user;
    ap->bin = bin;
    ap->text = text;
    ap->json = json;
    ap->start = opt->start > 0 ? opt->start : NAN;
    ap->ro.receiver_lat = opt->has_receiver ? opt->receiver_lat : NAN;
    ap->ro.receiver_lon = opt->has_receiver ? opt->receiver_lon : NAN;
    if (opt->nsites)
        memcpy(ap->sites, opt->sites, (size_t)opt->nsites * sizeof *opt->sites);
    ap->ro.sites = ap->sites;
    ap->ro.nsites = opt->nsites;
    ap->tz_offset_s = opt->tz_offset_s;
    ap->has_receiver = opt->has_receiver;
    ap->deliver_timeout_s = opt->deliver_timeout_s;
    if (opt->advise && pipeline_advice_start(p, zones, opt->aircraft_db, opt->friendly,
                                             opt->on_advice, opt->user, err, errlen) < 0)
        return refuse(ap, rules, EINVAL);
    if (rules) {
        ap->outbox = strdup(opt->db_path ? opt->db_path : opt->outbox);
        if (!ap->outbox) {
            snprintf(err, errlen, "out of memory");
            return refuse(ap, rules, ENOMEM);
        }
        int rc = pipeline_alerts_start(p, rules, ap->outbox, opt->aircraft_db, zones,
                                       opt->live, err, errlen);
        rules = NULL; /* taken, freed on failure */
        if (rc < 0)
            return refuse(ap, NULL, EINVAL);
    }
    if (bin && opt->live) { /* a binary feed: one decoding session over its connections */
        if (!(ap->stream = malloc(sizeof *ap->stream)) ||
            bin_input_init(ap->stream, bin, &ap->ro, pipeline_record, p) < 0) {
            free(ap->stream);
            ap->stream = NULL;
            snprintf(err, errlen, "out of memory");
            return refuse(ap, NULL, ENOMEM);
        }
        ap->stream->log = ap->log;
        ap->stream->source = ap->name;
    }
    if (opt->threads > 1 &&
        pipeline_threads(p, opt->threads, zones,
                         opt->timeout_s > 0 ? opt->timeout_s : AW_PIPELINE_TIMEOUT_S,
                         opt->max_tracks ? opt->max_tracks : AW_PIPELINE_MAX_TRACKS) < 0) {
        snprintf(err, errlen, "cannot start %d threads", opt->threads);
        return refuse(ap, NULL, ENOMEM);
    }
    return ap;
}

/* ---- inputs --------------------------------------------------------------------------- */

/* Where the input's positions came from, as given: an SBS receiver's clock, the
 * receiver's position (binary Mode S), or the radar sites. */
static const char *receiver_of(const aw_pipeline *ap, bin_format bin, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!bin && ap->tz_offset_s)
        snprintf(buf, n, "receiver clock UTC%+03d:%02d", ap->tz_offset_s / 3600,
                 abs(ap->tz_offset_s) / 60 % 60);
    else if (ap->has_receiver)
        snprintf(buf, n, "receiver at %.4f,%.4f", ap->ro.receiver_lat, ap->ro.receiver_lon);
    else if (ap->ro.nsites > 0)
        snprintf(buf, n, "%d radar site%s", ap->ro.nsites, ap->ro.nsites == 1 ? "" : "s");
    return buf;
}

/* The input's provenance into the store at its end (a live feed's goes with its first
 * line). */
static int store_provenance(aw_pipeline *ap, bin_format bin)
{
    if (ap->p.live)
        return 0;
    char receiver[64];
    const char *format = bin ? bin_format_name(bin) : ap->p.format == AW_FORMAT_SBS ? "sbs" : "csv";
    return pipeline_store_provenance(&ap->p, format, receiver_of(ap, bin, receiver, sizeof receiver));
}

static int read_binary_file(aw_pipeline *ap, bin_format bin, const char *path)
{
    bin_input in;
    if (bin_input_init(&in, bin, &ap->ro, pipeline_record, &ap->p) < 0)
        return -1;
    in.log = ap->log;
    in.source = ap->name;
    int rc = bin_input_file(&in, path, ap->start);
    if (rc == 0)
        bin_input_summary(&in);
    if (rc == 0 && store_provenance(ap, bin) < 0)
        rc = -1;
    bin_input_free(&in);
    return rc < 0 || ap->p.failed ? -1 : 0;
}

static int read_binary_fd(aw_pipeline *ap, int fd)
{
    bin_input in;
    if (bin_input_init(&in, ap->bin, &ap->ro, pipeline_record, &ap->p) < 0)
        return -1;
    in.log = ap->log;
    in.source = ap->name;
    uint8_t buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(ap->log, "adizwatch: reading %s: %s\n", ap->name, strerror(errno));
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        bin_input_stream(&in, buf, (size_t)n, (double)ts.tv_sec + ts.tv_nsec / 1e9);
        pipeline_tick(&ap->p);
    }
    bin_input_summary(&in);
    bin_input_free(&in);
    return n < 0 || ap->p.failed ? -1 : 0;
}

/* Lines to the end of the input, as `adizwatch replay` reads them. Through a pipe that
 * goes quiet the store still commits every second, and the events it has committed are
 * written (with a store they wait for the commit). */
static int read_lines(aw_pipeline *ap, int fd, bool regular)
{
    pipeline *p = &ap->p;
    aw_line_reader *lr = aw_line_reader_new(fd, 1 << 20);
    if (!lr) {
        fprintf(ap->log, "adizwatch: out of memory\n");
        return -1;
    }
    int rc = 0;
    for (;;) {
        const char *line;
        size_t len;
        if (!regular && aw_line_reader_pending(lr) == 0) {
            struct pollfd pfd = {fd, POLLIN, 0};
            if (poll(&pfd, 1, 250) == 0) {
                if (pipeline_drain(p) < 0) { /* out with what has come */
                    rc = -1;
                    break;
                }
                pipeline_tick(p);
                if (pipeline_flush(p) < 0) {
                    rc = -1;
                    break;
                }
                continue;
            }
        }
        aw_line_result res = aw_line_reader_next(lr, &line, &len);
        if (res == AW_LINE_OK)
            rc = pipeline_line(p, line, len);
        else if (res == AW_LINE_TOO_LONG)
            rc = pipeline_too_long(p);
        else if (res == AW_LINE_AGAIN)
            continue;
        else if (res == AW_LINE_EOF) {
            rc = pipeline_drain(p);
            break;
        } else {
            int saved = errno;
            if (pipeline_drain(p) == 0)
                fprintf(ap->log, "adizwatch: reading %s: %s\n", p->source, strerror(saved));
            rc = -1;
        }
        if (rc < 0)
            break;
        if ((p->lines & 1023) == 0)
            pipeline_tick(p);
    }
    aw_line_reader_free(lr);
    if (rc == 0 && store_provenance(ap, BIN_NONE) < 0)
        rc = -1;
    return rc < 0 || p->failed ? -1 : 0;
}

/* Text lines from fd, the format given (AW_FORMAT_AUTO: told by the first line). */
static int read_text_fd(aw_pipeline *ap, int fd, aw_format format)
{
    ap->p.format = format;
    /* Read ahead only in a regular file: through a pipe or a socket the next line may be
     * slow to come, and no report should wait for it (and with a store or callbacks the
     * engine's timing is seen: pipeline_read_ahead does nothing then). */
    struct stat st;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular)
        pipeline_read_ahead(&ap->p);
    return read_lines(ap, fd, regular);
}

int aw_pipeline_read_fd(aw_pipeline *ap, int fd, const char *name)
{
    aw_pipeline_restart(ap, name);
    if (ap->bin)
        return read_binary_fd(ap, fd);
    if (ap->json) {
        fprintf(ap->log, "adizwatch: %s: snapshots and traces are read from files\n", ap->name);
        return -1;
    }
    return read_text_fd(ap, fd, ap->text);
}

int aw_pipeline_read_file(aw_pipeline *ap, const char *path)
{
    bool std_in = strcmp(path, "-") == 0;
    input_choice c = {ap->text, ap->bin, ap->json};
    char err[700];
    if (!std_in && input_choose(&path, 1, &c, err, sizeof err) < 0) {
        fprintf(ap->log, "adizwatch: %s\n", err);
        return -1;
    }
    aw_pipeline_restart(ap, std_in ? "stdin" : path);
    if (c.json)
        return replay_json_paths(&ap->p, &path, 1, c.json, NULL, NULL);
    if (c.binary)
        return read_binary_file(ap, c.binary, path);
    int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(ap->log, "adizwatch: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = read_text_fd(ap, fd, c.format);
    if (!std_in)
        close(fd);
    return rc;
}

int aw_pipeline_read_paths(aw_pipeline *ap, const char *const *paths, int npaths)
{
    if (npaths == 1)
        return aw_pipeline_read_file(ap, paths[0]);
    input_choice c = {ap->text, ap->bin, ap->json};
    char err[700];
    if (input_choose(paths, npaths, &c, err, sizeof err) < 0) {
        fprintf(ap->log, "adizwatch: %s\n", err);
        return -1;
    }
    aw_pipeline_restart(ap, "input");
    return replay_json_paths(&ap->p, paths, npaths, c.json, NULL, NULL);
}

int aw_pipeline_line(aw_pipeline *ap, const char *line, size_t len)
{
    return pipeline_line(&ap->p, line, len) < 0 || ap->p.failed ? -1 : 0;
}

int aw_pipeline_report(aw_pipeline *ap, const aw_report *r)
{
    return pipeline_report(&ap->p, r) < 0 || ap->p.failed ? -1 : 0;
}

int aw_pipeline_bad_line(aw_pipeline *ap, const char *reason)
{
    return pipeline_bad_line(&ap->p, reason) < 0 || ap->p.failed ? -1 : 0;
}

int aw_pipeline_bytes(aw_pipeline *ap, const void *data, size_t len, double now)
{
    if (!ap->bin) {
        fprintf(ap->log, "adizwatch: %s: bytes are read in a binary format only\n", ap->name);
        return -1;
    }
    if (!ap->stream) { /* not live: a session all the same, told at the close */
        if (!(ap->stream = malloc(sizeof *ap->stream)) ||
            bin_input_init(ap->stream, ap->bin, &ap->ro, pipeline_record, &ap->p) < 0) {
            free(ap->stream);
            ap->stream = NULL;
            return -1;
        }
        ap->stream->log = ap->log;
        ap->stream->source = ap->name;
    }
    bin_input_stream(ap->stream, data, len, now);
    return ap->p.failed ? -1 : 0;
}

long aw_pipeline_snapshot(aw_pipeline *ap, const char *text, size_t len, double *now,
                          char *err, size_t errlen)
{
    if (!ap->seen && !(ap->seen = aw_readsb_seen_new())) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return aw_readsb_snapshot(text, len, ap->seen, pipeline_feed_report, &ap->p, now, err,
                              errlen);
}

void aw_pipeline_restart(aw_pipeline *ap, const char *name)
{
    pipeline_drain(&ap->p);
    free(ap->p.ahead); /* the next input reads ahead only if it is a regular file */
    ap->p.ahead = NULL;
    pipeline_restart(&ap->p);
    ap->p.format = ap->text;
    if (set_name(ap, name) < 0)
        ap->p.source = "input";
    if (ap->stream) {
        ap->stream->npending = 0; /* a new stream: no partial frame carries over */
        ap->stream->source = ap->p.source;
    }
}

int aw_pipeline_tick(aw_pipeline *ap, double now)
{
    pipeline_drain(&ap->p);
    if (!isnan(now))
        pipeline_expire(&ap->p, now);
    pipeline_tick(&ap->p);
    return ap->p.failed ? -1 : 0;
}

int aw_pipeline_flush(aw_pipeline *ap)
{
    return pipeline_flush(&ap->p) < 0 || ap->p.failed ? -1 : 0;
}

aw_alerts *aw_pipeline_alerts(aw_pipeline *ap) { return ap->p.alerts; }

void aw_pipeline_get_stats(const aw_pipeline *ap, aw_pipeline_stats *out)
{
    pipeline_get_stats(&ap->p, out);
}

int aw_pipeline_close(aw_pipeline *ap)
{
    if (!ap)
        return 0;
    pipeline *p = &ap->p;
    if (ap->stream) {
        bin_input_summary(ap->stream);
        bin_input_free(ap->stream);
        free(ap->stream);
    }
    aw_readsb_seen_free(ap->seen);
    /* the summary, the store closed, the engine freed */
    int rc = pipeline_finish(p) < 0 || p->failed ? -1 : 0;
    int arc = pipeline_alerts_finish(p, ap->deliver_timeout_s, ap->outbox);
    pipeline_advice_stop(p, false);
    if (ap->log != stderr)
        fclose(ap->log);
    free(ap->name);
    free(ap->outbox);
    free(ap);
    return rc < 0 || arc < 0 ? -1 : arc;
}
