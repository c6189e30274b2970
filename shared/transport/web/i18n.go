package web

import (
	"fmt"
	"slices"
	"strings"

	files "github.com/councilhousing/backend/shared/web"
)

// DefaultLanguage is the language every key must exist in: a page in another language falls back to it key by
// key, so a partly translated catalog still gives whole pages.
const DefaultLanguage = "en"

// Catalog is every visible string of the pages, per language: messages/<lang>.json, flat keys such as
// "asb.where.postcode.label". Templates never hold text of their own (a test checks): they ask the page for a
// key (Page.T).
//
// It reads the tables generated from the JSON (files.ResidentTexts, files.StaffTexts) in place: each language's
// texts are sorted by key, so a lookup is a binary search and building a catalog copies nothing, where decoding
// the JSON into maps cost the console ~3 ms of its cold start (issue 10).
type Catalog struct {
	sources [][]files.Language // looked up in order; a key is in at most one
	langs   []string           // English first
}

// NewCatalog is a catalog over sources (the resident pages' messages, then the console's own); each language's
// texts must be sorted by key, as the generated tables are. One of them must have English: a catalog without
// it is a programming error, so NewCatalog panics.
func NewCatalog(sources ...[]files.Language) *Catalog {
	c := &Catalog{sources: sources, langs: []string{DefaultLanguage}}
	english := false
	for _, src := range sources {
		for _, l := range src {
			if l.Code == DefaultLanguage {
				english = true
			} else if !slices.Contains(c.langs, l.Code) {
				c.langs = append(c.langs, l.Code)
			}
		}
	}
	if !english {
		panic(fmt.Sprintf("messages: no %s", DefaultLanguage))
	}
	slices.Sort(c.langs[1:])
	return c
}

// lookup is the text of key in lang, from whichever source has it.
func (c *Catalog) lookup(lang, key string) (string, bool) {
	for _, src := range c.sources {
		for _, l := range src {
			if l.Code != lang {
				continue
			}
			if i, ok := slices.BinarySearchFunc(l.Texts, key, func(t files.Text, k string) int { return strings.Compare(t.Key, k) }); ok {
				return l.Texts[i].Text, true
			}
		}
	}
	return "", false
}

// Languages are the catalog's languages, English first.
func (c *Catalog) Languages() []string { return slices.Clone(c.langs) }

// Has says whether key exists (in English, which is complete).
func (c *Catalog) Has(key string) bool {
	_, ok := c.lookup(DefaultLanguage, key)
	return ok
}

// Keys are the English catalog's keys, sorted.
func (c *Catalog) Keys() []string {
	var keys []string
	for _, src := range c.sources {
		for _, l := range src {
			if l.Code == DefaultLanguage {
				for _, t := range l.Texts {
					keys = append(keys, t.Key)
				}
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Lang is the language a page is shown in: lang when the catalog has it, else English.
func (c *Catalog) Lang(lang string) string {
	if slices.Contains(c.langs, lang) {
		return lang
	}
	return DefaultLanguage
}

// T is the text of key in lang (English when lang lacks it), formatted with args (fmt verbs). A missing key
// shows as the key itself in brackets, which the template tests catch.
func (c *Catalog) T(lang, key string, args ...any) string {
	text, ok := c.lookup(lang, key)
	if !ok {
		if text, ok = c.lookup(DefaultLanguage, key); !ok {
			return "[" + key + "]"
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}
