# The server is killed (SIGKILL, the postmaster and all its processes at once)
# while a large batch of entries is being sealed, round after round, by a
# session calling brop.seal() or by the sealing worker. After each restart
# the ledger verifies, positions are gapless, each entry is sealed, expired
# or pending exactly once, and a seal either happened entirely or not at all;
# the next seal takes up every pending entry and continues the log where the
# last committed block ended.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run qw(start finish pump timer);
use Time::HiRes qw(time usleep);

my $ROUNDS = 6;
my $BATCH  = 8000;     # entries per round, submitted by two sessions in one transaction each

my $dir = PostgreSQL::Test::Utils::tempdir;
# The worker seals when a reload wakes it (its interval never ends in this
# test), and maybe once when it starts. It is sent to another database (where
# it finds no ledger) whenever the state right after a crash is examined, and
# back to this one for the rounds it seals in.
my $node = brop_node('crash', q{
shared_preload_libraries = 'brop'
brop.block_interval = '1h'
brop.database = 'template1'
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('tap.example/crash', 'node');
});
my $psql = $node->installed_command('psql');

sub q1 { return $node->safe_psql('postgres', $_[0]); }

# Where the worker runs from the next start on.
sub worker_db { q1("ALTER SYSTEM SET brop.database = '$_[0]'"); }

# Restart with the worker in this database, woken by a reload to seal what
# is pending; returns once it has been idle for a moment (whether it seals
# when it starts depends on timing, so that seal is waited for as well).
sub restart_with_worker
{
	worker_db('postgres');
	$node->restart;
	$node->poll_query_until('postgres', q{SELECT count(*) = 1 FROM pg_stat_activity
	    WHERE backend_type = 'brop sealer' AND datname = 'postgres'})
	  or die 'the worker did not start';
	q1('SELECT pg_reload_conf()');
	$node->poll_query_until('postgres', q{SELECT count(*) = 1 FROM pg_stat_activity
	    WHERE backend_type = 'brop sealer' AND state = 'idle' AND state_change < clock_timestamp() - interval '0.3 s'})
	  or die 'the worker did not seal; it is: ' . q1(q{SELECT concat_ws(' ', state, wait_event_type, wait_event,
	    query, state_change) FROM pg_stat_activity WHERE backend_type = 'brop sealer'});
}

# psql in the background, running one command as -c (so it starts at once).
sub background
{
	my ($sql) = @_;
	my $s = { out => '', err => '' };
	$s->{h} = start([ $psql, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('postgres'), '-c', $sql ],
		'<', \'', '>', \$s->{out}, '2>', \$s->{err}, timer($PostgreSQL::Test::Utils::timeout_default));
	return $s;
}

# A session that answers queries quickly, to watch for the seal.
sub poller
{
	my $p = { in => '', out => '', err => '', timer => timer($PostgreSQL::Test::Utils::timeout_default) };
	$p->{h} = start([ $psql, '-XAtq', '-d', $node->connstr('postgres') ],
		'<', \$p->{in}, '>', \$p->{out}, '2>', \$p->{err}, $p->{timer});
	return $p;
}

sub ask
{
	my ($p, $sql) = @_;
	$p->{out} = '';
	$p->{in} .= "$sql;\n\\echo __done__\n";
	pump $p->{h} until $p->{out} =~ /__done__\n/ || $p->{timer}->is_expired;
	die "poller timed out: $p->{err}" if $p->{timer}->is_expired;
	(my $r = $p->{out}) =~ s/__done__\n//;
	chomp $r;
	return $r;
}

# Checks that hold whenever no seal is running; $what names the moment.
sub check_ledger
{
	my ($what, $signatures) = @_;
	my ($n, $blocks) = split /\|/, q1('SELECT (SELECT count(*) FROM brop.log_leaf), (SELECT count(*) FROM brop.block)');
	is(q1("SELECT ok, entries, blocks, first_bad_position, problem FROM brop.verify_ledger(signatures => $signatures)"),
		"t|$n|$blocks||", "$what: verify_ledger is ok ($n entries in $blocks blocks)");
	is(q1('SELECT count(*), coalesce(min(position), 0), coalesce(max(position) + 1, 0) FROM brop.log_leaf'),
		"$n|0|$n", "$what: positions are gapless");
	# set-based (a hash join), not a subquery per entry: its plan would be
	# quadratic wherever the planner has no statistics yet, as after a crash
	is(q1(q{SELECT count(*) FROM brop.entry e
	          LEFT JOIN (SELECT entry, count(*) AS n
	                       FROM (SELECT entry FROM brop.log_leaf UNION ALL SELECT entry FROM brop.pending
	                             UNION ALL SELECT entry FROM brop.entry_expired) u
	                      GROUP BY entry) c ON c.entry = e.id
	         WHERE coalesce(c.n, 0) <> 1}),
		'0', "$what: every entry is sealed, pending or expired exactly once");
	is(q1(q{SELECT count(*) FROM brop.block b LEFT JOIN brop.block p ON p.number = b.number - 1
	         WHERE b.first_position <> coalesce(p.tree_size, 0) OR b.tree_size <= b.first_position
	            OR b.prev_hash IS DISTINCT FROM p.hash}) . '|' . q1('SELECT coalesce(max(number), 0), coalesce(max(tree_size), 0) FROM brop.block'),
		"0|$blocks|$n", "$what: blocks 1..$blocks are contiguous and end at tree_size $n");
}

