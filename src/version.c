/* version.c -- the library's version at run time (see adizwatch/version.h). */
#include "adizwatch/version.h"

const char *aw_version(void) { return AW_VERSION_STRING; }
