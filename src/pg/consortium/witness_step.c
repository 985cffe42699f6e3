/*
 * witness_step.c — brop.witness_step(): a member verifies the blocks of its
 * ledger copy (replicated from the sequencer) before it trusts them, and
 * cosigns each block's checkpoint.
 *
 * For each block after the last one verified, in order: its number, first
 * position and previous hash follow the last; every entry at its positions
 * is there once, in its place, with its leaf hash recomputed from its
 * fields and its organisation's signature verified; the tree those leaves
 * extend (kept as its right edge, so old leaves are not read again) has the
 * block's root; the checkpoint states exactly the block and its hash is the
 * block's. Then brop_witness_add checks the checkpoint's signature and
 * cosigns it: the tree grew from the last cosigned one by the leaves
 * verified here, so it is consistent by construction.
 *
 * A block that does not verify halts the log (brop.status, NOTIFY
 * brop_misbehaviour): the witness never cosigns what it could not check.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "consortium/consortium.h"

#define EDGE_HEADER 8

static SPIPlanPtr latest_plan = NULL;
static SPIPlanPtr state_plan = NULL;
static SPIPlanPtr block_plan = NULL;
static SPIPlanPtr leaves_plan = NULL;
static SPIPlanPtr sync_plan = NULL;
static SPIPlanPtr pending_plan = NULL;

/*
 * A member's brop.pending has the sequencer's inserts only. The blocks that
 * replication brings clear it as they commit (trigger member_pending); the
 * first copy, made table by table, may hold pending rows of entries its copy
 * of brop.log_leaf shows sealed: each verified block clears its own.
 */
