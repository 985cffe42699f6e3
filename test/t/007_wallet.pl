# The holder's wallet against a real ledger node: brop wallet keygen, list,
# open (unseal, issuer's signatures, inclusion proof), export (a bundle),
# present (only the chosen claims, bound to a verifier's nonce and
# audience), the holder's signed requests; offline verification of bundles
# and presentations with brop verify; tampered and misdirected material
# refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use MIME::Base64 ();

my $dir  = PostgreSQL::Test::Utils::tempdir;

my $node = brop_node('wallet');
$node->start;
my $conn = $node->connstr('postgres');
$node->safe_psql('postgres', q{
	CREATE EXTENSION brop;
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'uni');
	SELECT brop.configure_ledger('wallet.example/log', 'node');
	SELECT brop.add_organization(brop.key_did('uni'), 'University', 'cross_issuer', '{higher_education}');
});
my $ledger = $node->safe_psql('postgres', 'SELECT node_did FROM brop.ledger_config');

# keys: made by the wallet, mode 0600, never on the server
my ($rc, $alice, $err) = brop_cli('wallet', 'keygen', '--key', "$dir/alice.jwk");
is($rc, 0, 'wallet keygen');
chomp $alice;
like($alice, qr/^did:key:z6Mk/, 'an Ed25519 did:key');
is((stat "$dir/alice.jwk")[2] & 07777, 0600, 'the key file is private');
my $bob;
($rc, $bob) = brop_cli('wallet', 'keygen', '--key', "$dir/bob.jwk");
chomp $bob;

my $serial = $node->safe_psql('postgres', qq{
	SELECT serial FROM brop.issue_credential('uni', '$alice', 'higher_education',
	  '{"degree": "MSc Physics", "final_grade": "A", "year": 2026}')});

($rc, my $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 3, 'open before the entry is sealed: refused');
like($err, qr/not sealed in a block yet/, 'and says why');
$node->safe_psql('postgres', 'SELECT brop.seal()');

($rc, $out) = brop_cli('wallet', 'list', '--key', "$dir/alice.jwk", '--ledger', $conn);
is($rc, 0, 'wallet list');
like($out, qr/^holder \Q$alice\E: 1 credential\n\Q$serial\E  v1  higher_education  sd-jwt  did:key:\S+  profile 2  active  sealed\n$/,
	'lists the credential');

($rc, $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial,
	'--out', "$dir/degree.sd-jwt");
is($rc, 0, 'wallet open');
like($err, qr/envelope: sealed to \Q$alice\E by the issuer: opened\n/, 'the envelope opens with the key');
like($err, qr/credential: sd-jwt, issuer did:key:\S+: signature valid\n/, "the issuer's signature verifies");
like($err, qr/entry: kind credential by the issuer, serial \Q$serial\E, payload digest [0-9a-f]{64}: matches\n/,
	'the entry is the credential\'s');
like($err, qr/inclusion: entry at position \d+ of \d+: proof valid\nstatus: .*not checked offline.*\nvalid\n$/,
	'and is included in the signed checkpoint');
like(read_file("$dir/degree.sd-jwt"), qr/^[\w-]+\.[\w-]+\.[\w-]+~([\w-]+~){3}$/, 'the SD-JWT with its three disclosures');

# someone else's wallet has nothing to open; a re-sealed credential names another holder
($rc, $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/bob.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 3, "bob cannot open alice's credential");
like($err, qr/no such credential of this holder/, 'not his');
my $other = $node->safe_psql('postgres', qq{
	SELECT serial FROM brop.issue_credential('uni', '$bob', 'higher_education', '{"degree": "BSc"}')});
$node->safe_psql('postgres', 'SELECT brop.seal()');
# a superuser re-seals alice's credential into bob's row
$node->safe_psql('postgres', qq{
	CREATE TABLE kept_envelope AS SELECT serial, envelope FROM brop.credential WHERE serial = '$other';
	UPDATE brop.credential SET envelope = brop.seal_envelope('uni', '$bob',
	    convert_to(\$\$@{[ read_file("$dir/degree.sd-jwt") ]}\$\$, 'UTF8'))
	  WHERE serial = '$other'});
