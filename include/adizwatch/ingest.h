/* ingest.h -- turning lines of text into position reports.
 *
 * Two text formats are read:
 *  - CSV with a header row naming the columns (adizwatch's own names, the OpenSky /
 *    traffic names, and OpenSky's raw state-vector names);
 *  - SBS-1 / BaseStation, the port-30003 text of dump1090 and readsb, whose date and
 *    time fields are the receiver's local clock.
 * Each parser takes one line (without its line end) and says whether it gave a report,
 * carried nothing for us, or was malformed -- with a reason a person can act on.
 * Parsers keep no hidden state: the CSV column map lives in a caller-owned struct. */
#ifndef ADIZWATCH_INGEST_H
#define ADIZWATCH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"
#include "export.h"

AW_BEGIN_DECLS

/* AW_FORMAT_READSB: readsb's JSON, one aircraft object per line (its JSON port), read by
 * aw_readsb_line in feeds.h; its aircraft.json snapshots and trace files are whole-file
 * formats read there too. */
typedef enum aw_format { AW_FORMAT_AUTO = 0, AW_FORMAT_CSV, AW_FORMAT_SBS, AW_FORMAT_READSB } aw_format;

typedef enum aw_parse_result {
    AW_PARSE_REPORT = 0, /* *out holds a report (check has_position) */
    AW_PARSE_SKIP = 1,   /* well-formed, but nothing for the engine (blank line, SBS "AIR"/"ID"...) */
    AW_PARSE_BAD = -1    /* malformed: err holds the reason */
} aw_parse_result;

/* Parse "csv", "sbs", "readsb", "auto"; returns -1 if unknown. */
int aw_format_parse(const char *name, aw_format *out);
/* Guess the format from the first non-empty line of the input ("{": readsb JSON). */
aw_format aw_format_detect(const char *line, size_t len);

/* ---- time ---------------------------------------------------------------------- */

/* Parse a time: ISO 8601 with a zone ("2022-11-30T03:48:00Z", "...+09:00", fractional
 * seconds allowed; a space may stand for the 'T') or Unix epoch seconds ("1669780080.5").
 * Returns 0 and sets *out (epoch seconds, UTC) or -1. A time without a zone is refused:
 * guessing the zone is how days get shifted by nine hours. So is one outside the years
 * 0001 to 9999 UTC, which no four-digit year could print. */
int aw_parse_time(const char *s, size_t len, double *out);

/* Parse a UTC offset "+09:00", "-0530", "+9", "Z"; returns 0 and seconds east of UTC, or -1. */
int aw_parse_tz_offset(const char *s, int *seconds_out);

/* An IANA zone name ("Asia/Seoul") present in the system's tz database? */
bool aw_tz_name_known(const char *name);
/* The offset east of UTC in force at time t for an offset ("+09:00") or an IANA name
 * (the C library's tz database; not thread-safe: it sets TZ for the call). 0, or -1. */
int aw_tz_offset_at(const char *spec, double t, int *offset_s);

/* ---- CSV ----------------------------------------------------------------------- */

/* Column positions found in the header; -1 = absent. */
typedef struct aw_csv_columns {
    int time, id, lat, lon, alt_ft, callsign, squawk, speed_kt, track_deg;
    double alt_scale;   /* multiply the altitude column by this to get feet (1, or 1/0.3048 for metres) */
    double speed_scale; /* multiply the speed column by this to get knots */
    int ncols;          /* number of columns in the header */
    bool assume_utc;    /* a time without a zone is UTC (--assume-utc); else it is refused */
} aw_csv_columns;

/* Read the header line. Fails (returns -1, reason in err) unless time, id, lat and lon
 * columns are all present. */
int aw_csv_header(const char *line, size_t len, aw_csv_columns *cols, char *err, size_t errlen);

