/*
 * disclosure.c — one registered row disclosed: its document, made from the
 * table under brop's fixed text settings whatever the session's
 * (brop.row_document), and the bundle a third party verifies offline with
 * `brop verify --disclosure` (brop.disclosure): the document, its salt, the
 * signed entry, its inclusion proof and the checkpoint (docs/formats.md,
 * "Row disclosure bundles"). Module: registration.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_operator.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "registration/registration.h"

#define DISCLOSURE_FORMAT "brop-row-disclosure-v1"

/* The capture of tab's registration ("trigger" or "plugin"); ERROR if it has none. */
static char *
registration_capture(Oid relid)
{
	static SPIPlanPtr plan = NULL;
	Datum		arg = ObjectIdGetDatum(relid);
	char	   *capture;
	MemoryContext cxt = CurrentMemoryContext;

	SPI_connect();
	if (SPI_execute_plan(brop_spi_plan(&plan,
									   "SELECT r.capture FROM brop.registration r WHERE r.relid OPERATOR(pg_catalog.=) $1",
									   1, (Oid[]) {OIDOID}), &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the registration of table %u", relid);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" is not registered", get_rel_name(relid)),
				 errhint("Register it with brop.register_table().")));
	capture = MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return capture;
}

/* The texts of a row key's values (a non-empty JSON array of strings), nkeys of them. */
static char **
row_key_values(Jsonb *key, const registration *reg)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	  **out;
	int			n = 0;

	if (!JB_ROOT_IS_ARRAY(key) || JB_ROOT_IS_SCALAR(key) || JB_ROOT_COUNT(key) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row key must be a non-empty JSON array"),
				 errdetail("It lists the key columns' text values, in the registration's key_columns order.")));
	if (JB_ROOT_COUNT(key) != reg->nkeys)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row key of registration \"%s\" has %d values, not %d",
						brop_pg_quote_cstring(reg->name), (int) JB_ROOT_COUNT(key), reg->nkeys)));
	out = palloc(sizeof(char *) * reg->nkeys);
	it = JsonbIteratorInit(&key->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (v.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a row key's values must be strings"),
					 errdetail("Key columns are NOT NULL and registered by their PostgreSQL text output.")));
		out[n++] = pnstrdup(v.val.string.val, v.val.string.len);
	}
	return out;
}

/*
 * The registered row of table relid with this key: its row key and document
 * (JCS texts, docs/formats.md "Row digests") appended to key and doc, made
 * under the fixed settings whatever the session's (the capture trigger and
 * the output plugin make them so). The row is read with the caller's
 * rights. ERROR if there is no such row, or if row_key is not the text of
 * the row's key (its salt would be another).
 */
