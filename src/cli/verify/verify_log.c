/*
 * verify_log.c — `brop verify --checkpoint`: offline verification of a
 * log's signed checkpoint, of an inclusion proof against it, and of a
 * consistency proof between two checkpoints. No database is involved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#include "verify/verify.h"

/* Read and verify a checkpoint note signed by pk under its own origin. */
static void
load_checkpoint(brop_checkpoint *cp, unsigned char **keep, size_t *keeplen, const char *path,
				const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	size_t		len,
				textlen;
	unsigned char *note = cli_read_all(path, &len);
	int			rc;

	/*
	 * A note ends in exactly one newline; files often have one more (psql
	 * -At) or none (a trimmed copy). cli_read_all leaves a spare byte.
	 */
	while (len > 0 && note[len - 1] == '\n')
		len--;
	note[len++] = '\n';
	rc = brop_checkpoint_parse(cp, (const char *) note, brop_note_text_length((const char *) note, len));
	if (rc != 0)
		cli_die(EXIT_INPUT, "\"%s\" is not a checkpoint note", path);
	rc = brop_note_verify(&textlen, (const char *) note, len, cp->origin, cp->originlen, pk);
	if (rc == BROP_EVERIFY)
	{
		printf("invalid: checkpoint \"%s\" is not signed by this key under origin \"%.*s\"\n",
			   path, (int) cp->originlen, cp->origin);
		exit(EXIT_INVALID);
	}
	if (rc != 0)
		cli_die(EXIT_INPUT, "\"%s\" is not a signed note: %s", path, brop_strerror(rc));
	printf("checkpoint: %.*s, size %llu: signature valid\n", (int) cp->originlen, cp->origin,
		   (unsigned long long) cp->size);
	*keep = note;				/* cp points into it */
	*keeplen = len;
}

static void
load_proof(brop_merkle_proof *p, const char *arg)
{
	unsigned char *text = NULL;
	size_t		len;
	int			rc;

	if (arg[0] == '@')
		text = cli_read_all(arg + 1, &len);
	rc = brop_merkle_proof_parse(p, text ? (const char *) text : arg, text ? len : strlen(arg));
	free(text);
	if (rc != 0)
		cli_die(EXIT_INPUT, "invalid proof: %s (expected \"inclusion(INDEX, SIZE) [HASH, ...]\" or \"consistency(OLD, NEW) [HASH, ...]\")",
				brop_strerror(rc));
}

/*
 * The checkpoint's cosignatures under a witness policy: at least quorum of
 * the witnesses (verifier key texts) cosigned it. Prints a line per
 * witness; exits 1 (invalid) below the quorum.
 */
static void
check_policy(const unsigned char *note, size_t len, const brop_checkpoint *cp,
			 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES], const cli_policy *policy)
{
	brop_witness w[BROP_WITNESS_MAX];
	uint64_t	when[BROP_WITNESS_MAX];
	size_t		count;
	int			rc;

	for (int i = 0; i < policy->n; i++)
	{
		unsigned char id[BROP_NOTE_KEYID_BYTES];

		rc = brop_cosignature_parse_verifier_key(&w[i].name, &w[i].namelen, w[i].pk, id,
												 policy->witnesses[i], strlen(policy->witnesses[i]));
		if (rc != 0)
			cli_die(EXIT_INPUT, "invalid witness key \"%s\": %s%s", policy->witnesses[i], brop_strerror(rc),
					rc == BROP_EALG ? " (a witness key has type 0x04; a log's key is not one)" : "");
	}
	rc = brop_checkpoint_verify_policy(&count, when, (const char *) note, len, cp->origin, cp->originlen, pk,
									   w, (size_t) policy->n, (size_t) policy->quorum);
	for (int i = 0; i < policy->n; i++)
		if (when[i] != 0)
			printf("cosigned: %.*s at %llu\n", (int) w[i].namelen, w[i].name, (unsigned long long) when[i]);
	if (rc == BROP_EQUORUM)
	{
		printf("invalid: %zu of the %d witnesses cosigned the checkpoint, the policy needs %d\n",
			   count, policy->n, policy->quorum);
		exit(EXIT_INVALID);
	}
	if (rc == BROP_EVERIFY)
	{
		printf("invalid: a cosignature by a witness of the policy does not verify\n");
		exit(EXIT_INVALID);
	}
	if (rc != 0)
		cli_die(EXIT_INPUT, "could not check the cosignatures: %s", brop_strerror(rc));
	printf("witnesses: %zu of %d cosigned (policy: %d)\n", count, policy->n, policy->quorum);
}

