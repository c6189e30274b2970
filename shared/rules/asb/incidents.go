package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Incident is a further report of a case's problem (ASB-9: not a new case): a record of its own beside the case
// (the store keeps each as an item in the case's partition, so the case does not grow with them). The case's own
// report is incident I1; further ones are I2, I3, ... Every text is bounded by the report's own limits.
type Incident struct {
	ID          string          `json:"id" dynamodbav:"id"`
	Channel     string          `json:"channel" dynamodbav:"channel"`
	ReceivedAt  time.Time       `json:"receivedAt" dynamodbav:"receivedAt"`
	Type        string          `json:"type" dynamodbav:"type"`
	Description string          `json:"description" dynamodbav:"description"`
	Location    Location        `json:"location" dynamodbav:"location"`
	OccurredAt  string          `json:"occurredAt,omitempty" dynamodbav:"occurredAt,omitempty"`
	Ongoing     bool            `json:"ongoing" dynamodbav:"ongoing"`
	Anonymous   bool            `json:"anonymous" dynamodbav:"anonymous"`
	Risk        Risk            `json:"risk" dynamodbav:"risk"`
	Subject     string          `json:"subject,omitempty" dynamodbav:"subject,omitempty"`
	Reporter    *Reporter       `json:"reporter,omitempty" dynamodbav:"reporter,omitempty"` // nil when anonymous
	LoggedBy    *casefile.Actor `json:"loggedBy,omitempty" dynamodbav:"loggedBy,omitempty"`
	CallID      string          `json:"callId,omitempty" dynamodbav:"callId,omitempty"`
	FromCase    string          `json:"fromCase,omitempty" dynamodbav:"fromCase,omitempty"`     // a case merged into this one
	UnlinkedTo  string          `json:"unlinkedTo,omitempty" dynamodbav:"unlinkedTo,omitempty"` // taken out into a case of its own
	AddedAt     time.Time       `json:"addedAt" dynamodbav:"addedAt"`
	ReporterKey string          `json:"-" dynamodbav:"reporterKey,omitempty"` // the hash of ContactKey (ASB-7)
}

// Report is the incident as a report again (to open a case of its own when it is unlinked).
func (i Incident) Report() Report {
	return Report{Type: i.Type, Description: i.Description, Location: i.Location, OccurredAt: i.OccurredAt, Ongoing: i.Ongoing,
		Anonymous: i.Anonymous, Reporter: i.Reporter, Risk: i.Risk, Subject: i.Subject}
}

// IncidentOf is a valid (anonymised) report arriving by channel at receivedAt as a further incident.
func IncidentOf(r Report, channel string, receivedAt time.Time, reporterKey string) Incident {
	return Incident{Channel: channel, ReceivedAt: receivedAt.UTC(), Type: r.Type, Description: r.Description, Location: r.Location,
		OccurredAt: r.OccurredAt, Ongoing: r.Ongoing, Anonymous: r.Anonymous, Risk: r.Risk, Subject: strings.TrimSpace(r.Subject),
		Reporter: r.Reporter, ReporterKey: reporterKey}
}

// AddFurtherReport adds a further report of the case's problem as incident I<n> (ASB-9: it is not a new case).
// The case keeps its targets, except that a further report on an ASB-4 high-risk ground makes the case high risk
// and, while no appointment has been offered, brings the appointment forward to 1 WD after it (ASB-4). A ground
// for an ASB-6 referral the case has not yet raised raises it now: the new referrals are returned to be sent.
func (c *Case) AddFurtherReport(in Incident, by casefile.Actor, at time.Time) (Incident, []Referral, casefile.Event, error) {
	if err := c.mustBeOpen("add a further report"); err != nil {
		return Incident{}, nil, casefile.Event{}, err
	}
	c.Incidents = max(c.Incidents, 1) + 1
	in.ID, in.AddedAt = fmt.Sprintf("I%d", c.Incidents), at.UTC()
	c.FurtherReports++
	details := map[string]any{"incidentId": in.ID, "channel": in.Channel, "type": in.Type, "receivedAt": in.ReceivedAt,
		"anonymous": in.Anonymous, "furtherReports": c.FurtherReports}
	if in.FromCase != "" {
		details["fromCase"] = in.FromCase
	}
	if in.CallID != "" {
		details["callId"] = in.CallID
	}
	if in.FromCase == "" && c.keepInformed(in) { // a merged case's reporter stays with their own case's record
		details["keptInformed"] = true
	}
	if why := HighRiskFactors(in.Risk); len(why) > 0 {
		details["highRisk"] = why
		if c.RiskLevel != RiskHigh && c.RiskAssessment == nil {
			c.RiskLevel = RiskHigh
		}
		if due := workdays.DeadlineAfter(in.ReceivedAt, HighRiskAppointmentDays); c.AppointmentOfferedAt == nil && due.Before(c.AppointmentBy) {
			c.AppointmentBy = due
			details["appointmentBy"] = due.String()
		}
	}
	var raised []Referral
	for _, ref := range referrals(in.Report()) {
		if !slices.ContainsFunc(c.Referrals, func(r Referral) bool { return r.Kind == ref.Kind }) {
			c.Referrals = append(c.Referrals, ref)
			raised = append(raised, ref)
		}
	}
	if len(raised) > 0 {
		details["referrals"] = raised
	}
	c.inProgress()
	return in, raised, casefile.NewEvent(at, by, "further-report", "ASB-9", details), nil
}