($rc, $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/bob.jwk", '--ledger', $conn, '--serial', $other);
is($rc, 1, 'a credential re-sealed for another holder is refused');
like($err, qr/invalid: the credential names another holder \(\Q$alice\E\)/, 'it names alice');
($rc, $out, $err) = brop_cli('wallet', 'present', '--key', "$dir/bob.jwk", '--in', "$dir/degree.sd-jwt",
	'--reveal', 'final_grade', '--nonce', 'n', '--audience', 'a');
is($rc, 1, 'and bob cannot present it');
like($err, qr/the key is not the credential's holder key/, 'not his key');
like($node->safe_psql('postgres', 'SELECT problem FROM brop.verify_ledger()'),
	qr/^brop.credential row \Q$other\E has an envelope that is not the one its entry \d+ states$/,
	'verify_ledger names the re-sealed row');
$node->safe_psql('postgres', q{
	UPDATE brop.credential c SET envelope = k.envelope FROM kept_envelope k WHERE c.serial = k.serial;
	DROP TABLE kept_envelope});

# export: a bundle anyone verifies offline against the ledger's key
($rc, $out, $err) = brop_cli('wallet', 'export', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial,
	'--out', "$dir/degree.json");
is($rc, 0, 'wallet export');
my $bundle = read_file("$dir/degree.json");
like($bundle, qr/"format": "brop-credential-bundle-v1"/, 'a versioned bundle');
($rc, $out) = brop_cli('verify', '--credential', "$dir/degree.json", '--did', $ledger);
is($rc, 0, 'the bundle verifies offline');
like($out, qr/claims: \{"degree":"MSc Physics","final_grade":"A","year":2026\}\n/, 'with every claim');
($rc, $out) = brop_cli('verify', '--credential', "$dir/degree.json", '--did', $bob);
is($rc, 1, 'not against another key than the ledger\'s');
(my $bad = $bundle) =~ s/\\"payload_digest\\":\\"(.)/'\\"payload_digest\\":\\"' . ($1 eq 'a' ? 'b' : 'a')/e;
write_file("$dir/bad.json", $bad);
($rc, $out) = brop_cli('verify', '--credential', "$dir/bad.json", '--did', $ledger);
is($rc, 1, 'an entry with another digest is refused');
like($out, qr/invalid: the bundle's entry is not this credential's/, 'and named');

# present only the final grade, bound to the verifier's nonce and audience
($rc, $out, $err) = brop_cli('wallet', 'present', '--key', "$dir/alice.jwk", '--in', "$dir/degree.json",
	'--reveal', 'final_grade', '--nonce', 'job-4711', '--audience', 'https://employer.example',
	'--out', "$dir/grade.json");
is($rc, 0, 'wallet present');
($rc, $out) = brop_cli('verify', '--credential', "$dir/grade.json", '--did', $ledger,
	'--nonce', 'job-4711', '--audience', 'https://employer.example');
is($rc, 0, 'the presentation verifies offline');
like($out, qr/key binding: nonce and audience match.*\nrevealed: \["final_grade"\]\nclaims: \{"final_grade":"A"\}\n/,
	'only the final grade is revealed');
($rc, $out) = brop_cli('verify', '--credential', "$dir/grade.json", '--did', $ledger,
	'--nonce', 'job-4712', '--audience', 'https://employer.example');
is($rc, 1, 'a presentation replayed with another nonce is refused');
like($out, qr/invalid: the key binding JWT's nonce is not the verifier's/, 'and named');

# the validity period, against the verifier's clock
my ($expired, $lasting) = split /\n/, $node->safe_psql('postgres', qq{
	SELECT serial FROM brop.issue_credential('uni', '$alice', 'higher_education', '{"course": "First aid"}',
	                                         valid_until => '2020-01-01 00:00:00+00')
	UNION ALL
	SELECT serial FROM brop.issue_credential('uni', '$alice', 'higher_education', '{"course": "Diving"}', 2, 'vc',
	                                         '2100-01-01 00:00:00+00')});
$node->safe_psql('postgres', 'SELECT brop.seal()');
for my $c ([$expired, 'expired'], [$lasting, 'lasting'])
{
	($rc, $out, $err) = brop_cli('wallet', 'export', '--key', "$dir/alice.jwk", '--ledger', $conn,
		'--serial', $c->[0], '--out', "$dir/$c->[1].json");
	is($rc, 0, "wallet export of the $c->[1] credential");
}
like($err, qr/validity: until 2100-01-01T00:00:00Z\n/, 'the holder sees until when');
($rc, $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $expired);
is($rc, 0, 'the holder still opens an expired credential');
like($err, qr/validity: the credential expired at 2020-01-01T00:00:00Z \(a verifier refuses it\)\n/, 'told it expired');
($rc, $out) = brop_cli('verify', '--credential', "$dir/expired.json", '--did', $ledger);
is($rc, 1, 'an expired SD-JWT is refused offline');
like($out, qr/invalid: the credential expired at 2020-01-01T00:00:00Z\n/, 'at its exp');
($rc, $out) = brop_cli('verify', '--credential', "$dir/lasting.json", '--did', $ledger);
is($rc, 0, 'a VC valid until 2100 verifies offline');
like($out, qr/validity: until 2100-01-01T00:00:00Z\n/, 'and says until when');

# a key binding made long ago: refused offline, as on the node
$node->safe_psql('postgres', read_file("$ENV{BROP_TOP}/test/bench/credential_present.sql")
	. "SELECT brop.create_key('ed25519', 'carol');");
write_file("$dir/old.sd-jwt", $node->safe_psql('postgres', q{
	SELECT present_with_keyring(credential, 'carol', '{degree}', 'n-old', 'https://old.example', 1700000000)
	  FROM brop.issue_credential('uni', brop.key_did('carol'), 'higher_education', '{"degree": "BA"}')}));
($rc, $out) = brop_cli('verify', '--credential', "$dir/old.sd-jwt", '--nonce', 'n-old', '--audience', 'https://old.example');
is($rc, 1, 'a key binding made in 2023 is refused offline');
like($out, qr/invalid: the key binding JWT was not made within 5 minutes of now \(iat 1700000000\)\n/, 'and named');

my ($presentation) = $node->safe_psql('postgres',
	"SELECT \$\$" . read_file("$dir/grade.json") . "\$\$::jsonb->>'presentation'");
my $verdict = $node->safe_psql('postgres', qq{
	SELECT valid, claims, reasons FROM brop.verify_presentation(\$\$$presentation\$\$, 'job-4711', 'https://employer.example')});
is($verdict, 't|{"final_grade": "A"}|{}', 'the ledger node verifies the same presentation');

# the holder's requests: deactivate, reactivate, destroy
($rc, $out) = brop_cli('wallet', 'deactivate', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 0, 'wallet deactivate');
like($out, qr/^deactivate: \Q$serial\E, status active, deactivated, entry \d+\n$/, 'reports the entry');
$verdict = $node->safe_psql('postgres', qq{
	SELECT valid, reasons FROM brop.verify_presentation(\$\$$presentation\$\$, 'job-4711', 'https://employer.example')});
is($verdict, 'f|{"the holder deactivated the credential"}', 'a deactivated credential does not verify');
($rc, $out, $err) = brop_cli('wallet', 'reactivate', '--key', "$dir/bob.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 1, "bob cannot change alice's credential");
like($err, qr/entry signature does not verify/, 'his signature is not hers');
($rc, $out) = brop_cli('wallet', 'reactivate', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 0, 'wallet reactivate');
($rc, $out) = brop_cli('wallet', 'destroy', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 0, 'wallet destroy');
like($out, qr/envelopes destroyed/, 'the envelopes are erased');
is($node->safe_psql('postgres', "SELECT envelope IS NULL FROM brop.credential WHERE serial = '$serial'"), 't',
	'nothing of the envelope is left');
($rc, $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial);
is($rc, 3, 'a destroyed credential cannot be opened from the ledger');
$node->safe_psql('postgres', 'SELECT brop.seal()');
($rc, $out, $err) = brop_cli('wallet', 'export', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial,
	'--credential', "$dir/degree.sd-jwt", '--out', "$dir/kept.json");
is($rc, 0, 'the holder\'s own copy still exports with a fresh proof');
is($node->safe_psql('postgres', 'SELECT ok FROM brop.verify_ledger()'), 't', 'and the ledger still verifies');
is($node->safe_psql('postgres', "SELECT count(*) FROM brop.verification_log WHERE nonce = 'job-4711'"), '2',
	'both verifications are in the log');

# losing the key: the envelope sealed to it cannot be opened with another key
my $gone = $node->safe_psql('postgres', qq{
	SELECT serial FROM brop.issue_credential('uni', '$alice', 'higher_education', '{"degree": "PhD"}', 3)});
$node->safe_psql('postgres', 'SELECT brop.seal()');
($rc, $out, $err) = brop_cli('wallet', 'keygen', '--key', "$dir/alice.jwk");
is($rc, 4, 'keygen refuses to overwrite a key file');
unlink "$dir/alice.jwk";
brop_cli('wallet', 'keygen', '--key', "$dir/alice.jwk");
($rc, $out, $err) = brop_cli('wallet', 'open', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $gone);
is($rc, 3, 'a new key is another holder: nothing to open');

# holders with EC keys: brop issues them profile 1 SD-JWTs (an envelope needs
# an Ed25519 holder); their wallet exports the text, presents it with an
# ES256 or ES256K key binding, and signs their requests
for my $c ([ 'p256', 'ES256' ], [ 'secp256k1', 'ES256K' ])
{
	my ($alg, $jws) = @$c;
	my $key = "$dir/$alg.jwk";
	($rc, my $did) = brop_cli('keygen', '--out', $key, '--alg', $alg);
	chomp $did;
	my ($s, $text) = split /\|/, $node->safe_psql('postgres', qq{
		SELECT serial, credential FROM brop.issue_credential('uni', '$did', 'higher_education',
		  '{"degree": "MSc", "final_grade": "B"}', 1)});
	$node->safe_psql('postgres', 'SELECT brop.seal()');
	write_file("$dir/$alg.sd-jwt", $text);
	($rc, $out) = brop_cli('wallet', 'list', '--key', $key, '--ledger', $conn);
	like($out, qr/^holder \Q$did\E: 1 credential\n\Q$s\E .* profile 1  active  not stored\n$/, "$alg holder: list");
	($rc, $out, $err) = brop_cli('wallet', 'export', '--key', $key, '--ledger', $conn, '--serial', $s,
		'--credential', "$dir/$alg.sd-jwt", '--out', "$dir/$alg.json");
	is($rc, 0, "$alg holder: export with --credential");
	($rc, $out, $err) = brop_cli('wallet', 'present', '--key', $key, '--in', "$dir/$alg.json",
		'--reveal', 'final_grade', '--nonce', "n-$alg", '--audience', 'https://employer.example',
		'--out', "$dir/$alg-grade.json");
	is($rc, 0, "$alg holder: present") or diag($err);
	my ($p) = $node->safe_psql('postgres',
		"SELECT \$\$" . read_file("$dir/$alg-grade.json") . "\$\$::jsonb->>'presentation'");
	my ($kb) = (split /~/, $p)[-1];
	like(MIME::Base64::decode_base64url((split /\./, $kb)[0]), qr/"alg":"\Q$jws\E"/, "$alg holder: an $jws key binding");
	($rc, $out) = brop_cli('verify', '--credential', "$dir/$alg-grade.json", '--did', $ledger,
		'--nonce', "n-$alg", '--audience', 'https://employer.example');
	is($rc, 0, "$alg holder: the presentation verifies offline");
	like($out, qr/claims: \{"final_grade":"B"\}\n/, "$alg holder: only the grade");
	is($node->safe_psql('postgres', qq{
		SELECT valid, claims, reasons FROM brop.verify_presentation(\$\$$p\$\$, 'n-$alg', 'https://employer.example')}),
		't|{"final_grade": "B"}|{}', "$alg holder: and on the node");
	($rc, $out, $err) = brop_cli('wallet', 'deactivate', '--key', $key, '--ledger', $conn, '--serial', $s);
	is($rc, 0, "$alg holder: a signed request") or diag($err);
	($rc, $out, $err) = brop_cli('wallet', 'open', '--key', $key, '--ledger', $conn, '--serial', $s);
	like($err, qr/keeps no envelope/, "$alg holder: no envelope to open");
}

$node->stop;
done_testing();
