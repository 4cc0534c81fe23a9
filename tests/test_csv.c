/* test_csv.c -- CSV headers (our names, OpenSky's, traffic's) and rows, good and bad. */
#include <math.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "check.h"

#define OWN_HEADER "time,id,lat,lon,alt_ft,callsign,squawk,speed_kt,track_deg"

#define OPENSKY_HEADER                                                                       \
    "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"      \
    "baroaltitude,geoaltitude,lastposupdate,lastcontact,serials,hour"
#define OPENSKY_ROW                                                                          \
    "2017-02-05T16:00:01.000Z,406d95,43.45139325675318,1.773768833705357,126.1437248807962," \
    "216.54276379722853,-4.8768,EZY158T,false,false,false,1000,2125.98,2065.02,"             \
    "1486310398.653,1486310400.959,\"[\"\"1433801924\"\",\"\"-1498608228\"\"]\","           \
    "2017-02-05T16:00:00.000Z"

static int header(const char *line, aw_csv_columns *c, char *err, size_t errlen)
{
    return aw_csv_header(line, strlen(line), c, err, errlen);
}

static aw_parse_result row(const aw_csv_columns *c, const char *line, aw_report *r, char *err)
{
    return aw_csv_parse(c, line, strlen(line), r, err, 200);
}

/* The row must be refused with a reason containing every one of the given words. */
static void refused(const aw_csv_columns *c, const char *line, const char *w1, const char *w2)
{
    aw_report r;
    char err[200] = "";
    aw_parse_result res = row(c, line, &r, err);
    CHECK(res == AW_PARSE_BAD);
    CHECK(strstr(err, w1) != NULL);
    if (w2)
        CHECK(strstr(err, w2) != NULL);
    if (res != AW_PARSE_BAD || !strstr(err, w1) || (w2 && !strstr(err, w2)))
        fprintf(stderr, "  line \"%s\": result %d, reason \"%s\"\n", line, res, err);
}

static void test_format(void)
{
    aw_format f = AW_FORMAT_CSV;
    CHECK(aw_format_parse("sbs", &f) == 0 && f == AW_FORMAT_SBS);
    CHECK(aw_format_parse("csv", &f) == 0 && f == AW_FORMAT_CSV);
    CHECK(aw_format_parse("auto", &f) == 0 && f == AW_FORMAT_AUTO);
    CHECK(aw_format_parse("SBS", &f) == 0 && f == AW_FORMAT_SBS);
    CHECK(aw_format_parse("json", &f) == -1);
    CHECK(aw_format_parse("", &f) == -1);
    CHECK(aw_format_parse("csvx", &f) == -1);

    static const char *const sbs[] = {"MSG,3,1,1,789252", "SEL,,", "ID,", "AIR,,1", "STA,,",
                                      "CLK,,"};
    for (size_t i = 0; i < sizeof sbs / sizeof sbs[0]; i++)
        CHECK(aw_format_detect(sbs[i], strlen(sbs[i])) == AW_FORMAT_SBS);
    static const char *const csv[] = {OWN_HEADER, OPENSKY_HEADER, "MSG", "msg,3", "IDENT,x",
                                      ""};
    for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++)
        CHECK(aw_format_detect(csv[i], strlen(csv[i])) == AW_FORMAT_CSV);
    CHECK(aw_format_detect("MSG,3", 3) == AW_FORMAT_CSV); /* the length is honoured */
}

