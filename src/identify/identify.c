/* identify.c -- the aircraft database and the identification rules.
 *
 * The database is plane-alert-db's CSV (the community list of military and government
 * aircraft that ADS-B hobbyists keep), read by header name so that its column order and
 * extra columns do not matter. Radar tracks have no ICAO address to look up, so the
 * same file may carry a `$Nation` column for them: the simulator writes one for its
 * radar tracks, and an analyst can write one for a day's recorded track numbers. An
 * `$Airframe` column names the aircraft behind a track, so that two tracks of one
 * aircraft (out and back on two legs) count once (docs/report.md). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/identify.h"
#include "ingest/field.h"

struct aw_aircraft_db {
    aw_aircraft *v; /* sorted by id (lower case) */
    size_t n, cap;
};

int aw_icao_parse(const char *track, uint32_t *address)
{
    uint32_t a = 0;
    int i = 0;
    for (; track[i]; i++) {
        char c = (char)tolower((unsigned char)track[i]);
        if (i >= 6 || !aw_field_is_hex(c))
            return -1;
        a = a * 16 + (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (i != 6)
        return -1;
    *address = a;
    return 0;
}

/* Header name without plane-alert-db's $ and # marks, lower case. */
static void column_key(const char *name, char *key, size_t n)
{
    size_t k = 0;
    for (; *name && k + 1 < n; name++)
        if (*name != '$' && *name != '#')
            key[k++] = (char)tolower((unsigned char)*name);
    key[k] = '\0';
}

enum {
    C_ICAO, C_REG, C_OPERATOR, C_TYPE, C_ICAO_TYPE, C_CMPG, C_NATION, C_CATEGORY, C_AIRFRAME,
    C_COUNT
};
static const char *const column_names[C_COUNT] = {"icao",     "registration", "operator",
                                                  "type",     "icao type",    "cmpg",
                                                  "nation",   "category",     "airframe"};

static int cmp_aircraft(const void *a, const void *b)
{
    return strcmp(((const aw_aircraft *)a)->id, ((const aw_aircraft *)b)->id);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Split one CSV line into at most max fields (unquoted, trimmed) in buf. Returns the
 * number of fields, or -1 for an unclosed quote or a field too long. */
static int split(const char *line, size_t len, char fields[][96], int max)
{
    int nf = 0;
    for (size_t pos = 0; nf < max;) {
        size_t end;
        if (!aw_field_csv_end(line, len, pos, &end))
            return -1;
        if (aw_field_csv_copy((span){line + pos, end - pos}, fields[nf++], 96) < 0)
            return -1;
        if (end >= len)
            break;
        pos = end + 1;
    }
    return nf;
}

/* Room for one more entry (the array doubled when full): 0, or -1 without memory. */
static int room_for_one(aw_aircraft_db *db)
{
    if (db->n < db->cap)
        return 0;
    size_t cap = db->cap ? 2 * db->cap : 256;
    aw_aircraft *v = realloc(db->v, cap * sizeof *v);
    if (!v)
        return -1;
    db->v = v;
    db->cap = cap;
    return 0;
}

aw_aircraft_db *aw_aircraft_db_load(const char *path,
                                    void (*fn)(long line, const char *reason, void *user),
                                    void *user, long *bad_rows, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return NULL;
    }
    aw_aircraft_db *db = calloc(1, sizeof *db);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int col[C_COUNT];
    for (int c = 0; c < C_COUNT; c++)
        col[c] = -1;
    long lineno = 0, bad = 0;
    char(*fields)[96] = malloc(64 * sizeof *fields);
    bool header = true;
    if (!fields) {
        free(db);
        db = NULL;
        snprintf(err, errlen, "out of memory");
    }
    while (db && (got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        int nf = split(line, len, fields, 64);
        if (header) {
            for (int i = 0; i < nf; i++) {
                char key[96];
                column_key(fields[i], key, sizeof key);
                for (int c = 0; c < C_COUNT; c++)
                    if (col[c] < 0 && strcmp(key, column_names[c]) == 0)
                        col[c] = i;
            }
            if (col[C_ICAO] < 0) {
                snprintf(err, errlen, "%s: no $ICAO column in the header", path);
                aw_aircraft_db_free(db);
                db = NULL;
            }
            header = false;
            continue;
        }
        if (nf <= col[C_ICAO] || !fields[col[C_ICAO]][0]) {
            bad++;
            if (fn)
                fn(lineno, nf < 0 ? "unclosed quote or field too long" : "no ICAO/track id", user);
            continue;
        }
        if (room_for_one(db) < 0)
            break;
        aw_aircraft *a = &db->v[db->n++];
        memset(a, 0, sizeof *a);
        const char *val[C_COUNT];
        for (int c = 0; c < C_COUNT; c++)
            val[c] = col[c] >= 0 && col[c] < nf ? fields[col[c]] : "";
        snprintf(a->id, sizeof a->id, "%s", val[C_ICAO]);
        lower(a->id);
        snprintf(a->registration, sizeof a->registration, "%s", val[C_REG]);
        snprintf(a->operator_name, sizeof a->operator_name, "%s", val[C_OPERATOR]);
        snprintf(a->type, sizeof a->type, "%s", val[C_TYPE]);
        snprintf(a->icao_type, sizeof a->icao_type, "%s", val[C_ICAO_TYPE]);
        snprintf(a->cmpg, sizeof a->cmpg, "%s", val[C_CMPG]);
        snprintf(a->nation, sizeof a->nation, "%s", val[C_NATION]);
        for (char *p = a->nation; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        snprintf(a->category, sizeof a->category, "%s", val[C_CATEGORY]);
        snprintf(a->airframe, sizeof a->airframe, "%s", val[C_AIRFRAME]);
        a->military = strcmp(a->cmpg, "Mil") == 0;
    }
    free(line);
    free(fields);
    fclose(f);
    if (db && db->n > 1)
        qsort(db->v, db->n, sizeof *db->v, cmp_aircraft);
    if (bad_rows)
        *bad_rows = bad;
    return db;
}

aw_aircraft_db *aw_aircraft_db_new(void)
{
    return calloc(1, sizeof(aw_aircraft_db));
}

int aw_aircraft_db_put(aw_aircraft_db *db, const aw_aircraft *a)
{
    aw_aircraft entry = *a;
    lower(entry.id);
    /* Kept sorted by insertion: entries come one at a time (from a feed), few of them. */
    size_t lo = 0, hi = db->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_aircraft(&db->v[mid], &entry);
        if (c == 0) {
            db->v[mid] = entry;
            return 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (room_for_one(db) < 0)
        return -1;
    memmove(&db->v[lo + 1], &db->v[lo], (db->n - lo) * sizeof *db->v);
    db->v[lo] = entry;
    db->n++;
    return 0;
}

void aw_aircraft_db_free(aw_aircraft_db *db)
{
    if (db)
        free(db->v);
    free(db);
}

size_t aw_aircraft_db_count(const aw_aircraft_db *db) { return db ? db->n : 0; }

const aw_aircraft *aw_aircraft_db_find(const aw_aircraft_db *db, const char *id)
{
    if (!db || db->n == 0)
        return NULL;
    aw_aircraft key;
    snprintf(key.id, sizeof key.id, "%s", id);
    lower(key.id);
    return bsearch(&key, db->v, db->n, sizeof *db->v, cmp_aircraft);
}

/* The name of an ISO code, from the allocation table (every state there has one). */
static const char *state_name(const char *iso2)
{
    for (int i = 0; i < aw_icao_states_count(); i++)
        if (strcmp(aw_icao_state_at(i)->iso2, iso2) == 0)
            return aw_icao_state_at(i)->name;
    return "";
}

void aw_identify(const aw_aircraft_db *db, const char *track, const char *callsign,
                 const char *squawk, aw_identity *out)
{
    memset(out, 0, sizeof *out);
    out->nation = out->nation_name = out->type = out->registration = "";
    out->nation_source = "unknown";
    const aw_aircraft *a = aw_aircraft_db_find(db, track);
    uint32_t address;
    const aw_icao_state *st = aw_icao_parse(track, &address) == 0 ? aw_icao_state_of(address) : NULL;
    if (a && a->nation[0]) {
        out->nation = a->nation;
        out->nation_name = state_name(a->nation);
        out->nation_source = "aircraft-db";
    } else if (st) {
        out->nation = st->iso2;
        out->nation_name = st->name;
        out->nation_source = "icao-address";
    }
    if (a) {
        out->type = a->type;
        out->registration = a->registration;
        out->military = a->military;
    }
    bool silent = !(callsign && callsign[0]) && !(squawk && squawk[0]);
    out->unidentified = silent || out->military;
}
