/* test_identify.c -- nationality from the address allocation, the aircraft database,
 * and the "unidentified" rule. */
#include "adizwatch/identify.h"
#include "check.h"

static long bad_line;

static void on_bad(long line, const char *reason, void *user)
{
    (void)reason;
    (void)user;
    bad_line = line;
}

int main(void)
{
    /* The allocation: the states of the 30 Nov 2022 story, and the block edges. */
    CHECK_STR(aw_icao_state_of(0x71be17)->iso2, "KR");
    CHECK_STR(aw_icao_state_of(0x718000)->iso2, "KR");
    CHECK_STR(aw_icao_state_of(0x71ffff)->iso2, "KR");
    CHECK_STR(aw_icao_state_of(0x720000)->iso2, "KP");
    CHECK_STR(aw_icao_state_of(0x780000)->iso2, "CN");
    CHECK_STR(aw_icao_state_of(0x789abc)->iso2, "HK"); /* the smaller block wins */
    CHECK_STR(aw_icao_state_of(0x840000)->iso2, "JP");
    CHECK_STR(aw_icao_state_of(0x155555)->iso2, "RU");
    CHECK_STR(aw_icao_state_of(0x899000)->iso2, "TW");
    CHECK_STR(aw_icao_state_of(0xa00001)->iso2, "US");
    CHECK_STR(aw_icao_state_of(0x39b415)->name, "France"); /* the savan case's aircraft */
    CHECK(aw_icao_state_of(0x000000) == NULL);
    CHECK(aw_icao_state_of(0xb00000) == NULL); /* reserved */
    CHECK(aw_icao_states_count() >= 180);
    /* No two blocks overlap unless one lies inside the other. */
    int crossing = 0;
    for (int i = 0; i < aw_icao_states_count(); i++)
        for (int j = 0; j < aw_icao_states_count(); j++) {
            const aw_icao_state *a = aw_icao_state_at(i), *b = aw_icao_state_at(j);
            bool overlap = a->first <= b->last && b->first <= a->last;
            bool nested = (a->first >= b->first && a->last <= b->last) ||
                          (b->first >= a->first && b->last <= a->last);
            crossing += i != j && overlap && !nested;
        }
    CHECK(crossing == 0);

    uint32_t addr;
    CHECK(aw_icao_parse("71BE17", &addr) == 0 && addr == 0x71be17);
    CHECK(aw_icao_parse("T0012", &addr) == -1);
    CHECK(aw_icao_parse("71be1", &addr) == -1);
    CHECK(aw_icao_parse("71be170", &addr) == -1);
    CHECK(aw_icao_parse("~71be1", &addr) == -1);

    char err[256];
    long bad = 0;
    aw_aircraft_db *db = aw_aircraft_db_load(FIXTURES "/aircraft_db.csv", on_bad, NULL, &bad,
                                             err, sizeof err);
    CHECK(db != NULL);
    if (!db)
        return check_done("identify");
    CHECK(aw_aircraft_db_count(db) == 5);
    CHECK(bad == 1 && bad_line == 6);
    const aw_aircraft *rc = aw_aircraft_db_find(db, "AE1234");
    CHECK(rc && rc->military && strcmp(rc->operator_name, "United States Air Force, 1st Wing") == 0);
    CHECK(aw_aircraft_db_find(db, "nothere") == NULL);

    aw_identity id;
    aw_identify(db, "71be17", "", "", &id); /* a Korean AEW&C, silent */
    CHECK_STR(id.nation, "KR");
    CHECK_STR(id.nation_source, "icao-address");
    CHECK_STR(id.type, "Boeing 737 AEW&C");
    CHECK(id.military && id.unidentified);
    aw_identify(db, "t0012", "", "", &id); /* a radar track: nation from the database */
    CHECK_STR(id.nation, "CN");
    CHECK_STR(id.nation_source, "aircraft-db");
    CHECK_STR(id.type, "Xian H-6K");
    CHECK(id.military && id.unidentified);
    aw_identify(db, "840123", "ANA123", "2000", &id); /* an airliner talking to ATC */
    CHECK_STR(id.nation, "JP");
    CHECK(!id.military && !id.unidentified);
    aw_identify(db, "840124", "", "", &id); /* not in the database, transmitting nothing */
    CHECK_STR(id.nation, "JP");
    CHECK(!id.military && id.unidentified);
    aw_identify(NULL, "T0099", "", "", &id); /* a radar track nobody knows */
    CHECK_STR(id.nation, "");
    CHECK_STR(id.nation_source, "unknown");
    CHECK(id.unidentified);
    aw_aircraft_db_free(db);

    CHECK(aw_aircraft_db_load("/nonexistent/db.csv", NULL, NULL, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "/nonexistent/db.csv") != NULL);
    return check_done("identify");
}
