/*
 * jcs.c — RFC 8785 JSON Canonicalization Scheme: parse with jansson, then
 * write the value back in canonical form.
 *
 * jansson flags (json_loadb):
 *   JSON_DECODE_ANY          any value at the top, not just objects and
 *                            arrays (RFC 8259 section 2).
 *   JSON_REJECT_DUPLICATES   a name twice in one object is an error, also
 *                            when the two are spelled with different escapes
 *                            (RFC 8785 section 3.1, I-JSON) -> BROP_EDUPKEY.
 *   JSON_DECODE_INT_AS_REAL  every number is read by strtod into a double,
 *                            integers too, as ECMAScript reads them; a
 *                            literal beyond the double range (1e400, a
 *                            400-digit integer) is jansson's "numeric
 *                            overflow" -> BROP_ENUMBER. Literals too small
 *                            for a double read as 0, as in ECMAScript.
 *   JSON_ALLOW_NUL           "\u0000" is a valid string (it comes out as
 *                            "\u0000"). jansson 2.14 still refuses it inside
 *                            a member name: that is BROP_EJSON.
 * Not set: JSON_DISABLE_EOF_CHECK (anything after the value but white space
 * is an error). jansson itself rejects invalid UTF-8 (overlong forms,
 * encoded surrogates, code points past U+10FFFF), lone surrogate escapes,
 * raw control characters in strings, and nesting deeper than 2048, which
 * also bounds the recursion below.
 *
 * Writing: members sorted by the UTF-16 code units of their names; strings
 * escaped as ECMAScript JSON.stringify does (only '"', '\\' and the C0
 * controls; \b \f \n \r \t short, the others \u00xx in lower case);
 * numbers by brop_jcs_format_number; no white space.
 *
 * Cancelling: with a brop_cancel, the text is fed to jansson through
 * json_load_callback in pieces of at most JCS_READ_CHUNK bytes, the callback
 * asked before each; the writer asks it every JCS_CANCEL_STEPS values and
 * string chunks. Either way a cancel returns BROP_ECANCELED, all memory
 * freed. Without one, json_loadb reads the text in one piece.
 *
 * The output is built in one buffer from the caller's allocator, grown by
 * doubling. The allocator must return NULL on failure rather than jump out
 * (jansson's tree is freed on the way back). Scratch memory (the member
 * lists of documents with more than JCS_INLINE_MEMBERS open members) comes
 * from malloc, as jansson's tree does, and is freed before returning.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct jcs_member
{
	const char *key;
	size_t		keylen;
	json_t	   *value;
} jcs_member;

/* Members held without a heap allocation (over all open objects). */
#define JCS_INLINE_MEMBERS 64

/* The writer asks its cancel callback every this many values and chunks. */
#define JCS_CANCEL_STEPS 4096

typedef struct jcs_out
{
	char	   *data;			/* the output, from a */
	size_t		len;
	size_t		cap;
	const brop_allocator *a;
	const brop_cancel *cancel;	/* NULL: never asked */
	unsigned	steps;

	/*
	 * Members of the objects being written, innermost last: one stack for
	 * the whole document, so nesting costs no allocation and little C stack.
	 */
	jcs_member *members;
	size_t		mtop;
	size_t		mcap;
	jcs_member	inline_members[JCS_INLINE_MEMBERS];
} jcs_out;

/* ---- allocation (a NULL allocator is brop__malloc_allocator) ------------- */

/*
 * Make room for need more bytes and a NUL, at least doubling the buffer.
 * Returns: 0 or BROP_ENOMEM.
 */
static int
out_reserve(jcs_out *o, size_t need)
{
	size_t		cap;
	char	   *p;

	if (need < o->cap - o->len)
		return BROP_OK;
	if (need > SIZE_MAX / 4 - o->len)
		return BROP_ENOMEM;
	cap = o->cap * 2;
	if (cap < o->len + need + 1)
		cap = o->len + need + 1;
	if (cap < 64)
		cap = 64;
	p = o->a->realloc(o->a->ctx, o->data, cap);
	if (p == NULL)
		return BROP_ENOMEM;
	o->data = p;
	o->cap = cap;
	return BROP_OK;
}

static inline int
out_bytes(jcs_out *o, const char *s, size_t n)
{
	int			rc = out_reserve(o, n);

	if (rc != 0)
		return rc;
	memcpy(o->data + o->len, s, n);
	o->len += n;
	return BROP_OK;
}

