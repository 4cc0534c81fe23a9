/* serve_guard.c -- the gate in front of `adizwatch serve`: which names the server answers
 * to, which pages may change its state, who holds the token, what a query may contain,
 * and a log a hostile client cannot flood.
 *
 * Why each check (docs/web.md, "Security"):
 * - Host: a DNS-rebinding page reaches a loopback server under its own name; answering
 *   only to the bound address, localhost and --allow-host names shuts it out.
 * - Origin: a page on another site (or another port of this machine: SameSite ignores
 *   ports) can send a browser's POST here; a state change is taken only from this
 *   server's own page, or from a client that shows the token in a header, which no
 *   cross-site page can add without a CORS grant this server never gives.
 * - Token: the server is read-only unless --token-file is given; then a state change
 *   needs "Authorization: Bearer TOKEN" or the session cookie the login page sets (a
 *   random value per run, so the token itself is never stored by the browser).
 * - Strict queries: a number is plain decimal, a name appears once and holds no NUL, so
 *   that what the server reads is what the client meant ("track=%00x" is not "all"). */
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <arpa/inet.h>

#include "serve/serve.h"

/* Split "name[:port]" or "[v6]:port" into name (lower case) and port (-1 if none).
 * Returns false if it is not of that form. */
static bool split_authority(const char *text, char *name, size_t cap, long *port)
{
    const char *end, *colon = NULL;
    if (text[0] == '[') {
        end = strchr(text, ']');
        if (!end)
            return false;
        end++;
        if (*end == ':')
            colon = end;
        else if (*end)
            return false;
    } else {
        colon = strrchr(text, ':');
        end = colon ? colon : text + strlen(text);
    }
    size_t n = (size_t)(end - text);
    if (n == 0 || n >= cap)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (!(isalnum(ch) || ch == '.' || ch == '-' || ch == '_' || ch == '[' || ch == ']' || ch == ':'))
            return false;
        name[i] = (char)tolower(ch);
    }
    name[n] = '\0';
    *port = -1;
    if (colon) {
        char *e;
        if (!isdigit((unsigned char)colon[1]))
            return false;
        *port = strtol(colon + 1, &e, 10);
        if (*e || *port > 65535)
            return false;
    }
    return true;
}

static bool is_local_name(const serve_ctx *s, const char *name)
{
    return strcmp(name, "localhost") == 0 || strcmp(name, "127.0.0.1") == 0 ||
           strcmp(name, "[::1]") == 0 ||
           (strcmp(s->bound_host, "0.0.0.0") != 0 && strcmp(name, s->bound_host) == 0);
}

/* name[:port] against the allow-list; default_port stands for a missing port. */
static bool authority_allowed(const serve_ctx *s, const char *authority, long default_port)
{
    char name[256];
    long port;
    if (!split_authority(authority, name, sizeof name, &port))
        return false;
    if (port < 0)
        port = default_port;
    if (is_local_name(s, name) && port == (long)__atomic_load_n(&s->port, __ATOMIC_ACQUIRE))
        return true;
    for (int i = 0; i < s->nallow_hosts; i++) {
        char aname[256];
        long aport;
        if (!split_authority(s->allow_hosts[i], aname, sizeof aname, &aport))
            continue;
        /* A name without a port is a proxy's public name: any port it is reached on. */
        if (strcmp(aname, name) == 0 && (aport < 0 || aport == port))
            return true;
    }
    return false;
}

bool serve_host_allowed(const serve_ctx *s, const char *host)
{
    return host && authority_allowed(s, host, s->tls ? 443 : 80);
}

bool serve_origin_allowed(const serve_ctx *s, const char *origin)
{
    if (!origin)
        return false;
    long default_port;
    if (strncmp(origin, "http://", 7) == 0)
        default_port = 80, origin += 7;
    else if (strncmp(origin, "https://", 8) == 0)
        default_port = 443, origin += 8;
    else
        return false; /* "null" (a sandboxed or file: page) and anything else */
    char name[256];
    long port;
    if (!split_authority(origin, name, sizeof name, &port))
        return false;
    /* Our own page, reached directly, has our scheme; through a proxy, the proxy's. */
    if (is_local_name(s, name) && (default_port == 443) != s->tls)
        return false;
    return authority_allowed(s, origin, default_port);
}

bool serve_secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
    return diff == 0;
}