// CaseMerge is an officer merging another case into this one (POST /asb/cases/{reference}/merger): the same
// problem reported twice, or a report that should have joined this case (ASB-9).
type CaseMerge struct {
	From   string `json:"from" validate:"required,max=64"` // the reference of the case merged into this one
	Reason string `json:"reason" validate:"required,max=2000"`
}

// Unlinking is an officer taking a further report out of a case it does not belong to, into a case of its own
// (POST /asb/cases/{reference}/incidents/{incidentId}/unlinking).
type Unlinking struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// Validate lists every problem with the merge's input.
func (m CaseMerge) Validate() error { return check(m, nil) }

// IsIncidentID reports whether id can name a further report (I2, I3, ...): anything else is no report of any case.
func IsIncidentID(id string) bool {
	if len(id) < 2 || len(id) > 6 || id[0] != 'I' {
		return false
	}
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CheckMerge validates a merge of case from into c before either is changed: both open, not the same case.
func (c *Case) CheckMerge(in CaseMerge, from Case) error {
	if err := check(in, nil); err != nil {
		return err
	}
	if from.Reference == c.Reference {
		var f apperr.Fields
		f.Add("from", "must be another case: a case cannot be merged into itself")
		return f.Err()
	}
	if err := c.mustBeOpen("merge cases into it"); err != nil {
		return err
	}
	return from.mustBeOpen("merge it")
}

// MergeInto ends this case as part of target (ASB-9): its report is target's further incident, so it is never
// counted as a case of its own. Its open deadlines end with it; the timeline says where it went.
func (c *Case) MergeInto(target string, in CaseMerge, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("merge it"); err != nil {
		return casefile.Event{}, err
	}
	if err := check(in, nil); err != nil {
		return casefile.Event{}, err
	}
	merged := at.UTC()
	c.Status, c.MergedInto, c.MergedAt = StatusMerged, target, &merged
	return casefile.NewEvent(at, by, "merged-into", "ASB-9", map[string]any{"into": target, "reason": in.Reason}), nil
}

// Absorb adds a case merged into this one as a further incident (its own report), with the further reports it
// had (ASB-9).
func (c *Case) Absorb(from Case, reporter *Reporter, in CaseMerge, by casefile.Actor, at time.Time) (Incident, []Referral, casefile.Event, error) {
	inc := Incident{Channel: from.Channel, ReceivedAt: from.ReceivedAt, Type: from.Type, Description: from.Description,
		Location: from.Location, OccurredAt: from.OccurredAt, Ongoing: from.Ongoing, Anonymous: from.Anonymous, Risk: from.Risk,
		Subject: from.Subject, Reporter: reporter, LoggedBy: from.LoggedBy, CallID: from.CallID, FromCase: from.Reference}
	inc, raised, ev, err := c.AddFurtherReport(inc, by, at)
	if err != nil {
		return Incident{}, nil, casefile.Event{}, err
	}
	c.FurtherReports += from.FurtherReports
	c.MergedCases++
	ev.Action = "merged-from"
	ev.Details["reason"], ev.Details["furtherReports"], ev.Details["carried"] = in.Reason, c.FurtherReports, from.FurtherReports
	return inc, raised, ev, nil
}

// Unlink takes further report inc out of the case into newRef, a case of its own (it was not the same problem).
// A report that came with a merged case is not unlinked (the merged case keeps its own history): 422.
func (c *Case) Unlink(inc Incident, newRef string, in Unlinking, by casefile.Actor, at time.Time) (Incident, casefile.Event, error) {
	if err := c.mustBeOpen("unlink reports"); err != nil {
		return Incident{}, casefile.Event{}, err
	}
	if err := check(in, nil); err != nil {
		return Incident{}, casefile.Event{}, err
	}
	switch {
	case inc.UnlinkedTo != "":
		return Incident{}, casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Report %s was already unlinked into case %s", inc.ID, inc.UnlinkedTo)
	case inc.FromCase != "":
		return Incident{}, casefile.Event{}, apperr.Rule(apperr.Unprocessable, "ASB-9",
			"Report %s came with case %s, merged into this one: it cannot be unlinked", inc.ID, inc.FromCase)
	}
	c.FurtherReports--
	c.stopInforming(inc.ID)
	inc.UnlinkedTo = newRef
	return inc, casefile.NewEvent(at, by, "report-unlinked", "ASB-9", map[string]any{"incidentId": inc.ID, "to": newRef, "reason": in.Reason,
		"furtherReports": c.FurtherReports}), nil
}
