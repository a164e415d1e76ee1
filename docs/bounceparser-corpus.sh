#!/bin/sh
# Fetches the bounces Mail::DeliveryStatus::BounceParser tests itself
# against (t/corpus, anonymised real bounces) from Debian's source package,
# which holds them where the binary package does not, checks the archive's
# SHA-256 and unpacks them into the folder TestOutsideReasons reads:
#
#   sh docs/bounceparser-corpus.sh [folder]
#
# The folder defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/smtpbot/bounceparser.
set -eu
dest=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/smtpbot/bounceparser}
name=libmail-deliverystatus-bounceparser-perl_1.543+repacked.orig.tar.xz
url=http://deb.debian.org/debian/pool/main/libm/libmail-deliverystatus-bounceparser-perl/$name
sum=01f89040426ab6de77f9f0bcdce61a938ef6a24179efbfdb4f7a1f68c5263282

if [ -f "$dest/postfix.msg" ]; then
	echo "$dest"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Debian's archive is signed through its Release files; over plain HTTP,
# the pinned checksum (from the package's .dsc) is what vouches for it.
curl -fsS --max-time 60 -o "$tmp/$name" "$url"
echo "$sum  $tmp/$name" | sha256sum -c - >/dev/null
tar -xJf "$tmp/$name" -C "$tmp" --wildcards '*/t/corpus/*'
mkdir -p "$dest"
cp "$tmp"/*/t/corpus/*.msg "$dest"/
echo "$dest"
