/*
 * note.c — C2SP signed notes (c2sp.org/signed-note) with Ed25519, and
 * C2SP tlog-checkpoint bodies (c2sp.org/tlog-checkpoint).
 *
 * Parsing follows golang.org/x/mod/sumdb/note (Open), the reference
 * implementation: the note is valid UTF-8 without ASCII control characters
 * other than newline; the text ends at the last blank line; every line
 * after it is "— name base64(key id || signature)"; at most 100 lines.
 * Where Go is lax we are strict: base64 must be canonical, and names (ours
 * and those on signature lines) may not contain control characters.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "brop_note.h"

#define NOTE_MAX_SIGNATURES 100
#define NOTE_ALG_ED25519 0x01
#define NOTE_SIG_BYTES (BROP_NOTE_KEYID_BYTES + BROP_SIGNATURE_BYTES)	/* 68 */
#define NOTE_SIG_B64 BROP_BASE64_ENCODED_LEN(NOTE_SIG_BYTES)	/* 92 */
#define NOTE_KEY_BYTES (1 + BROP_ED25519_PUBLICKEYBYTES)	/* 33 */
#define NOTE_KEY_B64 BROP_BASE64_ENCODED_LEN(NOTE_KEY_BYTES)	/* 44 */
#define NOTE_ROOT_B64 BROP_BASE64_ENCODED_LEN(32)	/* 44 */

/* U+2014 EM DASH, then a space: the start of a signature line */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN 4
_Static_assert(BROP_NOTE_SIGNATURE_LINE_BYTES(0) == SIG_PREFIX_LEN + 1 + NOTE_SIG_B64 + 1,
			   "a signature line is the prefix, the name, a space, the base64 and a newline");

/* ---- text rules ---------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence at s[*i] (strict: shortest form, no surrogates,
 * at most U+10FFFF). Returns the code point, or -1.
 */
static long
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	size_t		n;
	long		cp,
				min;

	if (c < 0x80)
	{
		(*i)++;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf)
	{
		n = 1;
		cp = c & 0x1f;
		min = 0x80;
	}
	else if (c >= 0xe0 && c <= 0xef)
	{
		n = 2;
		cp = c & 0x0f;
		min = 0x800;
	}
	else if (c >= 0xf0 && c <= 0xf4)
	{
		n = 3;
		cp = c & 0x07;
		min = 0x10000;
	}
	else
		return -1;
	if (len - *i <= n)
		return -1;
	for (size_t k = 1; k <= n; k++)
	{
		unsigned char cc = s[*i + k];

		if ((cc & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (cc & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n + 1;
	return cp;
}

/* Valid UTF-8 with no code point below U+0020 other than (if allowed) newline. */
static int
text_ok(const char *s, size_t len, int newlines)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		long		cp;

		/* fast path for printable ASCII */
		if (u[i] >= 0x20 && u[i] < 0x80)
		{
			i++;
			continue;
		}
		cp = utf8_next(u, len, &i);
		if (cp < 0 || (cp < 0x20 && !(cp == '\n' && newlines)))
			return 0;
	}
	return 1;
}

/* Go's unicode.IsSpace */
static int
is_unicode_space(long cp)
{
	switch (cp)
	{
		case '\t':
		case '\n':
		case '\v':
		case '\f':
		case '\r':
		case ' ':
		case 0x85:
		case 0xa0:
		case 0x1680:
		case 0x2028:
		case 0x2029:
		case 0x202f:
		case 0x205f:
		case 0x3000:
			return 1;
	}
	return cp >= 0x2000 && cp <= 0x200a;
}

/*
 * A key name: non-empty, valid UTF-8, no Unicode space, no "+", no control
 * character; at most max bytes.
 */
static int
name_ok(const char *name, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *) name;
	size_t		i = 0;

	if (name == NULL || len == 0 || len > max)
		return 0;
	while (i < len)
	{
		long		cp = utf8_next(u, len, &i);

		if (cp < 0x20 || cp == '+' || is_unicode_space(cp))
			return 0;
	}
	return 1;
}

/* ---- keys ---------------------------------------------------------------- */