static registration *
disclosed_row(Oid relid, Jsonb *row_key, StringInfo key, StringInfo doc)
{
	registration *reg;
	Relation	rel;
	char	  **values;
	Datum	   *args;
	Oid		   *types;
	StringInfoData q,
				given;
	HeapTupleHeader th;
	HeapTupleData tuple;
	bool		isnull;
	int			nest;

	(void) registration_capture(relid);
	reg = brop_registration_get(relid);
	values = row_key_values(row_key, reg);
	rel = table_open(relid, AccessShareLock);

	/* the key's texts are read under the settings they were written under */
	nest = brop_row_settings_apply();
	args = palloc(sizeof(Datum) * reg->nkeys);
	types = palloc(sizeof(Oid) * reg->nkeys);
	initStringInfo(&q);
	/* a partitioned table's rows are in its partitions; an inheritance child's are not registered */
	appendStringInfo(&q, "SELECT t FROM %s%s t WHERE ",
					 rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE ? "" : "ONLY ",
					 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												RelationGetRelationName(rel)));
	for (int i = 0; i < reg->nkeys; i++)
	{
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), reg->keys[i].attnum - 1);
		TypeCacheEntry *tc = lookup_type_cache(att->atttypid, TYPECACHE_EQ_OPR);
		Oid			in,
					ioparam;
		HeapTuple	op;

		if (!OidIsValid(tc->eq_opr))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("could not identify an equality operator for type %s", format_type_be(att->atttypid))));
		getTypeInputInfo(att->atttypid, &in, &ioparam);
		types[i] = att->atttypid;
		args[i] = OidInputFunctionCall(in, values[i], ioparam, att->atttypmod);
		op = SearchSysCache1(OPEROID, ObjectIdGetDatum(tc->eq_opr));
		if (!HeapTupleIsValid(op))
			elog(ERROR, "cache lookup failed for operator %u", tc->eq_opr);
		appendStringInfo(&q, "%st.%s OPERATOR(%s.%s) $%d", i > 0 ? " AND " : "",
						 quote_identifier(reg->keys[i].name),
						 quote_identifier(get_namespace_name(((Form_pg_operator) GETSTRUCT(op))->oprnamespace)),
						 NameStr(((Form_pg_operator) GETSTRUCT(op))->oprname), i + 1);
		ReleaseSysCache(op);
	}
	SPI_connect();
	if (SPI_execute_with_args(q.data, reg->nkeys, types, args, NULL, true, 2) != SPI_OK_SELECT)
		elog(ERROR, "could not read table \"%s\"", RelationGetRelationName(rel));
	if (SPI_processed == 0)
	{
		initStringInfo(&given);
		brop_pg_jcs_jsonb(&given, row_key);
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("table \"%s\" has no row with key %s", RelationGetRelationName(rel),
						brop_pg_quote_cstring(given.data))));
	}
	th = DatumGetHeapTupleHeader(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = relid;
	tuple.t_data = th;
	brop_row_texts(reg, &tuple, RelationGetDescr(rel), key, doc);
	SPI_finish();
	brop_row_settings_restore(nest);

	initStringInfo(&given);
	brop_pg_jcs_jsonb(&given, row_key);
	if (given.len != key->len || memcmp(given.data, key->data, key->len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("row key %s is not the text of the row's key %s", brop_pg_quote_cstring(given.data),
						brop_pg_quote_cstring(key->data)),
				 errdetail("A row's salt and chain are derived from its key columns' text output.")));
	table_close(rel, AccessShareLock);
	return reg;
}

/* brop.row_document(tab regclass, row_key jsonb) RETURNS jsonb */
PG_FUNCTION_INFO_V1(brop_pg_row_document);
Datum
brop_pg_row_document(PG_FUNCTION_ARGS)
{
	StringInfoData key,
				doc;

	initStringInfo(&key);
	initStringInfo(&doc);
	(void) disclosed_row(PG_GETARG_OID(0), PG_GETARG_JSONB_P(1), &key, &doc);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(doc.data)));
}

/* Appends "name":"value" (a JCS member; name is plain ASCII) and a comma unless last. */
static void
member(StringInfo b, const char *name, const char *value, bool last)
{
	appendStringInfo(b, "\"%s\":", name);
	brop_pg_jcs_string(b, value, strlen(value));
	if (!last)
		appendStringInfoChar(b, ',');
}

#define LAST_ENTRY_SQL \
	"SELECT e.id, e.header OPERATOR(pg_catalog.->>) 'version', e.payload_digest::pg_catalog.bytea," \
	" brop.entry_leaf(e), l.position" \
	" FROM brop.chain_head h JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) h.entry" \
	" LEFT JOIN brop.log_leaf l ON l.entry OPERATOR(pg_catalog.=) e.id" \
	" WHERE h.chain_key OPERATOR(pg_catalog.=) $1"

#define PROOF_SQL \
	"SELECT b.checkpoint, brop.inclusion_proof($1, b.tree_size)::pg_catalog.text," \
	" (SELECT c.node_did::pg_catalog.text FROM brop.ledger_config c)" \
	" FROM brop.block b ORDER BY b.tree_size DESC LIMIT 1"

