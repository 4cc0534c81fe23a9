/* decode.h -- binary surveillance inputs: Mode S / ADS-B frames, Beast and raw-hex
 * framing, EUROCONTROL ASTERIX (CAT048, CAT062, CAT021), pcap captures.
 *
 * Radar tracks (ASTERIX) and receiver frames (Beast, "*8D...;" hex) are where military
 * traffic shows up: bombers do not broadcast ADS-B, air defence sees them on radar. Every
 * decoder here turns bytes into aw_decoded records -- one struct holding every field
 * any of the formats can carry, absent fields marked -- and aw_decoded_to_report()
 * turns a record with a time into the aw_report the engine takes.
 *
 * Nothing here reads past the buffer it is given: a malformed frame, block or record
 * gives an error code and a reason, never a crash. The only state is in caller-owned
 * contexts (aw_modes_decoder for CPR pairs and known addresses, aw_asterix_context for
 * radar sites). Units and conversions are described in docs/decode.md. */
#ifndef ADIZWATCH_DECODE_H
#define ADIZWATCH_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "export.h"

AW_BEGIN_DECLS

/* ---- the decoded record ---------------------------------------------------------- */

/* Where a record came from. */
typedef enum aw_decoded_source {
    AW_SRC_MODES = 1,   /* a Mode S / ADS-B frame (Beast or raw hex) */
    AW_SRC_ASTERIX = 2  /* an ASTERIX record */
} aw_decoded_source;

/* One decoded frame or record. Absent numbers are NAN (double) or -1 (integer); absent
 * text is "". */
typedef struct aw_decoded {
    aw_decoded_source source;
    int category;          /* ASTERIX category (48, 62, 21...), -1 for Mode S */
    int sac, sic;          /* ASTERIX data source (system area / identification code) */
    double time_of_day;    /* ASTERIX: seconds since midnight UTC (1/128 s resolution) */
    int track_number;      /* ASTERIX track number */
    int32_t icao24;        /* 24-bit aircraft address, -1 = absent */
    char callsign[9];      /* trimmed of trailing spaces */
    int mode3a;            /* Mode 3/A code as a number (print in octal), -1 = absent */
    double flight_level;   /* FL (hundreds of feet, pressure altitude) */
    double rho_nm;         /* CAT048 measured slant range, NM */
    double theta_deg;      /* CAT048 measured azimuth, degrees from true north */
    double lat, lon;       /* WGS84 degrees; NAN when the record gives no position */
    double altitude_ft;    /* barometric altitude in feet (Mode S, or FL x 100) */
    double geo_altitude_ft;/* geometric (GNSS) height in feet */
    double groundspeed_kt;
    double track_deg;      /* true track over ground */
    double vertical_rate_fpm;
    double heading_deg;    /* ADS-B velocity subtypes 3/4: heading (magnetic or true) */
    double airspeed_kt;    /* ADS-B velocity subtypes 3/4: IAS or TAS */
    int df;                /* Mode S downlink format, -1 for ASTERIX */
    int typecode;          /* ADS-B type code (DF17/18), -1 otherwise */
    bool surface;          /* ADS-B surface position (TC 5-8) */
} aw_decoded;

/* Reset every field to absent. */
void aw_decoded_clear(aw_decoded *d);

/* Write the record as one JSON object (no newline) with the fields it has, named
 * category, sac, sic, time_of_day, track_number, icao24 (lower-case hex), callsign,
 * mode3a (octal string), flight_level, rho_nm, theta_deg, lat, lon, altitude_ft,
 * groundspeed_kt, track_deg, df, typecode. Returns the length (snprintf rules). */
int aw_decoded_to_json(const aw_decoded *d, char *buf, size_t size);

/* Make an engine report of a record at the given time (Unix seconds). The track id is
 * the ICAO address in lower-case hex when there is one, else "SAC/SIC:TRACK" for an
 * ASTERIX track, else "SAC/SIC:A" + Mode 3/A code. Returns false when the record
 * identifies nothing (no address, no track number, no squawk). */
bool aw_decoded_to_report(const aw_decoded *d, double time, aw_report *r);

/* ---- Mode S ------------------------------------------------------------------------ */

/* The Mode S CRC-24 (generator 0x1FFF409) over the first nbits - 24 bits of msg,
 * i.e. the parity the last 24 bits should carry. nbits is 56 or 112. */
uint32_t aw_modes_crc(const uint8_t *msg, int nbits);

/* The syndrome: computed parity XOR transmitted parity. 0 for a clean DF11/17/18
 * frame; for DF0/4/5/16/20/21 (address/parity overlay) it is the aircraft address. */
