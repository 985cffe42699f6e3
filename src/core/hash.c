/*
 * hash.c — SHA-256, SHA-512 (OpenSSL) and HMAC-SHA256.
 *
 * SHA-256 uses OpenSSL's low-level SHA256_* functions (deprecated in 3.0, not
 * removed): the same assembly as EVP, but with the state on the stack. EVP's
 * per-call initialisation (an allocation and a free each time) cost more
 * than hashing a short value, and registered rows hash several short values
 * each. SHA-512 (rare) goes through EVP: its handle is fetched once, and each
 * thread reuses one EVP_MD_CTX.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>
#include <string.h>

#include "internal.h"

static EVP_MD *md_sha512;
static _Thread_local EVP_MD_CTX *tls_ctx;

int
brop__hash_init(void)
{
	if (md_sha512 == NULL)
		md_sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
	return md_sha512 ? 0 : BROP_EINTERNAL;
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
	return brop_sha256_parts(out, &in, &inlen, 1);
}

int
brop_sha256_parts(unsigned char out[BROP_SHA256_BYTES],
				  const unsigned char *const *parts, const size_t *lens, size_t n)
{
	SHA256_CTX	c;
	int			ok = SHA256_Init(&c);

	for (size_t i = 0; ok && i < n; i++)
		if (lens[i] > 0)
			ok = SHA256_Update(&c, parts[i], lens[i]);
	ok = ok && SHA256_Final(out, &c);
	sodium_memzero(&c, sizeof c);	/* HMAC hashes key material */
	return ok ? BROP_OK : BROP_EINTERNAL;
}

int
brop_sha512(unsigned char out[BROP_SHA512_BYTES], const unsigned char *in, size_t inlen)
{
	return digest_parts(md_sha512, out, &in, &inlen, 1);
}

/* ---- long inputs, in steps ------------------------------------------------ */

/* Bytes hashed between two questions to the cancel callback (a few ms). */
#define HASH_STEP ((size_t) 4 << 20)

/* The step of in[done..len) to hash next; 0 and BROP_ECANCELED if asked to stop. */
static size_t
next_step(size_t done, size_t len, const brop_cancel *cancel, int *rc)
{
	if (done > 0 && cancel != NULL && cancel->requested(cancel->arg))
	{
		*rc = BROP_ECANCELED;
		return 0;
	}
	return len - done < HASH_STEP ? len - done : HASH_STEP;
}

/* SHA256_Update of in[0..len) in steps. Returns: 0; BROP_ECANCELED; BROP_EINTERNAL. */
static int
sha256_update_steps(SHA256_CTX *c, const unsigned char *in, size_t len, const brop_cancel *cancel)
{
	int			rc = BROP_OK;

	for (size_t done = 0, n; done < len; done += n)
	{
		n = next_step(done, len, cancel, &rc);
		if (rc != 0)
			return rc;
		if (!SHA256_Update(c, in + done, n))
			return BROP_EINTERNAL;
	}
	return BROP_OK;
}

int
brop_sha256_cancellable(unsigned char out[BROP_SHA256_BYTES], const unsigned char *in, size_t inlen,
						const brop_cancel *cancel)
{
	SHA256_CTX	c;
	int			rc = SHA256_Init(&c) ? BROP_OK : BROP_EINTERNAL;

	if (rc == 0 && (in != NULL || inlen == 0))
		rc = sha256_update_steps(&c, in, inlen, cancel);
	else if (rc == 0)
		rc = BROP_EINVAL;
	if (rc == 0 && !SHA256_Final(out, &c))
		rc = BROP_EINTERNAL;
	sodium_memzero(&c, sizeof c);
	return rc;
}

int
brop_sha512_cancellable(unsigned char out[BROP_SHA512_BYTES], const unsigned char *in, size_t inlen,
						const brop_cancel *cancel)
{
	EVP_MD_CTX *ctx = thread_ctx();
	int			rc = BROP_OK;

	if (in == NULL && inlen > 0)
		return BROP_EINVAL;
	if (ctx == NULL || md_sha512 == NULL || !EVP_DigestInit_ex2(ctx, md_sha512, NULL))
		return BROP_EINTERNAL;
	for (size_t done = 0, n; done < inlen; done += n)
	{
		n = next_step(done, inlen, cancel, &rc);
		if (rc != 0)
			return rc;
		if (!EVP_DigestUpdate(ctx, in + done, n))
			return BROP_EINTERNAL;
	}
	if (!EVP_DigestFinal_ex(ctx, out, NULL))
		return BROP_EINTERNAL;
	return BROP_OK;
}

/* RFC 2104 over SHA-256 (block size 64), of the concatenation of n parts. */
int
brop_hmac_sha256_parts(unsigned char out[BROP_HMAC_SHA256_BYTES],
					   const unsigned char *key, size_t keylen,
					   const unsigned char *const *in, const size_t *inlens, size_t n)
{
	brop_hmac_sha256_key k;
	int			rc;

	if (n > BROP_HMAC_PARTS_MAX || (key == NULL && keylen > 0))
		return BROP_EINVAL;
	rc = brop_hmac_sha256_key_init(&k, key, keylen);
	if (rc == 0)
		rc = brop_hmac_sha256_parts_k(out, &k, in, inlens, n);
	sodium_memzero(&k, sizeof k);
	return rc;
}

