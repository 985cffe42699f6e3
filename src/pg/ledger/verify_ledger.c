/*
 * verify_ledger.c — brop.verify_ledger(): recompute the whole ledger from its
 * entries and report the first position where what is stored disagrees.
 *
 * One pass in position order: every entry's leaf hash from its fields (and
 * its signature), the Merkle log rebuilt in a tiler whose tiles are compared
 * with the stored ones, every block's root, its checkpoint text (rebuilt
 * and compared byte for byte), the checkpoint's signature by the node's key,
 * the block's hash and the chain of previous hashes. A problem at a block is
 * reported at the block's first position; the smallest position wins. When
 * the positions are sound, the rows beside the log: pending and expiry
 * records, the tables derived from entries (each row what its entry states,
 * no stated row gone, a credential's status what its chain's later entries
 * make it: checks their owning modules register, brop_ledger_add_check),
 * and the per-object chains' links and heads; these problems have no
 * position. When parallel workers may run (verify_parallel.c), they check
 * the entries while this pass takes their stored digests.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "ledger/ledger.h"

#define BATCH 10000

#define LEAVES_SQL \
	"SELECT l.position, l.block, l.entry, e, e.expires_block FROM brop.log_leaf l" \
	" LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) l.entry ORDER BY l.position"
/* the same, the entries checked by parallel workers: their stored digests only */
#define LEAVES_DIGEST_SQL \
	"SELECT l.position, l.block, l.entry, e.digest, e.expires_block, e.id IS NULL FROM brop.log_leaf l" \
	" LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) l.entry ORDER BY l.position"
#define BLOCKS_SQL \
	"SELECT " BROP_BLOCK_COLUMNS " FROM brop.block ORDER BY number"
#define TWICE_SQL \
	"SELECT pg_catalog.min(entry) FROM (" \
	" SELECT p.entry FROM brop.pending p JOIN brop.log_leaf l ON l.entry OPERATOR(pg_catalog.=) p.entry" \
	" UNION ALL SELECT x.entry FROM brop.entry_expired x JOIN brop.log_leaf l ON l.entry OPERATOR(pg_catalog.=) x.entry" \
	" UNION ALL SELECT x.entry FROM brop.entry_expired x JOIN brop.pending p ON p.entry OPERATOR(pg_catalog.=) x.entry" \
	" UNION ALL SELECT p.entry FROM brop.pending p GROUP BY p.entry HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1) s"
#define ORPHAN_SQL \
	"SELECT pg_catalog.min(e.id) FROM brop.entry e" \
	" WHERE NOT EXISTS (SELECT FROM brop.log_leaf l WHERE l.entry OPERATOR(pg_catalog.=) e.id)" \
	"   AND NOT EXISTS (SELECT FROM brop.pending p WHERE p.entry OPERATOR(pg_catalog.=) e.id)" \
	"   AND NOT EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry OPERATOR(pg_catalog.=) e.id)"

/*
 * Rows of brop.pending and brop.entry_expired that no submit or seal wrote:
 * the first problem by entry id. An expiry record's after_block is not
 * signed; it is checked against what is: the entry's expiry block, the
 * blocks that exist, and the blocks sealed before the entry was submitted
 * (the seal that took it came after those, so it built on them).
 */
