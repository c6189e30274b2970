package stack

import (
	"fmt"
	"strings"
	"testing"
)

// Tracing (issue 17): every function runs with X-Ray active tracing and the ADOT collector layer, and exports
// its OpenTelemetry spans to that collector on localhost (shared/platform/tracing).
func TestEveryFunctionExportsTracesThroughTheCollectorToXRay(t *testing.T) {
	for _, f := range sys.Functions {
		props := resource(t, logicalID(f.Name)+"Function").Properties
		if tc := obj(props["TracingConfig"]); tc["Mode"] != "Active" {
			t.Errorf("%s: TracingConfig %v, want Active", f.Name, props["TracingConfig"])
		}
		env := obj(obj(props["Environment"])["Variables"])
		if env["OTEL_TRACES_EXPORTER"] != "otlp" || env["OTEL_EXPORTER_OTLP_ENDPOINT"] != "http://localhost:4318" {
			t.Errorf("%s: OTEL_TRACES_EXPORTER %v, OTEL_EXPORTER_OTLP_ENDPOINT %v", f.Name, env["OTEL_TRACES_EXPORTER"], env["OTEL_EXPORTER_OTLP_ENDPOINT"])
		}
		layers := fmt.Sprint(props["Layers"])
		if !strings.Contains(layers, ":901920570463:layer:aws-otel-collector-arm64-ver-0-115-0:") {
			t.Errorf("%s: layers %s, want the ADOT collector for arm64", f.Name, layers)
		}
	}
}
