/*
 * test_row_document.c — brop_row.h's texts: a row's document and key, the
 * header of a row version's entry, the header of a registration's entry.
 * Known answers: docs/formats.md's worked example, and what the 1.0
 * extension made of a table with awkward names and values (row_vectors.h,
 * from row_vectors.sql): the digests and chain ids recomputed from the
 * core's texts equal the extension's, so the texts are the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"
#include "row_vectors.h"

#define T(s) {(s), sizeof(s) - 1}
#define NUL {NULL, 0}

static const brop_row_text fmt_names[] = {
	T("\360\237\230\200"), T("\357\275\241"), T("a"), T("Z"), T("\303\251"), T(" "), T("q\"\\"), T("n"),
	T("k \303\251")
};

TEST(row_document_docs_example)
{
	static const brop_row_text names[] = {T("student"), T("name"), T("grade"), T("year")};
	static const brop_row_text v1[] = {T("2026-0042"), T("Ada Lovelace"), T("A"), NUL};
	static const brop_row_text v2[] = {T("2026-0042"), T("Ada Lovelace"), T("A+"), T("2026")};
	unsigned char key[32],
				salt[32],
				digest[32],
				chain[16];
	char	   *d = NULL,
			   *k = NULL;
	size_t		dlen,
				klen;

	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char) i;
	CHECK_OK(brop_row_key(&k, &klen, v1, 1, NULL));
	CHECK_STR(k, klen, "[\"2026-0042\"]");
	CHECK_OK(brop_row_document(&d, &dlen, names, v1, 4, NULL));
	CHECK_STR(d, dlen, "{\"grade\":\"A\",\"name\":\"Ada Lovelace\",\"student\":\"2026-0042\",\"year\":null}");
	CHECK_OK(brop_row_salt(salt, key, "university.students", 19, k, klen, "1", 1));
	CHECK_HEX(salt, 32, "c252cb8224b05212c063ae25e913d898ff74292a1a872d7b66a1e481bdb5b95b");
	CHECK_OK(brop_row_digest(digest, salt, d, dlen));
	CHECK_HEX(digest, 32, "a9b8e31339ca24c788ebdd63a8463840a70c8212d67d2bdde47476ad1c611fc6");
	free(d);
	d = NULL;
	CHECK_OK(brop_row_document(&d, &dlen, names, v2, 4, NULL));
	CHECK_STR(d, dlen, "{\"grade\":\"A+\",\"name\":\"Ada Lovelace\",\"student\":\"2026-0042\",\"year\":\"2026\"}");
	CHECK_OK(brop_row_salt(salt, key, "university.students", 19, k, klen, "2", 1));
	CHECK_OK(brop_row_digest(digest, salt, d, dlen));
	CHECK_HEX(digest, 32, "9b7a126830bac2f62d92312c5da1e66d04eb2b93466eb724874ed0730fd68c94");
	CHECK_OK(brop_row_chain_id(chain, key, "university.students", 19, k, klen));
	CHECK_HEX(chain, 16, "ca6518390d1ffca07770adb52116aea7");
	free(d);
	free(k);
}

/* The extension's entries of fmt_rows: headers, digests and chain ids from the core's texts. */
TEST(row_document_extension_known_answers)
{
	static const brop_row_text row1[] = {
		T("\342\200\250\\"), T("\360\235\204\236"), NUL, T("-7"), T("\303\251"), T(" "), T("\001\037\177"),
		T("1.50"), T("key\t\"1\"")
	};
	static const brop_row_text row2[] = {NUL, NUL, T("plain"), T("0"), NUL, NUL, NUL, NUL, T("")};
	static const brop_row_text row3[] = {NUL, NUL, T("changed"), T("0"), NUL, NUL, NUL, NUL, T("")};
	static const struct
	{
		const brop_row_text *values;
		const char *op;
		uint64_t	version;
	}			v[] = {{row1, "insert", 1}, {row2, "insert", 1}, {row3, "update", 2}, {row3, "delete", 3}};
	static const char reg[] = "fmt \"rows\" \303\251";
	unsigned char key[32],
				salt[32],
				digest[32],
				chain[16];

	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char) i;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
	{
		brop_row_text kv[2] = {v[i].values[8], v[i].values[3]};	/* "k é", "Z" */
		char	   *d = NULL,
				   *k = NULL,
				   *h = NULL,
					ver[8];
		size_t		dlen,
					klen,
					hlen;

		CHECK_OK(brop_row_document(&d, &dlen, fmt_names, v[i].values, 9, NULL));
		CHECK_OK(brop_row_key(&k, &klen, kv, 2, NULL));
		snprintf(ver, sizeof ver, "%u", (unsigned) v[i].version);
		CHECK_OK(brop_row_salt(salt, key, reg, sizeof reg - 1, k, klen, ver, strlen(ver)));
		CHECK_OK(brop_row_header(&h, &hlen, v[i].op, reg, sizeof reg - 1, d, dlen, salt, v[i].version, NULL));
		CHECK_STR(h, hlen, row_versions[i].header);
		CHECK_OK(brop_row_digest(digest, salt, d, dlen));
		CHECK_HEX(digest, 32, row_versions[i].digest);
		CHECK_OK(brop_row_chain_id(chain, key, reg, sizeof reg - 1, k, klen));
		CHECK_HEX(chain, 16, row_versions[i].chain_hex);
		free(h);
		/* profile 1: no row, no salt */
		h = NULL;
		CHECK_OK(brop_row_header(&h, &hlen, v[i].op, reg, sizeof reg - 1, NULL, 0, NULL, v[i].version, NULL));
		CHECK(strstr(h, "\"row\"") == NULL && strstr(h, "\"salt\"") == NULL &&
			  strncmp(h, "{\"op\":\"", 7) == 0);
		free(h);
		free(d);
		free(k);
	}
}

