package hostile_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/asbapi"
	"github.com/councilhousing/backend/shared/transport/complaintsapi"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
	"github.com/councilhousing/backend/shared/transport/registerapi"
	"github.com/councilhousing/backend/shared/transport/subjectaccessapi"
)

// The values of the hostile-input table, and what it reads from the contracts: each route's typed request and
// its JSON fields (by reflection), valid examples, and the hostile values by kind of field.

// contracts are every route's typed request and answer, by route key.
func contracts() map[string]httpapi.Contract {
	out := map[string]httpapi.Contract{}
	for _, list := range [][]httpapi.Contract{asbapi.Contracts(), asbapi.IntakeContracts(), complaintsapi.Contracts(), registerapi.Contracts(),
		notifyapi.Contracts(), subjectaccessapi.Contracts()} {
		for _, c := range list {
			out[c.Route] = c
		}
	}
	return out
}

// now is the pinned clock of the run (a Monday in term time, as the other end-to-end tests use).
const today = "2026-11-23"

// validBodies are a valid request of each route that takes a body; the hostile requests change one thing in a
// fresh copy. callID makes each out-of-hours call distinct.
func validBodies(callID string) map[string]map[string]any {
	reporter := func() map[string]any {
		return map[string]any{"name": "Alex Resident", "email": "alex@example.org", "phone": "07700 900123", "address": "Flat 2, 10 Example Road",
			"postcode": "NN1 1DE", "preferredContact": "email", "language": "en", "adjustments": "Large print"}
	}
	report := func() map[string]any {
		return map[string]any{
			"type": "noise", "description": "Very loud music from the flat above every night after midnight.",
			// an address of its own (from callID), so that each record is a case of its own, not a further report (ASB-9)
			"location": map[string]any{"address": "Flat 2, " + callID + " Example Road", "postcode": "NN1 1DE"}, "occurredAt": today + "T01:30:00Z",
			"ongoing": true, "anonymous": false, "reporter": reporter(),
			"risk": map[string]any{"vulnerable": false, "feelsUnsafe": false, "childAtRisk": false, "threats": false, "crimeInProgress": false},
		}
	}
	call := report()
	call["callId"], call["receivedAt"], call["operator"], call["advisedPolice"] = callID, today+"T09:40:00Z", "op-7", false
	call["occurredAt"] = today + "T09:30:00Z"
	// the address is the call id itself, which every probe replaces with its own: a call per problem (ASB-9)
	call["location"] = map[string]any{"address": callID, "postcode": "NN1 1DE"}
	logged := report()
	logged["channel"], logged["receivedAt"], logged["occurredAt"], logged["subject"] = "phone", today+"T09:00:00Z", today+"T08:30:00Z", "Jo Bloggs"
	checklist := map[string]any{"vulnerable": false, "threatsOrViolence": true, "feelsUnsafe": false, "childAtRisk": false, "immediateRiskOfHarm": false,
		"exploitation": false, "repeatVictim": true, "healthImpact": false, "hateMotivated": false, "childrenInHousehold": false, "languageSupport": false}
	return map[string]map[string]any{
		"POST /asb/reports":                                            report(),
		"POST /webhooks/out-of-hours":                                  call,
		"POST /asb/cases/{reference}/assignment":                       {"officer": "officer-sub-2"},
		"POST /asb/cases/{reference}/appointment":                      {"appointmentOn": "2026-11-25"},
		"POST /asb/cases/{reference}/risk-assessment":                  {"checklist": checklist, "level": "high", "nextReviewOn": "2026-11-30", "notes": "Met at home"},
		"POST /asb/cases/{reference}/actions":                          {"tool": "mediation", "description": "Offer mediation", "dueOn": "2026-12-04"},
		"POST /asb/cases/{reference}/contacts":                         {"method": "phone", "with": "reporter", "summary": "Agreed a visit"},
		"POST /asb/cases/{reference}/closure":                          {"outcome": "Mediation worked", "satisfaction": map[string]any{"handling": 5, "outcome": 4}},
		"POST /asb/cases/{reference}/reopening":                        {"reason": "A further report"},
		"POST /asb/cases":                                              logged,
		"POST /asb/cases/{reference}/merger":                           {"from": "ASB-0000-0000", "reason": "The same music from the same flat"},
		"POST /asb/cases/{reference}/incidents/{incidentId}/unlinking": {"reason": "A different flat's problem"},
		"POST /asb/cases/{reference}/reclassification":                 {"type": "verbal-abuse", "reason": "Threats were shouted with the music"},
		"POST /asb/reports/{reference}/case-review":                    {"reason": "Nothing has changed after three reports"},
		"POST /asb/cases/{reference}/case-review/outcome":              {"outcome": "recommendations", "findings": "Visits missed", "recommendations": []any{"Visit weekly"}},
		"POST /asb/cases/{reference}/action-plan/agreement":            {"summary": "A warning letter, then mediation"},
		"POST /asb/reports/{reference}/satisfaction":                   {"handling": 4, "outcome": 5, "comments": "Thank you"},
		"POST /asb/cases/{reference}/subjects":                         {"name": "Jo Bloggs", "postcode": "NN1 1DE", "description": "Plays loud music", "tenant": true},
		"POST /asb/cases/{reference}/witnesses":                        {"name": "Sam Neighbour", "contact": "07700 900456", "statement": "Heard it too", "willGiveEvidence": true},
		"POST /asb/cases/{reference}/evidence":                         {"kind": "noise-recording", "reference": "rec-0412.mp3", "description": "Two hours at 2am", "obtainedOn": today},
		"POST /asb/cases/{reference}/costs":                            {"category": "legal", "amountPence": 45000, "description": "Counsel's opinion", "incurredOn": today},
		"POST /asb/reports/{reference}/diary":                          {"occurredAt": today + "T01:30:00Z", "description": "Music again until 3am"},
		"POST /complaints/{reference}/acknowledgement": {"definition": "Missed boiler repairs", "outcomesSought": "Boiler fixed", "handler": "Alex Manager",
			"responsibleFor": []any{"Booking and attending repairs"}, "notResponsibleFor": []any{map[string]any{"aspect": "The gas supply", "whoIsResponsible": "The gas network"}}},
		"POST /complaints/{reference}/escalation-on-behalf": {"channel": "phone", "requestedOn": today, "note": "Still no heating"},
		"POST /complaints/{reference}/clarification":        {"question": "Which visit was missed first?"},
		"POST /complaints/{reference}/adjustments": {"agreed": []any{"Letters in large print"}, "disclosedDisabilities": "Partially sighted",
			"format": "large-print", "reviewOn": "2027-02-01"},
		"POST /complaints/{reference}/restriction": {"reasons": "Abusive calls to staff", "scope": "Email to one named officer",
			"equalityConsidered": "No disability disclosed", "reviewOn": "2027-02-01"},
		"POST /complaints/{reference}/clarification-answer":                  {"answer": "The one on 2 November"},
		"POST /complaints/{reference}/actions/{actionId}/completion":         {"note": "New boiler fitted"},
		"POST /complaints/{reference}/letters/{letterNumber}/sent-in-format": {"how": "Posted in large print"},
		// identifiers no other example uses, so an export holds the few records this run makes for them
		"POST /subject-access-requests": {"email": "sar.requester@example.org", "phone": "07700 900987", "receivedOn": today,
			"identityChecked": "Passport seen at the civic centre"},
		"POST /subject-access-requests/{reference}/completion": {"howSent": "Emailed as an encrypted PDF"},
		// erasure and rectification on the request: its requester has no records here, so nothing is erased (200, none)
		// and the record named is not theirs (422)
		"POST /subject-access-requests/{reference}/erasure":       {"grounds": "I no longer want the council to hold my data"},
		"POST /subject-access-requests/{reference}/rectification": {"record": "CMP-0000-0000", "field": "phone", "value": "07700 900988", "reason": "New number"},
		"POST /complaints/logged": {
			"description": "Phoned about the boiler: booked three times and nobody came.", "outcomesSought": "Fix the boiler",
			"serviceArea": "repairs", "issueDate": "2026-11-02", "legalProceedings": false, "channel": "representative", "receivedOn": "2026-11-20",
			"complainant":    map[string]any{"name": "Sam Example", "phone": "07700 900456", "preferredContact": "sms"},
			"representative": map[string]any{"name": "Pat Advocate", "email": "pat@example.org", "consent": true},
		},
		"POST /complaints/{reference}/extension":                  {"workingDays": 5, "reason": "We need a surveyor", "goodReasonForLonger": "The surveyor is away"},
		"POST /complaints/{reference}/refusal":                    {"exclusion": "legal-proceedings", "explanation": "The matter is before the court"},
		"POST /complaints/{reference}/service-request":            {"note": "Raised a repair for the boiler", "dueOn": "2026-12-04", "owner": "repairs-1"},
		"POST /complaints/{reference}/service-request/completion": {"outcome": "Boiler repaired"},
		"POST /complaints/{reference}/related-points":             {"points": "The windows were not fixed either", "unrelated": false, "wouldDelayResponse": false},
		"POST /complaints/{reference}/keep-informed": {"everyWorkingDays": 5, "agreedOn": today, "how": "A call from the handler",
			"progress": "The surveyor visits on Thursday"},
		"POST /reports/complaints/self-assessment": {"financialYear": 2026, "qualitativeAnalysis": "Most complaints were about repairs",
			"sections":              []any{map[string]any{"section": "6.3", "complies": "no", "evidence": "The policy gives 20 working days", "actions": "New policy in October"}},
			"ombudsmanFindings":     []any{map[string]any{"reference": "HOS-202612345", "decidedOn": "2026-10-01", "finding": "Delay at stage 1", "actionTaken": "Apology"}},
			"ombudsmanReports":      []any{map[string]any{"title": "Landlord performance report", "published": "2026-10-01", "summary": "Two findings"}},
			"governingBodyResponse": "Noted by the executive"},
		"POST /complaints": {
			"description": "My boiler repair was booked three times and nobody came.", "outcomesSought": "Fix the boiler and apologise",
			"serviceArea": "repairs", "issueDate": "2026-11-02", "legalProceedings": false,
			"complainant":    map[string]any{"name": "Sam Example", "email": "sam@example.org", "phone": "07700 900456", "preferredContact": "email", "language": "en"},
			"representative": map[string]any{"name": "Pat Advocate", "email": "pat@example.org", "consent": true},
		},
		"POST /complaints/{reference}/response": {"decision": "partly-upheld", "reasons": "Two visits were missed",
			"remedies":           []any{map[string]any{"description": "An apology", "dueOn": today, "done": true}},
			"outstandingActions": []any{map[string]any{"description": "Replace the boiler", "dueOn": "2026-12-18", "owner": "gas-team-1"}},
			"learning":           "Repair slots were double-booked", "serviceImprovement": "One booking system for all contractors"},
		"POST /register/eligibility": {"age": 34, "eligibleImmigrationStatus": true, "circumstances": []any{"urgent-welfare"},
			"unacceptableBehaviour": []any{}, "medicalOrWelfareNeed": true},
		"POST /register/applications": {
			"applicant": map[string]any{"name": "Jo Applicant", "dateOfBirth": "1990-05-01", "email": "jo@example.org", "phone": "07700 900789",
				"address": "1 Example Road", "postcode": "NN1 1DE", "preferredContact": "email", "language": "en"},
			"household": []any{map[string]any{"name": "Kim", "dateOfBirth": "2018-02-01", "relationship": "child"}},
			"age":       36, "eligibleImmigrationStatus": true, "circumstances": []any{"urgent-welfare", "sharing-facilities"}, "seekingWork": true,
			"medicalNeeds": []any{map[string]any{"grounds": "medical", "person": "Kim", "description": "Asthma made worse by damp"}},
			"housingDebt": map[string]any{"amount": 0, "weeklyRent": 100, "tenancyEndedOn": "2026-01-31",
				"repaymentPlan": map[string]any{"agreed": true, "kept": true}},
			"communityContribution": map[string]any{"residenceYears": 5, "positiveHistory": true, "volunteeringMonths": 12,
				"hoursPerMonth": 10, "notForProfit": true, "evidenceFromUnrelatedManager": true},
			"working": map[string]any{"hoursPerWeek": 20, "monthsInLastTwelve": 9, "contract": "permanent"},
		},
		"POST /register/applications/{reference}/circumstances": {"address": map[string]any{"address": "5 New Street", "postcode": "NN2 2BB"},
			"householdJoined": []any{map[string]any{"name": "Ash", "dateOfBirth": "2026-10-01", "relationship": "child"}},
			"householdLeft":   []any{"Kim"}, "circumstances": []any{"hhsrs-category-1"}, "circumstancesEnded": []any{"sharing-facilities"},
			"medicalNeeds": []any{map[string]any{"grounds": "welfare", "description": "Needs to be near carers"}}, "note": "We moved"},
		"POST /register/applications/{reference}/review-request": {"grounds": "The damage was done by a visitor", "channel": "written"},
		"POST /register/applications/{reference}/claims":         {"claim": "sharing-facilities", "verified": true, "note": "Licence agreement seen"},
		"POST /register/applications/{reference}/decisions": {"decision": "urgent-welfare", "applies": true, "decidedOn": "2026-11-20",
			"decidedBy": "The welfare panel", "note": "Welfare assessment of 20 November"},
		"POST /register/applications/{reference}/medical-award": {"severity": "severe", "grounds": "medical", "assessedOn": "2026-11-20",
			"recommendedPropertyType": "Ground floor"},
		"POST /register/applications/{reference}/debt": {"amount": "250.50", "weeklyRent": 100, "tenancyEndedOn": "2026-01-31",
			"repaymentPlan": map[string]any{"agreed": true, "kept": false}},
		"POST /register/applications/{reference}/unacceptable-behaviour": {"code": "nuisance", "applies": true, "evidence": "Noise abatement notice"},
		"POST /register/applications/{reference}/debt-exceptions":        {"code": "hate-crime-victim", "applies": true, "evidence": "Police crime number"},
		"POST /register/applications/{reference}/removal":                {"incidentOn": "2026-11-20", "evidence": "Threatened the housing officer"},
		"POST /register/applications/{reference}/closure":                {"reason": "housed", "note": "Tenancy signed", "property": "Flat 3, 4 New Road"},
		"POST /register/applications/{reference}/assignment":             {"officerId": "officer-sub-2", "officerName": "Sam Officer"},
		"POST /register/applications/{reference}/offers": {"offeredOn": "2026-11-16", "property": "Flat 2, 1 Example Road", "direct": true,
			"refused": true, "refusedOn": "2026-11-18", "reasonable": true, "statutoryReview": map[string]any{"requested": true, "outcome": "pending"}},
		"POST /register/applications/{reference}/statutory-review": {"offer": 1, "outcome": "unsuitable", "decidedOn": "2026-11-20",
			"note": "The flat is on the 9th floor"},
		"POST /register/applications/{reference}/review-decision": {"review": 1, "outcome": "overturned", "note": "The damage was a visitor's"},
		// GOV.UK Notify's delivery receipt, for a notification that is not ours (nothing is stored)
		notifyapi.Route: {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "ASB-0000-0000#received", "to": "alex@example.org",
			"status": "permanent-failure", "created_at": today + "T09:58:00.000000Z", "completed_at": today + "T09:59:30.000000Z",
			"sent_at": today + "T09:58:02.000000Z", "notification_type": "email", "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
			"template_version": 1, "provider_response": "Not delivered"},
	}
}

