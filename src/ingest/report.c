/* report.c -- the report value every parser fills. */
#include <math.h>
#include <string.h>

#include "adizwatch/report.h"

void aw_report_clear(aw_report *r)
{
    memset(r, 0, sizeof *r);
    r->lat = r->lon = NAN;
    r->alt_ft = NAN;
    r->speed_kt = NAN;
    r->track_deg = NAN;
}
