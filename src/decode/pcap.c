/* pcap.c -- UDP payloads out of a packet capture, read by libpcap.
 *
 * Radar data is distributed as UDP multicast, and recordings of it are captures: classic
 * pcap from tcpdump, pcapng from Wireshark (its default). libpcap reads both, in either
 * byte order and time resolution, and checks every record length against the file; this
 * file only peels the link layer -- Ethernet (802.1Q/802.1ad tags skipped), Linux cooked
 * capture v1 and v2, raw IP, BSD loopback -- and the unfragmented IPv4 or IPv6 UDP header
 * inside. Anything else is counted as skipped. The capture is held in memory by the
 * caller (it may have been gunzipped) and handed to libpcap as a memory stream. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "adizwatch/decode.h"

#define LINKTYPE_RAW 101 /* what the file says; libpcap maps it to DLT_RAW */

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

void aw_pcap_close(aw_pcap_reader *r)
{
    if (r->handle)
        pcap_close(r->handle); /* closes the stream too */
    else if (r->stream)
        fclose(r->stream);
    r->handle = NULL;
    r->stream = NULL;
}

int aw_pcap_open(aw_pcap_reader *r, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (len < 4) {
        snprintf(err, errlen, "too short for a capture file");
        return -1;
    }
    r->stream = fmemopen((void *)buf, len, "rb");
    if (!r->stream) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char pe[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(r->stream, PCAP_TSTAMP_PRECISION_NANO, pe);
    if (!p) {
        snprintf(err, errlen, "not a pcap or pcapng capture: %s", pe);
        aw_pcap_close(r);
        return -1;
    }
    r->handle = p;
    r->linktype = (uint32_t)pcap_datalink(p);
    switch (r->linktype) {
    case DLT_EN10MB: case DLT_LINUX_SLL: case DLT_LINUX_SLL2: case DLT_RAW: case LINKTYPE_RAW:
    case DLT_IPV4: case DLT_IPV6: case DLT_NULL: case DLT_LOOP:
        return 0;
    default:
        snprintf(err, errlen, "capture link type %s (%u) is not supported (Ethernet, Linux "
                              "cooked v1/v2, raw IP and loopback are)",
                 pcap_datalink_val_to_name((int)r->linktype) ? pcap_datalink_val_to_name((int)r->linktype) : "?",
                 r->linktype);
        aw_pcap_close(r);
        return -1;
    }
}

/* The IP packet inside a link-layer frame (its version in *version), or NULL. */
static const uint8_t *ip_of(const aw_pcap_reader *r, const uint8_t *f, size_t n, size_t *iplen)
{
    size_t off;
    uint16_t proto;
    switch (r->linktype) {
    case DLT_EN10MB:
        if (n < 14)
            return NULL;
        off = 14;
        proto = be16(f + 12);
        while ((proto == 0x8100 || proto == 0x88a8) && n >= off + 4) {
            proto = be16(f + off + 2);
            off += 4;
        }
        break;
    case DLT_LINUX_SLL:
        if (n < 16)
            return NULL;
        off = 16;
        proto = be16(f + 14);
        break;
    case DLT_LINUX_SLL2:
        if (n < 20)
            return NULL;
        off = 20;
        proto = be16(f);
        break;
    case DLT_NULL: case DLT_LOOP:
        /* A 4-byte address family in the capturing host's (NULL) or network (LOOP) byte
         * order: the IP version nibble that follows says as much. */
        if (n < 5)
            return NULL;
        off = 4;
        proto = (f[4] >> 4) == 6 ? 0x86dd : 0x0800;
        break;
    default: /* raw IP */
        if (n < 1)
            return NULL;
        off = 0;
        proto = (f[0] >> 4) == 6 ? 0x86dd : 0x0800;
    }
    if ((proto != 0x0800 && proto != 0x86dd) || n <= off)
        return NULL;
    *iplen = n - off;
    return f + off;
}

/* The UDP datagram in an IP packet (header included, *ulen its length), or NULL when it
 * is not unfragmented UDP or its lengths do not fit. */
static const uint8_t *udp_of(const uint8_t *ip, size_t n, size_t *ulen)
{
    const uint8_t *udp;
    size_t room;
    if (n >= 20 && (ip[0] >> 4) == 4) {
        size_t ihl = (size_t)(ip[0] & 15) * 4, total = be16(ip + 2);
        uint16_t frag = be16(ip + 6);
        if (ihl < 20 || total < ihl + 8 || total > n || ip[9] != 17 || (frag & 0x3fff) != 0)
            return NULL;
        udp = ip + ihl;
        room = total - ihl;
    } else if (n >= 48 && (ip[0] >> 4) == 6) {
        size_t payload = be16(ip + 4);
        if (ip[6] != 17 || payload < 8 || 40 + payload > n)
            return NULL; /* not UDP right after the fixed header (extension headers: skipped) */
        udp = ip + 40;
        room = payload;
    } else {
        return NULL;
    }
    *ulen = be16(udp + 4);
    return *ulen >= 8 && *ulen <= room ? udp : NULL;
}

int aw_pcap_next_udp(aw_pcap_reader *r, const uint8_t **payload, size_t *plen, double *time,
                     char *err, size_t errlen)
{
    while (r->handle) {
        struct pcap_pkthdr *h;
        const u_char *f;
        int got = pcap_next_ex(r->handle, &h, &f);
        if (got == PCAP_ERROR_BREAK) {
            aw_pcap_close(r);
            return 0;
        }
        if (got != 1) {
            snprintf(err, errlen, "after packet %llu: %s", (unsigned long long)r->packets,
                     pcap_geterr(r->handle));
            aw_pcap_close(r);
            return -1;
        }
        r->packets++;
        size_t n, ulen;
        const uint8_t *ip = ip_of(r, f, h->caplen, &n);
        const uint8_t *udp = ip ? udp_of(ip, n, &ulen) : NULL;
        if (!udp) {
            r->skipped++;
            continue;
        }
        *payload = udp + 8;
        *plen = ulen - 8;
        *time = (double)h->ts.tv_sec + h->ts.tv_usec * 1e-9; /* nanosecond precision asked */
        return 1;
    }
    return 0;
}
