/*
 * main.c — the brop command: subcommand dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "common/cli.h"
#include "relay/relay.h"
#include "tools/tools.h"
#include "verify/verify.h"
#include "wallet/wallet.h"


static const char usage[] =
"brop — the command-line tool of brop, a tamper-evident, verifiable registry for\n"
"credentials and evidence (ledger, registration, credentials): keys, signatures,\n"
"envelopes, offline verification, the relay and the holder's wallet\n"
"\n"
"Usage: brop COMMAND [OPTIONS]\n"
"\n"
"Commands:\n"
"  keygen   make a key file (JWK, mode 0600) and print its did:key\n"
"  did      print the did:key of a key file\n"
"  sign     sign a message with a key file\n"
"  verify   verify a signature against a did:key\n"
"  open     open a sealed envelope with the recipient's key file\n"
"  jcs      print the RFC 8785 canonical form of JSON\n"
"  relay    append a source database's registered changes to a ledger\n"
"  disclose recompute a disclosed row's digest (or derive its salt)\n"
"  wallet   a holder's credentials: keygen, list, open, export, present,\n"
"           deactivate, reactivate, destroy\n"
"\n"
"Run 'brop COMMAND --help' for a command's options.\n"
"\n"
"Exit codes:\n"
"  0  success\n"
"  1  a signature or envelope did not verify\n"
"  2  bad command line\n"
"  3  malformed input or key file\n"
"  4  a file could not be read or written; relay --once: the source or the\n"
"     ledger could not be reached in 5 attempts\n"
"  5  relay: refused for good by the ledger or the source\n";

int
main(int argc, char **argv)
{
	static const struct
	{
		const char *name;
		int			(*fn) (int, char **);
	}			commands[] = {
		{"keygen", cmd_keygen},
		{"did", cmd_did},
		{"sign", cmd_sign},
		{"verify", cmd_verify},
		{"open", cmd_open},
		{"jcs", cmd_jcs},
		{"relay", cmd_relay},
		{"disclose", cmd_disclose},
		{"wallet", cmd_wallet},
	};

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
	{
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
	{
		puts("brop " BROP_VERSION);
		return EXIT_OK;
	}
	if (brop_init() != 0)
		cli_die(EXIT_IO, "could not initialize the cryptographic libraries");

	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
		{
			progname = commands[i].name;
			return commands[i].fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "brop: unknown command \"%s\"\n\n%s", argv[1], usage);
	return EXIT_USAGE;
}
