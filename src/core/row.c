/*
 * row.c — salts, digests and chain ids of registered rows (brop_row.h).
 */
#include <string.h>

#include "brop.h"

#define SALT_DOMAIN "brop-row-salt-v1"
#define DIGEST_DOMAIN "brop-row-v1"
#define CHAIN_DOMAIN "brop-row-chain-v1"

static const unsigned char zero = 0;

static int
has_nul(const char *s, size_t len)
{
	return len > 0 && memchr(s, '\0', len) != NULL;
}

int
brop_row_salt_k(unsigned char salt[BROP_ROW_SALT_BYTES], const brop_hmac_sha256_key *key,
				const char *registration, size_t registration_len,
				const char *row_key, size_t row_key_len,
				const char *version, size_t version_len)
{
	const unsigned char *parts[7] = {
		(const unsigned char *) SALT_DOMAIN, &zero, (const unsigned char *) registration, &zero,
		(const unsigned char *) row_key, &zero, (const unsigned char *) version
	};
	size_t		lens[7] = {
		sizeof SALT_DOMAIN - 1, 1, registration_len, 1, row_key_len, 1, version_len
	};

	if (salt == NULL || key == NULL || registration == NULL || row_key == NULL || version == NULL ||
		has_nul(registration, registration_len) || has_nul(row_key, row_key_len) ||
		has_nul(version, version_len))
		return BROP_EINVAL;
	return brop_hmac_sha256_parts_k(salt, key, parts, lens, 7);
}

int
brop_row_salt(unsigned char salt[BROP_ROW_SALT_BYTES],
			  const unsigned char key[BROP_ROW_SALT_KEY_BYTES],
			  const char *registration, size_t registration_len,
			  const char *row_key, size_t row_key_len,
			  const char *version, size_t version_len)
{
	brop_hmac_sha256_key k;
	int			rc;

	if (key == NULL)
		return BROP_EINVAL;
	rc = brop_hmac_sha256_key_init(&k, key, BROP_ROW_SALT_KEY_BYTES);
	if (rc == 0)
		rc = brop_row_salt_k(salt, &k, registration, registration_len, row_key, row_key_len,
							 version, version_len);
	brop_wipe(&k, sizeof k);
	return rc;
}

int
brop_row_digest(unsigned char digest[BROP_ROW_DIGEST_BYTES],
				const unsigned char salt[BROP_ROW_SALT_BYTES],
				const char *document, size_t document_len)
{
	const unsigned char *parts[3] = {
		(const unsigned char *) DIGEST_DOMAIN, &zero, (const unsigned char *) document
	};
	size_t		lens[3] = {sizeof DIGEST_DOMAIN - 1, 1, document_len};

	if (digest == NULL || salt == NULL || (document == NULL && document_len > 0))
		return BROP_EINVAL;
	return brop_hmac_sha256_parts(digest, salt, BROP_ROW_SALT_BYTES, parts, lens, 3);
}

int
brop_row_chain_id_k(unsigned char id[BROP_ROW_CHAIN_ID_BYTES], const brop_hmac_sha256_key *key,
					const char *registration, size_t registration_len,
					const char *row_key, size_t row_key_len)
{
	const unsigned char *parts[5] = {
		(const unsigned char *) CHAIN_DOMAIN, &zero, (const unsigned char *) registration, &zero,
		(const unsigned char *) row_key
	};
	size_t		lens[5] = {sizeof CHAIN_DOMAIN - 1, 1, registration_len, 1, row_key_len};
	unsigned char full[BROP_HMAC_SHA256_BYTES];
	int			rc;

	if (id == NULL || key == NULL || registration == NULL || row_key == NULL ||
		has_nul(registration, registration_len) || has_nul(row_key, row_key_len))
		return BROP_EINVAL;
	rc = brop_hmac_sha256_parts_k(full, key, parts, lens, 5);
	if (rc == 0)
		memcpy(id, full, BROP_ROW_CHAIN_ID_BYTES);
	brop_wipe(full, sizeof full);
	return rc;
}

int
brop_row_chain_id(unsigned char id[BROP_ROW_CHAIN_ID_BYTES],
				  const unsigned char key[BROP_ROW_SALT_KEY_BYTES],
				  const char *registration, size_t registration_len,
				  const char *row_key, size_t row_key_len)
{
	brop_hmac_sha256_key k;
	int			rc;

	if (key == NULL)
		return BROP_EINVAL;
	rc = brop_hmac_sha256_key_init(&k, key, BROP_ROW_SALT_KEY_BYTES);
	if (rc == 0)
		rc = brop_row_chain_id_k(id, &k, registration, registration_len, row_key, row_key_len);
	brop_wipe(&k, sizeof k);
	return rc;
}
