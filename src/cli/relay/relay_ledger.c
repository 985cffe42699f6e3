/*
 * relay_ledger.c — brop relay's side of the ledger: the source's position,
 * the chain heads it links entries to, the registrations it announces, and
 * each batch signed once and appended with brop.submit_batch (cmd_relay.c
 * has the source and the stream).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay/relay.h"

/* ---- chain heads ---------------------------------------------------------------- */

/*
 * The heads known to be on the ledger, an open hash kept at most half full
 * (it grows while a batch needs more). Between batches, once it holds
 * HEADS_KEEP chains, it is emptied: those heads are read again when needed.
 * Never during a batch: fetch_heads() fills it with the batch's heads, and
 * flush_batch() needs every one of them.
 */
#define HEADS_FIRST_CAP (1 << 14)
#define HEADS_KEEP 8192

uint64_t
relay_str_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 1099511628211ULL;
	return h;
}

void
heads_clear(relay *r)
{
	for (size_t i = 0; i < r->head_cap; i++)
	{
		free(r->head_keys[i]);
		free(r->head_values[i]);
	}
	free(r->head_keys);
	free(r->head_values);
	r->head_cap = HEADS_FIRST_CAP;
	r->head_count = 0;
	r->head_keys = calloc(r->head_cap, sizeof(char *));
	r->head_values = calloc(r->head_cap, sizeof(char *));
	if (r->head_keys == NULL || r->head_values == NULL)
		cli_die(EXIT_IO, "out of memory");
}

static size_t
heads_slot(const relay *r, const char *key)
{
	size_t		i = relay_str_hash(key) & (r->head_cap - 1);

	while (r->head_keys[i] != NULL && strcmp(r->head_keys[i], key) != 0)
		i = (i + 1) & (r->head_cap - 1);
	return i;
}

static const char *
heads_get(const relay *r, const char *key)
{
	size_t		i = heads_slot(r, key);

	return r->head_keys[i] ? r->head_values[i] : NULL;
}

static bool
heads_known(const relay *r, const char *key)
{
	return r->head_keys[heads_slot(r, key)] != NULL;
}

/* Twice the slots, every head kept. */
static void
heads_grow(relay *r)
{
	char	  **keys = r->head_keys,
			  **values = r->head_values;
	size_t		cap = r->head_cap;

	r->head_cap = cap * 2;
	r->head_keys = calloc(r->head_cap, sizeof(char *));
	r->head_values = calloc(r->head_cap, sizeof(char *));
	if (r->head_keys == NULL || r->head_values == NULL)
		cli_die(EXIT_IO, "out of memory");
	for (size_t i = 0; i < cap; i++)
		if (keys[i] != NULL)
		{
			size_t		j = heads_slot(r, keys[i]);

			r->head_keys[j] = keys[i];
			r->head_values[j] = values[i];
		}
	free(keys);
	free(values);
}

/* value NULL: the chain is known to have no entry yet */
static void
heads_put(relay *r, const char *key, const char *value)
{
	size_t		i;

	if ((r->head_count + 1) * 2 > r->head_cap)
		heads_grow(r);
	i = heads_slot(r, key);
	if (r->head_keys[i] == NULL)
	{
		r->head_keys[i] = strdup(key);
		r->head_count++;
	}
	free(r->head_values[i]);
	r->head_values[i] = value ? strdup(value) : NULL;
}

/* A failure of the ledger's: EXIT_REFUSED for a refusal that retrying cannot mend, else 0. */
static int
ledger_refusal(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (state == NULL)
		return 0;				/* connection lost */
	/* 42501 organisation not active, 22xxx a malformed or badly signed batch, 23505 a nonce reused */
	if (strcmp(state, "42501") == 0 || strncmp(state, "22", 2) == 0 || strcmp(state, "23505") == 0 ||
		strcmp(state, "42883") == 0 || strcmp(state, "3F000") == 0 || strcmp(state, "42P01") == 0)
		return EXIT_REFUSED;
	return 0;
}

/*
 * Runs a statement on the ledger. Returns its rows, or NULL after saying
 * what failed (what); exits for a refusal that retrying cannot mend.
 */
static PGresult *
ledger_exec(relay *r, const char *what, const char *sql, int nparams, const char *const *params)
{
	PGresult   *res = PQexecParams(r->ledger, sql, nparams, NULL, params, NULL, NULL, 0);
	int			refused;

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	refused = ledger_refusal(res);
	report_error(what, r->ledger, res);
	PQclear(res);
	if (refused)
		exit(refused);
	return NULL;
}

