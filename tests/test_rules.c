/* test_rules.c -- alert rules: a bad file is refused with its line and reason; each
 * condition selects what it says; friends are never alerted; de-duplication and the rate
 * limit count in event time; an alert's id is the same for the same event and differs
 * for any other; webhook templates and broker URLs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/alerts.h"
#include "check.h"
#include "deliver/sink.h"

static char tmpdir[] = "/tmp/aw_rules_XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* The file is refused and err names the line and says why. */
static void refused(const char *text, const char *where, const char *why)
{
    char err[700] = "";
    aw_alert_rules *r = aw_alert_rules_load(write_file("bad.ini", text), err, sizeof err);
    CHECK(r == NULL);
    aw_alert_rules_free(r);
    if (!strstr(err, where) || !strstr(err, why)) {
        fprintf(stderr, "  got '%s', wanted '%s' and '%s'\n", err, where, why);
        CHECK(!"error names line and reason");
    }
}

static aw_alert_input input(const char *type, const char *track, const char *zone,
                            const char *kind, const char *owner, const char *nation, bool mil,
                            double time, double alt)
{
    aw_alert_input in = {.type = type, .cause = "crossing", .track = track, .zone = zone,
                         .callsign = "", .zone_kind = kind, .owner = owner, .nation = nation,
                         .military = mil, .unidentified = mil, .time = time, .lat = 35,
                         .lon = 128, .alt_ft = alt, .event_json = "{}"};
    return in;
}

static void bad_files(void)
{
    refused("[rule a]\nevents = enter, landed\n", ":2:", "unknown event type 'landed'");
    refused("[alerts]\nfriendly = KR\n\n[rule x]\nmilitary = perhaps\n", ":5:",
            "not yes, no or any");
    refused("[rule a]\nzones = A\n[frobnicate]\nx = 1\n", ":4:", "unknown section");
    refused("[rule a]\ncolour = red\n", ":2:", "unknown key 'colour'");
    refused("events = enter\n", ":1:", "before any section");
    refused("[rule a]\nthis line has no equals sign\n", ":2:", "not a [section]");
    refused("[rule a]\nnations = CHN\n", ":2:", "two-letter");
    refused("[rule a]\nmin_alt_ft = high\n", ":2:", "not a number");
    refused("[rule a]\ndedup_minutes = -3\n", ":2:", "not a number");
    refused("[output hook]\nurl = gopher://x\n", ":2:", "not an output URL");
    refused("[output hook]\nheader = NoColon\nurl = http://x/\n", ":2:", "Name: value");
    refused("[rule a]\nzones = A\n[rule b]\nzones = B\n[rule a]\nzones = C\n", ":6:",
            "a second [rule a]");
    refused("[rule a]\nzones = A\n[rule a]\nzones = B\n", ":4:", "given twice");
    refused("[output hook]\ntemplate = slack\n", "bad.ini:", "has no url");
    refused("[rule a]\nmin_alt_ft = 30000\nmax_alt_ft = 1000\n", "bad.ini:", "min_alt_ft");
    char err[256];
    CHECK(aw_alert_rules_load("/nonexistent/rules.ini", err, sizeof err) == NULL);
    CHECK(strstr(err, "cannot open") != NULL);
}