// generatedBody is a body for a route that has no hand-written example: every field given a plausible value
// of its type (it may well be refused, which still exercises the decoder).
func generatedBody(t reflect.Type) map[string]any {
	out := map[string]any{}
	for _, f := range fieldsOf(t) {
		out[f.name] = sample(f.typ, f.tag, 0)
	}
	return out
}

func sample(t reflect.Type, tag string, depth int) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case strings.Contains(tag, "date"):
		return today
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Bool:
		return false
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64:
		return 1
	case t.Kind() == reflect.Slice && depth < 3:
		return []any{sample(t.Elem(), "", depth+1)}
	case t.Kind() == reflect.Struct && depth < 3:
		m := map[string]any{}
		for _, f := range fieldsOf(t) {
			m[f.name] = sample(f.typ, f.tag, depth+1)
		}
		return m
	}
	return nil
}

// field is one JSON field of a request type.
type field struct {
	name string
	typ  reflect.Type
	tag  string // validate tag
}

// fieldsOf lists a struct's JSON fields as encoding/json sees them (embedded structs' fields are the outer's).
func fieldsOf(t reflect.Type) []field {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported() && !f.Anonymous:
			continue
		case f.Anonymous && name == "":
			out = append(out, fieldsOf(f.Type)...)
			continue
		case name == "":
			name = f.Name
		}
		out = append(out, field{name: name, typ: f.Type, tag: f.Tag.Get("validate")})
	}
	return out
}

