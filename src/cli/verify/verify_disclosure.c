/*
 * verify_disclosure.c — `brop verify --disclosure FILE --did LEDGER_DID`:
 * one registered row, disclosed in one file (brop.disclosure(); docs/
 * formats.md, "Row disclosure bundles"), checked offline: the entry is a
 * row entry signed by its organisation, the document and salt make its
 * payload digest, its leaf is proven in the checkpoint's tree, and the
 * checkpoint is signed by the ledger's key. Module: verify.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "verify/verify.h"

#define DISCLOSURE_FORMAT "brop-row-disclosure-v1"

static const char disclosure_usage[] =
"Usage: brop verify --disclosure FILE --did LEDGER_DID [--org ORG_DID]\n"
"\n"
"Verify a row disclosure bundle (brop.disclosure()) offline: the entry's\n"
"signature by its organisation, the row's digest from its document and\n"
"salt, the entry's inclusion proof and the checkpoint's signature by the\n"
"ledger's key. Prints each step, then \"valid\" (exit 0) or \"invalid: ...\"\n"
"(exit 1); a malformed bundle is exit 3.\n"
"\n"
"      --disclosure FILE    the bundle (- for standard input)\n"
"  -d, --did LEDGER_DID     the ledger node's did:key the checkpoint must be\n"
"                           signed by (the verifier's own copy, not the bundle's)\n"
"      --org ORG_DID        the organisation the entry must be signed by\n";

/* A string member of the bundle; exits 3 if absent or not a string. */
static const char *
string_member(json_t *o, const char *name)
{
	json_t	   *v = json_object_get(o, name);

	if (v == NULL || !json_is_string(v))
		cli_die(EXIT_INPUT, "the bundle has no \"%s\" string", name);
	return json_string_value(v);
}

/* The document's RFC 8785 text (malloc); exits 3 unless an object of strings and nulls. */
static char *
document_text(json_t *o, size_t *len)
{
	json_t	   *doc = json_object_get(o, "document"),
			   *v;
	const char *k;
	char	   *text,
			   *canon = NULL;
	brop_json_error err;

	if (doc == NULL || !json_is_object(doc))
		cli_die(EXIT_INPUT, "the bundle's \"document\" is not a JSON object");
	json_object_foreach(doc, k, v)
		if (!json_is_string(v) && !json_is_null(v))
		cli_die(EXIT_INPUT, "a row document's values must be strings or null (column \"%s\")", k);
	text = json_dumps(doc, JSON_COMPACT);
	if (text == NULL || brop_jcs_canonicalize(&canon, len, text, strlen(text), NULL, &err) != 0)
		cli_die(EXIT_INPUT, "the bundle's \"document\" cannot be canonicalized");
	free(text);
	return canon;
}

/* The entry's signature by its org; with want_org, the org must be it. Returns EXIT_OK or EXIT_INVALID. */
static int
check_entry(json_t *e, const char *want_org)
{
	const char *org = json_string_value(json_object_get(e, "org")),
			   *sig64 = json_string_value(json_object_get(e, "signature")),
			   *kind = json_string_value(json_object_get(e, "kind"));
	json_t	   *h = json_object_get(e, "header");
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES],
			   *msg,
			   *sig;
	size_t		pklen,
				msglen,
				siglen;
	brop_alg	alg;
	int			rc;

	if (org == NULL || sig64 == NULL || kind == NULL || !json_is_object(h))
		cli_die(EXIT_INPUT, "the bundle's entry is not a leaf input (no org, signature, kind or header)");
	if (strcmp(kind, "row") != 0)
	{
		report("invalid: the bundle's entry is not a row's (kind \"%s\")\n", kind);
		return EXIT_INVALID;
	}
	if (want_org != NULL && strcmp(org, want_org) != 0)
	{
		report("invalid: the entry is by %s, not by the organisation given (%s)\n", org, want_org);
		return EXIT_INVALID;
	}
	if (brop_didkey_decode(&alg, pk, sizeof pk, &pklen, org, strlen(org)) != 0)
		cli_die(EXIT_INPUT, "the entry's org is not a did:key");
	sig = malloc(strlen(sig64) + 1);
	if (sig == NULL)
		cli_die(EXIT_IO, "out of memory");
	if (brop_base64_decode(sig, strlen(sig64) + 1, &siglen, sig64, strlen(sig64), BROP_BASE64_URLSAFE) != 0)
		cli_die(EXIT_INPUT, "the entry's signature is not base64url");
	msg = cli_entry_signing_input(e, &msglen);
	if (msg == NULL)
		cli_die(EXIT_INPUT, "the bundle's entry is not a ledger entry's leaf input");
	rc = brop_verify_any(alg, pk, pklen, msg, msglen, sig, siglen);
	free(msg);
	free(sig);
	if (rc != 0)
	{
		report("invalid: the entry is not signed by its organisation %s\n", org);
		return EXIT_INVALID;
	}
	report("entry: row of registration %s, op %s, version %lld, by %s: signature valid\n",
		   json_string_value(json_object_get(h, "registration")) ?: "?",
		   json_string_value(json_object_get(h, "op")) ?: "?",
		   (long long) json_integer_value(json_object_get(h, "version")), org);
	return EXIT_OK;
}

