-- brop 1.0 -> 1.1 (issue 17 and the fixes after 1.0). brop--1.0.sql never
-- changes after its release: every schema change since ships here, and a new
-- installation of 1.1 runs brop--1.0.sql and then this script (there is no
-- brop--1.1.sql), so a fresh node and an upgraded one are the same.
\echo Use "ALTER EXTENSION brop UPDATE TO '1.1'" to load this file. \quit

-- Each section below is owned by one change; keep edits inside your section.

-- == submit: reserved kinds ==================================================

-- == end submit ==

-- == comments ================================================================
-- Every object of the extension has a COMMENT (regress test comments lists
-- any without one). 1.0 left the columns, the types' support functions,
-- operators, operator classes and families, casts and sequences, and a few
-- internal functions without one; these are they. A section that adds an
-- object comments it there.

-- The types' support: I/O, comparison, hashing, operators, casts
COMMENT ON FUNCTION brop.digest_in(cstring) IS 'input function of brop.digest: 64 hexadecimal digits';
COMMENT ON FUNCTION brop.digest_out(brop.digest) IS 'output function of brop.digest: 64 lower-case hexadecimal digits';
COMMENT ON FUNCTION brop.digest_recv(internal) IS 'binary input function of brop.digest: exactly 32 bytes';
COMMENT ON FUNCTION brop.digest_send(brop.digest) IS 'binary output function of brop.digest: its 32 bytes';
COMMENT ON FUNCTION brop.digest_eq(brop.digest, brop.digest) IS 'implementation of = for brop.digest';
COMMENT ON FUNCTION brop.digest_ne(brop.digest, brop.digest) IS 'implementation of <> for brop.digest';
COMMENT ON FUNCTION brop.digest_lt(brop.digest, brop.digest) IS 'implementation of < for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_le(brop.digest, brop.digest) IS 'implementation of <= for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_gt(brop.digest, brop.digest) IS 'implementation of > for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_ge(brop.digest, brop.digest) IS 'implementation of >= for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_cmp(brop.digest, brop.digest) IS 'btree support: -1, 0 or 1 comparing two digests bytewise';
COMMENT ON FUNCTION brop.digest_hash(brop.digest) IS 'hash support: 32-bit hash of a digest';
COMMENT ON FUNCTION brop.digest_hash_extended(brop.digest, bigint) IS 'hash support: 64-bit seeded hash of a digest';
COMMENT ON OPERATOR pg_catalog.= (brop.digest, brop.digest) IS 'equal';
COMMENT ON OPERATOR pg_catalog.<> (brop.digest, brop.digest) IS 'not equal';
COMMENT ON OPERATOR pg_catalog.< (brop.digest, brop.digest) IS 'less than (bytewise)';
COMMENT ON OPERATOR pg_catalog.<= (brop.digest, brop.digest) IS 'less than or equal (bytewise)';
COMMENT ON OPERATOR pg_catalog.> (brop.digest, brop.digest) IS 'greater than (bytewise)';
COMMENT ON OPERATOR pg_catalog.>= (brop.digest, brop.digest) IS 'greater than or equal (bytewise)';
COMMENT ON OPERATOR FAMILY brop.digest_ops USING btree IS 'btree order of brop.digest (bytewise)';
COMMENT ON OPERATOR CLASS brop.digest_ops USING btree IS 'default btree operator class of brop.digest (bytewise)';
COMMENT ON OPERATOR FAMILY brop.digest_hash_ops USING hash IS 'hash equality of brop.digest';
COMMENT ON OPERATOR CLASS brop.digest_hash_ops USING hash IS 'default hash operator class of brop.digest';
COMMENT ON CAST (bytea AS brop.digest) IS 'a digest from exactly 32 bytes (brop.digest(bytea))';
COMMENT ON CAST (brop.digest AS bytea) IS 'the 32 bytes of a digest (brop.bytea(brop.digest))';

