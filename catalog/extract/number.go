package extract

import "github.com/smtpcodes/smtpbot/internal/ascii"

// parseNumber reads one to three digits without allocating.
func parseNumber(s string) (uint16, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	var n uint16
	for i := 0; i < len(s); i++ {
		if !ascii.IsDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint16(s[i]-'0')
	}
	return n, true
}
