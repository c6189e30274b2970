// Package generate lists shared/web's generated Go files and what writes each: the message catalogs as sorted
// tables (msgtables) and the page templates as parse trees (treetables), so a web function's cold start decodes
// and parses nothing (issue 10). `go generate ./shared/web` runs webgen, which writes them; a test in shared/web
// fails while one differs from what its sources make.
package generate

import (
	"io/fs"

	"github.com/councilhousing/backend/shared/web/internal/msgtables"
	"github.com/councilhousing/backend/shared/web/internal/treetables"
)

// File is a generated file of shared/web and its generator, which reads the shared/web directory.
type File struct {
	Name     string
	Generate func(fs.FS) ([]byte, error)
}

// Files are the generated files.
var Files = []File{{"messages_gen.go", msgtables.Generate}, {"templates_gen.go", treetables.Generate}}
