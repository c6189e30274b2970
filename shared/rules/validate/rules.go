package validate

import (
	"cmp"
	"fmt"
	"net/mail"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// This file checks `validate` tags as go-playground/validator v10.30.6 does (with WithRequiredStructEnabled),
// for the tags the repository uses: required, omitempty, min, max, gte, lte, oneof, email, uuid, datetime=layout,
// dive, "-" (skip the field), and our own date, postcode and ukphone. Any other tag is a programming error and
// panics when its struct type is first validated, rather than passing unchecked.

// op is what a rule does.
type op uint8

const (
	opOmitEmpty op = iota // stop when the value is empty
	opDive                // apply the rest to each element of a slice, array or map
	opRequired
	opAtLeast // min, gte
	opAtMost  // max, lte
	opOneOf
	opEmail
	opUUID
	opDatetime
	opDate
	opPostcode
	opUKPhone
)

// rule is one tag of a field's list.
type rule struct {
	op    op
	tag   string   // its name, e.g. "gte": messages depend on it
	param string   // after "="
	oneOf []string // oneof's values, split once
}

// fieldRules is a struct field and its rules.
type fieldRules struct {
	index int
	name  string // in paths: the JSON name; "~" for an embedded struct without one; else the Go name
	rules []rule // none: only nested structs are checked
}

// checkedFieldsOf holds each struct type's fields and rules, so that tags are parsed once per type.
var checkedFieldsOf sync.Map // reflect.Type → []fieldRules

// isTime says whether t is time.Time (or converts to it): such structs are values, not objects to walk.
func isTime(t reflect.Type) bool { return t.ConvertibleTo(reflect.TypeFor[time.Time]()) }

// cached is parse(t), parsed on the first call for t.
func cached[T any](m *sync.Map, t reflect.Type, parse func(reflect.Type) T) T {
	if v, ok := m.Load(t); ok {
		return v.(T)
	}
	v, _ := m.LoadOrStore(t, parse(t))
	return v.(T)
}

// parseStruct lists t's fields to check: exported ones and embedded ones, unless tagged "-".
func parseStruct(t reflect.Type) []fieldRules {
	var fs []fieldRules
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("validate")
		if (!f.Anonymous && !f.IsExported()) || tag == "-" {
			continue
		}
		fs = append(fs, fieldRules{index: i, name: pathName(f), rules: parseRules(tag, t.String()+"."+f.Name)})
	}
	return fs
}

// pathName is f's name in field paths. A field without a JSON name (or with "-") keeps its Go name, as the
// library names it.
func pathName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch {
	case name == "" && f.Anonymous:
		return embedded
	case name == "" || name == "-":
		return f.Name
	}
	return name
}

func parseRules(tag, field string) []rule {
	if tag == "" {
		return nil
	}
	var rules []rule
	for t := range strings.SplitSeq(tag, ",") {
		rules = append(rules, parseRule(t, field))
	}
	return rules
}

func parseRule(t, field string) rule {
	switch t {
	case "omitempty":
		return rule{op: opOmitEmpty, tag: t}
	case "dive":
		return rule{op: opDive, tag: t}
	}
	name, param, _ := strings.Cut(t, "=")
	r := rule{tag: name, param: strings.ReplaceAll(strings.ReplaceAll(param, "0x2C", ","), "0x7C", "|")}
	ops := map[string]op{"required": opRequired, "min": opAtLeast, "gte": opAtLeast, "max": opAtMost, "lte": opAtMost,
		"oneof": opOneOf, "email": opEmail, "uuid": opUUID, "datetime": opDatetime, "date": opDate,
		"postcode": opPostcode, "ukphone": opUKPhone}
	o, ok := ops[name]
	if !ok || strings.Contains(t, "|") { // "|" would be the library's "or"
		panic(fmt.Sprintf("validate: unknown rule %q on %s", t, field))
	}
	r.op = o
	if o == opOneOf {
		r.oneOf = splitOneOf(r.param)
	}
	return r
}

// splitOneOf splits oneof's values at spaces; a value in single quotes may hold spaces (the quotes are dropped).
// It matches the library's `'[^']*'|\S+` and then removes every quote.
func splitOneOf(s string) []string {
	var vals []string
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			i++
			continue
		}
		j := i + 1
		if k := strings.IndexByte(s[j:], '\''); s[i] == '\'' && k >= 0 {
			j += k + 1
		} else {
			for j < len(s) && !isSpace(s[j]) {
				j++
			}
		}
		vals, i = append(vals, strings.ReplaceAll(s[i:j], "'", "")), j
	}
	return vals
}

