/*
 * test_encoding.c — hex and base64 (RFC 4648 section 10), base64url,
 * base58btc (draft-msporny-base58), multibase, unsigned varint
 * (multiformats unsigned-varint), strict decoding and its exact codes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "brop.h"
#include "unit.h"

#define U(s) ((const unsigned char *) (s))

/* RFC 4648 section 10 */
static const struct
{
	const char *in;
	const char *b64;
	const char *b16;
}			rfc4648[] = {
	{"", "", ""},
	{"f", "Zg==", "66"},
	{"fo", "Zm8=", "666F"},
	{"foo", "Zm9v", "666F6F"},
	{"foob", "Zm9vYg==", "666F6F62"},
	{"fooba", "Zm9vYmE=", "666F6F6261"},
	{"foobar", "Zm9vYmFy", "666F6F626172"},
};

TEST(enc_hex_rfc4648)
{
	for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++)
	{
		const char *in = rfc4648[i].in;
		const char *b16 = rfc4648[i].b16;
		char		lower[16];
		char		enc[16];
		unsigned char dec[16];
		size_t		n = 99;

		for (size_t j = 0; j <= strlen(b16); j++)
			lower[j] = (b16[j] >= 'A' && b16[j] <= 'F') ? (char) (b16[j] + 32) : b16[j];
		CHECK_OK(brop_hex_encode(enc, sizeof enc, &n, U(in), strlen(in)));
		CHECK_STR(enc, n, lower);
		/* the RFC's upper case and our lower case both decode */
		n = 99;
		CHECK_OK(brop_hex_decode(dec, sizeof dec, &n, b16, strlen(b16)));
		CHECK_STR(dec, n, in);
		n = 99;
		CHECK_OK(brop_hex_decode(dec, sizeof dec, &n, lower, strlen(lower)));
		CHECK_STR(dec, n, in);
	}
}

TEST(enc_hex_errors)
{
	unsigned char out[8];
	char		eout[8];
	size_t		n;

	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "abc", 3), BROP_ELENGTH);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "0", 1), BROP_ELENGTH);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "0g", 2), BROP_EENCODING);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "g0", 2), BROP_EENCODING);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, " 00", 3), BROP_ELENGTH);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "00 ", 3), BROP_ELENGTH);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "0x00", 4), BROP_EENCODING);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "00\0" "0", 4), BROP_EENCODING);
	CHECK_ERR(brop_hex_decode(out, sizeof out, &n, "\xc3\xa9", 2), BROP_EENCODING);
	CHECK_ERR(brop_hex_decode(out, 1, &n, "0000", 4), BROP_EBUFFER);
	CHECK_OK(brop_hex_decode(out, 2, &n, "0000", 4));
	CHECK(n == 2);
	CHECK_ERR(brop_hex_encode(eout, 3, &n, U("ab"), 2), BROP_EBUFFER);
	CHECK_OK(brop_hex_encode(eout, 4, &n, U("\x00\xff"), 2));
	CHECK_STR(eout, n, "00ff");
}

TEST(enc_base64_rfc4648)
{
	for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++)
	{
		const char *in = rfc4648[i].in;
		const char *b64 = rfc4648[i].b64;
		char		enc[16];
		char		url[16];
		unsigned char dec[16];
		size_t		n = 99,
					ulen;

		CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, U(in), strlen(in), BROP_BASE64_STANDARD));
		CHECK_STR(enc, n, b64);
		CHECK(n == BROP_BASE64_ENCODED_LEN(strlen(in)));
		n = 99;
		CHECK_OK(brop_base64_decode(dec, sizeof dec, &n, b64, strlen(b64), BROP_BASE64_STANDARD));
		CHECK_STR(dec, n, in);
		CHECK(n <= BROP_BASE64_DECODED_MAX(strlen(b64)));

		/* url-safe: the same without padding (no '+' or '/' here) */
		ulen = strlen(b64);
		while (ulen > 0 && b64[ulen - 1] == '=')
			ulen--;
		memcpy(url, b64, ulen);
		url[ulen] = '\0';
		n = 99;
		CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, U(in), strlen(in), BROP_BASE64_URLSAFE));
		CHECK_STR(enc, n, url);
		CHECK(n == BROP_BASE64URL_ENCODED_LEN(strlen(in)));
		n = 99;
		CHECK_OK(brop_base64_decode(dec, sizeof dec, &n, url, ulen, BROP_BASE64_URLSAFE));
		CHECK_STR(dec, n, in);
	}
}

