/* advice_json.c -- scramble advice and intercept events as JSON lines.
 *
 * The same object is printed by the CLI and kept whole in the store's records, so the
 * report reads back exactly what was printed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adizwatch/advice.h"
#include "events/json_writer.h"

static void str(json_writer *o, const char *key, const char *s)
{
    json_put(o, ",\"%s\":\"", key);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            json_put(o, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            json_put(o, " ");
        else
            json_put(o, "%c", *s);
    }
    json_put(o, "\"");
}

static void num(json_writer *o, const char *key, double v, int decimals)
{
    if (isfinite(v))
        json_put(o, ",\"%s\":%.*f", key, decimals, v);
    else
        json_put(o, ",\"%s\":null", key);
}

static void iso(json_writer *o, const char *key, double t)
{
    char b[40];
    if (isfinite(t))
        json_put(o, ",\"%s\":\"%s\"", key, aw_format_time(t, b, sizeof b));
    else
        json_put(o, ",\"%s\":null", key);
}

int aw_advice_event_to_json(const aw_advice_event *ev, char *buf, size_t n)
{
    json_writer o = {buf, n, 0};
    if (n)
        buf[0] = '\0';
    json_put(&o, "{\"type\":\"%s\"", aw_advice_kind_name(ev->kind));
    str(&o, "track", ev->track);
    if (ev->kind == AW_ADVICE_INTERCEPT)
        str(&o, "interceptor", ev->interceptor);
    iso(&o, "time", ev->time);
    str(&o, "owner", ev->owner);
    str(&o, "zone", ev->zone);
    num(&o, "lat", ev->lat, 7);
    num(&o, "lon", ev->lon, 7);
    num(&o, "alt_ft", ev->alt_ft, 1);
    str(&o, "nation", ev->identity.nation);
    str(&o, "aircraft_type", ev->identity.type);
    if (ev->kind == AW_ADVICE_INTERCEPT) {
        num(&o, "distance_nm", ev->distance_m / 1852.0, 2);
        iso(&o, "advice_time", ev->advice_time);
        iso(&o, "takeoff_time", ev->takeoff_time);
        str(&o, "takeoff_base", ev->takeoff_base);
        str(&o, "takeoff_icao", ev->takeoff_icao);
        str(&o, "advised_base", ev->advised_base);
        num(&o, "advice_to_takeoff_s", ev->takeoff_time - ev->advice_time, 1);
        num(&o, "takeoff_to_intercept_s", ev->time - ev->takeoff_time, 1);
        json_put(&o, "}");
        return (int)o.len;
    }
    str(&o, "reason", ev->reason);
    num(&o, "course_deg", ev->course_deg, 1);
    num(&o, "speed_kt", ev->speed_mps * 3600.0 / 1852.0, 1);
    num(&o, "time_to_zone_s", ev->time_to_zone_s, 1);
    str(&o, "territory", ev->territory);
    num(&o, "time_to_territory_s", ev->time_to_territory_s >= 0 ? ev->time_to_territory_s : NAN, 1);
    if (ev->nbases > 0) {
        const aw_advice_base *b = &ev->bases[0];
        str(&o, "base", b->base->name);
        str(&o, "base_icao", b->base->icao);
        iso(&o, "intercept_time", b->intercept_time);
        num(&o, "intercept_lat", b->lat, 7);
        num(&o, "intercept_lon", b->lon, 7);
        json_put(&o, ",\"before_territory\":%s", b->before_territory ? "true" : "false");
    } else {
        /* No base can meet it within the search horizon. */
        json_put(&o, ",\"base\":null,\"base_icao\":null,\"intercept_time\":null,\"intercept_lat\":null,"
                "\"intercept_lon\":null,\"before_territory\":false");
    }
    json_put(&o, ",\"bases\":[");
    for (int i = 0; i < ev->nbases; i++) {
        const aw_advice_base *b = &ev->bases[i];
        json_put(&o, "%s{\"base\":\"%s\"", i ? "," : "", b->base->name);
        str(&o, "icao", b->base->icao);
        str(&o, "operator", b->base->operator_);
        num(&o, "ready_min", b->ready_min, 1);
        num(&o, "speed_kmh", b->speed_kmh, 0);
        json_put(&o, ",\"nominal\":%s", b->base->nominal || !isfinite(b->base->alert_min) ? "true" : "false");
        iso(&o, "intercept_time", b->intercept_time);
        num(&o, "intercept_lat", b->lat, 7);
        num(&o, "intercept_lon", b->lon, 7);
        num(&o, "distance_km", b->fighter_distance_m / 1000.0, 1);
        json_put(&o, ",\"before_territory\":%s}", b->before_territory ? "true" : "false");
    }
    json_put(&o, "]}");
    return (int)o.len;
}
