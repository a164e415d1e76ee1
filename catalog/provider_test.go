package catalog

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

func mustDefault(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustParse(tb testing.TB, s string) Code {
	tb.Helper()
	code, err := Parse(s)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", s, err)
	}
	return code
}

// Realistic bounces, quoted for the tests that need more than one line.
const (
	// A Postfix bounce from a server that is not Gmail's, about a Gmail
	// recipient, with the original message's trace headers naming Google.
	postfixBounceGmailRecipient = `This is the mail system at host mail.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<alice@gmail.com>: host mx.example.org[198.51.100.7] said: 550 5.7.26
    Rejected: DMARC policy of google.com says reject (in reply to end of DATA
    command)

Reporting-MTA: dns; mail.example.net
Final-Recipient: rfc822; alice@gmail.com
Action: failed
Status: 5.7.26
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.7.26 Rejected: DMARC policy of google.com says reject

Received: from mail-wr1-f41.google.com (mail-wr1-f41.google.com [209.85.221.41])
	by mx.google.com with ESMTPS id a1si123456wrb.123
X-Google-Smtp-Source: AGHT+IEexample
From: Alice <alice@gmail.com>
`

	// A bounce written by Gmail about Microsoft's rejection.
	gmailBounceOutlookReject = `From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
Subject: Delivery Status Notification (Failure)

Message not delivered
Your message couldn't be delivered to bob@contoso.com because the remote server rejected it.

The response from the remote server was:
550 5.7.509 Access denied, sending domain EXAMPLE.COM does not pass DMARC verification and has a DMARC policy of reject. [BN1NAM02FT064.eop-nam02.prod.protection.outlook.com 2024-04-10T12:00:00.000Z 08DC5A2B]

Reporting-MTA: dns; googlemail.com
Received: by 2002:a05:6a10:1234:b0:5a1:2b3c:4d5e with SMTP id x1csp123456pxb;
X-Received: by 2002:a17:907:1234 with SMTP id abc123;
Final-Recipient: rfc822; bob@contoso.com
Action: failed
Status: 5.7.509
Remote-MTA: dns; contoso-com.mail.protection.outlook.com. (52.101.40.10, the server for the domain contoso.com.)
Diagnostic-Code: smtp; 550 5.7.509 Access denied, sending domain EXAMPLE.COM does not pass DMARC verification and has a DMARC policy of reject.
`

	// A non-delivery report written by Exchange Online about Gmail's
	// rejection, with the original headers naming Microsoft's servers.
	exchangeNDRGmailReject = `Delivery has failed to these recipients or groups:

alice@gmail.com
A problem occurred while delivering this message to this email address.

Diagnostic information for administrators:

Generating server: SN6PR04MB1234.namprd04.prod.outlook.com

alice@gmail.com
Remote server returned '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.com] with ip: [192.0.2.1] = did not pass d75a77b69052e-4530d7e8b9esi1234567cf.301 - gsmtp'

Original message headers:

Received: from SN6PR04MB1234.namprd04.prod.outlook.com ([fe80::1]) by SN6PR04MB1234.namprd04.prod.outlook.com ([fe80::1%5]) with mapi id 15.20.7452.049
Authentication-Results: spf=none (sender IP is 192.0.2.1) smtp.mailfrom=example.com;
Received-SPF: None (protection.outlook.com: example.com does not designate permitted sender hosts)
`
)