// leaf is a field anywhere in a request, by its path (arrays of objects through their first element).
type leaf struct {
	path []string // JSON path; "0" is the first element of an array
	field
}

func (l leaf) String() string { return strings.Join(l.path, ".") }

// leaves lists every field of a request type, nested objects' fields included, to a few levels.
func leaves(t reflect.Type) []leaf {
	var out []leaf
	var walk func(t reflect.Type, prefix []string, depth int)
	walk = func(t reflect.Type, prefix []string, depth int) {
		for _, f := range fieldsOf(t) {
			path := append(slices.Clone(prefix), f.name)
			out = append(out, leaf{path: path, field: f})
			inner := deref(f.typ)
			if depth >= 3 {
				continue
			}
			switch {
			case inner.Kind() == reflect.Struct && !isScalar(inner):
				walk(inner, path, depth+1)
			case inner.Kind() == reflect.Slice && deref(inner.Elem()).Kind() == reflect.Struct:
				walk(deref(inner.Elem()), append(path, "0"), depth+1)
			}
		}
	}
	walk(t, nil, 0)
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// isScalar: types that read a JSON scalar themselves (a date type, time.Time) are not objects to walk into.
func isScalar(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[interface{ UnmarshalText([]byte) error }]())
}

// kind is what JSON a field takes.
type kind int

