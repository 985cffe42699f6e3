# A third party verifies one registered row from one file: the institution
# exports brop.disclosure() (document, salt, signed entry, inclusion proof,
# checkpoint), and `brop verify --disclosure` checks all of it offline;
# every part altered is refused with its own message.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use JSON::PP;

my $dir  = PostgreSQL::Test::Utils::tempdir;
my $json = JSON::PP->new->utf8->canonical;

my $node = brop_node('disclosure');
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'clinic'), brop.create_key('ed25519', 'node'),
	       brop.create_key('ed25519', 'impostor');
	SELECT brop.configure_ledger('disclosure.example/ledger', 'node');
	CREATE TABLE visits (id int PRIMARY KEY, patient text NOT NULL, at timestamptz, dose float8, note text);
	SELECT brop.register_table('visits', '{id}', '{id,patient,at,dose}', signing_key => 'clinic');
});
# written by a session in Shanghai: the document is made in UTC all the same
$node->safe_psql('postgres', q{
	SET TimeZone = 'Asia/Shanghai';
	SET DateStyle = 'SQL, DMY';
	INSERT INTO visits SELECT g, 'patient ' || g, '2026-10-01 17:00:00+08'::timestamptz + g * interval '1 hour', g / 10.0
	  FROM generate_series(1, 20) g;
	SELECT brop.seal();
});
my $ledger_did = $node->safe_psql('postgres', "SELECT brop.key_did('node')");
my $org_did    = $node->safe_psql('postgres', "SELECT brop.key_did('clinic')");
my $impostor   = $node->safe_psql('postgres', "SELECT brop.key_did('impostor')");

# the institution's one statement, under another zone again
my $bundle = $node->safe_psql('postgres',
	"SET TimeZone = 'America/Los_Angeles'; SELECT brop.disclosure('visits', '[\"7\"]')");
write_file("$dir/bundle.json", "$bundle\n");

my ($rc, $out, $err) = brop_cli('verify', '--disclosure', "$dir/bundle.json", '--did', $ledger_did);
is($rc, 0, 'the bundle verifies offline') or diag($out, $err);
like($out, qr{^entry: row of registration public\.visits, op insert, version 1, by \Q$org_did\E: signature valid
row: the document and salt make the entry's payload digest [0-9a-f]{64}
checkpoint: disclosure\.example/ledger, size 21: signature valid
inclusion: entry at position 7 of 21: proof valid
valid
$}, 'each step said');
my $b = $json->decode($bundle);
is($b->{document}{at}, '2026-10-01 16:00:00+00', 'the timestamptz in UTC, whatever the sessions\' zones');

($rc, $out) = brop_cli('verify', '--disclosure', "$dir/bundle.json", '--did', $ledger_did, '--org', $org_did);
is($rc, 0, 'and is by the organisation the verifier expects');
($rc, $out) = brop_cli_in("$bundle\n", 'verify', '--disclosure', '-', '--did', $ledger_did);
is($rc, 0, 'from standard input too');

