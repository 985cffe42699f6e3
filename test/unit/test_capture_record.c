/*
 * test_capture_record.c — brop_capture_record.h: the capture queue's
 * records. Known answer: a chunk the 1.0 extension sealed
 * (capture_vectors.h, from capture_vectors.sql), opened with the core's
 * queue key, read with the core's reader and written again with its writer
 * to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "brop_capture_record.h"
#include "unit.h"
#include "capture_vectors.h"

#define DID1 "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
#define NVALUES 11				/* b d f4 f8 id iv s t ts tz u: the columns in RFC 8785 order */

TEST(capture_record_extension_chunk)
{
	unsigned char salt_key[32],
				qkey[BROP_ROW_QUEUE_KEY_BYTES],
				ad[BROP_CAPTURE_AD_BYTES],
				box[512],
				recs[512],
				again[512];
	brop_hmac_sha256_key k;
	size_t		boxlen = unit_unhex(box, sizeof box, capture_box_hex),
				len,
				at = 0,
				n = 0,
				w;
	static const char ops[] = "iiud";
	int			r = 0;

	for (int i = 0; i < 32; i++)
		salt_key[i] = (unsigned char) i;
	CHECK_OK(brop_hmac_sha256_key_init(&k, salt_key, sizeof salt_key));
	CHECK_OK(brop_row_queue_key(qkey, &k));
	brop_capture_chunk_ad(ad, CAPTURE_XID, CAPTURE_CHUNK);
	len = boxlen - BROP_ROW_QUEUE_OVERHEAD;
	CHECK_OK(brop_row_queue_open(recs, qkey, ad, sizeof ad, box, boxlen));
	while (at < len && r < 8)
	{
		brop_capture_head h;
		brop_capture_value v[NVALUES];
		const char *subject = NULL;
		size_t		subject_len = 0;

		CHECK_OK(brop_capture_head_read(&h, recs, len, &at));
		CHECK(h.op == ops[r]);
		if (r == 0)
			CHECK(h.flags == (BROP_CAPTURE_NEW_REGISTRATION | BROP_CAPTURE_NEW_TIME | BROP_CAPTURE_SUBJECT) &&
				  h.registration == CAPTURE_REGISTRATION);
		else
			CHECK((h.flags & (BROP_CAPTURE_NEW_REGISTRATION | BROP_CAPTURE_SUBJECT)) == 0);
		CHECK_OK(brop_capture_head_write(again + n, sizeof again - n, &w, &h));
		n += w;
		for (int i = 0; i < NVALUES; i++)
		{
			CHECK_OK(brop_capture_value_read(&v[i], recs, len, &at));
			CHECK_OK(brop_capture_value_write(again + n, sizeof again - n, &w, &v[i]));
			n += w;
		}
		if (h.flags & BROP_CAPTURE_SUBJECT)
		{
			CHECK_OK(brop_capture_subject_read(&subject, &subject_len, recs, len, &at));
			CHECK_OK(brop_capture_subject_write(again + n, sizeof again - n, &w, subject, subject_len));
			n += w;
		}
		if (r == 0)
		{
			CHECK(v[0].format == BROP_CAPTURE_BYTEA);
			CHECK_HEX(v[0].p, v[0].len, "00ff5c22");
			CHECK(v[1].format == BROP_CAPTURE_DATE && v[2].format == BROP_CAPTURE_FLOAT4 &&
				  v[3].format == BROP_CAPTURE_FLOAT8 && v[5].format == BROP_CAPTURE_INTERVAL &&
				  v[8].format == BROP_CAPTURE_TIMESTAMP && v[9].format == BROP_CAPTURE_TIMESTAMPTZ);
			CHECK(v[4].format == BROP_CAPTURE_TEXT && v[4].len == 1 && v[4].p[0] == '1');
			CHECK(v[6].format == BROP_CAPTURE_TEXT && v[6].len == strlen(DID1));
			CHECK(v[7].format == BROP_CAPTURE_TEXT && v[7].len == 4 && memcmp(v[7].p, "\303\251\n\"", 4) == 0);
			CHECK(v[10].format == BROP_CAPTURE_UUID);
			CHECK_HEX(v[10].p, v[10].len, "a0eebc999c0b4ef8bb6d6bb9bd380a11");
			CHECK_HEX(v[1].p, 4, "0000262a");	/* 2026-10-01: day 9770 since 2000-01-01 */
			CHECK(subject_len == strlen(DID1) && memcmp(subject, DID1, subject_len) == 0);
		}
		if (r == 1)
		{
			CHECK(v[0].format == BROP_CAPTURE_BYTEA && v[0].len == 0);
			CHECK_HEX(v[9].p, 8, "7fffffffffffffff");	/* infinity */
			CHECK_HEX(v[1].p, 4, "80000000");	/* -infinity */
			CHECK(v[10].format == BROP_CAPTURE_NULL && v[8].format == BROP_CAPTURE_NULL);
		}
		r++;
	}
	CHECK(r == 4 && at == len);
	CHECK(n == len && memcmp(again, recs, len) == 0);
}

