package browser

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// answer is one answer: text typed into the field with this id, the radio of a name chosen, or a checkbox ticked.
type answer struct{ kind, name, value string }

const (
	text  = "text"
	radio = "radio"
	tick  = "tick"
)

func typed(id, value string) answer    { return answer{text, id, value} }
func chosen(name, value string) answer { return answer{radio, name, value} }
func ticked(name, value string) answer { return answer{tick, name, value} }

// step is one page of a journey: the page the resident must be on, optionally a wrong answer first (the page
// shown again with its error summary linking to exactly these fields), then the answers that take them on.
type step struct {
	path   string
	wrong  []answer
	errors []string // the error summary's links after the wrong answers
	fill   []answer
	last   bool // the journey ends on this page (no button: e.g. not eligible)
}

// journey is one resident journey from the start page's link to its confirmation.
type journey struct {
	name, start  string
	steps        []step
	checkAnswers []string // check your answers shows these
	confirmation []string // the confirmation page shows these
	// stored reads the record the confirmation names through the staff API, and checks that the
	// confirmation (its text) shows what was stored.
	stored func(t *testing.T, c *localcloud.Cloud, reference, confirmation string)
	// progress, when set, continues from the confirmation to "check your progress" (progress_test.go).
	progress *progress
}

// journeys are the resident journeys the browser completes. Check progress (sign-in with a one-time code,
// shared/app/residentaccess and residentweb/progress.go) follows the complaint: from the sign-in link on its
// confirmation, once the staff API has answered it, to stage 2 and signing out.
//
// Each run (JavaScript on, then off) reports from its own places, so the second run's reports are new cases
// rather than further reports of the first run's (ASB-9).
func journeys(run int) []journey {
	occurred, issue := daysAgo(4), daysAgo(10)
	named := asbAnswers{postcode: fmt.Sprintf("NN%d 1DE", run+1), date: occurred}
	anonymous := asbAnswers{postcode: fmt.Sprintf("NN%d 2AB", run+1)}
	contact := func(name, email, preferred, language string) []step {
		return []step{
			{path: "your-details", fill: []answer{typed("name", name), typed("email", email)}},
			{path: "contact-preferences", fill: []answer{chosen("preferredContact", preferred), chosen("language", language)}},
		}
	}
	return []journey{
		{
			name: "report-asb-named", start: "/report-asb/what-is-happening",
			steps: append([]step{
				{path: "what-is-happening", errors: []string{"#type"}, wrong: []answer{}, fill: []answer{chosen("type", "noise")}},
				{path: "describe", fill: []answer{typed("description", "Loud music every night after midnight.")}},
				{path: "where", wrong: []answer{typed("address", "Flat 2, 10 Example Road"), typed("postcode", "XX 12")}, errors: []string{"#postcode"},
					fill: []answer{typed("postcode", named.postcode)}},
				{path: "when", fill: []answer{typed("occurred-day", occurred[0]), typed("occurred-month", occurred[1]), typed("occurred-year", occurred[2])}},
				{path: "still-happening", fill: []answer{chosen("ongoing", "yes")}},
				{path: "risk", fill: []answer{ticked("risk", "crimeInProgress"), ticked("risk", "feelsUnsafe")}},
				{path: "call-999"}, // a crime in progress: call 999 now
				{path: "anonymous", fill: []answer{chosen("anonymous", "no")}},
			}, contact("Alex Resident", "alex@example.org", "email", "pl")...),
			checkAnswers: []string{"Loud music every night after midnight.", "Noise", "Polski (Polish)", named.postcode},
			confirmation: []string{"call 999"},
			stored:       named.stored,
		},
		{
			name: "report-asb-anonymous", start: "/report-asb/what-is-happening",
			steps: []step{
				{path: "what-is-happening", fill: []answer{chosen("type", "vandalism")}},
				{path: "describe", fill: []answer{typed("description", "Someone sprayed graffiti on the bin store door.")}},
				{path: "where", fill: []answer{typed("address", "Bin store, Example Court"), typed("postcode", anonymous.postcode)}},
				{path: "when"},
				{path: "still-happening", fill: []answer{chosen("ongoing", "no")}},
				{path: "risk"}, // nobody in danger: no "call 999" page
				{path: "anonymous", fill: []answer{chosen("anonymous", "yes")}},
			},
			checkAnswers: []string{"Vandalism or graffiti", "Someone sprayed graffiti on the bin store door."},
			stored:       anonymous.stored,
		},
		{
			name: "complain", start: "/complain/what-went-wrong",
			steps: append([]step{
				{path: "what-went-wrong", fill: []answer{typed("description", "My boiler repair was booked three times and nobody came.")}},
				{path: "outcome", fill: []answer{typed("outcomesSought", "Fix the boiler and apologise")}},
				{path: "service", fill: []answer{chosen("serviceArea", "repairs")}},
				{path: "when", fill: []answer{typed("issueDate-day", issue[0]), typed("issueDate-month", issue[1]), typed("issueDate-year", issue[2])}},
				{path: "legal", fill: []answer{chosen("legalProceedings", "no")}},
				{path: "on-behalf", fill: []answer{chosen("onBehalf", "yes")}},
				{path: "representative", wrong: []answer{typed("repName", "Jo Advocate"), typed("repRelationship", "advocate")}, errors: []string{"#repConsent"},
					fill: []answer{ticked("repConsent", "consent")}},
				{path: "adjustments", fill: []answer{typed("adjustments", "Large print letters")}},
			}, contact("Sam Example", "sam@example.org", "email", "en")...),
			checkAnswers: []string{"Fix the boiler and apologise", "Jo Advocate", "Large print letters"},
			stored: func(t *testing.T, c *localcloud.Cloud, ref, confirmation string) {
				got := staffRead(t, c, "/complaints/"+ref+"/record", catalog.GroupComplaintsOfficer)
				expect(t, got, map[string]string{"complaint.reference": ref, "complaint.status": "received", "complaint.serviceArea": "repairs",
					"complaint.description": "My boiler repair was booked three times and nobody came.", "complaint.outcomesSought": "Fix the boiler and apologise",
					"complaint.issueDate": isoDate(issue), "complaint.legalProceedings": "false", "complaint.channel": "online",
					"contact.name": "Sam Example", "contact.email": "sam@example.org", "contact.preferredContact": "email", "contact.language": "en",
					"contact.adjustments": "Large print letters", "contact.representative.name": "Jo Advocate",
					"contact.representative.relationship": "advocate", "contact.representative.consent": "true"})
				showsDates(t, confirmation, field(got, "complaint.stages.0.acknowledgeBy"))
			},
			progress: &progress{contact: "sam@example.org", staff: answerComplaint, status: "Answered",
				escalated: "Review asked for (stage 2)", stored: complaintEscalated, foreign: "report-asb-named", survey: true},
		},
		{
			name: "apply", start: "/apply/age",
			steps: append([]step{
				{path: "age", wrong: []answer{typed("age", "abc")}, errors: []string{"#age"}, fill: []answer{typed("age", "34")}},
				{path: "immigration", fill: []answer{chosen("immigration", "yes")}},
				{path: "circumstances", fill: []answer{ticked("circumstances", "sharing-facilities")}},
				{path: "behaviour"},
				{path: "medical", fill: []answer{chosen("medicalNeed", "no")}},
				{path: "eligibility"},
				{path: "date-of-birth", fill: []answer{typed("dateOfBirth-day", "2"), typed("dateOfBirth-month", "3"), typed("dateOfBirth-year", "1992")}},
				{path: "address", fill: []answer{typed("contactAddress", "4 Example Street, Northtown"), typed("contactPostcode", "NN1 2AB")}},
				{path: "others", fill: []answer{chosen("othersLiveWithYou", "yes")}},
				{path: "household-member", wrong: []answer{typed("memberName", "Kim Example"), chosen("addAnother", "yes")}, errors: []string{"#memberDob-day"},
					fill: []answer{typed("memberDob-day", "1"), typed("memberDob-month", "1"), typed("memberDob-year", "2015"), typed("memberRelationship", "daughter")}},
				{path: "household-member", fill: []answer{typed("memberName", "Lee Example"), typed("memberDob-day", "5"), typed("memberDob-month", "6"),
					typed("memberDob-year", "2018"), typed("memberRelationship", "son"), chosen("addAnother", "no")}}, // added another
				{path: "housing-debt", fill: []answer{chosen("debt", "no")}},
				{path: "work", fill: []answer{chosen("working", "yes")}},
				{path: "work-details", fill: []answer{typed("hoursPerWeek", "20"), typed("monthsWorked", "12"), chosen("contract", "permanent")}},
				{path: "volunteering", fill: []answer{chosen("volunteering", "no")}},
			}, contact("Pat Applicant", "pat@example.org", "email", "en")...),
			checkAnswers: []string{"Kim Example", "Lee Example", "Pat Applicant"},
			stored: func(t *testing.T, c *localcloud.Cloud, ref, confirmation string) {
				got := staffRead(t, c, "/register/applications/"+ref+"/record", catalog.GroupAllocationsOfficer)
				expect(t, got, map[string]string{"reference": ref, "status": "awaiting-verification", "provisional.band": "B", "provisional.stars": "1",
					"application.age": "34", "application.eligibleImmigrationStatus": "true", "application.circumstances.0": "sharing-facilities",
					"application.working.hoursPerWeek": "20", "application.working.monthsInLastTwelve": "12", "application.working.contract": "permanent",
					"contact.name": "Pat Applicant", "contact.email": "pat@example.org", "contact.dateOfBirth": "1992-03-02",
					"contact.address": "4 Example Street, Northtown", "contact.postcode": "NN1 2AB",
					"contact.household.0.name": "Kim Example", "contact.household.0.dateOfBirth": "2015-01-01", "contact.household.0.relationship": "daughter",
					"contact.household.1.name": "Lee Example", "contact.household.1.dateOfBirth": "2018-06-05", "contact.household.1.relationship": "son"})
				if n := len(got["contact"].(map[string]any)["household"].([]any)); n != 2 {
					t.Errorf("household of %d, want the 2 members added", n)
				}
				for _, check := range got["outstanding"].([]any) { // what the council will check
					if text := field(check, "text"); !strings.Contains(confirmation, text) {
						t.Errorf("the confirmation does not show %q", text)
					}
				}
			},
		},
		{
			name: "apply-not-eligible", start: "/apply/age",
			steps: []step{
				{path: "age", fill: []answer{typed("age", "34")}},
				{path: "immigration", fill: []answer{chosen("immigration", "no")}},
				{path: "circumstances"},
				{path: "behaviour"},
				{path: "medical", fill: []answer{chosen("medicalNeed", "no")}},
				{path: "eligibility", last: true},
			},
		},
	}
}

