/*
 * keyring.c — server-side keys: created in the server, stored encrypted
 * under the root key (brop.root_key_file), used only by roles granted them,
 * never returned to SQL. A key may instead be in a PKCS#11 token, its row
 * holding the token's URI (token_key.c signs with it).
 *
 * The key tables are readable only by their owner (the extension's owner).
 * These functions run as the caller, check the caller's rights themselves,
 * and switch to the tables' owner for the moment they read or write them,
 * with every object in their queries schema-qualified.
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "keyring/keyring.h"

#define LABEL_MAX 128
#define ROOT_FILE_MAX 256

typedef struct keyring_row
{
	int64		id;
	brop_alg	alg;
	brop_did_value did;
	Oid			owner;
	unsigned char box[BROP_KEYBOX_BYTES];
	unsigned char root_id[BROP_ROOTKEY_ID_BYTES];
	char	   *token_uri;		/* a key in a PKCS#11 token: its URI (then no box); else NULL */
	bool		may_use;		/* caller is the owner, a grantee, or superuser */
} keyring_row;

/* ---- the root key -------------------------------------------------------- */

/*
 * Reads a 32-byte key (64 hexadecimal digits) from the file named by the
 * setting guc (path is its value), called kind in messages: the keyring's
 * root key, the salt key of registered rows. The file must be a regular file
 * the server's user alone may read.
 */
void
brop_load_key_file(unsigned char key[32], const char *kind, const char *guc, const char *path)
{
	char		buf[ROOT_FILE_MAX];
	struct stat st;
	int			fd;
	ssize_t		n;
	int			rc;
	const char *what;

	if (path == NULL || path[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s is not set", guc),
				 errhint("Set %s to a file holding 64 hexadecimal digits, readable only by the server's user.", guc)));

	/*
	 * The setting is hidden from roles that may not read all settings; so is
	 * the path in these messages (the server log always has it). Who may read
	 * them is in the catalogs, which only a transaction may read, and not
	 * under logical decoding's historic snapshot: a walsender starting the
	 * output plugin (no transaction) or decoding hides the path too.
	 */
	if (IsTransactionState() && !HistoricSnapshotActive() &&
		(superuser() || has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_SETTINGS)))
		what = psprintf("%s \"%s\"", kind, path);
	else
		what = kind;

	fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open %s: %m", what),
				 errdetail_log("%s is \"%s\".", guc, path)));
	/* closed before any error: outside a transaction, nothing would close it */
	if (fstat(fd, &st) != 0)
	{
		int			save_errno = errno;

		CloseTransientFile(fd);
		errno = save_errno;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat %s: %m", what),
				 errdetail_log("%s is \"%s\".", guc, path)));
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)))
		CloseTransientFile(fd);
	if (!S_ISREG(st.st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("%s is not a regular file", what),
				 errdetail_log("%s is \"%s\".", guc, path)));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("%s has group or world access", what),
				 errdetail("File must have permissions u=rw (0600) or less."),
				 errdetail_log("%s is \"%s\"; it must have permissions u=rw (0600) or less.", guc, path)));

	n = read(fd, buf, sizeof buf);
	rc = errno;
	CloseTransientFile(fd);
	if (n < 0)
	{
		explicit_bzero(buf, sizeof buf);
		errno = rc;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read %s: %m", what),
				 errdetail_log("%s is \"%s\".", guc, path)));
	}
	rc = brop_rootkey_parse(key, buf, (size_t) n);
	explicit_bzero(buf, sizeof buf);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("%s is malformed", what),
				 errdetail("It must hold exactly 64 hexadecimal digits."),
				 errdetail_log("%s is \"%s\"; it must hold exactly 64 hexadecimal digits.", guc, path)));
}

static void
load_root_key(unsigned char root[BROP_ROOTKEY_BYTES])
{
	StaticAssertStmt(BROP_ROOTKEY_BYTES == 32, "a root key is 32 bytes");
	brop_load_key_file(root, "root key file", "brop.root_key_file", brop_root_key_file);
}

/* ---- helpers ------------------------------------------------------------- */

void
brop_keyring_check_label(const char *label)
{
	size_t		len = strlen(label);

	if (len == 0 || len > LABEL_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid key label length: %zu", len),
				 errdetail("A key label has 1 to %d characters.", LABEL_MAX)));
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) label[i];

		if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '@' || c == '/'))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid key label: \"%s\"", brop_pg_quote_cstring(label)),
					 errdetail("A key label may contain letters, digits and _ - . : @ / only.")));
	}
}

