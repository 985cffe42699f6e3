# The keyring survives pg_dump and restore (keys, grants, the id sequence),
# and brop.jcs gives the same canonical text in UTF-8, LATIN1 and SQL_ASCII
# databases.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;

my $dir  = PostgreSQL::Test::Utils::tempdir;
my $node = brop_node('dump');
$node->start;

# 1. dump and restore
$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', q{
	CREATE EXTENSION brop;
	CREATE ROLE dump_signer;
	SELECT brop.create_key('ed25519', 'k-ed');
	SELECT brop.create_key('secp256k1', 'k-k1');
	SELECT brop.grant_key('k-ed', 'dump_signer');
	SELECT brop.configure_ledger('dump.example/ledger', 'k-ed');
	SELECT count(brop.submit_as('k-k1', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g,
	                            chain_key => 'lot', prev_digest => NULL)) FROM generate_series(1, 1) g;
	SELECT count(brop.submit_as('k-k1', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
	  FROM generate_series(2, 40) g;
	SELECT brop.seal();
	SELECT brop.submit_as('k-k1', 'evidence', brop.sha256(convert_to('pending', 'UTF8')), 'n-pending');
});
my $did = $node->safe_psql('src', "SELECT brop.key_did('k-ed')");
$node->command_ok(['pg_dump', '-d', $node->connstr('src'), '-f', "$dir/src.sql"], 'pg_dump of a database with a keyring');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->command_ok(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('dst'), '-f', "$dir/src.sql"],
	'restore into another database');
is($node->safe_psql('dst', "SELECT brop.key_did('k-ed')"), $did, 'restored key has the same did');
is($node->safe_psql('dst', "SELECT brop.verify('$did', 'after restore', brop.sign('k-ed', 'after restore'))"),
	't', 'restored key signs');
is($node->safe_psql('dst', "SELECT grantees FROM brop.keys WHERE label = 'k-ed'"), '{dump_signer}',
	'grants are restored');
is($node->safe_psql('dst', "SELECT brop.did_alg(brop.create_key('p256', 'k-new'))"), 'p256',
	'new keys can be made after a restore (the id sequence came along)');
is($node->safe_psql('dst', 'SELECT count(*) FROM brop.keys'), '3', 'three keys');
is($node->safe_psql('dst', 'SELECT ok, entries, blocks FROM brop.verify_ledger()'), 't|40|1',
	'the restored ledger verifies');
is($node->safe_psql('dst', "SELECT id FROM brop.submit_as('k-k1', 'evidence', brop.sha256('after'::bytea), 'n-after')"),
	'42', 'entry ids continue after the restore');
# a restored copy seals only once adopted (test/t/012_restored_copy.pl); the adoption is entry 43
my ($rc, $out, $err) = $node->psql('dst', 'SELECT brop.seal()');
like($err, qr/ERROR:  this database is a copy of a ledger node and may not seal/, 'the restored copy does not seal');
is($node->safe_psql('dst', "SELECT entry FROM brop.adopt_copy('the dump restored into dst')"), '43', 'until adopted');
is($node->safe_psql('dst', 'SELECT tree_size, first_position FROM brop.seal()'), '43|40',
	'sealing continues the log, with the entry pending at the dump');
is($node->safe_psql('dst', 'SELECT ok, entries, blocks FROM brop.verify_ledger()'), 't|43|2',
	'and the ledger still verifies');
is($node->safe_psql('dst', "SELECT ok, entries FROM brop.verify_chain('lot')"), 't|1', 'chains are restored');

# a dropped role's grant is void and no longer listed
$node->safe_psql('dst', "SELECT brop.revoke_key('k-ed', 'dump_signer')");
$node->safe_psql('src', "SELECT brop.revoke_key('k-ed', 'dump_signer')");
$node->safe_psql('postgres', "DROP ROLE dump_signer");

# 2. canonical JSON in other database encodings (the client speaks UTF-8;
# SQL_ASCII stores the bytes as they come, which must then be UTF-8)
my $doc = '{"b":1,"a":"été","c":[1.50,2e21]}';
my $want = '{"a":"été","b":1,"c":[1.5,2e+21]}';
for my $enc (qw(UTF8 LATIN1 SQL_ASCII))
{
	my $db = "enc_" . lc($enc);
	my $client = $enc eq 'SQL_ASCII' ? 'SQL_ASCII' : 'UTF8';
	$node->safe_psql('postgres',
		"CREATE DATABASE $db TEMPLATE template0 ENCODING '$enc' LC_COLLATE 'C' LC_CTYPE 'C'");
	$node->safe_psql($db, 'CREATE EXTENSION brop');
	for my $type (qw(jsonb text))
	{
		my $got = $node->safe_psql($db,
			"SET client_encoding = '$client'; SELECT brop.jcs('$doc'::$type)");
		is($got, $want, "jcs($type) in a $enc database");
	}
	# text values of many lengths come back exact (no read past the input)
	is($node->safe_psql($db,
		"SELECT count(*) FROM generate_series(1, 200) n WHERE brop.jcs('[' || repeat('1,', n) || '1]') <> '[' || repeat('1,', n) || '1]'"),
		'0', "jcs(text) reads exactly its input in a $enc database");
}

$node->stop;
done_testing();
