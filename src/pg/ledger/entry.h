/*
 * entry.h — an entry's fields, shared by the canonical forms and checks
 * (entry.c) and submission (submit.c); internal to the extension.
 */
#ifndef BROP_PG_ENTRY_H
#define BROP_PG_ENTRY_H

#include "brop_pg.h"

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

/* ERROR (22023) unless brop_entry_signature_check passes (submit.c). */
extern void brop_entry_verify_signature(const entry_fields *f, const bytea *msg);

/*
 * Appends the entry of checked, signed fields whose leaf hash is digest, with
 * its chain head in one statement, then its pending row (submit.c); NULL if the
 * organisation already used the nonce, else the new row of brop.entry; the
 * new id in *id if id is not NULL. ERROR (42501) for a credential's chain
 * that org may not extend. did_type and digest_type are not used (plans.c
 * knows brop's types); they stay for the callers that pass them.
 */
extern HeapTupleHeader brop_ledger_append(const entry_fields *f, unsigned char *digest, Oid did_type,
										  Oid digest_type, int64 *id);

/*
 * What a caller adds to an entry's statement (submit.c): more CTEs after the
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
 * *extra_out (submit.c): false if the organisation already used the nonce;
 * the new id in *id; the new row in *row unless row is NULL (with extra it
 * must be).
 */
extern bool brop_ledger_append_extra(const entry_fields *f, unsigned char *digest, int64 *id,
									 HeapTupleHeader *row, const brop_append_extra *extra, Datum *extra_out,
									 bool *extra_null);

/* The entry holding f's nonce when it has f's signed fields, else ERROR (submit.c). */
extern HeapTupleHeader brop_entry_existing(const entry_fields *f);

/* A chain's head and length (submit.c); false if the chain has no entry. */
extern bool brop_chain_state(text *chain_key, unsigned char *head, int64 *length, Oid did_type, Oid digest_type);

#endif							/* BROP_PG_ENTRY_H */