uint32_t aw_modes_syndrome(const uint8_t *msg, int nbits);

/* Decode a 13-bit altitude code (AC field of DF0/4/16/20; M bit at 0x40, Q bit at 0x10)
 * to feet: Q=1 gives 25 ft steps, Q=0 Gillham (Gray) 100 ft steps. Returns NAN when
 * absent (0), metric, or not a valid Gillham code. */
double aw_modes_ac13_ft(unsigned ac13);
/* Same for the 12-bit altitude of an ADS-B airborne position (Q bit at 0x10, no M bit). */
double aw_modes_ac12_ft(unsigned ac12);
/* Decode a 13-bit identity (squawk) field to its 4-digit octal value (e.g. 07700). */
int aw_modes_squawk(unsigned id13);

/* CPR: global decoding of an even/odd pair (17-bit values). most_recent_odd picks the
 * frame whose position is returned. Airborne: ref_lat/ref_lon ignored. Surface: the
 * answer is the one of the four candidates nearest (ref_lat, ref_lon). Returns 0, or -1
 * when the two frames straddle a longitude-zone boundary (no answer). */
int aw_cpr_global(unsigned lat_even, unsigned lon_even, unsigned lat_odd, unsigned lon_odd,
                  bool most_recent_odd, bool surface, double ref_lat, double ref_lon,
                  double *lat, double *lon);
/* CPR: local decoding of one frame against a reference within half a zone (airborne
 * 180 NM, surface 45 NM). */
void aw_cpr_local(unsigned lat_cpr, unsigned lon_cpr, bool odd, bool surface,
                  double ref_lat, double ref_lon, double *lat, double *lon);
/* The CPR number of longitude zones NL(lat), 1..59. */
int aw_cpr_nl(double lat);

/* Decoder state: CPR frames and positions per aircraft, addresses seen in DF11/17/18
 * (so that DF4/5/20/21, whose parity is overlaid with the address, are accepted only
 * for aircraft already known), the receiver position. */
typedef struct aw_modes_decoder aw_modes_decoder;

/* Options (opt may be NULL); NAN receiver = none. */
typedef struct aw_modes_options {
    double receiver_lat, receiver_lon;
} aw_modes_options;

/* A new decoder, or NULL when out of memory. */
aw_modes_decoder *aw_modes_decoder_new(const aw_modes_options *opt);
void aw_modes_decoder_free(aw_modes_decoder *d);

typedef enum aw_decode_result {
    AW_DECODE_OK = 0,     /* *out holds a record */
    AW_DECODE_SKIP = 1,   /* valid but nothing to report (unknown address, other DF) */
    AW_DECODE_BAD = -1    /* malformed or failed the parity check: err says why */
} aw_decode_result;

/* Decode one frame of 7 or 14 bytes received at time t (seconds, any epoch, used for
 * CPR pairing and reference ageing). DF17/18 (extended squitter: identification,
 * surface and airborne position, velocity) must pass the CRC exactly; DF11's syndrome
 * may carry an interrogator code (< 0x80). DF0/4/16/20 give the altitude, DF5/21 the
 * squawk, of an address seen in a clean DF11/17/18 in the last 300 s; otherwise SKIP.
 * A position frame gives lat/lon once it can be resolved (see modes_decoder.c), NAN
 * before. */
aw_decode_result aw_modes_decode(aw_modes_decoder *d, const uint8_t *frame, size_t len,
                                 double t, aw_decoded *out, char *err, size_t errlen);

/* ---- Beast binary and raw hex framing ------------------------------------------- */

/* One frame taken out of a Beast stream or a raw-hex line. */
typedef struct aw_modes_frame {
    char type;            /* Beast type: '1' Mode A/C, '2' Mode S short, '3' Mode S long */
    uint64_t mlat_ticks;  /* 12 MHz MLAT counter (48 bits), 0 when absent */
    bool has_mlat;
    double time;          /* Unix seconds of a line that carries a wall-clock time (NAN: none) */
    uint8_t signal;       /* Beast signal level byte (0 when absent) */
    uint8_t data[14];
    size_t len;           /* 2 (Mode A/C), 7 or 14 */
} aw_modes_frame;

typedef enum aw_frame_result {
    AW_FRAME_OK = 0,      /* *f holds a frame; *used bytes consumed */
    AW_FRAME_MORE = 1,    /* the buffer ends inside a frame: read more, call again */
    AW_FRAME_BAD = -1     /* garbage or an unknown type: *used bytes skipped (to the next 0x1a) */
} aw_frame_result;

