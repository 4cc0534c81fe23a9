/* sniff.c -- the format of a file from its first bytes (see sniff.h).
 *
 * Binary magic first (pcap, pcapng, Beast), then ASTERIX (whose first byte may be any
 * printable character, so its block lengths must chain), then JSON by its keys, then the
 * first line of text. gzip is looked through by zlib, which reads a plain file as it is. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "adizwatch/decode.h"
#include "adizwatch/sniff.h"

#define SNIFF_HEAD 8192

static bool has_key(const char *head, const char *key)
{
    return strstr(head, key) != NULL;
}

static bool is_asterix_category(uint8_t c)
{
    static const uint8_t known[] = {1, 2, 4, 8, 10, 11, 19, 20, 21, 23, 25, 30, 32, 34, 48, 62, 63, 65, 240, 247, 252};
    for (size_t i = 0; i < sizeof known; i++)
        if (known[i] == c)
            return true;
    return false;
}

/* Blocks of a known category whose LEN fields chain to the end of the head: the first
 * whole within it, a later one allowed to run past it when the head is a part of the file.
 * Text is never taken for ASTERIX ("AIR,..." would read as a CAT065 block). */
static bool looks_asterix(const uint8_t *b, size_t len)
{
    bool text = true;
    for (size_t i = 0; i < len && text; i++)
        text = (b[i] >= 0x20 && b[i] < 0x7f) || b[i] == '\n' || b[i] == '\r' || b[i] == '\t';
    if (text)
        return false;
    size_t pos = 0;
    int blocks = 0;
    while (pos + 3 <= len) {
        size_t blen = (size_t)b[pos + 1] << 8 | b[pos + 2];
        if (!is_asterix_category(b[pos]) || blen < 4)
            return false;
        if (pos + blen > len) /* past a cut head: plausible after a whole block; past the file: no */
            return blocks > 0 && len == SNIFF_HEAD;
        blocks++;
        pos += blen;
    }
    return blocks > 0 && pos == len;
}

/* A first line of "ISO-TIME  HEX": digits, '-', a 'T' or space, then hex. */
static bool looks_timed_hex(const char *line, size_t n)
{
    if (n < 20 || line[4] != '-' || line[7] != '-')
        return false;
    size_t i = 0;
    while (i < n && line[i] != ' ' && line[i] != '\t')
        i++;
    if (i < 10 || i == n)
        return false;
    aw_modes_frame f;
    char buf[256];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, line, n);
    buf[n] = '\0';
    return aw_rawhex_parse(buf, n, &f) == 0;
}

aw_input_kind aw_sniff(const uint8_t *head, size_t len)
{
    if (len >= 4) {
        uint32_t le = (uint32_t)head[0] | (uint32_t)head[1] << 8 | (uint32_t)head[2] << 16 |
                      (uint32_t)head[3] << 24;
        if (le == 0xa1b2c3d4u || le == 0xd4c3b2a1u || le == 0xa1b23c4du || le == 0x4d3cb2a1u)
            return AW_INPUT_PCAP;
        if (le == 0x0a0d0d0au)
            return AW_INPUT_PCAPNG;
    }
    if (len >= 2 && head[0] == 0x1a && head[1] >= '1' && head[1] <= '4') {
        size_t used;
        aw_modes_frame f;
        if (aw_beast_next(head, len, &used, &f) != AW_FRAME_BAD)
            return AW_INPUT_BEAST;
    }
    if (len >= 3 && looks_asterix(head, len))
        return AW_INPUT_ASTERIX;
    /* Text from here: the head as a string (NULs end it: such a file is not text). */
    char text[SNIFF_HEAD + 1];
    size_t n = len < SNIFF_HEAD ? len : SNIFF_HEAD;
    memcpy(text, head, n);
    text[n] = '\0';
    if (strlen(text) != n)
        return AW_INPUT_UNKNOWN;
    const char *p = text;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p == '{') {
        if (has_key(p, "\"trace\"") && has_key(p, "\"timestamp\""))
            return AW_INPUT_TRACE;
        if (has_key(p, "\"aircraft\"") || has_key(p, "\"ac\""))
            return AW_INPUT_SNAPSHOT;
        if (has_key(p, "\"hex\"") && has_key(p, "\"now\""))
            return AW_INPUT_READSB_LINES;
        return AW_INPUT_UNKNOWN;
    }
    size_t line = strcspn(p, "\r\n");
    if (line == 0)
        return AW_INPUT_UNKNOWN;
    static const char *const sbs_types[] = {"MSG,", "SEL,", "ID,", "AIR,", "STA,", "CLK,"};
    for (size_t i = 0; i < sizeof sbs_types / sizeof sbs_types[0]; i++)
        if (strncmp(p, sbs_types[i], strlen(sbs_types[i])) == 0)
            return AW_INPUT_SBS;
    aw_modes_frame f;
    if ((p[0] == '*' || p[0] == '@') && aw_rawhex_parse(p, line, &f) == 0)
        return AW_INPUT_RAWHEX;
    if (looks_timed_hex(p, line))
        return AW_INPUT_RAWHEX;
    if (memchr(p, ',', line)) {
        for (size_t i = 0; i < line; i++)
            if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
                return AW_INPUT_UNKNOWN;
        return AW_INPUT_CSV;
    }
    return AW_INPUT_UNKNOWN;
}

const char *aw_input_kind_name(aw_input_kind k)
{
    static const char *const names[] = {"unknown", "csv",  "sbs",    "readsb",  "aircraft.json",
                                        "trace",   "beast", "pcap",  "pcapng", "asterix", "raw"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

aw_input_kind aw_sniff_file(const char *path, bool *gzipped, char *err, size_t errlen)
{
    *gzipped = false;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open %s", path);
        return AW_INPUT_UNKNOWN;
    }
    uint8_t magic[2];
    size_t m = fread(magic, 1, 2, fp);
    fclose(fp);
    *gzipped = m == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        snprintf(err, errlen, "cannot open %s", path);
        return AW_INPUT_UNKNOWN;
    }
    uint8_t head[SNIFF_HEAD];
    int n = gzread(gz, head, SNIFF_HEAD);
    gzclose(gz);
    if (n <= 0) {
        snprintf(err, errlen, "%s is empty or unreadable", path);
        return AW_INPUT_UNKNOWN;
    }
    aw_input_kind k = aw_sniff(head, (size_t)n);
    if (k == AW_INPUT_UNKNOWN)
        snprintf(err, errlen, "%s: not a format adizwatch reads (tried %s)", path, AW_SNIFF_TRIED);
    return k;
}
