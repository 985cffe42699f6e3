/*
 * consortium.h — the consortium (src/pg/consortium): this node's witness
 * (witness.c: brop.add_checkpoint, cosignatures, proofs of misbehaviour;
 * witness_step.c: verifying the blocks of this node's ledger copy and
 * cosigning them), and checkpoints under witness policies (policy.c).
 */
#ifndef BROP_PG_CONSORTIUM_H
#define BROP_PG_CONSORTIUM_H

#include "ledger/ledger.h"

/* What witness_step verified of its ledger copy up to the checkpoint it cosigns. */
typedef struct brop_witness_block
{
	int64		number;
	unsigned char hash[BROP_DIGEST_BYTES];
	bytea	   *edge;			/* the tree's right edge (witness_step.c) */
} brop_witness_block;

/*
 * Cosign a checkpoint note of a watched log (the rules of C2SP tlog-witness
 * add-checkpoint), inside SPI, as brop's owner: the cosignature line, or
 * NULL when the note contradicts the last one cosigned in a way this node
 * can prove (the proof is kept, the log halted, brop_misbehaviour
 * notified; a WARNING says so). proof: a consistency proof from old_size
 * (NULL for none). block: what witness_step verified (the proof is then not
 * needed: the witness rebuilt the tree itself), else NULL. ERROR for
 * everything else.
 */
extern char *brop_witness_add(text *note, int64 old_size, const brop_merkle_proof *proof,
							  const brop_witness_block *block);

/* Stop cosigning a log and say why (witness.c); inside SPI. */
extern void brop_witness_halt(const char *origin, const char *reason);

#endif /* BROP_PG_CONSORTIUM_H */
