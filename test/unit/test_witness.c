/*
 * test_witness.c — C2SP tlog-cosignature (cosignature/v1) against a vector
 * made by a third-party implementation (github.com/transparency-dev/formats
 * note.NewSignerForCosignatureV1, with golang.org/x/mod/sumdb/note for the
 * log's signature; checked here with OpenSSL's Ed25519 too), witness
 * policies (k of n), and proofs of misbehaviour over logs built here.
 */
#include <stdlib.h>

#include "brop.h"
#include "brop_witness.h"
#include "unit.h"

#define LOG_VKEY "example.com/vector-log+4516a1da+ARGkVJ4QEa2MOOLGBO6i7NVSJ1FQ97tIX+w+Ku0RZ6Em"
#define WIT_SKEY_B64 "BJEX3xv88eoQIKT4E+GkxZcXaJCYlQfi/GJ3NDFmZIW8"	/* PRIVATE+KEY+witness.example.com/vector+416f103d+... */
#define WIT_VKEY "witness.example.com/vector+416f103d+BK/QmJFVP3SKJOqAMhFxBQPtylo3sjwWibyFDAlZKK8B"
#define WIT_NAME "witness.example.com/vector"
#define CP_TEXT "example.com/vector-log\n1234\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\n"
#define LOG_LINE "\xe2\x80\x94 example.com/vector-log RRah2qlLrSlk6J8DA1HmNewppUM15Quhs5cAIb1KjBsV3otVirJTW8AFVsQtJkTW1Zny7GuoAxZpI6bUPcpM68QOIgE=\n"
#define WIT_LINE "\xe2\x80\x94 witness.example.com/vector QW8QPQAAAABqwLUbDdj7sDNRIVjmjYgqFI6y4UJhPg/UAA8J8wAdqSd3q4PedRhkgXA4xFN/Jg5uWn7ZkBA+H/UHQs5d9hITdXmQAA==\n"
#define WIT_TIME UINT64_C(1791014171)
#define NOTE CP_TEXT "\n" LOG_LINE WIT_LINE

static void
wit_seed(unsigned char seed[32])
{
	unsigned char key[33];
	size_t		n = 0;

	CHECK_OK(brop_base64_decode(key, sizeof key, &n, WIT_SKEY_B64, strlen(WIT_SKEY_B64),
								BROP_BASE64_STANDARD));
	CHECK(n == 33 && key[0] == 0x04);
	memcpy(seed, key + 1, 32);
}

static void
witness_of(brop_witness *w, const char *vkey)
{
	unsigned char id[4];

	CHECK_OK(brop_cosignature_parse_verifier_key(&w->name, &w->namelen, w->pk, id, vkey, strlen(vkey)));
}

static void
log_key(const char **name, size_t *namelen, unsigned char pk[32])
{
	unsigned char id[4];

	CHECK_OK(brop_note_parse_verifier_key(name, namelen, pk, id, LOG_VKEY, strlen(LOG_VKEY)));
}