static inline int
out_char(jcs_out *o, char c)
{
	int			rc = out_reserve(o, 1);

	if (rc != 0)
		return rc;
	o->data[o->len++] = c;
	return BROP_OK;
}

/* ---- key order ----------------------------------------------------------- */

/*
 * Length of the well-formed UTF-8 sequence at s[i] (1 to 4), its code point
 * in *cp; 0 if the bytes there are not well-formed (overlong, surrogate,
 * past U+10FFFF, cut short).
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
	unsigned char c = s[i];
	size_t		n;
	uint32_t	v;
	static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};

	if (c < 0x80)
	{
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
	{
		n = 1;
		v = c & 0x1f;
	}
	else if (c >= 0xe0 && c <= 0xef)
	{
		n = 2;
		v = c & 0x0f;
	}
	else if (c >= 0xf0 && c <= 0xf4)
	{
		n = 3;
		v = c & 0x07;
	}
	else
		return 0;
	if (len - i <= n)
		return 0;
	for (size_t j = 1; j <= n; j++)
	{
		if ((s[i + j] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i + j] & 0x3f);
	}
	if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n + 1;
}

/* The code point at s[i]; a byte that does not start one stands for itself. */
static uint32_t
utf8_at(const unsigned char *s, size_t len, size_t i)
{
	uint32_t	cp;

	return utf8_decode(s, len, i, &cp) ? cp : s[i];
}

/*
 * Rank of a code point in UTF-16 code unit order: the same as code point
 * order except that U+E000..U+FFFF come after the supplementary planes
 * (whose surrogates, D800..DFFF, are below E000).
 */
static inline uint32_t
utf16_rank(uint32_t cp)
{
	return (cp >= 0xe000 && cp <= 0xffff) ? cp + 0x200000 : cp;
}

int
brop_jcs_key_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *ua = (const unsigned char *) a;
	const unsigned char *ub = (const unsigned char *) b;
	size_t		n = alen < blen ? alen : blen;
	size_t		d = 0;
	size_t		i;
	uint32_t	ra,
				rb;

	while (d < n && ua[d] == ub[d])
		d++;
	if (d == n)
		return (alen > n) - (blen > n);
	/* back to the first byte of the character that differs (same in both) */
	i = d;
	while (i > 0 && (ua[i] & 0xc0) == 0x80 && (ub[i] & 0xc0) == 0x80)
		i--;
	ra = utf16_rank(utf8_at(ua, alen, i));
	rb = utf16_rank(utf8_at(ub, blen, i));
	if (ra != rb)
		return ra < rb ? -1 : 1;
	/* only for ill-formed input: fall back to byte order */
	return ua[d] < ub[d] ? -1 : 1;
}

static int
member_cmp(const void *x, const void *y)
{
	const jcs_member *a = x;
	const jcs_member *b = y;

	return brop_jcs_key_compare(a->key, a->keylen, b->key, b->keylen);
}

/* ---- writing ------------------------------------------------------------- */

/* The bytes JSON.stringify escapes: '"', '\\' and 0x00..0x1f. */
static inline int
needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/*
 * Escape s[0..len) as ECMAScript's JSON.stringify does, without the quotes,
 * into dst, which has room for 6 * len bytes. Returns the bytes written.
 */
static size_t
escape_into(char *dst, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (!needs_escape(c))
		{
			dst[n++] = (char) c;
			continue;
		}
		dst[n++] = '\\';
		switch (c)
		{
			case '"':
				dst[n++] = '"';
				break;
			case '\\':
				dst[n++] = '\\';
				break;
			case '\b':
				dst[n++] = 'b';
				break;
			case '\f':
				dst[n++] = 'f';
				break;
			case '\n':
				dst[n++] = 'n';
				break;
			case '\r':
				dst[n++] = 'r';
				break;
			case '\t':
				dst[n++] = 't';
				break;
			default:
				dst[n++] = 'u';
				dst[n++] = '0';
				dst[n++] = '0';
				dst[n++] = hex[c >> 4];
				dst[n++] = hex[c & 15];
				break;
		}
	}
	return n;
}

#define ESCAPE_CHUNK 4096

/* One step of the writer: every JCS_CANCEL_STEPS, ask the cancel callback. */
static inline int
out_step(jcs_out *o)
{
	if (o->cancel != NULL && (++o->steps % JCS_CANCEL_STEPS) == 0 &&
		o->cancel->requested(o->cancel->arg))
		return BROP_ECANCELED;
	return BROP_OK;
}

