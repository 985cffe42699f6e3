# A ledger carried to another PostgreSQL major version with pg_dump and
# pg_restore (docs/operations.md, "Moving a node to another PostgreSQL"):
# a node filled as it is used (keys, an organisation, a registered table
# with inserts, updates and a delete, submitted entries, credentials, one
# revoked, several sealed blocks), its dump, its root and salt keys, and
# what its auditors and holders kept (checkpoints, inclusion and
# consistency proofs, a holder's credential bundle). Restored into a
# cluster of the new version, it is a copy: it refuses to seal until the
# operator adopts it. Then verify_ledger is clean, every proof and
# checkpoint kept before the move is the one the node gives again and
# still verifies (in SQL and offline), the credentials verify as before,
# and sealing goes on in the same log (consistent with the old checkpoints)
# under the same node key.
#
# BROP_MAJOR_UPGRADE says which part runs where (scripts/matrix.sh):
#   dump:DIR     fill a node on this server, keep the dump and the rest in DIR
#   restore:DIR  restore DIR's node on this server and check it
#   unset        both, here: dumped from one cluster, restored into another
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;
use JSON::PP;

my ($step, $dir) = split /:/, ($ENV{BROP_MAJOR_UPGRADE} || 'both:'), 2;
$dir ||= PostgreSQL::Test::Utils::tempdir;
die "BROP_MAJOR_UPGRADE: dump:DIR, restore:DIR or nothing" unless $step =~ /^(dump|restore|both)$/;
my $conf = q{
shared_preload_libraries = 'brop'
brop.block_interval = '200ms'
};

sub q1 { my ($node, $sql) = @_; return $node->safe_psql('postgres', $sql); }

sub sealed { return brop_sealed($_[0]); }

# ---- the node before the move ---------------------------------------------
sub fill_and_dump
{
	my $node = brop_node('before', $conf);
	$node->start;
	my $conn = $node->connstr('postgres');
	my %k = (version => q1($node, 'SHOW server_version_num'));
	q1($node, q{
		CREATE EXTENSION brop;
		SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'uni'),
		       brop.create_key('ed25519', 'org');
		SELECT brop.configure_ledger('major.example/log', 'node');
		SELECT brop.add_organization(brop.key_did('uni'), 'University', 'cross_issuer', '{higher_education}');
		CREATE TABLE students (student text PRIMARY KEY, name text NOT NULL, grade text, born date);
		SELECT brop.register_table('students', '{student}', '{student,name,grade,born}', signing_key => 'uni');
		INSERT INTO students VALUES ('s-1', 'Ada', 'A', '1815-12-10'), ('s-2', 'Grace', 'B', '1906-12-09'),
		                            ('s-3', 'Alan', 'C', '1912-06-23');
		SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g,
		                            jsonb_build_object('title', 'doc ' || g)))
		  FROM generate_series(1, 10) g;
	});
	$k{node_did} = q1($node, 'SELECT node_did FROM brop.ledger_config');
	my %cp;
	$cp{1} = sealed($node);
	my ($rc, $alice, $err) = brop_cli('wallet', 'keygen', '--key', "$dir/alice.jwk");
	chomp $alice;
	q1($node, q{
		UPDATE students SET grade = 'A+' WHERE student = 's-1';
		DELETE FROM students WHERE student = 's-3';
		SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
		  FROM generate_series(11, 20) g;
	});
	($k{serial}, $k{credential}) = split /\|/, q1($node, qq{
		SELECT serial, credential FROM brop.issue_credential('uni', '$alice', 'higher_education',
		  '{"degree": "MSc", "final_grade": "A"}')});
	$k{revoked} = q1($node, qq{SELECT serial FROM brop.issue_credential('uni', '$alice', 'higher_education', '{"degree": "BSc"}')});
	$cp{2} = sealed($node);
	q1($node, qq{SELECT brop.revoke_credential('uni', '$k{revoked}', 'issued in error')});
	q1($node, q{UPDATE students SET grade = 'A++' WHERE student = 's-1'});
	$cp{3} = sealed($node);
	$k{cp} = \%cp;
	$k{size} = { map { $_ => q1($node, "SELECT tree_size FROM brop.parse_checkpoint(\$\$$cp{$_}\$\$)") } keys %cp };
	ok($k{size}{1} < $k{size}{2} && $k{size}{2} < $k{size}{3}, "a ledger of several blocks on PostgreSQL $k{version}");
	is(q1($node, 'SELECT ok FROM brop.verify_ledger()'), 't', 'it verifies before the move');

	($rc, undef, $err) = brop_cli('wallet', 'export', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $k{serial},
		'--out', "$dir/degree.json");
	is($rc, 0, "the holder's bundle, exported before the move") or diag $err;
	$k{verdict} = q1($node, qq{SELECT valid, reasons FROM brop.verify_credential(\$\$$k{credential}\$\$)});
	is($k{verdict}, 't|{}', 'the credential verifies before the move');
	for my $kind ('evidence', 'row', 'credential', 'credential_status', 'registration')
	{
		my ($id, $digest, $leaf) = split /\|/, q1($node, qq{
			SELECT id, digest, brop.entry_leaf(e) FROM brop.entry e WHERE kind = '$kind' ORDER BY id LIMIT 1});
		$k{kept}{$kind} = { id => $id, digest => $digest, leaf => $leaf,
			proof => q1($node, "SELECT brop.inclusion_proof($id, $k{size}{3})") };
	}
	$k{cons} = { map { $_ => q1($node, "SELECT brop.consistency_proof($k{size}{$_}, $k{size}{3})") } (1, 2) };
	$k{chains} = { map { split /\|/ } split /\n/, q1($node, q{SELECT chain_key, length FROM brop.chain_head ORDER BY 1}) };
	$k{counts} = q1($node, 'SELECT entries, blocks FROM brop.verify_ledger()');
	$k{sysid} = q1($node, 'SELECT brop.system_identifier()');

	$node->command_ok([ 'pg_dump', '-Fc', '-f', "$dir/node.dump", '-d', $conn ], 'pg_dump of the node');
	for my $key ('root', 'salt')
	{
		my $file = q1($node, "SHOW brop.${key}_key_file");
		write_file("$dir/$key.key", read_file($file));
	}
	write_file("$dir/kept.json", JSON::PP->new->canonical->pretty->encode(\%k));
	# the other side's server user may have another uid (another root)
	chmod 0644, glob("$dir/*");
	chmod 0755, $dir;
	$node->stop;
}

