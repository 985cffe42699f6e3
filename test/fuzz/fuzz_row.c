/*
 * fuzz_row.c — libFuzzer harness for brop_row.h's texts: a row's document
 * and key, a row version's header, a registration's header.
 *
 * The input is cut at 0xff bytes into texts (a 0xfe text is SQL NULL);
 * even ones are column names, odd ones their values. Properties: the
 * document is refused with BROP_EDUPKEY exactly when a name repeats, with
 * BROP_EENCODING exactly when a text is not UTF-8, with BROP_EINVAL when a
 * name holds a NUL; otherwise it is RFC
 * 8785 text (it canonicalizes to itself) and reads back as the same
 * name/value pairs (parse(serialize(x)) == x); the same for the key (an
 * array of the values) and for both headers, whose members read back as
 * their fields. All memory is freed (LeakSanitizer).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

#define MAX_TEXTS 64

static int
has_nul(const brop_row_text *t)
{
	return t->text != NULL && memchr(t->text, 0, t->len) != NULL;
}

static int
utf8_ok(const brop_row_text *t)
{
	json_t	   *s;
	int			ok;

	if (t->text == NULL)
		return 1;
	s = json_stringn(t->text, t->len);
	ok = s != NULL;
	json_decref(s);
	return ok;
}

static void
same(json_t *v, const brop_row_text *t)
{
	if (v == NULL)
		abort();
	if (t->text == NULL ? !json_is_null(v) :
		!json_is_string(v) || json_string_length(v) != t->len || memcmp(json_string_value(v), t->text, t->len) != 0)
		abort();
}

/* the member named name[0..len), which may hold NUL bytes */
static json_t *
member(json_t *o, const char *name, size_t len)
{
	for (void *it = json_object_iter(o); it != NULL; it = json_object_iter_next(o, it))
		if (json_object_iter_key_len(it) == len && memcmp(json_object_iter_key(it), name, len) == 0)
			return json_object_iter_value(it);
	return NULL;
}

