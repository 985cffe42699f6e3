/*
 * capture.c — brop.capture(), the trigger that registers a table's rows on
 * the ledger of the same database, in the transaction that changes them (a
 * rollback registers nothing).
 *
 * Each change makes one entry of kind "row" (docs/registration.md): the
 * row's salted digest, in the row's chain ("row:" registration ":" chain id),
 * whose length gives the version. INSERT starts or continues the chain, UPDATE
 * adds a version (none if no registered column changed), DELETE adds a
 * revocation holding the digest of the row's last values; an UPDATE of the
 * key is a DELETE of the old key and an INSERT of the new one. TRUNCATE,
 * which fires no row trigger, is refused.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/rel.h"

#include "registration.h"

/* The chain key of a row's versions ("row:" registration ":" chain id), its chain id in hex into chain_hex. */
text *
brop_row_chain(const registration *reg, const StringInfoData *key, char chain_hex[2 * BROP_ROW_CHAIN_ID_BYTES + 1])
{
	unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES];

	brop_pg_check(brop_row_chain_id_k(chain_id, brop_salt_key_prepared(), reg->name, strlen(reg->name),
									  key->data, key->len), "row key");
	hex_encode((char *) chain_id, sizeof chain_id, chain_hex);
	chain_hex[2 * BROP_ROW_CHAIN_ID_BYTES] = '\0';
	return cstring_to_text(psprintf("row:%s:%s", reg->name, chain_hex));
}

/*
 * One version of one row (docs/formats.md, "Row entries"): the header of
 * its entry (RFC 8785 text) appended to header, and its salted digest into
 * digest; op is insert, update or delete, version decimal digits.
 */
void
brop_row_version(const registration *reg, const char *op, const StringInfoData *key, const StringInfoData *doc,
				 const char *version, StringInfo header, unsigned char digest[BROP_ROW_DIGEST_BYTES])
{
	unsigned char salt[BROP_ROW_SALT_BYTES];

	brop_pg_check(brop_row_salt_k(salt, brop_salt_key_prepared(), reg->name, strlen(reg->name), key->data,
								  key->len, version, strlen(version)), "row key");
	brop_pg_check(brop_row_digest(digest, salt, doc->data, doc->len), "row digest");

	/* members in RFC 8785 order (op is one of three plain words) */
	appendStringInfoString(header, "{\"op\":\"");
	appendStringInfoString(header, op);
	appendStringInfoString(header, "\",\"registration\":");
	appendBinaryStringInfo(header, reg->name_json, reg->name_json_len);
	if (reg->profile == 3)
	{
		char		b64[64];
		size_t		n;

		appendStringInfoString(header, ",\"row\":");
		appendBinaryStringInfo(header, doc->data, doc->len);
		brop_pg_check(brop_base64_encode(b64, sizeof b64, &n, salt, sizeof salt, BROP_BASE64_URLSAFE), "salt");
		appendStringInfo(header, ",\"salt\":\"%.*s\"", (int) n, b64);
	}
	appendStringInfoString(header, ",\"version\":");
	appendStringInfoString(header, version);
	appendStringInfoChar(header, '}');
	brop_wipe(salt, sizeof salt);
}

/* Appends the entry of one version of one row; op is insert, update or delete. */
static void
row_entry(registration *reg, const char *op, const StringInfoData *key, const StringInfoData *doc,
		  HeapTuple tuple, TupleDesc desc)
{
	char		chain_hex[2 * BROP_ROW_CHAIN_ID_BYTES + 1];
	text	   *chain_key = brop_row_chain(reg, key, chain_hex);
	unsigned char *head = palloc(BROP_DIGEST_BYTES);
	int64		length = 0;
	char		version[24];
	unsigned char *digest = palloc(BROP_ROW_DIGEST_BYTES);
	StringInfoData h;
	entry_fields f;
	bool		isnull;

	if (!brop_chain_state(chain_key, head, &length, reg->did_type, reg->digest_type))
	{
		pfree(head);
		head = NULL;
	}
	snprintf(version, sizeof version, INT64_FORMAT, length + 1);
	initStringInfo(&h);
	brop_row_version(reg, op, key, doc, version, &h, digest);
	memset(&f, 0, sizeof f);
	f.kind = cstring_to_text("row");
	f.chain_key = chain_key;
	f.header = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(h.data)));
	f.payload_digest = digest;
	f.nonce = cstring_to_text(psprintf("row-%s-%s", chain_hex, version));
	f.org = reg->org;
	f.org_text = reg->org_text;
	if (reg->subject != 0)
	{
		f.subject = heap_getattr(tuple, reg->subject, desc, &isnull);
		f.has_subject = !isnull;
		f.subject_text = isnull ? NULL : brop_did_cstring(f.subject);
	}
	f.prev_digest = head;
	f.submitted_at = GetCurrentTimestamp();
	(void) brop_registration_append(&f, reg->signing_key, reg->registrant, reg->did_type, reg->digest_type);
}

static bool
same_text(const StringInfoData *a, const StringInfoData *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* brop.capture() RETURNS trigger */
PG_FUNCTION_INFO_V1(brop_capture);
Datum
brop_capture(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	registration *reg;
	TupleDesc	desc;
	StringInfoData key,
				doc,
				old_key,
				old_doc;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.capture() must be called as a trigger")));
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot truncate registered table \"%s\"", RelationGetRelationName(td->tg_relation)),
				 errdetail("TRUNCATE removes rows without registering their deletion."),
				 errhint("Delete the rows, or unregister the table with brop.unregister_table() first.")));
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.capture() must be an AFTER ... FOR EACH ROW trigger")));

	reg = brop_registration_get(RelationGetRelid(td->tg_relation));
	desc = RelationGetDescr(td->tg_relation);
	initStringInfo(&key);
	initStringInfo(&doc);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		brop_row_texts(reg, td->tg_trigtuple, desc, &key, &doc);
		row_entry(reg, "insert", &key, &doc, td->tg_trigtuple, desc);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		brop_row_texts(reg, td->tg_trigtuple, desc, &key, &doc);
		row_entry(reg, "delete", &key, &doc, td->tg_trigtuple, desc);
	}
	else
	{
		initStringInfo(&old_key);
		initStringInfo(&old_doc);
		brop_row_texts(reg, td->tg_trigtuple, desc, &old_key, &old_doc);
		brop_row_texts(reg, td->tg_newtuple, desc, &key, &doc);
		if (!same_text(&key, &old_key))
		{
			row_entry(reg, "delete", &old_key, &old_doc, td->tg_trigtuple, desc);
			row_entry(reg, "insert", &key, &doc, td->tg_newtuple, desc);
		}
		else if (!same_text(&doc, &old_doc))
			row_entry(reg, "update", &key, &doc, td->tg_newtuple, desc);
	}
	return PointerGetDatum(NULL);
}
