/*
 * cmd_keys.c — brop keygen, brop did.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tools/tools.h"

static const char keygen_usage[] =
"Usage: brop keygen --out FILE [--alg ed25519|secp256k1|p256] [--force]\n"
"\n"
"Make a new secret key, write it to FILE as a JSON Web Key with mode 0600,\n"
"and print its did:key. Ed25519 keys can also open sealed envelopes.\n"
"\n"
"  -o, --out FILE   key file to create (refused if it exists)\n"
"  -a, --alg ALG    ed25519 (default), secp256k1 or p256\n"
"  -f, --force      replace an existing FILE\n";

int
cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"alg", required_argument, NULL, 'a'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *out = NULL;
	const char *algname = "ed25519";
	bool		force = false;
	cli_key		key;
	int			c;

	while ((c = getopt_long(argc, argv, "o:a:fh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'o':
				out = optarg;
				break;
			case 'a':
				algname = optarg;
				break;
			case 'f':
				force = true;
				break;
			case 'h':
				fputs(keygen_usage, stdout);
				return EXIT_OK;
			default:
				fputs(keygen_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (out == NULL || optind != argc)
	{
		fputs(keygen_usage, stderr);
		return EXIT_USAGE;
	}
	memset(&key, 0, sizeof key);
	if (brop_alg_from_name(&key.alg, algname, strlen(algname)) != 0 || key.alg == BROP_ALG_X25519)
		cli_die(EXIT_USAGE, "unsupported algorithm \"%s\" (ed25519, secp256k1 or p256)", algname);
	if (brop_key_generate(key.secret, key.alg) != 0)
		cli_die(EXIT_IO, "could not generate a key");
	cli_key_derive(&key);
	cli_key_save(&key, out, force);
	printf("%s\n", key.did);
	cli_key_wipe(&key);
	return EXIT_OK;
}

static const char did_usage[] =
"Usage: brop did --key FILE [--x25519]\n"
"\n"
"Print the did:key of a key file.\n"
"\n"
"  -k, --key FILE   key file (JSON Web Key)\n"
"      --x25519     print the X25519 key-agreement did of an Ed25519 key\n";

int
cmd_did(int argc, char **argv)
{
	static const struct option opts[] = {
		{"key", required_argument, NULL, 'k'},
		{"x25519", no_argument, NULL, 'x'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *path = NULL;
	bool		x25519 = false;
	cli_key		key;
	int			c;

	while ((c = getopt_long(argc, argv, "k:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'k':
				path = optarg;
				break;
			case 'x':
				x25519 = true;
				break;
			case 'h':
				fputs(did_usage, stdout);
				return EXIT_OK;
			default:
				fputs(did_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (path == NULL || optind != argc)
	{
		fputs(did_usage, stderr);
		return EXIT_USAGE;
	}
	cli_key_load(&key, path);
	if (x25519)
	{
		unsigned char xpk[BROP_X25519_PUBLICKEYBYTES];
		char		did[BROP_DIDKEY_MAX_LEN + 1];
		size_t		n;

		if (key.alg != BROP_ALG_ED25519)
			cli_die(EXIT_INPUT, "only Ed25519 keys have an X25519 counterpart");
		if (brop_ed25519_pk_to_x25519(xpk, key.pk) != 0 ||
			brop_didkey_encode(did, BROP_DIDKEY_MAX_LEN, &n, BROP_ALG_X25519, xpk, sizeof xpk) != 0)
			cli_die(EXIT_INPUT, "could not convert the key to X25519");
		did[n] = '\0';
		printf("%s\n", did);
	}
	else
		printf("%s\n", key.did);
	cli_key_wipe(&key);
	return EXIT_OK;
}
