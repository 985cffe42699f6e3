/*
 * witness.c — this node's witness: brop.add_checkpoint (C2SP tlog-witness
 * add-checkpoint, as SQL), the cosignatures it makes (C2SP
 * tlog-cosignature, cosignature/v1), and the proofs of misbehaviour it
 * keeps when a log's key signed two checkpoints no one log can have.
 *
 * The witness keeps, per log, the latest checkpoint it cosigned
 * (brop.witness_log), read FOR UPDATE so that checking the old size and
 * recording the new checkpoint are one step (two concurrent calls cannot
 * roll the log back). A contradiction it can prove is committed, not
 * raised: the call returns NULL with a WARNING, the log is halted, and
 * NOTIFY brop_misbehaviour names its origin.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "consortium/consortium.h"

typedef struct watched
{
	brop_did_value key;
	int64		size;
	unsigned char root[BROP_DIGEST_BYTES];
	text	   *checkpoint;		/* NULL before the first cosignature */
	bool		halted;
	char	   *halted_reason;
} watched;

static SPIPlanPtr log_plan = NULL;
static SPIPlanPtr self_plan = NULL;
static SPIPlanPtr update_plan = NULL;
static SPIPlanPtr cosig_plan = NULL;
static SPIPlanPtr misbehaviour_plan = NULL;
static SPIPlanPtr halt_plan = NULL;
static SPIPlanPtr own_plan = NULL;

/* The watched log of this origin, locked; false if the witness does not watch it. */
static bool
load_log(const char *origin, watched *w)
{
	Oid			type = TEXTOID;
	Datum		arg = CStringGetTextDatum(origin);
	HeapTuple	tup;
	TupleDesc	desc;
	bool		isnull;
	Datum		d;

	if (SPI_execute_plan(brop_spi_plan(&log_plan,
									   "SELECT log_key, tree_size, root, checkpoint, halted_at IS NOT NULL, halted_reason"
									   " FROM brop.witness_log WHERE origin OPERATOR(pg_catalog.=) $1 FOR UPDATE",
									   1, &type), &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.witness_log");
	if (SPI_processed == 0)
		return false;
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	brop_did_unpack(SPI_getbinval(tup, desc, 1, &isnull), &w->key);
	w->size = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
	d = SPI_getbinval(tup, desc, 3, &isnull);
	if (!isnull)
		memcpy(w->root, DatumGetPointer(d), BROP_DIGEST_BYTES);
	d = SPI_getbinval(tup, desc, 4, &isnull);
	w->checkpoint = isnull ? NULL : DatumGetTextPCopy(d);
	w->halted = DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull));
	w->halted_reason = SPI_getvalue(tup, desc, 6);
	return true;
}

/* This node's witness: its name and keyring key (palloc'd). */
static void
load_self(char **name, char **key)
{
	if (SPI_execute_plan(brop_spi_plan(&self_plan, "SELECT name, key FROM brop.witness_self", 0, NULL),
						 NULL, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.witness_self");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this node runs no witness"),
				 errhint("Call brop.witness_configure(name, key) first.")));
	*name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	*key = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
}