// asbAnswers are what differs between the runs of the ASB journeys, and what the staff API must read back.
type asbAnswers struct {
	postcode string
	date     [3]string // when it happened; none for the anonymous report
}

func (a asbAnswers) stored(t *testing.T, c *localcloud.Cloud, ref, confirmation string) {
	t.Helper()
	got := staffRead(t, c, "/asb/cases/"+ref, catalog.GroupASBOfficer)
	if a.date[0] == "" { // the anonymous report: nobody in danger, no contact details
		expect(t, got, map[string]string{"case.reference": ref, "case.type": "vandalism", "case.anonymous": "true", "case.ongoing": "false",
			"case.riskLevel": "standard", "case.location.postcode": a.postcode, "case.description": "Someone sprayed graffiti on the bin store door.",
			"case.channel": "online", "reporter": "", "case.furtherReports": "0"})
		return
	}
	expect(t, got, map[string]string{"case.reference": ref, "case.type": "noise", "case.anonymous": "false", "case.ongoing": "true",
		"case.description": "Loud music every night after midnight.", "case.location.address": "Flat 2, 10 Example Road",
		"case.location.postcode": a.postcode, "case.occurredAt": isoDate(a.date) + "T00:00:00Z", "case.risk.crimeInProgress": "true",
		"case.risk.feelsUnsafe": "true", "case.riskLevel": "high", "case.furtherReports": "0",
		"reporter.name": "Alex Resident", "reporter.email": "alex@example.org", "reporter.preferredContact": "email", "reporter.language": "pl"})
	showsDates(t, confirmation, field(got, "case.acknowledgeBy"), field(got, "case.appointmentBy"))
}

