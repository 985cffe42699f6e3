/*
 * row_queue.c — the sealed boxes of the capture queue (brop_row.h).
 */
#include <sodium.h>
#include <string.h>

#include "brop.h"

#define QUEUE_DOMAIN "brop-row-queue-v1"
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

_Static_assert(BROP_ROW_QUEUE_OVERHEAD == NONCE_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES,
			   "queue box layout");
_Static_assert(BROP_ROW_QUEUE_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "queue key");

int
brop_row_queue_key(unsigned char out[BROP_ROW_QUEUE_KEY_BYTES], const brop_hmac_sha256_key *salt_key)
{
	const unsigned char *parts[1] = {(const unsigned char *) QUEUE_DOMAIN};
	size_t		lens[1] = {sizeof QUEUE_DOMAIN - 1};

	if (out == NULL || salt_key == NULL)
		return BROP_EINVAL;
	return brop_hmac_sha256_parts_k(out, salt_key, parts, lens, 1);
}

int
brop_row_queue_seal(unsigned char *box, const unsigned char key[BROP_ROW_QUEUE_KEY_BYTES],
					const unsigned char *ad, size_t adlen, const unsigned char *msg, size_t len)
{
	unsigned long long clen;

	if (box == NULL || key == NULL || (ad == NULL && adlen > 0) || (msg == NULL && len > 0))
		return BROP_EINVAL;
	randombytes_buf(box, NONCE_BYTES);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE_BYTES, &clen, msg, len, ad, adlen,
												   NULL, box, key) != 0)
		return BROP_EINTERNAL;
	return 0;
}

int
brop_row_queue_open(unsigned char *msg, const unsigned char key[BROP_ROW_QUEUE_KEY_BYTES],
					const unsigned char *ad, size_t adlen, const unsigned char *box, size_t boxlen)
{
	unsigned long long mlen;

	if (msg == NULL || key == NULL || box == NULL || (ad == NULL && adlen > 0))
		return BROP_EINVAL;
	if (boxlen < BROP_ROW_QUEUE_OVERHEAD)
		return BROP_ELENGTH;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(msg, &mlen, NULL, box + NONCE_BYTES, boxlen - NONCE_BYTES,
												   ad, adlen, box, key) != 0)
	{
		sodium_memzero(msg, boxlen - BROP_ROW_QUEUE_OVERHEAD);
		return BROP_EDECRYPT;
	}
	return 0;
}