func TestProviderMeaningTable(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		name         string
		text         string // what DetectProvider sees
		line         string // the line that carried the code; text when empty
		code         string
		wantProvider string // "" for none
		wantKey      string // "" for no meaning of the provider's own
	}{
		// Gmail.
		{
			name: "gmail 5.7.26 unauthenticated",
			text: "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail\n" +
				"550-5.7.26 requires all senders to authenticate with either SPF or DKIM.\n" +
				"550-5.7.26\n550-5.7.26  Authentication results:\n550-5.7.26  DKIM = did not pass\n" +
				"550-5.7.26  SPF [example.com] with ip: [192.0.2.1] = did not pass\n" +
				"550 5.7.26  https://support.google.com/mail/answer/81126#authentication d75a77b69052e-4530d7e8b9esi1234567cf.301 - gsmtp",
			code: "550 5.7.26", wantProvider: "gmail", wantKey: "gmail/X.7.26",
		},
		{
			name: "gmail 5.7.26 DMARC",
			text: "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n" +
				"550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if\n" +
				"550 5.7.26 this was a legitimate mail. https://support.google.com/mail/?p=DmarcRejection a1si2345678wrb.123 - gsmtp",
			code: "550 5.7.26", wantProvider: "gmail", wantKey: "gmail/X.7.26-dmarc",
		},
		{
			name: "gmail 4.7.26 DMARC with DNS failure",
			text: "451-4.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. - gsmtp",
			code: "451 4.7.26", wantProvider: "gmail", wantKey: "gmail/X.7.26-dmarc",
		},
		{
			name: "gmail old 5.7.1 wording of 5.7.26",
			text: "host ASPMX.L.GOOGLE.COM [64.233.167.27]: 550-5.7.1 This message does not have authentication information or fails to pass\n" +
				"550-5.7.1 authentication checks. To best protect our users from spam, the\n" +
				"550 5.7.1 message has been blocked. u16si2087533wru.356 - gsmtp",
			line: "550-5.7.1 This message does not have authentication information or fails to pass authentication checks.",
			code: "550 5.7.1", wantProvider: "gmail", wantKey: "gmail/X.7.26",
		},
		{
			name: "gmail 4.7.27 SPF rate limit",
			text: "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. Gmail requires all bulk email senders to authenticate their email with SPF. - gsmtp",
			code: "421 4.7.27", wantProvider: "gmail", wantKey: "gmail/X.7.27",
		},
		{
			name: "gmail 5.7.27 means SPF, not null MX",
			text: "550-5.7.27 This message was blocked because it didn't pass SPF authentication. a1si1 - gsmtp",
			code: "550 5.7.27", wantProvider: "gmail", wantKey: "gmail/X.7.27",
		},
		{
			name: "gmail 4.7.28 unusual rate",
			text: "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address 192.0.2.1. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. https://support.google.com/mail/?p=UnsolicitedRateLimitError a1si1 - gsmtp",
			code: "421 4.7.28", wantProvider: "gmail", wantKey: "gmail/X.7.28",
		},
		{
			name: "gmail 4.7.0 unusual rate, older wording",
			text: "421-4.7.0 [192.0.2.1 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. a1si1 - gsmtp",
			code: "421 4.7.0", wantProvider: "gmail", wantKey: "gmail/X.7.28",
		},
		{
			name: "gmail 4.7.29 TLS",
			text: "421-4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection. - gsmtp",
			code: "421 4.7.29", wantProvider: "gmail", wantKey: "gmail/X.7.29",
		},
		{
			name: "gmail 5.7.30 DKIM",
			text: "550-5.7.30 This message was blocked because it didn't pass DKIM authentication. - gsmtp",
			code: "550 5.7.30", wantProvider: "gmail", wantKey: "gmail/X.7.30",
		},
		{
			name: "gmail 4.7.32 alignment",
			text: "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp",
			code: "421 4.7.32", wantProvider: "gmail", wantKey: "gmail/X.7.32",
		},
		{
			name: "gmail 550 5.7.40 no DMARC",
			text: "550-5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy. - gsmtp",
			code: "550 5.7.40", wantProvider: "gmail", wantKey: "gmail/X.7.40",
		},
		{
			name: "gmail 504 5.7.40 is about AUTH, not DMARC",
			text: "504 5.7.40 Unrecognized authentication type. a1si1 - gsmtp",
			code: "504 5.7.40", wantProvider: "gmail", wantKey: "",
		},
		{
			name: "gmail 4.7.23 PTR, not SPF",
			text: "451-4.7.23 192.0.2.1 The sending IP address for this message doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match the sending IP address. - gsmtp",
			code: "451 4.7.23", wantProvider: "gmail", wantKey: "gmail/ptr",
		},
		{
			name: "gmail 4.7.0 PTR",
			text: "421-4.7.0 The IP address sending this message does not have a PTR record, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp",
			code: "421 4.7.0", wantProvider: "gmail", wantKey: "gmail/ptr",
		},
		{
			name: "gmail low reputation",
			text: "550-5.7.1 This message is likely suspicious due to the very low reputation of the sending domain. https://support.google.com/mail/answer/188131 a1si1 - gsmtp",
			code: "550 5.7.1", wantProvider: "gmail", wantKey: "gmail/reputation",
		},
		{
			name: "gmail likely unsolicited",
			text: "550-5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail. a1si1 - gsmtp",
			code: "550 5.7.1", wantProvider: "gmail", wantKey: "gmail/unsolicited",
		},
		{
			name: "gmail custom domain policy",
			text: "550 5.7.1 This message violates example.com email policy. - gcdp a1si1 - gsmtp",
			code: "550 5.7.1", wantProvider: "gmail", wantKey: "gmail/policy",
		},
		{
			name: "gmail RFC 5322",
			text: "550-5.7.1 This message is not RFC 5322 compliant because it has duplicate headers. a1si1 - gsmtp",
			code: "550 5.7.1", wantProvider: "gmail", wantKey: "gmail/rfc5322",
		},
		{
			name: "gmail receiving too quickly",
			text: "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. - gsmtp",
			code: "450 4.2.1", wantProvider: "gmail", wantKey: "gmail/X.2.1-rate",
		},
		{
			name: "gmail disabled account keeps the registry meaning",
			text: "550-5.2.1 The email account that you tried to reach is inactive. https://support.google.com/mail/?p=DisabledUser a1si1 - gsmtp",
			code: "550 5.2.1", wantProvider: "gmail", wantKey: "",
		},
		{
			name: "gmail out of storage",
			text: "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp a1si1 - gsmtp",
			code: "452 4.2.2", wantProvider: "gmail", wantKey: "gmail/X.2.2",
		},
		{
			name: "gmail daily sending limit",
			text: "550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852 a1si1 - gsmtp",
			code: "550 5.4.5", wantProvider: "gmail", wantKey: "gmail/X.4.5",
		},
		{
			name: "gmail peak relay limit",
			text: "450 4.2.1 Peak SMTP relay limit exceeded for customer. This is a temporary error. a1si1 - gsmtp",
			code: "450 4.2.1", wantProvider: "gmail", wantKey: "gmail/X.4.5",
		},
		{
			name: "gmail relay denied",
			text: "550 5.7.0 Mail relay denied [203.0.113.5]. Invalid credentials for relay for one of the domains in: example.com (as obtained from HELO and MAIL FROM). a1si1 - gsmtp",
			code: "550 5.7.0", wantProvider: "gmail", wantKey: "gmail/relay-denied",
		},
		{
			name: "gmail bad credentials",
			text: "535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials k18-20020a05600c055200b003974a00697esm27282101wmc.38 - gsmtp",
			code: "535 5.7.8", wantProvider: "gmail", wantKey: "gmail/5.7.8",
		},
		{
			name: "gmail app password",
			text: "534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor a1si1 - gsmtp",
			code: "534 5.7.9", wantProvider: "gmail", wantKey: "gmail/app-password",
		},
		{
			name: "gmail web sign-in",
			text: "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1> Please log in via your web browser and\n534-5.7.14 then try again.\n534 5.7.14 https://support.google.com/mail/answer/78754 e131-v6sm38790685pfc.52 - gsmtp",
			code: "534 5.7.14", wantProvider: "gmail", wantKey: "gmail/app-password",
		},
		{
			name: "gmail TLS required by the recipient domain",
			text: "421-4.7.0 TLS required for RCPT domain, closing connection. a1si1 - gsmtp",
			code: "421 4.7.0", wantProvider: "gmail", wantKey: "gmail/tls-required",
		},
		{
			name: "gmail user unknown in a Postfix log keeps the registry meaning",
			text: "Apr 10 12:00:00 mx postfix/smtp[123]: 4F2A: to=<bob@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.1.1 The email account that you tried to reach does not exist. a1si1 - gsmtp (in reply to RCPT TO command))",
			code: "550 5.1.1", wantProvider: "gmail", wantKey: "",
		},
		{
			name: "markers ignore case",
			text: "550 5.7.27 SOMETHING - GSMTP",
			code: "550 5.7.27", wantProvider: "gmail", wantKey: "gmail/X.7.27",
		},

		// Microsoft.
		{
			name: "microsoft Spamhaus",
			text: "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/192.0.2.1 (AS3130). [BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]",
			code: "550 5.7.1", wantProvider: "microsoft", wantKey: "microsoft/spamhaus",
		},
		{
			name: "microsoft DMARC reject",
			text: "550 5.7.509 Access denied, sending domain EXAMPLE.COM does not pass DMARC verification and has a DMARC policy of reject. [BN1NAM02FT064.eop-nam02.prod.protection.outlook.com]",
			code: "550 5.7.509", wantProvider: "microsoft", wantKey: "microsoft/5.7.509",
		},
		{
			name: "outlook.com bulk sender requirements",
			text: "host hotmail-com.olc.protection.outlook.com[52.101.42.9] said: 550 5.7.515 Access denied, sending domain EXAMPLE.COM doesn't meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. (in reply to end of DATA command)",
			code: "550 5.7.515", wantProvider: "microsoft", wantKey: "microsoft/5.7.515",
		},
		{
			name: "microsoft server busy",
			text: "451 4.7.500 Server busy. Please try again later from [192.0.2.2]. (AS761) [DM6NAM10FT012.eop-nam10.prod.protection.outlook.com]",
			code: "451 4.7.500", wantProvider: "microsoft", wantKey: "microsoft/4.7.5xx",
		},
		{
			name: "outlook.com IP reputation",
			text: "451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent][AGT=PFA][MxId=11BB6CF0D6F12AA7] [CO1PEPF000044F1.namprd05.prod.outlook.com]",
			code: "451 4.7.650", wantProvider: "microsoft", wantKey: "microsoft/4.7.650",
		},
		{
			name: "outlook.com S3150",
			text: "host eur.olc.protection.outlook.com[104.47.0.33] said: 550 5.7.1 Unfortunately, messages from [192.0.2.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM2PEPF0001C70F.eurprd05.prod.outlook.com] (in reply to MAIL FROM command)",
			code: "550 5.7.1", wantProvider: "microsoft", wantKey: "microsoft/block-list",
		},
		{
			name: "microsoft banned sending IP",
			text: "550 5.7.606 Access denied, banned sending IP [192.0.2.9]. To request removal from this list please visit https://sender.office.com/ and follow the directions. AS(1430) [SA2NAM11FT011.eop-nam11.prod.protection.outlook.com]",
			code: "550 5.7.606", wantProvider: "microsoft", wantKey: "microsoft/5.7.606",
		},
		{
			name: "microsoft directory based edge blocking",
			text: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT045.eop-EUR03.prod.protection.outlook.com]",
			code: "550 5.4.1", wantProvider: "microsoft", wantKey: "microsoft/5.4.1",
		},
		{
			name: "microsoft relay access denied",
			text: "550 5.4.1 Relay Access Denied ATTR36 [DM3NAM03FT011.eop-NAM03.prod.protection.outlook.com]",
			code: "550 5.4.1", wantProvider: "microsoft", wantKey: "microsoft/relay-denied",
		},
		{
			name: "microsoft mailbox full keeps the registry meaning",
			text: "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception",
			code: "554 5.2.2", wantProvider: "microsoft", wantKey: "",
		},
		{
			name: "microsoft submission quota",
			text: "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Cannot submit message.",
			code: "554 5.2.0", wantProvider: "microsoft", wantKey: "microsoft/sending-limits",
		},
		{
			name: "microsoft send as denied",
			text: "554 5.2.252 SendAsDenied; alerts@example.com not allowed to send as ops@example.org; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception",
			code: "554 5.2.252", wantProvider: "microsoft", wantKey: "microsoft/send-as-denied",
		},
		{
			name: "microsoft send as denied, in Exchange's own words",
			text: "550 5.7.60 SMTP; Client does not have permissions to send as this sender [BY2PR1001MB1094.namprd10.prod.outlook.com]",
			code: "550 5.7.60", wantProvider: "microsoft", wantKey: "microsoft/send-as-denied",
		},
		{
			// The same 5.2.252, sent once a mailbox kept failing: another meaning.
			name: "microsoft submission throttled",
			text: "550 5.2.252 Sender throttled due to continuous send as denied errors. [AM0PR01MB1234.eurprd01.prod.outlook.com]",
			code: "550 5.2.252", wantProvider: "microsoft", wantKey: "microsoft/submission-throttled",
		},
		{
			name: "microsoft external forwarding blocked",
			text: "550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555) [DB8EUR05FT012.eop-eur05.prod.protection.outlook.com]",
			code: "550 5.7.520", wantProvider: "microsoft", wantKey: "microsoft/5.7.520",
		},
		{
			// The registry's 5.7.30 is REQUIRETLS; Microsoft's is its retired
			// basic authentication.
			name: "microsoft basic authentication retired",
			text: "550 5.7.30 Basic authentication is not supported for Client Submission. [AM0PR01MB1234.eurprd01.prod.outlook.com]",
			code: "550 5.7.30", wantProvider: "microsoft", wantKey: "microsoft/basic-auth-retired",
		},
		{
			// Pasted without the host: Microsoft's own sentences name it.
			name: "microsoft basic authentication retired, words alone",
			text: "550 5.7.30 Basic authentication is not supported for Client Submission.",
			code: "550 5.7.30", wantProvider: "microsoft", wantKey: "microsoft/basic-auth-retired",
		},
		{
			name: "microsoft SMTP AUTH off for the tenant, words alone",
			text: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
			code: "535 5.7.139", wantProvider: "microsoft",
		},
		{
			name: "microsoft send as denied, words alone",
			text: "554 5.2.252 SendAsDenied; sender@example.com not allowed to send as other@example.com",
			code: "554 5.2.252", wantProvider: "microsoft", wantKey: "microsoft/send-as-denied",
		},
		{
			name: "microsoft 5.7.57",
			text: "530 5.7.57 Client not authenticated to send mail during MAIL FROM [BY5PR04CA0012.namprd04.prod.outlook.com]",
			code: "530 5.7.57", wantProvider: "microsoft", wantKey: "microsoft/5.7.57",
		},
		{
			name: "microsoft recipient not found",
			text: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@contoso.com not found by SMTP address lookup",
			code: "550 5.1.10", wantProvider: "microsoft", wantKey: "microsoft/5.1.10",
		},
		{
			name: "microsoft allowed senders",
			text: "550 5.7.124 STOREDRV.Deliver; sender not in allowed-senders list [Stage: CreateMessage]",
			code: "550 5.7.124", wantProvider: "microsoft", wantKey: "microsoft/delivery-not-authorized",
		},
		{
			name: "microsoft external senders",
			text: "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group [SN6PR04MB1234.namprd04.prod.outlook.com]",
			code: "550 5.7.133", wantProvider: "microsoft", wantKey: "microsoft/external-senders",
		},

		// Yahoo and AOL.
		{
			name: "yahoo TSS04",
			text: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
			code: "421 4.7.0", wantProvider: "yahoo", wantKey: "yahoo/TSS04",
		},
		{
			name: "yahoo TSS09",
			text: "host mta7.am0.yahoodns.net[67.195.228.106] said: 553 5.7.2 [TSS09] All messages from 192.0.2.25 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)",
			code: "553 5.7.2", wantProvider: "yahoo", wantKey: "yahoo/TSS09",
		},
		{
			name: "yahoo TS01",
			text: "421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints - 4.16.55.1; see https://help.yahoo.com/kb/postmaster/SLN3434.html",
			code: "421 4.7.0", wantProvider: "yahoo", wantKey: "yahoo/TS0x",
		},
		{
			name: "yahoo PH01 without enhanced code",
			text: "554 Message not allowed - [PH01] Email not accepted for policy reasons.  Please visit https://postmaster.yahooinc.com/error-codes [120]",
			code: "554", wantProvider: "yahoo", wantKey: "yahoo/PH01",
		},
		{
			name: "yahoo policy",
			text: "554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes",
			code: "554 5.7.9", wantProvider: "yahoo", wantKey: "yahoo/5.7.9",
		},
		{
			name: "yahoo Spamhaus",
			text: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.25, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html",
			code: "553 5.7.1", wantProvider: "yahoo", wantKey: "yahoo/spamhaus",
		},
		{
			name: "aol disabled mailbox",
			text: "host mx-aol.mail.gm0.yahoodns.net[67.195.204.79] said: 554 30 Sorry, your message to bob@aol.com cannot be delivered. This mailbox is disabled (554.30). (in reply to end of DATA command)",
			code: "554", wantProvider: "yahoo", wantKey: "yahoo/disabled",
		},
		{
			name: "a longer tag is not the tag",
			text: "421 4.7.0 [TSS041] Messages deferred; see https://postmaster.yahooinc.com/error-codes",
			code: "421 4.7.0", wantProvider: "yahoo", wantKey: "",
		},

		// iCloud.
		{
			name: "icloud CS01",
			text: "host mx01.mail.icloud.com[17.57.154.6] said: 554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137 (in reply to end of DATA command)",
			code: "554 5.7.1", wantProvider: "icloud", wantKey: "icloud/local-policy",
		},
		{
			name: "icloud over quota",
			text: "host mx02.mail.icloud.com[17.42.251.62] said: 552 5.2.2 <bob@icloud.com>: user is over quota (in reply to RCPT TO command)",
			code: "552 5.2.2", wantProvider: "icloud", wantKey: "icloud/over-quota",
		},
		{
			name: "icloud address only is not iCloud's reply",
			text: "552 5.2.2 <bob@icloud.com>: user is over quota",
			code: "552 5.2.2", wantProvider: "", wantKey: "",
		},
		{
			name: "icloud refusing through Proofpoint",
			text: "host mx02.mail.icloud.com[17.42.251.62] said: 554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.8 (in reply to MAIL FROM command)",
			code: "554 5.7.0", wantProvider: "icloud", wantKey: "icloud/proofpoint",
		},

		// Proofpoint.
		{
			name: "proofpoint PDR block",
			text: "host mx0b-00123401.pphosted.com[148.163.159.18] said: 554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.8 (in reply to MAIL FROM command)",
			code: "554 5.7.0", wantProvider: "proofpoint", wantKey: "proofpoint/pdr-block",
		},
		{
			name: "proofpoint old lookup link",
			text: "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.8",
			code: "550 5.7.0", wantProvider: "proofpoint", wantKey: "proofpoint/pdr-block",
		},
		{
			name: "proofpoint user unknown keeps the registry meaning",
			text: "host mx0a-00123401.pphosted.com[148.163.155.1] said: 550 5.1.1 User Unknown (in reply to RCPT TO command)",
			code: "550 5.1.1", wantProvider: "proofpoint", wantKey: "",
		},

		// Mimecast.
		{
			name: "mimecast greylisting",
			text: "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [Aj3QXapeMpqZYaeFwWhjzw.us32]",
			code: "451", wantProvider: "mimecast", wantKey: "mimecast/greylisting",
		},
		{
			name: "mimecast invalid recipient",
			text: "host us-smtp-inbound-1.mimecast.com[205.139.110.242] said: 550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [pIGBKjbnNx2Hg8TaOLsXpA.us493] (in reply to RCPT TO command)",
			code: "550", wantProvider: "mimecast", wantKey: "mimecast/invalid-recipient",
		},
		{
			name: "mimecast administrative prohibition",
			text: "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 [xyz.eu123]",
			code: "550", wantProvider: "mimecast", wantKey: "mimecast/administrative-prohibition",
		},
		{
			name: "mimecast user entry",
			text: "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [xyz.eu123]",
			code: "550", wantProvider: "mimecast", wantKey: "mimecast/blocked-by-user",
		},
		{
			name: "mimecast security policies",
			text: "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [xyz.us12]",
			code: "554", wantProvider: "mimecast", wantKey: "mimecast/security-policies",
		},
		{
			name: "mimecast SPF",
			text: "550 SPF Sender Invalid - envelope rejected - https://community.mimecast.com/docs/DOC-1369#550 [xyz.us12]",
			code: "550", wantProvider: "mimecast", wantKey: "mimecast/sender-invalid",
		},

		// No provider.
		{name: "empty", text: "", code: "550", wantProvider: ""},
		{
			name: "postfix local rejection",
			text: "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
			code: "550 5.1.1", wantProvider: "",
		},
		{
			name: "gmail address in a bounce from another server",
			text: postfixBounceGmailRecipient,
			line: "550 5.7.26 Rejected: DMARC policy of google.com says reject",
			code: "550 5.7.26", wantProvider: "",
		},
		{
			name: "domains inside longer names are not the provider's",
			text: "host mx.acme.com[192.0.2.1] said: 550 5.7.1 blocked, see https://notgmail.com.example/help",
			code: "550 5.7.1", wantProvider: "",
		},

		// Bounces that name two providers: the rejecting one wins.
		{
			name: "gmail bounce about an Outlook rejection",
			text: gmailBounceOutlookReject,
			line: "550 5.7.509 Access denied, sending domain EXAMPLE.COM does not pass DMARC verification and has a DMARC policy of reject.",
			code: "550 5.7.509", wantProvider: "microsoft", wantKey: "microsoft/5.7.509",
		},
		{
			name: "exchange NDR about a Gmail rejection",
			text: exchangeNDRGmailReject,
			line: "Remote server returned '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp'",
			code: "550 5.7.26", wantProvider: "gmail", wantKey: "gmail/X.7.26",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.DetectProvider(tt.text)
			got := ""
			if p != nil {
				got = p.ID
			}
			if got != tt.wantProvider {
				t.Fatalf("DetectProvider = %q, want %q", got, tt.wantProvider)
			}
			line := tt.line
			if line == "" {
				line = tt.text
			}
			m, ok := c.ProviderMeaning(p, mustParse(t, tt.code), line)
			if ok != (tt.wantKey != "") || m.Key != tt.wantKey {
				t.Fatalf("ProviderMeaning(%s) = %q, %v; want %q", tt.code, m.Key, ok, tt.wantKey)
			}
			if ok && m.Provider != p {
				t.Fatalf("ProviderMeaning returned provider %v, want %v", m.Provider.ID, p.ID)
			}
		})
	}
}

