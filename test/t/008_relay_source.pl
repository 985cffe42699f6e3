# brop relay and the brop output plugin as a source's DBA runs them: the
# walsender of a replication role that is not a superuser, refusals at
# decode time, signals, and what the relay confirms to the source.
#
# - A REPLICATION role (not a superuser) streams a brop slot with
#   pg_recvlogical and brop relay: no walsender crash, and a clear error when
#   the salt key file is unusable.
# - The plugin refusing a change (a registered table's REPLICA IDENTITY set
#   back to DEFAULT; a --registrations table that does not exist): --once
#   ends with exit 5, a running relay retries with pauses doubling to 30 s.
# - SIGHUP does not stop the relay; it shows as "brop relay" in
#   pg_stat_replication; brop --help and brop relay --help agree on exit codes.
# - DROP OWNED BY the extension's owner is refused while a brop slot exists.
# - The chain heads' cache: a load touching more chains than it holds
#   (10,000 rows inserted, then each updated) is never refused.
# - What the relay confirms: 200 MB written to an unregistered table (about
#   1,400 transactions), then 200 MB in another database of the cluster, each
#   leave at most 16 MB retained by the relay's slot once idle; a fast stop of
#   the source with the relay connected finishes within 10 s, and the relay
#   carries on after it.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use BropNode;
use IPC::Run qw(start run timeout);
use Time::HiRes qw(time usleep);

my $brop = $ENV{BROP_BIN} // 'brop';
my $dir  = PostgreSQL::Test::Utils::tempdir;

my $keyfile = "$dir/org.jwk";
my ($source, $ledger, $did) = brop_relay_nodes($keyfile);

$ledger->safe_psql('postgres', qq{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node');
	SELECT brop.configure_ledger('tap.example/source', 'node');
	SELECT brop.add_organization('$did', 'Example');
});
$source->safe_psql('postgres', q{
	CREATE ROLE replicator LOGIN REPLICATION;
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'org');
	CREATE TABLE degree (student int PRIMARY KEY, name text NOT NULL, grade text);
	ALTER TABLE degree REPLICA IDENTITY FULL;
	SELECT 'made' FROM pg_create_logical_replication_slot('relay', 'brop');
	SELECT 'made' FROM pg_create_logical_replication_slot('recv', 'brop');
	SELECT brop.register_table('degree', '{student}', signing_key => 'org', capture => 'plugin');
});

sub sq { return $source->safe_psql('postgres', $_[0]); }
sub lq { return $ledger->safe_psql('postgres', $_[0]); }
sub src_conn { return $source->connstr($_[0]) . ' user=replicator'; }

my @relay_base = ($brop, 'relay', '--source', src_conn('postgres'), '--slot', 'relay',
	'--ledger', $ledger->connstr('postgres'), '--key', $keyfile, '--status-interval', '0');

# relay_once([MORE ARGS]): runs until the source is idle; (exit code, stderr),
# exit code -1 if it was still running after 180 s
sub relay_once
{
	my ($out, $err) = ('', '');
	my $h = start([@relay_base, '--once', @_], '>', \$out, '2>', \$err, timeout(180));
	if (!eval { $h->finish; 1 })
	{
		$h->kill_kill;
		return (-1, $err);
	}
	return ($? >> 8, $err);
}

# alive(HARNESS): is its process running (not a zombie)?
sub alive
{
	my $kid = $_[0]->{KIDS}[0]{PID};
	open(my $f, '<', "/proc/$kid/stat") or return 0;
	my $stat = <$f>;
	close $f;
	return $stat !~ /^\d+ \(.*\) [ZX] /;
}

# recvlogical(DB, SLOT, ENDPOS, OPTIONS...): pg_recvlogical as the replication role
sub recvlogical
{
	my ($db, $slot, $endpos, @o) = @_;
	my ($out, $err) = ('', '');
	run([$source->installed_command('pg_recvlogical'), '-d', src_conn($db), '-S', $slot, '--start',
		'--no-loop', '--endpos', $endpos, '-f', '-', @o], '>', \$out, '2>', \$err, timeout(120));
	return ($? >> 8, $out, $err);
}

sub start_time { return sq('SELECT pg_postmaster_start_time()'); }

# ---- a replication role that is not a superuser --------------------------------------

my $started = start_time();
is(sq(q{SELECT rolsuper::text || ' ' || rolreplication::text FROM pg_roles WHERE rolname = 'replicator'}),
	'false true', 'the source role has REPLICATION and is not a superuser');