static int
write_string(jcs_out *o, const char *s, size_t len)
{
	int			rc;

	rc = out_char(o, '"');
	/* escaping is bytewise, so chunks may split UTF-8 sequences */
	for (size_t done = 0; rc == 0 && done < len; done += ESCAPE_CHUNK)
	{
		size_t		chunk = len - done < ESCAPE_CHUNK ? len - done : ESCAPE_CHUNK;

		rc = out_step(o);
		if (rc == 0)
			rc = out_reserve(o, 6 * chunk);
		if (rc == 0)
			o->len += escape_into(o->data + o->len, s + done, chunk);
	}
	if (rc != 0)
		return rc;
	return out_char(o, '"');
}

int
brop_jcs_quote_string(char *out, size_t cap, size_t *outlen, const char *s, size_t len)
{
	size_t		n;

	if (out == NULL || outlen == NULL || (s == NULL && len > 0))
		return BROP_EINVAL;
	if (len > (SIZE_MAX - 2) / 6 || cap < 6 * len + 2)
		return BROP_EBUFFER;
	out[0] = '"';
	n = 1 + escape_into(out + 1, s, len);
	out[n++] = '"';
	*outlen = n;
	return BROP_OK;
}

static int	write_value(jcs_out *o, json_t *v);

/* Room for n more members on o's member stack. Returns: 0 or BROP_ENOMEM. */
static int
members_reserve(jcs_out *o, size_t n)
{
	size_t		cap;
	jcs_member *m;

	if (n <= o->mcap - o->mtop)
		return BROP_OK;
	if (n > SIZE_MAX / (4 * sizeof *m) - o->mtop)
		return BROP_ENOMEM;
	cap = o->mcap * 2;
	if (cap < o->mtop + n)
		cap = o->mtop + n;
	if (o->members == o->inline_members)
	{
		m = malloc(cap * sizeof *m);
		if (m != NULL)
			memcpy(m, o->members, o->mtop * sizeof *m);
	}
	else
		m = realloc(o->members, cap * sizeof *m);
	if (m == NULL)
		return BROP_ENOMEM;
	o->members = m;
	o->mcap = cap;
	return BROP_OK;
}

static int
write_object(jcs_out *o, json_t *obj)
{
	size_t		n = json_object_size(obj);
	size_t		base = o->mtop;
	size_t		i = 0;
	int			rc;

	rc = members_reserve(o, n);
	if (rc != 0)
		return rc;
	for (void *it = json_object_iter(obj); it != NULL && i < n;
		 it = json_object_iter_next(obj, it), i++)
	{
		jcs_member *m = &o->members[base + i];

		m->key = json_object_iter_key(it);
		m->keylen = json_object_iter_key_len(it);
		m->value = json_object_iter_value(it);
	}
	n = i;
	if (n > 1)
		qsort(&o->members[base], n, sizeof o->members[0], member_cmp);
	o->mtop = base + n;

	/* inner objects push above base + n and may move o->members: index it */
	rc = out_char(o, '{');
	for (i = 0; i < n && rc == 0; i++)
	{
		const jcs_member *m = &o->members[base + i];
		json_t	   *value = m->value;

		if (i > 0)
			rc = out_char(o, ',');
		if (rc == 0)
			rc = write_string(o, m->key, m->keylen);
		if (rc == 0)
			rc = out_char(o, ':');
		if (rc == 0)
			rc = write_value(o, value);
	}
	if (rc == 0)
		rc = out_char(o, '}');
	o->mtop = base;
	return rc;
}

static int
write_array(jcs_out *o, json_t *arr)
{
	size_t		n = json_array_size(arr);
	int			rc = out_char(o, '[');

	for (size_t i = 0; i < n && rc == 0; i++)
	{
		if (i > 0)
			rc = out_char(o, ',');
		if (rc == 0)
			rc = write_value(o, json_array_get(arr, i));
	}
	if (rc == 0)
		rc = out_char(o, ']');
	return rc;
}

static int
write_number(jcs_out *o, double d)
{
	char		buf[BROP_JCS_NUMBER_MAX];
	size_t		n;
	int			rc = brop_jcs_format_number(buf, &n, d);

	if (rc != 0)
		return rc;
	return out_bytes(o, buf, n);
}

