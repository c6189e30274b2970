package asbcases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// ItemIncident is the kind of a further report's item in its case's partition (casework.Item).
const ItemIncident = "INCIDENT"

// DatedIncidents is the dated list of further reports, read by the monthly report (ASB-9).
const DatedIncidents = "incident"

// Report is a report from the public form.
type Report struct {
	Form   asb.Report
	At     time.Time               // when it was received (ASB-4 targets run from it)
	Answer casework.AnswerRecorder // keeps the receipt with the case for a retried request
}

// Receipt is what the reporter is told about their report: its new case, or the open case it joined (ASB-9).
type Receipt struct {
	Case        asb.Case
	Assessment  asb.Assessment // category, risk, targets, referrals, advice and reasons (ASB-2..ASB-6, ASB-9)
	CaseReview  asb.CaseReview // ASB-7
	AccessToken string         // shown once, stored only as a hash; "" for anonymous reports and further reports
	// JoinedCase is the open case a further report of the same problem was added to (ASB-9), as incident
	// Incident, matched on MatchedOn (asb.MatchLocation or asb.MatchReporterSubject); "" for a new case.
	JoinedCase string
	Incident   string
	MatchedOn  string
}

// Report validates and records a report from the public: a new case with its category, risk and working-day
// targets (ASB-3, ASB-4), its referrals (ASB-6), the reporter's acknowledgement and an access token for a named
// reporter; or, when it matches an open case, a further incident of that case (ASB-9).
func (s Service) Report(ctx context.Context, cmd Report) (Receipt, error) {
	if err := cmd.Form.Validate(cmd.At); err != nil {
		return Receipt{}, err
	}
	return s.receive(ctx, intake{form: cmd.Form, channel: asb.ChannelOnline, at: cmd.At, now: cmd.At, by: casefile.ByResident, withToken: true, answer: cmd.Answer})
}

// Log is an officer logging a report taken by phone, email, letter, in person or from a partner.
type Log struct {
	Form   asb.LoggedReport
	By     casework.Staff
	At     time.Time // when it is logged; the report's targets run from Form.ReceivedAt (ASB-4)
	Answer casework.AnswerRecorder
}

// Log records a report an officer took by another channel (ASB-2) as the public form's report is recorded, timed
// from when it reached us, not from when it is logged (ASB-4): a report logged late is overdue at once. A named
// reporter gets an access token (the officer passes it on) and the acknowledgement; the case records who logged it.
func (s Service) Log(ctx context.Context, cmd Log) (Receipt, error) {
	if err := cmd.By.Check(staff...); err != nil {
		return Receipt{}, err
	}
	if err := cmd.Form.Validate(cmd.At); err != nil {
		return Receipt{}, err
	}
	by := cmd.By.Actor()
	return s.receive(ctx, intake{form: cmd.Form.Report, channel: cmd.Form.Channel, at: cmd.Form.ReceivedTime(), now: cmd.At, by: by,
		loggedBy: &by, withToken: true, answer: cmd.Answer})
}

// RecordCall is an out-of-hours call taken from the queue.
type RecordCall struct {
	Call asb.Call
	At   time.Time // when the call was queued: receivedAt may not be after it (asb.Call.ValidateQueued)
}

// CallOutcome is what became of a call: its case, made now or by an earlier delivery.
type CallOutcome struct {
	Reference string
	Duplicate bool    // the call had already made its case
	Receipt   Receipt // the new case, or the case the call joined (zero for a duplicate)
}

// RecordCall turns an out-of-hours call into a case with channel "out-of-hours", timed from the call
// (ASB-10), or a further incident of the open case it matches (ASB-9), once per callId: a redelivered or
// concurrently delivered call finds the case its first delivery made or joined. The once-only key, written in
// the change's own transaction, is the duplicate check: only a call that lost to an earlier delivery reads which
// case that was.
func (s Service) RecordCall(ctx context.Context, cmd RecordCall) (CallOutcome, error) {
	call := cmd.Call
	if err := call.ValidateQueued(cmd.At); err != nil {
		return CallOutcome{}, err
	}
	r, err := s.receive(ctx, intake{form: call.Report, channel: asb.ChannelOutOfHours, at: call.ReceivedTime(), now: call.ReceivedTime(),
		by: casefile.ByOutOfHours, call: &call, once: []casework.Once{{Scope: OutOfHoursCall, ID: call.CallID}}})
	if apperr.CodeOf(err) == apperr.Conflict {
		// an earlier or concurrent delivery of the same call made or joined the case: it stands
		if first, lookErr := s.Store.OnceRef(ctx, OutOfHoursCall, call.CallID); lookErr == nil && first != "" {
			return CallOutcome{Reference: first, Duplicate: true}, nil
		}
	}
	if err != nil {
		return CallOutcome{}, err
	}
	return CallOutcome{Reference: r.Case.Reference, Receipt: r}, nil
}

