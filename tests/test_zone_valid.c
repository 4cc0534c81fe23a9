/* test_zone_valid.c -- the grid self-intersection check (zone_valid.c) gives the very
 * messages, in the very order, of the latitude-bin check it replaced, kept here as the
 * reference: on random polygons (most of them crossing themselves many times over, so
 * that the stop after 20 reports is exercised), star polygons with and without holes,
 * holes that cross or touch their outer ring, collinear and repeated vertices, rings
 * across the antimeridian and the three edge kinds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "random.h"
#include "zones/zone.h"

typedef struct messages {
    int count;
    char text[1 << 16];
} messages;

static void collect(const char *message, void *user)
{
    messages *m = user;
    size_t len = strlen(m->text);
    if (len + strlen(message) + 2 < sizeof m->text)
        snprintf(m->text + len, sizeof m->text - len, "%s\n", message);
    m->count++;
}

static bool starts_edge(const aw_ring *r, int i) { return i == 0 || r->edge[i - 1] != r->edge[i]; }

/* The check as it was: each chord against the chords in its latitude bins of every ring. */
static int reference_check(const aw_polygon *poly, void (*fn)(const char *, void *), void *user)
{
    int found = 0;
    for (int r1 = 0; r1 < poly->nrings; r1++) {
        const aw_ring *a = &poly->rings[r1];
        for (int r2 = r1; r2 < poly->nrings; r2++) {
            const aw_ring *b = &poly->rings[r2];
            for (int i = 0; i < a->n && found < 20; i++) {
                double ya = fmin(a->lat[i], a->lat[i + 1]), yb = fmax(a->lat[i], a->lat[i + 1]);
                if (yb < b->min_lat || ya > b->max_lat)
                    continue;
                int b0 = aw_ring_bin(b, ya), b1 = aw_ring_bin(b, yb);
                for (int bin = b0; bin <= b1; bin++)
                    for (int k = b->bin_start[bin]; k < b->bin_start[bin + 1]; k++) {
                        int j = b->bin_items[k];
                        int first = aw_ring_bin(b, fmin(b->lat[j], b->lat[j + 1]));
                        if ((first > b0 ? first : b0) != bin)
                            continue;
                        if (r1 == r2 && (j <= i + 1 || (i == 0 && j == a->n - 1)))
                            continue;
                        double u, t = aw_chord_meet(a->lon[i], a->lat[i], a->lon[i + 1], a->lat[i + 1],
                                                    b->lon[j], b->lat[j], b->lon[j + 1], b->lat[j + 1], &u);
                        if (t < 0 || t > 1 - 1e-9 || u > 1 - 1e-9)
                            continue;
                        if (r1 == r2 && a->edge[i] == b->edge[j])
                            continue;
                        if (r1 != r2 && ((t < 1e-9 && starts_edge(a, i)) || (u < 1e-9 && starts_edge(b, j))))
                            continue;
                        char msg[200];
                        snprintf(msg, sizeof msg,
                                 "self-intersection: ring %d edge %d crosses ring %d edge %d near "
                                 "(%.5f, %.5f)",
                                 r1, a->edge[i], r2, b->edge[j], a->lon[i] + t * (a->lon[i + 1] - a->lon[i]),
                                 a->lat[i] + t * (a->lat[i + 1] - a->lat[i]));
                        fn(msg, user);
                        found++;
                    }
            }
        }
    }
    return found;
}

static int polygons, crossing;

/* Build the rings (closed lon, lat lists), run both checks, compare. */
static void compare(double **rings, const int *sizes, int nrings, aw_edge_kind edges)
{
    aw_polygon poly = {0, calloc((size_t)nrings, sizeof(aw_ring))};
    for (int r = 0; r < nrings; r++) {
        if (aw_ring_build(&poly.rings[r], rings[r], sizes[r], edges) < 0)
            break; /* a ring round a pole or without extent: not a polygon to check */
        poly.nrings = r + 1;
    }
    if (poly.nrings == nrings) {
        static messages got, want;
        memset(&got, 0, sizeof got);
        memset(&want, 0, sizeof want);
        int n_got = aw_polygon_self_intersections(&poly, collect, &got);
        int n_want = reference_check(&poly, collect, &want);
        CHECK(n_got == n_want && got.count == want.count);
        CHECK(strcmp(got.text, want.text) == 0);
        if (strcmp(got.text, want.text) != 0)
            fprintf(stderr, "grid check:\n%s\nbin check:\n%s\n", got.text, want.text);
        polygons++;
        crossing += n_want > 0;
    }
    for (int r = 0; r < poly.nrings; r++)
        aw_ring_free(&poly.rings[r]);
    free(poly.rings);
}

/* A closed ring of n vertices around (clon, clat): a star (sorted bearings, radii in
 * [r0, r1]) or, when tangled, vertices in random order. */
