/*
 * cmd_wallet.c — brop wallet: the holder's side of credentials. The
 * holder's key file never leaves this process: envelopes are opened here,
 * presentations and requests signed here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "wallet/wallet.h"

static const char wallet_usage[] =
"Usage: brop wallet COMMAND [OPTIONS]\n"
"\n"
"The holder's wallet: keys, credentials sealed to them, presentations.\n"
"\n"
"  keygen     --key FILE                       make an Ed25519 holder key; print its did\n"
"  list       --key FILE --ledger CONNINFO     the holder's credentials on the ledger\n"
"  open       --key FILE --ledger CONNINFO --serial S [--out FILE]\n"
"             unseal a credential, verify the issuer's signatures and the ledger's\n"
"             inclusion proof; write the credential\n"
"  export     --key FILE --ledger CONNINFO --serial S [--credential FILE] [--out FILE]\n"
"             a portable bundle: the credential, its entry, inclusion proof and\n"
"             checkpoint (--credential: the text of a profile 1 credential)\n"
"  present    --key FILE --in FILE --reveal NAME[,NAME...] --nonce N --audience A [--out FILE]\n"
"             an SD-JWT presentation of the chosen claims bound to the verifier's\n"
"             nonce and audience (a bundle in gives a bundle out)\n"
"  deactivate | reactivate | destroy   --key FILE --ledger CONNINFO --serial S\n"
"             a request signed with the holder's key (destroy erases the stored\n"
"             envelopes for good)\n"
"\n"
"CONNINFO is a libpq connection string (\"\" for the PG* environment).\n"
"A P-256 or secp256k1 holder key (brop keygen --alg) lists, exports with\n"
"--credential, presents and sends requests; opening an envelope needs an\n"
"Ed25519 key.\n";

typedef struct wallet_args
{
	const char *key;
	const char *ledger;
	const char *serial;
	const char *out;
	const char *in;
	const char *credential;
	const char *reveal;
	const char *nonce;
	const char *audience;
} wallet_args;

static void
parse(wallet_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{"key", required_argument, NULL, 'k'},
		{"ledger", required_argument, NULL, 'l'},
		{"serial", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"in", required_argument, NULL, 'i'},
		{"credential", required_argument, NULL, 'c'},
		{"reveal", required_argument, NULL, 'r'},
		{"nonce", required_argument, NULL, 'n'},
		{"audience", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int			c;

	memset(a, 0, sizeof *a);
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:l:s:o:i:c:r:n:a:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'k':
				a->key = optarg;
				break;
			case 'l':
				a->ledger = optarg;
				break;
			case 's':
				a->serial = optarg;
				break;
			case 'o':
				a->out = optarg;
				break;
			case 'i':
				a->in = optarg;
				break;
			case 'c':
				a->credential = optarg;
				break;
			case 'r':
				a->reveal = optarg;
				break;
			case 'n':
				a->nonce = optarg;
				break;
			case 'a':
				a->audience = optarg;
				break;
			case 'h':
				fputs(wallet_usage, stdout);
				exit(EXIT_OK);
			default:
				fputs(wallet_usage, stderr);
				exit(EXIT_USAGE);
		}
	}
	if (optind != argc)
		cli_die(EXIT_USAGE, "unexpected argument \"%s\"", argv[optind]);
}

static void
need(const char *value, const char *option)
{
	if (value == NULL)
		cli_die(EXIT_USAGE, "%s is required", option);
}

/*
 * A holder's key: Ed25519, P-256 or secp256k1. Each signs presentations
 * (EdDSA, ES256, ES256K key bindings) and requests; only an Ed25519 key
 * opens envelopes (they are sealed to its X25519 form), so a holder with an
 * EC key has profile 1 credentials and gives their text with --credential.
 */
static void
load_holder(cli_key *key, const char *path)
{
	need(path, "--key");
	cli_key_load(key, path);
	if (key->alg != BROP_ALG_ED25519 && key->alg != BROP_ALG_P256 && key->alg != BROP_ALG_SECP256K1)
	{
		cli_key_wipe(key);
		cli_die(EXIT_INPUT, "a holder's key is Ed25519, P-256 or secp256k1");
	}
}

