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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adizwatch/pipeline.h"
#include "pipeline/pipeline_internal.h"

struct aw_pipeline {
    pipeline p;
    bin_format bin;       /* BIN_NONE for the text formats */
    aw_format text;       /* the text format asked for (AW_FORMAT_AUTO: detect) */
    run_options ro;       /* what the binary decoders take: receiver, radar sites */
    double start;         /* NAN: the default clock rule */
    char *name;           /* the input's name in messages */
    FILE *log;            /* the messages' stream: on_message's, or stderr */
    aw_message_fn on_message;
    void *user;
    char line[1024];      /* a message being assembled */
    size_t len;
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

aw_pipeline *aw_pipeline_new(const aw_zone_set *zones, const aw_pipeline_options *opt,
                             char *err, size_t errlen)
{
    static const aw_pipeline_options defaults;
    if (!opt)
        opt = &defaults;
    aw_format text = AW_FORMAT_AUTO;
    bin_format bin = BIN_NONE;
    if (opt->format && bin_format_parse(opt->format, &bin) != 0 &&
        aw_format_parse(opt->format, &text) != 0) {
        snprintf(err, errlen, "unknown format '%s' (auto, csv, sbs, readsb, asterix, beast, raw)",
                 opt->format);
        return NULL;
    }
    if (opt->nsites < 0 || opt->nsites > AW_RADAR_SITES_MAX || (opt->nsites && !opt->sites)) {
        snprintf(err, errlen, "between 0 and %d radar sites", AW_RADAR_SITES_MAX);
        return NULL;
    }
    aw_pipeline *ap = calloc(1, sizeof *ap);
    if (!ap) {
        snprintf(err, errlen, "out of memory");
        return NULL;
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
    aw_store *store = NULL;
    if (ap->log && opt->db_path && !(store = aw_store_open(opt->db_path, err, errlen))) {
        aw_pipeline_close(ap);
        return NULL;
    }
    if (!ap->log || set_name(ap, "input") < 0 ||
        pipeline_init(&ap->p, zones, opt->timeout_s > 0 ? opt->timeout_s : AW_PIPELINE_TIMEOUT_S,
                      opt->max_tracks ? opt->max_tracks : AW_PIPELINE_MAX_TRACKS, NULL) < 0) {
        snprintf(err, errlen, "out of memory");
        if (store)
            aw_store_close(store);
        aw_pipeline_close(ap);
        return NULL;
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
    p->trail_interval_s = opt->trail_interval_s > 0   ? opt->trail_interval_s
                          : opt->trail_interval_s < 0 ? 0
                                                      : AW_PIPELINE_TRAIL_INTERVAL_S;
    p->on_event = opt->on_event;
    p->after_report = opt->on_report;
    p->hook_user = opt->user;
    ap->bin = bin;
    ap->text = text;
    ap->start = opt->start > 0 ? opt->start : NAN;
    ap->ro.start = ap->start;
    ap->ro.receiver_lat = opt->has_receiver ? opt->receiver_lat : NAN;
    ap->ro.receiver_lon = opt->has_receiver ? opt->receiver_lon : NAN;
    if (opt->nsites)
        memcpy(ap->ro.sites, opt->sites, (size_t)opt->nsites * sizeof *opt->sites);
    ap->ro.nsites = opt->nsites;
    if (opt->threads > 1 &&
        pipeline_threads(p, opt->threads, zones, opt->timeout_s > 0 ? opt->timeout_s : AW_PIPELINE_TIMEOUT_S,
                         opt->max_tracks ? opt->max_tracks : AW_PIPELINE_MAX_TRACKS) < 0) {
        snprintf(err, errlen, "cannot start %d threads", opt->threads);
        aw_pipeline_close(ap);
        return NULL;
    }
    return ap;
}

/* ---- inputs --------------------------------------------------------------------------- */

static int read_binary_file(aw_pipeline *ap, const char *path)
{
    bin_input in;
    if (bin_input_init(&in, ap->bin, &ap->ro, pipeline_record, &ap->p) < 0)
        return -1;
    in.log = ap->log;
    int rc = bin_input_file(&in, path, ap->start);
    if (rc == 0)
        bin_input_summary(&in);
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

/* Lines to the end of the input, as `adizwatch replay` reads them. */
static int read_lines(aw_pipeline *ap, int fd)
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
    return rc < 0 || p->failed ? -1 : 0;
}

int aw_pipeline_read_fd(aw_pipeline *ap, int fd, const char *name)
{
    aw_pipeline_restart(ap, name);
    if (ap->bin)
        return read_binary_fd(ap, fd);
    /* Read ahead only in a regular file, as replay does: through a pipe or a socket the
     * next line may be slow to come, and no report should wait for it (and with a store
     * or callbacks the engine's timing is seen: pipeline_read_ahead does nothing then). */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        pipeline_read_ahead(&ap->p);
    return read_lines(ap, fd);
}

int aw_pipeline_read_file(aw_pipeline *ap, const char *path)
{
    bool std_in = strcmp(path, "-") == 0;
    if (ap->bin) {
        aw_pipeline_restart(ap, std_in ? "stdin" : path);
        return read_binary_file(ap, path);
    }
    int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(ap->log, "adizwatch: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = aw_pipeline_read_fd(ap, fd, std_in ? "stdin" : path);
    if (!std_in)
        close(fd);
    return rc;
}

int aw_pipeline_line(aw_pipeline *ap, const char *line, size_t len)
{
    return pipeline_line(&ap->p, line, len) < 0 || ap->p.failed ? -1 : 0;
}

int aw_pipeline_report(aw_pipeline *ap, const aw_report *r)
{
    return pipeline_report(&ap->p, r) < 0 || ap->p.failed ? -1 : 0;
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
}

void aw_pipeline_tick(aw_pipeline *ap, double now)
{
    pipeline_drain(&ap->p);
    pipeline_expire(&ap->p, now);
    pipeline_tick(&ap->p);
}

void aw_pipeline_get_stats(const aw_pipeline *ap, aw_pipeline_stats *out)
{
    memset(out, 0, sizeof *out);
    out->lines = ap->p.lines;
    out->bad_lines = ap->p.bad_lines;
    out->skipped_lines = ap->p.skipped_lines;
    out->store_errors = ap->p.store_errors;
    out->committed = ap->p.store ? aw_store_committed(ap->p.store) : 0;
    if (ap->p.engine)
        pipeline_engine_stats(&ap->p, &out->engine);
}

int aw_pipeline_close(aw_pipeline *ap)
{
    if (!ap)
        return 0;
    int rc = 0;
    if (ap->p.engine) /* the summary, the store closed, the engine freed */
        rc = pipeline_finish(&ap->p) < 0 || ap->p.failed ? -1 : 0;
    if (ap->log && ap->log != stderr)
        fclose(ap->log);
    free(ap->name);
    free(ap);
    return rc;
}
