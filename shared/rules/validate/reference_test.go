package validate_test

// The implementation this package had before (go-playground/validator v10.30.6), kept verbatim but for the names
// (ref...) as the reference the hand-written checks must agree with. It is linked into this test binary only.

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// refStruct is the former validate.Struct.
func refStruct(s any) apperr.Fields {
	fields := refStructErrors(s)
	refBlankText(reflect.ValueOf(s), "", &fields)
	return fields
}

var refV = sync.OnceValue(refNewValidator)

const embedded = "~"

func plausible(d workdays.Date) bool {
	return d.Year >= validate.FirstYear && d.Year <= validate.LastYear
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func refNewValidator() *validator.Validate {
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
		return validate.IsPostcode(fl.Field().String())
	}))
	must(val.RegisterValidation("ukphone", func(fl validator.FieldLevel) bool {
		return validate.UKPhone().MatchString(strings.TrimSpace(fl.Field().String()))
	}))
	must(val.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		d, err := workdays.ParseDate(fl.Field().String())
		return err == nil && plausible(d)
	}))
	return val
}

func refStructErrors(s any) apperr.Fields {
	err := refV().Struct(s)
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
		fields.Add(path, "%s", refMessage(fe))
	}
	return fields
}

func refMessage(fe validator.FieldError) string {
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
			return fmt.Sprintf("must be between %d and %d", validate.FirstYear, validate.LastYear)
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

// blankText walks v as the JSON it came from and reports text fields that hold only whitespace, unless the
// field already has an error.
func refBlankText(v reflect.Value, path string, fields *apperr.Fields) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			refBlankText(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fields)
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
				refBlankText(v.Field(i), path, fields) // embedded: its fields are the outer object's
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
			refBlankText(fv, child, fields)
		}
	}
}
