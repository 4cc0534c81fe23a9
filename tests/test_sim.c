/* test_sim.c -- the flight simulator: geodesic legs, turn and climb limits, formations,
 * determinism, the radar horizon, dropouts and noise, bad scenarios, the built-in one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/ingest.h"
#include "adizwatch/sim.h"
#include "check.h"
#include "geo/geo.h"

#define KT_MS (1852.0 / 3600.0)

static int problems;
static void count_problem(const char *msg, void *user)
{
    (void)user;
    problems++;
    fprintf(stderr, "  (expected) %s\n", msg);
}

static aw_sim *load(const char *json)
{
    problems = 0;
    return aw_sim_load_string(json, strlen(json), count_problem, NULL);
}

/* A straight leg at constant speed and altitude is the PROJ geodesic, flown in s12 / v. */
static void test_geodesic_leg(void)
{
    aw_sim *s = load("{\"aircraft\":[{\"icao\":\"ABC123\",\"callsign\":\"TEST1\",\"squawk\":\"1200\","
                     "\"plan\":{\"departure\":{\"lat\":10,\"lon\":20,\"time\":\"2024-01-01T00:00:00Z\","
                     "\"alt_ft\":30000,\"speed_kt\":400},"
                     "\"waypoints\":[{\"name\":\"END\",\"lat\":14.5,\"lon\":31,\"alt_ft\":30000,\"speed_kt\":400}]}}]}");
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_STR(aw_sim_aircraft(s, 0)->id, "abc123");
    double s12, azi1;
    geod_inverse(aw_wgs84(), 10, 20, 14.5, 31, &s12, &azi1, NULL);
    double v = 400 * KT_MS, t0 = 1704067200.0;
    CHECK_NEAR(aw_sim_aircraft(s, 0)->end - t0, s12 / v, 1e-3);
    CHECK_NEAR(aw_sim_passed(s, 0, "END") - t0, s12 / v, 1e-3);
    for (double f = 0.1; f < 1.0; f += 0.2) {
        double t = t0 + floor(f * s12 / v), lat, lon;
        geod_direct(aw_wgs84(), 10, 20, azi1, (t - t0) * v, &lat, &lon, NULL);
        aw_sim_state st;
        CHECK(aw_sim_truth(s, 0, t, &st) == 0);
        CHECK(aw_geodesic_distance(lat, lon, st.lat, st.lon) < 0.5);
        CHECK_NEAR(st.alt_ft, 30000, 1e-9);
    }
    aw_sim_free(s);
}

/* Turns no faster than min(standard rate, g tan(bank) / v); climbs and descents bounded. */
static void test_turn_climb_limits(void)
{
    aw_sim *s = load("{\"aircraft\":[{\"track\":\"T0001\",\"performance\":{\"climb_fpm\":1500,"
                     "\"descent_fpm\":2000,\"max_bank_deg\":25,\"turn_rate_dps\":3},"
                     "\"plan\":{\"departure\":{\"lat\":30,\"lon\":125,\"time\":\"2024-01-01T00:00:00Z\"},"
                     "\"waypoints\":[{\"name\":\"A\",\"lat\":30.5,\"lon\":126,\"alt_ft\":30000,\"speed_kt\":450},"
                     "{\"name\":\"B\",\"lat\":29.5,\"lon\":126.6,\"alt_ft\":12000,\"speed_kt\":300},"
                     "{\"name\":\"C\",\"lat\":30.2,\"lon\":127.4,\"alt_ft\":25000,\"speed_kt\":480}],"
                     "\"arrival\":{\"lat\":30.8,\"lon\":128.5,\"elevation_ft\":100}}}]}");
    CHECK(s != NULL);
    if (!s)
        return;
    const aw_sim_aircraft_info *a = aw_sim_aircraft(s, 0);
    aw_sim_state p, q;
    double max_turn_excess = -1, max_climb = 0, max_descent = 0;
    aw_sim_truth(s, 0, a->start, &p);
    for (double t = a->start + 1; t <= a->end - 1; t += 1) {
        CHECK(aw_sim_truth(s, 0, t, &q) == 0);
        double v = p.speed_kt * KT_MS;
        double limit = fmin(3.0, 9.80665 * tan(25 * AW_DEG) / v / AW_DEG);
        /* The geodesic's own azimuth drifts by the meridians' convergence: allow for it. */
        double turn = fabs(remainder(q.track_deg - p.track_deg, 360.0));
        double converge = fabs(sin(p.lat * AW_DEG)) * v / (6371000 * cos(p.lat * AW_DEG)) / AW_DEG;
        if (turn - limit - converge > max_turn_excess)
            max_turn_excess = turn - limit - converge;
        max_climb = fmax(max_climb, q.alt_ft - p.alt_ft);
        max_descent = fmax(max_descent, p.alt_ft - q.alt_ft);
        p = q;
    }
    CHECK(max_turn_excess <= 1e-6);
    CHECK(max_climb <= 1500 / 60.0 + 1e-9);
    CHECK(max_descent <= 2000 / 60.0 + 1e-9);
    CHECK(max_climb > 1500 / 60.0 - 1e-6);  /* the limits are reached, so they are tested */
    aw_sim_truth(s, 0, a->end, &q);
    CHECK_NEAR(q.alt_ft, 100, 1e-9);        /* landed at the field elevation */
    CHECK(!isnan(aw_sim_passed(s, 0, "A")) && !isnan(aw_sim_passed(s, 0, "B")));
    CHECK(aw_sim_passed(s, 0, "A") < aw_sim_passed(s, 0, "B"));
    aw_sim_free(s);
}

