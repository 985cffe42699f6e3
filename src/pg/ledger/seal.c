/*
 * seal.c — brop.seal(): the committed pending entries become the next
 * positions of the Merkle log and one block, with a signed checkpoint
 * (docs/ledger.md, docs/formats.md "Blocks and checkpoints").
 *
 * Sealers serialize on an EXCLUSIVE lock of brop.block (readers and
 * submitters are not blocked); everything a seal writes commits or rolls
 * back at once, so a crash loses no position and repeats none.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "ledger/ledger.h"

#define FETCH_BATCH 10000

/* Take the pending entries: expired ones aside, the others in id order. */
#define MOVE_SQL \
	"WITH taken AS (" \
	"  DELETE FROM brop.pending RETURNING entry AS id, expires_block)," \
	" expired AS (" \
	"  INSERT INTO brop.entry_expired (entry, after_block)" \
	"  SELECT id, $2 OPERATOR(pg_catalog.-) 1 FROM taken WHERE expires_block OPERATOR(pg_catalog.<) $2" \
	"  RETURNING entry)," \
	" sealed AS (" \
	"  INSERT INTO brop.log_leaf (position, entry, block)" \
	"  SELECT $1 OPERATOR(pg_catalog.+) pg_catalog.row_number() OVER (ORDER BY id) OPERATOR(pg_catalog.-) 1, id, $2" \
	"  FROM taken WHERE expires_block IS NULL OR expires_block OPERATOR(pg_catalog.>=) $2" \
	"  RETURNING position)" \
	" SELECT (SELECT pg_catalog.count(*) FROM sealed), (SELECT pg_catalog.count(*) FROM expired)"

#define LEAVES_SQL \
	"SELECT e.digest FROM brop.log_leaf l JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) l.entry" \
	" WHERE l.position OPERATOR(pg_catalog.>=) $1 ORDER BY l.position"

#define TILE_SQL \
	"INSERT INTO brop.log_tile (level, idx, hashes) VALUES ($1, $2, $3)" \
	" ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes"

#define BLOCK_SQL \
	"INSERT INTO brop.block (number, first_position, tree_size, root, prev_hash, sealed_at, checkpoint, hash)" \
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *"

/*
 * The pending rows a seal would take that no submit wrote: naming no entry,
 * or an entry already sealed or expired, or queued twice, or with another
 * expiry block than the entry's. One index probe per table and row (sub-
 * plans, never a join that could scan brop.entry whole).
 */
#define PENDING_SQL \
	"SELECT s.entry, s.eexp IS NULL, s.position, s.expired, s.copies, s.pexp, s.eexp FROM (" \
	" SELECT p.entry, COALESCE(p.expires_block, -1) AS pexp," \
	"  (SELECT COALESCE(e.expires_block, -1) FROM brop.entry e WHERE e.id OPERATOR(pg_catalog.=) p.entry) AS eexp," \
	"  (SELECT l.position FROM brop.log_leaf l WHERE l.entry OPERATOR(pg_catalog.=) p.entry) AS position," \
	"  EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry OPERATOR(pg_catalog.=) p.entry) AS expired," \
	"  pg_catalog.count(*) OVER (PARTITION BY p.entry) AS copies" \
	" FROM brop.pending p OFFSET 0) s" \
	" WHERE s.eexp IS NULL OR s.position IS NOT NULL OR s.expired OR s.copies OPERATOR(pg_catalog.>) 1" \
	"    OR s.pexp OPERATOR(pg_catalog.<>) s.eexp" \
	" ORDER BY s.entry LIMIT 1"

/* Rows of brop.log_leaf and brop.block beyond the latest block's tree size $1. */
#define END_SQL \
	"SELECT (SELECT pg_catalog.min(l.position) FROM brop.log_leaf l WHERE l.position OPERATOR(pg_catalog.>=) $1)," \
	" b.number, b.tree_size FROM (SELECT) o LEFT JOIN LATERAL (SELECT b.number, b.tree_size FROM brop.block b" \
	"  WHERE b.tree_size OPERATOR(pg_catalog.>) $1 ORDER BY b.tree_size LIMIT 1) b ON true"

