/*
 * row_document.c — the JSON texts of registered rows (brop_row.h;
 * docs/formats.md, "Row digests"): a row's document D and key K, the
 * header of a row version's entry, and the header of a registration's
 * entry. Each is RFC 8785 text, written directly (the member names of the
 * headers are ASCII, so their order is fixed here).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "brop_row.h"

#define MAX_SAFE_INTEGER UINT64_C(9007199254740991)

typedef struct member
{
	const char *name;
	size_t		len;
	size_t		index;
} member;

static int
member_order(const void *a, const void *b)
{
	const member *x = a;
	const member *y = b;

	return brop_jcs_key_compare(x->name, x->len, y->name, y->len);
}

/* a name: UTF-8 without NUL (PostgreSQL names and texts cannot hold one; jansson's names neither) */
static int
name_token(brop__str *s, const char *p, size_t len)
{
	if (p == NULL || memchr(p, 0, len) != NULL)
		return BROP_EINVAL;
	return brop__str_jcs_string(s, p, len);
}

static void
value_token(brop__str *s, const brop_row_text *v, int *rc)
{
	if (*rc != 0)
		return;
	if (v->text == NULL)
		brop__str_add(s, "null", 4);
	else
		*rc = brop__str_jcs_string(s, v->text, v->len);
}

struct brop_row_layout
{
	size_t		n;
	size_t	   *order;			/* order[i]: the index in names of the i-th member in RFC 8785 order */
	size_t	   *token_end;		/* member i's token ends at tokens[token_end[i]] (starts at the previous end) */
	char	   *tokens;			/* "name": per member in order, each after the first led by a comma */
	size_t		tokens_len;
};

int
brop_row_layout_new(brop_row_layout **out, const brop_row_text *names, size_t n, const brop_allocator *a)
{
	brop_row_layout *l;
	brop__str	t = {.a = a};
	member	   *m;
	int			rc = BROP_OK;

	if (out == NULL || (n > 0 && names == NULL) || n > SIZE_MAX / (sizeof *m + 2 * sizeof(size_t)))
		return BROP_EINVAL;
	*out = NULL;
	for (size_t i = 0; i < n; i++)
		if (names[i].text == NULL)
			return BROP_EINVAL;
	m = malloc((n ? n : 1) * sizeof *m);
	l = brop__alloc(a, sizeof *l + (n ? n : 1) * 2 * sizeof(size_t));
	if (m == NULL || l == NULL)
	{
		free(m);
		brop__dealloc(a, l);
		return BROP_ENOMEM;
	}
	l->n = n;
	l->order = (size_t *) (l + 1);
	l->token_end = l->order + (n ? n : 1);
	for (size_t i = 0; i < n; i++)
	{
		m[i].name = names[i].text;
		m[i].len = names[i].len;
		m[i].index = i;
	}
	qsort(m, n, sizeof *m, member_order);
	for (size_t i = 0; i < n && rc == 0; i++)
	{
		if (i > 0 && member_order(&m[i - 1], &m[i]) == 0)
			rc = BROP_EDUPKEY;
		else
		{
			if (i > 0)
				brop__str_add(&t, ",", 1);
			rc = name_token(&t, m[i].name, m[i].len);
			brop__str_add(&t, ":", 1);
		}
		l->order[i] = m[i].index;
		l->token_end[i] = t.len;
	}
	free(m);
	l->tokens_len = t.len;
	if (rc == 0)
		rc = brop__str_finish(&t, &l->tokens, NULL, a);
	else
		brop__str_free(&t);
	if (rc != 0)
	{
		brop__dealloc(a, l);
		return rc;
	}
	*out = l;
	return BROP_OK;
}

void
brop_row_layout_free(brop_row_layout *l, const brop_allocator *a)
{
	if (l == NULL)
		return;
	brop__dealloc(a, l->tokens);
	brop__dealloc(a, l);
}

int
brop_row_layout_document(char **out, size_t *outlen, const brop_row_layout *l, const brop_row_text *values,
						 const brop_allocator *a)
{
	brop__str	s = {.a = a};
	size_t		need = 2,
				from = 0;
	int			rc = BROP_OK;

	if (out == NULL || outlen == NULL || l == NULL || (l->n > 0 && values == NULL))
		return BROP_EINVAL;
	/* room for the usual case (no escapes) at once */
	need += l->tokens_len;
	for (size_t i = 0; i < l->n; i++)
		need += values[i].text == NULL ? 4 : values[i].len + 2;
	(void) brop__str_reserve(&s, need);
	brop__str_add(&s, "{", 1);
	for (size_t i = 0; i < l->n && rc == 0; i++)
	{
		brop__str_add(&s, l->tokens + from, l->token_end[i] - from);
		from = l->token_end[i];
		value_token(&s, &values[l->order[i]], &rc);
	}
	brop__str_add(&s, "}", 1);
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}

