/*
 * cli.h — shared pieces of the brop command.
 */
#ifndef BROP_CLI_H
#define BROP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/* Subcommands: each returns the exit code. */
int			cmd_keygen(int argc, char **argv);
int			cmd_did(int argc, char **argv);
int			cmd_sign(int argc, char **argv);
int			cmd_verify(int argc, char **argv);
int			cmd_open(int argc, char **argv);
int			cmd_jcs(int argc, char **argv);
int			cmd_relay(int argc, char **argv);
int			cmd_disclose(int argc, char **argv);

/* brop verify --checkpoint ... (verify_log.c) */
void		cli_entry_leaf_hex(char hex[65], const char *path);
int			cli_verify_log(const char *did, const char *checkpoint, const char *old_checkpoint,
						   const char *proof, const char *leaf_hex);

/* The inclusion of an entry (leaf input text) in a signed checkpoint, all in memory (verify_log.c). */
int			cli_check_inclusion(const char *did, const char *note_text, size_t note_len,
								const char *proof_text, const char *leaf_text, size_t leaf_len);

/* Credentials offline (credential_verify.c); bundle fields may be NULL. */
typedef struct cli_bundle
{
	char	   *serial;
	char	   *form;
	char	   *credential;		/* the credential, or a presentation */
	char	   *entry;			/* the entry's leaf input (RFC 8785) */
	char	   *proof;			/* its inclusion proof's text */
	char	   *checkpoint;		/* the signed checkpoint note */
	char	   *ledger;			/* the ledger node's did (as the bundle says) */
} cli_bundle;

/* Read a bundle (JSON) or a bare credential / presentation text; exits on malformed input. */
void		cli_bundle_read(cli_bundle *b, const unsigned char *text, size_t len);
/* The bundle as JSON text (malloc, NUL-terminated). */
char	   *cli_bundle_json(const cli_bundle *b, bool presentation);
void		cli_bundle_free(cli_bundle *b);

/*
 * Verify b->credential (with nonce and audience: a presentation), and, when
 * the bundle has them, its entry and inclusion in the checkpoint signed by
 * ledger_did; with want_holder, the credential must name that holder (the
 * holder's own copy: outside its validity period it is only said so).
 * Prints each step, then "valid" or "invalid: ...".
 * Returns: EXIT_OK, EXIT_INVALID or EXIT_INPUT.
 */
int			cli_verify_credential(const cli_bundle *b, const char *nonce, const char *aud,
								  const char *ledger_did, const char *want_holder);

int			cmd_wallet(int argc, char **argv);

/* Where verification reports go: stdout unless set (wallet open writes the credential there). */
extern FILE *cli_report_stream;
void		report(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/* true if argv[i] is -h or --help */
bool		cli_wants_help(int argc, char **argv);

#endif /* BROP_CLI_H */
