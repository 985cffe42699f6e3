# The sealing worker, when its seal fails: it stays up and tries again,
# waiting twice as long while the same error repeats (5 s, 10 s, 20 s, ...
# up to 5 minutes), logs the error in full once per change of its text and
# a reminder at each further failure, shows how it stands in
# pg_stat_activity, tries at once when a reload wakes it, and seals again
# once the row that stops it is gone.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = brop_node('sealer', q{
shared_preload_libraries = 'brop'
brop.block_interval = '100ms'
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('tap.example/sealer', 'node');
	SELECT brop.submit_as('org', 'evidence', brop.sha256('1'::bytea), 'n-1');
});

sub q1 { return $node->safe_psql('postgres', $_[0]); }

sub sealer_pid { return q1(q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'brop sealer'}); }

# the worker's status line
sub status { return q1(q{SELECT query FROM pg_stat_activity WHERE backend_type = 'brop sealer'}); }

sub wait_status
{
	my ($like, $what) = @_;
	$node->poll_query_until('postgres', qq{SELECT count(*) = 1 FROM pg_stat_activity
	    WHERE backend_type = 'brop sealer' AND query LIKE '$like'})
	  or die "$what; the worker's status is: " . status();
}

# the lines of the server log from offset on
sub log_from { return substr(slurp_file($node->logfile), $_[0]); }

$node->poll_query_until('postgres', 'SELECT count(*) = 1 FROM brop.block')
  or die 'the worker did not seal';
my $pid = sealer_pid();

# a row of brop.pending naming no entry stops every seal
my $from = -s $node->logfile;
q1(q{INSERT INTO brop.pending VALUES (5000, NULL);
     SELECT brop.submit_as('org', 'evidence', brop.sha256('2'::bytea), 'n-2')});
wait_status('brop: seal attempt 3 failed, the next is in 20 s: %',
	'three failed attempts');
like(status(), qr/^brop: seal attempt 3 failed, the next is in 20 s: brop.pending names entry 5000, which does not exist$/,
	'pg_stat_activity says how often it failed, when it tries next, and why');
is(sealer_pid(), $pid, 'the worker stayed up');
my $log = log_from($from);
is(() = $log =~ /brop sealer could not seal: brop.pending names entry 5000, which does not exist/g, 1,
	'the error is logged in full once');
like($log, qr/brop sealer could not seal: brop.pending names entry 5000, which does not exist\n.*DETAIL:  brop.submit writes one row of brop.pending per new entry; a seal takes it.\n.*HINT:  Run brop.verify_ledger\(\) to find the first bad position.\n.*CONTEXT:  the next attempt is in 5 s, then twice as long after each failure with the same error, up to 300 s/,
	'with its detail, its hint and when the worker tries next');
my @reminders = $log =~ /brop sealer could not seal, as before: brop.pending names entry 5000, which does not exist\n.*DETAIL:  (.*)/g;
is_deeply(\@reminders, [
	'Attempt 2 in a row failed with this error; the next is in 10 s.',
	'Attempt 3 in a row failed with this error; the next is in 20 s.' ],
	'a reminder at each failure after that, the wait doubling');
is(q1('SELECT count(*) FROM brop.block'), '1', 'no block was sealed meanwhile');

# another error: logged in full, the wait back to 5 s; a reload wakes the worker
$from = -s $node->logfile;
q1(q{DELETE FROM brop.pending WHERE entry = 5000; INSERT INTO brop.pending VALUES (6000, NULL);
     SELECT pg_reload_conf()});
wait_status('brop: seal attempt 1 failed, the next is in 5 s: brop.pending names entry 6000, %',
	'the new error');
$log = log_from($from);
is(() = $log =~ /brop sealer could not seal: brop.pending names entry 6000, which does not exist/g, 1,
	'a new error text is logged in full');
unlike($log, qr/as before/, 'with no reminder');

# the row removed: the next attempt (woken by a reload) seals
$from = -s $node->logfile;
q1(q{DELETE FROM brop.pending WHERE entry = 6000; SELECT pg_reload_conf()});
$node->poll_query_until('postgres', 'SELECT count(*) = 2 FROM brop.block')
  or die 'the worker did not seal again; it is: ' . status();
$node->poll_query_until('postgres', q{SELECT count(*) = 0 FROM pg_stat_activity
    WHERE backend_type = 'brop sealer' AND query LIKE 'brop: seal attempt%'})
  or die 'the status still says: ' . status();
like(log_from($from), qr/brop sealer sealed again, after 1 failed attempt\n/, 'the recovery is logged');
is(sealer_pid(), $pid, 'the same worker throughout');
is(q1('SELECT ok FROM brop.verify_ledger()'), 't', 'the ledger is sound');

$node->stop;
done_testing();
