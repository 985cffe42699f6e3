# Keyring keys in a PKCS#11 token (docs/security.md, "Keys in a PKCS#11
# token"): a SoftHSM2 token made by scripts/softhsm.sh as the server's user,
# the server started with SOFTHSM2_CONF in its environment. The node key,
# an organisation's key and a witness's key are the token's Ed25519 keys
# (brop.import_token_key): entries are submitted with the token's org key,
# blocks sealed with the token's node key, the checkpoint verifies offline
# (brop verify) and in SQL, brop.verify_ledger() is clean, the witness's
# token key cosigns and its cosignature verifies under a 1-of-1 policy; a
# P-256 token key signs; batches are signed. A backend keeps its keys open
# (it signs after the PIN file is gone, a new backend cannot). Refused, with
# their messages: an envelope sealed with a token key, a wrong PIN, a PIN
# file others can read, a URI with pin-value, a token key that is gone,
# a row whose URI names another key. The token key rows survive pg_dump and
# pg_restore and sign in the copy. The sealing worker seals and cosigns with
# the token's keys. The PIN is in no error report of the server log.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run qw(run);

my $top    = $ENV{BROP_TOP} or die "BROP_TOP is not set";
my $tool   = "$top/build/softhsm_tool";
my $module = '/usr/lib/softhsm/libsofthsm2.so';
my $tmp    = PostgreSQL::Test::Utils::tempdir;
my $dir    = "$tmp/token";
my $pin    = 'tap-pin-5e1c8a';

# 1. The token, as this (the server's) user, with a PIN found nowhere else;
# two more Ed25519 keys for the organisation and the witness.
my ($out, $err) = ('', '');
{
	local $ENV{BROP_SOFTHSM_PIN} = $pin;
	run([ "$top/scripts/softhsm.sh", $dir, 'brop-keys' ], '>', \$out, '2>', \$err);
}
is($? >> 8, 0, 'scripts/softhsm.sh exits 0') or diag($err);
my ($conf_line, $ed_uri, $p256_uri) = split /\n/, $out;
(my $conf = $conf_line) =~ s/^SOFTHSM2_CONF=//;
$ENV{SOFTHSM2_CONF} = $conf;    # the server started below has it
for my $key ([ 'org-key', '03' ], [ 'witness-key', '04' ])
{
	run([ $tool, 'keygen', $module, 'brop-keys', "$dir/pin", 'ed25519', @$key ], '2>', \$err);
	is($? >> 8, 0, "softhsm_tool makes $key->[0]") or diag($err);
}
sub uri_of { (my $u = $ed_uri) =~ s/object=ed-key/object=$_[0]/; return $u; }

my $node = brop_node('tokenkeys');
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION brop');
sub q1 { return $node->safe_psql('postgres', $_[0]); }

