/* rules.c -- which events become alerts: the rule file, friendly nations, and the
 * de-duplication and rate limits.
 *
 * The file is INI, read by libinih, because a watch officer edits it by hand on a
 * server and INI has nothing to get wrong but the keys; every key is checked while the
 * file is read, and the first problem refuses the whole file with its line, so a typo
 * never silently widens or narrows what is alerted. Rules are OR-ed; the conditions of
 * one rule are AND-ed; a list condition holds when any of its values matches.
 *
 * The limits count in event time, not wall time: a replay of a day selects the same
 * alerts every time, and a live feed's event time is the wall clock anyway. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adizwatch/alerts.h"

#define LIST_MAX 32

typedef struct strlist {
    char v[LIST_MAX][64];
    int n;
} strlist;

/* The last alert time of each (track, zone, type), by a 64-bit hash of the three: a
 * collision can only suppress an alert within the window, at a rate of 2^-64. Bounded:
 * emptied when full, which at worst lets one extra alert through per key. */
typedef struct seen_slot {
    uint64_t key; /* 0 = empty */
    double time;
} seen_slot;

#define SEEN_MAX (1u << 20)

typedef struct rule {
    char name[64];
    int line;                 /* of the section, for messages */
    strlist types, zones, kinds, owners, nations, not_nations, causes;
    int military, unidentified; /* -1 any, 0 no, 1 yes */
    double min_alt_ft, max_alt_ft; /* NAN = open */
    double dedup_s;           /* 0 = every event */
    int max_per_hour;         /* 0 = no limit */
    /* state */
    seen_slot *seen;
    size_t nseen, used;
    /* the last max_per_hour alert times: [0] zone events and advice, [1] patrol events,
     * which are found after the fact (out of time order with the others) */
    struct ring { double *t; int first, n; } recent[2];
} rule;

struct aw_alert_rules {
    rule *rules;
    int nrules, cap;
    bool any;                 /* no rule file: everything */
    strlist friendly;
    double default_dedup_s;
    int default_max_per_hour;
    aw_alert_output *outputs;
    int noutputs, outcap;
};

/* ---- small parsers --------------------------------------------------------------- */

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

/* "a, b,c" appended to the list; returns 0 or -1 with the reason. */
static int parse_list(const char *value, strlist *l, char *why, size_t n)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", value);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        trim(tok);
        if (!*tok) {
            snprintf(why, n, "an empty item in the list");
            return -1;
        }
        if (strlen(tok) >= sizeof l->v[0]) {
            snprintf(why, n, "'%s' is too long", tok);
            return -1;
        }
        if (l->n == LIST_MAX) {
            snprintf(why, n, "more than %d items", LIST_MAX);
            return -1;
        }
        snprintf(l->v[l->n++], sizeof l->v[0], "%s", tok);
    }
    if (l->n == 0) {
        snprintf(why, n, "an empty list");
        return -1;
    }
    return 0;
}

static bool in_list(const strlist *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (strcasecmp(l->v[i], s) == 0)
            return true;
    return false;
}

static int parse_bool3(const char *v, int *out, char *why, size_t n)
{
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else if (!strcasecmp(v, "any"))
        *out = -1;
    else {
        snprintf(why, n, "'%s' is not yes, no or any", v);
        return -1;
    }
    return 0;
}

