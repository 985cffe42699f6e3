/*
 * test_entry_format.c — brop_entry.h: the ledger entry's signing input, leaf
 * input and leaf hash. Known answers: docs/formats.md's worked example, and
 * the bytes the 1.0 extension makes (entry_vectors.h, from
 * entry_vectors.sql); the CLI relay's way (jansson, then JCS) gives the same.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"
#include "entry_vectors.h"

#define DID1 "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
#define X1 "did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b"
#define DOCS_SIG "44ea6428f27fa8cff43ffd9e8f5670f6ad51cc148f62ad89bc5b3d69f79fec9e525e59e772c7b3c9d0841f3872f77ffb7593999a2355ef85309edd3f73b85d0b"
#define B_HEADER "{\"\\u00e9\":\"a\\\"b\\\\c\\u0001\\u001f\\u007f\",\"n\":1.50,\"big\":12345678901234567890," \
	"\"neg\":-0.0000001,\"arr\":[null,true,false,1e30,\"\\u2028\"],\"\\u20ac\":\"\\ud834\\udd1e\"," \
	"\"a\":{\"z\":1,\"b\":2,\"\":[]},\"B\":0}"
/* a header as the plugin sends it (no integer beyond int64: the relay's jansson refuses one) */
#define CLI_HEADER "{\"version\":1,\"row\":{\"name\":\"\\u00c9mile \\\"Z\\\"\",\"\\u20ac\":null,\"a\":\"\\ud834\\udd1e\\n\"}," \
	"\"registration\":\"u.s\",\"op\":\"insert\",\"salt\":\"q-_\",\"n\":1.50e1}"
#define B_CHAIN "ch\303\251\"\\\001\t/\342\202\254\360\235\204\236\177"

/* microseconds since 1970 of a UTC date-time, days since 1970-01-01 */
#define unix_us(days, h, m, s, us) \
	((((INT64_C(days) * 24 + (h)) * 60 + (m)) * 60 + (s)) * INT64_C(1000000) + (us))

static char *
canon(const char *json, size_t *len)
{
	char	   *out = NULL;

	if (brop_jcs_canonicalize(&out, len, json, strlen(json), NULL, NULL) != 0)
		return NULL;
	return out;
}

/* The worked example's fields: TEST 1's diploma. */
static void
docs_entry(brop_entry *e, unsigned char *pd, unsigned char *sig, char **header)
{
	size_t		hlen;

	memset(e, 0, sizeof *e);
	unit_unhex(pd, 32, "98cabeecf8a3fe09c7f9c2e8e9422534c68ae470b54e54631c22783521f4c086");
	unit_unhex(sig, 64, DOCS_SIG);
	*header = canon("{\"serial\": \"2026-0042\", \"schema\": \"diploma/1\"}", &hlen);
	e->kind = "diploma";
	e->kind_len = 7;
	e->org = DID1;
	e->org_len = strlen(DID1);
	e->payload_digest = pd;
	e->nonce = "diploma-2026-0042";
	e->nonce_len = strlen(e->nonce);
	e->header = *header;
	e->header_len = hlen;
	e->signature = sig;
	e->signature_len = 64;
	/* 2026-11-21 07:28:33.568959 UTC: day 20778 since 1970 */
	e->submitted_at = unix_us(20778, 7, 28, 33, 568959);
}

TEST(entry_docs_worked_example)
{
	brop_entry	e;
	unsigned char pd[32],
				sig[64],
				leaf[32];
	char	   *header,
			   *si = NULL,
			   *li = NULL,
			   *si2 = NULL;
	size_t		silen,
				lilen,
				si2len;
	static const char json[] =
		"{\"body_digest\":null,\"chain_key\":null,\"expires_block\":null,\"header\":{\"schema\":\"diploma/1\","
		"\"serial\":\"2026-0042\"},\"kind\":\"diploma\",\"nonce\":\"diploma-2026-0042\",\"org\":\"" DID1 "\","
		"\"payload_digest\":\"98cabeecf8a3fe09c7f9c2e8e9422534c68ae470b54e54631c22783521f4c086\","
		"\"prev_digest\":null,\"subject\":null,\"v\":1}";
	static const char leaf_json[] =
		"{\"body_digest\":null,\"chain_key\":null,\"expires_block\":null,\"header\":{\"schema\":\"diploma/1\","
		"\"serial\":\"2026-0042\"},\"kind\":\"diploma\",\"nonce\":\"diploma-2026-0042\",\"org\":\"" DID1 "\","
		"\"payload_digest\":\"98cabeecf8a3fe09c7f9c2e8e9422534c68ae470b54e54631c22783521f4c086\","
		"\"prev_digest\":null,\"signature\":\"ROpkKPJ_qM_0P_2ej1Zw9q1RzBSPYq2JvFs9afef7J5SXlnncsezydCEHzhy93_7dZOZmiNV74Uwnt0_c7hdCw\","
		"\"subject\":null,\"submitted_at\":\"2026-11-21T07:28:33.568959Z\",\"v\":1}";

	docs_entry(&e, pd, sig, &header);
	CHECK(header != NULL);
	CHECK_OK(brop_entry_format_signing_input(&si, &silen, &e, NULL));
	CHECK(silen == 359 && memcmp(si, "brop-entry-v1", 14) == 0);
	CHECK_STR(si + 14, silen - 14, json);
	CHECK_OK(brop_entry_format_leaf_input(&li, &lilen, &e, NULL));
	CHECK(lilen == 491);
	CHECK_STR(li, lilen, leaf_json);
	CHECK_OK(brop_entry_format_forms(leaf, &si2, &si2len, &e, NULL));
	CHECK_HEX(leaf, 32, "8e7a3f7efcc26b071bf2d33965d7c82d4145543647f3a9f10c67649899064721");
	CHECK(si2len == silen && memcmp(si2, si, silen) == 0);
	CHECK_OK(brop_entry_format_forms(leaf, NULL, NULL, &e, NULL));
	CHECK_HEX(leaf, 32, "8e7a3f7efcc26b071bf2d33965d7c82d4145543647f3a9f10c67649899064721");
	free(si);
	free(si2);
	free(li);
	free(header);
}