int
cli_verify_log(const char *did, const char *checkpoint, const char *old_checkpoint,
			   const char *proof_arg, const char *leaf_hex, const cli_policy *policy)
{
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen,
				n;
	brop_alg	alg;
	brop_checkpoint cp,
				old;
	brop_merkle_proof p;
	unsigned char *note = NULL,
			   *old_note = NULL;
	size_t		notelen,
				old_notelen;
	int			rc;

	rc = brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(did));
	if (rc != 0)
		cli_die(EXIT_INPUT, "invalid did \"%s\": %s", did, brop_strerror(rc));
	if (alg != BROP_ALG_ED25519)
		cli_die(EXIT_INPUT, "checkpoints are signed with ed25519 keys, not %s", brop_alg_name(alg));

	load_checkpoint(&cp, &note, &notelen, checkpoint, pk);
	if (policy != NULL && policy->n > 0)
		check_policy(note, notelen, &cp, pk, policy);
	if (old_checkpoint != NULL)
	{
		load_checkpoint(&old, &old_note, &old_notelen, old_checkpoint, pk);
		if (old.originlen != cp.originlen || memcmp(old.origin, cp.origin, cp.originlen) != 0)
		{
			printf("invalid: the checkpoints are of different logs\n");
			return EXIT_INVALID;
		}
	}
	if (proof_arg == NULL)
	{
		if (old_checkpoint != NULL || leaf_hex != NULL)
			cli_die(EXIT_USAGE, "--old-checkpoint, --leaf and --entry need --proof");
		printf("valid\n");
		return EXIT_OK;
	}
	load_proof(&p, proof_arg);

	if (p.kind == BROP_PROOF_INCLUSION)
	{
		unsigned char leaf[BROP_MERKLE_HASH_BYTES];

		if (leaf_hex == NULL || old_checkpoint != NULL)
			cli_die(EXIT_USAGE, "an inclusion proof needs --leaf HASH and one --checkpoint");
		if (strlen(leaf_hex) != 2 * BROP_MERKLE_HASH_BYTES ||
			brop_hex_decode(leaf, sizeof leaf, &n, leaf_hex, strlen(leaf_hex)) != 0)
			cli_die(EXIT_INPUT, "--leaf must be a leaf hash of 64 hexadecimal digits");
		if (p.b != cp.size)
		{
			printf("invalid: the proof is for a tree of %llu leaves, the checkpoint has %llu\n",
				   (unsigned long long) p.b, (unsigned long long) cp.size);
			return EXIT_INVALID;
		}
		rc = brop_merkle_inclusion_verify(p.a, p.b, leaf, (const brop_merkle_hash *) p.hashes, p.n, cp.root);
		if (rc != 0)
		{
			printf("invalid: leaf %llu is not proven in the checkpoint's tree\n", (unsigned long long) p.a);
			return EXIT_INVALID;
		}
		printf("inclusion: leaf %llu of %llu: proof valid\nvalid\n",
			   (unsigned long long) p.a, (unsigned long long) p.b);
	}
	else
	{
		if (old_checkpoint == NULL || leaf_hex != NULL)
			cli_die(EXIT_USAGE, "a consistency proof needs --old-checkpoint and --checkpoint");
		if (p.a != old.size || p.b != cp.size)
		{
			printf("invalid: the proof is from %llu to %llu leaves, the checkpoints have %llu and %llu\n",
				   (unsigned long long) p.a, (unsigned long long) p.b,
				   (unsigned long long) old.size, (unsigned long long) cp.size);
			return EXIT_INVALID;
		}
		rc = brop_merkle_consistency_verify(p.a, p.b, old.root, cp.root,
											(const brop_merkle_hash *) p.hashes, p.n);
		if (rc != 0)
		{
			printf("invalid: the old checkpoint's tree is not a prefix of the new one (a fork)\n");
			return EXIT_INVALID;
		}
		printf("consistency: %llu -> %llu leaves: proof valid\nvalid\n",
			   (unsigned long long) p.a, (unsigned long long) p.b);
	}
	free(note);
	free(old_note);
	return EXIT_OK;
}

