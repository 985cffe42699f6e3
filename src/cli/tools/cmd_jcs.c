/*
 * cmd_jcs.c — brop jcs: RFC 8785 canonical JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tools.h"

static const char jcs_usage[] =
"Usage: brop jcs [FILE]\n"
"\n"
"Print the RFC 8785 canonical form of the JSON in FILE (default: standard\n"
"input), with no trailing newline, so that its bytes can be hashed or signed.\n"
"Duplicate keys, lone surrogates and numbers beyond IEEE 754 doubles are\n"
"refused (exit 3).\n";

int
cmd_jcs(int argc, char **argv)
{
	unsigned char *in;
	size_t		inlen,
				outlen;
	char	   *out = NULL;
	brop_json_error err;
	int			rc;

	if (cli_wants_help(argc, argv))
	{
		fputs(jcs_usage, stdout);
		return EXIT_OK;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0'))
	{
		fputs(jcs_usage, stderr);
		return EXIT_USAGE;
	}
	in = cli_read_all(argc == 2 ? argv[1] : NULL, &inlen);
	rc = brop_jcs_canonicalize(&out, &outlen, (const char *) in, inlen, NULL, &err);
	free(in);
	if (rc != 0)
	{
		if (err.line)
			cli_die(EXIT_INPUT, "%s: %s (line %zu, column %zu)", brop_strerror(rc), err.message,
					err.line, err.column);
		cli_die(EXIT_INPUT, "%s: %s", brop_strerror(rc), err.message);
	}
	cli_write_all(NULL, (unsigned char *) out, outlen);
	free(out);
	return EXIT_OK;
}