serve_auth serve_request_auth(const serve_ctx *s, struct MHD_Connection *c)
{
    if (!s->token)
        return SERVE_AUTH_NONE;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (h && strncasecmp(h, "Bearer ", 7) == 0 && serve_secret_equal(h + 7, s->token))
        return SERVE_AUTH_BEARER;
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "aw_session");
    if (cookie && s->session[0] && serve_secret_equal(cookie, s->session))
        return SERVE_AUTH_COOKIE;
    return SERVE_AUTH_NONE;
}

char *serve_read_token(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "adizwatch: --token-file %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)buf[i]) || strchr("._~-", buf[i]))) {
            fprintf(stderr, "adizwatch: --token-file %s: the token is one line of letters, "
                            "digits and . _ ~ - (character %zu is not)\n", path, i + 1);
            return NULL;
        }
    if (n < SERVE_TOKEN_MIN) {
        fprintf(stderr, "adizwatch: --token-file %s: the token must have at least %d characters "
                        "(e.g. `head -c 24 /dev/urandom | base64 | tr +/ -_`)\n", path, SERVE_TOKEN_MIN);
        return NULL;
    }
    return strdup(buf);
}

int serve_new_session(char out[65])
{
    unsigned char r[32];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return -1;
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    return 0;
}

bool serve_is_loopback(const char *addr)
{
    struct in_addr a;
    return inet_pton(AF_INET, addr, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

/* ---- queries ----------------------------------------------------------------------- */

typedef struct param_scan {
    const char *const *allowed;
    const char *seen[SERVE_MAX_PARAMS];
    int n;
    const char *problem;
    char *err;
    size_t errlen;
} param_scan;

static enum MHD_Result scan_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    param_scan *ps = cls;
    if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
        ps->problem = "a query parameter holds a NUL character";
        return MHD_NO;
    }
    const char *const *a = ps->allowed;
    while (*a && strcmp(*a, key) != 0)
        a++;
    if (!*a) {
        snprintf(ps->err, ps->errlen, "unknown parameter '%.40s'", key);
        ps->problem = ps->err;
        return MHD_NO;
    }
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->seen[i], key) == 0) {
            snprintf(ps->err, ps->errlen, "parameter '%.40s' given more than once", key);
            ps->problem = ps->err;
            return MHD_NO;
        }
    if (ps->n == SERVE_MAX_PARAMS) {
        ps->problem = "too many query parameters";
        return MHD_NO;
    }
    ps->seen[ps->n++] = key;
    return MHD_YES;
}

const char *serve_params_check(struct MHD_Connection *c, const char *const *allowed, char *err,
                               size_t errlen)
{
    static const char *const none[] = {NULL};
    param_scan ps = {allowed ? allowed : none, {0}, 0, NULL, err, errlen};
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, scan_param, &ps);
    return ps.problem;
}

bool serve_decimal(const char *v, double *out)
{
    if (!v || !isdigit((unsigned char)v[0]) || strlen(v) > 24)
        return false;
    const char *p = v;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p)
        return false;
    *out = strtod(v, NULL);
    return true;
}

/* ---- the log ----------------------------------------------------------------------- */

double serve_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void serve_vlog(serve_ctx *s, const char *fmt, va_list ap)
{
    double now = serve_mono_s();
    pthread_mutex_lock(&s->http_lock);
    if (s->log_at == 0)
        s->log_tokens = SERVE_LOG_PER_10S;
    else
        s->log_tokens += (now - s->log_at) * SERVE_LOG_PER_10S / 10.0;
    if (s->log_tokens > SERVE_LOG_PER_10S)
        s->log_tokens = SERVE_LOG_PER_10S;
    s->log_at = now;
    bool write = s->log_tokens >= 1;
    unsigned long dropped = 0;
    if (write) {
        s->log_tokens -= 1;
        dropped = s->log_dropped;
        s->log_dropped = 0;
    } else {
        s->log_dropped++;
    }
    pthread_mutex_unlock(&s->http_lock);
    if (!write)
        return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    for (size_t i = 0; i < n; i++) /* what a client sent is shown, never obeyed by a terminal */
        if ((unsigned char)msg[i] < 0x20 && msg[i] != '\n')
            msg[i] = '?';
    while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
    if (dropped)
        fprintf(stderr, "adizwatch: http: (%lu log lines dropped: more than %d in 10 s)\n", dropped,
                SERVE_LOG_PER_10S);
    fprintf(stderr, "adizwatch: http: %s\n", msg);
}

void serve_log(serve_ctx *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    serve_vlog(s, fmt, ap);
    va_end(ap);
}