const (
	kString kind = iota
	kNumber
	kBool
	kObject
	kArray
	kOther
)

func kindOf(t reflect.Type) kind {
	t = deref(t)
	switch {
	case t.Name() == "Money": // a number or a decimal string of pounds
		return kNumber
	case isScalar(t) && t.Kind() == reflect.Struct:
		return kString
	}
	switch t.Kind() {
	case reflect.String:
		return kString
	case reflect.Bool:
		return kBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
		reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return kNumber
	case reflect.Struct, reflect.Map:
		return kObject
	case reflect.Slice, reflect.Array:
		return kArray
	}
	return kOther
}

// isDate says whether a string field holds a date or a time: its rules say so, or its name does.
func isDate(l leaf) bool {
	if kindOf(l.typ) != kString {
		return false
	}
	if strings.Contains(l.tag, "date") {
		return true
	}
	n := l.name
	return strings.HasSuffix(n, "On") || strings.HasSuffix(n, "At") || strings.HasSuffix(strings.ToLower(n), "date") || n == "dateOfBirth"
}

// isFormatted says whether a string field takes a value of a fixed form (a date, a code from a list, an email
// address, a phone number, a postcode) rather than free text.
func isFormatted(l leaf) bool {
	for _, rule := range []string{"oneof", "email", "postcode", "ukphone", "date"} {
		if strings.Contains(l.tag, rule) {
			return true
		}
	}
	return isDate(l)
}

