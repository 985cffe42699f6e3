/*
 * fuzz_witness.c — libFuzzer harness for cosignatures, witness policies
 * and proofs of misbehaviour (brop_witness.h).
 *
 * Each input is used four ways:
 *  1. as a witness's verifier key text: only the documented codes; what
 *     parses formats back to the same key;
 *  2. as a note, its cosignature by a fixed witness verified: only 0,
 *     BROP_EENCODING, BROP_ELENGTH or BROP_EVERIFY; under a 1-of-1 policy,
 *     the log's signature also required: never 0 unless both verify;
 *  3. as the text of a checkpoint cosigned by the fixed witness (when it can
 *     be a note's text): the cosignature verifies with its time, and with
 *     any one byte of the line changed it does not;
 *  4. as a pair of notes and a proof (byte 0 splits the notes, the rest
 *     after them is the proof's hashes): brop_fork_verify never proves a
 *     fork of notes the log's key did not sign.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#define FUZZ_OWN_INIT
#include "fuzz.h"

#define WNAME "w.fuzz.example"
#define LOGNAME "fuzz.example/log"

static unsigned char wseed[32],
			logseed[32];
static brop_witness w;
static unsigned char logpk[32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char sk[64];

	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	memset(wseed, 0x3c, sizeof wseed);
	memset(logseed, 0x5a, sizeof logseed);
	if (brop_ed25519_keypair_from_seed(w.pk, sk, wseed) != 0 ||
		brop_ed25519_keypair_from_seed(logpk, sk, logseed) != 0)
		abort();
	brop_wipe(sk, sizeof sk);
	w.name = WNAME;
	w.namelen = strlen(WNAME);
	return 0;
}

static char *
dup_exact(const uint8_t *data, size_t len)
{
	char	   *p = malloc(len > 0 ? len : 1);

	if (p == NULL)
		abort();
	if (len > 0)
		memcpy(p, data, len);
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = dup_exact(data, size);
	const char *name;
	size_t		namelen,
				count;
	unsigned char pk[32],
				id[4];
	uint64_t	t;
	int			rc;

	/* 1. verifier keys */
	rc = brop_cosignature_parse_verifier_key(&name, &namelen, pk, id, in, size);
	if (rc != 0 && rc != BROP_EENCODING && rc != BROP_EALG && rc != BROP_EVERIFY && rc != BROP_EKEY)
		abort();
	if (rc == 0)
	{
		char		out[512];
		size_t		n;

		if (brop_cosignature_verifier_key(out, sizeof out, &n, name, namelen, pk) != 0 || n != size ||
			strncasecmp(out, in, size) != 0)
			abort();
	}

	/* 2. cosignatures and policies of arbitrary notes */
	rc = brop_cosignature_verify(&t, in, size, &w);
	if (rc != 0 && rc != BROP_EENCODING && rc != BROP_ELENGTH && rc != BROP_EVERIFY)
		abort();
	if (rc != 0 && t != 0)
		abort();
	rc = brop_checkpoint_verify_policy(&count, NULL, in, size, LOGNAME, strlen(LOGNAME), logpk, &w, 1, 1);
	if (rc == 0 && (count != 1 || brop_cosignature_verify(&t, in, size, &w) != 0))
		abort();

	/* 3. cosign the input as a checkpoint's text */
	{
		char		line[BROP_COSIGNATURE_LINE_BYTES(sizeof WNAME - 1)];
		size_t		n;

		rc = brop_cosignature_sign(line, sizeof line, &n, in, size, WNAME, strlen(WNAME), wseed, 1700000000);
		if (rc == 0)
		{
			char	   *note = malloc(size + 1 + n);
			size_t		len = size + 1 + n;

			if (note == NULL)
				abort();
			memcpy(note, in, size);
			note[size] = '\n';
			memcpy(note + size + 1, line, n);
			if (len <= BROP_NOTE_MAX_BYTES)
			{
				if (brop_cosignature_verify(&t, note, len, &w) != 0 || t != 1700000000)
					abort();
				/* a byte of the base64 changed (not its padding) */
				note[size + 1 + 4 + strlen(WNAME) + 1 + (size % 100)] ^= 0x01;
				if (brop_cosignature_verify(&t, note, len, &w) == 0)
					abort();
			}
			free(note);
		}
		else if (rc != BROP_EINVAL && rc != BROP_ELENGTH)
			abort();
	}

	/* 4. pairs of notes the log's key did not sign prove nothing */
	if (size > 1)
	{
		size_t		cut = 1 + (size_t) data[0] % (size - 1);
		size_t		rest = size - cut;
		uint64_t	sa,
					sb;

		rc = brop_fork_verify(&sa, &sb, in + 1, cut - 1, in + cut, rest, LOGNAME, strlen(LOGNAME), logpk, NULL, 0);
		if (rc == 0)
			abort();			/* random bytes are never notes signed by the fixed key */
	}
	free(in);
	return 0;
}