/* Take the next Beast frame from buf[0..len): 0x1a, type, 6 timestamp bytes, 1 signal
 * byte, then 2/7/14 data bytes, every 0x1a inside doubled. Bytes before the first 0x1a
 * are skipped as bad. */
aw_frame_result aw_beast_next(const uint8_t *buf, size_t len, size_t *used, aw_modes_frame *f);

/* Parse a raw-hex line: "*8D4840D6202CC371C32CE0576098;" or with a 12-hex-digit MLAT
 * timestamp "@0123456789AB8D48...;" (dump1090 --net-ro forms), or an ISO time, blanks and
 * the frame's hex digits ("2015-03-03T16:12:24.846557    5D4840D6F87407", as recorders
 * such as pyModeS write; a time without a zone is taken as UTC -- an assumption, the line
 * cannot say -- and a time with one keeps it), which
 * sets f->time. f->time is NAN otherwise. Returns 0 or -1. */
int aw_rawhex_parse(const char *line, size_t len, aw_modes_frame *f);

/* ---- ASTERIX ----------------------------------------------------------------------- */

/* A radar site, for turning CAT048 polar positions into WGS84. */
typedef struct aw_radar_site {
    int sac, sic;
    double lat, lon, height_m;  /* WGS84 degrees, metres above the ellipsoid */
} aw_radar_site;

#define AW_RADAR_SITES_MAX 32

/* Caller-owned ASTERIX context: radar sites and counters. */
typedef struct aw_asterix_context {
    aw_radar_site sites[AW_RADAR_SITES_MAX];
    int nsites;
    uint64_t blocks, records, bad_blocks, bad_records;
    uint64_t skipped_blocks; /* blocks of categories not decoded here */
} aw_asterix_context;

/* Parse "SAC/SIC=LAT,LON,HEIGHT_M" into a site. Returns 0 or -1. */
int aw_radar_site_parse(const char *s, aw_radar_site *out);

/* Slant range and the target's and site's heights to a WGS84 position: ground range on
 * the ellipsoid's local sphere, then the geodesic from the site along theta (see
 * docs/decode.md). alt_m NAN = taken as the site height. */
void aw_polar_to_wgs84(const aw_radar_site *site, double rho_nm, double theta_deg,
                       double alt_m, double *lat, double *lon);

/* Called for every record decoded from a block. */
typedef void (*aw_asterix_record_fn)(const aw_decoded *rec, void *user);

/* Decode the data blocks in buf[0..len) (CAT, LEN, records; several blocks may follow
 * one another). Categories 48, 62 and 21 give records (fn may be NULL); other
 * categories are counted in skipped_blocks and skipped by their block length. A record
 * that cannot be walked (a FRN the UAP does not define, an item past the block, no
 * I0xx/010) loses the rest of its block: counted in bad_records and bad_blocks, the
 * reason in err, and decoding goes on with the next block. Returns the number of bytes
 * consumed: all of len unless the last block is incomplete (then its start). A block
 * whose LEN is below 3 makes the rest unusable: counted, reason in err, len returned.
 * err holds the last problem ("" if none). */
size_t aw_asterix_decode(aw_asterix_context *ctx, const uint8_t *buf, size_t len,
                         aw_asterix_record_fn fn, void *user, char *err, size_t errlen);

/* ---- pcap captures ----------------------------------------------------------------- */

/* Walks the UDP payloads of a capture held in memory, pcap or pcapng, through libpcap
 * (Ethernet, Linux cooked SLL/SLL2, raw IP or loopback link types; IPv4 or IPv6 UDP
 * without fragments). */
typedef struct aw_pcap_reader {
    void *handle;        /* libpcap's pcap_t, NULL once closed */
    void *stream;        /* the memory stream libpcap reads */
    uint32_t linktype;   /* libpcap's DLT_ value */
    uint64_t packets, skipped;  /* packets seen; not IP/UDP or truncated */
} aw_pcap_reader;

/* Check the file header. Returns 0 or -1 (reason in err; nothing to close). buf must stay
 * valid until the reader is closed. */
int aw_pcap_open(aw_pcap_reader *r, const uint8_t *buf, size_t len, char *err, size_t errlen);
/* The next UDP payload (valid until the next call) and its capture time (Unix seconds).
 * Returns 1, 0 at the end, -1 on a truncated or corrupt record (reason in err; the rest is
 * unusable). At 0 or -1 the reader is closed. */
int aw_pcap_next_udp(aw_pcap_reader *r, const uint8_t **payload, size_t *plen, double *time,
                     char *err, size_t errlen);
/* Close a reader before its end (again: nothing). */
void aw_pcap_close(aw_pcap_reader *r);

AW_END_DECLS
#endif
