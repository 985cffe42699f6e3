/*
 * row_version.c — a registered row's entries (docs/formats.md, "Row
 * entries"): its chain key, and each version's header and salted digest.
 * The capture drain and the output plugin make them.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "registration/registration.h"

/* The chain key of a row's versions ("row:" registration ":" chain id), its chain id into chain_id unless NULL. */
text *
brop_row_chain(const registration *reg, const StringInfoData *key, unsigned char *chain_id)
{
	unsigned char id[BROP_ROW_CHAIN_ID_BYTES];
	char	   *ck;
	size_t		len;
	text	   *out;

	brop_pg_check(brop_row_chain_id_k(id, brop_salt_key_prepared(), reg->name, strlen(reg->name),
									  key->data, key->len), "row key");
	brop_pg_check(brop_row_chain_key(&ck, &len, reg->name, strlen(reg->name), id, &brop_pg_bytea_allocator),
				  "row key");
	if (chain_id != NULL)
		memcpy(chain_id, id, sizeof id);
	out = (text *) brop_pg_as_bytea(ck, len);
	return out;
}

/*
 * One version of one row (docs/formats.md, "Row entries"): the header of
 * its entry (RFC 8785 text, by the core's brop_row_header; palloc'd, its
 * length into *header_len), and its salted digest into digest; op is
 * insert, update, delete or existing.
 */
char *
brop_row_version(const registration *reg, const char *op, const StringInfoData *key, const StringInfoData *doc,
				 uint64 version, size_t *header_len, unsigned char digest[BROP_ROW_DIGEST_BYTES])
{
	unsigned char salt[BROP_ROW_SALT_BYTES];
	char		vtext[MAXINT8LEN + 1];
	int			vlen = pg_ulltoa_n(version, vtext);
	char	   *header;
	int			rc;

	brop_pg_check(brop_row_salt_k(salt, brop_salt_key_prepared(), reg->name, strlen(reg->name), key->data,
								  key->len, vtext, vlen), "row key");
	rc = brop_row_digest(digest, salt, doc->data, doc->len);
	if (rc == 0)
		rc = brop_row_header(&header, header_len, op, reg->name, strlen(reg->name),
							 reg->profile == 3 ? doc->data : NULL, doc->len, reg->profile == 3 ? salt : NULL,
							 version, &brop_pg_allocator);
	brop_wipe(salt, sizeof salt);
	brop_pg_check(rc, "row version");
	return header;
}