// TestProviderMeaningCodeOnly covers lookups without a server text, as when
// someone asks about a code and names the provider.
func TestProviderMeaningCodeOnly(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		provider, code, want string
	}{
		{"gmail", "5.7.26", "gmail/X.7.26"},
		{"gmail", "421 4.7.26", "gmail/X.7.26"},
		{"gmail", "5.7.27", "gmail/X.7.27"},
		{"gmail", "4.7.28", "gmail/X.7.28"},
		{"gmail", "550 5.7.40", "gmail/X.7.40"},
		{"gmail", "4.7.40", "gmail/X.7.40"},
		{"gmail", "504 5.7.40", ""},
		{"gmail", "5.7.40", ""}, // 550 is DMARC, 504 is AUTH: ambiguous alone
		{"gmail", "5.7.25", "gmail/ptr"},
		{"gmail", "5.1.1", ""},
		{"gmail", "550", ""},
		{"microsoft", "5.7.509", "microsoft/5.7.509"},
		{"microsoft", "5.7.620", "microsoft/5.7.606"},
		{"microsoft", "5.7.650", ""}, // the 4.7.5xx range is for class 4 only
		{"microsoft", "4.7.650", "microsoft/4.7.5xx"},
		{"microsoft", "4.7.870", "microsoft/4.7.5xx"},
		{"microsoft", "4.7.700", ""},
		{"microsoft", "5.7.502", "microsoft/5.7.501"},
		{"microsoft", "5.2.121", "microsoft/receive-limits"},
		{"microsoft", "5.2.2", ""},
		{"microsoft", "5.4.1", "microsoft/5.4.1"},
		{"gmail", "421 4.4.5", ""}, // Google: "Server busy, try again later", not a sending limit
		{"gmail", "550 5.4.5", "gmail/X.4.5"},
		{"microsoft", "4.4.1", ""}, // a timeout, not edge blocking: Directory-Based Edge Blocking is a 5.4.1
		{"microsoft", "5.7.504", "microsoft/5.4.1"},
		// A connection that failed, by class: still retrying, or expired.
		{"microsoft", "450 4.4.316", "microsoft/connect-failed"},
		{"microsoft", "550 5.4.316", "microsoft/connect-expired"},
		{"microsoft", "550 5.4.312", "microsoft/connect-expired"},
		{"microsoft", "5.4.313", ""}, // not documented
		{"microsoft", "5.4.300", ""}, // "Message expired": the words say so, no connection is named
		{"yahoo", "421 4.7.0", ""},
		{"proofpoint", "554 5.7.0", ""},
		{"mimecast", "550", ""},
	}
	for _, tt := range tests {
		p, ok := c.Provider(tt.provider)
		if !ok {
			t.Fatalf("no provider %q", tt.provider)
		}
		m, ok := c.ProviderMeaning(p, mustParse(t, tt.code), "")
		if ok != (tt.want != "") || m.Key != tt.want {
			t.Errorf("%s %s: got %q, %v; want %q", tt.provider, tt.code, m.Key, ok, tt.want)
		}
	}
	if _, ok := c.ProviderMeaning(nil, mustParse(t, "550 5.7.26"), "gsmtp"); ok {
		t.Error("ProviderMeaning(nil, ...) reported a meaning")
	}
	if _, ok := c.Provider("nosuch"); ok {
		t.Error(`Provider("nosuch") found something`)
	}
}

