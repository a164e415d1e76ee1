package catalog

// ClassifyWords finds the verdict on a failure a bounce reports in words
// alone, with no code: Postfix's "connect to mx.example.com[192.0.2.1]:25:
// Connection timed out", Exim's "retry timeout exceeded", Yahoo's "This
// account has been disabled or discontinued". It reports false unless a
// phrase rule of data/reasons.json decides: with no code, nothing else
// can. blocklist is the list the text names, or nil; delayed says the text
// is a delay warning, whose sending server still retries.
//
// A bounce is the sending server's last word, so rules for a final status
// apply (a timeout it reports is an expiry); in a delay warning they do
// not, and the next step is the one for a 4xx. With no class, hard or soft
// comes from the reason or the words; where the class would decide, the
// verdict leaves Bounce empty.
func (c *Catalog) ClassifyWords(text string, blocklist *Blocklist, delayed bool) (Verdict, bool) {
	r := c.reasonRules()
	if len(text) > maxReasonText {
		text = text[:maxReasonText]
	}
	var found groupSet
	r.scanWords(text, &found)
	var rule *phraseRule
	for i := range r.rules {
		if found.has(i) && r.rules[i].applies(&found, Code{}, !delayed, "") {
			rule = &r.rules[i]
			break
		}
	}
	if rule == nil {
		return Verdict{}, false
	}
	v := Verdict{Reason: rule.Reason, Source: SourceWords, Variant: rule.Variant, Blocklist: blocklist}
	if delayed && v.Reason == ReasonExpired && v.Variant == "" {
		v.Variant = VariantDelayed // not expired yet: still in the queue
	}
	info := r.info[v.Reason]
	if rule.Next != nil {
		info = *rule.Next
	}
	v.Actor, v.Action = info.Actor, info.Action
	if delayed && info.Action4xx != "" {
		v.Action = info.Action4xx
	}
	v.delist()
	soft, hard := r.bounceWords(&found)
	v.Bounce, v.Basis = bounceOf(info.Bounce, 0, soft, hard)
	return v, true
}
