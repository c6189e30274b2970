package complaints

import (
	"testing"
)

// WD-2, WD-4, CH-4: acknowledge within 5 WD of receipt; the day of receipt never counts, London calendar days.
func TestCH4_AcknowledgeByIsFiveWorkingDaysAfterReceipt(t *testing.T) {
	cases := []struct{ name, received, want string }{
		{"Christmas and New Year: 24, 29, 30, 31 Dec, 4 Jan", "2026-12-23T10:00:00Z", "2027-01-04"},
		{"received on a Saturday: Mon 30 Nov to Fri 4 Dec", "2026-11-28T10:00:00Z", "2026-12-04"},
		{"received on Christmas Day: 29, 30, 31 Dec, 4, 5 Jan", "2026-12-25T12:00:00Z", "2027-01-05"},
		{"New Year's Eve 23:30 GMT: 4 to 8 Jan", "2026-12-31T23:30:00Z", "2027-01-08"},
		{"Easter 2027 (26, 29 Mar): 25, 30, 31 Mar, 1, 2 Apr", "2027-03-24T23:30:00Z", "2027-04-02"},
		{"00:30 BST on 1 April 2026, Easter (3, 6 Apr): 2, 7, 8, 9, 10 Apr", "2026-03-31T23:30:00Z", "2026-04-10"},
		{"2027-28 year end, substitute days 27, 28 Dec and 3 Jan 2028 (statutory rules)", "2027-12-23T10:00:00Z", "2028-01-04"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ev, err := Submit("CMP-1", submission(), at(tc.received))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Stages[0].AcknowledgeBy.String(); got != tc.want {
				t.Errorf("acknowledgeBy %s, want %s", got, tc.want)
			}
			if c.Stage != 1 || c.Status != StatusReceived || ev.Rule != "CH-4" || ev.Actor != "resident" || ev.Details["acknowledgeBy"] != tc.want {
				t.Errorf("complaint %+v, event %+v", c, ev)
			}
		})
	}
}

// CH-4: respond within 10 WD of the acknowledgement.
func TestCH4_RespondByIsTenWorkingDaysAfterAcknowledgement(t *testing.T) {
	cases := []struct{ name, received, acknowledged, want string }{
		{"29 Dec to 12 Jan", "2026-12-23T10:00:00Z", "2026-12-24T10:00:00Z", "2027-01-12"},
		{"no holidays: 25 Nov to 8 Dec", "2026-11-23T10:00:00Z", "2026-11-24T10:00:00Z", "2026-12-08"},
		{"Easter 2027: 30 Mar to 12 Apr", "2027-03-24T10:00:00Z", "2027-03-25T10:00:00Z", "2027-04-12"},
		{"Easter 2026: 2, 7 to 10, 13 to 17 Apr", "2026-03-31T10:00:00Z", "2026-04-01T09:00:00Z", "2026-04-17"},
		{"late acknowledgement on 5 Jan: 6 Jan to 19 Jan", "2026-12-23T10:00:00Z", "2027-01-05T10:00:00Z", "2027-01-19"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := receivedAt(t, tc.received)
			ev := check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "Missed repairs", OutcomesSought: "Fix", Handler: "officer-a"}, staff("officer-a"), at(tc.acknowledged)))
			if got := c.Stages[0].RespondBy.String(); got != tc.want {
				t.Errorf("respondBy %s, want %s", got, tc.want)
			}
			if ev.Details["respondBy"] != tc.want || ev.Actor != "officer-a" || ev.Rule != "CH-4" || !ev.At.Equal(at(tc.acknowledged)) {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

// CH-4: a late acknowledgement is accepted and recorded as late (no refusal, the record stays honest).
func TestCH4_LateAcknowledgementIsRecorded(t *testing.T) {
	onTime := received(t)
	ev := check{t}.ack(onTime.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o", Handler: "h"}, staff("h"), at("2027-01-04T16:00:00Z")))
	if ev.Details["onTime"] != true {
		t.Errorf("on the acknowledgeBy date is on time (WD-3): %v", ev.Details)
	}
	late := received(t)
	ev = check{t}.ack(late.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o", Handler: "h"}, staff("h"), at("2027-01-05T09:00:00Z")))
	if ev.Details["onTime"] != false || late.Status != StatusAcknowledged {
		t.Errorf("the day after is late: %v", ev.Details)
	}
}

// CH-5: escalation without reasons, acknowledged within 5 WD of the request, answered within 20 WD of the
// acknowledgement.
func TestCH5_Stage2Timescales(t *testing.T) {
	c := answered(t)
	if c.EscalateBy.String() != "2027-02-05" || c.Status != StatusResponded {
		t.Fatalf("escalateBy %s (20 WD after Fri 8 Jan is Fri 5 Feb), status %s", c.EscalateBy, c.Status)
	}
	ev := check{t}.event(c.Escalate(at("2027-01-11T10:00:00Z")))
	if c.Stage != 2 || c.Status != StatusEscalated || c.Stages[1].AcknowledgeBy.String() != "2027-01-18" || c.LateEscalation {
		t.Fatalf("escalated: %+v", c)
	}
	if ev.Actor != "resident" || ev.Rule != "CH-5" || ev.Action != "escalated" || ev.Details["acknowledgeBy"] != "2027-01-18" || ev.Details["late"] != nil {
		t.Errorf("event %+v", ev)
	}
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "Reviewed", OutcomesSought: "Boiler fixed", Handler: "manager-b"}, staff("manager-b"), at("2027-01-11T14:00:00Z")))
	if got := c.Stages[1].RespondBy.String(); got != "2027-02-08" {
		t.Errorf("stage 2 respondBy %s, want 2027-02-08 (12 Jan + 20 WD)", got)
	}
}