COMMENT ON FUNCTION brop.did_in(cstring) IS 'input function of brop.did: a did:key of an ed25519, secp256k1, p256 or x25519 key';
COMMENT ON FUNCTION brop.did_out(brop.did) IS 'output function of brop.did: its did:key text';
COMMENT ON FUNCTION brop.did_recv(internal) IS 'binary input function of brop.did: the multicodec varint of the key type, then the public key';
COMMENT ON FUNCTION brop.did_send(brop.did) IS 'binary output function of brop.did: the multicodec varint of the key type, then the public key';
COMMENT ON FUNCTION brop.did_eq(brop.did, brop.did) IS 'implementation of = for brop.did: same algorithm and public key';
COMMENT ON FUNCTION brop.did_ne(brop.did, brop.did) IS 'implementation of <> for brop.did';
COMMENT ON FUNCTION brop.did_lt(brop.did, brop.did) IS 'implementation of < for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_le(brop.did, brop.did) IS 'implementation of <= for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_gt(brop.did, brop.did) IS 'implementation of > for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_ge(brop.did, brop.did) IS 'implementation of >= for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_cmp(brop.did, brop.did) IS 'btree support: -1, 0 or 1 comparing two dids by their stored bytes (a stable order, not the text''s)';
COMMENT ON FUNCTION brop.did_hash(brop.did) IS 'hash support: 32-bit hash of a did';
COMMENT ON FUNCTION brop.did_hash_extended(brop.did, bigint) IS 'hash support: 64-bit seeded hash of a did';
COMMENT ON OPERATOR pg_catalog.= (brop.did, brop.did) IS 'equal: same algorithm and public key';
COMMENT ON OPERATOR pg_catalog.<> (brop.did, brop.did) IS 'not equal';
COMMENT ON OPERATOR pg_catalog.< (brop.did, brop.did) IS 'less than (order of the stored bytes)';
COMMENT ON OPERATOR pg_catalog.<= (brop.did, brop.did) IS 'less than or equal (order of the stored bytes)';
COMMENT ON OPERATOR pg_catalog.> (brop.did, brop.did) IS 'greater than (order of the stored bytes)';
COMMENT ON OPERATOR pg_catalog.>= (brop.did, brop.did) IS 'greater than or equal (order of the stored bytes)';
COMMENT ON OPERATOR FAMILY brop.did_ops USING btree IS 'btree order of brop.did (its stored bytes)';
COMMENT ON OPERATOR CLASS brop.did_ops USING btree IS 'default btree operator class of brop.did';
COMMENT ON OPERATOR FAMILY brop.did_hash_ops USING hash IS 'hash equality of brop.did';
COMMENT ON OPERATOR CLASS brop.did_hash_ops USING hash IS 'default hash operator class of brop.did';

COMMENT ON FUNCTION brop.proof_in(cstring) IS 'input function of brop.proof: inclusion(INDEX, SIZE) [HASH, ...] or consistency(OLD_SIZE, NEW_SIZE) [HASH, ...] (docs/formats.md)';
COMMENT ON FUNCTION brop.proof_out(brop.proof) IS 'output function of brop.proof: its text form (docs/formats.md, "Proofs in SQL")';
COMMENT ON FUNCTION brop.proof_recv(internal) IS 'binary input function of brop.proof: kind, hash count, the two sizes, the hashes';
COMMENT ON FUNCTION brop.proof_send(brop.proof) IS 'binary output function of brop.proof: kind, hash count, the two sizes, the hashes';
COMMENT ON FUNCTION brop.merkle_root_accum(internal, brop.digest) IS 'state function of the aggregate brop.merkle_root: adds one leaf hash';
COMMENT ON FUNCTION brop.merkle_root_final(internal) IS 'final function of the aggregate brop.merkle_root: the RFC 9162 root of the leaf hashes added';

-- Internal helpers of the organisation and credential functions (not granted to PUBLIC or called by them only)
COMMENT ON FUNCTION brop.change_entry(text, text, text, jsonb, brop.did) IS
  'internal: append a governance or membership change as an entry of that kind in that chain, signed with key, the header''s digest as its payload digest';
COMMENT ON FUNCTION brop.governance_signer(text) IS
  'internal: the keyring key that signs a governance change: governance_key (an active governance organisation''s), or the node''s key when null';
COMMENT ON FUNCTION brop.organization_for_change(brop.did) IS
  'internal: the current row of an organisation, locked, with its next version number; an error if it is not on this ledger';
COMMENT ON FUNCTION brop.organization_write(text, brop.organization, text) IS
  'internal: write a version of an organisation: its ledger entry (op), its history row and its current row';