void
brop_witness_halt(const char *origin, const char *reason)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		args[2] = {CStringGetTextDatum(origin), CStringGetTextDatum(reason)};

	if (SPI_execute_plan(brop_spi_plan(&halt_plan,
									   "UPDATE brop.witness_log SET halted_at = pg_catalog.now(), halted_reason = $2"
									   " WHERE origin OPERATOR(pg_catalog.=) $1 AND halted_at IS NULL",
									   2, types), args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update brop.witness_log");
	Async_Notify("brop_misbehaviour", origin);
}

/* Keep a proof of misbehaviour, halt the log, say so; the caller returns NULL. */
static void
record_fork(const char *origin, text *cosigned, text *contradicting, const brop_merkle_proof *proof,
			uint64 size_a, uint64 size_b)
{
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, InvalidOid};
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', proof == NULL ? 'n' : ' '};
	int64		id;
	bool		isnull;
	char	   *reason;

	types[3] = brop_type_oid("proof");
	args[0] = CStringGetTextDatum(origin);
	args[1] = PointerGetDatum(cosigned);
	args[2] = PointerGetDatum(contradicting);
	args[3] = proof == NULL ? (Datum) 0 :
		PointerGetDatum(brop_proof_make(BROP_PROOF_CONSISTENCY, proof->a, proof->b, proof->hashes, proof->n));
	if (SPI_execute_plan(brop_spi_plan(&misbehaviour_plan,
									   "INSERT INTO brop.misbehaviour (origin, checkpoint_a, checkpoint_b, proof)"
									   " VALUES ($1, $2, $3, $4) RETURNING id",
									   4, types), args, nulls, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not insert into brop.misbehaviour");
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	reason = psprintf("its key signed checkpoints of sizes " UINT64_FORMAT " and " UINT64_FORMAT
					  " that no one log can have: proof of misbehaviour " INT64_FORMAT " in brop.misbehaviour",
					  (uint64) size_a, (uint64) size_b, id);
	brop_witness_halt(origin, reason);
	ereport(WARNING,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("log \"%s\" forked: the witness stopped cosigning it", brop_pg_quote_cstring(origin)),
			 errdetail("The witness found that %s.", reason)));
}

/*
 * The proof of misbehaviour's form of a consistency proof between sizes
 * m < n of this node's own ledger copy, from its tiles (log_proof.c).
 */
static bool
own_copy_of(const char *origin, int64 size)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		args[2] = {CStringGetTextDatum(origin), Int64GetDatum(size)};

	/* the copy is this log's if its block of that size is one of its checkpoints */
	if (SPI_execute_plan(brop_spi_plan(&own_plan,
									   "SELECT FROM brop.block WHERE tree_size OPERATOR(pg_catalog.=) $2"
									   " AND pg_catalog.split_part(checkpoint, E'\\n', 1) OPERATOR(pg_catalog.=) $1",
									   2, types), args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	return SPI_processed == 1;
}

/* Seconds since 1970-01-01 UTC, now. */
static uint64
unix_now(void)
{
	return (uint64) (brop_pg_unix_us(GetCurrentTimestamp()) / USECS_PER_SEC);
}

static char *
cosign(const char *origin, const char *note, size_t textlen, int64 size)
{
	char	   *name,
			   *key;
	unsigned char *msg = NULL;
	size_t		msglen,
				linelen;
	bytea	   *m = NULL,
			   *sig;
	uint64		t = unix_now();
	unsigned char id[BROP_NOTE_KEYID_BYTES];
	brop_did_value did;
	char	   *line;
	int			rc;
	Oid			types[5] = {TEXTOID, INT8OID, TEXTOID, INT8OID, TEXTOID};
	Datum		args[5];

	load_self(&name, &key);
	brop_did_unpack(DirectFunctionCall1(brop_key_did, CStringGetTextDatum(key)), &did);
	if (did.alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the witness's key \"%s\" is %s, not ed25519", brop_pg_quote_cstring(key),
						brop_alg_name(did.alg))));
	rc = brop_cosignature_message(&msg, &msglen, note, textlen, t, NULL);
	if (rc == 0)
		m = brop_pg_bytea_from(msg, msglen);
	free(msg);
	brop_pg_check(rc, "cosignature message");
	sig = brop_keyring_use(key, USE_SIGN, m, NULL, NULL);
	brop_pg_check(brop_cosignature_key_id(id, name, strlen(name), did.pk), "witness name");
	line = palloc(BROP_COSIGNATURE_LINE_BYTES(strlen(name)));
	brop_pg_check(brop_cosignature_line(line, BROP_COSIGNATURE_LINE_BYTES(strlen(name)), &linelen,
										name, strlen(name), id, t, (unsigned char *) VARDATA_ANY(sig)),
				  "cosignature");

	args[0] = CStringGetTextDatum(origin);
	args[1] = Int64GetDatum(size);
	args[2] = CStringGetTextDatum(name);
	args[3] = Int64GetDatum((int64) t);
	args[4] = CStringGetTextDatum(line);
	if (SPI_execute_plan(brop_spi_plan(&cosig_plan,
									   "INSERT INTO brop.cosignature (origin, tree_size, witness, cosigned_at, line)"
									   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
									   5, types), args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into brop.cosignature");
	return line;
}

static void
record_cosigned(const char *origin, text *note, int64 size, const unsigned char *root,
				const brop_witness_block *block)
{
	Oid			types[7] = {TEXTOID, INT8OID, InvalidOid, TEXTOID, INT8OID, InvalidOid, BYTEAOID};
	Datum		args[7];
	char		nulls[7] = {' ', ' ', ' ', ' ', 'n', 'n', 'n'};
	unsigned char *r = palloc(BROP_DIGEST_BYTES);

	types[2] = types[5] = brop_type_oid("digest");
	memcpy(r, root, BROP_DIGEST_BYTES);
	args[0] = CStringGetTextDatum(origin);
	args[1] = Int64GetDatum(size);
	args[2] = PointerGetDatum(r);
	args[3] = PointerGetDatum(note);
	if (block != NULL)
	{
		args[4] = Int64GetDatum(block->number);
		args[5] = PointerGetDatum(block->hash);
		args[6] = PointerGetDatum(block->edge);
		nulls[4] = nulls[5] = nulls[6] = ' ';
	}
	/* a checkpoint cosigned without its blocks verified here keeps the verified block's edge */
	if (SPI_execute_plan(brop_spi_plan(&update_plan,
									   "UPDATE brop.witness_log SET tree_size = $2, root = $3, checkpoint = $4,"
									   " block = CASE WHEN $5 IS NULL THEN block ELSE $5 END,"
									   " block_hash = CASE WHEN $5 IS NULL THEN block_hash ELSE $6 END,"
									   " edge = CASE WHEN $5 IS NULL THEN edge ELSE $7 END,"
									   " updated_at = pg_catalog.now() WHERE origin OPERATOR(pg_catalog.=) $1",
									   7, types), args, nulls, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update brop.witness_log");
}

char *
brop_witness_add(text *note, int64 old_size, const brop_merkle_proof *proof,
				 const brop_witness_block *block)
{
	const char *s = VARDATA_ANY(note);
	size_t		len = VARSIZE_ANY_EXHDR(note);
	size_t		textlen;
	brop_checkpoint cp;
	char	   *origin;
	watched		w;
	int			rc;
	uint64		sa,
				sb;

	if (len > BROP_NOTE_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("checkpoint note of %zu bytes exceeds the limit of %d bytes", len, BROP_NOTE_MAX_BYTES)));
	textlen = brop_note_text_length(s, len);
	if (brop_checkpoint_parse(&cp, s, textlen) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint note"),
				 errdetail("A checkpoint note is \"origin\\nsize\\nbase64(root)\\n\", an empty line, and signature lines.")));
	origin = pnstrdup(cp.origin, cp.originlen);
	if (!load_log(origin, &w))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("the witness does not watch log \"%s\"", brop_pg_quote_cstring(origin)),
				 errhint("Watch it with brop.witness_watch(origin, log_key).")));
	if (w.halted)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the witness stopped cosigning log \"%s\"", brop_pg_quote_cstring(origin)),
				 errdetail("The log was halted because %s.", w.halted_reason)));
	rc = brop_note_verify_valid(&textlen, s, len, cp.origin, cp.originlen, w.key.pk);
	if (rc == BROP_EENCODING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint note")));
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("checkpoint is not signed by the key of log \"%s\"", brop_pg_quote_cstring(origin))));
	if (cp.size > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("checkpoint tree size " UINT64_FORMAT " is out of range for bigint", cp.size)));
	if (old_size < 0 || (uint64) old_size > cp.size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("old size " INT64_FORMAT " is not between 0 and the checkpoint's size " UINT64_FORMAT,
						old_size, cp.size)));

	/* one size, two roots: a fork, whatever old size the caller sent */
	if (w.checkpoint != NULL && (uint64) w.size == cp.size && memcmp(w.root, cp.root, BROP_DIGEST_BYTES) != 0)
	{
		record_fork(origin, w.checkpoint, note, NULL, cp.size, cp.size);
		return NULL;
	}
	if (old_size != w.size)
	{
		/* a smaller tree: this node's copy of the log may prove it another */
		if (w.checkpoint != NULL && cp.size < (uint64) w.size && cp.size > 0 && own_copy_of(origin, w.size))
		{
			brop_merkle_proof fp;

			fp.kind = BROP_PROOF_CONSISTENCY;
			fp.a = cp.size;
			fp.b = (uint64) w.size;
			fp.n = brop_log_fork_proof(cp.size, (uint64) w.size, fp.hashes);
			if (brop_fork_verify(&sa, &sb, VARDATA_ANY(w.checkpoint), VARSIZE_ANY_EXHDR(w.checkpoint), s, len,
								 cp.origin, cp.originlen, w.key.pk, fp.hashes, fp.n) == 0)
			{
				record_fork(origin, w.checkpoint, note, &fp, sa, sb);
				return NULL;
			}
		}
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("old size " INT64_FORMAT " is not the size of the witness's latest checkpoint of log \"%s\"",
						old_size, brop_pg_quote_cstring(origin)),
				 errdetail("The witness last cosigned size " INT64_FORMAT ".", w.size),
				 errhint("Send a consistency proof from size " INT64_FORMAT ".", w.size)));
	}
	if (cp.size > (uint64) w.size && block == NULL)
	{
		if (w.size == 0)
		{
			if (proof != NULL && proof->n > 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a consistency proof from size 0 must be empty")));
		}
		else
		{
			if (proof == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a consistency proof from size " INT64_FORMAT " is required", w.size)));
			if (proof->kind != BROP_PROOF_CONSISTENCY || proof->a != (uint64) w.size || proof->b != cp.size)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the proof is not a consistency proof from size " INT64_FORMAT " to " UINT64_FORMAT,
								w.size, cp.size)));
			if (brop_merkle_consistency_verify((uint64) w.size, cp.size, w.root, cp.root,
											   proof->hashes, proof->n) != 0)
			{
				if (brop_fork_verify(&sa, &sb, VARDATA_ANY(w.checkpoint), VARSIZE_ANY_EXHDR(w.checkpoint), s, len,
									 cp.origin, cp.originlen, w.key.pk, proof->hashes, proof->n) == 0)
				{
					record_fork(origin, w.checkpoint, note, proof, sa, sb);
					return NULL;
				}
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("consistency proof from size " INT64_FORMAT " to " UINT64_FORMAT " does not verify",
								w.size, cp.size)));
			}
		}
	}
	record_cosigned(origin, note, (int64) cp.size, cp.root, block);
	return cosign(origin, s, textlen, (int64) cp.size);
}