static double *ring_of(int n, double clon, double clat, double r0, double r1, bool tangled)
{
    double *ll = malloc(2 * ((size_t)n + 1) * sizeof *ll);
    for (int i = 0; i < n; i++) {
        double b = tangled ? 2 * M_PI * uniform() : 2 * M_PI * (i + 0.1 + 0.8 * uniform()) / n;
        double d = r0 + (r1 - r0) * uniform();
        ll[2 * i] = clon + d * cos(b) / fmax(0.2, cos(clat * M_PI / 180));
        ll[2 * i + 1] = clat + d * sin(b);
    }
    ll[2 * n] = ll[0];
    ll[2 * n + 1] = ll[1];
    return ll;
}

static void test_random(void)
{
    const aw_edge_kind kinds[] = {AW_EDGE_GEODESIC, AW_EDGE_RHUMB, AW_EDGE_PLANAR};
    for (int k = 0; k < 600; k++) {
        aw_edge_kind e = kinds[k % 3];
        double clon = k % 7 == 0 ? 179.5 : -170 + 340 * uniform(), clat = -70 + 140 * uniform();
        double size = k % 5 == 0 ? 0.01 : 0.2 + 3 * uniform();
        int n = 4 + (int)(uniform() * (k % 4 == 0 ? 240 : 40));
        int sizes[3];
        double *rings[3];
        int nrings = 1;
        rings[0] = ring_of(n, clon, clat, 0.5 * size, size, k % 2 == 0);
        sizes[0] = n + 1;
        if (k % 3 == 1) { /* holes: inside the star's inner radius, or reaching out of it */
            for (int h = 1; h < 3; h++) {
                double reach = k % 6 == 1 ? 0.45 : 0.9;
                int nh = 3 + (int)(uniform() * 12);
                rings[h] = ring_of(nh, clon + (h - 1.5) * 0.2 * size, clat, 0.05 * size, reach * size, false);
                sizes[h] = nh + 1;
            }
            nrings = 3;
        }
        compare(rings, sizes, nrings, e);
        for (int r = 0; r < nrings; r++)
            free(rings[r]);
    }
}

static void test_adversarial(void)
{
    /* Collinear edges along one parallel and one meridian, a vertex repeated, a spike
     * back along its own edge, a bow tie, a hole touching at a vertex, one crossing at
     * a vertex, a grid of crossing zigzags (hundreds of crossings: the stop after 20). */
    double notch[] = {0, 0, 4, 0, 4, 4, 3, 4, 3, 2, 2, 2, 2, 4, 1, 4, 1, 2, 0, 2, 0, 0};
    double repeat[] = {0, 0, 2, 0, 2, 0, 2, 2, 0, 2, 0, 0};
    double spike[] = {0, 0, 2, 0, 2, 1, 3, 1, 2, 1, 2, 2, 0, 2, 0, 0};
    double bowtie[] = {0, 0, 2, 2, 2, 0, 0, 2, 0, 0};
    double outer[] = {0, 0, 4, 0, 4, 4, 0, 4, 0, 0};
    double touch[] = {0, 2, 1, 1, 2, 2, 1, 3, 0, 2};
    double cross[] = {-1, 2, 1, 1, 2, 2, 1, 3, -1, 2};
    double dateline[] = {179, 0, 181, 1, 179, 1, 181, 0, 179, 0};
    const aw_edge_kind kinds[] = {AW_EDGE_GEODESIC, AW_EDGE_RHUMB, AW_EDGE_PLANAR};
    for (int k = 0; k < 3; k++) {
        double *one[1];
        int sizes[2];
        one[0] = notch, sizes[0] = 11, compare(one, sizes, 1, kinds[k]);
        one[0] = repeat, sizes[0] = 6, compare(one, sizes, 1, kinds[k]);
        one[0] = spike, sizes[0] = 8, compare(one, sizes, 1, kinds[k]);
        one[0] = bowtie, sizes[0] = 5, compare(one, sizes, 1, kinds[k]);
        one[0] = dateline, sizes[0] = 5, compare(one, sizes, 1, kinds[k]);
        double *two[2] = {outer, touch};
        sizes[0] = sizes[1] = 5;
        compare(two, sizes, 2, kinds[k]);
        two[1] = cross;
        compare(two, sizes, 2, kinds[k]);
    }
    enum { Z = 60 };
    double zig[2 * (2 * Z + 1)];
    for (int i = 0; i < Z; i++) { /* back and forth across the same band */
        zig[4 * i] = i * 0.01, zig[4 * i + 1] = 0;
        zig[4 * i + 2] = i * 0.01 + 0.5, zig[4 * i + 3] = 1;
    }
    zig[4 * Z] = zig[0], zig[4 * Z + 1] = zig[1];
    double *one[1] = {zig};
    int sizes[1] = {2 * Z + 1};
    compare(one, sizes, 1, AW_EDGE_PLANAR);
    compare(one, sizes, 1, AW_EDGE_GEODESIC);
}

int main(void)
{
    test_random();
    test_adversarial();
    printf("%d polygons compared, %d of them not simple\n", polygons, crossing);
    CHECK(polygons > 500 && crossing > 100 && crossing < polygons - 100);
    return check_done("zone_valid");
}
