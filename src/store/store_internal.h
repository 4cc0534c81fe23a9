/* store_internal.h -- what other parts of the store (the alert outbox) need of the
 * store's connection. Internal to the library. */
#ifndef ADIZWATCH_STORE_INTERNAL_H
#define ADIZWATCH_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "adizwatch/store.h"

/* The store's SQLite connection. */
sqlite3 *aw_store_sqlite(aw_store *s);
/* Open the transaction of the current second if none is (aw_store_tick commits it).
 * Returns 0, or -1 with the reason in err. */
int aw_store_begin(aw_store *s, char *err, size_t errlen);

#endif
