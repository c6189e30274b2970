// Package config is a deployment's configuration: a value for every setting the catalog declares
// (catalog.Settings), read from a JSON file (example.json here shows every one) with `-c <setting>=<value>`
// overrides. The stack stores each value in SSM Parameter Store; the local cloud passes them as environment.
//
// A configuration is checked at two levels:
//   - Invalid: what no deployment can use, not even `make synth` or `make run`: a missing setting, a value of
//     the wrong shape (not an email address, not a UK mobile for texts, not a whole number, a mailbox or template missing from a map, a
//     template the services never send), a value over SSM's 4 KB standard parameter size, an unknown key;
//   - placeholders: example.org / council.example addresses, placeholder Notify template ids, Ofcom's drama
//     phone numbers, "Example" names. The local cloud and `make synth` accept them; `make deploy` does not.
package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/councilhousing/backend/shared/catalog"
)

// ExampleFile is the checked-in example configuration, relative to the repository root.
const ExampleFile = "infra/config/example.json"

// MaxValueBytes is the largest value of a standard-tier SSM parameter.
const MaxValueBytes = 4096

// Config is a deployment's settings, by catalog setting name, as stored in SSM (maps as compact JSON).
type Config struct {
	Source   string // where it came from, for messages
	catalog  catalog.Catalog
	values   map[string]string
	problems []Problem // found while reading (unknown keys, wrong JSON types)
}

// Problem is one setting that cannot be deployed as it is.
type Problem struct {
	Setting     string // e.g. alarmEmail, or notifyTemplates["complaint-received.sms"]
	Message     string
	Placeholder bool // an example value: fine locally and for synth, refused by deploy
}

func (p Problem) String() string { return p.Setting + ": " + p.Message }

// Example reads the checked-in example configuration under the repository root.
func Example(root string) (Config, error) {
	return Load(catalog.System(), filepath.Join(root, ExampleFile), nil)
}

// Load reads a configuration file and applies overrides (setting name -> value; a map-valued setting may be
// given as a JSON string, as `-c` gives it). It fails only when the file cannot be read or is not JSON; every
// other problem is reported by Problems, all at once.
func Load(sys catalog.Catalog, path string, overrides map[string]any) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return Parse(sys, path, data, overrides)
}

// Parse is Load for a file's content.
func Parse(sys catalog.Catalog, source string, data []byte, overrides map[string]any) (Config, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var file map[string]any
	if err := dec.Decode(&file); err != nil {
		return Config{}, fmt.Errorf("configuration %s is not a JSON object: %w", source, err)
	}
	c := Config{Source: source, catalog: sys, values: map[string]string{}}
	raw := map[string]any{}
	c.walk("", file, raw)
	overridden := sortedKeys(overrides)
	for _, name := range overridden {
		if _, ok := sys.Setting(name); !ok {
			c.problems = append(c.problems, Problem{Setting: name, Message: "-c " + name + " is not a setting (" + known(sys) + ")"})
			continue
		}
		raw[name] = overrides[name]
	}
	if len(overridden) > 0 {
		c.Source += " with -c " + strings.Join(overridden, ", -c ")
	}
	for _, s := range sys.Settings {
		v, ok := raw[s.Name]
		if !ok || v == nil {
			if s.Default != "" {
				c.values[s.Name] = s.Default
			}
			continue
		}
		value, err := text(s, v)
		if err != "" {
			c.problems = append(c.problems, Problem{Setting: s.Name, Message: err})
			continue
		}
		c.values[s.Name] = value
	}
	return c, nil
}

// walk finds the declared settings in the file: "landlord.name" is {"landlord": {"name": ...}}. Keys starting
// with "_" are notes.
func (c *Config) walk(prefix string, obj map[string]any, out map[string]any) {
	for _, k := range sortedKeys(obj) {
		if strings.HasPrefix(k, "_") {
			continue
		}
		name := strings.TrimPrefix(prefix+"."+k, ".")
		if _, ok := c.catalog.Setting(name); ok {
			out[name] = obj[k]
			continue
		}
		child, isObject := obj[k].(map[string]any)
		if isObject && slices.ContainsFunc(c.catalog.Settings, func(s catalog.Setting) bool { return strings.HasPrefix(s.Name, name+".") }) {
			c.walk(name, child, out)
			continue
		}
		c.problems = append(c.problems, Problem{Setting: name, Message: "is not a setting (" + known(c.catalog) + ")"})
	}
}

func known(sys catalog.Catalog) string {
	var names []string
	for _, s := range sys.Settings {
		names = append(names, s.Name)
	}
	return "settings: " + strings.Join(names, ", ")
}