/* brop.disclosure(tab regclass, row_key jsonb) RETURNS text */
PG_FUNCTION_INFO_V1(brop_disclosure);
Datum
brop_disclosure(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr entry_plan = NULL,
				proof_plan = NULL;
	Oid			relid = PG_GETARG_OID(0);
	StringInfoData key,
				doc,
				out;
	registration *reg;
	unsigned char salt[BROP_ROW_SALT_BYTES],
				digest[BROP_ROW_DIGEST_BYTES],
				want[BROP_ROW_DIGEST_BYTES];
	char		salt_text[2 * BROP_ROW_SALT_BYTES + 1];
	size_t		salt_len;
	char	   *version,
			   *leaf,
			   *checkpoint,
			   *proof,
			   *ledger;
	bytea	   *payload;
	bool		isnull,
				sealed;
	int64		entry;
	Datum		arg;
	MemoryContext cxt = CurrentMemoryContext;

	if (strcmp(registration_capture(relid), "trigger") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the rows of table \"%s\" are registered on another ledger", get_rel_name(relid)),
				 errdetail("Its registration's capture is \"plugin\": brop relay appends its entries to another database."),
				 errhint("Disclose its document with brop.row_document() and its salt with brop.row_salt() here, and take the entry, its proof and the checkpoint from that ledger.")));
	/* the salt opens the row's digest: only who could register the table may give it */
	if (!brop_class_ownercheck(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to disclose the rows of table \"%s\"", get_rel_name(relid)),
				 errdetail("Only the table's owner (a member of its role) receives the salts of its rows.")));
	initStringInfo(&key);
	initStringInfo(&doc);
	reg = disclosed_row(relid, PG_GETARG_JSONB_P(1), &key, &doc);

	/* the chain's last entry must be the row as it is now, sealed */
	arg = PointerGetDatum(brop_row_chain(reg, &key, NULL));
	SPI_connect();
	if (SPI_execute_plan(brop_spi_plan(&entry_plan, LAST_ENTRY_SQL, 1, (Oid[]) {TEXTOID}), &arg, NULL, true, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read the row's chain");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("row %s of table \"%s\" has no entry on the ledger", brop_pg_quote_cstring(key.data),
						get_rel_name(relid)),
				 errhint("A change is registered when the capture queue is drained: run brop.seal().")));
	entry = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	version = MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	payload = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	if (VARSIZE_ANY_EXHDR(payload) != BROP_ROW_DIGEST_BYTES)
		elog(ERROR, "entry %lld has a payload digest of %d bytes", (long long) entry, (int) VARSIZE_ANY_EXHDR(payload));
	memcpy(want, VARDATA_ANY(payload), BROP_ROW_DIGEST_BYTES);
	leaf = MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4));
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5, &isnull);
	sealed = !isnull;

	brop_pg_check(brop_row_salt_k(salt, brop_salt_key_prepared(), reg->name, strlen(reg->name), key.data, key.len,
								  version, strlen(version)), "row key");
	brop_pg_check(brop_row_digest(digest, salt, doc.data, doc.len), "row digest");
	if (memcmp(digest, want, BROP_ROW_DIGEST_BYTES) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("row %s of table \"%s\" has changes that are not on the ledger yet",
						brop_pg_quote_cstring(key.data), get_rel_name(relid)),
				 errdetail("Its values do not make the digest of its last entry (entry %lld, version %s).",
						   (long long) entry, version),
				 errhint("A change is registered when the capture queue is drained: run brop.seal().")));
	if (!sealed)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the entry of row %s of table \"%s\" is not sealed yet", brop_pg_quote_cstring(key.data),
						get_rel_name(relid)),
				 errhint("Run brop.seal(), or wait for the sealing worker.")));

	arg = Int64GetDatum(entry);
	if (SPI_execute_plan(brop_spi_plan(&proof_plan, PROOF_SQL, 1, (Oid[]) {INT8OID}), &arg, NULL, true, 1)
		!= SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the latest block");
	checkpoint = MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	proof = MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	ledger = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	ledger = MemoryContextStrdup(cxt, ledger ? ledger : "");
	SPI_finish();

	brop_pg_check(brop_base64_encode(salt_text, sizeof salt_text, &salt_len, salt, sizeof salt, BROP_BASE64_URLSAFE), "salt");
	salt_text[salt_len] = '\0';
	brop_wipe(salt, sizeof salt);

	/* RFC 8785: members in this order, the document as the object it is */
	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	member(&out, "checkpoint", checkpoint, false);
	appendStringInfoString(&out, "\"document\":");
	appendBinaryStringInfo(&out, doc.data, doc.len);
	appendStringInfoChar(&out, ',');
	member(&out, "entry", leaf, false);
	member(&out, "format", DISCLOSURE_FORMAT, false);
	member(&out, "ledger", ledger, false);
	member(&out, "proof", proof, false);
	member(&out, "salt", salt_text, true);
	appendStringInfoChar(&out, '}');
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