TEST(cosignature_third_party_vector)
{
	unsigned char seed[32],
				pk[32],
				sk[64],
				id[4];
	char		line[BROP_COSIGNATURE_LINE_BYTES(sizeof WIT_NAME - 1)];
	char		vkey[200];
	size_t		n;
	uint64_t	t;
	brop_witness w;
	const char *lname;
	size_t		lnamelen;
	unsigned char lpk[32];

	wit_seed(seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_OK(brop_cosignature_key_id(id, WIT_NAME, strlen(WIT_NAME), pk));
	CHECK_HEX(id, 4, "416f103d");
	/* the log key id of the same key differs: type 0x01 against 0x04 */
	CHECK_OK(brop_note_key_id(id, WIT_NAME, strlen(WIT_NAME), pk));
	CHECK(!unit_hexeq(id, 4, "416f103d"));
	CHECK_OK(brop_cosignature_verifier_key(vkey, sizeof vkey, &n, WIT_NAME, strlen(WIT_NAME), pk));
	CHECK_STR(vkey, n, WIT_VKEY);

	/* byte for byte, from the same key and time */
	CHECK_OK(brop_cosignature_sign(line, sizeof line, &n, CP_TEXT, strlen(CP_TEXT),
								   WIT_NAME, strlen(WIT_NAME), seed, WIT_TIME));
	CHECK_STR(line, n, WIT_LINE);
	CHECK(line[n] == '\0');

	witness_of(&w, WIT_VKEY);
	CHECK_OK(brop_cosignature_verify(&t, NOTE, strlen(NOTE), &w));
	CHECK(t == WIT_TIME);
	/* the log's own signature, by Go's sumdb/note */
	log_key(&lname, &lnamelen, lpk);
	CHECK_OK(brop_note_verify(&n, NOTE, strlen(NOTE), lname, lnamelen, lpk));
	CHECK(n == strlen(CP_TEXT));
	brop_wipe(seed, sizeof seed);
	brop_wipe(sk, sizeof sk);
}

TEST(cosignature_message_exact)
{
	unsigned char *msg = NULL;
	size_t		n = 0;
	const char *want = "cosignature/v1\ntime 1679315147\n"
		"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

	/* the specification's example of a signed message */
	CHECK_OK(brop_cosignature_message(&msg, &n,
									  "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
									  strlen("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"),
									  UINT64_C(1679315147), NULL));
	CHECK_STR((char *) msg, n, want);
	free(msg);
	CHECK_OK(brop_cosignature_message(&msg, &n, "a\n", 2, 0, NULL));
	CHECK_STR((char *) msg, n, "cosignature/v1\ntime 0\na\n");
	free(msg);
	CHECK_ERR(brop_cosignature_message(&msg, &n, "a", 1, 0, NULL), BROP_EINVAL);
	CHECK_ERR(brop_cosignature_message(&msg, &n, "a\tb\n", 4, 0, NULL), BROP_EINVAL);
	CHECK_ERR(brop_cosignature_message(&msg, &n, "a\n", 2, UINT64_C(1) << 63, NULL), BROP_EINVAL);
	CHECK(msg == NULL && n == 0);
}

TEST(cosignature_bad)
{
	brop_witness w;
	uint64_t	t;
	const char *name;
	size_t		namelen;
	unsigned char pk[32],
				id[4];
	char		note[1000];
	const int	flips[] = {4, 11, 12, 75};

	witness_of(&w, WIT_VKEY);
	/* a changed timestamp, signature or key id: not a good cosignature */
	for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++)
	{
		unsigned char raw[76];
		char		b64[110];
		size_t		got,
					b;
		const char *sp = strrchr(WIT_LINE, ' ');

		CHECK_OK(brop_base64_decode(raw, sizeof raw, &got, sp + 1, strlen(sp + 1) - 1, BROP_BASE64_STANDARD));
		raw[flips[i]] ^= 1;
		CHECK_OK(brop_base64_encode(b64, sizeof b64, &b, raw, sizeof raw, BROP_BASE64_STANDARD));
		snprintf(note, sizeof note, "%s\n%s\xe2\x80\x94 %s %.*s\n", CP_TEXT, LOG_LINE, WIT_NAME, (int) b, b64);
		CHECK_ERR(brop_cosignature_verify(&t, note, strlen(note), &w), BROP_EVERIFY);
		CHECK(t == 0);
	}
	/* another checkpoint text */
	snprintf(note, sizeof note, "example.com/vector-log\n1235\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\n\n%s", WIT_LINE);
	CHECK_ERR(brop_cosignature_verify(&t, note, strlen(note), &w), BROP_EVERIFY);
	/* only the log's line */
	CHECK_ERR(brop_cosignature_verify(&t, CP_TEXT "\n" LOG_LINE, strlen(CP_TEXT "\n" LOG_LINE), &w), BROP_EVERIFY);
	/* a malformed line anywhere */
	CHECK_ERR(brop_cosignature_verify(&t, NOTE "junk\n", strlen(NOTE "junk\n"), &w), BROP_EENCODING);

	/* keys: a log key is not a witness key, nor the reverse */
	CHECK_ERR(brop_cosignature_parse_verifier_key(&name, &namelen, pk, id, LOG_VKEY, strlen(LOG_VKEY)), BROP_EALG);
	CHECK_ERR(brop_note_parse_verifier_key(&name, &namelen, pk, id, WIT_VKEY, strlen(WIT_VKEY)), BROP_EALG);
	CHECK_ERR(brop_cosignature_parse_verifier_key(&name, &namelen, pk, id,
												  "witness.example.com/vector+416f103e+BK/QmJFVP3SKJOqAMhFxBQPtylo3sjwWibyFDAlZKK8B",
												  strlen(WIT_VKEY)), BROP_EVERIFY);
	CHECK_ERR(brop_cosignature_parse_verifier_key(&name, &namelen, pk, id, "w+416f103d+", 11), BROP_EENCODING);
	CHECK_ERR(brop_cosignature_parse_verifier_key(&name, &namelen, pk, id, "a b+416f103d+BK/QmJFVP3SKJOqAMhFxBQPtylo3sjwWibyFDAlZKK8B",
												  strlen("a b+416f103d+BK/QmJFVP3SKJOqAMhFxBQPtylo3sjwWibyFDAlZKK8B")), BROP_EENCODING);
	CHECK(name == NULL && namelen == 0);
}

