/*
 * credential_vectors.h — brop.credential_header() of the 1.0 extension,
 * as RFC 8785 text (brop.jcs), captured by test/unit/credential_vectors.sql.
 */
static const char *const credential_headers[] = {
	"{\"category\":\"higher_education\",\"form\":\"sd-jwt\",\"holder\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1eW"
	"qyYKARWket5BbiN1rjdUsQ9b\",\"issued_at\":\"2026-11-21T10:00:03.123456Z\",\"issuer\":\"did:key:z6Mktw"
	"updmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"profile\":2,\"schema\":\"brop-credential-v1\",\"seria"
	"l\":\"urn:uuid:6f1c2a9e-0b7d-4c1e-9a51-0d3c5e7f8a90\",\"type\":\"credential\",\"version\":1}",
	"{\"category\":\"cat \\\"\303\251\\\" \\\\ \360\237\230\200\",\"form\":\"vc\",\"holder\":\"did:key:z6"
	"LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b\",\"issued_at\":\"1969-12-31T23:59:59.000001Z\",\"iss"
	"uer\":\"did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"profile\":3,\"schema\":\"brop-c"
	"redential-v1\",\"serial\":\"urn:uuid:00000000-0000-4000-8000-000000000002\",\"supersedes\":\"urn:uui"
	"d:6f1c2a9e-0b7d-4c1e-9a51-0d3c5e7f8a90\",\"type\":\"credential\",\"valid_until\":\"2027-11-21T00:00:"
	"00Z\",\"version\":2}",
	"{\"category\":\"c\",\"form\":\"vc\",\"holder\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjd"
	"UsQ9b\",\"issued_at\":\"0001-01-01T00:00:00.000000Z\",\"issuer\":\"did:key:z6MktwupdmLXVVqTzCw4i46r4"
	"uGyosGXRnR3XjN4Zq7oMMsw\",\"profile\":1,\"schema\":\"brop-credential-v1\",\"serial\":\"s\",\"superse"
	"des\":\"s0\",\"type\":\"credential\",\"valid_until\":\"9999-12-31T23:59:59Z\",\"version\":2147483647"
	"}",
};