TEST(enc_base64_alphabets)
{
	char		enc[8];
	unsigned char dec[8];
	size_t		n;

	/* 62 and 63 differ between the alphabets (RFC 4648 sections 4 and 5) */
	CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, U("\xfb\xff\xbf"), 3, BROP_BASE64_STANDARD));
	CHECK_STR(enc, n, "+/+/");
	CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, U("\xfb\xff\xbf"), 3, BROP_BASE64_URLSAFE));
	CHECK_STR(enc, n, "-_-_");
	CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, U("\xfb\xff"), 2, BROP_BASE64_STANDARD));
	CHECK_STR(enc, n, "+/8=");
	CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, U("\xfb\xff"), 2, BROP_BASE64_URLSAFE));
	CHECK_STR(enc, n, "-_8");
	CHECK_OK(brop_base64_decode(dec, sizeof dec, &n, "-_-_", 4, BROP_BASE64_URLSAFE));
	CHECK_HEX(dec, n, "fbffbf");
	CHECK_OK(brop_base64_decode(dec, sizeof dec, &n, "+/+/", 4, BROP_BASE64_STANDARD));
	CHECK_HEX(dec, n, "fbffbf");
	/* each alphabet refuses the other's characters */
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "+/+/", 4, BROP_BASE64_URLSAFE), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "-_-_", 4, BROP_BASE64_STANDARD), BROP_EENCODING);
	/* an unknown variant */
	CHECK_ERR(brop_base64_encode(enc, sizeof enc, &n, U("a"), 1, (brop_base64_variant) 0), BROP_EINVAL);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "YQ", 2, (brop_base64_variant) 3), BROP_EINVAL);
}

TEST(enc_base64_strict)
{
	unsigned char dec[16];
	char		enc[8];
	size_t		n;

	/* bad characters */
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9v!A==", 8, BROP_BASE64_STANDARD), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9 vg", 6, BROP_BASE64_URLSAFE), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9v\nYmF", 8, BROP_BASE64_URLSAFE), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9v Zg==", 9, BROP_BASE64_STANDARD), BROP_ELENGTH);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9v\0Zg=", 8, BROP_BASE64_STANDARD), BROP_EENCODING);
	/* non-zero trailing bits: one encoding per byte string */
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zh==", 4, BROP_BASE64_STANDARD), BROP_ENONCANONICAL);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9=", 4, BROP_BASE64_STANDARD), BROP_ENONCANONICAL);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zh", 2, BROP_BASE64_URLSAFE), BROP_ENONCANONICAL);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9", 3, BROP_BASE64_URLSAFE), BROP_ENONCANONICAL);
	/* padding in url-safe */
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zg==", 4, BROP_BASE64_URLSAFE), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm8=", 4, BROP_BASE64_URLSAFE), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zg=", 3, BROP_BASE64_URLSAFE), BROP_EENCODING);
	/* missing or wrong padding in standard */
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zg", 2, BROP_BASE64_STANDARD), BROP_ELENGTH);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm8", 3, BROP_BASE64_STANDARD), BROP_ELENGTH);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zg=", 3, BROP_BASE64_STANDARD), BROP_ELENGTH);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zg===", 5, BROP_BASE64_STANDARD), BROP_ELENGTH);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Z===", 4, BROP_BASE64_STANDARD), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "====", 4, BROP_BASE64_STANDARD), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zg==Zm8=", 8, BROP_BASE64_STANDARD), BROP_EENCODING);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Z=g=", 4, BROP_BASE64_STANDARD), BROP_EENCODING);
	/* impossible length without padding */
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Zm9vY", 5, BROP_BASE64_URLSAFE), BROP_ELENGTH);
	CHECK_ERR(brop_base64_decode(dec, sizeof dec, &n, "Z", 1, BROP_BASE64_URLSAFE), BROP_ELENGTH);
	/* too-small buffers */
	CHECK_ERR(brop_base64_decode(dec, 5, &n, "Zm9vYmFy", 8, BROP_BASE64_STANDARD), BROP_EBUFFER);
	CHECK_ERR(brop_base64_decode(dec, 4, &n, "Zm9vYmE", 7, BROP_BASE64_URLSAFE), BROP_EBUFFER);
	CHECK_OK(brop_base64_decode(dec, 5, &n, "Zm9vYmE", 7, BROP_BASE64_URLSAFE));
	CHECK_STR(dec, n, "fooba");
	CHECK_ERR(brop_base64_encode(enc, 7, &n, U("fooba"), 5, BROP_BASE64_STANDARD), BROP_EBUFFER);
	CHECK_ERR(brop_base64_encode(enc, 6, &n, U("fooba"), 5, BROP_BASE64_URLSAFE), BROP_EBUFFER);
	CHECK_OK(brop_base64_encode(enc, 7, &n, U("fooba"), 5, BROP_BASE64_URLSAFE));
	CHECK_STR(enc, n, "Zm9vYmE");
	/* empty input decodes to nothing */
	n = 99;
	CHECK_OK(brop_base64_decode(dec, 0, &n, "", 0, BROP_BASE64_URLSAFE));
	CHECK(n == 0);
}

