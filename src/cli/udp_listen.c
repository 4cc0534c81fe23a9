/* udp_listen.c -- the receiving end of a radar data feed: ASTERIX travels as UDP,
 * usually multicast. "udp://ADDR:PORT" binds the port; a multicast ADDR (224/4) is
 * joined on the default interface, a unicast or 0.0.0.0 ADDR is bound as given. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli.h"

int udp_listen(const char *url, char *err, size_t errlen)
{
    const char *hp = strncmp(url, "udp://", 6) == 0 ? url + 6 : url;
    const char *colon = strrchr(hp, ':');
    char host[64];
    if (!colon || (size_t)(colon - hp) >= sizeof host) {
        snprintf(err, errlen, "'%s' is not udp://ADDR:PORT", url);
        return -1;
    }
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    struct in_addr addr;
    if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &addr) != 1) {
        snprintf(err, errlen, "'%s' is not udp://IPV4:PORT", url);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %m");
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool multicast = (ntohl(addr.s_addr) >> 28) == 0xe;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    /* A multicast group is received by binding the port on any address and joining. */
    sa.sin_addr.s_addr = multicast ? htonl(INADDR_ANY) : addr.s_addr;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        snprintf(err, errlen, "bind %s: %m", hp);
        close(fd);
        return -1;
    }
    if (multicast) {
        struct ip_mreq mreq;
        mreq.imr_multiaddr = addr;
        mreq.imr_interface.s_addr = htonl(INADDR_ANY);
        if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) < 0) {
            snprintf(err, errlen, "joining multicast group %s: %m", host);
            close(fd);
            return -1;
        }
    }
    return fd;
}
