/* modes_fields.c -- the small bit-level codes of Mode S replies: altitude (25 ft "Q"
 * encoding and the 100 ft Gillham Gray code older transponders still send) and the
 * 13-bit identity (squawk), whose bits are interleaved in the A/B/C/D pulse order. */
#include <math.h>

#include "adizwatch/decode.h"

/* Bit positions of the pulses in a 13-bit AC/ID field, most significant first:
 * C1 A1 C2 A2 C4 A4 M(X) B1 Q(D1) B2 D2 B4 D4. */
#define BIT(v, n) (((v) >> (n)) & 1u)

static unsigned gray_to_binary(unsigned g)
{
    unsigned b = g;
    for (unsigned s = 1; s < 16; s <<= 1)
        b ^= b >> s;
    return b;
}

/* Gillham (Gray code, 100 ft steps) from the 13-bit field with M = 0 and Q = 0. */
static double gillham_ft(unsigned ac13)
{
    unsigned c1 = BIT(ac13, 12), a1 = BIT(ac13, 11), c2 = BIT(ac13, 10), a2 = BIT(ac13, 9);
    unsigned c4 = BIT(ac13, 8), a4 = BIT(ac13, 7), b1 = BIT(ac13, 5), d1 = BIT(ac13, 4);
    unsigned b2 = BIT(ac13, 3), d2 = BIT(ac13, 2), b4 = BIT(ac13, 1), d4 = BIT(ac13, 0);
    /* 500 ft increments: Gray code over D1 D2 D4 A1 A2 A4 B1 B2 B4. */
    unsigned g500 = d1 << 8 | d2 << 7 | d4 << 6 | a1 << 5 | a2 << 4 | a4 << 3 | b1 << 2 |
                    b2 << 1 | b4;
    unsigned n500 = gray_to_binary(g500);
    /* 100 ft increments: the "C" pulses, a five-state reflected code. */
    unsigned n100 = gray_to_binary(c1 << 2 | c2 << 1 | c4);
    if (n100 == 0 || n100 == 5 || n100 == 6)
        return NAN; /* not a valid C pattern */
    if (n100 == 7)
        n100 = 5;
    if (n500 & 1)
        n100 = 6 - n100; /* the code reflects every other 500 ft band */
    return (double)n500 * 500.0 + (double)n100 * 100.0 - 1300.0;
}

double aw_modes_ac13_ft(unsigned ac13)
{
    ac13 &= 0x1fff;
    if (ac13 == 0)
        return NAN;
    if (ac13 & 0x40)
        return NAN; /* M bit: metric altitude, not used in practice */
    if (ac13 & 0x10) {
        unsigned n = ((ac13 & 0x1f80) >> 2) | ((ac13 & 0x20) >> 1) | (ac13 & 0x0f);
        return (double)n * 25.0 - 1000.0;
    }
    return gillham_ft(ac13);
}

double aw_modes_ac12_ft(unsigned ac12)
{
    ac12 &= 0xfff;
    if (ac12 == 0)
        return NAN;
    /* Re-insert the M bit (always 0 here) to reuse the 13-bit layout. */
    unsigned ac13 = ((ac12 & 0xfc0) << 1) | (ac12 & 0x3f);
    return aw_modes_ac13_ft(ac13);
}

int aw_modes_squawk(unsigned id13)
{
    unsigned a = BIT(id13, 11) | BIT(id13, 9) << 1 | BIT(id13, 7) << 2;
    unsigned b = BIT(id13, 5) | BIT(id13, 3) << 1 | BIT(id13, 1) << 2;
    unsigned c = BIT(id13, 12) | BIT(id13, 10) << 1 | BIT(id13, 8) << 2;
    unsigned d = BIT(id13, 4) | BIT(id13, 2) << 1 | BIT(id13, 0) << 2;
    return (int)(a << 9 | b << 6 | c << 3 | d);
}
