#!/bin/sh
# Wraps the bounce texts email-bounce-parser (Crisp, MIT) tests itself
# against, test/fixtures/*.txt of a clone of its repository, into messages:
# the fixtures are a bounce's body alone, and sisimai, which labels them
# (docs/crisp-labels.jsonl), reads a message. The headers are those the
# body's mail software writes on its bounces, chosen from the body's own
# first words, the same for every file of a kind:
#
#   git clone https://github.com/crisp-oss/email-bounce-parser
#   sh docs/crisp-wrap.sh email-bounce-parser/test/fixtures [folder]
#
# The folder defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/smtpbot/crisp.
set -eu
src=$1
dest=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/smtpbot/crisp}
mkdir -p "$dest"
for f in "$src"/*.txt; do
	name=$(basename "$f" .txt)
	if grep -q -e 'This is the mail system at host' -e 'This is the Postfix program' "$f"; then
		from='MAILER-DAEMON@mailer.example.net (Mail Delivery System)'
		subject='Undelivered Mail Returned to Sender'
	elif grep -q 'This message was created automatically by mail delivery software' "$f"; then
		from='Mail Delivery System <Mailer-Daemon@mailer.example.net>'
		subject='Mail delivery failed: returning message to sender'
	else
		from='Mail Delivery Subsystem <MAILER-DAEMON@mailer.example.net>'
		subject='Delivery Status Notification (Failure)'
	fi
	{
		printf 'From: %s\n' "$from"
		printf 'To: sender@example.org\n'
		printf 'Subject: %s\n' "$subject"
		printf 'Date: Mon, 7 Dec 2026 00:00:00 +0000\n'
		printf 'Message-ID: <%s@mailer.example.net>\n' "$name"
		printf 'MIME-Version: 1.0\n'
		printf 'Content-Type: text/plain; charset=utf-8\n'
		printf 'Content-Transfer-Encoding: 8bit\n\n'
		cat "$f"
	} >"$dest/$name.eml"
done
echo "$dest"