static void
clear_pending(int64 block, int64 first, int64 end)
{
	Oid			types[3] = {INT8OID, INT8OID, INT8OID};
	Datum		args[3] = {Int64GetDatum(block), Int64GetDatum(first), Int64GetDatum(end)};

	/* the block's leaves by their positions (the primary key): the cost does not grow with the log */
	if (SPI_execute_plan(brop_spi_plan(&pending_plan,
									   "DELETE FROM brop.pending p WHERE EXISTS (SELECT FROM brop.log_leaf l"
									   "  WHERE l.position OPERATOR(pg_catalog.>=) $2 AND l.position OPERATOR(pg_catalog.<) $3"
									   "    AND l.entry OPERATOR(pg_catalog.=) p.entry)"
									   " OR EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry OPERATOR(pg_catalog.=) p.entry"
									   "  AND x.after_block OPERATOR(pg_catalog.=) $1)",
									   3, types), args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from brop.pending");
}

/*
 * A member's first copy is made table by table, each in its own
 * transaction: until every table of the subscription is ready, a block may
 * be there without its leaves. The witness waits for the copy.
 */
static bool
copy_in_progress(void)
{
	if (SPI_execute_plan(brop_spi_plan(&sync_plan,
									   "SELECT FROM pg_catalog.pg_subscription_rel r"
									   " JOIN pg_catalog.pg_subscription s ON s.oid OPERATOR(pg_catalog.=) r.srsubid"
									   " WHERE s.subname OPERATOR(pg_catalog.=) 'brop_ledger'"
									   "   AND s.subdbid OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_database"
									   "     WHERE datname OPERATOR(pg_catalog.=) pg_catalog.current_database())"
									   "   AND r.srsubstate OPERATOR(pg_catalog.<>) 'r' LIMIT 1",
									   0, NULL), NULL, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_subscription_rel");
	return SPI_processed > 0;
}

/* The edge: the size (8 bytes, big-endian), then the builder's subtrees for its set bits, largest first. */
static bytea *
edge_pack(const brop_merkle_builder *b)
{
	int			n = 0;
	bytea	   *out;
	unsigned char *p;

	for (int i = 0; i < BROP_MERKLE_MAX_LEVELS; i++)
		if (b->size & (UINT64_C(1) << i))
			n++;
	out = (bytea *) palloc(VARHDRSZ + EDGE_HEADER + n * BROP_MERKLE_HASH_BYTES);
	SET_VARSIZE(out, VARHDRSZ + EDGE_HEADER + n * BROP_MERKLE_HASH_BYTES);
	p = (unsigned char *) VARDATA(out);
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char) (b->size >> (56 - 8 * i));
	p += EDGE_HEADER;
	for (int i = BROP_MERKLE_MAX_LEVELS - 1; i >= 0; i--)
		if (b->size & (UINT64_C(1) << i))
		{
			memcpy(p, b->stack[i], BROP_MERKLE_HASH_BYTES);
			p += BROP_MERKLE_HASH_BYTES;
		}
	return out;
}

static bool
edge_unpack(bytea *e, brop_merkle_builder *b)
{
	const unsigned char *p = (unsigned char *) VARDATA_ANY(e);
	size_t		len = VARSIZE_ANY_EXHDR(e);
	size_t		need = EDGE_HEADER;

	brop_merkle_builder_init(b);
	if (len < EDGE_HEADER)
		return false;
	for (int i = 0; i < 8; i++)
		b->size = (b->size << 8) | p[i];
	for (int i = 0; i < BROP_MERKLE_MAX_LEVELS; i++)
		if (b->size & (UINT64_C(1) << i))
			need += BROP_MERKLE_HASH_BYTES;
	if (len != need)
		return false;
	p += EDGE_HEADER;
	for (int i = BROP_MERKLE_MAX_LEVELS - 1; i >= 0; i--)
		if (b->size & (UINT64_C(1) << i))
		{
			memcpy(b->stack[i], p, BROP_MERKLE_HASH_BYTES);
			p += BROP_MERKLE_HASH_BYTES;
		}
	return true;
}

typedef struct state
{
	char	   *origin;
	int64		cosigned;		/* size of the latest checkpoint cosigned */
	unsigned char root[BROP_DIGEST_BYTES];
	int64		block;			/* last block verified, 0: none */
	unsigned char block_hash[BROP_DIGEST_BYTES];
	brop_merkle_builder tree;	/* the tree of that block */
	bool		halted;
} state;

/* The origin of this node's ledger copy (its latest checkpoint's first line); NULL without blocks. */
static char *
copy_origin(void)
{
	char	   *cp,
			   *nl;

	if (SPI_execute_plan(brop_spi_plan(&latest_plan,
									   "SELECT checkpoint FROM brop.block ORDER BY number DESC LIMIT 1", 0, NULL),
						 NULL, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	if (SPI_processed == 0)
		return NULL;
	cp = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	nl = strchr(cp, '\n');
	if (nl != NULL)
		*nl = '\0';
	return cp;
}

static void
load_state(state *s)
{
	Oid			type = TEXTOID;
	Datum		arg = CStringGetTextDatum(s->origin);
	HeapTuple	tup;
	TupleDesc	desc;
	bool		isnull;
	Datum		d;

	if (SPI_execute_plan(brop_spi_plan(&state_plan,
									   "SELECT tree_size, root, block, block_hash, edge, halted_at IS NOT NULL"
									   " FROM brop.witness_log WHERE origin OPERATOR(pg_catalog.=) $1 FOR UPDATE",
									   1, &type), &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.witness_log");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this node's ledger copy is of log \"%s\", which the witness does not watch",
						brop_pg_quote_cstring(s->origin)),
				 errhint("Watch it with brop.witness_watch(origin, log_key).")));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	s->cosigned = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
	d = SPI_getbinval(tup, desc, 2, &isnull);
	if (!isnull)
		memcpy(s->root, DatumGetPointer(d), BROP_DIGEST_BYTES);
	d = SPI_getbinval(tup, desc, 3, &isnull);
	s->block = isnull ? 0 : DatumGetInt64(d);
	d = SPI_getbinval(tup, desc, 4, &isnull);
	if (!isnull)
		memcpy(s->block_hash, DatumGetPointer(d), BROP_DIGEST_BYTES);
	d = SPI_getbinval(tup, desc, 5, &isnull);
	if (s->block == 0 || isnull)
	{
		s->block = 0;
		brop_merkle_builder_init(&s->tree);
	}
	else if (!edge_unpack(DatumGetByteaPP(d), &s->tree))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the witness's state of log \"%s\" is corrupted", brop_pg_quote_cstring(s->origin))));
	s->halted = DatumGetBool(SPI_getbinval(tup, desc, 6, &isnull));
}

/* The first block after block number, if any. */
static bool
next_block(int64 number, brop_block_row *b)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(number);

	if (SPI_execute_plan(brop_spi_plan(&block_plan,
									   "SELECT " BROP_BLOCK_COLUMNS " FROM brop.block"
									   " WHERE number OPERATOR(pg_catalog.>) $1 ORDER BY number LIMIT 1",
									   1, &type), &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	if (SPI_processed == 0)
		return false;
	brop_block_row_read(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, b);
	return true;
}

/*
 * What parallel workers found of the entries of the blocks one call verifies
 * (brop_entry_verifier): the leaves are then the stored digests, which the
 * workers recomputed.
 */
typedef struct checked_entries
{
	bool		done;			/* the workers checked the range */
	int64		end;			/* positions before end were checked */
	int64		bad;			/* the first bad one, -1: none */
	char	   *problem;
} checked_entries;

static SPIPlanPtr digests_plan = NULL;
static SPIPlanPtr end_plan = NULL;

/* Append the block's leaves to s->tree, each entry checked; NULL or what is wrong. */
static char *
verify_leaves(state *s, const brop_block_row *b, const checked_entries *ce)
{
	Oid			types[2] = {INT8OID, INT8OID};
	Datum		args[2] = {Int64GetDatum(b->first), Int64GetDatum(b->size)};
	Portal		cur;
	int64		expect = b->first;
	char	   *problem = NULL;

	bool		stored = ce->done && b->size <= ce->end;

	cur = SPI_cursor_open(NULL, stored ?
						  brop_spi_plan(&digests_plan,
										"SELECT l.position, l.block, e.digest FROM brop.log_leaf l"
										" LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) l.entry"
										" WHERE l.position OPERATOR(pg_catalog.>=) $1 AND l.position OPERATOR(pg_catalog.<) $2"
										" ORDER BY l.position", 2, types) :
						  brop_spi_plan(&leaves_plan,
										"SELECT l.position, l.block, e FROM brop.log_leaf l"
										" LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) l.entry"
										" WHERE l.position OPERATOR(pg_catalog.>=) $1 AND l.position OPERATOR(pg_catalog.<) $2"
										" ORDER BY l.position", 2, types), args, NULL, true);
	while (problem == NULL)
	{
		SPI_cursor_fetch(cur, true, 1000);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed && problem == NULL; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			int64		pos = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
			int64		blk = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
			Datum		row = SPI_getbinval(tup, desc, 3, &isnull);
			unsigned char leaf[BROP_DIGEST_BYTES];
			const char *bad;

			CHECK_FOR_INTERRUPTS();
			if (pos != expect)
				problem = psprintf("position " INT64_FORMAT " has no entry", expect);
			else if (blk != b->number)
				problem = psprintf("position " INT64_FORMAT " is recorded in block " INT64_FORMAT, pos, blk);
			else if (isnull)
				problem = psprintf("the entry at position " INT64_FORMAT " is missing", pos);
			else if (stored && pos == ce->bad)
				problem = psprintf("the entry at position " INT64_FORMAT ": %s", pos, ce->problem);
			else if (stored)
			{
				memcpy(leaf, DatumGetPointer(row), BROP_DIGEST_BYTES);
				brop_pg_check(brop_merkle_builder_append(&s->tree, leaf), "tree");
			}
			else if ((bad = brop_entry_check(DatumGetHeapTupleHeader(row), leaf, true)) != NULL)
				problem = psprintf("the entry at position " INT64_FORMAT ": %s", pos, bad);
			else
				brop_pg_check(brop_merkle_builder_append(&s->tree, leaf), "tree");
			expect++;
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(cur);
	if (problem == NULL && expect != b->size)
		problem = psprintf("position " INT64_FORMAT " has no entry", expect);
	return problem;
}

/* One block: NULL when verified (and cosigned if it grew the tree), else what is wrong. */
static char *
step_block(state *s, const brop_block_row *b, const checked_entries *ce)
{
	brop_merkle_hash root;
	text	   *body;
	unsigned char h[BROP_DIGEST_BYTES];
	const char *note = VARDATA_ANY(b->checkpoint);
	size_t		notelen = VARSIZE_ANY_EXHDR(b->checkpoint);
	char	   *problem;
	brop_witness_block wb;

	if (b->number != s->block + 1)
		return psprintf("block " INT64_FORMAT " follows block " INT64_FORMAT, b->number, s->block);
	if (b->first != (int64) s->tree.size || b->size <= b->first)
		return psprintf("block " INT64_FORMAT " does not start where block " INT64_FORMAT " ended", b->number, s->block);
	if (s->block == 0 ? b->has_prev : (!b->has_prev || memcmp(b->prev, s->block_hash, BROP_DIGEST_BYTES) != 0))
		return psprintf("block " INT64_FORMAT ": its previous hash is not the hash of the block before", b->number);
	problem = verify_leaves(s, b, ce);
	if (problem != NULL)
		return psprintf("block " INT64_FORMAT ": %s", b->number, problem);
	brop_pg_check(brop_merkle_builder_root(&s->tree, root), "tree");
	if (memcmp(root, b->root, BROP_DIGEST_BYTES) != 0)
		return psprintf("block " INT64_FORMAT ": its root is not the root of its entries", b->number);
	body = brop_block_checkpoint_body(s->origin, (uint64) b->size, b->root, b->number, b->when,
									  b->has_prev ? b->prev : NULL);
	if (brop_note_text_length(note, notelen) != VARSIZE(body) - VARHDRSZ ||
		memcmp(note, VARDATA(body), VARSIZE(body) - VARHDRSZ) != 0)
		return psprintf("block " INT64_FORMAT ": its checkpoint does not state the block", b->number);
	brop_pg_check(brop_sha256(h, (unsigned char *) VARDATA(body), VARSIZE(body) - VARHDRSZ), "hash");
	if (memcmp(h, b->hash, BROP_DIGEST_BYTES) != 0)
		return psprintf("block " INT64_FORMAT ": its hash is not the hash of its checkpoint", b->number);

	wb.number = b->number;
	memcpy(wb.hash, b->hash, BROP_DIGEST_BYTES);
	wb.edge = edge_pack(&s->tree);
	if (b->size < s->cosigned)
		return NULL;			/* cosigned before; only its tree was rebuilt */
	if (b->size == s->cosigned && memcmp(root, s->root, BROP_DIGEST_BYTES) != 0)
		return psprintf("block " INT64_FORMAT ": its root is not the one the witness cosigned at size " INT64_FORMAT,
						b->number, s->cosigned);
	if (brop_witness_add(b->checkpoint, s->cosigned, NULL, &wb) == NULL)
	{
		s->halted = true;		/* a fork, kept */
		return NULL;
	}
	s->cosigned = b->size;
	return NULL;
}

/*
 * A long run of blocks (a member's first copy, a resync, a member that was
 * down): its entries are checked first by parallel workers, on every core
 * (the ledger's brop_entry_verifier, as brop.verify_ledger does); the blocks
 * are then verified in order from the stored digests. Below
 * WITNESS_PARALLEL_MIN entries, or without workers, each block checks its
 * own entries.
 */
#define WITNESS_PARALLEL_MIN 4096

static void
check_entries(const state *s, int32 max_blocks, checked_entries *ce)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(s->block + max_blocks);
	bool		isnull;
	Datum		d;
	brop_entry_verifier *ev;
	int64		entry;

	memset(ce, 0, sizeof *ce);
	ce->bad = -1;
	if (SPI_execute_plan(brop_spi_plan(&end_plan,
									   "SELECT pg_catalog.max(tree_size) FROM brop.block WHERE number OPERATOR(pg_catalog.<=) $1",
									   1, &type), &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull || DatumGetInt64(d) - (int64) s->tree.size < WITNESS_PARALLEL_MIN)
		return;
	ev = brop_entry_verifier_start((int64) s->tree.size, DatumGetInt64(d), true);
	if (ev == NULL)
		return;
	ce->done = true;
	ce->end = DatumGetInt64(d);
	/* how many workers it got depends on the free slots: said apart, at DEBUG2 */
	elog(DEBUG1, "brop.witness_step: parallel workers and this process check the entries at positions " INT64_FORMAT
		 " to " INT64_FORMAT, (int64) s->tree.size, ce->end - 1);
	elog(DEBUG2, "brop.witness_step: %d parallel workers", brop_entry_verifier_workers(ev));
	if (!brop_entry_verifier_finish(ev, ce->end, NULL, NULL, &ce->bad, &entry, &ce->problem))
		ce->bad = -1;
}

/* brop.witness_step(max_blocks integer DEFAULT 100) RETURNS bigint */
PG_FUNCTION_INFO_V1(brop_witness_step);
Datum
brop_witness_step(PG_FUNCTION_ARGS)
{
	int32		max_blocks = PG_GETARG_INT32(0);
	int64		done = 0;
	state		s;
	brop_block_row b;
	checked_entries ce;
	brop_owner_state st;
	MemoryContext per_block,
				old;

	if (max_blocks < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_blocks must be at least 1")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	brop_become_owner(&st);
	memset(&s, 0, sizeof s);
	s.origin = copy_origin();
	if (s.origin == NULL || copy_in_progress())
	{
		brop_restore_user(&st);
		SPI_finish();
		PG_RETURN_INT64(0);
	}
	load_state(&s);
	check_entries(&s, max_blocks, &ce);
	per_block = AllocSetContextCreate(CurrentMemoryContext, "brop witness block", ALLOCSET_DEFAULT_SIZES);
	while (!s.halted && done < max_blocks && next_block(s.block, &b))
	{
		char	   *problem;
		int64		before = s.cosigned;

		old = MemoryContextSwitchTo(per_block);
		problem = step_block(&s, &b, &ce);
		if (problem != NULL)
		{
			brop_witness_halt(s.origin, psprintf("%s (found by brop.witness_step)", problem));
			ereport(WARNING,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the witness stopped cosigning log \"%s\"", brop_pg_quote_cstring(s.origin)),
					 errdetail("In this node's ledger copy, %s.", problem)));
			s.halted = true;
		}
		else
		{
			clear_pending(b.number, b.first, b.size);
			s.block = b.number;
			memcpy(s.block_hash, b.hash, BROP_DIGEST_BYTES);
			if (s.cosigned > before)
				done++;
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(per_block);
	}
	MemoryContextDelete(per_block);
	brop_restore_user(&st);
	SPI_finish();
	PG_RETURN_INT64(done);
}
