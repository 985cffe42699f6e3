/*
 * keyfile.c — key files as JWK (RFC 7517; OKP keys per RFC 8037):
 *   {"kty":"OKP","crv":"Ed25519","x":..,"d":..,"kid":"did:key:.."}
 *   {"kty":"EC","crv":"secp256k1"|"P-256","x":..,"y":..,"d":..,"kid":..}
 * Written with mode 0600; refused on load when group or others can read it.
 * While a key file is parsed, jansson allocates from libsodium's guarded
 * memory, which sodium_free wipes.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cli.h"

static const struct
{
	brop_alg	alg;
	const char *kty;
	const char *crv;
} curves[] = {
	{BROP_ALG_ED25519, "OKP", "Ed25519"},
	{BROP_ALG_SECP256K1, "EC", "secp256k1"},
	{BROP_ALG_P256, "EC", "P-256"},
};

/*
 * jansson allocates key files from libsodium's guarded memory. sodium_malloc
 * places a block at the end of its page, so odd sizes would come back
 * misaligned: round them up.
 */
static void *
guarded_malloc(size_t n)
{
	return sodium_malloc((n + 15) & ~(size_t) 15);
}

/*
 * What holds secrets while the process runs: loaded keys, and a key file's
 * text and parsed form while it is being read. cli_die() exits, so an exit
 * handler wipes whatever is still held.
 */
#define MAX_LIVE_KEYS 4
static cli_key *live_keys[MAX_LIVE_KEYS];
static unsigned char *live_text;
static json_t *live_jwk;

static void
wipe_at_exit(void)
{
	for (int i = 0; i < MAX_LIVE_KEYS; i++)
		if (live_keys[i])
			sodium_memzero(live_keys[i], sizeof(cli_key));
	if (live_text)
		sodium_free(live_text);
	if (live_jwk)
		json_decref(live_jwk);	/* sodium_free wipes each block */
}

static void
track_key(cli_key *key)
{
	static bool registered = false;

	if (!registered)
	{
		atexit(wipe_at_exit);
		registered = true;
	}
	for (int i = 0; i < MAX_LIVE_KEYS; i++)
		if (live_keys[i] == NULL || live_keys[i] == key)
		{
			live_keys[i] = key;
			return;
		}
	cli_die(EXIT_IO, "too many keys loaded");
}

void
cli_key_wipe(cli_key *key)
{
	sodium_memzero(key, sizeof *key);
	for (int i = 0; i < MAX_LIVE_KEYS; i++)
		if (live_keys[i] == key)
			live_keys[i] = NULL;
}

void
cli_key_derive(cli_key *key)
{
	size_t		n;
	int			rc;

	track_key(key);
	rc = brop_key_public(key->pk, sizeof key->pk, &key->pklen, key->alg, key->secret);
	if (rc == 0)
		rc = brop_didkey_encode(key->did, BROP_DIDKEY_MAX_LEN, &n, key->alg, key->pk, key->pklen);
	if (rc != 0)
		cli_die(EXIT_INPUT, "invalid secret key: %s", brop_strerror(rc));
	key->did[n] = '\0';
}

/* Opens a secret file for reading; exits if group or others may access it. */
int
cli_open_private(const char *path, const char *what, struct stat *st)
{
	int			fd = open(path, O_RDONLY);

	if (fd < 0)
		cli_die(EXIT_IO, "could not open %s \"%s\": %s", what, path, strerror(errno));
	if (fstat(fd, st) != 0)
		cli_die(EXIT_IO, "could not stat %s \"%s\": %s", what, path, strerror(errno));
	if (st->st_mode & (S_IRWXG | S_IRWXO))
		cli_die(EXIT_INPUT, "%s \"%s\" is accessible by group or others; run chmod 600 on it", what, path);
	return fd;
}

/* base64url of bytes, into a NUL-terminated buffer of at least 64 bytes */
static void
b64u(char *out, size_t cap, const unsigned char *in, size_t len)
{
	size_t		n;

	if (brop_base64_encode(out, cap - 1, &n, in, len, BROP_BASE64_URLSAFE) != 0)
		cli_die(EXIT_IO, "internal encoding failure");
	out[n] = '\0';
}

static bool
b64u_field_equals(json_t *obj, const char *name, const unsigned char *want, size_t wantlen)
{
	const char *s = json_string_value(json_object_get(obj, name));
	unsigned char buf[64];
	size_t		n;

	if (s == NULL)
		return true;			/* absent: derived from d */
	return brop_base64_decode(buf, sizeof buf, &n, s, strlen(s), BROP_BASE64_URLSAFE) == 0 &&
		n == wantlen && memcmp(buf, want, n) == 0;
}

