# Many clients submit to the ledger at once while the sealing worker and two
# sessions calling brop.seal() make blocks, and a reader verifies meanwhile.
# Afterwards every entry is sealed or expired exactly once, positions and
# blocks are gapless and contiguous, every per-object chain is one unforked
# line as long as its successful appends, a nonce sent again (also by two
# clients racing) names one entry, and every proof verifies.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run qw(start finish pump timer);
use Time::HiRes qw(time);

my $dir = PostgreSQL::Test::Utils::tempdir;

my $PER_CLIENT = 1000;   # submissions per client, each in its own transaction
my $CHAINS     = 3;      # shared per-object chains the chain clients append to
my @plain      = (1, 2, 3);     # unique nonces, some with an expiry block
my @chainers   = (4, 5, 6, 7);  # append to the shared chains, retrying on refusal
my @duppers    = (8, 9);        # the same nonces as each other, some sent twice
my @submitters = (@plain, @chainers, @duppers);

my $node = brop_node('concurrency', q{
shared_preload_libraries = 'brop'
brop.block_interval = '200ms'
max_connections = 40
});
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node');
	SELECT brop.create_key('ed25519', 'org' || c) FROM generate_series(1, 7) c;
	SELECT brop.create_key('ed25519', 'dup');
	SELECT brop.configure_ledger('tap.example/concurrency', 'node');

	CREATE SCHEMA tap;
	-- what the clients saw
	CREATE TABLE tap.done (client int PRIMARY KEY);
	CREATE TABLE tap.stop ();   -- a row: the submitters are done (or failed)
	-- the sealers and the reader run until then, and no longer than 150 s
	CREATE FUNCTION tap.running() RETURNS boolean LANGUAGE sql AS
	  $$ SELECT NOT EXISTS (SELECT FROM tap.stop) AND now() < pg_postmaster_start_time() + interval '150 s' $$;
	CREATE TABLE tap.append (client int, i int, chain_key text, entry bigint, digest brop.digest,
	                         prev brop.digest, attempts int);
	CREATE TABLE tap.dup (client int, nonce text, entry bigint);
	CREATE TABLE tap.conflict (client int, nonce text);
	CREATE TABLE tap.sealed (client int, number bigint, first_position bigint, tree_size bigint);
	CREATE TABLE tap.seal_error (client int, sqlstate text, message text);
	CREATE TABLE tap.reader (runs int, problem text);

	-- unique nonces; once there is a block, every 10th entry expires: k = 0
	-- at the last block when submitted (so it can never be sealed), k = 1 or
	-- 2 one or two later
	CREATE PROCEDURE tap.plain(c int, n int) LANGUAGE plpgsql AS $$
	DECLARE
	  m bigint;
	  k int;
	BEGIN
	  FOR i IN 1 .. n LOOP
	    SELECT coalesce(max(number), 0) INTO m FROM brop.block;
	    IF i % 10 = 0 AND m > 0 THEN
	      k := (i / 10) % 3;
	      PERFORM brop.submit_as('org' || c, 'plain', brop.sha256(format('plain %s %s', c, i)),
	                             format('p%s-%s', c, i), jsonb_build_object('k', k, 'base', m),
	                             expires_block => m + k);
	    ELSE
	      PERFORM brop.submit_as('org' || c, 'plain', brop.sha256(format('plain %s %s', c, i)),
	                             format('p%s-%s', c, i), jsonb_build_object('client', c));
	    END IF;
	    COMMIT;
	  END LOOP;
	  INSERT INTO tap.done VALUES (c);
	END
	$$;

	-- append to a shared chain: read the head, submit on it; when another
	-- client appended first, the refusal names the chain: read again, retry
	CREATE PROCEDURE tap.chainer(c int, n int, chains int) LANGUAGE plpgsql AS $$
	DECLARE
	  key text;
	  h brop.digest;
	  e brop.entry;
	  attempts int;
	BEGIN
	  FOR i IN 1 .. n LOOP
	    key := 'object-' || ((i + c) % chains);
	    attempts := 0;
	    LOOP
	      attempts := attempts + 1;
	      IF attempts > 10000 THEN
	        RAISE EXCEPTION 'client % could not append to % in 10000 attempts', c, key;
	      END IF;
	      SELECT head INTO h FROM brop.chain_head WHERE chain_key = key;
	      BEGIN
	        -- the same nonce on every attempt: a refused one must leave no trace
	        e := brop.submit_as('org' || c, 'chain', brop.sha256(format('chain %s %s', c, i)),
	                            format('c%s-%s', c, i), jsonb_build_object('client', c),
	                            chain_key => key, prev_digest => h);
	        EXIT;
	      EXCEPTION WHEN object_not_in_prerequisite_state THEN
	        IF SQLERRM NOT LIKE 'prev_digest is not the head of chain "' || key || '"' THEN
	          RAISE;
	        END IF;
	      END;
	    END LOOP;
	    INSERT INTO tap.append VALUES (c, i, key, e.id, e.digest, h, attempts);
	    COMMIT;
	  END LOOP;
	  INSERT INTO tap.done VALUES (c);
	END
	$$;

	-- both dup clients send the same entries (same org, nonce, content);
	-- every 5th is sent twice, every 7th nonce is tried again with other
	-- content, which must be refused
	CREATE PROCEDURE tap.dupper(c int, n int) LANGUAGE plpgsql AS $$
	DECLARE
	  e brop.entry;
	  again brop.entry;
	BEGIN
	  FOR i IN 1 .. n LOOP
	    e := brop.submit_as('dup', 'dup', brop.sha256('dup ' || i), 'd-' || i, '{"same": true}');
	    INSERT INTO tap.dup VALUES (c, 'd-' || i, e.id);
	    IF i % 5 = 0 THEN
	      again := brop.submit_as('dup', 'dup', brop.sha256('dup ' || i), 'd-' || i, '{"same": true}');
	      INSERT INTO tap.dup VALUES (c, 'd-' || i, again.id);
	    END IF;
	    IF i % 7 = 0 THEN
	      BEGIN
	        PERFORM brop.submit_as('dup', 'dup', brop.sha256('other ' || i), 'd-' || i, '{"same": true}');
	        RAISE EXCEPTION 'nonce d-% was accepted again with other content', i;
	      EXCEPTION WHEN unique_violation THEN
	        IF SQLERRM NOT LIKE 'nonce "d-' || i || '" was already used by this organisation for another entry' THEN
	          RAISE;
	        END IF;
	        INSERT INTO tap.conflict VALUES (c, 'd-' || i);
	      END;
	    END IF;
	    COMMIT;
	  END LOOP;
	  INSERT INTO tap.done VALUES (c);
	END
	$$;

	-- seal next to the worker until the submitters are done
	CREATE PROCEDURE tap.sealer(c int) LANGUAGE plpgsql AS $$
	DECLARE
	  b brop.block;
	BEGIN
	  WHILE tap.running() LOOP
	    BEGIN
	      SELECT * INTO b FROM brop.seal();
	      IF b.number IS NOT NULL THEN
	        INSERT INTO tap.sealed VALUES (c, b.number, b.first_position, b.tree_size);
	      END IF;
	    EXCEPTION WHEN OTHERS THEN
	      -- recorded (the test fails on it) and sealing goes on
	      INSERT INTO tap.seal_error VALUES (c, SQLSTATE, SQLERRM);
	    END;
	    COMMIT;
	    PERFORM pg_sleep(random() * 0.02);
	  END LOOP;
	END
	$$;

	-- verify while the ledger grows: the whole ledger, and a random leaf and
	-- an older block against the latest block
	CREATE PROCEDURE tap.reader() LANGUAGE plpgsql AS $$
	DECLARE
	  v record;
	  b brop.block;
	  old brop.block;
	  l brop.log_leaf;
	  d brop.digest;
	  pos bigint;
	  num bigint;
	  runs int := 0;
	BEGIN
	  WHILE tap.running() LOOP
	    runs := runs + 1;
	    SELECT * INTO v FROM brop.verify_ledger(signatures => false);
	    IF v.ok IS NOT TRUE THEN
	      INSERT INTO tap.reader VALUES (NULL, format('verify_ledger: %s', v));
	    END IF;
	    SELECT * INTO b FROM brop.block ORDER BY number DESC LIMIT 1;
	    IF FOUND THEN
	      pos := floor(random() * b.tree_size)::bigint;
	      SELECT * INTO l FROM brop.log_leaf WHERE position = pos;
	      SELECT digest INTO d FROM brop.entry WHERE id = l.entry;
	      IF brop.verify_inclusion(brop.inclusion_proof(l.entry, b.tree_size), d, b.root) IS NOT TRUE THEN
	        INSERT INTO tap.reader VALUES (NULL, format('inclusion of %s in %s', l.position, b.tree_size));
	      END IF;
	      num := 1 + floor(random() * b.number)::bigint;
	      SELECT * INTO old FROM brop.block WHERE number = num;
	      IF brop.verify_consistency(brop.consistency_proof(old.tree_size, b.tree_size), old.root, b.root)
	         IS NOT TRUE THEN
	        INSERT INTO tap.reader VALUES (NULL, format('consistency %s -> %s', old.tree_size, b.tree_size));
	      END IF;
	    END IF;
	    COMMIT;
	    PERFORM pg_sleep(0.05);
	  END LOOP;
	  INSERT INTO tap.reader VALUES (runs, NULL);
	END
	$$;
});
my $node_did = $node->safe_psql('postgres', "SELECT brop.key_did('node')");
my $log_start = -s $node->logfile;

