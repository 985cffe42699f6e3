/*
 * fuzz_credential_header.c — libFuzzer harness for brop_credential_header.h.
 *
 * The input gives the numbers and, cut at 0xff bytes, the texts.
 * Properties: the header is RFC 8785 text (it canonicalizes to itself)
 * that reads back as its fields (parse(serialize(x)) == x: texts, numbers,
 * times through brop_time_text, supersedes and valid_until present exactly
 * when given); refusals are only the documented ones. All memory is freed
 * (LeakSanitizer).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static int
utf8_ok(const char *p)
{
	json_t	   *s = json_string(p);
	int			ok = s != NULL;

	json_decref(s);
	return ok;
}

static void
str_is(json_t *o, const char *name, const char *want)
{
	const char *v = json_string_value(json_object_get(o, name));

	if (v == NULL || strcmp(v, want) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	brop_credential_header_fields h;
	char	   *texts[5] = {0};
	size_t		k = 0,
				at;
	unsigned char flags;
	char	   *out = NULL;
	size_t		outlen;
	char		t[BROP_TIME_TEXT_BYTES];
	json_t	   *o;
	int			rc,
				ok = 1;

	if (size < 8 + 8 + 4 + 1)
		return 0;
	memset(&h, 0, sizeof h);
	memcpy(&h.issued_at, data, 8);
	memcpy(&h.valid_until, data + 8, 8);
	memcpy(&h.version, data + 16, 4);
	flags = data[20];
	data += 21;
	size -= 21;
	at = 0;
	for (size_t i = 0; i <= size && k < 5; i++)
		if (i == size || data[i] == 0xff)
		{
			texts[k] = malloc(i - at + 1);
			memcpy(texts[k], data + at, i - at);
			texts[k][i - at] = '\0';	/* a NUL inside cuts the text: C strings */
			k++;
			at = i + 1;
		}
	for (; k < 5; k++)
		texts[k] = strdup("");
	h.serial = texts[0];
	h.issuer = texts[1];
	h.holder = texts[2];
	h.category = texts[3];
	h.supersedes = (flags & 1) ? texts[4] : NULL;
	h.form = (flags & 2) ? "vc" : "sd-jwt";
	h.profile = 1 + (flags >> 2) % 3;
	h.has_valid_until = (flags & 32) != 0;

	for (int i = 0; i < 5; i++)
		if ((i < 4 || h.supersedes) && !utf8_ok(texts[i]))
			ok = 0;
	rc = brop_credential_header(&out, &outlen, &h, NULL);
	if (rc != 0)
	{
		int			late = brop_time_text(t, NULL, h.issued_at, 1) != 0 ||
			(h.has_valid_until && brop_time_text(t, NULL, h.valid_until, 0) != 0);

		if (!(rc == BROP_EINVAL && h.version < 1) && !(rc == BROP_EENCODING && !ok) &&
			!(rc == BROP_EOVERFLOW && late))
			abort();
		goto done;
	}
	if (!ok || h.version < 1 || out[outlen] != '\0')
		abort();
	fuzz_is_canonical(out, outlen);
	o = json_loadb(out, outlen, 0, NULL);
	if (o == NULL || json_object_size(o) != 10u + (h.supersedes != NULL) + h.has_valid_until)
		abort();
	str_is(o, "serial", h.serial);
	str_is(o, "issuer", h.issuer);
	str_is(o, "holder", h.holder);
	str_is(o, "category", h.category);
	str_is(o, "form", h.form);
	str_is(o, "schema", "brop-credential-v1");
	str_is(o, "type", "credential");
	if (h.supersedes)
		str_is(o, "supersedes", h.supersedes);
	if (brop_time_text(t, NULL, h.issued_at, 1) != 0)
		abort();
	str_is(o, "issued_at", t);
	if (h.has_valid_until)
	{
		if (brop_time_text(t, NULL, h.valid_until, 0) != 0)
			abort();
		str_is(o, "valid_until", t);
	}
	if (json_integer_value(json_object_get(o, "version")) != h.version ||
		json_integer_value(json_object_get(o, "profile")) != h.profile)
		abort();
	json_decref(o);
done:
	free(out);
	for (int i = 0; i < 5; i++)
		free(texts[i]);
	return 0;
}
