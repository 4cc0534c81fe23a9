/* line_reader.c -- splitting a byte stream (file, pipe, socket) into lines.
 *
 * read() hands back whatever the kernel has, so a line can arrive in pieces and a piece
 * can hold many lines. This buffers just enough to give whole lines back without a copy,
 * and bounds memory: a feed that never sends a newline must not grow the buffer forever,
 * so an over-long line is reported once and then discarded as it streams past. */
#include <errno.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/ingest.h"

#define MIN_BUFFER 65536 /* small limits still want large reads */

struct aw_line_reader {
    int fd;
    size_t max_line;
    char *buf;
    size_t cap;      /* allocated bytes */
    size_t limit;    /* the most cap may grow to */
    size_t start;    /* first byte of the pending line */
    size_t scanned;  /* bytes before this hold no LF */
    size_t end;      /* end of the data read */
    bool skipping;   /* inside an over-long line: drop bytes up to its LF */
    bool eof;
    bool drop_unterminated; /* at EOF, keep a last line without LF pending, not given */
};

aw_line_reader *aw_line_reader_new(int fd, size_t max_line)
{
    aw_line_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fd = fd;
    if (max_line > SIZE_MAX / 2) /* keeps the arithmetic below clear of overflow */
        max_line = SIZE_MAX / 2;
    r->max_line = max_line;
    /* A line of max_line bytes plus CR, LF and the NUL we write over the line end. */
    r->limit = max_line + 3 > MIN_BUFFER ? max_line + 3 : MIN_BUFFER;
    r->cap = MIN_BUFFER;
    r->buf = malloc(r->cap);
    if (!r->buf) {
        free(r);
        return NULL;
    }
    return r;
}

void aw_line_reader_free(aw_line_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}

void aw_line_reader_keep_unterminated(aw_line_reader *r, bool keep)
{
    r->drop_unterminated = !keep;
}

size_t aw_line_reader_pending(const aw_line_reader *r)
{
    return r->skipping ? 0 : r->end - r->start;
}

void aw_line_reader_reset(aw_line_reader *r, int fd)
{
    r->fd = fd;
    r->start = r->scanned = r->end = 0;
    r->skipping = false;
    r->eof = false;
}

/* Hand out buf[start, stop) as a line, minus a CR before the LF; the caller moves start.
 * The byte after the line is ours (LF, CR or spare room), so the line is NUL-terminated
 * too, which callers may find convenient. */
static aw_line_result give(aw_line_reader *r, size_t stop, const char **line, size_t *len)
{
    size_t n = stop - r->start;
    if (n && r->buf[stop - 1] == '\r')
        n--;
    if (n > r->max_line)
        return AW_LINE_TOO_LONG;
    r->buf[r->start + n] = '\0';
    *line = r->buf + r->start;
    *len = n;
    return AW_LINE_OK;
}

aw_line_result aw_line_reader_next(aw_line_reader *r, const char **line, size_t *len)
{
    for (;;) {
        char *lf = memchr(r->buf + r->scanned, '\n', r->end - r->scanned);
        if (lf) {
            size_t stop = (size_t)(lf - r->buf);
            aw_line_result res = AW_LINE_OK;
            if (!r->skipping)
                res = give(r, stop, line, len);
            r->start = r->scanned = stop + 1;
            if (r->skipping) {
                r->skipping = false; /* that was the tail of a line already reported */
                continue;
            }
            return res;
        }
        r->scanned = r->end;

        if (r->eof) {
            if (r->start == r->end || r->skipping) {
                r->start = r->scanned = r->end;
                r->skipping = false;
                return AW_LINE_EOF;
            }
            if (r->drop_unterminated)
                return AW_LINE_EOF; /* the cut-off line stays pending for the caller to count */
            /* A last line without LF. The read below left a spare byte for its NUL. */
            aw_line_result res = give(r, r->end, line, len);
            r->start = r->scanned = r->end;
            return res;
        }

        if (r->skipping) {
            r->start = r->scanned = r->end = 0;
        } else if (r->end - r->start > r->max_line + 1) {
            /* Longer than any line with a CRLF end could be: report it once, then drop
             * the rest as it arrives. */
            r->start = r->scanned = r->end = 0;
            r->skipping = true;
            return AW_LINE_TOO_LONG;
        }

        /* Make room: slide the pending partial line to the front, grow if it fills all. */
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->scanned -= r->start;
            r->start = 0;
        }
        if (r->end + 1 >= r->cap && r->cap < r->limit) {
            size_t cap = r->cap * 2 < r->limit ? r->cap * 2 : r->limit;
            char *nb = realloc(r->buf, cap);
            if (!nb)
                return AW_LINE_ERROR; /* errno is ENOMEM */
            r->buf = nb;
            r->cap = cap;
        }

        ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
        if (got > 0)
            r->end += (size_t)got;
        else if (got == 0)
            r->eof = true;
        else if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            return AW_LINE_AGAIN;
        else
            return AW_LINE_ERROR;
    }
}
