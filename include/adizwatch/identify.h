/* identify.h -- who an aircraft is: state of registry, type, military or not.
 *
 * Three sources, in order of authority: an aircraft database (plane-alert-db's CSV
 * columns: `$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,...`, with an optional
 * `$Nation` column of ISO 3166-1 codes for radar tracks that carry no address and an
 * optional `$Airframe` column naming the aircraft behind a track), the ICAO
 * 24-bit address allocation (Annex 10 Vol III: every address block belongs to a state),
 * and nothing -- a radar track with no address and no database entry is of unknown
 * nationality. A track is *unidentified* when it shows neither callsign nor squawk, or
 * when it is military: that is what makes an air-defence officer scramble. */
#ifndef ADIZWATCH_IDENTIFY_H
#define ADIZWATCH_IDENTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"

AW_BEGIN_DECLS

/* One state's block of ICAO 24-bit addresses. */
typedef struct aw_icao_state {
    uint32_t first, last; /* inclusive */
    const char *iso2;     /* ISO 3166-1 alpha-2 */
    const char *name;
} aw_icao_state;

/* The state an address is allocated to (the most specific block), or NULL. */
const aw_icao_state *aw_icao_state_of(uint32_t address);
int aw_icao_states_count(void);
const aw_icao_state *aw_icao_state_at(int i);
/* A track id that is an ICAO address: exactly 6 hex digits. Returns 0 and the address,
 * or -1 (a radar track number, a TIS-B "~" address...). */
int aw_icao_parse(const char *track, uint32_t *address);

/* One aircraft of the database. Strings are "" when the column is absent or empty. */
typedef struct aw_aircraft {
    char id[32];           /* ICAO address (lower case) or a radar track id */
    char registration[24];
    char operator_name[64];
    char type[64];         /* e.g. "Xian H-6K" */
    char icao_type[8];     /* e.g. "H6" */
    char cmpg[8];          /* "Civ", "Mil", "Pol", "Gov" */
    char nation[4];        /* ISO 3166-1 alpha-2, "" = from the address */
    char category[48];
    char airframe[48];     /* `$Airframe`: the aircraft flying this track, "" = not given */
    bool military;         /* CMPG is "Mil" */
} aw_aircraft;

typedef struct aw_aircraft_db aw_aircraft_db;

/* Load a plane-alert-db style CSV (header names matched without their $ and # marks,
 * case-insensitively; `$ICAO` is required). A malformed row is counted in *bad_rows and
 * skipped, its line number and reason given to fn (which may be NULL). Returns NULL with
 * a reason in err when the file cannot be read or has no ICAO column. */
aw_aircraft_db *aw_aircraft_db_load(const char *path,
                                    void (*fn)(long line, const char *reason, void *user),
                                    void *user, long *bad_rows, char *err, size_t errlen);
void aw_aircraft_db_free(aw_aircraft_db *db);
/* An empty database, to be filled by aw_aircraft_db_put; NULL without memory. */
aw_aircraft_db *aw_aircraft_db_new(void);
/* Add an entry (its id compared without case), replacing one with the same id; what a
 * feed says of an aircraft (readsb's dbFlags military bit) enters this way. Entries are
 * kept sorted as they come: meant for hundreds, not a whole registry. 0, or -1 without
 * memory. */
int aw_aircraft_db_put(aw_aircraft_db *db, const aw_aircraft *a);
size_t aw_aircraft_db_count(const aw_aircraft_db *db);
/* The entry for a track id (case-insensitive), or NULL. */
const aw_aircraft *aw_aircraft_db_find(const aw_aircraft_db *db, const char *id);

/* What is known of a track. Pointers are into static tables or the database. */
typedef struct aw_identity {
    const char *nation;        /* ISO 3166-1 alpha-2, or "" when unknown */
    const char *nation_name;   /* "" when unknown */
    const char *nation_source; /* "aircraft-db", "icao-address" or "unknown" */
    const char *type;          /* "" when unknown */
    const char *registration;
    bool military;
    bool unidentified;         /* no callsign and no squawk, or military */
} aw_identity;

/* Identify a track from its id, its latest callsign and squawk ("" when none), and the
 * database (may be NULL). */
void aw_identify(const aw_aircraft_db *db, const char *track, const char *callsign,
                 const char *squawk, aw_identity *out);

AW_END_DECLS
#endif
