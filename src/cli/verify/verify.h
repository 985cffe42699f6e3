/*
 * verify.h — brop sign, verify and disclose (src/cli/verify): signatures,
 * the log's checkpoints and proofs, credentials offline.
 */
#ifndef BROP_CLI_VERIFY_H
#define BROP_CLI_VERIFY_H

#include "common/cli.h"

int			cmd_sign(int argc, char **argv);
int			cmd_verify(int argc, char **argv);
int			cmd_disclose(int argc, char **argv);

/* A witness policy: at least quorum of the witnesses (verifier key texts) cosigned. */
typedef struct cli_policy
{
	const char *witnesses[BROP_WITNESS_MAX];
	int			n;
	int			quorum;
} cli_policy;

/* brop verify --checkpoint ... (verify_log.c); policy NULL or with no witnesses: none. */
void		cli_entry_leaf_hex(char hex[65], const char *path);
int			cli_verify_log(const char *did, const char *checkpoint, const char *old_checkpoint,
						   const char *proof, const char *leaf_hex, const cli_policy *policy);

/* brop verify --fork A B ... (verify_fork.c): argv is verify's. */
int			cli_verify_fork(int argc, char **argv);

/* The inclusion of an entry (leaf input text) in a signed checkpoint, all in memory (verify_log.c). */
int			cli_check_inclusion(const char *did, const char *note_text, size_t note_len,
								const char *proof_text, const char *leaf_text, size_t leaf_len);

/* brop verify --disclosure FILE ... (verify_disclosure.c): argv is verify's. */
int			cli_verify_disclosure(int argc, char **argv);

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

#endif /* BROP_CLI_VERIFY_H */
