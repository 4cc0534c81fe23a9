/* binary_input.c -- binary and frame inputs for the CLI: ASTERIX (raw blocks or pcap),
 * Beast binary, raw hex. Shared by `decode`, `replay` and `watch`.
 *
 * The decoders give records; this file gives them a time, by the rules of
 * docs/decode.md: ASTERIX carries only a time of day, placed on the day nearest a
 * reference (the pcap packet time, --start, the file's modification time, or now when
 * live); Beast and "@" raw-hex frames carry a 12 MHz counter of unknown origin, which
 * is laid from --start (first frame) or so that the last frame falls on the file's
 * modification time; live frames take the time they arrive. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "adizwatch/feeds.h"
#include "pipeline/pipeline_internal.h"

#define MLAT_HZ 12e6

/* --format's names of the binary formats, by bin_format. */
static const char *const bin_names[] = {[BIN_ASTERIX] = "asterix", [BIN_BEAST] = "beast",
                                        [BIN_RAW] = "raw"};

int bin_format_parse(const char *name, bin_format *out)
{
    for (int f = BIN_ASTERIX; f <= BIN_RAW; f++)
        if (strcmp(name, bin_names[f]) == 0) {
            *out = (bin_format)f;
            return 0;
        }
    return -1;
}

const char *bin_format_name(bin_format f)
{
    return f >= BIN_ASTERIX && f <= BIN_RAW ? bin_names[f] : "binary";
}

int bin_input_init(bin_input *in, bin_format f, const bin_setup *o, bin_record_fn fn,
                   void *user)
{
    memset(in, 0, sizeof *in);
    in->log = stderr;
    in->format = f;
    in->fn = fn;
    in->user = user;
    in->clock_ref = NAN;
    in->last_time = NAN;
    in->source = "input";
    aw_modes_options mo = {o ? o->receiver_lat : NAN, o ? o->receiver_lon : NAN};
    in->modes = aw_modes_decoder_new(&mo);
    if (!in->modes) {
        fprintf(in->log, "adizwatch: out of memory\n");
        return -1;
    }
    if (o && o->nsites > 0) {
        memcpy(in->asterix.sites, o->sites, (size_t)o->nsites * sizeof *o->sites);
        in->asterix.nsites = o->nsites;
    }
    return 0;
}

void bin_input_free(bin_input *in)
{
    aw_modes_decoder_free(in->modes);
    free(in->pending);
    in->modes = NULL;
    in->pending = NULL;
}

/* A time of day (s since 00:00 UTC) on the day that puts it nearest ref. */
static double tod_to_epoch(double tod, double ref)
{
    if (!isfinite(tod) || !isfinite(ref))
        return NAN;
    double day = floor(ref / 86400.0) * 86400.0;
    double best = day + tod;
    for (int k = -1; k <= 1; k += 2)
        if (fabs(day + k * 86400.0 + tod - ref) < fabs(best - ref))
            best = day + k * 86400.0 + tod;
    return best;
}

typedef struct asterix_cb {
    bin_input *in;
    double ref;
} asterix_cb;

static void on_asterix(const aw_decoded *d, void *user)
{
    asterix_cb *cb = user;
    cb->in->records++;
    cb->in->fn(d, tod_to_epoch(d->time_of_day, cb->ref), cb->in->user);
}

static void asterix_bytes(bin_input *in, const uint8_t *buf, size_t len, double ref, bool final,
                          size_t *used)
{
    asterix_cb cb = {in, ref};
    char err[256] = "";
    uint64_t bad_before = in->asterix.bad_blocks;
    *used = aw_asterix_decode(&in->asterix, buf, len, on_asterix, &cb, err, sizeof err);
    if (in->asterix.bad_blocks != bad_before) {
        in->bad += in->asterix.bad_blocks - bad_before;
        if (in->bad <= CLI_BAD_LINES_SHOWN)
            fprintf(in->log, "%s: bad ASTERIX data: %s\n", in->source, err);
    }
    if (final && *used < len) {
        in->bad++;
        fprintf(in->log, "%s: %zu bytes at the end are not a whole ASTERIX block\n", in->source,
                len - *used);
        *used = len;
    }
}

