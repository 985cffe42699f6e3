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
 * progress every brop.progress_interval rows (100,000 by default), and the
 * count at the end.
 *
 * Capture 'plugin': the rows cross the WAL to the output plugin, which
 * registers decoded changes only. The registering transaction writes each
 * row as a transactional logical decoding message (prefix
 * BROP_EXISTING_MESSAGE: the table's OID, 4 bytes big-endian, then the
 * row's heap tuple, its TOASTed values inline), after its brop.registration
 * row; the plugin makes each a row line of op "existing" whose version is
 * the message's LSN (decoding/plugin.c), and takes such messages only from
 * the transaction that registered the table. A partitioned table with rows
 * is refused: the plugin registers no partition's changes yet.
 */
#include "postgres.h"

#include "access/heaptoast.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "replication/message.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "registration/registration.h"


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

static void
progress(Relation rel, int64 n)
{
	/* every brop.progress_interval rows, as the ledger's long work (0: none) */
	if (brop_progress_interval > 0 && n % brop_progress_interval == 0)
		ereport(NOTICE,
				(errmsg("registering the existing rows of \"%s\": " INT64_FORMAT " so far",
						RelationGetRelationName(rel), n)));
}

static void
done(Relation rel, int64 n)
{
	if (n > 0)
		ereport(NOTICE,
				(errmsg("registered " INT64_FORMAT " existing row%s of \"%s\"", n, n == 1 ? "" : "s",
						RelationGetRelationName(rel))));
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
			progress(rel, ++n);
		}
		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		if (part != rel)
			table_close(part, NoLock);
	}
	UnregisterSnapshot(snap);
	MemoryContextDelete(row_cxt);
	done(rel, n);
	return n;
}

int64
brop_register_existing_messages(Relation rel)
{
	Snapshot	snap;
	MemoryContext row_cxt;
	TupleTableSlot *slot;
	TableScanDesc scan;
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			relid = RelationGetRelid(rel);
	int64		n = 0;

	if (rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
	{
		brop_register_refuse_rows(rel, quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
																 RelationGetRelationName(rel)));
		return 0;
	}
	snap = after_the_lock();
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "brop existing row", ALLOCSET_DEFAULT_SIZES);
	slot = table_slot_create(rel, NULL);
	scan = table_beginscan(rel, snap, 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		MemoryContext old;
		bool		should_free;
		HeapTuple	tup;
		StringInfoData msg;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(row_cxt);
		tup = ExecFetchSlotHeapTuple(slot, false, &should_free);
		if (HeapTupleHasExternal(tup))
			tup = toast_flatten_tuple(tup, desc);
		initStringInfo(&msg);
		for (int i = 0; i < 4; i++)
			appendStringInfoChar(&msg, (char) (relid >> (24 - 8 * i)));
		appendBinaryStringInfo(&msg, (char *) tup->t_data, tup->t_len);
		(void) brop_log_logical_message(BROP_EXISTING_MESSAGE, msg.data, msg.len, true);
		brop_wipe(msg.data, msg.len);
		MemoryContextSwitchTo(old);
		MemoryContextReset(row_cxt);
		progress(rel, ++n);
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snap);
	MemoryContextDelete(row_cxt);
	done(rel, n);
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
					 errmsg("cannot register partitioned table \"%s\" through the output plugin: it has rows",
							RelationGetRelationName(rel)),
					 errdetail("The output plugin does not register the rows of partitions yet."),
					 errhint("Register %s with capture => 'trigger' where the ledger is its own database, or register each partition. docs/registration.md, \"Rows already in the table\".",
							 qualified)));
	}
	UnregisterSnapshot(snap);
}
