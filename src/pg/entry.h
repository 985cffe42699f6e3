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

/* Fields of a brop.entry row. */
extern void brop_entry_from_row(HeapTupleHeader row, entry_fields *f);

/* ERROR unless the fields are a valid entry (docs/ledger.md, "Limits"). */
extern void brop_entry_check_fields(const entry_fields *f);

/* The leaf hash into leaf, and the signing input, from one JSON text. */
extern bytea *brop_entry_forms(const entry_fields *f, unsigned char *leaf);

/* brop_verify() of the organisation's signature over the signing input msg. */
extern int	brop_entry_signature_check(const entry_fields *f, const bytea *msg);

#endif							/* BROP_PG_ENTRY_H */
