/*
 * cli.h — the common module of the brop command (src/cli/common): exit
 * codes, messages, files, key files (util.c, keyfile.c); the bottom of
 * src/cli.
 */
#ifndef BROP_CLI_H
#define BROP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "brop.h"

/* Exit codes (documented in `brop --help` and docs/cli.md). */
#define EXIT_OK 0
#define EXIT_INVALID 1			/* a signature or envelope did not verify */
#define EXIT_USAGE 2			/* bad command line */
#define EXIT_INPUT 3			/* malformed input or key file */
#define EXIT_IO 4				/* a file could not be read or written */

extern const char *progname;

/* Print "brop CMD: message" to stderr and exit with code. */
void		cli_die(int code, const char *fmt,...) __attribute__((format(printf, 2, 3), noreturn));

/*
 * The signing input of a ledger entry given as JSON (its members as
 * brop.entry_leaf writes them; signature, submitted_at and others are not
 * read), made by the core (brop_entry_format_signing_input; entry_json.c).
 * Returns a malloc'd buffer and its length, or NULL for an entry it cannot
 * be made of (a member of the wrong type, a digest that is not 64 hex
 * digits, a required member missing).
 */
unsigned char *cli_entry_signing_input(json_t *e, size_t *len);

/* Read a whole file ("-" or NULL for stdin). Exits on failure. Caller frees. */
unsigned char *cli_read_all(const char *path, size_t *len);

/* Write all bytes to a file ("-" or NULL for stdout). Exits on failure. */
void		cli_write_all(const char *path, const unsigned char *data, size_t len);

/*
 * Decode binary data given as text: "\x"-prefixed or plain hex, or base64url.
 * With allow_raw, input whose first byte is raw_marker is taken as it is.
 * Returns a malloc'd buffer; exits with EXIT_INPUT on bad text.
 */
unsigned char *cli_decode_binary(const unsigned char *in, size_t inlen, size_t *outlen,
								 const char *what, int raw_marker);

/* A key file: JWK (RFC 7517, 8037) with the secret "d" and kid = did:key. */
typedef struct cli_key
{
	brop_alg	alg;
	unsigned char secret[BROP_SECRETKEYBYTES];
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen;
	char		did[BROP_DIDKEY_MAX_LEN + 1];
} cli_key;

struct stat;

/* Opens a secret file (what names it in messages); exits if group or others may access it. */
int			cli_open_private(const char *path, const char *what, struct stat *st);

/* Load and check a key file; refuses group- or world-readable files. */
void		cli_key_load(cli_key *key, const char *path);

/* Write a key file with mode 0600; refuses to overwrite unless force. */
void		cli_key_save(const cli_key *key, const char *path, bool force);

/* Fill pk and did from alg and secret. */
void		cli_key_derive(cli_key *key);

void		cli_key_wipe(cli_key *key);

/* Where verification reports go: stdout unless set (wallet open writes the credential there). */
extern FILE *cli_report_stream;
void		report(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/* true if argv[i] is -h or --help */
bool		cli_wants_help(int argc, char **argv);

#endif /* BROP_CLI_H */