static int
write_value(jcs_out *o, json_t *v)
{
	int			rc = out_step(o);

	if (rc != 0)
		return rc;
	switch (json_typeof(v))
	{
		case JSON_OBJECT:
			return write_object(o, v);
		case JSON_ARRAY:
			return write_array(o, v);
		case JSON_STRING:
			return write_string(o, json_string_value(v), json_string_length(v));
		case JSON_REAL:
			return write_number(o, json_real_value(v));
		case JSON_INTEGER:
			/* not made with JSON_DECODE_INT_AS_REAL; kept for safety */
			return write_number(o, (double) json_integer_value(v));
		case JSON_TRUE:
			return out_bytes(o, "true", 4);
		case JSON_FALSE:
			return out_bytes(o, "false", 5);
		case JSON_NULL:
			return out_bytes(o, "null", 4);
	}
	return BROP_EINTERNAL;
}

/* ---- errors -------------------------------------------------------------- */

/*
 * Copy jansson's message: at most sizeof err->message - 1 bytes, whole UTF-8
 * characters only, with control characters and ill-formed bytes (jansson
 * may quote the input) replaced by '?', so the text is safe to log.
 */
static void
copy_message(brop_json_error *err, const char *msg)
{
	const unsigned char *s = (const unsigned char *) msg;
	size_t		len = strlen(msg);
	size_t		cap = sizeof err->message - 1;
	size_t		i = 0,
				o = 0;

	while (i < len && o < cap)
	{
		uint32_t	cp;
		size_t		n = utf8_decode(s, len, i, &cp);

		if (n == 0 || cp < 0x20 || cp == 0x7f)
		{
			err->message[o++] = '?';
			i++;
			continue;
		}
		if (o + n > cap)
			break;
		memcpy(err->message + o, s + i, n);
		o += n;
		i += n;
	}
	err->message[o] = '\0';
}

static int
parse_error(brop_json_error *err, const json_error_t *je)
{
	int			rc;

	switch (json_error_code(je))
	{
		case json_error_duplicate_key:
			rc = BROP_EDUPKEY;
			break;
		case json_error_numeric_overflow:
			rc = BROP_ENUMBER;
			break;
		case json_error_out_of_memory:
			rc = BROP_ENOMEM;
			break;
		default:
			rc = BROP_EJSON;
			break;
	}
	if (err != NULL)
	{
		copy_message(err, je->text);
		err->line = je->line > 0 ? (size_t) je->line : 0;
		err->column = je->column > 0 ? (size_t) je->column : 0;
		err->position = je->position > 0 ? (size_t) je->position : 0;
	}
	return rc;
}

/* ---- entry points ------------------------------------------------------ */

#define JCS_PARSE_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | \
						 JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL)

/* The text being fed to jansson in pieces, and the cancel callback. */
typedef struct parse_source
{
	const char *p;
	size_t		left;
	size_t		unasked;		/* bytes fed since the callback was asked */
	const brop_cancel *cancel;
	int			cancelled;
} parse_source;

/*
 * jansson's read callback (it asks for 1024 bytes at a time in 2.14); the
 * cancel callback is asked first, then after every JCS_READ_CHUNK bytes.
 * (size_t) -1
 * stops the parse: jansson then reports an error, or, if the bytes so far
 * happen to be a whole value, a value; cancelled says which it was.
 */
#define JCS_READ_CHUNK 65536
static size_t
parse_read(void *buf, size_t buflen, void *data)
{
	parse_source *src = data;
	size_t		n;

	if (src->cancelled)
		return (size_t) -1;
	if (src->left == 0)
		return 0;
	if (src->unasked == 0 || src->unasked >= JCS_READ_CHUNK)
	{
		if (src->cancel->requested(src->cancel->arg))
		{
			src->cancelled = 1;
			return (size_t) -1;
		}
		src->unasked = 0;
	}
	n = src->left < buflen ? src->left : buflen;
	if (n > JCS_READ_CHUNK)
		n = JCS_READ_CHUNK;
	src->unasked += n;
	memcpy(buf, src->p, n);
	src->p += n;
	src->left -= n;
	return n;
}

json_t *
brop__json_parse_cancellable(const char *text, size_t len, const brop_cancel *cancel,
							 int *rc, brop_json_error *err)
{
	json_error_t je;
	json_t	   *root;
	parse_source src;

	if (text == NULL)
		text = "";
	if (cancel == NULL)
		root = json_loadb(text, len, JCS_PARSE_FLAGS, &je);
	else
	{
		src.p = text;
		src.left = len;
		src.unasked = 0;
		src.cancel = cancel;
		src.cancelled = 0;
		root = json_load_callback(parse_read, &src, JCS_PARSE_FLAGS, &je);
		if (src.cancelled)
		{
			json_decref(root);
			if (err != NULL)
				copy_message(err, brop_strerror(BROP_ECANCELED));
			if (rc != NULL)
				*rc = BROP_ECANCELED;
			return NULL;
		}
	}
	if (root == NULL)
	{
		int			r = parse_error(err, &je);

		if (rc != NULL)
			*rc = r;
	}
	return root;
}

