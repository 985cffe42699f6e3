/*
 * internal.h — shared between core files; not part of the public API.
 */
#ifndef BROP_INTERNAL_H
#define BROP_INTERNAL_H

#include <string.h>

#include "brop.h"

struct secp256k1_context_struct;

/* The process's secp256k1 context (signing and verification), made by brop_init(). */
const struct secp256k1_context_struct *brop__secp256k1(void);

/* Digest state set up by brop_init(); internal to hash.c. */
int			brop__hash_init(void);

/* Ed25519 verification without re-validating pk (ed25519.c). */
int			brop__ed25519_verify_prevalidated(const unsigned char sig[BROP_SIGNATURE_BYTES],
											  const unsigned char *m, size_t mlen,
											  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/* ---- note.c: reading signed notes, also for witness.c ---- */

/* A signature line keeps this many decoded bytes: key id, then a cosignature's timestamp and signature. */
#define BROP__NOTE_HEAD_BYTES 76

typedef struct brop__note_iter
{
	const char *note;
	size_t		len;
	size_t		textlen;		/* the signed text, note[0..textlen) */
	size_t		pos;			/* the next signature line */
	int			count;
} brop__note_iter;

typedef struct brop__note_line
{
	const char *name;			/* points into the note */
	size_t		namelen;
	unsigned char head[BROP__NOTE_HEAD_BYTES];	/* the first decoded bytes */
	size_t		siglen;			/* all decoded bytes, key id included */
} brop__note_line;

/*
 * brop_note_key_id, brop_note_verifier_key and brop_note_parse_verifier_key
 * for a signature type alg (0x01 Ed25519 notes, 0x04 cosignature/v1).
 */
int			brop__note_key_id(unsigned char id[BROP_NOTE_KEYID_BYTES], unsigned char alg,
							  const char *name, size_t namelen,
							  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);
int			brop__note_verifier_key(char *out, size_t cap, size_t *outlen, unsigned char alg,
									const char *name, size_t namelen,
									const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);
int			brop__note_parse_verifier_key(const char **name, size_t *namelen,
										  unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
										  unsigned char id[BROP_NOTE_KEYID_BYTES], unsigned char alg,
										  const char *text, size_t len);
/*
 * A signature line, "— " name " " base64(raw) "\n", NUL-terminated, into out:
 * the one writer of the lines of notes and of cosignatures. The caller has
 * checked name. Returns: 0; BROP_EBUFFER.
 */
int			brop__note_line_write(char *out, size_t cap, size_t *outlen, const char *name, size_t namelen,
								  const unsigned char *raw, size_t rawlen);
/* A key name we accept for our own keys (brop_note.h). */
int			brop__note_name_ok(const char *name, size_t len);
/* Text a note can sign: non-empty, ends in a newline, valid UTF-8 without other control characters. */
int			brop__note_text_ok(const char *text, size_t len);
/*
 * Check a note's text and find its signature lines (the rules of
 * brop_note_verify). Returns: 0; BROP_EINVAL; BROP_ELENGTH (not read);
 * BROP_EENCODING.
 */
int			brop__note_open(brop__note_iter *it, const char *note, size_t notelen);
/* The next signature line: 1; 0 after the last; BROP_EENCODING for a malformed one or the 101st. */
int			brop__note_next(brop__note_iter *it, brop__note_line *l);

/* ---- pkcs11.c ---- */

/*
 * The algorithm of a token's key: CKK_EC_EDWARDS with CKA_EC_PARAMS the
 * Ed25519 OID or the PrintableString "edwards25519", or CKK_EC with the
 * prime256v1 OID. Returns: 0, or BROP_EALG.
 */
int			brop__pkcs11_key_alg(brop_alg *alg, unsigned long key_type, const unsigned char *params, size_t n);

/*
 * A CKA_EC_POINT (a DER OCTET STRING, or the bare point some tokens give)
 * into the core's public key (Ed25519 32 bytes, P-256 33 compressed).
 * Returns: 0; BROP_EKEY (malformed, not on the curve, small order); BROP_EALG.
 */
int			brop__pkcs11_public_from_point(unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
										   brop_alg alg, const unsigned char *point, size_t n);

/* ---- strbuf.c ---- */

/*
 * A growing text in an allocator's memory (a: NULL is malloc); a failed
 * append sets failed, so a producer checks once, at the end. Start one as
 * {0} (malloc) or {.a = a} to build directly where brop__str_finish hands
 * it out, or {.data = buf, .cap = size, .fixed = 1} to write into a
 * caller's buffer (running out of room then fails). Memory it lets go of is wiped first (a row's values pass through).
 */
typedef struct brop__str
{
	char	   *data;
	size_t		len;
	size_t		cap;			/* data's size; more than len once data is set (room for the NUL) */
	int			failed;
	const brop_allocator *a;
	int			fixed;			/* data is the caller's, of cap bytes: it never grows */
} brop__str;

/* brop__str_reserve when s has not the room (strbuf.c). */
int			brop__str_grow(brop__str *s, size_t n);

/* Room for n more bytes and the NUL. Returns 0, or -1 with s failed. */
static inline int
brop__str_reserve(brop__str *s, size_t n)
{
	if (s->failed)
		return -1;
	return s->data != NULL && n < s->cap - s->len ? 0 : brop__str_grow(s, n);
}

static inline void
brop__str_add(brop__str *s, const char *p, size_t n)
{
	if (s->failed || (n >= s->cap - s->len && brop__str_grow(s, n) != 0))
		return;
	if (n > 0)
		memcpy(s->data + s->len, p, n);
	s->len += n;
}

void		brop__str_adds(brop__str *s, const char *p);
/* Append a string literal (its length known when compiled). */
#define brop__str_lit(s, lit) brop__str_add((s), "" lit, sizeof(lit) - 1)
/* Append v in decimal. */
void		brop__str_u64(brop__str *s, uint64_t v);
/* Append base64url (no padding) of p[0..n). */
void		brop__str_b64url(brop__str *s, const unsigned char *p, size_t n);
/* Wipe and free s's memory. */
void		brop__str_free(brop__str *s);
/*
 * s's text, NUL-terminated, in a's memory: handed over when s was built in
 * a (s->a == a), else copied (s then wiped and freed).
 * Returns: 0, or BROP_ENOMEM (also after a failed append; s freed).
 */
int			brop__str_finish(brop__str *s, char **out, size_t *outlen, const brop_allocator *a);
/* brop__str_finish unless rc is an error (then s is freed and rc returned). */
int			brop__str_finish_rc(brop__str *s, int rc, char **out, size_t *outlen, const brop_allocator *a);

extern const brop_allocator brop__malloc_allocator;
/* Allocate and free with a (NULL: malloc). */
void	   *brop__alloc(const brop_allocator *a, size_t n);
void		brop__dealloc(const brop_allocator *a, void *p);

/* Set why's text (printf format), when why is not NULL. */
void		brop__reason(brop_reason *why, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* ---- jcs.c ---- */

/*
 * Append p[0..len) as an RFC 8785 string literal with its quotes.
 * Returns: 0; BROP_EENCODING if p is not well-formed UTF-8; BROP_EINVAL;
 * BROP_ENOMEM (s marked failed).
 */
int			brop__str_jcs_string(brop__str *s, const char *p, size_t len);

struct json_t;

/*
 * The RFC 8785 text of a jansson value appended to s (numbers must be reals
 * or integers a double holds; strings UTF-8).
 * Returns: 0; BROP_ENUMBER; BROP_ENOMEM.
 */
int			brop__jcs_json(brop__str *s, struct json_t *v);

/*
 * Parse JSON text as the core reads every input: duplicates refused, every
 * number a double, "\u0000" allowed in values.
 * Returns: the value (caller json_decref), or NULL with *rc set.
 */
struct json_t *brop__json_parse(const char *text, size_t len, int *rc, brop_json_error *err);
/* The same, asking cancel (NULL: never) before every 64 kB: *rc BROP_ECANCELED. */
struct json_t *brop__json_parse_cancellable(const char *text, size_t len, const brop_cancel *cancel,
											int *rc, brop_json_error *err);

/* ---- jws.c ---- */

/* A parsed public JWK. Returns: as brop_jwk_decode. */
int			brop__jwk_read(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
						   struct json_t *jwk);

/*
 * Decode base64url p[0..n) holding a JSON object. Returns the object, or
 * NULL with why set ("the <what> is not ..."). With text not NULL, *text is
 * the decoded text (malloc, NUL-terminated).
 */
struct json_t *brop__b64url_json(const char *p, size_t n, char **text, size_t *textlen,
								 brop_reason *why, const char *what);

/*
 * Check a compact JWS with (alg, pk): form, header alg, no "crit", the
 * signature. Out: parsed header and payload (caller json_decref); the
 * payload's text when payload_text is not NULL (malloc).
 * Returns: 0; BROP_ECREDENTIAL; BROP_EVERIFY (why set).
 */
int			brop__jws_check(struct json_t **header, struct json_t **payload,
							char **payload_text, size_t *payload_len,
							const char *jws, size_t len,
							brop_alg alg, const unsigned char *pk, size_t pklen,
							const char *what, brop_reason *why);

/* ---- di.c ---- */


/* ---- sdjwt.c: parsing, shared with sdjwt_verify.c ---- */

typedef struct sd_part
{
	const char *p;
	size_t		n;
} sd_part;

typedef struct sd_parsed
{
	sd_part		jwt;
	sd_part    *disc;			/* the disclosures, in order (malloc) */
	size_t		ndisc;
	sd_part		kb;				/* empty when none */
	size_t		prefixlen;		/* text up to and including the last '~' */
} sd_parsed;

/* A decoded disclosure. */
typedef struct sd_disc
{
	char		digest[BROP_SDJWT_DIGEST_LEN + 1];
	struct json_t *array;		/* [salt, name, value] or [salt, value] */
	int			used;
} sd_disc;

/* Split an SD-JWT or presentation at its '~'. Returns: 0; BROP_ECREDENTIAL; BROP_ENOMEM. */
int			brop__sdjwt_split(sd_parsed *sp, const char *text, size_t len, brop_reason *why);
/* Decode one disclosure and compute its digest. */
int			brop__sdjwt_decode_disclosure(sd_disc *d, sd_part part, brop_reason *why);
/* The payload of a JWS, unverified (to learn its "iss" or "cnf"); NULL with why set. */
struct json_t *brop__sdjwt_peek_payload(sd_part jwt, brop_reason *why);
/* The holder's key: the payload's cnf.jwk. */
int			brop__sdjwt_holder_key(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
								   struct json_t *payload, brop_reason *why);

#endif /* BROP_INTERNAL_H */
