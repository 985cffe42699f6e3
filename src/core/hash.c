/*
 * hash.c — SHA-256, SHA-512 (OpenSSL EVP) and HMAC-SHA256.
 *
 * The EVP_MD handles are fetched once; each thread reuses one EVP_MD_CTX, so
 * hashing a short value costs no allocation.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

#include "internal.h"

static EVP_MD *md_sha256;
static EVP_MD *md_sha512;
static _Thread_local EVP_MD_CTX *tls_ctx;

int
brop__hash_init(void)
{
	if (md_sha256 == NULL)
		md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (md_sha512 == NULL)
		md_sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
	return (md_sha256 && md_sha512) ? 0 : BROP_EINTERNAL;
}

static EVP_MD_CTX *
thread_ctx(void)
{
	if (tls_ctx == NULL)
		tls_ctx = EVP_MD_CTX_new();
	return tls_ctx;
}

static int
digest_parts(const EVP_MD *md, unsigned char *out,
			 const unsigned char *const *parts, const size_t *lens, size_t n)
{
	EVP_MD_CTX *ctx = thread_ctx();

	if (ctx == NULL || md == NULL)
		return BROP_EINTERNAL;
	if (!EVP_DigestInit_ex2(ctx, md, NULL))
		return BROP_EINTERNAL;
	for (size_t i = 0; i < n; i++)
		if (lens[i] > 0 && !EVP_DigestUpdate(ctx, parts[i], lens[i]))
			return BROP_EINTERNAL;
	if (!EVP_DigestFinal_ex(ctx, out, NULL))
		return BROP_EINTERNAL;
	return BROP_OK;
}

int
brop_sha256(unsigned char out[BROP_SHA256_BYTES], const unsigned char *in, size_t inlen)
{
	return digest_parts(md_sha256, out, &in, &inlen, 1);
}

int
brop_sha256_parts(unsigned char out[BROP_SHA256_BYTES],
				  const unsigned char *const *parts, const size_t *lens, size_t n)
{
	return digest_parts(md_sha256, out, parts, lens, n);
}

int
brop_sha512(unsigned char out[BROP_SHA512_BYTES], const unsigned char *in, size_t inlen)
{
	return digest_parts(md_sha512, out, &in, &inlen, 1);
}

/* RFC 2104 over SHA-256 (block size 64), of the concatenation of n parts. */
int
brop_hmac_sha256_parts(unsigned char out[BROP_HMAC_SHA256_BYTES],
					   const unsigned char *key, size_t keylen,
					   const unsigned char *const *in, const size_t *inlens, size_t n)
{
	unsigned char k[64];
	unsigned char pad[64];
	unsigned char inner[BROP_SHA256_BYTES];
	const unsigned char *parts[BROP_HMAC_PARTS_MAX + 1];
	size_t		lens[BROP_HMAC_PARTS_MAX + 1];
	int			rc;

	if (n > BROP_HMAC_PARTS_MAX)
		return BROP_EINVAL;
	memset(k, 0, sizeof k);
	if (keylen > sizeof k)
	{
		rc = brop_sha256(k, key, keylen);
		if (rc != 0)
			goto done;
	}
	else if (keylen > 0)
		memcpy(k, key, keylen);

	for (size_t i = 0; i < sizeof pad; i++)
		pad[i] = k[i] ^ 0x36;
	parts[0] = pad;
	lens[0] = sizeof pad;
	for (size_t i = 0; i < n; i++)
	{
		parts[i + 1] = in[i];
		lens[i + 1] = inlens[i];
	}
	rc = brop_sha256_parts(inner, parts, lens, n + 1);
	if (rc != 0)
		goto done;

	for (size_t i = 0; i < sizeof pad; i++)
		pad[i] = k[i] ^ 0x5c;
	parts[1] = inner;
	lens[1] = sizeof inner;
	rc = brop_sha256_parts(out, parts, lens, 2);

done:
	brop_wipe(k, sizeof k);
	brop_wipe(pad, sizeof pad);
	brop_wipe(inner, sizeof inner);
	return rc;
}

int
brop_hmac_sha256(unsigned char out[BROP_HMAC_SHA256_BYTES],
				 const unsigned char *key, size_t keylen,
				 const unsigned char *in, size_t inlen)
{
	return brop_hmac_sha256_parts(out, key, keylen, &in, &inlen, 1);
}

int
brop_equal_ct(const unsigned char *a, const unsigned char *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

void
brop_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}
