/*
 * softhsm_tool.c — the helper of scripts/softhsm.sh and the SoftHSM2 TAP
 * test (build/softhsm_tool):
 *
 *   softhsm_tool keygen MODULE TOKEN PINFILE ed25519|p256 LABEL IDHEX
 *       a key pair on an initialised token, through C_GenerateKeyPair
 *       (SOFTHSM2_CONF names the token directory's configuration)
 *   softhsm_tool sign URI MESSAGE
 *       MESSAGE signed with the key URI names, through the core
 *       (brop_pkcs11_open, brop_pkcs11_sign); prints the key's did:key and
 *       the signature in hex, one a line
 *
 * Exit status 0, or 1 with the reason on stderr (the core's error text).
 */
#include <stdio.h>
#include <string.h>

#include "brop.h"
#include "softhsm.h"

static int
usage(void)
{
	fprintf(stderr, "usage: softhsm_tool keygen MODULE TOKEN PINFILE ed25519|p256 LABEL IDHEX\n"
			"       softhsm_tool sign URI MESSAGE\n");
	return 2;
}

static int
read_pin(const char *path, char *pin, size_t cap)
{
	FILE	   *fp = fopen(path, "r");
	size_t		n;

	if (fp == NULL || fgets(pin, (int) cap, fp) == NULL)
	{
		fprintf(stderr, "softhsm_tool: cannot read %s\n", path);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	fclose(fp);
	n = strlen(pin);
	if (n > 0 && pin[n - 1] == '\n')
		pin[n - 1] = '\0';
	return 0;
}

static int
keygen(char **argv)
{
	unsigned char id[64];
	char		pin[256];
	size_t		idlen = 0;
	unit_key_kind kind;
	int			rc;

	if (strcmp(argv[3], "ed25519") == 0)
		kind = UNIT_KEY_ED25519;
	else if (strcmp(argv[3], "p256") == 0)
		kind = UNIT_KEY_P256;
	else
		return usage();
	if (brop_hex_decode(id, sizeof id, &idlen, argv[5], strlen(argv[5])) != 0)
		return usage();
	if (read_pin(argv[2], pin, sizeof pin) != 0)
		return 1;
	rc = unit_softhsm_keypair(argv[0], argv[1], pin, kind, argv[4], id, idlen);
	brop_wipe(pin, sizeof pin);
	return rc == 0 ? 0 : 1;
}

static int
sign(const char *uri_text, const char *msg)
{
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES],
				sig[BROP_SIGNATURE_BYTES];
	char		did[BROP_DIDKEY_MAX_LEN + 1],
				hex[2 * BROP_SIGNATURE_BYTES + 1];
	size_t		pklen,
				didlen,
				hexlen;
	brop_alg	alg;
	brop_pkcs11_uri uri;
	brop_pkcs11_key *key = NULL;
	int			rc;

	rc = brop_pkcs11_uri_parse(&uri, uri_text, strlen(uri_text));
	if (rc == 0)
		rc = brop_pkcs11_open(&key, &uri);
	brop_pkcs11_uri_wipe(&uri);
	if (rc == 0)
		rc = brop_pkcs11_public_key(key, &alg, pk, sizeof pk, &pklen);
	if (rc == 0)
		rc = brop_pkcs11_sign(key, sig, (const unsigned char *) msg, strlen(msg));
	brop_pkcs11_close(key);
	if (rc == 0)
		rc = brop_didkey_encode(did, sizeof did, &didlen, alg, pk, pklen);
	if (rc == 0)
		rc = brop_hex_encode(hex, sizeof hex, &hexlen, sig, sizeof sig);
	if (rc == 0 && brop_pkcs11_unload() != 0)
		rc = BROP_EINTERNAL;
	if (rc != 0)
	{
		fprintf(stderr, "softhsm_tool: %s\n", brop_strerror(rc));
		return 1;
	}
	printf("%.*s\n%.*s\n", (int) didlen, did, (int) hexlen, hex);
	return 0;
}

int
main(int argc, char **argv)
{
	if (brop_init() != 0)
		return 1;
	if (argc == 8 && strcmp(argv[1], "keygen") == 0)
		return keygen(argv + 2);
	if (argc == 4 && strcmp(argv[1], "sign") == 0)
		return sign(argv[2], argv[3]);
	return usage();
}
