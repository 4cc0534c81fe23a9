/* csv.c -- CSV position reports: header mapping and row parsing.
 *
 * CSV is how recorded traffic arrives (adizwatch's own exports, OpenSky state vectors,
 * the traffic library), each with its own column names and units, so the header is
 * mapped once into an aw_csv_columns and every row is read through that map. Rows are
 * parsed in place -- fields are pointer+length spans into the caller's line, and numbers
 * go through a small stack copy -- because this runs at millions of lines a second. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "field.h"

#define FEET_PER_METRE (1.0 / 0.3048)
#define KNOTS_PER_MPS (1.0 / 0.514444)

/* ---- format names ------------------------------------------------------------------ */

static bool ascii_eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (aw_field_lower(*a) != aw_field_lower(*b))
            return false;
    return *a == *b;
}

int aw_format_parse(const char *name, aw_format *out)
{
    if (!name)
        return -1;
    if (ascii_eq_nocase(name, "auto"))
        *out = AW_FORMAT_AUTO;
    else if (ascii_eq_nocase(name, "csv"))
        *out = AW_FORMAT_CSV;
    else if (ascii_eq_nocase(name, "sbs"))
        *out = AW_FORMAT_SBS;
    else if (ascii_eq_nocase(name, "readsb"))
        *out = AW_FORMAT_READSB;
    else
        return -1;
    return 0;
}

aw_format aw_format_detect(const char *line, size_t len)
{
    /* SBS lines always start with their message type; a CSV header never names a
     * column "MSG" and the like. */
    static const char *const sbs_types[] = {"MSG,", "SEL,", "ID,", "AIR,", "STA,", "CLK,"};
    for (size_t i = 0; i < sizeof sbs_types / sizeof sbs_types[0]; i++) {
        size_t n = strlen(sbs_types[i]);
        if (len >= n && memcmp(line, sbs_types[i], n) == 0)
            return AW_FORMAT_SBS;
    }
    if (len > 0 && line[0] == '{')
        return AW_FORMAT_READSB;
    return AW_FORMAT_CSV;
}

/* ---- fields ------------------------------------------------------------------------ */

/* ---- header ------------------------------------------------------------------------ */

/* Roles in the order the column indices appear in aw_csv_columns. */
enum role { R_TIME, R_ID, R_LAT, R_LON, R_ALT, R_CALLSIGN, R_SQUAWK, R_SPEED, R_TRACK, R_COUNT };

/* The name each role is called by in error messages. */
static const char *const role_names[R_COUNT] = {"time",     "id",     "lat",   "lon",  "altitude",
                                                "callsign", "squawk", "speed", "track"};

/* Accepted header names per role, best first; scale is the unit conversion. */
typedef struct alias {
    const char *name;
    double scale;
} alias;

static const alias aliases_time[] = {{"time", 1}, {"timestamp", 1}, {NULL, 0}};
static const alias aliases_id[] = {{"id", 1}, {"icao24", 1}, {NULL, 0}};
static const alias aliases_lat[] = {{"lat", 1}, {"latitude", 1}, {NULL, 0}};
static const alias aliases_lon[] = {{"lon", 1}, {"longitude", 1}, {"lng", 1}, {NULL, 0}};
/* Feet first: a file with both units is an export that already converted. OpenSky's raw
 * state vectors give metres; barometric is what ADIZ rules and our reports speak. */
static const alias aliases_alt[] = {{"alt_ft", 1},
                                    {"altitude", 1},
                                    {"baroaltitude", FEET_PER_METRE},
                                    {"geoaltitude", FEET_PER_METRE},
                                    {NULL, 0}};
static const alias aliases_callsign[] = {{"callsign", 1}, {NULL, 0}};
static const alias aliases_squawk[] = {{"squawk", 1}, {NULL, 0}};
static const alias aliases_speed[] = {
    {"speed_kt", 1}, {"groundspeed", 1}, {"velocity", KNOTS_PER_MPS}, {NULL, 0}};
static const alias aliases_track[] = {
    {"track_deg", 1}, {"track", 1}, {"heading", 1}, {NULL, 0}};

static const alias *const role_aliases[R_COUNT] = {
    aliases_time,     aliases_id,     aliases_lat,   aliases_lon,  aliases_alt,
    aliases_callsign, aliases_squawk, aliases_speed, aliases_track};

