/* airports_table.h -- the generated airport table (src/theater/airports_data.c). */
#ifndef ADIZWATCH_THEATER_AIRPORTS_TABLE_H
#define ADIZWATCH_THEATER_AIRPORTS_TABLE_H

#include "adizwatch/theater.h"

extern const aw_airport aw_airports_data[];
extern const int aw_airports_data_count;

#endif
