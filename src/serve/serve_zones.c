/* serve_zones.c -- zones at run time: `PUT /api/zones/{id}` with a GeoJSON Feature and
 * `DELETE /api/zones/{id}`, as Tile38 users manage fences.
 *
 * The zones in force are the features of --zones with the changes made since laid over
 * them. A change builds the whole new set and loads it exactly as `zones check` does, so
 * a zone is refused with the same problems listed; a set that loads becomes a new
 * version, which the feed thread puts under the engine before its next report
 * (cli/serve_feed.c). Versions are never freed while serving: an HTTP thread may still be
 * reading the one it took, and zones change by hand, a few times a day, not per report.
 *
 * With --db the changes are kept beside the store in DB.zones.json ({"put": {id:
 * feature}, "deleted": [id]}), written whole and renamed into place, and laid over
 * --zones again at the next start: --zones stays the base a reader can see, the file
 * holds only what the operators changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adizwatch/theater.h"
#include "serve/serve.h"

struct serve_zones_version {
    aw_zone_set *zs;
    char *json;  /* the zones as the map draws them (serve_zones_geojson_text) */
    size_t len;
    int number;  /* 0 for the zones at start, then one more per change */
    serve_zones_version *older;
};


const serve_zones_version *serve_zones_now(const serve_ctx *s)
{
    return atomic_load(&((serve_ctx *)s)->zv);
}

int serve_zones_number(const serve_ctx *s)
{
    return serve_zones_now(s)->number;
}

const aw_zone_set *serve_zones(const serve_ctx *s)
{
    return serve_zones_now(s)->zs;
}

const char *serve_zones_json(const serve_ctx *s, size_t *len)
{
    const serve_zones_version *v = serve_zones_now(s);
    *len = v->len;
    return v->json;
}

/* The features in force: the base with the overlay's puts and deletions applied. */
static json_t *features_now(const serve_ctx *s)
{
    json_t *out = json_array();
    json_t *put = json_object_get(s->zone_overlay, "put");
    json_t *deleted = json_object_get(s->zone_overlay, "deleted");
    size_t i, k;
    json_t *f, *d;
    json_array_foreach(s->zone_base, i, f) {
        const char *id = json_string_value(json_object_get(json_object_get(f, "properties"), "id"));
        bool gone = id && json_object_get(put, id);
        json_array_foreach(deleted, k, d)
            gone = gone || (id && json_string_value(d) && strcmp(json_string_value(d), id) == 0);
        if (!gone)
            json_array_append(out, f);
    }
    const char *id;
    json_object_foreach(put, id, f)
        json_array_append(out, f);
    return out;
}

/* The features in force as the text of a FeatureCollection; malloc'ed, NULL without
 * memory. */
static char *features_text(const serve_ctx *s)
{
    json_t *fc = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features_now(s));
    char *text = json_dumps(fc, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(fc);
    return text;
}

typedef struct problems {
    json_t *list;
} problems;

static void note_problem(int feature, const char *zone_id, const char *message, void *user)
{
    (void)feature;
    problems *p = user;
    json_array_append_new(p->list, json_pack("{s:s?, s:s}", "zone", zone_id, "problem", message));
}

/* Load the features in force as a new version and make it current. NULL problems: print
 * them (at start). Returns 0, or -1 with the problems noted. */
static int install(serve_ctx *s, json_t *problem_list)
{
    char *text = features_text(s);
    if (!text)
        return -1;
    problems p = {problem_list ? problem_list : json_array()};
    serve_zones_version *v = calloc(1, sizeof *v);
    if (v && (v->zs = aw_zones_load_string(text, strlen(text), note_problem, &p)))
        v->json = serve_zones_geojson_text(v->zs, text, strlen(text));
    free(text);
    if (!problem_list) {
        size_t i;
        json_t *pr;
        json_array_foreach(p.list, i, pr)
            fprintf(stderr, "adizwatch: zone %s: %s\n", json_string_value(json_object_get(pr, "zone")),
                    json_string_value(json_object_get(pr, "problem")));
        json_decref(p.list);
    }
    if (!v || !v->zs || !v->json) {
        if (v) {
            aw_zones_free(v->zs);
            free(v);
        }
        return -1;
    }
    v->len = strlen(v->json);
    v->older = atomic_load(&s->zv);
    v->number = v->older ? v->older->number + 1 : 0;
    atomic_store(&s->zv, v);
    return 0;
}

/* Write the overlay beside the store, whole, then rename it into place. */
static int save_overlay(serve_ctx *s)
{
    if (!s->zones_file)
        return 0;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->zones_file);
    if (json_dump_file(s->zone_overlay, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0 ||
        rename(tmp, s->zones_file) != 0) {
        serve_log(s, "cannot keep the zone change in %s: %s", s->zones_file, strerror(errno));
        return -1;
    }
    return 0;
}

