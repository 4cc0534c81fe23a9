/* sniff.h -- which format a file is in, from its first bytes.
 *
 * Users should not have to say what a file is: pcap, pcapng and gzip have magic numbers,
 * Beast frames start with 0x1a and a type, ASTERIX blocks chain by their lengths, JSON
 * starts with '{' and names its keys, and the text formats show themselves in their
 * first line. Whatever is recognised here is read by `--format auto`. */
#ifndef ADIZWATCH_SNIFF_H
#define ADIZWATCH_SNIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"

AW_BEGIN_DECLS

typedef enum aw_input_kind {
    AW_INPUT_UNKNOWN = 0,
    AW_INPUT_CSV,          /* a header line with commas */
    AW_INPUT_SBS,          /* MSG,... */
    AW_INPUT_READSB_LINES, /* readsb JSON position stream: an aircraft object per line */
    AW_INPUT_SNAPSHOT,     /* readsb aircraft.json: {"now":..., "aircraft":[...]} */
    AW_INPUT_TRACE,        /* tar1090 globe-history trace: {"icao":..., "timestamp":..., "trace":[...]} */
    AW_INPUT_BEAST,        /* 0x1a '1'|'2'|'3' ... */
    AW_INPUT_PCAP,         /* classic pcap, any byte order, micro or nanoseconds */
    AW_INPUT_PCAPNG,       /* pcapng section header block */
    AW_INPUT_ASTERIX,      /* raw ASTERIX data blocks */
    AW_INPUT_RAWHEX        /* *HEX; / @TICKSHEX; / ISO-time HEX lines */
} aw_input_kind;

/* The formats tried, for the message when none fits. */
#define AW_SNIFF_TRIED                                                                     \
    "CSV, SBS, readsb JSON lines, aircraft.json, trace JSON, Beast, pcap, pcapng, "        \
    "ASTERIX, raw hex (plain or gzip)"

/* The kind of data whose first len bytes (at most a few KiB, maybe the whole file) are
 * head; AW_INPUT_UNKNOWN when nothing fits. */
aw_input_kind aw_sniff(const uint8_t *head, size_t len);
/* Short name: "csv", "sbs", "readsb", "aircraft.json", "trace", "beast", "pcap",
 * "pcapng", "asterix", "raw", "unknown". */
const char *aw_input_kind_name(aw_input_kind k);
/* Sniff a file, looking through gzip (*gzipped says it was). AW_INPUT_UNKNOWN with a
 * reason in err when it cannot be read or nothing fits. */
aw_input_kind aw_sniff_file(const char *path, bool *gzipped, char *err, size_t errlen);

AW_END_DECLS

#endif
