/*
 * test_credential_header.c — brop_credential_header.h: the header of a
 * credential version's entry. Known answers: what the 1.0 extension's
 * brop.credential_header() makes of three rows (credential_vectors.h, from
 * credential_vectors.sql), as RFC 8785 text.
 */
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"
#include "credential_vectors.h"

#define DID1 "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
#define X1 "did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b"

TEST(credential_header_extension_known_answers)
{
	const brop_credential_header_fields h[] = {
		{"urn:uuid:6f1c2a9e-0b7d-4c1e-9a51-0d3c5e7f8a90", 1, NULL, DID1, X1, "higher_education", "sd-jwt", 2,
		INT64_C(1795255203123456), 0, 0},
		{"urn:uuid:00000000-0000-4000-8000-000000000002", 2, "urn:uuid:6f1c2a9e-0b7d-4c1e-9a51-0d3c5e7f8a90", DID1,
			X1, "cat \"\303\251\" \\ \360\237\230\200", "vc", 3, -999999, INT64_C(1826755200999999), 1},
		{"s", 2147483647, "s0", DID1, X1, "c", "vc", 1, INT64_C(-62135596800000000), INT64_C(253402300799500000), 1},
	};

	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
	{
		char	   *out = NULL;
		size_t		n;

		CHECK_OK(brop_credential_header(&out, &n, &h[i], NULL));
		CHECK_STR(out, n, credential_headers[i]);
		free(out);
	}
}

/*
 * The core refuses times the YYYY form cannot hold; 1.0's SQL copy writes
 * 12345-06-07T08:09:10Z for year 12345, AD text for a BC year, and drops
 * an infinite valid_until (credential_vectors.sql, "DIVERGE").
 */
TEST(credential_header_refusals)
{
	brop_credential_header_fields h = {"s", 1, NULL, DID1, X1, "c", "vc", 1, 0, 0, 1};
	char	   *out = NULL;
	size_t		n;

	h.valid_until = INT64_C(327412829350000000);	/* a year past 9999 */
	CHECK_ERR(brop_credential_header(&out, &n, &h, NULL), BROP_EOVERFLOW);
	h.valid_until = INT64_C(-63524563200000000);	/* a year BC */
	CHECK_ERR(brop_credential_header(&out, &n, &h, NULL), BROP_EOVERFLOW);
	h.valid_until = 0;
	h.version = 0;
	CHECK_ERR(brop_credential_header(&out, &n, &h, NULL), BROP_EINVAL);
	h.version = 1;
	h.profile = 4;
	CHECK_ERR(brop_credential_header(&out, &n, &h, NULL), BROP_EINVAL);
	h.profile = 1;
	h.form = "jwt";
	CHECK_ERR(brop_credential_header(&out, &n, &h, NULL), BROP_EINVAL);
	h.form = "vc";
	h.category = "\xc3";
	CHECK_ERR(brop_credential_header(&out, &n, &h, NULL), BROP_EENCODING);
	CHECK(out == NULL);
	h.category = "c";
	CHECK_OK(brop_credential_header(&out, &n, &h, NULL));
	CHECK_STR(out, n, "{\"category\":\"c\",\"form\":\"vc\",\"holder\":\"" X1 "\",\"issued_at\":\"1970-01-01T00:00:00.000000Z\","
			  "\"issuer\":\"" DID1 "\",\"profile\":1,\"schema\":\"brop-credential-v1\",\"serial\":\"s\","
			  "\"type\":\"credential\",\"valid_until\":\"1970-01-01T00:00:00Z\",\"version\":1}");
	free(out);
}