/* A wingman holds its slot; one that joins late locks on after the join moment. */
static void test_formation(void)
{
    aw_sim *s = load(
        "{\"aircraft\":["
        "{\"track\":\"L1\",\"plan\":{\"departure\":{\"lat\":35,\"lon\":130,\"time\":\"2024-01-01T00:00:00Z\","
        "\"alt_ft\":30000,\"speed_kt\":420},\"waypoints\":[{\"name\":\"P1\",\"lat\":36,\"lon\":131,\"alt_ft\":30000,"
        "\"speed_kt\":420},{\"name\":\"P2\",\"lat\":36,\"lon\":133},{\"name\":\"P3\",\"lat\":34.5,\"lon\":136},"
        "{\"name\":\"P4\",\"lat\":33,\"lon\":139}]}},"
        "{\"track\":\"W1\"},"
        "{\"track\":\"J1\",\"performance\":{\"max_bank_deg\":45},\"plan\":{\"departure\":{\"lat\":36.5,\"lon\":132,"
        "\"time\":\"2024-01-01T00:10:00Z\",\"alt_ft\":25000,\"speed_kt\":450},"
        "\"waypoints\":[{\"name\":\"H\",\"lat\":36.3,\"lon\":132.6,\"alt_ft\":28000,\"speed_kt\":450}],"
        "\"after_leave\":[{\"name\":\"X\",\"lat\":35,\"lon\":135,\"alt_ft\":28000,\"speed_kt\":450}]}}],"
        "\"formations\":[{\"leader\":\"L1\",\"members\":[{\"aircraft\":\"W1\",\"behind_m\":2000,\"right_m\":1000,"
        "\"above_ft\":500}]},"
        "{\"leader\":\"L1\",\"members\":[{\"aircraft\":\"J1\",\"behind_m\":3000,\"right_m\":-2000}],"
        "\"join_at\":\"P2\",\"leave_at\":\"P3\",\"join_speed_kt\":150}]}");
    CHECK(s != NULL);
    if (!s)
        return;
    const aw_sim_aircraft_info *L = aw_sim_aircraft(s, 0);
    CHECK(aw_sim_aircraft(s, 1)->leader == 0);
    int held = 0, off = 0, joined = 0, joined_off = 0;
    double first_join = NAN;
    for (double t = L->start; t <= L->end; t += 1) {
        aw_sim_state l, w, j;
        if (aw_sim_truth(s, 0, t, &l) != 0 || aw_sim_truth(s, 1, t, &w) != 0)
            continue;
        CHECK(w.in_formation);
        double d, azi;
        geod_inverse(aw_wgs84(), l.lat, l.lon, w.lat, w.lon, &d, &azi, NULL);
        if (fabs(d - hypot(2000, 1000)) > 0.01 ||
            fabs(remainder(azi - (l.track_deg + atan2(1000, -2000) / AW_DEG), 360)) > 1e-4)
            off++;
        else
            held++;
        CHECK_NEAR(w.alt_ft - l.alt_ft, 500, 1e-9);
        if (aw_sim_truth(s, 2, t, &j) == 0 && j.in_formation) {
            joined++;
            if (isnan(first_join))
                first_join = t;
            geod_inverse(aw_wgs84(), l.lat, l.lon, j.lat, j.lon, &d, NULL, NULL);
            if (fabs(d - hypot(3000, 2000)) > 0.01)
                joined_off++;
        }
    }
    /* In its slot every second of the flight, turns included: not one second off
     * station (a count that only had to outweigh the seconds off let whole legs drift). */
    CHECK(held > 1000);
    CHECK(off == 0);
    CHECK(joined > 100);
    CHECK(joined_off == 0); /* locked on from the join to the leave */
    CHECK(first_join >= aw_sim_passed(s, 0, "P2"));
    CHECK(first_join - aw_sim_passed(s, 0, "P2") < 1200); /* caught up within 20 min */
    CHECK(first_join < aw_sim_passed(s, 0, "P3"));
    aw_sim_state j;
    CHECK(aw_sim_truth(s, 2, aw_sim_passed(s, 0, "P3") + 60, &j) == 0 && !j.in_formation);
    CHECK(!isnan(aw_sim_passed(s, 2, "X")));
    aw_sim_free(s);
}

