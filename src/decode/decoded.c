/* decoded.c -- the decoded record: its reset, its JSON Lines form (what `adizwatch
 * decode` prints) and its conversion to the engine's aw_report. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adizwatch/decode.h"
#include "events/json_writer.h"

void aw_decoded_clear(aw_decoded *d)
{
    memset(d, 0, sizeof *d);
    d->category = d->sac = d->sic = d->track_number = -1;
    d->icao24 = -1;
    d->mode3a = -1;
    d->df = d->typecode = -1;
    d->time_of_day = d->flight_level = d->rho_nm = d->theta_deg = NAN;
    d->lat = d->lon = d->altitude_ft = d->geo_altitude_ft = NAN;
    d->groundspeed_kt = d->track_deg = d->vertical_rate_fpm = NAN;
    d->heading_deg = d->airspeed_kt = NAN;
}

/* The object's fields, a comma before each but the first. */
typedef struct jbuf {
    json_writer w;
    bool first;
} jbuf;

static void key(jbuf *b, const char *name)
{
    json_put(&b->w, "%s\"%s\":", b->first ? "" : ",", name);
    b->first = false;
}

static void num(jbuf *b, const char *name, double v, const char *fmt)
{
    if (!isfinite(v))
        return;
    key(b, name);
    json_put(&b->w, fmt, v);
}

static void integer(jbuf *b, const char *name, long v)
{
    if (v < 0)
        return;
    key(b, name);
    json_put(&b->w, "%ld", v);
}

int aw_decoded_to_json(const aw_decoded *d, char *buf, size_t size)
{
    jbuf b = {{buf, size, 0}, true};
    if (size)
        buf[0] = '\0';
    json_put(&b.w, "{");
    integer(&b, "category", d->category);
    integer(&b, "sac", d->sac);
    integer(&b, "sic", d->sic);
    num(&b, "time_of_day", d->time_of_day, "%.7f");
    integer(&b, "track_number", d->track_number);
    if (d->icao24 >= 0) {
        key(&b, "icao24");
        json_put(&b.w, "\"%06x\"", (unsigned)d->icao24);
    }
    if (d->callsign[0]) {
        key(&b, "callsign");
        json_put(&b.w, "\"");
        for (const char *c = d->callsign; *c; c++) /* charsets are printable ASCII */
            json_put(&b.w, (*c == '"' || *c == '\\') ? "\\%c" : "%c", *c);
        json_put(&b.w, "\"");
    }
    if (d->mode3a >= 0) {
        key(&b, "mode3a");
        json_put(&b.w, "\"%04o\"", (unsigned)d->mode3a);
    }
    num(&b, "flight_level", d->flight_level, "%.2f");
    num(&b, "rho_nm", d->rho_nm, "%.8f");
    num(&b, "theta_deg", d->theta_deg, "%.8f");
    num(&b, "lat", d->lat, "%.8f");
    num(&b, "lon", d->lon, "%.8f");
    num(&b, "altitude_ft", d->altitude_ft, "%.2f");
    num(&b, "groundspeed_kt", d->groundspeed_kt, "%.4f");
    num(&b, "track_deg", d->track_deg, "%.4f");
    integer(&b, "df", d->df);
    integer(&b, "typecode", d->typecode);
    json_put(&b.w, "}");
    return (int)b.w.len;
}

bool aw_decoded_to_report(const aw_decoded *d, double time, aw_report *r)
{
    aw_report_clear(r);
    r->time = time;
    if (d->icao24 >= 0)
        snprintf(r->track, sizeof r->track, "%06x", (unsigned)d->icao24);
    else if (d->track_number >= 0)
        snprintf(r->track, sizeof r->track, "%d/%d:%d", d->sac, d->sic, d->track_number);
    else if (d->mode3a >= 0 && d->sac >= 0)
        snprintf(r->track, sizeof r->track, "%d/%d:A%04o", d->sac, d->sic,
                 (unsigned)d->mode3a & 07777u);
    else
        return false;
    r->has_position = isfinite(d->lat) && isfinite(d->lon);
    if (r->has_position) {
        r->lat = d->lat;
        r->lon = d->lon;
    }
    if (isfinite(d->altitude_ft))
        r->alt_ft = d->altitude_ft;
    else if (isfinite(d->flight_level))
        r->alt_ft = d->flight_level * 100.0;
    snprintf(r->callsign, sizeof r->callsign, "%s", d->callsign);
    if (d->mode3a >= 0)
        snprintf(r->squawk, sizeof r->squawk, "%04o", (unsigned)d->mode3a & 07777u);
    r->speed_kt = d->groundspeed_kt;
    r->track_deg = d->track_deg;
    return true;
}
