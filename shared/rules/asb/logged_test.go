package asb

import (
	"testing"
	"time"
)

func logged(channel, receivedAt string) LoggedReport {
	return LoggedReport{Report: report("noise"), Channel: channel, ReceivedAt: receivedAt}
}

// ASB-2/ASB-4: an officer logs a report with its real channel and the time it reached us; the targets run from
// that time, not from the logging.
func TestASB4_StaffLoggedReportRunsFromTheTimeReceived(t *testing.T) {
	l := logged(ChannelPhone, "2026-11-23T10:00:00Z") // Monday
	now := at("2026-11-25T15:00:00Z")                 // logged on Wednesday
	if err := l.Validate(now); err != nil {
		t.Fatal(err)
	}
	a := Assess(l.Report, l.ReceivedTime())
	if a.AcknowledgeBy != day("2026-11-24") || a.AppointmentBy != day("2026-11-26") {
		t.Fatalf("targets %s %s, want 2026-11-24 and 2026-11-26 (from Monday, not Wednesday)", a.AcknowledgeBy, a.AppointmentBy)
	}
	for _, ch := range StaffChannels {
		if err := logged(ch, "2026-11-23T10:00:00Z").Validate(now); err != nil {
			t.Errorf("%s: %v", ch, err)
		}
	}
}

func TestASB2_StaffLoggedReportValidation(t *testing.T) {
	now := mondayMorning
	cases := []struct {
		name string
		in   LoggedReport
		want []string
	}{
		{"online is not a staff channel", logged(ChannelOnline, "2026-11-23T09:00:00Z"), []string{"channel"}},
		{"out-of-hours is not a staff channel", logged(ChannelOutOfHours, "2026-11-23T09:00:00Z"), []string{"channel"}},
		{"no channel, no time", logged("", ""), []string{"channel", "receivedAt"}},
		{"in the future", logged(ChannelPhone, "2026-11-23T11:00:00Z"), []string{"receivedAt"}},
		{"over 30 days ago", logged(ChannelInWriting, now.Add(-MaxLoggingDelay-time.Hour).Format(time.RFC3339)), []string{"receivedAt"}},
		{"not a time", logged(ChannelEmail, "last Tuesday"), []string{"receivedAt"}},
		{"incident after the report reached us", func() LoggedReport {
			l := logged(ChannelPhone, "2026-11-20T10:00:00Z")
			l.OccurredAt = "2026-11-21T10:00:00Z"
			return l
		}(), []string{"occurredAt"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantFields(t, c.in.Validate(now), c.want...) })
	}
	// the limits are inclusive: 30 days ago, and up to the clock skew ahead
	wantFields(t, logged(ChannelPartner, now.Add(-MaxLoggingDelay+time.Minute).Format(time.RFC3339)).Validate(now))
	wantFields(t, logged(ChannelPartner, now.Add(time.Minute).Format(time.RFC3339)).Validate(now))
}
