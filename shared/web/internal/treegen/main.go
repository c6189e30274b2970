// Command treegen writes templates_gen.go, the page templates' parse trees compiled to Go (see treetables:
// issue 10). It is run by go generate in shared/web: go generate ./shared/web.
package main

import (
	"fmt"
	"os"

	"github.com/councilhousing/backend/shared/web/internal/treetables"
)

func main() {
	src, err := treetables.Generate(os.DirFS("."))
	if err == nil {
		err = os.WriteFile("templates_gen.go", src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "treegen:", err)
		os.Exit(1)
	}
}
