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
my $err;
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
