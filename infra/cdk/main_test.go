package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
)

const example = "../config/example.json"

// `make deploy` runs this check first: the example configuration is refused, every placeholder named, and nothing
// reaches AWS (the check starts neither CDK nor Node).
func TestDeployCheckRefusesTheExample(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := check([]string{"-c", "config=" + example}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stdout.String())
	}
	out := stderr.String()
	// every example value: the alarm email, the landlord's four details, the site's address, a mailbox per team, the
	// duty officer's two, the two partners', and every template
	problems := 6 + len(catalog.TeamMailboxes.RequiredKeys) + 2 + len(catalog.PartnerMailboxes.RequiredKeys) + len(catalog.NotifyTemplates.RequiredKeys)
	for _, want := range []string{
		fmt.Sprintf("configuration ../config/example.json cannot be deployed: %d setting(s) to fix", problems),
		"  alarmEmail: ", "  site.url: ", "  landlord.name: ", "  landlord.address: ", "  landlord.phone: ", "  landlord.email: ",
		"  mailboxes.dutyOfficer: ", "  mailboxes.dutyOfficerPhone: ", `  mailboxes.partners["safeguarding"]: `, `  mailboxes.teams["asb-officer"]: `,
		`  notifyTemplates["reminder-digest.email"]: "placeholder-reminder-digest.email" is a placeholder`,
		"Nothing was deployed.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
}

func realConfiguration(t *testing.T) string {
	templates := map[string]string{}
	for i, k := range catalog.NotifyTemplates.RequiredKeys {
		templates[k] = fmt.Sprintf("%08x-9d3e-4b7a-8c21-5e6f7a8b9c0d", i+1)
	}
	data, _ := json.Marshal(map[string]any{
		"alarmEmail": "digital.alerts@northtown.gov.uk", "homesCount": 11850, "site": map[string]any{"url": "https://housing.northtown.gov.uk"},
		"landlord": map[string]any{"name": "Northtown Borough Council", "address": "Town Hall, Market Square, Northtown NT1 1TH",
			"phone": "01604 837837", "email": "housing@northtown.gov.uk"},
		"mailboxes": map[string]any{
			"teams": map[string]string{"asb-officer": "asb@northtown.gov.uk", "asb-manager": "asb.managers@northtown.gov.uk",
				"complaints-officer": "complaints@northtown.gov.uk", "complaints-manager": "complaints.managers@northtown.gov.uk",
				"allocations-officer": "allocations@northtown.gov.uk", "housing-solutions-manager": "housing.solutions@northtown.gov.uk", "information-governance": "data.protection@northtown.gov.uk"},
			"dutyOfficer":      "ooh.duty@northtown.gov.uk",
			"dutyOfficerPhone": "07911 123456",
			"partners":         map[string]string{"partner": "hate.crime@northtownpolice.uk", "safeguarding": "mash@northtown.gov.uk"},
		},
		"notifyTemplates": templates,
	})
	path := filepath.Join(t.TempDir(), "council.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDeployCheckAcceptsARealConfiguration(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := check([]string{"-c", "config=" + realConfiguration(t), "--context", "region=eu-west-2"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "is ready to deploy: 16 settings, no placeholders") {
		t.Errorf("stdout %s", stdout.String())
	}
}

// -c overrides are checked too, exactly as cdk deploy would receive them.
func TestDeployCheckAppliesContext(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := check([]string{"-c", "config=" + realConfiguration(t), "--context=alarmEmail=alerts@council.example", "-c", "homesCount=lots", "-c", "alarmMail=x"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{`alarmEmail: "alerts@council.example" is an example address`, `homesCount: "lots" is not a positive whole number`,
		"alarmMail: -c alarmMail is not a setting"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestDeployCheckArguments(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := check([]string{"--profile", "x"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "unexpected argument") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if code := check([]string{"-c", "config=" + filepath.Join(t.TempDir(), "none.json")}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "no such file") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}