my ($rc, $out, $err) = recvlogical('postgres', 'recv', sq('SELECT pg_current_wal_lsn()'));
is($rc, 0, 'pg_recvlogical as the replication role streams an empty brop slot') or diag($err);
sq(q{INSERT INTO degree VALUES (1, 'Ada', 'A'), (2, 'Grace', 'B')});
($rc, $out, $err) = recvlogical('postgres', 'recv', sq('SELECT pg_current_wal_lsn()'), '-o', "org=$did");
is($rc, 0, '... and one with registered changes') or diag($err);
like($out, qr/"type":"begin".*"kind":"row".*"kind":"row".*"type":"commit"/s, '... which it decodes');
($rc, $err) = relay_once();
is($rc, 0, 'brop relay --once as the replication role ends well') or diag($err);
is(lq(q{SELECT count(*) FROM brop.entry WHERE kind = 'row'}), 2, '... with the two rows on the ledger');

# an unusable salt key: refused at the plugin's start, in the walsender (no transaction)
my $salt = sq('SHOW brop.salt_key_file');
chmod 0640, $salt;
$source->reload;
sq(q{INSERT INTO degree VALUES (3, 'Edsger', 'C')});
($rc, $out, $err) = recvlogical('postgres', 'recv', sq('SELECT pg_current_wal_lsn()'), '-o', "org=$did");
like($err, qr/salt key file has group or world access/, 'a group-readable salt key file is refused by name');
unlike($err, qr/\Q$salt\E/, '... its path hidden (the server log has it)');
chmod 0600, $salt;
is(start_time(), $started, 'no walsender crashed: the source never restarted');
ok(!grep({ /terminated by signal/ } split /\n/, read_file($source->logfile)), 'the source\'s log shows no process killed by a signal');
sq(q{SELECT pg_drop_replication_slot('recv')});

# ---- the plugin refusing a change ---------------------------------------------------

# a registered table set back to REPLICA IDENTITY DEFAULT, in a database of its own
$source->safe_psql('postgres', 'CREATE DATABASE ri');
$source->safe_psql('ri', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'org');
	CREATE TABLE t (id int PRIMARY KEY, v text);
	ALTER TABLE t REPLICA IDENTITY FULL;
	SELECT 'made' FROM pg_create_logical_replication_slot('ri', 'brop');
	SELECT brop.register_table('t', '{id}', signing_key => 'org', capture => 'plugin');
	INSERT INTO t VALUES (1, 'one');
	ALTER TABLE t REPLICA IDENTITY DEFAULT;
	UPDATE t SET v = 'uno';
});
my @ri = ('--source', src_conn('ri'), '--slot', 'ri', '--name', 'ri');
($rc, $err) = relay_once(@ri);
is($rc, 5, '--once ends with exit 5 when the plugin refuses a change (REPLICA IDENTITY DEFAULT)');
like($err, qr/does not have REPLICA IDENTITY FULL/, '... with the plugin\'s error');
like($err, qr/giving up \(--once\)/, '... saying it gives up');

# without --once it retries, each pause twice the one before (to 30 s at most)
my $rlog = "$dir/ri.log";
my $h = start([@relay_base, @ri], '>', \my $rout, '2>', $rlog);
my $until = time + 60;
usleep(200_000) while time < $until && (() = read_file($rlog) =~ /reconnecting in/g) < 4;
$h->signal('TERM');
$h->finish;
my @pauses = read_file($rlog) =~ /reconnecting in ([\d.]+) s/g;
is(join(' ', @pauses[0 .. 3]), '0.5 1.0 2.0 4.0', 'a running relay retries after pauses that double');
$source->safe_psql('ri', q{SELECT pg_drop_replication_slot('ri')});

# the extension's missing: registrations naming a table that does not exist
$source->safe_psql('postgres', 'CREATE DATABASE plain');
$source->safe_psql('plain', q{
	SELECT 'made' FROM pg_create_logical_replication_slot('plain', 'brop');
	CREATE TABLE other (a int);
	INSERT INTO other VALUES (1);
});
my $regs = "$dir/registrations.json";
write_file($regs, '[{"name":"plain.missing","table":"public.missing","key_columns":["id"],"columns":["id"]}]');
($rc, $err) = relay_once('--source', src_conn('plain'), '--slot', 'plain', '--name', 'plain', '--registrations', $regs);
is($rc, 5, '--once ends with exit 5 when a --registrations table does not exist');
like($err, qr/table "public.missing" of registration "plain.missing" does not exist/, '... naming it');
$source->safe_psql('plain', q{SELECT pg_drop_replication_slot('plain')});

# ---- signals, application_name, exit codes -------------------------------------------

{
	local $ENV{PGAPPNAME};    # the test harness names its connections; the relay names its own
	delete $ENV{PGAPPNAME};
	$h = start([@relay_base], '>', \$rout, '2>', "$dir/hup.log");
}
ok($source->poll_query_until('postgres',
	q{SELECT count(*) = 1 FROM pg_stat_replication WHERE application_name = 'brop relay'}),
	'the relay shows as "brop relay" in pg_stat_replication');
