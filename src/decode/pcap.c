/* pcap.c -- UDP payloads out of a classic pcap capture held in memory.
 *
 * Radar data is distributed as UDP multicast, and recordings of it are pcap files.
 * Only what that needs: the classic format (either byte order, micro- or nanosecond
 * stamps), link types Ethernet (with 802.1Q tags), Linux cooked capture v1/v2 and raw
 * IPv4, and unfragmented IPv4/UDP. Anything else is counted as skipped. Every length
 * read from the file is checked against what is really there. */
#include <stdio.h>
#include <string.h>

#include "adizwatch/decode.h"

#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_RAW_OLD 12
#define LINKTYPE_IPV4 228
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_LINUX_SLL2 276

static uint32_t rd32(const aw_pcap_reader *r, const uint8_t *p)
{
    if (r->swapped)
        return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

int aw_pcap_open(aw_pcap_reader *r, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (len < 24) {
        snprintf(err, errlen, "too short for a pcap header");
        return -1;
    }
    uint32_t magic = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
        r->swapped = false;
    } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
        r->swapped = true;
    } else {
        snprintf(err, errlen, "not a classic pcap file (magic %08x; pcapng is not read)", magic);
        return -1;
    }
    r->nanosecond = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    r->buf = buf;
    r->len = len;
    r->pos = 24;
    r->linktype = rd32(r, buf + 20) & 0x0fffffff;
    if (r->linktype != LINKTYPE_ETHERNET && r->linktype != LINKTYPE_RAW &&
        r->linktype != LINKTYPE_RAW_OLD && r->linktype != LINKTYPE_IPV4 &&
        r->linktype != LINKTYPE_LINUX_SLL && r->linktype != LINKTYPE_LINUX_SLL2) {
        snprintf(err, errlen, "pcap link type %u is not supported", r->linktype);
        return -1;
    }
    return 0;
}

/* The IPv4 packet inside a link-layer frame, or NULL. */
static const uint8_t *ip_of(const aw_pcap_reader *r, const uint8_t *f, size_t n, size_t *iplen)
{
    size_t off;
    uint16_t proto;
    switch (r->linktype) {
    case LINKTYPE_ETHERNET:
        if (n < 14)
            return NULL;
        off = 14;
        proto = be16(f + 12);
        while ((proto == 0x8100 || proto == 0x88a8) && n >= off + 4) {
            proto = be16(f + off + 2);
            off += 4;
        }
        break;
    case LINKTYPE_LINUX_SLL:
        if (n < 16)
            return NULL;
        off = 16;
        proto = be16(f + 14);
        break;
    case LINKTYPE_LINUX_SLL2:
        if (n < 20)
            return NULL;
        off = 20;
        proto = be16(f);
        break;
    default:
        off = 0;
        proto = 0x0800;
    }
    if (proto != 0x0800 || n <= off)
        return NULL;
    *iplen = n - off;
    return f + off;
}

int aw_pcap_next_udp(aw_pcap_reader *r, const uint8_t **payload, size_t *plen, double *time,
                     char *err, size_t errlen)
{
    while (r->pos < r->len) {
        if (r->len - r->pos < 16) {
            snprintf(err, errlen, "truncated packet header at byte %zu", r->pos);
            r->pos = r->len;
            return -1;
        }
        const uint8_t *h = r->buf + r->pos;
        uint32_t sec = rd32(r, h), frac = rd32(r, h + 4), incl = rd32(r, h + 8);
        if (incl > r->len - r->pos - 16) {
            snprintf(err, errlen, "packet at byte %zu claims %u bytes, the file has %zu", r->pos,
                     incl, r->len - r->pos - 16);
            r->pos = r->len;
            return -1;
        }
        const uint8_t *f = h + 16;
        r->pos += 16 + (size_t)incl;
        r->packets++;
        size_t n;
        const uint8_t *ip = ip_of(r, f, incl, &n);
        if (!ip || n < 20 || (ip[0] >> 4) != 4) {
            r->skipped++;
            continue;
        }
        size_t ihl = (size_t)(ip[0] & 15) * 4;
        size_t total = be16(ip + 2);
        uint16_t frag = be16(ip + 6);
        if (ihl < 20 || total < ihl + 8 || total > n || ip[9] != 17 || (frag & 0x3fff) != 0) {
            r->skipped++; /* not UDP, truncated, or a fragment */
            continue;
        }
        const uint8_t *udp = ip + ihl;
        size_t ulen = be16(udp + 4);
        if (ulen < 8 || ulen > total - ihl) {
            r->skipped++;
            continue;
        }
        *payload = udp + 8;
        *plen = ulen - 8;
        *time = (double)sec + frac * (r->nanosecond ? 1e-9 : 1e-6);
        return 1;
    }
    return 0;
}
