/*
 * cmd_open.c — brop open: unseal an envelope with the holder's key file and
 * verify the issuer's signature. The holder's key never leaves this process.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tools/tools.h"

static const char open_usage[] =
"Usage: brop open --key FILE [--in FILE] [--out FILE] [--issuer DID]\n"
"\n"
"Open a sealed envelope (brop.seal_envelope) with the recipient's Ed25519 key\n"
"file: unseal it, verify the issuer's signature, and check that the envelope\n"
"names this key as its recipient. Writes the payload to standard output (or\n"
"FILE) and \"issuer: DID\" to standard error. The envelope may be raw bytes,\n"
"hex (as psql prints bytea, \\x prefix allowed) or base64url.\n"
"\n"
"  -k, --key FILE      the recipient's key file\n"
"  -i, --in FILE       envelope, - for standard input\n"
"  -o, --out FILE      where to write the payload\n"
"      --issuer DID    also require this issuer\n";

int
cmd_open(int argc, char **argv)
{
	static const struct option opts[] = {
		{"key", required_argument, NULL, 'k'},
		{"in", required_argument, NULL, 'i'},
		{"out", required_argument, NULL, 'o'},
		{"issuer", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *keypath = NULL,
			   *in = NULL,
			   *out = NULL,
			   *want_issuer = NULL;
	unsigned char issuer_pk[BROP_ED25519_PUBLICKEYBYTES];
	char		issuer[BROP_DIDKEY_MAX_LEN + 1];
	unsigned char *raw,
			   *env,
			   *payload;
	size_t		rawlen,
				envlen,
				payloadlen,
				n;
	cli_key		key;
	int			c,
				rc;

	while ((c = getopt_long(argc, argv, "k:i:o:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'k':
				keypath = optarg;
				break;
			case 'i':
				in = optarg;
				break;
			case 'o':
				out = optarg;
				break;
			case 'I':
				want_issuer = optarg;
				break;
			case 'h':
				fputs(open_usage, stdout);
				return EXIT_OK;
			default:
				fputs(open_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (keypath == NULL || optind != argc)
	{
		fputs(open_usage, stderr);
		return EXIT_USAGE;
	}
	cli_key_load(&key, keypath);
	if (key.alg != BROP_ALG_ED25519)
		cli_die(EXIT_INPUT, "envelopes are opened with Ed25519 keys");

	raw = cli_read_all(in, &rawlen);
	env = cli_decode_binary(raw, rawlen, &envlen, "envelope", BROP_ENVELOPE_VERSION);
	free(raw);
	payload = sodium_malloc(envlen ? envlen : 1);
	if (payload == NULL)
		cli_die(EXIT_IO, "out of memory");
	rc = brop_envelope_open(payload, envlen, &payloadlen, issuer_pk, env, envlen, key.secret);
	cli_key_wipe(&key);
	free(env);
	switch (rc)
	{
		case 0:
			break;
		case BROP_EDECRYPT:
			cli_die(EXIT_INVALID, "envelope is not sealed to this key, or was altered");
		case BROP_EVERIFY:
			cli_die(EXIT_INVALID, "issuer signature does not verify");
		case BROP_ERECIPIENT:
			cli_die(EXIT_INVALID, "envelope was signed for another recipient");
		default:
			cli_die(EXIT_INPUT, "invalid envelope: %s", brop_strerror(rc));
	}
	if (brop_didkey_encode(issuer, BROP_DIDKEY_MAX_LEN, &n, BROP_ALG_ED25519,
						   issuer_pk, sizeof issuer_pk) != 0)
		cli_die(EXIT_INPUT, "invalid issuer key in envelope");
	issuer[n] = '\0';
	if (want_issuer != NULL && strcmp(want_issuer, issuer) != 0)
		cli_die(EXIT_INVALID, "envelope was signed by %s, not by %s", issuer, want_issuer);
	fprintf(stderr, "issuer: %s\n", issuer);
	cli_write_all(out, payload, payloadlen);
	sodium_free(payload);
	return EXIT_OK;
}