COMMENT ON FUNCTION brop.credential_request_header(text, text, text) IS
  'internal: the header of a credential status change (op revoke, deactivate, reactivate or destroy) of a serial, with its reason';
COMMENT ON FUNCTION brop.credential_for_request(text, text, boolean) IS
  'internal: the credential a status change is about (locked when lock), its signer (the issuer for revoke, the holder otherwise) and its chain''s head';

-- Sequences
COMMENT ON SEQUENCE brop.key_id_seq IS 'identity of brop.key.id';
COMMENT ON SEQUENCE brop.entry_id_seq IS 'identity of brop.entry.id (the order of submission, not a log position)';
COMMENT ON SEQUENCE brop.verification_log_id_seq IS 'identity of brop.verification_log.id';
COMMENT ON SEQUENCE brop.capture_seq IS 'the order of committed captured transactions in brop.capture_queue.seq (the drain''s order)';

-- The keyring
COMMENT ON COLUMN brop.key.id IS 'the key''s number (brop.key_grant.key_id)';
COMMENT ON COLUMN brop.key.label IS 'the name by which SQL uses the key (brop.sign(label, ...)); unique';
COMMENT ON COLUMN brop.key.alg IS 'ed25519, secp256k1 or p256';
COMMENT ON COLUMN brop.key.did IS 'the key''s public did:key';
COMMENT ON COLUMN brop.key.owner IS 'the role that created the key; it may use it and grant it (brop.grant_key)';
COMMENT ON COLUMN brop.key.created_at IS 'when brop.create_key made it';
COMMENT ON COLUMN brop.key_grant.key_id IS 'the key (brop.key.id)';
COMMENT ON COLUMN brop.key_grant.grantee IS 'a role allowed to use the key (brop.grant_key)';
COMMENT ON COLUMN brop.key_root.singleton IS 'always true: one row';
COMMENT ON COLUMN brop.key_root.root_key_id IS 'first 8 bytes of HMAC-SHA256(root key, "brop root key id v1"); every key must be sealed under this root key';
COMMENT ON COLUMN brop.key_root.recorded_at IS 'when the first brop.create_key recorded it';
COMMENT ON COLUMN brop.keys.label IS 'the key''s label (brop.key.label)';
COMMENT ON COLUMN brop.keys.alg IS 'ed25519, secp256k1 or p256';
COMMENT ON COLUMN brop.keys.did IS 'the key''s public did:key';
COMMENT ON COLUMN brop.keys.owner IS 'the role that created the key';
COMMENT ON COLUMN brop.keys.created_at IS 'when the key was made';
COMMENT ON COLUMN brop.keys.grantees IS 'the existing roles the key is granted to, besides its owner';

-- The ledger
COMMENT ON COLUMN brop.ledger_config.singleton IS 'always true: one row';
COMMENT ON COLUMN brop.ledger_config.origin IS 'the log''s origin: the first line of each checkpoint and its note''s key name';
COMMENT ON COLUMN brop.ledger_config.node_key IS 'label of the Ed25519 keyring key that signs the checkpoints (and governance changes by default)';
COMMENT ON COLUMN brop.ledger_config.node_did IS 'the node key''s did:key: what an auditor verifies checkpoints with';