#define BESIDE_SQL \
	"SELECT s.problem FROM (" \
	" SELECT p.entry, pg_catalog.format('brop.pending names entry %s, which does not exist', p.entry) AS problem" \
	" FROM brop.pending p WHERE NOT EXISTS (SELECT FROM brop.entry e WHERE e.id OPERATOR(pg_catalog.=) p.entry)" \
	" UNION ALL" \
	" SELECT p.entry, pg_catalog.format('brop.pending gives entry %s the expiry block %s, not its own %s'," \
	"   p.entry, COALESCE(p.expires_block::text, 'none'), COALESCE(e.expires_block::text, 'none'))" \
	" FROM brop.pending p JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) p.entry" \
	" WHERE p.expires_block IS DISTINCT FROM e.expires_block" \
	" UNION ALL" \
	" SELECT x.entry, pg_catalog.format('brop.entry_expired names entry %s, which does not exist', x.entry)" \
	" FROM brop.entry_expired x WHERE NOT EXISTS (SELECT FROM brop.entry e WHERE e.id OPERATOR(pg_catalog.=) x.entry)" \
	" UNION ALL" \
	" SELECT x.entry, CASE" \
	"   WHEN e.expires_block IS NULL THEN pg_catalog.format('entry %s is recorded as expired, but has no expiry block', x.entry)" \
	"   WHEN x.after_block OPERATOR(pg_catalog.<) e.expires_block THEN pg_catalog.format(" \
	"     'entry %s is recorded as expired after block %s, before its expiry block %s', x.entry, x.after_block, e.expires_block)" \
	"   WHEN x.after_block OPERATOR(pg_catalog.<) 0 OR x.after_block OPERATOR(pg_catalog.>)" \
	"        COALESCE((SELECT pg_catalog.max(b.number) FROM brop.block b), 0) THEN pg_catalog.format(" \
	"     'entry %s is recorded as expired after block %s, which does not exist', x.entry, x.after_block)" \
	"   ELSE pg_catalog.format('entry %s is recorded as expired after block %s, but block %s was sealed before it was submitted'," \
	"     x.entry, x.after_block, (SELECT pg_catalog.max(b.number) FROM brop.block b" \
	"      WHERE b.number OPERATOR(pg_catalog.>) x.after_block AND b.sealed_at OPERATOR(pg_catalog.<) e.submitted_at)) END" \
	" FROM brop.entry_expired x JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) x.entry" \
	" WHERE e.expires_block IS NULL OR x.after_block OPERATOR(pg_catalog.<) e.expires_block" \
	"    OR x.after_block OPERATOR(pg_catalog.<) 0" \
	"    OR x.after_block OPERATOR(pg_catalog.>) COALESCE((SELECT pg_catalog.max(b.number) FROM brop.block b), 0)" \
	"    OR EXISTS (SELECT FROM brop.block b WHERE b.number OPERATOR(pg_catalog.>) x.after_block" \
	"               AND b.sealed_at OPERATOR(pg_catalog.<) e.submitted_at)" \
	" ) s ORDER BY s.entry LIMIT 1"

/*
 * Per-object chains: each entry's prev_digest the digest of the entry
 * before it in its chain (brop.submit checks it against brop.chain_head,
 * so a changed head lets a fork in), and each chain's head row its last
 * entry. The first problem by entry id.
 */
#define CHAINS_SQL \
	"SELECT s.problem FROM (" \
	" SELECT l.id AS entry, CASE WHEN l.before IS NULL" \
	"   THEN pg_catalog.format('entry %s begins chain %s, but has a prev_digest', l.id, pg_catalog.quote_literal(brop.quote_input(l.chain_key)))" \
	"   ELSE pg_catalog.format('entry %s: its prev_digest is not the digest of entry %s, the one before it in chain %s'," \
	"     l.id, l.before, pg_catalog.quote_literal(brop.quote_input(l.chain_key))) END AS problem" \
	" FROM (SELECT e.id, e.chain_key, e.prev_digest," \
	"         pg_catalog.lag(e.id) OVER w AS before, pg_catalog.lag(e.digest) OVER w AS before_digest" \
	"       FROM brop.entry e WHERE e.chain_key IS NOT NULL" \
	"       WINDOW w AS (PARTITION BY e.chain_key ORDER BY e.id)) l" \
	" WHERE l.prev_digest IS DISTINCT FROM l.before_digest" \
	" UNION ALL" \
	" SELECT COALESCE(c.last, h.entry), CASE" \
	"   WHEN c.chain_key IS NULL THEN pg_catalog.format('brop.chain_head names chain %s, which has no entry'," \
	"     pg_catalog.quote_literal(brop.quote_input(h.chain_key)))" \
	"   WHEN h.chain_key IS NULL THEN pg_catalog.format('chain %s has no row in brop.chain_head', pg_catalog.quote_literal(brop.quote_input(c.chain_key)))" \
	"   ELSE pg_catalog.format('brop.chain_head row %s is not the chain''s last entry %s, its length %s'," \
	"     pg_catalog.quote_literal(brop.quote_input(h.chain_key)), c.last, c.length) END" \
	" FROM (SELECT e.chain_key, pg_catalog.count(*) AS length, pg_catalog.max(e.id) AS last" \
	"       FROM brop.entry e WHERE e.chain_key IS NOT NULL GROUP BY e.chain_key) c" \
	" FULL JOIN brop.chain_head h ON h.chain_key OPERATOR(pg_catalog.=) c.chain_key" \
	" LEFT JOIN brop.entry t ON t.id OPERATOR(pg_catalog.=) c.last" \
	" WHERE c.chain_key IS NULL OR h.chain_key IS NULL OR h.entry OPERATOR(pg_catalog.<>) c.last" \
	"    OR h.length OPERATOR(pg_catalog.<>) c.length OR h.head OPERATOR(pg_catalog.<>) t.digest" \
	" ) s ORDER BY s.entry LIMIT 1"

