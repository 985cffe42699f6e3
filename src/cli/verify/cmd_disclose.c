/*
 * cmd_disclose.c — brop disclose: one registered row, disclosed with its
 * salt, checked against its ledger entry (docs/registration.md, "Disclosing
 * one row"); or, at the institution, the salt to disclose it with.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "verify/verify.h"

static const char disclose_usage[] =
"Usage: brop disclose --row FILE (--salt SALT | --salt-key FILE --registration NAME\n"
"                     --row-key JSON --version V) [--digest HEX | --entry FILE]\n"
"\n"
"Recompute the digest of a disclosed row (docs/formats.md, \"Row digests\")\n"
"and print it. With --digest or --entry, compare it with the digest on the\n"
"ledger: print \"valid\" (exit 0) or \"invalid\" (exit 1).\n"
"\n"
"  -r, --row FILE           the row's document: a JSON object of the registered\n"
"                           columns' text values (strings or null); - for stdin\n"
"  -s, --salt SALT          the row version's salt (hex or base64url), as disclosed\n"
"  -d, --digest HEX         the entry's payload_digest\n"
"  -e, --entry FILE         the entry's leaf input (brop.entry_leaf()): its\n"
"                           payload_digest, registration and version are used\n"
"At the institution, instead of --salt (prints the salt too):\n"
"  -K, --salt-key FILE      the salt key file (64 hex digits, mode 0600)\n"
"  -R, --registration NAME  the registration's name\n"
"  -k, --row-key JSON       the JSON array of the key columns' text values\n"
"  -V, --version V          the version (the entry header's \"version\")\n";

static void
hex_print(const char *label, const unsigned char *d, size_t n)
{
	char		hex[2 * 64 + 1];
	size_t		len;

	if (brop_hex_encode(hex, sizeof hex, &len, d, n) != 0)
		cli_die(EXIT_IO, "internal encoding failure");
	printf("%s: %.*s\n", label, (int) len, hex);
}

static char *
canonical(const unsigned char *text, size_t len, const char *what, size_t *outlen)
{
	char	   *out = NULL;
	brop_json_error err;
	int			rc = brop_jcs_canonicalize(&out, outlen, (const char *) text, len, NULL, &err);

	if (rc != 0)
		cli_die(EXIT_INPUT, "%s is not valid JSON: %s", what, err.message);
	return out;
}

/* The document must be an object of strings and nulls, as the plugin and the trigger make it. */
static void
check_document(const char *doc, size_t len)
{
	json_error_t jerr;
	json_t	   *j = json_loadb(doc, len, 0, &jerr);
	const char *k;
	json_t	   *v;

	if (j == NULL || !json_is_object(j))
		cli_die(EXIT_INPUT, "a row document must be a JSON object");
	json_object_foreach(j, k, v)
		if (!json_is_string(v) && !json_is_null(v))
			cli_die(EXIT_INPUT, "a row document's values must be strings or null (column \"%s\")", k);
	json_decref(j);
}

static void
read_salt_key(unsigned char key[BROP_ROW_SALT_KEY_BYTES], const char *path)
{
	struct stat st;
	char		text[130];
	int			fd = cli_open_private(path, "salt key file", &st);
	ssize_t		len = read(fd, text, sizeof text);
	size_t		n;

	close(fd);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len != 64 || brop_hex_decode(key, BROP_ROW_SALT_KEY_BYTES, &n, text, (size_t) len) != 0 ||
		n != BROP_ROW_SALT_KEY_BYTES)
	{
		brop_wipe(text, sizeof text);
		cli_die(EXIT_INPUT, "salt key file \"%s\" does not hold 64 hexadecimal digits", path);
	}
	brop_wipe(text, sizeof text);
}

