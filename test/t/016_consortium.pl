# A consortium on PostgreSQL's replication (docs/consortium.md): a
# sequencer with a synchronous standby, and two members, each a full copy of
# the ledger by logical replication, verifying every block before its
# witness cosigns it; the cosignatures replicate back, and the sequencer's
# checkpoints meet a 2-of-2 witness policy, verified in SQL and offline.
# Under a submission load: a member is killed with kill -9 and catches up, a
# member's subscription is paused and resumed, the sequencer is killed and
# its standby promoted; afterwards every acknowledged entry is on every node
# exactly once, every block is cosigned by both witnesses, and every copy
# verifies. Then a restored copy of the sequencer seals another history: a
# witness that sees its checkpoint refuses it and keeps a proof of
# misbehaviour, which verifies offline.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);
use POSIX ();

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
	SELECT brop.add_category('physics', 'Physics degrees');
	SELECT brop.add_organization(brop.key_did('org'), 'Org of Example', 'cross_issuer', '{physics}');
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

# ---- the sequencer's synchronous standby ---------------------------------
$seq->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($seq, 'base', has_streaming => 1);
$standby->start;
$seq->safe_psql('postgres', "ALTER SYSTEM SET synchronous_standby_names = 'standby'; SELECT pg_reload_conf()");
$seq->poll_query_until('postgres', "SELECT sync_state = 'sync' FROM pg_stat_replication WHERE application_name = 'standby'")
  or die 'the standby is not synchronous';

# ---- a submission load: a child process submits batches of 5, and writes
# down the nonces of each batch whose commit was acknowledged -------------
my $acked = "$dir/acked";
my $target = "$dir/target";
write_file($target, $seq->connstr('postgres'));
my $psql = $seq->installed_command('psql');
my $load = fork;
die "fork: $!" unless defined $load;
if ($load == 0)
{
	my $k = 0;
	while (!-e "$dir/stop")
	{
		my $conn = read_file($target);
		my $nonces = join(',', map { "'L$k-$_'" } 1 .. 5);
		my $out = `$psql -XAtq -d "$conn" -c "SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to(n, 'UTF8')), n)) FROM unnest(ARRAY[$nonces]) n" 2>/dev/null`;
		if ($? == 0 && $out =~ /^5$/m)
		{
			open my $fh, '>>', $acked or die;
			print $fh "L$k-$_\n" for 1 .. 5;
			close $fh;
			$k++;
		}
		else
		{
			usleep(200_000);
		}
	}
	POSIX::_exit(0);    # not exit: the test's END blocks would stop the nodes
}
sleep 2;

# ---- a member killed with kill -9 catches up ------------------------------
brop_crash($members[0]);
sleep 1;
$members[0]->start;
# ---- a member's subscription paused and resumed ---------------------------
$members[1]->safe_psql('postgres', 'ALTER SUBSCRIPTION brop_ledger DISABLE');
sleep 2;
$members[1]->safe_psql('postgres', 'ALTER SUBSCRIPTION brop_ledger ENABLE');
sleep 1;

# ---- the sequencer killed; its standby promoted ---------------------------
my $before = $seq->safe_psql('postgres', 'SELECT brop.checkpoint()');
my ($before_size) = $before =~ /^[^\n]+\n(\d+)\n/;
write_file("$dir/before", "$before\n");
brop_crash($seq);
$standby->promote;
write_file($target, $standby->connstr('postgres'));
$standby->poll_query_until('postgres', 'SELECT NOT pg_is_in_recovery()') or die;
is($standby->safe_psql('postgres', 'SELECT brop.recreate_member_slots()'), '2',
	"the promoted standby makes the members' slots");
