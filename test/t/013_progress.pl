# Progress of long work (docs/operations.md, "Progress of long work";
# docs/cli.md, "Relay progress"):
# - the sealing worker logs a seal of a backlog of at least
#   brop.progress_interval entries when it starts, every interval (entries
#   sealed, left, rate) and at its end; a smaller seal logs nothing;
# - a second session sees in pg_stat_activity.query what a seal is doing
#   (here: waiting for the sealers' lock);
# - brop relay, behind the source by a backlog, prints catch-up lines (the
#   source's WAL position, how far it has read, what it has confirmed, bytes
#   behind), then one line when it has caught up; --progress 0 prints
#   neither.
# No timing is asserted: what each line holds, and their order.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use BropNode;
use IPC::Run qw(run timeout);

my $brop = $ENV{BROP_BIN} // 'brop';
my $dir  = PostgreSQL::Test::Utils::tempdir;

my $keyfile = "$dir/org.jwk";
my ($source, $ledger, $did) = brop_relay_nodes($keyfile);
$ledger->append_conf('postgresql.conf', "brop.progress_interval = 1000\n");
$ledger->reload;

sub lq { return $ledger->safe_psql('postgres', $_[0]); }
sub sq { return $source->safe_psql('postgres', $_[0]); }

lq(qq{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('tap.example/progress', 'node');
	SELECT brop.add_organization('$did', 'Example');
});
$ledger->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending')
  or die 'the worker did not seal';