/* Every member set: escapes, unicode, numbers, the largest expiry, odd times. */
TEST(entry_extension_known_answers)
{
	static const struct
	{
		const char *leaf;
		size_t		leaf_len;
		const char *digest;
		int64_t		at;
		const char *sig_hex;
	}			cases[] = {
		{entry_b1_leaf, sizeof entry_b1_leaf - 1, entry_b1_digest, unix_us(-719162, 0, 0, 0, 1), "01"},
		{entry_b2_leaf, sizeof entry_b2_leaf - 1, entry_b2_digest, unix_us(2932896, 23, 59, 59, 999999), "3045022100ff"},
		{entry_b3_leaf, sizeof entry_b3_leaf - 1, entry_b3_digest, unix_us(-1, 23, 59, 59, 500000), NULL},
		{entry_b4_leaf, sizeof entry_b4_leaf - 1, entry_b4_digest, unix_us(11016, 7, 4, 56, 0), "fbff"},
	};
	unsigned char pd[32],
				body[32],
				prev[32],
				sig[70],
				leaf[32];
	size_t		hlen;
	char	   *header = canon(B_HEADER, &hlen);
	brop_entry	e;
	char	   *out = NULL;
	size_t		outlen;

	CHECK(header != NULL);
	memset(pd, 0xab, 32);
	memset(body, 0x22, 32);
	memset(prev, 0x11, 32);
	memset(&e, 0, sizeof e);
	e.kind = "x.y_z-9";
	e.kind_len = 7;
	e.org = DID1;
	e.org_len = strlen(DID1);
	e.subject = X1;
	e.subject_len = strlen(X1);
	e.chain_key = B_CHAIN;
	e.chain_key_len = strlen(B_CHAIN);
	e.prev_digest = prev;
	e.header = header;
	e.header_len = hlen;
	e.payload_digest = pd;
	e.body_digest = body;
	e.nonce = "!~\"\\n";
	e.nonce_len = 5;
	e.expires_block = INT64_C(9007199254740991);
	e.has_expires_block = 1;
	CHECK_OK(brop_entry_format_signing_input(&out, &outlen, &e, NULL));
	CHECK(outlen == sizeof entry_b_signing_input - 1 && memcmp(out, entry_b_signing_input, outlen) == 0);
	free(out);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		size_t		n = cases[i].sig_hex ? unit_unhex(sig, sizeof sig, cases[i].sig_hex) : 70;

		if (cases[i].sig_hex == NULL)
			memset(sig, 0xfe, 70);
		e.signature = sig;
		e.signature_len = n;
		e.submitted_at = cases[i].at;
		out = NULL;
		CHECK_OK(brop_entry_format_leaf_input(&out, &outlen, &e, NULL));
		CHECK(out != NULL && outlen == cases[i].leaf_len && memcmp(out, cases[i].leaf, outlen) == 0);
		free(out);
		CHECK_OK(brop_entry_format_forms(leaf, NULL, NULL, &e, NULL));
		CHECK_HEX(leaf, 32, cases[i].digest);
	}
	free(header);
}

/*
 * The CLI relay's signing input (src/cli/relay_ledger.c, signing_input):
 * the completed entry's members as a jansson object, dumped, then JCS.
 */