# Background sessions: one psql per client, all started before any waits.
my $psql = $node->installed_command('psql');
my $connstr = $node->connstr('postgres');
my %session;

# A session runs its SQL as psql -c, so that it starts at once (IPC::Run
# writes stdin only while the harness is pumped); the listener reads stdin.
sub session
{
	my ($name, $sql) = @_;
	my $s = { in => '', out => '', err => '',
		timer => timer($PostgreSQL::Test::Utils::timeout_default) };
	my @cmd = ($psql, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', $connstr);
	if ($name eq 'listener') { $s->{in} = $sql; }
	else                     { push @cmd, '-c', $sql; }
	$s->{h} = start(\@cmd, '<', \$s->{in}, '>', \$s->{out}, '2>', \$s->{err}, $s->{timer});
	$session{$name} = $s;
	return $s;
}

# A listener first, so it hears every block.
my $listener = session('listener', "LISTEN brop_block;\n");
pump $listener->{h} while length $listener->{in};
$node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN brop_block%' AND state = 'idle'")
  or die "the listener did not start";

my $n_submitters = scalar @submitters;
my $t0 = time;
session('reader', 'CALL tap.reader()');
session("sealer$_", "CALL tap.sealer($_)") for (1, 2);
session("client$_", "CALL tap.plain($_, $PER_CLIENT)") for @plain;
session("client$_", "CALL tap.chainer($_, $PER_CLIENT, $CHAINS)") for @chainers;
session("client$_", "CALL tap.dupper($_, $PER_CLIENT)") for @duppers;

sub finish_session
{
	my ($name) = @_;
	my $s = $session{$name};
	my $ok = eval { finish($s->{h}); 1 };
	is($ok && $s->{h}->result(0) == 0 ? 0 : 1, 0, "session $name finished without error")
	  or diag("$name: " . ($@ || '') . "stderr: $s->{err}");
}
finish_session("client$_") for @submitters;
is($node->safe_psql('postgres', 'SELECT count(*) FROM tap.done'), $n_submitters, 'every submitter got to its end');
$node->safe_psql('postgres', 'INSERT INTO tap.stop DEFAULT VALUES');
finish_session($_) for ('reader', 'sealer1', 'sealer2');
note(sprintf('clients, sealers and reader done in %.1f s', time - $t0));

# Everything committed gets sealed (or expires) by the worker.
ok($node->poll_query_until('postgres', 'SELECT NOT EXISTS (SELECT FROM brop.pending)'),
	'the worker seals what is left pending');
note(sprintf('pending empty after %.1f s', time - $t0));

sub q1 { return $node->safe_psql('postgres', $_[0]); }

# 1. Every entry is sealed exactly once or expired exactly once.
my $entries = q1('SELECT count(*) FROM brop.entry');
my $n = q1('SELECT count(*) FROM brop.log_leaf');
my $expired = q1('SELECT count(*) FROM brop.entry_expired');
my $expected = @plain * $PER_CLIENT + @chainers * $PER_CLIENT + $PER_CLIENT;
is($entries, $expected, "$expected entries were made (one per plain and chain submission, one per dup nonce)");
is($n, $entries - $expired, "count(log_leaf) = count(entry) - expired ($entries - $expired)");
is(q1('SELECT count(DISTINCT entry) FROM brop.log_leaf'), $n, 'no entry sealed twice');
is(q1(q{SELECT count(*) FROM brop.entry e
         WHERE (SELECT count(*) FROM brop.log_leaf l WHERE l.entry = e.id)
             + (SELECT count(*) FROM brop.entry_expired x WHERE x.entry = e.id) <> 1}),
	'0', 'each entry is either sealed or expired, exactly once');
is(q1(q{SELECT count(*) FROM brop.entry e WHERE brop.entry_status(e.id) IS DISTINCT FROM
          CASE WHEN EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry = e.id) THEN 'expired' ELSE 'sealed' END}),
	'0', 'entry_status agrees');

