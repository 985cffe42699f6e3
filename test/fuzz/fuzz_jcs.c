/*
 * fuzz_jcs.c — libFuzzer harness for brop_jcs_canonicalize.
 *
 * Properties: the input is canonicalized or refused with one of the JSON
 * codes (and a message); canonical output is NUL-terminated and
 * canonicalizes to itself; key order is antisymmetric; every finite double
 * formats to text that reads back as the same value. All memory is freed
 * (LeakSanitizer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	return 0;
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
check_number(const uint8_t *data, size_t size)
{
	char		text[BROP_JCS_NUMBER_MAX];
	size_t		len;
	double		d,
				back;

	if (size < sizeof d)
		return;
	memcpy(&d, data, sizeof d);
	if (brop_jcs_format_number(text, &len, d) != 0)
	{
		if (d == d && d - d == 0)	/* finite numbers must format */
			abort();
		return;
	}
	if (len == 0 || len >= BROP_JCS_NUMBER_MAX || text[len] != '\0' || strlen(text) != len)
		abort();
	back = strtod(text, NULL);
	if (back != d)
		abort();
}

static void
check_key_order(const uint8_t *data, size_t size)
{
	size_t		half = size / 2;
	const char *a = (const char *) data;
	const char *b = (const char *) data + half;
	size_t		blen = size - half;

	if (brop_jcs_key_compare(a, half, a, half) != 0)
		abort();
	if (sign(brop_jcs_key_compare(a, half, b, blen)) !=
		-sign(brop_jcs_key_compare(b, blen, a, half)))
		abort();
	if ((brop_jcs_key_compare(a, half, b, blen) == 0) !=
		(half == blen && memcmp(a, b, half) == 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = NULL;
	char	   *again = NULL;
	size_t		outlen = 0,
				againlen = 0;
	brop_json_error err;
	int			rc;

	check_number(data, size);
	check_key_order(data, size);

	rc = brop_jcs_canonicalize(&out, &outlen, (const char *) data, size, NULL, &err);
	if (rc != 0)
	{
		if (rc != BROP_EJSON && rc != BROP_EDUPKEY && rc != BROP_ENUMBER)
			abort();
		if (out != NULL || outlen != 0)
			abort();
		if (err.message[0] == '\0' || memchr(err.message, '\0', sizeof err.message) == NULL)
			abort();
		if (err.position > size)
			abort();
		return 0;
	}
	if (out == NULL || out[outlen] != '\0')
		abort();

	rc = brop_jcs_canonicalize(&again, &againlen, out, outlen, NULL, &err);
	if (rc != 0 || againlen != outlen || memcmp(again, out, outlen) != 0)
		abort();
	free(again);
	free(out);
	return 0;
}
