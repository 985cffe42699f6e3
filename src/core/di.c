/*
 * di.c — W3C Data Integrity proofs, cryptosuite eddsa-jcs-2022
 * (vc-di-eddsa 1.0, section 3.3; the W3C Recommendation of May 2025).
 *
 *   proof config = the proof options (without proofValue); on creation the
 *                  document's "@context" is copied into them (3.3.1 step 2)
 *   hash data    = SHA-256(JCS(proof config)) || SHA-256(JCS(document))
 *   proofValue   = "z" base58btc(Ed25519(hash data))
 *
 * Verification methods are did:key identifiers with their own key as the
 * fragment ("did:key:z6Mk...#z6Mk..."), so a proof verifies offline.
 */
#include <jansson.h>
#include <string.h>

#include "internal.h"

#define DI_PROOF_TYPE "DataIntegrityProof"

static int
json_error_rc(int rc, brop_reason *why, const char *what)
{
	brop__reason(why, "the %s is not valid JSON", what);
	return rc;
}

static int
parse_object(json_t **v, const char *text, size_t len, const char *what, brop_reason *why)
{
	int			rc;

	*v = brop__json_parse(text, len, &rc, NULL);
	if (*v == NULL)
		return json_error_rc(rc, why, what);
	if (!json_is_object(*v))
	{
		json_decref(*v);
		*v = NULL;
		brop__reason(why, "the %s is not a JSON object", what);
		return BROP_ECREDENTIAL;
	}
	return BROP_OK;
}

static int
is_datetime(const char *s)
{
	int64_t		t;

	return brop_datetime_seconds(&t, s, strlen(s)) == 0;
}

/* Check the proof options' fixed members (3.3.5). */
static int
check_options(json_t *opt, brop_reason *why)
{
	const char *type = json_string_value(json_object_get(opt, "type"));
	const char *suite = json_string_value(json_object_get(opt, "cryptosuite"));
	json_t	   *created = json_object_get(opt, "created");

	if (type == NULL || strcmp(type, DI_PROOF_TYPE) != 0)
	{
		brop__reason(why, "the proof's type is not DataIntegrityProof");
		return BROP_ECREDENTIAL;
	}
	if (suite == NULL || strcmp(suite, BROP_DI_CRYPTOSUITE) != 0)
	{
		brop__reason(why, "the proof's cryptosuite is not eddsa-jcs-2022");
		return BROP_ECREDENTIAL;
	}
	if (created != NULL && (!json_is_string(created) || !is_datetime(json_string_value(created))))
	{
		brop__reason(why, "the proof's created time is not an XML Schema dateTime");
		return BROP_ECREDENTIAL;
	}
	return BROP_OK;
}

/* SHA-256(JCS(config)) || SHA-256(JCS(doc)) (3.3.4). */
static int
hash_data(unsigned char out[BROP_DI_SIGNING_INPUT_BYTES], json_t *config, json_t *doc)
{
	brop__str	s = {0};
	int			rc = brop__jcs_json(&s, config);

	if (rc == 0)
		rc = brop_sha256(out, (const unsigned char *) s.data, s.len);
	s.len = 0;
	if (rc == 0)
		rc = brop__jcs_json(&s, doc);
	if (rc == 0)
		rc = brop_sha256(out + 32, (const unsigned char *) s.data, s.len);
	brop__str_free(&s);
	return rc;
}

