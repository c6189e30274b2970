// Command webgen writes shared/web's generated Go files (see package generate). It is run by go generate in
// shared/web: go generate ./shared/web.
package main

import (
	"fmt"
	"os"

	"github.com/councilhousing/backend/shared/web/internal/generate"
)

func main() {
	for _, f := range generate.Files {
		src, err := f.Generate(os.DirFS("."))
		if err == nil {
			err = os.WriteFile(f.Name, src, 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "webgen: %s: %v\n", f.Name, err)
			os.Exit(1)
		}
	}
}