/* Reads the source's position on the ledger; false on failure. */
bool
read_position(relay *r)
{
	const char *params[1] = {r->name};
	PGresult   *res = ledger_exec(r, "could not read the source's position on the ledger",
								  "SELECT lsn::text, changes FROM brop.source_position WHERE source = $1",
								  1, params);

	if (res == NULL)
		return false;
	r->held_lsn = 0;
	r->held_changes = -1;
	if (PQntuples(res) == 1)
	{
		if (!parse_lsn(PQgetvalue(res, 0, 0), &r->held_lsn))
			cli_die(EXIT_REFUSED, "the ledger's position \"%s\" is not an LSN", PQgetvalue(res, 0, 0));
		r->held_changes = PQgetisnull(res, 0, 1) ? -1 : strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	return true;
}

/* A JSON array of strings as the core's texts (malloc'd); false for anything else. */
static bool
name_list(json_t *arr, brop_row_text **out, size_t *n)
{
	json_t	   *v;
	size_t		i;

	*out = NULL;
	*n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (*n == 0 || (*out = calloc(*n, sizeof **out)) == NULL)
		return false;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			return false;
		(*out)[i].text = json_string_value(v);
		(*out)[i].len = json_string_length(v);
	}
	return true;
}

/* The registration entries of --registrations, appended once (their nonces repeat). */
bool
announce_registrations(relay *r)
{
	json_error_t jerr;
	json_t	   *regs = json_loads(r->registrations, 0, &jerr);
	size_t		i;
	json_t	   *reg;
	bool		ok = true;

	json_array_foreach(regs, i, reg)
	{
		brop_registration_fields rf = {.op = "register", .capture = "plugin", .profile = 1};
		brop_row_text *cols = NULL,
				   *keys = NULL;
		json_t	   *name = json_object_get(reg, "name"),
				   *subject = json_object_get(reg, "subject_column"),
				   *profile = json_object_get(reg, "profile");
		brop_entry	e = {0};
		char	   *canon = NULL,
				   *msg = NULL;
		size_t		canonlen,
					msglen;
		unsigned char digest[32],
					sig[BROP_SIGNATURE_BYTES];
		char		digest_hex[65],
					nonce[64],
					sig_hex[2 * BROP_SIGNATURE_BYTES + 1];
		size_t		n;
		PGresult   *res;
		const char *params[5];

		rf.name = json_string_value(name);
		rf.name_len = rf.name ? json_string_length(name) : 0;
		if (subject != NULL && json_is_string(subject))
		{
			rf.subject_column = json_string_value(subject);
			rf.subject_column_len = json_string_length(subject);
		}
		if (profile != NULL)
			rf.profile = json_is_integer(profile) ? (int) json_integer_value(profile) : 0;
		if (!name_list(json_object_get(reg, "columns"), &cols, &rf.ncolumns) ||
			!name_list(json_object_get(reg, "key_columns"), &keys, &rf.nkey_columns) ||
			(subject != NULL && !json_is_null(subject) && !json_is_string(subject)))
			cli_die(EXIT_INPUT, "invalid registration in the registrations file");
		rf.columns = cols;
		rf.key_columns = keys;
		if (brop_registration_format_header(&canon, &canonlen, &rf, NULL) != 0 ||
			brop_sha256(digest, (unsigned char *) canon, canonlen) != 0 ||
			brop_hex_encode(digest_hex, sizeof digest_hex, &n, digest, 32) != 0)
			cli_die(EXIT_INPUT, "invalid registration in the registrations file");
		digest_hex[64] = '\0';
		/* one nonce per header: announcing the same registration again is a retry */
		snprintf(nonce, sizeof nonce, "registration-%.32s", digest_hex);

		e.kind = "registration";
		e.kind_len = strlen(e.kind);
		e.nonce = nonce;
		e.nonce_len = strlen(nonce);
		e.org = r->key.did;
		e.org_len = strlen(r->key.did);
		e.payload_digest = digest;
		e.header = canon;
		e.header_len = canonlen;
		if (brop_entry_format_signing_input(&msg, &msglen, &e, NULL) != 0 ||
			brop_sign(sig, r->key.alg, r->key.secret, (unsigned char *) msg, msglen) != 0 ||
			brop_hex_encode(sig_hex, sizeof sig_hex, &n, sig, sizeof sig) != 0)
			cli_die(EXIT_INPUT, "could not sign a registration");
		sig_hex[n] = '\0';

		params[0] = r->key.did;
		params[1] = digest_hex;
		params[2] = nonce;
		params[3] = sig_hex;
		params[4] = canon;
		res = ledger_exec(r, "could not announce a registration",
						  "SELECT id FROM brop.submit('registration', $1::brop.did, $2::brop.digest, $3,"
						  " decode($4, 'hex'), $5::jsonb)", 5, params);
		if (res == NULL)
			ok = false;
		PQclear(res);
		free(msg);
		free(canon);
		free(cols);
		free(keys);
		if (!ok)
			break;
	}
	json_decref(regs);
	return ok;
}


/* ---- batches --------------------------------------------------------------------- */

