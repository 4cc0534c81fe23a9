/* readsb_json.c -- readsb's aircraft.json snapshots and its JSON position stream.
 *
 * Both carry the same aircraft object (readsb's sprintAircraftObject): "hex" ("~" first
 * for a non-ICAO address, which stays part of the id so that a TIS-B target never merges
 * with the ICAO aircraft of the same digits), "flight", "alt_baro" (a number, or
 * "ground"), "alt_geom", "gs", "track", "squawk", "category", "lat"/"lon" with
 * "seen_pos", and from readsb's database "r", "t", "dbFlags". A snapshot gives "now" once
 * for the file; a stream line carries its own "now".
 *
 * readsb rewrites aircraft.json every second and keeps an aircraft's last position in it
 * for a minute, so a run of snapshots repeats each position many times. aw_readsb_seen
 * remembers the last position and attributes per id, and a repeat adds nothing. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "adizwatch/feeds.h"
#include "adizwatch/sniff.h"
#include "feed_json.h"
#include "id_table.h"

/* ---- what was last said of each aircraft --------------------------------------------- */

typedef struct seen_slot {
    char id[AW_TRACK_ID_MAX];
    double lat, lon, pos_time, alt_ft;
    char callsign[AW_CALLSIGN_MAX];
    char squawk[AW_SQUAWK_MAX];
} seen_slot;

struct aw_readsb_seen {
    id_table table;
};

aw_readsb_seen *aw_readsb_seen_new(void)
{
    aw_readsb_seen *s = malloc(sizeof *s);
    if (s)
        *s = (aw_readsb_seen){ID_TABLE_INIT(seen_slot, 256, 1u << 20)};
    return s;
}

void aw_readsb_seen_free(aw_readsb_seen *s)
{
    if (s)
        id_table_free(&s->table);
    free(s);
}

/* The slot of id (no position yet when new); NULL without memory. */
static seen_slot *seen_slot_of(aw_readsb_seen *s, const char *id)
{
    bool is_new;
    seen_slot *slot = id_table_slot(&s->table, id, &is_new);
    if (slot && is_new)
        slot->lat = slot->lon = slot->pos_time = slot->alt_ft = NAN;
    return slot;
}

static bool same_num(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* Whether r says anything not already said of its aircraft; remembers it if so. A
 * position repeats when lat/lon are the same and its time is within a second (readsb
 * rounds now and seen_pos to 0.1 s, so the same fix reads a little differently from one
 * snapshot to the next). */
static bool seen_is_new(aw_readsb_seen *s, aw_report *r)
{
    seen_slot *slot = s ? seen_slot_of(s, r->track) : NULL;
    if (!slot)
        return true;
    bool pos_new = r->has_position &&
                   !(r->lat == slot->lat && r->lon == slot->lon && fabs(r->time - slot->pos_time) < 1.0);
    bool attr_new = strcmp(r->callsign, slot->callsign) != 0 ||
                    strcmp(r->squawk, slot->squawk) != 0 || !same_num(r->alt_ft, slot->alt_ft);
    if (!pos_new && !attr_new)
        return false;
    if (pos_new) {
        slot->lat = r->lat;
        slot->lon = r->lon;
        slot->pos_time = r->time;
    } else if (r->has_position) {
        /* The same fix with changed attributes: say the attributes, at the snapshot's
         * time of the aircraft's last message (set by the caller in r->time already). */
        r->has_position = false;
        r->lat = r->lon = NAN;
    }
    snprintf(slot->callsign, sizeof slot->callsign, "%s", r->callsign);
    snprintf(slot->squawk, sizeof slot->squawk, "%s", r->squawk);
    slot->alt_ft = r->alt_ft;
    return true;
}

/* ---- one aircraft object --------------------------------------------------------------- */

/* Fill r and info from an aircraft object at snapshot time now. Returns 0, or -1 with
 * the reason (no hex). *attr_time gets the time of the aircraft's last message. */
static int aircraft_report(json_t *ac, double now, aw_report *r, aw_feed_info *info,
                           double *attr_time, char *err, size_t errlen)
{
    aw_report_clear(r);
    feed_info_clear(info);
    const char *hex = json_string_value(json_object_get(ac, "hex"));
    if (!hex || !hex[0] || strlen(hex) >= AW_TRACK_ID_MAX) {
        snprintf(err, errlen, "an aircraft without a usable \"hex\"");
        return -1;
    }
    size_t n = 0;
    for (; hex[n]; n++)
        r->track[n] = (hex[n] >= 'A' && hex[n] <= 'Z') ? (char)(hex[n] - 'A' + 'a') : hex[n];
    r->track[n] = '\0';
    feed_json_text(json_object_get(ac, "flight"), r->callsign, sizeof r->callsign);
    feed_json_text(json_object_get(ac, "squawk"), r->squawk, sizeof r->squawk);
    feed_json_altitude(json_object_get(ac, "alt_baro"), &r->alt_ft, info);
    info->alt_geom_ft = feed_json_number(json_object_get(ac, "alt_geom"));
    if (isnan(r->alt_ft) && !info->on_ground)
        r->alt_ft = info->alt_geom_ft; /* geometric only when no barometric is known */
    r->speed_kt = feed_json_number(json_object_get(ac, "gs"));
    r->track_deg = feed_json_number(json_object_get(ac, "track"));
    feed_json_db(ac, info);
    feed_json_text(json_object_get(ac, "category"), info->category, sizeof info->category);
    double seen = feed_json_number(json_object_get(ac, "seen"));
    *attr_time = now - (isfinite(seen) ? seen : 0);
    double lat = feed_json_number(json_object_get(ac, "lat"));
    double lon = feed_json_number(json_object_get(ac, "lon"));
    double seen_pos = feed_json_number(json_object_get(ac, "seen_pos"));
    if (isfinite(lat) && isfinite(lon)) {
        r->has_position = true;
        r->lat = lat;
        r->lon = lon;
        r->time = now - (isfinite(seen_pos) ? seen_pos : 0);
    } else {
        r->time = *attr_time;
    }
    if (!isfinite(r->time) || !isfinite(*attr_time)) {
        snprintf(err, errlen, "time out of range (now %g, seen %g, seen_pos %g)", now, seen, seen_pos);
        return -1;
    }
    return 0;
}

static bool says_something(const aw_report *r)
{
    return r->has_position || r->callsign[0] || r->squawk[0] || !isnan(r->alt_ft);
}

/* readsb writes "now" in seconds; the v2 API (adsb.lol, adsb.fi) in milliseconds. */
static double now_seconds(double now)
{
    return now > 1e11 ? now / 1000.0 : now;
}

long aw_readsb_snapshot(const char *text, size_t len, aw_readsb_seen *seen, aw_feed_fn fn,
                        void *user, double *now_out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) {
        snprintf(err, errlen, "not JSON: %s (line %d)", je.text, je.line);
        return -1;
    }
    long given = -1;
    double now = feed_json_number(json_object_get(root, "now"));
    json_t *list = json_object_get(root, "aircraft");
    if (!list)
        list = json_object_get(root, "ac");
    if (!json_is_object(root) || !isfinite(now)) {
        snprintf(err, errlen, "not an aircraft.json snapshot: no \"now\"");
    } else if (!json_is_array(list)) {
        snprintf(err, errlen, "not an aircraft.json snapshot: no \"aircraft\" array");
    } else {
        now = now_seconds(now);
        if (now_out)
            *now_out = now;
        given = 0;
        size_t i;
        json_t *ac;
        json_array_foreach(list, i, ac) {
            aw_report r;
            aw_feed_info info;
            double attr_time;
            char why[128];
            if (!json_is_object(ac) || aircraft_report(ac, now, &r, &info, &attr_time, why, sizeof why) < 0)
                continue; /* readsb writes no such entry; one bad entry spoils no other */
            if (!says_something(&r))
                continue;
            if (!seen_is_new(seen, &r))
                continue;
            if (!r.has_position)
                r.time = attr_time;
            fn(&r, &info, user);
            given++;
        }
    }
    json_decref(root);
    return given;
}

