// Package e2e runs the retention job, erasure and rectification (issue 17, UK GDPR Art 5(1)(e), 16, 17) through
// the local cloud: the real asb-report, complaint-escalation, register-application, subject-access and
// retention-job binaries against DynamoDB Local, with the local clock moved past each retention period.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

type person struct{ name, email, phone, street, postcode string }

func asbReport(p person) map[string]any {
	return map[string]any{"type": "noise", "description": "Loud music every night from the flat below " + p.street,
		"location": map[string]any{"address": "Flat 1, " + p.street, "postcode": "NN1 1AA"}, "ongoing": true, "anonymous": false,
		"risk": map[string]any{}, "subject": "Jo Neighbour of " + p.street, // a person reported: SUBJECT# and MATCH# lookups
		"reporter": map[string]any{"name": p.name, "email": p.email, "phone": p.phone, "postcode": p.postcode, "preferredContact": "email"}}
}

func complaint(p person) map[string]any {
	return map[string]any{"description": "My repair at " + p.street + " was booked three times and nobody came.", "outcomesSought": "Fix it",
		"serviceArea": "repairs", "issueDate": "2026-01-02", "legalProceedings": true,
		"complainant": map[string]any{"name": p.name, "email": p.email, "phone": p.phone, "postcode": p.postcode, "preferredContact": "email", "language": "en"}}
}

func application(p person) map[string]any {
	return map[string]any{
		"applicant": map[string]any{"name": p.name, "dateOfBirth": "1990-05-01", "email": p.email, "phone": p.phone,
			"address": "1 " + p.street, "postcode": p.postcode, "preferredContact": "email", "language": "en"},
		"age": 36, "eligibleImmigrationStatus": true, "circumstances": []any{"sharing-facilities"}}
}

type refs struct{ asb, complaint, application string }

