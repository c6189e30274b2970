package complaints

import (
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/htmltext"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Letter is a letter to the resident, in plain language (text, and HTML for email), kept on the record (CH-9).
type Letter struct {
	Kind      string    `json:"kind" dynamodbav:"kind"` // one of the Letter... kinds
	Stage     int       `json:"stage" dynamodbav:"stage"`
	Subject   string    `json:"subject" dynamodbav:"subject"`
	Text      string    `json:"text" dynamodbav:"text"`
	HTML      string    `json:"html" dynamodbav:"html"`
	CreatedAt time.Time `json:"createdAt" dynamodbav:"createdAt"`
	// Format is the alternative format the letter is owed in (source 004 §5.10: an adjustment agreed when it was
	// written), which the handler sends; FormatSent records that they did (formats.go).
	Format     string      `json:"format,omitempty" dynamodbav:"format,omitempty"`
	FormatSent *FormatSent `json:"formatSent,omitempty" dynamodbav:"formatSent,omitempty"`
}

// Letter kinds.
const (
	LetterAcknowledgement = "acknowledgement" // a stage acknowledged and defined (source §5.6, §5.7)
	LetterClarification   = "clarification"   // a question to the resident (source §5.6)
	LetterExtension       = "extension"
	LetterResponse        = "response"
	LetterRefusal         = "refusal"
	LetterUpdate          = "update"        // a remedy or action completed (source §6.6, §7.3)
	LetterKeepInformed    = "keep-informed" // intervals agreed for keeping the resident informed, and progress (source §5.9)
)

// Ombudsman is the Housing Ombudsman Service's contact details, given with every acknowledgement (source §3.7),
// extension (CH-4, CH-5), refusal (CH-2) and final response (CH-6).
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
	Blocks     []block // contact details: how to reach us, the Ombudsman
}

type namedList struct {
	Title string
	Items []string
}

// block is a paragraph followed by address lines (none when there are no details to give).
type block struct {
	Intro string
	Lines []string
}

// render writes the letter as text and as HTML. It builds both with a strings.Builder rather than text/template
// and html/template: a function that executes a template keeps every exported method of every type it links
// (templates call methods by name), which made the functions that write letters 40% larger and slower to start
// (issue 10). letters_test.go checks the output against the templates this replaced.
func render(kind string, stage int, subject string, d letterData, at time.Time) Letter {
	return Letter{Kind: kind, Stage: stage, Subject: subject, Text: strings.TrimSpace(d.text()) + "\n", HTML: d.html(), CreatedAt: at.UTC()}
}

