/* json_scan.h -- a cursor over JSON text that reads numbers and strings in place and
 * skips whatever else, without building a tree.
 *
 * A day of globe-history traces is tens of millions of small arrays of numbers; building
 * a Jansson value for each number costs twenty times what the numbers are worth
 * (bench_feeds). The trace reader walks them with this cursor instead and hands only
 * the rare details object to Jansson. Every step checks the end of the text, so a file
 * cut short or garbled is an error, never a read past the buffer. Internal to src/ingest. */
#ifndef ADIZWATCH_INGEST_JSON_SCAN_H
#define ADIZWATCH_INGEST_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct json_scan {
    const char *p, *end;
    const char *start; /* of the text, for error offsets */
} json_scan;

/* Skip blanks; the next character, or '\0' at the end. */
char js_peek(json_scan *s);
/* If the next character is c, take it and return true. */
bool js_take(json_scan *s, char c);
/* Skip one value of any kind (nested ones whole). false when malformed or cut short. */
bool js_skip(json_scan *s);
/* A number: true and *out; false (nothing taken) when the next value is not a number. */
bool js_number(json_scan *s, double *out);
/* A string: true, *str pointing at its raw characters (escapes left as they are) and
 * *len; false (nothing taken) when the next value is not a string. */
bool js_string(json_scan *s, const char **str, size_t *len);
/* The literal null. */
bool js_null(json_scan *s);
/* The byte offset of the cursor, for messages. */
size_t js_offset(const json_scan *s);

#endif