static int *role_slot(aw_csv_columns *c, int role)
{
    switch (role) {
    case R_TIME: return &c->time;
    case R_ID: return &c->id;
    case R_LAT: return &c->lat;
    case R_LON: return &c->lon;
    case R_ALT: return &c->alt_ft;
    case R_CALLSIGN: return &c->callsign;
    case R_SQUAWK: return &c->squawk;
    case R_SPEED: return &c->speed_kt;
    default: return &c->track_deg;
    }
}

static void role_columns(const aw_csv_columns *c, int idx[R_COUNT])
{
    idx[R_TIME] = c->time;
    idx[R_ID] = c->id;
    idx[R_LAT] = c->lat;
    idx[R_LON] = c->lon;
    idx[R_ALT] = c->alt_ft;
    idx[R_CALLSIGN] = c->callsign;
    idx[R_SQUAWK] = c->squawk;
    idx[R_SPEED] = c->speed_kt;
    idx[R_TRACK] = c->track_deg;
}

int aw_csv_header(const char *line, size_t len, aw_csv_columns *cols, char *err, size_t errlen)
{
    int rank[R_COUNT]; /* alias rank of the column chosen so far per role */
    for (int r = 0; r < R_COUNT; r++) {
        *role_slot(cols, r) = -1;
        rank[r] = 1 << 30;
    }
    cols->alt_scale = 1;
    cols->speed_scale = 1;
    cols->ncols = 0;
    cols->assume_utc = false; /* the caller's choice, set after the header */

    if (len && line[len - 1] == '\r')
        len--;
    /* Spreadsheet exports often start with a UTF-8 byte order mark. */
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        len -= 3;
    }

    size_t pos = 0;
    for (int col = 0;; col++) {
        size_t end;
        if (!aw_field_csv_end(line, len, pos, &end)) {
            snprintf(err, errlen, "header column %d has an unterminated quote", col + 1);
            return -1;
        }
        char name[64];
        int n = aw_field_csv_copy((span){line + pos, end - pos}, name, sizeof name);
        if (n > 0) {
            for (int i = 0; i < n; i++)
                name[i] = aw_field_lower(name[i]);
            for (int r = 0; r < R_COUNT; r++)
                for (int a = 0; role_aliases[r][a].name; a++)
                    if (a < rank[r] && strcmp(name, role_aliases[r][a].name) == 0) {
                        *role_slot(cols, r) = col;
                        rank[r] = a;
                        if (r == R_ALT)
                            cols->alt_scale = role_aliases[r][a].scale;
                        else if (r == R_SPEED)
                            cols->speed_scale = role_aliases[r][a].scale;
                    }
        }
        cols->ncols = col + 1;
        if (end >= len)
            break;
        pos = end + 1;
    }

    /* Name every missing required column, with the names we would have taken. */
    size_t used = 0;
    for (int r = R_TIME; r <= R_LON; r++) {
        if (*role_slot(cols, r) >= 0)
            continue;
        char names[96] = "";
        size_t nn = 0;
        for (int a = 0; role_aliases[r][a].name; a++)
            nn += (size_t)snprintf(names + nn, sizeof names - nn, "%s%s", a ? ", " : "",
                                   role_aliases[r][a].name);
        int w = snprintf(err && used < errlen ? err + used : NULL,
                         err && used < errlen ? errlen - used : 0, "%s%s column (%s)",
                         used ? "; no " : "header has no ", role_names[r], names);
        used += w > 0 ? (size_t)w : 0;
    }
    return used ? -1 : 0;
}

/* ---- rows -------------------------------------------------------------------------- */

/* A field as aw_field_csv_copy would give it, without the copy when it can: an
 * unquoted field is just the trimmed span. Returns its length, or -1 if it does not fit
 * in bufsize - 1 bytes (as aw_field_csv_copy). */
static int field_text(span raw, char *buf, size_t bufsize, span *out)
{
    span s = aw_field_trim(raw);
    if (s.n == 0 || s.p[0] != '"') {
        if (s.n + 1 > bufsize)
            return -1;
        *out = s;
        return (int)s.n;
    }
    int n = aw_field_csv_copy(raw, buf, bufsize);
    *out = (span){buf, n < 0 ? 0 : (size_t)n};
    return n;
}

