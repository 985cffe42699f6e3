# An auditor verifies, offline with `brop verify`, what a node exported:
# signed checkpoints, inclusion proofs against them, and consistency proofs
# between two of them; forged or mismatched material is refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;

my $dir  = PostgreSQL::Test::Utils::tempdir;

my $node = brop_node('audit');
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'log'), brop.create_key('ed25519', 'impostor');
	CREATE TABLE leaves AS
	  SELECT i, brop.merkle_leaf_hash(convert_to('entry ' || i, 'UTF8')) AS h FROM generate_series(1, 21) i;
	CREATE FUNCTION cp(n int, origin text DEFAULT 'audit.example/log', k text DEFAULT 'log') RETURNS text
	  LANGUAGE sql AS $$ SELECT brop.checkpoint_note(k, origin, n,
	                       (SELECT brop.merkle_root(h ORDER BY i) FROM leaves WHERE i <= n)) $$;
	CREATE FUNCTION hashes(n int) RETURNS brop.digest[]
	  LANGUAGE sql AS $$ SELECT array_agg(h ORDER BY i) FROM leaves WHERE i <= n $$;
});
my $did = $node->safe_psql('postgres', "SELECT brop.key_did('log')");
my $impostor = $node->safe_psql('postgres', "SELECT brop.key_did('impostor')");

write_file("$dir/cp13", $node->safe_psql('postgres', 'SELECT cp(13)'));
write_file("$dir/cp21", $node->safe_psql('postgres', 'SELECT cp(21)'));
write_file("$dir/other", $node->safe_psql('postgres', "SELECT cp(21, 'audit.example/other')"));
my $leaf = $node->safe_psql('postgres', "SELECT h FROM leaves WHERE i = 8");
my $incl = $node->safe_psql('postgres', 'SELECT brop.merkle_inclusion_proof(hashes(21), 7)');
my $cons = $node->safe_psql('postgres', 'SELECT brop.merkle_consistency_proof(hashes(21), 13)');
write_file("$dir/incl.txt", "$incl\n");

