# brop.verify_ledger() on every core (docs/ledger.md, "On every core"):
# - while it runs, its parallel workers show in pg_stat_activity under the
#   caller's pid;
# - a cancel (pg_cancel_backend, statement_timeout) ends the call with
#   PostgreSQL's own error while the workers are checking signatures, the
#   workers are gone after it, and the session verifies again, with the
#   same answer as the serial pass.
# No timing is asserted.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use BropNode;
use IPC::Run qw(start finish timer);

# the ledger below is smaller than min_parallel_table_scan_size's default
my $node = brop_node('verify_parallel', q{
max_parallel_workers_per_gather = 2
min_parallel_table_scan_size = 0
});
$node->start;
my $psql = $node->installed_command('psql');

sub q1 { return $node->safe_psql('postgres', $_[0]); }

q1(q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('tap.example/parallel', 'node');
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i))
	  FROM generate_series(1, 20000) i;
	SELECT number FROM brop.seal();
});
is(q1('SELECT ok, entries FROM brop.verify_ledger()'), "t|20000", 'a ledger of 20000 entries verifies');

# psql in the background, running each command as -c (so it starts at once)
sub background
{
	my $s = { out => '', err => '' };
	$s->{h} = start([ $psql, '-XAtq', '-d', $node->connstr('postgres'),
		'-c', "SET application_name = 'verifier'", map { ('-c', $_) } @_ ],
		'<', \'', '>', \$s->{out}, '2>', \$s->{err}, timer($PostgreSQL::Test::Utils::timeout_default));
	return $s;
}

# (the workers take the leader's application_name too)
my $workers = q{SELECT count(*) FROM pg_stat_activity w JOIN pg_stat_activity l ON l.pid = w.leader_pid
  WHERE l.application_name = 'verifier' AND l.backend_type = 'client backend' AND w.backend_type = 'parallel worker'};

# ---- the workers, seen from another session; a cancel stops them ----
my $s = background(q{DO $$ BEGIN FOR i IN 1 .. 1000 LOOP PERFORM brop.verify_ledger(); END LOOP; END $$});
$node->poll_query_until('postgres', $workers, '2')
  or die 'no parallel worker of verify_ledger showed';
# while a worker of the call runs, not between two calls
$node->poll_query_until('postgres', qq{SELECT pg_cancel_backend(pid) FROM pg_stat_activity
  WHERE application_name = 'verifier' AND backend_type = 'client backend' AND ($workers) = 2})
  or die 'could not cancel the verifier while its workers ran';
finish($s->{h});
like($s->{err}, qr/ERROR:  canceling statement due to user request/, 'a cancel ends verify_ledger with the usual error');
$node->poll_query_until('postgres', "$workers", '0')
  or die 'the workers of the cancelled call stayed';
pass('its parallel workers are gone');

# ---- statement_timeout, then the same session verifies again ----
$s = background(q{SET statement_timeout = '50ms'}, q{SELECT ok FROM brop.verify_ledger()},
	q{RESET statement_timeout}, q{SELECT ok, entries, first_bad_position FROM brop.verify_ledger()});
finish($s->{h});
like($s->{err}, qr/ERROR:  canceling statement due to statement timeout/, 'statement_timeout ends it too');
is($s->{out}, "t|20000|\n", 'the session verifies again after it');
$node->poll_query_until('postgres', "$workers", '0')
  or die 'workers stayed';

# ---- a tampered entry late in the log: the same answer with and without workers ----
my $both = q{
	BEGIN;
	SET LOCAL session_replication_role = replica;
	UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce IN ('n-15001', 'n-19000');
	SET LOCAL max_parallel_workers_per_gather = 2;
	SELECT first_bad_position, problem FROM brop.verify_ledger();
	SET LOCAL max_parallel_workers_per_gather = 0;
	SELECT first_bad_position, problem FROM brop.verify_ledger();
	ROLLBACK;
};
my $row = '15000|entry 15001 at position 15000: its fields do not hash to its stored digest';
is(q1($both), "$row\n$row", 'the first of two bad entries, with workers and without');

$node->stop;
done_testing();
