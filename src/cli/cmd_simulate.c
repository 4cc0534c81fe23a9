/* cmd_simulate.c -- `adizwatch simulate`: a scenario flown, as a file or a live feed.
 *
 * The simulator's reports go out in the formats adizwatch reads (CSV or SBS-1) to a file
 * or stdout, or are served on a loopback TCP port, paced at --speed times real time,
 * so that `adizwatch watch --connect 127.0.0.1:PORT` follows a scenario as it would a
 * receiver. The clock of a served feed starts when the first client connects; clients
 * that come later join the stream where it is (a CSV client gets the header first). */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "adizwatch/sim.h"
#include "cli/cli.h"

#define MAX_CLIENTS 16

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct sim_out {
    bool sbs;
    int tz_offset_s;
    double speed;           /* 0 = as fast as possible */
    FILE *file;             /* file or stdout; NULL when serving */
    int listen_fd;
    int clients[MAX_CLIENTS];
    int nclients;
    bool clock_started;
    double wall0, sim0;     /* pacing origin */
    uint64_t *ident_count;  /* per aircraft: reports written (MSG 1 every 10th) */
    const char *provenance; /* the provenance comment line, first in every output */
    bool failed;
} sim_out;

static void send_all(sim_out *o, const char *buf, size_t len)
{
    for (int i = 0; i < o->nclients;) {
        size_t off = 0;
        bool dead = false;
        while (off < len) {
            ssize_t n = send(o->clients[i], buf + off, len - off, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                dead = true;
                break;
            }
            off += (size_t)n;
        }
        if (dead) {
            fprintf(stderr, "adizwatch: simulate: a client went away\n");
            close(o->clients[i]);
            o->clients[i] = o->clients[--o->nclients];
        } else {
            i++;
        }
    }
}

/* Take any waiting connections (waiting up to timeout_ms for one). */
static void accept_clients(sim_out *o, int timeout_ms)
{
    struct pollfd pfd = {o->listen_fd, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) <= 0 || !(pfd.revents & POLLIN))
        return;
    int fd = accept(o->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    if (o->nclients == MAX_CLIENTS) {
        close(fd);
        return;
    }
    /* Each client gets the provenance comment, then (CSV) the header. */
    const char *first[2] = {o->provenance, o->sbs ? NULL : AW_SIM_CSV_HEADER};
    for (int k = 0; k < 2; k++) {
        const char *h = first[k];
        if (h && send(fd, h, strlen(h), MSG_NOSIGNAL) != (ssize_t)strlen(h)) {
            close(fd);
            return;
        }
    }
    o->clients[o->nclients++] = fd;
    fprintf(stderr, "adizwatch: simulate: client connected (%d)\n", o->nclients);
}

/* Wait until the report's time is due on the paced clock. Returns -1 on a stop. */
static int pace(sim_out *o, double t)
{
    if (o->listen_fd >= 0) {
        while (!o->clock_started) {
            if (stop_requested)
                return -1;
            accept_clients(o, 200);
            if (o->nclients > 0) {
                o->clock_started = true;
                o->wall0 = cli_monotonic_s();
                o->sim0 = t;
            }
        }
    } else if (!o->clock_started) {
        o->clock_started = true;
        o->wall0 = cli_monotonic_s();
        o->sim0 = t;
    }
    if (o->speed <= 0)
        return stop_requested ? -1 : 0;
    for (;;) {
        if (stop_requested)
            return -1;
        double due = o->wall0 + (t - o->sim0) / o->speed;
        double wait = due - cli_monotonic_s();
        if (wait <= 0)
            return 0;
        int ms = wait > 0.2 ? 200 : (int)ceil(wait * 1000);
        if (o->listen_fd >= 0)
            accept_clients(o, ms);
        else
            poll(NULL, 0, ms);
    }
}

static int on_report(const aw_report *r, int aircraft, void *user)
{
    sim_out *o = user;
    if (pace(o, r->time) != 0)
        return 1;
    char buf[512];
    int n = o->sbs ? aw_sim_format_sbs(r, o->tz_offset_s, o->ident_count[aircraft]++ % 10 == 0,
                                       buf, sizeof buf)
                   : aw_sim_format_csv(r, buf, sizeof buf);
    if (n <= 0 || (size_t)n >= sizeof buf)
        return 0;
    if (o->file) {
        if (fwrite(buf, 1, (size_t)n, o->file) != (size_t)n) {
            o->failed = true;
            return 1;
        }
        if (o->speed > 0)
            fflush(o->file);
    } else {
        send_all(o, buf, (size_t)n);
    }
    return 0;
}

