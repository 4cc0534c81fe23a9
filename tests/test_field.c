/* test_field.c -- the fast decimal path gives exactly strtod's double, or declines. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "ingest/field.h"

int main(void)
{
    uint64_t r = 0x853c49e6748fea9bull;
    long fast = 0, differ = 0;
    char buf[64];
    for (long i = 0; i < 2000000; i++) {
        r ^= r >> 12;
        r ^= r << 25;
        r ^= r >> 27;
        uint64_t x = r * 2685821657736338717ull;
        int intdigits = (int)(x % 12), fracdigits = (int)((x >> 8) % 14);
        int n = 0;
        if ((x >> 20) & 1)
            buf[n++] = '-';
        for (int k = 0; k < intdigits; k++)
            buf[n++] = (char)('0' + (x >> (24 + 3 * k)) % 10);
        if (fracdigits) {
            buf[n++] = '.';
            uint64_t y = x * 0x9e3779b97f4a7c15ull;
            for (int k = 0; k < fracdigits; k++, y /= 10)
                buf[n++] = (char)('0' + y % 10);
        }
        buf[n] = 0;
        double a, b = strtod(buf, NULL);
        if (aw_decimal_fast(buf, (size_t)n, &a)) {
            fast++;
            if (memcmp(&a, &b, sizeof a) != 0 && differ++ < 5)
                fprintf(stderr, "%s: fast %.17g, strtod %.17g\n", buf, a, b);
        }
    }
    CHECK(differ == 0);
    CHECK(fast > 1000000); /* most of these take the fast path */
    double v;
    CHECK(aw_decimal_fast("34.43697", 8, &v) && v == 34.43697);
    CHECK(aw_decimal_fast("1641649335.605", 14, &v) && v == 1641649335.605);
    CHECK(!aw_decimal_fast("1e5", 3, &v));
    CHECK(!aw_decimal_fast("12345678901234567890", 20, &v)); /* too many digits: strtod's job */
    CHECK(!aw_decimal_fast(".", 1, &v));
    CHECK(!aw_decimal_fast("1.2.3", 5, &v));
    CHECK(!aw_decimal_fast("nan", 3, &v));
    return check_done("field");
}
