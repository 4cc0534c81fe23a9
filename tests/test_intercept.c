/* test_intercept.c -- the intercept solver against closed forms and brute force.
 *
 * On the equator a target flying east or west stays on the equator, and distances are
 * a x delta-longitude: head-on and tail-chase times follow by hand. Other geometries are
 * checked against brute-force time stepping (every 10 ms) on the same ellipsoid. */
#include <geodesic.h>
#include <math.h>

#include "adizwatch/intercept.h"
#include "check.h"

#define A_WGS84 6378137.0
#define DEG (3.14159265358979323846 / 180)

static struct geod_geodesic g;

/* First t (10 ms steps) at which the fighter can be where the target is. */
static double brute_force(const aw_intercept_input *in)
{
    for (double t = in->ready_s; t < in->horizon_s; t += 0.01) {
        double lat, lon, s;
        aw_intercept_target_at(in, t, &lat, &lon);
        geod_inverse(&g, in->base_lat, in->base_lon, lat, lon, &s, NULL, NULL);
        if (s <= in->fighter_speed_mps * (t - in->ready_s))
            return t;
    }
    return -1;
}

static void check_against_brute_force(aw_intercept_input in, const char *what)
{
    aw_intercept out;
    CHECK(aw_intercept_solve(&in, &out) == 0);
    double t = brute_force(&in);
    CHECK(out.possible == (t >= 0));
    if (!out.possible || t < 0)
        return;
    CHECK_NEAR(out.time_s, t, 1.0);
    double lat, lon, s;
    aw_intercept_target_at(&in, t, &lat, &lon);
    geod_inverse(&g, out.lat, out.lon, lat, lon, &s, NULL, NULL);
    if (s > 100)
        fprintf(stderr, "%s: meeting points %.0f m apart\n", what, s);
    CHECK(s <= 100);
    /* At the meeting, the fighter has flown exactly its reach. */
    CHECK_NEAR(out.fighter_distance_m, in.fighter_speed_mps * (out.time_s - in.ready_s), 1.0);
}

int main(void)
{
    geod_init(&g, A_WGS84, 1 / 298.257223563);
    aw_intercept out;

    /* Head-on along the equator: V (t - R) + W t = D. */
    aw_intercept_input head = {0, 0, 600, 500, 0, 10, 270, 250, 6 * 3600};
    double d = A_WGS84 * 10 * DEG;
    CHECK(aw_intercept_solve(&head, &out) == 0 && out.possible);
    CHECK_NEAR(out.time_s, (d + 500 * 600) / 750, 0.01);
    CHECK_NEAR(out.lat, 0, 1e-9);
    CHECK_NEAR(out.lon, 10 - 250 * out.time_s / (A_WGS84 * DEG), 1e-6);
    CHECK_NEAR(out.fighter_course_deg, 90, 1e-6);
    check_against_brute_force(head, "head-on");

    /* Tail chase: V (t - R) = D + W t. */
    aw_intercept_input tail = {0, 0, 300, 600, 0, 2, 90, 200, 6 * 3600};
    CHECK(aw_intercept_solve(&tail, &out) == 0 && out.possible);
    CHECK_NEAR(out.time_s, (A_WGS84 * 2 * DEG + 600 * 300) / 400, 0.01);
    check_against_brute_force(tail, "tail chase");

    /* A slower fighter never catches up within the horizon. */
    aw_intercept_input slow = {0, 0, 300, 150, 0, 2, 90, 200, 3600};
    CHECK(aw_intercept_solve(&slow, &out) == 0 && !out.possible);

    /* Beam and oblique cases at East Asian latitudes: brute force only. */
    aw_intercept_input beam = {36.0, 127.0, 300, 520, 36.5, 131.0, 180, 230, 6 * 3600};
    check_against_brute_force(beam, "beam");
    aw_intercept_input oblique = {33.9, 130.9, 900, 480, 37.0, 129.0, 215, 240, 6 * 3600};
    check_against_brute_force(oblique, "oblique");
    aw_intercept_input high = {69.0, 33.0, 0, 400, 75.0, 20.0, 120, 220, 6 * 3600};
    check_against_brute_force(high, "high latitude");

    /* Nonsense is refused. */
    aw_intercept_input bad = head;
    bad.fighter_speed_mps = 0;
    CHECK(aw_intercept_solve(&bad, &out) == -1);
    bad = head;
    bad.target_lat = NAN;
    CHECK(aw_intercept_solve(&bad, &out) == -1);

    /* Time to a zone: the equator square (lon 0..1) from the east at 300 m/s. */
    aw_zone_set *zs = aw_zones_load_file(FIXTURES "/zones_basic.geojson", NULL, NULL);
    CHECK(zs != NULL);
    if (zs) {
        int sq = aw_zones_find(zs, "square");
        double t = aw_time_to_zone(zs, sq, 0, 3, 270, 300, 3600);
        CHECK_NEAR(t, A_WGS84 * 2 * DEG / 300, 0.01);
        CHECK(aw_time_to_zone(zs, sq, 0, 0.5, 90, 300, 3600) == 0);   /* inside now */
        CHECK(aw_time_to_zone(zs, sq, 0, 3, 90, 300, 3600) < 0);      /* flying away */
        CHECK(aw_time_to_zone(zs, sq, 0, 3, 270, 300, 600) < 0);      /* too far for the horizon */
        /* An intercept that is impossible before the territory: the fighter is slow to
         * get airborne and far away. */
        aw_intercept_input late = {0, 8, 1200, 400, 0, 3, 270, 300, 6 * 3600};
        CHECK(aw_intercept_solve(&late, &out) == 0 && out.possible);
        CHECK(out.time_s > t);
        aw_intercept_input early = {0, 2.5, 120, 500, 0, 3, 270, 300, 6 * 3600};
        CHECK(aw_intercept_solve(&early, &out) == 0 && out.possible);
        CHECK(out.time_s < t);
        aw_zones_free(zs);
    }
    return check_done("intercept");
}
