// Package validate checks request structs with go-playground/validator and reports every problem as a field
// error named by its JSON path, in plain English.
package validate

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// v is built on the first validation, not at package init: a request without a body (and a function that
// never validates one) does not pay for the validator's set-up.
var v = sync.OnceValue(newValidator)

// embedded marks an embedded struct in a validator namespace; it is dropped from field paths.
const embedded = "~"

// ukPostcode accepts the shapes of UK postcodes (e.g. "SW1A 1AA", "m1 1ae", "B338TH").
var ukPostcode = lazyRegexp(`^(?i)(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$`)

// IsPostcode says whether s (spaces around it aside) has the shape of a UK postcode.
func IsPostcode(s string) bool { return ukPostcode().MatchString(strings.TrimSpace(s)) }

// ukPhone accepts UK numbers with spaces, dashes or brackets, in national (0...) or +44 form.
var ukPhone = lazyRegexp(`^(\+44\s?|0)[0-9][0-9 ()-]{8,13}$`)

// lazyRegexp compiles expr when first used.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func newValidator() *validator.Validate {
	val := validator.New(validator.WithRequiredStructEnabled())
	val.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		switch {
		case name == "-":
			return ""
		case name == "" && f.Anonymous:
			return embedded // an embedded struct's fields are the outer object's own (as in JSON)
		}
		return name
	})
	must(val.RegisterValidation("postcode", func(fl validator.FieldLevel) bool {
		return ukPostcode().MatchString(strings.TrimSpace(fl.Field().String()))
	}))
	must(val.RegisterValidation("ukphone", func(fl validator.FieldLevel) bool {
		return ukPhone().MatchString(strings.TrimSpace(fl.Field().String()))
	}))
	must(val.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		d, err := workdays.ParseDate(fl.Field().String())
		return err == nil && plausible(d)
	}))
	return val
}

// The years a date may fall in: a date of birth within a human lifetime, and no date so far off that the
// deadlines computed from it (or the reminders about them) are absurd.
const (
	FirstYear = 1900
	LastYear  = 2100
)

func plausible(d workdays.Date) bool { return d.Year >= FirstYear && d.Year <= LastYear }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Struct validates s and returns every field problem (nil when valid). Field names are JSON paths without the
// top-level struct name, e.g. "reporter.email" or "household[1].dateOfBirth".
//
// Text made only of spaces is not text: a field whose rules say "required" is then reported as required, and
// any other validated text field as blank (the validator's own `required` lets spaces through).
func Struct(s any) apperr.Fields {
	fields := structErrors(s)
	blankText(reflect.ValueOf(s), "", &fields)
	return fields
}

func structErrors(s any) apperr.Fields {
	err := v().Struct(s)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		panic(fmt.Sprintf("validate: %v", err)) // a programming error: s is not a struct
	}
	var fields apperr.Fields
	for _, fe := range verrs {
		path := strings.ReplaceAll(fe.Namespace(), "."+embedded, "")
		if i := strings.IndexByte(path, '.'); i >= 0 {
			path = path[i+1:]
		}
		fields.Add(path, "%s", message(fe))
	}
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
		for i := 0; i < v.Len(); i++ {
			blankText(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fields)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
			switch {
			case name == "-":
				continue
			case name == "" && f.Anonymous:
				blankText(v.Field(i), path, fields) // embedded: its fields are the outer object's
				continue
			case name == "":
				name = f.Name
			}
			child := name
			if path != "" {
				child = path + "." + name
			}
			rules := strings.SplitN(f.Tag.Get("validate"), ",dive", 2)[0]
			fv := v.Field(i)
			if fv.Kind() == reflect.String && rules != "" {
				text := fv.String()
				if text != "" && strings.TrimSpace(text) == "" && !slices.ContainsFunc(*fields, func(e apperr.FieldError) bool { return e.Field == child }) {
					if slices.Contains(strings.Split(rules, ","), "required") {
						fields.Add(child, "is required")
					} else {
						fields.Add(child, "must not be only spaces")
					}
				}
				continue
			}
			blankText(fv, child, fields)
		}
	}
}

func message(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "required_if", "required_unless", "required_with", "required_without":
		return "is required"
	case "excluded_if", "excluded_unless", "excluded_with":
		return "must be left out here"
	case "email":
		return "must be an email address"
	case "postcode":
		return "must be a UK postcode"
	case "ukphone":
		return "must be a UK phone number"
	case "date":
		if _, err := workdays.ParseDate(fmt.Sprint(fe.Value())); err == nil {
			return fmt.Sprintf("must be between %d and %d", FirstYear, LastYear)
		}
		return "must be a real date in the form YYYY-MM-DD"
	case "datetime":
		return "must be a date and time in RFC 3339 form, e.g. 2026-11-23T21:15:00Z"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "min":
		if fe.Kind() == reflect.String || fe.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at least %s characters or items", fe.Param())
		}
		return "must be at least " + fe.Param()
	case "max":
		if fe.Kind() == reflect.String || fe.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at most %s characters or items", fe.Param())
		}
		return "must be at most " + fe.Param()
	case "gte":
		return "must be at least " + fe.Param()
	case "lte":
		return "must be at most " + fe.Param()
	case "gt":
		return "must be more than " + fe.Param()
	case "eq":
		return "must be " + fe.Param()
	case "dive", "unique":
		return "must not repeat a value"
	default:
		return fmt.Sprintf("is not valid (%s)", fe.Tag())
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
