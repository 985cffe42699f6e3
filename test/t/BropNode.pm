# BropNode: a PostgreSQL::Test::Cluster node for brop's TAP tests, with a
# fresh root key and salt key (0600) named by brop.root_key_file and
# brop.salt_key_file, logical decoding and the brop output plugin allowed;
# more settings may follow.
package BropNode;
use strict;
use warnings;
use Exporter 'import';
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Cwd qw(realpath);
use Time::HiRes qw(time usleep);
use IPC::Run qw(run);

our @EXPORT = qw(brop_node brop_relay_nodes brop_crash brop_cli brop_cli_in read_file write_file brop_sealed);

# brop_cli_in(STDIN, ARGS...): run the brop command (BROP_BIN) with STDIN
# as its standard input; returns (exit code, stdout, stderr).  The input is
# read from a file, not a pipe: a command that refuses its arguments exits
# before reading, and writing to its pipe then fails with EPIPE, which
# IPC::Run turns into a die (it happened under load on 17).
my $cli_input;
sub brop_cli_in
{
	my ($in, @args) = @_;
	my $brop = $ENV{BROP_BIN} or die "BROP_BIN is not set";
	$cli_input //= PostgreSQL::Test::Utils::tempdir . '/cli-stdin';
	write_file($cli_input, $in);
	my ($out, $err) = ('', '');
	run([ $brop, @args ], '<', $cli_input, '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

# brop_cli(ARGS...): the same with an empty standard input.
sub brop_cli { return brop_cli_in('', @_); }

# read_file(PATH): the file's bytes.
sub read_file
{
	my ($path) = @_;
	open my $fh, '<:raw', $path or die "$path: $!";
	local $/;
	return scalar <$fh>;
}

# write_file(PATH, DATA): replace the file with DATA's bytes.
sub write_file
{
	my ($path, $data) = @_;
	open my $fh, '>:raw', $path or die "$path: $!";
	print $fh $data;
	close $fh or die "$path: $!";
}

# brop_node(NAME [, MORE_CONF]): initialized, not started.
sub brop_node
{
	my ($name, $conf) = @_;
	my $dir  = PostgreSQL::Test::Utils::tempdir;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(allows_streaming => 'logical');
	my %conf;
	for my $key ('root', 'salt')
	{
		my $file = "$dir/$key.key";
		open my $fh, '>', $file or die "$file: $!";
		print $fh unpack('H*', join('', map { chr(int(rand(256))) } 1 .. 32)), "\n";
		close $fh;
		chmod 0600, $file;
		$conf{$key} = $file;
	}
	# output_plugin_libraries exists in Debian's 15.19 and later, and in the 17.12 and
	# 18.6 the matrix tests (DESIGN.md section 7); asked of the server, not assumed
	my $plugins = `'${\$node->config_data('--bindir')}/postgres' --describe-config 2>/dev/null`
	  =~ /^output_plugin_libraries\t/m
	  ? "output_plugin_libraries = 'pgoutput, test_decoding, brop'\n" : '';
	$node->append_conf('postgresql.conf',
		"brop.root_key_file = '$conf{root}'\nbrop.salt_key_file = '$conf{salt}'\n$plugins" . ($conf // ''));
	return $node;
}

# brop_sealed(NODE): waits until the sealing worker of NODE (database
# postgres) has sealed everything committed, captured rows too; returns the
# latest checkpoint.
sub brop_sealed
{
	my ($node) = @_;
	$node->poll_query_until('postgres', q{
		SELECT NOT EXISTS (SELECT FROM brop.pending) AND NOT EXISTS (SELECT FROM brop.capture_queue)})
	  or die 'the sealing worker did not seal';
	return $node->safe_psql('postgres', 'SELECT brop.checkpoint()');
}

# brop_relay_nodes(KEY_FILE): a started source and a started ledger (brop
# preloaded, blocks every 200 ms), and an institution's Ed25519 key made in
# KEY_FILE by `brop keygen`. Returns (source, ledger, did).
sub brop_relay_nodes
{
	my ($keyfile) = @_;
	my $source = brop_node('source');
	my $ledger = brop_node('ledger', q{
shared_preload_libraries = 'brop'
brop.block_interval = '200ms'
});
	$source->start;
	$ledger->start;
	my $brop = $ENV{BROP_BIN} // 'brop';
	my $did = `$brop keygen --out $keyfile`;
	chomp $did;
	return ($source, $ledger, $did);
}

# brop_crash(NODE): SIGKILL to the postmaster and every process of the node
# at once (a backend left running would go on after the postmaster died),
# then waits until they are reaped (a zombie postmaster still owns
# postmaster.pid). Returns how many processes were killed.
sub brop_crash
{
	my ($node) = @_;
	my $datadir = realpath($node->data_dir);
	my @pids;

	# the postmaster and all its children have the data directory as working directory
	opendir(my $d, '/proc') or die "/proc: $!";
	for my $pid (grep { /^\d+$/ } readdir $d)
	{
		my $cwd = readlink("/proc/$pid/cwd");
		push @pids, $pid if defined $cwd && $cwd eq $datadir;
	}
	closedir $d;
	my $pm = $node->{_pid};
	kill 9, $pm, grep { $_ != $pm } @pids;
	$node->kill9;    # bookkeeping (the postmaster is already dead)
	my $until = time + 30;
	while (grep { -e "/proc/$_" } @pids)
	{
		die 'processes survived SIGKILL' if time > $until;
		usleep(10_000);
	}
	return scalar @pids;
}

1;
