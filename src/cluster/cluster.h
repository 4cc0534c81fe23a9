/* cluster.h -- adizwatch on NATS JetStream: publish, workers, read-back (docs/scale-out.md).
 *
 * One stream, named by the prefix P, holds everything: the reports on P.reports.K (K the
 * partition, aw_cluster_partition of the track id) and the events on P.events. The
 * stream's description records the partition count ("adizwatch partitions=N"), so a
 * later run with another count is refused instead of splitting tracks differently. Its
 * duplicate window makes Nats-Msg-Id a de-duplication key for reports (input + position)
 * and events (track, zone, type, cause, time in ms).
 *
 * Internal to the command (libnats enters the program here, not the library). */
#ifndef ADIZWATCH_CLUSTER_H
#define ADIZWATCH_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "adizwatch/event.h"
#include "adizwatch/report.h"
#include "adizwatch/zones.h"

#define AW_CLUSTER_PREFIX "adizwatch"
#define AW_CLUSTER_PARTITIONS 8
#define AW_CLUSTER_DUP_WINDOW_S 3600.0 /* de-duplication window of the stream */

/* The partition of a track: FNV-1a 32-bit of the id's bytes, mod n. Documented in
 * docs/scale-out.md: another implementation must place tracks the same way. */
uint32_t aw_cluster_partition(const char *track, uint32_t n);

/* A report as one line of the wire (tab-separated, doubles exact with %.17g, NAN as
 * "nan"); returns the length, or -1 if buf is too small. */
int aw_cluster_report_encode(const aw_report *r, char *buf, size_t n);
/* Back; returns 0, or -1 if the line is not one. */
int aw_cluster_report_decode(const char *line, size_t len, aw_report *r);
/* The event's stable id, its Nats-Msg-Id: "track|zone|type|cause|time_ms". */
void aw_cluster_event_id(const aw_event *ev, char *buf, size_t n);

typedef struct aw_cluster_conn aw_cluster_conn;

/* Connect to url, retrying with a doubling backoff (0.25 s up to 4 s) for retry_s
 * seconds, each failure said on stderr; NULL (reason printed) when it gives up. */
aw_cluster_conn *aw_cluster_connect(const char *url, double retry_s);
void aw_cluster_close(aw_cluster_conn *c);

/* Make sure stream `prefix` is adizwatch's with the given partition count: created if
 * missing when create is set (partitions > 0 then), else waited for up to wait_s.
 * partitions 0 accepts the stream's count. Returns the count, or -1 with the reason
 * printed (not ours, incompatible configuration, a changed count). */
int aw_cluster_stream(aw_cluster_conn *c, const char *prefix, int partitions, bool create,
                      double wait_s);

/* publish: every report of the inputs (read as replay reads them) to P.reports.K. */
typedef struct aw_publish_options {
    const char *prefix;
    int partitions;        /* 0: the stream's, or AW_CLUSTER_PARTITIONS for a new one */
    const char *format;    /* as replay's --format; NULL: auto */
    int tz_offset_s;
    bool assume_utc;
    bool end_clock;        /* then a clock message "C<TAB>time" to every partition, time =
                            * the latest report's + 1 day: the workers expire every track,
                            * closing visits still open with `lost` exits */
} aw_publish_options;
/* Returns 0, or -1 with the reason printed; counts go to stderr. */
int aw_cluster_publish(aw_cluster_conn *c, const aw_publish_options *o, char **inputs,
                       int ninputs);

/* worker: own partitions through leases, run their engines, publish their events. */
typedef struct aw_worker_options {
    const char *prefix;
    const char *name;      /* the lease holder's name; unique per live worker */
    double lease_s;        /* lease TTL (renewed every third of it) */
    double timeout_s;      /* the engine's track timeout (as replay's --timeout) */
    uint64_t checkpoint_reports; /* save a partition's engine state every so many reports */
    double checkpoint_s;   /* ... or seconds, whichever comes first (0: not by that) */
    double live_clock_s;   /* > 0: append the wall clock to owned partitions this often */
    volatile int *stop;    /* set by a signal handler: give the leases up and return */
} aw_worker_options;
int aw_cluster_worker(aw_cluster_conn *c, const aw_zone_set *zones, const aw_worker_options *o);

/* events: the event stream from its start as JSON lines to stdout (and into a store);
 * follow: keep reading until *stop. Returns 0, or -1 with the reason printed. */
int aw_cluster_events(aw_cluster_conn *c, const char *prefix, const char *db_path,
                      bool follow, volatile int *stop);

#endif
