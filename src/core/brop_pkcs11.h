/*
 * brop_pkcs11.h — signing keys kept in a PKCS#11 token (an HSM, a smart
 * card, SoftHSM2), named by an RFC 7512 URI.
 *
 *   brop_pkcs11_uri u;
 *   brop_pkcs11_key *k;
 *   rc = brop_pkcs11_uri_parse(&u, text, len);           (no I/O)
 *   rc = brop_pkcs11_open(&k, &u);                       (module, token, PIN, key)
 *   brop_pkcs11_uri_wipe(&u);
 *   rc = brop_pkcs11_public_key(k, &alg, pk, sizeof pk, &pklen);
 *   rc = brop_pkcs11_sign(k, sig, m, mlen);              (C_Sign, then verified)
 *   brop_pkcs11_close(k);
 *
 * Ed25519 signs with CKM_EDDSA (pure Ed25519, no parameters); P-256 with
 * CKM_ECDSA over SHA-256(m), returned as the core's compact r||s in low-S.
 * Every signature is verified with the core's own verification against the
 * token's public key before it is handed out.
 *
 * Modules: one per path per process, loaded with dlopen and initialised
 * once (C_Initialize with CKF_OS_LOCKING_OK; a module some other code of the
 * process initialised first, CKR_CRYPTOKI_ALREADY_INITIALIZED, is used as
 * it is and never finalised by us). A module stays loaded after its keys are
 * closed; brop_pkcs11_unload finalises and unloads the ones without open
 * keys. Load modules in the process that signs, not before a fork: PKCS#11
 * does not carry a module's state across fork().
 *
 * Threads: the functions are safe to call from several threads, but one
 * brop_pkcs11_key must not be used by two threads at once (it is one
 * PKCS#11 session).
 */
#ifndef BROP_PKCS11_H
#define BROP_PKCS11_H

#include <stddef.h>
#include "brop_err.h"
#include "brop_sign.h"

/* Longest URI text read. */
#define BROP_PKCS11_URI_MAX 4096
/* Longest decoded value of each attribute (bytes; the token's own fields are shorter). */
#define BROP_PKCS11_LABEL_MAX 64		/* token, manufacturer, model, serial, library-*, slot-* */
#define BROP_PKCS11_OBJECT_MAX 256		/* object (CKA_LABEL) */
#define BROP_PKCS11_ID_MAX 256			/* id (CKA_ID), bytes */
#define BROP_PKCS11_PATH_MAX 1024		/* module-path, module-name, pin-source */
#define BROP_PKCS11_PIN_MAX 256			/* pin-value, and a PIN read from pin-source */

/* Directories module-name is looked up in, in this order (docs/security.md). */
#define BROP_PKCS11_MODULE_DIR "/usr/lib/x86_64-linux-gnu/pkcs11"
#define BROP_PKCS11_SOFTHSM_DIR "/usr/lib/softhsm"

typedef enum brop_pkcs11_type
{
	BROP_PKCS11_TYPE_ANY = 0,		/* no type attribute */
	BROP_PKCS11_TYPE_PRIVATE,
	BROP_PKCS11_TYPE_PUBLIC,
	BROP_PKCS11_TYPE_CERT,
	BROP_PKCS11_TYPE_SECRET_KEY,
	BROP_PKCS11_TYPE_DATA
} brop_pkcs11_type;

/* Which attributes a URI has: bits of brop_pkcs11_uri.present. */
enum
{
	BROP_PKCS11_HAS_TOKEN = 1 << 0,
	BROP_PKCS11_HAS_MANUFACTURER = 1 << 1,
	BROP_PKCS11_HAS_SERIAL = 1 << 2,
	BROP_PKCS11_HAS_MODEL = 1 << 3,
	BROP_PKCS11_HAS_LIBRARY_MANUFACTURER = 1 << 4,
	BROP_PKCS11_HAS_LIBRARY_DESCRIPTION = 1 << 5,
	BROP_PKCS11_HAS_LIBRARY_VERSION = 1 << 6,
	BROP_PKCS11_HAS_OBJECT = 1 << 7,
	BROP_PKCS11_HAS_TYPE = 1 << 8,
	BROP_PKCS11_HAS_ID = 1 << 9,
	BROP_PKCS11_HAS_SLOT_DESCRIPTION = 1 << 10,
	BROP_PKCS11_HAS_SLOT_MANUFACTURER = 1 << 11,
	BROP_PKCS11_HAS_SLOT_ID = 1 << 12,
	BROP_PKCS11_HAS_PIN_SOURCE = 1 << 13,
	BROP_PKCS11_HAS_PIN_VALUE = 1 << 14,
	BROP_PKCS11_HAS_MODULE_NAME = 1 << 15,
	BROP_PKCS11_HAS_MODULE_PATH = 1 << 16
};

