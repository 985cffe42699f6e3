# BropNode: a PostgreSQL::Test::Cluster node for brop's TAP tests, with a
# fresh root key (0600) named by brop.root_key_file; more settings may follow.
package BropNode;
use strict;
use warnings;
use Exporter 'import';
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;

our @EXPORT = qw(brop_node);

# brop_node(NAME [, MORE_CONF]): initialized, not started.
sub brop_node
{
	my ($name, $conf) = @_;
	my $dir  = PostgreSQL::Test::Utils::tempdir;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	my $root = "$dir/root.key";
	open my $fh, '>', $root or die "$root: $!";
	print $fh unpack('H*', join('', map { chr(int(rand(256))) } 1 .. 32)), "\n";
	close $fh;
	chmod 0600, $root;
	$node->append_conf('postgresql.conf', "brop.root_key_file = '$root'\n" . ($conf // ''));
	return $node;
}

1;
