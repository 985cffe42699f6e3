/*
 * batch.c — batch signatures (brop_batch.h): one signature over the Merkle
 * root of many messages, each message verifying on its own by its path.
 */
#include <stdlib.h>
#include <string.h>

#include "brop_batch.h"

#define HB BROP_MERKLE_HASH_BYTES

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

/* Hashes in the RFC 9162 inclusion path of index in a tree of size leaves (index < size). */
static size_t
path_length(uint64_t index, uint64_t size)
{
	size_t		count = 0;

	while (size > 1)
	{
		uint64_t	k = 1;

		while (k < size - k)	/* largest power of two below size */
			k <<= 1;
		if (index < k)
			size = k;
		else
		{
			index -= k;
			size -= k;
		}
		count++;
	}
	return count;
}

int
brop_batch_is_form(const unsigned char *sig, size_t len)
{
	return sig != NULL && len != BROP_SIGNATURE_BYTES && len > 0 && sig[0] == BROP_BATCH_FORM;
}

int
brop_batch_sig_parse(brop_batch_sig *out, const unsigned char *in, size_t len)
{
	size_t		path_bytes;

	if (out == NULL || in == NULL)
		return BROP_EINVAL;
	memset(out, 0, sizeof *out);
	if (len < BROP_BATCH_HEADER_BYTES || in[0] != BROP_BATCH_FORM)
		return BROP_ESIG;
	out->index = get_u32(in + 1);
	out->size = get_u32(in + 5);
	if (out->index >= out->size)
		return BROP_ESIG;
	out->path_len = path_length(out->index, out->size);
	path_bytes = out->path_len * HB;
	if (len - BROP_BATCH_HEADER_BYTES <= path_bytes)
		return BROP_ESIG;		/* the path cut short, or no signature after it */
	out->path = in + BROP_BATCH_HEADER_BYTES;
	out->sig = out->path + path_bytes;
	out->sig_len = len - BROP_BATCH_HEADER_BYTES - path_bytes;
	return BROP_OK;
}

int
brop_batch_message(unsigned char out[BROP_BATCH_MESSAGE_BYTES], uint64_t size, const brop_merkle_hash root)
{
	unsigned char *p = out;

	if (out == NULL || root == NULL)
		return BROP_EINVAL;
	memcpy(p, BROP_BATCH_DOMAIN, sizeof(BROP_BATCH_DOMAIN));	/* with its terminating 0x00 */
	p += sizeof(BROP_BATCH_DOMAIN);
	for (int i = 7; i >= 0; i--)
		*p++ = (unsigned char) (size >> (8 * i));
	memcpy(p, root, HB);
	return BROP_OK;
}

int
brop_batch_message_of(unsigned char out[BROP_BATCH_MESSAGE_BYTES], const brop_batch_sig *b,
					  const unsigned char *m, size_t mlen)
{
	brop_merkle_hash h;
	int			rc;

	if (out == NULL || b == NULL || (m == NULL && mlen > 0) || b->index >= b->size)
		return BROP_EINVAL;
	rc = brop_merkle_leaf_hash(h, m, mlen);
	if (rc == 0)
		rc = brop_merkle_inclusion_root(h, b->index, b->size, h, (const brop_merkle_hash *) b->path, b->path_len);
	if (rc == BROP_EVERIFY)
		return BROP_ESIG;		/* cannot happen: the parser sized the path */
	if (rc == 0)
		rc = brop_batch_message(out, b->size, h);
	return rc;
}

int
brop_verify_any(brop_alg alg, const unsigned char *pk, size_t pklen, const unsigned char *m, size_t mlen,
				const unsigned char *sig, size_t siglen)
{
	brop_batch_sig b;
	unsigned char msg[BROP_BATCH_MESSAGE_BYTES];
	int			rc;

	if (!brop_batch_is_form(sig, siglen))
		return brop_verify(alg, pk, pklen, m, mlen, sig, siglen);
	rc = brop_batch_sig_parse(&b, sig, siglen);
	if (rc == 0)
		rc = brop_batch_message_of(msg, &b, m, mlen);
	if (rc == 0)
		rc = brop_verify(alg, pk, pklen, msg, sizeof msg, b.sig, b.sig_len);
	return rc;
}

/* ---- the signer's side ----------------------------------------------------- */

int
brop_batch_tree_build(brop_batch_tree *t, const brop_merkle_hash *leaves, uint32_t n)
{
	int			rc;

	if (t == NULL)
		return BROP_EINVAL;
	memset(t, 0, sizeof *t);
	if (leaves == NULL || n == 0)
		return BROP_EINVAL;
	t->size = n;
	for (unsigned l = 0; l < 33 && (n >> l) > 0; l++)
	{
		uint32_t	count = n >> l;

		t->level[l] = malloc((size_t) count * HB);
		if (t->level[l] == NULL)
		{
			brop_batch_tree_free(t);
			return BROP_ENOMEM;
		}
		t->levels = l + 1;
		for (uint32_t i = 0; i < count; i++)
		{
			rc = l == 0 ? (memcpy(t->level[0][i], leaves[i], HB), 0)
				: brop_merkle_node_hash(t->level[l][i], t->level[l - 1][2 * i], t->level[l - 1][2 * i + 1]);
			if (rc != 0)
			{
				brop_batch_tree_free(t);
				return rc;
			}
		}
	}
	rc = brop_merkle_root(t->root, leaves, n);
	if (rc != 0)
		brop_batch_tree_free(t);
	return rc;
}

void
brop_batch_tree_free(brop_batch_tree *t)
{
	if (t == NULL)
		return;
	for (unsigned l = 0; l < 33; l++)
		free(t->level[l]);
	memset(t, 0, sizeof *t);
}

static int
tree_subtree(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	const brop_batch_tree *t = ctx;

	if (level >= t->levels || index >= (uint64_t) (t->size >> level))
		return BROP_EINTERNAL;
	memcpy(out, t->level[level][index], HB);
	return BROP_OK;
}

size_t
brop_batch_form_bytes(const brop_batch_tree *t, uint32_t index, size_t sig_len)
{
	return BROP_BATCH_HEADER_BYTES + path_length(index, t->size) * HB + sig_len;
}

int
brop_batch_form(unsigned char *out, size_t cap, size_t *outlen, const brop_batch_tree *t, uint32_t index,
				const unsigned char *sig, size_t sig_len)
{
	brop_merkle_hash path[BROP_MERKLE_MAX_PROOF];
	size_t		len;
	int			rc;

	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || t == NULL || sig == NULL || sig_len == 0 || index >= t->size)
		return BROP_EINVAL;
	if (cap < brop_batch_form_bytes(t, index, sig_len))
		return BROP_EBUFFER;
	rc = brop_merkle_inclusion_proof(path, &len, index, t->size, tree_subtree, (void *) t);
	if (rc != 0)
		return rc;
	out[0] = BROP_BATCH_FORM;
	put_u32(out + 1, index);
	put_u32(out + 5, t->size);
	memcpy(out + BROP_BATCH_HEADER_BYTES, path, len * HB);
	memcpy(out + BROP_BATCH_HEADER_BYTES + len * HB, sig, sig_len);
	*outlen = BROP_BATCH_HEADER_BYTES + len * HB + sig_len;
	return BROP_OK;
}
