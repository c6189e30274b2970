package complaints

import (
	"bytes"
	htmltemplate "html/template"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Letter is a letter to the resident, in plain language (text, and HTML for email), kept on the record (CH-9).
type Letter struct {
	Kind      string    `json:"kind" dynamodbav:"kind"` // LetterExtension, LetterResponse or LetterRefusal
	Stage     int       `json:"stage" dynamodbav:"stage"`
	Subject   string    `json:"subject" dynamodbav:"subject"`
	Text      string    `json:"text" dynamodbav:"text"`
	HTML      string    `json:"html" dynamodbav:"html"`
	CreatedAt time.Time `json:"createdAt" dynamodbav:"createdAt"`
}

// Letter kinds.
const (
	LetterExtension = "extension"
	LetterResponse  = "response"
	LetterRefusal   = "refusal"
)

// Ombudsman is the Housing Ombudsman Service's contact details, given with every extension (CH-4, CH-5),
// refusal (CH-2) and final response (CH-6).
var Ombudsman = []string{
	"Housing Ombudsman Service",
	"PO Box 152, Liverpool L33 7WQ",
	"Telephone: 0300 111 3000",
	"Email: info@housing-ombudsman.org.uk",
	"Website: www.housing-ombudsman.org.uk",
}

// letterData is what the templates read; paragraphs are plain strings, escaped in HTML.
type letterData struct {
	Reference  string
	Heading    string
	Paragraphs []string
	Lists      []namedList
	Ombudsman  []string
}

type namedList struct {
	Title string
	Items []string
}

// The letter templates are parsed when the first letter is written, not at package init.
var textLetter = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("text").Parse(`Complaint reference: {{.Reference}}

{{.Heading}}
{{range .Paragraphs}}
{{.}}
{{end}}{{range .Lists}}
{{.Title}}:
{{range .Items}}  - {{.}}
{{end}}{{end}}{{if .Ombudsman}}
{{range .Ombudsman}}{{.}}
{{end}}{{end}}`))
})

