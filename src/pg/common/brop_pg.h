/*
 * brop_pg.h — shared declarations of the PostgreSQL glue.
 */
#ifndef BROP_PG_H
#define BROP_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "access/htup.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "brop.h"

/* GUCs (module.c) */
extern char *brop_root_key_file;
extern char *brop_salt_key_file;
extern char *brop_database;
extern int	brop_block_interval;

/*
 * brop's catalog ids (plans.c): its schema and the types its statements'
 * parameters take; looked up once, and again after the extension is dropped
 * and made again. ERROR if the extension is not installed.
 */
typedef struct brop_ids
{
	Oid			nsp;
	Oid			did;			/* brop.did */
	Oid			digest;			/* brop.digest */
} brop_ids;
extern const brop_ids *brop_ids_get(void);

/*
 * A statement prepared on first use into *plan and kept for the backend's
 * life (plans.c), until the extension is dropped: then every kept statement
 * is freed, and prepared again on its next use. Call inside SPI_connect().
 * In types, BROP_DID_TYPE and BROP_DIGEST_TYPE stand for brop.did and
 * brop.digest (no type has these OIDs). options: SPI_prepare_cursor's, e.g.
 * CURSOR_OPT_GENERIC_PLAN.
 */
#define BROP_DID_TYPE ((Oid) 1)
#define BROP_DIGEST_TYPE ((Oid) 2)
#define BROP_KEPT_MAX_ARGS 32
extern SPIPlanPtr brop_kept_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types, int options);
/* The kept statement in *plan, or NULL if it must be prepared (again) with brop_kept_plan. */
extern SPIPlanPtr brop_kept_plan_get(SPIPlanPtr *plan);
/* The same (spi_plan.c), options 0. */
extern SPIPlanPtr brop_spi_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types);
/* The same, always executed with its generic plan (spi_plan.c). */
extern SPIPlanPtr brop_spi_plan_generic(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types);

/* The sealing background worker (worker.c). */
extern void brop_register_sealer(void);

/*
 * Turn a core error code into ereport(ERROR) — the only place that does.
 * what names the object, e.g. "signature", "base64 input"; as_input says
 * the value came from a type's text input (SQLSTATE 22P02 for syntax).
 */
extern void brop_pg_error(int rc, const char *what, bool as_input) pg_attribute_noreturn();

/* Raise unless rc is 0. */
static inline void
brop_pg_check(int rc, const char *what)
{
	if (unlikely(rc != 0))
		brop_pg_error(rc, what, false);
}

/*
 * The comparison functions of a type with a total order given by
 * cmp_internal(fcinfo) (<0, 0, >0): prefix_eq, _ne, _lt, _le, _gt, _ge, _cmp.
 */
#define BROP_COMPARISON_FUNCTIONS(prefix, cmp_internal) \
	BROP_COMPARISON_FN(prefix##_eq, cmp_internal, c == 0) \
	BROP_COMPARISON_FN(prefix##_ne, cmp_internal, c != 0) \
	BROP_COMPARISON_FN(prefix##_lt, cmp_internal, c < 0) \
	BROP_COMPARISON_FN(prefix##_le, cmp_internal, c <= 0) \
	BROP_COMPARISON_FN(prefix##_gt, cmp_internal, c > 0) \
	BROP_COMPARISON_FN(prefix##_ge, cmp_internal, c >= 0) \
	PG_FUNCTION_INFO_V1(prefix##_cmp); \
	Datum prefix##_cmp(PG_FUNCTION_ARGS) \
	{ \
		int			c = cmp_internal(fcinfo); \
		PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0)); \
	}

#define BROP_COMPARISON_FN(name, cmp_internal, expr) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) \
	{ \
		int			c = cmp_internal(fcinfo); \
		PG_RETURN_BOOL(expr); \
	}

/* brop.did values (did.c) */
typedef struct brop_did_value
{
	brop_alg	alg;
	size_t		len;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
} brop_did_value;

extern void brop_did_unpack(Datum d, brop_did_value *out);
extern Datum brop_did_pack(brop_alg alg, const unsigned char *pk, size_t len);
extern brop_alg brop_alg_from_text(text *t);
extern char *brop_did_cstring(Datum did);
/* The OID of type brop.name (keyring.c). */
extern Oid brop_type_oid(const char *name);

/* The keyring (keyring.c): one operation with a key's secret. */
typedef enum brop_key_use
{
	USE_SIGN,
	USE_SIGN_SCHNORR,
	USE_SIGN_NOTE,
	USE_SEAL
} brop_key_use;

/* A 32-byte key from the file named by setting guc, whose value is path; kind names it in messages. */
extern void brop_load_key_file(unsigned char key[32], const char *kind, const char *guc, const char *path);

/* Acting as the owner of brop's tables, and back (keyring.c). */
typedef struct brop_owner_state
{
	Oid			saved_user;
	int			saved_context;
} brop_owner_state;
extern void brop_become_owner(brop_owner_state *st);
extern void brop_restore_user(brop_owner_state *st);

extern bytea *brop_keyring_use(const char *label, brop_key_use use, bytea *message,
							   const brop_did_value *recipient, const char *note_name);

/*
 * A key's secret for a caller allowed to use it, and its did (keyring.c):
 * palloc'd, wiped when its memory context is reset (also on error); wipe it
 * when done.
 */
extern unsigned char *brop_keyring_secret(const char *label, brop_did_value *did);

/* Batch forms of the messages under one signature by a keyring key (sign_batch.c). */
extern bytea **brop_sign_batch(const char *label, bytea *const *messages, int n);

/* RFC 8785 output into a StringInfo (jcs.c); strings in UTF-8. */
extern void brop_pg_jcs_string(StringInfo buf, const char *s, int len);
extern void brop_pg_jcs_jsonb(StringInfo buf, Jsonb *jb);

/* Recompute a stored entry's leaf hash; NULL or what is wrong (entry.c). */
extern const char *brop_entry_check(HeapTupleHeader row, unsigned char *leaf, bool verify_signature);

/*
 * The signed text of a block's checkpoint (checkpoint.c): origin, size,
 * base64 root, then "block N", "time T" and, after the first block,
 * "previous HEX" lines.
 */
extern text *brop_block_checkpoint_body(const char *origin, uint64 size, const unsigned char *root,
										int64 number, TimestampTz when, const unsigned char *prev);

/* A brop.proof value (proof.c). */
extern bytea *brop_proof_make(brop_merkle_proof_kind kind, uint64 a, uint64 b,
							  const brop_merkle_hash *hashes, size_t n);

/*
 * A member's key, after a comma unless the object was just opened; key is
 * plain ASCII, needing no escape (entry.c).
 */
extern void brop_pg_json_key(StringInfo buf, const char *key);

/* RFC 3339 UTC time with microseconds, "2026-11-21T10:00:03.123456Z" (entry.c). */
#define BROP_TIME_TEXT_MAX 32
#define BROP_TIME_TEXT_LEN 27		/* YYYY-MM-DDTHH:MM:SS.ffffffZ */
extern void brop_pg_time_text(char out[BROP_TIME_TEXT_MAX], TimestampTz t);

/* An inclusion proof from the stored tiles, inside SPI (log_proof.c); its length. */
extern size_t brop_log_inclusion_proof(uint64 position, uint64 size, brop_merkle_hash *proof);

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

#endif /* BROP_PG_H */