# Two sessions submit a batch of a round, in one transaction each; with a
# block made, every 100th entry has an expiry block that has already passed.
sub submit_batch
{
	my ($round, $last) = @_;
	my @submitters = map {
		my ($lo, $hi) = ($_ * $BATCH / 2 + 1, ($_ + 1) * $BATCH / 2);
		background(qq{SELECT count(brop.submit_as('org', 'crash', brop.sha256(format('r%s-%s', $round, i)),
		                 format('r%s-%s', $round, i), jsonb_build_object('round', $round),
		                 expires_block => CASE WHEN i % 100 = 0 AND $last > 0 THEN $last END))
		              FROM generate_series($lo, $hi) i});
	} (0, 1);
	for my $s (@submitters)
	{
		finish($s->{h}) or die "submitting failed: $s->{err}";
	}
}

# brop.seal() in the foreground: (block number, seconds it took)
sub timed_seal
{
	return split /\|/, q1(q{SELECT number, extract(epoch FROM clock_timestamp() - statement_timestamp())
	                         FROM brop.seal()});
}

my $t_start = time;

# Round 0 measures how long a seal of a batch takes (no crash).
submit_batch(0, 0);
my ($first, $secs) = timed_seal();
is($first, 1, 'round 0: the first batch is sealed in block 1');
my $per_entry = $secs / $BATCH;    # seconds of sealing per entry, updated as we go
note(sprintf('round 0: sealing %d entries took %.0f ms', $BATCH, $secs * 1000));
my ($hits, $total_entries) = (0, $BATCH);

