/* asterix_uap.h -- how ASTERIX records are laid out, shared by the category decoders
 * (internal).
 *
 * A record is an FSPEC (bits naming which items follow, 7 per octet, the eighth bit
 * saying another octet follows) and then the items, in User Application Profile (UAP)
 * order. An item's length comes from its kind: fixed, extended (octets chained by a
 * low-order FX bit), repetitive (a count octet), explicit (a length octet) or compound
 * (its own FSPEC-like primary subfield). Knowing only the lengths is enough to skip an
 * item we do not decode; a FRN the UAP does not define cannot be skipped and makes the
 * record unusable. */
#ifndef ADIZWATCH_ASTERIX_UAP_H
#define ADIZWATCH_ASTERIX_UAP_H

#include <stddef.h>
#include <stdint.h>

#include "adizwatch/decode.h"

typedef enum item_kind {
    ITEM_NONE = 0,  /* spare FRN: must not be present */
    ITEM_FIXED,     /* a bytes */
    ITEM_EXTENDED,  /* a bytes, then b more while the last byte's low bit is set */
    ITEM_REPETITIVE,/* 1 count byte, then count * a bytes */
    ITEM_EXPLICIT,  /* 1 length byte counting itself */
    ITEM_COMPOUND   /* primary subfield + the subfields in sub[] */
} item_kind;

typedef struct item_desc {
    uint16_t id;    /* the item number, e.g. 105 for I062/105 (0 for spare) */
    uint8_t kind, a, b;
    uint8_t nsub;
    const struct item_desc *sub; /* compound subfields in order */
} item_desc;

#define FIXED(id, n) {id, ITEM_FIXED, n, 0, 0, NULL}
#define EXT(id, first, next) {id, ITEM_EXTENDED, first, next, 0, NULL}
#define REP(id, n) {id, ITEM_REPETITIVE, n, 0, 0, NULL}
#define EXPL(id) {id, ITEM_EXPLICIT, 0, 0, 0, NULL}
#define COMPOUND(id, subs) {id, ITEM_COMPOUND, 0, 0, sizeof subs / sizeof subs[0], subs}
#define SPARE {0, ITEM_NONE, 0, 0, 0, NULL}

#define ASTERIX_MAX_FRN 56

/* A record split into its items: item[frn] points at the item's bytes (NULL if absent). */
typedef struct asterix_record {
    const uint8_t *item[ASTERIX_MAX_FRN + 1];
    size_t item_len[ASTERIX_MAX_FRN + 1];
    size_t length;  /* bytes of the whole record, FSPEC included */
} asterix_record;

/* Split the record at buf[0..len) by the UAP (nfrn entries, uap[0] is FRN 1).
 * Returns 0, or -1 with a reason in err (unknown FRN present, item past the end). */
int asterix_split(const item_desc *uap, int nfrn, const uint8_t *buf, size_t len,
                  asterix_record *rec, char *err, size_t errlen);

/* Find the subfield k (1-based) of a compound item; NULL if absent. */
const uint8_t *asterix_subfield(const item_desc *compound, const uint8_t *item, size_t len,
                                int k, size_t *sublen);

/* Big-endian unsigned and sign-extended reads of n bytes (n <= 4). */
uint32_t asterix_u(const uint8_t *p, int n);
int32_t asterix_s(const uint8_t *p, int n);

/* The 6-bit ICAO character set of Mode S and ASTERIX identifications; 8 characters
 * from 6 bytes, trailing spaces trimmed. */
void asterix_callsign(const uint8_t *p6, char out[9]);

/* Per-category decoders: fill rec from an item split. */
void asterix_cat048(aw_asterix_context *ctx, const asterix_record *r, aw_decoded *out);
void asterix_cat062(const asterix_record *r, aw_decoded *out);
/* CAT021 comes in two incompatible UAPs; edition 26 (0.26) or 21 (2.1). */
void asterix_cat021(const asterix_record *r, int edition, aw_decoded *out);

extern const item_desc asterix_uap048[];
extern const int asterix_uap048_n;
extern const item_desc asterix_uap062[];
extern const int asterix_uap062_n;
extern const item_desc asterix_uap021_v21[];
extern const int asterix_uap021_v21_n;
extern const item_desc asterix_uap021_v026[];
extern const int asterix_uap021_v026_n;

#endif
