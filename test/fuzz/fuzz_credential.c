/*
 * fuzz_credential.c — libFuzzer harness for the credential formats.
 *
 * Each input is used three ways:
 *  1. as a Data Integrity secured document: brop_di_verify must not crash
 *     and must return a documented code;
 *  2. as an SD-JWT or a presentation, verified with a fixed issuer key,
 *     with and without a nonce: same rule, and a success must give a
 *     processed payload without "_sd";
 *  3. as the claims of an SD-JWT that brop issues, presents (every claim
 *     revealed) and verifies: when the claims are a JSON object that
 *     issuance accepts, the round trip must succeed.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#define FUZZ_OWN_INIT
#include "fuzz.h"

static unsigned char issuer_seed[32],
			issuer_pk[32],
			issuer_sk[64];
static unsigned char holder_seed[32],
			holder_pk[32];
static char payload[400];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char sk[64];
	char		did[BROP_DIDKEY_MAX_LEN + 1];
	char	   *jwk;
	size_t		n,
				jwklen;

	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	memset(issuer_seed, 0x11, 32);
	memset(holder_seed, 0x22, 32);
	if (brop_ed25519_keypair_from_seed(issuer_pk, issuer_sk, issuer_seed) != 0
		|| brop_ed25519_keypair_from_seed(holder_pk, sk, holder_seed) != 0
		|| brop_didkey_encode(did, sizeof did - 1, &n, BROP_ALG_ED25519, issuer_pk, 32) != 0
		|| brop_jwk_encode(&jwk, &jwklen, BROP_ALG_ED25519, holder_pk, 32, NULL) != 0)
		abort();
	did[n] = '\0';
	snprintf(payload, sizeof payload, "{\"iss\":\"%s\",\"vct\":\"urn:fuzz\",\"cnf\":{\"jwk\":%s}}", did, jwk);
	free(jwk);
	return 0;
}

static int
documented(int rc)
{
	return rc == BROP_OK || rc == BROP_EVERIFY || rc == BROP_ECREDENTIAL || rc == BROP_EJSON
		|| rc == BROP_EDUPKEY || rc == BROP_ENUMBER;
}

static void
verify_any(const char *text, size_t len, const char *nonce)
{
	brop_sdjwt_result r;
	brop_reason why;
	int			rc = brop_sdjwt_verify(&r, text, len, BROP_ALG_ED25519, issuer_pk, 32, nonce,
									   "aud", NULL, &why);

	if (!documented(rc))
		abort();
	if (rc == 0)
	{
		if (strstr(r.payload, "\"_sd\"") != NULL || strlen(r.payload) != r.payloadlen)
			abort();
		free(r.payload);
		free(r.header);
		free(r.revealed);
	}
}

/* Issue with these claims, present them all, verify. */
static void
round_trip(const char *claims, size_t len)
{
	char	   *si,
			   *ds,
			   *cred,
			   *pres;
	size_t		silen,
				dlen,
				credlen,
				preslen;
	unsigned char sig[64];
	brop_reason why;
	brop_sdjwt_result r;
	const char **names;
	json_t	   *revealed;
	size_t		nnames = 0;
	int			rc;

	rc = brop_sdjwt_prepare(&si, &silen, &ds, &dlen, BROP_ALG_ED25519, "dc+sd-jwt", payload,
							strlen(payload), claims, len, NULL, &why);
	if (!documented(rc))
		abort();
	if (rc != 0)
		return;
	if (brop_ed25519_sign(sig, (unsigned char *) si, silen, issuer_sk) != 0
		|| brop_sdjwt_assemble(&cred, &credlen, si, silen, sig, ds, dlen, NULL) != 0)
		abort();
	if (brop_sdjwt_verify(&r, cred, credlen, BROP_ALG_ED25519, issuer_pk, 32, NULL, NULL, NULL, &why) != 0)
		abort();
	/* every disclosed name, from the result */
	revealed = json_loads(r.revealed, 0, NULL);
	names = calloc(json_array_size(revealed) + 1, sizeof *names);
	if (revealed == NULL || names == NULL)
		abort();
	for (size_t i = 0; i < json_array_size(revealed); i++)
		names[nnames++] = json_string_value(json_array_get(revealed, i));
	free(r.payload);
	free(r.header);
	free(r.revealed);
	rc = brop_sdjwt_present(&pres, &preslen, cred, credlen, names, nnames, BROP_ALG_ED25519,
							holder_seed, "nonce", "aud", 1, NULL, &why);
	if (rc != 0)
		abort();
	if (brop_sdjwt_verify(&r, pres, preslen, BROP_ALG_ED25519, issuer_pk, 32, "nonce", "aud", NULL, &why) != 0
		|| !r.key_bound)
		abort();
	free(r.payload);
	free(r.header);
	free(r.revealed);
	free(names);
	json_decref(revealed);
	free(pres);
	free(cred);
	free(si);
	free(ds);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char pk[32];
	brop_reason why;
	const char *text = (const char *) data;

	if (!documented(brop_di_verify(pk, text, size, &why)))
		abort();
	verify_any(text, size, NULL);
	verify_any(text, size, "nonce");
	round_trip(text, size);
	return 0;
}