/* Associated data that binds a keybox to its row: label, algorithm, public key. */
static size_t
keybox_ad(unsigned char *ad, size_t cap, const char *label, brop_alg alg,
		  const brop_did_value *did)
{
	static const char prefix[] = "brop-key-v1";
	const char *algname = brop_alg_name(alg);
	size_t		n = 0;

	Assert(cap >= sizeof prefix + LABEL_MAX + 16 + BROP_PUBLICKEY_MAX_BYTES + 2);
	memcpy(ad + n, prefix, sizeof prefix);	/* with its NUL */
	n += sizeof prefix;
	memcpy(ad + n, label, strlen(label) + 1);
	n += strlen(label) + 1;
	memcpy(ad + n, algname, strlen(algname) + 1);
	n += strlen(algname) + 1;
	memcpy(ad + n, did->pk, did->len);
	n += did->len;
	return n;
}

static bool
may_use_key(Oid caller, Oid owner, ArrayType *grantees)
{
	Datum	   *elems;
	int			nelems;

	if (superuser_arg(caller) || has_privs_of_role(caller, owner))
		return true;
	deconstruct_array(grantees, OIDOID, sizeof(Oid), true, TYPALIGN_INT, &elems, NULL, &nelems);
	for (int i = 0; i < nelems; i++)
	{
		Oid			grantee = DatumGetObjectId(elems[i]);

		/* grants to dropped roles are void (role OIDs repeat only after wraparound) */
		if (SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(grantee)) &&
			has_privs_of_role(caller, grantee))
			return true;
	}
	return false;
}

#define KEY_SQL(token_uri) \
	"SELECT k.id, k.alg, k.did, k.owner::pg_catalog.oid, k.secret_box, k.root_key_id, " \
	"  ARRAY(SELECT g.grantee::pg_catalog.oid FROM brop.key_grant g " \
	"                   WHERE g.key_id OPERATOR(pg_catalog.=) k.id), " token_uri " " \
	"FROM brop.key k WHERE k.label OPERATOR(pg_catalog.=) $1"

/* Read a key's row as the keyring's owner; ERROR if there is none. */
static void
keyring_fetch(const char *label, keyring_row *row)
{
	static SPIPlanPtr plan = NULL;
	static SPIPlanPtr plan_10 = NULL;
	MemoryContext caller_cxt = CurrentMemoryContext;
	Oid			caller = GetUserId();
	brop_owner_state st;
	bool		has_tokens;
	Datum		arg = CStringGetTextDatum(label);
	bool		isnull;
	HeapTuple	tup;
	TupleDesc	desc;
	bytea	   *b;
	int			ret;

	brop_keyring_check_label(label);
	/* a schema still at 1.0 (before ALTER EXTENSION UPDATE) has no key in a token */
	has_tokens = get_attnum(brop_ids_get()->key, "token_uri") != InvalidAttrNumber;
	brop_become_owner(&st);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_plan(has_tokens
						   ? brop_spi_plan(&plan, KEY_SQL("k.token_uri"), 1, (Oid[]) {TEXTOID})
						   : brop_spi_plan(&plan_10, KEY_SQL("NULL::pg_catalog.text"), 1, (Oid[]) {TEXTOID}),
						   &arg, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "keyring query failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("key \"%s\" does not exist", brop_pg_quote_cstring(label))));

	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	row->id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
	{
		text	   *alg = DatumGetTextPP(SPI_getbinval(tup, desc, 2, &isnull));

		if (brop_alg_from_name(&row->alg, VARDATA_ANY(alg), VARSIZE_ANY_EXHDR(alg)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored algorithm of key \"%s\" is invalid", brop_pg_quote_cstring(label))));
	}
	brop_did_unpack(SPI_getbinval(tup, desc, 3, &isnull), &row->did);
	row->owner = DatumGetObjectId(SPI_getbinval(tup, desc, 4, &isnull));
	/* a key in a token has its URI and no box (CHECK key_box_or_token) */
	{
		char	   *uri = SPI_getvalue(tup, desc, 8);

		row->token_uri = uri == NULL ? NULL : MemoryContextStrdup(caller_cxt, uri);
	}
	if (row->token_uri == NULL)
	{
		b = DatumGetByteaPP(SPI_getbinval(tup, desc, 5, &isnull));
		if (isnull || VARSIZE_ANY_EXHDR(b) != BROP_KEYBOX_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored secret of key \"%s\" has the wrong length", brop_pg_quote_cstring(label))));
		memcpy(row->box, VARDATA_ANY(b), BROP_KEYBOX_BYTES);
		b = DatumGetByteaPP(SPI_getbinval(tup, desc, 6, &isnull));
		if (isnull || VARSIZE_ANY_EXHDR(b) != BROP_ROOTKEY_ID_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored root key id of key \"%s\" has the wrong length", brop_pg_quote_cstring(label))));
		memcpy(row->root_id, VARDATA_ANY(b), BROP_ROOTKEY_ID_BYTES);
	}
	row->may_use = may_use_key(caller, row->owner,
							   DatumGetArrayTypeP(SPI_getbinval(tup, desc, 7, &isnull)));
	SPI_finish();
	brop_restore_user(&st);
}