# psql's error text of a statement that must fail
sub refused
{
	my ($sql, $db) = @_;
	my ($rc, $o, $e) = $node->psql($db // 'postgres', $sql);
	return $rc == 0 ? "(no error: $o)" : $e;
}

# 2. The keys, imported: their dids are the token's, as the core's tool reads them.
my %did;
for my $k ([ 'node', $ed_uri ], [ 'org', uri_of('org-key') ], [ 'witness', uri_of('witness-key') ],
	[ 'p256', $p256_uri ])
{
	my ($label, $uri) = @$k;
	$did{$label} = q1("SELECT brop.import_token_key('$label', '$uri')");
	my $o = '';
	run([ $tool, 'sign', $uri, 'x' ], '>', \$o);
	is($did{$label}, (split /\n/, $o)[0], "$label: imported with the token key's did");
}
is(q1(q{SELECT string_agg(label || ':' || alg || ':' || in_token, ' ' ORDER BY label) FROM brop.keys}),
	'node:ed25519:true org:ed25519:true p256:p256:true witness:ed25519:true', 'brop.keys shows them in a token');
is(q1(q{SELECT count(*) FROM brop.key WHERE token_uri LIKE 'pkcs11:%pin-source=file:%' AND secret_box IS NULL
        AND root_key_id IS NULL AND strpos(token_uri, 'pin-value') = 0}),
	'4', 'each row holds its URI with its pin-source, and no box');

# 3. A ledger whose node key and organisation key are in the token.
q1(q{SELECT brop.configure_ledger('tap.example/token', 'node')});
q1(q{SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
     FROM generate_series(1, 5) g});
is(q1('SELECT number, tree_size FROM brop.seal()'), '1|5', 'the token node key seals block 1');
q1(q{SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
     FROM generate_series(6, 8) g});
is(q1('SELECT number, tree_size FROM brop.seal()'), '2|8', 'and block 2');
is(q1(q{SELECT count(*) FROM brop.entry WHERE org = brop.key_did('org')}), '8', 'the entries are the token org key\'s');
is(q1('SELECT ok, entries, blocks, problem FROM brop.verify_ledger()'), 't|8|2|', 'brop.verify_ledger() is clean');

my $cp = q1('SELECT brop.checkpoint()');
write_file("$tmp/cp", "$cp\n");
my ($rc, $vout) = brop_cli('verify', '--did', $did{node}, '--checkpoint', "$tmp/cp");
is($rc, 0, 'the checkpoint verifies offline with the node key\'s did');
like($vout, qr/^checkpoint: tap\.example\/token, size 8: signature valid\nvalid\n$/, 'brop verify says so');
is(q1(qq{SELECT brop.verify_checkpoint(brop.checkpoint(), '$did{node}')}), 't', 'and in SQL');
($rc) = brop_cli('verify', '--did', $did{org}, '--checkpoint', "$tmp/cp");
is($rc, 1, 'not with another key');

# 4. The witness's key in the token cosigns; 1 of 1 under its policy.
like(q1(q{SELECT brop.witness_configure('w1.example', 'witness')}), qr/^w1\.example\+[0-9a-f]{8}\+/,
	'a witness with its key in the token');
q1(qq{SELECT brop.witness_watch('tap.example/token', '$did{node}')});
is(q1('SELECT brop.witness_step()'), '2', 'it verifies the ledger\'s two blocks and cosigns them');
my $vkey = q1(qq{SELECT brop.witness_vkey('w1.example', '$did{witness}')});
is(q1(qq{SELECT brop.verify_checkpoint(brop.checkpoint(NULL, true), '$did{node}', ARRAY['$vkey'], 1)}),
	't', 'the cosigned checkpoint meets the 1-of-1 policy');
is(q1(qq{SELECT brop.verify_checkpoint(brop.checkpoint(), '$did{node}', ARRAY['$vkey'], 1)}),
	'f', 'the checkpoint without its cosignature does not');

# 5. A P-256 token key signs, batches are signed, a note is signed.
is(q1(qq{SELECT brop.verify('$did{p256}', 'a message', brop.sign('p256', 'a message'))}), 't',
	'a P-256 token key signs with brop.sign, brop.verify verifies');
is(q1(qq{SELECT brop.verify('$did{p256}', 'another', brop.sign('p256', 'a message'))}), 'f',
	'not for another message');
is(q1(qq{SELECT bool_and(brop.verify('$did{org}', m[i], f[i]))
         FROM (SELECT ARRAY['one', 'two', 'three']::bytea[] AS m,
                      brop.sign_batch('org', ARRAY['one', 'two', 'three']::bytea[]) AS f) s,
              generate_series(1, 3) i}), 't', 'a batch signed by a token key verifies, form by form');
is(q1(qq{SELECT brop.verify('$did{p256}', 'two', (brop.sign_batch('p256', ARRAY['one', 'two']::bytea[]))[2])}),
	't', 'a P-256 batch too');
like(q1(q{SELECT brop.checkpoint_note('node', 'tap.example/token', 3, brop.sha256('r'::bytea))}),
	qr/^tap\.example\/token\n3\n[A-Za-z0-9+\/]{43}=\n\n\x{e2}\x{80}\x{94} tap\.example\/token [A-Za-z0-9+\/]{91}=\n$/,
	'brop.checkpoint_note with a token key: text, blank line, one signature line');
is(q1(qq{SELECT brop.verify_checkpoint(brop.checkpoint_note('node', 'tap.example/token', 3,
                                                            brop.sha256('r'::bytea)), '$did{node}')}),
	't', 'and it verifies');

# 6. A backend opens a token key once and keeps it: it signs after the PIN
# file is gone; a new backend cannot open the key.
my $kept = q1(qq{SELECT brop.verify('$did{org}', 'a', brop.sign('org', 'a'));
\\! mv $dir/pin $dir/pin.away
SELECT brop.verify('$did{org}', 'b', brop.sign('org', 'b'))});
rename "$dir/pin.away", "$dir/pin" unless -e "$dir/pin";
is($kept, "t\nt", 'a backend signs again with the key it opened, the PIN file gone');
rename "$dir/pin", "$dir/pin.away";
like(refused(q{SELECT brop.sign('org', 'c')}),
	qr/ERROR:  invalid token key "org": cannot use the PIN file\nDETAIL:  The PIN file must be a regular file with permissions u=rw \(0600\) or less\./,
	'a new backend needs the PIN file');
rename "$dir/pin.away", "$dir/pin";

# 7. Refusals.
like(refused(qq{SELECT brop.seal_envelope('org', '$did{org}', 'payload')}),
	qr/ERROR:  key "org" is in a PKCS#11 token and cannot seal envelopes\nDETAIL:  Envelopes are made with the key's secret, and a key in a token never leaves it\.\nHINT:  Use a key made by brop.create_key\(\) for this\./,
	'an envelope is not sealed with a token key');
like(refused(qq{SELECT brop.sign_credential('org', '$did{org}', 'vc', '{}', '{}')}),
	qr/ERROR:  key "org" is in a PKCS#11 token and cannot sign credentials/, 'nor a credential signed');

open my $fh, '>', "$dir/wrong-pin" or die;
print $fh "0000\n";
close $fh;
chmod 0600, "$dir/wrong-pin";
(my $wrong = uri_of('org-key')) =~ s{pin-source=file:[^&]*}{pin-source=file:$dir/wrong-pin};
like(refused(qq{SELECT brop.import_token_key('wrong-pin', '$wrong')}),
	qr/ERROR:  invalid token key "wrong-pin": the token refused the PIN\nDETAIL:  The token refused the PIN, or the PIN is locked\./,
	'a wrong PIN is refused');
chmod 0640, "$dir/wrong-pin";
like(refused(qq{SELECT brop.import_token_key('wrong-pin', '$wrong')}),
	qr/ERROR:  invalid token key "wrong-pin": cannot use the PIN file/, 'a PIN file others can read is refused');
(my $with_pin = uri_of('org-key')) =~ s{pin-source=file:[^&]*}{pin-value=$pin};
like(refused(qq{SELECT brop.import_token_key('pin-value', '$with_pin')}),
	qr/ERROR:  a token key's URI may not hold its PIN\nDETAIL:  The URI is stored in brop.key, and a pin-value would be stored with it\.\nHINT:  Write the PIN to a file only the server's user may read, and name it with pin-source=file:PATH\./,
	'a URI with pin-value is refused');
(my $nokey = uri_of('no-such-key'));
like(refused(qq{SELECT brop.import_token_key('no-key', '$nokey')}),
	qr/ERROR:  invalid token key "no-key": no token or key matches\nDETAIL:  No token or key matches the URI\./,
	'a key the token does not have is refused');
is(q1(q{SELECT count(*) FROM brop.key WHERE label IN ('wrong-pin', 'pin-value', 'no-key')}), '0',
	'none of them was recorded');

# a token that is gone: its key was imported and signed, then the token deleted
run([ 'softhsm2-util', '--init-token', '--free', '--label', 'brop-gone', '--pin', $pin, '--so-pin', '5678' ],
	'>', \$out, '2>', \$err);
is($? >> 8, 0, 'a second token') or diag($err);
run([ $tool, 'keygen', $module, 'brop-gone', "$dir/pin", 'ed25519', 'gone-key', '05' ], '2>', \$err);
(my $gone = uri_of('gone-key')) =~ s/token=brop-keys/token=brop-gone/;
my $gone_did = q1(qq{SELECT brop.import_token_key('gone', '$gone')});
is(q1(qq{SELECT brop.verify('$gone_did', 'm', brop.sign('gone', 'm'))}), 't', 'its key signs');
run([ 'softhsm2-util', '--delete-token', '--token', 'brop-gone' ], '>', \$out, '2>', \$err);
is($? >> 8, 0, 'the token is deleted') or diag($err);
like(refused(q{SELECT brop.sign('gone', 'm')}),
	qr/ERROR:  invalid token key "gone": no token or key matches\nDETAIL:  No token or key matches the URI\./,
	'a token key that is gone is refused');

# a row whose URI was changed to name another key of the token
q1(qq{UPDATE brop.key SET token_uri = '${\uri_of('org-key')}' WHERE label = 'witness'});
like(refused(q{SELECT brop.sign('witness', 'm')}),
	qr/ERROR:  key "witness" in its token is not the key the keyring recorded\nDETAIL:  The token's key that the stored URI names has another public key than brop.key.did\./,
	'a URI that names another key is caught by its public key');
q1(qq{UPDATE brop.key SET token_uri = '${\uri_of('witness-key')}' WHERE label = 'witness'});

# 8. pg_dump and pg_restore keep the token keys; the copy signs with them.
my $dump = "$tmp/tokenkeys.dump";
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('postgres') ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE copy');
$node->command_ok([ 'pg_restore', '--single-transaction', '-d', $node->connstr('copy'), $dump ], 'pg_restore');
is($node->safe_psql('copy', q{SELECT string_agg(label || ':' || (token_uri IS NOT NULL), ' ' ORDER BY label)
                               FROM brop.key}),
	'gone:true node:true org:true p256:true witness:true', 'the copy has the token key rows');
is($node->safe_psql('copy', q{SELECT token_uri FROM brop.key WHERE label = 'node'}), $ed_uri, 'with their URIs');
is($node->safe_psql('copy', qq{SELECT brop.verify('$did{org}', 'm', brop.sign('org', 'm'))}), 't',
	'the copy signs with the token key');

# 9. The sealing worker, a process of its own, seals with the token's node
# key and cosigns with the witness's.
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'brop'\nbrop.block_interval = '200ms'\n");
$node->restart;
q1(q{SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
     FROM generate_series(9, 11) g});
$cp = brop_sealed($node);
like($cp, qr/^tap\.example\/token\n11\n/, 'the sealing worker seals with the token node key');
write_file("$tmp/cp11", "$cp\n");
($rc) = brop_cli('verify', '--did', $did{node}, '--checkpoint', "$tmp/cp11");
is($rc, 0, 'its checkpoint verifies offline');
ok($node->poll_query_until('postgres', 'SELECT EXISTS (SELECT FROM brop.cosignature WHERE tree_size = 11)'),
	'the worker cosigns it with the witness\'s token key');
is(q1(qq{SELECT brop.verify_checkpoint(brop.checkpoint(11, true), '$did{node}', ARRAY['$vkey'], 1)}), 't',
	'under the 1-of-1 policy');
is(q1('SELECT ok, entries, blocks, problem FROM brop.verify_ledger()'), 't|11|3|', 'brop.verify_ledger() is clean');

# 10. The PIN is in no error report of the server log (the test cluster logs
# every statement as it comes, log_statement = all: that line has it).
$node->stop;
my $log = slurp_file($node->logfile);
my ($pid) = $log =~ /\[(\d+)\] [^\n]*ERROR:  a token key's URI may not hold its PIN\n/;
ok(defined $pid, 'the server log has the refusal');
unlike($log, qr/\[\Q${\($pid \/\/ 0)}\E\] [^\n]*STATEMENT:/, 'without the statement that held the PIN');
my @lines = grep { /\Q$pin\E/ } split /\n/, $log;
is(scalar(grep { !/LOG:  statement: SELECT brop\.import_token_key\('pin-value'/ } @lines), 0,
	'the PIN is on no other line');

done_testing();
