/*
 * cancel.h — the core's cancel callback (brop_cancel, brop_err.h) as the
 * glue answers it: a query cancel or a termination is pending. When the core
 * returned BROP_ECANCELED, it has freed its memory: brop_pg_raise_cancel
 * then processes the interrupt (57014, or 57P01 for a termination).
 */
#ifndef BROP_PG_CANCEL_H
#define BROP_PG_CANCEL_H

#include "postgres.h"
#include "miscadmin.h"

#include "brop.h"

static inline int
brop_pg_cancel_requested(void *arg)
{
	return QueryCancelPending || ProcDiePending;
}

static const brop_cancel brop_pg_cancel = {brop_pg_cancel_requested, NULL};

static inline void
brop_pg_raise_cancel(void)
{
	CHECK_FOR_INTERRUPTS();
	/* the interrupt was held off: still no result */
	ereport(ERROR,
			(errcode(ERRCODE_QUERY_CANCELED),
			 errmsg("canceling statement due to user request")));
}

#endif /* BROP_PG_CANCEL_H */