/* ERROR unless the caller may use the key (its owner, a grantee, a superuser). */
static void
check_may_use(const char *label, const keyring_row *row)
{
	if (!row->may_use)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for key \"%s\"", brop_pg_quote_cstring(label)),
				 errhint("The key's owner can grant its use with brop.grant_key().")));
}

/*
 * A key in a token cannot do what needs its secret (docs/security.md, "Keys
 * in a PKCS#11 token"): what names what was asked.
 */
static void
refuse_token_key(const char *label, const char *what, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("key \"%s\" is in a PKCS#11 token and cannot %s", brop_pg_quote_cstring(label), what),
			 errdetail("%s", why),
			 errhint("Use a key made by brop.create_key() for this.")));
}

/*
 * Decrypt the key's secret into secret[32] for a caller allowed to use it.
 * The caller wipes secret, also on error (brop_keyring_use does, in PG_FINALLY).
 */
static void
keyring_open_secret(const char *label, const keyring_row *row, unsigned char secret[BROP_SECRETKEYBYTES])
{
	unsigned char root[BROP_ROOTKEY_BYTES];
	unsigned char root_id[BROP_ROOTKEY_ID_BYTES];
	unsigned char ad[256];
	size_t		adlen;
	int			rc;

	Assert(row->token_uri == NULL);
	check_may_use(label, row);

	load_root_key(root);
	rc = brop_rootkey_id(root_id, root);
	if (rc == 0 && !brop_equal_ct(root_id, row->root_id, BROP_ROOTKEY_ID_BYTES))
	{
		brop_wipe(root, sizeof root);
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("key \"%s\" was encrypted under a different root key", brop_pg_quote_cstring(label)),
				 errdetail("The file named by brop.root_key_file does not hold the root key of this keyring.")));
	}
	adlen = keybox_ad(ad, sizeof ad, label, row->alg, &row->did);
	if (rc == 0)
		rc = brop_keybox_open(secret, root, row->box, BROP_KEYBOX_BYTES, ad, adlen);
	brop_wipe(root, sizeof root);
	if (rc == BROP_EDECRYPT)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored secret of key \"%s\" failed authentication", brop_pg_quote_cstring(label)),
				 errdetail("The keyring row was altered or moved.")));
	brop_pg_check(rc, "stored key");
}

static void
wipe_secret(void *arg)
{
	brop_wipe(arg, BROP_SECRETKEYBYTES);
}

/*
 * A key's secret for a caller allowed to use it (as brop.sign checks), for
 * several operations with one opening: palloc'd in the current memory
 * context, which wipes it when reset (also on error); the caller wipes it
 * as soon as it is done. Out: the key's did.
 */
unsigned char *
brop_keyring_secret(const char *label, brop_did_value *did)
{
	keyring_row row;
	unsigned char *secret = palloc0(BROP_SECRETKEYBYTES);
	MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));

	cb->func = wipe_secret;
	cb->arg = secret;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	keyring_fetch(label, &row);
	if (row.token_uri != NULL)
		refuse_token_key(label, "sign credentials",
						 "Credentials and their envelopes are made with the key's secret, and a key in a token never leaves it.");
	keyring_open_secret(label, &row, secret);
	*did = row.did;
	return secret;
}

/* ---- SQL functions ------------------------------------------------------- */

