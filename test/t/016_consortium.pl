# A consortium on PostgreSQL's replication (docs/consortium.md): a
# sequencer and two members, each member a full copy of the ledger by
# logical replication, verifying every block before its witness cosigns it;
# the cosignatures replicate back, and the sequencer's checkpoints meet a
# 2-of-2 witness policy, verified in SQL and offline.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $dir = PostgreSQL::Test::Utils::tempdir;
my $conf = q{
shared_preload_libraries = 'brop'
brop.block_interval = '200ms'
max_replication_slots = 20
max_wal_senders = 20
max_logical_replication_workers = 10
};
my $seq = brop_node('sequencer', $conf);
$seq->start;
$seq->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('consortium.example/log', 'node');
});
is($seq->safe_psql('postgres', 'SELECT brop.consortium_start()'), 'brop_ledger', 'the sequencer publishes its ledger');
my $did = $seq->safe_psql('postgres', "SELECT brop.key_did('node')");

# some history before the members join: they copy it, then verify it
$seq->safe_psql('postgres', q{
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('early ' || i, 'UTF8')), 'early-' || i))
	  FROM generate_series(1, 50) i});
brop_sealed($seq);

my (@members, @vkeys);
for my $i (1, 2)
{
	my $m = brop_node("member$i", $conf);
	$m->start;
	$m->safe_psql('postgres', "CREATE EXTENSION brop; SELECT brop.create_key('ed25519', 'witness')");
	my $vkey = $m->safe_psql('postgres', "SELECT brop.witness_configure('m$i.example', 'witness')");
	my $slot = $m->safe_psql('postgres',
		sprintf("SELECT brop.join('m$i', '%s', 'consortium.example/log', '%s')", $seq->connstr('postgres') =~ s/'/''/gr, $did));
	is($slot, "brop_member_m$i", "member $i joins");
	my $entry = $seq->safe_psql('postgres',
		sprintf("SELECT brop.admit_member('m$i', '%s', '%s')", $m->connstr('postgres') =~ s/'/''/gr, $vkey));
	like($entry, qr/^\d+$/, "the sequencer admits member $i, on the ledger");
	push @members, $m;
	push @vkeys, $vkey;
}
$seq->safe_psql('postgres', "SELECT brop.set_witness_policy(ARRAY['$vkeys[0]', '$vkeys[1]'], 2)");

# a load while the members copy and cosign
for my $round (1 .. 5)
{
	$seq->safe_psql('postgres', qq{
		SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('r$round ' || i, 'UTF8')), 'r$round-' || i))
		  FROM generate_series(1, 40) i});
	usleep(150_000);
}
my $cp = brop_sealed($seq);
my ($size) = $cp =~ /^[^\n]+\n(\d+)\n/;
ok($size >= 252, "the ledger holds every entry ($size)");

for my $i (0, 1)
{
	my $m = $members[$i];
	ok($m->poll_query_until('postgres', "SELECT tree_size = $size FROM brop.witness_log"),
		'member ' . ($i + 1) . ' verified and cosigned up to the latest block');
	is($m->safe_psql('postgres', 'SELECT count(*) FROM brop.entry'),
		$seq->safe_psql('postgres', 'SELECT count(*) FROM brop.entry'), 'and holds every entry');
	is($m->safe_psql('postgres', "SELECT ok, problem FROM brop.verify_ledger('$did')"), 't|',
		'its copy verifies in full');
}
ok($seq->poll_query_until('postgres',
		"SELECT count(*) = 2 FROM brop.cosignature WHERE tree_size = $size"),
	'both cosignatures of the latest checkpoint reach the sequencer');
is($seq->safe_psql('postgres', 'SELECT brop.checkpoint_final()'), 't', 'the checkpoint meets the 2-of-2 policy');
is($seq->safe_psql('postgres', q{
	SELECT count(*) FROM brop.block b
	 WHERE (SELECT count(*) FROM brop.cosignature c WHERE c.tree_size = b.tree_size) <> 2}), '0',
	'every block is cosigned by both witnesses');

write_file("$dir/cosigned", $seq->safe_psql('postgres', 'SELECT brop.checkpoint(NULL, true)') . "\n");
my ($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/cosigned",
	'--witness', $vkeys[0], '--witness', $vkeys[1]);
is($rc, 0, 'the 2-of-2 cosigned checkpoint verifies offline');
like($out, qr/witnesses: 2 of 2 cosigned/, 'with both witnesses');

$_->stop for @members;
$seq->stop;
done_testing();