int
brop__note_key_id(unsigned char id[BROP_NOTE_KEYID_BYTES], unsigned char alg,
				  const char *name, size_t namelen,
				  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	const unsigned char sep[2] = {'\n', alg};
	const unsigned char *parts[3];
	size_t		lens[3];
	unsigned char h[BROP_SHA256_BYTES];
	int			rc;

	if (id == NULL || pk == NULL || !name_ok(name, namelen, BROP_NOTE_NAME_MAX))
		return BROP_EINVAL;
	parts[0] = (const unsigned char *) name;
	lens[0] = namelen;
	parts[1] = sep;
	lens[1] = sizeof sep;
	parts[2] = pk;
	lens[2] = BROP_ED25519_PUBLICKEYBYTES;
	rc = brop_sha256_parts(h, parts, lens, 3);
	if (rc != 0)
		return rc;
	memcpy(id, h, BROP_NOTE_KEYID_BYTES);
	return BROP_OK;
}

int
brop_note_key_id(unsigned char id[BROP_NOTE_KEYID_BYTES],
				 const char *name, size_t namelen,
				 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	return brop__note_key_id(id, NOTE_ALG_ED25519, name, namelen, pk);
}

int
brop__note_verifier_key(char *out, size_t cap, size_t *outlen, unsigned char alg,
						const char *name, size_t namelen,
						const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	unsigned char id[BROP_NOTE_KEYID_BYTES];
	unsigned char key[NOTE_KEY_BYTES];
	size_t		need,
				n,
				w;
	int			rc;

	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || pk == NULL)
		return BROP_EINVAL;
	rc = brop__note_key_id(id, alg, name, namelen, pk);
	if (rc != 0)
		return rc;
	rc = brop_ed25519_pk_validate(pk);
	if (rc != 0)
		return rc;
	need = namelen + 1 + BROP_HEX_ENCODED_LEN(BROP_NOTE_KEYID_BYTES) + 1 + NOTE_KEY_B64;
	if (cap < need + 1)
		return BROP_EBUFFER;

	memcpy(out, name, namelen);
	n = namelen;
	out[n++] = '+';
	rc = brop_hex_encode(out + n, cap - n, &w, id, sizeof id);
	if (rc != 0)
		return rc;
	n += w;
	out[n++] = '+';
	key[0] = alg;
	memcpy(key + 1, pk, BROP_ED25519_PUBLICKEYBYTES);
	rc = brop_base64_encode(out + n, cap - n, &w, key, sizeof key, BROP_BASE64_STANDARD);
	if (rc != 0)
		return rc;
	n += w;
	out[n] = '\0';
	*outlen = n;
	return BROP_OK;
}

int
brop_note_verifier_key(char *out, size_t cap, size_t *outlen,
					   const char *name, size_t namelen,
					   const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	return brop__note_verifier_key(out, cap, outlen, NOTE_ALG_ED25519, name, namelen, pk);
}

int
brop__note_parse_verifier_key(const char **name, size_t *namelen,
							  unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
							  unsigned char id[BROP_NOTE_KEYID_BYTES], unsigned char alg,
							  const char *text, size_t len)
{
	const char *p1,
			   *p2,
			   *b64;
	size_t		nl,
				b64len,
				got;
	unsigned char want[BROP_NOTE_KEYID_BYTES];
	unsigned char key[NOTE_KEY_BYTES];
	unsigned char head[3];
	int			rc;

	if (name == NULL || namelen == NULL || pk == NULL || id == NULL || (text == NULL && len > 0))
		return BROP_EINVAL;
	*name = NULL;
	*namelen = 0;
	if (len == 0)
		return BROP_EENCODING;

	/* name "+" 8 hex digits "+" base64 */
	p1 = memchr(text, '+', len);
	if (p1 == NULL)
		return BROP_EENCODING;
	nl = (size_t) (p1 - text);
	p2 = memchr(p1 + 1, '+', len - nl - 1);
	if (p2 == NULL || p2 - p1 - 1 != 2 * BROP_NOTE_KEYID_BYTES)
		return BROP_EENCODING;
	if (!name_ok(text, nl, BROP_NOTE_NAME_MAX))
		return BROP_EENCODING;
	if (brop_hex_decode(id, BROP_NOTE_KEYID_BYTES, &got, p1 + 1, 2 * BROP_NOTE_KEYID_BYTES) != 0)
		return BROP_EENCODING;
	b64 = p2 + 1;
	b64len = len - (size_t) (b64 - text);

	/* another algorithm: its key (of another length) still starts with its type */
	if (b64len != NOTE_KEY_B64)
	{
		if (b64len >= 4 && brop_base64_decode(head, sizeof head, &got, b64, 4,
											  BROP_BASE64_STANDARD) == 0 &&
			got == 3 && head[0] != alg)
			return BROP_EALG;
		return BROP_EENCODING;
	}
	if (brop_base64_decode(key, sizeof key, &got, b64, b64len, BROP_BASE64_STANDARD) != 0 ||
		got == 0)
		return BROP_EENCODING;
	if (key[0] != alg)
		return BROP_EALG;
	if (got != NOTE_KEY_BYTES)
		return BROP_EENCODING;

	rc = brop__note_key_id(want, alg, text, nl, key + 1);
	if (rc != 0)
		return rc;
	if (memcmp(want, id, sizeof want) != 0)
		return BROP_EVERIFY;
	rc = brop_ed25519_pk_validate(key + 1);
	if (rc != 0)
		return rc;
	memcpy(pk, key + 1, BROP_ED25519_PUBLICKEYBYTES);
	*name = text;
	*namelen = nl;
	return BROP_OK;
}

