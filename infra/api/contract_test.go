package api

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/asbapi"
	"github.com/councilhousing/backend/shared/transport/complaintsapi"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
	"github.com/councilhousing/backend/shared/transport/registerapi"
	"github.com/councilhousing/backend/shared/transport/subjectaccessapi"
)

// contracts are every route's typed request and response, from the transports.
func contracts() []httpapi.Contract {
	return slices.Concat(asbapi.Contracts(), asbapi.IntakeContracts(), complaintsapi.Contracts(), registerapi.Contracts(), notifyapi.Contracts(), subjectaccessapi.Contracts())
}

func loadDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// Every route in the catalog has exactly one contract.
func TestEveryRouteHasAContract(t *testing.T) {
	have := map[string]int{}
	for _, c := range contracts() {
		have[c.Route]++
	}
	for _, f := range catalog.System().Functions {
		for _, r := range f.Routes {
			if r.Page {
				continue // HTML pages: not the JSON API
			}
			if have[r.RouteKey()] != 1 {
				t.Errorf("%s: %d contracts, want 1", r.RouteKey(), have[r.RouteKey()])
			}
			delete(have, r.RouteKey())
		}
	}
	for route := range have {
		t.Errorf("contract for %s, which the catalog does not declare", route)
	}
}

// The request and response types the handlers use and openapi.yaml's schemas name the same JSON fields, with
// the same required fields: a request field is required when its validation says so; a response field is
// required when it is always present (no omitempty).
func TestOpenAPISchemasMatchTheTypedContracts(t *testing.T) {
	doc := loadDoc(t)
	for _, c := range contracts() {
		method, path, _ := strings.Cut(c.Route, " ")
		op, _ := dig(doc, "paths", path, strings.ToLower(method)).(map[string]any)
		if op == nil {
			t.Errorf("%s: not in openapi.yaml", c.Route)
			continue
		}
		if c.Request != nil {
			schema := dig(op, "requestBody", "content", "application/json", "schema")
			for _, p := range compare(doc, reflect.TypeOf(c.Request), schema, "request", true) {
				t.Errorf("%s %s", c.Route, p)
			}
		} else if dig(op, "requestBody") != nil {
			t.Errorf("%s: openapi.yaml documents a request body the handler does not read", c.Route)
		}
		schema := dig(op, "responses", strconv.Itoa(c.Status), "content", "application/json", "schema")
		if schema == nil {
			t.Errorf("%s: openapi.yaml has no %d application/json answer", c.Route, c.Status)
			continue
		}
		for _, p := range compare(doc, reflect.TypeOf(c.Response), schema, "response", false) {
			t.Errorf("%s %s", c.Route, p)
		}
	}
}

// The check fails when code and file disagree: a response field added in code but not in openapi.yaml, a
// field documented but gone from the code, and a required field that the code leaves optional.
func TestContractCheckCatchesDrift(t *testing.T) {
	doc := loadDoc(t)
	schema := map[string]any{"type": "object", "required": []any{"reference"},
		"properties": map[string]any{"reference": map[string]any{"type": "string"}, "stage": map[string]any{"type": "integer"}}}
	type matches struct {
		Reference string `json:"reference"`
		Stage     int    `json:"stage,omitempty"`
	}
	if p := compare(doc, reflect.TypeOf(matches{}), schema, "response", false); len(p) != 0 {
		t.Fatalf("a matching type reported %v", p)
	}
	type addedInCode struct {
		Reference string `json:"reference"`
		Stage     int    `json:"stage,omitempty"`
		Secret    string `json:"secret"`
	}
	if p := compare(doc, reflect.TypeOf(addedInCode{}), schema, "response", false); !containsText(p, `field "secret" is not in openapi.yaml`) {
		t.Errorf("a response field added in code was not caught: %v", p)
	}
	type removedFromCode struct {
		Reference string `json:"reference"`
	}
	if p := compare(doc, reflect.TypeOf(removedFromCode{}), schema, "response", false); !containsText(p, `"stage" is documented but not in the code`) {
		t.Errorf("a documented field missing from the code was not caught: %v", p)
	}
	type optionalInCode struct {
		Reference string `json:"reference,omitempty"`
		Stage     int    `json:"stage,omitempty"`
	}
	if p := compare(doc, reflect.TypeOf(optionalInCode{}), schema, "response", false); !containsText(p, "required") {
		t.Errorf("a required field the code may leave out was not caught: %v", p)
	}
	type request struct {
		Reference string `json:"reference" validate:"required,max=10"`
		Stage     int    `json:"stage"`
	}
	if p := compare(doc, reflect.TypeOf(request{}), schema, "request", true); !containsText(p, "maxLength is <nil> in openapi.yaml, max=10") {
		t.Errorf("an undocumented maximum was not caught: %v", p)
	}
	type unbounded struct {
		Reference string `json:"reference" validate:"required"`
		Stage     int    `json:"stage"`
	}
	if p := compare(doc, reflect.TypeOf(unbounded{}), schema, "request", true); !containsText(p, "free text with no maximum") {
		t.Errorf("free text without a maximum was not caught: %v", p)
	}
}