TEST(entry_cli_way_agrees)
{
	json_t	   *sf = json_pack("{s:n, s:s, s:n, s:o, s:s, s:s, s:s, s:s, s:n, s:s, s:i}",
							   "body_digest", "chain_key", "row:university.students:ca65", "expires_block",
							   "header", json_loads(CLI_HEADER, 0, NULL), "kind", "row", "nonce", "row-ca65-1",
							   "org", DID1, "payload_digest",
							   "abababababababababababababababababababababababababababababababab",
							   "prev_digest", "subject", X1, "v", 1);
	char	   *text = json_dumps(sf, JSON_COMPACT);
	char	   *want,
			   *header,
			   *got = NULL;
	size_t		wantlen,
				hlen,
				gotlen;
	unsigned char pd[32];
	brop_entry	e;

	CHECK(text != NULL);
	CHECK(json_loads(B_HEADER, 0, NULL) == NULL);	/* "too big integer": the extension takes it */
	want = canon(text, &wantlen);
	header = canon(CLI_HEADER, &hlen);
	CHECK(want != NULL && header != NULL);
	memset(pd, 0xab, 32);
	memset(&e, 0, sizeof e);
	e.kind = "row";
	e.kind_len = 3;
	e.org = DID1;
	e.org_len = strlen(DID1);
	e.subject = X1;
	e.subject_len = strlen(X1);
	e.chain_key = "row:university.students:ca65";
	e.chain_key_len = strlen(e.chain_key);
	e.header = header;
	e.header_len = hlen;
	e.payload_digest = pd;
	e.nonce = "row-ca65-1";
	e.nonce_len = 10;
	CHECK_OK(brop_entry_format_signing_input(&got, &gotlen, &e, NULL));
	CHECK(gotlen == wantlen + 14 && memcmp(got, "brop-entry-v1", 14) == 0 && memcmp(got + 14, want, wantlen) == 0);
	free(got);
	free(want);
	free(header);
	free(text);
	json_decref(sf);
}

TEST(entry_refusals)
{
	brop_entry	e;
	unsigned char pd[32],
				sig[64];
	char	   *header,
			   *out = NULL;
	size_t		outlen;

	docs_entry(&e, pd, sig, &header);
	e.kind = NULL;
	CHECK_ERR(brop_entry_format_signing_input(&out, &outlen, &e, NULL), BROP_EINVAL);
	e.kind = "diploma";
	e.chain_key = "\xc3";		/* cut UTF-8 */
	e.chain_key_len = 1;
	CHECK_ERR(brop_entry_format_signing_input(&out, &outlen, &e, NULL), BROP_EENCODING);
	e.chain_key = "\xed\xa0\x80";	/* a surrogate */
	e.chain_key_len = 3;
	CHECK_ERR(brop_entry_format_leaf_input(&out, &outlen, &e, NULL), BROP_EENCODING);
	e.chain_key = NULL;
	e.header = "[]";
	e.header_len = 2;
	CHECK_ERR(brop_entry_format_signing_input(&out, &outlen, &e, NULL), BROP_EINVAL);
	e.header = NULL;			/* {} */
	CHECK_OK(brop_entry_format_signing_input(&out, &outlen, &e, NULL));
	CHECK(strstr(out + 14, "\"header\":{},") != NULL);
	free(out);
	out = NULL;
	e.has_expires_block = 1;
	e.expires_block = 0;
	CHECK_ERR(brop_entry_format_signing_input(&out, &outlen, &e, NULL), BROP_EOVERFLOW);
	e.expires_block = INT64_C(9007199254740992);
	CHECK_ERR(brop_entry_format_signing_input(&out, &outlen, &e, NULL), BROP_EOVERFLOW);
	e.has_expires_block = 0;
	e.submitted_at = INT64_C(253402300800) * 1000000;	/* 10000-01-01 */
	CHECK_ERR(brop_entry_format_leaf_input(&out, &outlen, &e, NULL), BROP_EOVERFLOW);
	e.submitted_at = 0;
	e.signature = NULL;
	CHECK_ERR(brop_entry_format_leaf_input(&out, &outlen, &e, NULL), BROP_EINVAL);
	CHECK(out == NULL);
	CHECK_ERR(brop_entry_format_signing_input(NULL, &outlen, &e, NULL), BROP_EINVAL);
	CHECK_ERR(brop_entry_format_signing_input(&out, &outlen, NULL, NULL), BROP_EINVAL);
	free(header);
}

TEST(entry_time_text)
{
	char		t[BROP_TIME_TEXT_BYTES];
	size_t		n;

	CHECK_OK(brop_time_text(t, &n, 0, 1));
	CHECK_STR(t, n, "1970-01-01T00:00:00.000000Z");
	CHECK_OK(brop_time_text(t, &n, -1, 1));
	CHECK_STR(t, n, "1969-12-31T23:59:59.999999Z");
	CHECK_OK(brop_time_text(t, &n, -1, 0));
	CHECK_STR(t, n, "1969-12-31T23:59:59Z");
	CHECK_OK(brop_time_text(t, &n, INT64_C(-62135596800) * 1000000, 1));
	CHECK_STR(t, n, "0001-01-01T00:00:00.000000Z");
	CHECK_OK(brop_time_text(t, &n, INT64_C(253402300800) * 1000000 - 1, 0));
	CHECK_STR(t, n, "9999-12-31T23:59:59Z");
	CHECK_OK(brop_time_text(t, &n, unix_us(11016, 7, 4, 56, 1), 1));	/* a leap day */
	CHECK_STR(t, n, "2000-02-29T07:04:56.000001Z");
	CHECK_ERR(brop_time_text(t, &n, INT64_C(-62135596800) * 1000000 - 1, 1), BROP_EOVERFLOW);
	CHECK_ERR(brop_time_text(t, &n, INT64_MIN, 1), BROP_EOVERFLOW);
	CHECK_ERR(brop_time_text(t, &n, INT64_MAX, 0), BROP_EOVERFLOW);
}
