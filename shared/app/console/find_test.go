package console

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// directory is the byContact index's stand-in: records by their normalised contact.
type directory map[string][]residentaccess.Found

func (d directory) Find(_ context.Context, c residentaccess.Contact, limit int) ([]residentaccess.Found, error) {
	out := d[c.Canonical()]
	return out[:min(limit, len(out))], nil
}

// An email address and a UK phone number (mobile or landline, however it is typed) become the one normalised
// contact the find keys are made of; anything else is the field's error.
func TestParseContactNormalisesEmailAndAnyUKPhone(t *testing.T) {
	for typed, want := range map[string]string{
		" Sam@Example.ORG ": "email:sam@example.org", "07700 900123": "phone:+447700900123", "+44 (0)7700 900123": "phone:+447700900123",
		"01632 960001": "phone:+441632960001", "0044 1632 960001": "phone:+441632960001",
	} {
		c, err := ParseContact(typed)
		if err != nil || c.Canonical() != want {
			t.Errorf("%q: %q %v, want %q", typed, c.Canonical(), err, want)
		}
	}
	for _, bad := range []string{"", "sam@", "@example.org", "a b@example.org", "0770090012", "077009001234", "NN1 1DE", "<script>", "123"} {
		if _, err := ParseContact(bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}

// A search returns only the kinds asked for (those the officer may open), each case once, newest first; with
// no kind allowed it is refused.
func TestFindByContactKeepsTheKindsTheOfficerMayOpen(t *testing.T) {
	sam, _ := ParseContact("sam@example.org")
	svc := Service{Contacts: directory{sam.Canonical(): {
		{Kind: casefile.ASB, Ref: "ASB-2"}, {Kind: casefile.Complaint, Ref: "CMP-2"}, {Kind: casefile.ASB, Ref: "ASB-1"},
		{Kind: casefile.Complaint, Ref: "CMP-2"}, {Kind: casefile.Application, Ref: "HR-1"},
	}}}
	officer := casework.Staff{ID: "o-1", Groups: []string{catalog.GroupComplaintsOfficer}}
	got, err := svc.FindByContact(context.Background(), ContactSearch{By: officer, Contact: sam, Kinds: []casefile.Kind{casefile.Complaint, casefile.Application}})
	if err != nil || len(got) != 2 || got[0].Kind != casefile.Complaint || !slices.Equal(got[0].Refs, []string{"CMP-2"}) ||
		!slices.Equal(got[1].Refs, []string{"HR-1"}) {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := svc.FindByContact(context.Background(), ContactSearch{By: officer, Contact: sam}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("no kind allowed: %v", err)
	}
	if _, err := svc.FindByContact(context.Background(), ContactSearch{Contact: sam, Kinds: []casefile.Kind{casefile.ASB}}); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Errorf("nobody: %v", err)
	}
}

// registerList serves the list the queue asks for, and remembers the request.
type registerList struct {
	asked []registercases.List
	apps  []registercases.Summary
}

func (l *registerList) List(_ context.Context, q registercases.List) ([]registercases.Summary, string, error) {
	l.asked = append(l.asked, q)
	return l.apps, "more", nil
}

// The register's queue: applications awaiting verification, oldest first, one bounded page, asked for only
// when the transport says the officer checks claims.
func TestQueueHasApplicationsAwaitingVerificationOldestFirst(t *testing.T) {
	list := &registerList{apps: []registercases.Summary{{Reference: "HR-OLD"}, {Reference: "HR-NEW"}}}
	svc := Service{Deadlines: due{}, Register: list}
	alloc := casework.Staff{ID: "a-1", Groups: []string{catalog.GroupAllocationsOfficer}}
	today := workdays.MustParseDate("2026-11-24")
	q, err := svc.Queue(context.Background(), QueueRequest{By: alloc, Today: today, AwaitingVerification: true})
	if err != nil || len(q.AwaitingVerification) != 2 || !q.MoreAwaitingVerification || q.Empty() {
		t.Fatalf("%+v %v", q, err)
	}
	if a := list.asked[0]; a.Filter.Status != register.StatusAwaitingVerification || a.Order != registercases.OrderOldest || a.Limit != MaxAwaitingVerification {
		t.Errorf("asked %+v", a)
	}
	q, _ = svc.Queue(context.Background(), QueueRequest{By: alloc, Today: today})
	if len(q.AwaitingVerification) != 0 || len(list.asked) != 1 {
		t.Errorf("not asked for, still read: %+v", q)
	}
}

// postcodes is the postcode lookups' stand-in: records by their normalised postcode.
type postcodes map[string][]residentaccess.Found

func (p postcodes) FindPostcode(_ context.Context, postcode string, _ int) ([]residentaccess.Found, error) {
	return p[strings.ToUpper(strings.ReplaceAll(postcode, " ", ""))], nil // more than asked: the service bounds each kind
}

// A postcode finds the kinds asked for (those the officer may open), each case once, at most MaxFound a kind;
// anything but a UK postcode is the field's error, and nobody, or no kind allowed, is refused.
func TestFindByPostcodeKeepsTheKindsTheOfficerMayOpen(t *testing.T) {
	many := []residentaccess.Found{{Kind: casefile.ASB, Ref: "ASB-1"}, {Kind: casefile.ASB, Ref: "ASB-1"}, {Kind: casefile.Complaint, Ref: "CMP-1"}}
	for i := range MaxFound + 5 {
		many = append(many, residentaccess.Found{Kind: casefile.Application, Ref: "HR-" + strconv.Itoa(i)})
	}
	svc := Service{Postcodes: postcodes{"NN11DE": many}}
	officer := casework.Staff{ID: "o-1", Groups: []string{catalog.GroupASBOfficer, catalog.GroupAllocationsOfficer}}
	got, err := svc.FindByPostcode(context.Background(), PostcodeSearch{By: officer, Postcode: " nn1  1de", Kinds: []casefile.Kind{casefile.ASB, casefile.Application}})
	if err != nil || len(got) != 2 || !slices.Equal(got[0].Refs, []string{"ASB-1"}) || got[1].Kind != casefile.Application || len(got[1].Refs) != MaxFound {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []string{"", "NN1", "sam@example.org", "<script>"} {
		if _, err := svc.FindByPostcode(context.Background(), PostcodeSearch{By: officer, Postcode: bad, Kinds: []casefile.Kind{casefile.ASB}}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := svc.FindByPostcode(context.Background(), PostcodeSearch{By: officer, Postcode: "NN1 1DE"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("no kind allowed: %v", err)
	}
	if _, err := svc.FindByPostcode(context.Background(), PostcodeSearch{Postcode: "NN1 1DE", Kinds: []casefile.Kind{casefile.ASB}}); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Errorf("nobody: %v", err)
	}
}

// failingAudit refuses every record.
type failingAudit struct{}

func (failingAudit) RecordSearch(context.Context, Search) error { return errors.New("audit down") }
func (failingAudit) RecordReportView(context.Context, ReportView) error {
	return errors.New("audit down")
}

// The audit is not optional: a record that cannot be written is the caller's error (the page fails, as a case
// view's does).
func TestAuditFailureIsTheCallersError(t *testing.T) {
	svc := Service{Audit: failingAudit{}}
	if err := svc.RecordSearch(context.Background(), Search{How: SearchByPhone}); err == nil {
		t.Error("a search's audit failed silently")
	}
	if err := svc.RecordReportView(context.Background(), ReportView{Report: "asb"}); err == nil {
		t.Error("a report view's audit failed silently")
	}
}
