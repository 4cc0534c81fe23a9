/* body.c -- what sinks share: the bodies webhook templates make of an alert, and the
 * HOST:PORT/PATH part of broker URLs. */
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "deliver/sink.h"

char *aw_alert_body(aw_alert_template t, const char *alert_json)
{
    if (t == AW_TEMPLATE_JSON)
        return strdup(alert_json);
    json_t *alert = json_loads(alert_json, 0, NULL);
    const char *text = json_string_value(json_object_get(alert, "text"));
    const char *id = json_string_value(json_object_get(alert, "id"));
    if (!text || !id) {
        json_decref(alert);
        return NULL;
    }
    /* Chat services show text, and drop unknown fields; the id goes in the text so a
     * reader can tell a repeat from a new alert. */
    size_t len = strlen(text) + strlen(id) + 32;
    char *line = malloc(len);
    json_t *body = NULL;
    if (line) {
        snprintf(line, len, "%s [alert %.12s]", text, id);
        body = json_pack("{s:s}", t == AW_TEMPLATE_DISCORD ? "content" : "text", line);
    }
    char *out = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    json_decref(alert);
    free(line);
    return out;
}

int aw_sink_split_url(const char *rest, char *host, size_t hostlen, int *port, int default_port,
                      char *path, size_t pathlen, char *err, size_t errlen)
{
    const char *slash = strchr(rest, '/');
    size_t hp = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *colon = memchr(rest, ':', hp);
    size_t hl = colon ? (size_t)(colon - rest) : hp;
    if (hl == 0 || hl >= hostlen) {
        snprintf(err, errlen, "no host in '%s'", rest);
        return -1;
    }
    memcpy(host, rest, hl);
    host[hl] = '\0';
    *port = default_port;
    if (colon) {
        char *end;
        long p = strtol(colon + 1, &end, 10);
        if (end != rest + hp || p < 1 || p > 65535) {
            snprintf(err, errlen, "bad port in '%s'", rest);
            return -1;
        }
        *port = (int)p;
    }
    const char *tail = slash ? slash + 1 : "";
    if (!*tail || strlen(tail) >= pathlen) {
        snprintf(err, errlen, "no topic or subject (or too long) in '%s'", rest);
        return -1;
    }
    snprintf(path, pathlen, "%s", tail);
    return 0;
}
