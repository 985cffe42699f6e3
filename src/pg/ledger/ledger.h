/*
 * ledger.h — the ledger (src/pg/ledger): entries, their canonical forms and
 * checks (entry.c), appending them (append.c), submission (submit.c,
 * submit_batch.c), sealing (seal.c, worker.c), checkpoints, the Merkle
 * log's tiles and proofs, verify_ledger.
 */
#ifndef BROP_PG_LEDGER_H
#define BROP_PG_LEDGER_H

#include "keyring/keyring.h"

/* The sealing background worker (worker.c). */
extern void brop_register_sealer(void);

/*
 * Called by a seal before it takes the pending entries, under brop.block's
 * lock (seal.c): the registration module's capture drain, set by _PG_init
 * (module.c), so that the ledger calls nothing above it. NULL: nothing.
 */
extern int64 (*brop_seal_before_hook) (void);

/*
 * The sealers' lock (EXCLUSIVE on brop.block) until the transaction ends,
 * also taken by the capture drain (seal.c); SPI connected, as brop's owner.
 */
extern void brop_seal_lock(void);

/* Recompute a stored entry's leaf hash; NULL or what is wrong (entry.c). */
extern const char *brop_entry_check(HeapTupleHeader row, unsigned char *leaf, bool verify_signature);

/*
 * The entry checks of verify_ledger in parallel workers (verify_parallel.c):
 * started for positions [start, end) (NULL when no worker runs: the caller
 * checks each entry), then finished by the leader, which takes the chunks
 * left; the first bad entry before stop, if any. Also a member's witness
 * (consortium/witness_step.c), for the blocks it verifies in one call.
 */
typedef struct brop_entry_verifier brop_entry_verifier;
extern brop_entry_verifier *brop_entry_verifier_start(int64 start, int64 end, bool signatures);
extern int	brop_entry_verifier_workers(const brop_entry_verifier *ev);
extern int64 brop_entry_verifier_checked(const brop_entry_verifier *ev);
extern bool brop_entry_verifier_finish(brop_entry_verifier *ev, int64 stop, void (*after_chunk) (void *),
									   void *arg, int64 *position, int64 *entry, char **problem);

/*
 * A row of brop.block as the verifiers read it (verify_ledger.c; a witness's
 * step): BROP_BLOCK_COLUMNS, in that order, read by brop_block_row_read.
 */
#define BROP_BLOCK_COLUMNS "number, first_position, tree_size, root, prev_hash, sealed_at, checkpoint, hash"
typedef struct brop_block_row
{
	int64		number,
				first,
				size;
	unsigned char root[BROP_DIGEST_BYTES];
	unsigned char prev[BROP_DIGEST_BYTES];
	bool		has_prev;
	TimestampTz when;
	text	   *checkpoint;		/* palloc'd in the caller's context */
	unsigned char hash[BROP_DIGEST_BYTES];
} brop_block_row;
extern void brop_block_row_read(HeapTuple tup, TupleDesc desc, brop_block_row *b);

/*
 * The signed text of a block's checkpoint (checkpoint.c): origin, size,
 * base64 root, then "block N", "time T" and, after the first block,
 * "previous HEX" lines.
 */
extern text *brop_block_checkpoint_body(const char *origin, uint64 size, const unsigned char *root,
										int64 number, TimestampTz when, const unsigned char *prev);

/*
 * A member's key, after a comma unless the object was just opened; key is
 * plain ASCII, needing no escape (entry.c).
 */
extern void brop_pg_json_key(StringInfo buf, const char *key);

/*
 * RFC 3339 UTC time with microseconds, "2026-11-21T10:00:03.123456Z", as the
 * core's brop_time_text writes it (entry.c); ERROR (22008) outside the
 * years 1 to 9999.
 */
#define BROP_TIME_TEXT_MAX 32
#define BROP_TIME_TEXT_LEN 27		/* YYYY-MM-DDTHH:MM:SS.ffffffZ */
extern void brop_pg_time_text(char out[BROP_TIME_TEXT_MAX], TimestampTz t);
/* t as microseconds since 1970-01-01 UTC; the same ERROR outside the years 1 to 9999. */
extern int64 brop_pg_unix_us(TimestampTz t);

