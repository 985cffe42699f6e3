# Path 2 of registration between two real clusters, an institution's (the
# source, its table registered for the brop output plugin) and a ledger's:
# brop relay streams the slot, signs batches and appends them.
#
# - End to end: rows written at the source become sealed ledger entries whose
#   digests recompute from the source rows with brop.row_digest.
# - Exactly once: during a load of 100k rows (with updates and deletes) the
#   relay is killed with SIGKILL at random moments at least 20 times, and the
#   ledger's server 3 times; afterwards every change is on the ledger once, in
#   commit order, chains are whole and verify_ledger is ok.
# - Bad configuration: a wrong plugin, an unknown plugin option, an
#   unreadable or foreign key file, a suspended organisation: clear errors,
#   nothing appended, nothing lost.
# - One transaction of 2M changes decodes with the walsender's memory
#   bounded (its peak resident size is reported).
#
# The relay and pg_recvlogical connect to the source as "replicator", a role
# with REPLICATION and nothing else, as docs/registration.md sets it up.
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

my $keyfile = "$dir/university.jwk";
my ($source, $ledger, $did) = brop_relay_nodes($keyfile);
like($did, qr/^did:key:z6Mk/, 'the institution has an Ed25519 key file');

$ledger->safe_psql('postgres', qq{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node');
	SELECT brop.configure_ledger('tap.example/relay', 'node');
	SELECT brop.add_organization('$did', 'University of Example');
});
$source->safe_psql('postgres', q{
	CREATE ROLE replicator LOGIN REPLICATION;
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'uni');
	CREATE TABLE degree (student int PRIMARY KEY, name text NOT NULL, grade text, year int);
	ALTER TABLE degree REPLICA IDENTITY FULL;
	CREATE TABLE unregistered (a int);
	SELECT 'made' FROM pg_create_logical_replication_slot('relay', 'brop');
	SELECT brop.register_table('degree', '{student}', signing_key => 'uni', capture => 'plugin');
});

sub sq { return $source->safe_psql('postgres', $_[0]); }
sub lq { return $ledger->safe_psql('postgres', $_[0]); }

# the source as the replication role (not a superuser)
sub src_conn { return $source->connstr($_[0]) . ' user=replicator'; }
is($source->safe_psql('postgres', q{SELECT rolsuper::text || ' ' || rolreplication::text FROM pg_roles
	WHERE rolname = 'replicator'}), 'false true', 'the relay\'s source role has REPLICATION and is not a superuser');

my @relay_base = ($brop, 'relay', '--source', src_conn('postgres'), '--slot', 'relay',
	'--ledger', $ledger->connstr('postgres'), '--status-interval', '0');

# relay_once(KEY [, MORE ARGS]): runs until the source is idle; (exit code, stderr)
sub relay_once
{
	my ($key, @more) = @_;
	my ($out, $err) = ('', '');
	run([@relay_base, '--key', $key, '--once', @more], '>', \$out, '2>', \$err, timeout(300));
	return ($? >> 8, $err);
}

sub entries { return lq(q{SELECT count(*) FROM brop.entry WHERE kind = 'row'}); }

sub wait_sealed
{
	$ledger->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending')
	  or die 'the ledger did not seal its pending entries';
}

# Every live source row whose latest ledger entry is its current version:
# the entry's digest, recomputed at the source from the row, its key and
# the entry's version. Returns "matching/live rows".
sub digests_recompute
{
	my $latest = lq(q{
		SELECT string_agg(format('(%L, %s, %L)', chain_key, header->>'version', payload_digest), ',')
		FROM brop.entry WHERE id IN (SELECT max(id) FROM brop.entry WHERE kind = 'row' GROUP BY chain_key)
		  AND header->>'op' <> 'delete'});
	return sq(qq{
		SELECT count(*) FILTER (WHERE brop.row_digest(
		         jsonb_build_object('student', d.student::text, 'name', d.name, 'grade', d.grade, 'year', d.year::text),
		         brop.row_salt('public.degree', jsonb_build_array(d.student::text), v.version))::text = v.digest)
		       || '/' || (SELECT count(*) FROM degree)
		FROM (VALUES $latest) v(chain_key, version, digest)
		JOIN degree d ON brop.row_chain_key('public.degree', jsonb_build_array(d.student::text)) = v.chain_key});
}

# ---- end to end ---------------------------------------------------------------------

