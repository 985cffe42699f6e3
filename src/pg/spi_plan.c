/*
 * spi_plan.c — statements prepared once per backend and kept for its life.
 *
 * brop's statements name every object with its schema, so a kept plan means
 * the same thing whatever the caller's search_path; the plan cache replans
 * them after DDL on the tables they read.
 */
#include "postgres.h"

#include "executor/spi.h"

#include "brop_pg.h"

SPIPlanPtr
brop_spi_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, (Oid *) types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		*plan = p;
	}
	return *plan;
}
