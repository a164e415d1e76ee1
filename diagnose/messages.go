package diagnose

// MessageKeys lists every Message key a Report can hold (details and
// summaries), without the "diagnose." prefix they have in the locales, so
// that the renderers' tests can check every language says each one.
var MessageKeys = []string{
	"lookup.timeout", "lookup.failed", "lookup.unreachable",
	"mx.found", "mx.nxdomain", "mx.null", "mx.none",
	"null_mx.present", "null_mx.absent",
	"a.fallback", "a.none",
	"spf.pass", "spf.fail", "spf.softfail", "spf.neutral", "spf.none", "spf.multiple",
	"spf.too_many_lookups", "spf.permerror", "spf.record",
	"dmarc.none", "dmarc.multiple", "dmarc.invalid", "dmarc.misaligned", "dmarc.misaligned_spf", "dmarc.misaligned_dkim", "dmarc.monitor", "dmarc.aligned", "dmarc.policy",
	"dkim.found", "dkim.missing", "dkim.revoked", "dkim.invalid", "dkim.weak",
	"ptr.found", "ptr.none", "fcrdns.pass", "fcrdns.fail",
	"dnsbl.clean", "dnsbl.listed", "dnsbl.listed_delist", "dnsbl.refused",
	"mta_sts.found", "mta_sts.none", "mta_sts.invalid",
	"tls_rpt.found", "tls_rpt.none", "tls_rpt.invalid",
	"summary.null_mx", "summary.nxdomain", "summary.no_route", "summary.listed", "summary.listed_delist",
	"summary.spf_fail", "summary.spf_lookups", "summary.spf_permerror", "summary.dmarc_misaligned",
	"summary.dmarc_misaligned_spf", "summary.dmarc_misaligned_dkim",
	"summary.dkim_missing", "summary.dkim_revoked", "summary.dkim_invalid", "summary.dmarc_invalid",
	"summary.spf_none", "summary.dmarc_none", "summary.ptr_none", "summary.fcrdns_fail", "summary.dnsbl_refused",
	"summary.spf_softfail", "summary.dmarc_monitor", "summary.errors", "summary.warnings", "summary.clean", "summary.nothing",
	"summary.no_sender", "summary.tls_clean", "summary.routing_clean", "summary.reputation_clean", "summary.auth_clean",
	"summary.no_ip", "summary.typed_clean",
}
