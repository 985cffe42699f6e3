/*
 * registration.h — the registration module (src/pg/registration):
 * registered tables and brop.registration (registration.c, lookup.c), their
 * rows' texts, documents and digests (row.c, row_version.c), the capture
 * trigger and queue (capture.c) and its drain into entries (capture_drain.c).
 */
#ifndef BROP_PG_REGISTRATION_H
#define BROP_PG_REGISTRATION_H

#include "ledger/ledger.h"
#include "utils/rel.h"
#include "brop_encoding.h"
#include "brop_row.h"

/*
 * How a column's text is made under the fixed output settings
 * (docs/formats.md, "Row digests"): by its output function, which no
 * setting changes; by brop's own formatting of a type whose output depends
 * on one (or, for uuid, faster than it); or by the output function under
 * the settings applied (slowest).
 */
typedef enum row_text_format
{
	/* the numbers are those of capture records (below): do not renumber */
	ROW_TEXT_OUTPUT = 0,
	ROW_TEXT_TIMESTAMPTZ = 1,
	ROW_TEXT_TIMESTAMP = 2,
	ROW_TEXT_DATE = 3,
	ROW_TEXT_INTERVAL = 4,
	ROW_TEXT_FLOAT4 = 5,
	ROW_TEXT_FLOAT8 = 6,
	ROW_TEXT_BYTEA = 7,
	ROW_TEXT_UUID = 8,
	ROW_TEXT_SETTINGS = 9
} row_text_format;

/* One registered column: its attribute and text output. */
typedef struct reg_column
{
	AttrNumber	attnum;
	char	   *name;
	FmgrInfo	out;
	row_text_format format;
} reg_column;

/* A registration as the capture trigger uses it, cached per table. */
typedef struct registration
{
	Oid			relid;			/* hash key */
	MemoryContext cxt;			/* holds everything below */
	bool		stale;			/* invalidated; reloaded at next use */
	char	   *name;
	int			nkeys;
	reg_column *keys;			/* in key_columns order */
	int		   *key_in_cols;	/* for each key column, its index in cols, or -1 */
	int			nextra;			/* key columns not among cols */
	int			ncols;
	reg_column *cols;			/* in RFC 8785 key order */
	brop_row_layout *layout;	/* the document's, of cols' names (the core's, for every row) */
	AttrNumber	subject;		/* 0: none */
	int			profile;
	char	   *signing_key;
	Datum		org;			/* brop.did */
	char	   *org_text;
	Oid			registrant;		/* whose rights use the signing key */
	int64		entry;			/* the registration's entry: its id in the capture queue */
	bool		fixed_output;	/* no column's text needs the settings applied (ROW_TEXT_SETTINGS) */
} registration;

/* The name of the capture trigger on a registered table. */
#define CAPTURE_TRIGGER "brop_capture"

/* The registration of a table with the capture trigger (ERROR if none). */
extern registration *brop_registration_get(Oid relid);

/* The layout of r's rows (its name set) from its columns' names, no table needed (lookup.c). */
extern void brop_registration_layout(registration *r, Datum *keys, int nkeys, Datum *cols, int ncols);

/* The columns of r (its name set) in rel, by name; subject NULL for none (lookup.c). */
extern void brop_registration_columns(registration *r, Relation rel, Datum *keys, int nkeys, Datum *cols, int ncols,
									  const char *subject);

/*
 * A row of brop.registration. lookup.c is the one reader of the table:
 * every other file, and every other module, asks it.
 */
typedef struct brop_registration_row
{
	char	   *name;
	Oid			relid;
	Datum	   *keys;			/* key_columns (text) */
	int			nkeys;
	Datum	   *cols;			/* columns (text) */
	int			ncols;
	char	   *subject;		/* subject_column, or NULL */
	int			profile;
	char	   *signing_key;
	char	   *capture;		/* "trigger" or "plugin" */
	Datum		org;			/* brop.did */
	Oid			registrant;
	int64		entry;
} brop_registration_row;

/*
 * The registration of table relid or, if relid is InvalidOid, the one whose
 * entry is entry, into out (in the caller's memory context); false if none.
 * read_only: with the caller's snapshot (SPI's read_only), else a new one.
 */
extern bool brop_registration_find(Oid relid, int64 entry, bool read_only, brop_registration_row *out);

/* The name of a registration named name or of table relid (palloc'd), or NULL if none (lookup.c). */
extern char *brop_registration_taken(const char *name, Oid relid);

/* The registration of rel with capture 'plugin' as logical decoding reads it; false if none (lookup.c). */
extern bool brop_registration_decoded(Oid *regrel_id, Relation rel, registration *r);

/* The header of a registration entry, in RFC 8785 order (registration.c). */
extern void brop_registration_header(StringInfo h, const char *op, const char *name, Datum *keys, int nkeys,
									 Datum *cols, int ncols, const char *subject, int profile, const char *capture);