ok($ledger->poll_query_until('postgres',
	q{SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'brop relay relay'}),
	'and as "brop relay <source>" on the ledger');
is($ledger->safe_psql('postgres', q{SELECT state IN ('ok', 'idle') FROM brop.status WHERE component = 'source' AND name = 'relay'}),
	't', 'brop.status: its source is not down');
$h->signal('HUP');
usleep(500_000);
ok(alive($h), 'SIGHUP does not stop the relay');
sq(q{INSERT INTO degree VALUES (4, 'Barbara', 'A')});
ok($ledger->poll_query_until('postgres', q{SELECT count(*) = 4 FROM brop.entry WHERE kind = 'row'}),
	'... which goes on relaying');
$h->signal('TERM');
$h->finish;
is($? >> 8, 0, 'SIGTERM stops it cleanly');
ok($ledger->poll_query_until('postgres',
	q{SELECT state || ' ' || level = 'down critical' FROM brop.status WHERE component = 'source' AND name = 'relay'}),
	'brop.status: its source is down, critical');

# exit codes: "  N  meaning" lines of each help
sub exit_codes
{
	my (undef, $help) = brop_cli(@_);
	my ($list) = $help =~ /^Exit codes:\n((?:  .*\n?)*)/m;
	return join(' ', $list =~ /^  (\d)  /mg);
}
is(exit_codes('relay', '--help'), '0 2 3 4 5', 'brop relay --help lists every code the relay returns');
is(exit_codes('--help'), '0 1 2 3 4 5', 'brop --help lists the same codes, and 1 of the other commands');

# ---- DROP OWNED BY the extension's owner ---------------------------------------------

# (DROP EXTENSION and DROP SCHEMA: regress plugin.) The extension's owner here
# is not the bootstrap superuser, whose objects DROP OWNED never drops.
sq(q{CREATE ROLE dba LOGIN SUPERUSER});
sq(q{CREATE DATABASE owned OWNER dba});
my @as_dba = (extra_params => ['-U', 'dba']);
$source->safe_psql('owned', q{CREATE EXTENSION brop; SELECT 'made' FROM pg_create_logical_replication_slot('owned', 'brop')}, @as_dba);
my ($prc, $pout, $perr) = $source->psql('owned', 'DROP OWNED BY dba', @as_dba);
like($perr, qr/cannot drop the objects of the owner of extension brop while replication slot "owned" of this database uses the brop output plugin/,
	'DROP OWNED BY the extension\'s owner is refused while a brop slot exists');
like($perr, qr/HINT:  Drop the slot first, once its relay has appended every change: SELECT pg_drop_replication_slot\('owned'\);/,
	'... with a hint');
$source->safe_psql('owned', q{SELECT pg_drop_replication_slot('owned'); DROP OWNED BY dba}, @as_dba);
is($source->safe_psql('owned', q{SELECT count(*) FROM pg_extension WHERE extname = 'brop'}), 0,
	'... and goes through once the slot is dropped');

# ---- the chain heads' cache -------------------------------------------------------

sq(q{INSERT INTO degree SELECT g, 'Student ' || g, 'B' FROM generate_series(1000, 10999) g});
($rc, $err) = relay_once();
is($rc, 0, '10,000 new rows relayed') or diag($err);
sq(q{UPDATE degree SET grade = 'A' WHERE student >= 1000});
($rc, $err) = relay_once();
is($rc, 0, '... then each of them updated') or diag($err);
unlike($err, qr/did not take a batch|reconnecting/, '... without a refused batch or a reconnection (more chains than the cache holds)');
is(lq(q{SELECT count(*) FROM brop.chain_head WHERE chain_key LIKE 'row:%' AND length = 2}), 10000,
	'each of the 10,000 chains has its insert and its update');

# ---- what the relay confirms to the source ------------------------------------------