// text is a JSON value as the setting's text: strings as they are, whole numbers for counts, maps of strings
// as compact JSON with sorted keys.
func text(s catalog.Setting, v any) (string, string) {
	switch s.Kind {
	case catalog.Mailboxes, catalog.Templates:
		if str, ok := v.(string); ok { // -c gives JSON as a string
			var m map[string]any
			if err := json.Unmarshal([]byte(str), &m); err != nil {
				return "", "must be a JSON object of name -> text"
			}
			v = m
		}
		m, ok := v.(map[string]any)
		if !ok {
			return "", "must be a JSON object of name -> text"
		}
		out := map[string]string{}
		for k, item := range m {
			str, ok := item.(string)
			if !ok {
				return "", fmt.Sprintf("[%q] must be text", k)
			}
			out[k] = strings.TrimSpace(str)
		}
		b, _ := json.Marshal(out)
		return string(b), ""
	case catalog.Count:
		if n, ok := v.(json.Number); ok {
			return n.String(), ""
		}
		if f, ok := v.(float64); ok { // cdk.json context
			return fmt.Sprint(f), ""
		}
	}
	str, ok := v.(string)
	if !ok {
		return "", "must be text (in quotes)"
	}
	return strings.TrimSpace(str), ""
}

// Value is the setting's value ("" when missing).
func (c Config) Value(s catalog.Setting) string { return c.values[s.Name] }

// Values are every setting's value by name.
func (c Config) Values() map[string]string {
	out := map[string]string{}
	for k, v := range c.values {
		out[k] = v
	}
	return out
}

// Problems lists what stops this configuration: with deploy, placeholders and example values too.
func (c Config) Problems(deploy bool) []Problem {
	all := slices.Clone(c.problems)
	for _, s := range c.catalog.Settings {
		v, ok := c.values[s.Name]
		if !ok {
			if !slices.ContainsFunc(c.problems, func(p Problem) bool { return p.Setting == s.Name }) {
				all = append(all, Problem{Setting: s.Name, Message: "missing: " + s.Description})
			}
			continue
		}
		all = append(all, check(s, v)...)
	}
	var out []Problem
	for _, p := range all {
		if deploy || !p.Placeholder {
			out = append(out, p)
		}
	}
	return out
}

// Refused is a configuration that cannot be used; its message lists every problem, one a line.
type Refused struct {
	Source   string
	Deploy   bool
	Problems []Problem
}

func (r *Refused) Error() string {
	what := "cannot be used"
	if r.Deploy {
		what = "cannot be deployed"
	}
	lines := []string{fmt.Sprintf("configuration %s %s: %d setting(s) to fix", r.Source, what, len(r.Problems))}
	for _, p := range r.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// Check is nil when the configuration can be used (deploy: deployed), else a *Refused naming each problem.
func (c Config) Check(deploy bool) error {
	if problems := c.Problems(deploy); len(problems) > 0 {
		return &Refused{Source: c.Source, Deploy: deploy, Problems: problems}
	}
	return nil
}

// check is one setting's problems.
func check(s catalog.Setting, v string) []Problem {
	var out []Problem
	add := func(key, msg string, placeholder bool) {
		name := s.Name
		if key != "" {
			name += fmt.Sprintf("[%q]", key)
		}
		out = append(out, Problem{Setting: name, Message: msg, Placeholder: placeholder})
	}
	if v == "" {
		add("", "is empty: "+s.Description, false)
		return out
	}
	if len(v) > MaxValueBytes {
		add("", fmt.Sprintf("is %d bytes, over the %d of an SSM standard parameter", len(v), MaxValueBytes), false)
	}
	switch s.Kind {
	case catalog.Text:
		if placeholderText.MatchString(v) {
			add("", fmt.Sprintf("%q is an example value", v), true)
		}
	case catalog.Email:
		checkEmail(v, func(msg string, placeholder bool) { add("", msg, placeholder) })
	case catalog.Phone:
		checkPhone(v, func(msg string, placeholder bool) { add("", msg, placeholder) })
	case catalog.Mobile:
		checkMobile(v, func(msg string, placeholder bool) { add("", msg, placeholder) })
	case catalog.Count:
		if !wholeNumber.MatchString(v) {
			add("", fmt.Sprintf("%q is not a positive whole number", v), false)
		}
	case catalog.Period:
		if !period.MatchString(v) || strings.Trim(v, "P0YMD") == "" {
			add("", fmt.Sprintf("%q is not an ISO 8601 period of years, months or days (e.g. P6Y, P18M)", v), false)
		}
	case catalog.Mailboxes:
		m := decode(v)
		for _, k := range missingKeys(s, m) {
			add(k, "no mailbox: every "+strings.Join(s.RequiredKeys, ", ")+" needs one", false)
		}
		for _, k := range sortedKeys(m) {
			if m[k] != "" {
				checkEmail(m[k], func(msg string, placeholder bool) { add(k, msg, placeholder) })
			} else if !slices.Contains(s.RequiredKeys, k) {
				add(k, "is empty", false)
			}
		}
	case catalog.Templates:
		checkTemplates(s, decode(v), add)
	}
	return out
}

var (
	placeholderText = regexp.MustCompile(`(?i)\b(example|placeholder|changeme|change me|replace me|lorem|tbc|todo)\b`)
	wholeNumber     = regexp.MustCompile(`^[1-9][0-9]*$`)
	period          = regexp.MustCompile(`^P([0-9]+Y)?([0-9]+M)?([0-9]+D)?$`)
	templateID      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	language        = regexp.MustCompile(`^[a-z]{2,3}$`)
	channels        = []string{"email", "sms", "letter"}
)

// checkEmail: one plain address, at a domain that is not reserved for examples (RFC 2606, RFC 6761).
func checkEmail(v string, add func(string, bool)) {
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		add(fmt.Sprintf("%q is not an email address", v), false)
		return
	}
	domain := strings.ToLower(v[strings.LastIndex(v, "@")+1:])
	for _, reserved := range []string{"example", "example.com", "example.org", "example.net", "test", "invalid", "localhost"} {
		if domain == reserved || strings.HasSuffix(domain, "."+reserved) {
			add(fmt.Sprintf("%q is an example address (%s is a domain reserved for examples)", v, domain), true)
			return
		}
	}
}