void
cli_key_load(cli_key *key, const char *path)
{
	int			fd;
	struct stat st;
	unsigned char *text;
	ssize_t		got;
	json_t	   *jwk;
	json_error_t jerr;
	const char *kty,
			   *crv,
			   *d,
			   *kid;
	size_t		n;
	unsigned char uncompressed[BROP_UNCOMPRESSED_PUBLICKEYBYTES];
	bool		found = false;

	memset(key, 0, sizeof *key);
	track_key(key);
	fd = cli_open_private(path, "key file", &st);
	if (st.st_size > 4096)
		cli_die(EXIT_INPUT, "key file \"%s\" is too large to be a key", path);
	text = live_text = sodium_malloc(4096);
	if (text == NULL)
		cli_die(EXIT_IO, "out of memory");
	got = read(fd, text, 4096);
	close(fd);
	if (got < 0)
		cli_die(EXIT_IO, "could not read key file \"%s\": %s", path, strerror(errno));

	json_set_alloc_funcs(guarded_malloc, sodium_free);
	jwk = live_jwk = json_loadb((const char *) text, (size_t) got, JSON_REJECT_DUPLICATES, &jerr);
	sodium_free(text);
	live_text = NULL;
	if (jwk == NULL || !json_is_object(jwk))
		cli_die(EXIT_INPUT, "key file \"%s\" is not a JSON Web Key", path);

	kty = json_string_value(json_object_get(jwk, "kty"));
	crv = json_string_value(json_object_get(jwk, "crv"));
	d = json_string_value(json_object_get(jwk, "d"));
	kid = json_string_value(json_object_get(jwk, "kid"));
	for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
		if (kty && crv && strcmp(kty, curves[i].kty) == 0 && strcmp(crv, curves[i].crv) == 0)
		{
			key->alg = curves[i].alg;
			found = true;
		}
	if (!found)
		cli_die(EXIT_INPUT, "key file \"%s\": unsupported kty/crv (Ed25519, secp256k1 and P-256 are supported)", path);
	if (d == NULL)
		cli_die(EXIT_INPUT, "key file \"%s\" holds no secret key (\"d\")", path);
	if (brop_base64_decode(key->secret, sizeof key->secret, &n, d, strlen(d), BROP_BASE64_URLSAFE) != 0 ||
		n != BROP_SECRETKEYBYTES)
		cli_die(EXIT_INPUT, "key file \"%s\": \"d\" is not 32 bytes of base64url", path);
	cli_key_derive(key);

	/* Public members, when present, must match the secret. */
	if (key->alg == BROP_ALG_ED25519)
		found = b64u_field_equals(jwk, "x", key->pk, key->pklen);
	else
		found = brop_key_public_uncompressed(uncompressed, key->alg, key->pk, key->pklen) == 0 &&
			b64u_field_equals(jwk, "x", uncompressed + 1, 32) &&
			b64u_field_equals(jwk, "y", uncompressed + 33, 32);
	if (!found || (kid && strncmp(kid, "did:key:", 8) == 0 && strcmp(kid, key->did) != 0))
		cli_die(EXIT_INPUT, "key file \"%s\" is inconsistent: its public key does not match \"d\"", path);
	json_decref(jwk);
	live_jwk = NULL;
	json_set_alloc_funcs(malloc, free);
}

void
cli_key_save(const cli_key *key, const char *path, bool force)
{
	char	   *text = sodium_malloc(1024);
	char		x[64],
				y[64],
				d[64];
	unsigned char uncompressed[BROP_UNCOMPRESSED_PUBLICKEYBYTES];
	int			len,
				fd;
	const char *crv = NULL;
	char	   *tmp;
	bool		ok;

	for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
		if (curves[i].alg == key->alg)
			crv = curves[i].crv;
	if (text == NULL || crv == NULL)
		cli_die(EXIT_IO, "cannot write this key");
	b64u(d, sizeof d, key->secret, BROP_SECRETKEYBYTES);
	if (key->alg == BROP_ALG_ED25519)
		len = snprintf(text, 1024,
					   "{\"kty\":\"OKP\",\"crv\":\"%s\",\"x\":\"%s\",\"d\":\"%s\",\"kid\":\"%s\"}\n",
					   crv, (b64u(x, sizeof x, key->pk, key->pklen), x), d, key->did);
	else
	{
		if (brop_key_public_uncompressed(uncompressed, key->alg, key->pk, key->pklen) != 0)
			cli_die(EXIT_IO, "cannot write this key");
		b64u(x, sizeof x, uncompressed + 1, 32);
		b64u(y, sizeof y, uncompressed + 33, 32);
		len = snprintf(text, 1024,
					   "{\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\",\"y\":\"%s\",\"d\":\"%s\",\"kid\":\"%s\"}\n",
					   crv, x, y, d, key->did);
	}
	sodium_memzero(d, sizeof d);

	/*
	 * Write a temporary file next to the target and rename it into place, so
	 * that --force never leaves neither the old key nor the new one.
	 */
	tmp = malloc(strlen(path) + 8);
	if (tmp == NULL)
		cli_die(EXIT_IO, "out of memory");
	snprintf(tmp, strlen(path) + 8, "%s.XXXXXX", path);
	fd = mkstemp(tmp);			/* mode 0600 */
	if (fd < 0)
	{
		sodium_free(text);
		cli_die(EXIT_IO, "could not create key file \"%s\": %s", tmp, strerror(errno));
	}
	ok = write(fd, text, (size_t) len) == len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	sodium_free(text);
	if (ok && !force && link(tmp, path) != 0)
	{
		int			saved = errno;

		unlink(tmp);
		if (saved == EEXIST)
			cli_die(EXIT_IO, "key file \"%s\" already exists (use --force to replace it)", path);
		cli_die(EXIT_IO, "could not create key file \"%s\": %s", path, strerror(saved));
	}
	if (ok && !force)
		ok = unlink(tmp) == 0;
	else if (ok)
		ok = rename(tmp, path) == 0;
	if (!ok)
	{
		int			saved = errno;

		unlink(tmp);
		cli_die(EXIT_IO, "could not write key file \"%s\": %s", path, strerror(saved));
	}
	free(tmp);
}
