package complaints

import (
	"reflect"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

func logged(channel, receivedOn string) LoggedComplaint {
	return LoggedComplaint{Submission: submission(), Channel: channel, ReceivedOn: receivedOn}
}

// CH-4 (source §3.1, §3.2, §5.12): a complaint a member of staff takes by phone, letter, email, in person, from a
// councillor or a representative is received on the day it reached us, and every timescale runs from that day.
func TestCH4_StaffLoggedComplaintRunsFromTheDayReceived(t *testing.T) {
	officer := staff("officer-a")
	// Logged on Wed 23 Dec 2026; the letter arrived on Fri 11 Dec: acknowledge by Fri 18 Dec (5 WD), already past.
	c, ev, err := Log("CMP-LOG", logged(ChannelLetter, "2026-12-11"), officer, at("2026-12-23T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel != ChannelLetter || c.Stages[0].Channel != ChannelLetter || c.ReceivedAt.Format("2006-01-02T15:04Z07:00") != "2026-12-11T00:00Z" ||
		c.Stages[0].AcknowledgeBy.String() != "2026-12-18" || c.LoggedBy != officer || c.Stages[0].LoggedBy != officer || !c.LoggedAt.Equal(at("2026-12-23T10:00:00Z")) {
		t.Fatalf("logged letter: %+v", c)
	}
	if ev.Action != "complaint-logged" || ev.Rule != "CH-4" || ev.ActorID != "officer-a" || ev.Details["receivedOn"] != "2026-12-11" || ev.Details["overdue"] == nil {
		t.Errorf("timeline entry: %+v", ev)
	}
	if d := OpenDeadlines(c); len(d) != 1 || d[0].Due.String() != "2026-12-18" {
		t.Errorf("the acknowledgement is due from the day received: %+v", d)
	}
	// Acknowledged the same day it is logged: late (CH-4), and the response is 10 WD from the acknowledgement.
	ack := check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, officer, at("2026-12-23T11:00:00Z")))
	if ack.Details["onTime"] != false || c.Stages[0].RespondBy.String() != "2027-01-11" {
		t.Errorf("late acknowledgement: %+v %s", ack.Details, c.Stages[0].RespondBy)
	}

	// Received today: the moment it is logged; a phone call from 10 days back reads the same deadline a form would.
	today, _, err := Log("CMP-TODAY", logged(ChannelPhone, "2026-12-23"), officer, at("2026-12-23T10:00:00Z"))
	if err != nil || !today.ReceivedAt.Equal(at("2026-12-23T10:00:00Z")) || today.Stages[0].AcknowledgeBy.String() != "2027-01-04" {
		t.Errorf("received today: %v %+v", err, today.Stages)
	}
	// Out of time (CH-2) is judged against the day received, not the day logged.
	old := logged(ChannelEmail, "2026-12-01")
	old.IssueDate = "2025-11-30"
	if c, _, err := Log("CMP-OLD", old, officer, at("2026-12-23T10:00:00Z")); err != nil || !c.HasFlag(FlagPossiblyOutOfTime) {
		t.Errorf("an issue 12 months and a day before receipt: %v %v", err, c.Flags)
	}
}

// CH-4: what a logged complaint must say, every problem listed.
func TestCH4_StaffLoggedComplaintValidation(t *testing.T) {
	now := at("2026-12-23T10:00:00Z")
	cases := []struct {
		name   string
		change func(*LoggedComplaint)
		fields []string
	}{
		{"received in the future", func(l *LoggedComplaint) { l.ReceivedOn = "2026-12-24" }, []string{"receivedOn"}},
		{"received over 12 months ago", func(l *LoggedComplaint) { l.ReceivedOn, l.IssueDate = "2025-12-22", "2025-12-01" }, []string{"receivedOn"}},
		{"not a date", func(l *LoggedComplaint) { l.ReceivedOn = "last week" }, []string{"receivedOn"}},
		{"issue after receipt", func(l *LoggedComplaint) { l.ReceivedOn, l.IssueDate = "2026-12-10", "2026-12-11" }, []string{"issueDate"}},
		{"unknown channel", func(l *LoggedComplaint) { l.Channel = "online" }, []string{"channel"}},
		{"representative channel, none named", func(l *LoggedComplaint) { l.Channel = ChannelRepresentative }, []string{"representative"}},
		{"representative without consent", func(l *LoggedComplaint) {
			l.Channel, l.Representative = ChannelRepresentative, &Representative{Name: "Pat Advocate"}
		}, []string{"representative.consent"}},
		{"nothing", func(l *LoggedComplaint) { *l = LoggedComplaint{} },
			[]string{"description", "outcomesSought", "serviceArea", "issueDate", "complainant.name", "channel", "receivedOn", "complainant"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := logged(ChannelPhone, "2026-12-20")
			tc.change(&l)
			_, _, err := Log("CMP-X", l, staff("officer-a"), now)
			wantFields(t, err, tc.fields...)
		})
	}
	rep := logged(ChannelRepresentative, "2026-12-20")
	rep.Representative = &Representative{Name: "Pat Advocate", Consent: true}
	if _, _, err := Log("CMP-REP", rep, staff("officer-a"), now); err != nil {
		t.Errorf("a representative with consent: %v", err)
	}
}

// CH-5 (source §6.10-6.12, §3.2): a resident who asks by phone or letter escalates through a member of staff, with
// no reason asked; stage 2 is acknowledged within 5 WD of the day the request reached us, late requests flagged.
func TestCH5_StaffEscalatesOnTheResidentsBehalf(t *testing.T) {
	manager := staff("manager-b")
	c := answered(t) // stage 1 answered Fri 8 Jan 2027: escalate by Fri 5 Feb
	before := c
	// Phoned on Mon 11 Jan, logged on Wed 13 Jan: acknowledge by Mon 18 Jan (5 WD after the call).
	ev, err := c.EscalateOnBehalf(EscalationRequest{Channel: ChannelPhone, RequestedOn: "2027-01-11", Note: "Still no boiler"}, manager, at("2027-01-13T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Current()
	if c.Stage != 2 || c.Status != StatusEscalated || s.Channel != ChannelPhone || s.LoggedBy != manager || s.AcknowledgeBy.String() != "2027-01-18" ||
		c.LateEscalation || c.EscalationAt.Format("2006-01-02") != "2027-01-11" {
		t.Fatalf("escalated: %+v", c)
	}
	if ev.Action != "escalated" || ev.Rule != "CH-5" || ev.ActorID != "manager-b" || ev.Details["requestedOn"] != "2027-01-11" || ev.Details["residentSaid"] != "Still no boiler" {
		t.Errorf("timeline entry: %+v", ev)
	}
	if before.Stage != 1 || len(before.Stages) != 1 {
		t.Error("the loaded record changed with the transition")
	}

	late := answered(t)
	if _, err := late.EscalateOnBehalf(EscalationRequest{Channel: ChannelLetter, RequestedOn: "2027-02-08"}, manager, at("2027-02-09T10:00:00Z")); err != nil || !late.LateEscalation || !late.HasFlag(FlagLateEscalation) {
		t.Errorf("a letter after the 20 WD is accepted and flagged: %v %+v", err, late)
	}

	for _, tc := range []struct {
		name   string
		from   func(*testing.T) Complaint
		in     EscalationRequest
		code   apperr.Code
		rule   string
		fields []string
	}{
		{"before the stage 1 response", answered, EscalationRequest{Channel: ChannelPhone, RequestedOn: "2027-01-07"}, apperr.Invalid, "", []string{"requestedOn"}},
		{"in the future", answered, EscalationRequest{Channel: ChannelPhone, RequestedOn: "2027-01-14"}, apperr.Invalid, "", []string{"requestedOn"}},
		{"no channel or day", answered, EscalationRequest{}, apperr.Invalid, "", []string{"channel", "requestedOn"}},
		{"stage 1 not answered", acknowledged, EscalationRequest{Channel: ChannelPhone, RequestedOn: "2027-01-11"}, apperr.Conflict, "CH-5", nil},
		{"already at stage 2", escalated, EscalationRequest{Channel: ChannelPhone, RequestedOn: "2027-01-11"}, apperr.Conflict, "CH-3", nil},
		{"closed", closed, EscalationRequest{Channel: ChannelPhone, RequestedOn: "2027-01-11"}, apperr.Conflict, "CH-3", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.from(t)
			was := c
			_, err := c.EscalateOnBehalf(tc.in, manager, at("2027-01-13T10:00:00Z"))
			if tc.code == apperr.Invalid {
				wantFields(t, err, tc.fields...)
			} else {
				wantRuleError(t, err, tc.code, tc.rule)
			}
			if !reflect.DeepEqual(was, c) {
				t.Error("a refused transition changed the complaint")
			}
		})
	}
}

// CH-5: the resident's own request online is recorded as theirs, through the online channel.
func TestCH5_ResidentEscalationChannel(t *testing.T) {
	c := escalated(t)
	if c.Current().Channel != ChannelOnline || c.Current().LoggedBy != (casefile.Actor{}) {
		t.Errorf("stage 2 asked online: %+v", c.Current())
	}
}

// Source §3.6: a representative's details and how the resident consented are kept with the complaint.
func TestCode3_6_RepresentativeConsentRecorded(t *testing.T) {
	l := logged(ChannelRepresentative, "2026-12-20")
	l.Representative = &Representative{Name: "Pat Advocate", Email: "pat@example.org", Consent: true, Relationship: "advocate",
		ConsentNote: "Signed consent form received 18 December", ResidentNotCopied: true}
	if _, _, err := Log("CMP-REP", l, staff("officer-a"), at("2026-12-23T10:00:00Z")); err != nil {
		t.Fatal(err)
	}
	l.Representative.Relationship = strings.Repeat("x", 101)
	_, _, err := Log("CMP-REP", l, staff("officer-a"), at("2026-12-23T10:00:00Z"))
	wantFields(t, err, "representative.relationship")
}