# ---- the node after the move ---------------------------------------------

# kept.json's texts as the byte strings psql gave (JSON::PP hands back
# strings flagged as characters, which psql's input would encode again)
sub bytes_of
{
	my ($v) = @_;
	if (ref $v eq 'HASH') { $_ = bytes_of($_) for values %$v; }
	elsif (!ref $v && defined $v) { utf8::downgrade($v); }
	return $v;
}

sub restore_and_check
{
	my %k = %{ bytes_of(JSON::PP->new->decode(read_file("$dir/kept.json"))) };
	my %cp = %{ $k{cp} };
	my %size = %{ $k{size} };
	my $node = brop_node('after', $conf);
	my $keys = PostgreSQL::Test::Utils::tempdir;
	for my $key ('root', 'salt')
	{
		write_file("$keys/$key.key", read_file("$dir/$key.key"));
		chmod 0600, "$keys/$key.key";
	}
	$node->append_conf('postgresql.conf', "brop.root_key_file = '$keys/root.key'\nbrop.salt_key_file = '$keys/salt.key'\n");
	$node->start;
	my $version = q1($node, 'SHOW server_version_num');
	my $moved = "PostgreSQL $k{version} -> $version";
	$node->command_ok([ 'pg_restore', '--single-transaction', '-d', $node->connstr('postgres'), "$dir/node.dump" ],
		"pg_restore of the node ($moved)");

	# a copy: it refuses to seal until adopted
	my ($rc, $out, $err) = $node->psql('postgres', 'SELECT brop.seal()');
	like($err, qr/this database is a copy of a ledger node and may not seal/, 'the restored node refuses to seal');
	is(q1($node, q{SELECT state FROM brop.status WHERE component = 'node'}), 'refused_copy', 'brop.status says why');
	is(q1($node, 'SELECT ok, entries, blocks FROM brop.verify_ledger()'), "t|$k{counts}",
		'verify_ledger is clean on the restored node, every entry and block there');
	is(q1($node, "SELECT how FROM brop.adopt_copy('moved from PostgreSQL $k{version} to $version')"), 'adopted',
		'the operator adopts it');

	my $node_did = $k{node_did};
	write_file("$keys/cp$_", "$cp{$_}\n") for keys %cp;
	for my $n (sort keys %cp)
	{
		is(q1($node, "SELECT brop.checkpoint($size{$n})"), $cp{$n}, "checkpoint $n is the one taken before the move");
		is(q1($node, "SELECT brop.verify_checkpoint(\$\$$cp{$n}\$\$, '$node_did')"), 't', "checkpoint $n verifies in SQL");
		($rc, $out) = brop_cli('verify', '--did', $node_did, '--checkpoint', "$keys/cp$n");
		is($rc, 0, "checkpoint $n verifies offline") or diag $out;
	}
	for my $kind (sort keys %{ $k{kept} })
	{
		my $e = $k{kept}{$kind};
		is(q1($node, "SELECT brop.inclusion_proof($e->{id}, $size{3})"), $e->{proof},
			"the $kind entry's inclusion proof is the one kept");
		is(q1($node, qq{SELECT brop.verify_inclusion('$e->{proof}', '$e->{digest}', root)
		                  FROM brop.parse_checkpoint(\$\$$cp{3}\$\$)}), 't', "the kept $kind proof verifies in SQL");
		write_file("$keys/$kind.json", "$e->{leaf}\n");
		($rc, $out) = brop_cli('verify', '--did', $node_did, '--checkpoint', "$keys/cp3", '--proof', $e->{proof},
			'--entry', "$keys/$kind.json");
		is($rc, 0, "the kept $kind proof verifies offline") or diag $out;
	}
	for my $n (sort keys %{ $k{cons} })
	{
		is(q1($node, "SELECT brop.consistency_proof($size{$n}, $size{3})"), $k{cons}{$n},
			"the consistency proof $n -> 3 is the one kept");
		is(q1($node, qq{SELECT brop.verify_consistency('$k{cons}{$n}', o.root, n.root)
		                  FROM brop.parse_checkpoint(\$\$$cp{$n}\$\$) o, brop.parse_checkpoint(\$\$$cp{3}\$\$) n}), 't',
			"the kept consistency proof $n -> 3 verifies in SQL");
	}
	for my $chain (sort keys %{ $k{chains} })
	{
		is(q1($node, "SELECT ok, entries FROM brop.verify_chain('$chain')"), "t|$k{chains}{$chain}", "chain $chain verifies");
	}
	is(q1($node, qq{SELECT valid, reasons FROM brop.verify_credential(\$\$$k{credential}\$\$)}), $k{verdict},
		"the credential issued on PostgreSQL $k{version} verifies on $version");
	is(q1($node, qq{SELECT status FROM brop.credential WHERE serial = '$k{revoked}'}), 'revoked',
		'the revoked one stays revoked');
	($rc, $out) = brop_cli('verify', '--credential', "$dir/degree.json", '--did', $node_did);
	is($rc, 0, "the holder's bundle from before the move verifies offline") or diag $out;

	# sealing goes on, in the same log, under the same key
	q1($node, q{
		INSERT INTO students VALUES ('s-4', 'Barbara', 'A', '1922-03-02');
		UPDATE students SET grade = 'B+' WHERE student = 's-2';
		SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
		  FROM generate_series(21, 25) g;
	});
	my $cp4 = sealed($node);
	write_file("$keys/cp4", "$cp4\n");
	my $size4 = q1($node, "SELECT tree_size FROM brop.parse_checkpoint(\$\$$cp4\$\$)");
	ok($size4 > $size{3}, "the moved node seals into the same log ($size{3} -> $size4 entries)");
	is(q1($node, "SELECT brop.verify_checkpoint(\$\$$cp4\$\$, '$node_did')"), 't', 'under the same node key');
	my $cons = q1($node, "SELECT brop.consistency_proof($size{1}, $size4)");
	is(q1($node, qq{SELECT brop.verify_consistency('$cons', o.root, n.root)
	                  FROM brop.parse_checkpoint(\$\$$cp{1}\$\$) o, brop.parse_checkpoint(\$\$$cp4\$\$) n}), 't',
		'consistent with the first checkpoint taken before the move (SQL)');
	($rc, $out) = brop_cli('verify', '--did', $node_did, '--old-checkpoint', "$keys/cp3", '--checkpoint', "$keys/cp4",
		'--proof', q1($node, "SELECT brop.consistency_proof($size{3}, $size4)"));
	is($rc, 0, 'and with the last one, offline') or diag $out;
	my $s2 = q1($node, q{SELECT brop.row_chain_key(r.name, '["s-2"]') FROM brop.registration r});
	is(q1($node, "SELECT ok, entries FROM brop.verify_chain('$s2')"), "t|" . ($k{chains}{$s2} + 1),
		"a row's chain goes on from its head before the move");
	is(q1($node, q{SELECT count(*) FROM brop.node_identity WHERE how = 'adopted'}), 1, 'the adoption is recorded');
	is(q1($node, 'SELECT ok FROM brop.verify_ledger()'), 't', 'the ledger verifies with the new work');
	$node->stop;
}

fill_and_dump() if $step eq 'dump' || $step eq 'both';
restore_and_check() if $step eq 'restore' || $step eq 'both';
done_testing();
