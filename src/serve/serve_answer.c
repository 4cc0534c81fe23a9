/* serve_answer.c -- how `adizwatch serve` answers: every answer with the same security
 * headers (no caching, no sniffing, a Content-Security-Policy that lets only the server's
 * own scripts run), and every error as JSON {"error", "status"} (docs/web.md, "Errors"). */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

enum MHD_Result serve_send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                 char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
    if (!r) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* Only this server's own scripts run, and no other site may frame the page: were data
     * ever put in the page as markup, it still could not run. Leaflet positions with
     * style attributes, hence 'unsafe-inline' for styles only. */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                            "base-uri 'none'; form-action 'self'");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin"); /* "no-referrer" makes a form POST's Origin "null" */
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Send a JSON value (taking its reference). */
enum MHD_Result serve_send_json(struct MHD_Connection *c, unsigned status, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(v);
    if (!text)
        return MHD_NO;
    return serve_send_text(c, status, "application/json", text, strlen(text), MHD_RESPMEM_MUST_FREE);
}

enum MHD_Result serve_send_error(serve_ctx *s, struct MHD_Connection *c, unsigned status,
                                  const char *message)
{
    pthread_mutex_lock(&s->http_lock);
    s->errors_4xx++;
    pthread_mutex_unlock(&s->http_lock);
    return serve_send_json(c, status, json_pack("{s:s, s:i}", "error", message, "status", (int)status));
}

enum MHD_Result serve_method_not_allowed(serve_ctx *s, struct MHD_Connection *c, const char *allow)
{
    pthread_mutex_lock(&s->http_lock);
    s->errors_4xx++;
    pthread_mutex_unlock(&s->http_lock);
    json_t *body = json_pack("{s:s, s:i}", "error", "method not allowed", "status", 405);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text)
        return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Allow", allow);
    enum MHD_Result ret = MHD_queue_response(c, 405, r);
    MHD_destroy_response(r);
    return ret;
}

