/*
 * witness.c — C2SP tlog-cosignature (cosignature/v1, Ed25519), witness
 * policies (k of n cosignatures on a checkpoint), and proofs of
 * misbehaviour (two checkpoints no one log can have).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "brop_witness.h"

#define COSIG_ALG 0x04
#define COSIG_HEADER "cosignature/v1\ntime "
#define COSIG_B64 BROP_BASE64_ENCODED_LEN(BROP_COSIGNATURE_BYTES)	/* 104 */

/* ---- keys ---------------------------------------------------------------- */

int
brop_cosignature_key_id(unsigned char id[BROP_NOTE_KEYID_BYTES],
						const char *name, size_t namelen,
						const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	return brop__note_key_id(id, COSIG_ALG, name, namelen, pk);
}

int
brop_cosignature_verifier_key(char *out, size_t cap, size_t *outlen,
							  const char *name, size_t namelen,
							  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	return brop__note_verifier_key(out, cap, outlen, COSIG_ALG, name, namelen, pk);
}

int
brop_cosignature_parse_verifier_key(const char **name, size_t *namelen,
									unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
									unsigned char id[BROP_NOTE_KEYID_BYTES],
									const char *text, size_t len)
{
	return brop__note_parse_verifier_key(name, namelen, pk, id, COSIG_ALG, text, len);
}

/* ---- cosigning ----------------------------------------------------------- */

static void
put_u64_be(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
	{
		p[i] = (unsigned char) v;
		v >>= 8;
	}
}

static uint64_t
get_u64_be(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

int
brop_cosignature_message(unsigned char **out, size_t *outlen,
						 const char *text, size_t textlen, uint64_t t,
						 const brop_allocator *a)
{
	brop__str	s = {0};
	char	   *buf;
	size_t		n;
	int			rc;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || text == NULL || t > (uint64_t) BROP_COSIGNATURE_TIME_MAX)
		return BROP_EINVAL;
	if (textlen > BROP_NOTE_MAX_BYTES)
		return BROP_ELENGTH;
	if (!brop__note_text_ok(text, textlen))
		return BROP_EINVAL;
	s.a = a;
	brop__str_lit(&s, COSIG_HEADER);
	brop__str_u64(&s, t);
	brop__str_lit(&s, "\n");
	brop__str_add(&s, text, textlen);
	rc = brop__str_finish(&s, &buf, &n, a);
	if (rc != 0)
		return rc;
	*out = (unsigned char *) buf;
	*outlen = n;
	return BROP_OK;
}

int
brop_cosignature_line(char *out, size_t cap, size_t *outlen,
					  const char *name, size_t namelen,
					  const unsigned char id[BROP_NOTE_KEYID_BYTES], uint64_t t,
					  const unsigned char sig[BROP_SIGNATURE_BYTES])
{
	unsigned char raw[BROP_COSIGNATURE_BYTES];

	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || id == NULL || sig == NULL || name == NULL ||
		!brop__note_name_ok(name, namelen) || t > (uint64_t) BROP_COSIGNATURE_TIME_MAX)
		return BROP_EINVAL;
	if (cap < BROP_COSIGNATURE_LINE_BYTES(namelen))
		return BROP_EBUFFER;
	memcpy(raw, id, BROP_NOTE_KEYID_BYTES);
	put_u64_be(raw + BROP_NOTE_KEYID_BYTES, t);
	memcpy(raw + BROP_NOTE_KEYID_BYTES + 8, sig, BROP_SIGNATURE_BYTES);
	return brop__note_line_write(out, cap, outlen, name, namelen, raw, sizeof raw);
}

