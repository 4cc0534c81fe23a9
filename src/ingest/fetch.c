/* fetch.c -- the bytes of a file or an http(s) URL, for polling aircraft.json.
 *
 * readsb writes aircraft.json to a folder and tar1090 serves it over HTTP; a watch that
 * polls either reads it whole each time. URLs go through libcurl (redirects followed, at
 * most 3; gzip or deflate accepted; an HTTP error status is an error; a 20 s limit and a
 * 64 MiB cap, so a hostile or stuck server cannot hold the watch or fill memory). Paths
 * are read through zlib, plain or gzip. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "adizwatch/feeds.h"

#define FETCH_MAX (64u << 20)

typedef struct body {
    char *p;
    size_t n, cap;
    bool too_big;
} body;

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
    body *b = user;
    size_t n = size * nmemb;
    if (b->n + n + 1 > FETCH_MAX) {
        b->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (!grown)
            return 0;
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    return n;
}

static bool is_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

char *aw_fetch(const char *path_or_url, size_t *len, char *err, size_t errlen)
{
    if (!is_url(path_or_url))
        return aw_read_file_maybe_gz(path_or_url, len, err, errlen);
    static bool curl_ready;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
            snprintf(err, errlen, "libcurl cannot start");
            return NULL;
        }
        curl_ready = true;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    body b = {0};
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, path_or_url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "adizwatch");
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || !b.p) {
        if (b.too_big)
            snprintf(err, errlen, "%s: more than %u MiB", path_or_url, FETCH_MAX >> 20);
        else
            snprintf(err, errlen, "%s: %s", path_or_url,
                     cerr[0] ? cerr : rc == CURLE_OK ? "empty reply" : curl_easy_strerror(rc));
        free(b.p);
        return NULL;
    }
    b.p[b.n] = '\0';
    *len = b.n;
    return b.p;
}
