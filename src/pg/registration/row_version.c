/*
 * row_version.c — a registered row's entries (docs/formats.md, "Row
 * entries"): its chain key, and each version's header and salted digest.
 * The capture drain and the output plugin make them.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "registration/registration.h"

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
 * digest; op is insert, update, delete or existing, version decimal digits.
 */
void
brop_row_version(const registration *reg, const char *op, const StringInfoData *key, const StringInfoData *doc,
				 const char *version, StringInfo header, unsigned char digest[BROP_ROW_DIGEST_BYTES])
{
	unsigned char salt[BROP_ROW_SALT_BYTES];

	brop_pg_check(brop_row_salt_k(salt, brop_salt_key_prepared(), reg->name, strlen(reg->name), key->data,
								  key->len, version, strlen(version)), "row key");
	brop_pg_check(brop_row_digest(digest, salt, doc->data, doc->len), "row digest");

	/* members in RFC 8785 order (op is one of four plain words) */
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
