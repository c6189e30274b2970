package console

import (
	"context"
	"slices"
	"strings"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/validate"
)

// ParseContact reads an email address or a UK phone number (a mobile or a landline, as a member of staff types
// what a caller gives them) into the normalised contact the find keys are made of (asb.ContactKey: the email
// lower-cased, the phone in +44 form), so "07700 900123" and "+44 7700 900123" find the same person. Anything
// else is Invalid at the field "contact".
func ParseContact(typed string) (residentaccess.Contact, error) {
	s := strings.TrimSpace(typed)
	var f apperr.Fields
	if strings.Contains(s, "@") {
		c, err := residentaccess.ParseContact(s) // the resident sign-in's own check of an email address
		if err != nil {
			f.Add("contact", "must be an email address, like name@example.org")
			return residentaccess.Contact{}, f.Err()
		}
		return c, nil
	}
	if len(s) > 30 || strings.Trim(s, "0123456789 +()-") != "" {
		f.Add("contact", "must be an email address or a UK phone number")
		return residentaccess.Contact{}, f.Err()
	}
	c, ok := residentaccess.FromCanonical(asb.ContactKey(&contact.Details{Phone: s}))
	if !ok {
		f.Add("contact", "must be a UK phone number of 11 digits, like 07700 900123 or 01632 960001")
		return residentaccess.Contact{}, f.Err()
	}
	return c, nil
}

// ContactSearch is a member of staff looking for a person's cases by their email address or phone, among the
// kinds of case they may open (the transport's answer, from the catalog's groups of each kind's record route).
type ContactSearch struct {
	By      casework.Staff
	Contact residentaccess.Contact
	Kinds   []casefile.Kind
}

// Found are the cases of one kind a search found, newest first.
type Found struct {
	Kind casefile.Kind
	Refs []string
}

// MaxFound bounds each kind's results: a person with more is found by reference.
const MaxFound = 20

// FindByContact finds the person's cases of the kinds asked for, by key (the byContact index: ASB-7's reporter
// key and an ASB reporter's phone, a complainant's email and phone keys, an applicant's email and phone; never a
// scan), grouped by kind in the order asked, each case once. Nothing of a kind not asked for is returned.
func (s Service) FindByContact(ctx context.Context, q ContactSearch) ([]Found, error) {
	problem := ""
	if q.Contact.IsZero() {
		problem = "is required"
	}
	return search(q.By, q.Kinds, "contact", problem, func() ([]residentaccess.Found, error) { return s.Contacts.Find(ctx, q.Contact, MaxFound) })
}

// PostcodeDirectory finds cases by a postcode (shared/adapters/dynamo.ContactDirectory.FindPostcode: the hash of
// the normalised postcode in the byContact index, one key query per kind), at most limit of each kind.
type PostcodeDirectory interface {
	FindPostcode(ctx context.Context, postcode string, limit int) ([]residentaccess.Found, error)
}

// PostcodeSearch is a member of staff looking for cases by a postcode, among the kinds of case they may open.
type PostcodeSearch struct {
	By       casework.Staff
	Postcode string
	Kinds    []casefile.Kind
}

// FindByPostcode finds the cases of the kinds asked for under a postcode, by key: an ASB case by its reporter's
// postcode or the postcode of where the behaviour happens (staff look a problem up by its address), a complaint by
// its complainant's, an application by its applicant's; grouped by kind in the order asked, each case once, at
// most MaxFound of each. Anything but a UK postcode is Invalid at the field "postcode".
func (s Service) FindByPostcode(ctx context.Context, q PostcodeSearch) ([]Found, error) {
	problem := ""
	if !validate.IsPostcode(strings.Join(strings.Fields(q.Postcode), "")) { // however it is spaced
		problem = "must be a UK postcode, like NN1 1DE"
	}
	return search(q.By, q.Kinds, "postcode", problem, func() ([]residentaccess.Found, error) { return s.Postcodes.FindPostcode(ctx, q.Postcode, MaxFound) })
}

// search runs a member of staff's lookup: refused for nobody or someone who may open no kind of case, Invalid at
// field when what they typed has a problem, else what it finds grouped by kind in the order of kinds, each case
// once and at most MaxFound a kind, nothing of another kind.
func search(by casework.Staff, kinds []casefile.Kind, field, problem string, lookup func() ([]residentaccess.Found, error)) ([]Found, error) {
	if err := by.Check(); err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		return nil, apperr.New(apperr.Forbidden, "Your groups allow no kind of case to be found.")
	}
	if problem != "" {
		var f apperr.Fields
		f.Add(field, "%s", problem)
		return nil, f.Err()
	}
	hits, err := lookup()
	if err != nil {
		return nil, err
	}
	out := make([]Found, 0, len(kinds))
	for _, k := range kinds {
		found := Found{Kind: k}
		for _, h := range hits {
			if h.Kind == k && !slices.Contains(found.Refs, h.Ref) && len(found.Refs) < MaxFound {
				found.Refs = append(found.Refs, h.Ref)
			}
		}
		out = append(out, found)
	}
	return out, nil
}