// isDateTime: a date and time (RFC 3339) rather than a calendar date.
func isDateTime(l leaf) bool {
	return strings.Contains(l.tag, "datetime") || strings.HasSuffix(l.name, "At")
}

// placeholder marks where a hostile raw JSON value goes in a marshalled body.
const placeholder = "\u0001hostile-value\u0001"

// withValue marshals body with raw (any bytes, not necessarily valid JSON) at path.
func withValue(body map[string]any, path []string, raw []byte) []byte {
	b := deepCopy(body).(map[string]any)
	set(b, path, placeholder)
	return bytes.Replace(marshal(b), marshal(placeholder), raw, 1)
}

// without marshals body without the field at path.
func without(body map[string]any, path []string) []byte {
	b := deepCopy(body).(map[string]any)
	parent := ensure(b, path[:len(path)-1])
	delete(parent, path[len(path)-1])
	return marshal(b)
}

func set(body map[string]any, path []string, v any) {
	parent := ensure(body, path[:len(path)-1])
	parent[path[len(path)-1]] = v
}

// ensure walks to the object at path, creating objects (and one-element arrays for "0") that are missing.
func ensure(m map[string]any, path []string) map[string]any {
	for i := 0; i < len(path); i++ {
		if i+1 < len(path) && path[i+1] == "0" {
			arr, _ := m[path[i]].([]any)
			if len(arr) == 0 {
				arr = []any{map[string]any{}}
				m[path[i]] = arr
			}
			next, ok := arr[0].(map[string]any)
			if !ok {
				next = map[string]any{}
				arr[0] = next
			}
			m, i = next, i+1
			continue
		}
		next, ok := m[path[i]].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[path[i]] = next
		}
		m = next
	}
	return m
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// marshal is JSON without HTML escaping, so "<script>" arrives as typed.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func jsonString(s string) []byte { return marshal(s) }

// value is a named hostile value: its raw JSON and, when it must be refused, strict.
type value struct {
	label  string
	raw    []byte
	strict bool // must answer 4xx (never 2xx)
}

