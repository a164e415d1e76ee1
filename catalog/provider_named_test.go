package catalog

import "testing"

func TestProviderNamed(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct{ words, want string }{
		{"why am I getting 5.7.26 from gmail", "gmail"},
		{"got this from Outlook: 550 5.7.708, what do I do", "microsoft"},
		{"Yahoo says 421 4.7.0", "yahoo"},
		{"bounce from an aol address", "yahoo"},
		{"lỗi 5.7.26 từ gmail là sao", "gmail"},
		{"gmail ตอบ 550 5.7.26", "gmail"},
		{"ได้ 550 5.7.26 จากgmail", "gmail"},
		{"gmail or outlook, which is stricter?", ""},
		{"what does 550 mean", ""},
		{"googled it and found nothing", ""}, // not a whole word
		{"my gmailbox", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := ""
		if p := c.ProviderNamed(tt.words); p != nil {
			got = p.ID
		}
		if got != tt.want {
			t.Errorf("ProviderNamed(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

// TestProviderNamedLeavesProvidersUnread checks that words without a letter
// a to z, such as "550" on the command line, do not read the providers:
// no name could match them.
func TestProviderNamedLeavesProvidersUnread(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"550", "550 5.1.1??", "รหัส 550 หมายถึงอะไร"} {
		if p := c.ProviderNamed(words); p != nil || c.providers != nil {
			t.Errorf("ProviderNamed(%q) = %v and read %d providers", words, p, len(c.providers))
		}
	}
	if p := c.ProviderNamed("550 from GMAIL"); p == nil || p.ID != "gmail" {
		t.Errorf("ProviderNamed(\"550 from GMAIL\") = %v, want gmail", p)
	}
}