// isSpace is RE2's \s.
func isSpace(b byte) bool { return strings.IndexByte("\t\n\f\r ", b) >= 0 }

// walker collects the errors of one Struct call.
type walker struct {
	top    string // the validated type's name: the library's namespaces start with it
	fields apperr.Fields
}

func structErrors(s any) apperr.Fields {
	v := reflect.ValueOf(s)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || isTime(v.Type()) {
		panic(fmt.Sprintf("validate: %T is not a struct", s)) // a programming error
	}
	w := walker{top: v.Type().Name()}
	w.structFields(v, make([]byte, 0, 64))
	return w.fields
}

// structFields checks each field of struct v; path is the struct's own path followed by "." (empty at the top).
func (w *walker) structFields(v reflect.Value, path []byte) {
	for _, f := range cached(&checkedFieldsOf, v.Type(), parseStruct) {
		w.value(v.Field(f.index), append(path, f.name...), f.rules)
	}
}

// value applies rules to v, a field or an element, found at path; a struct is then checked field by field.
func (w *walker) value(v reflect.Value, path []byte, rules []rule) {
	v, viaPointer := deref(v)
	if k := v.Kind(); k == reflect.Pointer || k == reflect.Interface || k == reflect.Invalid {
		if len(rules) > 0 && rules[0].op != opOmitEmpty {
			w.fail(path, &rules[0], v) // nil fails its first rule, whatever it is
		}
		return
	}
	for i := range rules {
		r := &rules[i]
		switch {
		case r.op == opOmitEmpty:
			if !hasValue(v, viaPointer) {
				return
			}
		case r.op == opDive:
			w.dive(v, path, rules[i+1:])
			return
		case !passes(r, v, viaPointer):
			w.fail(path, r, v)
			return
		}
	}
	if v.Kind() == reflect.Struct && !isTime(v.Type()) {
		w.structFields(v, append(path, '.'))
	}
}

// deref follows pointers and interfaces to the value (or the nil) they hold, and says whether it followed any:
// required and omitempty take any value reached through one, even a zero, as given.
func deref(v reflect.Value) (reflect.Value, bool) {
	viaPointer := false
	for (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && !v.IsNil() {
		v, viaPointer = v.Elem(), true
	}
	return v, viaPointer
}

// dive applies rules to each element of v, named path[i] (path[key] in a map, in key order).
func (w *walker) dive(v reflect.Value, path []byte, rules []rule) {
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.value(v.Index(i), append(strconv.AppendInt(append(path, '['), int64(i), 10), ']'), rules)
		}
	case reflect.Map:
		// The library goes in Go's random map order; sorted keys give the same errors, reproducibly.
		type entry struct {
			key   string
			value reflect.Value
		}
		var entries []entry
		for it := v.MapRange(); it.Next(); {
			entries = append(entries, entry{fmt.Sprint(it.Key()), it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
		for _, e := range entries {
			w.value(e.value, append(append(append(path, '['), e.key...), ']'), rules)
		}
	default:
		panic(fmt.Sprintf("validate: dive on a %s at %s", v.Type(), path))
	}
}

// fail records that v, at path, broke r. The name is made from the library's namespace (the type's name, then
// JSON names with "~" for embedded structs) the way this package always made it, so that even odd cases (an
// anonymous type, a generic type's name) name the same field.
func (w *walker) fail(path []byte, r *rule, v reflect.Value) {
	ns := string(path)
	if w.top != "" {
		ns = w.top + "." + ns
	}
	ns = strings.ReplaceAll(ns, "."+embedded, "")
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		ns = ns[i+1:]
	}
	w.fields = append(w.fields, apperr.FieldError{Field: ns, Message: message(r, v)})
}

// hasValue is required and omitempty: not nil, and not the zero value unless reached through a pointer.
func hasValue(v reflect.Value, viaPointer bool) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func:
		return !v.IsNil()
	}
	return viaPointer || (v.IsValid() && !v.IsZero())
}