my ($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21");
is($rc, 0, 'a checkpoint verifies offline');
like($out, qr/^checkpoint: audit\.example\/log, size 21: signature valid\nvalid\n$/, 'and says what it checked');

($rc, $out) = brop_cli('verify', '--did', $impostor, '--checkpoint', "$dir/cp21");
is($rc, 1, 'another key does not verify the checkpoint');
like($out, qr/^invalid: checkpoint .* is not signed by this key/, 'with the reason');

($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21", '--proof', $incl, '--leaf', $leaf);
is($rc, 0, 'an inclusion proof verifies against the checkpoint');
like($out, qr/inclusion: leaf 7 of 21: proof valid\nvalid\n$/, 'for leaf 7 of 21');
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21", '--proof', "\@$dir/incl.txt", '--leaf', $leaf);
is($rc, 0, 'the proof may come from a file');

my $other_leaf = $node->safe_psql('postgres', "SELECT h FROM leaves WHERE i = 9");
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21", '--proof', $incl, '--leaf', $other_leaf);
is($rc, 1, 'the proof does not prove another leaf');
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp13", '--proof', $incl, '--leaf', $leaf);
is($rc, 1, 'a proof for another tree size is refused');
like($out, qr/tree of 21 leaves, the checkpoint has 13/, 'with the sizes');

($rc, $out) = brop_cli('verify', '--did', $did, '--old-checkpoint', "$dir/cp13", '--checkpoint', "$dir/cp21", '--proof', $cons);
is($rc, 0, 'a consistency proof links the two checkpoints');
like($out, qr/consistency: 13 -> 21 leaves: proof valid\nvalid\n$/, 'from 13 to 21');
($rc) = brop_cli('verify', '--did', $did, '--old-checkpoint', "$dir/cp21", '--checkpoint', "$dir/cp13", '--proof', $cons);
is($rc, 1, 'swapped checkpoints are refused');
($rc, $out) = brop_cli('verify', '--did', $did, '--old-checkpoint', "$dir/cp13", '--checkpoint', "$dir/other", '--proof', $cons);
is($rc, 1, 'checkpoints of two logs are refused');

# a fork: the same size 13 with a different history is not a prefix of 21
$node->safe_psql('postgres', "UPDATE leaves SET h = brop.merkle_leaf_hash('forged') WHERE i = 3");
write_file("$dir/fork13", $node->safe_psql('postgres', 'SELECT cp(13)'));
($rc, $out) = brop_cli('verify', '--did', $did, '--old-checkpoint', "$dir/fork13", '--checkpoint', "$dir/cp21", '--proof', $cons);
is($rc, 1, 'a forked history is detected');
like($out, qr/not a prefix of the new one \(a fork\)/, 'and called a fork');

# a checkpoint edited after signing
my $cp21 = slurp_file("$dir/cp21");
(my $edited = $cp21) =~ s/\n21\n/\n22\n/;
write_file("$dir/edited", $edited);
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/edited");
is($rc, 1, 'an edited checkpoint is refused');

# bad input
write_file("$dir/garbage", "not a checkpoint\n");
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/garbage");
is($rc, 3, 'garbage is malformed input (exit 3)');
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21", '--proof', 'inclusion(7, 21) [zz]', '--leaf', $leaf);
is($rc, 3, 'a malformed proof is exit 3');
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21", '--proof', $incl);
is($rc, 2, 'an inclusion proof without --leaf is a usage error');
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cp21", '--signature', 'abcd');
is($rc, 2, 'signature and checkpoint modes do not mix');

my $err;

# Witnesses: a checkpoint under a policy of k of n cosignatures, and
# proofs of misbehaviour, offline (docs/consortium.md).
$node->safe_psql('postgres', q{
	SELECT brop.create_key('ed25519', 'w1'), brop.create_key('ed25519', 'w2');
	CREATE TABLE honest AS
	  SELECT i, brop.merkle_leaf_hash(convert_to('entry ' || i, 'UTF8')) AS h FROM generate_series(1, 21) i;
	CREATE TABLE forked AS
	  SELECT i, CASE WHEN i < 5 THEN h ELSE brop.merkle_leaf_hash(convert_to('other ' || i, 'UTF8')) END AS h
	    FROM honest;
	CREATE FUNCTION wcp(n int, t text DEFAULT 'honest') RETURNS text LANGUAGE plpgsql AS $$
	  DECLARE r brop.digest;
	  BEGIN
	    EXECUTE format('SELECT brop.merkle_root(h ORDER BY i) FROM %I WHERE i <= $1', t) INTO r USING n;
	    RETURN brop.checkpoint_note('log', 'audit.example/witnessed', n, r);
	  END $$;
	CREATE FUNCTION whashes(n int, t text DEFAULT 'honest') RETURNS brop.digest[] LANGUAGE plpgsql AS $$
	  DECLARE r brop.digest[];
	  BEGIN
	    EXECUTE format('SELECT array_agg(h ORDER BY i) FROM %I WHERE i <= $1', t) INTO r USING n;
	    RETURN r;
	  END $$;
	SELECT brop.witness_configure('w1.example', 'w1');
	SELECT brop.witness_watch('audit.example/witnessed', brop.key_did('log'));
	SELECT brop.add_checkpoint(0, NULL, wcp(13));
});
my $w1 = $node->safe_psql('postgres', "SELECT brop.witness_vkey('w1.example', brop.key_did('w1'))");
my $w2 = $node->safe_psql('postgres', "SELECT brop.witness_vkey('w2.example', brop.key_did('w2'))");
my $line1 = $node->safe_psql('postgres', 'SELECT brop.add_checkpoint(13, brop.merkle_consistency_proof(whashes(21), 13), wcp(21))');
$node->safe_psql('postgres', "SELECT brop.witness_configure('w2.example', 'w2')");
my $line2 = $node->safe_psql('postgres', 'SELECT brop.add_checkpoint(21, NULL, wcp(21))');
my $wcp21 = $node->safe_psql('postgres', 'SELECT wcp(21)');
write_file("$dir/cosigned", "$wcp21$line1$line2");
write_file("$dir/cosigned1", "$wcp21$line1");
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cosigned", '--witness', $w1, '--witness', $w2);
is($rc, 0, 'a checkpoint cosigned by both witnesses meets a 2-of-2 policy');
like($out, qr/cosigned: w1\.example at \d+\ncosigned: w2\.example at \d+\nwitnesses: 2 of 2 cosigned \(policy: 2\)\nvalid\n$/,
	'and names who cosigned when');
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cosigned1", '--witness', $w1, '--witness', $w2);
is($rc, 1, 'one cosignature does not meet 2 of 2');
like($out, qr/invalid: 1 of the 2 witnesses cosigned the checkpoint, the policy needs 2/, 'with the count');
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cosigned1", '--witness', $w1, '--witness', $w2,
	'--quorum', '1');
is($rc, 0, 'one cosignature meets 1 of 2');
my $wcp13 = $node->safe_psql('postgres', 'SELECT wcp(13)');
write_file("$dir/moved", "$wcp13$line1");
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/moved", '--witness', $w1, '--quorum', '0');
is($rc, 1, "a witness's cosignature of another checkpoint fails the note");
($rc, $out, $err) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cosigned", '--witness',
	$node->safe_psql('postgres', "SELECT brop.witness_vkey('w1.example', brop.key_did('w1'))") =~ s/\+B/+A/r);
is($rc, 3, 'a key that is not a witness key is malformed input');
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cosigned", '--witness', $w1, '--quorum', '2');
is($rc, 2, 'a quorum above the witnesses given is a usage error');
($rc) = brop_cli('verify', '--did', $did, '--signature', 'abcd', '--witness', $w1);
is($rc, 2, '--witness needs --checkpoint');

