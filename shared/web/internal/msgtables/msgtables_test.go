package msgtables

import (
	"strings"
	"testing"
	"testing/fstest"
)

// The generator writes each catalog's languages English first with their texts sorted by key, and refuses a
// catalog it cannot compile faithfully: no English, a value that is not a string, a key defined twice in one
// file or in both catalogs of one language.
func TestGenerate(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	valid := fstest.MapFS{
		"messages/en.json":       file(`{"b.key": "B", "a.key": "A %s \"quoted\""}`),
		"messages/cy.json":       file(`{"a.key": "A yn Gymraeg"}`),
		"staff/messages/en.json": file(`{"staff.key": "Staff"}`),
		"staff/messages/cy.json": file(`{"b.key": "B yn Gymraeg"}`), // b.key is the resident catalog's only in English
	}
	with := func(name, data string) fstest.MapFS {
		fsys := fstest.MapFS{}
		for k, v := range valid {
			fsys[k] = v
		}
		if data == "" {
			delete(fsys, name)
		} else {
			fsys[name] = file(data)
		}
		return fsys
	}
	for _, tc := range []struct {
		name    string
		fsys    fstest.MapFS
		inOrder []string // what the source holds, in this order
		err     []string // what the error names
	}{
		{name: "valid", fsys: valid, inOrder: []string{Header, "package web", "var residentTexts = []Language{",
			`{Code: "en", Texts: []Text{`, `{"a.key", "A %s \"quoted\""},`, `{"b.key", "B"},`,
			`{Code: "cy", Texts: []Text{`, `{"a.key", "A yn Gymraeg"},`,
			"var staffTexts = []Language{", `{Code: "en"`, `{"staff.key", "Staff"}`, `{Code: "cy"`, `{"b.key", "B yn Gymraeg"}`}},
		{name: "key in both catalogs", fsys: with("staff/messages/en.json", `{"staff.key": "Staff", "a.key": "Again"}`),
			err: []string{`"a.key"`, "messages/en.json", "staff/messages/en.json"}},
		{name: "key twice in a file", fsys: with("messages/en.json", `{"a.key": "A", "a.key": "Again"}`),
			err: []string{`"a.key"`, "messages/en.json", "twice"}},
		{name: "no resident English", fsys: with("messages/en.json", ""), err: []string{"no messages/en.json"}},
		{name: "no staff English", fsys: with("staff/messages/en.json", ""), err: []string{"no staff/messages/en.json"}},
		{name: "number", fsys: with("messages/en.json", `{"a.key": 1}`), err: []string{`"a.key"`, "not a string"}},
		{name: "object", fsys: with("messages/cy.json", `{"a.key": {"b": "c"}}`), err: []string{"messages/cy.json", `"a.key"`, "not a string"}},
		{name: "null", fsys: with("messages/en.json", `{"a.key": null}`), err: []string{`"a.key"`, "not a string"}},
		{name: "not an object", fsys: with("messages/en.json", `["a.key"]`), err: []string{"messages/en.json", "not a JSON object"}},
		{name: "trailing data", fsys: with("messages/en.json", `{"a.key": "A"} {}`), err: []string{"messages/en.json"}},
		{name: "broken JSON", fsys: with("messages/en.json", `{"a.key": "A",`), err: []string{"messages/en.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Generate(tc.fsys)
			if len(tc.err) > 0 {
				if err == nil {
					t.Fatalf("no error; source:\n%s", src)
				}
				for _, want := range tc.err {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not name %s", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rest := string(src)
			for _, want := range tc.inOrder {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("%q missing or out of order in:\n%s", want, src)
				}
				rest = rest[i+len(want):]
			}
		})
	}
}
