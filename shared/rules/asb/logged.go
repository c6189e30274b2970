package asb

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/validate"
)

// ChannelPartner is a report passed on by a partner (e.g. the police, a support agency, a councillor's office).
// ASB-2 lists the public's own channels; the issue adds reports that partners pass to the landlord, which source
// 002 expects ("we work closely with a range of partners", "Data Sharing Agreements are in place").
const ChannelPartner = "partner"

// StaffChannels are the channels an officer logs a report from (ASB-2): phone, email, letter (in writing), in
// person, or from a partner. The online form and the out-of-hours line (ASB-10) arrive by themselves.
var StaffChannels = []string{ChannelPhone, ChannelEmail, ChannelInWriting, ChannelInPerson, ChannelPartner}

// MaxLoggingDelay bounds how long before it is logged a report may have been received. The targets run from the
// time it was received (ASB-4: acknowledged within 1 WD of receipt), so a report logged late is overdue at once
// rather than given new time; 30 days back is the product's limit beyond which a time is a typing error (a letter
// found in a drawer is logged with its true date and is already overdue).
const MaxLoggingDelay = 30 * 24 * time.Hour

// LoggedReport is a report an officer took by phone, email, letter, in person or from a partner (POST /asb/cases):
// the report's fields, the channel and when it reached us (ASB-2, ASB-4).
type LoggedReport struct {
	Report
	Channel    string `json:"channel" validate:"required,oneof=phone email in-writing in-person partner"`
	ReceivedAt string `json:"receivedAt" validate:"required,max=40"` // RFC 3339: when the report reached us
}

// ReceivedTime is when the report reached us (the targets run from it, ASB-4).
func (l LoggedReport) ReceivedTime() time.Time {
	t, _ := time.Parse(time.RFC3339, l.ReceivedAt)
	return t.UTC()
}

// Validate lists every problem with the logged report, logged at now: the channel, a received time that is
// neither in the future nor more than MaxLoggingDelay ago, and the report as of that time (so occurredAt may not
// be after it).
func (l LoggedReport) Validate(now time.Time) error {
	f := validate.Struct(struct {
		Channel string `json:"channel" validate:"required,oneof=phone email in-writing in-person partner"`
	}{l.Channel})
	received := receivedAtCheck(&f, "receivedAt", l.ReceivedAt, now, MaxLoggingDelay,
		"cannot be more than 30 days ago: log a report when it reaches us")
	if err := l.Report.Validate(received); err != nil {
		e, _ := apperr.As(err)
		f = append(f, e.Fields...)
	}
	return f.Err()
}

// receivedAtCheck checks a time a report reached us, given as RFC 3339 text, as of now: required, not in the
// future (beyond clockSkew), not more than maxAge ago (tooOld is the message). It returns the time, or now when
// the text is unusable, so that the report's own checks can run as of it.
func receivedAtCheck(f *apperr.Fields, field, value string, now time.Time, maxAge time.Duration, tooOld string) time.Time {
	switch t, err := time.Parse(time.RFC3339, value); {
	case value == "":
		f.Add(field, "is required")
	case len(value) > 40 || err != nil:
		f.Add(field, "must be a date and time in RFC 3339 form, e.g. 2026-11-23T22:40:00Z")
	case t.After(now.Add(clockSkew)):
		f.Add(field, "cannot be in the future")
	case t.Before(now.Add(-maxAge)):
		f.Add(field, "%s", tooOld)
	default:
		return t
	}
	return now
}
