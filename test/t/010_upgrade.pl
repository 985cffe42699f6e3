# A node used at 1.0 and then updated (docs/operations.md, "Upgrading
# brop"): CREATE EXTENSION brop VERSION '1.0' (the released script, which
# scripts/frozen.sh keeps as tagged), filled as a 1.0 node is used: keys, an
# organisation, a registered table (inserts, updates, deletes through its
# trigger), submitted entries, a ledger of several blocks sealed by the
# worker, credentials issued, one revoked, one presented and verified; its
# proofs and checkpoints kept. Then ALTER EXTENSION brop UPDATE: the ledger
# verifies, every kept proof and checkpoint still verifies (in SQL and
# offline with brop verify) and is the one the node gives again, the
# credentials verify as before, and new work continues in the same log
# (consistent with the 1.0 checkpoints) and the same chains. Last, a
# database created at the new version has the same brop schema as the
# updated one: an upgrade script that forgets an object, a grant, a comment
# or a column default, or a direct install script (brop--1.1.sql) that
# drifts from the upgrade path, fails here.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use BropNode;
use PostgreSQL::Test::Utils;
use Test::More;

my $dir = PostgreSQL::Test::Utils::tempdir;

my $node = brop_node('upgrade', q{
shared_preload_libraries = 'brop'
brop.block_interval = '200ms'
});
$node->start;
my $conn = $node->connstr('postgres');

sub q1 { return $node->safe_psql('postgres', $_[0]); }

sub sealed { return brop_sealed($node); }

# the version the control file installs by default
my $target = q1(q{SELECT default_version FROM pg_available_extensions WHERE name = 'brop'});
isnt($target, '1.0', "the default version ($target) is past 1.0");

# ---- at 1.0 ------------------------------------------------------------
q1(q{CREATE EXTENSION brop VERSION '1.0'});
is(q1(q{SELECT extversion FROM pg_extension WHERE extname = 'brop'}), '1.0', 'created at 1.0');
q1(q{
	SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'uni'),
	       brop.create_key('ed25519', 'org');
	SELECT brop.configure_ledger('upgrade.example/log', 'node');
	SELECT brop.add_organization(brop.key_did('uni'), 'University', 'cross_issuer', '{higher_education}');
	CREATE TABLE students (student text PRIMARY KEY, name text NOT NULL, grade text, note text);
	SELECT brop.register_table('students', '{student}', '{student,name,grade}', signing_key => 'uni');
	INSERT INTO students VALUES ('s-1', 'Ada', 'A', 'x'), ('s-2', 'Grace', 'B', 'y'), ('s-3', 'Alan', 'C', 'z');
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g,
	                            jsonb_build_object('title', 'doc ' || g)))
	  FROM generate_series(1, 10) g;
});
my $node_did = q1('SELECT node_did FROM brop.ledger_config');
my %cp;
$cp{1} = sealed();

my ($rc, $alice, $err) = brop_cli('wallet', 'keygen', '--key', "$dir/alice.jwk");
chomp $alice;
my ($bob) = (brop_cli('wallet', 'keygen', '--key', "$dir/bob.jwk"))[1];
chomp $bob;
q1(q{
	UPDATE students SET grade = 'A+' WHERE student = 's-1';
	UPDATE students SET grade = 'B+', name = 'Grace H.' WHERE student = 's-2';
	DELETE FROM students WHERE student = 's-3';
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
	  FROM generate_series(11, 20) g;
});
my ($serial, $credential) = split /\|/, q1(qq{
	SELECT serial, credential FROM brop.issue_credential('uni', '$alice', 'higher_education',
	  '{"degree": "MSc", "final_grade": "A"}')});
my $revoked = q1(qq{SELECT serial FROM brop.issue_credential('uni', '$bob', 'higher_education', '{"degree": "BSc"}')});
$cp{2} = sealed();

q1(qq{SELECT brop.revoke_credential('uni', '$revoked', 'issued in error')});
q1(q{UPDATE students SET grade = 'A++' WHERE student = 's-1'});
$cp{3} = sealed();
my %size = map { $_ => q1("SELECT tree_size FROM brop.parse_checkpoint(\$\$$cp{$_}\$\$)") } keys %cp;
ok($size{1} < $size{2} && $size{2} < $size{3}, "a ledger of several blocks ($size{1}, $size{2}, $size{3} entries)");
is(q1(q{SELECT count(*) FROM brop.entry WHERE kind = 'row'}), 7, 'three inserts, three updates and a delete registered');
is(q1('SELECT ok FROM brop.verify_ledger()'), 't', 'the 1.0 ledger verifies');