/* Two witnesses with seeds 1.. and 2..; a log key with seed 9.. */
static void
make_witness(brop_witness *w, unsigned char seed[32], const char *name, int b)
{
	unsigned char sk[64];

	memset(seed, b, 32);
	CHECK_OK(brop_ed25519_keypair_from_seed(w->pk, sk, seed));
	brop_wipe(sk, sizeof sk);
	w->name = name;
	w->namelen = strlen(name);
}

static char *
signed_checkpoint(const char *origin, uint64_t size, const unsigned char root[32], const unsigned char seed[32])
{
	char		body[300];
	size_t		n;
	char	   *note = NULL;

	CHECK_OK(brop_checkpoint_format(body, sizeof body, &n, origin, strlen(origin), size, root, "", 0));
	CHECK_OK(brop_note_sign(&note, &n, body, n, origin, strlen(origin), seed, NULL));
	return note;
}

static char *
add_line(char *note, const char *line)
{
	size_t		a = strlen(note),
				b = strlen(line);
	char	   *r = realloc(note, a + b + 1);

	CHECK(r != NULL);
	memcpy(r + a, line, b + 1);
	return r;
}

static void
cosign(char *out, size_t cap, const char *note, const brop_witness *w, const unsigned char seed[32], uint64_t t)
{
	size_t		n,
				tl = brop_note_text_length(note, strlen(note));

	CHECK_OK(brop_cosignature_sign(out, cap, &n, note, tl, w->name, w->namelen, seed, t));
}