// showsDates checks that the confirmation shows each stored date (YYYY-MM-DD) as the pages write dates.
func showsDates(t *testing.T, confirmation string, dates ...string) {
	t.Helper()
	for _, iso := range dates {
		d, err := workdays.ParseDate(iso)
		if err != nil {
			t.Errorf("stored date %q: %v", iso, err)
		} else if !strings.Contains(confirmation, d.String()) {
			t.Errorf("the confirmation does not show the stored date %s (%s)", iso, d.String())
		}
	}
}

// expect compares fields of a JSON answer (dotted paths) with what the pages were given.
func expect(t *testing.T, got map[string]any, want map[string]string) {
	t.Helper()
	for path, w := range want {
		if g := field(got, path); g != w {
			t.Errorf("the staff API has %s = %q, the pages sent %q", path, g, w)
		}
	}
}

// isoDate is a typed date (day, month, year) as YYYY-MM-DD.
func isoDate(d [3]string) string {
	day, _ := strconv.Atoi(d[0])
	month, _ := strconv.Atoi(d[1])
	return fmt.Sprintf("%s-%02d-%02d", d[2], month, day)
}

// daysAgo is the London date n days ago as typed into a date field: day, month, year.
func daysAgo(n int) [3]string {
	d := time.Now().In(workdays.London).AddDate(0, 0, -n)
	return [3]string{strconv.Itoa(d.Day()), strconv.Itoa(int(d.Month())), strconv.Itoa(d.Year())}
}

