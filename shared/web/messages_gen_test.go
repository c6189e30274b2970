package web

import (
	"bytes"
	"os"
	"testing"

	"github.com/councilhousing/backend/shared/web/internal/msgtables"
)

// messages_gen.go is what the generator makes of the JSON catalogs on disk, byte for byte.
func TestGeneratedMessagesAreInStep(t *testing.T) {
	want, err := msgtables.Generate(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("messages_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("messages_gen.go is not what messages/*.json and staff/messages/*.json make: run go generate ./shared/web")
	}
}
