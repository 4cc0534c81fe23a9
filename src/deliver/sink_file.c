/* sink_file.c -- `file:PATH`: alerts appended as JSON Lines.
 *
 * An alert is acknowledged once its line is written and synced to disk, so a file sink
 * holds every alert through a crash of the machine, not just of the process. Each line is
 * one write(2) to a file opened for appending, so lines of two writers never interleave. */
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver/sink.h"

typedef struct file_sink {
    char path[512];
    int fd;
} file_sink;

static void *file_open(const aw_alert_output *o, char *err, size_t errlen)
{
    const char *path = o->url + strlen("file:");
    if (strncmp(path, "//", 2) == 0)
        path += 2; /* file:///var/log/x -> /var/log/x */
    if (!*path) {
        snprintf(err, errlen, "%s: no path", o->url);
        return NULL;
    }
    file_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    s->fd = -1;
    return s;
}

static int file_send(void *self, const aw_outbox_item *items, int n, send_status *status,
                     char *err, size_t errlen)
{
    file_sink *s = self;
    if (s->fd < 0) {
        s->fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (s->fd < 0) {
            snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
            return -1;
        }
    }
    int written = 0;
    for (int i = 0; i < n; i++) {
        if (status[i] != SEND_PENDING)
            continue;
        size_t len = strlen(items[i].json);
        char *line = malloc(len + 1);
        if (!line) {
            snprintf(err, errlen, "out of memory");
            break;
        }
        memcpy(line, items[i].json, len);
        line[len] = '\n';
        ssize_t w = write(s->fd, line, len + 1);
        free(line);
        if (w != (ssize_t)(len + 1)) {
            snprintf(err, errlen, "%s: %s", s->path, w < 0 ? strerror(errno) : "short write");
            close(s->fd);
            s->fd = -1;
            return -1;
        }
        status[i] = SEND_ACK; /* provisionally: only once synced below */
        written++;
    }
    if (written && fdatasync(s->fd) != 0) {
        snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
        for (int i = 0; i < n; i++)
            if (status[i] == SEND_ACK)
                status[i] = SEND_PENDING;
        close(s->fd);
        s->fd = -1;
        return -1;
    }
    return 0;
}

static void file_close(void *self)
{
    file_sink *s = self;
    if (s && s->fd >= 0)
        close(s->fd);
    free(s);
}

const sink_ops aw_sink_file = {file_open, file_send, file_close};
