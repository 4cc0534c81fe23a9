/* test_parse_paths.c -- the parsers' fast paths give what their general paths give.
 *
 * The CSV and SBS readers take shortcuts on the common shapes of a line: a row without
 * quotes is cut at every comma eight bytes at a time and its fields are read in place;
 * an SBS date and time go straight into a civil time instead of being reshaped into ISO
 * 8601 text first. These shortcuts must be invisible: the same report, the same double,
 * the same refusal as the quote-aware, text-based way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "adizwatch/ingest.h"
#include "check.h"
#include "ingest/field.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static unsigned rnd(unsigned n)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (unsigned)((rng * 2685821657736338717ull) >> 33) % n;
}

/* aw_field_split_commas against a byte-at-a-time split, on lines of every length and
 * comma placement (words of eight bytes, commas at their edges, runs of commas); and
 * whether it saw a quote. */
static void test_split(void)
{
    static const char alphabet[] = ",,,a0.\"-\t ,";
    char line[200];
    long bad = 0;
    for (int it = 0; it < 200000; it++) {
        size_t n = rnd(sizeof line);
        for (size_t i = 0; i < n; i++)
            line[i] = alphabet[rnd(sizeof alphabet - 1)];
        enum { MAX = 24 };
        span got[MAX], want[MAX];
        bool quoted;
        int ngot = aw_field_split_commas(line, n, got, MAX, &quoted), nwant = 0;
        size_t start = 0;
        for (size_t i = 0; i <= n; i++)
            if (i == n || line[i] == ',') {
                if (nwant < MAX)
                    want[nwant] = (span){line + start, i - start};
                nwant++;
                start = i + 1;
            }
        bool same = ngot == nwant && quoted == (memchr(line, '"', n) != NULL);
        for (int k = 0; same && k < nwant && k < MAX; k++)
            same = got[k].p == want[k].p && got[k].n == want[k].n;
        if (!same && bad++ < 3)
            fprintf(stderr, "  split of \"%.*s\": %d fields, want %d\n", (int)n, line, ngot,
                    nwant);
    }
    CHECK(bad == 0);
}

static bool same_report(const aw_report *a, const aw_report *b)
{
    return memcmp(a, b, sizeof *a) == 0; /* both cleared first, so padding agrees too */
}

static aw_parse_result csv_row(const aw_csv_columns *cols, const char *line, aw_report *r,
                               char *err)
{
    memset(r, 0, sizeof *r);
    err[0] = '\0';
    return aw_csv_parse(cols, line, strlen(line), r, err, 256);
}

/* A row read in place (no quotes anywhere) and the same row with every field quoted and
 * padded, which goes through the quote-aware split and the unquoting copy. */