/* brop.add_checkpoint(old_size bigint, proof brop.proof, checkpoint text) RETURNS text */
PG_FUNCTION_INFO_V1(brop_add_checkpoint);
Datum
brop_add_checkpoint(PG_FUNCTION_ARGS)
{
	brop_merkle_proof proof;
	brop_owner_state st;
	char	   *line;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("old size and checkpoint must not be null")));
	if (!PG_ARGISNULL(1))
		brop_proof_get(PG_GETARG_DATUM(1), &proof);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	brop_become_owner(&st);
	line = brop_witness_add(PG_GETARG_TEXT_PP(2), PG_GETARG_INT64(0), PG_ARGISNULL(1) ? NULL : &proof, NULL);
	brop_restore_user(&st);
	if (line != NULL)
		line = pstrdup(line);
	SPI_finish();
	if (line == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(line));
}

/* brop.witness_vkey(name text, key brop.did) RETURNS text */
PG_FUNCTION_INFO_V1(brop_witness_vkey);
Datum
brop_witness_vkey(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	brop_did_value did;
	char		out[BROP_NOTE_NAME_MAX + 64];
	size_t		n;
	int			rc;

	brop_did_unpack(PG_GETARG_DATUM(1), &did);
	if (did.alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("witnesses cosign with ed25519, not %s", brop_alg_name(did.alg))));
	rc = brop_cosignature_verifier_key(out, sizeof out, &n, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), did.pk);
	if (rc == BROP_EINVAL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid witness name: \"%s\"", brop_pg_quote(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name))),
				 errdetail("A witness name is 1 to %d bytes of UTF-8 without spaces, control characters or \"+\".",
						   BROP_NOTE_NAME_MAX)));
	brop_pg_check(rc, "witness key");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, n));
}