static int parse_number(const char *v, double lo, double hi, double *out, char *why, size_t n)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(x) || x < lo || x > hi) {
        snprintf(why, n, "'%s' is not a number from %g to %g", v, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

/* Nations are ISO 3166-1 alpha-2 codes: two letters. */
static int check_nations(const strlist *l, char *why, size_t n)
{
    for (int i = 0; i < l->n; i++)
        if (strlen(l->v[i]) != 2 || !isalpha((unsigned char)l->v[i][0]) ||
            !isalpha((unsigned char)l->v[i][1])) {
            snprintf(why, n, "'%s' is not a two-letter ISO 3166-1 code", l->v[i]);
            return -1;
        }
    return 0;
}

static const char *const known_types[] = {"enter", "exit", "scramble_advice", "intercept",
                                          "takeoff", "landing", "landing_abroad", "group",
                                          "escort", "strait", "mission"};
#define FIRST_PATROL_TYPE 4 /* known_types from here on are the patrol analysis' */

bool aw_alert_type_is_patrol(const char *type)
{
    for (size_t k = FIRST_PATROL_TYPE; k < sizeof known_types / sizeof *known_types; k++)
        if (strcasecmp(type, known_types[k]) == 0)
            return true;
    return false;
}

static int check_types(const strlist *l, char *why, size_t n)
{
    for (int i = 0; i < l->n; i++) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known_types / sizeof *known_types; k++)
            ok |= strcasecmp(l->v[i], known_types[k]) == 0;
        if (!ok) {
            snprintf(why, n, "unknown event type '%s' (enter, exit, scramble_advice, intercept, "
                             "takeoff, landing, landing_abroad, group, escort, strait, mission)",
                     l->v[i]);
            return -1;
        }
    }
    return 0;
}

/* ---- outputs ----------------------------------------------------------------------- */

static int check_url(const char *url, char *why, size_t n)
{
    static const char *const schemes[] = {"file:", "http://", "https://", "mqtt://", "mqtts://",
                                          "nats://"};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (strncmp(url, schemes[i], strlen(schemes[i])) == 0 && url[strlen(schemes[i])])
            return 0;
    snprintf(why, n, "'%s' is not an output URL (file:PATH, http(s)://..., "
                     "mqtt(s)://HOST:PORT/TOPIC, nats://HOST:PORT/SUBJECT)", url);
    return -1;
}

static aw_alert_output *new_output(aw_alert_rules *r, const char *name)
{
    if (r->noutputs == r->outcap) {
        int cap = r->outcap ? 2 * r->outcap : 4;
        aw_alert_output *v = realloc(r->outputs, (size_t)cap * sizeof *v);
        if (!v)
            return NULL;
        r->outputs = v;
        r->outcap = cap;
    }
    aw_alert_output *o = &r->outputs[r->noutputs++];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", name);
    o->retry_max_s = 30;
    return o;
}

static int output_key(aw_alert_output *o, const char *key, const char *value, char *why,
                      size_t n)
{
#define COPY(field)                                                                        \
    do {                                                                                   \
        if (strlen(value) >= sizeof o->field) {                                            \
            snprintf(why, n, "%s is too long", key);                                       \
            return -1;                                                                     \
        }                                                                                  \
        snprintf(o->field, sizeof o->field, "%s", value);                                  \
    } while (0)
    if (!strcmp(key, "url")) {
        COPY(url);
        return check_url(value, why, n);
    }
    if (!strcmp(key, "header")) {
        if (o->nheaders == AW_OUTPUT_HEADERS_MAX) {
            snprintf(why, n, "more than %d headers", AW_OUTPUT_HEADERS_MAX);
            return -1;
        }
        const char *colon = strchr(value, ':');
        if (!colon || colon == value || strchr(value, '\n') || strchr(value, '\r')) {
            snprintf(why, n, "a header is 'Name: value'");
            return -1;
        }
        if (strlen(value) >= sizeof o->headers[0]) {
            snprintf(why, n, "header is too long");
            return -1;
        }
        snprintf(o->headers[o->nheaders++], sizeof o->headers[0], "%s", value);
        return 0;
    }
    if (!strcmp(key, "template")) {
        if (!strcasecmp(value, "json"))
            o->body = AW_TEMPLATE_JSON;
        else if (!strcasecmp(value, "slack") || !strcasecmp(value, "mattermost"))
            o->body = AW_TEMPLATE_SLACK;
        else if (!strcasecmp(value, "discord"))
            o->body = AW_TEMPLATE_DISCORD;
        else {
            snprintf(why, n, "template '%s' is not json, slack, mattermost or discord", value);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "username")) {
        COPY(username);
        return 0;
    }
    if (!strcmp(key, "password")) {
        COPY(password);
        return 0;
    }
    if (!strcmp(key, "tls_ca")) {
        COPY(tls_ca);
        return 0;
    }
    if (!strcmp(key, "retry_max_s"))
        return parse_number(value, 0.1, 3600, &o->retry_max_s, why, n);
#undef COPY
    snprintf(why, n, "unknown key '%s' in an output (url, header, template, username, "
                     "password, tls_ca, retry_max_s)", key);
    return -1;
}

