/* test_sbs.c -- SBS-1 lines: positions, attributes, skipped types, malformed lines. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "check.h"

#define JST 32400

#define MSG3                                                                                 \
    "MSG,3,111,11111,789252,111111,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,," \
    "34.43697,136.04449,,,,,,0"
#define MSG4                                                                                 \
    "MSG,4,111,11111,789252,111111,2022/01/08,22:42:15.384,2022/01/08,22:42:15.368,,,387,248," \
    ",,0,,,,,0"

static aw_parse_result parse(const char *line, aw_report *r, char *err)
{
    return aw_sbs_parse(line, strlen(line), JST, r, err, 200);
}

/* The line must be refused with a reason containing every one of the given words. */
static void refused(const char *line, const char *w1, const char *w2)
{
    aw_report r;
    char err[200] = "";
    aw_parse_result res = parse(line, &r, err);
    CHECK(res == AW_PARSE_BAD);
    CHECK(strstr(err, w1) != NULL);
    if (w2)
        CHECK(strstr(err, w2) != NULL);
    if (res != AW_PARSE_BAD || !strstr(err, w1) || (w2 && !strstr(err, w2)))
        fprintf(stderr, "  line \"%s\": result %d, reason \"%s\"\n", line, res, err);
}

static void test_samples(void)
{
    aw_report r;
    char err[200] = "";

    CHECK(parse(MSG3, &r, err) == AW_PARSE_REPORT);
    CHECK(r.time == 1641649335.605); /* milliseconds kept exactly */
    CHECK_STR(r.track, "789252");
    CHECK(r.has_position);
    CHECK(r.lat == 34.43697 && r.lon == 136.04449);
    CHECK(r.alt_ft == 28000);
    CHECK(isnan(r.speed_kt) && isnan(r.track_deg));
    CHECK_STR(r.callsign, "");
    CHECK_STR(r.squawk, "");

    /* The same with a CRLF end, and in a receiver running on UTC or elsewhere. */
    CHECK(parse(MSG3 "\r", &r, err) == AW_PARSE_REPORT);
    CHECK(r.time == 1641649335.605);
    CHECK(aw_sbs_parse(MSG3, strlen(MSG3), 0, &r, err, sizeof err) == AW_PARSE_REPORT);
    CHECK(r.time == 1641681735.605);
    CHECK(aw_sbs_parse(MSG3, strlen(MSG3), -5 * 3600, &r, err, sizeof err) == AW_PARSE_REPORT);
    CHECK(r.time == 1641699735.605);
    /* An offset that is not whole minutes still shifts exactly. */
    CHECK(aw_sbs_parse(MSG3, strlen(MSG3), 30, &r, err, sizeof err) == AW_PARSE_REPORT);
    CHECK_NEAR(r.time, 1641681705.605, 1e-6);

    CHECK(parse(MSG4, &r, err) == AW_PARSE_REPORT);
    CHECK(!r.has_position);
    CHECK_STR(r.track, "789252");
    CHECK(r.time == 1641649335.384);
    CHECK(r.speed_kt == 387 && r.track_deg == 248);
    CHECK(isnan(r.alt_ft) && isnan(r.lat) && isnan(r.lon));
}