static PGconn *
connect_ledger(const char *conninfo)
{
	PGconn	   *conn;

	need(conninfo, "--ledger");
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		cli_die(EXIT_IO, "could not connect to the ledger: %s", PQerrorMessage(conn));
	return conn;
}

/* Run a query; exits on error. Text results. */
static PGresult *
query(PGconn *conn, const char *sql, int n, const char *const *params, int want_rows)
{
	PGresult   *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		cli_die(EXIT_INVALID, "the ledger refused: %s", PQresultErrorMessage(res));
	if (want_rows >= 0 && PQntuples(res) != want_rows)
		cli_die(EXIT_INPUT, "no such credential of this holder on the ledger");
	return res;
}

static char *
dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : strdup(PQgetvalue(res, row, col));
}

static int
wallet_keygen(const wallet_args *a)
{
	cli_key		key;

	need(a->key, "--key");
	memset(&key, 0, sizeof key);
	key.alg = BROP_ALG_ED25519;
	if (brop_key_generate(key.secret, key.alg) != 0)
		cli_die(EXIT_IO, "could not make a key");
	cli_key_derive(&key);
	cli_key_save(&key, a->key, false);
	printf("%s\n", key.did);
	cli_key_wipe(&key);
	return EXIT_OK;
}

static int
wallet_list(const wallet_args *a)
{
	cli_key		key;
	PGconn	   *conn;
	PGresult   *res;
	const char *params[1];

	load_holder(&key, a->key);
	conn = connect_ledger(a->ledger);
	params[0] = key.did;
	res = query(conn,
				"SELECT serial, version, issuer, category, form, profile, status,"
				" CASE WHEN deactivated THEN 'deactivated' ELSE '' END,"
				" CASE WHEN destroyed THEN 'destroyed' WHEN envelope IS NULL THEN 'not stored' ELSE 'sealed' END"
				" FROM brop.wallet_credentials($1::brop.did)", 1, params, -1);
	printf("holder %s: %d credential%s\n", key.did, PQntuples(res), PQntuples(res) == 1 ? "" : "s");
	for (int i = 0; i < PQntuples(res); i++)
		printf("%s  v%s  %s  %s  %s  profile %s  %s%s%s  %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			   PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), PQgetvalue(res, i, 2), PQgetvalue(res, i, 5),
			   PQgetvalue(res, i, 6), PQgetvalue(res, i, 7)[0] ? " " : "", PQgetvalue(res, i, 7),
			   PQgetvalue(res, i, 8));
	PQclear(res);
	PQfinish(conn);
	cli_key_wipe(&key);
	return EXIT_OK;
}

/*
 * Fetch a credential's bundle: the envelope opened with the key (or the
 * given text), the entry, its inclusion proof and checkpoint at the latest
 * block, the ledger's did.
 */
