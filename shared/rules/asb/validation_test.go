package asb

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Every problem is listed at once, by JSON path.
func TestValidate_ListsEveryField(t *testing.T) {
	r := Report{Type: "shouting", Location: Location{Postcode: "NOT A POSTCODE"}, OccurredAt: "2026-11-23T12:00:00Z",
		Reporter: &Reporter{Email: "not-an-email", Phone: "12", PreferredContact: "pigeon", Language: strings.Repeat("x", 36)}}
	wantFields(t, r.Validate(mondayMorning), "type", "description", "location.address", "location.postcode", "occurredAt",
		"reporter.name", "reporter.email", "reporter.phone", "reporter.preferredContact", "reporter.language")
}

func TestValidate_Report(t *testing.T) {
	cases := []struct {
		name   string
		change func(r *Report)
		fields []string
	}{
		{"valid", func(r *Report) {}, nil},
		{"phone only, no preference", func(r *Report) { r.Reporter = &Reporter{Name: "x", Phone: "07700 900123"} }, nil},
		{"no preference with email", func(r *Report) { r.Reporter.PreferredContact = "" }, nil},
		{"letter with an address and an email", func(r *Report) { r.Reporter.PreferredContact, r.Reporter.Address = "letter", "2 High St, NN1 1AA" }, nil},
		{"occurred a minute after receipt (clock skew)", func(r *Report) { r.OccurredAt = "2026-11-23T10:01:00Z" }, nil},
		{"occurred earlier", func(r *Report) { r.OccurredAt = "2026-11-20T22:15:00+00:00" }, nil},
		{"unknown type", func(r *Report) { r.Type = "shouting" }, []string{"type"}},
		{"missing type", func(r *Report) { r.Type = "" }, []string{"type"}},
		{"blank description", func(r *Report) { r.Description = "   " }, []string{"description"}},
		{"description too long", func(r *Report) { r.Description = strings.Repeat("a", 5001) }, []string{"description"}},
		{"description at the limit", func(r *Report) { r.Description = strings.Repeat("a", 5000) }, nil},
		{"malformed occurredAt", func(r *Report) { r.OccurredAt = "23/11/2026" }, []string{"occurredAt"}},
		{"occurredAt in the future", func(r *Report) { r.OccurredAt = "2026-11-23T11:00:00Z" }, []string{"occurredAt"}},
		{"malformed postcode", func(r *Report) { r.Location.Postcode = "12345" }, []string{"location.postcode"}},
		{"reporter missing", func(r *Report) { r.Reporter = nil }, []string{"reporter"}},
		{"no email or phone", func(r *Report) { r.Reporter = &Reporter{Name: "x"} }, []string{"reporter"}},
		{"malformed email", func(r *Report) { r.Reporter.Email = "a@" }, []string{"reporter.email"}},
		{"malformed phone", func(r *Report) { r.Reporter.Phone = "555-1234" }, []string{"reporter.phone"}},
		{"prefers email, gives a phone", func(r *Report) { r.Reporter = &Reporter{Name: "x", Phone: "07700 900123", PreferredContact: "email"} }, []string{"reporter.email"}},
		{"prefers sms, gives an email", func(r *Report) { r.Reporter.PreferredContact = "sms" }, []string{"reporter.phone"}},
		{"prefers phone, gives an email", func(r *Report) { r.Reporter.PreferredContact = "phone" }, []string{"reporter.phone"}},
		{"prefers letter, no address", func(r *Report) { r.Reporter.PreferredContact = "letter" }, []string{"reporter.address"}},
		{"prefers letter, no email or phone", func(r *Report) { r.Reporter = &Reporter{Name: "x", PreferredContact: "letter", Address: "2 High St"} }, []string{"reporter"}},
		{"unknown preference", func(r *Report) { r.Reporter.PreferredContact = "pigeon" }, []string{"reporter.preferredContact"}},
		{"name missing", func(r *Report) { r.Reporter.Name = "" }, []string{"reporter.name"}},
		{"adjustments too long", func(r *Report) { r.Reporter.Adjustments = strings.Repeat("a", 1001) }, []string{"reporter.adjustments"}},
		{"anonymous", func(r *Report) { r.Anonymous, r.Reporter = true, nil }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := report("noise")
			c.change(&r)
			wantFields(t, r.Validate(mondayMorning), c.fields...)
		})
	}
}