// intake is a valid report arriving by one channel.
type intake struct {
	ref        string // made here when empty
	form       asb.Report
	channel    string
	at         time.Time // when it reached us: the targets run from it
	now        time.Time // when it is recorded (the timeline's time)
	by         casefile.Actor
	loggedBy   *casefile.Actor // an officer logged it (ASB-2)
	call       *asb.Call       // out-of-hours calls
	withToken  bool
	answer     casework.AnswerRecorder
	once       []casework.Once // Ref is set to the case the report made or joined
	noMatch    bool            // open a case of its own (an unlinked report)
	unlinkedOf string          // the case an unlinked report was taken out of
	sent       bool            // its duty alert and referrals went when it first arrived (an unlinked report)
}

// receive records a valid report: as a further incident of the open case it matches, by key (ASB-9), or as a new
// case. A case that closed between the lookup and the change is not joined: the report opens a case of its own.
func (s Service) receive(ctx context.Context, in intake) (Receipt, error) {
	dropped := in.form.Anonymise()
	reporterKey := ""
	if key := asb.ContactKey(in.form.Reporter); key != "" {
		reporterKey = ids.Hash(key)
	}
	earlier := 0
	if reporterKey != "" {
		var err error
		if earlier, err = s.Store.ReportsSince(ctx, reporterKey, in.at.AddDate(0, -asb.CaseReviewMonths, 0), in.at); err != nil {
			return Receipt{}, err
		}
	}
	review := asb.CaseReviewFor(in.form.Anonymous, earlier)
	if !in.noMatch {
		probe := asb.NewCase("", in.form, asb.Assessment{}, in.channel, in.at)
		probe.ReporterKey = reporterKey
		ref, matched, err := s.Store.OpenCaseFor(ctx, asb.MatchKeys(probe))
		if err != nil {
			return Receipt{}, err
		}
		if ref != "" {
			r, err := s.join(ctx, ref, matched, in, reporterKey, review, dropped)
			if e, ok := apperr.As(err); !ok || e.Rule != "ASB-9" {
				return r, err
			} // the case closed or was merged since the lookup: a case of its own
		}
	}
	return s.open(ctx, in, reporterKey, review, dropped)
}

const droppedAdvice = "You asked to stay anonymous, so we have not kept the contact details you gave. (ASB-2)"

// open assesses a valid report and creates its case with the first timeline entry, the referrals and the
// reporter's acknowledgement, in one transaction.
func (s Service) open(ctx context.Context, in intake, reporterKey string, review asb.CaseReview, dropped bool) (Receipt, error) {
	r := in.form
	a := asb.Assess(r, in.at)
	if dropped {
		a.Advice = append(a.Advice, droppedAdvice)
	}
	ref := in.ref
	if ref == "" {
		ref = ids.NewReference("ASB")
	}
	c := asb.NewCase(ref, r, a, in.channel, in.at)
	c.ReporterKey = reporterKey
	details := map[string]any{"channel": in.channel, "type": r.Type, "category": a.Category, "riskLevel": a.RiskLevel,
		"acknowledgeBy": a.AcknowledgeBy.String(), "appointmentBy": a.AppointmentBy.String(), "reasons": a.Reasons}
	if in.call != nil {
		c.CallID, c.Operator, c.AdvisedPolice = in.call.CallID, in.call.Operator, in.call.AdvisedPolice
		details["callId"], details["operator"], details["advisedPolice"] = c.CallID, c.Operator, c.AdvisedPolice
	}
	if in.loggedBy != nil {
		logged := in.now.UTC()
		c.LoggedBy, c.LoggedAt = in.loggedBy, &logged
		details["receivedAt"] = c.ReceivedAt
		if workdays.DateOf(in.now).After(c.AcknowledgeBy) {
			details["overdue"] = "Logged after the acknowledgement was due (" + c.AcknowledgeBy.String() + "): acknowledge it now (ASB-4)."
		}
	}
	if in.unlinkedOf != "" {
		details["unlinkedFrom"] = in.unlinkedOf
	}
	receipt := Receipt{Case: c, Assessment: a, CaseReview: review}
	details["caseReviewEligible"] = review.Eligible
	if alert := asb.ImmediateAlert(r.Risk); alert.Needed {
		details["dutyAlert"] = alert.Grounds // the alert's own sending is on the timeline too (notification-sent)
	}
	stored := Stored{Case: c, Contact: r.Reporter}
	if in.withToken && !r.Anonymous {
		receipt.AccessToken = ids.NewAccessToken()
		stored.TokenHash = ids.HashToken(receipt.AccessToken)
	}
	got, referrals, extra := arrival{r.Risk, r.Location, c.Channel, c.ReceivedAt}, c.Referrals, map[string]string(nil)
	if in.sent { // an unlinked report: alerted and referred when it arrived; the reporter hears of its own case
		got, referrals = arrival{}, nil
		extra = map[string]string{"further_report": "Your report is now case " + c.Reference + " of its own, not part of case " + in.unlinkedOf + "."}
	}
	messages, err := followUps(c, got, referrals, r.Reporter, c.Reference, s.Duty, extra)
	if err != nil {
		return Receipt{}, err
	}
	answer, err := in.answer.Record(receipt)
	if err != nil {
		return Receipt{}, err
	}
	ev := casefile.NewEvent(in.now, in.by, "reported", "ASB-2", details)
	err = s.pipeline().Create(ctx, stored, casework.Writes{Events: []casefile.Event{ev}, Messages: messages, Answer: answer, Once: onceFor(in.once, ref)})
	return receipt, err
}

