/* test_line_reader.c -- lines out of a byte stream however the reads split it, and a
 * TCP connection feeding the reader. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adizwatch/ingest.h"
#include "check.h"

/* What the reader gave, one entry per call result: "text" for a line, "<LONG>", "<EOF>".
 * AGAIN is left out: it depends on how the bytes arrived, which is the point. */
typedef struct rlog {
    char text[8192];
    size_t n;
} rlog;

static void log_add(rlog *l, const char *s, size_t n)
{
    if (l->n + n + 2 < sizeof l->text) {
        memcpy(l->text + l->n, s, n);
        l->n += n;
        l->text[l->n++] = '|';
        l->text[l->n] = '\0';
    }
}

/* Drain what is available; returns 1 once EOF was seen. */
static int drain(aw_line_reader *r, rlog *l)
{
    for (;;) {
        const char *line;
        size_t len;
        switch (aw_line_reader_next(r, &line, &len)) {
        case AW_LINE_OK:
            CHECK(line[len] == '\0');
            CHECK(memchr(line, '\n', len) == NULL);
            log_add(l, line, len);
            break;
        case AW_LINE_TOO_LONG: log_add(l, "<LONG>", 6); break;
        case AW_LINE_EOF: log_add(l, "<EOF>", 5); return 1;
        case AW_LINE_AGAIN: return 0;
        case AW_LINE_ERROR:
            CHECK(!"read error");
            return 1;
        }
    }
}

/* Feed data through a SOCK_SEQPACKET socket in chunks of `chunk` bytes: each read() then
 * returns exactly one chunk, so splits happen precisely where the test wants them. */
static void feed(const char *data, size_t n, size_t chunk, size_t max_line, const char *want)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
    CHECK(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
    aw_line_reader *r = aw_line_reader_new(sv[0], max_line);
    CHECK(r != NULL);
    rlog l = {.n = 0};
    l.text[0] = '\0';
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        CHECK(write(sv[1], data + off, k) == (ssize_t)k);
        CHECK(drain(r, &l) == 0);
    }
    close(sv[1]);
    CHECK(drain(r, &l) == 1);
    /* EOF stays EOF. */
    const char *line;
    size_t len;
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_EOF);
    CHECK_STR(l.text, want);
    if (strcmp(l.text, want) != 0)
        fprintf(stderr, "  (chunk %zu, max_line %zu)\n", chunk, max_line);
    aw_line_reader_free(r);
    close(sv[0]);
}

static void feed_all_chunks(const char *data, size_t max_line, const char *want)
{
    static const size_t chunks[] = {1, 2, 3, 5, 7, 16, 4096};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
        feed(data, strlen(data), chunks[i], max_line, want);
}

static void test_splits(void)
{
    feed_all_chunks("a\nbb\r\nccc\n", 100, "a|bb|ccc|<EOF>|");
    feed_all_chunks("a\nlast without newline", 100, "a|last without newline|<EOF>|");
    feed_all_chunks("last with CR\r", 100, "last with CR|<EOF>|");
    feed_all_chunks("\n\r\n\nx\n", 100, "|||x|<EOF>|");
    feed_all_chunks("", 100, "<EOF>|");
    feed_all_chunks("only\n", 100, "only|<EOF>|");
    /* A CR that is not before the LF is data. */
    feed_all_chunks("a\rb\n", 100, "a\rb|<EOF>|");

    /* Too long: reported once, skipped to its end, the next line is intact. */
    char data[2048];
    memset(data, 'x', 300);
    strcpy(data + 300, "\nnext\r\n");
    feed_all_chunks(data, 10, "<LONG>|next|<EOF>|");
    /* ... also when it is the last line, without LF. */
    strcpy(data, "ok\n");
    memset(data + 3, 'y', 300);
    data[303] = '\0';
    feed_all_chunks(data, 10, "ok|<LONG>|<EOF>|");

    /* At the limit: max_line bytes is fine (with LF, CRLF, or none); one more is not. */
    feed_all_chunks("0123456789\n0123456789\r\n01234567890\nend\n0123456789", 10,
                    "0123456789|0123456789|<LONG>|end|0123456789|<EOF>|");
    feed_all_chunks("01234567890\r\nend", 10, "<LONG>|end|<EOF>|");
    feed_all_chunks("01234567890", 10, "<LONG>|<EOF>|");
    feed_all_chunks("0123456789\r", 10, "0123456789|<EOF>|");
    feed_all_chunks("two long\nlines here\nok\n", 5, "<LONG>|<LONG>|ok|<EOF>|");
    feed_all_chunks("\n\n", 0, "||<EOF>|");
    feed_all_chunks("a\n", 0, "<LONG>|<EOF>|");
}