sq(q{
	INSERT INTO degree SELECT g, 'Student ' || g, 'B', 2026 FROM generate_series(1, 10) g;
	UPDATE degree SET grade = 'A' WHERE student IN (1, 2);
	UPDATE degree SET grade = 'A' WHERE student = 1;		-- no change: no entry
	DELETE FROM degree WHERE student = 3;
	INSERT INTO unregistered VALUES (1), (2);
});
my ($rc, $err) = relay_once($keyfile);
is($rc, 0, 'relay --once ends well') or diag($err);
is(entries(), 13, 'ten inserts, two updates and one delete: 13 row entries, none for the unregistered table');
is(lq(q{SELECT count(*) FROM brop.entry WHERE kind = 'registration' AND header->>'op' = 'register'}), 1,
	'the registration reached the ledger');
wait_sealed();
is(digests_recompute(), '9/9', 'every row digest on the ledger recomputes from its source row');

# brop disclose: the institution derives the salt of student 1's latest
# version; a verifier given the row, the salt and the entry checks them
my $chain = sq(q{SELECT brop.row_chain_key('public.degree', '["1"]')});
my $leaf_file = "$dir/entry.json";
open(my $lf, '>', $leaf_file) or die $!;
print $lf lq(qq{SELECT brop.entry_leaf(e) FROM brop.entry e WHERE chain_key = '$chain' ORDER BY id DESC LIMIT 1});
close $lf;
my $row_file = "$dir/row.json";
open(my $rf, '>', $row_file) or die $!;
print $rf sq(q{SELECT jsonb_build_object('student', student::text, 'name', name, 'grade', grade, 'year', year::text)
	FROM degree WHERE student = 1});
close $rf;
my $salt_key = sq('SHOW brop.salt_key_file');
my ($dout, $derr) = ('', '');
run([$brop, 'disclose', '--row', $row_file, '--salt-key', $salt_key, '--registration', 'public.degree',
	'--row-key', '["1"]', '--entry', $leaf_file], '>', \$dout, '2>', \$derr);
like($dout, qr/^entry: kind row, registration public.degree, op update, version \d+\nsalt: [0-9a-f]{64}\ndigest: [0-9a-f]{64}\nvalid\n$/,
	'brop disclose: the salt re-derived at the institution, the row checks against its entry');
my ($salt) = $dout =~ /^salt: ([0-9a-f]{64})$/m;
run([$brop, 'disclose', '--row', $row_file, '--salt', $salt, '--entry', $leaf_file], '>', \$dout, '2>', \$derr);
like($dout, qr/\nvalid\n$/, '... and at the verifier, given the salt alone');
open($rf, '>', $row_file) or die $!;
print $rf '{"student":"1","name":"Student 1","grade":"A+","year":"2026"}';
close $rf;
run([$brop, 'disclose', '--row', $row_file, '--salt', $salt, '--entry', $leaf_file], '>', \$dout, '2>', \$derr);
is($? >> 8, 1, 'a changed value does not verify (exit 1)');

is(lq(q{SELECT count(*) FROM brop.entry WHERE kind = 'row' AND header->>'op' <> 'insert' AND prev_digest IS NULL}), 0,
	'updates and deletes link to the previous version of their row');
is(lq(q{SELECT ok FROM brop.verify_ledger()}), 't', 'verify_ledger is ok');
($rc, $err) = relay_once($keyfile);
is($rc . '/' . entries(), '0/13', 'run again, the relay appends nothing twice');

# ---- bad configuration ------------------------------------------------------------

sq(q{INSERT INTO degree VALUES (100, 'Waiting', 'C', 2026)});
my $before = entries();

chmod 0644, $keyfile;
($rc, $err) = relay_once($keyfile);
is($rc, 3, 'a key file readable by others is refused');
like($err, qr/accessible by group or others/, '... saying why');
chmod 0600, $keyfile;

my $other = "$dir/other.jwk";
system("$brop keygen --out $other >/dev/null") == 0 or die 'keygen failed';
($rc, $err) = relay_once($other);
is($rc, 5, 'a key the ledger does not know is refused for good');
like($err, qr/is not registered on this ledger/, '... as an unregistered organisation');

lq(qq{SELECT brop.set_organization_status('$did', 'suspended')});
($rc, $err) = relay_once($keyfile);
is($rc, 5, 'a suspended organisation is refused for good');
like($err, qr/is suspended on this ledger/, '... saying so');
is(entries(), $before, 'nothing was appended meanwhile');
lq(qq{SELECT brop.set_organization_status('$did', 'active')});
($rc, $err) = relay_once($keyfile);
is($rc . '/' . entries(), '0/' . ($before + 1), 'restored, the organisation\'s waiting change arrives: nothing was lost');