json_t *
brop__json_parse(const char *text, size_t len, int *rc, brop_json_error *err)
{
	return brop__json_parse_cancellable(text, len, NULL, rc, err);
}

/* Write v into o, growing from its allocator; frees scratch members. */
static int
write_root(jcs_out *o, json_t *v, const brop_allocator *a, const brop_cancel *cancel, size_t hint)
{
	int			rc;

	memset(o, 0, offsetof(jcs_out, inline_members));
	o->a = a != NULL ? a : &brop__malloc_allocator;
	o->cancel = cancel;
	o->members = o->inline_members;
	o->mcap = JCS_INLINE_MEMBERS;
	rc = out_reserve(o, hint);
	if (rc == 0)
		rc = write_value(o, v);
	if (o->members != o->inline_members)
		free(o->members);
	if (rc != 0 && o->data != NULL)
	{
		o->a->free(o->a->ctx, o->data);
		o->data = NULL;
	}
	return rc;
}

int
brop__jcs_json(brop__str *s, json_t *v)
{
	jcs_out		o;
	int			rc = write_root(&o, v, &brop__malloc_allocator, NULL, 64);

	if (rc != 0)
		return rc;
	brop__str_add(s, o.data, o.len);
	free(o.data);
	return s->failed ? BROP_ENOMEM : BROP_OK;
}

int
brop_jcs_canonicalize(char **out, size_t *outlen, const char *json, size_t len,
					  const brop_allocator *a, brop_json_error *err)
{
	return brop_jcs_canonicalize_cancellable(out, outlen, json, len, a, NULL, err);
}

int
brop_jcs_canonicalize_cancellable(char **out, size_t *outlen, const char *json, size_t len,
								  const brop_allocator *a, const brop_cancel *cancel,
								  brop_json_error *err)
{
	json_t	   *root;
	jcs_out		o;
	int			rc;

	if (err != NULL)
		memset(err, 0, sizeof *err);
	if (out == NULL || outlen == NULL || (json == NULL && len > 0))
		return BROP_EINVAL;
	*out = NULL;
	*outlen = 0;

	root = brop__json_parse_cancellable(json, len, cancel, &rc, err);
	if (root == NULL)
		return rc;
	/* canonical text is rarely longer than its input */
	rc = write_root(&o, root, a, cancel, len);
	json_decref(root);
	if (rc != 0)
	{
		if (err != NULL)
			copy_message(err, brop_strerror(rc));
		return rc;
	}
	o.data[o.len] = '\0';
	*out = o.data;
	*outlen = o.len;
	return BROP_OK;
}

/* ---- for the core's producers of fixed formats (entry_format.c, row_document.c) ---- */

int
brop__str_jcs_string(brop__str *s, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *) p;
	size_t		start = s->len,
				i = 0,
				run = 0;
	uint32_t	cp;

	if (p == NULL && len > 0)
		return BROP_EINVAL;
	/* room for the text unescaped and its quotes: most texts need no more */
	if (len > SIZE_MAX - 2 || brop__str_reserve(s, len + 2) != 0)
	{
		s->failed = 1;
		return BROP_ENOMEM;
	}
	s->data[s->len++] = '"';

	/*
	 * One pass: ASCII that needs no escape is copied in whole runs, each byte
	 * that does is escaped, and a multi-byte sequence is checked as UTF-8
	 * where it stands (a bad one takes back what was added).
	 */
	while (i < len)
	{
		unsigned char c = u[i];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
			i++;
		else if (c >= 0x80)
		{
			size_t		n = utf8_decode(u, len, i, &cp);

			if (n == 0)
			{
				if (!s->failed)
					s->len = start;
				return BROP_EENCODING;
			}
			i += n;
		}
		else
		{
			char		esc[6];

			brop__str_add(s, p + run, i - run);
			brop__str_add(s, esc, escape_into(esc, p + i, 1));
			run = ++i;
		}
	}
	brop__str_add(s, p + run, len - run);
	brop__str_add(s, "\"", 1);
	return s->failed ? BROP_ENOMEM : BROP_OK;
}