int
brop_cosignature_sign(char *out, size_t cap, size_t *outlen,
					  const char *text, size_t textlen,
					  const char *name, size_t namelen,
					  const unsigned char seed[BROP_SECRETKEYBYTES], uint64_t t)
{
	unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char sk[BROP_ED25519_SECRETKEYBYTES];
	unsigned char id[BROP_NOTE_KEYID_BYTES];
	unsigned char sig[BROP_SIGNATURE_BYTES];
	unsigned char *msg = NULL;
	size_t		msglen = 0;
	int			rc;

	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || seed == NULL || name == NULL ||
		!brop__note_name_ok(name, namelen))
		return BROP_EINVAL;
	if (cap < BROP_COSIGNATURE_LINE_BYTES(namelen))
		return BROP_EBUFFER;
	rc = brop_cosignature_message(&msg, &msglen, text, textlen, t, NULL);
	if (rc != 0)
		return rc;
	rc = brop_ed25519_keypair_from_seed(pk, sk, seed);
	if (rc == 0)
		rc = brop_cosignature_key_id(id, name, namelen, pk);
	if (rc == 0)
		rc = brop_ed25519_sign(sig, msg, msglen, sk);
	brop_wipe(sk, sizeof sk);
	free(msg);
	if (rc != 0)
		return rc;
	return brop_cosignature_line(out, cap, outlen, name, namelen, id, t, sig);
}

/* ---- verifying ----------------------------------------------------------- */

/*
 * The cosignatures by w in an opened note: 1 with *t for a good one, 0 for
 * none, BROP_EVERIFY for a bad one (of this key), BROP_EENCODING for a
 * malformed note. Every line is read, so a malformed line anywhere fails.
 */
static int
cosignature_of(brop__note_iter it, const brop_witness *w, const unsigned char id[BROP_NOTE_KEYID_BYTES],
			   uint64_t *t)
{
	brop__note_line l;
	int			good = 0,
				bad = 0,
				rc;

	*t = 0;
	while ((rc = brop__note_next(&it, &l)) > 0)
	{
		unsigned char *msg = NULL;
		size_t		msglen;
		uint64_t	lt;

		if (l.namelen != w->namelen || memcmp(l.name, w->name, l.namelen) != 0 ||
			memcmp(l.head, id, BROP_NOTE_KEYID_BYTES) != 0)
			continue;
		if (bad || good)
		{
			/* one bad line fails the note; after a good one, another is only read */
			if (l.siglen != BROP_COSIGNATURE_BYTES)
				bad = 1;
			continue;
		}
		lt = get_u64_be(l.head + BROP_NOTE_KEYID_BYTES);
		if (l.siglen != BROP_COSIGNATURE_BYTES || lt > (uint64_t) BROP_COSIGNATURE_TIME_MAX)
		{
			bad = 1;
			continue;
		}
		rc = brop_cosignature_message(&msg, &msglen, it.note, it.textlen, lt, NULL);
		if (rc != 0)
			return rc == BROP_EINVAL ? BROP_EENCODING : rc;
		rc = brop__ed25519_verify_prevalidated(l.head + BROP_NOTE_KEYID_BYTES + 8, msg, msglen, w->pk);
		free(msg);
		if (rc != 0)
			bad = 1;
		else
		{
			good = 1;
			*t = lt;
		}
	}
	if (rc < 0)
		return rc;
	if (bad)
	{
		*t = 0;
		return BROP_EVERIFY;
	}
	return good;
}

int
brop_cosignature_verify(uint64_t *t, const char *note, size_t notelen, const brop_witness *w)
{
	unsigned char id[BROP_NOTE_KEYID_BYTES];
	brop__note_iter it;
	int			rc;

	if (t != NULL)
		*t = 0;
	if (t == NULL || w == NULL)
		return BROP_EINVAL;
	rc = brop_cosignature_key_id(id, w->name, w->namelen, w->pk);
	if (rc != 0)
		return rc;
	rc = brop__note_open(&it, note, notelen);
	if (rc != 0)
		return rc;
	rc = cosignature_of(it, w, id, t);
	if (rc < 0)
		return rc;
	return rc == 1 ? BROP_OK : BROP_EVERIFY;
}

