/*
 * test_credential.c — credential formats: the eddsa-jcs-2022 test vector of
 * the W3C Recommendation (vc-di-eddsa 1.0, appendix B.3), the SD-JWT
 * examples of RFC 9901 (disclosures, digests, the section 5 SD-JWT and its
 * presentation), JWKs, and the tampering cases each format must refuse.
 */
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "sdjwt_vectors.h"
#include "unit.h"

/* ---- eddsa-jcs-2022 (vc-di-eddsa, appendix B.3) -------------------------- */

#define DI_SEED "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"
#define DI_PK "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f"
#define DI_VM "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
#define DI_CTX "[\"https://www.w3.org/ns/credentials/v2\",\"https://www.w3.org/ns/credentials/examples/v2\"]"

/* Example 30, as published (white space and member order kept) */
static const char di_unsigned[] =
	"{\n"
	"    \"@context\": [\n"
	"        \"https://www.w3.org/ns/credentials/v2\",\n"
	"        \"https://www.w3.org/ns/credentials/examples/v2\"\n"
	"    ],\n"
	"    \"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\n"
	"    \"type\": [\"VerifiableCredential\", \"AlumniCredential\"],\n"
	"    \"name\": \"Alumni Credential\",\n"
	"    \"description\": \"A minimum viable example of an Alumni Credential.\",\n"
	"    \"issuer\": \"https://vc.example/issuers/5678\",\n"
	"    \"validFrom\": \"2023-01-01T00:00:00Z\",\n"
	"    \"credentialSubject\": {\n"
	"        \"id\": \"did:example:abcdefgh\",\n"
	"        \"alumniOf\": \"The School of Examples\"\n"
	"    }\n"
	"}";

/* Example 33, without its @context: Create Proof step 2 copies the document's */
static const char di_options[] =
	"{\"type\": \"DataIntegrityProof\", \"cryptosuite\": \"eddsa-jcs-2022\","
	" \"created\": \"2023-02-24T23:36:38Z\", \"verificationMethod\": \"" DI_VM "\","
	" \"proofPurpose\": \"assertionMethod\"}";

/* Example 39, as published */
static const char di_signed[] =
	"{\n"
	"  \"@context\": " DI_CTX ",\n"
	"  \"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\n"
	"  \"type\": [\"VerifiableCredential\", \"AlumniCredential\"],\n"
	"  \"name\": \"Alumni Credential\",\n"
	"  \"description\": \"A minimum viable example of an Alumni Credential.\",\n"
	"  \"issuer\": \"https://vc.example/issuers/5678\",\n"
	"  \"validFrom\": \"2023-01-01T00:00:00Z\",\n"
	"  \"credentialSubject\": {\n"
	"    \"id\": \"did:example:abcdefgh\",\n"
	"    \"alumniOf\": \"The School of Examples\"\n"
	"  },\n"
	"  \"proof\": {\n"
	"    \"type\": \"DataIntegrityProof\",\n"
	"    \"cryptosuite\": \"eddsa-jcs-2022\",\n"
	"    \"created\": \"2023-02-24T23:36:38Z\",\n"
	"    \"verificationMethod\": \"" DI_VM "\",\n"
	"    \"proofPurpose\": \"assertionMethod\",\n"
	"    \"@context\": " DI_CTX ",\n"
	"    \"proofValue\": \"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX\"\n"
	"  }\n"
	"}";