/* ---- the file ---------------------------------------------------------------------- */

typedef struct load_ctx {
    aw_alert_rules *r;
    char section[128];
    void *current; /* the rule or output of the section */
    int kind;      /* 0 alerts, 1 rule, 2 output */
    char why[512];
} load_ctx;

static rule *new_rule(aw_alert_rules *r, const char *name)
{
    if (r->nrules == r->cap) {
        int cap = r->cap ? 2 * r->cap : 8;
        rule *v = realloc(r->rules, (size_t)cap * sizeof *v);
        if (!v)
            return NULL;
        r->rules = v;
        r->cap = cap;
    }
    rule *ru = &r->rules[r->nrules++];
    memset(ru, 0, sizeof *ru);
    snprintf(ru->name, sizeof ru->name, "%s", name);
    ru->military = ru->unidentified = -1;
    ru->min_alt_ft = ru->max_alt_ft = NAN;
    ru->dedup_s = -1;       /* the [alerts] default, resolved after loading */
    ru->max_per_hour = -1;
    return ru;
}

/* A new section starts: [alerts], [rule NAME] or [output NAME]. */
static int enter_section(load_ctx *c, const char *section)
{
    snprintf(c->section, sizeof c->section, "%s", section);
    char word[16] = "", name[96] = "";
    int got = sscanf(section, "%15s %95[^\n]", word, name);
    if (got >= 1 && !strcmp(word, "alerts") && got == 1) {
        c->kind = 0;
        return 0;
    }
    if (got == 2 && (!strcmp(word, "rule") || !strcmp(word, "output"))) {
        trim(name);
        if (strlen(name) >= 64) {
            snprintf(c->why, sizeof c->why, "section name '%s' is too long", name);
            return -1;
        }
        if (!strcmp(word, "rule")) {
            for (int i = 0; i < c->r->nrules; i++)
                if (!strcmp(c->r->rules[i].name, name)) {
                    snprintf(c->why, sizeof c->why, "a second [rule %s]", name);
                    return -1;
                }
            c->kind = 1;
            c->current = new_rule(c->r, name);
        } else {
            for (int i = 0; i < c->r->noutputs; i++)
                if (!strcmp(c->r->outputs[i].name, name)) {
                    snprintf(c->why, sizeof c->why, "a second [output %s]", name);
                    return -1;
                }
            c->kind = 2;
            c->current = new_output(c->r, name);
        }
        if (!c->current) {
            snprintf(c->why, sizeof c->why, "out of memory");
            return -1;
        }
        return 0;
    }
    snprintf(c->why, sizeof c->why, "unknown section [%s] ([alerts], [rule NAME] or "
                                    "[output NAME])", section);
    return -1;
}

/* dedup_minutes and max_per_hour, in a rule or as [alerts] defaults: 1 if key was one of
 * them and its value good, -1 if bad, 0 if key is another. */
static int limit_key(const char *key, const char *value, double *dedup_s, int *max_per_hour,
                     char *why, size_t n)
{
    double m;
    if (!strcmp(key, "dedup_minutes")) {
        if (parse_number(value, 0, 10080, &m, why, n) < 0)
            return -1;
        *dedup_s = m * 60;
        return 1;
    }
    if (!strcmp(key, "max_per_hour")) {
        if (parse_number(value, 0, 1e6, &m, why, n) < 0 || m != floor(m)) {
            snprintf(why, n, "max_per_hour wants a whole number from 0 (no limit) to 1000000");
            return -1;
        }
        *max_per_hour = (int)m;
        return 1;
    }
    return 0;
}