/* draft-msporny-base58 (The Base58 Encoding Scheme), section 5 examples */
TEST(enc_base58_draft_vectors)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog.";
	char		enc[128];
	unsigned char dec[128];
	size_t		n;

	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("Hello World!"), 12));
	CHECK_STR(enc, n, "2NEpo7TZRRrLZSi2U");
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n, "2NEpo7TZRRrLZSi2U", 17));
	CHECK_STR(dec, n, "Hello World!");

	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U(fox), sizeof fox - 1));
	CHECK_STR(enc, n, "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n,
								"USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z", 60));
	CHECK_STR(dec, n, fox);

	/* two leading zero bytes become two leading '1's */
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x00\x00\x28\x7f\xb4\xcd"), 6));
	CHECK_STR(enc, n, "11233QC4");
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n, "11233QC4", 8));
	CHECK_HEX(dec, n, "0000287fb4cd");
}

/* base58 is bounded: the largest input round-trips, one more is refused */
TEST(enc_base58_limits)
{
	static unsigned char in[BROP_BASE58_MAX_BYTES + 1];
	static char enc[BROP_BASE58_MAX_TEXT + 2];
	static unsigned char dec[BROP_BASE58_MAX_TEXT + 2];
	size_t		n = 0,
				m = 0;

	memset(in, 0xff, sizeof in);
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, in, BROP_BASE58_MAX_BYTES));
	CHECK(n <= BROP_BASE58_MAX_TEXT);
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &m, enc, n));
	CHECK(m == BROP_BASE58_MAX_BYTES && memcmp(dec, in, m) == 0);
	/* all zero bytes: one '1' each */
	memset(in, 0, sizeof in);
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, in, BROP_BASE58_MAX_BYTES));
	CHECK(n == BROP_BASE58_MAX_BYTES);
	CHECK_ERR(brop_base58_encode(enc, sizeof enc, &n, in, BROP_BASE58_MAX_BYTES + 1), BROP_ELENGTH);
	memset(enc, '2', sizeof enc);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &m, enc, BROP_BASE58_MAX_TEXT + 1), BROP_ELENGTH);
	CHECK_ERR(brop_multibase_encode(enc, sizeof enc, &n, 'z', in, BROP_BASE58_MAX_BYTES + 1), BROP_ELENGTH);
	enc[0] = 'z';
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &m, NULL, enc, BROP_BASE58_MAX_TEXT + 2), BROP_ELENGTH);
}