# 2. Positions 0 .. n-1, blocks 1 .. B, each block continuing the previous one.
is(q1('SELECT min(position), max(position), count(DISTINCT position) FROM brop.log_leaf'),
	'0|' . ($n - 1) . "|$n", "positions are gapless 0..n-1 (n = $n)");
my $blocks = q1('SELECT count(*) FROM brop.block');
cmp_ok($blocks, '>', 5, "several blocks were made ($blocks)");
is(q1('SELECT min(number), max(number), count(*) FROM brop.block'), "1|$blocks|$blocks",
	'block numbers are gapless 1..B');
is(q1(q{SELECT count(*) FROM brop.block b LEFT JOIN brop.block p ON p.number = b.number - 1
         WHERE b.first_position <> coalesce(p.tree_size, 0) OR b.tree_size <= b.first_position}),
	'0', 'each block starts at the previous tree_size and holds at least one leaf');
is(q1('SELECT tree_size FROM brop.block ORDER BY number DESC LIMIT 1'), $n, 'the last block covers every leaf');
is(q1(q{SELECT count(*) FROM brop.block b,
          LATERAL (SELECT count(*) c, min(position) lo, max(position) hi FROM brop.log_leaf l WHERE l.block = b.number) s
         WHERE s.c <> b.tree_size - b.first_position OR s.lo <> b.first_position OR s.hi <> b.tree_size - 1}),
	'0', "each block's leaves are exactly its positions");