int serve_zones_init(serve_ctx *s, aw_zone_set *zs, const char *spec, const char *db)
{
    pthread_mutex_init(&s->zones_lock, NULL);
    s->zone_base = json_array();
    s->zone_overlay = json_pack("{s:{}, s:[]}", "put", "deleted");
    struct stat st;
    bool combined = strchr(spec, ',') && stat(spec, &st) != 0; /* as the CLI's zone loader decides */
    char *list = strdup(spec);
    for (char *save = NULL, *part = combined ? strtok_r(list, ",", &save) : list; part;
         part = combined ? strtok_r(NULL, ",", &save) : NULL) {
        size_t len;
        char err[256];
        char *text = aw_theater_zones_text(part, &len, err, sizeof err);
        json_t *root = text ? json_loadb(text, len, 0, NULL) : NULL;
        json_t *fs = json_object_get(root, "features");
        if (fs)
            json_array_extend(s->zone_base, fs);
        else if (root)
            json_array_append(s->zone_base, root); /* a lone Feature */
        json_decref(root);
        free(text);
    }
    free(list);
    if (db) {
        size_t n = strlen(db) + sizeof ".zones.json";
        s->zones_file = malloc(n);
        snprintf(s->zones_file, n, "%s.zones.json", db);
        if (stat(s->zones_file, &st) == 0) {
            json_error_t jerr;
            json_t *o = json_load_file(s->zones_file, 0, &jerr);
            if (!json_is_object(json_object_get(o, "put")) || !json_is_array(json_object_get(o, "deleted"))) {
                fprintf(stderr, "adizwatch: %s: not the zone changes serve keeps (%s)\n", s->zones_file,
                        o ? "no put/deleted" : jerr.text);
                json_decref(o);
                return -1;
            }
            json_decref(s->zone_overlay);
            s->zone_overlay = o;
            fprintf(stderr, "adizwatch: zones: %s with the changes kept in %s (%zu put, %zu deleted)\n",
                    spec, s->zones_file, json_object_size(json_object_get(o, "put")),
                    json_array_size(json_object_get(o, "deleted")));
            aw_zones_free(zs);
            return install(s, NULL) == 0 ? 0 : (fprintf(stderr, "adizwatch: %s: the zones it makes "
                                                                "are refused\n", s->zones_file), -1);
        }
    }
    /* No changes yet: the set already loaded is the first version. */
    serve_zones_version *v = calloc(1, sizeof *v);
    if (!v)
        return -1;
    v->zs = zs;
    char *text = features_text(s); /* the files as read above, not read again */
    v->json = text ? serve_zones_geojson_text(zs, text, strlen(text)) : NULL;
    free(text);
    if (!v->json) {
        free(v);
        return -1;
    }
    v->len = strlen(v->json);
    atomic_store(&s->zv, v);
    return 0;
}

void serve_zones_free(serve_ctx *s)
{
    for (serve_zones_version *v = atomic_load(&s->zv), *older; v; v = older) {
        older = v->older;
        aw_zones_free(v->zs);
        free(v->json);
        free(v);
    }
    json_decref(s->zone_base);
    json_decref(s->zone_overlay);
    free(s->zones_file);
    if (s->zone_base)
        pthread_mutex_destroy(&s->zones_lock);
}

/* Make the edited overlay current and keep it beside the store; if the new set does not
 * load, put the saved overlay back. Takes saved; called with zones_lock held. */
static int install_or_restore(serve_ctx *s, json_t *saved, json_t *problem_list)
{
    int rc = install(s, problem_list);
    if (rc == 0) {
        json_decref(saved);
        save_overlay(s);
    } else {
        json_decref(s->zone_overlay);
        s->zone_overlay = saved;
    }
    return rc;
}

int serve_zones_put(serve_ctx *s, const char *id, const char *body, size_t len, json_t *problem_list,
                    bool *replaced)
{
    json_error_t jerr;
    json_t *f = json_loadb(body, len, 0, &jerr);
    const char *type = json_string_value(json_object_get(f, "type"));
    json_t *props = json_object_get(f, "properties");
    const char *fid = json_string_value(json_object_get(props, "id"));
    const char *problem = !f ? "not JSON" : !type || strcmp(type, "Feature") != 0
                                              ? "not a GeoJSON Feature"
                                          : props && !json_is_object(props) ? "properties is not an object"
                                          : fid && strcmp(fid, id) != 0 ? "properties.id differs from the id in the URL"
                                                                        : NULL;
    if (problem) {
        json_array_append_new(problem_list, json_pack("{s:s, s:s}", "zone", id, "problem",
                                                      f ? problem : jerr.text));
        json_decref(f);
        return -1;
    }
    if (!props)
        json_object_set_new(f, "properties", props = json_object());
    json_object_set_new(props, "id", json_string(id));
    pthread_mutex_lock(&s->zones_lock);
    json_t *saved = json_deep_copy(s->zone_overlay);
    *replaced = aw_zones_find(serve_zones(s), id) >= 0;
    json_object_set_new(json_object_get(s->zone_overlay, "put"), id, f);
    int rc = install_or_restore(s, saved, problem_list);
    pthread_mutex_unlock(&s->zones_lock);
    return rc;
}

int serve_zones_delete(serve_ctx *s, const char *id, json_t *problem_list)
{
    pthread_mutex_lock(&s->zones_lock);
    if (aw_zones_find(serve_zones(s), id) < 0) {
        pthread_mutex_unlock(&s->zones_lock);
        return -2;
    }
    json_t *saved = json_deep_copy(s->zone_overlay);
    json_object_del(json_object_get(s->zone_overlay, "put"), id);
    json_array_append_new(json_object_get(s->zone_overlay, "deleted"), json_string(id));
    int rc = install_or_restore(s, saved, problem_list);
    pthread_mutex_unlock(&s->zones_lock);
    return rc;
}
