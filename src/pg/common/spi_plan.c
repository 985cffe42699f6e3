/*
 * spi_plan.c — statements prepared once per backend and kept for its life.
 *
 * brop's statements name every object with its schema, so a kept plan means
 * the same thing whatever the caller's search_path; the plan cache replans
 * them after DDL on the tables they read. They are kept under plans.c's
 * policy: freed when the extension is dropped, prepared again after.
 */
#include "postgres.h"

#include "executor/spi.h"

#include "common/brop_pg.h"

SPIPlanPtr
brop_spi_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types)
{
	return brop_kept_plan(plan, sql, nargs, types, 0);
}

/*
 * The same, always run with its generic plan: for a statement whose custom
 * plans look cheaper only because they see the values (an array's length),
 * so that the plan cache would plan it again at every execution.
 */
SPIPlanPtr
brop_spi_plan_generic(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types)
{
	return brop_kept_plan(plan, sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);
}
