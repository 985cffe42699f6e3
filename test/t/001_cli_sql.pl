# Round trips between the brop CLI and the extension on a real server:
# keys made by the CLI verify in SQL, keyring signatures verify in the CLI,
# envelopes sealed in SQL open with the CLI (and only for their recipient),
# JCS agrees, and the CLI refuses bad key files with its documented codes.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;

my $dir  = PostgreSQL::Test::Utils::tempdir;

my $node = brop_node('cli');
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION brop');

# 1. Keys made by the CLI, for each algorithm, verify in SQL.
for my $alg (qw(ed25519 secp256k1 p256))
{
	my ($rc, $did, $err) = brop_cli_in('', 'keygen', '--alg', $alg, '--out', "$dir/$alg.jwk");
	is($rc, 0, "keygen $alg exits 0");
	chomp $did;
	like($did, qr/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/, "keygen $alg prints a did:key");
	is((stat("$dir/$alg.jwk"))[2] & 07777, 0600, "key file of $alg has mode 0600");
	my ($rc2, $did2) = brop_cli_in('', 'did', '--key', "$dir/$alg.jwk");
	chomp $did2;
	is($did2, $did, "brop did gives the same did for $alg");

	my ($src, $sig) = brop_cli_in('a message from the CLI', 'sign', '--key', "$dir/$alg.jwk");
	chomp $sig;
	is($src, 0, "sign $alg exits 0");
	is($node->safe_psql('postgres',
			"SELECT brop.did_alg('$did'), brop.verify('$did', 'a message from the CLI', '\\x$sig')"),
		"$alg|t", "CLI $alg signature verifies in SQL");
	is($node->safe_psql('postgres',
			"SELECT brop.verify('$did', 'another message', '\\x$sig')"),
		'f', "CLI $alg signature does not verify another message in SQL");
}

# BIP-340 from the CLI
{
	my (undef, $did) = brop_cli_in('', 'did', '--key', "$dir/secp256k1.jwk");
	chomp $did;
	my ($rc, $sig) = brop_cli_in('schnorr', 'sign', '--schnorr', '--key', "$dir/secp256k1.jwk");
	chomp $sig;
	is($node->safe_psql('postgres', "SELECT brop.verify_schnorr('$did', 'schnorr', '\\x$sig')"),
		't', 'CLI BIP-340 signature verifies in SQL');
}

# 2. Keyring signatures verify in the CLI.
for my $alg (qw(ed25519 secp256k1 p256))
{
	my $did = $node->safe_psql('postgres', "SELECT brop.create_key('$alg', 'tap-$alg')");
	my $sig = $node->safe_psql('postgres',
		"SELECT encode(brop.sign('tap-$alg', 'signed in SQL'), 'hex')");
	my ($rc, $out) = brop_cli_in('signed in SQL', 'verify', '--did', $did, '--signature', $sig);
	is($rc, 0, "SQL $alg signature verifies in the CLI");
	is($out, "valid\n", "CLI prints valid for $alg");
	($rc, $out) = brop_cli_in('signed in SQL!', 'verify', '--did', $did, '--signature', $sig);
	is($rc, 1, "CLI exits 1 when the $alg signature does not verify");
	is($out, "invalid\n", "CLI prints invalid for $alg");
	# the same signature as base64url
	my $b64 = $node->safe_psql('postgres',
		"SELECT brop.encode(brop.decode('$sig', 'hex'), 'base64url')");
	($rc) = brop_cli_in('signed in SQL', 'verify', '--did', $did, '--signature', $b64);
	is($rc, 0, "CLI reads a base64url $alg signature");
}

# 3. Envelopes sealed in SQL open with the holder's key in the CLI.
my (undef, $holder) = brop_cli_in('', 'did', '--key', "$dir/ed25519.jwk");
chomp $holder;
brop_cli_in('', 'keygen', '--out', "$dir/stranger.jwk");
$node->safe_psql('postgres', "SELECT brop.create_key('ed25519', 'tap-issuer')");
my $issuer = $node->safe_psql('postgres', "SELECT brop.key_did('tap-issuer')");
my $payload = '{"credential":"Bachelor of Science","grade":"A"}';
my $envelope = $node->safe_psql('postgres',
	"SELECT brop.seal_envelope('tap-issuer', '$holder', convert_to('$payload', 'UTF8'))");
like($envelope, qr/^\\x01/, 'envelope starts with version 1');

my ($rc, $out, $err) = brop_cli_in($envelope, 'open', '--key', "$dir/ed25519.jwk");
is($rc, 0, 'holder opens the envelope');
is($out, $payload, 'payload comes back unchanged');
is($err, "issuer: $issuer\n", 'issuer did is reported');

($rc) = brop_cli_in($envelope, 'open', '--key', "$dir/ed25519.jwk", '--issuer', $issuer);
is($rc, 0, '--issuer accepts the right issuer');
($rc, $out, $err) = brop_cli_in($envelope, 'open', '--key', "$dir/ed25519.jwk", '--issuer', $holder);
is($rc, 1, '--issuer refuses another issuer');
like($err, qr/signed by \Q$issuer\E, not by/, 'and says who signed');

($rc, $out, $err) = brop_cli_in($envelope, 'open', '--key', "$dir/stranger.jwk");
is($rc, 1, 'a stranger cannot open the envelope');
like($err, qr/not sealed to this key/, 'stranger gets a clear message');
is($out, '', 'stranger sees no payload');