for my $round (1 .. $ROUNDS)
{
	my $by_worker = $round % 2 == 0;
	restart_with_worker() if $by_worker;
	worker_db('template1');    # for the start after the crash
	my ($blocks0, $size0) = split /\|/, q1('SELECT count(*), coalesce(max(tree_size), 0) FROM brop.block');
	my $last0 = q1('SELECT coalesce(max(number), 0) FROM brop.block');

	# 1. A batch.
	submit_batch($round, $last0);
	my $pending = q1('SELECT count(*) FROM brop.pending');
	is($pending, $BATCH, "round $round: $BATCH entries pending");
	$total_entries += $BATCH;

	# 2. Seal, and kill the server after a random delay of up to 1.2 times the
	# expected sealing time (so that some seals may also commit first).
	my $poll = poller();
	ask($poll, 'SELECT 1');
	my $sealer;
	if ($by_worker) { ask($poll, 'SELECT pg_reload_conf()'); }    # wakes the worker, which seals
	else            { $sealer = background('SELECT number FROM brop.seal()'); }
	my $locked = q{SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND relation = 'brop.block'::regclass
	                  AND mode = 'ExclusiveLock' AND granted};
	my $seen = 0;
	my $until = time + 30;
	while (time < $until)
	{
		last if $seen = ask($poll, $locked);
		last if ask($poll, 'SELECT count(*) FROM brop.block') > $blocks0;    # done already
	}
	my $delay = rand(1.2 * $per_entry * $pending);
	usleep(int($delay * 1e6));
	my $running = $seen && ask($poll, $locked) + 0;
	my $killed = brop_crash($node);
	$sealer and eval { finish($sealer->{h}) };
	eval { finish($poll->{h}) };
	note(sprintf('round %d: %s seal %s, killed %d processes %.0f ms after it was seen (expected sealing time %.0f ms)',
		$round, $by_worker ? 'worker' : 'session', $seen ? 'seen' : 'NOT seen', $killed, $delay * 1000,
		$per_entry * $pending * 1000));

	# 3. After the restart: the seal happened entirely or not at all.
	$node->start;
	my ($blocks1, $done1, $pending1) = split /\|/, q1(qq{SELECT (SELECT count(*) FROM brop.block),
		(SELECT count(*) FROM brop.entry e WHERE header->>'round' = '$round'
		    AND (EXISTS (SELECT FROM brop.log_leaf l WHERE l.entry = e.id)
		         OR EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry = e.id))),
		(SELECT count(*) FROM brop.pending)});
	my $interrupted = $blocks1 == $blocks0;
	# a seal that committed within the delay was faster than expected
	$per_entry = $delay / $pending if $seen && !$interrupted && $delay / $pending < $per_entry;
	$hits++ if $interrupted && $running;
	note("round $round: the seal was " . ($interrupted ? 'interrupted' : 'committed before the kill')
		  . ($running ? ', and held the lock just before the kill' : ''));
	is(q1(qq{SELECT count(*) FROM brop.entry WHERE header->>'round' = '$round'}), $BATCH,
		"round $round: no committed entry was lost");
	ok(($interrupted && $done1 == 0 && $pending1 == $BATCH)
		  || ($blocks1 == $blocks0 + 1 && $done1 == $BATCH && $pending1 == 0),
		"round $round: after the crash the seal is all or nothing (blocks $blocks0 -> $blocks1, "
		  . "$done1 of the batch sealed or expired, $pending1 pending)");
	check_ledger("round $round after the crash", 'true');

	# 4. Seal again: every pending entry is taken, the log goes on.
	if ($pending1 > 0)
	{
		if ($by_worker)
		{
			restart_with_worker();
			ok($node->poll_query_until('postgres', 'SELECT NOT EXISTS (SELECT FROM brop.pending)'),
				"round $round: the worker sealed the pending entries");
		}
		else
		{
			my ($number, $secs) = timed_seal();
			is($number, $blocks0 + 1, "round $round: brop.seal() made the next block");
			$per_entry = $secs / $pending1;    # calibrates the next kills
			note(sprintf('round %d: sealing %d entries after the restart took %.0f ms', $round, $pending1, $secs * 1000));
		}
	}
	is(q1('SELECT count(*) FROM brop.pending'), '0', "round $round: nothing is pending");
	is(q1(qq{SELECT count(*) FROM brop.block WHERE number > $blocks0}), '1', "round $round: one block was made");
	is(q1(qq{SELECT b.first_position FROM brop.block b WHERE b.number = $blocks0 + 1}), $size0,
		"round $round: the new block's first_position is the previous block's tree_size");
	is(q1(qq{SELECT count(*) FROM brop.entry e WHERE header->>'round' = '$round'
	          AND NOT EXISTS (SELECT FROM brop.log_leaf l WHERE l.entry = e.id AND l.block = $blocks0 + 1)
	          AND NOT EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry = e.id AND x.after_block = $blocks0)}),
		'0', "round $round: the whole batch is in the new block or expired at it");
	check_ledger("round $round after sealing again", $round == $ROUNDS ? 'true' : 'false');
	is(q1(qq{SELECT count(*) FILTER (WHERE brop.verify_inclusion(brop.inclusion_proof(l.entry), e.digest, b.root))
	         FROM (SELECT * FROM brop.log_leaf WHERE block = $blocks0 + 1 ORDER BY random() LIMIT 5) l
	         JOIN brop.entry e ON e.id = l.entry, (SELECT * FROM brop.block ORDER BY number DESC LIMIT 1) b}),
		'5', "round $round: entries of the new block are included in its root");
	if ($blocks0 > 0)
	{
		is(q1(qq{SELECT brop.verify_consistency(brop.consistency_proof(p.tree_size, b.tree_size), p.root, b.root)
		         FROM brop.block p, brop.block b WHERE p.number = $blocks0 AND b.number = $blocks0 + 1}),
			't', "round $round: the new root is consistent with the previous one");
	}
}

cmp_ok($hits, '>', 0, "the kill interrupted a running seal in $hits of $ROUNDS rounds");
diag("kill -9 landed during a seal in $hits of $ROUNDS rounds");
is(q1(q{SELECT count(*) FROM brop.entry_expired}), q1(q{SELECT count(*) FROM brop.entry e
	WHERE e.expires_block IS NOT NULL}), 'entries submitted with a passed expiry block expired');
is(q1('SELECT count(*) FROM brop.log_leaf') + q1('SELECT count(*) FROM brop.entry_expired'), $total_entries,
	'in the end every entry is sealed or expired');
note(sprintf('%d rounds in %.1f s', $ROUNDS, time - $t_start));

$node->stop;
done_testing();