/* The document and salt make the entry's payload digest. Returns EXIT_OK or EXIT_INVALID. */
static int
check_row(json_t *o, json_t *e)
{
	const char *pd = json_string_value(json_object_get(e, "payload_digest")),
			   *salt_text = string_member(o, "salt");
	unsigned char want[BROP_ROW_DIGEST_BYTES],
				digest[BROP_ROW_DIGEST_BYTES],
			   *salt;
	size_t		n,
				doclen;
	char	   *doc = document_text(o, &doclen);

	if (pd == NULL || strlen(pd) != 2 * sizeof want || brop_hex_decode(want, sizeof want, &n, pd, strlen(pd)) != 0)
		cli_die(EXIT_INPUT, "the entry's payload_digest is not a digest");
	salt = cli_decode_binary((const unsigned char *) salt_text, strlen(salt_text), &n, "the bundle's salt", -1);
	if (n != BROP_ROW_SALT_BYTES)
		cli_die(EXIT_INPUT, "a row salt is %d bytes, not %zu", BROP_ROW_SALT_BYTES, n);
	if (brop_row_digest(digest, salt, doc, doclen) != 0)
		cli_die(EXIT_IO, "could not compute the row's digest");
	free(salt);
	free(doc);
	if (!brop_equal_ct(digest, want, sizeof want))
	{
		report("invalid: the document and salt do not make the entry's payload digest\n");
		return EXIT_INVALID;
	}
	report("row: the document and salt make the entry's payload digest %s\n", pd);
	return EXIT_OK;
}

int
cli_verify_disclosure(int argc, char **argv)
{
	static const struct option opts[] = {
		{"disclosure", required_argument, NULL, 'D'},
		{"did", required_argument, NULL, 'd'},
		{"org", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *path = NULL,
			   *did = NULL,
			   *org = NULL,
			   *entry,
			   *format;
	unsigned char *text;
	size_t		len,
				clen;
	char	   *canon = NULL;
	json_t	   *o,
			   *e;
	json_error_t jerr;
	int			c,
				rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'D': path = optarg; break;
			case 'd': did = optarg; break;
			case 'o': org = optarg; break;
			case 'h':
				fputs(disclosure_usage, stdout);
				return EXIT_OK;
			default:
				fputs(disclosure_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (path == NULL || did == NULL || optind != argc)
	{
		fputs(disclosure_usage, stderr);
		return EXIT_USAGE;
	}

	text = cli_read_all(path, &len);
	o = json_loadb((const char *) text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (o == NULL || !json_is_object(o))
		cli_die(EXIT_INPUT, "\"%s\" is not a row disclosure bundle (a JSON object)", path);
	format = json_string_value(json_object_get(o, "format"));
	if (format == NULL || strcmp(format, DISCLOSURE_FORMAT) != 0)
		cli_die(EXIT_INPUT, "\"%s\" is not a row disclosure bundle (format \"%s\")", path, DISCLOSURE_FORMAT);

	/* the entry exactly as the log hashed it */
	entry = string_member(o, "entry");
	if (brop_jcs_canonicalize(&canon, &clen, entry, strlen(entry), NULL, NULL) != 0 ||
		clen != strlen(entry) || memcmp(canon, entry, clen) != 0)
		cli_die(EXIT_INPUT, "the bundle's entry is not a leaf input (RFC 8785 JSON)");
	free(canon);
	e = json_loads(entry, 0, &jerr);
	if (e == NULL || !json_is_object(e))
		cli_die(EXIT_INPUT, "the bundle's entry is not a leaf input (RFC 8785 JSON)");

	rc = check_entry(e, org);
	if (rc == EXIT_OK)
		rc = check_row(o, e);
	if (rc == EXIT_OK)
	{
		const char *cp = string_member(o, "checkpoint");

		rc = cli_check_inclusion(did, cp, strlen(cp), string_member(o, "proof"), entry, strlen(entry));
	}
	json_decref(e);
	json_decref(o);
	if (rc == EXIT_OK)
		report("valid\n");
	return rc;
}
