package staffweb

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/transport/web"
)

// Find by a person: what the find page does with what is not a case reference. A postcode finds every kind of
// case the officer may open (an ASB case by its reporter's postcode or its location's, a complaint by its
// complainant's, an application by its applicant's); an email address or a phone number finds every kind through
// the contact directory (an ASB reporter's keys, a complainant's email and phone keys, an applicant's email and
// phone keys). Each is a query of a hashed, normalised key per kind, never a scan. Every search made, and every
// reference opened from the find box, is an audit record (who, when, how, the references found: never what was
// typed), written after the read and before the page is shown.

// Ways of finding a person's cases.
const (
	byPostcode = console.SearchByPostcode
	byEmail    = console.SearchByEmail
	byPhone    = console.SearchByPhone
)

// postcode is a UK postcode's shape, upper-cased without spaces (e.g. NN11DE, SW1A1AA).
var postcode = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$`) })

// searchedBy says how to find what was typed: by postcode, email address or phone ("" for none of them).
func searchedBy(typed string) string {
	s := strings.TrimSpace(typed)
	switch {
	case strings.Contains(s, "@"):
		return byEmail
	case postcode().MatchString(strings.ToUpper(strings.Join(strings.Fields(s), ""))):
		return byPostcode
	case strings.Trim(s, "0123456789 +()-") == "" && strings.ContainsAny(s, "0123456789"):
		return byPhone
	}
	return ""
}

// findView is the find page's results: how the search was made and the cases found, by kind.
type findView struct {
	By     string
	Groups []foundGroup
}

type foundGroup struct {
	Kind  casefile.Kind
	Items []foundItem
}

type foundItem struct {
	Ref, Href, Status string
}

// findableKinds are the kinds of case the officer may open (their record routes' groups), in the order the
// page lists them.
func (p *Pages) findableKinds(o Officer) []casefile.Kind {
	links := p.caseLinks(o)
	var out []casefile.Kind
	for _, k := range []casefile.Kind{casefile.ASB, casefile.Complaint, casefile.Application} {
		if links[string(k)] {
			out = append(out, k)
		}
	}
	return out
}

// findPerson shows the cases a postcode, an email address or a phone number finds, grouped by kind, each
// linked to its page; only the kinds the officer may open are looked up or shown.
func (p *Pages) findPerson(ctx context.Context, r *web.Request, o Officer, typed, by string) (web.Response, error) {
	v := findView{By: by}
	kinds := p.findableKinds(o)
	var found []console.Found
	var err error
	switch {
	case len(kinds) == 0: // nothing they may open: nothing is looked up, and the page says so
	case by == byPostcode:
		found, err = p.Console.FindByPostcode(ctx, console.PostcodeSearch{By: o.Staff(), Postcode: typed, Kinds: kinds})
	default:
		var c residentaccess.Contact
		if c, err = console.ParseContact(typed); err == nil {
			found, err = p.Console.FindByContact(ctx, console.ContactSearch{By: o.Staff(), Contact: c, Kinds: kinds})
		}
	}
	if err == nil && len(kinds) > 0 {
		err = p.Console.RecordSearch(ctx, console.Search{By: o.Staff().Actor(), At: r.Now(), How: by, Found: found})
	}
	if err != nil && apperr.CodeOf(err) != apperr.Invalid {
		return web.Response{}, err
	}
	for _, f := range found {
		g := foundGroup{Kind: f.Kind}
		for _, ref := range f.Refs {
			g.Items = append(g.Items, foundItem{Ref: ref, Href: casePaths[string(f.Kind)] + ref})
		}
		v.Groups = append(v.Groups, g)
	}
	form := web.BuildForm(r, []web.Field{findField}, map[string][]string{"reference": {cut(typed, findField.MaxLength+1)}}, err)
	form.Fields[0].Heading = false
	if err != nil {
		if len(form.Errors) == 0 {
			e, _ := apperr.As(err)
			form.Errors = append(form.Errors, web.ErrorLink{Text: r.T("staff.find.reference.name") + " " + fieldMessage(e), Href: "#reference"})
		}
		return p.render(r, o, http.StatusUnprocessableEntity, "find", "staff.find.title", form, nil)
	}
	return p.render(r, o, http.StatusOK, "find", "staff.find.title", form, v)
}

// openFound opens the case a reference typed in the find box names, recording the search (how: by reference;
// found: that case) as any other: the case page then records its view.
func (p *Pages) openFound(ctx context.Context, r *web.Request, o Officer, kind casefile.Kind, ref string) (web.Response, error) {
	if err := p.Console.RecordSearch(ctx, console.Search{By: o.Staff().Actor(), At: r.Now(), How: console.SearchByReference,
		Found: []console.Found{{Kind: kind, Refs: []string{ref}}}}); err != nil {
		return web.Response{}, err
	}
	return web.Redirect(casePaths[string(kind)] + ref)
}

func fieldMessage(e *apperr.Error) string {
	if e == nil {
		return ""
	}
	if len(e.Fields) > 0 {
		return e.Fields[0].Message
	}
	return e.Message
}