/* brop.create_key(alg text, label text) RETURNS brop.did */
PG_FUNCTION_INFO_V1(brop_create_key);
Datum
brop_create_key(PG_FUNCTION_ARGS)
{
	brop_alg	alg = brop_alg_from_text(PG_GETARG_TEXT_PP(0));
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Oid			caller = GetUserId();
	unsigned char *secret;
	unsigned char root[BROP_ROOTKEY_BYTES];
	unsigned char root_id[BROP_ROOTKEY_ID_BYTES];
	unsigned char box[BROP_KEYBOX_BYTES];
	unsigned char ad[256];
	brop_did_value did;
	Datum		did_datum;
	brop_owner_state st;
	int			rc;

	brop_keyring_check_label(label);
	if (alg == BROP_ALG_X25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("keyring keys must be able to sign"),
				 errdetail("X25519 keys are for key agreement only."),
				 errhint("Use ed25519: its X25519 counterpart is derived from it.")));

	secret = palloc(BROP_SECRETKEYBYTES);
	PG_TRY();
	{
		rc = brop_key_generate(secret, alg);
		if (rc == 0)
			rc = brop_key_public(did.pk, sizeof did.pk, &did.len, alg, secret);
		brop_pg_check(rc, "generated key");
		did.alg = alg;
		load_root_key(root);
		rc = brop_rootkey_id(root_id, root);
		if (rc == 0)
			rc = brop_keybox_seal(box, root, secret,
								  ad, keybox_ad(ad, sizeof ad, label, alg, &did));
		brop_wipe(root, sizeof root);
		brop_pg_check(rc, "key");
	}
	PG_FINALLY();
	{
		brop_wipe(secret, BROP_SECRETKEYBYTES);
		brop_wipe(root, sizeof root);
	}
	PG_END_TRY();
	pfree(secret);

	did_datum = brop_did_pack(alg, did.pk, did.len);
	brop_become_owner(&st);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Oid			types[6] = {TEXTOID, TEXTOID, brop_type_oid("did"), OIDOID, BYTEAOID, BYTEAOID};
		Datum		values[6];
		bytea	   *didbytes = (bytea *) DatumGetPointer(did_datum);
		bytea	   *boxb = brop_pg_bytea_from(box, sizeof box);
		bytea	   *idb = brop_pg_bytea_from(root_id, sizeof root_id);

		values[0] = CStringGetTextDatum(label);
		values[1] = CStringGetTextDatum(brop_alg_name(alg));
		values[2] = PointerGetDatum(didbytes);
		values[3] = ObjectIdGetDatum(caller);
		values[4] = PointerGetDatum(boxb);
		values[5] = PointerGetDatum(idb);

		/* the keyring's root key: recorded by its first key, the same for every later one */
		rc = SPI_execute_with_args("INSERT INTO brop.key_root (root_key_id) VALUES ($1)"
								   " ON CONFLICT (singleton) DO NOTHING",
								   1, &types[5], &values[5], NULL, false, 0);
		if (rc != SPI_OK_INSERT)
			elog(ERROR, "keyring root insert failed: %s", SPI_result_code_string(rc));
		rc = SPI_execute_with_args("SELECT r.root_key_id OPERATOR(pg_catalog.=) $1 FROM brop.key_root r",
								   1, &types[5], &values[5], NULL, false, 1);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "keyring root query failed: %s", SPI_result_code_string(rc));
		if (SPI_processed == 1)
		{
			bool		isnull;

			if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("brop.root_key_file does not hold the keyring's root key"),
						 errdetail("The keyring's keys are encrypted under the root key whose id brop.key_root records; one keyring has one root key."),
						 errhint("Set brop.root_key_file to the file of the root key the keyring was made with.")));
		}
		brop_keyring_insert(label, types, values, false);
	}
	SPI_finish();
	brop_restore_user(&st);
	PG_RETURN_DATUM(did_datum);
}

/*
 * Insert a key's row, inside SPI as brop's owner; ERROR (42710) if the
 * label is taken. values: label, alg, did, owner, then the secret box and
 * the root key's id (in_token false), or the token's URI (in_token true),
 * as types says. A box key names only 1.0's columns, so a database not yet
 * updated to 1.1 takes it.
 */