typedef struct collected {
    aw_report r[40000];
    int n;
} collected;

static int collect(const aw_report *r, int aircraft, void *user)
{
    (void)aircraft;
    collected *c = user;
    if (c->n < 40000)
        c->r[c->n++] = *r;
    return 0;
}

static const char *noisy_json =
    "{\"sensors\":{\"report_interval_s\":1,\"noise_m\":100,\"dropout\":0.2},"
    "\"aircraft\":[{\"track\":\"T0100\",\"plan\":{\"departure\":{\"lat\":20,\"lon\":130,"
    "\"time\":\"2024-01-01T00:00:00Z\",\"alt_ft\":30000,\"speed_kt\":450},"
    "\"waypoints\":[{\"name\":\"E\",\"lat\":20,\"lon\":160,\"alt_ft\":30000,\"speed_kt\":450}]}}]}";

static void test_determinism_and_statistics(void)
{
    aw_sim *s = load(noisy_json);
    CHECK(s != NULL);
    if (!s)
        return;
    static collected a, b, c;
    aw_sim_run_options o7 = {7, -1}, o8 = {8, -1};
    aw_sim_counts ca, cb;
    CHECK(aw_sim_run(s, &o7, collect, &a, &ca) == 0);
    CHECK(aw_sim_run(s, &o7, collect, &b, &cb) == 0);
    CHECK(aw_sim_run(s, &o8, collect, &c, NULL) == 0);
    CHECK(a.n == b.n && a.n > 10000 && memcmp(a.r, b.r, (size_t)a.n * sizeof a.r[0]) == 0);
    CHECK(a.n != c.n || memcmp(a.r, c.r, (size_t)a.n * sizeof a.r[0]) != 0);
    bool sorted = true;
    for (int i = 1; i < a.n; i++)
        sorted = sorted && a.r[i].time >= a.r[i - 1].time;
    CHECK(sorted);
    /* Dropouts: binomial, p = 0.2; 5 sigma. */
    double total = (double)(ca.reports + ca.dropped);
    double frac = (double)ca.dropped / total;
    CHECK(fabs(frac - 0.2) < 5 * sqrt(0.2 * 0.8 / total));
    CHECK(ca.reports == (uint64_t)a.n && ca.unseen == 0);
    /* Noise: north and east errors each N(0, 100 m). */
    double sn = 0, se = 0, snn = 0, see = 0;
    for (int i = 0; i < a.n; i++) {
        aw_sim_state st;
        aw_sim_truth(s, 0, a.r[i].time, &st);
        double d, azi;
        geod_inverse(aw_wgs84(), st.lat, st.lon, a.r[i].lat, a.r[i].lon, &d, &azi, NULL);
        double dn = d * cos(azi * AW_DEG), de = d * sin(azi * AW_DEG);
        sn += dn, se += de, snn += dn * dn, see += de * de;
    }
    double n = a.n;
    CHECK(fabs(sn / n) < 5 * 100 / sqrt(n) && fabs(se / n) < 5 * 100 / sqrt(n));
    CHECK(fabs(sqrt(snn / n) - 100) < 4 && fabs(sqrt(see / n) - 100) < 4);
    aw_sim_free(s);
}

