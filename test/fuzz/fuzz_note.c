/*
 * fuzz_note.c — libFuzzer harness for signed notes and checkpoints.
 *
 * Each input is used five ways:
 *  1. as a signed note, verified against a fixed key: only 0,
 *     BROP_EENCODING or BROP_EVERIFY; on 0 the text ends with the newline
 *     before the last blank line;
 *  2. as a verifier key text: only the documented codes; what parses
 *     formats back to the same text (but for the case of the hex digits)
 *     and parses again to the same key;
 *  3. as a checkpoint body: only 0 or BROP_EENCODING; what parses formats
 *     back to exactly the input (one canonical form);
 *  4. as the text of a note signed with the fixed key (when it can be a
 *     note): the note verifies and gives back the text; the same note with
 *     any one byte changed does not verify;
 *  5. as the fields of a checkpoint (byte 0: size of the origin, then
 *     8 bytes of tree size, 32 of root, the rest extension lines): what
 *     formats parses back to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#define FUZZ_OWN_INIT
#include "fuzz.h"

#define KEY_NAME "fuzz.example/log"
#define KEY_NAMELEN 16

static unsigned char seed[32];
static unsigned char pk[32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char sk[64];

	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	memset(seed, 0x5a, sizeof seed);
	if (brop_ed25519_keypair_from_seed(pk, sk, seed) != 0)
		abort();
	brop_wipe(sk, sizeof sk);
	return 0;
}

/* a copy of exactly len bytes, so that ASan sees any read beyond */
static char *
dup_exact(const uint8_t *data, size_t len)
{
	char	   *p = malloc(len > 0 ? len : 1);

	if (p == NULL)
		abort();
	if (len > 0)
		memcpy(p, data, len);
	return p;
}

static void
verify_any(const char *note, size_t len)
{
	size_t		textlen = 99;
	int			rc = brop_note_verify(&textlen, note, len, KEY_NAME, KEY_NAMELEN, pk);

	switch (rc)
	{
		case BROP_OK:
			if (textlen == 0 || textlen + 1 >= len || note[textlen - 1] != '\n' ||
				note[textlen] != '\n')
				abort();
			break;
		case BROP_ELENGTH:
			if (len <= BROP_NOTE_MAX_BYTES)
				abort();
			/* fall through */
		case BROP_EENCODING:
		case BROP_EVERIFY:
			if (textlen != 0)
				abort();
			break;
		default:
			abort();
	}
}

static void
parse_key_any(const char *text, size_t len)
{
	const char *name = NULL;
	size_t		namelen = 0,
				outlen = 0,
				n2;
	unsigned char kpk[32],
				id[4],
				pk2[32],
				id2[4];
	const char *name2;
	char		out[BROP_NOTE_NAME_MAX + 64];
	int			rc = brop_note_parse_verifier_key(&name, &namelen, kpk, id, text, len);

	switch (rc)
	{
		case BROP_OK:
			break;
		case BROP_EENCODING:
		case BROP_EALG:
		case BROP_EVERIFY:
		case BROP_EKEY:
			return;
		default:
			abort();
	}
	if (name != text || namelen == 0 || namelen > BROP_NOTE_NAME_MAX)
		abort();
	if (brop_note_verifier_key(out, sizeof out, &outlen, name, namelen, kpk) != 0 ||
		outlen != len || out[outlen] != '\0')
		abort();
	for (size_t i = 0; i < len; i++)
	{
		char		c = text[i];

		if (i > namelen && i <= namelen + 8 && c >= 'A' && c <= 'F')
			c = (char) (c + ('a' - 'A'));
		if (out[i] != c)
			abort();
	}
	if (brop_note_parse_verifier_key(&name2, &n2, pk2, id2, out, outlen) != 0 ||
		n2 != namelen || memcmp(name2, out, n2) != 0 || memcmp(pk2, kpk, 32) != 0 ||
		memcmp(id2, id, 4) != 0)
		abort();
}