/*
 * Problems are exact (at one position: an entry, a leaf) or cover a range
 * of positions (a block, a subtree). A bad leaf also spoils every subtree
 * and block above it, so a range problem is reported only when no exact
 * problem lies inside it: the answer is the smallest of the first exact
 * problem and the range problems that end before it. Ranges holding a given
 * position are nested or disjoint (one block, at most 16 subtree levels),
 * so keeping the MAX_RANGES earliest range problems is enough.
 */
#define MAX_RANGES 64

typedef struct problem
{
	int64		lo,
				hi;				/* positions [lo, hi); hi = lo + 1 when exact */
	char	   *text;
} problem;

typedef struct verify_state
{
	problem		exact;			/* lo < 0: none */
	int			nranges;
	problem		ranges[MAX_RANGES];	/* by lo */
	char	   *orphan;			/* a problem at no position */
	MemoryContext keep;			/* where the texts live: not SPI's memory, they outlive SPI_finish */
} verify_state;

/*
 * A problem's text, formatted whole in cxt (no fixed buffer that would cut
 * it, possibly inside a character; the fields it quotes are bounded by
 * brop.quote_input and brop_pg_quote).
 */
static char *problem_text(MemoryContext cxt, const char *fmt, va_list ap) pg_attribute_printf(2, 0);

static char *
problem_text(MemoryContext cxt, const char *fmt, va_list ap)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	StringInfoData s;

	initStringInfo(&s);
	for (;;)
	{
		va_list		aq;
		int			needed;

		va_copy(aq, ap);
		needed = appendStringInfoVA(&s, fmt, aq);
		va_end(aq);
		if (needed == 0)
			break;
		enlargeStringInfo(&s, needed);
	}
	MemoryContextSwitchTo(old);
	return s.data;
}

static void add_problem(verify_state *v, int64 lo, int64 hi, const char *fmt, va_list ap) pg_attribute_printf(4, 0);

static void
add_problem(verify_state *v, int64 lo, int64 hi, const char *fmt, va_list ap)
{
	int			i;

	if (hi == lo + 1)
	{
		if (v->exact.lo >= 0 && v->exact.lo <= lo)
			return;
		if (v->exact.text)
			pfree(v->exact.text);
		v->exact.lo = lo;
		v->exact.hi = hi;
		v->exact.text = problem_text(v->keep, fmt, ap);
		return;
	}
	/* insert by lo, keeping the earliest; the first reported wins a tie */
	for (i = v->nranges; i > 0 && v->ranges[i - 1].lo > lo; i--)
		;
	if (i >= MAX_RANGES)
		return;
	if (v->nranges == MAX_RANGES)
		pfree(v->ranges[--v->nranges].text);
	memmove(&v->ranges[i + 1], &v->ranges[i], sizeof(problem) * (v->nranges - i));
	v->ranges[i].lo = lo;
	v->ranges[i].hi = hi;
	v->ranges[i].text = problem_text(v->keep, fmt, ap);
	v->nranges++;
}

static void report(verify_state *v, int64 position, const char *fmt,...) pg_attribute_printf(3, 4);
static void report_range(verify_state *v, int64 lo, int64 hi, const char *fmt,...) pg_attribute_printf(4, 5);

