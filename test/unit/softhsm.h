/*
 * softhsm.h — a throw-away SoftHSM2 token for the PKCS#11 tests, made
 * through PKCS#11 itself (C_InitToken, C_InitPIN, C_GenerateKeyPair), so
 * no tool beyond the softhsm2 package is needed.
 */
#ifndef BROP_UNIT_SOFTHSM_H
#define BROP_UNIT_SOFTHSM_H

#include <stddef.h>

/* Debian's softhsm2 package */
#define UNIT_SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define UNIT_SOFTHSM_LABEL "brop-test"
#define UNIT_SOFTHSM_PIN "1234"
#define UNIT_SOFTHSM_SO_PIN "5678"

typedef enum
{
	UNIT_KEY_ED25519,
	UNIT_KEY_P256,
	UNIT_KEY_P384
} unit_key_kind;

/*
 * Generate a key pair of kind on the token labelled token_label (already
 * initialised, user PIN pin) of the module at module_path, with CKA_LABEL
 * label and CKA_ID id[0..idlen). SOFTHSM2_CONF must be set.
 * Returns: 0, or -1 with a line on stderr.
 */
int			unit_softhsm_keypair(const char *module_path, const char *token_label, const char *pin,
								 unit_key_kind kind, const char *label,
								 const unsigned char *id, size_t idlen);

/*
 * The tests' token, made once per process: a directory under $TMPDIR with
 * its softhsm2.conf (SOFTHSM2_CONF set to it), the token UNIT_SOFTHSM_LABEL
 * with the keys "ed-key" (id 01), "p256-key" (id 02), "p384-key" (id 04)
 * and two "twin" keys (both id 03), and the PIN files pin (the PIN and a
 * newline, 0600), wrong-pin (0600) and open-pin (the PIN, 0644). Removed at
 * exit. Returns the directory, or NULL (the reason on stderr): a test
 * that needs the token then fails.
 */
const char *unit_softhsm_dir(void);

#endif /* BROP_UNIT_SOFTHSM_H */