// dramaNumbers are Ofcom's ranges for TV and radio drama: never a real line.
var dramaNumbers = []string{"01134960", "01144960", "01154960", "01164960", "01174960", "01184960", "01214960", "01314960",
	"01414960", "01514960", "01614960", "01632960", "02079460", "02890180", "02920180", "03069990", "07700900", "08081570", "09098790"}

func checkPhone(v string, add func(string, bool)) {
	digits := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(v)
	if strings.HasPrefix(digits, "+44") {
		digits = "0" + strings.TrimPrefix(digits, "+44")
	}
	if !regexp.MustCompile(`^0[0-9]{9,10}$`).MatchString(digits) {
		add(fmt.Sprintf("%q is not a UK phone number", v), false)
		return
	}
	for _, prefix := range dramaNumbers {
		if strings.HasPrefix(digits, prefix) {
			add(fmt.Sprintf("%q is a fictional number (Ofcom's range for drama)", v), true)
			return
		}
	}
}

// ukMobile is what GOV.UK Notify accepts as a UK mobile number for a text: 07 and nine more digits, also as
// +447 or 00447, spaces, dashes and brackets aside.
var ukMobile = regexp.MustCompile(`^(\+44|0044|0)7[0-9]{9}$`)

// checkMobile: a UK mobile that Notify can text (a landline cannot be), and not one of Ofcom's drama numbers.
func checkMobile(v string, add func(string, bool)) {
	digits := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(v)
	if !ukMobile.MatchString(digits) {
		add(fmt.Sprintf("%q is not a UK mobile number (GOV.UK Notify texts mobiles only: 07...)", v), false)
		return
	}
	checkPhone("0"+digits[len(digits)-10:], func(_ string, placeholder bool) {
		add(fmt.Sprintf("%q is a fictional number (Ofcom's range for drama)", v), placeholder)
	})
}

// checkTemplates: every required template and channel has a GOV.UK Notify template id; keys name templates the
// services send; one id is never used for two channels (a Notify template is an email, a text or a letter).
func checkTemplates(s catalog.Setting, m map[string]string, add func(key, msg string, placeholder bool)) {
	for _, k := range missingKeys(s, m) {
		add(k, "no template id: every message the services send needs one per channel", false)
	}
	templates := map[string]bool{}
	for _, k := range s.RequiredKeys {
		templates[strings.Split(k, ".")[0]] = true
	}
	channelOf := map[string]string{}
	for _, k := range sortedKeys(m) {
		parts := strings.Split(k, ".")
		if !templates[parts[0]] {
			add(k, "not a template the services send (templates: "+strings.Join(sortedKeys(templates), ", ")+")", false)
			continue
		}
		channel := ""
		if last := parts[len(parts)-1]; len(parts) > 1 && slices.Contains(channels, last) {
			channel, parts = last, parts[:len(parts)-1]
		}
		if len(parts) > 2 || (len(parts) == 2 && !language.MatchString(parts[1])) {
			add(k, "is not <template>.<channel> or <template>.<language>.<channel> (channel: email, sms or letter)", false)
			continue
		}
		id := m[k]
		if id == "" {
			if !slices.Contains(s.RequiredKeys, k) {
				add(k, "is empty", false)
			}
			continue
		}
		if !templateID.MatchString(id) || strings.Trim(strings.ToLower(id), "0-") == "" {
			add(k, fmt.Sprintf("%q is a placeholder, not a GOV.UK Notify template id (the UUID on the template's page in Notify)", id), true)
			continue
		}
		if other, seen := channelOf[strings.ToLower(id)]; seen && channel != "" && other != "" && other != channel {
			add(k, fmt.Sprintf("template id %s is also used for %s: a Notify template is for one channel", id, other), true)
		}
		if channel != "" {
			channelOf[strings.ToLower(id)] = channel
		}
	}
}

func decode(v string) map[string]string {
	m := map[string]string{}
	_ = json.Unmarshal([]byte(v), &m)
	return m
}

func missingKeys(s catalog.Setting, m map[string]string) []string {
	var out []string
	for _, k := range s.RequiredKeys {
		if m[k] == "" {
			out = append(out, k)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