static void selection(void)
{
    char err[700];
    aw_alert_rules *r = aw_alert_rules_load(
        write_file("rules.ini",
                   "; who may enter Korea's zones unannounced\n"
                   "[alerts]\n"
                   "friendly = US\n"
                   "[rule foreign military in an ADIZ]\n"
                   "events = enter, scramble_advice\n"
                   "zone_kinds = adiz\n"
                   "owners = KR, JP\n"
                   "military = yes\n"
                   "not_nations = KR\n"
                   "dedup_minutes = 10\n"
                   "[rule anyone low in territory]\n"
                   "events = enter\n"
                   "zone_kinds = territorial\n"
                   "max_alt_ft = 10000\n"
                   "max_per_hour = 2\n"
                   "[output hook]\n"
                   "url = https://example.invalid/hook\n"
                   "header = Authorization: Bearer s3cret\n"
                   "template = discord\n"),
        err, sizeof err);
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(aw_alert_rules_outputs(r) == 1);
    const aw_alert_output *o = aw_alert_rules_output(r, 0);
    CHECK_STR(o->name, "hook");
    CHECK(o->nheaders == 1 && o->body == AW_TEMPLATE_DISCORD);
    CHECK(aw_alert_rules_add_output(r, "https://example.invalid/hook", err, sizeof err) == 0);
    CHECK(aw_alert_rules_outputs(r) == 1); /* the same URL is one output */
    CHECK(aw_alert_rules_add_output(r, "mqtt://127.0.0.1:1883/adiz", err, sizeof err) == 0);
    CHECK(aw_alert_rules_outputs(r) == 2);
    CHECK(aw_alert_rules_add_output(r, "ftp://x", err, sizeof err) < 0);

    aw_alert_input in = input("enter", "h6k01", "KADIZ", "adiz", "KR", "CN", true, 1000, 25000);
    CHECK_STR(aw_alert_rules_select(r, &in), "foreign military in an ADIZ");
    in.time = 1000 + 300; /* 5 min later: within the 10 min de-duplication */
    CHECK(aw_alert_rules_select(r, &in) == NULL);
    in.time = 1000 + 601;
    CHECK(aw_alert_rules_select(r, &in) != NULL);
    in.zone = "JADIZ"; /* another zone is another key */
    CHECK(aw_alert_rules_select(r, &in) != NULL);
    in = input("exit", "h6k01", "KADIZ", "adiz", "KR", "CN", true, 5000, 25000);
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* exits are not selected */
    in = input("enter", "kal01", "KADIZ", "adiz", "KR", "KR", true, 5000, 25000);
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* Korea's own */
    in = input("enter", "b737", "KADIZ", "adiz", "KR", "CN", false, 5000, 25000);
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* not military */
    in = input("enter", "h6k09", "TADIZ", "adiz", "TW", "CN", true, 5000, 25000);
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* owner not listed */
    in = input("enter", "f16", "KADIZ", "adiz", "KR", "US", true, 9000, 25000);
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* a friend */

    /* The altitude band: below 10000 ft, and an unknown altitude is outside it. */
    in = input("enter", "low1", "TA-KR", "territorial", "KR", "CN", false, 10000, 3000);
    CHECK_STR(aw_alert_rules_select(r, &in), "anyone low in territory");
    in = input("enter", "high1", "TA-KR", "territorial", "KR", "CN", false, 10000, 30000);
    CHECK(aw_alert_rules_select(r, &in) == NULL);
    in = input("enter", "unk1", "TA-KR", "territorial", "KR", "CN", false, 10000, NAN);
    CHECK(aw_alert_rules_select(r, &in) == NULL);
    /* At most 2 an hour: low1 was one, low2 the second, low3 over, low4 an hour on. */
    in = input("enter", "low2", "TA-KR", "territorial", "KR", "CN", false, 10010, 3000);
    CHECK(aw_alert_rules_select(r, &in) != NULL);
    in = input("enter", "low3", "TA-KR", "territorial", "KR", "CN", false, 10020, 3000);
    CHECK(aw_alert_rules_select(r, &in) == NULL);
    in = input("enter", "low4", "TA-KR", "territorial", "KR", "CN", false, 10000 + 3601, 3000);
    CHECK(aw_alert_rules_select(r, &in) != NULL);

    CHECK(aw_alert_rules_add_friendly(r, "CN", err, sizeof err) == 0);
    in = input("enter", "low5", "TA-KR", "territorial", "KR", "CN", false, 30000, 3000);
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* --friendly CN */
    CHECK(aw_alert_rules_add_friendly(r, "Korea", err, sizeof err) < 0);
    aw_alert_rules_free(r);

    /* No rule file: everything but friends. */
    r = aw_alert_rules_all();
    in = input("exit", "x", "Z", "", "", "", false, 1, NAN);
    CHECK_STR(aw_alert_rules_select(r, &in), "*");
    aw_alert_rules_add_friendly(r, "JP", err, sizeof err);
    in.nation = "JP";
    CHECK(aw_alert_rules_select(r, &in) == NULL);
    aw_alert_rules_free(r);
}

