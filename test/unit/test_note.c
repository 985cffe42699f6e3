/*
 * test_note.c — C2SP signed notes with Ed25519 against the example key of
 * golang.org/x/mod/sumdb/note (note_test.go: "PeterNeumann" and
 * "EnochRoot", exact key ids, verifier key texts, signatures), its
 * malformed notes and key manglings; the examples of c2sp.org/signed-note
 * and c2sp.org/tlog-checkpoint; checkpoint bodies, well and badly formed.
 */
#include <stdlib.h>

#include "brop.h"
#include "brop_note.h"
#include "unit.h"

#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SKEY_B64 "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"	/* from PRIVATE+KEY+PeterNeumann+c74f20a3+... */
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define TEXT "If you think cryptography is the answer to your problem,\n" \
	"then you don't know what your problem is.\n"
#define PETER_SIG "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
#define ENOCH_SIG "\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

typedef struct
{
	const char *name;
	size_t		namelen;
	unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char id[BROP_NOTE_KEYID_BYTES];
} vkey;

static void
parse_vkey(vkey *k, const char *text)
{
	CHECK_OK(brop_note_parse_verifier_key(&k->name, &k->namelen, k->pk, k->id, text,
										  strlen(text)));
}

static int
verify(const char *note, const vkey *k, size_t *textlen)
{
	size_t		dummy;

	return brop_note_verify(textlen != NULL ? textlen : &dummy, note, strlen(note),
							k->name, k->namelen, k->pk);
}

static void
peter_seed(unsigned char seed[32])
{
	unsigned char key[33];
	size_t		n = 0;

	CHECK_OK(brop_base64_decode(key, sizeof key, &n, PETER_SKEY_B64, strlen(PETER_SKEY_B64),
								BROP_BASE64_STANDARD));
	CHECK(n == 33 && key[0] == 0x01);
	memcpy(seed, key + 1, 32);
}