for my $i (0, 1)
{
	is($members[$i]->safe_psql('postgres',
			sprintf("SELECT brop.resync('%s')", $standby->connstr('postgres') =~ s/'/''/gr)),
		'brop_member_m' . ($i + 1), 'member ' . ($i + 1) . ' copies the promoted node again');
}
sleep 3;
write_file("$dir/stop", '');
waitpid($load, 0);

my @acked = split /\n/, read_file($acked);
ok(@acked >= 50, scalar(@acked) . ' submissions acknowledged under load');
my $primary = $standby;
my $last = brop_sealed($primary);
my ($last_size) = $last =~ /^[^\n]+\n(\d+)\n/;
ok($last_size > $before_size, "sealing went on after the promotion ($before_size -> $last_size)");
is($primary->safe_psql('postgres', "SELECT ok, problem FROM brop.verify_ledger()"), 't|',
	'the promoted node\'s ledger verifies');
write_file("$dir/acked.sql", join("\n", map { "('$_')" } @acked));
my $acked_values = join(',', map { "('$_')" } @acked);
for my $node ($primary, @members)
{
	my $name = $node->name;
	ok($node->poll_query_until('postgres', "SELECT EXISTS (SELECT FROM brop.block WHERE tree_size = $last_size)"),
		"$name has the last block");
	is($node->safe_psql('postgres', qq{
		SELECT count(*) FILTER (WHERE c.n <> 1), count(*) FILTER (WHERE NOT c.sealed)
		  FROM (VALUES $acked_values) a(nonce)
		  LEFT JOIN LATERAL (SELECT count(*) AS n, bool_and(EXISTS (SELECT FROM brop.log_leaf l WHERE l.entry = e.id)) AS sealed
		                       FROM brop.entry e WHERE e.nonce = a.nonce) c ON true}), '0|0',
		"$name: every acknowledged entry is there exactly once, sealed");
}
for my $i (0, 1)
{
	my $m = $members[$i];
	ok($m->poll_query_until('postgres', "SELECT tree_size = $last_size FROM brop.witness_log"),
		'member ' . ($i + 1) . ' verified and cosigned the promoted node\'s blocks');
	is($m->safe_psql('postgres', "SELECT ok, problem FROM brop.verify_ledger('$did')"), 't|',
		'member ' . ($i + 1) . '\'s copy verifies in full');
	is($m->safe_psql('postgres', 'SELECT halted_at IS NULL FROM brop.witness_log'), 't', 'its witness never halted');
}
ok($primary->poll_query_until('postgres', q{
	SELECT count(*) = 0 FROM brop.block b
	 WHERE (SELECT count(*) FROM brop.cosignature c WHERE c.tree_size = b.tree_size) <> 2}),
	'every block is cosigned by both witnesses');
is($primary->safe_psql('postgres', 'SELECT brop.checkpoint_final()'), 't', 'the latest checkpoint is final');

# the log went on: the checkpoint before the crash is a prefix of the last one
write_file("$dir/after", "$last\n");
($rc, $out) = brop_cli('verify', '--did', $did, '--old-checkpoint', "$dir/before", '--checkpoint', "$dir/after",
	'--proof', $primary->safe_psql('postgres', "SELECT brop.consistency_proof($before_size, $last_size)"));
is($rc, 0, 'the checkpoint from before the failover is consistent with the last one, same key');

# ---- a checkpoint that does not meet the policy ---------------------------
my $one = $primary->safe_psql('postgres',
	"SELECT brop.checkpoint() || (SELECT line FROM brop.cosignature WHERE tree_size = $last_size AND witness = 'm1.example')");
is($primary->safe_psql('postgres', "SELECT brop.verify_checkpoint(\$\$$one\$\$, '$did', ARRAY['$vkeys[0]', '$vkeys[1]'], 2)"),
	'f', 'a checkpoint with one of two cosignatures is refused under 2 of 2, in SQL');
write_file("$dir/one", "$one\n");
($rc, $out) = brop_cli('verify', '--did', $did, '--checkpoint', "$dir/one", '--witness', $vkeys[0], '--witness', $vkeys[1]);
is($rc, 1, 'and by the CLI');

# ---- a restored copy of the sequencer seals another history ---------------
# the copy has the node's keyring, so it holds the root key too (as an operator's restore would)
my $copy = brop_node('copy', $conf);
$copy->append_conf('postgresql.conf',
	"brop.root_key_file = '" . $primary->safe_psql('postgres', 'SHOW brop.root_key_file') . "'\n");
$copy->start;
my $dump = "$dir/seq.dump";
$primary->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $primary->connstr('postgres') ], 'the sequencer is dumped');
$copy->safe_psql('postgres', 'CREATE EXTENSION brop');
$copy->command_ok([ 'pg_restore', '--data-only', '--disable-triggers', '-d', $copy->connstr('postgres'), $dump ],
	'and restored elsewhere');
