/*
 * test_bounds.c — the limits of credential verification (docs/security.md):
 * an SD-JWT with many disclosures, array elements and decoys gives the right
 * payload (disclosures looked up in a sorted index, arrays rebuilt in one
 * pass); past each limit a refusal naming it; the cancel callback.
 */
#define _GNU_SOURCE				/* open_memstream */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"

typedef struct issuer
{
	unsigned char seed[32];
	unsigned char pk[32];
	char		did[BROP_DIDKEY_MAX_LEN + 1];
} issuer;

static void
make_issuer(issuer *is)
{
	unsigned char sk[64];
	size_t		n;

	memset(is->seed, 7, sizeof is->seed);
	CHECK_OK(brop_ed25519_keypair_from_seed(is->pk, sk, is->seed));
	CHECK_OK(brop_didkey_encode(is->did, sizeof is->did - 1, &n, BROP_ALG_ED25519, is->pk, 32));
	is->did[n] = '\0';
}

/* base64url(header) "." base64url(payload) "." base64url(sig) tail (malloc) */
static char *
signed_sdjwt(const issuer *is, const char *payload, size_t plen, const char *tail)
{
	static const char header[] = "{\"alg\":\"EdDSA\",\"typ\":\"dc+sd-jwt\"}";
	size_t		hl = BROP_BASE64URL_ENCODED_LEN(sizeof header - 1),
				pl = BROP_BASE64URL_ENCODED_LEN(plen),
				sl = BROP_BASE64URL_ENCODED_LEN(64),
				tl = strlen(tail),
				n;
	char	   *out = malloc(hl + pl + sl + tl + 3);
	unsigned char sk[64],
				pk[32],
				sig[64];

	CHECK(out != NULL);
	CHECK_OK(brop_base64_encode(out, hl, &n, (const unsigned char *) header, sizeof header - 1,
								BROP_BASE64_URLSAFE));
	out[hl] = '.';
	CHECK_OK(brop_base64_encode(out + hl + 1, pl, &n, (const unsigned char *) payload, plen,
								BROP_BASE64_URLSAFE));
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, is->seed));
	CHECK_OK(brop_ed25519_sign(sig, (const unsigned char *) out, hl + 1 + pl, sk));
	out[hl + 1 + pl] = '.';
	CHECK_OK(brop_base64_encode(out + hl + pl + 2, sl, &n, sig, 64, BROP_BASE64_URLSAFE));
	memcpy(out + hl + pl + sl + 2, tail, tl + 1);
	return out;
}

/* A disclosure (name NULL: an array element's) appended to tail, its digest to digest. */
static void
disclose(FILE *tail, char digest[BROP_SDJWT_DIGEST_LEN + 1], int i, const char *name, const char *value)
{
	char		salt[32];
	char	   *d;
	size_t		n;

	snprintf(salt, sizeof salt, "salt-%d", i);
	CHECK_OK(brop_sdjwt_disclosure(&d, &n, salt, name, value, strlen(value), NULL));
	CHECK_OK(brop_sdjwt_digest(digest, d, n));
	fprintf(tail, "%s~", d);
	free(d);
}

/* A decoy: 43 characters that are no disclosure's digest. */
static void
decoy(char out[BROP_SDJWT_DIGEST_LEN + 1], int i)
{
	snprintf(out, BROP_SDJWT_DIGEST_LEN + 1, "decoy%038d", i);
}

typedef struct verified
{
	int			rc;
	brop_reason why;
	json_t	   *payload;
} verified;

static verified
verify(const char *text, size_t len, const brop_cancel *cancel)
{
	verified	v = {0};
	brop_sdjwt_result r;

	v.rc = brop_sdjwt_verify_cancellable(&r, text, len, 0, NULL, 0, NULL, NULL, NULL, cancel, &v.why);
	if (v.rc == 0)
	{
		v.payload = json_loadb(r.payload, r.payloadlen, 0, NULL);
		CHECK(v.payload != NULL);
		free(r.payload);
		free(r.header);
		free(r.revealed);
	}
	return v;
}

#define NCLAIMS 6000
#define NLIST 12000

/*
 * 6,000 object claims and a list of 12,000 elements (a third disclosed, a
 * third undisclosed, a third plain), disclosures in reverse order, 20,000
 * decoys in _sd: every claim and element in place, in order.
 */
