/* cluster_checkpoint.c -- a partition's engine state kept in JetStream, so that a worker
 * taking the partition over resumes where the state was saved instead of replaying the
 * partition from its start.
 *
 * The state (aw_engine_save: versioned, little-endian, checksummed) goes to the stream
 * P_state, which keeps one message per subject (MaxMsgsPerSubject 1): a state larger
 * than the server's max_payload is cut into chunks P_state.K.S.I, and a small head
 * P_state.K.head names the stream sequence the state covers, the slot S, the number of
 * chunks, the size and an FNV-1a 64 of the whole. Two slots take turns: a save writes
 * the slot the head does not name and moves the head last, so a worker that dies while
 * saving leaves the previous checkpoint whole. A head whose chunks do not add up to its
 * size and checksum (two owners saving at once during a lease change) is not used: the
 * partition is then replayed from its start, which is slower but as exact.
 *
 * The head also names the reports stream by its creation time: a stream deleted and made
 * again under the same prefix numbers its messages afresh, and a checkpoint of the old
 * one is not used with it.
 *
 * Any checkpoint is a correct one: the engine is deterministic, so its state after the
 * partition's reports up to sequence C is the same whoever computed it. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_internal.h"

#define HEAD_FORMAT                                                                          \
    "adizwatch-checkpoint 1 stream=%" SCNd64 " seq=%" SCNu64 " slot=%d chunks=%u bytes=%zu "     \
    "fnv=%" SCNx64

typedef struct blob {
    unsigned char *data;
    size_t n, cap, at;
} blob;

static int blob_write(void *user, const void *data, size_t len)
{
    blob *b = user;
    if (b->n + len > b->cap) {
        size_t cap = 2 * (b->n + len);
        unsigned char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->n, data, len);
    b->n += len;
    return 0;
}

static int blob_read(void *user, void *data, size_t len)
{
    blob *b = user;
    if (len > b->n - b->at)
        return -1;
    memcpy(data, b->data + b->at, len);
    b->at += len;
    return 0;
}

static uint64_t fnv64(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

int aw_checkpoint_open(aw_cluster_conn *c, const char *prefix, int64_t *epoch)
{
    jsStreamInfo *main = NULL;
    if (js_GetStreamInfo(&main, c->js, prefix, NULL, NULL) != NATS_OK) {
        fprintf(stderr, "adizwatch: stream %s: not found\n", prefix);
        return -1;
    }
    *epoch = main->Created;
    jsStreamInfo_Destroy(main);
    char name[160], subj[170], desc[64] = "adizwatch engine checkpoints";
    snprintf(name, sizeof name, "%s_state", prefix);
    snprintf(subj, sizeof subj, "%s.>", name);
    const char *subjects[1] = {subj};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = name;
    cfg.Description = desc;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    cfg.MaxMsgsPerSubject = 1;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_AddStream(&si, c->js, &cfg, NULL, &jerr);
    if (s == NATS_OK || jerr == JSStreamNameExistErr) {
        jsStreamInfo_Destroy(si);
        si = NULL;
        if (js_GetStreamInfo(&si, c->js, name, NULL, &jerr) == NATS_OK) {
            bool ours = si->Config->MaxMsgsPerSubject == 1 && si->Config->Description &&
                        strcmp(si->Config->Description, desc) == 0;
            jsStreamInfo_Destroy(si);
            if (ours)
                return 0;
            fprintf(stderr, "adizwatch: stream %s is not adizwatch's checkpoint stream (another "
                            "description, or more than one message per subject)\n", name);
            return -1;
        }
    }
    fprintf(stderr, "adizwatch: checkpoint stream %s: %s (JetStream error %d)\n", name,
            natsStatus_GetText(s), (int)jerr);
    return -1;
}

/* The head of partition k: 1 and its fields, 0 if none, -1 on error. */
static int read_head(aw_cluster_conn *c, const char *prefix, int k, int64_t *epoch,
                     uint64_t *seq, int *slot, unsigned *chunks, size_t *bytes, uint64_t *sum)
{
    char stream[160], subj[200];
    snprintf(stream, sizeof stream, "%s_state", prefix);
    snprintf(subj, sizeof subj, "%s.%d.head", stream, k);
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, c->js, stream, subj, NULL, &jerr);
    if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr)
        return 0;
    if (s != NATS_OK)
        return -1;
    char text[256];
    snprintf(text, sizeof text, "%.*s", natsMsg_GetDataLength(m), natsMsg_GetData(m));
    natsMsg_Destroy(m);
    return sscanf(text, HEAD_FORMAT, epoch, seq, slot, chunks, bytes, sum) == 6 ? 1 : -1;
}