# the holder's bundle and a presentation, verified at 1.0
($rc, undef, $err) = brop_cli('wallet', 'export', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $serial,
	'--out', "$dir/degree.json");
is($rc, 0, 'wallet export at 1.0') or diag $err;
($rc, undef, $err) = brop_cli('wallet', 'present', '--key', "$dir/alice.jwk", '--in', "$dir/degree.json",
	'--reveal', 'final_grade', '--nonce', 'job-1', '--audience', 'https://employer.example', '--out', "$dir/grade.json");
is($rc, 0, 'wallet present at 1.0') or diag $err;
my $presentation = q1("SELECT \$\$" . read_file("$dir/grade.json") . "\$\$::jsonb->>'presentation'");
my %verdict = (
	credential   => qq{SELECT valid, reasons FROM brop.verify_credential(\$\$$credential\$\$)},
	presentation => qq{SELECT valid, claims, reasons FROM brop.verify_presentation(\$\$$presentation\$\$, 'job-1',
	                     'https://employer.example')});
my %before = map { $_ => q1($verdict{$_}) } keys %verdict;
is($before{credential}, 't|{}', 'the credential verifies at 1.0');
is($before{presentation}, 't|{"final_grade": "A"}|{}', 'and its presentation');

# what an auditor and a holder keep: checkpoints, inclusion proofs of
# entries of each kind, consistency proofs between the checkpoints
for my $n (keys %cp) { write_file("$dir/cp$n", "$cp{$n}\n"); }
my %kept;
for my $kind ('evidence', 'row', 'credential', 'credential_status', 'registration')
{
	my ($id, $digest, $leaf) = split /\|/, q1(qq{
		SELECT id, digest, brop.entry_leaf(e) FROM brop.entry e WHERE kind = '$kind' ORDER BY id LIMIT 1});
	ok($id, "an entry of kind $kind");
	write_file("$dir/$kind.json", "$leaf\n");
	$kept{$kind} = { id => $id, digest => $digest, proof => q1("SELECT brop.inclusion_proof($id, $size{3})") };
}
my %cons = (1 => q1("SELECT brop.consistency_proof($size{1}, $size{3})"),
	        2 => q1("SELECT brop.consistency_proof($size{2}, $size{3})"));
my %chains = map { split /\|/ } split /\n/, q1(q{SELECT chain_key, length FROM brop.chain_head ORDER BY 1});
my $counts = q1('SELECT entries, blocks FROM brop.verify_ledger()');

# ---- the update ----------------------------------------------------------
q1('ALTER EXTENSION brop UPDATE');
is(q1(q{SELECT extversion FROM pg_extension WHERE extname = 'brop'}), $target, "updated to $target");

my $v = q1('SELECT ok, entries, blocks, first_bad_position, problem FROM brop.verify_ledger()');
is($v, "t|$counts||", 'verify_ledger: the 1.0 ledger is clean after the update');
for my $n (sort keys %cp)
{
	is(q1("SELECT brop.checkpoint($size{$n})"), $cp{$n}, "checkpoint $n is the one taken at 1.0");
	is(q1("SELECT brop.verify_checkpoint(\$\$$cp{$n}\$\$, '$node_did')"), 't', "checkpoint $n still verifies in SQL");
	($rc, my $out) = brop_cli('verify', '--did', $node_did, '--checkpoint', "$dir/cp$n");
	is($rc, 0, "checkpoint $n still verifies offline") or diag $out;
}
for my $kind (sort keys %kept)
{
	my $k = $kept{$kind};
	is(q1("SELECT brop.inclusion_proof($k->{id}, $size{3})"), $k->{proof}, "the $kind entry's proof is the one kept");
	is(q1(qq{SELECT brop.verify_inclusion('$k->{proof}', '$k->{digest}', root)
	           FROM brop.parse_checkpoint(\$\$$cp{3}\$\$)}), 't', "the kept $kind proof verifies in SQL");
	($rc, my $out) = brop_cli('verify', '--did', $node_did, '--checkpoint', "$dir/cp3", '--proof', $k->{proof},
		'--entry', "$dir/$kind.json");
	is($rc, 0, "the kept $kind proof verifies offline") or diag $out;
}
for my $n (sort keys %cons)
{
	is(q1("SELECT brop.consistency_proof($size{$n}, $size{3})"), $cons{$n}, "the consistency proof $n -> 3 is the one kept");
	is(q1(qq{SELECT brop.verify_consistency('$cons{$n}', o.root, n.root)
	           FROM brop.parse_checkpoint(\$\$$cp{$n}\$\$) o, brop.parse_checkpoint(\$\$$cp{3}\$\$) n}), 't',
		"the kept consistency proof $n -> 3 verifies in SQL");
	($rc, my $out) = brop_cli('verify', '--did', $node_did, '--old-checkpoint', "$dir/cp$n", '--checkpoint', "$dir/cp3",
		'--proof', $cons{$n});
	is($rc, 0, "the kept consistency proof $n -> 3 verifies offline") or diag $out;
}
for my $chain (sort keys %chains)
{
	is(q1("SELECT ok, entries FROM brop.verify_chain('$chain')"), "t|$chains{$chain}", "chain $chain verifies");
}
is(q1($verdict{$_}), $before{$_}, "the $_ verifies as it did at 1.0") for sort keys %verdict;
is(q1(qq{SELECT status FROM brop.credential WHERE serial = '$revoked'}), 'revoked', 'the revoked credential stays revoked');
($rc, my $out) = brop_cli('verify', '--credential', "$dir/degree.json", '--did', $node_did);
is($rc, 0, "the holder's 1.0 bundle verifies offline") or diag $out;