int
cmd_disclose(int argc, char **argv)
{
	static const struct option opts[] = {
		{"row", required_argument, NULL, 'r'},
		{"salt", required_argument, NULL, 's'},
		{"digest", required_argument, NULL, 'd'},
		{"entry", required_argument, NULL, 'e'},
		{"salt-key", required_argument, NULL, 'K'},
		{"registration", required_argument, NULL, 'R'},
		{"row-key", required_argument, NULL, 'k'},
		{"version", required_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *row_path = NULL,
			   *salt_arg = NULL,
			   *digest_arg = NULL,
			   *entry_path = NULL,
			   *salt_key_path = NULL,
			   *registration = NULL,
			   *row_key = NULL,
			   *version = NULL;
	unsigned char salt[BROP_ROW_SALT_BYTES],
				digest[BROP_ROW_DIGEST_BYTES],
				want[BROP_ROW_DIGEST_BYTES];
	bool		compare = false;
	unsigned char *text;
	char	   *doc;
	size_t		len,
				doclen,
				n;
	int			c;

	while ((c = getopt_long(argc, argv, "r:s:d:e:K:R:k:V:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'r': row_path = optarg; break;
			case 's': salt_arg = optarg; break;
			case 'd': digest_arg = optarg; break;
			case 'e': entry_path = optarg; break;
			case 'K': salt_key_path = optarg; break;
			case 'R': registration = optarg; break;
			case 'k': row_key = optarg; break;
			case 'V': version = optarg; break;
			case 'h':
				fputs(disclose_usage, stdout);
				return EXIT_OK;
			default:
				fputs(disclose_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (optind < argc || row_path == NULL || (salt_arg == NULL) == (salt_key_path == NULL) ||
		(digest_arg && entry_path) ||
		(salt_key_path && (!registration || !row_key || (!version && !entry_path))))
	{
		fputs(disclose_usage, stderr);
		return EXIT_USAGE;
	}

	text = cli_read_all(row_path, &len);
	doc = canonical(text, len, "the row document", &doclen);
	free(text);
	check_document(doc, doclen);

	if (entry_path)
	{
		/* the entry's leaf input: its payload digest, and the version it names */
		json_error_t jerr;
		json_t	   *e;
		const char *pd;
		json_t	   *v;

		text = cli_read_all(entry_path, &len);
		e = json_loadb((const char *) text, len, 0, &jerr);
		if (e == NULL || !json_is_object(e) || !json_is_string(json_object_get(e, "payload_digest")))
			cli_die(EXIT_INPUT, "\"%s\" is not an entry's leaf input (brop.entry_leaf())", entry_path);
		pd = json_string_value(json_object_get(e, "payload_digest"));
		if (brop_hex_decode(want, sizeof want, &n, pd, strlen(pd)) != 0 || n != sizeof want)
			cli_die(EXIT_INPUT, "the entry's payload_digest is not a digest");
		v = json_object_get(json_object_get(e, "header"), "version");
		if (v != NULL && json_is_integer(v))
			printf("entry: kind %s, registration %s, op %s, version %lld\n",
				   json_string_value(json_object_get(e, "kind")) ?: "?",
				   json_string_value(json_object_get(json_object_get(e, "header"), "registration")) ?: "?",
				   json_string_value(json_object_get(json_object_get(e, "header"), "op")) ?: "?",
				   (long long) json_integer_value(v));
		if (version == NULL && v != NULL && json_is_integer(v))
		{
			static char vbuf[24];

			snprintf(vbuf, sizeof vbuf, "%lld", (long long) json_integer_value(v));
			version = vbuf;
		}
		json_decref(e);
		free(text);
		compare = true;
	}
	else if (digest_arg)
	{
		if (brop_hex_decode(want, sizeof want, &n, digest_arg, strlen(digest_arg)) != 0 || n != sizeof want)
			cli_die(EXIT_INPUT, "--digest is not 64 hexadecimal digits");
		compare = true;
	}

	if (salt_key_path)
	{
		unsigned char key[BROP_ROW_SALT_KEY_BYTES];
		size_t		keylen;
		char	   *k = canonical((const unsigned char *) row_key, strlen(row_key), "--row-key", &keylen);
		int			rc;

		if (k[0] != '[')
			cli_die(EXIT_INPUT, "--row-key is the JSON array of the key columns' text values");
		if (version == NULL)
			cli_die(EXIT_USAGE, "--version is needed (or an --entry that names it)");
		read_salt_key(key, salt_key_path);
		rc = brop_row_salt(salt, key, registration, strlen(registration), k, keylen, version, strlen(version));
		brop_wipe(key, sizeof key);
		free(k);
		if (rc != 0)
			cli_die(EXIT_INPUT, "could not derive the salt: %s", brop_strerror(rc));
		hex_print("salt", salt, sizeof salt);
	}
	else
	{
		unsigned char *s = cli_decode_binary((const unsigned char *) salt_arg, strlen(salt_arg), &n, "salt", -1);

		if (n != sizeof salt)
			cli_die(EXIT_INPUT, "a row salt is 32 bytes, not %zu", n);
		memcpy(salt, s, sizeof salt);
		free(s);
	}

	if (brop_row_digest(digest, salt, doc, doclen) != 0)
		cli_die(EXIT_IO, "could not compute the digest");
	free(doc);
	hex_print("digest", digest, sizeof digest);
	if (!compare)
		return EXIT_OK;
	if (!brop_equal_ct(digest, want, sizeof want))
	{
		puts("invalid: the row and salt do not make the entry's digest");
		return EXIT_INVALID;
	}
	puts("valid");
	return EXIT_OK;
}