void cli_sim_problem(const char *msg, void *user)
{
    fprintf(stderr, "adizwatch: %s: %s\n", (const char *)user, msg);
}

static int open_listener(const char *port_s)
{
    char *end;
    long port = strtol(port_s, &end, 10);
    if (*end || port < 1 || port > 65535) {
        fprintf(stderr, "adizwatch: simulate: --listen '%s' is not a port number\n", port_s);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only: a simulator is no broadcaster */
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0) {
        fprintf(stderr, "adizwatch: simulate: cannot listen on 127.0.0.1:%ld: %s\n", port,
                strerror(errno));
        close(fd);
        return -1;
    }
    fprintf(stderr, "adizwatch: simulate: listening on 127.0.0.1:%ld\n", port);
    return fd;
}

/* The scenario's aircraft as an aircraft database (plane-alert-db columns, $Airframe and
 * $Nation), so that a replay of the simulated tracks knows who the radar tracks are, as
 * an air defence centre would from its other sources, and which tracks are one aircraft
 * on two legs. Ids are written as the chosen output format carries them. Tracks without
 * an ICAO address are taken as military (they transmit nothing, which is what a military
 * patrol does). */
int cli_sim_aircraft_db(const aw_sim *sim, const char *path, bool sbs)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "adizwatch: simulate: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,$#Tag 3,"
          "Category,$#Link,$Airframe,$Nation\n", f);
    for (int i = 0; i < aw_sim_aircraft_count(sim); i++) {
        const aw_sim_aircraft_info *a = aw_sim_aircraft(sim, i);
        char id[32];
        if (!sbs || aw_sim_sbs_ident(a->id, id, sizeof id) < 0)
            snprintf(id, sizeof id, "%s", a->id);
        /* An airframe only where the scenario names one: a track standing for itself is
         * no statement, and must not stop a landing -> take-off link (patrol.h). */
        fprintf(f, "%s,,,%s,,%s,simulated,,,,,%s,%s\n", id, a->type ? a->type : "",
                a->icao ? "Civ" : "Mil", strcmp(a->airframe, a->id) != 0 ? a->airframe : "",
                a->nationality ? a->nationality : "");
    }
    return fclose(f) == 0 ? 0 : -1;
}

