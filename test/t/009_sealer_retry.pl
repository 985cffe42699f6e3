# The sealing worker, when its seal fails: it stays up and tries again,
# waiting twice as long while the same error repeats (5 s, 10 s, 20 s, ...
# up to 5 minutes), logs the error in full once per change of its text and
# a reminder at each further failure (the same error: the same SQLSTATE and
# message, whatever the detail), shows how it stands in pg_stat_activity and
# brop.status, tries at once when a reload wakes it, and seals again
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
is(q1(q{SELECT state || ' ' || level || ' ' || count || ' ' || error FROM brop.status WHERE component = 'sealer'}),
	'ok ok 0 brop.pending names entry 6000, which does not exist',
	'brop.status: the sealer is ok again, its last error kept');

# The same SQLSTATE and message with another detail at each attempt (a count)
# is the same error: the wait doubles. brop.status shows it while it lasts.
$from = -s $node->logfile;
q1(q{CREATE SEQUENCE refusals;
     CREATE FUNCTION refuse_block() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'blocks are refused for the test'
         USING ERRCODE = 'insufficient_resources', DETAIL = format('This is refusal %s.', nextval('public.refusals'));
     END $$;
     CREATE TRIGGER refuse_block BEFORE INSERT ON brop.block FOR EACH ROW EXECUTE FUNCTION refuse_block();
     SELECT brop.submit_as('org', 'evidence', brop.sha256('3'::bytea), 'n-3');
     SELECT pg_reload_conf()});
wait_status('brop: seal attempt 2 failed, the next is in 10 s: blocks are refused for the test',
	'a second attempt with the same message');
$log = log_from($from);
like($log, qr/brop sealer could not seal: blocks are refused for the test\n.*DETAIL:  This is refusal 1\./,
	'the first refusal in full');
like($log, qr/brop sealer could not seal, as before: blocks are refused for the test\n.*DETAIL:  Attempt 2 in a row failed with this error; the next is in 10 s\./,
	'the second, with another detail, is the same error');
is(q1(q{SELECT state || ' ' || level || ' ' || count || ' ' || error || ' ' || (error_at > since) FROM brop.status WHERE component = 'sealer'}),
	'failing critical 2 blocks are refused for the test true', 'brop.status: failing, with the error');
is(q1(q{SELECT last_error_sqlstate || ' ' || failures || ' ' || (next_attempt > last_error_at) || ' ' || (pid = } . sealer_pid() . q{)
	FROM brop.sealer()}), '53000 2 true true', 'brop.sealer(): its SQLSTATE, the failures in a row, the next attempt');
q1(q{DROP TRIGGER refuse_block ON brop.block; SELECT pg_reload_conf()});
$node->poll_query_until('postgres', 'SELECT count(*) = 3 FROM brop.block')
  or die 'the worker did not seal again; it is: ' . status();
$node->poll_query_until('postgres', q{SELECT state = 'ok' FROM brop.status WHERE component = 'sealer'})
  or die 'the status did not recover';
is(q1(q{SELECT count || ' ' || error || ' ' || (since > error_at) FROM brop.status WHERE component = 'sealer'}),
	'0 blocks are refused for the test true', 'recovered: no failure in a row, the last error kept, older than the last success');

$node->stop;
done_testing();