int aw_checkpoint_load(aw_cluster_conn *c, const char *prefix, int64_t epoch, int k,
                       aw_engine *e, uint64_t *seq, int *slot, size_t *bytes_out)
{
    unsigned chunks;
    size_t bytes;
    uint64_t sum;
    int64_t of;
    *slot = 0;
    int h = read_head(c, prefix, k, &of, seq, slot, &chunks, &bytes, &sum);
    if (h <= 0) {
        if (h < 0)
            fprintf(stderr, "adizwatch: partition %d: checkpoint head unreadable\n", k);
        return h;
    }
    if (of != epoch) {
        fprintf(stderr, "adizwatch: partition %d: checkpoint at sequence %" PRIu64 " not used: "
                        "saved for an earlier stream %s\n", k, *seq, prefix);
        return -1;
    }
    blob b = {0};
    char stream[160], subj[220];
    snprintf(stream, sizeof stream, "%s_state", prefix);
    int rc = 0;
    for (unsigned i = 0; i < chunks && rc == 0; i++) {
        snprintf(subj, sizeof subj, "%s.%d.%d.%u", stream, k, *slot, i);
        natsMsg *m = NULL;
        jsErrCode jerr = 0;
        if (js_GetLastMsg(&m, c->js, stream, subj, NULL, &jerr) != NATS_OK ||
            blob_write(&b, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m)) < 0)
            rc = -1;
        natsMsg_Destroy(m);
    }
    char err[256] = "";
    if (rc == 0 && (b.n != bytes || fnv64(b.data, b.n) != sum)) {
        snprintf(err, sizeof err, "its chunks do not add up to what its head says (%zu bytes "
                                  "of %zu): overwritten by a later save",
                 b.n, bytes);
        rc = -1;
    } else if (rc == 0 && aw_engine_restore(e, blob_read, &b, err, sizeof err) < 0)
        rc = -1;
    else if (rc < 0)
        snprintf(err, sizeof err, "a chunk could not be read");
    free(b.data);
    if (rc < 0) {
        fprintf(stderr, "adizwatch: partition %d: checkpoint at sequence %" PRIu64 " not used: %s\n",
                k, *seq, err);
        return -1;
    }
    *bytes_out = bytes;
    return 1;
}

int aw_checkpoint_save(aw_cluster_conn *c, const char *prefix, int64_t epoch, int k,
                       uint64_t seq, const aw_engine *e, int *slot, size_t *bytes_out)
{
    blob b = {0};
    if (aw_engine_save(e, blob_write, &b) < 0) {
        free(b.data);
        return -1;
    }
    size_t chunk = (size_t)natsConnection_GetMaxPayload(c->nc);
    chunk = chunk > 4096 ? chunk - 1024 : 3072; /* room for the headers */
    int to = *slot ? 0 : 1;
    unsigned chunks = (unsigned)((b.n + chunk - 1) / chunk);
    char stream[160], subj[220];
    snprintf(stream, sizeof stream, "%s_state", prefix);
    natsStatus s = NATS_OK;
    for (unsigned i = 0; i < chunks && s == NATS_OK; i++) {
        snprintf(subj, sizeof subj, "%s.%d.%d.%u", stream, k, to, i);
        size_t len = b.n - i * chunk < chunk ? b.n - i * chunk : chunk;
        s = js_Publish(NULL, c->js, subj, b.data + i * chunk, (int)len, NULL, NULL);
    }
    if (s == NATS_OK) {
        char head[256];
        int n = snprintf(head, sizeof head,
                         "adizwatch-checkpoint 1 stream=%" PRId64 " seq=%" PRIu64 " slot=%d "
                         "chunks=%u bytes=%zu fnv=%016" PRIx64,
                         epoch, seq, to, chunks, b.n, fnv64(b.data, b.n));
        snprintf(subj, sizeof subj, "%s.%d.head", stream, k);
        s = js_Publish(NULL, c->js, subj, head, n, NULL, NULL);
    }
    free(b.data);
    if (s != NATS_OK) {
        fprintf(stderr, "adizwatch: partition %d: checkpoint not saved (%s); the previous one "
                        "stands\n", k, natsStatus_GetText(s));
        return -1;
    }
    *slot = to;
    *bytes_out = b.n;
    return 0;
}
