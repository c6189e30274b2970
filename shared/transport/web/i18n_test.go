package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	files "github.com/councilhousing/backend/shared/web"
)

// A catalog of two sources as the console's: the shared messages, then its own (sorted by key, as generated).
var (
	sharedTexts = []files.Language{
		{Code: "en", Texts: []files.Text{{Key: "a.greeting", Text: "Hello %s"}, {Key: "b.only.english", Text: "English only"}, {Key: "c.both", Text: "Both"}}},
		{Code: "cy", Texts: []files.Text{{Key: "a.greeting", Text: "Helo %s"}, {Key: "c.both", Text: "Y ddau"}}},
	}
	ownTexts = []files.Language{
		{Code: "en", Texts: []files.Text{{Key: "staff.heading", Text: "Cases"}, {Key: "staff.only.english", Text: "Staff English"}}},
		{Code: "pl", Texts: []files.Text{{Key: "staff.heading", Text: "Sprawy"}}},
		{Code: "cy", Texts: []files.Text{{Key: "staff.heading", Text: "Achosion"}}},
	}
)

// T gives a key's text in the page's language, else in English key by key, else the key in brackets; args
// fill its verbs. Has, Keys and Languages speak of English, which is complete, and list it first.
func TestCatalog(t *testing.T) {
	c := NewCatalog(sharedTexts, ownTexts)
	for _, tc := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "c.both", nil, "Both"},
		{"cy", "c.both", nil, "Y ddau"},
		{"en", "a.greeting", []any{"Sam"}, "Hello Sam"},
		{"cy", "a.greeting", []any{"Sam"}, "Helo Sam"},
		{"cy", "b.only.english", nil, "English only"},      // falls back to English
		{"pl", "b.only.english", nil, "English only"},      // a language only the second source has
		{"fr", "c.both", nil, "Both"},                      // a language nobody has
		{"pl", "staff.heading", nil, "Sprawy"},             // the second source
		{"cy", "staff.only.english", nil, "Staff English"}, // the second source's English
		{"en", "missing.key", nil, "[missing.key]"},
		{"cy", "missing.key", []any{1}, "[missing.key]"},
		{"en", "", nil, "[]"},
	} {
		if got := c.T(tc.lang, tc.key, tc.args...); got != tc.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", tc.lang, tc.key, tc.args, got, tc.want)
		}
	}
	for key, want := range map[string]bool{"a.greeting": true, "staff.heading": true, "staff.only.english": true, "missing.key": false, "": false} {
		if c.Has(key) != want {
			t.Errorf("Has(%q) = %v", key, !want)
		}
	}
	if got, want := c.Keys(), []string{"a.greeting", "b.only.english", "c.both", "staff.heading", "staff.only.english"}; !slices.Equal(got, want) {
		t.Errorf("Keys() = %q, want %q", got, want)
	}
	if got, want := c.Languages(), []string{"en", "cy", "pl"}; !slices.Equal(got, want) {
		t.Errorf("Languages() = %q, want %q", got, want)
	}
	c.Languages()[0] = "xx" // a copy: the caller's to change
	if c.Languages()[0] != "en" {
		t.Error("Languages() shares its slice")
	}
	for lang, want := range map[string]string{"en": "en", "cy": "cy", "pl": "pl", "fr": "en", "": "en"} {
		if got := c.Lang(lang); got != want {
			t.Errorf("Lang(%q) = %q, want %q", lang, got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a catalog without English did not panic")
		}
	}()
	NewCatalog(ownTexts[1:])
}

// The generated tables are English first, each language sorted by key (the binary search needs it), and the
// console's catalog finds the keys of both, every one with its JSON text.
func TestGeneratedCatalogs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sources [][]files.Language
		json    []string
	}{
		{"resident", [][]files.Language{files.ResidentTexts()}, []string{"messages/en.json"}},
		{"console", [][]files.Language{files.ResidentTexts(), files.StaffTexts()}, []string{"messages/en.json", "staff/messages/en.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, src := range tc.sources {
				if len(src) == 0 || src[0].Code != DefaultLanguage {
					t.Fatal("English is not first")
				}
				for _, l := range src {
					if !slices.IsSortedFunc(l.Texts, func(a, b files.Text) int { return strings.Compare(a.Key, b.Key) }) {
						t.Errorf("%s is not sorted by key", l.Code)
					}
				}
			}
			c := NewCatalog(tc.sources...)
			want := map[string]string{}
			for _, name := range tc.json {
				for k, v := range readJSON(t, name) {
					want[k] = v
				}
			}
			keys := c.Keys()
			if len(keys) != len(want) {
				t.Errorf("%d keys, the JSON has %d", len(keys), len(want))
			}
			for k, v := range want {
				if got := c.T("cy", k); got != v {
					t.Errorf("T(%q) = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func readJSON(t testing.TB, name string) map[string]string {
	raw, err := os.ReadFile(filepath.Join("..", "..", "web", name))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The console's catalog as its cold start built it before issue 10 (json-decode: the two JSON files decoded
// into maps, as LoadCatalog did) and as it does now (generated), and a page's worth of lookups in each.
func BenchmarkCatalog(b *testing.B) {
	var raws [][]byte
	for _, name := range []string{"messages/en.json", "staff/messages/en.json"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "web", name))
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	decode := func() map[string]map[string]string {
		langs := map[string]map[string]string{"en": {}}
		for _, raw := range raws {
			m := map[string]string{}
			if err := json.Unmarshal(raw, &m); err != nil {
				b.Fatal(err)
			}
			for k, v := range m {
				if _, dup := langs["en"][k]; dup {
					b.Fatal(k)
				}
				langs["en"][k] = v
			}
		}
		return langs
	}
	b.Run("json-decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			decode()
		}
	})
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewCatalog(files.ResidentTexts(), files.StaffTexts())
		}
	})
	// A lookup: every 16th key, half of them from the console's own messages.
	var keys []string
	for i, k := range NewCatalog(files.ResidentTexts(), files.StaffTexts()).Keys() {
		if i%16 == 0 {
			keys = append(keys, k)
		}
	}
	b.Run("lookup/json-decode-map", func(b *testing.B) {
		langs := decode()
		for b.Loop() {
			for _, k := range keys {
				if _, ok := langs["en"][k]; !ok {
					b.Fatal(k)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(keys)), "ns/key")
	})
	b.Run("lookup/generated", func(b *testing.B) {
		c := NewCatalog(files.ResidentTexts(), files.StaffTexts())
		for b.Loop() {
			for _, k := range keys {
				if c.T("en", k) == "" {
					b.Fatal(k)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(keys)), "ns/key")
	})
}
