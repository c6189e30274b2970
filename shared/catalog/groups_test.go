package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/referralsender"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
)

// The teams the rules give deadlines to, and the reminder mailboxes a deployment must give, are the catalog's
// groups: a reminder for a team that no route admits would go to nobody who can act on it.
func TestRuleTeamsAndMailboxesAreCatalogGroups(t *testing.T) {
	groups := catalog.System().Groups()
	for _, team := range []string{asb.Team, asb.Manager, complaints.OfficerGroup, complaints.ManagerGroup, register.Team, register.ManagerTeam} {
		if !slices.Contains(groups, team) {
			t.Errorf("the rules name team %q, which no catalog route admits (groups: %v)", team, groups)
		}
	}
	if got, want := sorted(catalog.TeamMailboxes.RequiredKeys), sorted(groups); !slices.Equal(got, want) {
		t.Errorf("mailboxes.teams requires mailboxes for %v, the catalog's groups are %v", got, want)
	}
}

// The partner mailboxes a deployment must give are one per ASB-6 referral kind.
func TestPartnerMailboxesAreTheReferralKinds(t *testing.T) {
	if got, want := sorted(catalog.PartnerMailboxes.RequiredKeys), sorted([]string{asb.PartnerReferral, asb.SafeguardingReferral}); !slices.Equal(got, want) {
		t.Errorf("mailboxes.partners requires %v, the referral kinds are %v", got, want)
	}
}

// Every template the services send must have a Notify template id in the configuration, by each channel it can
// go by (residents: email, text and letter; the duty officer's alert: email and text; staff reminders and the
// ASB-6 referrals to the partner mailboxes: email), and nothing else is required.
func TestNotifyTemplatesRequiredAreTheTemplatesSent(t *testing.T) {
	residents := []string{notification.ASBReportReceived, notification.ComplaintReceived, notification.ComplaintEscalated,
		notification.ComplaintLetter, notification.ApplicationDecision, notification.EmergencyTwoWeeksLeft}
	residents = append(residents, notification.ASBReporterUpdates...)
	emailAndText := append(slices.Clone(residents), notification.ASBDutyAlert, notification.ResidentSignInCode)
	emailOnly := append([]string{notification.ReminderDigest}, referralsender.Templates()...)
	var want []string
	for _, t := range emailAndText {
		want = append(want, t+".email", t+".sms")
	}
	for _, t := range residents {
		want = append(want, t+".letter")
	}
	for _, t := range emailOnly {
		want = append(want, t+".email")
	}
	if got := sorted(catalog.NotifyTemplates.RequiredKeys); !slices.Equal(got, sorted(want)) {
		t.Errorf("notifyTemplates requires %v, want %v", got, sorted(want))
	}
	for _, k := range catalog.NotifyTemplates.RequiredKeys {
		if !strings.HasSuffix(k, ".email") && !strings.HasSuffix(k, ".sms") && !strings.HasSuffix(k, ".letter") {
			t.Errorf("%s: Notify templates are per channel", k)
		}
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