is(q1(q{SELECT count(*) FROM (SELECT block, entry, lag(entry) OVER (PARTITION BY block ORDER BY position) prev
                                FROM brop.log_leaf) s WHERE prev > entry}),
	'0', 'within a block, positions follow entry ids');
is(q1(q{SELECT count(*) FROM brop.block b WHERE (b.number % 10 = 0 OR b.number = (SELECT max(number) FROM brop.block))
          AND b.root IS DISTINCT FROM
          (SELECT brop.merkle_root(e.digest ORDER BY l.position) FROM brop.log_leaf l
             JOIN brop.entry e ON e.id = l.entry WHERE l.position < b.tree_size)}),
	'0', "the root of every 10th and the last block is the Merkle root of its first tree_size leaves");
is(q1(q{SELECT count(*) FROM brop.block b LEFT JOIN brop.block p ON p.number = b.number - 1
         WHERE b.prev_hash IS DISTINCT FROM p.hash}),
	'0', 'each block links to the hash of the previous one');
is(q1(qq{SELECT count(*) FROM brop.block b, brop.parse_checkpoint(b.checkpoint) c
          WHERE NOT brop.verify_checkpoint(b.checkpoint, '$node_did')
             OR c.tree_size <> b.tree_size OR c.root <> b.root}),
	'0', "every block's checkpoint is signed by the node and names its size and root");

# 3. Who sealed: the two sessions and the worker all made blocks.
my ($by_sessions, $sessions_ok) = split /\|/, q1(q{SELECT count(*), bool_and(b.first_position = s.first_position
        AND b.tree_size = s.tree_size) FROM tap.sealed s JOIN brop.block b USING (number)});
is(q1('SELECT count(*) FROM tap.seal_error'), '0', 'brop.seal() in the sessions never failed')
  or diag(q1(q{SELECT sqlstate || ' ' || message || ' (' || count(*) || ' times)' FROM tap.seal_error GROUP BY sqlstate, message}));
cmp_ok($by_sessions, '>', 0, "the sealing sessions made blocks ($by_sessions)");
is($sessions_ok, 't', 'brop.seal() returned the blocks it stored');
cmp_ok($blocks - $by_sessions, '>', 0, 'the worker made blocks (' . ($blocks - $by_sessions) . ')');

