/*
 * keybox.c — secret keys sealed under the root key (brop_keybox.h).
 */
#include <sodium.h>
#include <string.h>

#include "brop.h"

#define KEK_LABEL "brop keyring kek v1"
#define ID_LABEL "brop root key id v1"
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

_Static_assert(BROP_KEYBOX_BYTES == NONCE_BYTES + 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES,
			   "keybox layout");

int
brop_rootkey_parse(unsigned char root[BROP_ROOTKEY_BYTES], const char *text, size_t len)
{
	size_t		start = 0,
				end = len,
				n;
	int			rc;

	while (start < end && (text[start] == ' ' || text[start] == '\t' ||
						   text[start] == '\n' || text[start] == '\r'))
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
						   text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	if (end - start != 2 * BROP_ROOTKEY_BYTES)
		return BROP_ELENGTH;
	rc = brop_hex_decode(root, BROP_ROOTKEY_BYTES, &n, text + start, end - start);
	if (rc != 0)
		brop_wipe(root, BROP_ROOTKEY_BYTES);
	return rc;
}

int
brop_rootkey_id(unsigned char id[BROP_ROOTKEY_ID_BYTES], const unsigned char root[BROP_ROOTKEY_BYTES])
{
	unsigned char mac[BROP_HMAC_SHA256_BYTES];
	int			rc;

	rc = brop_hmac_sha256(mac, root, BROP_ROOTKEY_BYTES,
						  (const unsigned char *) ID_LABEL, strlen(ID_LABEL));
	if (rc == 0)
		memcpy(id, mac, BROP_ROOTKEY_ID_BYTES);
	return rc;
}

static int
derive_kek(unsigned char kek[32], const unsigned char root[BROP_ROOTKEY_BYTES])
{
	return brop_hmac_sha256(kek, root, BROP_ROOTKEY_BYTES,
							(const unsigned char *) KEK_LABEL, strlen(KEK_LABEL));
}

int
brop_keybox_seal(unsigned char box[BROP_KEYBOX_BYTES], const unsigned char root[BROP_ROOTKEY_BYTES],
				 const unsigned char secret[32], const unsigned char *ad, size_t adlen)
{
	unsigned char kek[32];
	unsigned long long clen;
	int			rc;

	rc = derive_kek(kek, root);
	if (rc == 0)
	{
		randombytes_buf(box, NONCE_BYTES);
		if (crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE_BYTES, &clen, secret, 32,
													   ad, adlen, NULL, box, kek) != 0)
			rc = BROP_EINTERNAL;
	}
	brop_wipe(kek, sizeof kek);
	return rc;
}

int
brop_keybox_open(unsigned char secret[32], const unsigned char root[BROP_ROOTKEY_BYTES],
				 const unsigned char *box, size_t boxlen, const unsigned char *ad, size_t adlen)
{
	unsigned char kek[32];
	unsigned long long mlen;
	int			rc;

	if (boxlen != BROP_KEYBOX_BYTES)
		return BROP_ELENGTH;
	rc = derive_kek(kek, root);
	if (rc == 0 &&
		crypto_aead_xchacha20poly1305_ietf_decrypt(secret, &mlen, NULL,
												   box + NONCE_BYTES, boxlen - NONCE_BYTES,
												   ad, adlen, box, kek) != 0)
	{
		brop_wipe(secret, 32);
		rc = BROP_EDECRYPT;
	}
	brop_wipe(kek, sizeof kek);
	return rc;
}