// TestProvidersLocaleText checks that English has a complete text for every
// provider and every meaning key, and nothing else.
func TestProvidersLocaleText(t *testing.T) {
	c := mustDefault(t)
	b, err := os.ReadFile("../locales/data/en/providers.json")
	if err != nil {
		t.Fatal(err)
	}
	var texts map[string]struct {
		Title   string `json:"title"`
		Meaning string `json:"meaning"`
		Fix     string `json:"fix"`
	}
	if err := json.Unmarshal(b, &texts); err != nil {
		t.Fatal(err)
	}
	if len(c.Providers()) == 0 {
		t.Fatal("no providers loaded")
	}
	used := map[string]bool{}
	check := func(key string) {
		t.Helper()
		used[key] = true
		tx, ok := texts[key]
		if !ok {
			t.Errorf("%s: no English text", key)
			return
		}
		for field, s := range map[string]string{"title": tx.Title, "meaning": tx.Meaning, "fix": tx.Fix} {
			switch {
			case strings.TrimSpace(s) == "":
				t.Errorf("%s: empty %s", key, field)
			case s != strings.TrimSpace(s):
				t.Errorf("%s: %s has surrounding space", key, field)
			case strings.Contains(s, "**") || strings.Contains(s, "`") || strings.Contains(s, "](") || strings.Contains(s, "\n"):
				t.Errorf("%s: %s is not plain text: %q", key, field, s)
			case field != "title" && !strings.HasSuffix(s, "."):
				t.Errorf("%s: %s does not end a sentence: %q", key, field, s)
			case field == "title" && strings.HasSuffix(s, "."):
				t.Errorf("%s: title ends with a period: %q", key, s)
			}
		}
	}
	for _, bl := range c.Blocklists() {
		check(bl.ID)
		if got := texts[bl.ID].Title; got != bl.Name {
			t.Errorf("%s: English title %q, want the display name %q", bl.ID, got, bl.Name)
		}
		if bl.Delist != "" && !strings.Contains(texts[bl.ID].Fix, bl.Delist) {
			t.Errorf("%s: the English fix does not give the delisting page %s", bl.ID, bl.Delist)
		}
	}
	meanings := 0
	for _, p := range c.Providers() {
		check(p.ID)
		if got := texts[p.ID].Title; got != p.Name {
			t.Errorf("%s: English title %q, want the display name %q", p.ID, got, p.Name)
		}
		for _, k := range p.Keys() {
			check(k)
			meanings++
		}
	}
	for k := range texts {
		if !used[k] {
			t.Errorf("%s: English text for a key no provider uses", k)
		}
	}
	if meanings < 40 || meanings > 80 {
		t.Errorf("%d provider meanings; the data aims at the 40 to 70 most seen", meanings)
	}
}