int cmd_simulate(int argc, char **argv)
{
    const char *scenario = NULL, *out_path = NULL, *listen_port = NULL, *observer = NULL;
    const char *aircraft_db = NULL;
    sim_out o;
    memset(&o, 0, sizeof o);
    o.listen_fd = -1;
    o.speed = -1;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--format") == 0 && has_value) {
            const char *f = argv[++i];
            if (strcmp(f, "csv") != 0 && strcmp(f, "sbs") != 0) {
                fprintf(stderr, "adizwatch: simulate: --format must be csv or sbs\n");
                cli_usage("simulate", stderr);
                return EXIT_BAD_INPUT;
            }
            o.sbs = strcmp(f, "sbs") == 0;
        } else if (strcmp(a, "--out") == 0 && has_value) {
            out_path = argv[++i];
        } else if (strcmp(a, "--listen") == 0 && has_value) {
            listen_port = argv[++i];
        } else if (strcmp(a, "--observer") == 0 && has_value) {
            observer = argv[++i];
        } else if (strcmp(a, "--aircraft-db") == 0 && has_value) {
            aircraft_db = argv[++i];
        } else if (strcmp(a, "--speed") == 0 && has_value) {
            char *end;
            o.speed = strtod(argv[++i], &end);
            if (*end || !(o.speed > 0) || !isfinite(o.speed)) {
                fprintf(stderr, "adizwatch: simulate: --speed must be a positive number\n");
                return EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--seed") == 0 && has_value) {
            char *end;
            seed = strtoull(argv[++i], &end, 10);
            if (*end || argv[i][0] == '-' || !argv[i][0]) {
                fprintf(stderr, "adizwatch: simulate: --seed must be a non-negative integer\n");
                return EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--tz") == 0 && has_value) {
            if (cli_tz_arg(argv[++i], &o.tz_offset_s) != 0)
                return EXIT_BAD_INPUT;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "adizwatch: simulate: unknown option or missing value '%s'\n", a);
            cli_usage("simulate", stderr);
            return EXIT_BAD_INPUT;
        } else if (!scenario) {
            scenario = a;
        } else {
            fprintf(stderr, "adizwatch: simulate: one scenario only\n");
            cli_usage("simulate", stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (!scenario || (out_path && listen_port)) {
        fprintf(stderr, "adizwatch: simulate: %s\n",
                scenario ? "--out and --listen exclude each other" : "no scenario given");
        cli_usage("simulate", stderr);
        return EXIT_BAD_INPUT;
    }
    aw_sim *sim = aw_sim_load(scenario, cli_sim_problem, (void *)scenario);
    if (!sim)
        return EXIT_BAD_INPUT;
    aw_sim_run_options ro = {seed, -1};
    if (observer) {
        for (int k = 0; k < aw_sim_observer_count(sim); k++)
            if (strcmp(aw_sim_observer_id(sim, k), observer) == 0)
                ro.observer = k;
        if (ro.observer < 0) {
            fprintf(stderr, "adizwatch: simulate: the scenario has no observer '%s'\n", observer);
            aw_sim_free(sim);
            return EXIT_BAD_INPUT;
        }
    }
    if (aircraft_db && cli_sim_aircraft_db(sim, aircraft_db, o.sbs) < 0) {
        aw_sim_free(sim);
        return EXIT_RUN_FAILED;
    }
    if (o.speed < 0)
        o.speed = listen_port ? 1.0 : 0.0;
    o.ident_count = calloc((size_t)aw_sim_aircraft_count(sim), sizeof *o.ident_count);
    char *provenance = aw_sim_provenance_line(sim, seed, observer, o.sbs ? "sbs" : "csv",
                                              o.sbs ? "\r\n" : "\n");
    o.provenance = provenance;
    int rc = provenance ? 0 : EXIT_RUN_FAILED;
    if (rc != 0) {
        fprintf(stderr, "adizwatch: simulate: out of memory\n");
    } else if (listen_port) {
        o.listen_fd = open_listener(listen_port);
        if (o.listen_fd < 0)
            rc = EXIT_BAD_INPUT;
    } else {
        o.file = out_path ? fopen(out_path, "w") : stdout;
        if (!o.file) {
            fprintf(stderr, "adizwatch: simulate: cannot write %s: %s\n", out_path, strerror(errno));
            rc = EXIT_RUN_FAILED;
        } else {
            fputs(provenance, o.file);
            if (!o.sbs)
                fputs(AW_SIM_CSV_HEADER, o.file);
        }
    }
    if (rc == 0 && o.ident_count) {
        cli_catch_stop_signals(on_signal);
        aw_sim_counts c;
        int run = aw_sim_run(sim, &ro, on_report, &o, &c);
        if (run < 0 || o.failed) {
            fprintf(stderr, "adizwatch: simulate: %s\n", run < 0 ? "out of memory" : "write failed");
            rc = EXIT_RUN_FAILED;
        }
        if (stop_requested)
            fprintf(stderr, "adizwatch: simulate: stopping on signal\n");
        fprintf(stderr, "adizwatch: simulate: %d aircraft, %llu reports, %llu dropped, %llu "
                        "unseen (out of radar cover)\n", aw_sim_aircraft_count(sim),
                (unsigned long long)c.reports, (unsigned long long)c.dropped,
                (unsigned long long)c.unseen);
    } else if (rc == 0) {
        rc = EXIT_RUN_FAILED;
    }
    if (o.file && o.file != stdout && fclose(o.file) != 0)
        rc = EXIT_RUN_FAILED;
    else if (o.file == stdout && fflush(stdout) != 0)
        rc = EXIT_RUN_FAILED;
    for (int i = 0; i < o.nclients; i++)
        close(o.clients[i]);
    if (o.listen_fd >= 0)
        close(o.listen_fd);
    free(o.ident_count);
    free(provenance);
    aw_sim_free(sim);
    return rc;
}