void
brop_keyring_insert(const char *label, Oid *types, Datum *values, bool in_token)
{
	int			rc;

	rc = SPI_execute_with_args(in_token ?
							   "INSERT INTO brop.key (label, alg, did, owner, token_uri) "
							   "SELECT $1, $2, $3, $4::pg_catalog.regrole, $5 "
							   "WHERE NOT EXISTS (SELECT FROM brop.key k WHERE k.label OPERATOR(pg_catalog.=) $1)" :
							   "INSERT INTO brop.key (label, alg, did, owner, secret_box, root_key_id) "
							   "SELECT $1, $2, $3, $4::pg_catalog.regrole, $5, $6 "
							   "WHERE NOT EXISTS (SELECT FROM brop.key k WHERE k.label OPERATOR(pg_catalog.=) $1)",
							   in_token ? 5 : 6, types, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "keyring insert failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("key \"%s\" already exists", brop_pg_quote_cstring(label))));
}

/* brop.key_did(label text) RETURNS brop.did: public, as DIDs are. */
PG_FUNCTION_INFO_V1(brop_key_did);
Datum
brop_key_did(PG_FUNCTION_ARGS)
{
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(0));
	keyring_row row;

	keyring_fetch(label, &row);
	PG_RETURN_DATUM(brop_did_pack(row.did.alg, row.did.pk, row.did.len));
}

/*
 * Open the key, do one operation, wipe the secret on every path.
 * recipient is for USE_SEAL; note_name for USE_SIGN_NOTE (the message is
 * then the note's text).
 */
bytea *
brop_keyring_use(const char *label, brop_key_use use, bytea *message,
				 const brop_did_value *recipient, const char *note_name)
{
	keyring_row row;
	unsigned char *secret;
	bytea	   *volatile out = NULL;

	keyring_fetch(label, &row);
	if (row.token_uri != NULL && use == USE_SIGN_SCHNORR)
		refuse_token_key(label, "make BIP-340 signatures",
						 "BIP-340 signatures need a secp256k1 key; a key in a token is Ed25519 (CKM_EDDSA) or P-256 (CKM_ECDSA).");
	if (row.token_uri != NULL && use == USE_SEAL)
		refuse_token_key(label, "seal envelopes",
						 "Envelopes are made with the key's secret, and a key in a token never leaves it.");
	if (use == USE_SIGN_SCHNORR && row.alg != BROP_ALG_SECP256K1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("key \"%s\" is %s, not secp256k1", brop_pg_quote_cstring(label), brop_alg_name(row.alg)),
				 errdetail("BIP-340 signatures need a secp256k1 key.")));
	if ((use == USE_SEAL || use == USE_SIGN_NOTE) && row.alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("key \"%s\" is %s, not ed25519", brop_pg_quote_cstring(label), brop_alg_name(row.alg)),
				 errdetail(use == USE_SEAL ? "Envelopes are signed with Ed25519."
						   : "Signed notes are signed with Ed25519.")));
	if (row.token_uri != NULL)
	{
		check_may_use(label, &row);
		return brop_token_key_use(label, row.id, row.token_uri, &row.did, use == USE_SIGN_NOTE,
								  message, note_name);
	}

	secret = palloc(BROP_SECRETKEYBYTES);
	PG_TRY();
	{
		const unsigned char *m = (unsigned char *) VARDATA_ANY(message);
		size_t		mlen = VARSIZE_ANY_EXHDR(message);
		int			rc = 0;
		size_t		n = 0;

		keyring_open_secret(label, &row, secret);
		switch (use)
		{
			case USE_SIGN:
				out = palloc(VARHDRSZ + BROP_SIGNATURE_BYTES);
				rc = brop_sign((unsigned char *) VARDATA(out), row.alg, secret, m, mlen);
				n = BROP_SIGNATURE_BYTES;
				break;
			case USE_SIGN_SCHNORR:
				{
					unsigned char aux[32];

					if (!pg_strong_random(aux, sizeof aux))
						elog(ERROR, "could not generate random bytes");
					out = palloc(VARHDRSZ + BROP_SIGNATURE_BYTES);
					rc = brop_schnorr_sign((unsigned char *) VARDATA(out), m, mlen, secret, aux);
					n = BROP_SIGNATURE_BYTES;
					break;
				}
			case USE_SIGN_NOTE:
				{
					char	   *note = NULL;

					/* the core allocates with malloc; copy, then free */
					rc = brop_note_sign(&note, &n, (const char *) m, mlen,
										note_name, strlen(note_name), secret, NULL);
					if (rc == 0)
					{
						out = palloc_extended(VARHDRSZ + n, MCXT_ALLOC_NO_OOM | MCXT_ALLOC_HUGE);
						if (out != NULL)
							memcpy(VARDATA(out), note, n);
						else
							rc = BROP_ENOMEM;
					}
					free(note);
					break;
				}
			case USE_SEAL:
				{
					size_t		cap = mlen + BROP_ENVELOPE_OVERHEAD(BROP_ENVELOPE_RECIPIENT_MAX);

					if (cap > MaxAllocSize - VARHDRSZ)
						ereport(ERROR,
								(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
								 errmsg("envelope payload is too large")));
					out = palloc(VARHDRSZ + cap);
					rc = brop_envelope_seal((unsigned char *) VARDATA(out), cap, &n, m, mlen,
											recipient->alg, recipient->pk, recipient->len, secret);
					break;
				}
		}
		if (rc != 0)
			brop_pg_error(rc, use == USE_SEAL ? "recipient" :
						  use == USE_SIGN_NOTE ? "note" : "signing key", false);
		SET_VARSIZE(out, VARHDRSZ + n);
	}
	PG_FINALLY();
	{
		brop_wipe(secret, BROP_SECRETKEYBYTES);
	}
	PG_END_TRY();
	pfree(secret);
	return out;
}