func containsText(problems []string, s string) bool {
	return slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, s) })
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// resolve follows $ref and merges allOf.
func resolve(doc map[string]any, schema any) map[string]any {
	m, _ := schema.(map[string]any)
	if m == nil {
		return nil
	}
	if ref, ok := m["$ref"].(string); ok {
		path := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		return resolve(doc, dig(doc, path...))
	}
	if all, ok := m["allOf"].([]any); ok {
		merged := map[string]any{"type": "object", "properties": map[string]any{}, "required": []any{}}
		for _, part := range all {
			p := resolve(doc, part)
			for k, v := range asMap(p["properties"]) {
				merged["properties"].(map[string]any)[k] = v
			}
			merged["required"] = append(merged["required"].([]any), asList(p["required"])...)
		}
		return merged
	}
	return m
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asList(v any) []any         { l, _ := v.([]any); return l }

var (
	textMarshaler = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	jsonMarshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	timeType      = reflect.TypeOf(time.Time{})
)

// scalar types encode as JSON strings or numbers: nothing inside them to compare.
func opaque(t reflect.Type) bool {
	return t == timeType || t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) ||
		t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) || t.Kind() == reflect.Interface
}

// compare reports every difference between a Go type and a schema, at path.
func compare(doc map[string]any, t reflect.Type, schema any, path string, request bool) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := resolve(doc, schema)
	if s == nil || opaque(t) {
		return nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil
		}
		return compare(doc, t.Elem(), s["items"], path+"[]", request)
	case reflect.Struct:
	default:
		return nil
	}
	props := asMap(s["properties"])
	if props == nil {
		if s["additionalProperties"] != nil {
			return nil // a free-form object (e.g. timeline details)
		}
		return []string{fmt.Sprintf("%s: openapi.yaml does not describe the fields of %s", path, t)}
	}
	var problems []string
	fields := jsonFields(t)
	var wantRequired, gotRequired []string
	for name, f := range fields {
		sub, ok := props[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: field %q is not in openapi.yaml", path, name))
			continue
		}
		if f.required(request) {
			wantRequired = append(wantRequired, name)
		}
		if request {
			problems = append(problems, f.checkMaxLength(resolve(doc, sub), path+"."+name)...)
		}
		problems = append(problems, compare(doc, f.Type, sub, path+"."+name, request)...)
	}
	for name := range props {
		if _, ok := fields[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %q is documented but not in the code", path, name))
		}
	}
	for _, r := range asList(s["required"]) {
		gotRequired = append(gotRequired, fmt.Sprint(r))
	}
	sort.Strings(wantRequired)
	sort.Strings(gotRequired)
	if !slices.Equal(wantRequired, gotRequired) {
		problems = append(problems, fmt.Sprintf("%s: required %v in openapi.yaml, %v in the code", path, gotRequired, wantRequired))
	}
	return problems
}

type field struct {
	reflect.StructField
	omitEmpty bool
}

func (f field) required(request bool) bool {
	if !request {
		return !f.omitEmpty
	}
	if slices.Contains(strings.Split(strings.SplitN(f.Tag.Get("validate"), ",dive", 2)[0], ","), "required") {
		return true
	}
	// an object (not a pointer) with required fields of its own must be sent, or those fields are missing
	if f.Type.Kind() == reflect.Struct && !opaque(f.Type) {
		for _, inner := range jsonFields(f.Type) {
			if inner.required(true) {
				return true
			}
		}
	}
	return false
}

// checkMaxLength: every text a request carries has a maximum (validate max=N, or it is one of a set of codes or
// a date), and openapi.yaml documents the same maxLength, so a client knows the limit before it is refused.
func (f field) checkMaxLength(schema map[string]any, path string) []string {
	if f.Type.Kind() != reflect.String || opaque(f.Type) {
		return nil
	}
	rules := strings.Split(strings.SplitN(f.Tag.Get("validate"), ",dive", 2)[0], ",")
	for _, r := range rules {
		if n, ok := strings.CutPrefix(r, "max="); ok {
			if got := fmt.Sprint(schema["maxLength"]); got != n {
				return []string{fmt.Sprintf("%s: maxLength is %s in openapi.yaml, max=%s in the code", path, got, n)}
			}
			return nil
		}
		if r == "date" || r == "postcode" || r == "ukphone" || strings.HasPrefix(r, "datetime=") || strings.HasPrefix(r, "oneof=") || strings.HasPrefix(r, "len=") {
			return nil
		}
	}
	if schema["enum"] != nil || schema["format"] == "date" {
		return nil // checked against its code table by the rules
	}
	return []string{fmt.Sprintf("%s: free text with no maximum (validate max=N)", path)}
}

// jsonFields are a struct's fields as encoding/json names them, embedded structs flattened.
func jsonFields(t reflect.Type) map[string]field {
	out := map[string]field{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = field{StructField: f, omitEmpty: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")}
	}
	return out
}