static void test_radar_horizon(void)
{
    CHECK_NEAR(aw_radar_horizon_km(100, 9144), 4.12 * (10 + sqrt(9144)), 1e-12);
    CHECK_NEAR(aw_radar_horizon_km(0, 0), 0, 0);
    CHECK_NEAR(aw_radar_horizon_km(-5, 400), 4.12 * 20, 1e-12);
    aw_sim *s = load("{\"sensors\":{\"observers\":[{\"id\":\"X\",\"sites\":[{\"name\":\"R\",\"lat\":0,"
                     "\"lon\":0,\"antenna_m\":100,\"range_km\":1000}]}]},"
                     "\"aircraft\":[{\"track\":\"T1\",\"plan\":{\"departure\":{\"lat\":0,\"lon\":1,"
                     "\"time\":\"2024-01-01T00:00:00Z\",\"alt_ft\":30000,\"speed_kt\":400},"
                     "\"waypoints\":[{\"lat\":0,\"lon\":10}]}}]}");
    CHECK(s != NULL);
    if (!s)
        return;
    double h = aw_radar_horizon_km(100, 30000 * 0.3048);
    double lat, lon;
    aw_sim_state st = {0, 0, 30000, 400, 90, false};
    geod_direct(aw_wgs84(), 0, 0, 90, (h - 1) * 1000, &lat, &lon, NULL);
    st.lon = lon;
    CHECK(aw_sim_visible(s, 0, &st));
    geod_direct(aw_wgs84(), 0, 0, 90, (h + 1) * 1000, &lat, &lon, NULL);
    st.lon = lon;
    CHECK(!aw_sim_visible(s, 0, &st));
    st.alt_ft = 40000; /* higher: visible farther */
    CHECK(aw_sim_visible(s, -1, &st));
    CHECK_STR(aw_sim_observer_id(s, 0), "X");
    aw_sim_free(s);
}

static void test_bad_scenarios(void)
{
    CHECK(load("{\"aircraft\": [") == NULL && problems == 1);
    CHECK(load("{\"aircraft\":[{\"track\":\"T1\",\"squawk\":\"9999\",\"plan\":{\"departure\":"
               "{\"airfield\":\"XXXX\",\"time\":\"2024-01-01T00:00:00\"},\"waypoints\":[{\"lat\":1}]}}]}") == NULL);
    CHECK(problems >= 4); /* squawk, airfield, time without zone, waypoint lon */
    CHECK(load("{\"aircraft\":[{\"track\":\"A\"},{\"track\":\"B\"}],\"formations\":["
               "{\"leader\":\"A\",\"members\":[{\"aircraft\":\"B\",\"right_m\":10}]},"
               "{\"leader\":\"B\",\"members\":[{\"aircraft\":\"A\",\"right_m\":10}]}]}") == NULL);
    CHECK(problems >= 1);
}

/* The built-in day: one H-6K pair and one southbound Tu-95MS pair fly two legs each
 * (same airframes, new track numbers), the northbound Tu-95MS pair is two more; the
 * bombers fly about 8 h (Russian MoD); every take-off of the patrol is an assumption. */
static const aw_sim_aircraft_info *info_of(aw_sim *s, const char *track)
{
    int i = aw_sim_find(s, track);
    CHECK(i >= 0);
    return i >= 0 ? aw_sim_aircraft(s, i) : NULL;
}

static double hours(const aw_sim_aircraft_info *a) { return a ? (a->end - a->start) / 3600 : 0; }

