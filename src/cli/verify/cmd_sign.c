/*
 * cmd_sign.c — brop sign, brop verify.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "verify/verify.h"

static const char sign_usage[] =
"Usage: brop sign --key FILE [--in FILE] [--schnorr] [--base64url]\n"
"\n"
"Sign the bytes of FILE (default: standard input) and print the signature\n"
"in hex: Ed25519, or ECDSA over SHA-256 as 64 bytes r||s in low-S form.\n"
"\n"
"  -k, --key FILE    key file (JSON Web Key)\n"
"  -i, --in FILE     message file, - for standard input\n"
"      --schnorr     BIP-340 Schnorr signature (secp256k1 keys)\n"
"      --base64url   print the signature in base64url instead of hex\n";

static void
print_encoded(const unsigned char *data, size_t len, bool base64url)
{
	char		buf[2 * BROP_ECDSA_DER_MAX_BYTES + 1];
	size_t		n;
	int			rc;

	rc = base64url ? brop_base64_encode(buf, sizeof buf, &n, data, len, BROP_BASE64_URLSAFE)
		: brop_hex_encode(buf, sizeof buf, &n, data, len);
	if (rc != 0)
		cli_die(EXIT_IO, "internal encoding failure");
	printf("%.*s\n", (int) n, buf);
}

int
cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{"key", required_argument, NULL, 'k'},
		{"in", required_argument, NULL, 'i'},
		{"schnorr", no_argument, NULL, 's'},
		{"base64url", no_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *keypath = NULL,
			   *in = NULL;
	bool		schnorr = false,
				base64url = false;
	unsigned char sig[BROP_SIGNATURE_BYTES];
	unsigned char *msg;
	size_t		msglen;
	cli_key		key;
	int			c,
				rc;

	while ((c = getopt_long(argc, argv, "k:i:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'k':
				keypath = optarg;
				break;
			case 'i':
				in = optarg;
				break;
			case 's':
				schnorr = true;
				break;
			case 'b':
				base64url = true;
				break;
			case 'h':
				fputs(sign_usage, stdout);
				return EXIT_OK;
			default:
				fputs(sign_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (keypath == NULL || optind != argc)
	{
		fputs(sign_usage, stderr);
		return EXIT_USAGE;
	}
	cli_key_load(&key, keypath);
	msg = cli_read_all(in, &msglen);
	if (schnorr)
	{
		unsigned char aux[32];

		if (key.alg != BROP_ALG_SECP256K1)
			cli_die(EXIT_USAGE, "--schnorr needs a secp256k1 key");
		randombytes_buf(aux, sizeof aux);
		rc = brop_schnorr_sign(sig, msg, msglen, key.secret, aux);
	}
	else
		rc = brop_sign(sig, key.alg, key.secret, msg, msglen);
	cli_key_wipe(&key);
	free(msg);
	if (rc != 0)
		cli_die(EXIT_INPUT, "could not sign: %s", brop_strerror(rc));
	print_encoded(sig, sizeof sig, base64url);
	return EXIT_OK;
}

static const char verify_usage[] =
"Usage: brop verify --did DID --signature SIG [--in FILE] [--schnorr]\n"
"       brop verify --did DID --checkpoint FILE [--witness VKEY ... --quorum K]\n"
"       brop verify --did DID --checkpoint FILE --proof PROOF --leaf HASH\n"
"       brop verify --did DID --checkpoint FILE --proof PROOF --entry FILE\n"
"       brop verify --did DID --old-checkpoint FILE --checkpoint FILE --proof PROOF\n"
"       brop verify --credential FILE [--nonce N --audience A] [--did LEDGER_DID]\n"
"       brop verify --disclosure FILE --did LEDGER_DID [--org ORG_DID]\n"
"       brop verify --did DID --fork FILE_A FILE_B [--proof PROOF]\n"
"\n"
"Verify a signature over the bytes of FILE (default: standard input); or,\n"
"offline, a log's signed checkpoint, an inclusion proof of a leaf against it,\n"
"or a consistency proof between two checkpoints of the same log.\n"
"Prints \"valid\" and exits 0, or prints \"invalid\" and exits 1.\n"
"\n"
"  -d, --did DID            the signer's did:key (the log's key for checkpoints)\n"
"  -s, --signature SIG      hex (\\x prefix allowed) or base64url; ECDSA as\n"
"                           64 bytes r||s or DER\n"
"  -i, --in FILE            message file, - for standard input\n"
"      --schnorr            BIP-340 signature with a secp256k1 did\n"
"  -c, --checkpoint FILE    a checkpoint note (C2SP signed note)\n"
"      --old-checkpoint FILE  an earlier checkpoint of the same log\n"
"  -w, --witness VKEY       a witness of the policy the checkpoint must meet\n"
"                           (its verifier key text; up to 64, repeat it)\n"
"  -k, --quorum K           how many of the witnesses must have cosigned\n"
"                           (default: all of them)\n"
"      --fork A B           a proof of misbehaviour: two checkpoints signed by\n"
"                           --did that no one log can have (with --proof, a\n"
"                           consistency proof from the smaller to the larger\n"
"                           size; brop verify --fork --help)\n"
"  -p, --proof PROOF        \"inclusion(I, N) [HASH, ...]\" or\n"
"                           \"consistency(M, N) [HASH, ...]\", or @FILE\n"
"  -l, --leaf HASH          the leaf hash an inclusion proof is about\n"
"  -e, --entry FILE         a ledger entry's leaf input (brop.entry_leaf()),\n"
"                           whose leaf hash the proof is about\n"
"      --credential FILE    a credential or presentation (vc or sd-jwt), or a\n"
"                           bundle from brop wallet export / present: its\n"
"                           signatures, and with a bundle its entry and\n"
"                           inclusion in the checkpoint signed by --did\n"
"      --nonce N, --audience A  a presentation's key binding must carry them\n"
"      --disclosure FILE    a row disclosure bundle (brop.disclosure()): the\n"
"                           entry's signature, the row's digest, and its\n"
"                           inclusion in the checkpoint signed by --did\n"
"                           (brop verify --disclosure --help)\n";

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"did", required_argument, NULL, 'd'},
		{"signature", required_argument, NULL, 's'},
		{"in", required_argument, NULL, 'i'},
		{"schnorr", no_argument, NULL, 'S'},
		{"checkpoint", required_argument, NULL, 'c'},
		{"old-checkpoint", required_argument, NULL, 'O'},
		{"proof", required_argument, NULL, 'p'},
		{"leaf", required_argument, NULL, 'l'},
		{"entry", required_argument, NULL, 'e'},
		{"credential", required_argument, NULL, 'C'},
		{"nonce", required_argument, NULL, 'N'},
		{"audience", required_argument, NULL, 'A'},
		{"witness", required_argument, NULL, 'w'},
		{"quorum", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *did = NULL,
			   *sigtext = NULL,
			   *in = NULL,
			   *checkpoint = NULL,
			   *old_checkpoint = NULL,
			   *proof = NULL,
			   *leaf = NULL,
			   *entry = NULL,
			   *credential = NULL,
			   *nonce = NULL,
			   *audience = NULL;
	char		entry_hex[2 * BROP_MERKLE_HASH_BYTES + 1];
	bool		schnorr = false;
	cli_policy	policy = {.n = 0, .quorum = -1};
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen,
				siglen,
				msglen;
	unsigned char *sig,
			   *msg;
	brop_alg	alg;
	int			c,
				rc;

	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--disclosure") == 0 || strncmp(argv[i], "--disclosure=", 13) == 0)
			return cli_verify_disclosure(argc, argv);
		if (strcmp(argv[i], "--fork") == 0)
			return cli_verify_fork(argc, argv);
	}
	while ((c = getopt_long(argc, argv, "d:s:i:c:p:l:e:w:k:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				did = optarg;
				break;
			case 's':
				sigtext = optarg;
				break;
			case 'i':
				in = optarg;
				break;
			case 'S':
				schnorr = true;
				break;
			case 'c':
				checkpoint = optarg;
				break;
			case 'O':
				old_checkpoint = optarg;
				break;
			case 'p':
				proof = optarg;
				break;
			case 'l':
				leaf = optarg;
				break;
			case 'e':
				entry = optarg;
				break;
			case 'C':
				credential = optarg;
				break;
			case 'N':
				nonce = optarg;
				break;
			case 'A':
				audience = optarg;
				break;
			case 'w':
				if (policy.n == BROP_WITNESS_MAX)
					cli_die(EXIT_USAGE, "a policy names at most %d witnesses", BROP_WITNESS_MAX);
				policy.witnesses[policy.n++] = optarg;
				break;
			case 'k':
				{
					char	   *end;
					long		k = strtol(optarg, &end, 10);

					if (*optarg == '\0' || *end != '\0' || k < 0 || k > BROP_WITNESS_MAX)
						cli_die(EXIT_USAGE, "--quorum must be a number from 0 to %d", BROP_WITNESS_MAX);
					policy.quorum = (int) k;
					break;
				}
			case 'h':
				fputs(verify_usage, stdout);
				return EXIT_OK;
			default:
				fputs(verify_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (credential != NULL)
	{
		cli_bundle	b;
		unsigned char *text;
		size_t		len;

		if (sigtext || in || schnorr || checkpoint || old_checkpoint || proof || leaf || entry
			|| policy.n > 0 || policy.quorum >= 0
			|| optind != argc || (nonce == NULL) != (audience == NULL))
		{
			fputs(verify_usage, stderr);
			return EXIT_USAGE;
		}
		text = cli_read_all(credential, &len);
		cli_bundle_read(&b, text, len);
		free(text);
		rc = cli_verify_credential(&b, nonce, audience, did, NULL);
		cli_bundle_free(&b);
		return rc;
	}
	if (nonce || audience)
	{
		fputs(verify_usage, stderr);
		return EXIT_USAGE;
	}
	if ((policy.n > 0 || policy.quorum >= 0) && checkpoint == NULL)
		cli_die(EXIT_USAGE, "--witness and --quorum need --checkpoint");
	if (policy.quorum < 0)
		policy.quorum = policy.n;
	if (policy.quorum > policy.n)
		cli_die(EXIT_USAGE, "--quorum %d is more than the %d witnesses given", policy.quorum, policy.n);
	if (did != NULL && checkpoint != NULL && sigtext == NULL && in == NULL && !schnorr &&
		optind == argc && !(leaf && entry))
	{
		if (entry != NULL)
		{
			cli_entry_leaf_hex(entry_hex, entry);
			leaf = entry_hex;
		}
		return cli_verify_log(did, checkpoint, old_checkpoint, proof, leaf, &policy);
	}
	if (did == NULL || sigtext == NULL || optind != argc ||
		checkpoint || old_checkpoint || proof || leaf || entry)
	{
		fputs(verify_usage, stderr);
		return EXIT_USAGE;
	}
	rc = brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(did));
	if (rc != 0)
		cli_die(EXIT_INPUT, "invalid did \"%s\": %s", did, brop_strerror(rc));
	sig = cli_decode_binary((const unsigned char *) sigtext, strlen(sigtext), &siglen, "signature", -1);
	msg = cli_read_all(in, &msglen);
	if (schnorr)
	{
		if (alg != BROP_ALG_SECP256K1)
			cli_die(EXIT_USAGE, "--schnorr needs a secp256k1 did");
		if (siglen != BROP_SIGNATURE_BYTES)
			cli_die(EXIT_INPUT, "invalid signature: %s", brop_strerror(BROP_ELENGTH));
		rc = brop_schnorr_verify(sig, msg, msglen, pk + 1);
	}
	else
		rc = brop_verify_any(alg, pk, pklen, msg, msglen, sig, siglen);
	free(sig);
	free(msg);
	if (rc == BROP_EVERIFY)
	{
		puts("invalid");
		return EXIT_INVALID;
	}
	if (rc != 0)
		cli_die(EXIT_INPUT, "invalid signature: %s", brop_strerror(rc));
	puts("valid");
	return EXIT_OK;
}