int
brop_note_parse_verifier_key(const char **name, size_t *namelen,
							 unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
							 unsigned char id[BROP_NOTE_KEYID_BYTES],
							 const char *text, size_t len)
{
	return brop__note_parse_verifier_key(name, namelen, pk, id, NOTE_ALG_ED25519, text, len);
}

/* ---- signing ------------------------------------------------------------- */


/* Text that can be signed: non-empty, ends in a newline, note characters. */
static int
note_text_ok(const char *text, size_t len)
{
	return len > 0 && text[len - 1] == '\n' && text_ok(text, len, 1);
}

/*
 * The checks brop_note_sign makes before it signs, in its order: a name,
 * the note's length, then the text.
 */
static int
note_sign_check(const char *text, size_t textlen, const char *name, size_t namelen)
{
	if (!name_ok(name, namelen, BROP_NOTE_NAME_MAX))
		return BROP_EINVAL;
	/* text "\n" "— " name " " base64 "\n" */
	if (textlen > BROP_NOTE_MAX_BYTES ||
		textlen + 1 + BROP_NOTE_SIGNATURE_LINE_BYTES(namelen) > BROP_NOTE_MAX_BYTES)
		return BROP_ELENGTH;
	if (!note_text_ok(text, textlen))
		return BROP_EINVAL;
	return BROP_OK;
}

int
brop_note_signature_line(char *out, size_t cap, size_t *outlen,
						 const char *name, size_t namelen,
						 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
						 const unsigned char sig[BROP_SIGNATURE_BYTES])
{
	unsigned char raw[NOTE_SIG_BYTES];
	int			rc;

	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || pk == NULL || sig == NULL)
		return BROP_EINVAL;
	/* the key id checks the name */
	if ((rc = brop_note_key_id(raw, name, namelen, pk)) != 0)
		return rc;
	if (cap < BROP_NOTE_SIGNATURE_LINE_BYTES(namelen) + 1)
		return BROP_EBUFFER;
	memcpy(raw + BROP_NOTE_KEYID_BYTES, sig, BROP_SIGNATURE_BYTES);
	return brop__note_line_write(out, cap, outlen, name, namelen, raw, sizeof raw);
}

int
brop__note_line_write(char *out, size_t cap, size_t *outlen, const char *name, size_t namelen,
					  const unsigned char *raw, size_t rawlen)
{
	size_t		n,
				b64len;
	int			rc;

	if (cap < SIG_PREFIX_LEN + namelen + 1 + BROP_BASE64_ENCODED_LEN(rawlen) + 2)
		return BROP_EBUFFER;
	memcpy(out, sig_prefix, SIG_PREFIX_LEN);
	n = SIG_PREFIX_LEN;
	memcpy(out + n, name, namelen);
	n += namelen;
	out[n++] = ' ';
	rc = brop_base64_encode(out + n, cap - n, &b64len, raw, rawlen, BROP_BASE64_STANDARD);
	if (rc != 0)
		return rc;
	n += b64len;
	out[n++] = '\n';
	out[n] = '\0';
	*outlen = n;
	return BROP_OK;
}

