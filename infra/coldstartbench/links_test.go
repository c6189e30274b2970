package coldstartbench

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/catalog"
)

// initHeavy says whether a package's init costs a cold start 0.1 ms or more, measured with GODEBUG=inittrace=1
// (issue 10): the AWS SDK clients' schema-based serde (DynamoDB's from v1.69.0: 1.2 ms, 3,151 allocations;
// go.mod holds the client at v1.68.0), go-playground/validator's tables (1.1-1.4 ms; the rules validate with
// shared/rules/validate's own tag reader, the library only in its tests), the OpenTelemetry SDK (its resource,
// self-observability and semantic-convention inits, ~0.3 ms with its provider; shared/platform/tracing
// implements the API) and time/tzdata (every zone, searched at init; shared/rules/workdays embeds
// Europe/London). A dependency update that brings one back fails here, before `make bench` would show it.
func initHeavy(pkg string) bool {
	return strings.HasPrefix(pkg, "github.com/aws/aws-sdk-go-v2/") && strings.HasSuffix(pkg, "/schemas") ||
		strings.HasPrefix(pkg, "github.com/go-playground/validator") ||
		strings.HasPrefix(pkg, "go.opentelemetry.io/otel/sdk") ||
		pkg == "time/tzdata"
}

func TestNoFunctionLinksAnInitHeavyPackage(t *testing.T) {
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool(), "list", "-deps", "-tags", "lambda.norpc", "./functions/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if initHeavy(pkg) {
			t.Errorf("a function links %s, whose package init slows every cold start", pkg)
		}
	}
}

// TestOnlyWebFunctionsExecuteTemplates: a binary that links text/template keeps every exported method of every
// type it links (a template may call any of them by name), so a function that wrote letters or the subject
// access page with templates was 40-50% larger and slower to start (issue 10). Only the page functions need them.
func TestOnlyWebFunctionsExecuteTemplates(t *testing.T) {
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool(), "list", "-tags", "lambda.norpc", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "./functions/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	web := map[string]bool{catalog.ResidentWebFunction: true, catalog.StaffWebFunction: true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		fn := fields[0][strings.LastIndex(fields[0], "/")+1:]
		if web[fn] {
			continue
		}
		if slices.Contains(fields[1:], "text/template") {
			t.Errorf("%s links text/template", fn)
		}
	}
}