// ASB-2: an anonymous report stores no contact data. Contact details sent with one are neither checked nor
// kept: Anonymise drops them (the HTTP contract since commit dcde689).
func TestASB2_AnonymousReportKeepsNoContact(t *testing.T) {
	r := report("noise")
	r.Anonymous = true
	r.Reporter = &Reporter{Email: "not-an-email"}
	if err := r.Validate(mondayMorning); err != nil {
		t.Fatalf("anonymous report refused: %v", err)
	}
	if !r.Anonymise() || r.Reporter != nil || r.Anonymise() {
		t.Fatal("contact details were not dropped exactly once")
	}
	named := report("noise")
	if named.Anonymise() || named.Reporter == nil {
		t.Fatal("a named report lost its reporter")
	}
}

// ASB-10: the out-of-hours call is the report's fields plus the call's, flat in one JSON object.
func TestValidate_OutOfHoursCall(t *testing.T) {
	body := `{"type":"noise","description":"Party","location":{"address":"1 High St","postcode":"NN1 1DE"},"anonymous":true,
		"callId":"OOH-9","receivedAt":"2026-11-20T22:40:00Z","operator":"op-7","advisedPolice":true}`
	var call Call
	if err := json.Unmarshal([]byte(body), &call); err != nil {
		t.Fatal(err)
	}
	if call.Type != "noise" || call.CallID != "OOH-9" || !call.AdvisedPolice || call.ReceivedTime() != at("2026-11-20T22:40:00Z") {
		t.Fatalf("decoded %+v", call)
	}
	now := at("2026-11-20T22:41:00Z")
	if err := call.Validate(now); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(c *Call)
		fields []string
	}{
		{"nothing of the call", func(c *Call) { c.CallID, c.ReceivedAt, c.Operator = "", "", "" }, []string{"callId", "receivedAt", "operator"}},
		{"malformed receivedAt", func(c *Call) { c.ReceivedAt = "yesterday" }, []string{"receivedAt"}},
		{"receivedAt in the future", func(c *Call) { c.ReceivedAt = "2026-11-20T23:00:00Z" }, []string{"receivedAt"}},
		{"callId too long", func(c *Call) { c.CallID = strings.Repeat("x", 101) }, []string{"callId"}},
		// as on every validated text field (found by the hostile-input table: the webhook queued such calls)
		{"callId and operator of only spaces", func(c *Call) { c.CallID, c.Operator = " \t ", "\u00a0\u3000" }, []string{"callId", "operator"}},
		{"occurred after the call", func(c *Call) { c.OccurredAt = "2026-11-20T22:50:00Z" }, []string{"occurredAt"}},
		{"ASB-10: a call from year 1 is not an out-of-hours call", func(c *Call) { c.ReceivedAt = "0001-01-01T00:00:00Z" }, []string{"receivedAt"}},
		{"ASB-10: a call from 1900", func(c *Call) { c.ReceivedAt = "1900-06-01T22:00:00Z" }, []string{"receivedAt"}},
		{"ASB-10: a call over a week old", func(c *Call) { c.ReceivedAt = "2026-11-13T22:40:00Z" }, []string{"receivedAt"}},
		{"an incident over 2 years before the call", func(c *Call) { c.OccurredAt = "2024-11-20T22:00:00Z" }, []string{"occurredAt"}},
		{"report fields too", func(c *Call) { c.Type, c.Location.Postcode = "", "x" }, []string{"type", "location.postcode"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := call
			c.change(&bad)
			wantFields(t, bad.Validate(now), c.fields...)
		})
	}
}

// ASB-10, nothing lost: a call the webhook accepts at the very edge of the 7-day window is still valid when
// ooh-processor checks it as of SQS's SentTimestamp, a little later (it would otherwise go to the DLQ).
func TestASB10_AQueuedCallAcceptedAtTheEdgeIsStillValid(t *testing.T) {
	body := `{"type":"noise","description":"Party","location":{"address":"1 High St","postcode":"NN1 1DE"},"anonymous":true,
		"callId":"OOH-9","receivedAt":"2026-11-13T22:45:00Z","operator":"op-7"}`
	var call Call
	if err := json.Unmarshal([]byte(body), &call); err != nil {
		t.Fatal(err)
	}
	arrived := at("2026-11-20T22:45:00Z") // exactly MaxCallAge after the call
	if err := call.Validate(arrived); err != nil {
		t.Fatal(err)
	}
	if err := call.ValidateQueued(arrived.Add(time.Second)); err != nil {
		t.Fatalf("refused when processed a second later: %v", err)
	}
	wantFields(t, call.ValidateQueued(arrived.Add(QueueAllowance+time.Second)), "receivedAt")
	wantFields(t, call.Validate(arrived.Add(time.Second)), "receivedAt")
}
