/*
 * test_plugin_line.c — brop_plugin_line.h: the output plugin's lines, a
 * row version's chain key and nonce. Known answers: the lines the 1.0
 * extension's plugin wrote for plugin_vectors.sql (plugin_vectors.h), each
 * rebuilt here from its fields, with brop_row.h's texts inside.
 */
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"
#include "plugin_vectors.h"

#define DID1 "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
#define T(s) {(s), sizeof(s) - 1}
#define NUL {NULL, 0}

static const char reg[] = "plug \"\303\251\" \360\237\230\200";

static void
check_line(const char *got, size_t len, int i)
{
	CHECK_STR(got, len, plugin_lines[i]);
}

TEST(plugin_fixed_lines)
{
	static const struct
	{
		int			line,
					commit_line;
		uint64_t	commit,
					end;
		int64_t		time;
		uint32_t	xid;
	}			begins[] = {
		{1, 3, 0x1772B50, 0x1772B80, INT64_C(1796656058426298), 763},
		{4, 7, 0x1772D08, 0x1772D38, INT64_C(1796656058460895), 764},
		{14, 16, 0x17739B8, 0x1773B28, INT64_C(1796656058490217), 767},
	};
	char		line[BROP_PLUGIN_LINE_MAX],
				lsn[BROP_LSN_TEXT_BYTES];
	size_t		n;
	char	   *t = NULL;

	CHECK_OK(brop_plugin_position_line(line, sizeof line, &n, 0x17724B0));
	check_line(line, n, 0);
	for (size_t i = 0; i < sizeof begins / sizeof begins[0]; i++)
	{
		CHECK_OK(brop_plugin_begin_line(line, sizeof line, &n, begins[i].commit, begins[i].end, begins[i].time,
										begins[i].xid));
		check_line(line, n, begins[i].line);
		CHECK_OK(brop_plugin_commit_line(line, sizeof line, &n, begins[i].commit, begins[i].end));
		check_line(line, n, begins[i].commit_line);
	}
	CHECK_OK(brop_plugin_truncate_line(&t, &n, 0x1773988, reg, sizeof reg - 1, NULL));
	check_line(t, n, 15);
	free(t);

	/* the longest begin line fits, a short buffer is refused */
	CHECK_OK(brop_plugin_begin_line(line, sizeof line, &n, UINT64_MAX, UINT64_MAX,
									INT64_C(253402300800000000) - 1, UINT32_MAX));
	CHECK_STR(line, n, "{\"type\":\"begin\",\"commit_lsn\":\"FFFFFFFF/FFFFFFFF\",\"end_lsn\":\"FFFFFFFF/FFFFFFFF\","
			  "\"commit_time\":\"9999-12-31T23:59:59.999999Z\",\"xid\":4294967295}");
	CHECK_ERR(brop_plugin_commit_line(line, BROP_PLUGIN_LINE_MAX - 1, &n, 1, 2), BROP_EBUFFER);
	CHECK_ERR(brop_plugin_begin_line(line, sizeof line, &n, 1, 2, INT64_MIN, 1), BROP_EOVERFLOW);
	CHECK_OK(brop_lsn_text(lsn, &n, UINT64_C(0x100000000)));
	CHECK_STR(lsn, n, "1/0");
	CHECK_ERR(brop_plugin_truncate_line(&t, &n, 1, "a\0b", 3, NULL), BROP_EINVAL);
}

TEST(plugin_registration_line)
{
	static const brop_row_text keys[] = {T("k\"")};
	static const brop_row_text cols[] = {T("k\""), T("v"), T("s")};
	brop_registration_fields r = {"register", reg, sizeof reg - 1, keys, 1, cols, 3, "s", 1, 3, "plugin"};
	char	   *h = NULL,
			   *line = NULL;
	size_t		hlen,
				n;

	CHECK_OK(brop_registration_format_header(&h, &hlen, &r, NULL));
	CHECK_OK(brop_plugin_registration_line(&line, &n, h, hlen, 0x17729E0, DID1, strlen(DID1), NULL));
	check_line(line, n, 2);
	free(line);
	line = NULL;
	CHECK_OK(brop_plugin_registration_line(&line, &n, h, hlen, 0x17729E0, NULL, 0, NULL));
	CHECK(strstr(line, "\"org\"") == NULL);
	free(line);
	free(h);
}