COMMENT ON COLUMN brop.entry.id IS 'given by the database in the order of submission; neither signed nor hashed, not the log position (brop.log_leaf)';
COMMENT ON COLUMN brop.entry.kind IS 'what sort of fact, e.g. diploma, row, registration, credential, organization';
COMMENT ON COLUMN brop.entry.org IS 'the did of the organisation that signed the entry';
COMMENT ON COLUMN brop.entry.subject IS 'the did the fact is about (a holder, say), or null';
COMMENT ON COLUMN brop.entry.chain_key IS 'the per-object chain the entry extends (e.g. credential:<serial>), or null';
COMMENT ON COLUMN brop.entry.prev_digest IS 'the digest of the previous entry of its chain, or null when it starts the chain or has none';
COMMENT ON COLUMN brop.entry.header IS 'public metadata, a JSON object ({} when none is given); signed and hashed as RFC 8785 text';
COMMENT ON COLUMN brop.entry.payload_digest IS 'the digest of the registered data (which stays outside the ledger)';
COMMENT ON COLUMN brop.entry.body_digest IS 'the digest of a body kept outside the ledger, or null; the body can be erased, the leaf stays valid';
COMMENT ON COLUMN brop.entry.nonce IS 'chosen by the organisation, unique per organisation: a retry with the same nonce returns the same entry';
COMMENT ON COLUMN brop.entry.expires_block IS 'the last block that may seal the entry, or null: later it is recorded in brop.entry_expired instead';
COMMENT ON COLUMN brop.entry.signature IS 'the organisation''s signature over brop.entry_signing_input(...), as submitted (Ed25519, or ECDSA r||s or DER)';
COMMENT ON COLUMN brop.entry.submitted_at IS 'the server''s time at submission; part of the leaf input (microseconds, UTC)';
COMMENT ON COLUMN brop.entry.digest IS 'the entry''s RFC 9162 leaf hash: SHA-256(0x00 || leaf input) (docs/formats.md, "Ledger entries")';
COMMENT ON COLUMN brop.pending.entry IS 'a submitted entry waiting for the next seal (brop.entry.id)';
COMMENT ON COLUMN brop.pending.expires_block IS 'the entry''s expires_block, so the seal sets expired entries aside without reading brop.entry';
COMMENT ON COLUMN brop.block.number IS 'the block''s number: 1, 2, 3, ... (the checkpoint''s "block" line)';
COMMENT ON COLUMN brop.block.first_position IS 'the log position of the block''s first entry';
COMMENT ON COLUMN brop.block.tree_size IS 'the log''s size after this block: positions 0 to tree_size - 1';
COMMENT ON COLUMN brop.block.root IS 'the RFC 9162 root of the log at tree_size';
COMMENT ON COLUMN brop.block.prev_hash IS 'the previous block''s hash (the checkpoint''s "previous" line); null in block 1';
COMMENT ON COLUMN brop.block.sealed_at IS 'when the block was sealed (the checkpoint''s "time" line)';
COMMENT ON COLUMN brop.block.checkpoint IS 'the block''s C2SP signed checkpoint note, signed with the node key';
COMMENT ON COLUMN brop.block.hash IS 'SHA-256 of the checkpoint''s body (the signed text, without the signature line)';
COMMENT ON COLUMN brop.log_leaf.position IS 'the 0-based RFC 9162 leaf index; gapless';
COMMENT ON COLUMN brop.log_leaf.entry IS 'the entry at this position (brop.entry.id)';
COMMENT ON COLUMN brop.log_leaf.block IS 'the block that sealed it (brop.block.number)';
COMMENT ON COLUMN brop.entry_expired.entry IS 'an entry whose expires_block passed before a seal took it (brop.entry.id)';
COMMENT ON COLUMN brop.entry_expired.after_block IS 'the last block that existed when it expired';
COMMENT ON COLUMN brop.log_tile.level IS 'the tile''s level t: it holds nodes at height 4t (level 0: the leaf hashes)';
COMMENT ON COLUMN brop.log_tile.idx IS 'the tile''s index i in its level: nodes 16i to 16i + 15';
COMMENT ON COLUMN brop.log_tile.hashes IS 'up to 16 hashes of 32 bytes, left to right; only the last tile of a level grows';
COMMENT ON COLUMN brop.chain_head.chain_key IS 'the chain (brop.entry.chain_key)';
COMMENT ON COLUMN brop.chain_head.head IS 'the digest of the chain''s last entry: the next entry''s prev_digest';
COMMENT ON COLUMN brop.chain_head.entry IS 'the chain''s last entry (brop.entry.id)';
COMMENT ON COLUMN brop.chain_head.length IS 'how many entries the chain has';