// complete goes from the start page through every step of j with the keyboard, checking each page and state,
// and returns the reference the confirmation shows and its text ("" for a journey that stops before it).
func (r *resident) complete(j journey) (reference, confirmation string) {
	r.T.Helper()
	r.Open("/")
	r.checkPage("")
	r.follow(j.start)
	prefix := j.start[:strings.LastIndex(j.start, "/")+1]
	for i, s := range j.steps {
		if got := r.Path(); got != prefix+s.path {
			r.T.Fatalf("step %d: on %s, want %s", i+1, got, prefix+s.path)
		}
		r.checkPage("")
		if s.last {
			if eval[bool](r, `document.querySelector('form button[type=submit]') !== null`) {
				r.T.Errorf("%s: the journey should end here, but the page has a button", r.Path())
			}
			return "", ""
		}
		if s.wrong != nil {
			r.fill(s.wrong)
			if status := r.submit(); status != 422 {
				r.T.Fatalf("%s: wrong answers %v answered %d, want 422", prefix+s.path, s.wrong, status)
			}
			if links := r.errorLinks(); !slices.Equal(links, s.errors) {
				r.T.Errorf("%s: error summary links %v, want %v", r.Path(), links, s.errors)
			}
			r.checkPage("errors")
			r.followErrorLink(s.errors[0])
		}
		r.fill(s.fill)
		if status := r.submit(); status != 200 {
			r.T.Fatalf("%s: answered %d: %v", prefix+s.path, status, eval[string](r, `document.querySelector('main').innerText`))
		}
	}
	if got := r.Path(); got != prefix+"check-answers" {
		r.T.Fatalf("after the last step: on %s, want check your answers", got)
	}
	r.checkPage("")
	r.shows("check your answers", j.checkAnswers)
	if status := r.submit(); status != 200 || r.Path() != prefix+"confirmation" {
		r.T.Fatalf("sending: %d on %s", status, r.Path())
	}
	r.checkPage("")
	ref := eval[string](r, `document.querySelector('.govuk-panel__body strong').textContent.trim()`)
	if ref == "" {
		r.T.Fatal("the confirmation shows no reference")
	}
	r.shows("the confirmation", j.confirmation)
	return ref, eval[string](r, `document.querySelector('main').innerText`)
}

func (r *resident) shows(what string, want []string) {
	r.T.Helper()
	body := eval[string](r, `document.body.innerText`)
	for _, w := range want {
		if !strings.Contains(body, w) {
			r.T.Errorf("%s lacks %q", what, w)
		}
	}
}

// helpPages follows the footer's links to the accessibility statement, the privacy notice and the cookies
// page, and checks the page a wrong address shows.
func (r *resident) helpPages() {
	r.T.Helper()
	for _, page := range []string{"accessibility", "privacy", "cookies"} {
		r.Open("/")
		r.follow("/help/" + page)
		r.checkPage("")
	}
	r.Open("/help/no-such-page")
	r.checkPage("not-found")
}

// staffRead is GET path through the staff API as a member of group.
func staffRead(t *testing.T, c *localcloud.Cloud, path, group string) map[string]any {
	t.Helper()
	resp := c.Call(t, "GET", path, nil, "Authorization", c.StaffToken(t, "officer-1", group))
	if resp.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.Status, resp.Raw)
	}
	return resp.JSON
}

// field reads a dotted path (a.b.0.c) of a JSON answer, as text.
func field(v any, path string) string {
	for _, part := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[part]
		case []any:
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i >= len(node) {
				return ""
			}
			v = node[i]
		default:
			return ""
		}
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