# raw bytes, and sealed to the X25519 form of the holder's did
$node->safe_psql('postgres',
	"COPY (SELECT brop.encode(brop.seal_envelope('tap-issuer', brop.did_to_x25519('$holder'), 'raw'), 'base64url')) TO '$dir/env.b64'");
($rc, $out) = brop_cli_in('', 'open', '--key', "$dir/ed25519.jwk", '--in', "$dir/env.b64");
is($rc, 0, 'base64url envelope sealed to the X25519 did opens');
is($out, 'raw', 'its payload');

# every altered byte is caught
my $hex = substr($envelope, 2);
my $caught = 0;
my $positions = 0;
for (my $i = 0; $i < length($hex) / 2; $i += 7)
{
	my $b = hex(substr($hex, 2 * $i, 2)) ^ 0x01;
	my $bad = substr($hex, 0, 2 * $i) . sprintf('%02x', $b) . substr($hex, 2 * $i + 2);
	my ($brc) = brop_cli_in($bad, 'open', '--key', "$dir/ed25519.jwk");
	$positions++;
	$caught++ if $brc == 1 || $brc == 3;
}
is($caught, $positions, "all $positions altered envelopes are refused");
($rc) = brop_cli_in(substr($envelope, 0, 100), 'open', '--key', "$dir/ed25519.jwk");
is($rc, 3, 'a truncated envelope is malformed input (exit 3)');

# 4. JCS: the CLI and SQL agree byte for byte.
my $doc = '{"z":[3.0,1e21,-0,"\u00e9"],"a":{"\ud83d\ude00":1,"\u20ac":2},"m":null}';
($rc, $out) = brop_cli_in($doc, 'jcs');
is($rc, 0, 'brop jcs exits 0');
my $sql_jcs = $node->safe_psql('postgres', "SELECT brop.jcs('$doc')");
is($out, $sql_jcs, 'CLI and SQL canonical JSON are identical');
($rc, $out, $err) = brop_cli_in('{"a":1,"a":2}', 'jcs');
is($rc, 3, 'brop jcs refuses duplicate keys with exit 3');

# 5. Key files and command lines.
chmod 0644, "$dir/p256.jwk";
($rc, $out, $err) = brop_cli_in('x', 'sign', '--key', "$dir/p256.jwk");
is($rc, 3, 'a world-readable key file is refused');
like($err, qr/accessible by group or others/, 'with a message that says why');
($rc, $out, $err) = brop_cli_in('', 'keygen', '--out', "$dir/ed25519.jwk");
is($rc, 4, 'keygen does not overwrite a key file');
{
	my ($frc, $newdid) = brop_cli_in('', 'keygen', '--force', '--out', "$dir/stranger.jwk");
	chomp $newdid;
	my (undef, $got) = brop_cli_in('', 'did', '--key', "$dir/stranger.jwk");
	chomp $got;
	is($frc, 0, 'keygen --force replaces a key file');
	is($got, $newdid, 'the replaced file holds the new key');
	is((stat("$dir/stranger.jwk"))[2] & 07777, 0600, 'the replaced key file has mode 0600');
	my @left = glob("$dir/stranger.jwk.*");
	is(scalar(@left), 0, 'no temporary file is left behind');
}
($rc) = brop_cli_in($envelope, 'open', '--key', "$dir/ed25519.jwk", '--out', "$dir/payload.json");
is($rc, 0, 'open --out writes the payload to a file');
is(slurp_file("$dir/payload.json"), $payload, 'with the payload');
is((stat("$dir/payload.json"))[2] & 07777, 0600, 'readable by its owner only');
($rc) = brop_cli_in('', 'keygen', '--alg', 'rsa', '--out', "$dir/rsa.jwk");
is($rc, 2, 'keygen refuses an unknown algorithm');
($rc) = brop_cli_in('', 'frobnicate');
is($rc, 2, 'unknown command exits 2');
($rc, $out) = brop_cli_in('', '--help');
is($rc, 0, 'brop --help exits 0');
like($out, qr/tamper-evident, verifiable registry for\s+credentials and evidence \(ledger, registration, credentials\)/,
	'brop --help says what brop is');
($rc, $out) = brop_cli_in('', '--version');
my $default_version = $node->safe_psql('postgres',
	"SELECT default_version FROM pg_available_extensions WHERE name = 'brop'");
is($out, "brop $default_version\n", 'brop --version is the extension\'s default version');
for my $cmd (qw(keygen did sign verify open jcs))
{
	($rc, $out) = brop_cli_in('', $cmd, '--help');
	is($rc, 0, "$cmd --help exits 0");
	like($out, qr/^Usage: brop $cmd/, "$cmd --help prints its usage");
}
open my $fh, '>', "$dir/bad.jwk" or die;
print $fh '{"kty":"OKP","crv":"Ed25519","d":"AAAA"}';
close $fh;
chmod 0600, "$dir/bad.jwk";
($rc, $out, $err) = brop_cli_in('x', 'sign', '--key', "$dir/bad.jwk");
is($rc, 3, 'a key file with a short secret is refused');

# 6. The server log never shows key material.
my $log = slurp_file($node->logfile);
my $secret_seen = 0;
for my $alg (qw(ed25519 secp256k1 p256))
{
	my $jwk = slurp_file("$dir/$alg.jwk");
	my ($d) = $jwk =~ /"d":"([^"]+)"/;
	$secret_seen++ if index($log, $d) >= 0;
}
is($secret_seen, 0, 'no secret key appears in the server log');

$node->stop;
done_testing();
