/* random.h -- the tests' random numbers: xorshift64*, a fixed seed, the same numbers every
 * run. A test may set rng to a seed of its own before drawing. */
#ifndef ADIZWATCH_TEST_RANDOM_H
#define ADIZWATCH_TEST_RANDOM_H

#include <stdint.h>

static uint64_t rng = 88172645463325252ull;

/* Uniform in [0, 1). */
static inline double uniform(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

#endif
