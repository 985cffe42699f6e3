/*
 * sign_batch.c — brop.sign_batch(): one keyring signature over the Merkle
 * root of many messages, returned as each message's batch form
 * (docs/formats.md, "Batch signatures").
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "keyring/keyring.h"
#include "miscadmin.h"

/*
 * At most this many messages under one signature (as brop.submit_batch's
 * entries), counted before any is read: the batch tree's memory and the
 * forms' (each carries a path of log2(n) hashes) stay bounded.
 */
#define SIGN_BATCH_MAX_MESSAGES 100000

/*
 * The batch forms of messages[i] under one signature by the keyring key
 * label; a palloc'd array of n byteas.
 */
bytea **
brop_sign_batch(const char *label, bytea *const *messages, int n)
{
	brop_merkle_hash *leaves = palloc(sizeof(brop_merkle_hash) * Max(n, 1));
	bytea	  **forms = palloc(sizeof(bytea *) * Max(n, 1));
	brop_batch_tree tree;
	int			rc = 0;

	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a batch holds at least one message")));
	if (n > SIGN_BATCH_MAX_MESSAGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a batch holds at most %d messages", SIGN_BATCH_MAX_MESSAGES)));
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		brop_pg_check(brop_merkle_leaf_hash(leaves[i], (unsigned char *) VARDATA_ANY(messages[i]),
											VARSIZE_ANY_EXHDR(messages[i])), "batch");
	}
	brop_pg_check(brop_batch_tree_build(&tree, leaves, (uint32_t) n), "batch");
	PG_TRY();
	{
		bytea	   *bmsg = palloc(VARHDRSZ + BROP_BATCH_MESSAGE_BYTES);
		bytea	   *sig;

		SET_VARSIZE(bmsg, VARHDRSZ + BROP_BATCH_MESSAGE_BYTES);
		brop_pg_check(brop_batch_message((unsigned char *) VARDATA(bmsg), tree.size, tree.root), "batch");
		sig = brop_keyring_use(label, USE_SIGN, bmsg, NULL, NULL);
		for (int i = 0; i < n && rc == 0; i++)
		{
			size_t		cap = brop_batch_form_bytes(&tree, (uint32_t) i, VARSIZE_ANY_EXHDR(sig));
			size_t		len;

			CHECK_FOR_INTERRUPTS();
			forms[i] = palloc(VARHDRSZ + cap);
			rc = brop_batch_form((unsigned char *) VARDATA(forms[i]), cap, &len, &tree, (uint32_t) i,
								 (unsigned char *) VARDATA_ANY(sig), VARSIZE_ANY_EXHDR(sig));
			SET_VARSIZE(forms[i], VARHDRSZ + len);
		}
	}
	PG_FINALLY();
	{
		brop_batch_tree_free(&tree);
	}
	PG_END_TRY();
	brop_pg_check(rc, "batch");
	return forms;
}

/* brop.sign_batch(label text, messages bytea[]) RETURNS bytea[] */
PG_FUNCTION_INFO_V1(brop_sign_batch_fn);
Datum
brop_sign_batch_fn(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	bytea	  **forms;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("messages must be a one-dimensional array")));
	/* counted before any element is read */
	if (ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) > SIGN_BATCH_MAX_MESSAGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a batch holds at most %d messages", SIGN_BATCH_MAX_MESSAGES)));
	deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("message %d of the batch is null", i + 1)));
		CHECK_FOR_INTERRUPTS();
		elems[i] = PointerGetDatum(PG_DETOAST_DATUM_PACKED(elems[i]));
	}
	forms = brop_sign_batch(text_to_cstring(PG_GETARG_TEXT_PP(0)), (bytea *const *) elems, n);
	PG_RETURN_ARRAYTYPE_P(construct_array((Datum *) forms, n, BYTEAOID, -1, false, TYPALIGN_INT));
}