# 4. Full verification.
is(q1('SELECT ok, entries, blocks, first_bad_position, problem FROM brop.verify_ledger()'),
	"t|$n|$blocks||", 'verify_ledger is ok with every entry and block');
is(q1(q{SELECT count(*) FROM tap.reader WHERE problem IS NOT NULL}), '0',
	'verification during the run never failed')
  or diag(q1('SELECT problem FROM tap.reader WHERE problem IS NOT NULL LIMIT 5'));
cmp_ok(q1('SELECT max(runs) FROM tap.reader'), '>', 0, 'the reader verified while blocks were made');

# 5. Chains: one line each, as long as the successful appends.
my $appends = $PER_CLIENT * @chainers;
is(q1('SELECT count(*) FROM tap.append'), $appends, "$appends appends succeeded");
is(q1('SELECT count(*) FROM brop.entry WHERE chain_key IS NOT NULL'), $appends,
	'refused appends left no entry');
my $retries = q1('SELECT sum(attempts - 1) FROM tap.append');
cmp_ok($retries, '>', 0, "appends raced and were refused, then retried ($retries refusals)");
for my $c (0 .. $CHAINS - 1)
{
	my $key = "object-$c";
	my $count = q1("SELECT count(*) FROM tap.append WHERE chain_key = '$key'");
	is(q1("SELECT ok, entries, problem FROM brop.verify_chain('$key')"), "t|$count|",
		"chain $key verifies with its $count appends");
	is(q1(qq{SELECT h.length, h.head = e.digest, h.entry = e.id FROM brop.chain_head h,
	          (SELECT * FROM brop.entry WHERE chain_key = '$key' ORDER BY id DESC LIMIT 1) e
	          WHERE h.chain_key = '$key'}),
		"$count|t|t", "chain $key: head and length are those of its last entry");
}
is(q1(q{SELECT count(*) FROM (SELECT chain_key, prev_digest FROM brop.entry WHERE chain_key IS NOT NULL
                                GROUP BY 1, 2 HAVING count(*) > 1) s}),
	'0', 'no two entries of a chain share a prev_digest (no fork), and each chain has one first entry');
is(q1(q{SELECT count(*) FROM brop.entry e WHERE e.chain_key IS NOT NULL AND e.prev_digest IS NOT NULL
          AND (SELECT count(*) FROM brop.entry p
                WHERE p.chain_key = e.chain_key AND p.digest = e.prev_digest AND p.id < e.id) <> 1}),
	'0', "every chain entry's prev_digest is the digest of exactly one earlier entry of its chain");
is(q1(q{SELECT count(*) FROM tap.append a LEFT JOIN brop.entry e ON e.id = a.entry
         WHERE e.id IS NULL OR e.chain_key <> a.chain_key OR e.digest <> a.digest
            OR e.prev_digest IS DISTINCT FROM a.prev
            OR e.nonce <> format('c%s-%s', a.client, a.i)}),
	'0', 'each successful append is stored as submitted, on the head its client read');

# 6. Idempotent nonces.
is(q1(q{SELECT count(*) FROM brop.entry WHERE org = brop.key_did('dup')}), $PER_CLIENT,
	'the two dup clients made one entry per nonce');
is(q1('SELECT count(*) FROM tap.dup'), 2 * ($PER_CLIENT + int($PER_CLIENT / 5)), 'every dup submission returned');
is(q1(q{SELECT count(*) FROM (SELECT nonce FROM tap.dup GROUP BY nonce HAVING count(DISTINCT entry) <> 1) s}),
	'0', 'every submission of a nonce returned the same entry id');
is(q1(q{SELECT count(*) FROM tap.dup d JOIN brop.entry e ON e.id = d.entry
         WHERE e.nonce <> d.nonce OR e.org <> brop.key_did('dup')}), '0',
	'and that entry has the nonce');
is(q1('SELECT count(*) FROM tap.conflict'), 2 * int($PER_CLIENT / 7),
	'a nonce sent again with other content was refused every time');

# 7. Expiry.
my $k0 = q1(q{SELECT count(*) FROM brop.entry WHERE header->>'k' = '0'});
cmp_ok($k0, '>', 0, "entries that expire at the current block were submitted ($k0)");
is(q1(q{SELECT count(*) FROM brop.entry e JOIN brop.entry_expired x ON x.entry = e.id
         WHERE e.header->>'k' = '0'}), $k0, 'an entry whose expiry block is already sealed always expires');
