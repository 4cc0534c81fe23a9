/* asterix.c -- EUROCONTROL ASTERIX data blocks and records, category-independent part.
 *
 * A data block is CAT (1 byte), LEN (2 bytes, the whole block) and records back to back.
 * Records have no length of their own: the only way to the next record is to walk the
 * current one item by item, so a record we cannot walk (a FRN the UAP leaves undefined,
 * an item running past the block) loses the rest of its block -- counted and reported,
 * never read past. Other categories are skipped whole, by LEN. Written from the
 * EUROCONTROL ASTERIX Part 1 structure rules; see docs/decode.md. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decode/asterix_uap.h"

uint32_t asterix_u(const uint8_t *p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

int32_t asterix_s(const uint8_t *p, int n)
{
    uint32_t v = asterix_u(p, n);
    int bits = 8 * n;
    if (bits < 32 && (v & (1u << (bits - 1))))
        return (int32_t)v - (int32_t)(1u << (bits - 1)) - (int32_t)(1u << (bits - 1));
    return (int32_t)v;
}

void asterix_callsign(const uint8_t *p, char out[9])
{
    static const char charset[65] =
        "#ABCDEFGHIJKLMNOPQRSTUVWXYZ##### ###############0123456789######";
    uint64_t w = 0;
    for (int i = 0; i < 6; i++)
        w = w << 8 | p[i];
    for (int i = 0; i < 8; i++)
        out[i] = charset[(w >> (42 - 6 * i)) & 63];
    int n = 8;
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '#'))
        n--;
    out[n] = '\0';
}

/* Length of one item of kind d at p (at most len bytes); -1 if it runs past. */
/* Bytes of an FSPEC (or a compound item's primary field) starting at p: each byte's
 * low bit says another follows. 0 when it runs past len. */
static size_t fspec_length(const uint8_t *p, size_t len)
{
    size_t n = 0;
    do {
        if (n >= len)
            return 0;
        n++;
    } while (p[n - 1] & 1);
    return n;
}

static long item_length(const item_desc *d, const uint8_t *p, size_t len)
{
    switch (d->kind) {
    case ITEM_FIXED:
        return d->a <= len ? d->a : -1;
    case ITEM_EXTENDED: {
        size_t n = d->a;
        if (n > len)
            return -1;
        while (p[n - 1] & 1) {
            n += d->b;
            if (n > len)
                return -1;
        }
        return (long)n;
    }
    case ITEM_REPETITIVE: {
        if (len < 1)
            return -1;
        size_t n = 1 + (size_t)p[0] * d->a;
        return n <= len ? (long)n : -1;
    }
    case ITEM_EXPLICIT:
        if (len < 1 || p[0] < 1 || p[0] > len)
            return -1;
        return p[0];
    case ITEM_COMPOUND: {
        size_t np = fspec_length(p, len);
        if (np == 0)
            return -1;
        size_t n = np;
        for (size_t i = 0; i < np; i++) {
            for (int bit = 7; bit >= 1; bit--) {
                if (!(p[i] >> bit & 1))
                    continue;
                size_t k = i * 7 + (size_t)(7 - bit); /* 0-based subfield */
                if (k >= d->nsub || d->sub[k].kind == ITEM_NONE)
                    return -1;
                long sl = item_length(&d->sub[k], p + n, len - n);
                if (sl < 0)
                    return -1;
                n += (size_t)sl;
            }
        }
        return (long)n;
    }
    default:
        return -1;
    }
}

const uint8_t *asterix_subfield(const item_desc *d, const uint8_t *p, size_t len, int k,
                                size_t *sublen)
{
    size_t np = fspec_length(p, len);
    if (np == 0)
        return NULL;
    size_t n = np;
    for (size_t i = 0; i < np; i++) {
        for (int bit = 7; bit >= 1; bit--) {
            if (!(p[i] >> bit & 1))
                continue;
            size_t idx = i * 7 + (size_t)(7 - bit);
            if (idx >= d->nsub)
                return NULL;
            long sl = item_length(&d->sub[idx], p + n, len - n);
            if (sl < 0)
                return NULL;
            if ((int)idx + 1 == k) {
                *sublen = (size_t)sl;
                return p + n;
            }
            n += (size_t)sl;
        }
    }
    return NULL;
}

