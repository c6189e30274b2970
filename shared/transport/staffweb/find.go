package staffweb

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/transport/web"
)

// Find by a person: what the find page does with what is not a case reference. A postcode finds register
// applications (the applicant's postcode key, GET /register/applications?postcode=); an email address or a
// phone number finds every kind of case the officer may open through the contact directory (the byContact
// index: an ASB reporter's key, a complainant's email and phone keys, an applicant's email key). Each is a
// query of a hashed, normalised key, never a scan; ASB reports and complaints have no postcode key, and
// applications no phone key, and the page says so.

// Ways of finding a person's cases.
const (
	byPostcode = "postcode"
	byEmail    = "email"
	byPhone    = "phone"
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
	var err error
	switch by {
	case byPostcode:
		if !p.caseLinks(o)[string(casefile.Application)] {
			break // no kind they may open has a postcode key
		}
		var apps []registercases.Summary
		if apps, _, err = p.Register.Find(ctx, registercases.Find{By: o.Staff(), Postcode: typed, Limit: console.MaxFound}); err == nil {
			g := foundGroup{Kind: casefile.Application}
			for _, a := range apps {
				g.Items = append(g.Items, foundItem{Ref: a.Reference, Href: casePaths[string(casefile.Application)] + a.Reference, Status: a.Status})
			}
			v.Groups = append(v.Groups, g)
		}
	default:
		c, perr := console.ParseContact(typed)
		if err = perr; err != nil || len(kinds) == 0 {
			break
		}
		var found []console.Found
		if found, err = p.Console.FindByContact(ctx, console.ContactSearch{By: o.Staff(), Contact: c, Kinds: kinds}); err == nil {
			for _, f := range found {
				g := foundGroup{Kind: f.Kind}
				for _, ref := range f.Refs {
					g.Items = append(g.Items, foundItem{Ref: ref, Href: casePaths[string(f.Kind)] + ref})
				}
				v.Groups = append(v.Groups, g)
			}
		}
	}
	if err != nil && apperr.CodeOf(err) != apperr.Invalid {
		return web.Response{}, err
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

func fieldMessage(e *apperr.Error) string {
	if e == nil {
		return ""
	}
	if len(e.Fields) > 0 {
		return e.Fields[0].Message
	}
	return e.Message
}
