/*
 * fuzz_capture_record.c — libFuzzer harness for brop_capture_record.h.
 *
 * The input is read as a chunk of records with n values each (n from the
 * first byte). Properties: reading never runs past the input nor crashes;
 * whatever reads back is written again by the writer to exactly the bytes
 * it was read from (serialize(parse(x)) == x, for the minimal encodings
 * the reader accepts), and what is written reads back as the same head,
 * values and subject (parse(serialize(x)) == x).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "brop_capture_record.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned	nvalues;
	size_t		at = 0,
				n = 0,
				w;
	unsigned char *again;

	if (size < 1)
		return 0;
	nvalues = data[0] % 8;
	data++;
	size--;
	again = malloc(size + 64);
	if (again == NULL)
		abort();
	while (at < size)
	{
		size_t		start = at,
					at2;
		brop_capture_head h,
					h2;
		brop_capture_value v,
					v2;
		const char *s,
				   *s2;
		size_t		slen,
					slen2;

		if (brop_capture_head_read(&h, data, size, &at) != 0)
			break;
		if (at > size || brop_capture_head_write(again + n, size + 64 - n, &w, &h) != 0 || w != at - start ||
			memcmp(again + n, data + start, w) != 0)
			abort();
		at2 = 0;
		if (brop_capture_head_read(&h2, again + n, w, &at2) != 0 || at2 != w || h2.op != h.op ||
			h2.flags != h.flags || h2.registration != h.registration || h2.time != h.time)
			abort();
		n += w;
		for (unsigned i = 0; i < nvalues; i++)
		{
			start = at;
			if (brop_capture_value_read(&v, data, size, &at) != 0)
				goto done;
			if (at > size || (v.p != NULL && (v.p < data || (size_t) (v.p - data) + v.len > size)) ||
				brop_capture_value_write(again + n, size + 64 - n, &w, &v) != 0 || w != at - start ||
				memcmp(again + n, data + start, w) != 0)
				abort();
			at2 = 0;
			if (brop_capture_value_read(&v2, again + n, w, &at2) != 0 || at2 != w || v2.format != v.format ||
				v2.len != v.len || (v.len > 0 && memcmp(v2.p, v.p, v.len) != 0))
				abort();
			n += w;
		}
		if (h.flags & BROP_CAPTURE_SUBJECT)
		{
			start = at;
			if (brop_capture_subject_read(&s, &slen, data, size, &at) != 0)
				break;
			if (at > size || brop_capture_subject_write(again + n, size + 64 - n, &w, s, slen) != 0 ||
				w != at - start || memcmp(again + n, data + start, w) != 0)
				abort();
			at2 = 0;
			if (brop_capture_subject_read(&s2, &slen2, again + n, w, &at2) != 0 || slen2 != slen ||
				memcmp(s2, s, slen) != 0)
				abort();
			n += w;
		}
	}
done:
	if (n > size)
		abort();
	free(again);
	return 0;
}