# A fork: the log's key signs a tree of 21 whose first 13 leaves are not
# the ones the witness cosigned; the witness keeps the proof, and the
# proof verifies offline.
my $bad = $node->safe_psql('postgres', "SELECT brop.add_checkpoint(21, brop.merkle_consistency_proof(whashes(30, 'forked'), 21), wcp(21, 'forked'))");
is($bad, '', 'the witness does not cosign a checkpoint that contradicts one it cosigned');
write_file("$dir/fork-a", $node->safe_psql('postgres', 'SELECT checkpoint_a FROM brop.misbehaviour'));
write_file("$dir/fork-b", $node->safe_psql('postgres', 'SELECT checkpoint_b FROM brop.misbehaviour'));
my $fproof = $node->safe_psql('postgres', 'SELECT proof FROM brop.misbehaviour');
is($fproof, '', 'two checkpoints of one size need no proof');
($rc, $out) = brop_cli('verify', '--did', $did, '--fork', "$dir/fork-a", "$dir/fork-b");
is($rc, 0, "the witness's proof of misbehaviour verifies offline");
like($out, qr/fork: two roots for 21 leaves\nvalid\n$/, 'as two roots for one size');
write_file("$dir/f13", $node->safe_psql('postgres', 'SELECT wcp(13)'));
write_file("$dir/f21", $node->safe_psql('postgres', "SELECT wcp(21, 'forked')"));
my $p = $node->safe_psql('postgres', "SELECT brop.merkle_consistency_proof(whashes(21, 'forked'), 13)");
($rc, $out) = brop_cli('verify', '--did', $did, '--fork', "$dir/f21", "$dir/f13", '--proof', $p);
is($rc, 0, 'checkpoints of sizes 13 and 21 with a proof from the larger history are a fork');
like($out, qr/fork: the tree of 13 leaves under the larger checkpoint is not the smaller one's\nvalid\n$/, 'and say so');
($rc, $out) = brop_cli('verify', '--did', $did, '--fork', "$dir/f13", "$dir/f21");
is($rc, 1, 'without the proof, two sizes prove nothing');
write_file("$dir/h21", $wcp21);
($rc, $out) = brop_cli('verify', '--did', $did, '--fork', "$dir/f13", "$dir/h21", '--proof',
	$node->safe_psql('postgres', 'SELECT brop.merkle_consistency_proof(whashes(21), 13)'));
is($rc, 1, 'a consistent pair is no fork');
like($out, qr/invalid: the proof does not show the two checkpoints inconsistent/, 'and is not called one');
($rc) = brop_cli('verify', '--did', $impostor, '--fork', "$dir/fork-a", "$dir/fork-b");
is($rc, 1, "checkpoints not signed by the log's key prove nothing against it");
($rc) = brop_cli('verify', '--did', $did, '--fork', "$dir/fork-a");
is($rc, 2, '--fork takes two files');

# A ledger's export: an entry's leaf input, its inclusion proof and the
# signed checkpoint of the block, verified with --entry.
$node->safe_psql('postgres', q{
	SELECT brop.configure_ledger('audit.example/ledger', 'log');
	SELECT count(brop.submit_as('impostor', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g,
	                            jsonb_build_object('title', 'doc ' || g, 'note', 'é ☃')))
	  FROM generate_series(1, 30) g;
	SELECT brop.seal();
});
# psql -At adds a newline after the note's own: --checkpoint takes either
write_file("$dir/ledger-cp", $node->safe_psql('postgres', 'SELECT brop.checkpoint()') . "\n\n");
write_file("$dir/entry.json", $node->safe_psql('postgres', "SELECT brop.entry_leaf(e) FROM brop.entry e WHERE nonce = 'n-17'") . "\n");
my $entry_proof = $node->safe_psql('postgres', "SELECT brop.inclusion_proof(id) FROM brop.entry WHERE nonce = 'n-17'");
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/ledger-cp", '--proof', $entry_proof, '--entry', "$dir/entry.json");
is($rc, 0, 'a ledger entry verifies offline from its leaf input');
like($out, qr/inclusion: leaf 16 of 30: proof valid\nvalid\n$/, 'at its position');

my $entry = slurp_file("$dir/entry.json");
(my $altered = $entry) =~ s/doc 17/doc 18/;
write_file("$dir/altered.json", $altered);
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/ledger-cp", '--proof', $entry_proof, '--entry', "$dir/altered.json");
is($rc, 1, 'an altered entry does not verify');
(my $spaced = $entry) =~ s/,/, /;
write_file("$dir/spaced.json", $spaced);
($rc, $out, $err) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/ledger-cp", '--proof', $entry_proof, '--entry', "$dir/spaced.json");
is($rc, 3, 'a leaf input that is not canonical JSON is malformed input');
like($err, qr/not canonical/, 'and says so');
# one final newline is ignored (entry.json has one), a second is not
write_file("$dir/two-newlines.json", "$entry\n");
($rc, $out, $err) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/ledger-cp", '--proof', $entry_proof, '--entry', "$dir/two-newlines.json");
is($rc, 3, 'a leaf input with a second final newline is malformed input');
like($err, qr/not canonical/, 'the newline is not part of the canonical JSON');
($rc) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/ledger-cp", '--proof', $entry_proof,
	'--entry', "$dir/entry.json", '--leaf', $leaf);
is($rc, 2, '--entry and --leaf do not mix');

$node->stop;
done_testing();