my $fill = q{
	CREATE TABLE unregistered (id int, filler text);
	CREATE PROCEDURE fill(mb int) LANGUAGE plpgsql AS $$
	DECLARE
	  start pg_lsn := pg_current_wal_lsn();
	BEGIN
	  -- about 150 kB of WAL a transaction, as the issue's 200 MB in 1,383
	  WHILE pg_wal_lsn_diff(pg_current_wal_lsn(), start) < mb * 1048576.0 LOOP
	    INSERT INTO unregistered
	      SELECT g, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 30) i)
	      FROM generate_series(1, 140) g;
	    COMMIT;
	  END LOOP;
	END $$;
};
sub retained
{
	return sq(q{SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots
		WHERE slot_name = 'relay'});
}
# load_and_idle(DB, WHAT): 200 MB of WAL in DB with the relay connected; at most 16 MB retained once idle
sub load_and_idle
{
	my ($db, $what) = @_;
	my $xid = $source->safe_psql($db, 'SELECT pg_current_xact_id()');
	$source->safe_psql($db, 'CALL fill(200)');
	diag(sprintf('%s: 200 MB of WAL in %d transactions, %.1f MB retained at its end', $what,
		$source->safe_psql($db, 'SELECT pg_current_xact_id()') - $xid, retained() / 1048576));
	ok($source->poll_query_until('postgres', q{SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) <= 16 * 1048576
		FROM pg_replication_slots WHERE slot_name = 'relay'}), "$what: at most 16 MB retained once idle")
	  or diag(sprintf('retained: %.1f MB', retained() / 1048576));
}
sq($fill);
$source->safe_psql('postgres', 'CREATE DATABASE busy');
$source->safe_psql('busy', $fill);
my $log = "$dir/relay.log";
$h = start([@relay_base], '>', \$rout, '2>', $log);
ok($source->poll_query_until('postgres', q{SELECT count(*) = 1 FROM pg_stat_replication WHERE state = 'streaming'}),
	'the relay streams');
load_and_idle('postgres', 'an unregistered table');
load_and_idle('busy', 'another database');

# a fast stop with the relay connected: the walsender waits for the relay
# to confirm what it sent, so the relay must confirm the shutdown's keepalive
my $stopped = run_log([$source->installed_command('pg_ctl'), '-D', $source->data_dir, '-m', 'fast', '-t', '10', 'stop']);
ok($stopped, 'a fast stop of the source with the relay connected finishes within 10 s');
if (!$stopped)
{
	$h->signal('TERM');
	$h->finish;
	run_log([$source->installed_command('pg_ctl'), '-D', $source->data_dir, '-m', 'immediate', 'stop']);
}
$source->_update_pid(0);
$source->start;
$h = start([@relay_base], '>', \$rout, '2>>', $log) if !$stopped;
sq(q{INSERT INTO degree VALUES (5, 'Frances', 'A')});
ok($ledger->poll_query_until('postgres', q{SELECT count(*) >= 4 + 20000 + 1 FROM brop.entry WHERE kind = 'row'}),
	'the relay carries on after the source\'s restart');
$h->signal('TERM');
$h->finish;
is($? >> 8, 0, '... and stops cleanly');
is(lq(q{SELECT count(*) FROM brop.entry WHERE kind = 'row'}), 4 + 20000 + 1, 'every change is on the ledger once');

# ---- a table registered with rows in it ---------------------------------------------

# 2,500 rows (more than a batch) cross as op existing, each version its message's LSN
sq(q{
	CREATE TABLE archive (id int PRIMARY KEY, v text);
	ALTER TABLE archive REPLICA IDENTITY FULL;
	INSERT INTO archive SELECT g, 'archived ' || g FROM generate_series(1, 2500) g;
	SELECT brop.register_table('archive', '{id}', signing_key => 'org', capture => 'plugin');
	UPDATE archive SET v = 'changed' WHERE id = 7;
});
($rc, $err) = relay_once();
is($rc, 0, 'the relay appends the rows a table held when it was registered') or diag($err);
is(lq(q{SELECT string_agg(op || ' ' || n, ', ' ORDER BY op) FROM (SELECT header->>'op' AS op, count(*) AS n
	FROM brop.entry WHERE kind = 'row' AND header->>'registration' = 'public.archive' GROUP BY 1) s}),
	'existing 2500, update 1', '... as op existing, and the next change after them');
is(lq(q{SELECT count(*) FROM brop.entry e JOIN brop.entry p ON p.chain_key = e.chain_key
	WHERE e.header->>'op' = 'update' AND e.header->>'registration' = 'public.archive'
	  AND e.prev_digest = p.digest AND p.header->>'op' = 'existing'}), 1, '... which follows its existing version');
my $chain42 = sq(q{SELECT brop.row_chain_key('public.archive', '["42"]')});
my ($version42, $digest42) = split /\|/, lq(qq{SELECT header->>'version', payload_digest FROM brop.entry
	WHERE chain_key = '$chain42' AND header->>'op' = 'existing'});
is(sq(qq{SELECT brop.row_digest(brop.row_document('archive', '["42"]'), brop.row_salt('public.archive', '["42"]', $version42))}),
	$digest42, 'an existing row\'s digest is recomputed at the source from its row and version');
is(lq(q{SELECT ok::text || ' ' || coalesce(problem, '') FROM brop.verify_ledger()}), 'true ', 'the ledger verifies');

done_testing();