-- Registration and capture
COMMENT ON COLUMN brop.registration.name IS 'the registration''s name, in its entries'' headers and row chain keys (default: the table''s qualified name)';
COMMENT ON COLUMN brop.registration.relid IS 'the registered table';
COMMENT ON COLUMN brop.registration.key_columns IS 'the columns that identify a row (its chain on the ledger)';
COMMENT ON COLUMN brop.registration.columns IS 'the columns whose values make the row''s digest (the key columns among them)';
COMMENT ON COLUMN brop.registration.subject_column IS 'a column holding the did the row is about (the entries'' subject), or null';
COMMENT ON COLUMN brop.registration.profile IS '1: digests only; 3: the row''s values and salt in the entry''s header, in clear (2 is refused)';
COMMENT ON COLUMN brop.registration.signing_key IS 'label of the keyring key that signs the row entries';
COMMENT ON COLUMN brop.registration.capture IS 'how changes reach a ledger: trigger (this database''s, via brop.capture_queue) or plugin (the brop output plugin and brop relay)';
COMMENT ON COLUMN brop.registration.org IS 'the did of signing_key: the entries'' organisation';
COMMENT ON COLUMN brop.registration.registrant IS 'the role that registered the table: the capture''s signing uses its key rights, whoever changes the table';
COMMENT ON COLUMN brop.registration.entry IS 'the ledger entry (kind registration) that records the registration';
COMMENT ON COLUMN brop.registration.registered_at IS 'when the table was registered';
COMMENT ON COLUMN brop.capture_queue.xid IS 'the capturing transaction''s 64-bit id; with chunk, the sealed box''s associated data';
COMMENT ON COLUMN brop.capture_queue.chunk IS 'the chunk''s number in its transaction (about 8 kB of captured rows each)';
COMMENT ON COLUMN brop.capture_queue.seq IS 'on a transaction''s final chunk only: its place in the drain''s order (brop.capture_seq); null on the others';
COMMENT ON COLUMN brop.capture_queue.data IS 'the captured rows, sealed under a key derived from the salt key';

-- Organisations and relayed sources
COMMENT ON COLUMN brop.credential_category.name IS 'the category''s name (lower case, e.g. higher_education)';
COMMENT ON COLUMN brop.credential_category.description IS 'what the category covers, in words';
COMMENT ON COLUMN brop.credential_category.entry IS 'the governance entry that added it; null for a built-in category';
COMMENT ON COLUMN brop.organization.did IS 'the organisation''s did: the key that signs its entries and credentials';
COMMENT ON COLUMN brop.organization.name IS 'the organisation''s name';
COMMENT ON COLUMN brop.organization.role IS 'direct_issuer, cross_issuer, validator or governance';
COMMENT ON COLUMN brop.organization.categories IS 'the credential categories it may issue (brop.credential_category)';
COMMENT ON COLUMN brop.organization.status IS 'active, suspended or removed; only active organisations issue and submit batches';
COMMENT ON COLUMN brop.organization.added_at IS 'when it was added (its first version''s time)';
COMMENT ON COLUMN brop.organization.status_at IS 'when its status last changed';
COMMENT ON COLUMN brop.organization.version IS 'its current version (1, 2, ...; brop.organization_history)';
COMMENT ON COLUMN brop.organization.entry IS 'the ledger entry of its last change';
COMMENT ON COLUMN brop.organization_history.did IS 'the organisation''s did';
COMMENT ON COLUMN brop.organization_history.version IS 'the version''s number, 1 for the organisation''s addition';
COMMENT ON COLUMN brop.organization_history.name IS 'its name in this version';
COMMENT ON COLUMN brop.organization_history.role IS 'its role in this version';
COMMENT ON COLUMN brop.organization_history.categories IS 'the categories it could issue in this version';
COMMENT ON COLUMN brop.organization_history.status IS 'its status in this version';
COMMENT ON COLUMN brop.organization_history.valid_from IS 'when this version took effect: its entry''s time';
COMMENT ON COLUMN brop.organization_history.entry IS 'the ledger entry that made this version';
COMMENT ON COLUMN brop.membership_history.org IS 'the organisation (a direct issuer)';
COMMENT ON COLUMN brop.membership_history.holder IS 'the holder''s did';
COMMENT ON COLUMN brop.membership_history.version IS 'the version''s number for this organisation and holder';
COMMENT ON COLUMN brop.membership_history.member IS 'true: joined; false: left';
COMMENT ON COLUMN brop.membership_history.valid_from IS 'when this version took effect: its entry''s time';
COMMENT ON COLUMN brop.membership_history.entry IS 'the ledger entry (kind membership, signed by the organisation) that made it';
COMMENT ON COLUMN brop.source_position.source IS 'the source''s name on the ledger (brop relay --name; default the slot''s name)';
COMMENT ON COLUMN brop.source_position.org IS 'the organisation whose batches move this source';
COMMENT ON COLUMN brop.source_position.lsn IS 'the end LSN of the last source transaction on the ledger (the plugin''s end_lsn)';
COMMENT ON COLUMN brop.source_position.changes IS 'how many of that transaction''s changes are on the ledger; null: all of them';
COMMENT ON COLUMN brop.source_position.entries IS 'how many entries the source has appended in all';
COMMENT ON COLUMN brop.source_position.updated_at IS 'when the last batch moved it';