sq(q{SELECT 'made' FROM pg_create_logical_replication_slot('wrong_plugin', 'test_decoding')});
($rc, $err) = relay_once($keyfile, '--slot', 'wrong_plugin', '--name', 'wrong');
is($rc, 5, 'a slot of another plugin is refused for good');
like($err, qr/is not a logical slot of plugin brop \(its plugin: test_decoding\)/, '... naming the plugins');
($rc, $err) = relay_once($keyfile, '--slot', 'no_such_slot');
like("$rc $err", qr/^5 .*slot "no_such_slot" does not exist/s, 'a missing slot is refused for good');
sq(q{SELECT pg_drop_replication_slot('wrong_plugin')});

my ($out, $perr) = ('', '');
run([$source->installed_command('pg_recvlogical'), '-d', src_conn('postgres'), '-S', 'relay',
	'--start', '--no-loop', '-f', '-', '-o', 'colour=red'], '>', \$out, '2>', \$perr, timeout(60));
like($perr, qr/option "colour" is not known to the brop output plugin/, 'an unknown plugin option is an error');

# ---- exactly once under SIGKILL ------------------------------------------------------

# One writer, so the order of change LSNs is the commit order. Transactions of
# 1 to 40 rows, an update every 7th, a delete every 31st, a pause between them.
sq(q{
	CREATE TABLE load_state (changes bigint, done boolean);
	INSERT INTO load_state VALUES (0, false);
	CREATE PROCEDURE load(total int) LANGUAGE plpgsql AS $$
	DECLARE
	  n int := 1000;
	  made bigint := 0;
	  t int := 0;
	  k int;
	  target int;
	BEGIN
	  WHILE n < 1000 + total LOOP
	    k := least(1 + (random() * 39)::int, 1000 + total - n);
	    INSERT INTO degree SELECT g, 'Student ' || g, 'B', 2026 FROM generate_series(n, n + k - 1) g;
	    made := made + k;
	    n := n + k;
	    t := t + 1;
	    IF t % 7 = 0 THEN
	      target := n - 1 - (random() * (k - 1))::int;	-- once: random() in WHERE would run per row
	      UPDATE degree SET grade = grade || '+' WHERE student = target;
	      made := made + 1;
	    END IF;
	    IF t % 31 = 0 THEN
	      DELETE FROM degree WHERE student = n - 1;
	      made := made + 1;
	    END IF;
	    UPDATE load_state SET changes = made;
	    COMMIT;
	    PERFORM pg_sleep(0.004);
	  END LOOP;
	  UPDATE load_state SET done = true;
	END $$;
});
my $rows_before = entries();
my $loader = start([$source->installed_command('psql'), '-X', '-q', '-d', $source->connstr('postgres'),
	'-c', 'CALL load(100000)'], '>', \my $lout, '2>', \my $lerr);

sub start_relay
{
	my $h = start([@relay_base, '--key', $keyfile], '>', \my $o, '2>>', "$dir/relay.log");
	return $h;
}
my $relay = start_relay();
my ($relay_kills, $ledger_kills) = (0, 0);
while (sq('SELECT done FROM load_state') ne 't' || $relay_kills < 20 || $ledger_kills < 3)
{
	usleep(300_000 + int(rand(900_000)));
	if ($ledger_kills < 3 && $relay_kills >= 4 + 6 * $ledger_kills)
	{
		brop_crash($ledger);
		$ledger->start;
		$ledger_kills++;
		next;
	}
	$relay->signal('KILL');
	$relay->finish;
	$relay_kills++;
	$relay = start_relay();
}
$loader->finish;
$relay->signal('TERM');
$relay->finish;
is($? >> 8, 0, 'SIGTERM stops the relay cleanly');
diag("killed the relay $relay_kills times and the ledger $ledger_kills times during the load");
cmp_ok($relay_kills, '>=', 20, 'the relay was killed at least 20 times');
is($ledger_kills, 3, 'the ledger was killed 3 times');

($rc, $err) = relay_once($keyfile);
is($rc, 0, 'a last run catches up') or diag($err);
my $expected = $rows_before + sq('SELECT changes FROM load_state');
is(entries(), $expected, "every change is on the ledger exactly once ($expected row entries)");
is(lq(q{SELECT count(*) FROM (SELECT (header->>'version')::numeric AS v,
		lag((header->>'version')::numeric) OVER (ORDER BY id) AS before
	FROM brop.entry WHERE kind = 'row') s WHERE v <= before}), 0,
	'in commit order: each entry\'s source change comes after the previous entry\'s');
is(lq(q{SELECT count(*) FROM brop.chain_head h
	WHERE h.length <> (SELECT count(*) FROM brop.entry e WHERE e.chain_key = h.chain_key)}), 0,
	'every chain holds each of its row\'s versions once');
is(lq(q{SELECT source || ' ' || (changes IS NULL)::text FROM brop.source_position}), 'relay true',
	'the source\'s position ends on a whole transaction');