/* A numeric field: empty leaves *out alone (unknown); anything else must be a finite
 * number. Returns false with the reason in err. */
static bool number_field(span raw, const char *what, bool required, double *out, char *err,
                         size_t errlen)
{
    char buf[64], show[48];
    span text;
    int n = field_text(raw, buf, sizeof buf, &text);
    if (n == 0) {
        if (required)
            aw_field_bad(err, errlen, "%s is empty", what);
        return !required;
    }
    int rc = n < 0 ? -1 : aw_field_number(text, out);
    if (rc == 0)
        return true;
    aw_field_bad(err, errlen, "%s \"%s\" is not a %snumber", what,
                 aw_field_show(aw_field_trim(raw), show, sizeof show), rc == -2 ? "finite " : "");
    return false;
}

/* The columns of a row, one span each, for up to SPLIT_MAX columns (more only count):
 * a line without a quote is cut at every comma; one with quotes goes through the
 * quote-aware aw_field_csv_end. Returns the number of columns, or -1 with the reason in
 * err for an open quote. */
#define SPLIT_MAX 64

static int split_row(const char *line, size_t len, span col[SPLIT_MAX], char *err,
                     size_t errlen)
{
    bool quoted;
    int ncols = aw_field_split_commas(line, len, col, SPLIT_MAX, &quoted);
    if (!quoted)
        return ncols;
    ncols = 0;
    for (size_t pos = 0;;) {
        size_t end;
        if (!aw_field_csv_end(line, len, pos, &end)) {
            aw_field_bad(err, errlen, "column %d has an unterminated quote", ncols + 1);
            return -1;
        }
        if (ncols < SPLIT_MAX)
            col[ncols] = (span){line + pos, end - pos};
        ncols++;
        if (end >= len)
            return ncols;
        pos = end + 1;
    }
}

/* The span of column k of a row already known to have more than k columns and no open
 * quote: for the rare header that maps a role past SPLIT_MAX. */
static span column_at(const char *line, size_t len, int k)
{
    size_t pos = 0, end = 0;
    for (int c = 0;; c++) {
        aw_field_csv_end(line, len, pos, &end);
        if (c == k || end >= len)
            return (span){line + pos, end - pos};
        pos = end + 1;
    }
}