TEST(capture_record_refusals)
{
	unsigned char out[64];
	size_t		n,
				at;
	brop_capture_head h = {'x', 0, 0, 0};
	brop_capture_value v = {BROP_CAPTURE_DATE, (const unsigned char *) "abc", 3};
	static const unsigned char nonminimal[] = {'i', 0, 0x80, 0x00};
	static const unsigned char badfmt[] = {'i', 0, 9 << 1};
	static const unsigned char cut[] = {'i', BROP_CAPTURE_NEW_TIME, 1, 2};
	static const unsigned char longtext[] = {(5 << 1) | 1, 'a'};

	CHECK_ERR(brop_capture_head_write(out, sizeof out, &n, &h), BROP_EINVAL);
	h.op = 'i';
	h.flags = 0x08;
	CHECK_ERR(brop_capture_head_write(out, sizeof out, &n, &h), BROP_EINVAL);
	h.flags = BROP_CAPTURE_NEW_REGISTRATION;
	h.registration = UINT64_MAX;
	CHECK_ERR(brop_capture_head_write(out, sizeof out, &n, &h), BROP_EOVERFLOW);
	CHECK_ERR(brop_capture_head_write(out, BROP_CAPTURE_HEAD_MAX - 1, &n, &h), BROP_EBUFFER);
	CHECK_ERR(brop_capture_value_write(out, sizeof out, &n, &v), BROP_EINVAL);	/* a date is 4 bytes */
	v.format = 9;
	CHECK_ERR(brop_capture_value_write(out, sizeof out, &n, &v), BROP_EINVAL);
	v.format = BROP_CAPTURE_TEXT;
	CHECK_ERR(brop_capture_value_write(out, 3, &n, &v), BROP_EBUFFER);
	CHECK_OK(brop_capture_value_write(out, sizeof out, &n, &v));
	CHECK_HEX(out, n, "07616263");
	at = 0;
	CHECK_OK(brop_capture_head_read(&h, nonminimal, sizeof nonminimal, &at));
	{
		brop_capture_value r;

		CHECK_ERR(brop_capture_value_read(&r, nonminimal, sizeof nonminimal, &at), BROP_EENCODING);
		at = 2;
		CHECK_ERR(brop_capture_value_read(&r, badfmt, sizeof badfmt, &at), BROP_EENCODING);
		at = 0;
		CHECK_ERR(brop_capture_value_read(&r, longtext, sizeof longtext, &at), BROP_EENCODING);
	}
	at = 0;
	CHECK_ERR(brop_capture_head_read(&h, cut, sizeof cut, &at), BROP_EENCODING);
	at = 0;
	CHECK_ERR(brop_capture_head_read(&h, (const unsigned char *) "q\0", 2, &at), BROP_EENCODING);
	/* 'e': a row the table held when it was registered, written and read back */
	h.op = BROP_CAPTURE_EXISTING;
	h.flags = 0;
	CHECK_OK(brop_capture_head_write(out, sizeof out, &n, &h));
	CHECK_HEX(out, n, "6500");
	at = 0;
	CHECK_OK(brop_capture_head_read(&h, out, n, &at));
	CHECK(h.op == BROP_CAPTURE_EXISTING && at == 2);
}
