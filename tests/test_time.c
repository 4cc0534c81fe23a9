/* test_time.c -- aw_parse_time and aw_parse_tz_offset: what is a time and what is not. */
#include <string.h>

#include "adizwatch/ingest.h"
#include "check.h"

static int parse(const char *s, double *out)
{
    return aw_parse_time(s, strlen(s), out);
}

/* The time must parse and equal want exactly (the parser promises correct rounding). */
static void ok(const char *s, double want)
{
    double t = -1;
    int rc = parse(s, &t);
    CHECK(rc == 0);
    CHECK(t == want);
    if (rc != 0 || t != want)
        fprintf(stderr, "  for \"%s\": rc %d, got %.6f, want %.6f\n", s, rc, t, want);
}

static void refused(const char *s)
{
    double t = 12345;
    int rc = parse(s, &t);
    CHECK(rc == -1);
    CHECK(t == 12345); /* untouched on failure */
    if (rc != -1)
        fprintf(stderr, "  \"%s\" was accepted as %.6f\n", s, t);
}

static void tz_ok(const char *s, int want)
{
    int got = -1;
    CHECK(aw_parse_tz_offset(s, &got) == 0);
    CHECK(got == want);
    if (got != want)
        fprintf(stderr, "  tz \"%s\": got %d, want %d\n", s, got, want);
}

static void tz_refused(const char *s)
{
    int got = 0;
    CHECK(aw_parse_tz_offset(s, &got) == -1);
}

int main(void)
{
    /* ISO 8601 with every accepted zone spelling; all the same instant. */
    ok("2022-11-30T03:48:00Z", 1669780080);
    ok("2022-11-30T03:48:00z", 1669780080);
    ok("2022-11-30 03:48:00Z", 1669780080);
    ok("2022-11-30t03:48:00Z", 1669780080);
    ok("2022-11-30T12:48:00+09:00", 1669780080);
    ok("2022-11-30T12:48:00+0900", 1669780080);
    ok("2022-11-30T12:48:00+09", 1669780080);
    ok("2022-11-29T22:18:00-05:30", 1669780080);
    ok("2022-11-30T03:48:00+00:00", 1669780080);
    ok("2022-11-30T03:48:00-00:00", 1669780080);
    ok("2022-11-30T03:48Z", 1669780080); /* seconds may be left out */

    /* Fractions: exact to the double nearest the decimal, as strtod would give. */
    ok("2022-01-08T13:42:15.605Z", 1641649335.605);
    ok("2022-01-08T22:42:15.605+09:00", 1641649335.605);
    ok("2022-01-08T13:42:15,605Z", 1641649335.605);
    ok("2017-02-05T16:00:01.000Z", 1486310401);
    ok("2017-02-05T16:00:01.5Z", 1486310401.5);
    ok("2017-02-05T16:00:01.123456Z", 1486310401.123456);
    CHECK(parse("2017-02-05T16:00:01.123456789123Z", &(double){0}) == 0);

    /* Calendar edges. */
    ok("1970-01-01T00:00:00Z", 0);
    ok("1969-12-31T23:59:59Z", -1);
    ok("1969-12-31T23:59:59.5Z", -0.5);
    ok("1970-01-01T09:00:00+09:00", 0);
    ok("2000-02-29T00:00:00Z", 951782400);  /* divisible by 400: leap */
    ok("2024-02-29T12:00:00Z", 1709208000); /* divisible by 4: leap */
    ok("2000-03-01T00:00:00Z", 951868800);
    ok("2038-01-19T03:14:08Z", 2147483648.0); /* past 32-bit time_t */
    ok("1900-03-01T00:00:00Z", -2203891200.0);
    ok("2016-12-31T23:59:60Z", 1483228800); /* a leap second reads as the next instant */
    ok("2022-12-31T23:59:59.999Z", 1672531199.999);

    /* Epoch seconds. */
    ok("1669780080", 1669780080);
    ok("1669780080.5", 1669780080.5);
    ok("1641649335.605", 1641649335.605);
    ok("-12.25", -12.25);
    ok("+3", 3);
    ok("0", 0);
    ok(".5", 0.5);
    ok("1486310398.", 1486310398);

    /* Not times. */
    refused("");
    refused("abc");
    refused("nan");
    refused("NaN");
    refused("inf");
    refused("-inf");
    refused("infinity");
    refused("1e9");
    refused("0x10");
    refused(".");
    refused("-");
    refused("12a");
    refused(" 1669780080");
    refused("1669780080 ");
    refused("2022-11-30T03:48:00");       /* no zone: refuse rather than guess */
    refused("2022-11-30 03:48:00");
    refused("2022-11-30T03:48:00.5");
    refused("2022-11-30");
    refused("2022-11-30Z");
    refused("2022-11-30T03:48:00Zjunk");  /* trailing junk */
    refused("2022-11-30T03:48:00Z ");
    refused("2022-11-30T03:48:00+09:00x");
    refused("2022-11-30T03:48:00+9");     /* one-digit hours only in aw_parse_tz_offset */
    refused("2022-11-30T03:48:00+090");
    refused("2022-11-30T03:48:00+24:00");
    refused("2022-11-30T03:48:00+09:60");
    refused("2022-11-30T03:48:00.Z");     /* a point needs digits */
    refused("2022-13-01T00:00:00Z");
    refused("2022-00-01T00:00:00Z");
    refused("2022-01-00T00:00:00Z");
    refused("2022-01-32T00:00:00Z");
    refused("2022-04-31T00:00:00Z");
    refused("2023-02-29T00:00:00Z"); /* not a leap year */
    refused("1900-02-29T00:00:00Z"); /* divisible by 100: not leap */
    refused("2022-11-30T24:00:00Z");
    refused("2022-11-30T23:60:00Z");
    refused("2022-11-30T23:59:61Z");
    refused("2022-11-30X03:48:00Z");
    refused("2022/11/30T03:48:00Z");
    refused("22-11-30T03:48:00Z");
    refused("2022-1-30T03:48:00Z");
    refused("2022-11-30T3:48:00Z");

    /* Length is honoured: the text after len is not part of the time. */
    double t = 0;
    CHECK(aw_parse_time("1669780080999", 10, &t) == 0 && t == 1669780080);
    CHECK(aw_parse_time("2022-11-30T03:48:00Zjunk", 20, &t) == 0 && t == 1669780080);
    CHECK(aw_parse_time("2022-11-30T03:48:00+09:00", 23, &t) == -1); /* cut to "+09:" */
    CHECK(aw_parse_time("2022-11-30T12:48:00+09:00", 22, &t) == 0 && t == 1669780080);

    /* Offsets. */
    tz_ok("Z", 0);
    tz_ok("z", 0);
    tz_ok("+09:00", 32400);
    tz_ok("+0900", 32400);
    tz_ok("+09", 32400);
    tz_ok("+9", 32400);
    tz_ok("-0530", -19800);
    tz_ok("-05:30", -19800);
    tz_ok("-5:30", -19800);
    tz_ok("+05:45", 20700);
    tz_ok("-00:00", 0);
    tz_ok("+14:00", 50400);
    tz_refused("");
    tz_refused("09:00");
    tz_refused("+");
    tz_refused("+930");
    tz_refused("+09:0");
    tz_refused("+09:000");
    tz_refused("+24:00");
    tz_refused("+09:60");
    tz_refused("+09:00 ");
    tz_refused("JST");
    tz_refused("UTC");
    tz_refused(NULL);

    return check_done("time");
}