/* A problem at one position. */
static void
report(verify_state *v, int64 position, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	add_problem(v, position, position + 1, fmt, ap);
	va_end(ap);
}

/* A problem somewhere in positions [lo, hi). */
static void
report_range(verify_state *v, int64 lo, int64 hi, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	add_problem(v, lo, Max(hi, lo + 2), fmt, ap);
	va_end(ap);
}

static void orphan(verify_state *v, const char *fmt,...) pg_attribute_printf(2, 3);

/*
 * An entry's problem found by a parallel worker: the first the pass reports
 * at its position, so it wins a tie with one reported there before.
 */
static void
report_entry(verify_state *v, int64 position, int64 entry, const char *bad)
{
	if (v->exact.lo >= 0 && v->exact.lo < position)
		return;
	if (v->exact.text)
		pfree(v->exact.text);
	v->exact.lo = position;
	v->exact.hi = position + 1;
	v->exact.text = MemoryContextStrdup(v->keep, psprintf("entry " INT64_FORMAT " at position " INT64_FORMAT
														 ": %s", entry, position, bad));
}

/* Progress while parallel workers check the entries: those checked, up to the positions read. */
typedef struct checked_progress
{
	brop_progress *progress;
	brop_entry_verifier *ev;
	int64		counted;
	int64		limit;
} checked_progress;

static void
count_checked(void *arg)
{
	checked_progress *cp = arg;
	int64		target = Min(cp->limit, brop_entry_verifier_checked(cp->ev));

	/* one by one, so that a message falls at every brop.progress_interval as before */
	for (; cp->counted < target; cp->counted++)
		brop_progress_count(cp->progress, 1);
}

/* A problem at no position; the first reported wins. */
static void
orphan(verify_state *v, const char *fmt,...)
{
	va_list		ap;

	if (v->orphan != NULL)
		return;
	va_start(ap, fmt);
	v->orphan = problem_text(v->keep, fmt, ap);
	va_end(ap);
}

/* The first bad position and its problem; false if there is none. */
static bool
first_problem(const verify_state *v, int64 *position, const char **text)
{
	for (int i = 0; i < v->nranges; i++)
		if (v->exact.lo < 0 || v->ranges[i].hi <= v->exact.lo)
		{
			if (v->exact.lo < 0 || v->ranges[i].lo < v->exact.lo)
			{
				*position = v->ranges[i].lo;
				*text = v->ranges[i].text;
				return true;
			}
			break;
		}
	if (v->exact.lo < 0)
		return false;
	*position = v->exact.lo;
	*text = v->exact.text;
	return true;
}

/* Compare a tile the rebuilt log gives with the stored one. */
static int
compare_tile(void *ctx, unsigned level, uint64_t index, const brop_merkle_hash *hashes, unsigned count)
{
	verify_state *v = ctx;
	brop_tile	t;

	t.level = level;
	t.index = index;
	brop_tiles_fetch(&t, 1, false);
	if (t.damaged || t.count > count)
	{
		unsigned	height = BROP_MERKLE_TILE_HEIGHT * level;
		unsigned	from = t.damaged ? 0 : count;
		int64		first = (int64) ((index * BROP_MERKLE_TILE_WIDTH + from) << height);
		const char *what = t.damaged ? "is damaged" : "holds more hashes than the log has nodes";

		if (level == 0 && t.damaged)
			report(v, first, "the log's stored tile (0, " UINT64_FORMAT ") %s", (uint64) index, what);
		else
			report_range(v, first, first + ((int64) (BROP_MERKLE_TILE_WIDTH - from) << height),
						 "the log's stored tile (%u, " UINT64_FORMAT ") %s", level, (uint64) index, what);
		if (t.damaged)
			return 0;
	}
	for (unsigned j = 0; j < count; j++)
		if (j >= t.count || memcmp(t.hashes[j], hashes[j], BROP_MERKLE_HASH_BYTES) != 0)
		{
			unsigned	height = BROP_MERKLE_TILE_HEIGHT * level;
			int64		first = (int64) ((index * BROP_MERKLE_TILE_WIDTH + j) << height);

			if (level == 0)
				report(v, first, "the log's leaf hash at position " INT64_FORMAT " is not the entry's", first);
			else
				report_range(v, first, first + ((int64) 1 << height),
							 "the log's stored hash of the subtree from position " INT64_FORMAT
							 " (height %u) is wrong", first, height);
			break;
		}
	return 0;
}

