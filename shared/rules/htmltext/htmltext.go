// Package htmltext escapes text for HTML written without templates (complaint letters, the subject access
// export: issue 10), exactly as html/template escapes a string in element content, so those pages read as their
// templates wrote them. One function, no tables: nothing to build at a cold start.
package htmltext

import "strings"

// Escape escapes s as html/template does a string: the five HTML specials, "+" (&#43;) and NUL (U+FFFD).
func Escape(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
