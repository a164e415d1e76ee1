#!/usr/bin/perl
# Labels bounces with sisimai's reading, one JSON line a message, in the
# form of the shared corpus's labels.jsonl: the file's name and, for each
# recipient, sisimai's status, reply code and bounce reason. Made
# docs/flufl-labels.jsonl and docs/bounceparser-labels.jsonl with Debian's
# libsisimai-perl (4.25.15):
#
#   apt-get install libsisimai-perl python3-flufl.bounce
#   perl docs/sisimai-labels.pl /usr/lib/python3/dist-packages/flufl/bounce/tests/data/*.txt > docs/flufl-labels.jsonl
#   sh docs/bounceparser-corpus.sh /tmp/bp
#   perl docs/sisimai-labels.pl /tmp/bp/*.msg > docs/bounceparser-labels.jsonl
#
# and likewise, from clones of their repositories (README),
# docs/phpbounce-labels.jsonl (PHP-Bounce-Handler's eml/*),
# docs/cwsbounce-labels.jsonl (CwsMailBounceHandler's tests/emls/*),
# docs/flanker-labels.jsonl (flanker's tests/fixtures/messages/bounce/*) and
# docs/dadamail-labels.jsonl (the bounces among Dada Mail's
# app/dada/t/corpus/email_messages/*); later, the labels of the other
# outside sets README lists, each from the folder its table names.
#
# Messages sisimai reads no bounce in are left out.
use strict;
use warnings;
use Sisimai;
use JSON::PP;

my $json = JSON::PP->new->canonical;
for my $path (@ARGV) {
    my $found = Sisimai->make($path, 'delivered' => 1, 'vacation' => 1) or next;
    my @expected = map {
        { status => '' . ($_->deliverystatus // ''), reply => '' . ($_->replycode // ''), reason => '' . ($_->reason // '') }
    } @$found;
    next unless @expected;
    (my $name = $path) =~ s{.*/}{};
    print $json->encode({ file => $name, expected => \@expected }), "\n";
}
