// Package diagnose checks, live, the DNS records, authentication and
// blocklist entries behind a bounce: the recipient domain's MX (or null MX,
// or A fallback), the sender domain's SPF evaluated for the sending IP, its
// DMARC policy and alignment, the DKIM key for a selector, the sending IP's
// PTR and forward-confirmed reverse DNS, DNSBL listings and the MTA-STS and
// TLS-RPT records.
//
// It reads a bounce (or a domain or IP typed by a user), decides which
// checks the codes and the server's words call for, and runs them in
// parallel on one resolver, every lookup bounded by a timeout and cached.
// A lookup that fails or times out is reported as an error, never as "no
// record". Results are language-free: each detail is a message key and its
// arguments, put into words by the renderers. It knows nothing of Slack.
package diagnose