static int rule_key(rule *ru, const char *key, const char *value, char *why, size_t n)
{
    strlist *l = NULL;
    if (!strcmp(key, "events"))
        l = &ru->types;
    else if (!strcmp(key, "zones"))
        l = &ru->zones;
    else if (!strcmp(key, "zone_kinds"))
        l = &ru->kinds;
    else if (!strcmp(key, "owners"))
        l = &ru->owners;
    else if (!strcmp(key, "nations"))
        l = &ru->nations;
    else if (!strcmp(key, "not_nations"))
        l = &ru->not_nations;
    else if (!strcmp(key, "causes"))
        l = &ru->causes;
    if (l) {
        if (l->n) {
            snprintf(why, n, "'%s' given twice", key);
            return -1;
        }
        if (parse_list(value, l, why, n) < 0)
            return -1;
        if (l == &ru->types)
            return check_types(l, why, n);
        if (l == &ru->owners || l == &ru->nations || l == &ru->not_nations)
            return check_nations(l, why, n);
        return 0;
    }
    if (!strcmp(key, "military"))
        return parse_bool3(value, &ru->military, why, n);
    if (!strcmp(key, "unidentified"))
        return parse_bool3(value, &ru->unidentified, why, n);
    if (!strcmp(key, "min_alt_ft"))
        return parse_number(value, -2000, 200000, &ru->min_alt_ft, why, n);
    if (!strcmp(key, "max_alt_ft"))
        return parse_number(value, -2000, 200000, &ru->max_alt_ft, why, n);
    int limit = limit_key(key, value, &ru->dedup_s, &ru->max_per_hour, why, n);
    if (limit != 0)
        return limit < 0 ? -1 : 0;
    snprintf(why, n, "unknown key '%s' in a rule (events, zones, zone_kinds, owners, nations, "
                     "not_nations, causes, military, unidentified, min_alt_ft, max_alt_ft, "
                     "dedup_minutes, max_per_hour)", key);
    return -1;
}

static int alerts_key(aw_alert_rules *r, const char *key, const char *value, char *why,
                      size_t n)
{
    if (!strcmp(key, "friendly"))
        return aw_alert_rules_add_friendly(r, value, why, n);
    int limit = limit_key(key, value, &r->default_dedup_s, &r->default_max_per_hour, why, n);
    if (limit != 0)
        return limit < 0 ? -1 : 0;
    snprintf(why, n, "unknown key '%s' in [alerts] (friendly, dedup_minutes, max_per_hour)", key);
    return -1;
}

/* libinih calls this for each name = value; returning 0 marks the line as the error. */
static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *c = user;
    if (c->why[0])
        return 0;
    if (!section[0]) {
        snprintf(c->why, sizeof c->why, "'%s' before any section", name);
        return 0;
    }
    if (strcmp(section, c->section) != 0 && enter_section(c, section) < 0)
        return 0;
    if (!value[0]) {
        snprintf(c->why, sizeof c->why, "'%s' has no value", name);
        return 0;
    }
    int rc;
    if (c->kind == 0)
        rc = alerts_key(c->r, name, value, c->why, sizeof c->why);
    else if (c->kind == 1)
        rc = rule_key(c->current, name, value, c->why, sizeof c->why);
    else
        rc = output_key(c->current, name, value, c->why, sizeof c->why);
    return rc == 0;
}

static void free_state(rule *ru)
{
    free(ru->seen);
    for (int k = 0; k < 2; k++) {
        free(ru->recent[k].t);
        ru->recent[k].t = NULL;
    }
    ru->seen = NULL;
}

void aw_alert_rules_free(aw_alert_rules *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nrules; i++)
        free_state(&r->rules[i]);
    free(r->rules);
    free(r->outputs);
    free(r);
}

aw_alert_rules *aw_alert_rules_all(void)
{
    aw_alert_rules *r = calloc(1, sizeof *r);
    if (r)
        r->any = true;
    return r;
}