int
brop_checkpoint_verify_policy(size_t *count, uint64_t *cosigned,
							  const char *note, size_t notelen,
							  const char *name, size_t namelen,
							  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
							  const brop_witness *witnesses, size_t n, size_t quorum)
{
	brop__note_iter it;
	size_t		textlen,
				got = 0;
	int			rc;

	if (count != NULL)
		*count = 0;
	if (cosigned != NULL && witnesses != NULL)
		memset(cosigned, 0, n * sizeof *cosigned);
	if (count == NULL || pk == NULL || (witnesses == NULL && n > 0) ||
		n > BROP_WITNESS_MAX || quorum > n)
		return BROP_EINVAL;
	rc = brop_note_verify_valid(&textlen, note, notelen, name, namelen, pk);
	if (rc != 0)
		return rc;
	rc = brop__note_open(&it, note, notelen);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
	{
		unsigned char id[BROP_NOTE_KEYID_BYTES];
		uint64_t	t;
		int			dup = 0;

		rc = brop_cosignature_key_id(id, witnesses[i].name, witnesses[i].namelen, witnesses[i].pk);
		if (rc != 0)
			return rc;
		rc = cosignature_of(it, &witnesses[i], id, &t);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		if (cosigned != NULL)
			cosigned[i] = t;
		/* a witness named twice counts once */
		for (size_t j = 0; j < i && !dup; j++)
			dup = witnesses[j].namelen == witnesses[i].namelen &&
				memcmp(witnesses[j].name, witnesses[i].name, witnesses[i].namelen) == 0 &&
				memcmp(witnesses[j].pk, witnesses[i].pk, BROP_ED25519_PUBLICKEYBYTES) == 0;
		if (!dup)
			got++;
	}
	*count = got;
	return got >= quorum ? BROP_OK : BROP_EQUORUM;
}

/* ---- proofs of misbehaviour ---------------------------------------------- */

static int
signed_checkpoint(brop_checkpoint *cp, const char *note, size_t len,
				  const char *name, size_t namelen, const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	size_t		textlen;
	int			rc;

	rc = brop_note_verify_valid(&textlen, note, len, name, namelen, pk);
	if (rc != 0)
		return rc;
	return brop_checkpoint_parse(cp, note, textlen);
}

int
brop_fork_verify(uint64_t *size_a, uint64_t *size_b,
				 const char *note_a, size_t len_a,
				 const char *note_b, size_t len_b,
				 const char *name, size_t namelen,
				 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
				 const brop_merkle_hash *proof, size_t prooflen)
{
	brop_checkpoint a,
				b;
	const brop_checkpoint *small,
			   *large;
	brop_merkle_hash implied;
	int			rc;

	if (size_a != NULL)
		*size_a = 0;
	if (size_b != NULL)
		*size_b = 0;
	if (size_a == NULL || size_b == NULL || pk == NULL || (proof == NULL && prooflen > 0))
		return BROP_EINVAL;
	rc = signed_checkpoint(&a, note_a, len_a, name, namelen, pk);
	if (rc == 0)
		rc = signed_checkpoint(&b, note_b, len_b, name, namelen, pk);
	if (rc != 0)
		return rc;
	if (a.originlen != b.originlen || memcmp(a.origin, b.origin, a.originlen) != 0)
		return BROP_EVERIFY;
	*size_a = a.size;
	*size_b = b.size;
	if (a.size == b.size)
		return prooflen == 0 && memcmp(a.root, b.root, sizeof a.root) != 0 ? BROP_OK : BROP_EVERIFY;
	small = a.size < b.size ? &a : &b;
	large = a.size < b.size ? &b : &a;
	if (small->size == 0)
		return BROP_EVERIFY;	/* the empty tree is a prefix of every tree */
	rc = brop_merkle_consistency_old_root(implied, small->size, large->size, large->root,
										  proof, prooflen);
	if (rc == BROP_EINVAL)
		rc = BROP_EVERIFY;
	if (rc == 0 && memcmp(implied, small->root, sizeof implied) == 0)
		rc = BROP_EVERIFY;		/* consistent after all */
	if (rc != 0)
	{
		*size_a = 0;
		*size_b = 0;
	}
	return rc;
}