# ---- new work after the update --------------------------------------------
my $last_id = q1('SELECT max(id) FROM brop.entry');
q1(q{
	INSERT INTO students VALUES ('s-4', 'Barbara', 'A', NULL);
	UPDATE students SET grade = 'B++' WHERE student = 's-2';
	SELECT count(brop.submit_as('org', 'evidence', brop.sha256(convert_to('doc ' || g, 'UTF8')), 'n-' || g))
	  FROM generate_series(21, 25) g;
});
my ($new_serial, $new_credential) = split /\|/, q1(qq{
	SELECT serial, credential FROM brop.issue_credential('uni', '$alice', 'higher_education', '{"course": "Diving"}')});
$cp{4} = sealed();
write_file("$dir/cp4", "$cp{4}\n");
my $size4 = q1("SELECT tree_size FROM brop.parse_checkpoint(\$\$$cp{4}\$\$)");
ok($size4 > $size{3}, "new entries seal into the same log ($size{3} -> $size4 entries)");
my $cons4 = q1("SELECT brop.consistency_proof($size{1}, $size4)");
is(q1(qq{SELECT brop.verify_consistency('$cons4', o.root, n.root)
           FROM brop.parse_checkpoint(\$\$$cp{1}\$\$) o, brop.parse_checkpoint(\$\$$cp{4}\$\$) n}), 't',
	'the new checkpoint is consistent with the first one taken at 1.0 (SQL)');
($rc, $out) = brop_cli('verify', '--did', $node_did, '--old-checkpoint', "$dir/cp3", '--checkpoint', "$dir/cp4",
	'--proof', q1("SELECT brop.consistency_proof($size{3}, $size4)"));
is($rc, 0, 'and with the last 1.0 checkpoint, offline') or diag $out;
is(q1(qq{SELECT count(*) FROM brop.entry WHERE kind = 'row' AND id > $last_id}),
	2, 'the registered table is still captured');
my $s2 = q1(q{SELECT brop.row_chain_key(r.name, '["s-2"]') FROM brop.registration r});
is(q1("SELECT ok, entries FROM brop.verify_chain('$s2')"), "t|" . ($chains{$s2} + 1),
	"a 1.0 row's chain goes on from its 1.0 head");
($rc, $out, $err) = brop_cli('wallet', 'export', '--key', "$dir/alice.jwk", '--ledger', $conn, '--serial', $new_serial,
	'--out', "$dir/course.json");
is($rc, 0, 'a credential issued after the update exports') or diag $err;
($rc, $out) = brop_cli('verify', '--credential', "$dir/course.json", '--did', $node_did);
is($rc, 0, 'and verifies offline') or diag $out;
is(q1(qq{SELECT valid, reasons FROM brop.verify_credential(\$\$$new_credential\$\$)}), 't|{}', 'and in SQL');
is(q1('SELECT ok FROM brop.verify_ledger()'), 't', 'the ledger verifies with the new work');

# ---- what 1.1 adds works on the updated node --------------------------------
is(q1('SELECT how FROM brop.node_identity ORDER BY id'), 'upgraded',
	'the update recorded the node\'s identity, so it goes on sealing');