// passes says whether v keeps rule r (a check, not omitempty or dive).
func passes(r *rule, v reflect.Value, viaPointer bool) bool {
	switch r.op {
	case opRequired:
		return hasValue(v, viaPointer)
	case opAtLeast, opAtMost:
		return bounded(v, r.param, r.op == opAtLeast)
	case opOneOf:
		return slices.Contains(r.oneOf, oneOfText(v))
	case opEmail: // both, as in the library: ParseAddress alone lets "Ann <ann@example.org>" through
		_, err := mail.ParseAddress(v.String())
		return err == nil && emailRegexp.get().MatchString(v.String())
	case opUUID:
		return uuidRegexp.get().MatchString(stringerText(v))
	case opDatetime:
		_, err := time.Parse(r.param, text(v))
		return err == nil
	case opDate:
		d, err := workdays.ParseDate(v.String())
		return err == nil && plausible(d)
	case opPostcode:
		return ukPostcode.get().MatchString(strings.TrimSpace(v.String()))
	default: // opUKPhone
		return ukPhone.get().MatchString(strings.TrimSpace(v.String()))
	}
}

// bounded compares v with param, as at least or at most: text by its runes, a collection by its length, a
// number by its value.
func bounded(v reflect.Value, param string, atLeast bool) bool {
	switch v.Kind() {
	case reflect.String:
		return compare(int64(utf8.RuneCountInString(v.String())), parseInt(param), atLeast)
	case reflect.Slice, reflect.Map, reflect.Array:
		return compare(int64(v.Len()), parseInt(param), atLeast)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return compare(v.Int(), intBound(v.Type(), param), atLeast)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p, err := strconv.ParseUint(param, 0, 64)
		return mustNot(err) || compare(v.Uint(), p, atLeast)
	case reflect.Float32, reflect.Float64:
		p, err := strconv.ParseFloat(param, v.Type().Bits())
		return mustNot(err) || compare(v.Float(), p, atLeast)
	}
	panic(fmt.Sprintf("validate: cannot compare a %s", v.Type())) // time.Time's "now" comparisons are not needed
}

func compare[T cmp.Ordered](n, bound T, atLeast bool) bool {
	if atLeast {
		return n >= bound
	}
	return n <= bound
}

// intBound is an integer parameter; a time.Duration's may be written as one, e.g. "90s".
func intBound(t reflect.Type, param string) int64 {
	if d, err := time.ParseDuration(param); err == nil && t == reflect.TypeFor[time.Duration]() {
		return int64(d)
	}
	return parseInt(param)
}

func parseInt(param string) int64 {
	p, err := strconv.ParseInt(param, 0, 64)
	mustNot(err)
	return p
}

// mustNot panics on a malformed parameter (a programming error); it returns false to be put before ||.
func mustNot(err error) bool {
	if err != nil {
		panic("validate: " + err.Error())
	}
	return false
}

// oneOfText is v as oneof compares it: text or an integer.
func oneOfText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	}
	return text(v)
}

// text is a string's value; other kinds panic, as in the library.
func text(v reflect.Value) string {
	if v.Kind() != reflect.String {
		panic(fmt.Sprintf("validate: a %s is not text", v.Type()))
	}
	return v.String()
}

// stringerText is v's text, through its String method when it is not a string (as the library's uuid does).
func stringerText(v reflect.Value) string {
	if v.Kind() != reflect.String && v.CanInterface() {
		if s, ok := v.Interface().(fmt.Stringer); ok {
			return s.String()
		}
	}
	return v.String()
}

// The library's email and uuid patterns, compiled on first use.
var (
	emailRegexp = &lazyRegexp{expr: "^(?:(?:(?:(?:[a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])+(?:\\.([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])+)*)|(?:(?:\\x22)(?:(?:(?:(?:\\x20|\\x09)*(?:\\x0d\\x0a))?(?:\\x20|\\x09)+)?(?:(?:[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]|\\x21|[\\x23-\\x5b]|[\\x5d-\\x7e]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|(?:(?:[\\x01-\\x09\\x0b\\x0c\\x0d-\\x7f]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}]))))*(?:(?:(?:\\x20|\\x09)*(?:\\x0d\\x0a))?(\\x20|\\x09)+)?(?:\\x22))))@(?:(?:(?:[a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|(?:(?:[a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])(?:[a-zA-Z]|\\d|-|\\.|~|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])*(?:[a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])))\\.)+(?:(?:[a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|(?:(?:[a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])(?:[a-zA-Z]|\\d|-|\\.|~|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])*(?:[a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])))\\.?$"}
	uuidRegexp  = &lazyRegexp{expr: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"}
)