func TestParseProvidersRejectsBadData(t *testing.T) {
	bad := map[string]string{
		"not json":         `{`,
		"no id":            `[{"name":"X","docs":"https://x","markers":["x"]}]`,
		"no docs":          `[{"id":"x","name":"X","markers":["x"]}]`,
		"marker no letter": `[{"id":"x","name":"X","docs":"https://x","markers":["[0]"]}]`,
		"marker with tab":  `[{"id":"x","name":"X","docs":"https://x","markers":["a\tb"]}]`,
		"duplicate id":     `[{"id":"x","name":"X","docs":"https://x","markers":["x"]},{"id":"x","name":"X","docs":"https://x","markers":["x"]}]`,
		"no markers":       `[{"id":"x","name":"X","docs":"https://x"}]`,
		"uppercase marker": `[{"id":"x","name":"X","docs":"https://x","markers":["Gsmtp"]}]`,
		"name no letter":   `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"names":["365"]}]`,
		"non-ASCII text":   `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","text":["café"]}]}]`,
		"key prefix":       `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"y/a","enhanced":"5.7.1"}]}]`,
		"bare key":         `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/","enhanced":"5.7.1"}]}]`,
		"no condition":     `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a"}]}]`,
		"bad enhanced":     `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","enhanced":"7.1"}]}]`,
		"bad class":        `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","enhanced":"3.7.1"}]}]`,
		"reversed range":   `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","enhanced":"5.7.9-1"}]}]`,
		"bad reply":        `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","reply":"5x0"}]}]`,
		"bracketed tag":    `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","tag":"[TSS04]"}]}]`,
		"class clash":      `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","enhanced":"4.7.1","reply":"550"}]}]`,
	}
	for name, data := range bad {
		if _, err := parseProviders([]byte(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	good := `[{"id":"x","name":"X","docs":"https://x","markers":["x"],"meanings":[{"key":"x/a","enhanced":"X.7.500-699","reply":"4xx","tag":"AS1","text":["busy"]}]}]`
	ps, err := parseProviders([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	r := ps[0].rules[0]
	if r.detailMin != 500 || r.detailMax != 699 || r.replyClass != ClassTransientNegative || string(r.tag) != "as1" {
		t.Errorf("parsed %+v", r)
	}
}

func TestContainsHostFold(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"gmail.com", true},
		{"Remote-MTA: dns; alt1.GMAIL.COM.", true},
		{"see gmail.com/help", true},
		{"<bob@gmail.com>", false},
		{"notgmail.com", false},
		{"gmail.com.example", false},
		{"gmail.community", false},
		{"gmail.com-x", false},
	}
	for _, tt := range tests {
		if got := containsHostFold(tt.s, "gmail.com"); got != tt.want {
			t.Errorf("containsHostFold(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestHasReplyCode(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"550 5.1.1 no", true},
		{"550-5.7.26 x", true},
		{"said: 421 4.7.0", true},
		{"smtp;550 5.7.1", true},
		{"Remote server returned '550-5.7.26", true},
		{"451", true},
		{"250 OK", false},
		{"id 15.20.7452.49", false},
		{"port 465 and 587", false},
		{"12:45:01", false},
		{"size 5242880", false},
		{"4.16.55.1", false},
		{"mx0b-451234", false},
	}
	for _, tt := range tests {
		if got := hasReplyCode(tt.s); got != tt.want {
			t.Errorf("hasReplyCode(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestNextLogicalLine(t *testing.T) {
	s := "a: 1\n  cont\n\tcont2\nb\n\nc"
	var got []string
	for rest := s; rest != ""; {
		var line string
		line, rest = nextLogicalLine(rest)
		got = append(got, line)
	}
	want := []string{"a: 1\n  cont\n\tcont2\n", "b\n", "\n", "c"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDetectProviderDoesNotAllocate(t *testing.T) {
	c := mustDefault(t)
	text := benchText()
	line := "550-5.7.26 This mail has been blocked because the sender is unauthenticated. - gsmtp"
	code := mustParse(t, "550 5.7.26")
	allocs := testing.AllocsPerRun(20, func() {
		p := c.DetectProvider(text)
		c.ProviderMeaning(p, code, line)
	})
	if allocs != 0 {
		t.Errorf("DetectProvider+ProviderMeaning allocate %v times per call", allocs)
	}
}

// benchText is a bounce of about 3 KB whose rejection is Gmail's.
func benchText() string {
	var b strings.Builder
	b.WriteString("This is the mail system at host mail.example.net.\n\n" +
		"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
		"<alice@gmail.com>: host gmail-smtp-in.l.google.com[142.250.102.27] said:\n" +
		"    550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n" +
		"    550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.\n" +
		"    550 5.7.26 https://support.google.com/mail/answer/81126 a1si123 - gsmtp (in reply to end of DATA command)\n\n" +
		"Reporting-MTA: dns; mail.example.net\nFinal-Recipient: rfc822; alice@gmail.com\nAction: failed\nStatus: 5.7.26\n\n")
	for b.Len() < 3000 {
		b.WriteString("Received: from app12.internal.example.net (app12.internal.example.net [10.0.0.12])\n" +
			"\tby mail.example.net (Postfix) with ESMTP id 4F2A1C0042 for <alice@gmail.com>;\n" +
			"\tWed, 10 Apr 2024 12:00:00 +0000 (UTC)\n" +
			"Subject: Your weekly report is ready to download from the dashboard\n")
	}
	return b.String()
}

// BenchmarkDetectProviderAndMeaning recognises the provider of a 3 KB
// bounce and picks its meaning, with the one-pass automaton and with the
// search of the whole text per mark that it replaced, on the same data.
func BenchmarkDetectProviderAndMeaning(b *testing.B) {
	c := mustDefault(b)
	text := benchText()
	line := "550-5.7.26 This mail has been blocked because the sender is unauthenticated. - gsmtp"
	code := mustParse(b, "550 5.7.26")
	for _, bb := range []struct {
		name   string
		detect func(string) *Provider
	}{
		{"one-pass", c.DetectProvider},
		{"multi-pass", func(s string) *Provider { return c.detectMultiPass(s).Provider }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				p := bb.detect(text)
				if p == nil {
					b.Fatal("no provider")
				}
				if _, ok := c.ProviderMeaning(p, code, line); !ok {
					b.Fatal("no meaning")
				}
			}
		})
	}
}

func FuzzDetectProvider(f *testing.F) {
	for _, s := range []string{
		"", "550", "gsmtp", "[TSS04]", "\n\t\n", "x@gmail.com", "4", "45", "550-",
		postfixBounceGmailRecipient, gmailBounceOutlookReject, exchangeNDRGmailReject,
		"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred - see https://postmaster.yahooinc.com/error-codes",
		"554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.8 mx0a.pphosted.com",
	} {
		f.Add(s)
	}
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	codes := []Code{{}, {Reply: 550}, {Reply: 421, Enhanced: Enhanced{4, 7, 0}}, {Enhanced: Enhanced{5, 7, 26}}, {Reply: 550, Enhanced: Enhanced{5, 7, 620}}}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := c.Detect(text), c.detectMultiPass(text); got != want {
			t.Fatalf("Detect(%q) = %v, the multi-pass search %v", text, got, want)
		}
		p := c.DetectProvider(text)
		for _, q := range append([]*Provider{p}, c.Providers()...) {
			for _, code := range codes {
				if m, ok := c.ProviderMeaning(q, code, text); ok && (m.Provider != q || !strings.HasPrefix(m.Key, q.ID+"/")) {
					t.Fatalf("meaning %q from provider %v", m.Key, m.Provider)
				}
			}
		}
		// The folding search must agree with lowercasing, for ASCII text.
		plain := true
		for i := 0; i < len(text); i++ {
			if text[i] >= 0x80 {
				plain = false
				break
			}
		}
		if plain {
			lower := strings.ToLower(text)
			for _, needle := range []string{"gsmtp", "[tss", "a", "5.7.", "@"} {
				if got, want := ascii.IndexFold(text, needle), strings.Index(lower, needle); got != want {
					t.Fatalf("ascii.IndexFold(%q, %q) = %d, want %d", text, needle, got, want)
				}
			}
		}
		containsHostFold(text, "gmail.com")
		if got, want := containsTag(ascii.AppendLower(nil, text), []byte("tss04")), wordTSS04.MatchString(text); got != want {
			t.Fatalf("containsWord(%q, tss04) = %v, want %v", text, got, want)
		}
		hasReplyCode(text)
	})
}

// wordTSS04 is what containsTag(lowered text, "tss04") must find: the tag
// in any ASCII case, with no ASCII letter or digit on either side.
var wordTSS04 = regexp.MustCompile(`(^|[^a-zA-Z0-9])[tT][sS][sS]04([^a-zA-Z0-9]|$)`)