// CH-5: over 20 WD after the stage 1 response the request is accepted, flagged and explained, never refused.
func TestCH5_LateEscalationIsFlaggedNotRefused(t *testing.T) {
	cases := []struct {
		name, at string
		late     bool
	}{
		{"on the last day, Fri 5 Feb, 18:00", "2027-02-05T18:00:00Z", false},
		{"the next working day, Mon 8 Feb", "2027-02-08T09:00:00Z", true},
		{"months later", "2027-06-01T09:00:00Z", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := answered(t)
			ev := check{t}.event(c.Escalate(at(tc.at)))
			if c.Status != StatusEscalated || c.Stage != 2 || c.LateEscalation != tc.late || c.HasFlag(FlagLateEscalation) != tc.late {
				t.Fatalf("late=%v: %+v", tc.late, c)
			}
			if tc.late && (ev.Details["late"] != true || ev.Details["note"] != c.LateEscalationNote || !containsAll(c.LateEscalationNote, "2027-02-05", "CH-5")) {
				t.Errorf("late escalation not explained: %q %v", c.LateEscalationNote, ev.Details)
			}
		})
	}
}

// CH-5 with the digest's own example: answered Tue 1 Dec 2026; 20 WD runs to Thu 31 Dec (25, 28 Dec are
// holidays), so 31 Dec is in time and Mon 4 Jan is late.
func TestCH5_EscalationWindowAcrossChristmas(t *testing.T) {
	answer := func() Complaint {
		c := receivedAt(t, "2026-11-23T10:00:00Z")
		check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o", Handler: "officer-a"}, staff("officer-a"), at("2026-11-24T10:00:00Z")))
		check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r"}, staff("officer-a"), at("2026-12-01T10:00:00Z")))
		return c
	}
	inTime, late := answer(), answer()
	check{t}.event(inTime.Escalate(at("2026-12-31T16:00:00Z")))
	check{t}.event(late.Escalate(at("2027-01-04T09:00:00Z")))
	if inTime.EscalateBy.String() != "2026-12-31" || inTime.LateEscalation || !late.LateEscalation {
		t.Errorf("escalateBy %s, in time late=%v, 4 Jan late=%v", inTime.EscalateBy, inTime.LateEscalation, late.LateEscalation)
	}
}
