/* bench_parse.c -- the parser alone: the reference a replay is measured against.
 *
 * usage: bench_parse FILE [csv|sbs]
 * Reads FILE with the project's own line reader and parses every line with the
 * project's own CSV or SBS parser, exactly as `adizwatch replay` does (same buffer size,
 * same trimming, same err buffer), and does nothing else: no engine, no zones, no
 * output. `replay_real_over_parse` in bench/results.json is a replay's rate over this
 * one's on the same file in the same run, in CPU seconds (cpu_seconds: this process's
 * user + system time from the open to the end; "seconds" is the wall clock, which on a
 * shared machine also counts the time spent waiting for a core). Prints one JSON line. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adizwatch/ingest.h"

static double clock_s(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_parse FILE [csv|sbs]\n");
        return 2;
    }
    aw_format fmt = AW_FORMAT_AUTO;
    if (argc > 2 && aw_format_parse(argv[2], &fmt) < 0) {
        fprintf(stderr, "bench_parse: format csv or sbs\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    aw_line_reader *lr = aw_line_reader_new(fd, 1 << 20);
    aw_csv_columns cols;
    bool have_header = false;
    unsigned long long lines = 0, reports = 0, positions = 0, bad = 0;
    double check = 0; /* so that nothing parsed can be optimised away */
    const char *line;
    size_t len;
    aw_line_result res;
    while ((res = aw_line_reader_next(lr, &line, &len)) != AW_LINE_EOF) {
        if (res != AW_LINE_OK)
            continue;
        lines++;
        size_t trimmed = len;
        while (trimmed > 0 && (line[trimmed - 1] == '\r' || line[trimmed - 1] == ' '))
            trimmed--;
        if (trimmed == 0)
            continue;
        if (fmt == AW_FORMAT_AUTO)
            fmt = aw_format_detect(line, len);
        char err[256];
        err[0] = '\0';
        aw_report r;
        aw_parse_result pr;
        if (fmt == AW_FORMAT_CSV && !have_header) {
            if (aw_csv_header(line, len, &cols, err, sizeof err) < 0) {
                fprintf(stderr, "bench_parse: %s\n", err);
                return 1;
            }
            have_header = true;
            continue;
        }
        if (fmt == AW_FORMAT_CSV)
            pr = aw_csv_parse(&cols, line, len, &r, err, sizeof err);
        else
            pr = aw_sbs_parse(line, len, 0, &r, err, sizeof err);
        if (pr == AW_PARSE_BAD)
            bad++;
        if (pr != AW_PARSE_REPORT)
            continue;
        reports++;
        if (r.has_position) {
            positions++;
            check += r.lat + r.lon + r.time + (double)r.track[0];
        }
    }
    aw_line_reader_free(lr);
    close(fd);
    double s = clock_s(CLOCK_MONOTONIC) - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("{\"lines\": %llu, \"reports\": %llu, \"positions\": %llu, \"bad\": %llu, "
           "\"seconds\": %.4f, \"cpu_seconds\": %.4f, \"reports_per_s\": %.0f, \"check\": %.6g}\n",
           lines, reports, positions, bad, s, cpu, (double)reports / s, check);
    return 0;
}