func onceFor(once []casework.Once, ref string) []casework.Once {
	out := make([]casework.Once, len(once))
	for i, o := range once {
		o.Ref = ref
		out[i] = o
	}
	return out
}

// matchedBecause says in plain words why a report joined a case.
var matchedBecause = map[string]string{
	asb.MatchLocation:        "the same kind of behaviour at the same address",
	asb.MatchReporterSubject: "the same reporter about the same person",
}

// join adds a valid report to the open case ref as a further incident (ASB-9), in one change of that case: the
// incident (an item of its own, counted with its reporter's reports for ASB-7 and in the month's further
// reports), the duty officer's alert and any referral the report raises that the case had not (ASB-4, ASB-6),
// and the reporter's acknowledgement naming the case it joined.
func (s Service) join(ctx context.Context, ref, matched string, in intake, reporterKey string, review asb.CaseReview, dropped bool) (Receipt, error) {
	inc := asb.IncidentOf(in.form, in.channel, in.at, reporterKey)
	inc.LoggedBy = in.loggedBy
	if in.call != nil {
		inc.CallID = in.call.CallID
	}
	var receipt Receipt
	err := retryStale(func() error {
		_, _, err := s.pipeline().Change(ctx, ref, nil, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
			added, raised, ev, err := c.AddFurtherReport(inc, in.by, in.now)
			if err != nil {
				return casework.Outcome{}, err
			}
			ev.Details["matchedOn"] = matched
			a := asb.Assessment{Category: c.Category, RiskLevel: c.RiskLevel, AcknowledgeBy: c.AcknowledgeBy, AppointmentBy: c.AppointmentBy,
				Referrals: raised, Advice: asb.Assess(in.form, in.at).Advice}
			a.Reasons.Add("ASB-9", fmt.Sprintf("This report is about %s as case %s, which is open: it was added to that case as report %s, "+
				"not opened as a new case (ASB-9: a further report on an open case is not a new case).", matchedBecause[matched], c.Reference, added.ID))
			for _, r := range raised {
				a.Reasons.Add(r.Rule, r.Why)
			}
			a.Advice = furtherAdvice(a.Advice, c.Reference, in.form.Anonymous)
			if dropped {
				a.Advice = append(a.Advice, droppedAdvice)
			}
			receipt = Receipt{Case: *c, Assessment: a, CaseReview: review, JoinedCase: c.Reference, Incident: added.ID, MatchedOn: matched}
			messages, err := followUps(*c, arrival{added.Risk, added.Location, added.Channel, added.ReceivedAt}, raised, added.Reporter, c.Reference+"#"+added.ID, s.Duty,
				map[string]string{"further_report": "Your report was added to case " + c.Reference + ", about the same problem."})
			if err != nil {
				return casework.Outcome{}, err
			}
			answer, err := in.answer.Record(receipt)
			if err != nil {
				return casework.Outcome{}, err
			}
			item := casework.Item{Kind: ItemIncident, ID: added.ID, Value: added, Reporter: reporterKey, Dated: DatedIncidents, At: added.ReceivedAt}
			return casework.Outcome{Events: []casefile.Event{ev}, Messages: messages, Items: []casework.Item{item}, Answer: answer,
				Once: onceFor(in.once, c.Reference)}, nil
		})
		return err
	})
	return receipt, err
}