is(q1(q{SELECT state || ' ' || level FROM brop.status WHERE component = 'node'}), 'ok ok', 'brop.status sees the node');
my ($prc, $pout, $perr) = $node->psql('postgres', q{
	SELECT brop.submit_as('uni', 'membership', brop.sha256('m'::bytea), 'planted',
	  jsonb_build_object('org', brop.key_did('uni')::text, 'version', 1))});
like($perr, qr/entries of kind "membership" are reserved/, 'a reserved kind is refused to brop.submit_as');
is(q1(qq{SELECT brop.set_membership('uni', '$bob', true) > 0}), 't', 'and written by its function');
write_file("$dir/s1.json", q1(q{SELECT brop.disclosure('students', '["s-1"]')}));
($rc, $out) = brop_cli('verify', '--disclosure', "$dir/s1.json", '--did', $node_did);
is($rc, 0, 'a row registered and sealed at 1.0 is disclosed in one file that verifies offline') or diag $out;
is(q1('SELECT ok FROM brop.verify_ledger()'), 't', 'the ledger verifies after the 1.1 functions ran');

# ---- a database created at the new version has the same schema -------------
# Every object of the extension (pg_describe_object of its members), and of
# schema brop: functions (result, language, volatility, strictness, security,
# settings, privileges, definition as pg_get_functiondef deparses it), tables and views (privileges, comments),
# columns (type, nullability, default, privileges, comment), constraints,
# indexes, triggers, and the tables pg_dump keeps (extconfig).
my $schema_sql = q{
	SELECT 'member ' || pg_describe_object(classid, objid, objsubid)
	  FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'brop')
	UNION ALL
	SELECT format('function %s returns %s lang %s vol %s strict %s secdef %s config %s acl %s definition %s comment %s',
	              p.oid::regprocedure, pg_get_function_result(p.oid), l.lanname, p.provolatile, p.proisstrict,
	              p.prosecdef, p.proconfig, p.proacl, md5(CASE WHEN p.prokind = 'a'
	                THEN (SELECT format('%s %s %s', aggtransfn, aggfinalfn, aggtranstype::regtype)
	                        FROM pg_aggregate WHERE aggfnoid = p.oid)
	                ELSE pg_get_functiondef(p.oid) END),
	              obj_description(p.oid, 'pg_proc'))
	  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.pronamespace = 'brop'::regnamespace
	UNION ALL
	SELECT format('relation %s kind %s acl %s comment %s', c.oid::regclass, c.relkind, c.relacl,
	              obj_description(c.oid, 'pg_class'))
	  FROM pg_class c WHERE c.relnamespace = 'brop'::regnamespace AND c.relkind <> 'S'
	UNION ALL
	SELECT format('column %s.%s %s notnull %s default %s identity %s acl %s comment %s', a.attrelid::regclass,
	              a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
	              a.attidentity, a.attacl, col_description(a.attrelid, a.attnum))
	  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	 WHERE c.relnamespace = 'brop'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
	  FROM pg_constraint WHERE connamespace = 'brop'::regnamespace
	UNION ALL
	SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index
	 WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'brop'::regnamespace)
	UNION ALL
	SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	 WHERE c.relnamespace = 'brop'::regnamespace AND NOT t.tgisinternal
	UNION ALL
	SELECT format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid)) FROM pg_class c
	 WHERE c.relnamespace = 'brop'::regnamespace AND c.relkind IN ('v', 'm')
	UNION ALL
	SELECT format('config %s %s', t, w)
	  FROM pg_extension e, unnest(e.extconfig::regclass[], e.extcondition) AS x(t, w) WHERE e.extname = 'brop'
	UNION ALL
	SELECT format('schema brop acl %s comment %s', nspacl, obj_description(oid, 'pg_namespace'))
	  FROM pg_namespace WHERE nspname = 'brop'
	ORDER BY 1};
q1('CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION brop');
is($node->safe_psql('fresh', q{SELECT extversion FROM pg_extension WHERE extname = 'brop'}), $target,
	"a new database installs $target");
my $updated = q1($schema_sql);
my $fresh = $node->safe_psql('fresh', $schema_sql);
like($updated, qr/^function brop\.verify_ledger\(/m, 'the schema listing lists functions');
if ($updated ne $fresh)
{
	my %u = map { $_ => 1 } split /\n/, $updated;
	my %f = map { $_ => 1 } split /\n/, $fresh;
	diag "only in the updated database: $_" for grep { !$f{$_} } sort keys %u;
	diag "only in the new database: $_" for grep { !$u{$_} } sort keys %f;
}
ok($updated eq $fresh, 'the updated database has the schema of one created at the new version');

$node->stop;
done_testing();