static void test_csv_quoted_alike(void)
{
    static const char header[] = "time,id,lat,lon,alt_ft,callsign,squawk,speed_kt,track_deg";
    aw_csv_columns cols;
    char err[256], err2[256];
    CHECK(aw_csv_header(header, strlen(header), &cols, err, sizeof err) == 0);
    static const char *const rows[][9] = {
        {"1669766400.000", "780000", "38.96191", "122.45529", "26000", "T00000", "7700", "450",
         "90.5"},
        {"2022-11-30T12:48:00.605+09:00", "ABCDEF", "-90", "180", "", "", "", "", ""},
        {"-0", "x", "0.0000000000000000001", "1e2", "-0", "CS", "1234", "1.5E1", "nan"},
        {"1669766400.123456789012345678901", "id", "91", "0", "1", "", "", "", ""},
        {"1669766400", "", "1", "2", "3", "", "", "", ""},
        {"1669766400", "id", "1", "2", "inf", "", "", "", ""},
        {"1669766400", "id", "1", "2", "3", "CALLSIGNTOOLONG", "", "", ""},
        {"12:00", "id", "1", "2", "3", "", "", "", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char plain[512], quoted[512];
        size_t np = 0, nq = 0;
        for (int k = 0; k < 9; k++) {
            np += (size_t)snprintf(plain + np, sizeof plain - np, "%s%s", k ? "," : "",
                                   rows[i][k]);
            nq += (size_t)snprintf(quoted + nq, sizeof quoted - nq, "%s \"%s\" ", k ? "," : "",
                                   rows[i][k]);
        }
        aw_report a, b;
        aw_parse_result ra = csv_row(&cols, plain, &a, err);
        aw_parse_result rb = csv_row(&cols, quoted, &b, err2);
        CHECK(ra == rb);
        CHECK(ra != AW_PARSE_REPORT || same_report(&a, &b));
        if (ra != rb || (ra == AW_PARSE_REPORT && !same_report(&a, &b)))
            fprintf(stderr, "  row %zu: %d [%s] vs %d [%s]\n", i, ra, err, rb, err2);
    }
    /* An open quote is still named by its column. */
    aw_report r;
    CHECK(csv_row(&cols, "1669766400,\"id,1,2", &r, err) == AW_PARSE_BAD);
    CHECK_STR(err, "column 2 has an unterminated quote");
    CHECK(csv_row(&cols, "1669766400,id,1,2,3,4,5,6,7,8", &r, err) == AW_PARSE_BAD);
    CHECK_STR(err, "expected 9 columns, got 10");
}

/* A header whose columns run past what a row is cut into at once: the roles mapped
 * beyond are still found. */
static void test_csv_wide(void)
{
    char header[1024], row[1024];
    size_t nh = 0, nr = 0;
    for (int k = 0; k < 70; k++) {
        nh += (size_t)snprintf(header + nh, sizeof header - nh, "%sc%d", k ? "," : "", k);
        nr += (size_t)snprintf(row + nr, sizeof row - nr, "%s%d", k ? "," : "", k);
    }
    nh += (size_t)snprintf(header + nh, sizeof header - nh, ",time,id,lat,lon");
    aw_csv_columns cols;
    char err[256];
    CHECK(aw_csv_header(header, nh, &cols, err, sizeof err) == 0);
    aw_report r;
    snprintf(row + nr, sizeof row - nr, ",1669766400.5,abc,12.5,-3.25");
    CHECK(csv_row(&cols, row, &r, err) == AW_PARSE_REPORT);
    CHECK(r.time == 1669766400.5 && r.lat == 12.5 && r.lon == -3.25);
    CHECK_STR(r.track, "abc");
    snprintf(row + nr, sizeof row - nr, ",1669766400.5,\"a,b\",12.5,-3.25");
    CHECK(csv_row(&cols, row, &r, err) == AW_PARSE_REPORT);
    CHECK_STR(r.track, "a,b");
}

/* An SBS time is the ISO 8601 time of the same fields in a zone +HH:MM (an offset that
 * no such zone can write is applied after parsing as UTC). */
static void test_sbs_time(void)
{
    long bad = 0, accepted = 0;
    for (int it = 0; it < 300000; it++) {
        unsigned y = 1 + rnd(9999), mo = rnd(14), d = rnd(33), h = rnd(25), mi = rnd(61),
                 s = rnd(62), fd = rnd(12);
        char frac[16] = "";
        if (fd) {
            frac[0] = '.';
            for (unsigned k = 1; k <= fd; k++)
                frac[k] = (char)('0' + rnd(10));
            frac[fd + 1] = '\0';
        }
        int shape = (int)rnd(3); /* HH:MM:SS.f, HH:MM.f, HH:MM */
        char date[16], time[40], line[256], iso[96];
        snprintf(date, sizeof date, "%04u%c%02u%c%02u", y, rnd(2) ? '/' : '-', mo,
                 rnd(2) ? '/' : '-', d);
        if (shape == 0)
            snprintf(time, sizeof time, "%02u:%02u:%02u%s", h, mi, s, frac);
        else if (shape == 1)
            snprintf(time, sizeof time, "%02u:%02u%s", h, mi, frac);
        else
            snprintf(time, sizeof time, "%02u:%02u", h, mi);
        int tz = rnd(4) ? ((int)rnd(48 * 4) - 24 * 4) * 900 : (int)rnd(200000) - 100000;
        snprintf(line, sizeof line, "MSG,3,1,1,abcdef,1,%s,%s,,,,1,,,1,2", date, time);

        int zone = tz, after = 0;
        if (tz % 60 != 0 || tz <= -86400 || tz >= 86400) {
            after = tz;
            zone = 0;
        }
        int a = abs(zone) / 60;
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%s%c%02d:%02d", date, date + 5, date + 8, time,
                 zone < 0 ? '-' : '+', a / 60, a % 60);
        double want = 0, got = 0;
        bool want_ok = aw_parse_time(iso, strlen(iso), &want) == 0;
        want -= after;
        aw_report r;
        memset(&r, 0, sizeof r);
        char err[256];
        bool got_ok = aw_sbs_parse(line, strlen(line), tz, &r, err, sizeof err) ==
                      AW_PARSE_REPORT;
        got = r.time;
        accepted += got_ok;
        if ((got_ok != want_ok || (got_ok && memcmp(&got, &want, sizeof got) != 0)) &&
            bad++ < 3)
            fprintf(stderr, "  \"%s %s\" tz %d: %d %.17g, ISO \"%s\": %d %.17g\n", date, time,
                    tz, got_ok, got, iso, want_ok, want);
    }
    CHECK(bad == 0);
    CHECK(accepted > 100000); /* most are valid times */

    /* Shapes the ISO grammar refuses stay refused. */
    static const char *const refused[] = {"1:23:45", "12:3:45", "12:34:5", "12:34:",
                                          "12:34:56.", "12:34:56:78", "12:34.5.6", "12345",
                                          "12:34:56.1.2"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char line[128], err[256];
        snprintf(line, sizeof line, "MSG,3,1,1,abcdef,1,2022/11/30,%s,,,,1,,,1,2", refused[i]);
        aw_report r;
        CHECK(aw_sbs_parse(line, strlen(line), 0, &r, err, sizeof err) == AW_PARSE_BAD);
    }
}

int main(void)
{
    test_split();
    test_csv_quoted_alike();
    test_csv_wide();
    test_sbs_time();
    return check_done("parse_paths");
}
