/* sink_http.c -- `http://` and `https://` webhooks, through libcurl.
 *
 * Each alert is one POST of JSON: the alert itself, or the object a chat service's
 * incoming webhook takes (template = slack / mattermost: {"text": ...}; discord:
 * {"content": ...}), with the output's headers (an Authorization token, say). A 2xx
 * answer acknowledges it. A 5xx, 408 or 429 answer or no answer is a failure of the
 * sink, retried after a backoff; any other answer (400, 401, 404...) refuses that alert
 * for good, so one alert the receiver will never take does not stop the ones after it.
 * One connection is kept alive between alerts (libcurl reuses it). Each call sends one
 * alert, so a slow receiver's acknowledgements are settled one by one and a crash resends
 * at most the one in flight. */
#include <stdio.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "deliver/sink.h"

typedef struct http_sink {
    CURL *curl;
    struct curl_slist *headers;
    aw_alert_template body;
    char url[512];
} http_sink;

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void http_close(void *self)
{
    http_sink *s = self;
    if (!s)
        return;
    if (s->curl)
        curl_easy_cleanup(s->curl);
    curl_slist_free_all(s->headers);
    free(s);
}

static void *http_open(const aw_alert_output *o, char *err, size_t errlen)
{
    http_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->curl = curl_easy_init())) {
        snprintf(err, errlen, "out of memory");
        http_close(s);
        return NULL;
    }
    snprintf(s->url, sizeof s->url, "%s", o->url);
    s->body = o->body;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    for (int i = 0; h && i < o->nheaders; i++)
        h = curl_slist_append(h, o->headers[i]);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        http_close(s);
        return NULL;
    }
    s->headers = h;
    CURL *c = s->curl;
    curl_easy_setopt(c, CURLOPT_URL, s->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "adizwatch");
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    return s;
}

static int http_send(void *self, const aw_outbox_item *items, int n, send_status *status,
                     char *err, size_t errlen)
{
    http_sink *s = self;
    for (int i = 0; i < n; i++) {
        if (status[i] != SEND_PENDING)
            continue;
        char *body = aw_alert_body(s->body, items[i].json);
        if (!body) {
            snprintf(err, errlen, "alert %s: cannot make the body", items[i].id);
            status[i] = SEND_REFUSED;
            continue;
        }
        curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        CURLcode rc = curl_easy_perform(s->curl);
        free(body);
        if (rc != CURLE_OK) {
            snprintf(err, errlen, "%s: %s", s->url, curl_easy_strerror(rc));
            return -1;
        }
        long code = 0;
        curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
        if (code >= 200 && code < 300) {
            status[i] = SEND_ACK;
            return 0; /* one at a time: each acknowledgement is settled at once */
        } else if (code >= 500 || code == 408 || code == 429) {
            snprintf(err, errlen, "%s: HTTP %ld", s->url, code);
            return -1;
        } else {
            snprintf(err, errlen, "%s: HTTP %ld for alert %s: refused", s->url, code, items[i].id);
            status[i] = SEND_REFUSED;
        }
    }
    return 0;
}

const sink_ops aw_sink_http = {http_open, http_send, http_close};