int
brop_note_assemble(char **out, size_t *outlen,
				   const char *text, size_t textlen,
				   const char *name, size_t namelen,
				   const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
				   const unsigned char sig[BROP_SIGNATURE_BYTES],
				   const brop_allocator *a)
{
	size_t		need,
				linelen;
	char	   *buf;
	int			rc;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || text == NULL || pk == NULL || sig == NULL)
		return BROP_EINVAL;
	if ((rc = note_sign_check(text, textlen, name, namelen)) != 0)
		return rc;
	if (a == NULL)
		a = &brop__malloc_allocator;

	/* text "\n" line NUL */
	need = textlen + 1 + BROP_NOTE_SIGNATURE_LINE_BYTES(namelen) + 1;
	buf = a->realloc(a->ctx, NULL, need);
	if (buf == NULL)
		return BROP_ENOMEM;
	memcpy(buf, text, textlen);
	buf[textlen] = '\n';
	rc = brop_note_signature_line(buf + textlen + 1, need - textlen - 1, &linelen,
								  name, namelen, pk, sig);
	if (rc != 0)
	{
		a->free(a->ctx, buf);
		return rc;
	}
	*out = buf;
	*outlen = textlen + 1 + linelen;
	return BROP_OK;
}

int
brop_note_sign(char **out, size_t *outlen,
			   const char *text, size_t textlen,
			   const char *name, size_t namelen,
			   const unsigned char seed[BROP_SECRETKEYBYTES],
			   const brop_allocator *a)
{
	unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char sk[BROP_ED25519_SECRETKEYBYTES];
	unsigned char sig[BROP_SIGNATURE_BYTES];
	int			rc;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || text == NULL || seed == NULL)
		return BROP_EINVAL;
	/* checked before signing, so nothing is signed that cannot be a note */
	if ((rc = note_sign_check(text, textlen, name, namelen)) != 0)
		return rc;

	rc = brop_ed25519_keypair_from_seed(pk, sk, seed);
	if (rc == 0)
		rc = brop_ed25519_sign(sig, (const unsigned char *) text, textlen, sk);
	brop_wipe(sk, sizeof sk);
	if (rc != 0)
		return rc;
	return brop_note_assemble(out, outlen, text, textlen, name, namelen, pk, sig, a);
}

/* ---- verification -------------------------------------------------------- */

/*
 * Check that b64[0..len) is canonical standard base64 of at least 5 bytes,
 * a group at a time (signatures of other algorithms may be long), and keep
 * its first BROP__NOTE_HEAD_BYTES bytes in head.
 * Returns: the decoded length, or 0 if malformed.
 */
static size_t
sig_decode(unsigned char head[BROP__NOTE_HEAD_BYTES], const char *b64, size_t len)
{
	size_t		total = 0;

	if (len == 0 || len % 4 != 0)
		return 0;
	for (size_t i = 0; i < len; i += 4)
	{
		unsigned char g[3];
		size_t		got;

		if (brop_base64_decode(g, sizeof g, &got, b64 + i, 4, BROP_BASE64_STANDARD) != 0)
			return 0;
		if (got != 3 && i + 4 < len)
			return 0;			/* padding before the end */
		for (size_t k = 0; k < got; k++, total++)
			if (total < BROP__NOTE_HEAD_BYTES)
				head[total] = g[k];
	}
	return total >= BROP_NOTE_KEYID_BYTES + 1 ? total : 0;
}

int
brop_note_verify(size_t *textlen,
				 const char *note, size_t notelen,
				 const char *name, size_t namelen,
				 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	if (textlen != NULL)
		*textlen = 0;
	if (textlen == NULL || pk == NULL)
		return BROP_EINVAL;
	if (brop_ed25519_pk_validate(pk) != 0)
		return BROP_EKEY;
	return brop_note_verify_valid(textlen, note, notelen, name, namelen, pk);
}

/* ---- reading notes (also for witness.c) ---------------------------------- */

int
brop__note_name_ok(const char *name, size_t len)
{
	return name_ok(name, len, BROP_NOTE_NAME_MAX);
}

int
brop__note_text_ok(const char *text, size_t len)
{
	return text != NULL && note_text_ok(text, len);
}