static SPIPlanPtr tile_plan = NULL;

static void refuse(const char *detail, const char *fmt,...) pg_attribute_printf(2, 3);

/* A row that no submit or seal wrote stops the seal, named. */
static void
refuse(const char *detail, const char *fmt,...)
{
	char		msg[256];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg_internal("%s", msg),
			 errdetail_internal("%s", detail),
			 errhint("Run brop.verify_ledger() to find the first bad position.")));
}

static int64
spi_int8(int row, int col, bool *isnull)
{
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull));
}

/*
 * Before anything is taken: the rows a seal builds on are as seals and
 * submits left them, or the seal stops naming the first that is not (it
 * would fail later with an error naming none, or build on it).
 */
static void
check_before_seal(uint64 size, int64 latest)
{
	static SPIPlanPtr end_plan = NULL;
	static SPIPlanPtr pending_plan = NULL;
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum((int64) size);
	bool		isnull;
	int			level;
	int64		index;

	if (SPI_execute_plan(brop_spi_plan(&end_plan, END_SQL, 1, &type), &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.log_leaf");
	{
		int64		position = spi_int8(0, 1, &isnull);

		if (!isnull)
			refuse(psprintf("The latest block, " INT64_FORMAT ", ends at size " UINT64_FORMAT
							"; a seal writes its block's positions and the block together.", latest, size),
				   "position " INT64_FORMAT " of brop.log_leaf lies beyond the log's " UINT64_FORMAT " leaves",
				   position, size);
	}
	{
		int64		number = spi_int8(0, 2, &isnull);

		if (!isnull)
			refuse(psprintf("The latest block, " INT64_FORMAT ", ends at size " UINT64_FORMAT
							"; tree sizes grow with block numbers.", latest, size),
				   "block " INT64_FORMAT " has tree size " INT64_FORMAT ", beyond the log's " UINT64_FORMAT " leaves",
				   number, spi_int8(0, 3, &isnull), size);
	}

	if (SPI_execute_plan(brop_spi_plan(&pending_plan, PENDING_SQL, 0, NULL), NULL, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.pending");
	if (SPI_processed == 1)
	{
		int64		entry = spi_int8(0, 1, &isnull);
		bool		missing = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		int64		position = spi_int8(0, 3, &isnull);
		bool		sealed = !isnull;
		bool		expired = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
		int64		copies = spi_int8(0, 5, &isnull);
		int64		pexp = spi_int8(0, 6, &isnull);
		int64		eexp = spi_int8(0, 7, &isnull);
		const char *detail = "brop.submit writes one row of brop.pending per new entry; a seal takes it.";

		if (missing)
			refuse(detail, "brop.pending names entry " INT64_FORMAT ", which does not exist", entry);
		if (sealed)
			refuse(detail, "brop.pending names entry " INT64_FORMAT ", already sealed at position " INT64_FORMAT,
				   entry, position);
		if (expired)
			refuse(detail, "brop.pending names entry " INT64_FORMAT ", already expired", entry);
		if (copies > 1)
			refuse(detail, "brop.pending names entry " INT64_FORMAT " in " INT64_FORMAT " rows", entry, copies);
		refuse(detail, "brop.pending gives entry " INT64_FORMAT " the expiry block %s, not its own %s", entry,
			   pexp < 0 ? "none" : psprintf(INT64_FORMAT, pexp), eexp < 0 ? "none" : psprintf(INT64_FORMAT, eexp));
	}

	if (brop_tiles_beyond(size, false, &level, &index))
		refuse("Each seal writes the tiles of the positions it gives; a seal that reached this one could not store its own.",
			   "tile (%d, " INT64_FORMAT ") of the Merkle log lies beyond the log's " UINT64_FORMAT " leaves",
			   level, index, size);
}

static int
store_tile(void *ctx, unsigned level, uint64_t index, const brop_merkle_hash *hashes, unsigned count)
{
	bytea	   *h = brop_pg_bytea_from(hashes, count * BROP_MERKLE_HASH_BYTES);
	Datum		args[3];

	args[0] = Int16GetDatum((int16) level);
	args[1] = Int64GetDatum((int64) index);
	args[2] = PointerGetDatum(h);
	if (SPI_execute_plan(brop_spi_plan(&tile_plan, TILE_SQL, 3, (Oid[]) {INT2OID, INT8OID, BYTEAOID}),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not store tile (%u, " UINT64_FORMAT ")", level, (uint64) index);
	pfree(h);
	return 0;
}

/* A tiler at the log's size, with its edge tiles loaded. */
static void
tiler_resume(brop_merkle_tiler *t, uint64 size)
{
	brop_tile	edges[BROP_MERKLE_TILE_LEVELS];
	unsigned	want[BROP_MERKLE_TILE_LEVELS];
	int			n = 0;

	brop_pg_check(brop_merkle_tiler_init(t, size), "tiler");
	for (unsigned level = 0; level < BROP_MERKLE_TILE_LEVELS; level++)
	{
		uint64_t	index;
		unsigned	count;

		if (brop_merkle_tile_edge(size, level, &index, &count))
		{
			edges[n].level = level;
			edges[n].index = index;
			want[n++] = count;
		}
	}
	if (n == 0)
		return;
	brop_tiles_fetch(edges, n, true);
	for (int i = 0; i < n; i++)
	{
		if (edges[i].damaged || edges[i].count != want[i])
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("edge tile (%u, " UINT64_FORMAT ") of the Merkle log holds %u hashes, not %u",
							edges[i].level, edges[i].index, edges[i].count, want[i]),
					 errhint("Run brop.verify_ledger() to find the first bad position.")));
		brop_pg_check(brop_merkle_tiler_load(t, edges[i].level, edges[i].index,
											 edges[i].hashes, edges[i].count), "tile");
	}
}

/* Append the leaves from position from on, storing the tiles, counted in p. Returns how many. */
static uint64
append_leaves(brop_merkle_tiler *t, uint64 from, brop_progress *p)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum((int64) from);
	Portal		cur = SPI_cursor_open_with_args(NULL, LEAVES_SQL, 1, &type, &arg, NULL, false, 0);
	uint64		total = 0;

	for (;;)
	{
		SPITupleTable *tt;
		uint64		n;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(cur, true, FETCH_BATCH);
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 r = 0; r < n; r++)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &isnull);

			if (isnull)
				elog(ERROR, "entry without a digest");
			brop_pg_check(brop_merkle_tiler_append(t, (unsigned char *) DatumGetPointer(d),
												   store_tile, NULL), "tile");
			brop_progress_count(p, 1);
		}
		total += n;
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(cur);
	return total;
}

int64		(*brop_seal_before_hook) (void) = NULL;

PG_FUNCTION_INFO_V1(brop_seal);
Datum
brop_seal(PG_FUNCTION_ARGS)
{
	char	   *origin,
			   *key;
	int64		number = 1;
	uint64		size = 0,
				sealed,
				streamed;
	bool		isnull,
				has_prev = false;
	unsigned char prev[BROP_DIGEST_BYTES];
	unsigned char *hash = palloc(BROP_DIGEST_BYTES);
	unsigned char *root = palloc(BROP_DIGEST_BYTES);
	brop_merkle_tiler *tiler = palloc(sizeof(brop_merkle_tiler));
	TimestampTz when;
	text	   *body;
	bytea	   *note;
	Datum		args[8];
	Oid			types[8] = {INT8OID, INT8OID, INT8OID, InvalidOid, InvalidOid, TIMESTAMPTZOID, TEXTOID, InvalidOid};
	char		nulls[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
	char		payload[128];
	Datum		result;
	brop_progress *progress;

	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("brop.seal() must run at the READ COMMITTED isolation level"),
				 errdetail("Sealing must see the entries committed while it waited for the previous seal.")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* one sealer at a time; readers and submitters go on */
	progress = brop_progress_begin("seal", "entries", "sealed");
	brop_progress_phase(progress, "waiting for the sealers' lock");
	brop_seal_lock();

	if (SPI_execute("SELECT origin, node_key FROM brop.ledger_config", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.ledger_config");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the ledger is not configured"),
				 errhint("Call brop.configure_ledger(origin, node_key) first.")));
	origin = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	key = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	/* a restored copy seals only once adopted (node_identity.c) */
	brop_node_identity_check();

	/* rows captured by committed transactions become entries, sealed in this block */
	brop_progress_phase(progress, "draining the capture queue");
	if (brop_seal_before_hook != NULL)
		(void) brop_seal_before_hook();

	/* read-write SPI calls take a new snapshot: this one sees the block a concurrent sealer made */
	if (SPI_execute("SELECT number, tree_size, hash FROM brop.block ORDER BY number DESC LIMIT 1",
					false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	if (SPI_processed == 1)
	{
		number = spi_int8(0, 1, &isnull) + 1;
		size = (uint64) spi_int8(0, 2, &isnull);
		memcpy(prev, DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull)),
			   BROP_DIGEST_BYTES);
		has_prev = true;
	}
	check_before_seal(size, number - 1);
	brop_progress_phase(progress, "taking the pending entries");

	{
		Oid			mt[2] = {INT8OID, INT8OID};
		Datum		ma[2] = {Int64GetDatum((int64) size), Int64GetDatum(number)};

		if (SPI_execute_with_args(MOVE_SQL, 2, mt, ma, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not take the pending entries");
		sealed = (uint64) spi_int8(0, 1, &isnull);
	}
	if (sealed == 0)
	{
		SPI_finish();
		PG_RETURN_NULL();
	}

	brop_progress_total(progress, (int64) sealed);
	brop_progress_phase(progress, "sealing " UINT64_FORMAT " entries into block " INT64_FORMAT, sealed, number);
	tiler_resume(tiler, size);
	streamed = append_leaves(tiler, size, progress);
	if (streamed != sealed)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the Merkle log has " UINT64_FORMAT " leaves after position " UINT64_FORMAT
						", expected " UINT64_FORMAT, streamed, size, sealed)));
	brop_pg_check(brop_merkle_tiler_flush(tiler, store_tile, NULL), "tile");
	brop_pg_check(brop_merkle_tiler_root(tiler, root), "root");
	size += sealed;

	when = GetCurrentTimestamp();
	body = brop_block_checkpoint_body(origin, size, root, number, when, has_prev ? prev : NULL);
	brop_pg_check(brop_sha256(hash, (unsigned char *) VARDATA(body), VARSIZE(body) - VARHDRSZ), "block hash");
	note = brop_keyring_use(key, USE_SIGN_NOTE, (bytea *) body, NULL, origin);

	args[0] = Int64GetDatum(number);
	args[1] = Int64GetDatum((int64) (size - sealed));
	args[2] = Int64GetDatum((int64) size);
	args[3] = PointerGetDatum(root);
	args[4] = PointerGetDatum(prev);
	if (!has_prev)
		nulls[4] = 'n';
	args[5] = TimestampTzGetDatum(when);
	args[6] = PointerGetDatum(note);
	args[7] = PointerGetDatum(hash);
	types[3] = types[4] = types[7] = brop_type_oid("digest");
	if (SPI_execute_with_args(BLOCK_SQL, 8, types, args, nulls, false, 1) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not write the block");
	result = PointerGetDatum(SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc));

	snprintf(payload, sizeof payload, INT64_FORMAT " " UINT64_FORMAT, number, size);
	Async_Notify("brop_block", payload);
	brop_progress_end(progress, "block " INT64_FORMAT " sealed with " UINT64_FORMAT " entries", number, sealed);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/*
 * The sealers' lock: EXCLUSIVE on brop.block, until the transaction ends
 * (readers and submitters are not blocked). SPI connected, as brop's owner.
 */
void
brop_seal_lock(void)
{
	if (SPI_execute("LOCK TABLE brop.block IN EXCLUSIVE MODE", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock brop.block");
}