void
brop_block_row_read(HeapTuple tup, TupleDesc desc, brop_block_row *b)
{
	bool		isnull;
	Datum		d;

	b->number = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
	b->first = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
	b->size = DatumGetInt64(SPI_getbinval(tup, desc, 3, &isnull));
	memcpy(b->root, DatumGetPointer(SPI_getbinval(tup, desc, 4, &isnull)), BROP_DIGEST_BYTES);
	d = SPI_getbinval(tup, desc, 5, &isnull);
	b->has_prev = !isnull;
	if (!isnull)
		memcpy(b->prev, DatumGetPointer(d), BROP_DIGEST_BYTES);
	b->when = DatumGetTimestampTz(SPI_getbinval(tup, desc, 6, &isnull));
	b->checkpoint = DatumGetTextPCopy(SPI_getbinval(tup, desc, 7, &isnull));
	memcpy(b->hash, DatumGetPointer(SPI_getbinval(tup, desc, 8, &isnull)), BROP_DIGEST_BYTES);
}

static bool
next_block(Portal cur, brop_block_row *b)
{
	SPI_cursor_fetch(cur, true, 1);
	if (SPI_processed == 0)
		return false;
	brop_block_row_read(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, b);
	SPI_freetuptable(SPI_tuptable);
	return true;
}

/* Check a block once the rebuilt log has its size. */
static void
check_block(verify_state *v, const brop_block_row *b, const brop_block_row *prev, bool has_prev_block,
			const brop_merkle_hash root, const char *origin, const brop_did_value *node)
{
	text	   *body;
	const char *note = VARDATA_ANY(b->checkpoint);
	size_t		notelen = VARSIZE_ANY_EXHDR(b->checkpoint);
	size_t		textlen;
	unsigned char h[BROP_DIGEST_BYTES];
	int64		at = has_prev_block ? prev->size : 0;	/* where the block starts, whatever it says */
	int64		end = b->size;

	if (b->first != at)
		report_range(v, at, end, "block " INT64_FORMAT ": its first position is " INT64_FORMAT
					 ", not " INT64_FORMAT ", the end of the block before", b->number, b->first, at);

	if (memcmp(root, b->root, BROP_DIGEST_BYTES) != 0)
		report_range(v, at, end, "block " INT64_FORMAT ": its root is not the log's root at size " INT64_FORMAT,
					 b->number, b->size);
	if (has_prev_block ? (!b->has_prev || memcmp(b->prev, prev->hash, BROP_DIGEST_BYTES) != 0)
		: b->has_prev)
		report_range(v, at, end, "block " INT64_FORMAT ": its previous hash is not the hash of the block before",
					 b->number);
	body = brop_block_checkpoint_body(origin, (uint64) b->size, b->root, b->number, b->when,
									  b->has_prev ? b->prev : NULL);
	textlen = brop_note_text_length(note, notelen);
	if (textlen != VARSIZE(body) - VARHDRSZ || memcmp(note, VARDATA(body), textlen) != 0)
		report_range(v, at, end, "block " INT64_FORMAT ": its checkpoint does not state the block", b->number);
	else if (brop_note_verify_valid(&textlen, note, notelen, origin, strlen(origin), node->pk) != 0)
		report_range(v, at, end, "block " INT64_FORMAT ": its checkpoint is not signed by the node's key", b->number);
	else if (memchr(note + textlen + 1, '\n', notelen - textlen - 1) != note + notelen - 1)
	{
		/* a seal writes one signature line, the node's, which the check above found */
		report_range(v, at, end, "block " INT64_FORMAT ": its checkpoint carries a signature line besides the node's",
					 b->number);
	}
	brop_pg_check(brop_sha256(h, (unsigned char *) VARDATA(body), VARSIZE(body) - VARHDRSZ), "hash");
	if (memcmp(h, b->hash, BROP_DIGEST_BYTES) != 0)
		report_range(v, at, end, "block " INT64_FORMAT ": its hash is not the hash of its checkpoint", b->number);
}