TEST(witness_policy)
{
	unsigned char s1[32],
				s2[32],
				s3[32],
				logseed[32],
				logpk[32],
				sk[64],
				root[32];
	brop_witness w[4];
	char		l1[200],
				l2[200],
				l3[200];
	uint64_t	times[4];
	size_t		count;
	char	   *note;

	make_witness(&w[0], s1, "w1.example", 1);
	make_witness(&w[1], s2, "w2.example", 2);
	make_witness(&w[2], s3, "w3.example", 3);
	memset(logseed, 9, 32);
	CHECK_OK(brop_ed25519_keypair_from_seed(logpk, sk, logseed));
	memset(root, 0xab, 32);
	note = signed_checkpoint("example.org/log", 7, root, logseed);
	cosign(l1, sizeof l1, note, &w[0], s1, 100);
	cosign(l2, sizeof l2, note, &w[1], s2, 200);
	cosign(l3, sizeof l3, note, &w[2], s3, 300);

	/* no cosignature: 0 of 2 is enough, 1 of 2 is not */
	CHECK_OK(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 2, 0));
	CHECK(count == 0 && times[0] == 0);
	CHECK_ERR(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 2, 1),
			  BROP_EQUORUM);
	note = add_line(note, l1);
	CHECK_OK(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 2, 1));
	CHECK(count == 1 && times[0] == 100 && times[1] == 0);
	CHECK_ERR(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 2, 2),
			  BROP_EQUORUM);
	CHECK(count == 1);
	/* w3 cosigned, but the policy does not name it */
	note = add_line(note, l3);
	CHECK_ERR(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 2, 2),
			  BROP_EQUORUM);
	note = add_line(note, l2);
	CHECK_OK(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 2, 2));
	CHECK(count == 2 && times[0] == 100 && times[1] == 200);
	CHECK_OK(brop_checkpoint_verify_policy(&count, times, note, strlen(note), "example.org/log", 15, logpk, w, 3, 3));
	CHECK(count == 3 && times[2] == 300);
	/* a witness named twice counts once */
	w[3] = w[0];
	CHECK_ERR(brop_checkpoint_verify_policy(&count, NULL, note, strlen(note), "example.org/log", 15, logpk,
											(brop_witness[]) {w[0], w[3]}, 2, 2), BROP_EQUORUM);
	CHECK(count == 1);
	/* the log's signature is still required */
	CHECK_ERR(brop_checkpoint_verify_policy(&count, NULL, note, strlen(note), "example.org/log", 15, w[0].pk, w, 2, 0),
			  BROP_EVERIFY);
	/* a witness's key used as the log's: its cosignature is no log signature */
	CHECK_ERR(brop_checkpoint_verify_policy(&count, NULL, note, strlen(note), "w1.example", 10, w[0].pk, w, 2, 0),
			  BROP_EVERIFY);
	CHECK_ERR(brop_checkpoint_verify_policy(&count, NULL, note, strlen(note), "example.org/log", 15, logpk, w, 2, 3),
			  BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_verify_policy(&count, NULL, note, strlen(note), "example.org/log", 15, logpk, w,
											BROP_WITNESS_MAX + 1, 0), BROP_EINVAL);
	/* a cosignature of another checkpoint, moved onto this one, is a bad line */
	{
		char	   *other = signed_checkpoint("example.org/log", 8, root, logseed);
		char		lo[200];

		cosign(lo, sizeof lo, other, &w[1], s2, 200);
		free(other);
		other = signed_checkpoint("example.org/log", 7, root, logseed);
		other = add_line(other, l1);
		other = add_line(other, lo);
		CHECK_ERR(brop_checkpoint_verify_policy(&count, NULL, other, strlen(other), "example.org/log", 15, logpk,
												w, 2, 1), BROP_EVERIFY);
		free(other);
	}
	free(note);
	brop_wipe(sk, sizeof sk);
}

/* A log of n leaves: leaf i is H(tag, i); subtree hashes computed directly. */
typedef struct
{
	brop_merkle_hash leaves[64];
	uint64_t	n;
} toy_log;

static void
toy(toy_log *t, uint64_t n, int fork_at, uint8_t tag)
{
	t->n = n;
	for (uint64_t i = 0; i < n; i++)
	{
		unsigned char in[2] = {(unsigned char) i, (fork_at >= 0 && (int) i >= fork_at) ? tag : 0};

		CHECK_OK(brop_merkle_leaf_hash(t->leaves[i], in, sizeof in));
	}
}

static int
toy_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	toy_log    *t = ctx;

	return brop_merkle_root(out, (const brop_merkle_hash *) &t->leaves[index << level], UINT64_C(1) << level);
}

/* The proof of misbehaviour's form: RFC 9162's, with the old root first for a power of two. */
static size_t
fork_proof(brop_merkle_hash *proof, toy_log *large, uint64_t m)
{
	size_t		len;

	if ((m & (m - 1)) == 0)
	{
		CHECK_OK(brop_merkle_root(proof[0], (const brop_merkle_hash *) large->leaves, m));
		CHECK_OK(brop_merkle_consistency_proof(proof + 1, &len, m, large->n, toy_fn, large));
		return len + 1;
	}
	CHECK_OK(brop_merkle_consistency_proof(proof, &len, m, large->n, toy_fn, large));
	return len;
}