/* Reads the ledger's heads of the batch's chains not known yet. */
static bool
fetch_heads(relay *r)
{
	json_t	   *keys = json_array();
	char	   *text;
	const char *params[1];
	PGresult   *res;

	/* room for this batch's chains: the cache is emptied here, between batches */
	if (r->head_count + (size_t) r->nbatch > HEADS_KEEP)
		heads_clear(r);
	for (int i = 0; i < r->nbatch; i++)
		if (r->batch[i].chain_key && !heads_known(r, r->batch[i].chain_key))
			json_array_append_new(keys, json_string(r->batch[i].chain_key));
	if (json_array_size(keys) == 0)
	{
		json_decref(keys);
		return true;
	}
	text = json_dumps(keys, JSON_COMPACT);
	params[0] = text;
	res = ledger_exec(r, "could not read chain heads from the ledger",
					  "SELECT k, h.head::text FROM jsonb_array_elements_text($1::jsonb) k"
					  " LEFT JOIN brop.chain_head h ON h.chain_key = k", 1, params);
	free(text);
	json_decref(keys);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res); i++)
		heads_put(r, PQgetvalue(res, i, 0), PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1));
	PQclear(res);
	return true;
}

/*
 * Signs the batch, appends it with the new position, and confirms it to the
 * source. Returns 0, -1 to reconnect, or exits for a refusal.
 */
int
flush_batch(relay *r)
{
	brop_merkle_hash *leaves;
	brop_batch_tree tree;
	unsigned char bmsg[BROP_BATCH_MESSAGE_BYTES];
	unsigned char sig[BROP_SIGNATURE_BYTES];
	json_t	   *arr;
	char	   *text;
	char		after_lsn[32],
				through_lsn[32],
				after_n[24],
				through_n[24];
	const char *params[7];
	PGresult   *res;

	if (r->nbatch == 0)
	{
		/* nothing to append, but the position may move (changes all skipped) */
		if (r->through_lsn == r->held_lsn && r->through_changes == r->held_changes)
			return 0;
	}
	if (!fetch_heads(r))
		return -1;

	leaves = calloc(r->nbatch ? r->nbatch : 1, sizeof(brop_merkle_hash));
	arr = json_array();
	for (int i = 0; i < r->nbatch; i++)
	{
		json_t	   *e = r->batch[i].entry;
		const char *head = r->batch[i].chain_key ? heads_get(r, r->batch[i].chain_key) : NULL;
		size_t		mlen;
		unsigned char *m;

		json_object_set_new(e, "prev_digest", head ? json_string(head) : json_null());
		m = cli_entry_signing_input(e, &mlen);
		if (m == NULL)
			cli_die(EXIT_INPUT, "the plugin sent an entry that is not canonical JSON");
		if (brop_merkle_leaf_hash(leaves[i], m, mlen) != 0)
			cli_die(EXIT_IO, "hashing failed");
		free(m);
	}
	if (r->nbatch > 0)
	{
		if (brop_batch_tree_build(&tree, leaves, (uint32_t) r->nbatch) != 0 ||
			brop_batch_message(bmsg, tree.size, tree.root) != 0 ||
			brop_sign(sig, r->key.alg, r->key.secret, bmsg, sizeof bmsg) != 0)
			cli_die(EXIT_IO, "could not sign the batch");
		for (int i = 0; i < r->nbatch; i++)
		{
			unsigned char form[BROP_BATCH_HEADER_BYTES + BROP_MERKLE_MAX_PROOF * 32 + BROP_SIGNATURE_BYTES];
			char		b64[2 * sizeof form];
			size_t		flen,
						blen;

			if (brop_batch_form(form, sizeof form, &flen, &tree, (uint32_t) i, sig, sizeof sig) != 0 ||
				brop_base64_encode(b64, sizeof b64, &blen, form, flen, BROP_BASE64_URLSAFE) != 0)
				cli_die(EXIT_IO, "could not encode a batch signature");
			json_object_set_new(r->batch[i].entry, "signature", json_stringn(b64, blen));
			json_array_append(arr, r->batch[i].entry);
		}
		brop_batch_tree_free(&tree);
	}
	free(leaves);
	text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);

	lsn_text(after_lsn, r->held_lsn);
	lsn_text(through_lsn, r->through_lsn);
	snprintf(after_n, sizeof after_n, "%" PRId64, r->held_changes);
	snprintf(through_n, sizeof through_n, "%" PRId64, r->through_changes);
	params[0] = r->name;
	params[1] = r->key.did;
	params[2] = text;
	params[3] = after_lsn;
	params[4] = r->held_changes < 0 ? NULL : after_n;
	params[5] = through_lsn;
	params[6] = r->through_changes < 0 ? NULL : through_n;
	res = ledger_exec(r, "the ledger did not take a batch",
					  "SELECT chain_key, digest::text FROM brop.submit_batch($1, $2::brop.did, $3::jsonb,"
					  " $4::pg_lsn, $5::bigint, $6::pg_lsn, $7::bigint)", 7, params);
	free(text);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		if (!PQgetisnull(res, i, 0))
			heads_put(r, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);

	r->appended += r->nbatch;
	r->batches++;
	batch_reset(r);
	r->held_lsn = r->through_lsn;
	r->held_changes = r->through_changes;
	if (r->held_changes < 0 && r->held_lsn > r->confirmed)
	{
		r->confirmed = r->held_lsn;
		if (!send_feedback(r, false))
			return -1;
	}
	return 0;
}