TEST(sdjwt_many_disclosures)
{
	issuer		is;
	char	   *payload = NULL,
			   *tail = NULL,
			   *text;
	size_t		plen,
				tlen;
	FILE	   *p = open_memstream(&payload, &plen);
	FILE	   *t = open_memstream(&tail, &tlen);
	char		(*dig)[BROP_SDJWT_DIGEST_LEN + 1] = calloc(NCLAIMS + NLIST, sizeof *dig);
	char		value[32];
	verified	v;
	json_t	   *list;

	CHECK(p != NULL && t != NULL && dig != NULL);
	make_issuer(&is);
	fputc('~', t);
	/* disclosures sent in reverse order of their claims */
	for (int i = NLIST - 1; i >= 0; i--)
		if (i % 3 == 0)
		{
			snprintf(value, sizeof value, "%d", i);
			disclose(t, dig[NCLAIMS + i], NCLAIMS + i, NULL, value);
		}
	for (int i = NCLAIMS - 1; i >= 0; i--)
	{
		char		name[32];

		snprintf(name, sizeof name, "c%d", i);
		snprintf(value, sizeof value, "%d", i);
		disclose(t, dig[i], i, name, value);
	}
	fprintf(p, "{\"iss\":\"%s\",\"_sd_alg\":\"sha-256\",\"list\":[", is.did);
	for (int i = 0; i < NLIST; i++)
	{
		char		dec[BROP_SDJWT_DIGEST_LEN + 1];

		if (i > 0)
			fputc(',', p);
		if (i % 3 == 0)
			fprintf(p, "{\"...\":\"%s\"}", dig[NCLAIMS + i]);
		else if (i % 3 == 1)
		{
			decoy(dec, i);
			fprintf(p, "{\"...\":\"%s\"}", dec);
		}
		else
			fprintf(p, "%d", i);
	}
	fputs("],\"_sd\":[", p);
	for (int i = 0; i < NCLAIMS + 20000; i++)
	{
		char		dec[BROP_SDJWT_DIGEST_LEN + 1];

		if (i >= NCLAIMS)
			decoy(dec, NLIST + i);
		fprintf(p, "%s\"%s\"", i > 0 ? "," : "", i < NCLAIMS ? dig[i] : dec);
	}
	fputs("]}", p);
	fclose(p);
	fclose(t);
	text = signed_sdjwt(&is, payload, plen, tail);

	v = verify(text, strlen(text), NULL);
	CHECK(v.rc == 0);
	if (v.rc != 0)
		fprintf(stderr, "  reason: %s\n", v.why.text);
	else
	{
		for (int i = 0; i < NCLAIMS; i++)
		{
			char		name[32];

			snprintf(name, sizeof name, "c%d", i);
			CHECK(json_number_value(json_object_get(v.payload, name)) == i);
		}
		list = json_object_get(v.payload, "list");
		CHECK(json_array_size(list) == NLIST / 3 * 2);
		/* disclosed i (i % 3 == 0) and plain i (i % 3 == 2), in order */
		for (size_t k = 0; k < json_array_size(list); k++)
			CHECK(json_number_value(json_array_get(list, k)) == (double) (k / 2 * 3 + (k % 2) * 2));
		CHECK(json_object_get(v.payload, "_sd") == NULL);
		json_decref(v.payload);
	}
	free(text);
	free(payload);
	free(tail);
	free(dig);
}

/* An SD-JWT of is whose payload has n decoys: in _sd, or as array elements. */
static char *
with_decoys(const issuer *is, int n, int in_array)
{
	char	   *payload = NULL,
			   *text;
	size_t		plen;
	FILE	   *p = open_memstream(&payload, &plen);

	CHECK(p != NULL);
	fprintf(p, "{\"iss\":\"%s\",\"%s\":[", is->did, in_array ? "list" : "_sd");
	for (int i = 0; i < n; i++)
	{
		char		dec[BROP_SDJWT_DIGEST_LEN + 1];

		decoy(dec, i);
		fprintf(p, in_array ? "%s{\"...\":\"%s\"}" : "%s\"%s\"", i > 0 ? "," : "", dec);
	}
	fputs("]}", p);
	fclose(p);
	text = signed_sdjwt(is, payload, plen, "~");
	free(payload);
	return text;
}