TEST(note_go_example_key)
{
	unsigned char seed[32],
				pk[32],
				sk[64],
				id[4];
	char		text[400];
	size_t		n;
	vkey		k;

	peter_seed(seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_OK(brop_note_key_id(id, "PeterNeumann", 12, pk));
	CHECK_HEX(id, 4, "c74f20a3");
	CHECK_OK(brop_note_verifier_key(text, sizeof text, &n, "PeterNeumann", 12, pk));
	CHECK_STR(text, n, PETER_VKEY);
	CHECK(text[n] == '\0');

	parse_vkey(&k, PETER_VKEY);
	CHECK_STR(k.name, k.namelen, "PeterNeumann");
	CHECK_MEM(k.pk, pk, 32);
	CHECK_HEX(k.id, 4, "c74f20a3");
	parse_vkey(&k, ENOCH_VKEY);
	CHECK_STR(k.name, k.namelen, "EnochRoot");
	CHECK_HEX(k.id, 4, "af0cfe78");
	/* hex digits of the id in upper case, as Go's ParseUint reads them */
	parse_vkey(&k, "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");

	/* exact buffer: room for the NUL */
	CHECK_ERR(brop_note_verifier_key(text, strlen(PETER_VKEY), &n, "PeterNeumann", 12, pk),
			  BROP_EBUFFER);
	CHECK_OK(brop_note_verifier_key(text, strlen(PETER_VKEY) + 1, &n, "PeterNeumann", 12, pk));
	brop_wipe(sk, sizeof sk);
	brop_wipe(seed, sizeof seed);
}

TEST(note_verifier_key_bad)
{
	const char *name;
	size_t		namelen;
	unsigned char pk[32],
				id[4];
	char		b[sizeof PETER_VKEY];
	size_t		len = strlen(PETER_VKEY);

#define PARSE(s) brop_note_parse_verifier_key(&name, &namelen, pk, id, (s), strlen(s))
	/* note_test.go TestNewVerifier */
	CHECK_ERR(PARSE("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="),
			  BROP_EENCODING);
	CHECK_ERR(PARSE("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), BROP_EALG);
	/* the key id of another key */
	CHECK_ERR(PARSE("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
			  BROP_EVERIFY);
	CHECK_ERR(PARSE("PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
			  BROP_EVERIFY);
	/* a long key of another type (tlog-cosignature type 0x04 would be 33 bytes too) */
	CHECK_ERR(PARSE("x+00000000+BBpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), BROP_EALG);
	CHECK_ERR(PARSE("x+00000000+/wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
			  BROP_EALG);
	CHECK_ERR(PARSE(""), BROP_EENCODING);
	CHECK_ERR(PARSE("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), BROP_EENCODING);
	CHECK_ERR(PARSE("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
			  BROP_EENCODING);
	CHECK_ERR(PARSE("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
			  BROP_EENCODING);
	CHECK_ERR(PARSE("PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
			  BROP_EENCODING);
	CHECK_ERR(PARSE("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n"),
			  BROP_EENCODING);
	/* a key id that is not the one of this name and key */
	CHECK_ERR(PARSE("x+5b6f1b6a+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), BROP_EVERIFY);
	CHECK(name == NULL && namelen == 0);

	/* TestNewVerifier's manglings: every proper substring, every byte + 1 */
	memcpy(b, PETER_VKEY, len + 1);
	for (size_t i = 0; i <= len; i++)
		for (size_t j = i + 1; j <= len; j++)
			if (i != 0 || j != len)
			{
				int			rc = brop_note_parse_verifier_key(&name, &namelen, pk, id, b + i, j - i);

				if (rc == 0)
					unit_fail(__FILE__, __LINE__, "substring %zu..%zu accepted", i, j);
			}
	for (size_t i = 0; i < len; i++)
	{
		b[i]++;
		if (brop_note_parse_verifier_key(&name, &namelen, pk, id, b, len) == 0)
			unit_fail(__FILE__, __LINE__, "byte %zu + 1 accepted", i);
		b[i]--;
	}
#undef PARSE
}

TEST(note_key_small_order)
{
	/* the key id computed for a small-order point is right, the key is refused */
	unsigned char zero[32] = {0},
				id[4];
	char		text[200];
	size_t		n;
	const char *name;
	unsigned char pk[32];

	zero[0] = 1;				/* the identity point: small order */
	CHECK_OK(brop_note_key_id(id, "x", 1, zero));
	CHECK_ERR(brop_note_verifier_key(text, sizeof text, &n, "x", 1, zero), BROP_EKEY);
	memcpy(text, "x+", 2);
	CHECK_OK(brop_hex_encode(text + 2, 8, &n, id, 4));
	memcpy(text + 10, "+AQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 46);
	CHECK_ERR(brop_note_parse_verifier_key(&name, &n, pk, id, text, strlen(text)), BROP_EKEY);
	/* brop_note_verify refuses it before reading the note; the caller of _valid vouches for its keys */
	CHECK_ERR(brop_note_verify(&n, TEXT "\n" PETER_SIG, strlen(TEXT "\n" PETER_SIG), "x", 1, zero), BROP_EKEY);
	CHECK_ERR(brop_note_verify_valid(&n, TEXT "\n" PETER_SIG, strlen(TEXT "\n" PETER_SIG), "x", 1, zero),
			  BROP_EVERIFY);
}

TEST(note_names)
{
	unsigned char pk[32] = {0},
				id[4];
	char		name[300];

	memset(name, 'a', sizeof name);
	CHECK_OK(brop_note_key_id(id, name, BROP_NOTE_NAME_MAX, pk));
	CHECK_ERR(brop_note_key_id(id, name, BROP_NOTE_NAME_MAX + 1, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "", 0, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, NULL, 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a+b", 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a b", 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a\nb", 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a\tb", 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a\x01" "b", 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a\xc2\xa0" "b", 4, pk), BROP_EINVAL);	/* U+00A0 */
	CHECK_ERR(brop_note_key_id(id, "a\xe2\x80\x83" "b", 5, pk), BROP_EINVAL);	/* U+2003 */
	CHECK_ERR(brop_note_key_id(id, "a\xe3\x80\x80" "b", 5, pk), BROP_EINVAL);	/* U+3000 */
	CHECK_ERR(brop_note_key_id(id, "a\xff" "b", 3, pk), BROP_EINVAL);
	CHECK_ERR(brop_note_key_id(id, "a\xc0\xaf", 3, pk), BROP_EINVAL);	/* overlong */
	CHECK_ERR(brop_note_key_id(id, "a\xed\xa0\x80", 4, pk), BROP_EINVAL);	/* surrogate */
	CHECK_ERR(brop_note_key_id(id, "a\xe2\x80", 3, pk), BROP_EINVAL);	/* truncated */
	CHECK_OK(brop_note_key_id(id, "example.com/log\xc3\xa9", 17, pk));
	CHECK_OK(brop_note_key_id(id, "a\x7f" "b", 3, pk));
}

TEST(note_sign_go_example)
{
	unsigned char seed[32];
	char	   *out = NULL;
	size_t		outlen = 0,
				textlen = 0;
	vkey		k;

	peter_seed(seed);
	CHECK_OK(brop_note_sign(&out, &outlen, TEXT, strlen(TEXT), "PeterNeumann", 12, seed, NULL));
	CHECK(out != NULL);
	if (out == NULL)
		return;
	CHECK_STR(out, outlen, TEXT "\n" PETER_SIG);
	CHECK(out[outlen] == '\0');

	parse_vkey(&k, PETER_VKEY);
	CHECK_OK(verify(out, &k, &textlen));
	CHECK(textlen == strlen(TEXT));
	free(out);

	/* text that cannot be a note */
	CHECK_ERR(brop_note_sign(&out, &outlen, "abc", 3, "PeterNeumann", 12, seed, NULL), BROP_EINVAL);
	CHECK(out == NULL && outlen == 0);
	CHECK_ERR(brop_note_sign(&out, &outlen, "", 0, "PeterNeumann", 12, seed, NULL), BROP_EINVAL);
	CHECK_ERR(brop_note_sign(&out, &outlen, "a\rb\n", 4, "PeterNeumann", 12, seed, NULL),
			  BROP_EINVAL);
	CHECK_ERR(brop_note_sign(&out, &outlen, "a\xff\n", 3, "PeterNeumann", 12, seed, NULL),
			  BROP_EINVAL);
	CHECK_ERR(brop_note_sign(&out, &outlen, TEXT, strlen(TEXT), "bad name", 8, seed, NULL),
			  BROP_EINVAL);
	CHECK_ERR(brop_note_sign(&out, &outlen, TEXT, strlen(TEXT), "PeterNeumann", 12, NULL, NULL),
			  BROP_EINVAL);
	brop_wipe(seed, sizeof seed);
}

/*
 * A note signed elsewhere (a key in a token): the signature line and the note
 * assembled from a signature by another signer are Go's, byte for byte, and
 * brop_note_sign's.
 */
TEST(note_assemble_signed_elsewhere)
{
	unsigned char seed[32],
				pk[BROP_ED25519_PUBLICKEYBYTES],
				sk[BROP_ED25519_SECRETKEYBYTES],
				sig[BROP_SIGNATURE_BYTES];
	char		line[BROP_NOTE_SIGNATURE_LINE_BYTES(12) + 1];
	char	   *out = NULL;
	size_t		outlen = 0,
				linelen = 0;

	peter_seed(seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_OK(brop_ed25519_sign(sig, (const unsigned char *) TEXT, strlen(TEXT), sk));
	brop_wipe(sk, sizeof sk);
	brop_wipe(seed, sizeof seed);

	CHECK_OK(brop_note_signature_line(line, sizeof line, &linelen, "PeterNeumann", 12, pk, sig));
	CHECK_STR(line, linelen, PETER_SIG);
	CHECK(linelen == BROP_NOTE_SIGNATURE_LINE_BYTES(12) && line[linelen] == '\0');
	CHECK_ERR(brop_note_signature_line(line, sizeof line - 1, &linelen, "PeterNeumann", 12, pk, sig),
			  BROP_EBUFFER);
	CHECK(linelen == 0);
	CHECK_ERR(brop_note_signature_line(line, sizeof line, &linelen, "Peter+Neumann", 13, pk, sig),
			  BROP_EINVAL);
	CHECK_ERR(brop_note_signature_line(line, sizeof line, &linelen, "PeterNeumann", 12, NULL, sig),
			  BROP_EINVAL);

	CHECK_OK(brop_note_assemble(&out, &outlen, TEXT, strlen(TEXT), "PeterNeumann", 12, pk, sig, NULL));
	CHECK(out != NULL);
	if (out == NULL)
		return;
	CHECK_STR(out, outlen, TEXT "\n" PETER_SIG);
	CHECK(out[outlen] == '\0');
	free(out);
	out = NULL;

	/* text and name as brop_note_sign checks them */
	CHECK_ERR(brop_note_assemble(&out, &outlen, "abc", 3, "PeterNeumann", 12, pk, sig, NULL), BROP_EINVAL);
	CHECK(out == NULL && outlen == 0);
	CHECK_ERR(brop_note_assemble(&out, &outlen, "a\rb\n", 4, "PeterNeumann", 12, pk, sig, NULL),
			  BROP_EINVAL);
	CHECK_ERR(brop_note_assemble(&out, &outlen, TEXT, strlen(TEXT), "bad name", 8, pk, sig, NULL),
			  BROP_EINVAL);
	CHECK_ERR(brop_note_assemble(&out, &outlen, TEXT, strlen(TEXT), "PeterNeumann", 12, pk, NULL, NULL),
			  BROP_EINVAL);
}

TEST(note_verify_go_open)
{
	vkey		peter,
				enoch,
				other;
	unsigned char seed[32];
	char	   *big;
	size_t		textlen = 0;

	parse_vkey(&peter, PETER_VKEY);
	parse_vkey(&enoch, ENOCH_VKEY);

	/* one signature verified, the other ignored; both known */
	CHECK_OK(verify(TEXT "\n" PETER_SIG ENOCH_SIG, &peter, &textlen));
	CHECK(textlen == strlen(TEXT));
	CHECK_OK(verify(TEXT "\n" PETER_SIG ENOCH_SIG, &enoch, &textlen));
	CHECK_OK(verify(TEXT "\n" ENOCH_SIG, &enoch, NULL));
	/* no signature by this key: another key, another name */
	memset(seed, 7, sizeof seed);
	{
		unsigned char sk[64];

		CHECK_OK(brop_ed25519_keypair_from_seed(other.pk, sk, seed));
		brop_wipe(sk, sizeof sk);
	}
	other.name = "PeterNeumann";
	other.namelen = 12;
	CHECK_ERR(verify(TEXT "\n" PETER_SIG ENOCH_SIG, &other, &textlen), BROP_EVERIFY);
	CHECK(textlen == 0);
	other = peter;
	other.name = "PeterNeuman";
	other.namelen = 11;
	CHECK_ERR(verify(TEXT "\n" PETER_SIG, &other, NULL), BROP_EVERIFY);
	CHECK_ERR(verify(TEXT "\n" PETER_SIG, &enoch, NULL), BROP_EVERIFY);

	/* tampered text */
	CHECK_ERR(verify("If you think cryptography is the answer to your problem,\n"
					 "then you don't know what your problem is!\n\n" PETER_SIG, &peter, NULL),
			  BROP_EVERIFY);

	/* duplicates are fine; 100 signatures are, 101 are not */
	CHECK_OK(verify(TEXT "\n" PETER_SIG PETER_SIG ENOCH_SIG ENOCH_SIG, &peter, NULL));
	big = malloc(strlen(TEXT) + 1 + 101 * strlen(PETER_SIG) + 1);
	CHECK(big != NULL);
	if (big != NULL)
	{
		strcpy(big, TEXT "\n");
		for (int i = 0; i < 100; i++)
			strcat(big, PETER_SIG);
		CHECK_OK(verify(big, &peter, NULL));
		strcat(big, PETER_SIG);
		CHECK_ERR(verify(big, &peter, NULL), BROP_EENCODING);
		free(big);
	}

	/* padding inside the base64: malformed */
	CHECK_ERR(verify(TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=ABCD\n",
					 &peter, NULL), BROP_EENCODING);
	/* a bad signature with this key's name and id: the note is refused */
	CHECK_ERR(verify(TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIABCDAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
					 &peter, NULL), BROP_EVERIFY);
	CHECK_ERR(verify(TEXT "\n" PETER_SIG "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAA=\n",
					 &peter, NULL), BROP_EVERIFY);
	/*
	 * after a bad signature, the lines are parsed but not verified (a note
	 * costs at most two verifications): still refused, and a malformed line
	 * after it is still malformed
	 */
#define BAD_PETER_SIG "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIABCDAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
	CHECK_ERR(verify(TEXT "\n" BAD_PETER_SIG PETER_SIG BAD_PETER_SIG, &peter, NULL), BROP_EVERIFY);
	CHECK_ERR(verify(TEXT "\n" BAD_PETER_SIG PETER_SIG "\xe2\x80\x94 PeterNeumann !!\n", &peter, NULL),
			  BROP_EENCODING);
	/* the same signature under another name or key id: ignored */
	CHECK_ERR(verify(TEXT "\n\xe2\x80\x94 CarmenSandiego x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
					 &peter, NULL), BROP_EVERIFY);
	CHECK_ERR(verify(TEXT "\n\xe2\x80\x94 PeterNeumann xxxxo/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
					 &peter, NULL), BROP_EVERIFY);
	CHECK_OK(verify(TEXT "\n\xe2\x80\x94 PeterNeumann xxxxo/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n" PETER_SIG,
					&peter, NULL));

	/* for a key already validated: the same verdicts */
	CHECK_OK(brop_note_verify_valid(&textlen, TEXT "\n" PETER_SIG, strlen(TEXT "\n" PETER_SIG),
									"PeterNeumann", 12, peter.pk));
	CHECK(textlen == strlen(TEXT));
	CHECK_ERR(brop_note_verify_valid(&textlen, TEXT "\n" PETER_SIG, strlen(TEXT "\n" PETER_SIG),
									 "PeterNeumann", 12, enoch.pk), BROP_EVERIFY);

	/* bad arguments */
	CHECK_ERR(brop_note_verify(&textlen, TEXT, strlen(TEXT), "a b", 3, peter.pk), BROP_EINVAL);
	CHECK_ERR(brop_note_verify(NULL, TEXT, strlen(TEXT), "a", 1, peter.pk), BROP_EINVAL);
	CHECK_ERR(brop_note_verify(&textlen, NULL, 1, "a", 1, peter.pk), BROP_EINVAL);
}

TEST(note_verify_malformed)
{
	vkey		peter;
	static const char *const bad[] = {
		/* note_test.go TestOpen's bad messages */
		TEXT,
		TEXT "\n",
		TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
		"\x01" TEXT "\n" PETER_SIG,
		"\xff" TEXT "\n" PETER_SIG,
		TEXT "\n\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
		TEXT "\n" PETER_SIG "Unexpected line.\n",
		/* missing blank line */
		TEXT PETER_SIG,
		/* text without a final newline */
		"abc\n" PETER_SIG,
		/* bad base64: a character, padding, trailing bits, no signature */
		TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnA!=\n",
		TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
		TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n",
		TEXT "\n\xe2\x80\x94 PeterNeumann x0==x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		TEXT "\n\xe2\x80\x94 PeterNeumann \n",
		TEXT "\n\xe2\x80\x94 PeterNeumann x08gow==\n",	/* 4 bytes: no signature */
		TEXT "\n\xe2\x80\x94 PeterNeumann\n",
		TEXT "\n\xe2\x80\x94  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		TEXT "\n\xe2\x80\x94 Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		TEXT "\n\xe2\x80\x94 PeterNeumann  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		TEXT "\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		TEXT "\n" PETER_SIG "\n",
		TEXT "\n\r" PETER_SIG,
		"",
		"\n",
		"\n\n",
	};

	parse_vkey(&peter, PETER_VKEY);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
	{
		int			rc = verify(bad[i], &peter, NULL);

		if (rc != BROP_EENCODING)
			unit_fail(__FILE__, __LINE__, "bad note %zu: %d", i, rc);
	}
}

TEST(note_spec_examples)
{
	/* c2sp.org/signed-note: a text with an empty line; the key is not published */
	static const char spec_note[] =
		"Ognuno sta solo sul cuor della terra\n"
		"trafitto da un raggio di sole:\n"
		"\n"
		"ed \xc3\xa8 subito sera.\n"
		"\n"
		"\xe2\x80\x94 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
	static const char cp_note[] =
		"example.com/behind-the-sofa\n"
		"20852163\n"
		"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
		"\n"
		"\xe2\x80\x94 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
	const size_t spec_textlen = 88;
	unsigned char seed[32],
				pk[32],
				sk[64];
	char	   *out = NULL;
	size_t		outlen = 0,
				textlen = 0;
	brop_checkpoint cp;
	char		buf[200];

	/* well formed, signed by keys we do not have: no valid signature */
	memset(seed, 3, sizeof seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_ERR(brop_note_verify(&textlen, spec_note, strlen(spec_note),
							   "quasimodo.example/salvatore", 27, pk), BROP_EVERIFY);
	CHECK_ERR(brop_note_verify(&textlen, cp_note, strlen(cp_note),
							   "example.com/behind-the-sofa", 27, pk), BROP_EVERIFY);

	/* the same text signed by our key: split at the last blank line */
	CHECK(spec_note[spec_textlen - 1] == '\n' && spec_note[spec_textlen] == '\n');
	CHECK_OK(brop_note_sign(&out, &outlen, spec_note, spec_textlen,
							"quasimodo.example/salvatore", 27, seed, NULL));
	if (out != NULL)
	{
		CHECK_OK(brop_note_verify(&textlen, out, outlen, "quasimodo.example/salvatore", 27, pk));
		CHECK(textlen == spec_textlen);
		CHECK(memcmp(out, spec_note, spec_textlen) == 0);
		free(out);
	}

	/* c2sp.org/tlog-checkpoint's example body */
	CHECK_OK(brop_checkpoint_parse(&cp, cp_note, strlen(cp_note) - strlen(strstr(cp_note, "\n\n")) + 1));
	CHECK_STR(cp.origin, cp.originlen, "example.com/behind-the-sofa");
	CHECK(cp.size == 20852163);
	CHECK_HEX(cp.root, 32, "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
	CHECK(cp.extensionslen == 0);
	CHECK_OK(brop_checkpoint_format(buf, sizeof buf, &outlen, cp.origin, cp.originlen, cp.size,
									cp.root, NULL, 0));
	CHECK(outlen == 82 && memcmp(buf, cp_note, outlen) == 0 && buf[outlen] == '\0');
	brop_wipe(sk, sizeof sk);
	brop_wipe(seed, sizeof seed);
}

TEST(note_checkpoint_round_trip)
{
	unsigned char root[32],
				seed[32],
				pk[32],
				sk[64];
	char		buf[300],
				buf2[300];
	char	   *note = NULL;
	size_t		len = 0,
				len2 = 0,
				textlen = 0;
	brop_checkpoint cp;
	static const char ext[] = "ext one\n\xe2\x80\x94 two\n";
	uint64_t	sizes[] = {0, 1, 9, 10, 12345, UINT64_MAX};

	for (int i = 0; i < 32; i++)
		root[i] = (unsigned char) (i * 7);
	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++)
	{
		CHECK_OK(brop_checkpoint_format(buf, sizeof buf, &len, "brop.example/log", 16, sizes[t],
										root, t % 2 ? ext : NULL, t % 2 ? strlen(ext) : 0));
		CHECK_OK(brop_checkpoint_parse(&cp, buf, len));
		CHECK(cp.size == sizes[t]);
		CHECK_MEM(cp.root, root, 32);
		CHECK_STR(cp.origin, cp.originlen, "brop.example/log");
		CHECK(cp.extensionslen == (t % 2 ? strlen(ext) : 0));
		CHECK_OK(brop_checkpoint_format(buf2, sizeof buf2, &len2, cp.origin, cp.originlen, cp.size,
										cp.root, cp.extensions, cp.extensionslen));
		CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
	}
	CHECK_OK(brop_checkpoint_format(buf, sizeof buf, &len, "o", 1, UINT64_MAX, root, NULL, 0));
	CHECK_STR(buf, len, "o\n18446744073709551615\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n");

	/* signed, verified, parsed */
	memset(seed, 9, sizeof seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_OK(brop_checkpoint_format(buf, sizeof buf, &len, "brop.example/log", 16, 42, root,
									ext, strlen(ext)));
	CHECK_OK(brop_note_sign(&note, &len2, buf, len, "brop.example/log", 16, seed, NULL));
	if (note != NULL)
	{
		CHECK_OK(brop_note_verify(&textlen, note, len2, "brop.example/log", 16, pk));
		CHECK(textlen == len);
		CHECK_OK(brop_checkpoint_parse(&cp, note, textlen));
		CHECK(cp.size == 42);
		free(note);
	}

	/* format: bad arguments, buffer sizes */
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "", 0, 1, root, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a\nb", 3, 1, root, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a\x01", 2, 1, root, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a\xff", 2, 1, root, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a", 1, 1, root, "x", 1), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a", 1, 1, root, "\n", 1), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a", 1, 1, root, "x\n\ny\n", 5), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, sizeof buf, &len, "a", 1, 1, NULL, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format(buf, 49, &len, "a", 1, 1, root, NULL, 0), BROP_EBUFFER);
	CHECK_OK(brop_checkpoint_format(buf, 50, &len, "a", 1, 1, root, NULL, 0));
	CHECK(len == 49);
	brop_wipe(sk, sizeof sk);
	brop_wipe(seed, sizeof seed);
}

TEST(note_checkpoint_malformed)
{
	brop_checkpoint cp;
	static const char *const bad[] = {
		"\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",	/* empty origin */
		"o\n01\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",	/* leading zero */
		"o\n00\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\n18446744073709551616\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",	/* 2^64 */
		"o\n99999999999999999999\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\n\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",	/* empty size */
		"o\n-1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\n+1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\n 1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\n1a\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0g==\n",	/* 31 bytes */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tkA\n",	/* 33 bytes */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk\n",	/* no padding */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK-2vcTL0tk=\n",	/* url-safe */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tl=\n",	/* trailing bits */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=",	/* no final newline */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\nx",
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n\n",	/* empty extension line */
		"o\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\nx\n\ny\n",
		"o\n1\n",
		"o\n1",
		"o\n",
		"o",
		"",
		"o\r\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
		"o\xc0\n1\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
	{
		int			rc = brop_checkpoint_parse(&cp, bad[i], strlen(bad[i]));

		if (rc != BROP_EENCODING)
			unit_fail(__FILE__, __LINE__, "bad checkpoint %zu: %d", i, rc);
		CHECK(cp.origin == NULL && cp.size == 0);
	}
#define CP_MAX "o\n18446744073709551615\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\n"
#define CP_EXT "o p+q\n0\nAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\nx\n"
	CHECK_OK(brop_checkpoint_parse(&cp, CP_MAX, strlen(CP_MAX)));
	CHECK(cp.size == UINT64_MAX);
	CHECK_OK(brop_checkpoint_parse(&cp, CP_EXT, strlen(CP_EXT)));
	CHECK(cp.size == 0 && cp.extensionslen == 2);
	CHECK_ERR(brop_checkpoint_parse(NULL, "o", 1), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_parse(&cp, NULL, 1), BROP_EINVAL);
}

/* an allocator that counts, for brop_note_sign */
typedef struct
{
	int			allocs;
	int			frees;
} counting;

static void *
counting_realloc(void *ctx, void *ptr, size_t size)
{
	((counting *) ctx)->allocs++;
	return realloc(ptr, size);
}

static void
counting_free(void *ctx, void *ptr)
{
	((counting *) ctx)->frees++;
	free(ptr);
}

static void *
failing_realloc(void *ctx, void *ptr, size_t size)
{
	(void) ctx;
	(void) ptr;
	(void) size;
	return NULL;
}

TEST(note_sign_allocator)
{
	counting	c = {0};
	brop_allocator a = {counting_realloc, counting_free, &c};
	brop_allocator fail = {failing_realloc, counting_free, &c};
	unsigned char seed[32];
	char	   *out = NULL;
	size_t		outlen = 0;

	peter_seed(seed);
	CHECK_OK(brop_note_sign(&out, &outlen, TEXT, strlen(TEXT), "PeterNeumann", 12, seed, &a));
	CHECK(c.allocs == 1);
	CHECK_STR(out, outlen, TEXT "\n" PETER_SIG);
	a.free(a.ctx, out);
	CHECK(c.frees == 1);
	CHECK_ERR(brop_note_sign(&out, &outlen, TEXT, strlen(TEXT), "PeterNeumann", 12, seed, &fail),
			  BROP_ENOMEM);
	CHECK(out == NULL && outlen == 0);
	brop_wipe(seed, sizeof seed);
}

/*
 * A note and a checkpoint body are at most BROP_NOTE_MAX_BYTES: longer ones
 * are refused with BROP_ELENGTH before they are read; one at the limit is
 * signed, verified and parsed.
 */
TEST(note_length_limit)
{
	const size_t max = BROP_NOTE_MAX_BYTES;
	const size_t sigline = BROP_NOTE_SIGNATURE_LINE_BYTES(16);
	char	   *buf = malloc(max + 2);
	char	   *note = NULL;
	unsigned char seed[32],
				pk[32],
				sk[64],
				root[32] = {0};
	size_t		len = 0,
				notelen = 0,
				textlen = 0,
				extlen;
	brop_checkpoint cp;

	CHECK(buf != NULL);
	if (buf == NULL)
		return;
	memset(seed, 3, sizeof seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	brop_wipe(sk, sizeof sk);

	/* a body whose note is exactly at the limit: "o\n0\n" root "\n", "x…x\n" */
	extlen = max - sigline - 1 - (16 + 3 + 44 + 1);
	{
		char	   *ext = malloc(extlen + 1);

		CHECK(ext != NULL);
		if (ext != NULL)
		{
			memset(ext, 'x', extlen - 1);
			ext[extlen - 1] = '\n';
			CHECK_OK(brop_checkpoint_format(buf, max + 2, &len, "brop.example/log", 16, 0, root,
											ext, extlen));
			CHECK(len + 1 + sigline == max);
			CHECK_OK(brop_checkpoint_parse(&cp, buf, len));
			CHECK_OK(brop_note_sign(&note, &notelen, buf, len, "brop.example/log", 16, seed, NULL));
			CHECK(notelen == max);
			if (note != NULL)
			{
				CHECK_OK(brop_note_verify(&textlen, note, notelen, "brop.example/log", 16, pk));
				CHECK(textlen == len);
				free(note);
				note = NULL;
			}
			/* one byte more: the note would pass the limit */
			ext[extlen - 1] = 'x';
			ext[extlen] = '\n';
			CHECK_OK(brop_checkpoint_format(buf, max + 2, &len, "brop.example/log", 16, 0, root,
											ext, extlen + 1));
			CHECK_ERR(brop_note_sign(&note, &notelen, buf, len, "brop.example/log", 16, seed, NULL),
					  BROP_ELENGTH);
			CHECK(note == NULL && notelen == 0);
			free(ext);
		}
	}

	/* past the limit: refused unread (the bytes are not a note at all) */
	memset(buf, 0, max + 2);
	CHECK_ERR(brop_note_verify(&textlen, buf, max + 1, "brop.example/log", 16, pk), BROP_ELENGTH);
	CHECK(textlen == 0);
	CHECK_ERR(brop_checkpoint_parse(&cp, buf, max + 1), BROP_ELENGTH);
	CHECK(cp.origin == NULL);
	CHECK_ERR(brop_checkpoint_format(buf, max + 2, &len, "o", 1, 0, root, buf, max), BROP_ELENGTH);
	CHECK_ERR(brop_note_sign(&note, &notelen, buf, max + 1, "o", 1, seed, NULL), BROP_ELENGTH);
	/* within it, the same bytes are only malformed */
	CHECK_ERR(brop_note_verify(&textlen, buf, max, "brop.example/log", 16, pk), BROP_EENCODING);
	CHECK_ERR(brop_checkpoint_parse(&cp, buf, max), BROP_EENCODING);
	brop_wipe(seed, sizeof seed);
	free(buf);
}