int
brop__note_open(brop__note_iter *it, const char *note, size_t notelen)
{
	size_t		split;

	memset(it, 0, sizeof *it);
	if (note == NULL && notelen > 0)
		return BROP_EINVAL;
	if (notelen > BROP_NOTE_MAX_BYTES)
		return BROP_ELENGTH;
	if (!text_ok(note, notelen, 1))
		return BROP_EENCODING;
	/* the text ends at the last blank line */
	if (notelen < 2)
		return BROP_EENCODING;
	split = notelen - 1;
	while (split > 0 && !(note[split - 1] == '\n' && note[split] == '\n'))
		split--;
	if (split == 0)
		return BROP_EENCODING;
	if (split + 1 == notelen || note[notelen - 1] != '\n')
		return BROP_EENCODING;
	it->note = note;
	it->len = notelen;
	it->textlen = split;		/* note[0..textlen) ends with the first '\n' of the pair */
	it->pos = split + 1;
	return BROP_OK;
}

int
brop__note_next(brop__note_iter *it, brop__note_line *l)
{
	const char *line,
			   *eol,
			   *sp;
	size_t		linelen,
				nl;

	if (it->pos >= it->len)
		return 0;
	line = it->note + it->pos;
	eol = memchr(line, '\n', it->len - it->pos);
	linelen = (size_t) (eol - line);
	it->pos += linelen + 1;
	if (++it->count > NOTE_MAX_SIGNATURES)
		return BROP_EENCODING;
	if (linelen < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0)
		return BROP_EENCODING;
	line += SIG_PREFIX_LEN;
	linelen -= SIG_PREFIX_LEN;
	sp = memchr(line, ' ', linelen);
	if (sp == NULL)
		return BROP_EENCODING;
	nl = (size_t) (sp - line);
	if (!name_ok(line, nl, SIZE_MAX))
		return BROP_EENCODING;
	l->siglen = sig_decode(l->head, sp + 1, linelen - nl - 1);
	if (l->siglen == 0)
		return BROP_EENCODING;
	l->name = line;
	l->namelen = nl;
	return 1;
}

int
brop_note_verify_valid(size_t *textlen,
					   const char *note, size_t notelen,
					   const char *name, size_t namelen,
					   const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	unsigned char id[BROP_NOTE_KEYID_BYTES];
	unsigned char last_good[BROP_SIGNATURE_BYTES];
	brop__note_iter it;
	brop__note_line l;
	int			good = 0,
				bad = 0;
	int			rc;

	if (textlen != NULL)
		*textlen = 0;
	if (textlen == NULL || pk == NULL || (note == NULL && notelen > 0))
		return BROP_EINVAL;
	rc = brop_note_key_id(id, name, namelen, pk);
	if (rc != 0)
		return rc;
	rc = brop__note_open(&it, note, notelen);
	if (rc != 0)
		return rc;

	while ((rc = brop__note_next(&it, &l)) > 0)
	{
		/* only a line with both our name and our key id is ours */
		if (l.namelen != namelen || memcmp(l.name, name, namelen) != 0 ||
			memcmp(l.head, id, sizeof id) != 0)
			continue;
		if (l.siglen != NOTE_SIG_BYTES)
		{
			bad = 1;
			continue;
		}
		if (good && memcmp(last_good, l.head + BROP_NOTE_KEYID_BYTES, BROP_SIGNATURE_BYTES) == 0)
			continue;
		/*
		 * One bad signature fails the note: the lines after it are only
		 * parsed, so a note costs at most two verifications of its text
		 * (each hashes it whole), not one per line.
		 */
		if (bad)
			continue;
		if (brop__ed25519_verify_prevalidated(l.head + BROP_NOTE_KEYID_BYTES,
											  (const unsigned char *) note, it.textlen, pk) != 0)
		{
			bad = 1;
			continue;
		}
		good = 1;
		memcpy(last_good, l.head + BROP_NOTE_KEYID_BYTES, BROP_SIGNATURE_BYTES);
	}
	if (rc < 0)
		return rc;
	if (bad || !good)
		return BROP_EVERIFY;
	*textlen = it.textlen;
	return BROP_OK;
}

/* ---- checkpoints --------------------------------------------------------- */

/* Lines each non-empty and newline-terminated (or nothing), note characters. */
static int
extension_lines_ok(const char *s, size_t len)
{
	if (len == 0)
		return 1;
	if (s[0] == '\n' || s[len - 1] != '\n' || !text_ok(s, len, 1))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (s[i] == '\n' && s[i - 1] == '\n')
			return 0;
	return 1;
}

