package htmltext

import (
	"bytes"
	"html/template"
	"testing"
)

var asTemplate = template.Must(template.New("").Parse(`<p>{{.}}</p>`))

func viaTemplate(t testing.TB, s string) string {
	var b bytes.Buffer
	if err := asTemplate.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()[3 : b.Len()-4]
}

func TestEscapeIsWhatHTMLTemplateWrites(t *testing.T) {
	for _, s := range []string{"", "plain words", `<script>alert("x")</script>`, "Tom & Jerry's + more", "£50 – café", "a\x00b",
		"\xff\xfe invalid", "&amp; already", "{{.}}", "line\nbreak\ttab"} {
		if got, want := Escape(s), viaTemplate(t, s); got != want {
			t.Errorf("Escape(%q) = %q, html/template wrote %q", s, got, want)
		}
	}
}

func FuzzEscapeIsWhatHTMLTemplateWrites(f *testing.F) {
	f.Add(`<a href="x">O'Brien & co + 1</a>` + "\x00")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Escape(s), viaTemplate(t, s); got != want {
			t.Fatalf("Escape(%q) = %q, html/template wrote %q", s, got, want)
		}
	})
}