static void check_builtin_airframes(aw_sim *s)
{
    const aw_sim_aircraft_info *am1 = info_of(s, "T0011"), *am2 = info_of(s, "T0012"),
                               *pm1 = info_of(s, "T0031"), *pm2 = info_of(s, "T0032"),
                               *tu1 = info_of(s, "T0021"), *tu2 = info_of(s, "T0022"),
                               *tu3 = info_of(s, "T0023"), *nt1 = info_of(s, "T0025"),
                               *nt2 = info_of(s, "T0026"), *su30 = info_of(s, "T0043"),
                               *unk = info_of(s, "T0091");
    if (!am1 || !am2 || !pm1 || !pm2 || !tu1 || !tu2 || !tu3 || !nt1 || !nt2 || !su30 || !unk)
        return;
    CHECK_STR(pm1->airframe, am1->airframe);
    CHECK_STR(pm2->airframe, am2->airframe);
    CHECK(strcmp(am1->airframe, am2->airframe) != 0);
    CHECK_STR(nt1->airframe, tu1->airframe);
    CHECK_STR(nt2->airframe, tu2->airframe);
    CHECK(strcmp(tu3->airframe, tu1->airframe) != 0 && strcmp(tu3->airframe, tu2->airframe) != 0);
    CHECK_STR(su30->type, "Su-30SM");
    CHECK_STR(unk->type, "unknown");
    CHECK_STR(unk->nationality, "RU");
    /* About 8 h: the patrol sorties of the Tu-95MS; the H-6K over its two sorties. */
    CHECK(hours(tu1) > 7.0 && hours(tu1) < 9.0);
    CHECK(hours(tu3) > 7.0 && hours(tu3) < 9.0);
    CHECK(hours(am1) + hours(pm1) > 7.0 && hours(am1) + hours(pm1) < 9.0);
    /* Nobody published a take-off field or time of the day: each one says so. */
    for (int i = 0; i < aw_sim_aircraft_count(s); i++) {
        const aw_sim_aircraft_info *a = aw_sim_aircraft(s, i);
        CHECK(a->departure_assumed && a->departure_assumed[0]);
    }
    CHECK(strstr(tu1->departure_assumed, "time is assumed") != NULL);
    CHECK(strstr(tu1->arrival_assumed, "Jiaxing is assumed") != NULL);
}

static void test_formats_and_builtin(void)
{
    char buf[512];
    CHECK(aw_sim_sbs_ident("T0012", buf, sizeof buf) == 0);
    CHECK_STR(buf, "~0012");
    CHECK(aw_sim_sbs_ident("71be19", buf, sizeof buf) == 0);
    CHECK_STR(buf, "71be19");
    CHECK(aw_sim_sbs_ident("NODIGITS", buf, sizeof buf) == -1);
    aw_report r;
    aw_report_clear(&r);
    r.time = 1669754880.5;
    snprintf(r.track, sizeof r.track, "T0012");
    r.has_position = true;
    r.lat = 32.66;
    r.lon = 124.0;
    r.alt_ft = 29000;
    r.speed_kt = 520;
    r.track_deg = 89.5;
    aw_sim_format_csv(&r, buf, sizeof buf);
    CHECK_STR(buf, "2022-11-29T20:48:00.500Z,T0012,32.6600000,124.0000000,29000,,,520.0,89.5\n");
    aw_csv_columns cols;
    char err[128];
    const char *h = AW_SIM_CSV_HEADER;
    CHECK(aw_csv_header(h, strlen(h) - 1, &cols, err, sizeof err) == 0);
    aw_report back;
    CHECK(aw_csv_parse(&cols, buf, strlen(buf) - 1, &back, err, sizeof err) == AW_PARSE_REPORT);
    CHECK_STR(back.track, "T0012");
    CHECK_NEAR(back.time, r.time, 1e-9);
    aw_sim_format_sbs(&r, 9 * 3600, true, buf, sizeof buf);
    CHECK(strncmp(buf, "MSG,3,1,1,~0012,1,2022/11/30,05:48:00.500,", 42) == 0);
    CHECK(aw_sbs_parse(buf, strcspn(buf, "\r"), 9 * 3600, &back, err, sizeof err) == AW_PARSE_REPORT);
    CHECK_NEAR(back.time, r.time, 1e-9);
    CHECK_NEAR(back.lat, 32.66, 1e-6);

    problems = 0;
    aw_sim *s = aw_sim_load("builtin:2022-11-30", count_problem, NULL);
    CHECK(s != NULL && problems == 0);
    if (s) {
        /* With the scramble pairs, the night Tu-95s, the Su-30SM escort and the JSO's two
         * presumed Russian aircraft of the morning. */
        CHECK(aw_sim_aircraft_count(s) == 24);
        CHECK(aw_sim_observer_count(s) == 4); /* KR, JP and the CN / RU field radars */
        int h6 = aw_sim_find(s, "T0011");
        CHECK(h6 >= 0 && strcmp(aw_sim_aircraft(s, h6)->type, "H-6K") == 0);
        CHECK(!aw_sim_aircraft(s, h6)->icao && aw_sim_aircraft(s, h6)->callsign[0] == '\0');
        check_builtin_airframes(s);
        aw_sim_free(s);
    }
    CHECK(aw_sim_load("builtin:nope", count_problem, NULL) == NULL);
}