aw_alert_rules *aw_alert_rules_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    aw_alert_rules *r = calloc(1, sizeof *r);
    load_ctx *c = calloc(1, sizeof *c);
    if (!r || !c) {
        fclose(f);
        free(r);
        free(c);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    c->r = r;
    /* Long header values (tokens) must fit a line; stop at the first problem so the
     * line libinih reports is the one we explain. */
    ini_use_stack = false;
    ini_max_line = 4096;
    ini_stop_on_first_error = true;
    int line = ini_parse_file(f, on_pair, c);
    fclose(f);
    if (line == 0) {
        /* Checks that need the whole section. */
        for (int i = 0; i < r->noutputs && !c->why[0]; i++)
            if (!r->outputs[i].url[0])
                snprintf(c->why, sizeof c->why, "[output %s] has no url", r->outputs[i].name);
        for (int i = 0; i < r->nrules && !c->why[0]; i++) {
            rule *ru = &r->rules[i];
            if (!isnan(ru->min_alt_ft) && !isnan(ru->max_alt_ft) && ru->min_alt_ft > ru->max_alt_ft)
                snprintf(c->why, sizeof c->why, "[rule %s]: min_alt_ft is above max_alt_ft",
                         ru->name);
        }
        if (c->why[0]) {
            snprintf(err, errlen, "%s: %s", path, c->why);
            aw_alert_rules_free(r);
            free(c);
            return NULL;
        }
    } else {
        if (line > 0)
            snprintf(err, errlen, "%s:%d: %s", path, line,
                     c->why[0] ? c->why : "not a [section] nor a 'name = value' line");
        else
            snprintf(err, errlen, "%s: out of memory", path);
        aw_alert_rules_free(r);
        free(c);
        return NULL;
    }
    free(c);
    for (int i = 0; i < r->nrules; i++) {
        rule *ru = &r->rules[i];
        if (ru->dedup_s < 0)
            ru->dedup_s = r->default_dedup_s;
        if (ru->max_per_hour < 0)
            ru->max_per_hour = r->default_max_per_hour;
    }
    /* A file with no rule (only outputs, friends) selects everything but friends. */
    r->any = r->nrules == 0;
    return r;
}

int aw_alert_rules_add_friendly(aw_alert_rules *r, const char *list, char *err, size_t errlen)
{
    strlist add = {.n = 0};
    if (parse_list(list, &add, err, errlen) < 0 || check_nations(&add, err, errlen) < 0)
        return -1;
    for (int i = 0; i < add.n; i++) {
        if (in_list(&r->friendly, add.v[i]))
            continue;
        if (r->friendly.n == LIST_MAX) {
            snprintf(err, errlen, "more than %d friendly nations", LIST_MAX);
            return -1;
        }
        snprintf(r->friendly.v[r->friendly.n++], sizeof r->friendly.v[0], "%s", add.v[i]);
    }
    return 0;
}

int aw_alert_rules_outputs(const aw_alert_rules *r) { return r->noutputs; }

const aw_alert_output *aw_alert_rules_output(const aw_alert_rules *r, int i)
{
    return i >= 0 && i < r->noutputs ? &r->outputs[i] : NULL;
}

int aw_alert_rules_add_output(aw_alert_rules *r, const char *url, char *err, size_t errlen)
{
    if (check_url(url, err, errlen) < 0)
        return -1;
    if (strlen(url) >= sizeof r->outputs[0].url) {
        snprintf(err, errlen, "output URL is too long");
        return -1;
    }
    for (int i = 0; i < r->noutputs; i++)
        if (!strcmp(r->outputs[i].url, url))
            return 0;
    aw_alert_output *o = new_output(r, url);
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(o->url, sizeof o->url, "%s", url);
    return 0;
}

/* ---- selecting ----------------------------------------------------------------------- */

static bool matches(const rule *ru, const aw_alert_input *in, bool patrol)
{
    /* Patrol events only for a rule that names them; a landing abroad is a landing too. */
    if (patrol && !ru->types.n)
        return false;
    if (ru->types.n && !in_list(&ru->types, in->type) &&
        !(strcmp(in->type, "landing_abroad") == 0 && in_list(&ru->types, "landing")))
        return false;
    if (ru->zones.n && !in_list(&ru->zones, in->zone))
        return false;
    if (ru->kinds.n && !in_list(&ru->kinds, in->zone_kind))
        return false;
    if (ru->owners.n && !in_list(&ru->owners, in->owner))
        return false;
    if (ru->nations.n && !in_list(&ru->nations, in->nation))
        return false;
    if (ru->not_nations.n && in_list(&ru->not_nations, in->nation))
        return false;
    if (ru->causes.n && !in_list(&ru->causes, in->cause))
        return false;
    if (ru->military >= 0 && (int)in->military != ru->military)
        return false;
    if (ru->unidentified >= 0 && (int)in->unidentified != ru->unidentified)
        return false;
    /* An altitude band needs a known altitude: an unknown one is outside it. */
    if (!isnan(ru->min_alt_ft) && !(in->alt_ft >= ru->min_alt_ft))
        return false;
    if (!isnan(ru->max_alt_ft) && !(in->alt_ft <= ru->max_alt_ft))
        return false;
    return true;
}