TEST(enc_base58_leading_zeros)
{
	char		enc[32];
	unsigned char dec[32];
	size_t		n = 99;

	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U(""), 0));
	CHECK(n == 0);
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n, "", 0));
	CHECK(n == 0);
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x00"), 1));
	CHECK_STR(enc, n, "1");
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x00\x00\x00\x00"), 4));
	CHECK_STR(enc, n, "1111");
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n, "1111", 4));
	CHECK_HEX(dec, n, "00000000");
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x00\x01"), 2));
	CHECK_STR(enc, n, "12");
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x00\x3a"), 2));	/* 58 */
	CHECK_STR(enc, n, "121");
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n, "121", 3));
	CHECK_HEX(dec, n, "003a");
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x00\x00\xff"), 3));
	CHECK_STR(enc, n, "115Q");
	/* zero bytes after the first non-zero one are digits, not '1's */
	CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, U("\x01\x00"), 2));
	CHECK_STR(enc, n, "5R");
	CHECK_OK(brop_base58_decode(dec, sizeof dec, &n, "5R", 2));
	CHECK_HEX(dec, n, "0100");
}

TEST(enc_base58_errors)
{
	char		enc[32];
	unsigned char dec[32];
	size_t		n;

	/* 0, O, I and l are not in the alphabet */
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "2NEpo0", 6), BROP_EENCODING);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "O", 1), BROP_EENCODING);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "I", 1), BROP_EENCODING);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "l", 1), BROP_EENCODING);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "1+", 2), BROP_EENCODING);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "2 ", 2), BROP_EENCODING);
	CHECK_ERR(brop_base58_decode(dec, sizeof dec, &n, "\xc3\xa9", 2), BROP_EENCODING);
	/* buffers */
	CHECK_ERR(brop_base58_decode(dec, 11, &n, "2NEpo7TZRRrLZSi2U", 17), BROP_EBUFFER);
	CHECK_ERR(brop_base58_decode(dec, 3, &n, "1111", 4), BROP_EBUFFER);
	CHECK_ERR(brop_base58_decode(dec, 5, &n, "11233QC4", 8), BROP_EBUFFER);
	CHECK_ERR(brop_base58_encode(enc, 16, &n, U("Hello World!"), 12), BROP_EBUFFER);
	CHECK_ERR(brop_base58_encode(enc, 7, &n, U("\x00\x00\x28\x7f\xb4\xcd"), 6), BROP_EBUFFER);
	CHECK_ERR(brop_base58_encode(enc, 1, &n, U("\x00\x00"), 2), BROP_EBUFFER);
	CHECK_OK(brop_base58_encode(enc, 17, &n, U("Hello World!"), 12));
	CHECK(n == 17);
}

TEST(enc_base58_random_round_trip)
{
	uint64_t	x = 0x243f6a8885a308d3u;

	for (int iter = 0; iter < 2000; iter++)
	{
		unsigned char in[48];
		char		enc[BROP_BASE58_ENCODED_MAX(48)];
		unsigned char dec[48];
		size_t		len,
					n,
					m;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = x % sizeof in;
		for (size_t i = 0; i < len; i++)
		{
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* plenty of zero bytes, leading ones included */
			in[i] = (x & 3) == 0 ? 0 : (unsigned char) (x >> 24);
		}
		CHECK_OK(brop_base58_encode(enc, sizeof enc, &n, in, len));
		CHECK(n <= BROP_BASE58_ENCODED_MAX(len));
		CHECK_OK(brop_base58_decode(dec, len, &m, enc, n));
		CHECK(m == len && memcmp(dec, in, len) == 0);
	}
}

