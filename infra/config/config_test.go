package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
)

var sys = catalog.System()

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func example(t *testing.T) Config {
	t.Helper()
	c, err := Example(repoRoot())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The example is complete and well formed, so `make synth` and `make run` use it as it is.
func TestExampleIsCompleteForSynthAndLocalUse(t *testing.T) {
	c := example(t)
	if err := c.Check(false); err != nil {
		t.Fatal(err)
	}
	for _, s := range sys.Settings {
		if c.Value(s) == "" {
			t.Errorf("%s has no value in the example", s.Name)
		}
	}
	if c.Value(catalog.HomesCount) != "12000" || c.Value(catalog.RetentionApplicationClosed) != "P2Y" {
		t.Errorf("values %v", c.Values())
	}
	var boxes map[string]string
	if err := json.Unmarshal([]byte(c.Value(catalog.TeamMailboxes)), &boxes); err != nil || boxes["complaints-officer"] != "complaints@council.example" {
		t.Errorf("mailboxes.teams = %s (%v)", c.Value(catalog.TeamMailboxes), err)
	}
}

// `make deploy` refuses the example, naming each placeholder: every example address, the example landlord, the
// drama phone number and every placeholder template id. The number of homes and the retention periods are
// real values (source 002 and the documented defaults), so they are not named.
func TestDeployRefusesTheExampleNamingEachPlaceholder(t *testing.T) {
	err := example(t).Check(true)
	var refused *Refused
	if !errors.As(err, &refused) {
		t.Fatalf("example accepted for deploy: %v", err)
	}
	var got []string
	for _, p := range refused.Problems {
		if !p.Placeholder {
			t.Errorf("not a placeholder problem: %s", p)
		}
		got = append(got, p.Setting)
	}
	want := []string{"alarmEmail", "landlord.name", "landlord.address", "landlord.phone", "landlord.email", "mailboxes.dutyOfficer", "mailboxes.dutyOfficerPhone", "site.url"}
	for _, s := range []catalog.Setting{catalog.TeamMailboxes, catalog.PartnerMailboxes, catalog.NotifyTemplates} {
		for _, k := range s.RequiredKeys {
			want = append(want, fmt.Sprintf("%s[%q]", s.Name, k))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("named %v\nwant  %v", got, want)
	}
	msg := err.Error()
	for _, line := range []string{
		"configuration " + filepath.Join(repoRoot(), ExampleFile) + " cannot be deployed: ",
		`  alarmEmail: "housing-alarms@council.example" is an example address (council.example is a domain reserved for examples)`,
		`  landlord.phone: "01632 960000" is a fictional number (Ofcom's range for drama)`,
		`  mailboxes.dutyOfficerPhone: "07700 900999" is a fictional number (Ofcom's range for drama)`,
		`  mailboxes.partners["partner"]: "community-safety@partner.example.org" is an example address (partner.example.org is a domain reserved for examples)`,
		`  notifyTemplates["complaint-received.sms"]: "placeholder-complaint-received.sms" is a placeholder, not a GOV.UK Notify template id`,
	} {
		if !strings.Contains(msg, line) {
			t.Errorf("message lacks %q:\n%s", line, msg)
		}
	}
}

// realLooking is a complete configuration as a council would give it.
func realLooking() map[string]any {
	templates := map[string]any{}
	for i, k := range catalog.NotifyTemplates.RequiredKeys {
		templates[k] = fmt.Sprintf("%08x-4c1e-4f3a-9b2d-%012x", i+1, 0xa11ce+i)
	}
	templates["complaint-received.cy.email"] = "6f1d2c3b-4a59-4e7d-8c6b-5a4f3e2d1c0b"
	return map[string]any{
		"alarmEmail": "housing-digital-alerts@northtown.gov.uk",
		"homesCount": 11850,
		"site":       map[string]any{"url": "https://housing.northtown.gov.uk"},
		"landlord": map[string]any{"name": "Northtown Borough Council", "address": "Town Hall, Market Square, Northtown NT1 1TH",
			"phone": "01604 837837", "email": "housing@northtown.gov.uk"},
		"mailboxes": map[string]any{
			"teams": map[string]any{"asb-officer": "asb@northtown.gov.uk", "asb-manager": "asb.managers@northtown.gov.uk",
				"complaints-officer": "complaints@northtown.gov.uk", "complaints-manager": "complaints.managers@northtown.gov.uk",
				"allocations-officer": "allocations@northtown.gov.uk", "housing-solutions-manager": "housing.solutions@northtown.gov.uk", "information-governance": "data.protection@northtown.gov.uk", "officer-7f3a": "jo.bloggs@northtown.gov.uk"},
			"dutyOfficer":      "ooh.duty@northtown.gov.uk",
			"dutyOfficerPhone": "07911 123456",
			"partners":         map[string]any{"partner": "hate.crime@northtownpolice.uk", "safeguarding": "mash@northtown.gov.uk"},
		},
		"notifyTemplates": templates,
		"retention":       map[string]any{"asbCaseClosed": "P7Y"},
	}
}

func parse(t *testing.T, file map[string]any, overrides map[string]any) Config {
	t.Helper()
	data, _ := json.Marshal(file)
	c, err := Parse(sys, "council.json", data, overrides)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDeployAcceptsACompleteRealConfiguration(t *testing.T) {
	c := parse(t, realLooking(), nil)
	if err := c.Check(true); err != nil {
		t.Fatal(err)
	}
	if c.Value(catalog.RetentionASBCaseClosed) != "P7Y" || c.Value(catalog.RetentionComplaintClosed) != catalog.RetentionComplaintClosed.Default {
		t.Errorf("retention: given P7Y, default otherwise: %v", c.Values())
	}
	if c.Value(catalog.HomesCount) != "11850" || c.Value(catalog.LandlordName) != "Northtown Borough Council" {
		t.Errorf("values %v", c.Values())
	}
}

func TestMissingSettingsAreNamed(t *testing.T) {
	file := realLooking()
	delete(file, "landlord")
	delete(file, "alarmEmail")
	delete(file["mailboxes"].(map[string]any)["teams"].(map[string]any), "asb-manager")
	delete(file["notifyTemplates"].(map[string]any), "reminder-digest.email")
	problems := settingsOf(parse(t, file, nil).Problems(false))
	for _, want := range []string{"alarmEmail", "landlord.name", "landlord.address", "landlord.phone", "landlord.email",
		`mailboxes.teams["asb-manager"]`, `notifyTemplates["reminder-digest.email"]`} {
		if !slices.Contains(problems, want) {
			t.Errorf("%s not named: %v", want, problems)
		}
	}
}

func TestMistakesAreNamed(t *testing.T) {
	file := realLooking()
	file["homesCount"] = "about 12,000"
	file["landlrd"] = "typo"
	file["landlord"].(map[string]any)["phone"] = "12345"
	file["mailboxes"].(map[string]any)["dutyOfficer"] = "Duty Officer <duty@northtown.gov.uk>"
	file["mailboxes"].(map[string]any)["dutyOfficerPhone"] = "01604 837837" // a landline: Notify cannot text it
	templates := file["notifyTemplates"].(map[string]any)
	templates["complaint-recieved.email"] = "6f1d2c3b-4a59-4e7d-8c6b-5a4f3e2d1c0c"
	templates["complaint-received.sms"] = templates["complaint-received.email"] // an email template cannot send texts
	file["retention"] = map[string]any{"asbCaseClosed": "6 years"}
	got := strings.Join(messages(parse(t, file, nil).Problems(true)), "\n")
	for _, want := range []string{
		`homesCount: "about 12,000" is not a positive whole number`,
		"landlrd: is not a setting",
		`landlord.phone: "12345" is not a UK phone number`,
		`mailboxes.dutyOfficer: "Duty Officer <duty@northtown.gov.uk>" is not an email address`,
		`mailboxes.dutyOfficerPhone: "01604 837837" is not a UK mobile number`,
		`notifyTemplates["complaint-recieved.email"]: not a template the services send`,
		`notifyTemplates["complaint-received.sms"]: template id`,
		`retention.asbCaseClosed: "6 years" is not an ISO 8601 period`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q in\n%s", want, got)
		}
	}
}

// -c <setting>=<value> overrides the file (maps as JSON text), and an unknown -c is named.
func TestContextOverrides(t *testing.T) {
	file := realLooking()
	c := parse(t, file, map[string]any{"alarmEmail": "ops@northtown.gov.uk", "mailboxes.partners": `{"partner":"p@northtown.gov.uk","safeguarding":"s@northtown.gov.uk"}`,
		"homesCount": "9000"})
	if err := c.Check(true); err != nil {
		t.Fatal(err)
	}
	if c.Value(catalog.AlarmEmail) != "ops@northtown.gov.uk" || c.Value(catalog.HomesCount) != "9000" ||
		c.Value(catalog.PartnerMailboxes) != `{"partner":"p@northtown.gov.uk","safeguarding":"s@northtown.gov.uk"}` {
		t.Errorf("values %v", c.Values())
	}
	if !strings.Contains(c.Source, "-c alarmEmail") {
		t.Errorf("source %s", c.Source)
	}
	bad := parse(t, file, map[string]any{"alarmemail": "x@northtown.gov.uk"})
	if got := messages(bad.Problems(false)); len(got) != 1 || !strings.HasPrefix(got[0], "alarmemail: -c alarmemail is not a setting") {
		t.Errorf("problems %v", got)
	}
}

func TestValuesFitAStandardParameter(t *testing.T) {
	file := realLooking()
	templates := file["notifyTemplates"].(map[string]any)
	for i := range 80 { // 80 languages: over 4 KB of JSON
		templates[fmt.Sprintf("complaint-letter.%c%c.email", 'a'+i%26, 'a'+i/26)] = fmt.Sprintf("%08x-4c1e-4f3a-9b2d-00000001%04x", i+100, i)
	}
	got := strings.Join(messages(parse(t, file, nil).Problems(false)), "\n")
	if !strings.Contains(got, "over the 4096 of an SSM standard parameter") {
		t.Errorf("problems %s", got)
	}
}

func TestUnreadableConfiguration(t *testing.T) {
	if _, err := Load(sys, filepath.Join(t.TempDir(), "none.json"), nil); err == nil {
		t.Error("a missing file was read")
	}
	if _, err := Parse(sys, "x.json", []byte("[1]"), nil); err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("err %v", err)
	}
}

func settingsOf(problems []Problem) []string {
	var out []string
	for _, p := range problems {
		out = append(out, p.Setting)
	}
	return out
}

func messages(problems []Problem) []string {
	var out []string
	for _, p := range problems {
		out = append(out, p.String())
	}
	return out
}

// The duty officer's phone is texted (GOV.UK Notify: UK mobiles only), so it must be a mobile, in any of the
// forms people write one; a drama number is an example value.
func TestDutyOfficerPhoneIsAMobile(t *testing.T) {
	for v, want := range map[string]string{
		"07911 123456": "", "+44 7911 123456": "", "0044 7911 123 456": "", "(07911) 123-456": "",
		"07700 900123":     "is a fictional number",
		"+44 7700 900123":  "is a fictional number",
		"01604 837837":     "is not a UK mobile number",
		"07911 12345":      "is not a UK mobile number",
		"+1 415 555 0100":  "is not a UK mobile number",
		"call the officer": "is not a UK mobile number",
	} {
		file := realLooking()
		file["mailboxes"].(map[string]any)["dutyOfficerPhone"] = v
		got := strings.Join(messages(parse(t, file, nil).Problems(true)), "\n")
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%q: problems %q, want %q", v, got, want)
		}
	}
}