int asterix_split(const item_desc *uap, int nfrn, const uint8_t *buf, size_t len,
                  asterix_record *rec, char *err, size_t errlen)
{
    memset(rec, 0, sizeof *rec);
    size_t nf = 0;
    do {
        if (nf >= len || nf * 7 >= ASTERIX_MAX_FRN) {
            snprintf(err, errlen, "FSPEC runs past the record");
            return -1;
        }
        nf++;
    } while (buf[nf - 1] & 1);
    size_t pos = nf;
    for (size_t i = 0; i < nf; i++) {
        for (int bit = 7; bit >= 1; bit--) {
            if (!(buf[i] >> bit & 1))
                continue;
            int frn = (int)(i * 7) + (8 - bit);
            if (frn > nfrn || uap[frn - 1].kind == ITEM_NONE) {
                snprintf(err, errlen, "FRN %d is not defined by the UAP", frn);
                return -1;
            }
            long il = item_length(&uap[frn - 1], buf + pos, len - pos);
            if (il < 0) {
                snprintf(err, errlen, "item I%03u (FRN %d) runs past the block",
                         uap[frn - 1].id, frn);
                return -1;
            }
            rec->item[frn] = buf + pos;
            rec->item_len[frn] = (size_t)il;
            pos += (size_t)il;
        }
    }
    rec->length = pos;
    return 0;
}

/* Walk every record of one block with one UAP; 0 if all split cleanly and each has
 * its mandatory FRN 1 (data source), else -1 with err. Records are handed to fn only
 * when deliver is set, so an edition can be tried before it is chosen. */
static int walk_block(aw_asterix_context *ctx, int cat, int edition, const item_desc *uap,
                      int nfrn, const uint8_t *p, size_t len, bool deliver,
                      aw_asterix_record_fn fn, void *user, char *err, size_t errlen)
{
    size_t pos = 0;
    while (pos < len) {
        asterix_record rec;
        if (asterix_split(uap, nfrn, p + pos, len - pos, &rec, err, errlen) < 0)
            return -1;
        if (!rec.item[1]) {
            snprintf(err, errlen, "record without its data source identifier (I%03d/010)", cat);
            return -1;
        }
        if (deliver) {
            aw_decoded d;
            aw_decoded_clear(&d);
            d.source = AW_SRC_ASTERIX;
            d.category = cat;
            if (cat == 48)
                asterix_cat048(ctx, &rec, &d);
            else if (cat == 62)
                asterix_cat062(&rec, &d);
            else
                asterix_cat021(&rec, edition, &d);
            /* The position fields can hold any 32 bits: one off the globe is garbage
             * (seen by fuzzing), and is dropped rather than passed on. */
            if (!(fabs(d.lat) <= 90) || !(fabs(d.lon) <= 180))
                d.lat = d.lon = NAN;
            ctx->records++;
            if (fn)
                fn(&d, user);
        }
        pos += rec.length;
    }
    return 0;
}

size_t aw_asterix_decode(aw_asterix_context *ctx, const uint8_t *buf, size_t len,
                         aw_asterix_record_fn fn, void *user, char *err, size_t errlen)
{
    size_t pos = 0;
    if (errlen)
        err[0] = '\0';
    while (pos < len) {
        if (len - pos < 3)
            return pos;
        int cat = buf[pos];
        size_t blen = (size_t)buf[pos + 1] << 8 | buf[pos + 2];
        if (blen < 3) {
            ctx->bad_blocks++;
            snprintf(err, errlen, "block at byte %zu: length %zu is impossible", pos, blen);
            return len;
        }
        if (blen > len - pos)
            return pos;
        ctx->blocks++;
        const uint8_t *body = buf + pos + 3;
        size_t blen_body = blen - 3;
        char why[160] = "";
        int rc = 0;
        if (cat == 48) {
            rc = walk_block(ctx, 48, 0, asterix_uap048, asterix_uap048_n, body, blen_body, true,
                            fn, user, why, sizeof why);
        } else if (cat == 62) {
            rc = walk_block(ctx, 62, 0, asterix_uap062, asterix_uap062_n, body, blen_body, true,
                            fn, user, why, sizeof why);
        } else if (cat == 21) {
            /* The edition is not in the data: take 2.1 if the whole block walks with it
             * (every record starting with I021/010), else 0.26. */
            char why2[160];
            if (walk_block(ctx, 21, 21, asterix_uap021_v21, asterix_uap021_v21_n, body,
                           blen_body, false, NULL, NULL, why2, sizeof why2) == 0)
                rc = walk_block(ctx, 21, 21, asterix_uap021_v21, asterix_uap021_v21_n, body,
                                blen_body, true, fn, user, why, sizeof why);
            else
                rc = walk_block(ctx, 21, 26, asterix_uap021_v026, asterix_uap021_v026_n, body,
                                blen_body, true, fn, user, why, sizeof why);
        } else {
            ctx->skipped_blocks++; /* a category we do not decode: skipped by LEN */
        }
        if (rc < 0) {
            ctx->bad_records++;
            ctx->bad_blocks++;
            snprintf(err, errlen, "CAT%03d block at byte %zu: %s", cat, pos, why);
        }
        pos += blen;
    }
    return pos;
}
