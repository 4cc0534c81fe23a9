/* test_cluster_pull.c -- reading a pull consumer when earlier requests left messages behind.
 *
 * The workers crashed, rarely and only on a loaded machine, in natsMsg_Destroy on a
 * pointer made of track-id text: libnats 3.4.1's natsSubscription_Fetch, given messages
 * an earlier fetch left behind (they arrived after it had timed out), can collect more
 * than its batch and store the rest past the end of its array (src/cluster/cluster_pull.c).
 * Here the situation is made on purpose against a real nats-server -js: 300 messages of
 * an earlier request wait in the subscription's queue, another earlier request is still
 * open at the server, and 600 more messages are published while the next fetch of 512
 * runs. A fetch must hand back no more than asked, and every message once, in order.
 *
 * `test_cluster_pull --libnats` runs the same situation through the library's
 * natsSubscription_Fetch and says how many messages it returned for a batch of 512 (812
 * here with libnats 3.4.1: 300 pointers written past the array). Not part of the suite:
 * it writes past the library's array. */
#define _GNU_SOURCE /* strsignal, prctl */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cluster/cluster_internal.h"

#define STREAM "pulltest"
#define SUBJECT "pulltest.x"

/* A loopback port nothing holds now, picked below the kernel's ephemeral range (as
 * testlib.sh's free_port: a port the kernel hands out may be given to the next outgoing
 * connection of any process before our server binds it). */
static int free_port(void)
{
    int lo = 32768;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%d", &lo) != 1)
            lo = 32768;
        fclose(f);
    }
    if (lo <= 10001)
        lo = 10001;
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int i = 0; i < 200; i++) {
        int port = 10000 + rand() % (lo - 10000);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
        if (fd >= 0)
            close(fd);
        if (ok)
            return port;
    }
    return -1;
}

