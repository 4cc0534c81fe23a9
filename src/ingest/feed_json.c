/* feed_json.c -- JSON field readers shared by the readsb and trace readers (see
 * feed_json.h). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "feed_json.h"

void feed_info_clear(aw_feed_info *info)
{
    memset(info, 0, sizeof *info);
    info->alt_geom_ft = NAN;
}

double feed_json_number(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

void feed_json_text(const json_t *v, char *buf, size_t size)
{
    buf[0] = '\0';
    const char *s = json_string_value(v);
    if (!s)
        return;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

void feed_json_altitude(const json_t *v, double *alt_ft, aw_feed_info *info)
{
    const char *s = json_string_value(v);
    if (s && strcmp(s, "ground") == 0) {
        *alt_ft = 0;
        info->on_ground = true;
        return;
    }
    *alt_ft = feed_json_number(v);
}

void feed_json_db(const json_t *obj, aw_feed_info *info)
{
    feed_json_text(json_object_get(obj, "r"), info->registration, sizeof info->registration);
    feed_json_text(json_object_get(obj, "t"), info->type, sizeof info->type);
    json_t *flags = json_object_get(obj, "dbFlags");
    if (json_is_integer(flags) && json_integer_value(flags) >= 0 &&
        json_integer_value(flags) <= INT_MAX) /* a bit set an int holds, or nothing */
        info->db_flags = (int)json_integer_value(flags);
    info->military = (info->db_flags & AW_DBFLAG_MILITARY) != 0;
}
