/* tz.c -- a time zone given as an offset (+09:00) or an IANA name (Asia/Seoul).
 *
 * Analysts think in "Asia/Seoul", not "+09:00", and a zone with summer time has no single
 * offset. A name is looked up in the C library's tz database (Debian's tzdata, installed
 * by scripts/setup.sh): the offset in force at a given instant, through TZ and
 * localtime_r. The name is checked against the database's files first, because the C
 * library quietly takes an unknown name for UTC. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adizwatch/ingest.h"

bool aw_tz_name_known(const char *name)
{
    if (!name || !name[0] || name[0] == '/' || strstr(name, "..") || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("/_+-", *p)))
            return false;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", name);
    return access(path, R_OK) == 0;
}

int aw_tz_offset_at(const char *spec, double t, int *offset_s)
{
    if (aw_parse_tz_offset(spec, offset_s) == 0)
        return 0;
    if (!aw_tz_name_known(spec))
        return -1;
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    setenv("TZ", spec, 1);
    tzset();
    time_t tt = (time_t)t;
    struct tm tm;
    int rc = localtime_r(&tt, &tm) ? 0 : -1;
    if (rc == 0)
        *offset_s = (int)tm.tm_gmtoff;
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
    return rc;
}