TEST(row_registration_header_extension)
{
	static const brop_row_text keys[] = {T("k \303\251"), T("Z")};
	static const char name[] = "fmt \"rows\" \303\251";
	brop_registration_fields r = {"register", name, sizeof name - 1, keys, 2, fmt_names, 9, NULL, 0, 3, "trigger"};
	char	   *h = NULL;
	size_t		hlen;
	unsigned char digest[32];

	CHECK_OK(brop_registration_format_header(&h, &hlen, &r, NULL));
	CHECK_STR(h, hlen, row_reg_header);
	CHECK_OK(brop_sha256(digest, (const unsigned char *) h, hlen));
	CHECK_HEX(digest, 32, row_reg_digest);
	free(h);
	h = NULL;
	r.subject_column = "holder";
	r.subject_column_len = 6;
	r.op = "unregister";
	r.capture = "plugin";
	r.profile = 1;
	CHECK_OK(brop_registration_format_header(&h, &hlen, &r, NULL));
	CHECK(strstr(h, ",\"op\":\"unregister\",\"profile\":1,") != NULL);
	CHECK(strstr(h, "\"subject_column\":\"holder\"}") != NULL);
	CHECK(strncmp(h, "{\"capture\":\"plugin\",", 20) == 0);
	free(h);
	r.profile = 4;
	CHECK_ERR(brop_registration_format_header(&h, &hlen, &r, NULL), BROP_EINVAL);
	r.profile = 1;
	r.ncolumns = 0;
	CHECK_ERR(brop_registration_format_header(&h, &hlen, &r, NULL), BROP_EINVAL);
}

TEST(row_document_edges)
{
	static const brop_row_text dup[] = {T("a"), T("b"), T("a")};
	static const brop_row_text vals[] = {T("1"), T("2"), T("3")};
	static const brop_row_text bad[] = {{"\xff", 1}};
	static const brop_row_text order[] = {T("\357\275\241"), T("\360\237\230\200"), T("b"), T("B"), T(""), T("aa"), T("a")};
	static const brop_row_text ovals[] = {T("1"), T("2"), T("3"), T("4"), T("5"), T("6"), T("7")};
	static const brop_row_text nulls[] = {NUL};
	char	   *d = NULL;
	size_t		dlen;
	unsigned char salt[32] = {0};

	CHECK_ERR(brop_row_document(&d, &dlen, dup, vals, 3, NULL), BROP_EDUPKEY);
	CHECK(d == NULL);
	CHECK_ERR(brop_row_document(&d, &dlen, bad, vals, 1, NULL), BROP_EENCODING);
	CHECK_ERR(brop_row_document(&d, &dlen, vals, bad, 1, NULL), BROP_EENCODING);
	CHECK_ERR(brop_row_document(&d, &dlen, nulls, vals, 1, NULL), BROP_EINVAL);
	/* UTF-16 order: "" < "B" < "a" < "aa" < "b" < U+1F600 (D83D) < U+FF61 */
	CHECK_OK(brop_row_document(&d, &dlen, order, ovals, 7, NULL));
	CHECK_STR(d, dlen, "{\"\":\"5\",\"B\":\"4\",\"a\":\"7\",\"aa\":\"6\",\"b\":\"3\",\"\360\237\230\200\":\"2\",\"\357\275\241\":\"1\"}");
	free(d);
	d = NULL;
	CHECK_OK(brop_row_document(&d, &dlen, NULL, NULL, 0, NULL));
	CHECK_STR(d, dlen, "{}");
	free(d);
	d = NULL;
	CHECK_ERR(brop_row_key(&d, &dlen, nulls, 1, NULL), BROP_EINVAL);
	CHECK_ERR(brop_row_key(&d, &dlen, vals, 0, NULL), BROP_EINVAL);
	CHECK_ERR(brop_row_header(&d, &dlen, "upsert", "r", 1, NULL, 0, NULL, 1, NULL), BROP_EINVAL);
	CHECK_ERR(brop_row_header(&d, &dlen, "insert", "r", 1, "{}", 2, NULL, 1, NULL), BROP_EINVAL);
	CHECK_ERR(brop_row_header(&d, &dlen, "insert", "r", 1, "[]", 2, salt, 1, NULL), BROP_EINVAL);
	CHECK_ERR(brop_row_header(&d, &dlen, "insert", "r", 1, NULL, 0, NULL, 0, NULL), BROP_EOVERFLOW);
	CHECK_ERR(brop_row_header(&d, &dlen, "insert", "r", 1, NULL, 0, NULL, UINT64_C(9007199254740992), NULL),
			  BROP_EOVERFLOW);
	CHECK_OK(brop_row_header(&d, &dlen, "delete", "r", 1, NULL, 0, NULL, UINT64_C(9007199254740991), NULL));
	CHECK_STR(d, dlen, "{\"op\":\"delete\",\"registration\":\"r\",\"version\":9007199254740991}");
	free(d);
	d = NULL;
	/* a row the table held when it was registered */
	CHECK_OK(brop_row_header(&d, &dlen, "existing", "r", 1, NULL, 0, NULL, 1, NULL));
	CHECK_STR(d, dlen, "{\"op\":\"existing\",\"registration\":\"r\",\"version\":1}");
	free(d);
	d = NULL;
	CHECK_ERR(brop_row_header(&d, &dlen, "exist", "r", 1, NULL, 0, NULL, 1, NULL), BROP_EINVAL);
	CHECK(d == NULL);
}