/* Airframes and assumptions: what the scenario says, exposed and written into the
 * provenance comment that readers skip and replay records. */
static void test_airframe_and_assumed(void)
{
    aw_sim *s = load(
        "{\"name\":\"t\",\"title\":\"two legs\",\"assumptions\":[{\"what\":\"W\",\"why\":\"Y\"}],"
        "\"aircraft\":["
        "{\"track\":\"A1\",\"airframe\":\"B-1\",\"type\":\"H-6K\",\"plan\":{\"departure\":{\"lat\":35,"
        "\"lon\":130,\"time\":\"2024-01-01T00:00:00Z\",\"alt_ft\":30000,\"speed_kt\":420,"
        "\"assumed\":\"base not published\"},\"waypoints\":[{\"name\":\"P1\",\"lat\":36,\"lon\":131}],"
        "\"arrival\":{\"lat\":36.1,\"lon\":131.1,\"assumed\":\"landing field assumed\"}}},"
        "{\"track\":\"A2\"},"
        "{\"track\":\"A3\",\"plan\":{\"departure\":{\"lat\":35,\"lon\":130,"
        "\"time\":\"2024-01-01T05:00:00Z\",\"alt_ft\":30000,\"speed_kt\":420},"
        "\"waypoints\":[{\"name\":\"Q\",\"lat\":34,\"lon\":129}]}}],"
        "\"formations\":[{\"leader\":\"A1\",\"members\":[{\"aircraft\":\"A2\",\"behind_m\":2000}]}]}");
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_STR(aw_sim_name(s), "t");
    CHECK_STR(aw_sim_title(s), "two legs");
    CHECK(aw_sim_assumption_count(s) == 1);
    CHECK_STR(aw_sim_assumption_why(s, 0), "Y");
    const aw_sim_aircraft_info *a1 = aw_sim_aircraft(s, 0), *a2 = aw_sim_aircraft(s, 1),
                               *a3 = aw_sim_aircraft(s, 2);
    CHECK_STR(a1->airframe, "B-1");
    CHECK_STR(a2->airframe, "A2"); /* no airframe given: the track id */
    CHECK_STR(a1->departure_assumed, "base not published");
    CHECK_STR(a1->arrival_assumed, "landing field assumed");
    CHECK_STR(a2->departure_assumed, "base not published"); /* the wingman flies A1's plan */
    CHECK_STR(a2->arrival_assumed, "landing field assumed");
    CHECK_STR(a3->departure_assumed, "");
    CHECK_STR(a3->arrival_assumed, "");
    char *line = aw_sim_provenance_line(s, 7, NULL, "csv", "\n");
    CHECK(line != NULL);
    size_t jl = 0;
    const char *json = line ? aw_provenance_comment(line, strlen(line), &jl) : NULL;
    CHECK(json != NULL && aw_line_is_comment(line, strlen(line)));
    CHECK(json && strstr(json, "\"tracks\":\"simulated\"") && strstr(json, "\"seed\":7"));
    CHECK(json && strstr(json, "{\"track\":\"A2\",\"airframe\":\"A2\",\"item\":\"arrival\","
                               "\"reason\":\"landing field assumed\"}"));
    CHECK(json && !strstr(json, "\"track\":\"A3\""));
    CHECK(aw_provenance_comment("# other comment", 15, &jl) == NULL);
    CHECK(!aw_line_is_comment("time,id", 7));
    free(line);
    aw_sim_free(s);
}

int main(void)
{
    test_airframe_and_assumed();
    test_geodesic_leg();
    test_turn_climb_limits();
    test_formation();
    test_determinism_and_statistics();
    test_radar_horizon();
    test_bad_scenarios();
    test_formats_and_builtin();
    return check_done("sim");
}
