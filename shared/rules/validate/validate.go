// Package validate checks request structs against their `validate` tags and reports every problem as a field
// error named by its JSON path, in plain English.
//
// The tags are checked by hand (rules.go), not by github.com/go-playground/validator, for cold starts: the
// library's package init builds its country, currency and language code maps in every Lambda that links it,
// used or not. Measured on complaint-escalation (GODEBUG=inittrace=1, 31 runs) it took 1.1 ms (median; 0.8-2.1),
// 431,664 bytes and 1,239 allocations; the binary's whole init went from 4.6 ms, 715,536 bytes and 3,488
// allocations to 3.1 ms, 245,752 bytes and 1,901, and the binary lost 1.4 MB. Only the tags the repository uses
// are supported, with the library's semantics (v10.30.6 with WithRequiredStructEnabled); an unknown tag panics.
// The library is still this package's test dependency: a differential test and a fuzz target hold the two to
// the same errors.
package validate

import (
	"cmp"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// embedded is an embedded struct's name in a namespace; it is dropped from field paths.
const embedded = "~"

// ukPostcode accepts the shapes of UK postcodes (e.g. "SW1A 1AA", "m1 1ae", "B338TH").
var ukPostcode = &lazyRegexp{expr: `^(?i)(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$`}

// IsPostcode says whether s (spaces around it aside) has the shape of a UK postcode.
func IsPostcode(s string) bool { return ukPostcode.get().MatchString(strings.TrimSpace(s)) }

// ukPhone accepts UK numbers with spaces, dashes or brackets, in national (0...) or +44 form.
var ukPhone = &lazyRegexp{expr: `^(\+44\s?|0)[0-9][0-9 ()-]{8,13}$`}

// lazyRegexp is a pattern compiled when first used. As a plain struct it is laid out by the linker: package init
// has nothing to do (and it cannot allocate).
type lazyRegexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

// The years a date may fall in: a date of birth within a human lifetime, and no date so far off that the
// deadlines computed from it (or the reminders about them) are absurd.
const (
	FirstYear = 1900
	LastYear  = 2100
)

func plausible(d workdays.Date) bool { return d.Year >= FirstYear && d.Year <= LastYear }

// Struct validates s and returns every field problem (nil when valid). Field names are JSON paths without the
// top-level struct name, e.g. "reporter.email" or "household[1].dateOfBirth".
//
// Text made only of spaces is not text: a field whose rules say "required" is then reported as required, and
// any other validated text field as blank (the `required` rule alone lets spaces through).
func Struct(s any) apperr.Fields {
	fields := structErrors(s)
	blankText(reflect.ValueOf(s), "", &fields)
	return fields
}

// blankText walks v as the JSON it came from and reports text fields that hold only whitespace, unless the
// field already has an error.
func blankText(v reflect.Value, path string, fields *apperr.Fields) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if holdsText(v.Index(i).Kind()) {
				blankText(v.Index(i), path+"["+strconv.Itoa(i)+"]", fields)
			}
		}
	case reflect.Struct:
		for _, f := range cached(&textFieldsOf, v.Type(), parseTextFields) {
			fv := v.Field(f.index)
			switch {
			case f.embedded:
				blankText(fv, path, fields)
			case fv.Kind() == reflect.String && f.rule != unchecked:
				blankField(fv.String(), path, f.name, f.rule, fields)
			case holdsText(fv.Kind()):
				blankText(fv, join(path, f.name), fields)
			}
		}
	}
}

// blankField reports text of only spaces in field name of path, unless the field already has an error.
func blankField(text, path, name string, rule textRule, fields *apperr.Fields) {
	if text == "" || strings.TrimSpace(text) != "" {
		return
	}
	p := join(path, name)
	if slices.ContainsFunc(*fields, func(e apperr.FieldError) bool { return e.Field == p }) {
		return
	}
	if rule == required {
		fields.Add(p, "is required")
	} else {
		fields.Add(p, "must not be only spaces")
	}
}

// join is the path of field name of the object at path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// holdsText says whether a value of kind k may hold a text field below it.
func holdsText(k reflect.Kind) bool {
	return k == reflect.Pointer || k == reflect.Interface || k == reflect.Slice || k == reflect.Array || k == reflect.Struct
}

// textRule is what a text field's rules (before any dive) say about blank text.
type textRule uint8

const (
	unchecked textRule = iota // no rules: left alone
	checked                   // refused as blank
	required                  // reported as required
)

// textField is a field as blankText sees it: exported, not `json:"-"`, named by its JSON name.
type textField struct {
	index    int
	name     string
	embedded bool // without a JSON name: its fields are the outer object's (as in JSON)
	rule     textRule
}

var textFieldsOf sync.Map // reflect.Type → []textField

func parseTextFields(t reflect.Type) []textField {
	var fs []textField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		tf := textField{index: i, name: cmp.Or(name, f.Name), embedded: name == "" && f.Anonymous}
		switch rules, _, _ := strings.Cut(f.Tag.Get("validate"), ",dive"); {
		case slices.Contains(strings.Split(rules, ","), "required"):
			tf.rule = required
		case rules != "":
			tf.rule = checked
		}
		fs = append(fs, tf)
	}
	return fs
}

// message says in plain English why v (the value the rule failed on, or a nil pointer) broke rule r.
func message(r *rule, v reflect.Value) string {
	switch r.tag {
	case "required":
		return "is required"
	case "email":
		return "must be an email address"
	case "postcode":
		return "must be a UK postcode"
	case "ukphone":
		return "must be a UK phone number"
	case "date":
		if _, err := workdays.ParseDate(fmt.Sprint(v)); err == nil {
			return fmt.Sprintf("must be between %d and %d", FirstYear, LastYear)
		}
		return "must be a real date in the form YYYY-MM-DD"
	case "datetime":
		return "must be a date and time in RFC 3339 form, e.g. 2026-11-23T21:15:00Z"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(r.param, " ", ", ")
	case "min":
		if v.Kind() == reflect.String || v.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at least %s characters or items", r.param)
		}
		return "must be at least " + r.param
	case "max":
		if v.Kind() == reflect.String || v.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at most %s characters or items", r.param)
		}
		return "must be at most " + r.param
	case "gte":
		return "must be at least " + r.param
	case "lte":
		return "must be at most " + r.param
	case "dive": // only a nil pointer to a collection fails it
		return "must not repeat a value"
	default:
		return fmt.Sprintf("is not valid (%s)", r.tag)
	}
}

// Reachable checks that a person can be contacted the way they prefer (email needs an email address; sms and
// phone a phone number; letter a postal address) and at all. prefix names the person's object, e.g. "reporter".
func Reachable(f *apperr.Fields, prefix, email, phone, address, preferred string) {
	has := func(s string) bool { return strings.TrimSpace(s) != "" }
	if !has(email) && !has(phone) && !(preferred == "letter" && has(address)) {
		f.Add(prefix, "needs an email address or a phone number so we can contact you")
	}
	switch preferred {
	case "email":
		if !has(email) {
			f.Add(prefix+".email", "is required when the preferred contact is email")
		}
	case "sms", "phone":
		if !has(phone) {
			f.Add(prefix+".phone", "is required when the preferred contact is %s", preferred)
		}
	case "letter":
		if !has(address) {
			f.Add(prefix+".address", "is required when the preferred contact is letter")
		}
	}
}