TEST(sdjwt_limits)
{
	issuer		is;
	char	   *text;
	char		reason[128];
	verified	v;
	size_t		n;

	make_issuer(&is);

	/* digests: the limit passes, one more is refused, decoys in _sd or in an array alike */
	text = with_decoys(&is, BROP_SDJWT_MAX_DIGESTS, 0);
	v = verify(text, strlen(text), NULL);
	CHECK(v.rc == 0);
	if (v.rc == 0)
		json_decref(v.payload);
	free(text);
	snprintf(reason, sizeof reason, "the credential has more than the limit of %d digests (decoys included)",
			 BROP_SDJWT_MAX_DIGESTS);
	for (int in_array = 0; in_array < 2; in_array++)
	{
		text = with_decoys(&is, BROP_SDJWT_MAX_DIGESTS + 1, in_array);
		v = verify(text, strlen(text), NULL);
		CHECK(v.rc == BROP_ECREDENTIAL && strcmp(v.why.text, reason) == 0);
		free(text);
	}

	/* disclosures: counted before any is decoded */
	n = 2 * (BROP_SDJWT_MAX_DISCLOSURES + 1);
	text = malloc(n + 8);
	CHECK(text != NULL);
	memcpy(text, "a.b.c~", 6);
	for (size_t i = 0; i < n; i += 2)
		memcpy(text + 6 + i, "x~", 2);
	v = verify(text, 6 + n, NULL);
	snprintf(reason, sizeof reason, "the SD-JWT has more than the limit of %d disclosures",
			 BROP_SDJWT_MAX_DISCLOSURES);
	CHECK(v.rc == BROP_ECREDENTIAL && strcmp(v.why.text, reason) == 0);
	/* exactly the limit: past the count, refused for what they are */
	v = verify(text, 6 + n - 2, NULL);
	CHECK(v.rc != 0 && strcmp(v.why.text, reason) != 0);
	free(text);

	/* nesting: 64 arrays in the payload pass, 65 do not */
	for (int depth = BROP_SDJWT_MAX_DEPTH; depth <= BROP_SDJWT_MAX_DEPTH + 1; depth++)
	{
		char		payload[400];
		int			k = snprintf(payload, sizeof payload, "{\"iss\":\"%s\",\"a\":", is.did);

		for (int i = 0; i < depth; i++)
			payload[k++] = '[';
		for (int i = 0; i < depth; i++)
			payload[k++] = ']';
		payload[k++] = '}';
		text = signed_sdjwt(&is, payload, (size_t) k, "~");
		v = verify(text, strlen(text), NULL);
		if (depth == BROP_SDJWT_MAX_DEPTH)
		{
			CHECK(v.rc == 0);
			if (v.rc == 0)
				json_decref(v.payload);
		}
		else
			CHECK(v.rc == BROP_ECREDENTIAL
				  && strcmp(v.why.text, "the credential nests deeper than the limit of 64 levels") == 0);
		free(text);
	}

	/* the text's length, for an SD-JWT and a VC */
	n = (size_t) BROP_CREDENTIAL_MAX_BYTES + 1;
	text = malloc(n);
	CHECK(text != NULL);
	memset(text, '~', n);
	snprintf(reason, sizeof reason, "the text is longer than the limit of %d bytes", BROP_CREDENTIAL_MAX_BYTES);
	v = verify(text, n, NULL);
	CHECK(v.rc == BROP_ECREDENTIAL && strcmp(v.why.text, reason) == 0);
	{
		unsigned char pk[32];
		brop_reason why = {{0}};

		text[0] = '{';
		CHECK_ERR(brop_di_verify(pk, text, n, &why), BROP_ECREDENTIAL);
		CHECK(strcmp(why.text, reason) == 0);
	}
	free(text);
}

/* The cancel callback is asked while the payload is walked; yes stops it. */
TEST(sdjwt_cancel)
{
	issuer		is;
	char	   *text;
	unit_cancel_counter asked = {0, 3};
	brop_cancel cancel = {unit_cancel_at, &asked};
	verified	v;

	make_issuer(&is);
	text = with_decoys(&is, 50000, 1);
	v = verify(text, strlen(text), &cancel);
	CHECK(v.rc == BROP_ECREDENTIAL && strcmp(v.why.text, "the verification was cancelled") == 0);
	CHECK(asked.asked == 3);
	/* without a callback (the CLI's case), the same text verifies */
	v = verify(text, strlen(text), NULL);
	CHECK(v.rc == 0 && json_array_size(json_object_get(v.payload, "list")) == 0);
	if (v.rc == 0)
		json_decref(v.payload);
	free(text);
}

/* Issuing refuses texts verification would refuse, before parsing them. */
TEST(issue_limits)
{
	size_t		big = (size_t) BROP_CREDENTIAL_MAX_BYTES + 1;
	char	   *text = malloc(big + 1);
	unsigned char input[BROP_DI_SIGNING_INPUT_BYTES];
	char	   *si = NULL,
			   *ds = NULL;
	size_t		silen,
				dlen;
	brop_reason why = {{0}};

	CHECK(text != NULL);
	/* a JSON object of exactly the limit plus one byte: {"a":"xxx…"} */
	memset(text, 'x', big);
	memcpy(text, "{\"a\":\"", 6);
	memcpy(text + big - 2, "\"}", 2);
	text[big] = '\0';

	CHECK_ERR(brop_di_signing_input(input, text, big, "{}", 2, &why), BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "the document is longer than the limit of 4194304 bytes") == 0);
	CHECK_ERR(brop_di_signing_input(input, "{}", 2, text, big, &why), BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "the proof options are longer than the limit of 4194304 bytes") == 0);
	CHECK_ERR(brop_sdjwt_prepare(&si, &silen, &ds, &dlen, BROP_ALG_ED25519, "dc+sd-jwt", text, big,
								 "{}", 2, NULL, &why), BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "the payload is longer than the limit of 4194304 bytes") == 0);
	CHECK_ERR(brop_sdjwt_prepare(&si, &silen, &ds, &dlen, BROP_ALG_ED25519, "dc+sd-jwt", "{}", 2,
								 text, big, NULL, &why), BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "the claims are longer than the limit of 4194304 bytes") == 0);

	/* at the limit: prepared for signing */
	memcpy(text + big - 3, "\"}", 3);
	CHECK(strlen(text) == big - 1);
	why.text[0] = '\0';
	CHECK_OK(brop_sdjwt_prepare(&si, &silen, &ds, &dlen, BROP_ALG_ED25519, "dc+sd-jwt", text, big - 1,
								"{}", 2, NULL, &why));
	free(si);
	free(ds);
	free(text);
}