int
brop_row_document(char **out, size_t *outlen, const brop_row_text *names, const brop_row_text *values,
				  size_t n, const brop_allocator *a)
{
	brop_row_layout *l;
	int			rc;

	if (out == NULL || outlen == NULL || (n > 0 && (names == NULL || values == NULL)))
		return BROP_EINVAL;
	if ((rc = brop_row_layout_new(&l, names, n, NULL)) != 0)
		return rc;
	rc = brop_row_layout_document(out, outlen, l, values, a);
	brop_row_layout_free(l, NULL);
	return rc;
}

int
brop_row_key(char **out, size_t *outlen, const brop_row_text *values, size_t n, const brop_allocator *a)
{
	brop__str	s = {.a = a};
	int			rc = BROP_OK;

	if (out == NULL || outlen == NULL || n == 0 || values == NULL)
		return BROP_EINVAL;
	brop__str_add(&s, "[", 1);
	for (size_t i = 0; i < n && rc == 0; i++)
	{
		if (values[i].text == NULL)
			rc = BROP_EINVAL;	/* key columns are never null */
		if (i > 0)
			brop__str_add(&s, ",", 1);
		value_token(&s, &values[i], &rc);
	}
	brop__str_add(&s, "]", 1);
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}

int
brop_row_header(char **out, size_t *outlen, const char *op, const char *registration, size_t registration_len,
				const char *document, size_t document_len, const unsigned char salt[BROP_ROW_SALT_BYTES],
				uint64_t version, const brop_allocator *a)
{
	brop__str	s = {.a = a};
	char		v[24];
	size_t		vlen = 0;
	int			rc;

	if (out == NULL || outlen == NULL || op == NULL || registration == NULL ||
		(strcmp(op, "insert") != 0 && strcmp(op, "update") != 0 && strcmp(op, "delete") != 0 &&
		 strcmp(op, "existing") != 0) ||
		(document != NULL && (salt == NULL || document_len < 2 || document[0] != '{' ||
							  document[document_len - 1] != '}')))
		return BROP_EINVAL;
	if (version < 1 || version > MAX_SAFE_INTEGER)
		return BROP_EOVERFLOW;
	for (uint64_t x = version; x > 0; x /= 10)
		vlen++;
	for (size_t i = vlen; i > 0; i--, version /= 10)
		v[i - 1] = (char) ('0' + version % 10);
	if (registration_len < SIZE_MAX / 4 && document_len < SIZE_MAX / 4)
		(void) brop__str_reserve(&s, registration_len + (document != NULL ? document_len : 0) + 128);
	brop__str_lit(&s, "{\"op\":\"");
	brop__str_adds(&s, op);
	brop__str_lit(&s, "\",\"registration\":");
	rc = name_token(&s, registration, registration_len);
	if (rc == 0 && document != NULL)
	{
		brop__str_lit(&s, ",\"row\":");
		brop__str_add(&s, document, document_len);
		brop__str_lit(&s, ",\"salt\":\"");
		brop__str_b64url(&s, salt, BROP_ROW_SALT_BYTES);
		brop__str_add(&s, "\"", 1);
	}
	brop__str_lit(&s, ",\"version\":");
	brop__str_add(&s, v, vlen);
	brop__str_add(&s, "}", 1);
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}

static void
text_array(brop__str *s, const brop_row_text *t, size_t n, int *rc)
{
	brop__str_add(s, "[", 1);
	for (size_t i = 0; i < n && *rc == 0; i++)
	{
		if (i > 0)
			brop__str_add(s, ",", 1);
		*rc = name_token(s, t[i].text, t[i].len);
	}
	brop__str_add(s, "]", 1);
}

int
brop_registration_format_header(char **out, size_t *outlen, const brop_registration_fields *r, const brop_allocator *a)
{
	brop__str	s = {0};
	char		p[16];
	int			rc;

	if (out == NULL || outlen == NULL || r == NULL || r->op == NULL || r->name == NULL || r->capture == NULL ||
		r->ncolumns == 0 || r->nkey_columns == 0 || r->columns == NULL || r->key_columns == NULL ||
		r->profile < 1 || r->profile > 3)
		return BROP_EINVAL;
	brop__str_lit(&s, "{\"capture\":");
	rc = brop__str_jcs_string(&s, r->capture, strlen(r->capture));
	brop__str_lit(&s, ",\"columns\":");
	text_array(&s, r->columns, r->ncolumns, &rc);
	brop__str_lit(&s, ",\"key_columns\":");
	text_array(&s, r->key_columns, r->nkey_columns, &rc);
	brop__str_lit(&s, ",\"op\":");
	if (rc == 0)
		rc = brop__str_jcs_string(&s, r->op, strlen(r->op));
	p[0] = (char) ('0' + r->profile);
	brop__str_lit(&s, ",\"profile\":");
	brop__str_add(&s, p, 1);
	brop__str_lit(&s, ",\"registration\":");
	if (rc == 0)
		rc = name_token(&s, r->name, r->name_len);
	brop__str_lit(&s, ",\"subject_column\":");
	if (r->subject_column == NULL)
		brop__str_add(&s, "null", 4);
	else if (rc == 0)
		rc = name_token(&s, r->subject_column, r->subject_column_len);
	brop__str_add(&s, "}", 1);
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}
