/*
 * existing.c — the rows a table already holds when brop.register_table()
 * registers it (docs/registration.md, "Rows already in the table").
 *
 * Capture 'trigger': in the registering transaction, once the capture
 * triggers exist, every row of the table (of each of its partitions) goes
 * into the transaction's capture log as a record of operation 'e'; the drain
 * makes each the next version of its chain (version 1 of a new one) with op
 * "existing", signed in batches as any captured change. The scan reads the
 * heap directly, a row at a time, under a snapshot taken after the lock:
 * no privilege or row security policy hides a row from it, its memory is
 * one row's, and it answers a cancel at every row. A NOTICE reports its
 * progress every EXISTING_NOTICE_EVERY rows, and the count at the end.
 *
 * Capture 'plugin': logical decoding registers changes made after the
 * registration only, so a table that holds a row is refused.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "registration/registration.h"

/* rows between two progress NOTICEs (docs/registration.md) */
#define EXISTING_NOTICE_EVERY 100000

/*
 * The tables that hold rel's rows: rel itself, or the leaf partitions of a
 * partitioned table, locked against writes (SHARE ROW EXCLUSIVE, as CREATE
 * TRIGGER on the partitioned table locks them). ERROR for a foreign
 * partition, whose rows brop cannot read.
 */
static List *
row_tables(Relation rel)
{
	List	   *all;
	List	   *leaves = NIL;
	ListCell   *lc;

	if (rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		return list_make1_oid(RelationGetRelid(rel));
	all = find_all_inheritors(RelationGetRelid(rel), ShareRowExclusiveLock, NULL);
	foreach(lc, all)
	{
		Oid			part = lfirst_oid(lc);
		char		kind = get_rel_relkind(part);

		if (kind == RELKIND_RELATION)
			leaves = lappend_oid(leaves, part);
		else if (kind != RELKIND_PARTITIONED_TABLE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot register the rows of partition \"%s\" of \"%s\"", get_rel_name(part),
							RelationGetRelationName(rel)),
					 errdetail("Only a partition that is a table can be registered.")));
	}
	list_free(all);
	return leaves;
}

/*
 * A snapshot that shows every row committed before the lock, and this
 * transaction's own: taken after it, whatever the isolation level (the
 * transaction's snapshot at REPEATABLE READ may be older than the lock).
 */
static Snapshot
after_the_lock(void)
{
	CommandCounterIncrement();
	return RegisterSnapshot(GetLatestSnapshot());
}

int64
brop_register_existing_rows(Relation rel, const char *name, int64 entry, Datum *keys, int nkeys, Datum *cols,
							int ncols, const char *subject, int profile)
{
	List	   *tables = row_tables(rel);
	Snapshot	snap = after_the_lock();
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "brop existing row", ALLOCSET_DEFAULT_SIZES);
	int64		n = 0;
	ListCell   *lc;

	foreach(lc, tables)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	part = relid == RelationGetRelid(rel) ? rel : table_open(relid, NoLock);
		registration reg;
		TupleTableSlot *slot;
		TableScanDesc scan;

		/* the columns by name in this table: a partition may number them otherwise */
		memset(&reg, 0, sizeof reg);
		reg.relid = relid;
		reg.name = pstrdup(name);
		reg.entry = entry;
		reg.profile = profile;
		brop_registration_columns(&reg, part, keys, nkeys, cols, ncols, subject);

		slot = table_slot_create(part, NULL);
		scan = table_beginscan(part, snap, 0, NULL);
		while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
		{
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(row_cxt);
			brop_capture_existing(&reg, slot);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
			if (++n % EXISTING_NOTICE_EVERY == 0)
				ereport(NOTICE,
						(errmsg("registering the existing rows of \"%s\": " INT64_FORMAT " so far",
								RelationGetRelationName(rel), n)));
		}
		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		if (part != rel)
			table_close(part, NoLock);
	}
	UnregisterSnapshot(snap);
	MemoryContextDelete(row_cxt);
	if (n > 0)
		ereport(NOTICE,
				(errmsg("registered " INT64_FORMAT " existing row%s of \"%s\"", n, n == 1 ? "" : "s",
						RelationGetRelationName(rel))));
	return n;
}

void
brop_register_refuse_rows(Relation rel, const char *qualified)
{
	List	   *tables = row_tables(rel);
	Snapshot	snap = after_the_lock();
	ListCell   *lc;

	foreach(lc, tables)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	part = relid == RelationGetRelid(rel) ? rel : table_open(relid, NoLock);
		TupleTableSlot *slot = table_slot_create(part, NULL);
		TableScanDesc scan = table_beginscan(part, snap, 0, NULL);
		bool		has_row = table_scan_getnextslot(scan, ForwardScanDirection, slot);

		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		if (part != rel)
			table_close(part, NoLock);
		if (has_row)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot register table \"%s\" through the output plugin: it has rows",
							RelationGetRelationName(rel)),
					 errdetail("Logical decoding registers the changes made after the registration; the rows already in the table would never reach the ledger."),
					 errhint("Register %s while it is empty, then load its rows; or register it with capture => 'trigger' where the ledger is its own database. docs/registration.md, \"Rows already in the table\", gives the steps.",
							 qualified)));
	}
	UnregisterSnapshot(snap);
}
