/* tile_recording.c -- a real recording tiled into a large replay for the benchmark.
 *
 * usage: tile_recording TRACKS.csv REPORTS COPIES
 * Reads a recording in adizwatch CSV (time,id,lat,lon,alt_ft,callsign, in time order,
 * as ../shared/data/cases/NAME/tracks.csv) and writes REPORTS reports to stdout from
 * COPIES copies of it. Copy c renames every id to "<id>-<c>" and shifts every time by
 * c * (span / COPIES), so the copies overlap in time and interleave as the aircraft of
 * one large feed would; positions, altitudes and callsigns are the recording's own
 * (so is the fraction of reports inside each zone). When COPIES copies of the whole
 * recording are more than REPORTS, each copy keeps a window of REPORTS / COPIES
 * consecutive reports, starting at a different place in the recording for each copy:
 * that is how a replay with a million aircraft (each seen for a short while) is made.
 * The output is in time order (a merge of the copies). COPIES * (reports in the
 * recording) must reach REPORTS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    double time;
    char *rest_after_id; /* ",lat,lon,alt_ft,callsign" */
    char *id;
} row;

/* A binary heap of copies ordered by the time of their next row. */
typedef struct cursor {
    double time;
    long copy, next, end;
} cursor;

static void sift_down(cursor *h, long n, long i)
{
    for (;;) {
        long l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && h[l].time < h[m].time)
            m = l;
        if (r < n && h[r].time < h[m].time)
            m = r;
        if (m == i)
            return;
        cursor t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tile_recording TRACKS.csv REPORTS COPIES\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    long total = atol(argv[2]), copies = atol(argv[3]);
    if (!f || total <= 0 || copies <= 0) {
        fprintf(stderr, "tile_recording: cannot read %s, or bad counts\n", argv[1]);
        return 1;
    }
    char line[4096];
    if (!fgets(line, sizeof line, f) || strncmp(line, "time,id,lat,lon,alt_ft,callsign", 31) != 0) {
        fprintf(stderr, "tile_recording: %s is not time,id,lat,lon,alt_ft,callsign CSV\n", argv[1]);
        return 1;
    }
    row *rows = NULL;
    long n = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        if (!c2)
            continue;
        line[strcspn(line, "\r\n")] = 0;
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            rows = realloc(rows, (size_t)cap * sizeof *rows);
        }
        *c1 = *c2 = 0;
        rows[n].time = atof(line);
        rows[n].id = strdup(c1 + 1);
        *c2 = ',';
        rows[n].rest_after_id = strdup(c2);
        n++;
    }
    fclose(f);
    if (n < 2) {
        fprintf(stderr, "tile_recording: %s has fewer than two reports\n", argv[1]);
        return 1;
    }
    double span = rows[n - 1].time - rows[0].time;
    long per_copy = (total + copies - 1) / copies;
    if (per_copy > n) {
        fprintf(stderr, "tile_recording: %ld copies of %ld reports cannot make %ld; ask for more copies\n",
                copies, n, total);
        return 1;
    }
    cursor *h = malloc((size_t)copies * sizeof *h);
    for (long c = 0; c < copies; c++) {
        /* Windows start at spread-out places (a multiplicative step modulo the room). */
        long room = n - per_copy + 1;
        long start = per_copy == n ? 0 : (long)(((unsigned long long)c * 2654435761ull) % (unsigned long long)room);
        h[c] = (cursor){rows[start].time + (double)c * span / (double)copies, c, start, start + per_copy};
    }
    for (long i = copies / 2; i >= 0; i--)
        sift_down(h, copies, i);
    printf("time,id,lat,lon,alt_ft,callsign\n");
    long hn = copies, written = 0;
    while (written < total && hn > 0) {
        cursor *c = &h[0];
        const row *r = &rows[c->next];
        printf("%.3f,%s-%ld%s\n", c->time, r->id, c->copy, r->rest_after_id);
        written++;
        double shift = c->time - r->time;
        if (++c->next == c->end) {
            h[0] = h[--hn];
        } else {
            c->time = rows[c->next].time + shift;
        }
        sift_down(h, hn, 0);
    }
    return 0;
}
