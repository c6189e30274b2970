// Package api holds the OpenAPI description of the HTTP contract (openapi.yaml), embedded so tests and tools
// can check it against the catalog.
package api

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document.
//
//go:embed openapi.yaml
var OpenAPI []byte
