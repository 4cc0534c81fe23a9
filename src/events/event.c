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
#include "events/event_text.h"

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
    if (n >= 25 && event_text_time(buf, secs, ms) == 24) /* the same bytes: event_text.h */
        return buf;
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

static size_t put_text(char *buf, size_t n, size_t pos, const char *text, size_t len)
{
    if (pos < n)
        memcpy(buf + pos, text, pos + len < n ? len : n - pos);
    return pos + len;
}

#define PUT_LITERAL(s) (pos = put_text(buf, n, pos, s, sizeof s - 1))

/* The numbers as "%.7f", "%.1f", "%.3f" print them (event_text.h: the same bytes). */
static size_t put_fixed(char *buf, size_t n, size_t pos, double x, int prec)
{
    char tmp[512];
    return put_text(buf, n, pos, tmp, (size_t)event_text_fixed(tmp, sizeof tmp, x, prec));
}

int aw_event_to_json(const aw_event *ev, char *buf, size_t n)
{
    size_t pos = 0;
    const char *type = aw_event_type_name(ev->type), *cause = aw_event_cause_name(ev->cause);
    PUT_LITERAL("{\"type\":\"");
    pos = put_text(buf, n, pos, type, strlen(type));
    PUT_LITERAL("\",\"cause\":\"");
    pos = put_text(buf, n, pos, cause, strlen(cause));
    PUT_LITERAL("\",\"track\":");
    pos = put_json_string(buf, n, pos, ev->track);
    PUT_LITERAL(",\"zone\":");
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
    char when[32];
    aw_format_time(ev->time, when, sizeof when);
    PUT_LITERAL(",\"time\":\"");
    pos = put_text(buf, n, pos, when, strlen(when));
    PUT_LITERAL("\",\"lat\":");
    pos = put_fixed(buf, n, pos, lat, 7);
    PUT_LITERAL(",\"lon\":");
    pos = put_fixed(buf, n, pos, lon, 7);
    PUT_LITERAL(",\"alt_ft\":");
    if (isfinite(ev->alt_ft))
        pos = put_fixed(buf, n, pos, fabs(ev->alt_ft) < 0.05 ? 0.0 : ev->alt_ft, 1);
    else
        PUT_LITERAL("null");
    if (ev->callsign[0]) {
        PUT_LITERAL(",\"callsign\":");
        pos = put_json_string(buf, n, pos, ev->callsign);
    }
    if (ev->type == AW_EXIT) {
        PUT_LITERAL(",\"dwell_s\":");
        pos = put_fixed(buf, n, pos, ev->dwell_s, 3);
        PUT_LITERAL(",\"max_depth_m\":");
        pos = put_fixed(buf, n, pos, ev->max_depth_m, 1);
    }
    PUT_LITERAL("}");
    if (n)
        buf[pos < n ? pos : n - 1] = '\0';
    return (int)pos;
}
