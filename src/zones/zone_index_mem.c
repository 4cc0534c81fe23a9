/* zone_index_mem.c -- the index builder's memory: interned zone lists, big arrays.
 *
 * Most cells share a few zone lists, so each list is kept once and cells hold its id;
 * the arrays that grow with the boundaries (cells, sub-grids, records, chords) are
 * mappings of their own, in huge pages (below says why). */
#define _GNU_SOURCE /* mremap */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "zones/zone_index_build.h"

static uint64_t list_hash(const int *z, int n)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint32_t)z[i]) * 1099511628211ull;
    return h;
}

/* Room for need elements in the array *p of *cap (doubling), moved by grow (realloc, or
 * big_map below); -1 on allocation failure. */
static int reserve_by(void *(*grow)(void *, size_t), void **p, long *cap, long need, size_t elem)
{
    if (need <= *cap)
        return 0;
    long c = *cap > 0 ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = grow(*p, (size_t)c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int reserve(void **p, long *cap, long need, size_t elem)
{
    return reserve_by(realloc, p, cap, need, elem);
}

int aw_ix_grow(void **p, int *cap, int need, size_t elem)
{
    long c = *cap;
    int rc = reserve(p, &c, need, elem);
    *cap = (int)c;
    return rc;
}

/* ---- big arrays, in huge pages ----------------------------------------------------
 *
 * Queries read the big arrays at random: with 4 KB pages nearly every read of a large
 * index also misses the TLB. Each big array lives in a mapping of its own that the
 * kernel is asked, before anything is written, to back with huge pages (transparent
 * huge pages in madvise mode, as on Debian; elsewhere the advice changes nothing), and
 * grows with mremap, which moves page tables rather than bytes. They used to be built
 * with malloc and copied to 2 MB-aligned memory once done: for 1,000 detailed zones a
 * second of copying and page faults, and the largest array twice over at the peak. A
 * header before the array keeps the mapping's size. */
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_HEADER 64

/* Under AddressSanitizer the arrays stay on its heap, where it checks every access. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_IN_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_IN_HEAP 1
#endif
#endif

static void *big_map(void *old, size_t bytes)
{
    size_t size = bytes + BIG_HEADER;
#ifdef BIG_IN_HEAP
    size_t old_size = old ? *(size_t *)((char *)old - BIG_HEADER) : 0;
    char *h = realloc(old ? (char *)old - BIG_HEADER : NULL, size);
    if (!h)
        return NULL;
    if (size > old_size)
        memset(h + old_size, 0, size - old_size);
    *(size_t *)h = size;
    return h + BIG_HEADER;
#endif
    char *m = old ? mremap((char *)old - BIG_HEADER, *(size_t *)((char *)old - BIG_HEADER), size, MREMAP_MAYMOVE)
                  : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (size >= HUGE_PAGE / 2)
        madvise(m, size, MADV_HUGEPAGE);
#endif
    *(size_t *)m = size;
    return m + BIG_HEADER;
}

/* A zeroed big array of this many bytes; NULL on failure. */
void *aw_ix_big_alloc(size_t bytes) { return big_map(NULL, bytes); }

/* reserve() for big arrays (the new room is zeroed). */
int aw_ix_big_reserve(void **p, long *cap, long need, size_t elem)
{
    return reserve_by(big_map, p, cap, need, elem);
}

void aw_ix_big_free(void *p)
{
#ifdef BIG_IN_HEAP
    if (p)
        free((char *)p - BIG_HEADER);
    return;
#endif
    if (p)
        munmap((char *)p - BIG_HEADER, *(size_t *)((char *)p - BIG_HEADER));
}

/* The list's id, adding it if new (zone_index_build.h). */
int64_t aw_ix_intern(aw_ix_interner *in, const int *z, int n)
{
    aw_zone_index *ix = in->ix;
    if (2 * ((size_t)ix->nlists + 1) > in->size) {
        size_t size = in->size ? in->size * 2 : 1024;
        uint32_t *t = calloc(size, sizeof *t);
        if (!t)
            return -1;
        for (int id = 0; id < ix->nlists; id++) {
            size_t j = list_hash(ix->list_items + ix->list_start[id], ix->list_len[id]) & (size - 1);
            while (t[j])
                j = (j + 1) & (size - 1);
            t[j] = (uint32_t)id + 1;
        }
        free(in->table);
        in->table = t;
        in->size = size;
    }
    size_t j = list_hash(z, n) & (in->size - 1);
    for (; in->table[j]; j = (j + 1) & (in->size - 1)) {
        int id = (int)in->table[j] - 1;
        if (ix->list_len[id] == n &&
            (n == 0 || memcmp(ix->list_items + ix->list_start[id], z, (size_t)n * sizeof *z) == 0))
            return id;
    }
    int cap = ix->list_cap;
    if (aw_ix_grow((void **)&ix->list_start, &cap, ix->nlists + 1, sizeof(int)) < 0)
        return -1;
    cap = ix->list_cap;
    if (aw_ix_grow((void **)&ix->list_len, &cap, ix->nlists + 1, sizeof(int)) < 0)
        return -1;
    ix->list_cap = cap;
    /* COPY_ITEMS of slack: aw_zones_at_many copies that many items whatever the length. */
    if (aw_ix_grow((void **)&ix->list_items, &ix->items_cap, ix->items_n + n + COPY_ITEMS, sizeof(int)) < 0)
        return -1;
    if (n > 0)
        memcpy(ix->list_items + ix->items_n, z, (size_t)n * sizeof *z);
    ix->list_start[ix->nlists] = ix->items_n;
    ix->list_len[ix->nlists] = n;
    ix->items_n += n;
    in->table[j] = (uint32_t)ix->nlists + 1;
    return ix->nlists++;
}

