package api

import (
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/councilhousing/backend/shared/catalog"
)

type operation struct {
	Auth     string             `yaml:"x-auth"`
	Groups   []string           `yaml:"x-groups"`
	Security []map[string][]any `yaml:"security"`
	Resp     map[string]any     `yaml:"responses"`
}

type document struct {
	Paths map[string]map[string]operation `yaml:"paths"`
}

// The OpenAPI file and the catalog describe the same routes with the same auth.
func TestOpenAPIMatchesCatalog(t *testing.T) {
	var doc document
	if err := yaml.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]operation{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = op
		}
	}
	for _, f := range catalog.System().Functions {
		for _, r := range f.Routes {
			if r.Page {
				continue // HTML pages: not the JSON API
			}
			op, ok := documented[r.RouteKey()]
			if !ok {
				t.Errorf("%s (%s) is not in openapi.yaml", r.RouteKey(), f.Name)
				continue
			}
			delete(documented, r.RouteKey())
			if op.Auth != string(r.Auth) {
				t.Errorf("%s: x-auth %q, catalog %q", r.RouteKey(), op.Auth, r.Auth)
			}
			if !slices.Equal(op.Groups, r.Groups) {
				t.Errorf("%s: x-groups %v, catalog %v", r.RouteKey(), op.Groups, r.Groups)
			}
			if (r.Auth == catalog.Public) != (len(op.Security) == 0) {
				t.Errorf("%s: security %v does not fit auth %s", r.RouteKey(), op.Security, r.Auth)
			}
			if len(op.Resp) < 2 {
				t.Errorf("%s: document the success answer and the errors", r.RouteKey())
			}
		}
	}
	for key := range documented {
		t.Errorf("openapi.yaml documents %s, which no function serves", key)
	}
}
