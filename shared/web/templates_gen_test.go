package web

import (
	"bytes"
	"os"
	"testing"

	"github.com/councilhousing/backend/shared/web/internal/treetables"
)

// templates_gen.go is what the generator makes of the template files on disk, byte for byte (and so of this
// Go version's text/template/parse: a Go update that parses differently fails here too).
func TestGeneratedTemplatesAreInStep(t *testing.T) {
	want, err := treetables.Generate(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("templates_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("templates_gen.go is not what templates/*.html and staff/templates/*.html make: run go generate ./shared/web")
	}
}