/* A row's chain key (the core's brop_row_chain_key), its chain id into chain_id unless NULL (row_version.c). */
extern text *brop_row_chain(const registration *reg, const StringInfoData *key, unsigned char *chain_id);

/*
 * One version of a row: its entry's header (JCS text by the core's
 * brop_row_header, palloc'd, its length into *header_len), its digest
 * (row_version.c).
 */
extern char *brop_row_version(const registration *reg, const char *op, const StringInfoData *key,
							  const StringInfoData *doc, uint64 version, size_t *header_len,
							  unsigned char digest[BROP_ROW_DIGEST_BYTES]);

/* The salt key of registered rows (brop.salt_key_file), read once per setting. */
extern const unsigned char *brop_salt_key(void);
extern const brop_hmac_sha256_key *brop_salt_key_prepared(void);
extern const unsigned char *brop_capture_queue_key(void);

/* The fixed output settings of row texts, once for many rows (row.c); restore with the level returned. */
extern int	brop_row_settings_apply(void);
extern void brop_row_settings_restore(int nest);

/* How the text of a column of type type (a base type) is made (row.c). */
extern row_text_format brop_row_text_format(Oid type);

/* Text output of the columns, JCS row key and JCS document (row.c). */
extern void brop_row_texts(const registration *reg, HeapTuple tuple, TupleDesc desc,
						   StringInfo key, StringInfo doc);

/*
 * The values of the registered columns (in cols order) then of the key
 * columns not among them, as capture record values (brop_capture_record.h), appended to
 * buf; starts[i] is where value i begins, starts[ncols + nextra] the end
 * (row.c).
 */
extern void brop_row_values(const registration *reg, TupleTableSlot *slot, StringInfo buf, int *starts);

/*
 * The text of a value in binary of format f (row.c): in fixed (room for
 * MAXDATELEN + 1 bytes) or palloc'd, its length into *len.
 */
extern char *brop_row_binary_text(int f, const unsigned char *b, size_t n, char *fixed, size_t *len);

/*
 * The JCS row key and document of a row's texts, by the core (row.c):
 * vals[0..ncols) the registered columns' (text NULL for null), then the key
 * columns' not among them; appended to key and doc (either may be NULL).
 */
extern void brop_row_compose(const registration *reg, const brop_row_text *vals, StringInfo key, StringInfo doc);

/*
 * The capture queue (capture.c writes it, capture_drain.c drains it; docs/
 * registration.md, "The capture queue"): each chunk a sequence of records,
 * sealed with the transaction id and chunk number as associated data. The
 * records are written and read by the core (brop_capture_record.h); a
 * value in binary has its row_text_format as its format, the types brop
 * formats itself at their size in big-endian (an interval as its time,
 * days and months; a NaN as the canonical one), and the drain makes their
 * texts.
 */
/*
 * Turns the committed capture queue into entries (capture_drain.c), under
 * brop.block's lock; returns how many were appended.
 */
extern int64 brop_capture_drain(void);

/* Appends a row the table held when registered to the capture log, as a record of op 'e' (capture.c). */
extern void brop_capture_existing(const registration *reg, TupleTableSlot *slot);

/*
 * The rows a table holds as it is registered (existing.c): for capture
 * 'trigger', each into the capture log as an existing row of registration
 * name (its entry entry), with NOTICEs of progress; returns how many.
 */
extern int64 brop_register_existing_rows(Relation rel, const char *name, int64 entry, Datum *keys, int nkeys,
										 Datum *cols, int ncols, const char *subject, int profile);

/* For a partitioned table with capture 'plugin': ERROR if a partition holds a row (existing.c). */
extern void brop_register_refuse_rows(Relation rel, const char *qualified);

/*
 * For capture 'plugin' (existing.c): each row the table holds as a
 * transactional logical decoding message of this prefix (the table's OID, 4
 * bytes big-endian, then the row's heap tuple, TOASTed values inline), which
 * the output plugin makes a row line of op "existing"; NOTICEs of progress;
 * returns how many. A partitioned table with rows is refused.
 */
#define BROP_EXISTING_MESSAGE "brop-existing-row"
extern int64 brop_register_existing_messages(Relation rel);

/* Writes this transaction's capture log to the queue now, so a drain in it takes it too (capture.c). */
extern void brop_capture_flush_own(void);

/*
 * Signs the entry's fields with the keyring key label, with the rights of
 * role as_role (InvalidOid: the current user), and appends it; ERROR if the
 * nonce is taken. Returns the new entry's id.
 */
extern int64 brop_registration_append(entry_fields *f, const char *label, Oid as_role);

/* Registers the check of brop.registration with brop.verify_ledger() (ledger_checks.c; _PG_init). */
extern void brop_registration_ledger_checks(void);

#endif							/* BROP_PG_REGISTRATION_H */
