/* export.h -- what of the library a program may link to.
 *
 * libadizwatch is built with hidden visibility: nothing is exported unless a public
 * header declares it. Every public header wraps its declarations in AW_BEGIN_DECLS /
 * AW_END_DECLS, which give them default visibility and, for C++ callers, C linkage, so
 * that the shared library's dynamic symbols are exactly the documented aw_* API and
 * internal helpers can change without breaking programs built against it. AW_API marks
 * a single declaration the same way, for a header that needs it outside such a block. */
#ifndef ADIZWATCH_EXPORT_H
#define ADIZWATCH_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define AW_API __attribute__((visibility("default")))
#define AW_VISIBILITY_PUSH _Pragma("GCC visibility push(default)")
#define AW_VISIBILITY_POP _Pragma("GCC visibility pop")
#else
#define AW_API
#define AW_VISIBILITY_PUSH
#define AW_VISIBILITY_POP
#endif

#ifdef __cplusplus
#define AW_BEGIN_DECLS AW_VISIBILITY_PUSH extern "C" {
#define AW_END_DECLS } AW_VISIBILITY_POP
#else
#define AW_BEGIN_DECLS AW_VISIBILITY_PUSH
#define AW_END_DECLS AW_VISIBILITY_POP
#endif

#endif