static void ids(void)
{
    aw_alert_input a = input("enter", "780a3b", "KADIZ", "adiz", "KR", "CN", true, 1669780080.0, 25000);
    char id1[AW_ALERT_ID_LEN + 1], id2[AW_ALERT_ID_LEN + 1];
    aw_alert_id(&a, id1);
    aw_alert_id(&a, id2);
    CHECK_STR(id1, id2);
    CHECK(strlen(id1) == AW_ALERT_ID_LEN);
    /* Fields that do not identify the event do not change the id... */
    aw_alert_input b = a;
    b.alt_ft = 26000;
    b.event_json = "{\"other\":1}";
    aw_alert_id(&b, id2);
    CHECK_STR(id1, id2);
    /* ...every field that does, does; so does a millisecond. */
    const char *fields[] = {"type", "track", "zone", "cause", "time"};
    for (int i = 0; i < 5; i++) {
        b = a;
        if (i == 0) b.type = "exit";
        if (i == 1) b.track = "780a3c";
        if (i == 2) b.zone = "JADIZ";
        if (i == 3) b.cause = "first_seen";
        if (i == 4) b.time += 0.001;
        aw_alert_id(&b, id2);
        if (!strcmp(id1, id2))
            fprintf(stderr, "  %s does not change the id\n", fields[i]);
        CHECK(strcmp(id1, id2) != 0);
    }
    /* Advice: the whole JSON identifies it. */
    b = a;
    b.type = "scramble_advice";
    b.event_json = "{\"owner\":\"KR\"}";
    aw_alert_id(&b, id1);
    b.event_json = "{\"owner\":\"JP\"}";
    aw_alert_id(&b, id2);
    CHECK(strcmp(id1, id2) != 0);
    /* The JSON: escaped, complete, with the event inside. */
    a.callsign = "H\"6";
    a.event_json = "{\"type\":\"enter\"}";
    char buf[2048];
    int n = aw_alert_to_json(&a, "abc", "r1", buf, sizeof buf);
    CHECK(n > 0 && (size_t)n < sizeof buf);
    CHECK(strstr(buf, "\"text\":\"H\\\"6 (780a3b), CN, military, unidentified entered KADIZ") != NULL);
    CHECK(strstr(buf, ",\"event\":{\"type\":\"enter\"}}") != NULL);
    char small[16];
    CHECK(aw_alert_to_json(&a, "abc", "r1", small, sizeof small) == n);
}

/* Patrol types: selected only by a rule naming them, a landing rule takes a landing
 * abroad, their rate limit counts apart from zone events (found later, out of time
 * order), and their id is over type, track, zone and time, not the JSON. */