static void test_attributes(void)
{
    aw_report r;
    char err[200] = "";

    /* MSG 1: callsign, trimmed; the address is lower-cased. */
    CHECK(parse("MSG,1,1,1,86D42A,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,"
                "JAL123  ,,,,,,,,,,,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "86d42a");
    CHECK_STR(r.callsign, "JAL123");
    CHECK(!r.has_position);

    /* MSG 6: squawk. */
    CHECK(parse("MSG,6,1,1,86D42A,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,"
                ",,,,,,,7700,1,1,0,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.squawk, "7700");
    CHECK_STR(r.callsign, "");
    CHECK(!r.has_position);

    /* MSG 5: altitude only; kept, without a position. */
    CHECK(parse("MSG,5,1,1,86D42A,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,"
                ",36000,,,,,,,0,,0,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK(r.alt_ft == 36000 && !r.has_position);

    /* MSG 3 without a position (e.g. only an altitude decoded): attribute-only. */
    CHECK(parse("MSG,3,1,1,86D42A,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,"
                ",36000,,,,,,,0,0,0,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK(!r.has_position && r.alt_ft == 36000);

    /* MSG 2, surface position, with speed and track. */
    CHECK(parse("MSG,2,1,1,86D42A,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,"
                ",,12,270.5,34.43,136.04,,,,,,-1",
                &r, err) == AW_PARSE_REPORT);
    CHECK(r.has_position && isnan(r.alt_ft) && r.speed_kt == 12 && r.track_deg == 270.5);

    /* Negative coordinates and the edges of the world. */
    CHECK(parse("MSG,3,1,1,ABCDEF,1,2022/01/08,22:42:17,2022/01/08,22:42:17,,100,,,-90,-180,"
                ",,,,,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK(r.lat == -90 && r.lon == -180 && r.time == 1641649337);

    /* Non-ICAO addresses keep their '~'; short addresses are fine. */
    CHECK(parse("MSG,3,1,1,~2B4C5D,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,"
                ",1000,,,35.1,139.2,,,,,,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "~2b4c5d");
    CHECK(parse("MSG,8,1,1,A1,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,,,,,,,,,,,,0",
                &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "a1");

    /* Feeds that drop empty trailing fields: ten are enough. */
    CHECK(parse("MSG,8,1,1,4CA7B5,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522", &r,
                err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "4ca7b5");
    CHECK(parse("MSG,1,1,1,4CA7B5,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,RYR12", &r,
                err) == AW_PARSE_REPORT);
    CHECK_STR(r.callsign, "RYR12");
    /* Dashes in the date are read too. */
    CHECK(parse("MSG,8,1,1,4CA7B5,1,2022-01-08,22:42:15.605,2022/01/08,22:42:17.522", &r,
                err) == AW_PARSE_REPORT);
    CHECK(r.time == 1641649335.605);

    /* Types carrying nothing for us, and blank lines. */
    static const char *const skipped[] = {
        "AIR,,111,11111,789252,111111,2022/01/08,22:42:14.102,2022/01/08,22:42:14.102,,,,,,,,,,,,",
        "ID,,111,11111,789252,111111,2022/01/08,22:42:14.103,2022/01/08,22:42:14.103,CES5042",
        "SEL,,111,11111,789252,111111,2022/01/08,22:42:14.103,2022/01/08,22:42:14.103,CES5042",
        "STA,,111,11111,4CA7B5,111111,2022/01/08,22:42:19.003,2022/01/08,22:42:19.003,RM",
        "CLK,,,,,,2022/01/08,22:42:19.003,2022/01/08,22:42:19.003",
        "",
        "\r",
        " "};
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
        CHECK(parse(skipped[i], &r, err) == AW_PARSE_SKIP);
    }
}

static void test_bad(void)
{
    refused("XYZ,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "message type \"XYZ\"", NULL);
    refused("msg,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "message type", NULL);
    refused("MSG,9,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "transmission type \"9\"", "1-8");
    refused("MSG,,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "transmission type", NULL);
    refused("MSG,33,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "transmission type", NULL);
    refused("MSG,3,1,1,,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "hex ident is empty", NULL);
    refused("MSG,3,1,1,78925G,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "hex ident \"78925G\"", NULL);
    refused("MSG,3,1,1,7892521,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "hex ident", NULL);
    refused("MSG,3,1,1,~,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "hex ident", NULL);
    refused("MSG,3,1,1,789252,1,2022/13/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "date/time \"2022/13/08 22:42:15.605\"", NULL);
    refused("MSG,3,1,1,789252,1,2023/02/29,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "date/time", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,25:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "date/time", NULL);
    refused("MSG,3,1,1,789252,1,,,2022/01/08,22:42:15.566,,,,,,,,,,,,", "date/time", NULL);
    refused("MSG,3,1,1,789252,1,22/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "date/time", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15Z,2022/01/08,22:42:15.566,,,,,,,,,,,,",
            "date/time", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            "91.0,136.04449,,,,,,0",
            "lat \"91.0\" out of range [-90, 90]", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            "34.4,-180.01,,,,,,0",
            "lon \"-180.01\" out of range", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            "abc,136.04449,,,,,,0",
            "lat \"abc\" is not a number", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            "34.4,nan,,,,,,0",
            "lon", "finite");
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            "inf,136,,,,,,0",
            "lat", "finite");
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            "34.4,,,,,,,0",
            "lon is empty", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,"
            ",136,,,,,,0",
            "lat is empty", NULL);
    refused("MSG,3,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28k,,,"
            "34.4,136,,,,,,0",
            "altitude \"28k\" is not a number", NULL);
    refused("MSG,4,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,fast,248,"
            ",,0,,,,,0",
            "speed", "not a number");
    refused("MSG,4,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,,387,0x1,"
            ",,0,,,,,0",
            "track", "not a number");
    refused("MSG,1,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,"
            "ABCDEFGHIJKL,,,,,,,,,,,0",
            "callsign \"ABCDEFGHIJKL\" longer than 11 bytes", NULL);
    refused("MSG,6,1,1,789252,1,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,"
            ",,,,,,,77007700,,,,0",
            "squawk", "longer");
    refused("MSG,3,111,11111,789252,111111,2022/01/08,22:42:18", "expected 22 fields, got 8",
            NULL);
    refused("MSG", "expected 22 fields, got 1", NULL);
}

/* The fixture the CLI tests use: what each line gives. */
static void test_fixture(void)
{
    FILE *f = fopen(FIXTURES "/mixed.sbs", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[512];
    int reports = 0, positions = 0, skips = 0, bads = 0, lines = 0, crlf = 0;
    char err[200];
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        lines++;
        if (n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n')
            crlf++;
        if (n && line[n - 1] == '\n')
            n--;
        aw_report r;
        switch (aw_sbs_parse(line, n, JST, &r, err, sizeof err)) {
        case AW_PARSE_REPORT:
            reports++;
            positions += r.has_position;
            if (r.has_position)
                CHECK(r.time > 1641649330 && r.time < 1641649340);
            break;
        case AW_PARSE_SKIP: skips++; break;
        case AW_PARSE_BAD: bads++; break;
        }
    }
    fclose(f);
    CHECK(lines == 14 && crlf == 14);
    CHECK(reports == 9);
    CHECK(positions == 3);
    CHECK(skips == 3);
    CHECK(bads == 2);
}

int main(void)
{
    test_samples();
    test_attributes();
    test_bad();
    test_fixture();
    return check_done("sbs");
}