/* Many lines and one huge one through a pipe from another process, with a limit well
 * above the reader's initial buffer: it must grow to the limit and not beyond use. */
static void test_big(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        static char buf[300000];
        FILE *w = fdopen(p[1], "w");
        for (int i = 0; i < 20000; i++)
            fprintf(w, "line %d\r\n", i);
        memset(buf, 'z', 200000); /* fits the 250000 limit */
        buf[200000] = '\0';
        fprintf(w, "%s\n", buf);
        memset(buf, 'q', 260000); /* does not */
        buf[260000] = '\0';
        fprintf(w, "%s\nafter\n", buf);
        fclose(w);
        _exit(0);
    }
    close(p[1]);
    aw_line_reader *r = aw_line_reader_new(p[0], 250000);
    int count = 0, bad = 0, longs = 0, big_ok = 0, after = 0;
    for (;;) {
        const char *line;
        size_t len;
        aw_line_result res = aw_line_reader_next(r, &line, &len);
        if (res == AW_LINE_EOF || res == AW_LINE_ERROR)
            break;
        if (res == AW_LINE_AGAIN)
            continue;
        if (res == AW_LINE_TOO_LONG) {
            longs++;
            continue;
        }
        if (count < 20000) {
            char want[32];
            int n = snprintf(want, sizeof want, "line %d", count);
            bad += len != (size_t)n || memcmp(line, want, len) != 0;
        } else if (len == 200000) {
            big_ok = line[0] == 'z' && line[199999] == 'z';
        } else if (len == 5 && memcmp(line, "after", 5) == 0) {
            after = 1;
        }
        count++;
    }
    CHECK(count == 20002);
    CHECK(bad == 0);
    CHECK(big_ok);
    CHECK(longs == 1);
    CHECK(after);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    aw_line_reader_free(r);
    close(p[0]);
}

/* After a reset on another descriptor, a partial line from the old one is gone. */
static void test_reset(void)
{
    int a[2], b[2];
    CHECK(pipe(a) == 0 && pipe(b) == 0);
    CHECK(write(a[1], "one\npartial", 11) == 11);
    close(a[1]);
    CHECK(write(b[1], "two\n", 4) == 4);
    close(b[1]);
    aw_line_reader *r = aw_line_reader_new(a[0], 100);
    const char *line;
    size_t len;
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_OK && len == 3);
    aw_line_reader_reset(r, b[0]);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_OK && len == 3 &&
          memcmp(line, "two", 3) == 0);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_EOF);
    aw_line_reader_free(r);
    aw_line_reader_free(NULL);
    close(a[0]);
    close(b[0]);

    /* A bad descriptor is an error with errno set, not a hang. */
    r = aw_line_reader_new(-1, 100);
    errno = 0;
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_ERROR);
    CHECK(errno == EBADF);
    aw_line_reader_free(r);
}

/* A feed that ends mid-line: with keep_unterminated off the cut line is not given but
 * left pending, for the caller to count; inside a skipped over-long line nothing is. */