/* multibase: the spec's test vectors for "yes mani !" */
TEST(enc_multibase)
{
	static const struct
	{
		char		prefix;
		const char *text;
	}			v[] = {
		{'z', "z7paNL19xttacUY"},
		{'f', "f796573206d616e692021"},
		{'F', "F796573206D616E692021"},
		{'m', "meWVzIG1hbmkgIQ"},
		{'M', "MeWVzIG1hbmkgIQ=="},
		{'u', "ueWVzIG1hbmkgIQ"},
	};
	char		enc[64];
	unsigned char dec[64];
	size_t		n;
	char		prefix;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
	{
		CHECK_OK(brop_multibase_encode(enc, sizeof enc, &n, v[i].prefix, U("yes mani !"), 10));
		CHECK_STR(enc, n, v[i].text);
		CHECK(n <= BROP_MULTIBASE_ENCODED_MAX(10));
		prefix = 0;
		CHECK_OK(brop_multibase_decode(dec, sizeof dec, &n, &prefix, v[i].text, strlen(v[i].text)));
		CHECK_STR(dec, n, "yes mani !");
		CHECK(prefix == v[i].prefix);
	}
	/* the prefix may be ignored */
	CHECK_OK(brop_multibase_decode(dec, sizeof dec, &n, NULL, "f00", 3));
	CHECK_HEX(dec, n, "00");
	/* base64url alphabet behind 'u', standard behind 'm' */
	CHECK_OK(brop_multibase_encode(enc, sizeof enc, &n, 'u', U("\xfb\xff"), 2));
	CHECK_STR(enc, n, "u-_8");
	CHECK_OK(brop_multibase_encode(enc, sizeof enc, &n, 'm', U("\xfb\xff"), 2));
	CHECK_STR(enc, n, "m+/8");
	CHECK_OK(brop_multibase_encode(enc, sizeof enc, &n, 'z', U(""), 0));
	CHECK_STR(enc, n, "z");
}

TEST(enc_multibase_errors)
{
	char		enc[64];
	unsigned char dec[64];
	size_t		n;
	char		prefix = 'x';

	/* unknown or unsupported prefixes: base32 'b', base2 '0', identity '\0' */
	CHECK_ERR(brop_multibase_encode(enc, sizeof enc, &n, 'b', U("a"), 1), BROP_EALG);
	CHECK_ERR(brop_multibase_encode(enc, sizeof enc, &n, '?', U("a"), 1), BROP_EALG);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "bmfrq", 5), BROP_EALG);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "001100001", 9), BROP_EALG);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "\0a", 2), BROP_EALG);
	CHECK(prefix == 'x');
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "", 0), BROP_ELENGTH);
	/* the prefix fixes the case of hex digits */
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "fAB", 3), BROP_EENCODING);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "Fab", 3), BROP_EENCODING);
	CHECK_OK(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "F0A", 3));
	CHECK_HEX(dec, n, "0a");
	/* padding only behind 'M' */
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "mZg==", 5), BROP_EENCODING);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "uZg==", 5), BROP_EENCODING);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "MZg", 3), BROP_ELENGTH);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "mZh", 3), BROP_ENONCANONICAL);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "z0", 2), BROP_EENCODING);
	CHECK_ERR(brop_multibase_decode(dec, sizeof dec, &n, &prefix, "f0", 2), BROP_ELENGTH);
	CHECK_ERR(brop_multibase_decode(dec, 2, &n, &prefix, "f000000", 7), BROP_EBUFFER);
	CHECK_ERR(brop_multibase_encode(enc, 4, &n, 'f', U("ab"), 2), BROP_EBUFFER);
	CHECK_OK(brop_multibase_encode(enc, 5, &n, 'f', U("ab"), 2));
	CHECK_STR(enc, n, "f6162");
}

/* multiformats unsigned-varint README examples */
TEST(enc_varint_spec_vectors)
{
	static const struct
	{
		uint64_t	v;
		const char *hex;
	}			vec[] = {
		{0, "00"},
		{1, "01"},
		{127, "7f"},
		{128, "8001"},
		{255, "ff01"},
		{300, "ac02"},
		{16384, "808001"},
		{UINT64_C(0x7fffffffffffffff), "ffffffffffffffff7f"},
	};

	for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++)
	{
		unsigned char enc[BROP_VARINT_MAX_BYTES];
		unsigned char in[16];
		size_t		n,
					len,
					consumed;
		uint64_t	v = 1;

		CHECK_OK(brop_varint_encode(enc, &n, vec[i].v));
		CHECK_HEX(enc, n, vec[i].hex);
		len = unit_unhex(in, sizeof in, vec[i].hex);
		/* trailing bytes are not consumed */
		in[len] = 0x55;
		CHECK_OK(brop_varint_decode(&v, &consumed, in, len + 1));
		CHECK(v == vec[i].v);
		CHECK(consumed == len);
	}
}