int
brop_hmac_sha256(unsigned char out[BROP_HMAC_SHA256_BYTES],
				 const unsigned char *key, size_t keylen,
				 const unsigned char *in, size_t inlen)
{
	return brop_hmac_sha256_parts(out, key, keylen, &in, &inlen, 1);
}

/* the inner and outer states, after the padded key blocks */
typedef struct prepared
{
	SHA256_CTX	inner;
	SHA256_CTX	outer;
} prepared;

_Static_assert(sizeof(prepared) <= sizeof(((brop_hmac_sha256_key *) 0)->state),
			   "brop_hmac_sha256_key too small for two SHA256_CTX");

int
brop_hmac_sha256_key_init(brop_hmac_sha256_key *k, const unsigned char *key, size_t keylen)
{
	prepared   *p;
	unsigned char block[64];
	unsigned char pad[64];
	int			ok;

	if (k == NULL || (key == NULL && keylen > 0))
		return BROP_EINVAL;
	p = (prepared *) k->state;
	memset(block, 0, sizeof block);
	if (keylen > sizeof block)
	{
		if (brop_sha256(block, key, keylen) != 0)
			return BROP_EINTERNAL;
	}
	else if (keylen > 0)
		memcpy(block, key, keylen);
	for (size_t i = 0; i < sizeof pad; i++)
		pad[i] = block[i] ^ 0x36;
	ok = SHA256_Init(&p->inner) && SHA256_Update(&p->inner, pad, sizeof pad);
	for (size_t i = 0; i < sizeof pad; i++)
		pad[i] = block[i] ^ 0x5c;
	ok = ok && SHA256_Init(&p->outer) && SHA256_Update(&p->outer, pad, sizeof pad);
	sodium_memzero(block, sizeof block);
	sodium_memzero(pad, sizeof pad);
	return ok ? BROP_OK : BROP_EINTERNAL;
}

int
brop_hmac_sha256_parts_k(unsigned char out[BROP_HMAC_SHA256_BYTES], const brop_hmac_sha256_key *k,
						 const unsigned char *const *in, const size_t *inlens, size_t n)
{
	const prepared *p;
	SHA256_CTX	c;
	unsigned char inner[BROP_SHA256_BYTES];
	int			ok = 1;

	if (out == NULL || k == NULL || (n > 0 && (in == NULL || inlens == NULL)))
		return BROP_EINVAL;
	p = (const prepared *) k->state;
	c = p->inner;
	for (size_t i = 0; ok && i < n; i++)
		if (inlens[i] > 0)
			ok = SHA256_Update(&c, in[i], inlens[i]);
	ok = ok && SHA256_Final(inner, &c);
	c = p->outer;
	ok = ok && SHA256_Update(&c, inner, sizeof inner) && SHA256_Final(out, &c);
	sodium_memzero(&c, sizeof c);
	sodium_memzero(inner, sizeof inner);
	return ok ? BROP_OK : BROP_EINTERNAL;
}

int
brop_hmac_sha256_cancellable(unsigned char out[BROP_HMAC_SHA256_BYTES],
							 const unsigned char *key, size_t keylen,
							 const unsigned char *in, size_t inlen, const brop_cancel *cancel)
{
	brop_hmac_sha256_key k;
	const prepared *p;
	SHA256_CTX	c;
	unsigned char inner[BROP_SHA256_BYTES];
	unsigned char hashed_key[BROP_SHA256_BYTES];
	int			rc = BROP_OK;

	if (out == NULL || (key == NULL && keylen > 0) || (in == NULL && inlen > 0))
		return BROP_EINVAL;
	/* a key longer than a block is hashed first (RFC 2104), in steps too */
	if (keylen > 64)
	{
		rc = brop_sha256_cancellable(hashed_key, key, keylen, cancel);
		key = hashed_key;
		keylen = sizeof hashed_key;
	}
	if (rc == 0)
		rc = brop_hmac_sha256_key_init(&k, key, keylen);
	if (rc == 0)
	{
		p = (const prepared *) k.state;
		c = p->inner;
		rc = sha256_update_steps(&c, in, inlen, cancel);
		if (rc == 0 && !SHA256_Final(inner, &c))
			rc = BROP_EINTERNAL;
		c = p->outer;
		if (rc == 0 && !(SHA256_Update(&c, inner, sizeof inner) && SHA256_Final(out, &c)))
			rc = BROP_EINTERNAL;
	}
	sodium_memzero(&k, sizeof k);
	sodium_memzero(&c, sizeof c);
	sodium_memzero(inner, sizeof inner);
	sodium_memzero(hashed_key, sizeof hashed_key);
	return rc;
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
