package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Kinds of form field, each rendered with its GOV.UK Frontend component.
const (
	Text       = "text"
	Email      = "email"
	Tel        = "tel"
	Number     = "number"
	TextArea   = "textarea"
	Radios     = "radios"
	Checkboxes = "checkboxes"
	Date       = "date" // three inputs: <name>-day, <name>-month, <name>-year
)

// Field is one question of a form. Its text comes from the catalog under Key: Key+".label" (the question),
// Key+".hint", Key+".name" (how an error message names it), Key+".required" (the message when it is missing),
// and Key+".option."+value for each option (and ".hint" after it). Paths are the validation's JSON paths that
// belong to this field: an error the application's validation reports for one of them is shown at the field.
type Field struct {
	Name         string
	Kind         string
	Key          string
	Paths        []string
	Options      []string
	MaxLength    int    // from the validation's max (the browser stops there too)
	Width        string // GOV.UK width class, e.g. "govuk-input--width-10"
	Autocomplete string
	Optional     bool // shows "(optional)" in the label
}

// Form is a page's fields, their values and errors, ready for the templates.
type Form struct {
	Fields []FieldView
	Errors []ErrorLink // the error summary, in the order of the fields
}

// ErrorLink is one line of the error summary: its text and the id of the field it links to.
type ErrorLink struct {
	Text, Href string
}

// FieldView is a field as rendered: its text, its value(s) and its error.
type FieldView struct {
	Field
	Label, Hint, Error string
	Heading            bool // the page's one question: its label or legend is the page's h1
	Value              string
	Day, Month, Year   string
	Options            []OptionView
}

// OptionView is a radio or checkbox.
type OptionView struct {
	Value, Label, Hint, ID string
	Checked                bool
}

// FirstID is the id an error links to: the first input of the field.
func (f FieldView) FirstID() string {
	switch {
	case f.Kind == Date:
		return f.Name + "-day"
	case (f.Kind == Radios || f.Kind == Checkboxes) && len(f.Options) > 0:
		return f.Options[0].ID
	}
	return f.Name
}

// DescribedBy is the ids of the field's hint and error, for aria-describedby.
func (f FieldView) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// Values reads a field from submitted form values (its parts, for a date).
func (f Field) Values(form url.Values) []string {
	if f.Kind == Date {
		return []string{strings.TrimSpace(form.Get(f.Name + "-day")), strings.TrimSpace(form.Get(f.Name + "-month")), strings.TrimSpace(form.Get(f.Name + "-year"))}
	}
	if f.Kind == Checkboxes {
		var out []string
		for _, v := range form[f.Name] {
			if slices.Contains(f.Options, v) && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	v := form.Get(f.Name)
	if f.Kind != TextArea {
		v = strings.TrimSpace(v)
	}
	return []string{v}
}

// ISODate is a date field's answer as YYYY-MM-DD ("" when no part was given; an impossible date stays
// impossible, so the application's validation names it).
func ISODate(parts []string) string {
	if len(parts) != 3 || parts[0] == "" && parts[1] == "" && parts[2] == "" {
		return ""
	}
	pad := func(s string, n int) string {
		if _, err := strconv.Atoi(s); err != nil || len(s) > n {
			return s
		}
		return strings.Repeat("0", n-len(s)) + s
	}
	return pad(parts[2], 4) + "-" + pad(parts[1], 2) + "-" + pad(parts[0], 2)
}

// Translator gives catalog text in the page's language.
type Translator interface {
	T(key string, args ...any) string
	Has(key string) bool
}

// BuildForm renders fields with the stored answers and the errors err holds for them. Errors for paths that no
// field of the page owns are left out (they belong to another page); a form whose error is not a field error
// shows none. When there is one field it is the page's heading.
func BuildForm(t Translator, fields []Field, answers map[string][]string, err error) Form {
	var form Form
	fieldErrors := map[string]string{}
	if e, ok := apperr.As(err); ok {
		for _, fe := range e.Fields {
			for _, f := range fields {
				if _, done := fieldErrors[f.Name]; !done && owns(f, fe.Field) {
					fieldErrors[f.Name] = errorText(t, f, fe.Message)
				}
			}
		}
	}
	for _, f := range fields {
		v := FieldView{Field: f, Label: t.T(f.Key + ".label"), Heading: len(fields) == 1, Error: fieldErrors[f.Name]}
		if f.Optional {
			v.Label += " " + t.T("form.optional")
		}
		if t.Has(f.Key + ".hint") {
			v.Hint = t.T(f.Key + ".hint")
		}
		got := answers[f.Name]
		switch f.Kind {
		case Date:
			if len(got) == 3 {
				v.Day, v.Month, v.Year = got[0], got[1], got[2]
			}
		case Radios, Checkboxes:
			for i, o := range f.Options {
				ov := OptionView{Value: o, Label: t.T(f.Key + ".option." + o), ID: f.Name, Checked: slices.Contains(got, o)}
				if i > 0 {
					ov.ID = f.Name + "-" + strconv.Itoa(i+1)
				}
				if t.Has(f.Key + ".option." + o + ".hint") {
					ov.Hint = t.T(f.Key + ".option." + o + ".hint")
				}
				v.Options = append(v.Options, ov)
			}
		default:
			if len(got) > 0 {
				v.Value = got[0]
			}
		}
		if v.Error != "" {
			form.Errors = append(form.Errors, ErrorLink{Text: v.Error, Href: "#" + v.FirstID()})
		}
		form.Fields = append(form.Fields, v)
	}
	return form
}

// Owns says whether a validation path belongs to the field: one of its paths, or inside one
// ("reporter.email" is inside "reporter").
func owns(f Field, path string) bool {
	for _, p := range f.Paths {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}

// OwnedBy says whether any of the fields owns the validation path.
func OwnedBy(fields []Field, path string) bool {
	return slices.ContainsFunc(fields, func(f Field) bool { return owns(f, path) })
}

// errorText is the message shown for a field: the catalog's own wording when the field is missing
// (Key+".required"), else the validation's message after the field's name ("Postcode must be a UK postcode").
func errorText(t Translator, f Field, message string) string {
	if message == "is required" && t.Has(f.Key+".required") {
		return t.T(f.Key + ".required")
	}
	if (strings.HasPrefix(message, "must be a real date") || strings.HasPrefix(message, "must be a date and time")) && t.Has(f.Key+".invalid") {
		return t.T(f.Key + ".invalid") // a date typed in three boxes, not the API's YYYY-MM-DD
	}
	if t.Has(f.Key + ".name") {
		return t.T(f.Key+".name") + " " + message
	}
	return t.T(f.Key+".label") + " " + message
}

// Store keeps a page's submitted fields as the journey's answers, each value cut to the field's maximum (the
// validation then names the field; nothing longer is kept).
func Store(answers map[string][]string, fields []Field, form url.Values) {
	for _, f := range fields {
		vals := f.Values(form)
		limit := f.MaxLength
		if limit <= 0 {
			limit = 500
		}
		for i, v := range vals {
			if r := []rune(v); len(r) > limit+1 {
				vals[i] = string(r[:limit+1]) // one over: the validation says it is too long
			}
		}
		answers[f.Name] = vals
	}
}
