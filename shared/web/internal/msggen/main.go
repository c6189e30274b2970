// Command msggen writes messages_gen.go, the message catalogs compiled to Go (see msgtables: issue 10). It is
// run by go generate in shared/web: go generate ./shared/web.
package main

import (
	"fmt"
	"os"

	"github.com/councilhousing/backend/shared/web/internal/msgtables"
)

func main() {
	src, err := msgtables.Generate(os.DirFS("."))
	if err == nil {
		err = os.WriteFile("messages_gen.go", src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "msggen:", err)
		os.Exit(1)
	}
}