/*
 * The checks of rows beside the log, registered by the modules that own
 * those tables (_PG_init): only they name them. Each query gives its first
 * problem as (entry, problem); a pass reports the one with the smallest
 * entry (a problem with no entry first), as one query over all of them
 * would.
 */
#define MAX_CHECKS 8
static const char *checks[BROP_CHECK_GROUPS][MAX_CHECKS];
static int	nchecks[BROP_CHECK_GROUPS];

void
brop_ledger_add_check(brop_check_group group, const char *sql)
{
	if (nchecks[group] >= MAX_CHECKS)
		elog(ERROR, "too many ledger checks");
	checks[group][nchecks[group]++] = sql;
}

/* Inside SPI: one pass of the checks; its first problem, if any, into v. */
static void
run_checks(verify_state *v, brop_check_group group)
{
	char	   *problem = NULL;
	int64		first = 0;
	bool		first_null = false;

	for (int i = 0; i < nchecks[group]; i++)
	{
		bool		isnull;
		Datum		entry;

		if (SPI_execute(checks[group][i], true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the tables derived from entries");
		if (SPI_processed != 1)
			continue;
		entry = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (problem != NULL && (first_null || (!isnull && DatumGetInt64(entry) >= first)))
			continue;
		problem = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		first_null = isnull;
		first = isnull ? 0 : DatumGetInt64(entry);
	}
	if (problem != NULL)
		orphan(v, "%s", problem);
}

PG_FUNCTION_INFO_V1(brop_verify_ledger);
Datum
brop_verify_ledger(PG_FUNCTION_ARGS)
{
	bool		signatures = PG_ARGISNULL(1) ? true : PG_GETARG_BOOL(1);
	verify_state *v = palloc0(sizeof(verify_state));
	int64		bad_position;
	const char *bad_text;
	bool		bad;
	brop_did_value node;
	brop_merkle_tiler *tiler = palloc(sizeof(brop_merkle_tiler));
	brop_block_row *cur = palloc0(sizeof(brop_block_row)),
			   *prev = palloc0(sizeof(brop_block_row));
	bool		have_block,
				had_block = false;
	int64		expect = 0,
				blocks = 0;
	char	   *origin = NULL;
	Portal		leaves,
				bcur;
	MemoryContext row_cxt;
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	brop_merkle_hash root;
	brop_progress *progress;
	brop_entry_verifier *ev;
	checked_progress cp;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	v->exact.lo = -1;
	v->keep = CurrentMemoryContext;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT origin, node_did FROM brop.ledger_config", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.ledger_config");
	if (SPI_processed == 1)
	{
		bool		isnull;

		origin = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		brop_did_unpack(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull), &node);
	}
	else if (SPI_execute("SELECT pg_catalog.split_part(checkpoint, E'\\n', 1) FROM brop.block ORDER BY number LIMIT 1",
						 true, 1) == SPI_OK_SELECT && SPI_processed == 1)
	{
		/* a member's copy of another node's ledger: its checkpoints name the origin (and must be signed under it) */
		origin = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		if (!PG_ARGISNULL(0))
			brop_did_unpack(PG_GETARG_DATUM(0), &node);
		else
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the ledger is not configured"),
					 errhint("Name the did of the node whose ledger this is a copy of.")));
	}
	if (!PG_ARGISNULL(0))
		brop_did_unpack(PG_GETARG_DATUM(0), &node);
	else if (origin == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the ledger is not configured"),
				 errhint("Call brop.configure_ledger(origin, node_key) first, or name the node's did.")));
	if (origin == NULL)
		origin = "";
	if (node.alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("checkpoints are signed with ed25519, not %s", brop_alg_name(node.alg))));

	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "verify_ledger row", ALLOCSET_DEFAULT_SIZES);
	brop_pg_check(brop_merkle_tiler_init(tiler, 0), "tiler");
	progress = brop_progress_begin("verify_ledger", "entries", "checked");
	if (SPI_execute("SELECT tree_size FROM brop.block ORDER BY number DESC LIMIT 1", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	brop_progress_total(progress, SPI_processed == 0 ? 0 :
						strtoi64(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), NULL, 10));
	/*
	 * The entries checked by parallel workers, if any run (verify_parallel.c),
	 * while this pass reads their stored digests: a bad entry is an exact
	 * problem at its position, so whatever its leaf spoils above it is never
	 * reported, whichever leaf the rebuilt log takes.
	 */
	if (SPI_execute("SELECT pg_catalog.max(position), pg_catalog.count(*) FROM brop.log_leaf", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.log_leaf");
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		Datum		n = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);

		/* the pass stops at the first missing position, at most the number of positions */
		ev = DatumGetInt64(n) == 0 ? NULL
			: brop_entry_verifier_start(0, Min(DatumGetInt64(d) + 1, DatumGetInt64(n)), signatures);
	}
	if (ev == NULL)
		brop_progress_phase(progress, "checking the log and its blocks: " INT64_FORMAT " entries", progress->total);
	else
		brop_progress_phase(progress, "checking the log and its blocks: " INT64_FORMAT " entries, %d parallel %s"
							" checking the entries", progress->total, brop_entry_verifier_workers(ev),
							brop_entry_verifier_workers(ev) == 1 ? "worker" : "workers");
	cp.progress = progress;
	cp.ev = ev;
	cp.counted = 0;
	cp.limit = 0;
	bcur = SPI_cursor_open_with_args("verify_ledger_blocks", BLOCKS_SQL, 0, NULL, NULL, NULL, true, 0);
	have_block = next_block(bcur, cur);
	leaves = SPI_cursor_open_with_args("verify_ledger_leaves", ev ? LEAVES_DIGEST_SQL : LEAVES_SQL,
									   0, NULL, NULL, NULL, true, 0);

	for (;;)
	{
		SPITupleTable *tt;
		uint64		n;

		SPI_cursor_fetch(leaves, true, BATCH);
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 r = 0; r < n; r++)
		{
			HeapTuple	tup = tt->vals[r];
			bool		isnull;
			int64		position = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 1, &isnull));
			int64		block = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 2, &isnull));
			int64		entry = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 3, &isnull));
			bool		no_expiry;
			int64		expiry = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 5, &no_expiry));
			Datum		row = SPI_getbinval(tup, tt->tupdesc, 4, &isnull);	/* the digest with workers */
			bool		absent;
			bool		missing = ev ? DatumGetBool(SPI_getbinval(tup, tt->tupdesc, 6, &absent)) : isnull;
			brop_merkle_hash leaf;
			MemoryContext old;

			if (position != expect)
			{
				report(v, expect, "position " INT64_FORMAT " is missing from the log", expect);
				goto done;		/* the positions that follow cannot be placed */
			}
			memset(leaf, 0, sizeof leaf);
			old = MemoryContextSwitchTo(row_cxt);
			if (missing)
				report(v, position, "entry " INT64_FORMAT " at position " INT64_FORMAT " is missing",
					   entry, position);
			else if (ev != NULL)
			{
				/* a worker checks it; a digest that is not its fields' is reported there */
				if (!isnull)
					memcpy(leaf, DatumGetPointer(row), BROP_DIGEST_BYTES);
			}
			else
			{
				const char *bad = brop_entry_check(DatumGetHeapTupleHeader(row), leaf, signatures);

				if (bad != NULL)
					report(v, position, "entry " INT64_FORMAT " at position " INT64_FORMAT ": %s",
						   entry, position, bad);
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);

			while (have_block && cur->size <= position)
			{
				report_range(v, had_block ? prev->size : 0, position + 1,
							 "block " INT64_FORMAT ": it holds no leaf", cur->number);
				if (prev->checkpoint)
					pfree(prev->checkpoint);
				*prev = *cur;
				had_block = true;
				have_block = next_block(bcur, cur);
			}
			if (!have_block)
				report(v, position, "position " INT64_FORMAT " is in no block", position);
			else if (block != cur->number)
				report(v, position, "position " INT64_FORMAT " is recorded in block " INT64_FORMAT
					   ", not in block " INT64_FORMAT, position, block, cur->number);
			else if (!no_expiry && cur->number > expiry)
				report(v, position, "entry " INT64_FORMAT " at position " INT64_FORMAT " is sealed in block "
					   INT64_FORMAT ", after its expiry block " INT64_FORMAT, entry, position, cur->number, expiry);

			brop_pg_check(brop_merkle_tiler_append(tiler, leaf, compare_tile, v), "tile");
			expect++;
			if (ev == NULL)
				brop_progress_count(progress, 1);
			if (have_block && cur->size == expect)
			{
				brop_pg_check(brop_merkle_tiler_root(tiler, root), "root");
				check_block(v, cur, prev, had_block, root, origin, &node);
				blocks++;
				if (prev->checkpoint)
					pfree(prev->checkpoint);
				*prev = *cur;
				had_block = true;
				have_block = next_block(bcur, cur);
			}
		}
		SPI_freetuptable(tt);
		if (ev != NULL)
		{
			cp.limit = expect;
			count_checked(&cp);
		}
		CHECK_FOR_INTERRUPTS();
	}
	if (have_block)
		report_range(v, expect, cur->size, "block " INT64_FORMAT " ends at size " INT64_FORMAT
					 ", beyond the log's " INT64_FORMAT " leaves", cur->number, cur->size, expect);
	brop_pg_check(brop_merkle_tiler_flush(tiler, compare_tile, v), "tile");
	{
		int			level;
		int64		index;

		/* the rebuilt log compared every tile it has: one it lacks would stop the seal that meets it */
		if (brop_tiles_beyond((uint64) expect, true, &level, &index))
			report_range(v, expect, expect + 1, "the log's stored tile (%d, " INT64_FORMAT ") lies beyond its "
						 INT64_FORMAT " leaves", level, index, expect);
	}

