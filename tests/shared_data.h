/* shared_data.h -- the files of ../shared that some unit tests read, and how they skip.
 *
 * A test program with checks on ../shared is registered twice (tests/CMakeLists.txt):
 * FEATURE runs its own checks, which need nothing from outside, and FEATURE_shared (the
 * program run with --shared) only those on ../shared. The latter exits 77, which ctest
 * reports as skipped, when a file it needs is absent -- and only then: a file that is
 * there but does not load or decode is a failure like any other. */
#ifndef ADIZWATCH_TEST_SHARED_DATA_H
#define ADIZWATCH_TEST_SHARED_DATA_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SKIP_STATUS 77

/* Run with --shared: the checks on ../shared, and only those. */
static inline bool shared_wanted(int argc, char **argv)
{
    return argc > 1 && strcmp(argv[1], "--shared") == 0;
}

/* The path of rel in ../shared: under $SHARED (ctest sets it from ADIZWATCH_SHARED_DIR),
 * else beside the repository. */
static inline const char *shared_path(const char *rel, char *buf, size_t n)
{
    const char *dir = getenv("SHARED");
    if (dir && *dir)
        snprintf(buf, n, "%s/%s", dir, rel);
    else
        snprintf(buf, n, "%s/../../../shared/%s", FIXTURES, rel);
    return buf;
}

/* The test needs this file: if it is absent, say so and exit as skipped. */
static inline void shared_need(const char *path)
{
    if (access(path, R_OK) != 0) {
        printf("SKIP: %s is absent (the shared data is not beside the repository)\n", path);
        exit(SKIP_STATUS);
    }
}

#endif
