/*
 * brop_encoding.h — hex, base64 (standard and url-safe), base58btc,
 * multibase and unsigned varint (multiformats).
 *
 * Encoders write no terminating NUL; *outlen receives the length written.
 * Decoders are strict: one canonical encoding for each byte string.
 */
#ifndef BROP_ENCODING_H
#define BROP_ENCODING_H

#include <stddef.h>
#include "brop_err.h"
#include <stdint.h>

/* Exact encoded lengths and upper bounds of decoded lengths. */
#define BROP_HEX_ENCODED_LEN(n) ((n) * 2)
#define BROP_BASE64_ENCODED_LEN(n) ((((n) + 2) / 3) * 4)			/* padded */
#define BROP_BASE64URL_ENCODED_LEN(n) (((n) * 4 + 2) / 3)			/* unpadded */
#define BROP_BASE64_DECODED_MAX(n) (((n) / 4) * 3 + 3)
#define BROP_BASE58_ENCODED_MAX(n) ((n) * 138 / 100 + 1)
#define BROP_BASE58_DECODED_MAX(n) (n)	/* each leading '1' is a zero byte */
#define BROP_MULTIBASE_ENCODED_MAX(n) (1 + BROP_BASE58_ENCODED_MAX(n) + BROP_HEX_ENCODED_LEN(n))
#define BROP_VARINT_MAX_BYTES 9

/*
 * Lower-case hex.
 * Returns: 0, or BROP_EBUFFER if outcap < 2 * inlen.
 */
BROP_WARN_UNUSED_RESULT int brop_hex_encode(char *out, size_t outcap, size_t *outlen,
											const unsigned char *in, size_t inlen);

/*
 * Hex, upper or lower case accepted.
 * Returns: 0; BROP_ELENGTH on an odd number of digits; BROP_EENCODING on a
 * character that is not a hex digit; BROP_EBUFFER if outcap < inlen / 2.
 */
BROP_WARN_UNUSED_RESULT int brop_hex_decode(unsigned char *out, size_t outcap, size_t *outlen,
											const char *in, size_t inlen);

typedef enum brop_base64_variant
{
	BROP_BASE64_STANDARD = 1,	/* RFC 4648 section 4, '+' '/', padded with '=' */
	BROP_BASE64_URLSAFE = 2		/* RFC 4648 section 5, '-' '_', no padding */
} brop_base64_variant;

BROP_WARN_UNUSED_RESULT int brop_base64_encode(char *out, size_t outcap, size_t *outlen,
											   const unsigned char *in, size_t inlen,
											   brop_base64_variant variant);

/*
 * Strict base64: no white space; standard requires its padding, url-safe
 * refuses padding; unused trailing bits must be zero.
 * Returns: 0; BROP_EENCODING on a bad character or misplaced padding;
 * BROP_ELENGTH on an impossible length; BROP_ENONCANONICAL on non-zero
 * trailing bits; BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_base64_decode(unsigned char *out, size_t outcap, size_t *outlen,
											   const char *in, size_t inlen,
											   brop_base64_variant variant);

/*
 * base58 is a quadratic base conversion: it is bounded instead. Encoding
 * takes at most BROP_BASE58_MAX_BYTES bytes, decoding at most
 * BROP_BASE58_MAX_TEXT characters (the longest encoding of that many bytes);
 * keys, digests and signatures are far shorter (docs/security.md).
 */
#define BROP_BASE58_MAX_BYTES 4096
#define BROP_BASE58_MAX_TEXT BROP_BASE58_ENCODED_MAX(BROP_BASE58_MAX_BYTES)

/*
 * Bitcoin alphabet; each leading zero byte becomes a '1'.
 * Returns: 0; BROP_ELENGTH if inlen > BROP_BASE58_MAX_BYTES; BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_base58_encode(char *out, size_t outcap, size_t *outlen,
											   const unsigned char *in, size_t inlen);

/*
 * Returns: 0; BROP_EENCODING on a character outside the alphabet;
 * BROP_ELENGTH if inlen > BROP_BASE58_MAX_TEXT; BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_base58_decode(unsigned char *out, size_t outcap, size_t *outlen,
											   const char *in, size_t inlen);

/*
 * Multibase: prefix character + encoding. Supported prefixes: 'z'
 * (base58btc), 'f' (hex, lower), 'F' (hex, upper), 'm' (base64, no padding),
 * 'M' (base64, padded), 'u' (base64url, no padding).
 * Returns: 0; BROP_EALG on an unsupported prefix; decode errors as above.
 */
BROP_WARN_UNUSED_RESULT int brop_multibase_encode(char *out, size_t outcap, size_t *outlen,
												  char prefix,
												  const unsigned char *in, size_t inlen);
BROP_WARN_UNUSED_RESULT int brop_multibase_decode(unsigned char *out, size_t outcap, size_t *outlen,
												  char *prefix,
												  const char *in, size_t inlen);

/*
 * The same for inputs of any size (hex and base64 are linear): a cancel
 * callback (NULL: never) is asked between steps of 3 MiB of input, and a
 * cancel returns BROP_ECANCELED. base58 is bounded as above.
 */
BROP_WARN_UNUSED_RESULT int brop_hex_encode_cancellable(char *out, size_t outcap, size_t *outlen,
														const unsigned char *in, size_t inlen,
														const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_hex_decode_cancellable(unsigned char *out, size_t outcap,
														size_t *outlen, const char *in, size_t inlen,
														const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_base64_encode_cancellable(char *out, size_t outcap, size_t *outlen,
														   const unsigned char *in, size_t inlen,
														   brop_base64_variant variant,
														   const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_base64_decode_cancellable(unsigned char *out, size_t outcap,
														   size_t *outlen, const char *in,
														   size_t inlen, brop_base64_variant variant,
														   const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_multibase_encode_cancellable(char *out, size_t outcap, size_t *outlen,
															  char prefix, const unsigned char *in,
															  size_t inlen, const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_multibase_decode_cancellable(unsigned char *out, size_t outcap,
															  size_t *outlen, char *prefix,
															  const char *in, size_t inlen,
															  const brop_cancel *cancel);

/*
 * Unsigned varint (multiformats): 7 bits a byte, least significant first,
 * at most 9 bytes (63 bits), minimal encoding only.
 * Returns: 0; BROP_EOVERFLOW if v >= 2^63.
 * Out: out (up to BROP_VARINT_MAX_BYTES), *outlen.
 */
BROP_WARN_UNUSED_RESULT int brop_varint_encode(unsigned char out[BROP_VARINT_MAX_BYTES],
											   size_t *outlen, uint64_t v);

/*
 * Returns: 0; BROP_ELENGTH if in ends inside the varint; BROP_EOVERFLOW
 * past 9 bytes; BROP_ENONCANONICAL for a non-minimal encoding.
 * Out: *v, *consumed (bytes read from in).
 */
BROP_WARN_UNUSED_RESULT int brop_varint_decode(uint64_t *v, size_t *consumed,
											   const unsigned char *in, size_t inlen);

#endif /* BROP_ENCODING_H */