func str(label, s string, strict bool) value {
	return value{label: label, raw: jsonString(s), strict: strict}
}
func raw(label, s string, strict bool) value {
	return value{label: label, raw: []byte(s), strict: strict}
}

// The value sets.
var (
	// wrongTypes for a field of each kind (values of the field's own kind are left out).
	wrongTypes = map[kind][]value{}
	allTypes   = []struct {
		k kind
		v value
	}{
		{kNumber, raw("number", "12345", true)}, {kNumber, raw("fraction", "-1.5", true)}, {kString, raw("string", `"text"`, true)},
		{kBool, raw("bool", "true", true)}, {kArray, raw("empty-array", "[]", true)}, {kArray, raw("array", `[1,"a",null]`, true)},
		{kObject, raw("empty-object", "{}", true)}, {kObject, raw("object", `{"$ne":null}`, true)},
	}

	// the first five are what a field of a fixed form is sent (see isFormatted); free text is sent them all
	unicodeValues = []value{
		str("nul", "a\u0000b", false),
		str("rtl-override", "\u202eAlex\u202c gnp.exe", false),
		str("emoji", "😀🏠👨‍👩‍👧‍👦🏳️‍🌈", false),
		raw("invalid-utf8", "\"\xff\xfe\xfd\"", false),
		str("spaces-only", " \t\u00a0\u3000 ", false),
		str("only-nul", "\u0000", false),
		raw("lone-surrogate", `"\ud800 and \udfff"`, false),
		raw("overlong-utf8", "\"\xc0\xaf\xe0\x80\xaf\"", false),
		str("combining", "e"+strings.Repeat("\u0301", 500), false),
		str("zero-width", "\u200b\u200c\u200d\ufeff", false),
		str("line-separator", "a\u2028b\u2029c\r\n", false),
	}

	// the first four are what a field of a fixed form is sent
	injectionValues = []value{
		str("sql", `' OR '1'='1'; DROP TABLE cases; --`, false),
		str("dynamo-expression", `#pk = :v OR attribute_exists(sk) AND begins_with(pk, :p)`, false),
		str("html", `<script>alert(document.cookie)</script><img src=x onerror=alert(1)>`, false),
		str("crlf", "name\r\nX-Injected: yes\r\n\r\n<html>", false),
		str("dynamo-key", `ASB#ASB-0000-0000`, false),
		str("nosql-operator", `{"$gt": ""}`, false),
		str("path-traversal", `../../../../etc/passwd%00.json`, false),
		str("format-string", `%s%s%s%n%x%d%v%!`, false),
		str("template", `{{7*7}} ${7*7} ${jndi:ldap://example.org/a}`, false),
		str("json-in-string", `{"reference":"ASB-0000","status":"closed"}`, false),
	}

	absurdNumbers = []value{
		raw("1e308", "1e308", true), raw("-1e308", "-1e308", true), raw("1e400", "1e400", true),
		raw("9999999999999999999", "9999999999999999999", true), raw("-9999999999999999999", "-9999999999999999999", true),
		raw("-0", "-0", false), raw("0.1e-400", "0.1e-400", false), raw("2^63", "9223372036854775808", true),
		raw("negative", "-1", false), raw("exponent", "1e2", false), raw("fraction", "0.001", false),
	}

	// absurd dates: all must be refused where a date is read.
	absurdDates = []value{
		str("year-1", "0001-01-01", true), str("year-9999", "9999-12-31", true), str("not-a-leap-day", "1900-02-29", true),
		str("month-13", "2026-13-45", true), str("yesterday", "yesterday", true), str("year-0", "0000-00-00", true),
		str("negative-year", "-2026-01-01", true), str("day-32", "2026-01-32", true), str("slashes", "23/11/2026", true),
	}
	absurdDateTimes = []value{
		str("year-1", "0001-01-01T00:00:00Z", true), str("year-9999", "9999-12-31T23:59:59Z", true),
		str("hour-25", today+"T25:61:61Z", true), str("epoch", "1970-01-01T00:00:00Z", true), str("yesterday", "yesterday", true),
		str("date-only", today, true), str("far-offset", "2126-11-23T10:00:00+14:00", true),
	}
)

func init() {
	for _, k := range []kind{kString, kNumber, kBool, kObject, kArray} {
		for _, t := range allTypes {
			if t.k != k {
				wrongTypes[k] = append(wrongTypes[k], t.v)
			}
		}
	}
}