wait_sealed();
is(lq(q{SELECT ok FROM brop.verify_ledger()}), 't', 'verify_ledger is ok after the kills');
my $live = sq('SELECT count(*) FROM degree');
is(digests_recompute(), "$live/$live", 'every source row\'s latest digest recomputes');

# ---- a source without the extension ----------------------------------------------

# Only the library at the source: the registrations come from the relay's
# file, and it announces them once.
$source->safe_psql('postgres', 'CREATE DATABASE plain');
$source->safe_psql('plain', q{
	CREATE TABLE staff (id int PRIMARY KEY, name text NOT NULL);
	ALTER TABLE staff REPLICA IDENTITY FULL;
	SELECT 'made' FROM pg_create_logical_replication_slot('plain_relay', 'brop');
	INSERT INTO staff VALUES (1, 'Ada'), (2, 'Grace');
	UPDATE staff SET name = 'Grace H.' WHERE id = 2;
	DELETE FROM staff WHERE id = 1;
});
is($source->safe_psql('plain', q{SELECT count(*) FROM pg_extension WHERE extname = 'brop'}), 0,
	'the second source database has no brop extension');
my $regs = "$dir/registrations.json";
open(my $rg, '>', $regs) or die $!;
print $rg '[{"name":"plain.staff","table":"public.staff","key_columns":["id"],"columns":["id","name"]}]';
close $rg;
my @plain = ($brop, 'relay', '--source', src_conn('plain'), '--slot', 'plain_relay', '--name', 'plain',
	'--ledger', $ledger->connstr('postgres'), '--status-interval', '0', '--key', $keyfile,
	'--registrations', $regs, '--once');
for my $round (1, 2)
{
	($out, $perr) = ('', '');
	run(\@plain, '>', \$out, '2>', \$perr, timeout(120));
	is($? >> 8, 0, "the relay of a source without the extension ends well (run $round)") or diag($perr);
}
is(lq(q{SELECT string_agg(kind || ':' || coalesce(header->>'op', ''), ' ' ORDER BY id) FROM brop.entry
	WHERE header->>'registration' = 'plain.staff'}),
	'registration:register row:insert row:insert row:update row:delete',
	'its registration (announced once over two runs) and its four changes are on the ledger');

# ---- one transaction of 2M changes -------------------------------------------------

sq(q{SELECT pg_drop_replication_slot('relay')});
sq(q{
	CREATE TABLE big (id int PRIMARY KEY, note text);
	ALTER TABLE big REPLICA IDENTITY FULL;
	SELECT brop.register_table('big', '{id}', signing_key => 'uni', capture => 'plugin');
	SELECT 'made' FROM pg_create_logical_replication_slot('big', 'brop');
	INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 2000000) g;
});
my $endpos = sq('SELECT pg_current_wal_lsn()');
my $work_mem = sq('SHOW logical_decoding_work_mem');
my $recv = start([$source->installed_command('pg_recvlogical'), '-d', src_conn('postgres'), '-S', 'big',
	'--start', '--no-loop', '--endpos', $endpos, '-f', "$dir/big.jsonl", '-o', "org=$did"],
	'>', \my $rout, '2>', \my $rerr);
# has the harness's child exited (a zombie until finish reaps it)?
sub recv_done
{
	my $kid = $_[0]->{KIDS}[0]{PID};
	open(my $f, '<', "/proc/$kid/stat") or return 1;
	my $stat = <$f>;
	close $f;
	return $stat =~ /^\d+ \(.*\) [ZX] /;
}
my ($peak_kb, $pid, $seen) = (0, '', 0);
my $deadline = time + 600;
# sample the walsender's peak resident size (VmHWM) until it is gone
while (time < $deadline)
{
	$pid = sq(q{SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'big'});
	last if $seen && $pid eq '';
	last if !$seen && recv_done($recv);
	if ($pid ne '' && open(my $st, '<', "/proc/$pid/status"))
	{
		$seen = 1;
		while (<$st>)
		{
			$peak_kb = $1 if /^VmHWM:\s+(\d+)/ && $1 > $peak_kb;
		}
		close $st;
	}
	usleep(100_000);
}
$recv->finish;
my $lines = 0;
open(my $bf, '<', "$dir/big.jsonl") or die $!;
$lines++ while <$bf>;
close $bf;
cmp_ok($lines, '>=', 2_000_002, 'the 2M-change transaction decodes: a line per change, with its begin and commit');
diag(sprintf('walsender peak resident size decoding 2M changes: %.1f MB (logical_decoding_work_mem %s)',
	$peak_kb / 1024, $work_mem));
cmp_ok($peak_kb, '>', 0, 'the walsender\'s peak was measured');
cmp_ok($peak_kb, '<', 512 * 1024, 'the walsender stays under 512 MB (its memory is bounded, not per change)');

done_testing();
