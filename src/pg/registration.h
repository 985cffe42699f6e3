/*
 * registration.h — registered tables (registration.c), their rows' entries
 * (capture.c); internal to the extension.
 */
#ifndef BROP_PG_REGISTRATION_H
#define BROP_PG_REGISTRATION_H

#include "brop_pg.h"
#include "utils/rel.h"
#include "brop_row.h"
#include "entry.h"

/* One registered column: its attribute and text output. */
typedef struct reg_column
{
	AttrNumber	attnum;
	char	   *name;
	char	   *member;			/* the name as a JCS string and a colon, for documents */
	int			member_len;
	FmgrInfo	out;
} reg_column;

/* A registration as the capture trigger uses it, cached per table. */
typedef struct registration
{
	Oid			relid;			/* hash key */
	MemoryContext cxt;			/* holds everything below */
	bool		stale;			/* invalidated; reloaded at next use */
	char	   *name;
	char	   *name_json;		/* the name as a JCS string, quotes included */
	int			name_json_len;
	int			nkeys;
	reg_column *keys;			/* in key_columns order */
	int		   *key_in_cols;	/* for each key column, its index in cols, or -1 */
	int			ncols;
	reg_column *cols;			/* in RFC 8785 key order */
	AttrNumber	subject;		/* 0: none */
	int			profile;
	char	   *signing_key;
	Datum		org;			/* brop.did */
	char	   *org_text;
	Oid			registrant;		/* whose rights use the signing key */
	bool		fixed_output;	/* every column's text output ignores session settings */
	Oid			did_type;
	Oid			digest_type;
} registration;

/* The registration of a table with the capture trigger (ERROR if none). */
extern registration *brop_registration_get(Oid relid);

/* The columns of r (its name set) in rel, by name; subject NULL for none (registration.c). */
extern void brop_registration_columns(registration *r, Relation rel, Datum *keys, int nkeys, Datum *cols, int ncols,
									  const char *subject);

/* The header of a registration entry, in RFC 8785 order (registration.c). */
extern void brop_registration_header(StringInfo h, const char *op, const char *name, Datum *keys, int nkeys,
									 Datum *cols, int ncols, const char *subject, int profile, const char *capture);

/* A row's chain key, its chain id in hex into chain_hex (capture.c). */
extern text *brop_row_chain(const registration *reg, const StringInfoData *key,
							char chain_hex[2 * BROP_ROW_CHAIN_ID_BYTES + 1]);

/* One version of a row: its entry's header (JCS text) appended to header, its digest (capture.c). */
extern void brop_row_version(const registration *reg, const char *op, const StringInfoData *key,
							 const StringInfoData *doc, const char *version, StringInfo header,
							 unsigned char digest[BROP_ROW_DIGEST_BYTES]);

/* The salt key of registered rows (brop.salt_key_file), read once per setting. */
extern const unsigned char *brop_salt_key(void);
extern const brop_hmac_sha256_key *brop_salt_key_prepared(void);

/* The fixed output settings of row texts, once for many rows (row.c); restore with the level returned. */
extern int	brop_row_settings_apply(void);
extern void brop_row_settings_restore(int nest);

/* Text output of the columns, JCS row key and JCS document (row.c). */
extern void brop_row_texts(const registration *reg, HeapTuple tuple, TupleDesc desc,
						   StringInfo key, StringInfo doc);

/*
 * Signs the entry's fields with the keyring key label, with the rights of
 * role as_role (InvalidOid: the current user), and appends it; ERROR if the
 * nonce is taken. Returns the new entry's id.
 */
extern int64 brop_registration_append(entry_fields *f, const char *label, Oid as_role,
									  Oid did_type, Oid digest_type);

#endif							/* BROP_PG_REGISTRATION_H */
