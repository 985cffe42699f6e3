/*
 * token_key.c — keyring keys in a PKCS#11 token (docs/security.md, "Keys in
 * a PKCS#11 token"): brop.import_token_key records one in brop.key (its
 * label, algorithm, did and RFC 7512 URI; never a PIN), and
 * brop_keyring_use signs with it through the core's signer (brop_pkcs11.h:
 * C_Sign, each signature verified before it is returned).
 *
 * A backend opens a token key (module, session, login, key) the first time
 * it uses it and keeps it open for the next uses; the core reads the PIN
 * from its file at each opening and wipes it at once. PKCS#11 state does
 * not cross fork(): the postmaster never opens a key, and a key opened by
 * one process is never used by another. An open key is closed when its
 * row names another URI, when the token fails (then opened again once),
 * when more than TOKEN_KEYS_OPEN are open, and at the process's exit, when
 * the modules are finalised too.
 */
#include "postgres.h"

#include <unistd.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "keyring/keyring.h"

/* Token keys a backend keeps open; the one used longest ago is closed for another. */
#define TOKEN_KEYS_OPEN 8

/* What brop.import_token_key has the token sign, to know it can. */
#define IMPORT_TEST_MESSAGE "brop-import-token-key-v1"

typedef struct open_key
{
	int64		id;				/* brop.key.id */
	char	   *uri;			/* the URI it was opened with (TopMemoryContext) */
	brop_pkcs11_key *key;
	uint64		used;			/* when last used, counted in uses */
} open_key;

static open_key open_keys[TOKEN_KEYS_OPEN];
static int	n_open = 0;
static uint64 uses = 0;
static pid_t open_pid = 0;		/* the process that opened them */
static bool exit_callback = false;

/* Close open_keys[i] (keys of another process are only forgotten) and drop it. */
static void
forget(int i)
{
	if (open_pid == MyProcPid)
		brop_pkcs11_close(open_keys[i].key);
	pfree(open_keys[i].uri);
	open_keys[i] = open_keys[--n_open];
}

/* At the process's exit: every key closed, then the modules finalised. */
static void
close_all(int code, Datum arg)
{
	int			rc;

	while (n_open > 0)
		forget(n_open - 1);
	rc = brop_pkcs11_unload();
	if (rc != 0)
		elog(LOG, "a PKCS#11 module could not be unloaded: %s", brop_strerror(rc));
}

/* A core error of a token key's opening or use, through the one table. */
static void
token_error(int rc, const char *label)
{
	brop_pg_error(rc, psprintf("token key \"%s\"", brop_pg_quote_cstring(label)), false);
}

/*
 * Open the key uri names and return it, with its public key in *got (if
 * not NULL); ERROR, with nothing left open, if it cannot be opened or is
 * not the key want records (if not NULL).
 */
static brop_pkcs11_key *
open_token_key(const char *label, const char *uri, const brop_did_value *want, brop_did_value *got)
{
	brop_pkcs11_uri u;
	brop_pkcs11_key *k = NULL;
	brop_did_value tk;
	int			rc;

	if (IsPostmasterEnvironment && !IsUnderPostmaster)
		elog(ERROR, "PKCS#11 keys are not opened in the postmaster");
	rc = brop_pkcs11_uri_parse(&u, uri, strlen(uri));
	if (rc == 0)
		rc = brop_pkcs11_open(&k, &u);
	brop_pkcs11_uri_wipe(&u);
	if (rc == 0)
		rc = brop_pkcs11_public_key(k, &tk.alg, tk.pk, sizeof tk.pk, &tk.len);
	if (rc != 0)
	{
		brop_pkcs11_close(k);
		token_error(rc, label);
	}
	if (want != NULL && (tk.alg != want->alg || tk.len != want->len || memcmp(tk.pk, want->pk, tk.len) != 0))
	{
		brop_pkcs11_close(k);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("key \"%s\" in its token is not the key the keyring recorded", brop_pg_quote_cstring(label)),
				 errdetail("The token's key that the stored URI names has another public key than brop.key.did."),
				 errhint("Import the token's key under a new label with brop.import_token_key().")));
	}
	if (got != NULL)
		*got = tk;
	return k;
}

/* The index in open_keys of key id, opened now if it is not open with this URI. */
static int
get_open_key(const char *label, int64 id, const char *uri, const brop_did_value *did, bool *fresh)
{
	char	   *copy;
	brop_pkcs11_key *k;
	int			i;

	if (n_open > 0 && open_pid != MyProcPid)
		elog(ERROR, "PKCS#11 keys opened by process %d cannot be used by process %d",
			 (int) open_pid, (int) MyProcPid);
	*fresh = false;
	for (i = 0; i < n_open; i++)
		if (open_keys[i].id == id)
		{
			if (strcmp(open_keys[i].uri, uri) == 0)
				return i;
			/* the key's row names another URI now */
			forget(i);
			break;
		}

	copy = MemoryContextStrdup(TopMemoryContext, uri);
	PG_TRY();
	{
		k = open_token_key(label, uri, did, NULL);
	}
	PG_CATCH();
	{
		pfree(copy);
		PG_RE_THROW();
	}
	PG_END_TRY();
	/* nothing below raises an error: the key is kept, or closed */
	if (n_open == TOKEN_KEYS_OPEN)
	{
		int			oldest = 0;

		for (i = 1; i < n_open; i++)
			if (open_keys[i].used < open_keys[oldest].used)
				oldest = i;
		forget(oldest);
	}
	if (!exit_callback)
	{
		on_proc_exit(close_all, (Datum) 0);
		exit_callback = true;
	}
	open_pid = MyProcPid;
	open_keys[n_open].id = id;
	open_keys[n_open].uri = copy;
	open_keys[n_open].key = k;
	open_keys[n_open].used = ++uses;
	*fresh = true;
	return n_open++;
}