var htmlLetter = sync.OnceValue(func() *htmltemplate.Template {
	return htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html><html lang="en"><body>
<p>Complaint reference: <strong>{{.Reference}}</strong></p>
<h1>{{.Heading}}</h1>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{range .Lists}}<h2>{{.Title}}</h2><ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{if .Ombudsman}}<address>{{range .Ombudsman}}{{.}}<br>{{end}}</address>{{end}}
</body></html>`))
})

func render(kind string, stage int, subject string, d letterData, at time.Time) Letter {
	var text, html bytes.Buffer
	_ = textLetter().Execute(&text, d) // the templates and data types are fixed: execution cannot fail
	_ = htmlLetter().Execute(&html, d)
	return Letter{Kind: kind, Stage: stage, Subject: subject, Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String(), CreatedAt: at.UTC()}
}

func longDate(d workdays.Date) string { return d.StartOfDay().Format("Monday 2 January 2006") }

func itoa(n int) string { return strconv.Itoa(n) }

func extensionLetter(c Complaint, s Stage, at time.Time) Letter {
	e := s.Extension
	paragraphs := []string{
		"We are sorry, but we need more time to give you a full answer to your stage " + itoa(s.Number) + " complaint.",
		"Why we need more time: " + e.Reason,
	}
	if e.BeyondLimit() {
		paragraphs = append(paragraphs, "This is longer than the usual limit of "+itoa(extensionLimit(s.Number))+" working days because: "+e.GoodReason)
	}
	paragraphs = append(paragraphs,
		"We were due to reply by "+longDate(e.From)+". We will now reply by "+longDate(s.RespondBy)+".",
		"If you are unhappy about this delay, you can contact the Housing Ombudsman at any time:")
	d := letterData{Reference: c.Reference, Heading: "We need more time to answer your complaint", Paragraphs: paragraphs, Ombudsman: Ombudsman}
	return render(LetterExtension, s.Number, "Your complaint "+c.Reference+": we need more time", d, at)
}

var decisionWords = map[string]string{
	"upheld":        "We have upheld your complaint: we agree that we got things wrong.",
	"partly-upheld": "We have partly upheld your complaint: we agree that we got some things wrong.",
	"not-upheld":    "We have not upheld your complaint: we do not find that we got things wrong.",
}

// responseLetter holds all of CH-6 (source §6.9, §6.19): the stage, the complaint definition, the decision, the
// reasons, any remedy, any outstanding actions, and how to escalate (stage 2 after stage 1, with its deadline
// and no reason needed; the Ombudsman after stage 2). Points joined under CH-7 are listed as answered too.
func responseLetter(c Complaint, s Stage, at time.Time) Letter {
	remedies, actions := s.Remedies, s.OutstandingActions
	if len(remedies) == 0 {
		remedies = []string{"None offered."}
	}
	if len(actions) == 0 {
		actions = []string{"None: everything we agreed to do is done."}
	}
	stage := itoa(s.Number)
	opening := "This is our stage " + stage + " response."
	if s.Number == 2 {
		opening += " It is our final response."
	}
	d := letterData{Reference: c.Reference, Heading: "Our stage " + stage + " response to your complaint",
		Paragraphs: []string{
			opening,
			"What we understood your complaint to be: " + s.Definition,
			"The outcome you told us you wanted: " + s.OutcomesSought,
			"Our decision: " + decisionWords[s.Decision],
			"Our reasons: " + s.Reasons,
		},
	}
	if s.Number == 1 && len(c.RelatedPoints) > 0 {
		d.Lists = append(d.Lists, namedList{"Further points you raised, which this response also answers", relatedTexts(c.RelatedPoints)})
	}
	d.Lists = append(d.Lists, namedList{"What we will do to put things right", remedies}, namedList{"Actions still to be completed", actions})
	if s.Number == 1 {
		d.Paragraphs = append(d.Paragraphs, "If you are not happy with this response, you can ask us to look at your complaint again at stage 2. "+
			"You do not have to give a reason. Please ask within 20 working days, by "+longDate(workdays.DeadlineAfter(at, EscalationWindowDays))+
			", by replying to this letter or through your complaint's web page.")
	} else {
		d.Paragraphs = append(d.Paragraphs, "This ends our complaints procedure. If you are still unhappy, you can ask the Housing Ombudsman to review your complaint:")
		d.Ombudsman = Ombudsman
	}
	return render(LetterResponse, s.Number, "Your complaint "+c.Reference+": our stage "+stage+" response", d, at)
}

func relatedTexts(points []RelatedPoint) []string {
	texts := make([]string, len(points))
	for i, p := range points {
		texts[i] = p.Text
	}
	return texts
}

var exclusionWords = map[string]string{
	"older-than-12-months":  "the issue happened more than 12 months before you complained",
	"legal-proceedings":     "legal proceedings about this matter have started at court",
	"previously-considered": "we have already considered this matter under our complaints policy",
}

// refusalLetter explains the exclusion and the right to take the decision to the Ombudsman (CH-2, source §2.4).
func refusalLetter(c Complaint, at time.Time) Letter {
	what := "your complaint"
	if c.Refusal.Stage == 2 {
		what = "your request for a stage 2 review of your complaint"
	}
	d := letterData{Reference: c.Reference, Heading: "We cannot take your complaint forward",
		Paragraphs: []string{
			"We have decided not to consider " + what + " under our complaints policy because " + exclusionWords[c.Refusal.Exclusion] + ".",
			"Why: " + c.Refusal.Explanation,
			"If you disagree with this decision, you have the right to ask the Housing Ombudsman to look at it:",
		},
		Ombudsman: Ombudsman}
	return render(LetterRefusal, c.Refusal.Stage, "Your complaint "+c.Reference+": our decision not to take it forward", d, at)
}

// onTimeline is the letter as the timeline keeps it (CH-9: all correspondence, with who and when on the event).
func (l Letter) onTimeline() map[string]any {
	return map[string]any{"kind": l.Kind, "stage": l.Stage, "subject": l.Subject, "text": l.Text}
}
