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

static SPIPlanPtr
prepare_kept(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types, int options)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(sql, nargs, (Oid *) types, options);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		*plan = p;
	}
	return *plan;
}

SPIPlanPtr
brop_spi_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types)
{
	return prepare_kept(plan, sql, nargs, types, 0);
}

/*
 * The same, always run with its generic plan: for a statement whose custom
 * plans look cheaper only because they see the values (an array's length),
 * so that the plan cache would plan it again at every execution.
 */
SPIPlanPtr
brop_spi_plan_generic(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types)
{
	return prepare_kept(plan, sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);
}
