# A restored copy does not seal: a sealed node dumped with pg_dump and
# restored into a second database of its cluster, and into a second cluster
# whose sealing worker seals that database. Both refuse (brop.seal() and the
# worker, which logs why and backs off), brop.status says so, and
# brop.adopt_copy(reason) makes each seal, recorded in brop.node_identity
# and by an entry signed with the node key; verify_ledger is clean on all.
# The dump is complete: every table and sequence of the extension is in it.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;

my $conf = q{
shared_preload_libraries = 'brop'
brop.block_interval = '100ms'
};
my $a = brop_node('original', $conf);
$a->start;
$a->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('tap.example/copy', 'node');
	SELECT brop.submit_as('org', 'evidence', brop.sha256('1'::bytea), 'n-1');
	CREATE TABLE grade (id int PRIMARY KEY, grade text);
	SELECT brop.register_table('grade', '{id}', signing_key => 'org');
	INSERT INTO grade VALUES (1, 'A');
});
$a->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending')
  or die 'the original did not seal';
$a->safe_psql('postgres', q{INSERT INTO grade VALUES (2, 'B')});   # left in the capture queue or pending

my $sysid_a = $a->safe_psql('postgres', 'SELECT brop.system_identifier()');
my $dump = $a->basedir . '/original.dump';
$a->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $a->connstr('postgres') ], 'pg_dump of the sealed node');

# every table and sequence of the extension is dumped with its data
is($a->safe_psql('postgres', q{
	SELECT string_agg(c.relname, ', ' ORDER BY c.relname)
	FROM pg_class c, pg_extension x
	WHERE x.extname = 'brop' AND c.relnamespace = 'brop'::regnamespace AND c.relkind IN ('r', 'S')
	  AND c.oid <> ALL (x.extconfig)}), '',
	'pg_extension_config_dump covers every table and sequence of brop');

# 1. into a second database of the same cluster
$a->safe_psql('postgres', 'CREATE DATABASE copy');
$a->command_ok([ 'pg_restore', '--single-transaction', '-d', $a->connstr('copy'), $dump ], 'restored into database copy');

# the restore is complete: every table's rows and every sequence's position
my $snapshot = q{
	SELECT string_agg(c.relname || ' ' || CASE c.relkind WHEN 'S' THEN
	         (xpath('/row/last_value/text()', query_to_xml(format('SELECT last_value FROM brop.%I', c.relname), false, false, '')))[1]::text
	         ELSE (xpath('/row/h/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) AS h FROM brop.%I t', c.relname), false, false, '')))[1]::text END,
	       E'\n' ORDER BY c.relname)
	FROM pg_class c WHERE c.relnamespace = 'brop'::regnamespace AND c.relkind IN ('r', 'S') AND c.relname <> 'node_identity'};
is($a->safe_psql('copy', $snapshot), $a->safe_psql('postgres', $snapshot), 'the copy holds every row and sequence position of the original');

my ($rc, $out, $err) = $a->psql('copy', 'SELECT brop.seal()', extra_params => [ '-v', 'VERBOSITY=verbose' ]);
my $oid_a = $a->safe_psql('postgres', q{SELECT oid FROM pg_database WHERE datname = 'postgres'});
my $oid_copy = $a->safe_psql('postgres', q{SELECT oid FROM pg_database WHERE datname = 'copy'});
like($err, qr/^psql:<stdin>:1: ERROR:  55000: this database is a copy of a ledger node and may not seal
DETAIL:  The ledger was configured in database "postgres" \(OID $oid_a\) of the cluster with system identifier $sysid_a; this is database "copy" \(OID $oid_copy\) of the cluster with system identifier $sysid_a. Two copies sealing under one origin and node key would fork the log.
HINT:  Check that the database it was copied from no longer seals, then call brop.adopt_copy\(reason\).
/, 'brop.seal() in the copy refuses, naming both databases');
is($a->safe_psql('copy', q{SELECT state || ' ' || level FROM brop.status WHERE component = 'node'}),
	'refused_copy critical', 'brop.status shows the refused copy');
is($a->safe_psql('copy', q{SELECT how || ' ' || reason FROM brop.adopt_copy('moved to database copy for the test')}),
	'adopted moved to database copy for the test', 'adopt_copy');
is($a->safe_psql('copy', 'SELECT count(*) > 0 FROM brop.seal()'), 't', 'the adopted copy seals');
is($a->safe_psql('copy', q{SELECT e.kind || ' ' || brop.entry_status(e.id) FROM brop.node_identity i JOIN brop.entry e ON e.id = i.entry
	WHERE i.how = 'adopted'}), 'node_adopted sealed', 'its adoption is an entry on its ledger, sealed');