static pid_t start_server(const char *dir, int port)
{
    char portstr[16], store[600], log[600];
    snprintf(portstr, sizeof portstr, "%d", port);
    snprintf(store, sizeof store, "%s/store", dir);
    snprintf(log, sizeof log, "%s/nats.log", dir);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* not left running if the test dies */
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execlp("nats-server", "nats-server", "-js", "-a", "127.0.0.1", "-p", portstr, "-sd",
               store, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void publish_n(jsCtx *js, int from, int n)
{
    for (int i = from; i < from + n; i++) {
        char body[32];
        int len = snprintf(body, sizeof body, "m%d", i);
        js_PublishAsync(js, SUBJECT, body, len, NULL);
    }
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 30000;
    js_PublishAsyncComplete(js, &po);
}

static jsCtx *later_js;
static void *publish_later(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 300 * 1000000L}; /* while the fetch waits */
    nanosleep(&ts, NULL);
    publish_n(later_js, 300, 600);
    return NULL;
}

static int add_consumer(aw_cluster_conn *c, const char *name)
{
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = name;
    cc.AckPolicy = js_AckAll;
    cc.AckWait = (int64_t)60e9;
    jsErrCode jerr = 0;
    jsConsumerInfo *ci = NULL;
    natsStatus s = js_AddConsumer(&ci, c->js, STREAM, &cc, NULL, &jerr);
    jsConsumerInfo_Destroy(ci);
    return s == NATS_OK ? 0 : -1;
}

/* The situation: 300 messages of an earlier request of 300 queued at `inbox`, a second
 * earlier request (300, 5 s) open at the server, 600 more published 0.3 s from now. */
static pthread_t leave_behind(aw_cluster_conn *c, const char *consumer, const char *inbox)
{
    char next[200];
    snprintf(next, sizeof next, "$JS.API.CONSUMER.MSG.NEXT.%s.%s", STREAM, consumer);
    natsConnection_PublishRequestString(c->nc, next, inbox, "{\"batch\":300}");
    /* until the server has delivered them, and a moment for them to arrive */
    for (int i = 0; i < 300; i++) {
        jsConsumerInfo *ci = NULL;
        bool all = js_GetConsumerInfo(&ci, c->js, STREAM, consumer, NULL, NULL) == NATS_OK &&
                   ci->Delivered.Consumer >= 300;
        jsConsumerInfo_Destroy(ci);
        if (all)
            break;
        aw_cluster_sleep(0.01);
    }
    aw_cluster_sleep(0.2);
    natsConnection_PublishRequestString(c->nc, next, inbox, "{\"batch\":300,\"expires\":5000000000}");
    natsConnection_Flush(c->nc);
    pthread_t t;
    later_js = c->js;
    pthread_create(&t, NULL, publish_later, NULL);
    return t;
}

static int msg_number(natsMsg *m)
{
    const char *d = natsMsg_GetData(m);
    return d && d[0] == 'm' ? atoi(d + 1) : -1;
}

static void test_left_behind(aw_cluster_conn *c)
{
    CHECK(add_consumer(c, "c") == 0);
    aw_pull *p = aw_pull_open(c, STREAM, "c");
    CHECK(p != NULL);
    if (!p)
        return;
    pthread_t t = leave_behind(c, "c", aw_pull_inbox(p));
    natsMsg *msgs[512];
    char err[200];
    int total = 0, calls = 0, most = 0, order_ok = 1;
    natsMsg *last = NULL;
    double until = aw_cluster_now() + 30;
    while (total < 900 && aw_cluster_now() < until) {
        int got = aw_pull_fetch(p, msgs, 512, 2000, err, sizeof err);
        CHECK(got >= 0);
        if (got < 0) {
            fprintf(stderr, "fetch: %s\n", err);
            break;
        }
        calls++;
        if (got > most)
            most = got;
        for (int i = 0; i < got; i++) {
            if (msg_number(msgs[i]) != total + i)
                order_ok = 0;
            if (i == got - 1 && total + got == 900) {
                last = msgs[i];
                continue;
            }
            natsMsg_Destroy(msgs[i]);
        }
        total += got;
    }
    pthread_join(t, NULL);
    printf("left behind: %d messages in %d fetches, at most %d in one (asked for 512)\n", total,
           calls, most);
    CHECK(most <= 512);
    CHECK(total == 900);
    CHECK(order_ok);
    /* ack-all: acknowledging the last acknowledges them all */
    CHECK(last && aw_pull_ack(p, last, 10000) == NATS_OK);
    natsMsg_Destroy(last);
    jsConsumerInfo *ci = NULL;
    CHECK(js_GetConsumerInfo(&ci, c->js, STREAM, "c", NULL, NULL) == NATS_OK &&
          ci->AckFloor.Stream == 900);
    jsConsumerInfo_Destroy(ci);
    /* nothing more: no message, no error */
    CHECK(aw_pull_fetch(p, msgs, 512, 50, err, sizeof err) == 0);
    /* a consumer deleted (a takeover by another worker): the server does not answer for
     * a consumer it no longer has, so nothing comes -- within the wait, not after it (the
     * worker learns of the deletion at its next lease renewal) */
    CHECK(js_DeleteConsumer(c->js, STREAM, "c", NULL, NULL) == NATS_OK);
    double t0 = aw_cluster_now();
    int got = aw_pull_fetch(p, msgs, 512, 300, err, sizeof err);
    double took = aw_cluster_now() - t0;
    CHECK(got == 0);
    CHECK(took < 3.0);
    printf("after the consumer was deleted: %d messages, %.2f s\n", got, took);
    aw_pull_close(p);
}

/* The same through the library's fetch (--libnats, by hand), in a child process: the
 * overflow corrupts its heap. */
static int libnats_fetch(const char *url)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid > 0) {
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFSIGNALED(st))
            printf("libnats natsSubscription_Fetch: the process died of signal %d (%s)\n",
                   WTERMSIG(st), strsignal(WTERMSIG(st)));
        return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
    }
    aw_cluster_conn *c = aw_cluster_connect(url, 10);
    if (!c || add_consumer(c, "lib") < 0)
        _exit(2);
    natsSubscription *sub = NULL;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = STREAM;
    so.Consumer = "lib";
    if (js_PullSubscribe(&sub, c->js, SUBJECT, "lib", NULL, &so, NULL) != NATS_OK)
        return 2;
    pthread_t t = leave_behind(c, "lib", natsSubscription_GetSubject(sub));
    natsMsgList list = {0};
    natsSubscription_Fetch(&list, sub, 512, 2000, NULL);
    pthread_join(t, NULL);
    printf("libnats natsSubscription_Fetch: %d messages for a batch of 512%s\n", list.Count,
           list.Count > 512 ? ": written past its array" : "");
    fflush(stdout);
    _exit(list.Count > 512);
}

int main(int argc, char **argv)
{
    bool lib = argc > 1 && strcmp(argv[1], "--libnats") == 0;
    if (system("command -v nats-server >/dev/null 2>&1") != 0) {
        printf("SKIP: nats-server is not installed (scripts/setup.sh installs it)\n");
        return 77;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/aw_pull_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int port = free_port();
    if (!mkdtemp(dir) || port < 0) {
        fprintf(stderr, "no temporary directory or port\n");
        return 1;
    }
    pid_t ns = start_server(dir, port);
    char url[64];
    snprintf(url, sizeof url, "nats://127.0.0.1:%d", port);
    aw_cluster_conn *c = aw_cluster_connect(url, 60);
    CHECK(c != NULL);
    int rc = 1;
    if (c) {
        const char *subjects[1] = {SUBJECT};
        jsStreamConfig sc;
        jsStreamConfig_Init(&sc);
        sc.Name = STREAM;
        sc.Subjects = subjects;
        sc.SubjectsLen = 1;
        jsStreamInfo *si = NULL;
        CHECK(js_AddStream(&si, c->js, &sc, NULL, NULL) == NATS_OK);
        jsStreamInfo_Destroy(si);
        publish_n(c->js, 0, 300);
        if (lib)
            rc = libnats_fetch(url);
        else
            test_left_behind(c);
        aw_cluster_close(c);
    }
    kill(ns, SIGTERM);
    waitpid(ns, NULL, 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return lib ? rc : check_done("cluster_pull");
}