/*
 * A parsed URI: percent-decoded values, NUL-terminated (id: bytes and
 * id_len). An attribute given with an empty value ("serial=") is present
 * and matches only an empty (all blank) field. Holds the pin-value, if
 * the URI had one: wipe it with brop_pkcs11_uri_wipe.
 */
typedef struct brop_pkcs11_uri
{
	unsigned int present;		/* BROP_PKCS11_HAS_* */
	char		token[BROP_PKCS11_LABEL_MAX + 1];
	char		manufacturer[BROP_PKCS11_LABEL_MAX + 1];
	char		serial[BROP_PKCS11_LABEL_MAX + 1];
	char		model[BROP_PKCS11_LABEL_MAX + 1];
	char		library_manufacturer[BROP_PKCS11_LABEL_MAX + 1];
	char		library_description[BROP_PKCS11_LABEL_MAX + 1];
	unsigned char library_version_major;
	unsigned char library_version_minor;
	char		object[BROP_PKCS11_OBJECT_MAX + 1];
	brop_pkcs11_type type;
	unsigned char id[BROP_PKCS11_ID_MAX];
	size_t		id_len;
	char		slot_description[BROP_PKCS11_LABEL_MAX + 1];
	char		slot_manufacturer[BROP_PKCS11_LABEL_MAX + 1];
	unsigned long slot_id;
	/* path attributes of no standard name (vendor-specific): RFC 7512 sec. 2.5 */
	unsigned int vendor_path_attributes;
	char		pin_source[BROP_PKCS11_PATH_MAX + 1];
	char		pin_value[BROP_PKCS11_PIN_MAX + 1];
	char		module_name[BROP_PKCS11_PATH_MAX + 1];
	char		module_path[BROP_PKCS11_PATH_MAX + 1];
} brop_pkcs11_uri;

/*
 * Parse an RFC 7512 URI ("pkcs11:" path ["?" query]). Strict: the scheme
 * (any case), attribute names as written in the RFC (lower case), each
 * standard attribute at most once, every character of a value either
 * allowed unencoded in its component or percent-encoded as "%" and two hex
 * digits; a text value may not hold a NUL byte; type one of private,
 * public, cert, secret-key, data; slot-id digits (fits an unsigned long);
 * library-version digits ["." digits], each up to 255; pin-source and
 * pin-value not both. Path attributes with another name that is made of
 * letters, digits, "-" and "_" (vendor-specific) are counted in
 * vendor_path_attributes: such a URI parses, but matches no key
 * (brop_pkcs11_open returns BROP_ENOTFOUND; RFC 7512 sec. 2.5: an
 * unrecognised path attribute gives an empty matching set). Query
 * attributes of another such name are ignored.
 * Returns: 0; BROP_EINVAL (NULL); BROP_ELENGTH (the URI or a value too long);
 * BROP_EENCODING (a bad percent-escape); BROP_EURI (anything else).
 * Out: uri (wiped first; after an error it holds nothing).
 */
BROP_WARN_UNUSED_RESULT int brop_pkcs11_uri_parse(brop_pkcs11_uri *uri, const char *text, size_t len);

/* Wipe a parsed URI (its pin-value). */
void		brop_pkcs11_uri_wipe(brop_pkcs11_uri *uri);

/* A key on a token: its module, an open logged-in session, the private key. */
typedef struct brop_pkcs11_key brop_pkcs11_key;