/* di_signed with the first occurrence of from replaced by to */
static char *
replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t		n = strlen(text) - strlen(from) + strlen(to);
	char	   *out;

	if (at == NULL)
		return NULL;
	out = malloc(n + 1);
	memcpy(out, text, (size_t) (at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

TEST(di_eddsa_jcs_2022_vector)
{
	unsigned char seed[32],
				pk[32],
				sk[64],
				got[32];
	unsigned char input[BROP_DI_SIGNING_INPUT_BYTES];
	unsigned char sig[64];
	char	   *secured;
	size_t		len;
	brop_reason why;

	unit_unhex(seed, sizeof seed, DI_SEED);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_HEX(pk, 32, DI_PK);

	/* Example 36: proof config hash || document hash */
	CHECK_OK(brop_di_signing_input(input, di_unsigned, strlen(di_unsigned),
								   di_options, strlen(di_options), &why));
	CHECK_HEX(input, 64,
			  "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
			  "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19");
	/* Example 37 */
	CHECK_OK(brop_ed25519_sign(sig, input, sizeof input, sk));
	CHECK_HEX(sig, 64,
			  "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
			  "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808");
	/* Example 38, inside the secured document */
	CHECK_OK(brop_di_assemble(&secured, &len, di_unsigned, strlen(di_unsigned),
							  di_options, strlen(di_options), sig, NULL, &why));
	CHECK(strstr(secured, "\"proofValue\":\"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX\"") != NULL);
	CHECK(strstr(secured, "\"proof\":{\"@context\":" DI_CTX ",\"created\"") != NULL);
	CHECK(strlen(secured) == len);

	/* what we assembled and the published Example 39 both verify */
	memset(got, 0, sizeof got);
	CHECK_OK(brop_di_verify(got, secured, len, &why));
	CHECK_HEX(got, 32, DI_PK);
	memset(got, 0, sizeof got);
	CHECK_OK(brop_di_verify(got, di_signed, strlen(di_signed), &why));
	CHECK_HEX(got, 32, DI_PK);
	free(secured);
}

typedef struct di_case
{
	const char *from;
	const char *to;
	int			rc;
	const char *reason;
} di_case;

TEST(di_eddsa_jcs_2022_refusals)
{
	static const di_case cases[] = {
		/* a changed claim, a changed proof option */
		{"The School of Examples", "The School of Forgeries", BROP_EVERIFY,
		"the proof's signature does not verify"},
		{"2023-02-24T23:36:38Z", "2023-02-24T23:36:39Z", BROP_EVERIFY,
		"the proof's signature does not verify"},
		{"\"id\": \"did:example:abcdefgh\"", "\"id\": \"did:example:someone-else\"", BROP_EVERIFY,
		"the proof's signature does not verify"},
		/* the proof's @context must prefix the document's */
		{"  \"@context\": " DI_CTX ",\n  \"id\"",
			"  \"@context\": [\"https://www.w3.org/ns/credentials/v2\"],\n  \"id\"", BROP_ECREDENTIAL,
		"the document's @context does not start with the proof's"},
		{"\"cryptosuite\": \"eddsa-jcs-2022\"", "\"cryptosuite\": \"eddsa-rdfc-2022\"", BROP_ECREDENTIAL,
		"the proof's cryptosuite is not eddsa-jcs-2022"},
		{"\"type\": \"DataIntegrityProof\"", "\"type\": \"Ed25519Signature2020\"", BROP_ECREDENTIAL,
		"the proof's type is not DataIntegrityProof"},
		{"\"proofPurpose\": \"assertionMethod\"", "\"proofPurpose\": \"authentication\"", BROP_ECREDENTIAL,
		"the proof's purpose is not assertionMethod"},
		{"\"created\": \"2023-02-24T23:36:38Z\"", "\"created\": \"yesterday\"", BROP_ECREDENTIAL,
		"the proof's created time is not an XML Schema dateTime"},
		{"\"proofValue\": \"z2HnF", "\"proofValue\": \"u2HnF", BROP_ECREDENTIAL,
		"the proofValue is not a base58btc multibase signature of 64 bytes"},
		{"Vor51aX\"", "Vor51\"", BROP_ECREDENTIAL,
		"the proofValue is not a base58btc multibase signature of 64 bytes"},
		{"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "#key-1", BROP_ECREDENTIAL,
		"the proof's verificationMethod is not a did:key with its key as fragment"},
		{"\"verificationMethod\": \"did:key:", "\"verificationMethod\": \"https://vc.example/issuers/5678#", BROP_ECREDENTIAL,
		"the proof's verificationMethod is not a did:key with its key as fragment"},
		{"\"proof\": {", "\"proof\": [], \"p\": {", BROP_ECREDENTIAL,
		"the credential has a set of proofs; brop verifies a single proof"},
		{"\"proof\": {", "\"proof\": 1, \"p\": {", BROP_ECREDENTIAL, "the credential has no proof"},
	};
	unsigned char pk[32];
	brop_reason why;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		char	   *t = replaced(di_signed, cases[i].from, cases[i].to);
		int			rc;

		CHECK(t != NULL);
		if (t == NULL)
			continue;
		memset(&why, 0, sizeof why);
		rc = brop_di_verify(pk, t, strlen(t), &why);
		if (rc != cases[i].rc
			|| (cases[i].reason != NULL && strcmp(why.text, cases[i].reason) != 0))
			unit_fail(__FILE__, __LINE__, "case %zu: rc %d, reason \"%s\"", i, rc, why.text);
		free(t);
	}

	/* the document may add contexts after the proof's: hashed with the proof's (3.3.2 step 4) */
	{
		char	   *t = replaced(di_signed, "examples/v2\"\n  ],\n  \"id\"",
								 "examples/v2\", \"https://example.org/more/v1\"],\n  \"id\"");
		char	   *u = replaced(di_signed, "\"@context\": " DI_CTX ",\n  \"id\"",
								 "\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
								 "\"https://www.w3.org/ns/credentials/examples/v2\", "
								 "\"https://example.org/more/v1\"],\n  \"id\"");

		CHECK(t == NULL);		/* DI_CTX is written on one line */
		CHECK(u != NULL);
		CHECK_OK(brop_di_verify(pk, u, strlen(u), &why));
		free(u);
	}

	/* no proof, a document that is not an object, bad JSON */
	CHECK_ERR(brop_di_verify(pk, di_unsigned, strlen(di_unsigned), &why), BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "the credential has no proof") == 0);
	CHECK_ERR(brop_di_verify(pk, "[1]", 3, &why), BROP_ECREDENTIAL);
	CHECK_ERR(brop_di_verify(pk, "{\"a\":1,\"a\":2}", 13, &why), BROP_EDUPKEY);
	CHECK_ERR(brop_di_verify(pk, "{", 1, &why), BROP_EJSON);

	/* signing refuses what it cannot sign */
	{
		unsigned char in[64];

		CHECK_ERR(brop_di_signing_input(in, di_signed, strlen(di_signed), di_options,
										strlen(di_options), &why), BROP_ECREDENTIAL);
		CHECK(strcmp(why.text, "the document already has a proof") == 0);
		const char *ecdsa = "{\"type\":\"DataIntegrityProof\",\"cryptosuite\":\"ecdsa-jcs-2019\"}";

		CHECK_ERR(brop_di_signing_input(in, di_unsigned, strlen(di_unsigned), ecdsa, strlen(ecdsa), &why),
				  BROP_ECREDENTIAL);
		CHECK(strcmp(why.text, "the proof's cryptosuite is not eddsa-jcs-2022") == 0);
	}
}