TEST(plugin_row_lines)
{
	static const brop_row_text names[] = {T("k\""), T("v"), T("s")};
	static const brop_row_text v1[] = {T("a\\b"), T("\342\200\250x"), T(DID1)};
	static const brop_row_text v2[] = {T("n"), NUL, NUL};
	static const brop_row_text v3[] = {T("n"), T("w"), NUL};
	static const struct
	{
		int			line;
		const brop_row_text *values;
		const char *op;
		uint64_t	lsn;
	}			rows[] = {
		{5, v1, "insert", 24587136}, {6, v2, "insert", 24587400}, {9, v3, "update", 24587576},
		{12, v3, "delete", 24587704},
	};
	unsigned char key[32],
				salt[32],
				digest[32],
				chain[16];

	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char) i;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
	{
		char	   *d = NULL,
				   *k = NULL,
				   *h = NULL,
				   *line = NULL,
					ver[24];
		size_t		dlen,
					klen,
					hlen,
					n;
		brop_plugin_row pr;

		CHECK_OK(brop_row_document(&d, &dlen, names, rows[i].values, 3, NULL));
		CHECK_OK(brop_row_key(&k, &klen, rows[i].values, 1, NULL));
		snprintf(ver, sizeof ver, "%llu", (unsigned long long) rows[i].lsn);
		CHECK_OK(brop_row_salt(salt, key, reg, sizeof reg - 1, k, klen, ver, strlen(ver)));
		CHECK_OK(brop_row_digest(digest, salt, d, dlen));
		CHECK_OK(brop_row_chain_id(chain, key, reg, sizeof reg - 1, k, klen));
		CHECK_OK(brop_row_header(&h, &hlen, rows[i].op, reg, sizeof reg - 1, d, dlen, salt, rows[i].lsn, NULL));
		memset(&pr, 0, sizeof pr);
		pr.registration = reg;
		pr.registration_len = sizeof reg - 1;
		pr.chain_id = chain;
		pr.header = h;
		pr.header_len = hlen;
		pr.version = rows[i].lsn;
		pr.org = DID1;
		pr.org_len = strlen(DID1);
		pr.payload_digest = digest;
		if (rows[i].values[2].text != NULL)
		{
			pr.subject = rows[i].values[2].text;
			pr.subject_len = rows[i].values[2].len;
		}
		CHECK_OK(brop_plugin_row_line(&line, &n, &pr, NULL));
		check_line(line, n, rows[i].line);
		/* the same bytes written into the caller's buffer: its bound, the exact room, one byte short */
		{
			size_t		max = brop_plugin_row_line_max(&pr),
						m = 0;
			char	   *buf = malloc(max);

			CHECK(max > n && max < n + 6 * 200 + 512);
			CHECK_OK(brop_plugin_row_line_into(buf, max, &m, &pr));
			CHECK(m == n && memcmp(buf, line, n) == 0 && buf[n] == '\0');
			CHECK_OK(brop_plugin_row_line_into(buf, n + 1, &m, &pr));
			CHECK(m == n && memcmp(buf, line, n) == 0);
			CHECK_ERR(brop_plugin_row_line_into(buf, n, &m, &pr), BROP_EBUFFER);
			CHECK_ERR(brop_plugin_row_line_into(buf, 40, &m, &pr), BROP_EBUFFER);
			pr.header_len = 1;
			CHECK_ERR(brop_plugin_row_line_into(buf, max, &m, &pr), BROP_EINVAL);
			pr.header_len = hlen;
			free(buf);
		}
		free(line);
		free(h);
		free(d);
		free(k);
	}
}

TEST(plugin_chain_key_and_nonce)
{
	unsigned char id[16];
	char	   *ck = NULL,
				nonce[BROP_ROW_NONCE_BYTES];
	size_t		n;

	for (int i = 0; i < 16; i++)
		id[i] = (unsigned char) (0xf0 + i);
	CHECK_OK(brop_row_chain_key(&ck, &n, "a:b\"", 4, id, NULL));
	CHECK_STR(ck, n, "row:a:b\":f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	free(ck);
	CHECK_OK(brop_row_nonce(nonce, &n, id, UINT64_MAX));
	CHECK_STR(nonce, n, "row-f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff-18446744073709551615");
	CHECK(n + 1 == BROP_ROW_NONCE_BYTES);
	CHECK_ERR(brop_row_chain_key(&ck, &n, "a\0", 2, id, NULL), BROP_EINVAL);
}