# ---- the sealer's progress in the server log ----
my $from = -s $ledger->logfile;
lq(q{SELECT count(brop.submit_as('org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i))
     FROM generate_series(1, 5000) i});
$ledger->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending')
  or die 'the worker did not seal the backlog';
my $log = substr(slurp_file($ledger->logfile), $from);
my @lines = grep { /LOG:  seal: |DETAIL:  / } split /\n/, $log;
like($log, qr/LOG:  seal: sealing 5000 entries into block (\d+)\n/, 'the sealer logs a backlog\'s seal as it starts');
my ($block) = $log =~ /sealing 5000 entries into block (\d+)/;
for my $n (1000, 2000, 3000, 4000)
{
	my $left = 5000 - $n;
	like($log, qr/LOG:  seal: $n of 5000 entries sealed\n.*DETAIL:  $left left; [0-9.]+ s so far at \d+ entries\/s, about \d+ s to go\.\n/,
		"... every 1000 entries: $n sealed, $left left, the rate and an estimate");
}
like($log, qr/LOG:  seal: 5000 of 5000 entries sealed\n.*DETAIL:  [0-9.]+ s so far at \d+ entries\/s\.\n/, '... the last of them');
like($log, qr/LOG:  seal: block $block sealed with 5000 entries\n.*DETAIL:  In [0-9.]+ s, \d+ entries\/s\.\n/, '... and its end');
is(scalar(() = $log =~ /LOG:  seal: /g), 7, '... nothing more');
like($log, qr/sealing 5000 entries.*1000 of 5000.*4000 of 5000.*5000 of 5000.*block $block sealed/s, '... in order');

$from = -s $ledger->logfile;
lq(q{SELECT count(brop.submit_as('org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i))
     FROM generate_series(5001, 5010) i});
$ledger->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending')
  or die 'the worker did not seal';
lq('SELECT brop.submit_as(\'org\', \'evidence\', brop.sha256(\'last\'::bytea), \'n-last\')');
$ledger->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending')
  or die 'the worker did not seal';
unlike(substr(slurp_file($ledger->logfile), $from), qr/seal: /, 'a seal of fewer entries logs nothing');

# ---- what a seal is doing, seen from another session ----
my ($rc, $out, $err) = $ledger->psql('postgres', q{
SET statement_timeout = '180s';
DO $$
BEGIN
  LOCK TABLE brop.block IN EXCLUSIVE MODE;
  LOOP
    PERFORM pg_catalog.pg_stat_clear_snapshot();
    EXIT WHEN EXISTS (SELECT FROM pg_catalog.pg_stat_activity WHERE backend_type = 'brop sealer'
                       AND query = 'brop: seal: waiting for the sealers'' lock' AND wait_event_type = 'Lock');
    PERFORM pg_catalog.pg_sleep(0.05);
  END LOOP;
END
$$;
SELECT 'seen';});
is("$rc $out", '0 seen', 'pg_stat_activity shows the sealer waiting for the sealers\' lock') or diag($err);
$ledger->poll_query_until('postgres', q{SELECT count(*) = 1 FROM pg_stat_activity
    WHERE backend_type = 'brop sealer' AND query = 'brop: sealing'})
  or die 'the sealer\'s own status was not put back: '
  . lq(q{SELECT query FROM pg_stat_activity WHERE backend_type = 'brop sealer'});
pass('... and its own status again after the seal');

# ---- brop relay's catch-up ----
sq(q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'org');
	CREATE TABLE degree (student int PRIMARY KEY, name text NOT NULL, grade text);
	ALTER TABLE degree REPLICA IDENTITY FULL;
	SELECT 'made' FROM pg_create_logical_replication_slot('relay', 'brop');
	SELECT brop.register_table('degree', '{student}', signing_key => 'org', capture => 'plugin');
	INSERT INTO degree SELECT i, 'student ' || i, 'A' FROM generate_series(1, 3000) i;
});
my @relay = ($brop, 'relay', '--source', $source->connstr('postgres'), '--slot', 'relay',
	'--ledger', $ledger->connstr('postgres'), '--key', $keyfile, '--status-interval', '0', '--once');
my $before = lq('SELECT count(*) FROM brop.entry');
($out, $err) = ('', '');
run([@relay, '--progress', '1'], '>', \$out, '2>', \$err, timeout(300));
is($? >> 8, 0, 'the relay catches up with a backlog') or diag($err);
is(lq('SELECT count(*) FROM brop.entry') - $before, 3001, '... appending it (3000 rows and the registration)');
my @err = split /\n/, $err;
my @catching = grep { /^brop relay: catching up: / } @err;
my @caught = grep { /^brop relay: caught up / } @err;
ok(@catching >= 1, 'catch-up lines are printed') or diag($err);
like($catching[0], qr/^brop relay: catching up: source at [0-9A-F]+\/[0-9A-F]+, read [0-9A-F]+\/[0-9A-F]+, confirmed [0-9A-F]+\/[0-9A-F]+, [1-9]\d* bytes behind$/,
	'... the first: the source\'s position, how far the relay has read, what it confirmed, bytes behind');
like($_, qr/^brop relay: catching up: source at [0-9A-F]+\/[0-9A-F]+, read [0-9A-F]+\/[0-9A-F]+, confirmed [0-9A-F]+\/[0-9A-F]+, \d+ bytes behind, \d+ entries\/s, (about \d+ s to go|no estimate yet)$/,
	'... a later one: also entries/s and an estimate') for @catching[1 .. $#catching];
is(scalar(@caught), 1, 'one line says it caught up') or diag($err);
like($caught[0], qr/^brop relay: caught up with the source at [0-9A-F]+\/[0-9A-F]+: 3001 entries appended in [0-9.]+ s$/,
	'... where, and what it took');
my ($ci) = grep { $err[$_] =~ /caught up/ } 0 .. $#err;
my ($li) = grep { $err[$_] =~ /catching up/ } reverse 0 .. $#err;
ok($li < $ci, '... after the last catch-up line');

sq(q{INSERT INTO degree SELECT i, 'student ' || i, 'B' FROM generate_series(3001, 3100) i});
($out, $err) = ('', '');
run([@relay, '--progress', '0'], '>', \$out, '2>', \$err, timeout(300));
is($? >> 8, 0, 'with --progress 0 the relay catches up') or diag($err);
is(lq('SELECT count(*) FROM brop.entry') - $before, 3101, '... appending the rows');
unlike($err, qr/catching up|caught up/, '... printing no progress');

($out, $err) = ('', '');
run([$brop, 'relay', '--source', 'x', '--slot', 'x', '--ledger', 'x', '--key', $keyfile, '--progress', '-1'],
	'>', \$out, '2>', \$err);
is($? >> 8, 2, '--progress -1 is a bad command line');
like($err, qr/--progress is 0 to 86400 s/, '... saying so');

done_testing();