static void patrol(void)
{
    char err[700];
    aw_alert_rules *r = aw_alert_rules_load(
        write_file("patrol.ini", "[rule any military]\nmilitary = yes\nmax_per_hour = 1\n"
                                 "[rule landings]\nevents = landing\nmax_per_hour = 1\n"),
        err, sizeof err);
    CHECK(r != NULL);
    CHECK(aw_alert_rules_want_patrol(r));
    CHECK(aw_alert_type_is_patrol("landing_abroad") && aw_alert_type_is_patrol("Group"));
    CHECK(!aw_alert_type_is_patrol("enter") && !aw_alert_type_is_patrol("intercept"));
    aw_alert_input in = input("enter", "T1", "KADIZ", "adiz", "KR", "CN", true, 1000, 25000);
    CHECK_STR(aw_alert_rules_select(r, &in), "any military");
    /* a group is a patrol type no rule names: "any military" has no events */
    in = input("group", "T1", "", "", "", "CN", true, 900, NAN);
    CHECK(aw_alert_rules_select(r, &in) == NULL);
    /* earlier than the zone event selected, and still within its own limit */
    in = input("landing_abroad", "T1", "UHWV", "airfield", "RU", "CN", true, 500, NAN);
    CHECK_STR(aw_alert_rules_select(r, &in), "landings");
    in.track = "T2";
    in.time = 600;
    CHECK(aw_alert_rules_select(r, &in) == NULL); /* the second landing within the hour */
    aw_alert_rules_free(r);
    r = aw_alert_rules_load(write_file("zones.ini", "[rule a]\nevents = enter\n"), err, sizeof err);
    CHECK(r != NULL && !aw_alert_rules_want_patrol(r));
    aw_alert_rules_free(r);
    r = aw_alert_rules_all();
    CHECK(!aw_alert_rules_want_patrol(r)); /* --output alone: zone events and advice */
    aw_alert_rules_free(r);

    aw_alert_input a = input("group", "T1", "", "", "", "CN", true, 900, NAN);
    char id1[AW_ALERT_ID_LEN + 1], id2[AW_ALERT_ID_LEN + 1];
    a.event_json = "{\"members\":[1]}";
    aw_alert_id(&a, id1);
    a.event_json = "{\"members\":[1,2]}";
    aw_alert_id(&a, id2);
    CHECK_STR(id1, id2);
    a.time += 0.001;
    aw_alert_id(&a, id2);
    CHECK(strcmp(id1, id2) != 0);
    /* the basis goes into the alert */
    a.basis = "assumed";
    a.basis_reason = "the base is \"assumed\"";
    char buf[2048];
    aw_alert_to_json(&a, "abc", "r", buf, sizeof buf);
    CHECK(strstr(buf, "\"basis\":\"assumed\",\"basis_reason\":\"the base is \\\"assumed\\\"\"") != NULL);
}

/* What webhook templates make of an alert, and how broker URLs split. */
static void bodies(void)
{
    const char *alert = "{\"id\":\"0123456789abcdef0123\",\"text\":\"H6 entered \\\"KADIZ\\\"\"}";
    char *b = aw_alert_body(AW_TEMPLATE_JSON, alert);
    CHECK_STR(b, alert);
    free(b);
    b = aw_alert_body(AW_TEMPLATE_SLACK, alert);
    CHECK_STR(b, "{\"text\":\"H6 entered \\\"KADIZ\\\" [alert 0123456789ab]\"}");
    free(b);
    b = aw_alert_body(AW_TEMPLATE_DISCORD, alert);
    CHECK(b && strncmp(b, "{\"content\":\"H6 entered", 22) == 0);
    free(b);
    CHECK(aw_alert_body(AW_TEMPLATE_SLACK, "not json") == NULL);
    char host[64], path[64], err[128];
    int port;
    CHECK(aw_sink_split_url("broker.example:8883/adiz/alerts", host, sizeof host, &port, 1883,
                            path, sizeof path, err, sizeof err) == 0);
    CHECK_STR(host, "broker.example");
    CHECK_STR(path, "adiz/alerts");
    CHECK(port == 8883);
    CHECK(aw_sink_split_url("h/t", host, sizeof host, &port, 4222, path, sizeof path, err,
                            sizeof err) == 0 && port == 4222);
    CHECK(aw_sink_split_url("h:99999/t", host, sizeof host, &port, 1, path, sizeof path, err,
                            sizeof err) < 0);
    CHECK(aw_sink_split_url("h:1883", host, sizeof host, &port, 1, path, sizeof path, err,
                            sizeof err) < 0);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    bad_files();
    selection();
    ids();
    patrol();
    bodies();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        return 1;
    return check_done("rules");
}