int
brop_checkpoint_parse(brop_checkpoint *cp, const char *text, size_t len)
{
	brop_checkpoint c;
	const char *p,
			   *nl;
	size_t		got;

	if (cp == NULL || (text == NULL && len > 0))
		return BROP_EINVAL;
	memset(cp, 0, sizeof *cp);
	memset(&c, 0, sizeof c);
	if (len > BROP_NOTE_MAX_BYTES)
		return BROP_ELENGTH;
	if (len == 0 || text[len - 1] != '\n' || !text_ok(text, len, 1))
		return BROP_EENCODING;

	/* origin: non-empty */
	nl = memchr(text, '\n', len);
	if (nl == text)
		return BROP_EENCODING;
	c.origin = text;
	c.originlen = (size_t) (nl - text);

	/* tree size: canonical decimal that fits in 64 bits */
	p = nl + 1;
	nl = memchr(p, '\n', len - (size_t) (p - text));
	if (nl == NULL || nl == p || (p[0] == '0' && nl - p > 1))
		return BROP_EENCODING;
	for (const char *d = p; d < nl; d++)
	{
		unsigned	v;

		if (*d < '0' || *d > '9')
			return BROP_EENCODING;
		v = (unsigned) (*d - '0');
		if (c.size > (UINT64_MAX - v) / 10)
			return BROP_EENCODING;
		c.size = c.size * 10 + v;
	}

	/* root hash: 32 bytes in standard base64 */
	p = nl + 1;
	nl = memchr(p, '\n', len - (size_t) (p - text));
	if (nl == NULL || nl - p != NOTE_ROOT_B64 ||
		brop_base64_decode(c.root, sizeof c.root, &got, p, NOTE_ROOT_B64,
						   BROP_BASE64_STANDARD) != 0 || got != sizeof c.root)
		return BROP_EENCODING;

	/* extension lines: the rest */
	p = nl + 1;
	c.extensions = p;
	c.extensionslen = len - (size_t) (p - text);
	if (!extension_lines_ok(c.extensions, c.extensionslen))
		return BROP_EENCODING;
	*cp = c;
	return BROP_OK;
}

int
brop_checkpoint_format(char *out, size_t cap, size_t *outlen,
					   const char *origin, size_t originlen,
					   uint64_t size, const unsigned char root[32],
					   const char *extensions, size_t extensionslen)
{
	char		digits[20];
	size_t		nd = 0,
				n,
				need,
				b64len;
	int			rc;

	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || origin == NULL || root == NULL ||
		(extensions == NULL && extensionslen > 0))
		return BROP_EINVAL;

	do
	{
		digits[nd++] = (char) ('0' + size % 10);
		size /= 10;
	} while (size > 0);

	if (originlen > BROP_NOTE_MAX_BYTES || extensionslen > BROP_NOTE_MAX_BYTES)
		return BROP_ELENGTH;
	need = originlen + 1 + nd + 1 + NOTE_ROOT_B64 + 1 + extensionslen;
	if (need > BROP_NOTE_MAX_BYTES)
		return BROP_ELENGTH;
	if (originlen == 0 || !text_ok(origin, originlen, 0))
		return BROP_EINVAL;
	if (!extension_lines_ok(extensions, extensionslen))
		return BROP_EINVAL;
	if (cap < need + 1)
		return BROP_EBUFFER;

	memcpy(out, origin, originlen);
	n = originlen;
	out[n++] = '\n';
	while (nd > 0)
		out[n++] = digits[--nd];
	out[n++] = '\n';
	rc = brop_base64_encode(out + n, cap - n, &b64len, root, 32, BROP_BASE64_STANDARD);
	if (rc != 0)
		return rc;
	n += b64len;
	out[n++] = '\n';
	if (extensionslen > 0)
		memcpy(out + n, extensions, extensionslen);
	n += extensionslen;
	out[n] = '\0';
	*outlen = n;
	return BROP_OK;
}

size_t
brop_note_text_length(const char *note, size_t len)
{
	for (size_t i = len; i >= 2; i--)
		if (note[i - 1] == '\n' && note[i - 2] == '\n')
			return i - 1;
	return len;
}