/* An inclusion proof from the stored tiles, inside SPI (log_proof.c); its length. */
extern size_t brop_log_inclusion_proof(uint64 position, uint64 size, brop_merkle_hash *proof);
/*
 * A consistency proof from size m to n (0 < m < n) in the form of a proof of
 * misbehaviour (brop_merkle_consistency_old_root), from the stored tiles,
 * inside SPI (log_proof.c); its length (at most BROP_MERKLE_MAX_PROOF + 1).
 */
extern size_t brop_log_fork_proof(uint64 m, uint64 n, brop_merkle_hash *proof);

/* The Merkle log's tiles (log_tile.c). */
typedef struct brop_tile
{
	unsigned	level;
	uint64		index;
	unsigned	count;			/* hashes held, 0 if not found or damaged */
	bool		damaged;		/* stored, but not 1..16 whole hashes */
	brop_merkle_hash hashes[BROP_MERKLE_TILE_WIDTH];
} brop_tile;

/*
 * Fetch tiles[0..n) by (level, index) in one query; SPI connected. A tile
 * not stored has count 0; one stored with a bad length is marked damaged.
 * fresh: read with a new snapshot (a sealer that waited for another sees
 * its tiles), else with the caller's.
 */
extern void brop_tiles_fetch(brop_tile *tiles, int n, bool fresh);
/*
 * A stored tile that a log of size leaves does not have (beyond its edge at
 * some level): true with its level and index (the first by level, index).
 * SPI connected. everywhere: any such tile, also at a level or index no
 * log has (one scan, the caller's snapshot); else only those a seal could
 * meet (an index probe per level, a new snapshot).
 */
extern bool brop_tiles_beyond(uint64 size, bool everywhere, int *level, int64 *index);
/* The hash of a perfect subtree from fetched tiles (ERROR if they lack it). */
extern void brop_tiles_subtree(const brop_tile *tiles, int n, unsigned level, uint64 index,
							   brop_merkle_hash out);

/* An entry's fields; NULL pointers (or !has_expires) for SQL nulls. */
typedef struct entry_fields
{
	text	   *kind;
	Datum		org;
	Datum		subject;
	bool		has_subject;
	text	   *chain_key;
	unsigned char *prev_digest;
	Jsonb	   *header;
	unsigned char *payload_digest;
	unsigned char *body_digest;
	text	   *nonce;
	int64		expires_block;
	bool		has_expires;
	bytea	   *signature;
	TimestampTz submitted_at;
	char	   *org_text;		/* the DIDs as text, made once for both JSON forms */
	char	   *subject_text;
} entry_fields;

/* Checks an entry starting or extending a chain owned by a module above (append.c; set by _PG_init). */
extern void (*brop_chain_rule_hook) (const entry_fields *f);

/* Fields from SQL arguments in the order of brop.entry_signing_input, the signature at sig_arg (-1: none). */
extern void brop_entry_from_args(FunctionCallInfo fcinfo, entry_fields *f, int sig_arg);

/* The text of a brop.did, the last one's kept for the next call (entry.c). */
extern char *brop_entry_did_text(Datum did);

/* Fields of a brop.entry row. */
extern void brop_entry_from_row(HeapTupleHeader row, entry_fields *f);

/* ERROR unless the fields are a valid entry (docs/ledger.md, "Limits"). */
extern void brop_entry_check_fields(const entry_fields *f);

/* The signing input (the domain, then the JCS of the signed fields). */
extern bytea *brop_entry_signing_input_of(const entry_fields *f);

/* The RFC 9162 leaf hash of the entry's leaf input, into out. */
extern void brop_entry_leaf_hash(const entry_fields *f, unsigned char *out);

/* The leaf hash into leaf, and the signing input, from one JSON text. */
extern bytea *brop_entry_forms(const entry_fields *f, unsigned char *leaf);

/* The organisation's signature (plain or batch form) over the signing input msg: 0 or a brop_err. */
extern int	brop_entry_signature_check(const entry_fields *f, const bytea *msg);

