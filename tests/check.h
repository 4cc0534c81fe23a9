/* check.h -- the few assertion macros the unit tests need.
 *
 * A failed check prints file:line and the expression, and the test program exits
 * non-zero at the end (all checks of a run are reported, not only the first). */
#ifndef ADIZWATCH_TEST_CHECK_H
#define ADIZWATCH_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        check_count++;                                                                \
        if (!(cond)) {                                                                \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                         \
    do {                                                                              \
        double check_a_ = (a), check_b_ = (b);                                        \
        check_count++;                                                                \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                                  \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.9g, %s = %.9g (tol %g)\n", \
                    __FILE__, __LINE__, #a, check_a_, #b, check_b_, (double)(tol));   \
        }                                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                               \
    do {                                                                              \
        const char *check_a_ = (a), *check_b_ = (b);                                  \
        check_count++;                                                                \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {             \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", expected \"%s\"\n", \
                    __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)",           \
                    check_b_ ? check_b_ : "(null)");                                  \
        }                                                                             \
    } while (0)

/* Call at the end of main: prints the tally, returns the exit status. */
static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
