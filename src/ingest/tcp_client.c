/* tcp_client.c -- connecting to a live feed (dump1090/readsb SBS output on port 30003).
 *
 * The feed is a plain TCP stream the receiver serves; we are the client. Failures must
 * say which host and port and why, since the usual cause is a typo or a receiver that is
 * not running, and the caller retries on its own schedule. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "adizwatch/ingest.h"

/* Split "host:port" / "[v6addr]:port" into NUL-terminated host and port. */
static int split_hostport(const char *hp, char *host, size_t hostsize, char *port,
                          size_t portsize)
{
    const char *h, *colon;
    size_t hn;
    if (hp[0] == '[') {
        const char *close = strchr(hp, ']');
        if (!close || close[1] != ':')
            return -1;
        h = hp + 1;
        hn = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(hp, ':');
        if (!colon)
            return -1;
        h = hp;
        hn = (size_t)(colon - hp);
        if (memchr(h, ':', hn)) /* a bare IPv6 address: which colon ends it? */
            return -1;
    }
    size_t pn = strlen(colon + 1);
    if (hn == 0 || hn >= hostsize || pn == 0 || pn >= portsize)
        return -1;
    memcpy(host, h, hn);
    host[hn] = '\0';
    memcpy(port, colon + 1, pn + 1);
    return 0;
}

/* connect() interrupted by a signal keeps going in the background; wait for its outcome
 * instead of starting over (a second connect() would fail with EALREADY). */
static int connect_retrying(int fd, const struct sockaddr *sa, socklen_t salen)
{
    if (connect(fd, sa, salen) == 0)
        return 0;
    if (errno != EINTR)
        return -1;
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int rc;
    do
        rc = poll(&p, 1, -1);
    while (rc < 0 && errno == EINTR);
    if (rc < 0)
        return -1;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
        return -1;
    if (soerr) {
        errno = soerr;
        return -1;
    }
    return 0;
}

int aw_tcp_connect(const char *hostport, char *err, size_t errlen)
{
    char host[256], port[64];
    if (!hostport || split_hostport(hostport, host, sizeof host, port, sizeof port) != 0) {
        snprintf(err, errlen, "\"%s\" is not HOST:PORT (use [ADDR]:PORT for IPv6)",
                 hostport ? hostport : "(null)");
        return -1;
    }

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s port %s: %s", host, port,
                 gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
        return -1;
    }

    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (connect_retrying(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot connect to %s port %s: %s", host, port, strerror(saved));
        return -1;
    }

    /* A receiver that vanishes without a FIN (power cut, NAT timeout) would otherwise
     * leave us waiting on a dead socket forever. */
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0) {
        saved = errno;
        close(fd);
        snprintf(err, errlen, "cannot set SO_KEEPALIVE on the connection to %s port %s: %s",
                 host, port, strerror(saved));
        return -1;
    }
    return fd;
}