/* Parse one data row. Fields may be quoted ("..." with "" for a quote). A row with both
 * lat and lon empty (OpenSky writes one each second, position or not) is an
 * attribute-only report, or AW_PARSE_SKIP when it carries nothing else either. */
aw_parse_result aw_csv_parse(const aw_csv_columns *cols, const char *line, size_t len,
                             aw_report *out, char *err, size_t errlen);

/* ---- SBS-1 / BaseStation ------------------------------------------------------- */

/* Parse one SBS line. tz_offset_s is the receiver clock's offset east of UTC (JST: 32400).
 * MSG 2 and 3 with a position give has_position = true; MSG 1 (callsign), 4 (speed,
 * track), 5, 6 (squawk), 7, 8 give attribute-only reports; SEL, ID, AIR, STA, CLK give
 * AW_PARSE_SKIP. The time is that of fields 7 and 8 (message generated). */
aw_parse_result aw_sbs_parse(const char *line, size_t len, int tz_offset_s,
                             aw_report *out, char *err, size_t errlen);

/* ---- comments ------------------------------------------------------------------ */

/* A line whose first character is '#' is a comment in CSV and SBS input alike: no
 * receiver writes one, so the readers skip it (counted as skipped). One comment means
 * something: the provenance line `simulate` writes first, AW_PROVENANCE_PREFIX then one
 * JSON object saying the tracks are simulated and from what (sim.h, docs/report.md). */
#define AW_PROVENANCE_PREFIX "# adizwatch-provenance "

/* Is this line a comment? */
bool aw_line_is_comment(const char *line, size_t len);
/* The JSON object of a provenance comment: a pointer into line and its length in
 * *json_len, or NULL when the line is not one. */
const char *aw_provenance_comment(const char *line, size_t len, size_t *json_len);

/* ---- lines from a file descriptor ---------------------------------------------- */

/* Splits a byte stream into lines, LF or CRLF, whatever the read sizes. A line longer
 * than max_line is reported once as too long and skipped up to its end. */
typedef struct aw_line_reader aw_line_reader;

/* A reader of fd (which stays the caller's to close), or NULL without memory; freed (NULL
 * allowed) by aw_line_reader_free. */
aw_line_reader *aw_line_reader_new(int fd, size_t max_line);
void aw_line_reader_free(aw_line_reader *r);
/* At end of input, is a last line without LF a line? Yes by default (files often end so);
 * a socket that closes mid-line has cut a line short, so a feed reader says no: the bytes
 * then stay pending (see aw_line_reader_pending) and are never given as a line. */
void aw_line_reader_keep_unterminated(aw_line_reader *r, bool keep);
/* Bytes held of a line whose LF has not come (0 inside an over-long line being skipped):
 * what is lost if the input ends now. */
size_t aw_line_reader_pending(const aw_line_reader *r);
/* Start over on a new descriptor (after a reconnect), dropping any partial line. */
void aw_line_reader_reset(aw_line_reader *r, int fd);

typedef enum aw_line_result {
    AW_LINE_OK = 0,       /* *line, *len: a line without its end, NUL-terminated, valid until the next call */
    AW_LINE_TOO_LONG = 1, /* a line longer than max_line was dropped */
    AW_LINE_AGAIN = 2,    /* no complete line yet (non-blocking descriptor, or EINTR) */
    AW_LINE_EOF = 3,      /* end of input (a last line without LF has been returned before this) */
    AW_LINE_ERROR = -1    /* read error; errno is set */
} aw_line_result;

/* The next line, reading the descriptor as needed (see aw_line_result). */
aw_line_result aw_line_reader_next(aw_line_reader *r, const char **line, size_t *len);

/* ---- TCP feeds ----------------------------------------------------------------- */

/* Connect to "HOST:PORT" ("[::1]:30003" for IPv6) as a TCP client. Returns a connected
 * socket, or -1 with a reason in err. */
int aw_tcp_connect(const char *hostport, char *err, size_t errlen);

AW_END_DECLS
#endif