static void test_headers(void)
{
    aw_csv_columns c;
    char err[200] = "";

    CHECK(header(OWN_HEADER, &c, err, sizeof err) == 0);
    CHECK(c.time == 0 && c.id == 1 && c.lat == 2 && c.lon == 3 && c.alt_ft == 4);
    CHECK(c.callsign == 5 && c.squawk == 6 && c.speed_kt == 7 && c.track_deg == 8);
    CHECK(c.alt_scale == 1 && c.speed_scale == 1 && c.ncols == 9);

    /* OpenSky raw state vectors: metres and metres per second. */
    CHECK(header(OPENSKY_HEADER, &c, err, sizeof err) == 0);
    CHECK(c.time == 0 && c.id == 1 && c.lat == 2 && c.lon == 3);
    CHECK(c.speed_kt == 4 && c.track_deg == 5 && c.callsign == 7 && c.squawk == 11);
    CHECK(c.alt_ft == 12); /* baroaltitude, not geoaltitude */
    CHECK_NEAR(c.alt_scale, 3.280839895, 1e-9);
    CHECK_NEAR(c.speed_scale, 1.943846, 1e-6);
    CHECK(c.ncols == 18);

    CHECK(header("time,icao24,lat,lon,geoaltitude", &c, err, sizeof err) == 0);
    CHECK(c.alt_ft == 4);
    CHECK_NEAR(c.alt_scale, 1 / 0.3048, 1e-12);
    CHECK(c.callsign == -1 && c.squawk == -1 && c.speed_kt == -1 && c.track_deg == -1);

    /* Feet wins over metres whatever the column order. */
    CHECK(header("time,id,lat,lon,baroaltitude,altitude", &c, err, sizeof err) == 0);
    CHECK(c.alt_ft == 5 && c.alt_scale == 1);
    CHECK(header("time,id,lat,lon,geoaltitude,baroaltitude", &c, err, sizeof err) == 0);
    CHECK(c.alt_ft == 5);
    CHECK(header("time,id,lat,lon,alt_ft,altitude", &c, err, sizeof err) == 0);
    CHECK(c.alt_ft == 4);
    CHECK(header("time,id,lat,lon,velocity,groundspeed", &c, err, sizeof err) == 0);
    CHECK(c.speed_kt == 5 && c.speed_scale == 1);
    CHECK(header("time,id,lat,lon,heading,track,track_deg", &c, err, sizeof err) == 0);
    CHECK(c.track_deg == 6);

    /* The traffic library's names. */
    CHECK(header("timestamp,icao24,latitude,longitude,groundspeed,track,vertical_rate,"
                 "callsign,onground,alert,spi,squawk,altitude,geoaltitude",
                 &c, err, sizeof err) == 0);
    CHECK(c.time == 0 && c.id == 1 && c.lat == 2 && c.lon == 3 && c.speed_kt == 4);
    CHECK(c.track_deg == 5 && c.callsign == 7 && c.squawk == 11 && c.alt_ft == 12);
    CHECK(c.alt_scale == 1 && c.speed_scale == 1 && c.ncols == 14);

    /* Case, blanks, quotes, a byte order mark, CRLF. */
    CHECK(header("\xEF\xBB\xBF\"Time\", ICAO24 ,\"LATITUDE\",Lng,\r", &c, err, sizeof err) == 0);
    CHECK(c.time == 0 && c.id == 1 && c.lat == 2 && c.lon == 3 && c.ncols == 5);

    /* Missing required columns are all named, with the names that would do. */
    err[0] = '\0';
    CHECK(header("time,icao24,alt_ft", &c, err, sizeof err) == -1);
    CHECK(strstr(err, "lat") != NULL && strstr(err, "latitude") != NULL);
    CHECK(strstr(err, "lon") != NULL && strstr(err, "lng") != NULL);
    CHECK(strstr(err, "time") == NULL);
    err[0] = '\0';
    CHECK(header("", &c, err, sizeof err) == -1);
    CHECK(strstr(err, "time") && strstr(err, "id") && strstr(err, "lat") && strstr(err, "lon"));
    CHECK(header("timestamp,icao,lat,lon", &c, err, sizeof err) == -1);
    CHECK(strstr(err, "id") != NULL);
    CHECK(header("time,\"id,lat,lon", &c, err, sizeof err) == -1);
    CHECK(strstr(err, "quote") != NULL);
    /* A tiny or absent error buffer is not a crash. */
    char tiny[8];
    CHECK(header("x,y", &c, tiny, sizeof tiny) == -1 && strlen(tiny) == 7);
    CHECK(header("x,y", &c, NULL, 0) == -1);
}

