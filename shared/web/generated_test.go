package web

import (
	"bytes"
	"os"
	"testing"

	"github.com/councilhousing/backend/shared/web/internal/generate"
)

// Each generated file is what its generator makes of the sources on disk, byte for byte (templates_gen.go also
// of this Go version's text/template/parse: a Go update that parses differently fails here too).
func TestGeneratedFilesAreInStep(t *testing.T) {
	for _, f := range generate.Files {
		want, err := f.Generate(os.DirFS("."))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		got, err := os.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what its sources make: run go generate ./shared/web", f.Name)
		}
	}
}