/* Parse document and options for signing; the options get the document's @context. */
static int
signing_parts(json_t **doc, json_t **opt, const char *document, size_t doclen,
			  const char *options, size_t optlen, brop_reason *why)
{
	json_t	   *ctx;
	int			rc;

	*doc = *opt = NULL;
	/* what verification would refuse is not signed (nor parsed) */
	if (doclen > BROP_CREDENTIAL_MAX_BYTES || optlen > BROP_CREDENTIAL_MAX_BYTES)
	{
		brop__reason(why, "the %s longer than the limit of %d bytes",
					 doclen > BROP_CREDENTIAL_MAX_BYTES ? "document is" : "proof options are",
					 BROP_CREDENTIAL_MAX_BYTES);
		return BROP_ECREDENTIAL;
	}
	rc = parse_object(doc, document, doclen, "document", why);
	if (rc != 0)
		return rc;
	rc = parse_object(opt, options, optlen, "proof options", why);
	if (rc == 0 && json_object_get(*doc, "proof") != NULL)
	{
		brop__reason(why, "the document already has a proof");
		rc = BROP_ECREDENTIAL;
	}
	if (rc == 0 && json_object_get(*opt, "proofValue") != NULL)
	{
		brop__reason(why, "the proof options already have a proofValue");
		rc = BROP_ECREDENTIAL;
	}
	if (rc == 0)
		rc = check_options(*opt, why);
	ctx = json_object_get(*doc, "@context");
	if (rc == 0 && ctx != NULL && json_object_set(*opt, "@context", ctx) != 0)
		rc = BROP_ENOMEM;
	if (rc != 0)
	{
		json_decref(*doc);
		if (*opt != NULL)
			json_decref(*opt);
		*doc = *opt = NULL;
	}
	return rc;
}

int
brop_di_signing_input(unsigned char out[BROP_DI_SIGNING_INPUT_BYTES],
					  const char *document, size_t doclen, const char *options, size_t optlen,
					  brop_reason *why)
{
	json_t	   *doc,
			   *opt;
	int			rc = signing_parts(&doc, &opt, document, doclen, options, optlen, why);

	if (rc != 0)
		return rc;
	rc = hash_data(out, opt, doc);
	json_decref(doc);
	json_decref(opt);
	return rc;
}

int
brop_di_assemble(char **out, size_t *outlen, const char *document, size_t doclen,
				 const char *options, size_t optlen, const unsigned char sig[BROP_SIGNATURE_BYTES],
				 const brop_allocator *a, brop_reason *why)
{
	json_t	   *doc,
			   *opt;
	char		value[BROP_MULTIBASE_ENCODED_MAX(BROP_SIGNATURE_BYTES) + 1];
	size_t		n;
	brop__str	s = {0};
	int			rc = signing_parts(&doc, &opt, document, doclen, options, optlen, why);

	if (rc != 0)
		return rc;
	rc = brop_multibase_encode(value, sizeof value - 1, &n, 'z', sig, BROP_SIGNATURE_BYTES);
	if (rc == 0)
	{
		value[n] = '\0';
		if (json_object_set_new(opt, "proofValue", json_string(value)) != 0
			|| json_object_set(doc, "proof", opt) != 0)
			rc = BROP_ENOMEM;
	}
	if (rc == 0)
		rc = brop__jcs_json(&s, doc);
	json_decref(doc);
	json_decref(opt);
	if (rc != 0)
	{
		brop__str_free(&s);
		return rc;
	}
	return brop__str_finish(&s, out, outlen, a);
}

/* The did:key of a verification method "did:key:X#X", as an Ed25519 key. */
static int
method_key(unsigned char pk[BROP_ED25519_PUBLICKEYBYTES], const char *vm, brop_reason *why)
{
	const char *hash;
	size_t		idlen;
	brop_alg	alg;
	size_t		pklen;
	unsigned char key[BROP_PUBLICKEY_MAX_BYTES];

	if (vm == NULL)
	{
		brop__reason(why, "the proof has no verificationMethod");
		return BROP_ECREDENTIAL;
	}
	hash = strchr(vm, '#');
	if (hash == NULL || strncmp(vm, "did:key:", 8) != 0 || hash < vm + 8
		|| strlen(hash + 1) != (idlen = (size_t) (hash - vm - 8))
		|| memcmp(hash + 1, vm + 8, idlen) != 0)
	{
		brop__reason(why, "the proof's verificationMethod is not a did:key with its key as fragment");
		return BROP_ECREDENTIAL;
	}
	if (brop_didkey_decode(&alg, key, sizeof key, &pklen, vm, (size_t) (hash - vm)) != 0
		|| alg != BROP_ALG_ED25519)
	{
		brop__reason(why, "the proof's verificationMethod is not an Ed25519 did:key");
		return BROP_ECREDENTIAL;
	}
	memcpy(pk, key, BROP_ED25519_PUBLICKEYBYTES);
	return BROP_OK;
}