/* The time of a Mode S frame: its MLAT counter laid on clock_ref, else clock_ref. */
static double frame_time(bin_input *in, const aw_modes_frame *f)
{
    if (isfinite(f->time))
        return f->time; /* a timestamped line: its own wall-clock time */
    if (!f->has_mlat)
        return in->clock_ref;
    if (!in->have_first_tick) {
        in->have_first_tick = true;
        in->first_tick = in->last_tick = f->mlat_ticks;
        in->last_time = in->clock_ref;
        return in->last_time;
    }
    /* A counter that goes back (receiver restart, another receiver) does not turn time
     * back: the clock holds until it moves forward again. */
    if (f->mlat_ticks > in->last_tick)
        in->last_time += (double)(f->mlat_ticks - in->last_tick) / MLAT_HZ;
    in->last_tick = f->mlat_ticks;
    return in->last_time;
}

static void modes_frame(bin_input *in, const aw_modes_frame *f, double t)
{
    in->frames++;
    if (in->frame_fn) {
        in->frame_fn(f, in->user);
        return;
    }
    if (f->len == 2) {
        in->skipped++; /* Mode A/C: no address to attach it to */
        return;
    }
    aw_decoded d;
    char err[160];
    aw_decode_result res = aw_modes_decode(in->modes, f->data, f->len, t, &d, err, sizeof err);
    if (res == AW_DECODE_BAD) {
        in->bad++;
        if (in->bad <= CLI_BAD_LINES_SHOWN)
            fprintf(in->log, "%s: frame %llu: %s\n", in->source, (unsigned long long)in->frames,
                    err);
        return;
    }
    if (res == AW_DECODE_SKIP) {
        in->skipped++;
        return;
    }
    in->records++;
    in->fn(&d, t, in->user);
}

/* Beast bytes; returns how many were consumed (a partial frame at the end is kept
 * unless final). live_now finite: frames get that time. */
static size_t beast_bytes(bin_input *in, const uint8_t *buf, size_t len, bool final, double live_now)
{
    size_t pos = 0;
    while (pos < len) {
        aw_modes_frame f;
        size_t used;
        aw_frame_result r = aw_beast_next(buf + pos, len - pos, &used, &f);
        if (r == AW_FRAME_MORE) {
            if (final) {
                in->bad++;
                fprintf(in->log, "%s: the last Beast frame is cut short\n", in->source);
                return len;
            }
            return pos;
        }
        pos += used;
        if (r == AW_FRAME_BAD) {
            in->bad++;
            if (in->bad <= CLI_BAD_LINES_SHOWN)
                fprintf(in->log, "%s: byte %zu: not a Beast frame (%zu bytes skipped)\n",
                        in->source, pos - used, used);
            continue;
        }
        modes_frame(in, &f, isfinite(live_now) ? live_now : frame_time(in, &f));
    }
    return pos;
}

/* Raw-hex lines; returns the bytes consumed (up to the last complete line unless final). */
static size_t raw_bytes(bin_input *in, const uint8_t *buf, size_t len, bool final, double live_now)
{
    size_t pos = 0;
    while (pos < len) {
        const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
        if (!nl && !final)
            return pos;
        size_t end = nl ? (size_t)(nl - buf) : len;
        const char *line = (const char *)buf + pos;
        size_t n = end - pos;
        pos = nl ? end + 1 : len;
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (n == 0)
            continue;
        aw_modes_frame f;
        if (aw_rawhex_parse(line, n, &f) < 0) {
            in->bad++;
            if (in->bad <= CLI_BAD_LINES_SHOWN)
                fprintf(in->log, "%s: not a raw-hex frame: %.*s\n", in->source,
                        (int)(n > 60 ? 60 : n), line);
            continue;
        }
        modes_frame(in, &f, isfinite(live_now) ? live_now : frame_time(in, &f));
    }
    return pos;
}

/* Seconds the MLAT clock advances over the whole input (counter steps back ignored). */
static double mlat_span(bin_input *in, const uint8_t *buf, size_t len)
{
    uint64_t prev = 0, total = 0;
    bool have = false;
    size_t pos = 0;
    while (pos < len) {
        aw_modes_frame f;
        size_t used;
        bool ok;
        if (in->format == BIN_BEAST) {
            aw_frame_result r = aw_beast_next(buf + pos, len - pos, &used, &f);
            if (r == AW_FRAME_MORE)
                break;
            ok = r == AW_FRAME_OK;
        } else {
            const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
            size_t end = nl ? (size_t)(nl - buf) : len;
            used = (nl ? end + 1 : len) - pos;
            ok = aw_rawhex_parse((const char *)buf + pos, end - pos, &f) == 0;
        }
        pos += used;
        if (!ok || !f.has_mlat)
            continue;
        if (have && f.mlat_ticks > prev)
            total += f.mlat_ticks - prev;
        prev = f.mlat_ticks;
        have = true;
    }
    return (double)total / MLAT_HZ;
}