// malformed bodies: none is a JSON object, so every one is refused.
var malformed = []struct {
	label string
	body  string
}{
	{"empty", ""}, {"whitespace", " \n\t "}, {"truncated", `{"type": "noi`}, {"open-brace", "{"},
	{"trailing-garbage", `{} garbage`}, {"two-objects", `{}{}`}, {"trailing-comma", `{"a": 1,}`},
	{"single-quotes", `{'type': 'noise'}`}, {"comment", `{/* hi */}`}, {"nan", `{"a": NaN}`},
	{"array", `[]`}, {"array-of-objects", `[{}, {}]`}, {"string", `"hello"`}, {"number", `42`}, {"null", `null`}, {"true", `true`},
	{"bom", "\ufeff{}"}, {"utf16", "\xff\xfe{\x00}\x00"}, {"nul-byte", "{\x00}"}, {"unquoted-key", `{type: 1}`},
	{"unterminated-string", `{"a": "b`}, {"bad-escape", `{"a": "\x"}`}, {"control-char", "{\"a\": \"\x01\"}"},
}

// deepNesting is n levels of open then close.
func deepNesting(open, close string, n int, inner string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// queryParam is a query parameter of a route (openapi.yaml).
type queryParam struct {
	Name     string
	Required bool
	Enum     []string
}

// validQuery is a valid value for the query parameters the routes have.
var validQuery = map[string]string{"month": "2026-11", "year": "2026", "band": "A", "limit": "1", "overdue": "false"}

// queryValues are hostile values of a declared query parameter: any non-5xx answer.
var queryValues = []value{
	str("long", strings.Repeat("q", 2000), false), str("injection", "' OR 1=1 --", false), str("expression", "#pk = :v", false),
	str("nul", "a\x00b", false), str("emoji", "😀", false), str("rtl", "\u202e", false), str("huge-number", "99999999999999999999999", false),
	str("negative", "-1", false), str("exponent", "1e308", false), str("year-1", "0001-01", false), str("year-9999", "9999-12", false),
	str("empty", "", false), str("array-syntax", "[]", false), str("json", `{"a":1}`, false),
}

// pathValues are hostile values of a path parameter, raw (already escaped for the URL): every one names no
// record, so the answer is 404.
var pathValues = []struct {
	label, raw string
}{
	{"unknown", "ASB-0000-0000"}, {"lowercase", "asb-0000-0000"}, {"long", strings.Repeat("A", 5000)},
	{"traversal-encoded", "..%2F..%2Fetc%2Fpasswd"}, {"dot-dot", ".."}, {"nul", "ASB%00"}, {"emoji", "%F0%9F%98%80"},
	{"rtl", "%E2%80%AEASB"}, {"sql", "%27%20OR%20%271%27%3D%271"}, {"dynamo-key", "ASB%23ASB-0000"}, {"space", "%20"},
	{"percent", "%25"}, {"crlf", "%0D%0AX-Injected:%201"}, {"invalid-utf8", "%FF%FE"}, {"expression", "%23pk%20%3D%20%3Av"},
}

// tamperedTokens are pagination tokens nobody was given: all 400.
func tamperedTokens(real string) []value {
	out := []value{
		str("garbage", "!!!not-a-token!!!", true),
		str("unsigned-key", base64.StdEncoding.EncodeToString([]byte(`{"pk":{"S":"ASB#x"},"sk":{"S":"CASE"}}`)), true),
		str("unsigned-key-url", base64.RawURLEncoding.EncodeToString([]byte(`{"pk":"OUTBOX","sk":"x"}`)), true),
		str("long", strings.Repeat("A", 2040), true),
		str("json", `{"pk":"x"}`, true),
	}
	if real != "" {
		flipped := []byte(real)
		i := len(flipped) / 2
		if flipped[i] == 'A' {
			flipped[i] = 'B'
		} else {
			flipped[i] = 'A'
		}
		out = append(out, str("flipped", string(flipped), true), str("truncated", real[:len(real)-4], true),
			str("extended", real+"AAAA", true), str("doubled", real+real, true))
	}
	return out
}

// pathOf fills a route's path parameters (values are already escaped for a URL).
func pathOf(route catalog.Route, params map[string]string) string {
	p := route.Path
	for name, v := range params {
		p = strings.ReplaceAll(p, "{"+name+"}", v)
	}
	return p
}

func escape(s string) string { return url.PathEscape(s) }
