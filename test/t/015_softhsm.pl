# Keys in a PKCS#11 token: scripts/softhsm.sh makes a SoftHSM2 token as the
# server user, the core signs with its Ed25519 and P-256 keys through
# C_Sign (build/softhsm_tool), and the signatures verify in SQL like any
# other; a wrong PIN and a missing SOFTHSM2_CONF are refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run qw(run);

my $top  = $ENV{BROP_TOP} or die "BROP_TOP is not set";
my $tool = "$top/build/softhsm_tool";
my $dir  = PostgreSQL::Test::Utils::tempdir . '/token';

# 1. The token, made as this (the server's) user.
my ($out, $err) = ('', '');
run([ "$top/scripts/softhsm.sh", $dir, 'brop-tap' ], '>', \$out, '2>', \$err);
is($? >> 8, 0, 'scripts/softhsm.sh exits 0') or diag($err);
my ($conf_line, $ed_uri, $p256_uri) = split /\n/, $out;
like($conf_line, qr{^SOFTHSM2_CONF=\Q$dir\E/softhsm2\.conf$}, 'it prints SOFTHSM2_CONF');
like($ed_uri, qr{^pkcs11:token=brop-tap;object=ed-key;type=private\?module-path=.*&pin-source=file:\Q$dir\E/pin$},
	'it prints the Ed25519 key\'s URI');
is((stat("$dir/pin"))[2] & 07777, 0600, 'the PIN file has mode 0600');
is((stat($dir))[2] & 07777, 0700, 'the token directory has mode 0700');
(my $conf = $conf_line) =~ s/^SOFTHSM2_CONF=//;

sub sign
{
	my ($uri, $msg, %env) = @_;
	local %ENV = (%ENV, SOFTHSM2_CONF => $conf, %env);
	delete $ENV{SOFTHSM2_CONF} if exists $env{SOFTHSM2_CONF} && !defined $env{SOFTHSM2_CONF};
	my ($o, $e) = ('', '');
	run([ $tool, 'sign', $uri, $msg ], '>', \$o, '2>', \$e);
	return ($? >> 8, split(/\n/, $o), $e);
}

# 2. Signatures of the token's keys verify in SQL.
my $node = brop_node('softhsm');
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION brop');
for my $case ([ 'ed25519', $ed_uri ], [ 'p256', $p256_uri ])
{
	my ($alg, $uri) = @$case;
	my ($rc, $did, $sig) = sign($uri, 'an entry signed in the token');
	is($rc, 0, "$alg: the token signs");
	like($did // '', qr/^did:key:z/, "$alg: the key's did:key");
	is($node->safe_psql('postgres',
			"SELECT brop.did_alg('$did'), brop.verify('$did', 'an entry signed in the token', '\\x$sig')"),
		"$alg|t", "$alg: the token's signature verifies in SQL");
	is($node->safe_psql('postgres', "SELECT brop.verify('$did', 'another entry', '\\x$sig')"),
		'f', "$alg: not for another message");
}

# 3. A wrong PIN, a PIN file others can read, no SOFTHSM2_CONF.
open my $fh, '>', "$dir/wrong-pin" or die;
print $fh "0000\n";
close $fh;
chmod 0600, "$dir/wrong-pin";
(my $wrong = $ed_uri) =~ s{pin-source=file:.*$}{pin-source=file:$dir/wrong-pin};
my ($rc, @rest) = sign($wrong, 'x');
is($rc, 1, 'a wrong PIN is refused');
like($rest[-1], qr/softhsm_tool: the token refused the PIN/, 'with the token\'s refusal');
chmod 0644, "$dir/wrong-pin";
($rc, @rest) = sign($wrong, 'x');
like($rest[-1], qr/softhsm_tool: cannot use the PIN file/, 'a PIN file others can read is refused');
# SoftHSM then reads /etc/softhsm/softhsm2.conf: not readable by the server
# user in Debian (root:softhsm 0640), or naming another token directory
($rc, @rest) = sign($ed_uri, 'x', SOFTHSM2_CONF => undef);
is($rc, 1, 'without SOFTHSM2_CONF the key is not found');
like($rest[-1], qr/softhsm_tool: (the PKCS#11 token failed|no token or key matches)/,
	'with the module\'s failure or no match');

$node->stop;
done_testing();
