/* format.c -- reports as adizwatch CSV rows and SBS-1 lines.
 *
 * The simulator's output must be read back by the same parsers that read real feeds, so
 * it is written in their formats: the replay CSV columns, and SBS-1 as dump1090 and readsb
 * serve it on port 30003 (CRLF, receiver-clock dates and times). SBS carries only 24-bit
 * addresses; a radar track number is written as a non-ICAO address, "~" and its trailing
 * digits, as TIS-B rebroadcasts of radar tracks are. Both start with a provenance
 * comment (ingest.h): a simulated file must never pass for a recording. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adizwatch/ingest.h"
#include "adizwatch/sim.h"
#include "sim/sim_internal.h"

static void utc_parts(double t, struct tm *tm, int *ms)
{
    double whole = floor(t);
    *ms = (int)lround((t - whole) * 1000.0);
    if (*ms == 1000) {
        *ms = 0;
        whole += 1;
    }
    time_t tt = (time_t)whole;
    gmtime_r(&tt, tm);
}

static void num_or_empty(char *buf, size_t n, const char *fmt, double v)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, n, fmt, v);
}

int aw_sim_format_csv(const aw_report *r, char *buf, size_t n)
{
    struct tm tm;
    int ms;
    utc_parts(r->time, &tm, &ms);
    char alt[32], spd[32], trk[32];
    num_or_empty(alt, sizeof alt, "%.0f", r->alt_ft);
    num_or_empty(spd, sizeof spd, "%.1f", r->speed_kt);
    num_or_empty(trk, sizeof trk, "%.1f", r->track_deg);
    return snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ,%s,%.7f,%.7f,%s,%s,%s,%s,%s\n",
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                    tm.tm_sec, ms, r->track, r->lat, r->lon, alt, r->callsign, r->squawk, spd,
                    trk);
}

int aw_sim_sbs_ident(const char *id, char *buf, size_t n)
{
    size_t len = strlen(id);
    bool hex = len == 6;
    for (size_t i = 0; hex && i < len; i++)
        hex = strchr("0123456789abcdef", id[i]) != NULL;
    if (hex)
        return snprintf(buf, n, "%s", id) < (int)n ? 0 : -1;
    size_t d = len;
    while (d > 0 && id[d - 1] >= '0' && id[d - 1] <= '9')
        d--;
    size_t digits = len - d;
    if (digits == 0)
        return -1;
    if (digits > 6) { /* keep the last six: an SBS ident has at most six hex digits */
        d = len - 6;
    }
    return snprintf(buf, n, "~%s", id + d) < (int)n ? 0 : -1;
}

int aw_sim_format_sbs(const aw_report *r, int tz_offset_s, bool with_ident, char *buf, size_t n)
{
    char ident[16];
    if (aw_sim_sbs_ident(r->track, ident, sizeof ident) != 0)
        return snprintf(buf, n, "%s", "");
    struct tm tm;
    int ms;
    utc_parts(r->time + tz_offset_s, &tm, &ms);
    char when[64];
    snprintf(when, sizeof when, "%04d/%02d/%02d,%02d:%02d:%02d.%03d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    char alt[32], spd[32], trk[32];
    num_or_empty(alt, sizeof alt, "%.0f", r->alt_ft);
    num_or_empty(spd, sizeof spd, "%.0f", r->speed_kt);
    num_or_empty(trk, sizeof trk, "%.0f", r->track_deg);
    int len = 0;
    if (with_ident && r->callsign[0])
        len = snprintf(buf, n, "MSG,1,1,1,%s,1,%s,%s,%s,,,,,,,,,,,0\r\n", ident, when, when,
                       r->callsign);
    size_t used = len > 0 && (size_t)len < n ? (size_t)len : 0;
    int m = snprintf(buf + used, n - used, "MSG,3,1,1,%s,1,%s,%s,,%s,%s,%s,%.6f,%.6f,,%s,0,0,0,0\r\n",
                     ident, when, when, alt, spd, trk, r->lat, r->lon, r->squawk);
    return (int)used + m;
}

char *aw_sim_provenance_line(const aw_sim *s, uint64_t seed, const char *observer,
                             const char *format, const char *line_end)
{
    json_t *o = json_object(), *assumed = json_array(), *general = json_array();
    if (!o || !assumed || !general) {
        json_decref(o);
        json_decref(assumed);
        json_decref(general);
        return NULL;
    }
    json_object_set_new(o, "tracks", json_string("simulated"));
    json_object_set_new(o, "scenario", json_string(aw_sim_name(s)));
    json_object_set_new(o, "title", json_string(aw_sim_title(s)));
    json_object_set_new(o, "seed", json_integer((json_int_t)seed));
    json_object_set_new(o, "observer", observer ? json_string(observer) : json_null());
    json_object_set_new(o, "format", json_string(format));
    for (int i = 0; i < aw_sim_aircraft_count(s); i++) {
        const aw_sim_aircraft_info *a = aw_sim_aircraft(s, i);
        const char *item[2] = {"departure", "arrival"};
        const char *reason[2] = {a->departure_assumed, a->arrival_assumed};
        for (int k = 0; k < 2; k++)
            if (reason[k] && reason[k][0])
                json_array_append_new(assumed,
                                      json_pack("{s:s, s:s, s:s, s:s}", "track", a->id, "airframe",
                                                a->airframe, "item", item[k], "reason", reason[k]));
    }
    for (int i = 0; i < aw_sim_assumption_count(s); i++)
        json_array_append_new(general, json_pack("{s:s, s:s}", "what", aw_sim_assumption_what(s, i),
                                                 "why", aw_sim_assumption_why(s, i)));
    json_object_set_new(o, "assumed", assumed);
    json_object_set_new(o, "assumptions", general);
    /* Each observer's radar sites, so that a report can say what each one could see. */
    json_t *sensors = json_array();
    for (int i = 0; sensors && i < s->nobs; i++) {
        const sim_observer *ob = &s->obs[i];
        if (observer && strcmp(observer, ob->id) != 0)
            continue;
        json_t *sites = json_array();
        for (int k = 0; k < ob->nsites; k++) {
            const sim_site *st = &ob->sites[k];
            json_array_append_new(sites, json_pack("{s:s, s:f, s:f, s:f, s:f}", "name", st->name,
                                                   "lat", st->lat, "lon", st->lon, "antenna_m",
                                                   st->antenna_m, "range_km", st->range_km));
        }
        json_array_append_new(sensors, json_pack("{s:s, s:o}", "observer", ob->id, "sites", sites));
    }
    json_object_set_new(o, "sensors", sensors);
    char *body = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    if (!body)
        return NULL;
    size_t n = strlen(AW_PROVENANCE_PREFIX) + strlen(body) + strlen(line_end) + 1;
    char *line = malloc(n);
    if (line)
        snprintf(line, n, "%s%s%s", AW_PROVENANCE_PREFIX, body, line_end);
    free(body);
    return line;
}