static void
fetch_bundle(cli_bundle *b, cli_key *key, PGconn *conn, const char *serial, const char *credential_file)
{
	PGresult   *res;
	const char *params[2] = {key->did, serial};

	memset(b, 0, sizeof *b);
	res = query(conn,
				"SELECT c.serial, c.form, c.envelope, brop.entry_leaf(e),"
				" CASE WHEN l.entry IS NOT NULL THEN brop.inclusion_proof(e.id, s.size)::text END,"
				" CASE WHEN l.entry IS NOT NULL THEN brop.checkpoint(s.size) END,"
				" g.node_did::text, c.issuer::text"
				" FROM brop.wallet_credentials($1::brop.did) c"
				" JOIN brop.entry e ON e.id = c.entry"
				" LEFT JOIN brop.log_leaf l ON l.entry = e.id"
				" CROSS JOIN (SELECT max(tree_size) AS size FROM brop.block) s"
				" CROSS JOIN brop.ledger_config g"
				" WHERE c.serial = $2", 2, params, 1);
	b->serial = strdup(PQgetvalue(res, 0, 0));
	b->form = strdup(PQgetvalue(res, 0, 1));
	b->entry = strdup(PQgetvalue(res, 0, 3));
	b->proof = dup_or_null(res, 0, 4);
	b->checkpoint = dup_or_null(res, 0, 5);
	b->ledger = strdup(PQgetvalue(res, 0, 6));
	if (b->proof == NULL)
		cli_die(EXIT_INPUT, "the credential's entry is not sealed in a block yet: try again after the next block");

	if (credential_file != NULL)
	{
		size_t		len;
		unsigned char *text = cli_read_all(credential_file, &len);

		while (len > 0 && text[len - 1] == '\n')
			len--;
		b->credential = strndup((const char *) text, len);
		free(text);
	}
	else
	{
		size_t		envlen,
					plen,
					n;
		unsigned char *env,
				   *payload;
		unsigned char ipk[BROP_ED25519_PUBLICKEYBYTES];
		char		issuer[BROP_DIDKEY_MAX_LEN + 1];
		int			rc;

		if (PQgetisnull(res, 0, 2))
			cli_die(EXIT_INPUT, "the ledger keeps no envelope of %s (profile 1, or destroyed): give the credential with --credential FILE",
					serial);
		if (key->alg != BROP_ALG_ED25519)
			cli_die(EXIT_INPUT, "only an Ed25519 holder key opens an envelope: give the credential with --credential FILE");
		env = PQunescapeBytea((const unsigned char *) PQgetvalue(res, 0, 2), &envlen);
		payload = sodium_malloc(envlen + 1);
		if (env == NULL || payload == NULL)
			cli_die(EXIT_IO, "out of memory");
		rc = brop_envelope_open(payload, envlen, &plen, ipk, env, envlen, key->secret);
		PQfreemem(env);
		if (rc == BROP_EDECRYPT)
			cli_die(EXIT_INVALID, "the envelope is not sealed to this key, or was altered");
		if (rc == BROP_ERECIPIENT)
			cli_die(EXIT_INVALID, "the envelope was signed for another holder");
		if (rc != 0)
			cli_die(EXIT_INVALID, "the envelope does not open: %s", brop_strerror(rc));
		if (brop_didkey_encode(issuer, BROP_DIDKEY_MAX_LEN, &n, BROP_ALG_ED25519, ipk, sizeof ipk) != 0)
			cli_die(EXIT_INPUT, "invalid issuer key in the envelope");
		issuer[n] = '\0';
		if (strcmp(issuer, PQgetvalue(res, 0, 7)) != 0)
			cli_die(EXIT_INVALID, "the envelope was sealed by %s, not by the credential's issuer", issuer);
		report("envelope: sealed to %s by the issuer: opened\n", key->did);
		b->credential = strndup((const char *) payload, plen);
		sodium_free(payload);
	}
	PQclear(res);
}

static int
wallet_open_or_export(const wallet_args *a, bool export)
{
	cli_key		key;
	PGconn	   *conn;
	cli_bundle	b;
	int			rc;

	load_holder(&key, a->key);
	need(a->serial, "--serial");
	/* the report goes to standard error: the credential may go to standard output */
	cli_report_stream = stderr;
	conn = connect_ledger(a->ledger);
	fetch_bundle(&b, &key, conn, a->serial, export ? a->credential : NULL);
	PQfinish(conn);
	report("ledger: %s\n", b.ledger);
	rc = cli_verify_credential(&b, NULL, NULL, b.ledger, key.did);
	cli_key_wipe(&key);
	if (rc == EXIT_OK)
	{
		char	   *out = export ? cli_bundle_json(&b, false) : NULL;
		const char *text = export ? out : b.credential;

		if (a->out != NULL)
			cli_write_all(a->out, (const unsigned char *) text, strlen(text));
		else
		{
			fputs(text, stdout);
			fputc('\n', stdout);
		}
		free(out);
	}
	cli_bundle_free(&b);
	return rc;
}