aw_parse_result aw_csv_parse(const aw_csv_columns *cols, const char *line, size_t len,
                             aw_report *out, char *err, size_t errlen)
{
    if (len && line[len - 1] == '\r')
        len--;
    size_t i = 0;
    while (i < len && aw_field_is_blank(line[i]))
        i++;
    if (i == len)
        return AW_PARSE_SKIP;

    /* One pass over the line cuts it into columns; the mapped ones are then picked. */
    span col[SPLIT_MAX], fields[R_COUNT];
    int idx[R_COUNT];
    role_columns(cols, idx);
    int ncols = split_row(line, len, col, err, errlen);
    if (ncols < 0)
        return AW_PARSE_BAD;
    int needed = 0; /* columns a row must reach to hold every required field */
    for (int r = 0; r < R_COUNT; r++) {
        /* Header columns past SPLIT_MAX are picked by the slow path below. */
        fields[r] = idx[r] >= 0 && idx[r] < ncols && idx[r] < SPLIT_MAX ? col[idx[r]]
                                                                         : (span){line, 0};
        if (r <= R_LON && idx[r] + 1 > needed)
            needed = idx[r] + 1;
    }
    if (ncols < needed || ncols > cols->ncols)
        return aw_field_bad(err, errlen, "expected %d columns, got %d", cols->ncols, ncols);
    for (int r = 0; r < R_COUNT; r++)
        if (idx[r] >= SPLIT_MAX && idx[r] < ncols)
            fields[r] = column_at(line, len, idx[r]);

    aw_report_clear(out);
    out->has_position = true;

    char buf[64], show[48];
    span text;
    int n = field_text(fields[R_TIME], buf, sizeof buf, &text);
    if (n == 0)
        return aw_field_bad(err, errlen, "time is empty");
    if (n < 0 || aw_parse_time(text.p, text.n, &out->time) != 0) {
        /* A time without a zone: UTC only when the user says so. */
        char zoned[sizeof buf + 1];
        bool zoneless = n > 0 && text.n < sizeof buf;
        if (zoneless) {
            memcpy(zoned, text.p, text.n);
            zoned[text.n] = 'Z';
            zoneless = aw_parse_time(zoned, text.n + 1, &out->time) == 0;
        }
        if (zoneless && cols->assume_utc)
            ;
        else if (zoneless)
            return aw_field_bad(err, errlen, "time \"%s\" is not a time with a zone: write "
                                "2022-11-30T03:48:00Z, 2022-11-30T12:48:00+09:00 or Unix "
                                "seconds, or give --assume-utc",
                                aw_field_show(aw_field_trim(fields[R_TIME]), show, sizeof show));
        else
            return aw_field_bad(err, errlen, "time \"%s\" is not a time (ISO 8601 with a zone, "
                                "or Unix seconds)",
                                aw_field_show(aw_field_trim(fields[R_TIME]), show, sizeof show));
    }

    n = aw_field_csv_copy(fields[R_ID], out->track, sizeof out->track);
    if (n == 0)
        return aw_field_bad(err, errlen, "id is empty");
    if (n < 0)
        return aw_field_bad(err, errlen, "id longer than %d bytes", AW_TRACK_ID_MAX - 1);
    /* ICAO addresses are compared as lower-case hex everywhere else. */
    if (n == 6) {
        bool hex = true;
        for (int k = 0; k < 6; k++)
            hex = hex && aw_field_is_hex(out->track[k]);
        if (hex)
            for (int k = 0; k < 6; k++)
                out->track[k] = aw_field_lower(out->track[k]);
    }

    /* OpenSky writes a row per second whether or not a position came: with neither lat nor
     * lon the row still updates the aircraft's callsign, altitude and squawk. */
    bool no_position = aw_field_trim(fields[R_LAT]).n == 0 && aw_field_trim(fields[R_LON]).n == 0;
    if (no_position)
        out->has_position = false;
    else if (!number_field(fields[R_LAT], "lat", true, &out->lat, err, errlen) ||
             !number_field(fields[R_LON], "lon", true, &out->lon, err, errlen))
        return AW_PARSE_BAD;
    if (out->lat < -90 || out->lat > 90)
        return aw_field_bad(err, errlen, "lat \"%s\" out of range [-90, 90]",
                            aw_field_show(aw_field_trim(fields[R_LAT]), show, sizeof show));
    if (out->lon < -180 || out->lon > 180)
        return aw_field_bad(err, errlen, "lon \"%s\" out of range [-180, 180]",
                            aw_field_show(aw_field_trim(fields[R_LON]), show, sizeof show));

    if (!number_field(fields[R_ALT], role_names[R_ALT], false, &out->alt_ft, err, errlen) ||
        !number_field(fields[R_SPEED], role_names[R_SPEED], false, &out->speed_kt, err,
                      errlen) ||
        !number_field(fields[R_TRACK], role_names[R_TRACK], false, &out->track_deg, err,
                      errlen))
        return AW_PARSE_BAD;
    out->alt_ft *= cols->alt_scale;
    out->speed_kt *= cols->speed_scale;

    if (aw_field_csv_copy(fields[R_CALLSIGN], out->callsign, sizeof out->callsign) < 0)
        return aw_field_bad(err, errlen, "callsign \"%s\" longer than %d bytes",
                            aw_field_show(aw_field_trim(fields[R_CALLSIGN]), show, sizeof show),
                            AW_CALLSIGN_MAX - 1);
    if (aw_field_csv_copy(fields[R_SQUAWK], out->squawk, sizeof out->squawk) < 0)
        return aw_field_bad(err, errlen, "squawk \"%s\" longer than %d bytes",
                            aw_field_show(aw_field_trim(fields[R_SQUAWK]), show, sizeof show),
                            AW_SQUAWK_MAX - 1);
    if (no_position && !out->callsign[0] && !out->squawk[0] && isnan(out->alt_ft) &&
        isnan(out->speed_kt) && isnan(out->track_deg))
        return AW_PARSE_SKIP; /* nothing known of the aircraft this second */
    return AW_PARSE_REPORT;
}