int aw_readsb_snapshot_time(const char *head, size_t len, double *now_out)
{
    const char *end = head + len, *p = head;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p >= end || *p != '{')
        return -1;
    static const char key[] = "\"now\"";
    for (; p + sizeof key < end; p++) {
        if (memcmp(p, key, sizeof key - 1) != 0)
            continue;
        p += sizeof key - 1;
        while (p < end && (*p == ' ' || *p == ':'))
            p++;
        char num[40];
        size_t n = 0;
        while (p < end && n + 1 < sizeof num && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-'))
            num[n++] = *p++;
        num[n] = '\0';
        char *stop;
        double v = strtod(num, &stop);
        if (n == 0 || *stop || !isfinite(v))
            return -1;
        *now_out = now_seconds(v);
        return 0;
    }
    return -1;
}

aw_parse_result aw_readsb_line(const char *line, size_t len, aw_report *out, aw_feed_info *info,
                               char *err, size_t errlen)
{
    json_error_t je;
    json_t *ac = json_loadb(line, len, 0, &je);
    if (!ac) {
        snprintf(err, errlen, "not JSON: %s (column %d)", je.text, je.column);
        return AW_PARSE_BAD;
    }
    aw_feed_info scratch;
    aw_parse_result res = AW_PARSE_BAD;
    double now = feed_json_number(json_object_get(ac, "now")), attr_time;
    if (!json_is_object(ac))
        snprintf(err, errlen, "not a JSON object");
    else if (!isfinite(now))
        snprintf(err, errlen, "no \"now\" (not a readsb JSON position line)");
    else if (aircraft_report(ac, now_seconds(now), out, info ? info : &scratch, &attr_time, err,
                             errlen) == 0)
        res = says_something(out) ? AW_PARSE_REPORT : AW_PARSE_SKIP;
    json_decref(ac);
    return res;
}

static void no_report(const aw_report *r, const aw_feed_info *info, void *user)
{
    (void)r;
    (void)info;
    (void)user;
}

int aw_readsb_snapshot_file_time(const char *path, double *now_out)
{
    bool gz;
    char err[512];
    if (aw_sniff_file(path, &gz, err, sizeof err) != AW_INPUT_SNAPSHOT)
        return -1;
    char head[4096];
    gzFile f = gzopen(path, "rb");
    int n = f ? gzread(f, head, sizeof head) : -1;
    if (f)
        gzclose(f);
    if (n > 0 && aw_readsb_snapshot_time(head, (size_t)n, now_out) == 0)
        return 0;
    size_t len; /* "now" is not near the start: read it all */
    char *text = aw_read_file_maybe_gz(path, &len, err, sizeof err);
    long got = text ? aw_readsb_snapshot(text, len, NULL, no_report, NULL, now_out, err, sizeof err) : -1;
    free(text);
    return got < 0 ? -1 : 0;
}
