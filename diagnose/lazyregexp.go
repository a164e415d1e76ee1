package diagnose

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles pattern on first use. Compiling this package's
// patterns at init took about 1.5 ms of every command-line run, including
// those that check nothing.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