/*
 * Open the private key uri names.
 *   - the module: module-path, else module-name looked up as
 *     BROP_PKCS11_MODULE_DIR/<name>.so, then .../lib<name>.so, then the same
 *     two in BROP_PKCS11_SOFTHSM_DIR (a name is letters, digits, ".", "-",
 *     "_"); loaded once per process;
 *   - the slot: the one slot with a token whose library-*, slot-* and token
 *     attributes match (each attribute the URI has, compared with the
 *     blank-padded field);
 *   - the PIN: read from pin-source ("file:" path, or a path; a regular file
 *     without group or world access; one trailing newline stripped), then
 *     wiped; a URI with pin-value is refused (a key's URI is stored, a PIN
 *     must not be); while another key of the token is open in the process,
 *     the token is logged in already (PKCS#11 logs in per process) and the
 *     PIN is not checked again;
 *   - the key: the one CKO_PRIVATE_KEY with the URI's object (CKA_LABEL)
 *     and id (CKA_ID), of key type CKK_EC_EDWARDS on Ed25519 or CKK_EC on
 *     P-256; its public key from its own CKA_EC_POINT, else from the one
 *     public key object of the same CKA_ID (of the same CKA_LABEL when it
 *     has no CKA_ID).
 * Returns: 0; BROP_EINVAL (NULL); BROP_EURI (neither module-path nor
 * module-name, a module-name that is not a file name, no pin-source, a
 * pin-value, a type other than private); BROP_EMODULE (the module file is
 * missing, cannot be loaded or has no C_GetFunctionList, or 8 modules are
 * loaded already); BROP_ENOTFOUND (no token, or no key, matches);
 * BROP_EAMBIGUOUS (two tokens, or two keys, match); BROP_EPINFILE (the PIN
 * file cannot be read, is not a regular file, has group or world access, is
 * empty or longer than BROP_PKCS11_PIN_MAX); BROP_EPIN (the token refused
 * the PIN, or it is locked); BROP_EALG (a key of another type or curve);
 * BROP_EKEY (its public key is malformed or not on the curve); BROP_ETOKEN
 * (any other failure of the module or token); BROP_ENOMEM.
 * Out: *key, to be closed with brop_pkcs11_close (NULL after an error).
 */
BROP_WARN_UNUSED_RESULT int brop_pkcs11_open(brop_pkcs11_key **key, const brop_pkcs11_uri *uri);

/*
 * The key's algorithm and public key in the core's form: Ed25519 32 bytes,
 * P-256 33 bytes compressed.
 * Returns: 0; BROP_EINVAL; BROP_EBUFFER (pkcap too small).
 */
BROP_WARN_UNUSED_RESULT int brop_pkcs11_public_key(const brop_pkcs11_key *key, brop_alg *alg,
												   unsigned char *pk, size_t pkcap, size_t *pklen);

/*
 * Sign m with the token: Ed25519 (CKM_EDDSA), or ECDSA P-256 (CKM_ECDSA over
 * SHA-256(m), s made low). The signature is verified against the public key
 * before it is returned.
 * Returns: 0; BROP_EINVAL; BROP_EVERIFY (the token's signature does not
 * verify: it is not returned); BROP_ETOKEN (the token failed, or returned
 * a signature of another length); BROP_EPIN (the token logged out).
 * Out: sig, 64 bytes (zeros after an error).
 */
BROP_WARN_UNUSED_RESULT int brop_pkcs11_sign(brop_pkcs11_key *key, unsigned char sig[BROP_SIGNATURE_BYTES],
											 const unsigned char *m, size_t mlen);

/* Close the key's session and free it (NULL: nothing). The module stays loaded. */
void		brop_pkcs11_close(brop_pkcs11_key *key);

/*
 * Finalise (if this code initialised it) and unload every module that has no
 * open key. For the end of a process, and tests.
 * Returns: 0, or BROP_EINVAL if some module still has open keys (it stays).
 */
BROP_WARN_UNUSED_RESULT int brop_pkcs11_unload(void);

#endif /* BROP_PKCS11_H */