static void
parse_checkpoint_any(const char *text, size_t len)
{
	brop_checkpoint cp;
	char	   *out;
	size_t		outlen = 0;
	int			rc = brop_checkpoint_parse(&cp, text, len);

	if (rc == BROP_ELENGTH && len <= BROP_NOTE_MAX_BYTES)
		abort();
	if (rc == BROP_EENCODING || rc == BROP_ELENGTH)
	{
		if (cp.origin != NULL || cp.size != 0)
			abort();
		return;
	}
	if (rc != 0)
		abort();
	out = malloc(len + 1);
	if (out == NULL)
		abort();
	if (brop_checkpoint_format(out, len + 1, &outlen, cp.origin, cp.originlen, cp.size, cp.root,
							   cp.extensions, cp.extensionslen) != 0 ||
		outlen != len || memcmp(out, text, len) != 0)
		abort();
	free(out);
}

static void
sign_then_verify(const char *text, size_t len, size_t flip)
{
	char	   *note = NULL;
	size_t		notelen = 0,
				textlen = 0;
	int			rc = brop_note_sign(&note, &notelen, text, len, KEY_NAME, KEY_NAMELEN, seed, NULL);

	if (rc == BROP_EINVAL || (rc == BROP_ELENGTH && len + BROP_NOTE_SIGNATURE_LINE_BYTES(KEY_NAMELEN) >= BROP_NOTE_MAX_BYTES))
		return;					/* not a note's text (checked by verify_any's rules), or too long */
	if (rc != 0)
		abort();
	if (notelen <= len || memcmp(note, text, len) != 0 || note[notelen] != '\0')
		abort();
	if (brop_note_verify(&textlen, note, notelen, KEY_NAME, KEY_NAMELEN, pk) != 0 ||
		textlen != len)
		abort();
	/* any one byte changed: no valid signature (or a malformed note) */
	note[flip % notelen] ^= (char) (1 + (flip >> 8) % 255);
	rc = brop_note_verify(&textlen, note, notelen, KEY_NAME, KEY_NAMELEN, pk);
	if (rc != BROP_EVERIFY && rc != BROP_EENCODING)
		abort();
	free(note);
}

static void
format_then_parse(const uint8_t *data, size_t size)
{
	brop_checkpoint cp;
	const char *origin,
			   *ext;
	size_t		originlen,
				extlen,
				outlen = 0;
	uint64_t	treesize = 0;
	const unsigned char *root;
	char	   *out;
	int			rc;

	if (size < 1)
		return;
	originlen = data[0];
	if (size < 1 + originlen + 8 + 32)
		return;
	origin = (const char *) data + 1;
	for (int i = 0; i < 8; i++)
		treesize = treesize << 8 | data[1 + originlen + i];
	root = data + 1 + originlen + 8;
	ext = (const char *) root + 32;
	extlen = size - (1 + originlen + 8 + 32);

	out = malloc(size + 64);
	if (out == NULL)
		abort();
	rc = brop_checkpoint_format(out, size + 64, &outlen, origin, originlen, treesize, root,
								ext, extlen);
	if (rc == 0)
	{
		if (out[outlen] != '\0' || brop_checkpoint_parse(&cp, out, outlen) != 0 ||
			cp.originlen != originlen || memcmp(cp.origin, origin, originlen) != 0 ||
			cp.size != treesize || memcmp(cp.root, root, 32) != 0 ||
			cp.extensionslen != extlen || (extlen > 0 && memcmp(cp.extensions, ext, extlen) != 0))
			abort();
	}
	else if (rc != BROP_EINVAL && !(rc == BROP_ELENGTH && size > BROP_NOTE_MAX_BYTES - 64))
		abort();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = dup_exact(data, size);
	size_t		flip = 0;

	verify_any(text, size);
	parse_key_any(text, size);
	parse_checkpoint_any(text, size);
	for (size_t i = 0; i < size && i < 4; i++)
		flip = flip << 8 | data[i];
	sign_then_verify(text, size, flip);
	format_then_parse(data, size);
	free(text);
	return 0;
}