static const char fork_usage[] =
"Usage: brop verify --did DID --fork FILE_A FILE_B [--proof PROOF]\n"
"\n"
"Check a proof of misbehaviour offline: two checkpoints signed by the log's\n"
"key DID that no one append-only log can have. Of one size, their roots\n"
"differ; of sizes M < N, PROOF is a consistency proof from M to N that\n"
"verifies against the larger checkpoint's root and gives the tree of M\n"
"leaves another root than the smaller checkpoint's (RFC 9162's proof, after\n"
"that root when M is a power of two: docs/formats.md, \"Proofs of\n"
"misbehaviour\"). brop.misbehaviour keeps such proofs.\n"
"Prints \"valid\" and exits 0 when the pair proves a fork, else \"invalid\"\n"
"and exits 1.\n"
"\n"
"  -d, --did DID          the log's did:key (Ed25519)\n"
"      --fork A B         the two checkpoint notes (files)\n"
"  -p, --proof PROOF      \"consistency(M, N) [HASH, ...]\", or @FILE\n";

int
cli_verify_fork(int argc, char **argv)
{
	static const struct option opts[] = {
		{"did", required_argument, NULL, 'd'},
		{"fork", required_argument, NULL, 'f'},
		{"proof", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *did = NULL,
			   *a = NULL,
			   *b = NULL,
			   *proof_arg = NULL;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen,
				alen,
				blen;
	brop_alg	alg;
	brop_checkpoint ca,
				cb;
	brop_merkle_proof p;
	unsigned char *na,
			   *nb;
	uint64_t	sa,
				sb;
	int			c,
				rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:p:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				did = optarg;
				break;
			case 'f':
				if (a != NULL || optind >= argc || argv[optind][0] == '-')
				{
					fputs(fork_usage, stderr);
					return EXIT_USAGE;
				}
				a = optarg;
				b = argv[optind++];
				break;
			case 'p':
				proof_arg = optarg;
				break;
			case 'h':
				fputs(fork_usage, stdout);
				return EXIT_OK;
			default:
				fputs(fork_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (did == NULL || a == NULL || optind != argc)
	{
		fputs(fork_usage, stderr);
		return EXIT_USAGE;
	}
	rc = brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(did));
	if (rc != 0)
		cli_die(EXIT_INPUT, "invalid did \"%s\": %s", did, brop_strerror(rc));
	if (alg != BROP_ALG_ED25519)
		cli_die(EXIT_INPUT, "checkpoints are signed with ed25519 keys, not %s", brop_alg_name(alg));
	load_checkpoint(&ca, &na, &alen, a, pk);
	load_checkpoint(&cb, &nb, &blen, b, pk);
	if (ca.originlen != cb.originlen || memcmp(ca.origin, cb.origin, ca.originlen) != 0)
	{
		printf("invalid: the checkpoints are of different logs\n");
		return EXIT_INVALID;
	}
	p.n = 0;
	if (proof_arg != NULL)
	{
		load_proof(&p, proof_arg);
		if (p.kind != BROP_PROOF_CONSISTENCY || p.a != (ca.size < cb.size ? ca.size : cb.size) ||
			p.b != (ca.size < cb.size ? cb.size : ca.size))
		{
			printf("invalid: the proof is not a consistency proof from %llu to %llu leaves\n",
				   (unsigned long long) (ca.size < cb.size ? ca.size : cb.size),
				   (unsigned long long) (ca.size < cb.size ? cb.size : ca.size));
			return EXIT_INVALID;
		}
	}
	rc = brop_fork_verify(&sa, &sb, (const char *) na, alen, (const char *) nb, blen, ca.origin, ca.originlen, pk,
						  (const brop_merkle_hash *) p.hashes, p.n);
	if (rc == BROP_EVERIFY)
	{
		if (ca.size == cb.size)
			printf("invalid: the checkpoints are of one size and have the same root: no fork\n");
		else if (proof_arg == NULL)
			printf("invalid: checkpoints of two sizes need --proof to show a fork\n");
		else
			printf("invalid: the proof does not show the two checkpoints inconsistent\n");
		return EXIT_INVALID;
	}
	if (rc != 0)
		cli_die(EXIT_INPUT, "could not check the pair: %s", brop_strerror(rc));
	if (ca.size == cb.size)
		printf("fork: two roots for %llu leaves\n", (unsigned long long) ca.size);
	else
		printf("fork: the tree of %llu leaves under the larger checkpoint is not the smaller one's\n",
			   (unsigned long long) (ca.size < cb.size ? ca.size : cb.size));
	printf("valid\n");
	free(na);
	free(nb);
	return EXIT_OK;
}

/*
 * The leaf hash, in hex, of a ledger entry's leaf input (as brop.entry_leaf()
 * exports it; final newlines are ignored). The file must be canonical
 * JSON (RFC 8785), or it is not what the log hashed.
 */
void
cli_entry_leaf_hex(char hex[2 * BROP_MERKLE_HASH_BYTES + 1], const char *path)
{
	size_t		len,
				clen,
				hlen;
	unsigned char *text = cli_read_all(path, &len);
	char	   *canon = NULL;
	brop_merkle_hash h;
	int			rc;

	/* one final newline is not part of the leaf input (docs/cli.md); more are */
	if (len > 0 && text[len - 1] == '\n')
		len--;
	rc = brop_jcs_canonicalize(&canon, &clen, (const char *) text, len, NULL, NULL);
	if (rc != 0)
		cli_die(EXIT_INPUT, "%s: not an entry's leaf input: %s", path, brop_strerror(rc));
	if (clen != len || memcmp(canon, text, len) != 0)
		cli_die(EXIT_INPUT, "%s: not an entry's leaf input: the JSON is not canonical (RFC 8785)", path);
	if (brop_merkle_leaf_hash(h, text, len) != 0 ||
		brop_hex_encode(hex, 2 * BROP_MERKLE_HASH_BYTES + 1, &hlen, h, sizeof h) != 0)
		cli_die(EXIT_INPUT, "%s: could not hash the entry", path);
	hex[hlen] = '\0';
	free(canon);
	free(text);
}

/*
 * The inclusion of a leaf (its leaf input text, canonical JSON) in a
 * checkpoint note signed by the ledger's did, with an inclusion proof's
 * text: all in memory (a credential bundle). Prints one line per step.
 * Returns: EXIT_OK, EXIT_INVALID (why printed), or EXIT_INPUT (malformed,
 * why printed).
 */
int
cli_check_inclusion(const char *did, const char *note_text, size_t note_len,
					const char *proof_text, const char *leaf_text, size_t leaf_len)
{
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen,
				textlen;
	brop_alg	alg;
	brop_checkpoint cp;
	brop_merkle_proof p;
	brop_merkle_hash leaf;
	char	   *note = malloc(note_len + 2);
	int			rc,
				out = EXIT_INPUT;

	if (note == NULL)
		cli_die(EXIT_IO, "out of memory");
	memcpy(note, note_text, note_len);
	while (note_len > 0 && note[note_len - 1] == '\n')
		note_len--;
	note[note_len++] = '\n';
	if (brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(did)) != 0 || alg != BROP_ALG_ED25519)
		report("invalid: the ledger's did is not an Ed25519 did:key\n");
	else if (brop_checkpoint_parse(&cp, note, brop_note_text_length(note, note_len)) != 0)
		report("invalid: the checkpoint is not a checkpoint note\n");
	else if ((rc = brop_note_verify(&textlen, note, note_len, cp.origin, cp.originlen, pk)) != 0)
	{
		report("invalid: the checkpoint is not signed by %s under origin \"%.*s\"\n", did,
			   (int) cp.originlen, cp.origin);
		out = EXIT_INVALID;
	}
	else if (brop_merkle_proof_parse(&p, proof_text, strlen(proof_text)) != 0 || p.kind != BROP_PROOF_INCLUSION)
		report("invalid: the proof is not an inclusion proof\n");
	else if (brop_merkle_leaf_hash(leaf, (const unsigned char *) leaf_text, leaf_len) != 0)
		report("invalid: the entry cannot be hashed\n");
	else
	{
		report("checkpoint: %.*s, size %llu: signature valid\n", (int) cp.originlen, cp.origin,
			   (unsigned long long) cp.size);
		out = EXIT_INVALID;
		if (p.b != cp.size)
			report("invalid: the proof is for a tree of %llu leaves, the checkpoint has %llu\n",
				   (unsigned long long) p.b, (unsigned long long) cp.size);
		else if (brop_merkle_inclusion_verify(p.a, p.b, leaf, (const brop_merkle_hash *) p.hashes, p.n,
											  cp.root) != 0)
			report("invalid: the entry is not proven in the checkpoint's tree\n");
		else
		{
			report("inclusion: entry at position %llu of %llu: proof valid\n",
				   (unsigned long long) p.a, (unsigned long long) p.b);
			out = EXIT_OK;
		}
	}
	free(note);
	return out;
}
