/*
 * credential_raw.c — baseline for the credential benchmark: the
 * cryptography of issuing and of verifying N credentials, done by the core
 * in a plain loop with no database, so the SQL benchmark's share of time
 * spent in cryptography can be reported.
 *
 * Issuing one credential (profile 2, SD-JWT, three claims), as
 * brop.issue_credential does it: the issuer's keyring key opened once
 * (XChaCha20-Poly1305); the SD-JWT made (salts, disclosures, digests) and
 * signed; the envelope sealed to the holder and signed; the credential's
 * and the envelope's digests; the entry's signature over a signing input of
 * the entry's size (each Ed25519 signature from the seed, as brop_sign
 * makes it).
 * Verifying one presentation, as brop.verify_presentation does it:
 *   the SD-JWT with its key binding (two Ed25519 verifications and the
 *   digests), the checkpoint's signature by the node's key (a brop.did,
 *   validated once), an inclusion proof of log size.
 *
 * Usage: credential_raw N LOG_SIZE RUNS; prints "issue_ms verify_ms" (best).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brop.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define CHECK(x) do { if ((x) != 0) { fprintf(stderr, "failed: %s\n", #x); exit(2); } } while (0)

int
main(int argc, char **argv)
{
	int			n = argc > 1 ? atoi(argv[1]) : 10000;
	unsigned long long logsize = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	int			runs = argc > 3 ? atoi(argv[3]) : 3;
	unsigned char root[32],
				issuer_seed[32],
				holder_seed[32],
				issuer_pk[32],
				holder_pk[32],
				sk[64],
				box[BROP_KEYBOX_BYTES],
				sig[64],
				d[32];
	char		issuer_did[BROP_DIDKEY_MAX_LEN + 1],
				holder_did[BROP_DIDKEY_MAX_LEN + 1],
				payload[800],
				entry[900];
	char	   *jwk,
			   *si,
			   *ds,
			   *cred,
			   *pres = NULL,
			   *note;
	size_t		len,
				silen,
				dlen,
				credlen,
				preslen = 0,
				notelen;
	const char *claims = "{\"degree\":\"MSc Physics\",\"final_grade\":\"A\",\"year\":2026}";
	const char *reveal[] = {"final_grade"};
	double		best_issue = 1e300,
				best_verify = 1e300;
	brop_reason why;
	brop_merkle_hash path[64],
				leaf,
				rootmh;
	size_t		pathlen = 0;

	CHECK(brop_init());
	randombytes_buf(root, sizeof root);
	memset(issuer_seed, 1, 32);
	memset(holder_seed, 2, 32);
	CHECK(brop_ed25519_keypair_from_seed(issuer_pk, sk, issuer_seed));
	CHECK(brop_ed25519_keypair_from_seed(holder_pk, sk, holder_seed));
	CHECK(brop_didkey_encode(issuer_did, sizeof issuer_did - 1, &len, BROP_ALG_ED25519, issuer_pk, 32));
	issuer_did[len] = '\0';
	CHECK(brop_didkey_encode(holder_did, sizeof holder_did - 1, &len, BROP_ALG_ED25519, holder_pk, 32));
	holder_did[len] = '\0';
	CHECK(brop_jwk_encode(&jwk, &len, BROP_ALG_ED25519, holder_pk, 32, NULL));
	CHECK(brop_keybox_seal(box, root, issuer_seed, (const unsigned char *) "uni", 3));
	snprintf(payload, sizeof payload,
			 "{\"iss\":\"%s\",\"iat\":1795000000,\"vct\":\"urn:brop:credential:higher_education\","
			 "\"jti\":\"urn:uuid:2f1c5e4a-0d4b-4c1e-9a51-6a0b7c1d2e3f\",\"sub\":\"%s\","
			 "\"cnf\":{\"jwk\":%s},\"version\":1}", issuer_did, holder_did, jwk);
	memset(entry, 'e', sizeof entry);	/* an entry's signing input is about this size */

	for (int r = 0; r < runs; r++)
	{
		double		t0 = now_ms();

		for (int i = 0; i < n; i++)
		{
			unsigned char seed[32],
						env[2048];
			size_t		envlen;

			CHECK(brop_keybox_open(seed, root, box, sizeof box, (const unsigned char *) "uni", 3));
			CHECK(brop_sdjwt_prepare(&si, &silen, &ds, &dlen, BROP_ALG_ED25519, "dc+sd-jwt", payload,
									 strlen(payload), claims, strlen(claims), NULL, &why));
			CHECK(brop_sign(sig, BROP_ALG_ED25519, seed, (unsigned char *) si, silen));
			CHECK(brop_sdjwt_assemble(&cred, &credlen, si, silen, sig, ds, dlen, NULL));
			CHECK(brop_sha256(d, (unsigned char *) cred, strchr(cred, '~') - cred));
			CHECK(brop_envelope_seal(env, sizeof env, &envlen, (unsigned char *) cred, credlen,
									 BROP_ALG_ED25519, holder_pk, 32, seed));
			CHECK(brop_sha256(d, env, envlen));
			CHECK(brop_sign(sig, BROP_ALG_ED25519, seed, (unsigned char *) entry, sizeof entry));
			free(si);
			free(ds);
			if (i + 1 < n || r + 1 < runs)
				free(cred);
		}
		if (now_ms() - t0 < best_issue)
			best_issue = now_ms() - t0;
	}

	/* one presentation, a checkpoint and an inclusion proof of the log's size */
	CHECK(brop_sdjwt_present(&pres, &preslen, cred, credlen, reveal, 1, BROP_ALG_ED25519, holder_seed,
							 "nonce-1", "https://verifier.example", 1795000000, NULL, &why));
	for (size_t k = 0; (1ULL << k) < logsize && k < 64; k++)
		randombytes_buf(path[pathlen++], 32);
	CHECK(brop_merkle_leaf_hash(leaf, (unsigned char *) entry, sizeof entry));
	CHECK(brop_merkle_inclusion_root(rootmh, logsize / 3, logsize, leaf, (const brop_merkle_hash *) path, pathlen));
	{
		char		body[256];
		char		b64[64];
		size_t		b64len;

		CHECK(brop_base64_encode(b64, sizeof b64, &b64len, rootmh, 32, BROP_BASE64_STANDARD));
		snprintf(body, sizeof body, "bench.example/brop\n%llu\n%.*s\nblock 7\n", logsize, (int) b64len, b64);
		CHECK(brop_note_sign(&note, &notelen, body, strlen(body), "bench.example/brop", 18, issuer_seed, NULL));
	}
	for (int r = 0; r < runs; r++)
	{
		double		t0 = now_ms();

		for (int i = 0; i < n; i++)
		{
			brop_sdjwt_result res;
			size_t		textlen;

			CHECK(brop_sdjwt_verify(&res, pres, preslen, 0, NULL, 0, "nonce-1", "https://verifier.example",
									NULL, &why));
			free(res.payload);
			free(res.header);
			free(res.revealed);
			CHECK(brop_note_verify_valid(&textlen, note, notelen, "bench.example/brop", 18, issuer_pk));
			CHECK(brop_merkle_inclusion_verify(logsize / 3, logsize, leaf, (const brop_merkle_hash *) path,
											   pathlen, rootmh));
		}
		if (now_ms() - t0 < best_verify)
			best_verify = now_ms() - t0;
	}
	printf("%.1f %.1f\n", best_issue, best_verify);
	free(cred);
	free(pres);
	free(note);
	free(jwk);
	return 0;
}