TEST(di_every_proof_value_character)
{
	const char *pv = strstr(di_signed, "z2HnFSS");
	size_t		at = (size_t) (pv - di_signed);
	char	   *t = strdup(di_signed);
	unsigned char pk[32];
	brop_reason why;

	/* every character of the signature changed to another base58 digit */
	for (size_t i = 1; i < 88; i++)
	{
		char		c = t[at + i];

		t[at + i] = c == '2' ? '3' : '2';
		if (brop_di_verify(pk, t, strlen(t), &why) == 0)
			unit_fail(__FILE__, __LINE__, "proofValue changed at %zu verifies", i);
		t[at + i] = c;
	}
	CHECK_OK(brop_di_verify(pk, t, strlen(t), &why));
	free(t);
}

TEST(datetime_forms)
{
	unsigned char in[64];
	brop_reason why;
	static const char *good[] = {"2023-02-24T23:36:38Z", "2023-02-24T23:36:38.5Z",
	"2023-02-24T23:36:38+01:00", "2023-12-31T00:00:00-12:00"};
	static const char *bad[] = {"2023-02-24 23:36:38Z", "2023-02-24T23:36:38", "2023-13-01T00:00:00Z",
		"2023-02-24T24:00:00Z", "2023-02-24T23:36:38.Z", "2023-02-24T23:36:38+0100", "2023-02-24T23:36:38Zx"};
	char		opt[200];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
	{
		snprintf(opt, sizeof opt, "{\"type\":\"DataIntegrityProof\",\"cryptosuite\":\"eddsa-jcs-2022\",\"created\":\"%s\"}", good[i]);
		CHECK_OK(brop_di_signing_input(in, "{}", 2, opt, strlen(opt), &why));
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
	{
		snprintf(opt, sizeof opt, "{\"type\":\"DataIntegrityProof\",\"cryptosuite\":\"eddsa-jcs-2022\",\"created\":\"%s\"}", bad[i]);
		if (brop_di_signing_input(in, "{}", 2, opt, strlen(opt), &why) != BROP_ECREDENTIAL)
			unit_fail(__FILE__, __LINE__, "created \"%s\" accepted", bad[i]);
	}
}

/* brop_datetime_seconds: known answers (Python's calendar.timegm), real calendar dates */
TEST(datetime_seconds)
{
	static const struct
	{
		const char *s;
		int64_t		t;
	}			good[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"2023-02-24T23:36:38Z", 1677281798},	/* W3C Example 33's created */
		{"2020-01-01T12:34:56.789Z", 1577882096},
		{"1969-12-31T23:59:59.999Z", -1},
		{"2000-02-29T00:00:00+01:00", 951782400 - 3600},
		{"2024-02-29T12:00:00Z", 1709208000},
		{"2100-01-01T00:00:00-05:30", 4102444800 + 19800},
		{"0001-01-01T00:00:00Z", -62135596800},
		{"9999-12-31T23:59:59Z", 253402300799},
	};
	static const char *bad[] = {
		"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2023-04-31T00:00:00Z", "2023-00-10T00:00:00Z",
		"2023-01-01t00:00:00Z", "2023-01-01T00:00:00z", "2023-01-01T00:00:60Z", "2023-01-01T00:00:00",
		"2023-01-01T00:00:00+24:00", "2023-01-01T00:00:00+01:60", "2023-1-01T00:00:00Z", "",
	};
	int64_t		t;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
	{
		t = 42;
		CHECK_OK(brop_datetime_seconds(&t, good[i].s, strlen(good[i].s)));
		if (t != good[i].t)
			unit_fail(__FILE__, __LINE__, "%s: %lld, expected %lld", good[i].s, (long long) t, (long long) good[i].t);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (brop_datetime_seconds(&t, bad[i], strlen(bad[i])) != BROP_EENCODING)
			unit_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
	/* the length is the text's: a longer buffer's tail is not read */
	CHECK_OK(brop_datetime_seconds(&t, "1970-01-01T00:00:01Zjunk", 20));
	CHECK(t == 1);
	CHECK_ERR(brop_datetime_seconds(NULL, "1970-01-01T00:00:01Z", 20), BROP_EINVAL);
}

/* ---- JWK ------------------------------------------------------------------ */

TEST(jwk_forms)
{
	brop_alg	alg;
	unsigned char pk[33];
	size_t		pklen;
	char	   *jwk;
	size_t		len;

	/* the RFC 9901 holder key (P-256), and back in RFC 7638 member order */
	CHECK_OK(brop_jwk_decode(&alg, pk, &pklen, RFC9901_HOLDER_JWK, strlen(RFC9901_HOLDER_JWK)));
	CHECK(alg == BROP_ALG_P256 && pklen == 33);
	CHECK_HEX(pk, 33, "024c2004475f59beedce1c5e23e16e2f7d25681c83f520b8a50e5b3bbc27867a67");
	CHECK_OK(brop_jwk_encode(&jwk, &len, alg, pk, pklen, NULL));
	CHECK_STR(jwk, len, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc\","
			  "\"y\":\"ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ\"}");
	free(jwk);

	/* RFC 8037 appendix A.2: the Ed25519 public key */
	unit_unhex(pk, 32, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	CHECK_OK(brop_jwk_encode(&jwk, &len, BROP_ALG_ED25519, pk, 32, NULL));
	CHECK_STR(jwk, len, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	CHECK_OK(brop_jwk_decode(&alg, pk, &pklen, jwk, len));
	CHECK(alg == BROP_ALG_ED25519 && pklen == 32);
	free(jwk);
	/* the same text without the point check; a wrong length still refused */
	CHECK_OK(brop_jwk_encode_valid(&jwk, &len, BROP_ALG_ED25519, pk, 32, NULL));
	CHECK_STR(jwk, len, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	free(jwk);
	CHECK_ERR(brop_jwk_encode_valid(&jwk, &len, BROP_ALG_ED25519, pk, 31, NULL), BROP_ELENGTH);
	CHECK_ERR(brop_jwk_encode(&jwk, &len, BROP_ALG_X25519, pk, 32, NULL), BROP_EALG);

	/* refused: a private key, an unknown curve, a point off the curve, a short x */
	CHECK_ERR(brop_jwk_decode(&alg, pk, &pklen,
							  "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}",
							  strlen("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}")), BROP_ECREDENTIAL);
	CHECK_ERR(brop_jwk_decode(&alg, pk, &pklen, "{\"kty\":\"OKP\",\"crv\":\"X448\",\"x\":\"AA\"}", strlen("{\"kty\":\"OKP\",\"crv\":\"X448\",\"x\":\"AA\"}")), BROP_EALG);
	CHECK_ERR(brop_jwk_decode(&alg, pk, &pklen,
							  "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc\",\"y\":\"ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZA\"}",
							  strlen("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc\",\"y\":\"ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZA\"}")), BROP_EKEY);
	CHECK_ERR(brop_jwk_decode(&alg, pk, &pklen, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qY\"}", strlen("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qY\"}")), BROP_EKEY);
	CHECK(strcmp(brop_jws_alg_name(BROP_ALG_SECP256K1), "ES256K") == 0);
	CHECK(brop_jws_alg_name(BROP_ALG_X25519) == NULL);
	CHECK_ERR(brop_jws_alg_from_name(&alg, "none", 4), BROP_EALG);
}

/* ---- SD-JWT: RFC 9901 ------------------------------------------------------ */

TEST(sdjwt_disclosures_and_digests)
{
	char		d[BROP_SDJWT_DIGEST_LEN + 1];
	char	   *disc;
	size_t		len;

	/* section 4.2.3 */
	CHECK_OK(brop_sdjwt_digest(d, "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0", 71));
	CHECK(strcmp(d, "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0") == 0);
	/* section 4.2.4.2, an array element */
	CHECK_OK(brop_sdjwt_digest(d, "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0", 43));
	CHECK(strcmp(d, "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs") == 0);
	/* earlier drafts' example */
	CHECK_OK(brop_sdjwt_digest(d, "WyI2cU1RdlJMNWhhaiIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0", 55));
	CHECK(strcmp(d, "uutlBuYeMDyjLLTpf6Jxi7yNkEF35jdyWMn9U7b_RYY") == 0);

	/* brop writes disclosures without white space: section 4.2.1's second form */
	CHECK_OK(brop_sdjwt_disclosure(&disc, &len, "_26bc4LT-ac6q2KI6cBW5es", "family_name",
								   "\"M\xc3\xb6" "bius\"", 9, NULL));
	CHECK_STR(disc, len, "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd");
	free(disc);
	CHECK_OK(brop_sdjwt_disclosure(&disc, &len, "lklxF5jMYlGTPUovMNIvCA", NULL, "\"FR\"", 4, NULL));
	CHECK_STR(disc, len, "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwiRlIiXQ");
	free(disc);
}

#define RFC9901_PRESENTED \
	"{\"address\":{\"country\":\"US\",\"locality\":\"Anytown\",\"region\":\"Anystate\",\"street_address\":\"123 Main St\"}," \
	"\"cnf\":{\"jwk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc\"," \
	"\"y\":\"ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ\"}},\"exp\":1883000000,\"family_name\":\"Doe\"," \
	"\"given_name\":\"John\",\"iat\":1683000000,\"iss\":\"https://issuer.example.com\",\"nationalities\":[\"US\"]," \
	"\"sub\":\"user_42\"}"

#define RFC9901_ISSUED \
	"{\"address\":{\"country\":\"US\",\"locality\":\"Anytown\",\"region\":\"Anystate\",\"street_address\":\"123 Main St\"}," \
	"\"birthdate\":\"1940-01-01\",\"cnf\":{\"jwk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc\"," \
	"\"y\":\"ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ\"}},\"email\":\"johndoe@example.com\",\"exp\":1883000000," \
	"\"family_name\":\"Doe\",\"given_name\":\"John\",\"iat\":1683000000,\"iss\":\"https://issuer.example.com\"," \
	"\"nationalities\":[\"US\",\"DE\"],\"phone_number\":\"+1-202-555-0101\",\"phone_number_verified\":true," \
	"\"sub\":\"user_42\",\"updated_at\":1570000000}"

static void
rfc9901_issuer(brop_alg *alg, unsigned char pk[33], size_t *pklen)
{
	CHECK_OK(brop_jwk_decode(alg, pk, pklen, RFC9901_ISSUER_JWK, strlen(RFC9901_ISSUER_JWK)));
}

static void
free_result(brop_sdjwt_result *r)
{
	free(r->payload);
	free(r->header);
	free(r->revealed);
}

TEST(sdjwt_rfc9901_example)
{
	brop_alg	alg;
	unsigned char pk[33];
	size_t		pklen;
	brop_sdjwt_result r;
	brop_reason why;

	rfc9901_issuer(&alg, pk, &pklen);

	/* the SD-JWT as issued: every disclosure in place */
	CHECK_OK(brop_sdjwt_verify(&r, rfc9901_sdjwt, strlen(rfc9901_sdjwt), alg, pk, pklen,
							   NULL, NULL, NULL, &why));
	CHECK_STR(r.payload, r.payloadlen, RFC9901_ISSUED);
	CHECK_STR(r.header, r.headerlen, "{\"alg\":\"ES256\",\"typ\":\"example+sd-jwt\"}");
	CHECK(!r.key_bound);
	free_result(&r);

	/* the presentation: four disclosures and the key binding (section 5.2) */
	CHECK_OK(brop_sdjwt_verify(&r, rfc9901_presentation, strlen(rfc9901_presentation), alg, pk, pklen,
							   "1234567890", "https://verifier.example.org", NULL, &why));
	CHECK_STR(r.payload, r.payloadlen, RFC9901_PRESENTED);
	CHECK(r.key_bound);
	CHECK(r.kb_iat == 1748537244);
	CHECK(strstr(r.revealed, "\"family_name\"") && strstr(r.revealed, "\"address\"")
		  && strstr(r.revealed, "\"given_name\"") && strstr(r.revealed, "\"[]\"")
		  && !strstr(r.revealed, "email"));
	free_result(&r);
}

/* Expect a refusal with this reason. */
static void
expect_refused(const char *file, int line, const char *text, const char *nonce, const char *aud,
			   int want_rc, const char *want_reason)
{
	brop_alg	alg;
	unsigned char pk[33];
	size_t		pklen;
	brop_sdjwt_result r;
	brop_reason why = {{0}};
	int			rc;

	rfc9901_issuer(&alg, pk, &pklen);
	rc = brop_sdjwt_verify(&r, text, strlen(text), alg, pk, pklen, nonce, aud, NULL, &why);
	if (rc == 0)
		free_result(&r);
	if (rc != want_rc || strcmp(why.text, want_reason) != 0)
		unit_fail(file, line, "rc %d, reason \"%s\"; expected %d, \"%s\"", rc, why.text, want_rc, want_reason);
}

#define REFUSED(text, nonce, aud, rc, reason) expect_refused(__FILE__, __LINE__, text, nonce, aud, rc, reason)

/* Disclosure i (0-based) of s, as a malloc'd string. */
static char *
part(const char *s, int i)
{
	const char *p = s;

	for (int k = 0; k <= i; k++)
		p = strchr(p, '~') + 1;
	return strndup(p, strcspn(p, "~"));
}

static char *
concat3(const char *a, const char *b, const char *c)
{
	char	   *out = malloc(strlen(a) + strlen(b) + strlen(c) + 1);

	strcpy(out, a);
	strcat(out, b);
	strcat(out, c);
	return out;
}

TEST(sdjwt_rfc9901_refusals)
{
	const char *P = rfc9901_presentation;
	const char *N = "1234567890";
	const char *A = "https://verifier.example.org";
	const char *kb = strrchr(P, '~') + 1;
	size_t		prefix = (size_t) (kb - P);
	char	   *t,
			   *u;

	/* the key binding: another nonce (a replay), another audience */
	REFUSED(P, "1234567891", A, BROP_ECREDENTIAL, "the key binding JWT's nonce is not the verifier's");
	REFUSED(P, N, "https://other.example.org", BROP_ECREDENTIAL, "the key binding JWT's audience is not the verifier's");
	/* a presentation checked as a plain SD-JWT, and the reverse */
	REFUSED(P, NULL, NULL, BROP_ECREDENTIAL,
			"the text is a presentation with key binding: verify it with a nonce and audience");
	REFUSED(rfc9901_sdjwt, N, A, BROP_ECREDENTIAL, "the presentation has no key binding JWT");

	/* a disclosure dropped: the KB-JWT's sd_hash no longer covers what is sent */
	{
		char	   *d0 = part(P, 0);
		char	   *jwt = strndup(P, strcspn(P, "~"));

		t = strndup(P, prefix);
		u = replaced(t, d0, "");
		free(t);
		/* remove the empty part left behind */
		t = replaced(u, "~~", "~");
		free(u);
		u = concat3(t, kb, "");
		REFUSED(u, N, A, BROP_ECREDENTIAL, "the key binding JWT's sd_hash does not match the presentation");
		free(t);
		free(u);
		/* a disclosure swapped for one the holder did not choose (email, from the SD-JWT) */
		{
			char	   *email = part(rfc9901_sdjwt, 2);
			char	   *d0p = concat3(d0, "~", "");
			char	   *emp = concat3(email, "~", "");

			u = replaced(P, d0p, emp);
			REFUSED(u, N, A, BROP_ECREDENTIAL, "the key binding JWT's sd_hash does not match the presentation");
			free(u);
			free(email);
			free(d0p);
			free(emp);
		}
		free(jwt);
		free(d0);
	}

	/* a disclosure sent twice */
	{
		char	   *d0 = part(rfc9901_sdjwt, 0);
		char	   *twice = concat3(rfc9901_sdjwt, d0, "~");

		REFUSED(twice, NULL, NULL, BROP_ECREDENTIAL, "the same disclosure is sent twice");
		free(twice);
		free(d0);
	}
	/* a claim revealed that is not in _sd: ["dummysalt", "foo", "bar"] */
	t = concat3(rfc9901_sdjwt, "WyJkdW1teXNhbHQiLCAiZm9vIiwgImJhciJd", "~");
	REFUSED(t, NULL, NULL, BROP_ECREDENTIAL, "a disclosure is not referenced by the credential");
	free(t);
	/* a changed claim value inside a disclosure: its digest is not in the credential */
	{
		char	   *d0 = part(rfc9901_sdjwt, 0);	/* given_name "John" */

		t = replaced(rfc9901_sdjwt, d0, "WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSmFuZSJd");
		REFUSED(t, NULL, NULL, BROP_ECREDENTIAL, "a disclosure is not referenced by the credential");
		free(t);
		free(d0);
	}
	/* the issuer's signature altered */
	t = replaced(rfc9901_sdjwt, ".MczwjBFGtzf", ".XczwjBFGtzf");
	REFUSED(t, NULL, NULL, BROP_EVERIFY, "the issuer-signed JWT's signature does not verify");
	free(t);
	/* the KB-JWT's signature altered */
	t = strdup(P);
	t[strlen(t) - 3] = t[strlen(t) - 3] == 'A' ? 'B' : 'A';
	REFUSED(t, N, A, BROP_EVERIFY, "the key binding JWT's signature does not verify");
	free(t);
	/* not an SD-JWT at all; an empty disclosure */
	REFUSED("eyJhbGciOiJFUzI1NiJ9.e30.AA", NULL, NULL, BROP_ECREDENTIAL, "the text is not an SD-JWT: it has no '~'");
	t = concat3(rfc9901_sdjwt, "~", "");
	REFUSED(t, NULL, NULL, BROP_ECREDENTIAL, "the SD-JWT has an empty disclosure");
	free(t);
}

/* ---- SD-JWT: brop's issuance, presentation and their refusals -------------- */

typedef struct holder
{
	unsigned char seed[32];
	unsigned char pk[32];
	char		did[BROP_DIDKEY_MAX_LEN + 1];
	char	   *jwk;
} holder;

static void
make_holder(holder *h, unsigned char fill)
{
	unsigned char sk[64];
	size_t		n;

	memset(h->seed, fill, 32);
	CHECK_OK(brop_ed25519_keypair_from_seed(h->pk, sk, h->seed));
	CHECK_OK(brop_didkey_encode(h->did, sizeof h->did, &n, BROP_ALG_ED25519, h->pk, 32));
	h->did[n] = '\0';
	CHECK_OK(brop_jwk_encode(&h->jwk, &n, BROP_ALG_ED25519, h->pk, 32, NULL));
}

/* An SD-JWT VC from issuer to holder with the given claims. */
static char *
issue(const holder *issuer, const holder *to, const char *claims)
{
	char		payload[600];
	char	   *si,
			   *ds,
			   *out;
	size_t		silen,
				dlen,
				outlen;
	unsigned char sk[64],
				pk[32],
				sig[64];
	brop_reason why;

	snprintf(payload, sizeof payload,
			 "{\"iss\":\"%s\",\"iat\":1780000000,\"vct\":\"urn:brop:credential:higher_education\","
			 "\"sub\":\"%s\",\"cnf\":{\"jwk\":%s}}", issuer->did, to->did, to->jwk);
	CHECK_OK(brop_sdjwt_prepare(&si, &silen, &ds, &dlen, BROP_ALG_ED25519, "dc+sd-jwt",
								payload, strlen(payload), claims, strlen(claims), NULL, &why));
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, issuer->seed));
	CHECK_OK(brop_ed25519_sign(sig, (unsigned char *) si, silen, sk));
	CHECK_OK(brop_sdjwt_assemble(&out, &outlen, si, silen, sig, ds, dlen, NULL));
	CHECK(strlen(out) == outlen);
	free(si);
	free(ds);
	return out;
}

TEST(sdjwt_issue_present_verify)
{
	holder		uni,
				alice,
				bob;
	char	   *cred,
			   *other,
			   *pres,
			   *t;
	size_t		len;
	brop_sdjwt_result r;
	brop_reason why;
	const char *grade[] = {"final_grade"};
	const char *nothing[] = {"shoe_size"};
	static const char claims[] = "{\"degree\":\"MSc Physics\",\"final_grade\":\"A\",\"thesis\":{\"title\":\"On ledgers\"}}";

	make_holder(&uni, 1);
	make_holder(&alice, 2);
	make_holder(&bob, 3);
	cred = issue(&uni, &alice, claims);

	/* as issued: three disclosures, all claims back, the issuer from iss */
	CHECK_OK(brop_sdjwt_verify(&r, cred, strlen(cred), 0, NULL, 0, NULL, NULL, NULL, &why));
	CHECK(strstr(r.payload, "\"degree\":\"MSc Physics\"") && strstr(r.payload, "\"final_grade\":\"A\"")
		  && strstr(r.payload, "\"thesis\":{\"title\":\"On ledgers\"}") && !strstr(r.payload, "_sd"));
	CHECK_STR(r.header, r.headerlen, "{\"alg\":\"EdDSA\",\"typ\":\"dc+sd-jwt\"}");
	/* the key that verified: iss's; no key binding, no holder key */
	CHECK(r.issuer_alg == BROP_ALG_ED25519 && r.issuer_pklen == 32 && memcmp(r.issuer_pk, uni.pk, 32) == 0);
	CHECK(!r.key_bound && r.holder_pklen == 0);
	free_result(&r);

	/* the holder presents only the final grade */
	CHECK_OK(brop_sdjwt_present(&pres, &len, cred, strlen(cred), grade, 1, BROP_ALG_ED25519, alice.seed,
								"n-123", "https://verifier.example", 1780000100, NULL, &why));
	CHECK_OK(brop_sdjwt_verify(&r, pres, len, 0, NULL, 0, "n-123", "https://verifier.example", NULL, &why));
	CHECK(strstr(r.payload, "\"final_grade\":\"A\"") && !strstr(r.payload, "degree") && !strstr(r.payload, "thesis"));
	CHECK_STR(r.revealed, r.revealedlen, "[\"final_grade\"]");
	CHECK(r.key_bound && r.kb_iat == 1780000100);
	/* the key binding was verified with the cnf key: alice's */
	CHECK(r.holder_alg == BROP_ALG_ED25519 && r.holder_pklen == 32 && memcmp(r.holder_pk, alice.pk, 32) == 0);
	CHECK(memcmp(r.issuer_pk, uni.pk, 32) == 0);
	free_result(&r);

	/* replayed to another verifier, or with another nonce */
	CHECK_ERR(brop_sdjwt_verify(&r, pres, len, 0, NULL, 0, "n-124", "https://verifier.example", NULL, &why),
			  BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "the key binding JWT's nonce is not the verifier's") == 0);
	CHECK_ERR(brop_sdjwt_verify(&r, pres, len, 0, NULL, 0, "n-123", "https://evil.example", NULL, &why),
			  BROP_ECREDENTIAL);

	/* bob cannot present alice's credential; nobody reveals a claim that is not there */
	CHECK_ERR(brop_sdjwt_present(&t, &len, cred, strlen(cred), grade, 1, BROP_ALG_ED25519, bob.seed,
								 "n", "a", 1, NULL, &why), BROP_EKEY);
	CHECK(strcmp(why.text, "the key is not the credential's holder key") == 0);
	CHECK_ERR(brop_sdjwt_present(&t, &len, cred, strlen(cred), nothing, 1, BROP_ALG_ED25519, alice.seed,
								 "n", "a", 1, NULL, &why), BROP_ECREDENTIAL);
	CHECK(strcmp(why.text, "\"shoe_size\" is not a disclosable claim of the credential") == 0);
	CHECK_ERR(brop_sdjwt_present(&t, &len, pres, strlen(pres), grade, 1, BROP_ALG_ED25519, alice.seed,
								 "n", "a", 1, NULL, &why), BROP_ECREDENTIAL);

	/* a disclosure from another credential of the same issuer and claim (a swapped grade) */
	other = issue(&uni, &alice, "{\"final_grade\":\"A+\"}");
	{
		char	   *mine = part(cred, 0),
				   *theirs = part(other, 0);

		t = replaced(cred, mine, theirs);
		CHECK_ERR(brop_sdjwt_verify(&r, t, strlen(t), 0, NULL, 0, NULL, NULL, NULL, &why), BROP_ECREDENTIAL);
		CHECK(strcmp(why.text, "a disclosure is not referenced by the credential") == 0);
		free(t);
		free(mine);
		free(theirs);
	}

	/* the issuer-signed JWT of another issuer's key: iss names uni, bob signed */
	{
		holder		fake = uni;
		char	   *forged;

		memcpy(fake.seed, bob.seed, 32);
		forged = issue(&fake, &alice, claims);
		CHECK_ERR(brop_sdjwt_verify(&r, forged, strlen(forged), 0, NULL, 0, NULL, NULL, NULL, &why), BROP_EVERIFY);
		free(forged);
	}

	/* issuance refuses reserved names and a claim also in the payload */
	{
		char	   *si,
				   *ds;
		size_t		a,
					b;

		CHECK_ERR(brop_sdjwt_prepare(&si, &a, &ds, &b, BROP_ALG_ED25519, "dc+sd-jwt", "{}", 2,
									 "{\"_sd\":1}", 9, NULL, &why), BROP_ECREDENTIAL);
		CHECK(strcmp(why.text, "a claim may not be named \"_sd\"") == 0);
		CHECK_ERR(brop_sdjwt_prepare(&si, &a, &ds, &b, BROP_ALG_ED25519, "dc+sd-jwt", "{\"x\":1}", 7,
									 "{\"x\":2}", 7, NULL, &why), BROP_ECREDENTIAL);
		CHECK(strcmp(why.text, "the claim \"x\" is also in the payload") == 0);
		/* no claims: no _sd, no _sd_alg, and just "~" */
		CHECK_OK(brop_sdjwt_prepare(&si, &a, &ds, &b, BROP_ALG_ED25519, "dc+sd-jwt", "{\"x\":1}", 7,
									"{}", 2, NULL, &why));
		CHECK_STR(ds, b, "~");
		CHECK(strcmp(strchr(si, '.') + 1, "eyJ4IjoxfQ") == 0);
		free(si);
		free(ds);
	}
	free(cred);
	free(other);
	free(pres);
	free(alice.jwk);
	free(bob.jwk);
	free(uni.jwk);
}