static void test_unterminated(void)
{
    int a[2];
    CHECK(pipe(a) == 0);
    CHECK(write(a[1], "one\n124.1", 9) == 9);
    close(a[1]);
    aw_line_reader *r = aw_line_reader_new(a[0], 100);
    aw_line_reader_keep_unterminated(r, false);
    const char *line;
    size_t len;
    CHECK(aw_line_reader_pending(r) == 0);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_OK && len == 3);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_EOF);
    CHECK(aw_line_reader_pending(r) == 5);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_EOF); /* and stays so */
    close(a[0]);

    char big[300];
    memset(big, 'x', sizeof big);
    CHECK(pipe(a) == 0);
    aw_line_reader_reset(r, a[0]);
    CHECK(aw_line_reader_pending(r) == 0);
    CHECK(write(a[1], big, sizeof big) == (ssize_t)sizeof big);
    close(a[1]);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_TOO_LONG);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_EOF);
    CHECK(aw_line_reader_pending(r) == 0); /* already reported as too long */
    close(a[0]);

    /* The default, for files: a last line without LF is a line. */
    CHECK(pipe(a) == 0);
    aw_line_reader_keep_unterminated(r, true);
    aw_line_reader_reset(r, a[0]);
    CHECK(write(a[1], "last", 4) == 4);
    close(a[1]);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_OK && len == 4);
    CHECK(aw_line_reader_next(r, &line, &len) == AW_LINE_EOF);
    CHECK(aw_line_reader_pending(r) == 0);
    close(a[0]);
    aw_line_reader_free(r);
}

/* A listening socket on the loopback; returns its port, or -1 (then the TCP checks are
 * skipped: some sandboxes have no network at all). */
static int listen_on(int family, int *fd_out)
{
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sl = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        sl = sizeof *in6;
    }
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
        close(fd);
        return -1;
    }
    *fd_out = fd;
    return ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                   : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void tcp_roundtrip(int family, const char *fmt)
{
    int lfd;
    int port = listen_on(family, &lfd);
    if (port < 0) {
        printf("line_reader: no loopback for family %d, TCP round trip skipped\n", family);
        return;
    }
    char hp[64], err[256] = "";
    snprintf(hp, sizeof hp, fmt, port);
    int fd = aw_tcp_connect(hp, err, sizeof err);
    CHECK(fd >= 0);
    if (fd < 0) {
        fprintf(stderr, "  connect %s: %s\n", hp, err);
        close(lfd);
        return;
    }
    int keep = 0;
    socklen_t kl = sizeof keep;
    CHECK(getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &keep, &kl) == 0 && keep);
    int cfd = accept(lfd, NULL, NULL);
    CHECK(cfd >= 0);
    const char *msg = "MSG,8,1,1,4CA7B5,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522\r\n"
                      "MSG,1,1,1,4CA7B5,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,RYR12";
    CHECK(write(cfd, msg, strlen(msg)) == (ssize_t)strlen(msg));
    close(cfd);
    aw_line_reader *r = aw_line_reader_new(fd, 1024);
    rlog l = {.n = 0};
    while (!drain(r, &l))
        ;
    CHECK_STR(l.text, "MSG,8,1,1,4CA7B5,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522|"
                      "MSG,1,1,1,4CA7B5,1,2022/01/08,22:42:17.530,2022/01/08,22:42:17.522,RYR12|"
                      "<EOF>|");
    aw_line_reader_free(r);
    close(fd);
    close(lfd);

    /* The port is closed now: refused, and the reason names host and port. */
    err[0] = '\0';
    CHECK(aw_tcp_connect(hp, err, sizeof err) == -1);
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    CHECK(strstr(err, portstr) != NULL);
    CHECK(strstr(err, family == AF_INET ? "127.0.0.1" : "::1") != NULL);
    CHECK(strstr(err, strerror(ECONNREFUSED)) != NULL);
}

static void test_tcp(void)
{
    tcp_roundtrip(AF_INET, "127.0.0.1:%d");
    tcp_roundtrip(AF_INET6, "[::1]:%d");

    char err[256];
    static const char *const malformed[] = {"localhost", "localhost:", ":30003", "::1:30003",
                                            "[::1]30003", "[::1]:", "[::1"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        err[0] = '\0';
        CHECK(aw_tcp_connect(malformed[i], err, sizeof err) == -1);
        CHECK(strstr(err, malformed[i]) != NULL && strstr(err, "HOST:PORT") != NULL);
    }
    err[0] = '\0';
    CHECK(aw_tcp_connect("no-such-host.invalid:30003", err, sizeof err) == -1);
    CHECK(strstr(err, "no-such-host.invalid") != NULL && strstr(err, "30003") != NULL);
}

int main(void)
{
    test_splits();
    test_big();
    test_reset();
    test_unterminated();
    test_tcp();
    return check_done("line_reader");
}
