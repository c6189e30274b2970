package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// DefaultLanguage is the language every key must exist in: a page in another language falls back to it key by
// key, so a partly translated catalog still gives whole pages.
const DefaultLanguage = "en"

// Catalog is every visible string of the pages, per language: messages/<lang>.json, flat keys such as
// "asb.where.postcode.label". Templates never hold text of their own (a test checks): they ask the page for a
// key (Page.T).
type Catalog struct {
	langs map[string]map[string]string
}

// LoadCatalog reads every <lang>.json in dir, and in more (the staff console's own strings beside the shared
// ones); a key in two files of one language is an error.
func LoadCatalog(dir fs.FS, more ...fs.FS) (*Catalog, error) {
	c := &Catalog{langs: map[string]map[string]string{}}
	for _, d := range append([]fs.FS{dir}, more...) {
		if err := c.load(d); err != nil {
			return nil, err
		}
	}
	if c.langs[DefaultLanguage] == nil {
		return nil, fmt.Errorf("messages: no %s.json", DefaultLanguage)
	}
	return c, nil
}

func (c *Catalog) load(dir fs.FS) error {
	files, err := fs.Glob(dir, "*.json")
	if err != nil {
		return err
	}
	for _, name := range files {
		raw, err := fs.ReadFile(dir, name)
		if err != nil {
			return err
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("messages %s: %w", name, err)
		}
		lang := strings.TrimSuffix(name, ".json")
		if c.langs[lang] == nil {
			c.langs[lang] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := c.langs[lang][k]; dup {
				return fmt.Errorf("messages %s: %q is defined twice", name, k)
			}
			c.langs[lang][k] = v
		}
	}
	return nil
}

// Languages are the catalog's languages, English first.
func (c *Catalog) Languages() []string {
	out := []string{DefaultLanguage}
	for l := range c.langs {
		if l != DefaultLanguage {
			out = append(out, l)
		}
	}
	slices.Sort(out[1:])
	return out
}

// Has says whether key exists (in English, which is complete).
func (c *Catalog) Has(key string) bool {
	_, ok := c.langs[DefaultLanguage][key]
	return ok
}

// Keys are the English catalog's keys.
func (c *Catalog) Keys() []string {
	var keys []string
	for k := range c.langs[DefaultLanguage] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Lang is the language a page is shown in: lang when the catalog has it, else English.
func (c *Catalog) Lang(lang string) string {
	if _, ok := c.langs[lang]; ok {
		return lang
	}
	return DefaultLanguage
}

// T is the text of key in lang (English when lang lacks it), formatted with args (fmt verbs). A missing key
// shows as the key itself in brackets, which the template tests catch.
func (c *Catalog) T(lang, key string, args ...any) string {
	text, ok := c.langs[lang][key]
	if !ok {
		if text, ok = c.langs[DefaultLanguage][key]; !ok {
			return "[" + key + "]"
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}