// Two people each have an ASB case, a complaint and an application. Sam's three end on day 0 (the application
// withdrawn: two years); of Alex's, the ASB case stays open, the complaint ends and the application ends housed
// (six years) and is erased on request. Sam's second report is merged into Sam's case and Sam's second application
// is refused (ineligible). Two years on, only Sam's applications are anonymised; six years on, Sam's ASB cases (the
// one merged too) and both complaints; Alex's open case is never touched. The reports give the same figures before and
// after each run, and Sam's records no longer hold anything about Sam, down to the lookup keys.
func TestRetentionJobAnonymisesExactlyTheRecordsDueAndErasureAndRectification(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "complaint-escalation", "register-application", "subject-access", catalog.RetentionJobFunction)
	day0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	c.PinClock(day0)
	sam := person{"Sam Subject", "sam.subject@example.org", "07700 900111", "Acre Lane", "NN2 2SS"}
	alex := person{"Alex Other", "alex.other@example.org", "07700 900222", "Birch Road", "NN3 3AA"}

	made := map[person]*refs{}
	for _, p := range []person{sam, alex} {
		made[p] = &refs{}
		for _, create := range []struct {
			path string
			body map[string]any
			ref  *string
		}{{"/asb/reports", asbReport(p), &made[p].asb}, {"/complaints", complaint(p), &made[p].complaint}, {"/register/applications", application(p), &made[p].application}} {
			r := c.Call(t, "POST", create.path, create.body)
			if r.Status != 201 {
				t.Fatalf("%s for %s: %d %s", create.path, p.name, r.Status, r.Raw)
			}
			*create.ref = r.JSON["reference"].(string)
		}
	}
	s, a := made[sam], made[alex]
	byPostcode, byPhone := finder(t, c)
	// the staff console's find by postcode and phone (every kind, by key): Sam's records before anything happens
	if got, want := byPostcode(sam.postcode), []string{s.application, s.asb, s.complaint}; fmt.Sprint(got) != fmt.Sprint(sorted(want)) {
		t.Fatalf("Sam's postcode finds %v, want %v", got, sorted(want))
	}
	if got, want := byPhone(sam.phone), []string{s.application, s.asb, s.complaint}; fmt.Sprint(got) != fmt.Sprint(sorted(want)) {
		t.Fatalf("Sam's phone finds %v, want %v", got, sorted(want))
	}
	ig := c.StaffToken(t, "ig-1", "information-governance")
	asbOfficer := c.StaffToken(t, "asb-1", "asb-officer")
	cmpOfficer := c.StaffToken(t, "cmp-1", "complaints-officer")
	allocations := c.StaffToken(t, "alloc-1", "allocations-officer")
	logRequest := func(p person, on time.Time) string {
		r := c.Call(t, "POST", "/subject-access-requests", map[string]any{"email": p.email, "phone": p.phone, "receivedOn": on.Format(time.DateOnly),
			"identityChecked": "Passport seen at the civic centre"}, "Authorization", ig)
		if r.Status != 201 {
			t.Fatalf("log a request: %d %s", r.Status, r.Raw)
		}
		return r.JSON["reference"].(string)
	}

	// Rectification (Art 16): Sam's complaint's phone, old and new on the complaint's timeline only.
	samReq := logRequest(sam, day0)
	newPhone := "07700 900333"
	if r := c.Call(t, "POST", "/subject-access-requests/"+samReq+"/rectification", map[string]any{"record": s.complaint, "field": "phone",
		"value": newPhone, "reason": "New number given by phone"}, "Authorization", ig); r.Status != 200 || r.JSON["changed"] != true || strings.Contains(string(r.Raw), newPhone) {
		t.Fatalf("rectification: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", "/subject-access-requests/"+samReq+"/rectification", map[string]any{"record": a.complaint, "field": "birthday",
		"value": "x", "reason": ""}, "Authorization", ig); r.Status != 400 || !strings.Contains(string(r.Raw), `"field"`) || !strings.Contains(string(r.Raw), `"reason"`) {
		t.Errorf("a bad rectification: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", "/subject-access-requests/"+samReq+"/rectification", map[string]any{"record": a.complaint, "field": "name",
		"value": "Sam", "reason": "x"}, "Authorization", ig); r.Status != 422 {
		t.Errorf("rectifying someone else's record: %d %s", r.Status, r.Raw)
	}
	rec := c.Call(t, "GET", "/complaints/"+s.complaint+"/record", nil, "Authorization", cmpOfficer)
	if rec.Status != 200 || !strings.Contains(string(rec.Raw), newPhone) || !strings.Contains(string(rec.Raw), "contact-rectified") {
		t.Errorf("the complaint after rectification: %d %.600s", rec.Status, rec.Raw)
	}
	// found by the new number now: the lookup key moved with it
	phoneReq := c.Call(t, "POST", "/subject-access-requests", map[string]any{"phone": newPhone, "receivedOn": day0.Format(time.DateOnly),
		"identityChecked": "Passport"}, "Authorization", ig)
	if ex := c.Call(t, "POST", "/subject-access-requests/"+phoneReq.JSON["reference"].(string)+"/export", nil, "Authorization", ig); !strings.Contains(string(ex.Raw), s.complaint) {
		t.Errorf("the rectified phone does not find the complaint: %.400s", ex.Raw)
	}
	// and Sam's application's phone (its lookup item): the old number finds neither any more, the new one both
	if r := c.Call(t, "POST", "/subject-access-requests/"+samReq+"/rectification", map[string]any{"record": s.application, "field": "phone",
		"value": newPhone, "reason": "New number given by phone"}, "Authorization", ig); r.Status != 200 || r.JSON["changed"] != true {
		t.Fatalf("rectifying the application's phone: %d %s", r.Status, r.Raw)
	}
	if got := byPhone(sam.phone); fmt.Sprint(got) != fmt.Sprint([]string{s.asb}) {
		t.Errorf("after rectification the old phone finds %v, want only the ASB case (not rectified)", got)
	}
	if got, want := byPhone(newPhone), []string{s.application, s.complaint}; fmt.Sprint(got) != fmt.Sprint(sorted(want)) {
		t.Errorf("after rectification the new phone finds %v, want %v", got, sorted(want))
	}

	// Erasure while everything is open: refused, each with its article and entry.
	er := c.Call(t, "POST", "/subject-access-requests/"+samReq+"/erasure", map[string]any{"grounds": "I withdraw my consent"}, "Authorization", ig)
	if er.Status != 200 || strings.Count(string(er.Raw), `"refused"`) != 3 || !strings.Contains(string(er.Raw), "UK GDPR Art 17(3)(b)") ||
		!strings.Contains(string(er.Raw), "retention.asbCaseClosed") {
		t.Fatalf("erasure of open records: %d %s", er.Status, er.Raw)
	}

	// Day 0: Sam's second report is merged into Sam's case (ASB-9), and Sam's second application is refused as
	// ineligible (HR-E1): each ends then, under its own outcome, in its own ended list.
	other := asbReport(person{sam.name, sam.email, sam.phone, "Cedar Close", sam.postcode})
	second := c.Call(t, "POST", "/asb/reports", other)
	if second.Status != 201 {
		t.Fatalf("Sam's second report: %d %s", second.Status, second.Raw)
	}
	mergedRef := second.JSON["reference"].(string)
	if r := c.Call(t, "POST", "/asb/cases/"+s.asb+"/merger", map[string]any{"from": mergedRef, "reason": "The same neighbour"}, "Authorization", asbOfficer); r.Status != 200 {
		t.Fatalf("merge: %d %s", r.Status, r.Raw)
	}
	ineligible := application(sam)
	ineligible["eligibleImmigrationStatus"] = false
	refusedApp := c.Call(t, "POST", "/register/applications", ineligible)
	if refusedApp.Status != 201 {
		t.Fatalf("Sam's ineligible application: %d %s", refusedApp.Status, refusedApp.Raw)
	}
	refusedRef := refusedApp.JSON["reference"].(string)

	// Day 0: the records end.
	closeAll := []struct {
		path, token string
		body        map[string]any
	}{
		{"/asb/cases/" + s.asb + "/closure", asbOfficer, map[string]any{"outcome": "Mediation worked", "satisfaction": map[string]any{"handling": 5, "outcome": 4}}},
		{"/complaints/" + s.complaint + "/refusal", cmpOfficer, map[string]any{"exclusion": "legal-proceedings", "explanation": "The matter is before the court"}},
		{"/register/applications/" + s.application + "/closure", allocations, map[string]any{"reason": "withdrawn", "note": "Moved away"}},
		{"/complaints/" + a.complaint + "/refusal", cmpOfficer, map[string]any{"exclusion": "legal-proceedings", "explanation": "The matter is before the court"}},
		{"/register/applications/" + a.application + "/closure", allocations, map[string]any{"reason": "housed", "note": "Tenancy signed", "property": "Flat 3, 4 New Road"}},
	}
	for _, x := range closeAll {
		if r := c.Call(t, "POST", x.path, x.body, "Authorization", x.token); r.Status != 200 {
			t.Fatalf("%s: %d %s", x.path, r.Status, r.Raw)
		}
	}

	// Alex asks for erasure: the open ASB case and the complaint (within the Ombudsman's window) are kept, the
	// housed application is erased.
	alexReq := logRequest(alex, day0)
	er = c.Call(t, "POST", "/subject-access-requests/"+alexReq+"/erasure", map[string]any{"grounds": "Please delete my data"}, "Authorization", ig)
	var erasure struct {
		Records []struct{ Reference, Outcome, Rule, Reason string } `json:"records"`
	}
	_ = json.Unmarshal(er.Raw, &erasure)
	outcomes := map[string]string{}
	for _, o := range erasure.Records {
		outcomes[o.Reference] = o.Outcome + " " + o.Rule
	}
	if want := map[string]string{a.asb: "refused UK GDPR Art 17(3)(b)", a.complaint: "refused UK GDPR Art 17(3)(e)", a.application: "erased UK GDPR Art 17(1)"}; fmt.Sprint(outcomes) != fmt.Sprint(want) {
		t.Fatalf("Alex's erasure: %v, want %v (%s)", outcomes, want, er.Raw)
	}
	if r := c.Call(t, "GET", "/register/applications/"+a.application+"/record", nil, "Authorization", allocations); r.Status != 404 || !strings.Contains(string(r.Raw), "anonymised") {
		t.Errorf("the erased application: %d %s", r.Status, r.Raw)
	}
	read := c.Call(t, "GET", "/subject-access-requests/"+alexReq, nil, "Authorization", ig)
	if tl, _ := json.Marshal(read.JSON["timeline"]); !strings.Contains(string(tl), "erasure-decided") || strings.Contains(string(tl), alex.email) {
		t.Errorf("the erasure's audit on the request: %s", tl)
	}

	reports := func(at time.Time) string {
		c.PinClock(at)
		mgr, cmgr := c.StaffToken(t, "asb-mgr", "asb-manager"), c.StaffToken(t, "cmp-mgr", "complaints-manager")
		var b strings.Builder
		for _, q := range []struct{ path, token string }{
			{"/reports/asb?month=2026-01", mgr}, {"/reports/complaints?year=2025", cmgr},
			{"/register/applications?status=closed", allocations}, {"/register/applications", allocations},
			{"/register/priority-list?band=A", allocations}, {"/register/priority-list?band=B", allocations},
		} {
			r := c.Call(t, "GET", q.path, nil, "Authorization", q.token)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", q.path, r.Status, r.Raw)
			}
			b.WriteString(q.path + " " + string(r.Raw) + "\n")
		}
		return b.String()
	}
	runJob := func(at time.Time) map[string][2]float64 {
		c.PinClock(at)
		r := c.Call(t, "POST", "/_local/schedules/retention-job-daily", nil)
		if r.Status != 200 || r.JSON["finished"] != true {
			t.Fatalf("retention run at %s: %d %s", at, r.Status, r.Raw)
		}
		out := map[string][2]float64{}
		for _, e := range r.JSON["entries"].([]any) {
			m := e.(map[string]any)
			if m["anonymised"].(float64)+m["alreadyAnonymised"].(float64) == 0 {
				continue // only the entries that found something (a merged case and a refused application have none here)
			}
			out[m["entry"].(string)+"/"+m["outcome"].(string)] = [2]float64{m["anonymised"].(float64), m["alreadyAnonymised"].(float64)}
		}
		return out
	}
	whole := func(path, token string) bool {
		return c.Call(t, "GET", path, nil, "Authorization", token).Status == 200
	}

	// The merged case is in its own ended list, not the closed cases the monthly report counts.
	mgr := c.StaffToken(t, "asb-mgr", "asb-manager")
	if rep := c.Call(t, "GET", "/reports/asb?month=2026-01", nil, "Authorization", mgr); rep.Status != 200 || rep.JSON["casesClosed"] != float64(1) {
		t.Errorf("January's closed cases (Sam's one, not the case merged into it): %d %s", rep.Status, rep.Raw)
	}

	// Two years and a day on: only Sam's withdrawn application and ineligible application are due.
	twoYears := day0.AddDate(2, 0, 1)
	before := reports(twoYears)
	if got := runJob(twoYears); fmt.Sprint(got) != fmt.Sprint(map[string][2]float64{"retention.applicationClosed/closed": {1, 0}, "retention.applicationClosed/refused": {1, 0}}) {
		t.Errorf("two years on: %v", got)
	}
	if after := reports(twoYears); after != before {
		t.Errorf("the reports changed:\nbefore %s\nafter  %s", before, after)
	}
	if whole("/register/applications/"+s.application+"/record", allocations) || whole("/register/applications/"+refusedRef+"/record", allocations) ||
		!whole("/asb/cases/"+s.asb, asbOfficer) || !whole("/asb/cases/"+mergedRef, asbOfficer) ||
		!whole("/complaints/"+s.complaint+"/record", cmpOfficer) {
		t.Error("two years on, the application should be anonymised and the ASB case and complaint whole")
	}

	// Six years and two days on: Sam's ASB case, both complaints; Alex's application was erased already.
	sixYears := day0.AddDate(6, 0, 2)
	before = reports(sixYears)
	if got := runJob(sixYears); fmt.Sprint(got) != fmt.Sprint(map[string][2]float64{
		"retention.applicationHoused/housed": {0, 1}, "retention.asbCaseClosed/closed": {1, 0}, "retention.asbCaseClosed/merged": {1, 0},
		"retention.complaintClosed/closed": {2, 0}}) {
		t.Errorf("six years on: %v", got)
	}
	if after := reports(sixYears); after != before {
		t.Errorf("the reports changed:\nbefore %s\nafter  %s", before, after)
	}
	if got := runJob(sixYears.Add(24 * time.Hour)); fmt.Sprint(got) != fmt.Sprint(map[string][2]float64{}) {
		t.Errorf("a repeated run did work: %v", got)
	}
	if !whole("/asb/cases/"+a.asb, asbOfficer) {
		t.Error("Alex's open ASB case was touched")
	}

	// Nothing about Sam is left in Sam's records, lookups included; Alex's open case still has its contact.
	items := scan(t, c)
	for _, ref := range []string{s.asb, mergedRef, s.complaint, s.application, refusedRef, a.complaint, a.application} {
		kinds := map[string]int{}
		for _, it := range items {
			pk := str(it["pk"])
			if !strings.HasSuffix(pk, "#"+ref) {
				continue
			}
			raw, _ := json.Marshal(it)
			for _, p := range []person{sam, alex} {
				for _, leak := range []string{p.name, p.email, p.phone, strings.ReplaceAll(p.phone, " ", ""), p.street, p.postcode, "Cedar Close", newPhone, "Jo Neighbour", "Moved away", "Tenancy signed", "before the court"} {
					if strings.Contains(string(raw), leak) {
						t.Errorf("%s %s still holds %q", ref, str(it["sk"]), leak)
					}
				}
			}
			if _, ok := it["gsi3pk"]; ok {
				t.Errorf("%s %s is still in the byContact index", ref, str(it["sk"]))
			}
			sk, _, _ := strings.Cut(str(it["sk"]), "#")
			kinds[sk]++
		}
		if kinds["CONTACT"] != 0 || kinds["CASE"] != 1 || kinds["LIST"] == 0 || kinds["EVENT"] == 0 {
			t.Errorf("%s after anonymising has items %v: want its case (marked), list entries and timeline skeleton, no contact", ref, kinds)
		}
	}
	alexContact := false
	for _, it := range items {
		alexContact = alexContact || str(it["pk"]) == "ASB#"+a.asb && str(it["sk"]) == "CONTACT"
	}
	if !alexContact {
		t.Error("Alex's open ASB case lost its contact")
	}

	// The console's find by postcode or phone finds nothing of Sam's (lookup items deleted with the contact), and
	// of Alex's only the open ASB case: by Alex's postcode and phone, and by the location's postcode.
	for what, got := range map[string][]string{"Sam's postcode": byPostcode(sam.postcode), "Sam's phone": byPhone(sam.phone), "the rectified phone": byPhone(newPhone)} {
		if len(got) != 0 {
			t.Errorf("%s finds %v after the retention job", what, got)
		}
	}
	for what, got := range map[string][]string{"Alex's postcode": byPostcode(alex.postcode), "Alex's phone": byPhone(alex.phone), "the location": byPostcode("NN1 1AA")} {
		if fmt.Sprint(got) != fmt.Sprint([]string{a.asb}) {
			t.Errorf("%s finds %v after the retention job, want only %s", what, got, a.asb)
		}
	}

	// A subject access request for Sam now finds nothing; for Alex, only the open ASB case.
	for p, want := range map[person][]string{sam: nil, alex: {a.asb}} {
		req := logRequest(p, sixYears)
		ex := c.Call(t, "POST", "/subject-access-requests/"+req+"/export", nil, "Authorization", ig)
		var export struct {
			Records []struct{ Reference string } `json:"records"`
		}
		_ = json.Unmarshal(ex.Raw, &export)
		var got []string
		for _, r := range export.Records {
			got = append(got, r.Reference)
		}
		if ex.Status != 200 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s's export after the retention job: %d %v, want %v", p.name, ex.Status, got, want)
		}
	}
	// Each run is recorded, with counts and no reference.
	runs := 0
	for _, it := range items {
		if strings.HasPrefix(str(it["pk"]), "RETENTION-RUN#") {
			runs++
			if raw, _ := json.Marshal(it); strings.Contains(string(raw), "ASB-") || strings.Contains(string(raw), "CMP-") {
				t.Errorf("a run's record names a record: %s", raw)
			}
		}
	}
	if runs != 3 {
		t.Errorf("%d runs recorded, want 3", runs)
	}
}

func scan(t *testing.T, c *localcloud.Cloud) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(c.DynamoClient(), &dynamodb.ScanInput{TableName: aws.String(c.Resources.Tables[catalog.CasesTable]), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
	}
	return out
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// finder is the staff console's find by postcode and by phone (dynamo.ContactDirectory: key queries of the
// byContact index), on the local cloud's table: the references found, sorted.
func finder(t *testing.T, c *localcloud.Cloud) (byPostcode, byPhone func(string) []string) {
	dir := dynamo.ContactDirectory{Store: &dynamo.Store{DB: c.DynamoClient(), Cases: c.Resources.Tables[catalog.CasesTable]}}
	refs := func(found []residentaccess.Found, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, f := range found {
			out = append(out, f.Ref)
		}
		return sorted(out)
	}
	byPostcode = func(postcode string) []string { return refs(dir.FindPostcode(context.Background(), postcode, 20)) }
	byPhone = func(phone string) []string {
		p, err := console.ParseContact(phone)
		if err != nil {
			t.Fatal(err)
		}
		return refs(dir.Find(context.Background(), p, 20))
	}
	return byPostcode, byPhone
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