TEST(enc_varint_errors)
{
	unsigned char in[16];
	unsigned char enc[BROP_VARINT_MAX_BYTES];
	uint64_t	v;
	size_t		n,
				len;

	/* non-minimal */
	len = unit_unhex(in, sizeof in, "8000");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_ENONCANONICAL);
	len = unit_unhex(in, sizeof in, "ff00");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_ENONCANONICAL);
	len = unit_unhex(in, sizeof in, "818000");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_ENONCANONICAL);
	/* truncated */
	len = unit_unhex(in, sizeof in, "80");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_ELENGTH);
	len = unit_unhex(in, sizeof in, "ffff");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_ELENGTH);
	CHECK_ERR(brop_varint_decode(&v, &n, in, 0), BROP_ELENGTH);
	/* ten bytes (2^63 and above) */
	len = unit_unhex(in, sizeof in, "80808080808080808001");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_EOVERFLOW);
	len = unit_unhex(in, sizeof in, "ffffffffffffffffff01");
	CHECK_ERR(brop_varint_decode(&v, &n, in, len), BROP_EOVERFLOW);
	/* 2^63 does not encode */
	CHECK_ERR(brop_varint_encode(enc, &n, UINT64_C(1) << 63), BROP_EOVERFLOW);
	CHECK_ERR(brop_varint_encode(enc, &n, UINT64_MAX), BROP_EOVERFLOW);
	CHECK_OK(brop_varint_encode(enc, &n, (UINT64_C(1) << 63) - 1));
	CHECK(n == BROP_VARINT_MAX_BYTES);
}

TEST(enc_varint_random_round_trip)
{
	uint64_t	x = 0x13198a2e03707344u;

	for (int iter = 0; iter < 20000; iter++)
	{
		unsigned char enc[BROP_VARINT_MAX_BYTES];
		uint64_t	v,
					back = 0;
		size_t		n,
					consumed = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = x >> (1 + x % 63);	/* every length from 1 to 9 bytes */
		CHECK_OK(brop_varint_encode(enc, &n, v));
		CHECK(n >= 1 && n <= BROP_VARINT_MAX_BYTES);
		CHECK(n == 1 || enc[n - 1] != 0);
		CHECK_OK(brop_varint_decode(&back, &consumed, enc, n));
		CHECK(back == v && consumed == n);
	}
}

TEST(enc_random_round_trips)
{
	uint64_t	x = 0xa4093822299f31d0u;

	for (int iter = 0; iter < 2000; iter++)
	{
		unsigned char in[64];
		char		enc[BROP_MULTIBASE_ENCODED_MAX(64)];
		unsigned char dec[BROP_BASE64_DECODED_MAX(BROP_MULTIBASE_ENCODED_MAX(64))];
		size_t		len,
					n,
					m;
		static const char prefixes[] = "zfFmMu";

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = x % sizeof in;
		for (size_t i = 0; i < len; i++)
		{
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			in[i] = (unsigned char) x;
		}
		CHECK_OK(brop_hex_encode(enc, sizeof enc, &n, in, len));
		CHECK(n == BROP_HEX_ENCODED_LEN(len));
		CHECK_OK(brop_hex_decode(dec, sizeof dec, &m, enc, n));
		CHECK(m == len && memcmp(dec, in, len) == 0);

		CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, in, len, BROP_BASE64_STANDARD));
		CHECK_OK(brop_base64_decode(dec, len, &m, enc, n, BROP_BASE64_STANDARD));
		CHECK(m == len && memcmp(dec, in, len) == 0);

		CHECK_OK(brop_base64_encode(enc, sizeof enc, &n, in, len, BROP_BASE64_URLSAFE));
		CHECK_OK(brop_base64_decode(dec, len, &m, enc, n, BROP_BASE64_URLSAFE));
		CHECK(m == len && memcmp(dec, in, len) == 0);

		for (const char *p = prefixes; *p; p++)
		{
			char		prefix = 0;

			CHECK_OK(brop_multibase_encode(enc, sizeof enc, &n, *p, in, len));
			CHECK(n <= BROP_MULTIBASE_ENCODED_MAX(len));
			CHECK_OK(brop_multibase_decode(dec, len, &m, &prefix, enc, n));
			CHECK(m == len && memcmp(dec, in, len) == 0 && prefix == *p);
		}
	}
}