int bin_input_file(bin_input *in, const char *path, double start)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        fprintf(in->log, "adizwatch: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    in->source = fp == stdin ? "stdin" : path;
    double mtime = (double)time(NULL);
    struct stat st;
    if (fp != stdin && fstat(fileno(fp), &st) == 0)
        mtime = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9;
    size_t len = 0;
    uint8_t *buf = NULL;
    bool read_error;
    if (fp == stdin) {
        size_t cap = 1 << 16;
        buf = malloc(cap);
        for (;;) {
            if (!buf) {
                fprintf(in->log, "adizwatch: out of memory reading %s\n", path);
                return -1;
            }
            size_t n = fread(buf + len, 1, cap - len, fp);
            len += n;
            if (n == 0)
                break;
            if (len == cap) {
                uint8_t *nb = realloc(buf, cap *= 2);
                if (!nb)
                    free(buf);
                buf = nb;
            }
        }
        read_error = ferror(fp);
    } else {
        /* Through zlib, which reads a gzipped capture as well as a plain one. */
        fclose(fp);
        char err[512];
        buf = (uint8_t *)aw_read_file_maybe_gz(path, &len, err, sizeof err);
        read_error = !buf;
        if (!buf)
            fprintf(in->log, "adizwatch: %s\n", err);
    }
    if (read_error) {
        fprintf(in->log, "adizwatch: reading %s failed\n", path);
        free(buf);
        return -1;
    }
    if (in->format == BIN_ASTERIX) {
        aw_pcap_reader pr;
        char err[256];
        size_t used;
        if (len >= 4 && aw_pcap_open(&pr, buf, len, err, sizeof err) == 0) {
            const uint8_t *payload;
            size_t plen;
            double t;
            int r;
            while ((r = aw_pcap_next_udp(&pr, &payload, &plen, &t, err, sizeof err)) == 1)
                asterix_bytes(in, payload, plen, t, true, &used);
            if (r < 0) {
                in->bad++;
                fprintf(in->log, "%s: %s\n", in->source, err);
            }
            in->skipped += pr.skipped;
        } else {
            asterix_bytes(in, buf, len, isfinite(start) ? start : mtime, true, &used);
        }
    } else {
        in->clock_ref = isfinite(start) ? start : mtime - mlat_span(in, buf, len);
        if (in->format == BIN_BEAST)
            beast_bytes(in, buf, len, true, NAN);
        else
            raw_bytes(in, buf, len, true, NAN);
    }
    free(buf);
    return 0;
}

void bin_input_stream(bin_input *in, const uint8_t *buf, size_t len, double now)
{
    if (in->npending + len > in->cap) {
        size_t ncap = (in->npending + len) * 2;
        uint8_t *np = realloc(in->pending, ncap);
        if (!np) {
            in->bad++;
            fprintf(in->log, "%s: out of memory; %zu bytes dropped\n", in->source, len);
            return;
        }
        in->pending = np;
        in->cap = ncap;
    }
    memcpy(in->pending + in->npending, buf, len);
    in->npending += len;
    size_t used;
    if (in->format == BIN_ASTERIX)
        asterix_bytes(in, in->pending, in->npending, now, false, &used);
    else if (in->format == BIN_BEAST)
        used = beast_bytes(in, in->pending, in->npending, false, now);
    else
        used = raw_bytes(in, in->pending, in->npending, false, now);
    memmove(in->pending, in->pending + used, in->npending - used);
    in->npending -= used;
    if (in->npending > (1u << 20)) { /* a "line" or block that never ends */
        in->bad++;
        fprintf(in->log, "%s: 1 MiB without a complete frame; dropped\n", in->source);
        in->npending = 0;
    }
}

void bin_input_summary(const bin_input *in)
{
    if (in->format == BIN_ASTERIX)
        fprintf(in->log,
                "adizwatch: %s: %llu ASTERIX blocks, %llu records decoded, %llu bad blocks, "
                "%llu blocks of other categories skipped\n",
                in->source, (unsigned long long)in->asterix.blocks,
                (unsigned long long)in->records, (unsigned long long)in->bad,
                (unsigned long long)in->asterix.skipped_blocks);
    else
        fprintf(in->log,
                "adizwatch: %s: %llu frames, %llu records decoded, %llu bad, %llu skipped\n",
                in->source, (unsigned long long)in->frames, (unsigned long long)in->records,
                (unsigned long long)in->bad, (unsigned long long)in->skipped);
}