// furtherAdvice replaces the new reporter's "keep your access token" with where their report went.
func furtherAdvice(advice []string, ref string, anonymous bool) []string {
	out := make([]string, 0, len(advice)+1)
	for _, a := range advice {
		if !strings.HasPrefix(a, "Keep your reference and access token") {
			out = append(out, a)
		}
	}
	if !anonymous {
		out = append(out, "Your report was added to case "+ref+": quote that reference, and we will keep you informed about it.")
	}
	return out
}

// followUps are the messages a report sends: the duty officer's immediate alert (asb.ImmediateAlert on the
// report's risk answers), the ASB-6 referrals it raises and the reporter's acknowledgement (none for anonymous
// reports). They are written in the change's own transaction (the outbox), so none is lost. Their ids start with
// idBase (the case, or the case and the further report), so a re-delivery is recognisable downstream.
func followUps(c asb.Case, got arrival, referrals []asb.Referral, reporter *asb.Reporter, idBase string, duty DutyOfficer,
	extra map[string]string) ([]casework.Message, error) {
	out, err := dutyAlerts(c, got, idBase, duty)
	if err != nil {
		return nil, err
	}
	for _, ref := range referrals {
		id := c.Reference + "#" + ref.Kind
		m, err := casework.NewMessage(id, catalog.ReferralsQueue, ref.Kind+"-referral", map[string]any{
			"id": id, "kind": ref.Kind, "rule": ref.Rule, "why": ref.Why,
			"caseRef": c.Reference, "type": c.Type, "riskLevel": c.RiskLevel, "receivedAt": c.ReceivedAt,
		}, c.ReceivedAt)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if reporter == nil {
		return out, nil
	}
	personalisation := map[string]string{"reference": c.Reference, "sign_in_path": notification.SignInPath(c.Reference), "acknowledge_by": c.AcknowledgeBy.String(),
		"appointment_by": c.AppointmentBy.String(), "type": strings.ReplaceAll(c.Type, "-", " ")}
	for k, v := range extra {
		personalisation[k] = v
	}
	req := notification.Request{
		ID: idBase + "#received", Template: notification.ASBReportReceived, CaseKind: casefile.ASB, CaseRef: c.Reference,
		To: notification.ToResident(*reporter), Personalisation: personalisation, RequestedAt: c.ReceivedAt,
	}
	m, err := req.Message()
	return append(out, m), err
}

// dutyAlerts are the duty officer's immediate alert about a report that needs one (asb.ImmediateAlert), one
// request per channel: an email and a text, through the notifications queue and the notifier. They name the
// case, what makes it urgent, where and how it came in, and never the reporter or how to reach them: the duty
// officer opens the case (case_path) for that, and a text is read on a phone's lock screen.
func dutyAlerts(c asb.Case, got arrival, idBase string, duty DutyOfficer) ([]casework.Message, error) {
	alert := asb.ImmediateAlert(got.risk)
	if !alert.Needed {
		return nil, nil
	}
	label := c.Type
	if rule, ok := asb.TypeRuleOf(c.Type); ok {
		label = rule.Label
	}
	personalisation := map[string]string{
		"reference": c.Reference, "type": label, "risk_level": c.RiskLevel, "grounds": strings.Join(alert.Grounds, "; "),
		"location": got.location.Address + ", " + got.location.Postcode, "channel": got.channel,
		"received_at": got.at.In(workdays.London).Format("Mon 2 Jan 2006 15:04") + " (London time)",
		"case_path":   "/asb/cases/" + c.Reference,
	}
	var out []casework.Message
	for _, to := range []struct{ channel, email, phone string }{{"email", duty.Email, ""}, {"sms", "", duty.Phone}} {
		if to.email == "" && to.phone == "" {
			continue // not configured (tests): a deployment always gives both
		}
		req := notification.Request{
			ID: idBase + "#duty-alert#" + to.channel, Template: notification.ASBDutyAlert, CaseKind: casefile.ASB, CaseRef: c.Reference,
			To:              notification.Recipient{Role: notification.Duty, Email: to.email, Phone: to.phone, PreferredContact: to.channel},
			Personalisation: personalisation, RequestedAt: got.at,
		}
		m, err := req.Message()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// arrival is what the duty officer's alert says of the report itself: its risk answers, where, how and when.
type arrival struct {
	risk     asb.Risk
	location asb.Location
	channel  string
	at       time.Time
}