/* Is the array (or single value) prefix a prefix of whole? (3.3.2 step 4.1) */
static int
context_prefix(json_t *prefix, json_t *whole)
{
	size_t		np = json_is_array(prefix) ? json_array_size(prefix) : 1;
	size_t		nw = json_is_array(whole) ? json_array_size(whole) : 1;

	if (whole == NULL || np > nw)
		return 0;
	for (size_t i = 0; i < np; i++)
	{
		json_t	   *p = json_is_array(prefix) ? json_array_get(prefix, i) : prefix;
		json_t	   *w = json_is_array(whole) ? json_array_get(whole, i) : whole;

		if (!json_equal(p, w))
			return 0;
	}
	return 1;
}

int
brop_di_verify(unsigned char pk[BROP_ED25519_PUBLICKEYBYTES], const char *secured, size_t len,
			   brop_reason *why)
{
	json_t	   *doc,
			   *proof,
			   *opt = NULL,
			   *ctx;
	const char *value;
	const char *purpose;
	unsigned char sig[BROP_SIGNATURE_BYTES + 8];
	size_t		siglen;
	unsigned char data[BROP_DI_SIGNING_INPUT_BYTES];
	int			rc;

	if (len > BROP_CREDENTIAL_MAX_BYTES)
	{
		brop__reason(why, "the text is longer than the limit of %d bytes", BROP_CREDENTIAL_MAX_BYTES);
		return BROP_ECREDENTIAL;
	}
	rc = parse_object(&doc, secured, len, "credential", why);
	if (rc != 0)
		return rc;
	proof = json_object_get(doc, "proof");
	if (json_is_array(proof))
	{
		brop__reason(why, "the credential has a set of proofs; brop verifies a single proof");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	if (!json_is_object(proof))
	{
		brop__reason(why, "the credential has no proof");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	opt = json_copy(proof);
	json_incref(proof);
	json_object_del(doc, "proof");
	if (opt == NULL)
	{
		json_decref(proof);
		rc = BROP_ENOMEM;
		goto done;
	}
	value = json_string_value(json_object_get(proof, "proofValue"));
	if (value == NULL || value[0] != 'z'
		|| brop_base58_decode(sig, sizeof sig, &siglen, value + 1, strlen(value) - 1) != 0
		|| siglen != BROP_SIGNATURE_BYTES)
	{
		json_decref(proof);
		brop__reason(why, "the proofValue is not a base58btc multibase signature of 64 bytes");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	json_decref(proof);
	json_object_del(opt, "proofValue");
	rc = check_options(opt, why);
	if (rc != 0)
		goto done;
	purpose = json_string_value(json_object_get(opt, "proofPurpose"));
	if (purpose == NULL || strcmp(purpose, "assertionMethod") != 0)
	{
		brop__reason(why, "the proof's purpose is not assertionMethod");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	ctx = json_object_get(opt, "@context");
	if (ctx != NULL)
	{
		if (!context_prefix(ctx, json_object_get(doc, "@context")))
		{
			brop__reason(why, "the document's @context does not start with the proof's");
			rc = BROP_ECREDENTIAL;
			goto done;
		}
		if (json_object_set(doc, "@context", ctx) != 0)
		{
			rc = BROP_ENOMEM;
			goto done;
		}
	}
	rc = method_key(pk, json_string_value(json_object_get(opt, "verificationMethod")), why);
	if (rc != 0)
		goto done;
	rc = hash_data(data, opt, doc);
	if (rc != 0)
		goto done;
	if (brop_ed25519_verify(sig, data, sizeof data, pk) != 0)
	{
		brop__reason(why, "the proof's signature does not verify");
		rc = BROP_EVERIFY;
	}
done:
	json_decref(doc);
	if (opt != NULL)
		json_decref(opt);
	return rc;
}