# the sequencer goes on after the dump, and the witnesses cosign it
$primary->safe_psql('postgres', q{
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('after ' || i, 'UTF8')), 'after-' || i))
	  FROM generate_series(1, 20) i});
my ($after_size) = brop_sealed($primary) =~ /^[^\n]+\n(\d+)\n/;
ok($members[0]->poll_query_until('postgres', "SELECT tree_size = $after_size FROM brop.witness_log"),
	'the witness cosigned the sequencer after the dump');
# the copy, adopted, seals another history from the dump on
$copy->safe_psql('postgres', "SELECT brop.adopt_copy('the test makes a fork')");
$copy->safe_psql('postgres', q{
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('fork ' || i, 'UTF8')), 'fork-' || i))
	  FROM generate_series(1, 100) i;
	SELECT brop.seal()});
my $forged = $copy->safe_psql('postgres', 'SELECT brop.checkpoint()');
my ($forged_size) = $forged =~ /^[^\n]+\n(\d+)\n/;
my $w_size = $members[0]->safe_psql('postgres', 'SELECT tree_size FROM brop.witness_log');
ok($forged_size > $w_size, "the copy's log ($forged_size) is larger than the one cosigned ($w_size)");
my $proof = $copy->safe_psql('postgres', "SELECT brop.consistency_proof($w_size)");
my ($stdout, $stderr);
$members[0]->psql('postgres',
	"LISTEN brop_misbehaviour; SELECT brop.add_checkpoint($w_size, '$proof', \$\$$forged\$\$) IS NULL AS refused",
	stdout => \$stdout, stderr => \$stderr);
like($stdout, qr/^t$/m, "the witness refuses the copy's checkpoint");
like($stdout, qr/Asynchronous notification "brop_misbehaviour" with payload "consortium\.example\/log"/,
	'and says so on channel brop_misbehaviour');
like($stderr, qr/WARNING:  log "consortium\.example\/log" forked: the witness stopped cosigning it/, 'with a warning');
is($members[0]->safe_psql('postgres', "SELECT state, level FROM brop.status WHERE component = 'witness'"),
	'halted|critical', 'brop.status raises the alarm');
write_file("$dir/pom-a", $members[0]->safe_psql('postgres', 'SELECT checkpoint_a FROM brop.misbehaviour') . "\n");
write_file("$dir/pom-b", $members[0]->safe_psql('postgres', 'SELECT checkpoint_b FROM brop.misbehaviour') . "\n");
($rc, $out) = brop_cli('verify', '--did', $did, '--fork', "$dir/pom-a", "$dir/pom-b", '--proof',
	$members[0]->safe_psql('postgres', 'SELECT proof FROM brop.misbehaviour'));
is($rc, 0, 'the proof of misbehaviour verifies offline');
like($out, qr/^fork: .*\nvalid\n$/m, 'as a fork');

# ---- a superuser changes an entry on the sequencer: the copies refuse it ---
my $log_at = -s $members[1]->logfile;
$primary->safe_psql('postgres', q{
	ALTER TABLE brop.entry DISABLE TRIGGER append_only;
	UPDATE brop.entry SET header = '{"changed":true}' WHERE nonce = 'early-7';
	ALTER TABLE brop.entry ENABLE TRIGGER append_only});
ok($members[1]->wait_for_log(qr/cannot update append-only table brop\.entry/, $log_at),
	"a member's copy refuses the change replication brings");
is($members[1]->safe_psql('postgres', "SELECT header FROM brop.entry WHERE nonce = 'early-7'"), '{}',
	'and keeps the entry as it was signed');

$_->stop for @members, $copy;
$primary->stop;
done_testing();