static int
wallet_present(const wallet_args *a)
{
	cli_key		key;
	cli_bundle	b;
	unsigned char *text;
	size_t		len,
				n = 0;
	const char **names;
	char	   *list,
			   *tok,
			   *save = NULL,
			   *pres;
	size_t		preslen;
	bool		bundle;
	brop_reason why = {{0}};
	int			rc;

	load_holder(&key, a->key);
	need(a->in, "--in");
	need(a->reveal, "--reveal");
	need(a->nonce, "--nonce");
	need(a->audience, "--audience");
	text = cli_read_all(a->in, &len);
	cli_bundle_read(&b, text, len);
	free(text);
	bundle = b.entry != NULL || b.serial != NULL;

	list = strdup(a->reveal);
	names = calloc(strlen(a->reveal) + 1, sizeof *names);
	for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		names[n++] = tok;
	rc = brop_sdjwt_present(&pres, &preslen, b.credential, strlen(b.credential), names, n,
							key.alg, key.secret, a->nonce, a->audience,
							(int64_t) time(NULL), NULL, &why);
	cli_key_wipe(&key);
	if (rc == BROP_EKEY)
		cli_die(EXIT_INVALID, "%s", why.text);
	if (rc != 0)
		cli_die(EXIT_INPUT, "cannot present: %s", why.text[0] ? why.text : brop_strerror(rc));
	free(b.credential);
	b.credential = pres;
	if (bundle)
	{
		char	   *json = cli_bundle_json(&b, true);

		cli_write_all(a->out, (const unsigned char *) json, strlen(json));
		free(json);
	}
	else
		cli_write_all(a->out, (const unsigned char *) pres, preslen);
	if (a->out == NULL)
		fputc('\n', stdout);
	cli_bundle_free(&b);
	free(names);
	free(list);
	return EXIT_OK;
}

static int
wallet_request(const wallet_args *a, const char *op)
{
	cli_key		key;
	PGconn	   *conn;
	PGresult   *res;
	unsigned char nonce_raw[16],
				sig[BROP_SIGNATURE_BYTES];
	char		nonce[64],
				sighex[2 + 2 * BROP_SIGNATURE_BYTES + 1];
	size_t		n,
				inlen;
	unsigned char *input;
	const char *params[4];

	load_holder(&key, a->key);
	need(a->serial, "--serial");
	conn = connect_ledger(a->ledger);
	randombytes_buf(nonce_raw, sizeof nonce_raw);
	memcpy(nonce, "wallet:", 7);
	if (brop_hex_encode(nonce + 7, sizeof nonce - 8, &n, nonce_raw, sizeof nonce_raw) != 0)
		cli_die(EXIT_IO, "could not make a nonce");
	nonce[7 + n] = '\0';
	params[0] = a->serial;
	params[1] = op;
	params[2] = nonce;
	res = query(conn, "SELECT brop.credential_request_input($1, $2, $3)", 3, params, 1);
	input = PQunescapeBytea((const unsigned char *) PQgetvalue(res, 0, 0), &inlen);
	PQclear(res);
	if (input == NULL || brop_sign(sig, key.alg, key.secret, input, inlen) != 0)
		cli_die(EXIT_IO, "could not sign the request");
	PQfreemem(input);
	cli_key_wipe(&key);
	memcpy(sighex, "\\x", 2);
	if (brop_hex_encode(sighex + 2, sizeof sighex - 3, &n, sig, sizeof sig) != 0)
		cli_die(EXIT_IO, "could not encode the signature");
	sighex[2 + n] = '\0';
	params[3] = sighex;
	res = query(conn, "SELECT status, deactivated, destroyed, status_entry"
				" FROM brop.credential_request($1, $2, $3, $4::bytea)", 4, params, 1);
	printf("%s: %s, status %s%s%s, entry %s\n", op, a->serial, PQgetvalue(res, 0, 0),
		   strcmp(PQgetvalue(res, 0, 1), "t") == 0 ? ", deactivated" : "",
		   strcmp(PQgetvalue(res, 0, 2), "t") == 0 ? ", envelopes destroyed" : "",
		   PQgetvalue(res, 0, 3));
	PQclear(res);
	PQfinish(conn);
	return EXIT_OK;
}

int
cmd_wallet(int argc, char **argv)
{
	wallet_args a;
	const char *sub;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
	{
		fputs(wallet_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	sub = argv[1];
	parse(&a, argc - 1, argv + 1);
	if (strcmp(sub, "keygen") == 0)
		return wallet_keygen(&a);
	if (strcmp(sub, "list") == 0)
		return wallet_list(&a);
	if (strcmp(sub, "open") == 0)
		return wallet_open_or_export(&a, false);
	if (strcmp(sub, "export") == 0)
		return wallet_open_or_export(&a, true);
	if (strcmp(sub, "present") == 0)
		return wallet_present(&a);
	if (strcmp(sub, "deactivate") == 0 || strcmp(sub, "reactivate") == 0 || strcmp(sub, "destroy") == 0)
		return wallet_request(&a, sub);
	fprintf(stderr, "brop wallet: unknown command \"%s\"\n\n%s", sub, wallet_usage);
	return EXIT_USAGE;
}
