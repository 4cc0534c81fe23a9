/* json_writer.h -- JSON text appended to a caller's buffer the way snprintf writes: what
 * does not fit is cut (the buffer stays NUL-terminated), and the length the whole text
 * needs is still counted, so the caller can tell it was cut. Shared by the JSON forms of
 * decoded records and of advice events. */
#ifndef ADIZWATCH_JSON_WRITER_H
#define ADIZWATCH_JSON_WRITER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct json_writer {
    char *buf;
    size_t size; /* bytes of buf */
    size_t len;  /* bytes the text needs so far, without the NUL */
} json_writer;

static inline void json_put(json_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void json_put(json_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = w->len < w->size ? w->size - w->len : 0;
    int k = vsnprintf(room ? w->buf + w->len : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        w->len += (size_t)k;
}

#endif