-- Credentials
COMMENT ON COLUMN brop.identity_claim.name IS 'a claim name that identifies a person, in lower case';
COMMENT ON COLUMN brop.identity_claim.builtin IS 'true: shipped with brop; false: added by the owner (kept by pg_dump)';
COMMENT ON COLUMN brop.credential.serial IS 'the version''s serial number (a UUID; the credential''s id is urn:uuid:<serial>)';
COMMENT ON COLUMN brop.credential.lineage IS 'the serial of version 1: every version of the credential shares it, and its chain is credential:<lineage>';
COMMENT ON COLUMN brop.credential.version IS 'the version''s number in its lineage, from 1';
COMMENT ON COLUMN brop.credential.supersedes IS 'the serial of the version this one revises, or null for version 1';
COMMENT ON COLUMN brop.credential.issuer IS 'the issuer''s did (its keyring key signed the credential)';
COMMENT ON COLUMN brop.credential.holder IS 'the holder''s did';
COMMENT ON COLUMN brop.credential.category IS 'the credential''s category (brop.credential_category)';
COMMENT ON COLUMN brop.credential.form IS 'vc (W3C VC 2.0, eddsa-jcs-2022) or sd-jwt (SD-JWT VC)';
COMMENT ON COLUMN brop.credential.profile IS '1: the digest only; 2: also the envelope, no identity claims; 3: also the envelope, identity claims allowed';
COMMENT ON COLUMN brop.credential.digest IS 'the credential''s digest: the payload digest of its ledger entry (docs/formats.md, "What the ledger commits to")';
COMMENT ON COLUMN brop.credential.issued_at IS 'when it was issued (the server''s time)';
COMMENT ON COLUMN brop.credential.valid_until IS 'the end of its validity period, to the second, or null';
COMMENT ON COLUMN brop.credential.entry IS 'its ledger entry (kind credential)';
COMMENT ON COLUMN brop.credential.status IS 'active, superseded (by a newer version) or revoked (by the issuer)';
COMMENT ON COLUMN brop.credential.deactivated IS 'true while the holder has deactivated it: no version verifies';
COMMENT ON COLUMN brop.credential.destroyed IS 'true once the holder destroyed it: its envelopes are erased';
COMMENT ON COLUMN brop.credential.envelope IS 'profiles 2 and 3: the credential sealed to the holder (sign-then-seal); null in profile 1 and after destroy; readable by the owner only';
COMMENT ON COLUMN brop.credential.status_entry IS 'the ledger entry of its last status change (superseded, revoked, deactivated, reactivated or destroyed), or null';
COMMENT ON COLUMN brop.verification_log.id IS 'the verification''s number';
COMMENT ON COLUMN brop.verification_log.at IS 'when it was verified';
COMMENT ON COLUMN brop.verification_log.verifier IS 'the session''s login role that asked';
COMMENT ON COLUMN brop.verification_log.audience IS 'the audience given (a presentation''s), or null';
COMMENT ON COLUMN brop.verification_log.nonce IS 'the nonce given (a presentation''s), or null';
COMMENT ON COLUMN brop.verification_log.serial IS 'the credential''s serial, when it could be read';
COMMENT ON COLUMN brop.verification_log.issuer IS 'the credential''s issuer, when it could be read';
COMMENT ON COLUMN brop.verification_log.holder IS 'the credential''s holder, when it could be read';
COMMENT ON COLUMN brop.verification_log.revealed IS 'the names of the claims the credential or presentation revealed (a JSON array), or null';
COMMENT ON COLUMN brop.verification_log.valid IS 'the verdict';
COMMENT ON COLUMN brop.verification_log.reasons IS 'why it did not verify (empty when valid)';

-- == end comments ==

-- == restored copy ===========================================================

-- == end restored copy ==

-- == status ==================================================================

-- == end status ==

-- == registration: existing rows =============================================

-- == end registration ==

-- == disclosure ==============================================================

-- == end disclosure ==

-- == progress ================================================================

-- == end progress ==
