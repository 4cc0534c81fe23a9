/* event.c -- names of event types and causes, and the JSON Lines form of an event.
 *
 * The JSON is written by hand rather than through a JSON library: it is on the hot
 * path of a replay, its shape is fixed by the contract, and the only strings in it
 * (track, zone, callsign) are escaped here. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adizwatch/event.h"

static const char *const type_names[] = {"enter", "exit"};
static const char *const cause_names[] = {"crossing", "first_seen", "lost"};

const char *aw_event_type_name(aw_event_type t) { return type_names[t == AW_EXIT]; }

const char *aw_event_cause_name(aw_event_cause c)
{
    return (unsigned)c < 3 ? cause_names[c] : "crossing";
}

int aw_event_type_parse(const char *s, aw_event_type *out)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (aw_event_type)i;
            return 0;
        }
    return -1;
}

int aw_event_cause_parse(const char *s, aw_event_cause *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, cause_names[i]) == 0) {
            *out = (aw_event_cause)i;
            return 0;
        }
    return -1;
}

char *aw_format_time(double time, char *buf, size_t n)
{
    /* Round to the millisecond first so 59.9996 s becomes the next minute, not "60.000". */
    double ms_total = floor(time * 1000.0 + 0.5);
    time_t secs = (time_t)floor(ms_total / 1000.0);
    int ms = (int)(ms_total - (double)secs * 1000.0);
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

/* Append s as a JSON string (with quotes) at buf+pos; returns the new position. */
static size_t put_json_string(char *buf, size_t n, size_t pos, const char *s)
{
    static const char hex[] = "0123456789abcdef";
#define PUT(c) do { if (pos < n) buf[pos] = (c); pos++; } while (0)
    PUT('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            PUT('\\');
            PUT((char)c);
        } else if (c < 0x20) {
            PUT('\\'); PUT('u'); PUT('0'); PUT('0');
            PUT(hex[c >> 4]);
            PUT(hex[c & 15]);
        } else {
            PUT((char)c);
        }
    }
    PUT('"');
#undef PUT
    return pos;
}

static size_t put_fmt(char *buf, size_t n, size_t pos, const char *text)
{
    size_t len = strlen(text);
    if (pos < n)
        memcpy(buf + pos, text, pos + len < n ? len : n - pos);
    return pos + len;
}

int aw_event_to_json(const aw_event *ev, char *buf, size_t n)
{
    char tmp[160], when[32];
    size_t pos = 0;
    snprintf(tmp, sizeof tmp, "{\"type\":\"%s\",\"cause\":\"%s\",\"track\":",
             aw_event_type_name(ev->type), aw_event_cause_name(ev->cause));
    pos = put_fmt(buf, n, pos, tmp);
    pos = put_json_string(buf, n, pos, ev->track);
    pos = put_fmt(buf, n, pos, ",\"zone\":");
    pos = put_json_string(buf, n, pos, ev->zone);
    double lon = ev->lon;
    if (lon >= 180.0 || lon < -180.0)
        lon = remainder(lon, 360.0);
    if (lon == 180.0)
        lon = -180.0;
    /* A value that prints as zero prints as 0, never as "-0.0000000". */
    double lat = fabs(ev->lat) < 5e-8 ? 0.0 : ev->lat;
    if (fabs(lon) < 5e-8)
        lon = 0.0;
    snprintf(tmp, sizeof tmp, ",\"time\":\"%s\",\"lat\":%.7f,\"lon\":%.7f,\"alt_ft\":",
             aw_format_time(ev->time, when, sizeof when), lat, lon);
    pos = put_fmt(buf, n, pos, tmp);
    if (isfinite(ev->alt_ft))
        snprintf(tmp, sizeof tmp, "%.1f", fabs(ev->alt_ft) < 0.05 ? 0.0 : ev->alt_ft);
    else
        snprintf(tmp, sizeof tmp, "null");
    pos = put_fmt(buf, n, pos, tmp);
    if (ev->callsign[0]) {
        pos = put_fmt(buf, n, pos, ",\"callsign\":");
        pos = put_json_string(buf, n, pos, ev->callsign);
    }
    if (ev->type == AW_EXIT) {
        snprintf(tmp, sizeof tmp, ",\"dwell_s\":%.3f,\"max_depth_m\":%.1f", ev->dwell_s,
                 ev->max_depth_m);
        pos = put_fmt(buf, n, pos, tmp);
    }
    pos = put_fmt(buf, n, pos, "}");
    if (n)
        buf[pos < n ? pos : n - 1] = '\0';
    return (int)pos;
}