static uint64_t fnv(uint64_t h, const char *s)
{
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull; /* a separator, so "ab"+"c" != "a"+"bc" */
}

/* Within the window of an earlier alert of the same track, zone and type? Records this
 * one otherwise. */
static bool duplicate(rule *ru, const aw_alert_input *in)
{
    if (!(ru->dedup_s > 0))
        return false;
    uint64_t key = fnv(fnv(fnv(1469598103934665603ull, in->track), in->zone), in->type);
    if (!key)
        key = 1;
    if (2 * (ru->used + 1) > ru->nseen) {
        size_t n = ru->nseen ? 2 * ru->nseen : 1024;
        if (n > SEEN_MAX) {
            memset(ru->seen, 0, ru->nseen * sizeof *ru->seen);
            ru->used = 0;
        } else {
            seen_slot *grown = calloc(n, sizeof *grown);
            if (!grown)
                return false; /* without memory, alert rather than lose one */
            for (size_t i = 0; i < ru->nseen; i++)
                if (ru->seen[i].key) {
                    size_t j = ru->seen[i].key & (n - 1);
                    while (grown[j].key)
                        j = (j + 1) & (n - 1);
                    grown[j] = ru->seen[i];
                }
            free(ru->seen);
            ru->seen = grown;
            ru->nseen = n;
        }
    }
    size_t j = key & (ru->nseen - 1);
    while (ru->seen[j].key && ru->seen[j].key != key)
        j = (j + 1) & (ru->nseen - 1);
    if (ru->seen[j].key && in->time - ru->seen[j].time < ru->dedup_s)
        return true;
    if (!ru->seen[j].key)
        ru->used++;
    ru->seen[j].key = key;
    ru->seen[j].time = in->time;
    return false;
}

/* Over the rule's alerts per hour? Records this one otherwise. */
static bool over_rate(rule *ru, struct ring *rg, double time)
{
    if (ru->max_per_hour <= 0)
        return false;
    if (!rg->t && !(rg->t = calloc((size_t)ru->max_per_hour, sizeof *rg->t)))
        return false;
    int cap = ru->max_per_hour;
    if (rg->n == cap) {
        if (time - rg->t[rg->first] < 3600)
            return true;
        rg->first = (rg->first + 1) % cap;
        rg->n--;
    }
    rg->t[(rg->first + rg->n++) % cap] = time;
    return false;
}

bool aw_alert_rules_want_patrol(const aw_alert_rules *r)
{
    for (int i = 0; i < r->nrules; i++)
        for (int k = 0; k < r->rules[i].types.n; k++)
            if (aw_alert_type_is_patrol(r->rules[i].types.v[k]))
                return true;
    return false;
}

const char *aw_alert_rules_select(aw_alert_rules *r, const aw_alert_input *in)
{
    if (in->nation[0] && in_list(&r->friendly, in->nation))
        return NULL;
    if (r->any)
        return "*";
    bool patrol = aw_alert_type_is_patrol(in->type);
    for (int i = 0; i < r->nrules; i++) {
        rule *ru = &r->rules[i];
        if (!matches(ru, in, patrol))
            continue;
        /* A rule that matches but is limited stops here: a later, wider rule must not
         * let through what this one holds back. */
        if (duplicate(ru, in) || over_rate(ru, &ru->recent[patrol], in->time))
            return NULL;
        return ru->name;
    }
    return NULL;
}