is(q1(q{SELECT count(*) FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry
         WHERE e.expires_block IS NOT NULL AND l.block > e.expires_block}),
	'0', 'no entry is sealed in a block after its expiry block');
is(q1(q{SELECT count(*) FROM brop.entry_expired x JOIN brop.entry e ON e.id = x.entry
         WHERE e.expires_block IS NULL OR x.after_block < e.expires_block
            OR x.after_block > (SELECT max(number) FROM brop.block)}),
	'0', 'only entries whose expiry block passed were expired');
note('entries that expired: ' . $expired . ', of ' .
	q1('SELECT count(*) FROM brop.entry WHERE expires_block IS NOT NULL') . ' with an expiry block');

# 8. Proofs: a sample of entries against the latest root and their own block,
# consistency between consecutive blocks and from each block to the latest.
my ($sample, $incl_latest, $incl_own, $wrong_leaf) = split /\|/, q1(q{
	WITH latest AS (SELECT * FROM brop.block ORDER BY number DESC LIMIT 1),
	     s AS (SELECT l.*, e.digest FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry
	            WHERE l.position IN (0, (SELECT tree_size - 1 FROM latest))
	               OR random() < 60.0 / (SELECT tree_size FROM latest)),
	     o AS (SELECT * FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry WHERE l.position = 0)
	SELECT count(*),
	       count(*) FILTER (WHERE brop.verify_inclusion(brop.inclusion_proof(s.entry), s.digest, latest.root)),
	       count(*) FILTER (WHERE brop.verify_inclusion(brop.inclusion_proof(s.entry, b.tree_size), s.digest, b.root)),
	       count(*) FILTER (WHERE s.position <> 0
	                          AND brop.verify_inclusion(brop.inclusion_proof(s.entry), o.digest, latest.root))
	  FROM s JOIN brop.block b ON b.number = s.block, latest, o});
cmp_ok($sample, '>=', 2, "a sample of $sample sealed entries");
is($incl_latest, $sample, 'their inclusion proofs verify against the latest block');
is($incl_own, $sample, 'and against the block that sealed them');
is($wrong_leaf, '0', 'no proof verifies another leaf');
my ($pairs, $cons, $to_latest, $swapped) = split /\|/, q1(q{
	WITH latest AS (SELECT * FROM brop.block ORDER BY number DESC LIMIT 1)
	SELECT count(*),
	       count(*) FILTER (WHERE brop.verify_consistency(brop.consistency_proof(p.tree_size, b.tree_size), p.root, b.root)),
	       count(*) FILTER (WHERE brop.verify_consistency(brop.consistency_proof(p.tree_size), p.root, latest.root)),
	       count(*) FILTER (WHERE brop.verify_consistency(brop.consistency_proof(p.tree_size, b.tree_size), b.root, p.root))
	  FROM brop.block b JOIN brop.block p ON p.number = b.number - 1, latest});
is($pairs, $blocks - 1, 'every pair of consecutive blocks');
is($cons, $pairs, 'has a consistency proof that verifies');
is($to_latest, $pairs, 'and every block is consistent with the latest one');
is($swapped, '0', 'no consistency proof verifies with the roots swapped');

# 9. The listener heard one notification per block, naming its number and size.
$listener->{in} .= "SELECT 'listener done';\n\\q\n";
finish($listener->{h});
my %heard;
$heard{"$1 $2"}++
  while $listener->{out} =~ /Asynchronous notification "brop_block" with payload "(\d+) (\d+)"/g;
my @blocks = split /\n/, q1(q{SELECT number || ' ' || tree_size FROM brop.block ORDER BY number});
is_deeply([ sort keys %heard ], [ sort @blocks ], 'LISTEN brop_block heard "NUMBER TREE_SIZE" of every block');
is((grep { $_ != 1 } values %heard), 0, 'once each');

# 10. The server logged no error (a refused append or nonce is caught by its
# client; anything else, in a client, a sealer or the worker, is a failure).
my $log = slurp_file($node->logfile, $log_start);
my @bad = grep { /\b(ERROR|FATAL|PANIC):|terminated by signal|deadlock/ } split /\n/, $log;
is(scalar @bad, 0, 'the server log has no error') or diag(join("\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]));

$node->stop;
done_testing();