TEST(fork_proofs)
{
	unsigned char seed[32],
				pk[32],
				sk[64],
				ra[32],
				rb[32],
				rc_[32];
	toy_log		a,
				b,
				c;
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF + 1];
	uint64_t	sa,
				sb;
	size_t		len;
	char	   *na,
			   *nb,
			   *nc,
			   *other;
	const uint64_t small_sizes[] = {3, 4, 5};

	memset(seed, 7, 32);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	brop_wipe(sk, sizeof sk);

	for (size_t k = 0; k < sizeof small_sizes / sizeof small_sizes[0]; k++)
	{
		uint64_t	m = small_sizes[k];

		/* a: the honest log at m; b: a history that changed leaf 2 on, 11 leaves; c: the honest log at 11 */
		toy(&a, m, -1, 0);
		toy(&b, 11, 2, 0x55);
		toy(&c, 11, -1, 0);
		CHECK_OK(brop_merkle_root(ra, (const brop_merkle_hash *) a.leaves, a.n));
		CHECK_OK(brop_merkle_root(rb, (const brop_merkle_hash *) b.leaves, b.n));
		CHECK_OK(brop_merkle_root(rc_, (const brop_merkle_hash *) c.leaves, c.n));
		na = signed_checkpoint("example.org/log", m, ra, seed);
		nb = signed_checkpoint("example.org/log", 11, rb, seed);
		nc = signed_checkpoint("example.org/log", 11, rc_, seed);

		/* a fork, either order */
		len = fork_proof(proof, &b, m);
		CHECK_OK(brop_fork_verify(&sa, &sb, na, strlen(na), nb, strlen(nb), "example.org/log", 15, pk,
								  (const brop_merkle_hash *) proof, len));
		CHECK(sa == m && sb == 11);
		CHECK_OK(brop_fork_verify(&sa, &sb, nb, strlen(nb), na, strlen(na), "example.org/log", 15, pk,
								  (const brop_merkle_hash *) proof, len));
		CHECK(sa == 11 && sb == m);
		/* the proof from the honest log shows consistency: no fork */
		len = fork_proof(proof, &c, m);
		CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), nc, strlen(nc), "example.org/log", 15, pk,
								   (const brop_merkle_hash *) proof, len), BROP_EVERIFY);
		CHECK(sa == 0 && sb == 0);
		/* a proof that does not reach the larger root proves nothing */
		CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), nb, strlen(nb), "example.org/log", 15, pk,
								   (const brop_merkle_hash *) proof, len), BROP_EVERIFY);
		proof[len - 1][0] ^= 1;
		CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), nc, strlen(nc), "example.org/log", 15, pk,
								   (const brop_merkle_hash *) proof, len), BROP_EVERIFY);
		CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), nb, strlen(nb), "example.org/log", 15, pk,
								   (const brop_merkle_hash *) proof, 0), BROP_EVERIFY);
		free(na);
		free(nb);
		free(nc);
	}

	/* same size, different roots: no proof needed; same roots: no fork */
	na = signed_checkpoint("example.org/log", 11, rb, seed);
	nb = signed_checkpoint("example.org/log", 11, rc_, seed);
	CHECK_OK(brop_fork_verify(&sa, &sb, na, strlen(na), nb, strlen(nb), "example.org/log", 15, pk, NULL, 0));
	CHECK(sa == 11 && sb == 11);
	CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), na, strlen(na), "example.org/log", 15, pk, NULL, 0),
			  BROP_EVERIFY);
	/* signed by another key, or of another origin: no proof against this log */
	memset(seed, 8, 32);
	other = signed_checkpoint("example.org/log", 11, rc_, seed);
	CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), other, strlen(other), "example.org/log", 15, pk, NULL, 0),
			  BROP_EVERIFY);
	free(other);
	memset(seed, 7, 32);
	other = signed_checkpoint("example.org/other", 11, rc_, seed);
	CHECK_ERR(brop_fork_verify(&sa, &sb, na, strlen(na), other, strlen(other), "example.org/other", 17, pk, NULL, 0),
			  BROP_EVERIFY);
	free(other);
	free(na);
	free(nb);
	CHECK_ERR(brop_merkle_consistency_old_root(ra, 0, 4, rb, (const brop_merkle_hash *) proof, 1), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_old_root(ra, 4, 4, rb, (const brop_merkle_hash *) proof, 1), BROP_EINVAL);
}