/* brop.sign(label text, message bytea) RETURNS bytea */
PG_FUNCTION_INFO_V1(brop_sign_fn);
Datum
brop_sign_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(brop_keyring_use(text_to_cstring(PG_GETARG_TEXT_PP(0)), USE_SIGN,
									   PG_GETARG_BYTEA_PP(1), NULL, NULL));
}

/* brop.sign_schnorr(label text, message bytea) RETURNS bytea */
PG_FUNCTION_INFO_V1(brop_sign_schnorr_fn);
Datum
brop_sign_schnorr_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(brop_keyring_use(text_to_cstring(PG_GETARG_TEXT_PP(0)), USE_SIGN_SCHNORR,
									   PG_GETARG_BYTEA_PP(1), NULL, NULL));
}

/* brop.seal_envelope(label text, recipient brop.did, payload bytea) RETURNS bytea */
PG_FUNCTION_INFO_V1(brop_seal_envelope_fn);
Datum
brop_seal_envelope_fn(PG_FUNCTION_ARGS)
{
	brop_did_value recipient;

	brop_did_unpack(PG_GETARG_DATUM(1), &recipient);
	if (recipient.alg != BROP_ALG_ED25519 && recipient.alg != BROP_ALG_X25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot seal to a %s did", brop_alg_name(recipient.alg)),
				 errdetail("Envelopes are sealed to Ed25519 or X25519 keys.")));
	PG_RETURN_BYTEA_P(brop_keyring_use(text_to_cstring(PG_GETARG_TEXT_PP(0)), USE_SEAL,
									   PG_GETARG_BYTEA_PP(2), &recipient, NULL));
}

/* brop.grant_key / brop.revoke_key (label text, role regrole) */
static void
change_grant(const char *label, Oid role, bool grant)
{
	keyring_row row;
	brop_owner_state st;
	Oid			types[2] = {INT8OID, OIDOID};
	Datum		values[2];
	int			rc;

	keyring_fetch(label, &row);
	if (!superuser() && !has_privs_of_role(GetUserId(), row.owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of key \"%s\"", brop_pg_quote_cstring(label))));
	values[0] = Int64GetDatum(row.id);
	values[1] = ObjectIdGetDatum(role);
	brop_become_owner(&st);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_with_args(grant
							   ? "INSERT INTO brop.key_grant (key_id, grantee) "
							   "VALUES ($1, $2::pg_catalog.regrole) ON CONFLICT DO NOTHING"
							   : "DELETE FROM brop.key_grant WHERE key_id OPERATOR(pg_catalog.=) $1 "
							   "AND grantee::pg_catalog.oid OPERATOR(pg_catalog.=) $2",
							   2, types, values, NULL, false, 0);
	if (rc != (grant ? SPI_OK_INSERT : SPI_OK_DELETE))
		elog(ERROR, "keyring grant change failed: %s", SPI_result_code_string(rc));
	SPI_finish();
	brop_restore_user(&st);
}

PG_FUNCTION_INFO_V1(brop_grant_key);
Datum
brop_grant_key(PG_FUNCTION_ARGS)
{
	change_grant(text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_OID(1), true);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(brop_revoke_key);
Datum
brop_revoke_key(PG_FUNCTION_ARGS)
{
	change_grant(text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_OID(1), false);
	PG_RETURN_VOID();
}