# 2. into a second cluster whose worker seals its database postgres
my $b = brop_node('restored', $conf);
$b->append_conf('postgresql.conf', sprintf("brop.root_key_file = '%s'\nbrop.salt_key_file = '%s'\n",
	$a->safe_psql('postgres', 'SHOW brop.root_key_file'), $a->safe_psql('postgres', 'SHOW brop.salt_key_file')));
$b->start;
my $from = -s $b->logfile;
$b->command_ok([ 'pg_restore', '--single-transaction', '-d', $b->connstr('postgres'), $dump ], 'restored into a second cluster');
my $sysid_b = $b->safe_psql('postgres', 'SELECT brop.system_identifier()');
isnt($sysid_b, $sysid_a, 'another system identifier');
$b->poll_query_until('postgres', q{SELECT state = 'failing' FROM brop.status WHERE component = 'sealer'})
  or die 'the worker did not fail';
my $oid_b = $b->safe_psql('postgres', q{SELECT oid FROM pg_database WHERE datname = 'postgres'});
like(substr(slurp_file($b->logfile), $from),
	qr/LOG:  brop sealer could not seal: this database is a copy of a ledger node and may not seal
.*DETAIL:  The ledger was configured in database "postgres" \(OID $oid_a\) of the cluster with system identifier $sysid_a; this is database "postgres" \(OID $oid_b\) of the cluster with system identifier $sysid_b. Two copies sealing under one origin and node key would fork the log.
.*HINT:  Check that the database it was copied from no longer seals, then call brop.adopt_copy\(reason\).
.*CONTEXT:  the next attempt is in 5 s/, 'the worker logs the refusal, with the hint, and backs off');
is($b->safe_psql('postgres', q{SELECT state || ' ' || level || ' ' || error FROM brop.status WHERE component = 'sealer'}),
	'failing critical this database is a copy of a ledger node and may not seal', q{brop.status shows the sealer's error});
is($b->safe_psql('postgres', q{SELECT count(*) FROM brop.status WHERE component = 'node' AND state = 'refused_copy'}),
	'1', 'and the refused copy');
my $blocks = $b->safe_psql('postgres', 'SELECT count(*) FROM brop.block');
$b->safe_psql('postgres', q{SELECT brop.adopt_copy('the original''s disk was lost'); SELECT pg_reload_conf()});
$b->poll_query_until('postgres', "SELECT count(*) > $blocks FROM brop.block")
  or die 'the adopted copy did not seal';
$b->poll_query_until('postgres', q{SELECT state = 'ok' FROM brop.status WHERE component = 'sealer'})
  or die 'the sealer is not ok';
is($b->safe_psql('postgres', q{SELECT error FROM brop.status WHERE component = 'sealer'}),
	'this database is a copy of a ledger node and may not seal', 'the last error stays in brop.status after the recovery');
is($b->safe_psql('postgres', q{SELECT string_agg(how || ' ' || database_name || ' ' || coalesce(reason, '-') || ' ' || (entry IS NOT NULL), '; ' ORDER BY id)
	FROM brop.node_identity}),
	q{configured postgres - false; adopted postgres the original's disk was lost true}, 'the adoption is recorded');
is($b->safe_psql('postgres', q{SELECT e.kind || ' ' || (e.org = c.node_did) || ' ' || (e.header->'was'->>'system_identifier')
	FROM brop.node_identity i JOIN brop.entry e ON e.id = i.entry, brop.ledger_config c WHERE i.how = 'adopted'}),
	"node_adopted true $sysid_a", 'signed by the node key, naming the identity it replaces');
$b->poll_query_until('postgres', q{SELECT count(*) = 0 FROM brop.pending}) or die 'pending left';

# the original goes on sealing; every ledger verifies
$a->safe_psql('postgres', q{SELECT brop.submit_as('org', 'evidence', brop.sha256('3'::bytea), 'n-3')});
$a->poll_query_until('postgres', 'SELECT count(*) = 0 FROM brop.pending') or die 'the original stopped sealing';
is($a->safe_psql('postgres', 'SELECT ok FROM brop.verify_ledger()'), 't', 'the original verifies');
is($a->safe_psql('copy', 'SELECT ok FROM brop.verify_ledger()'), 't', 'the adopted copy verifies');
is($b->safe_psql('postgres', 'SELECT ok FROM brop.verify_ledger()'), 't', 'the copy in the second cluster verifies');

$b->stop;
$a->stop;
done_testing();