bytea *
brop_token_key_use(const char *label, int64 id, const char *uri, const brop_did_value *did,
				   bool as_note, bytea *message, const char *note_name)
{
	const unsigned char *m = (unsigned char *) VARDATA_ANY(message);
	size_t		mlen = VARSIZE_ANY_EXHDR(message);
	unsigned char sig[BROP_SIGNATURE_BYTES];
	bool		fresh;
	int			i = get_open_key(label, id, uri, did, &fresh);
	int			rc = brop_pkcs11_sign(open_keys[i].key, sig, m, mlen);

	if (rc != 0)
	{
		forget(i);
		/* a session kept open may have been lost (the token logged out, was reset): once more */
		if (!fresh && (rc == BROP_ETOKEN || rc == BROP_EPIN))
		{
			i = get_open_key(label, id, uri, did, &fresh);
			rc = brop_pkcs11_sign(open_keys[i].key, sig, m, mlen);
			if (rc != 0)
				forget(i);
		}
		if (rc != 0)
			token_error(rc, label);
	}
	open_keys[i].used = ++uses;

	if (as_note)
	{
		char	   *note;
		size_t		n;

		rc = brop_note_assemble(&note, &n, (const char *) m, mlen, note_name, strlen(note_name),
								did->pk, sig, &brop_pg_bytea_allocator);
		if (rc != 0)
			brop_pg_error(rc, "note", false);
		return brop_pg_as_bytea(note, n);
	}
	return brop_pg_bytea_from(sig, BROP_SIGNATURE_BYTES);
}

/* brop.import_token_key(label text, uri text) RETURNS brop.did: superuser only. */
PG_FUNCTION_INFO_V1(brop_import_token_key);
Datum
brop_import_token_key(PG_FUNCTION_ARGS)
{
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *uri = text_to_cstring(PG_GETARG_TEXT_PP(1));
	brop_pkcs11_uri u;
	brop_pkcs11_key *k;
	brop_did_value did;
	unsigned char sig[BROP_SIGNATURE_BYTES];
	Datum		did_datum;
	brop_owner_state st;
	Oid			types[5] = {TEXTOID, TEXTOID, InvalidOid, OIDOID, TEXTOID};
	Datum		values[5];
	bool		pin_value;
	int			rc;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be superuser to import a key from a token"),
				 errdetail("The URI names a shared library the server loads and a PIN file it reads.")));
	brop_keyring_check_label(label);

	/* the URI, read before anything is opened */
	rc = brop_pkcs11_uri_parse(&u, uri, strlen(uri));
	pin_value = rc == 0 && (u.present & BROP_PKCS11_HAS_PIN_VALUE) != 0;
	brop_pkcs11_uri_wipe(&u);
	if (pin_value)
	{
		explicit_bzero(uri, strlen(uri));
		/* the statement holds the PIN: not written to the server log with the error */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errhidestmt(true),
				 errmsg("a token key's URI may not hold its PIN"),
				 errdetail("The URI is stored in brop.key, and a pin-value would be stored with it."),
				 errhint("Write the PIN to a file only the server's user may read, and name it with pin-source=file:PATH.")));
	}
	if (rc != 0)
		brop_pg_error(rc, "PKCS#11 URI", true);

	/* a label taken is refused before the token is opened (and again by the insert) */
	types[2] = brop_type_oid("did");
	values[0] = CStringGetTextDatum(label);
	brop_become_owner(&st);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT FROM brop.key k WHERE k.label OPERATOR(pg_catalog.=) $1",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "keyring query failed");
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("key \"%s\" already exists", brop_pg_quote_cstring(label))));
	SPI_finish();
	brop_restore_user(&st);

	/* opened once: its key and algorithm, and one signature (the core verifies it) */
	k = open_token_key(label, uri, NULL, &did);
	rc = brop_pkcs11_sign(k, sig, (const unsigned char *) IMPORT_TEST_MESSAGE, strlen(IMPORT_TEST_MESSAGE));
	brop_pkcs11_close(k);
	if (rc != 0)
		token_error(rc, label);

	did_datum = brop_did_pack(did.alg, did.pk, did.len);
	values[1] = CStringGetTextDatum(brop_alg_name(did.alg));
	values[2] = did_datum;
	values[3] = ObjectIdGetDatum(GetUserId());
	values[4] = CStringGetTextDatum(uri);
	brop_become_owner(&st);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	brop_keyring_insert(label, types, values, true);
	SPI_finish();
	brop_restore_user(&st);
	PG_RETURN_DATUM(did_datum);
}
