package treetables

import (
	"strings"
	"testing"
	"testing/fstest"
)

func files(page string) fstest.MapFS {
	return fstest.MapFS{
		"templates/layout.html":       {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`)},
		"templates/page.html":         {Data: []byte(page)},
		"staff/templates/layout.html": {Data: []byte(`{{define "layout"}}{{range $i, $x := .Items}}{{if $i}}, {{end}}{{$x.Name | printf "%q"}}{{end}}{{end}}`)},
	}
}

func TestGenerate(t *testing.T) {
	for _, c := range []struct {
		name, page string
		want       []string // in the source, or in the error
		fails      bool
	}{
		{name: "a page's trees, named after the file and its defines", page: `{{define "content"}}<p>{{.Title}} 1.5 "q"</p>{{end}}`,
			want: []string{`{Name: "page.html", ParseName: "page.html"`, `{Name: "content", ParseName: "page.html"`, `&parse.FieldNode{NodeType: parse.NodeField, Ident: []string{"Title"}}`,
				`Text: []byte("<p>")`, `Text: []byte(" 1.5 \"q\"</p>")`, `var staffTemplates = []TemplateFile{`,
				`&parse.VariableNode{NodeType: parse.NodeVariable, Ident: []string{"$x", "Name"}}`, `&parse.IfNode{BranchNode: parse.BranchNode{NodeType: parse.NodeIf`}},
		{name: "no positions: a generated tree has no source to index", page: `{{define "content"}}{{.A}}{{end}}`, want: []string{"NodeAction, Line: 1,"}},
		{name: "numbers keep every reading", page: `{{define "content"}}{{if eq .N 3}}x{{end}}{{end}}`,
			want: []string{`&parse.NumberNode{NodeType: parse.NodeNumber, IsInt: true, IsUint: true, IsFloat: true, Int64: 3, Uint64: 3, Float64: 3, Text: "3"}`}},
		{name: "a broken page names its file", page: `{{define "content"}}{{.Title}{{end}}`, fails: true, want: []string{"templates/page.html", "page.html:1"}},
		{name: "an unclosed action", page: `{{if .A}}`, fails: true, want: []string{"templates/page.html"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, err := Generate(files(c.page))
			got := string(src)
			if c.fails {
				if err == nil {
					t.Fatal("generated a broken template")
				}
				got = err.Error()
			} else if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %s\n%s", w, got)
				}
			}
			if !c.fails && strings.Contains(got, "Pos:") {
				t.Error("a position was written")
			}
		})
	}
}

func TestGenerateNeedsBothTemplateSets(t *testing.T) {
	fs := files(`x`)
	delete(fs, "staff/templates/layout.html")
	if _, err := Generate(fs); err == nil || !strings.Contains(err.Error(), "staff/templates") {
		t.Errorf("err = %v", err)
	}
}