static void test_opensky_row(void)
{
    aw_csv_columns c;
    aw_report r;
    char err[200] = "";
    CHECK(header(OPENSKY_HEADER, &c, err, sizeof err) == 0);
    CHECK(row(&c, OPENSKY_ROW, &r, err) == AW_PARSE_REPORT);
    CHECK_NEAR(r.time, 1486310401.0, 1e-9);
    CHECK_STR(r.track, "406d95");
    CHECK(r.has_position);
    CHECK_NEAR(r.lat, 43.45139325675318, 1e-12);
    CHECK_NEAR(r.lon, 1.773768833705357, 1e-12);
    CHECK_NEAR(r.alt_ft, 6974.99, 0.01); /* 2125.98 m */
    CHECK_NEAR(r.speed_kt, 245.2, 0.05); /* 126.14 m/s */
    CHECK_NEAR(r.track_deg, 216.54276379722853, 1e-9);
    CHECK_STR(r.callsign, "EZY158T");
    CHECK_STR(r.squawk, "1000");

    /* With CRLF, and with OpenSky's empty fields for an aircraft lacking data. */
    CHECK(row(&c, OPENSKY_ROW "\r", &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "406d95");
    CHECK(row(&c, "1486310401,3C6444,50.1,8.6,,,,,true,false,false,,,,,1486310400.959,,",
              &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "3c6444");
    CHECK(r.time == 1486310401);
    CHECK(isnan(r.alt_ft) && isnan(r.speed_kt) && isnan(r.track_deg));
    CHECK_STR(r.callsign, "");
    CHECK_STR(r.squawk, "");
}

static void test_own_rows(void)
{
    aw_csv_columns c;
    aw_report r;
    char err[200] = "";
    CHECK(header(OWN_HEADER, &c, err, sizeof err) == 0);

    CHECK(row(&c, "2022-11-30T12:48:00+09:00,86D42A,34.5,135.25,35000,\" JAL123 \",7700,"
                  "450.5,90",
              &r, err) == AW_PARSE_REPORT);
    CHECK(r.time == 1669780080);
    CHECK_STR(r.track, "86d42a");
    CHECK(r.has_position);
    CHECK(r.lat == 34.5 && r.lon == 135.25 && r.alt_ft == 35000);
    CHECK_STR(r.callsign, "JAL123");
    CHECK_STR(r.squawk, "7700");
    CHECK(r.speed_kt == 450.5 && r.track_deg == 90);

    /* Only 6-hex-digit ids are ICAO addresses to lower-case; others are kept as given. */
    CHECK(row(&c, "0,RADAR-17,1,2,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "RADAR-17");
    CHECK(row(&c, "0,ABCDEF0,1,2,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "ABCDEF0");
    CHECK(row(&c, "0,ABCDEG,1,2,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "ABCDEG");
    CHECK(row(&c, "0,\"~ABC\",1,2,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "~ABC");

    /* Quoted fields with commas and doubled quotes; blanks around fields. */
    CHECK(row(&c, "\"1669780080\", \"a,\"\"b\" ,\"-33.5\", 151.25 ,\"\",,,,", &r, err) ==
          AW_PARSE_REPORT);
    CHECK_STR(r.track, "a,\"b");
    CHECK(r.time == 1669780080 && r.lat == -33.5 && r.lon == 151.25 && isnan(r.alt_ft));

    /* All optional fields empty: unknown, not bad. */
    CHECK(row(&c, "1669780080.25,abc123,0,0,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK(r.time == 1669780080.25);
    CHECK(isnan(r.alt_ft) && isnan(r.speed_kt) && isnan(r.track_deg));
    CHECK_STR(r.callsign, "");
    CHECK_STR(r.squawk, "");

    /* A short row that still reaches the required columns is fine. */
    CHECK(row(&c, "1669780080,abc123,10,20", &r, err) == AW_PARSE_REPORT);
    CHECK(r.lat == 10 && r.lon == 20 && isnan(r.alt_ft));

    /* The edges of the world are in it. */
    CHECK(row(&c, "0,a,90,180,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK(row(&c, "0,a,-90,-180,,,,,", &r, err) == AW_PARSE_REPORT);
    CHECK(r.lat == -90 && r.lon == -180);

    /* Id and callsign at their longest. */
    CHECK(row(&c, "0,abcdefghijklmnopqrstuvwxyz01234,1,2,,ABCDEFGHIJK,,,", &r, err) ==
          AW_PARSE_REPORT);
    CHECK(strlen(r.track) == 31);
    CHECK_STR(r.callsign, "ABCDEFGHIJK");

    /* Nothing there. */
    CHECK(row(&c, "", &r, err) == AW_PARSE_SKIP);
    CHECK(row(&c, "\r", &r, err) == AW_PARSE_SKIP);
    CHECK(row(&c, "  \t ", &r, err) == AW_PARSE_SKIP);

    /* A row is only what len says. */
    const char *two = "0,a,1,2,,,,,\n0,b,3,4,,,,,";
    CHECK(aw_csv_parse(&c, two, 12, &r, err, sizeof err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "a");
}

static void test_bad_rows(void)
{
    aw_csv_columns c;
    char err[200] = "";
    CHECK(header(OWN_HEADER, &c, err, sizeof err) == 0);

    refused(&c, "0,a,91.5,2,,,,,", "lat \"91.5\" out of range [-90, 90]", NULL);
    refused(&c, "0,a,-90.0001,2,,,,,", "lat", "range");
    refused(&c, "0,a,1,180.5,,,,,", "lon \"180.5\" out of range [-180, 180]", NULL);
    refused(&c, "0,a,1,-181,,,,,", "lon", "range");
    refused(&c, "abc,a,1,2,,,,,", "time \"abc\" is not a time", NULL);
    refused(&c, "2022-11-30T03:48:00,a,1,2,,,,,", "time", "not a time"); /* no zone */
    refused(&c, ",a,1,2,,,,,", "time is empty", NULL);
    refused(&c, "0,,1,2,,,,,", "id is empty", NULL);
    refused(&c, "0,\"  \",1,2,,,,,", "id is empty", NULL);
    refused(&c, "0,abcdefghijklmnopqrstuvwxyz012345,1,2,,,,,", "id longer than 31 bytes",
            NULL);
    refused(&c, "0,a,,2,,,,,", "lat is empty", NULL);
    refused(&c, "0,a,1,,,,,,", "lon is empty", NULL);
    refused(&c, "0,a,north,2,,,,,", "lat \"north\" is not a number", NULL);
    refused(&c, "0,a,1,2x,,,,,", "lon \"2x\" is not a number", NULL);
    refused(&c, "0,a,1,2 3,,,,,", "lon", "not a number");
    refused(&c, "0,a,nan,2,,,,,", "lat", "finite");
    refused(&c, "0,a,1,-inf,,,,,", "lon", "finite");
    refused(&c, "0,a,1,0x10,,,,,", "lon", "not a number");
    refused(&c, "0,a,1,2,high,,,,", "altitude \"high\" is not a number", NULL);
    refused(&c, "0,a,1,2,1e999,,,,", "altitude", "finite");
    refused(&c, "0,a,1,2,,,,fast,", "speed", "not a number");
    refused(&c, "0,a,1,2,,,,,NaN", "track", "finite");
    refused(&c, "0,a,1,2,,ABCDEFGHIJKL,,,", "callsign", "longer than 11 bytes");
    refused(&c, "0,a,1,2,,,77000000,,", "squawk", "longer");
    refused(&c, "0,a,1", "expected 9 columns, got 3", NULL);
    refused(&c, "0,a,1,2,,,,,,", "expected 9 columns, got 10", NULL);
    refused(&c, "0,a,1,2,,\"JAL,,,,", "quote", NULL);
    /* A very long field is shown cut short, not in full. */
    char longlat[300] = "0,a,";
    memset(longlat + 4, '1', 250);
    strcpy(longlat + 254, ",2,,,,,");
    refused(&c, longlat, "lat", "...");

    /* A tiny error buffer still gets a (truncated) reason. */
    aw_report r;
    char tiny[6];
    CHECK(aw_csv_parse(&c, "0,a,91,2,,,,,", 13, &r, tiny, sizeof tiny) == AW_PARSE_BAD);
    CHECK_STR(tiny, "lat \"");
    CHECK(aw_csv_parse(&c, "0,a,91,2,,,,,", 13, &r, NULL, 0) == AW_PARSE_BAD);

    /* Required columns past the optional ones: a row must reach them. */
    CHECK(header("callsign,alt_ft,time,id,lat,lon", &c, err, sizeof err) == 0);
    refused(&c, "JAL1,100,0,a", "expected 6 columns, got 4", NULL);
    CHECK(row(&c, "JAL1,100,0,a,1,2", &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.callsign, "JAL1");
}

int main(void)
{
    test_format();
    test_headers();
    test_opensky_row();
    test_own_rows();
    test_bad_rows();
    return check_done("csv");
}