done:
	if (ev != NULL)
	{
		int64		bad_entry;
		char	   *bad_problem;

		/* the chunks left, then the workers' first bad entry among the positions read */
		cp.limit = expect;
		if (brop_entry_verifier_finish(ev, expect, count_checked, &cp, &bad_position, &bad_entry, &bad_problem))
			report_entry(v, bad_position, bad_entry, bad_problem);
		for (; cp.counted < expect; cp.counted++)
			brop_progress_count(progress, 1);
	}
	SPI_cursor_close(leaves);
	SPI_cursor_close(bcur);
	bad = first_problem(v, &bad_position, &bad_text);
	if (!bad)
	{
		bool		isnull;
		Datum		d;

		brop_progress_phase(progress, INT64_FORMAT " entries checked; checking the rows beside the log", expect);
		if (SPI_execute(ORPHAN_SQL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.entry");
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			orphan(v, "entry " INT64_FORMAT " is neither in the log, pending nor expired", DatumGetInt64(d));
		if (SPI_execute(TWICE_SQL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.pending");
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			orphan(v, "entry " INT64_FORMAT " is sealed, pending or expired more than once", DatumGetInt64(d));
		if (SPI_execute(BESIDE_SQL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.pending and brop.entry_expired");
		if (SPI_processed == 1)
			orphan(v, "%s", SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
		/* the rows the modules above keep beside the log, pass by pass */
		for (int g = 0; g < BROP_CHECK_GROUPS && v->orphan == NULL; g++)
			run_checks(v, (brop_check_group) g);
		if (v->orphan == NULL)
		{
			brop_progress_phase(progress, "checking the per-object chains");
			if (SPI_execute(CHAINS_SQL, true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not read the per-object chains");
			if (SPI_processed == 1)
				orphan(v, "%s", SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
		}
	}
	brop_progress_end(progress, NULL);
	SPI_finish();

	values[0] = BoolGetDatum(!bad && v->orphan == NULL);
	values[1] = Int64GetDatum(expect);
	values[2] = Int64GetDatum(blocks);
	values[3] = Int64GetDatum(bad ? bad_position : 0);
	nulls[3] = !bad;
	if (!bad)
		bad_text = v->orphan;
	values[4] = bad_text ? CStringGetTextDatum(bad_text) : (Datum) 0;
	nulls[4] = bad_text == NULL;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