# each part altered, with its message
sub refused
{
	my ($name, $edit, $want, $code, @more) = @_;
	my $copy = $json->decode($bundle);
	$edit->($copy);
	write_file("$dir/$name.json", $json->encode($copy));
	my ($rc, $out, $err) = brop_cli('verify', '--disclosure', "$dir/$name.json", '--did', $ledger_did, @more);
	is($rc, $code // 1, "$name: exit " . ($code // 1));
	like($out . $err, $want, "$name: message");
}
refused('document', sub { $_[0]{document}{patient} = 'patient 8' },
	qr/^(?:entry: .*\n)invalid: the document and salt do not make the entry's payload digest\n\z/);
refused('document-column', sub { delete $_[0]{document}{dose} },
	qr/invalid: the document and salt do not make the entry's payload digest\n\z/);
my $salt8 = $node->safe_psql('postgres', q{SELECT brop.encode(brop.row_salt('public.visits', '["8"]', 1), 'base64url')});
refused('salt', sub { $_[0]{salt} = $salt8 },
	qr/invalid: the document and salt do not make the entry's payload digest\n\z/);
refused('entry-signature', sub { $_[0]{entry} =~ s/"op":"insert"/"op":"update"/ or die },
	qr/^invalid: the entry is not signed by its organisation \Q$org_did\E\n\z/);
refused('entry-org', sub { 1 },
	qr/^invalid: the entry is by \Q$org_did\E, not by the organisation given \(\Q$impostor\E\)\n\z/, 1,
	'--org', $impostor);
refused('leaf', sub { $_[0]{entry} =~ s/"submitted_at":"(\d{4})/"submitted_at":"1999/ or die },
	qr/signature valid\nrow: .*\ncheckpoint: .*signature valid\ninvalid: the entry is not proven in the checkpoint's tree\n\z/);
refused('proof', sub { $_[0]{proof} =~ s/\[(.)/'[' . ($1 eq '0' ? '1' : '0')/e or die },
	qr/invalid: the entry is not proven in the checkpoint's tree\n\z/);
refused('proof-size', sub { $_[0]{proof} =~ s/, 21\)/, 22)/ or die },
	qr/invalid: the proof is for a tree of 22 leaves, the checkpoint has 21\n\z/);
refused('checkpoint', sub { $_[0]{checkpoint} =~ s/\n21\n/\n20\n/ or die },
	qr/invalid: the checkpoint is not signed by \Q$ledger_did\E under origin "disclosure\.example\/ledger"\n\z/);
refused('ledger-key', sub { 1 },
	qr/invalid: the checkpoint is not signed by \Q$impostor\E under origin "disclosure\.example\/ledger"\n\z/, 1,
	'--did', $impostor);

# malformed bundles are exit 3, a bad command line exit 2
refused('format', sub { $_[0]{format} = 'brop-row-disclosure-v2' },
	qr/^brop verify: ".*format\.json" is not a row disclosure bundle \(format "brop-row-disclosure-v1"\)\n\z/, 3);
refused('no-salt', sub { delete $_[0]{salt} }, qr/^(?:entry: .*\n)brop verify: the bundle has no "salt" string\n\z/, 3);
refused('short-salt', sub { $_[0]{salt} = 'AAAAAA' }, qr/a row salt is 32 bytes, not 3\n\z/, 3);
refused('document-number', sub { $_[0]{document}{id} = 7 },
	qr/a row document's values must be strings or null \(column "id"\)\n\z/, 3);
refused('entry-spaced', sub { $_[0]{entry} =~ s/,/, / },
	qr/^brop verify: the bundle's entry is not a leaf input \(RFC 8785 JSON\)\n\z/, 3);
write_file("$dir/garbage.json", "not json\n");
($rc, $out, $err) = brop_cli('verify', '--disclosure', "$dir/garbage.json", '--did', $ledger_did);
is($rc, 3, 'garbage is malformed input');
like($err, qr/is not a row disclosure bundle \(a JSON object\)/, 'and says so');
($rc) = brop_cli('verify', '--disclosure', "$dir/bundle.json");
is($rc, 2, 'without --did: a usage error');
($rc) = brop_cli('verify', '--disclosure', "$dir/no-such-file.json", '--did', $ledger_did);
is($rc, 4, 'an unreadable file is exit 4');

# the next version: a new bundle, while the old one stays valid with its checkpoint
$node->safe_psql('postgres', q{UPDATE visits SET dose = 9.5 WHERE id = 7; SELECT brop.seal();});
my $bundle2 = $node->safe_psql('postgres', q{SELECT brop.disclosure('visits', '["7"]')});
write_file("$dir/bundle2.json", $bundle2);
($rc, $out) = brop_cli('verify', '--disclosure', "$dir/bundle2.json", '--did', $ledger_did);
is($rc, 0, 'the updated row\'s bundle verifies');
like($out, qr/op update, version 2,.*\n.*\ncheckpoint: disclosure\.example\/ledger, size 22: /, 'as version 2 in the new block');
($rc) = brop_cli('verify', '--disclosure', "$dir/bundle.json", '--did', $ledger_did);
is($rc, 0, 'the first bundle still verifies');

# a row the table held when it was registered: op existing, version 1
$node->safe_psql('postgres', q{
	CREATE TABLE archive (id int PRIMARY KEY, patient text NOT NULL);
	INSERT INTO archive SELECT g, 'archived ' || g FROM generate_series(1, 5) g;
	SELECT brop.register_table('archive', '{id}', signing_key => 'clinic');
	SELECT brop.seal();
});
my $bundle3 = $node->safe_psql('postgres', q{SELECT brop.disclosure('archive', '["3"]')});
write_file("$dir/bundle3.json", $bundle3);
($rc, $out, $err) = brop_cli('verify', '--disclosure', "$dir/bundle3.json", '--did', $ledger_did, '--org', $org_did);
is($rc, 0, 'an existing row\'s bundle verifies') or diag($out, $err);
like($out, qr/^entry: row of registration public\.archive, op existing, version 1, by \Q$org_did\E: signature valid\n/,
	'as op existing, version 1');

$node->stop;
done_testing();
