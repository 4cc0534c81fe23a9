/* test_outbox.c -- the alert outbox in a real SQLite file: a sink's reader sees an alert
 * only once its transaction committed; queueing the same id twice queues it once; an
 * acknowledged row leaves only with the commit; a seq is never reused, so a sink's
 * cursor never hides a new row; a reopened file still holds what was not acknowledged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adizwatch/store.h"
#include "check.h"
#include "store/outbox.h"

static char dir[] = "/tmp/aw_outbox_XXXXXX";

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/o.db", dir);
    aw_store *s = aw_store_open(path, err, sizeof err);
    CHECK(s != NULL);
    CHECK(aw_outbox_setup(s, err, sizeof err) == 0);
    const char *sinks[] = {"file:/a", "mqtt://h:1/t"};
    CHECK(aw_outbox_queue(s, "id1", 1.0, "{\"id\":\"id1\"}", sinks, 2, err, sizeof err) == 1);
    CHECK(aw_outbox_queue(s, "id1", 1.0, "{\"id\":\"id1\"}", sinks, 2, err, sizeof err) == 0);
    CHECK(aw_outbox_pending(s, NULL) == 2);

    aw_outbox_reader *r = aw_outbox_reader_open(path, err, sizeof err);
    CHECK(r != NULL);
    aw_outbox_item it[8];
    CHECK(aw_outbox_read(r, "file:/a", 0, it, 8) == 0); /* not committed yet */
    CHECK(aw_store_commit(s) == 0);
    int n = aw_outbox_read(r, "file:/a", 0, it, 8);
    CHECK(n == 1);
    CHECK(n == 1 && !strcmp(it[0].id, "id1") && !strcmp(it[0].json, "{\"id\":\"id1\"}"));
    int64_t first = n == 1 ? it[0].seq : 0;
    aw_outbox_items_free(it, n);

    /* Acknowledged: gone for the reader only once committed. */
    CHECK(aw_outbox_ack(s, &first, 1, err, sizeof err) == 0);
    CHECK(aw_outbox_read(r, "file:/a", 0, it, 8) == 1);
    aw_outbox_items_free(it, 1);
    CHECK(aw_store_commit(s) == 0);
    CHECK(aw_outbox_read(r, "file:/a", 0, it, 8) == 0);
    CHECK(aw_outbox_pending(s, "file:/a") == 0 && aw_outbox_pending(s, "mqtt://h:1/t") == 1);

    /* The highest row acknowledged and removed: a new row still comes after the cursor. */
    CHECK(aw_outbox_queue(s, "id2", 2.0, "{}", sinks, 1, err, sizeof err) == 1);
    CHECK(aw_store_commit(s) == 0);
    n = aw_outbox_read(r, "file:/a", first, it, 8);
    CHECK(n == 1 && it[0].seq > first);
    aw_outbox_items_free(it, n);
    aw_outbox_reader_close(r);
    CHECK(aw_store_close(s) == 0);

    /* Reopened: what was not acknowledged is there, for the sinks it was queued for. */
    s = aw_store_open(path, err, sizeof err);
    CHECK(s && aw_outbox_setup(s, err, sizeof err) == 0);
    int ns = 0;
    char **names = aw_outbox_sinks(s, &ns);
    CHECK(ns == 2 && names && !strcmp(names[0], "file:/a") && !strcmp(names[1], "mqtt://h:1/t"));
    for (int i = 0; i < ns; i++)
        free(names[i]);
    free(names);
    CHECK(aw_outbox_pending(s, NULL) == 2);
    aw_store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done("outbox");
}