static json_t *
load(const char *p, size_t len)
{
	json_t	   *v = json_loadb(p, len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL);

	if (v == NULL)
		abort();
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	brop_row_text t[MAX_TEXTS];
	brop_row_text names[MAX_TEXTS / 2],
				values[MAX_TEXTS / 2];
	size_t		n = 0,
				at = 0,
				npairs;
	int			all_utf8 = 1,
				values_utf8 = 1,
				names_utf8 = 1,
				names_nul = 0,
				values_nul = 0,
				key_ok = 1,
				dup = 0,
				rc;
	char	   *doc = NULL,
			   *key = NULL,
			   *hdr = NULL;
	size_t		doclen = 0,
				keylen = 0,
				hdrlen = 0;
	unsigned char salt[BROP_ROW_SALT_BYTES];
	uint64_t	version = 0;
	json_t	   *o;

	if (size < 9)
		return 0;
	memcpy(&version, data, 8);
	version = version % (UINT64_C(1) << 54);
	memset(salt, data[8], sizeof salt);
	data += 9;
	size -= 9;
	for (size_t i = 0; i <= size && n < MAX_TEXTS; i++)
		if (i == size || data[i] == 0xff)
		{
			t[n].text = (const char *) data + at;
			t[n].len = i - at;
			if (t[n].len == 1 && data[at] == 0xfe)
				t[n].text = NULL;
			n++;
			at = i + 1;
		}
	npairs = n / 2;
	for (size_t i = 0; i < npairs; i++)
	{
		names[i] = t[2 * i];
		values[i] = t[2 * i + 1];
		if (names[i].text == NULL)
			names[i].text = "";
		if (!utf8_ok(&names[i]))
			names_utf8 = 0;
		if (!utf8_ok(&values[i]))
			all_utf8 = values_utf8 = 0;
		if (values[i].text == NULL)
			key_ok = 0;
		names_nul |= has_nul(&names[i]);
		values_nul |= has_nul(&values[i]);
		for (size_t j = 0; j < i; j++)
			if (names[j].len == names[i].len && memcmp(names[j].text, names[i].text, names[i].len) == 0)
				dup = 1;
	}
	all_utf8 &= names_utf8;

	/* the document */
	rc = brop_row_document(&doc, &doclen, names, values, npairs, NULL);
	if (rc == 0)
	{
		if (dup || !all_utf8 || names_nul)
			abort();
		fuzz_is_canonical(doc, doclen);
		o = load(doc, doclen);
		if (!json_is_object(o) || json_object_size(o) != npairs)
			abort();
		for (size_t i = 0; i < npairs; i++)
			same(member(o, names[i].text, names[i].len), &values[i]);
		json_decref(o);
	}
	else if (rc == BROP_EDUPKEY ? !dup : rc == BROP_EENCODING ? all_utf8 : rc == BROP_EINVAL ? !names_nul : 1)
		abort();

	/* the key: the values as an array */
	rc = brop_row_key(&key, &keylen, values, npairs, NULL);
	if (rc == 0)
	{
		if (npairs == 0 || !key_ok || !values_utf8)
			abort();
		fuzz_is_canonical(key, keylen);
		o = load(key, keylen);
		if (!json_is_array(o) || json_array_size(o) != npairs)
			abort();
		for (size_t i = 0; i < npairs; i++)
			same(json_array_get(o, i), &values[i]);
		json_decref(o);
	}
	else if (rc != BROP_EINVAL && rc != BROP_EENCODING)
		abort();

	/* a version's header, with the document when there is one */
	if (n > 0 && t[0].text != NULL)
	{
		static const char *const ops[] = {"insert", "update", "delete"};
		const char *op = ops[version % 3];

		rc = brop_row_header(&hdr, &hdrlen, op, t[0].text, t[0].len, doc, doclen, doc ? salt : NULL, version, NULL);
		if (rc == 0)
		{
			json_t	   *s;
			unsigned char back[BROP_ROW_SALT_BYTES + 2];
			size_t		blen;

			fuzz_is_canonical(hdr, hdrlen);
			o = load(hdr, hdrlen);
			same(json_object_get(o, "registration"), &t[0]);
			if (strcmp(json_string_value(json_object_get(o, "op")), op) != 0 ||
				json_real_value(json_object_get(o, "version")) != (double) version ||
				json_object_size(o) != (doc ? 5u : 3u))
				abort();
			if (doc)
			{
				char	   *again = json_dumps(json_object_get(o, "row"), JSON_COMPACT);
				char	   *c = NULL;
				size_t		clen;

				s = json_object_get(o, "salt");
				if (again == NULL || brop_jcs_canonicalize(&c, &clen, again, strlen(again), NULL, NULL) != 0 ||
					clen != doclen || memcmp(c, doc, clen) != 0 ||
					brop_base64_decode(back, sizeof back, &blen, json_string_value(s), json_string_length(s),
									   BROP_BASE64_URLSAFE) != 0 ||
					blen != sizeof salt || memcmp(back, salt, blen) != 0)
					abort();
				free(c);
				free(again);
			}
			json_decref(o);
			free(hdr);
		}
		else if (!(rc == BROP_EOVERFLOW && (version == 0 || version > UINT64_C(9007199254740991))) &&
				 !(rc == BROP_EENCODING && !utf8_ok(&t[0])) && !(rc == BROP_EINVAL && has_nul(&t[0])))
			abort();
	}

	/* a registration's header: names as the columns, values as the key columns */
	if (npairs > 0)
	{
		brop_registration_fields r = {version & 1 ? "unregister" : "register", names[0].text, names[0].len,
			values, npairs, names, npairs, version & 2 ? NULL : names[npairs - 1].text, names[npairs - 1].len,
		(int) (version % 3) + 1, version & 4 ? "plugin" : "trigger"};

		hdr = NULL;
		rc = brop_registration_format_header(&hdr, &hdrlen, &r, NULL);
		if (rc == 0)
		{
			fuzz_is_canonical(hdr, hdrlen);
			o = load(hdr, hdrlen);
			if (json_object_size(o) != 7 || json_real_value(json_object_get(o, "profile")) != r.profile ||
				json_array_size(json_object_get(o, "columns")) != npairs ||
				json_array_size(json_object_get(o, "key_columns")) != npairs)
				abort();
			for (size_t i = 0; i < npairs; i++)
			{
				same(json_array_get(json_object_get(o, "columns"), i), &names[i]);
				same(json_array_get(json_object_get(o, "key_columns"), i), &values[i]);
			}
			json_decref(o);
			free(hdr);
		}
		else if (!(rc == BROP_EINVAL && (!key_ok || names_nul || values_nul)) && !(rc == BROP_EENCODING && !all_utf8))
			abort();
	}
	free(doc);
	free(key);
	return 0;
}