/* an allocator that counts its live blocks, to see that nothing leaks and texts are handed over */
static void *
counting_realloc(void *ctx, void *p, size_t n)
{
	if (p == NULL)
		++*(int *) ctx;
	return realloc(p, n);
}

static void
counting_free(void *ctx, void *p)
{
	if (p != NULL)
		--*(int *) ctx;
	free(p);
}

TEST(row_layout)
{
	static const brop_row_text dup[] = {T("a"), T("b"), T("a")};
	static const brop_row_text nulls[] = {T("a"), NUL};
	static const brop_row_text bad[] = {{"\xff", 1}};
	static const brop_row_text row1[] = {
		T("\342\200\250\\"), T("\360\235\204\236"), NUL, T("-7"), T("\303\251"), T(" "), T("\001\037\177"),
		T("1.50"), T("key\t\"1\"")
	};
	static const brop_row_text badrow[] = {NUL, NUL, {"\xc3(", 2}, NUL, NUL, NUL, NUL, NUL, NUL};
	int			live = 0;
	brop_allocator a = {counting_realloc, counting_free, &live};
	brop_row_layout *l = NULL;
	brop_row_text big[9];
	char	   *d = NULL,
			   *e = NULL,
			   *long_text = malloc(100001);
	size_t		dlen,
				elen;

	CHECK_ERR(brop_row_layout_new(&l, dup, 3, &a), BROP_EDUPKEY);
	CHECK(l == NULL && live == 0);
	CHECK_ERR(brop_row_layout_new(&l, nulls, 2, &a), BROP_EINVAL);
	CHECK_ERR(brop_row_layout_new(&l, bad, 1, &a), BROP_EENCODING);
	CHECK(l == NULL && live == 0);

	/* the same text as brop_row_document, built where it is handed out (one block) */
	CHECK_OK(brop_row_layout_new(&l, fmt_names, 9, &a));
	CHECK(live == 2);
	CHECK_OK(brop_row_layout_document(&d, &dlen, l, row1, &a));
	CHECK(live == 3);
	CHECK_OK(brop_row_document(&e, &elen, fmt_names, row1, 9, NULL));
	CHECK_STR(d, dlen, e);
	counting_free(&live, d);
	free(e);
	d = e = NULL;

	/* values far past the first block, and escapes in them */
	for (int i = 0; i < 100000; i++)
		long_text[i] = "ab\"\\\n\001\303\251"[i % 8];
	long_text[99998] = 'y';		/* the last é replaced whole */
	long_text[99999] = 'z';
	for (int i = 0; i < 9; i++)
	{
		big[i].text = i % 2 ? long_text : NULL;
		big[i].len = i % 2 ? 100000 : 0;
	}
	CHECK_OK(brop_row_layout_document(&d, &dlen, l, big, &a));
	CHECK_OK(brop_row_document(&e, &elen, fmt_names, big, 9, NULL));
	CHECK_STR(d, dlen, e);
	CHECK(live == 3);
	counting_free(&live, d);
	free(e);

	/* a value that is not UTF-8: refused, nothing left behind */
	d = NULL;
	CHECK_ERR(brop_row_layout_document(&d, &dlen, l, badrow, &a), BROP_EENCODING);
	CHECK(d == NULL && live == 2);
	CHECK_ERR(brop_row_layout_document(&d, &dlen, NULL, row1, &a), BROP_EINVAL);
	brop_row_layout_free(l, &a);
	CHECK(live == 0);

	/* no members */
	CHECK_OK(brop_row_layout_new(&l, NULL, 0, &a));
	CHECK_OK(brop_row_layout_document(&d, &dlen, l, NULL, &a));
	CHECK_STR(d, dlen, "{}");
	counting_free(&live, d);
	brop_row_layout_free(l, &a);
	CHECK(live == 0);
	free(long_text);
}
