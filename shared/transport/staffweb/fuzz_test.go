package staffweb

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzReturnPath: where a sign-in returns to comes from the query string; whatever it is, the officer lands on
// a console page of this site (never another site, a protocol-relative URL, a header injection or the sign-in
// loop).
func FuzzReturnPath(f *testing.F) {
	for _, s := range []string{"/staff", "/staff/complaints/CMP-AAAA-BBBB", "//evil.example", "/staff/../..", "https://evil.example/staff",
		"/staff\r\nSet-Cookie: x", "/staff/sign-in", "/staffx", `/staff\\evil.example`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := safeReturn(in)
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/staff") || strings.HasPrefix(got, "//") ||
			strings.ContainsAny(got, "\r\n\\") || len(got) > 200 || got == "/staff/sign-in" {
			t.Fatalf("safeReturn(%q) = %q", in, got)
		}
	})
}