/* ERROR (42501) for a kind reserved to the function that writes its row (submit_owned.c). */
extern void brop_entry_refuse_reserved(const entry_fields *f);
/* ERROR (22023) unless brop_entry_signature_check passes (submit.c). */
extern void brop_entry_verify_signature(const entry_fields *f, const bytea *msg);

/*
 * Appends the entry of checked, signed fields whose leaf hash is digest, with
 * its chain head in one statement, then its pending row (append.c); NULL if
 * the organisation already used the nonce, else the new row of brop.entry;
 * the new id in *id if id is not NULL. ERROR (42501) for a credential's
 * chain that org may not extend.
 */
extern HeapTupleHeader brop_ledger_append(const entry_fields *f, unsigned char *digest, int64 *id);

/*
 * What a caller adds to an entry's statement (append.c): more CTEs after the
 * entry's (e: its id as e.id), whose parameters follow the entry's 13
 * ($14 on; the entry's are $1 kind, $2 org, $3 subject, $4 chain_key, $5
 * prev_digest, $6 header, $7 payload_digest, $8 body_digest, $9 nonce, $10
 * expires_block, $11 signature, $12 submitted_at, $13 digest), and one more
 * column of the result. plans: the caller's three kept statements (no
 * chain, a chain started, a chain's next entry).
 */
#define BROP_APPEND_EXTRA_MAX_ARGS 16
typedef struct brop_append_extra
{
	const char *ctes;
	const char *select;
	int			nargs;
	const Oid  *types;
	const Datum *values;
	const char *nulls;
	SPIPlanPtr *plans;
} brop_append_extra;

/*
 * brop_ledger_append with extra (or none), whose column is returned in
 * *extra_out (append.c): false if the organisation already used the nonce;
 * the new id in *id; the new row in *row unless row is NULL (with extra it
 * must be).
 */
extern bool brop_ledger_append_extra(const entry_fields *f, unsigned char *digest, int64 *id,
									 HeapTupleHeader *row, const brop_append_extra *extra, Datum *extra_out,
									 bool *extra_null);

/* The entry holding f's nonce when it has f's signed fields, else ERROR (append.c). */
extern HeapTupleHeader brop_entry_existing(const entry_fields *f);

/* A chain's head and length (append.c); false if the chain has no entry. */
extern bool brop_chain_state(text *chain_key, unsigned char *head, int64 *length);

/*
 * What an operator watches and guards: the node's identity (node_identity.c:
 * a restored copy does not seal until adopted) and the sealing worker's state
 * in shared memory (sealer_state.c), read by brop.sealer() and brop.status.
 */
/*
 * Inside SPI_connect(): ERROR unless this database is the one the ledger was
 * configured in (or adopted as), by the cluster's system identifier and the
 * database's OID recorded in brop.node_identity. A schema without that table
 * (1.0, before ALTER EXTENSION UPDATE) passes.
 */
extern void brop_node_identity_check(void);

/* With shared_preload_libraries: ask for the sealer's shared state (module.c). */
extern void brop_sealer_state_request(void);

/* The sealing worker publishes: started, then after every attempt (ed NULL: it succeeded). */
extern void brop_sealer_state_started(const char *database);
extern void brop_sealer_state_attempt(const ErrorData *ed, int failures, TimestampTz next);

/*
 * The rows a module above keeps beside the log, checked by
 * brop.verify_ledger() (verify_ledger.c) in passes: each row against its
 * entry, then each entry that states a row against the row, then state a
 * row derives from later entries. A check is a query giving its first
 * problem as (entry bigint, problem text), the smallest entry first (NULLS
 * FIRST); registered by _PG_init, so that only the owner names its tables.
 */
typedef enum brop_check_group
{
	BROP_CHECK_ROWS,
	BROP_CHECK_MISSING,
	BROP_CHECK_STATUS,
	BROP_CHECK_GROUPS
} brop_check_group;

extern void brop_ledger_add_check(brop_check_group group, const char *sql);

#endif /* BROP_PG_LEDGER_H */