func (d letterData) text() string {
	var b strings.Builder
	b.WriteString("Complaint reference: " + d.Reference + "\n\n" + d.Heading + "\n")
	for _, p := range d.Paragraphs {
		b.WriteString("\n" + p + "\n")
	}
	for _, l := range d.Lists {
		b.WriteString("\n" + l.Title + ":\n")
		for _, item := range l.Items {
			b.WriteString("  - " + item + "\n")
		}
	}
	for _, bl := range d.Blocks {
		b.WriteString("\n" + bl.Intro + "\n")
		for _, line := range bl.Lines {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func (d letterData) html() string {
	var b strings.Builder
	b.WriteString("<!doctype html><html lang=\"en\"><body>\n<p>Complaint reference: <strong>" + htmltext.Escape(d.Reference) + "</strong></p>\n<h1>" +
		htmltext.Escape(d.Heading) + "</h1>\n")
	for _, p := range d.Paragraphs {
		b.WriteString("<p>" + htmltext.Escape(p) + "</p>\n")
	}
	for _, l := range d.Lists {
		b.WriteString("<h2>" + htmltext.Escape(l.Title) + "</h2><ul>")
		for _, item := range l.Items {
			b.WriteString("<li>" + htmltext.Escape(item) + "</li>")
		}
		b.WriteString("</ul>\n")
	}
	for _, bl := range d.Blocks {
		b.WriteString("<p>" + htmltext.Escape(bl.Intro) + "</p>")
		if len(bl.Lines) > 0 {
			b.WriteString("<address>")
			for _, line := range bl.Lines {
				b.WriteString(htmltext.Escape(line) + "<br>")
			}
			b.WriteString("</address>")
		}
		b.WriteString("\n")
	}
	b.WriteString("</body></html>")
	return b.String()
}

func longDate(d workdays.Date) string { return d.StartOfDay().Format("Monday 2 January 2006") }

func itoa(n int) string { return strconv.Itoa(n) }

// us is the block with the landlord's contact details, introduced by what they are for ("To ask", ...).
func us(l Landlord, what string) block {
	return block{Intro: l.howToReachUs(what), Lines: l.contactLines()}
}

func ombudsman(intro string) block { return block{Intro: intro, Lines: Ombudsman} }

// channelWords says how a complaint reached us, for "We received your complaint on ... <words>".
var channelWords = map[string]string{
	ChannelOnline: "through our online form", ChannelPhone: "by phone", ChannelLetter: "by letter", ChannelEmail: "by email",
	ChannelInPerson: "in person", ChannelCouncillor: "through your councillor", ChannelRepresentative: "from your representative",
}

// acknowledgementLetter confirms a stage is logged (CH-4, CH-5) with the complaint definition (source §5.6), what
// we are and are not responsible for (source §5.7), who handles it, when the response is due, how to tell us we
// misunderstood, and the Ombudsman's details from the outset (source §3.7). At stage 2 it lists what is still
// open from stage 1 (CH-8).
func acknowledgementLetter(c Complaint, s Stage, from Landlord, at time.Time) Letter {
	received := "We received your complaint on " + longDate(workdays.DateOf(s.OpenedAt))
	if w := channelWords[s.Channel]; w != "" {
		received += " " + w
	}
	var heading, opening, due string
	if s.Number == 1 {
		heading = "We have received your complaint"
		opening = received + ". Thank you for telling us. This letter sets out how we understand your complaint and when you will have our response. This is stage 1 of our two-stage complaints procedure."
		due = "We will send you our full response by " + longDate(s.RespondBy) + ", within " + itoa(Stage1ResponseDays) + " working days of this letter."
	} else {
		heading = "We will look at your complaint again (stage 2)"
		opening = "You asked us on " + longDate(workdays.DateOf(s.OpenedAt)) + " to look at your complaint again. You did not need to give a reason. " +
			"This is stage 2, the last stage of our complaints procedure: someone who did not deal with stage 1 will review it."
		due = "We will send you our final response by " + longDate(s.RespondBy) + ", within " + itoa(Stage2ResponseDays) + " working days of this letter."
	}
	ours := s.ResponsibleFor
	if len(ours) == 0 {
		ours = []string{"All of your complaint as set out above."}
	}
	d := letterData{Reference: c.Reference, Heading: heading,
		Paragraphs: []string{
			opening,
			"What we understand your complaint to be: " + s.Definition,
			"The outcome you are looking for: " + s.OutcomesSought,
			s.Handler + " is handling your complaint.",
			due + " If we need longer, we will write to tell you why and when you will hear from us.",
		},
		Lists: []namedList{{"What we are responsible for", ours}},
	}
	if len(s.NotResponsibleFor) > 0 {
		lines := make([]string, len(s.NotResponsibleFor))
		for i, a := range s.NotResponsibleFor {
			lines[i] = a.Aspect + ": " + a.WhoIsResponsible + " is responsible for this, and you can contact them about it."
		}
		d.Lists = append(d.Lists, namedList{"What we are not responsible for, and who is", lines})
	}
	if a := c.Adjustments; a != nil && len(a.Agreed) > 0 {
		d.Lists = append(d.Lists, namedList{"What we have agreed to make this easier for you", a.Agreed})
	}
	if s.Number == 2 {
		if open := openFrom(c, 1); len(open) > 0 {
			d.Lists = append(d.Lists, namedList{"What we agreed at stage 1 and have not yet done", itemLines(open)})
		}
	}
	d.Blocks = []block{
		us(from, "If we have misunderstood your complaint or the outcome you want, or anything here is unclear, please tell us as soon as you can. To tell us, or for anything else about your complaint"),
		ombudsman("You can contact the Housing Ombudsman at any time for advice about your complaint:"),
	}
	return render(LetterAcknowledgement, s.Number, "Your complaint "+c.Reference+": we have logged it at stage "+itoa(s.Number), d, at)
}

// openFrom are the open items set at stage.
func openFrom(c Complaint, stage int) []Item {
	var out []Item
	for _, it := range c.OpenItems() {
		if it.Stage == stage {
			out = append(out, it)
		}
	}
	return out
}

// clarificationLetter asks the resident a question about their complaint (source §5.6); the timescales run on.
func clarificationLetter(c Complaint, q Clarification, from Landlord, at time.Time) Letter {
	s := c.Current()
	due := "We will still acknowledge your complaint by " + longDate(s.AcknowledgeBy) + "."
	if !s.RespondBy.IsZero() {
		due = "We will still send you our response by " + longDate(s.RespondBy) + "."
	}
	d := letterData{Reference: c.Reference, Heading: "We need to check something about your complaint",
		Paragraphs: []string{
			"To make sure we understand your stage " + itoa(q.Stage) + " complaint correctly, please tell us:",
			q.Question,
			"Please reply as soon as you can, so that our answer covers everything you want us to look at. " + due,
		},
		Blocks: []block{us(from, "To reply")},
	}
	return render(LetterClarification, q.Stage, "Your complaint "+c.Reference+": a question for you", d, at)
}

func extensionLetter(c Complaint, s Stage, from Landlord, at time.Time) Letter {
	e := s.Extension
	paragraphs := []string{
		"We are sorry, but we need more time to give you a full answer to your stage " + itoa(s.Number) + " complaint.",
		"Why we need more time: " + e.Reason,
	}
	if e.BeyondLimit() {
		paragraphs = append(paragraphs, "This is longer than the usual limit of "+itoa(extensionLimit(s.Number))+" working days because: "+e.GoodReason)
	}
	paragraphs = append(paragraphs, "We were due to reply by "+longDate(e.From)+". We will now reply by "+longDate(s.RespondBy)+".")
	if p := s.UpdatePlan; p != nil { // source 004 §5.9
		paragraphs = append(paragraphs, "As we agreed with you on "+longDate(p.AgreedOn)+", we will update you at least every "+itoa(p.EveryWorkingDays)+
			" working days until then. Your first update will be by "+longDate(p.NextUpdateBy)+".")
	}
	d := letterData{Reference: c.Reference, Heading: "We need more time to answer your complaint", Paragraphs: paragraphs,
		Blocks: []block{us(from, "If you have questions about this"), ombudsman("If you are unhappy about this delay, you can contact the Housing Ombudsman at any time:")}}
	return render(LetterExtension, s.Number, "Your complaint "+c.Reference+": we need more time", d, at)
}

var decisionWords = map[string]string{
	"upheld":        "We have upheld your complaint: we agree that we got things wrong.",
	"partly-upheld": "We have partly upheld your complaint: we agree that we got some things wrong.",
	"not-upheld":    "We have not upheld your complaint: we do not find that we got things wrong.",
}

// responseLetter holds all of CH-6 (source §6.9, §6.19): the stage, the complaint definition, the decision, the
// reasons, any remedy (what and by when, source §7.3), any outstanding actions, and how to escalate (stage 2 after
// stage 1, with its deadline and no reason needed, by the landlord's contact details; the Ombudsman after stage
// 2). Points joined under CH-7 are listed as answered too. It says everything is done only when nothing the
// complaint tracks is open; the final response lists what is still open from stage 1 (CH-8).
func responseLetter(c Complaint, s Stage, remedies, actions []Item, from Landlord, at time.Time) Letter {
	remedyLines, actionLines := itemLines(remedies), itemLines(actions)
	if len(remedyLines) == 0 {
		remedyLines = []string{"None offered."}
	}
	earlier := []Item{}
	if s.Number == 2 {
		earlier = openFrom(c, 1)
	}
	if len(actionLines) == 0 {
		switch {
		case len(c.OpenItems()) == 0:
			actionLines = []string{"None: everything we agreed to do is done."}
		default:
			actionLines = []string{"None new: what we have still to do is listed in this letter, with its date."}
		}
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
	d.Lists = append(d.Lists, namedList{"What we will do to put things right", remedyLines}, namedList{"Actions still to be completed", actionLines})
	if len(earlier) > 0 {
		d.Lists = append(d.Lists, namedList{"Still to be done from our stage 1 response", itemLines(earlier)})
	}
	if len(c.OpenItems()) > 0 {
		d.Paragraphs = append(d.Paragraphs, "Below is what we will do, with the date for each. We will write to you as each thing still to be done is done.")
	}
	if s.Number == 1 {
		d.Paragraphs = append(d.Paragraphs, "If you are not happy with this response, you can ask us to look at your complaint again at stage 2. "+
			"You do not have to give a reason. Please ask within 20 working days, by "+longDate(workdays.DeadlineAfter(at, EscalationWindowDays))+".")
		d.Blocks = []block{us(from, "To ask, or if you have questions about this response")}
	} else {
		d.Blocks = []block{us(from, "If you have questions about this response"),
			ombudsman("This ends our complaints procedure. If you are still unhappy, you can ask the Housing Ombudsman to review your complaint:")}
	}
	return render(LetterResponse, s.Number, "Your complaint "+c.Reference+": our stage "+stage+" response", d, at)
}

// itemLetter tells the resident that a remedy or action is done, and what is still open (source §6.6, §7.3).
func itemLetter(c Complaint, it Item, from Landlord, at time.Time) Letter {
	what := "something we agreed to do"
	if it.Kind == ItemRemedy {
		what = "something we offered to put things right"
	}
	d := letterData{Reference: c.Reference, Heading: "An update on your complaint",
		Paragraphs: []string{"We have done " + what + ": " + it.Description + " (done " + longDate(workdays.DateOf(*it.CompletedAt)) + ")."}}
	if it.Note != "" {
		d.Paragraphs = append(d.Paragraphs, "What we did: "+it.Note)
	}
	if open := c.OpenItems(); len(open) > 0 {
		d.Lists = []namedList{{"Still to be done", itemLines(open)}}
	} else {
		d.Paragraphs = append(d.Paragraphs, "Everything we agreed to do about your complaint is now done.")
	}
	d.Blocks = []block{us(from, "If anything is not as we describe, or you have questions")}
	return render(LetterUpdate, it.Stage, "Your complaint "+c.Reference+": an update", d, at)
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
func refusalLetter(c Complaint, from Landlord, at time.Time) Letter {
	what := "your complaint"
	if c.Refusal.Stage == 2 {
		what = "your request for a stage 2 review of your complaint"
	}
	d := letterData{Reference: c.Reference, Heading: "We cannot take your complaint forward",
		Paragraphs: []string{
			"We have decided not to consider " + what + " under our complaints policy because " + exclusionWords[c.Refusal.Exclusion] + ".",
			"Why: " + c.Refusal.Explanation,
		},
		Blocks: []block{us(from, "If you have questions about this decision"),
			ombudsman("If you disagree with this decision, you have the right to ask the Housing Ombudsman to look at it:")}}
	return render(LetterRefusal, c.Refusal.Stage, "Your complaint "+c.Reference+": our decision not to take it forward", d, at)
}

// onTimeline is the letter as the timeline keeps it (CH-9: all correspondence, with who and when on the event).
func (l Letter) onTimeline() map[string]any {
	return map[string]any{"kind": l.Kind, "stage": l.Stage, "subject": l.Subject, "text": l.Text}
}
