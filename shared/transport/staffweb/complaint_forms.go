package staffweb

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The complaint's forms for what a response commits to and what follows it: the remedies and outstanding actions
// a stage response sets (rows of the response form), completing one (CH-8), the intervals for keeping the
// resident informed (source 004 §5.9), the reasonable adjustments (source §5.10) and a letter sent in the format
// they agreed. Each calls the same complaintcases method as its JSON route, allowed to that route's groups.

// completeItemRoute records a remedy or action done (CH-8): its groups may act on the queue's outstanding actions.
const completeItemRoute = "POST /complaints/{reference}/actions/{actionId}/completion"

// itemRows is how many remedies, and how many outstanding actions, one response form takes (the API takes up
// to 20 of each; a response with more is rare enough for a second form, and the empty rows are left out).
const itemRows = 3

// itemFields are a response's rows of remedies or outstanding actions (kind: the API's "remedies" or
// "outstandingActions"): what will be done and by when, and for a remedy whether the response itself gives it
// (an apology). Their validation paths are set once the rows filled in are known (itemPaths).
func itemFields(kind string) []web.Field {
	var out []web.Field
	for i := 1; i <= itemRows; i++ {
		key := "staff.complaint.respond." + kind + "." + strconv.Itoa(i)
		out = append(out, web.Field{Name: rowName(kind, i, "description"), Kind: web.TextArea, Key: key + ".description", MaxLength: 2000, Optional: true},
			web.Field{Name: rowName(kind, i, "dueOn"), Kind: web.Date, Key: key + ".dueOn"})
		if kind == "remedies" {
			out = append(out, web.Field{Name: rowName(kind, i, "done"), Kind: web.Checkboxes, Key: key + ".done", Options: []string{"yes"}, Optional: true})
		}
	}
	return out
}

func rowName(kind string, i int, field string) string {
	return kind + "-" + strconv.Itoa(i) + "-" + field
}

// rowFilled says whether a row was filled in (a description or any part of the date).
func rowFilled(v map[string][]string, kind string, i int) bool {
	return strings.TrimSpace(one(v, rowName(kind, i, "description"))) != "" || web.ISODate(v[rowName(kind, i, "dueOn")]) != ""
}

// itemsOf are the rows filled in, as the API's items (an empty list when none is).
func itemsOf(v map[string][]string, kind string) []complaints.ItemInput {
	out := []complaints.ItemInput{}
	for i := 1; i <= itemRows; i++ {
		if rowFilled(v, kind, i) {
			out = append(out, complaints.ItemInput{Description: one(v, rowName(kind, i, "description")), DueOn: web.ISODate(v[rowName(kind, i, "dueOn")]),
				Done: ticked(v, rowName(kind, i, "done"))})
		}
	}
	return out
}

// itemPaths points remedies[j] and outstandingActions[j] of the API's validation at the j-th row filled in.
func itemPaths(fields []web.Field, v map[string][]string) {
	for _, kind := range []string{"remedies", "outstandingActions"} {
		j := 0
		for i := 1; i <= itemRows; i++ {
			filled := rowFilled(v, kind, i)
			for n := range fields {
				for _, part := range []string{"description", "dueOn", "done"} {
					if fields[n].Name != rowName(kind, i, part) {
						continue
					}
					fields[n].Paths = nil
					if filled {
						fields[n].Paths = []string{kind + "[" + strconv.Itoa(j) + "]." + part}
					}
				}
			}
			if filled {
				j++
			}
		}
	}
}

// offeredChoice refuses a choice the form did not offer (a remedy already done, a letter sent already): the
// case's own choices are the form's, so the API's 404 for another number is never a page of the console.
func offeredChoice(fields []web.Field, v map[string][]string, forCase bool) error {
	if !forCase {
		return nil
	}
	for _, f := range fields {
		if f.Kind != web.Radios || f.Optional {
			continue
		}
		switch got := one(v, f.Name); {
		case got == "":
			return fieldError(f.Name, "is required")
		case !slices.Contains(f.Options, got):
			return fieldError(f.Name, "is not one this complaint has open")
		}
	}
	return nil
}

// letterOwed says whether letter n (from 1) is owed in an alternative format not yet recorded as sent.
func letterOwed(l complaints.Letter) bool { return l.Format != "" && l.FormatSent == nil }

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// sendByOptions are how every letter may be sent whatever the resident's preferred contact (AdjustmentsInput).
var sendByOptions = []string{"letter", "email", "sms"}

// withFormActions adds the remedies' and outstanding actions' rows to the response, and the actions on items,
// keeping informed, adjustments and letters' formats.
func withFormActions(actions []action) []action {
	for i, a := range actions {
		if a.Name == "respond" { // the rows of remedies and outstanding actions after the reasons
			fields := slices.Clone(a.Fields[:2])
			fields = append(fields, itemFields("remedies")...)
			fields = append(fields, itemFields("outstandingActions")...)
			actions[i].Fields = append(fields, a.Fields[2:]...)
		}
	}
	return append(actions,
		action{Name: "complete-item", Route: completeItemRoute,
			ForCase: func(c complaints.Complaint) []web.Field {
				var ids []string
				for _, it := range c.OpenItems() {
					ids = append(ids, it.ID)
				}
				return []web.Field{{Name: "item", Kind: web.Radios, Key: "staff.complaint.complete-item.item", Paths: []string{"item"}, Options: ids},
					text("note", "staff.complaint.complete-item.note", 2000, true)}
			},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.CompleteItem(ctx, complaintcases.CompleteItem{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.ItemCompletion{ID: one(v, "item"), Note: one(v, "note")}})
				return err
			}},
		action{Name: "keep-informed", Route: "POST /complaints/{reference}/keep-informed",
			Fields: []web.Field{{Name: "everyWorkingDays", Kind: web.Number, Key: "staff.complaint.keep-informed.everyWorkingDays", Paths: []string{"everyWorkingDays"},
				MaxLength: 2, Width: "govuk-input--width-2", Optional: true},
				date("agreedOn", "staff.complaint.keep-informed.agreedOn"),
				line("how", "staff.complaint.keep-informed.how", 500, true),
				text("progress", "staff.complaint.keep-informed.progress", 5000, true)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				days, err := strconv.Atoi(one(v, "everyWorkingDays"))
				if err != nil && one(v, "everyWorkingDays") != "" {
					return fieldError("everyWorkingDays", "must be a whole number")
				}
				_, err = p.Complaints.KeepInformed(ctx, complaintcases.KeepInformed{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.KeepInformedInput{UpdatePlanInput: complaints.UpdatePlanInput{EveryWorkingDays: days, AgreedOn: web.ISODate(v["agreedOn"]),
						How: one(v, "how")}, Progress: one(v, "progress")}})
				return err
			}},
		action{Name: "adjustments", Route: "POST /complaints/{reference}/adjustments",
			Fields: []web.Field{{Name: "agreed", Kind: web.TextArea, Key: "staff.complaint.adjustments.agreed", Paths: []string{"agreed"}, MaxLength: 10 * 501, Optional: true},
				radios("sendBy", "staff.complaint.adjustments.sendBy", sendByOptions, true),
				radios("format", "staff.complaint.adjustments.format", complaints.Formats, true),
				text("disclosedDisabilities", "staff.complaint.adjustments.disclosedDisabilities", 1000, true),
				date("reviewOn", "staff.complaint.adjustments.reviewOn")},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.RecordAdjustments(ctx, complaintcases.RecordAdjustments{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.AdjustmentsInput{Agreed: lines(one(v, "agreed")), SendBy: one(v, "sendBy"), Format: one(v, "format"),
						DisclosedDisabilities: one(v, "disclosedDisabilities"), ReviewOn: web.ISODate(v["reviewOn"])}})
				return err
			}},
		action{Name: "format-sent", Route: "POST /complaints/{reference}/letters/{letterNumber}/sent-in-format",
			ForCase: func(c complaints.Complaint) []web.Field {
				var owed []string
				for i, l := range c.Letters {
					if letterOwed(l) {
						owed = append(owed, strconv.Itoa(i+1))
					}
				}
				return []web.Field{{Name: "letter", Kind: web.Radios, Key: "staff.complaint.format-sent.letter", Paths: []string{"letter"}, Options: owed},
					line("how", "staff.complaint.format-sent.how", 500, false)}
			},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				n, _ := strconv.Atoi(one(v, "letter")) // one the form offered (offeredChoice)
				_, err := p.Complaints.RecordFormatSent(ctx, complaintcases.RecordFormatSent{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.FormatSentInput{Letter: n, How: one(v, "how")}})
				return err
			}},
	)
}

// complaintOffered says whether the complaint page links to an action in the complaint's state (the form itself
// is always there: sent in another state, the rule's refusal is shown).
func complaintOffered(name string, c complaints.Complaint) bool {
	switch name {
	case "complete-item":
		return len(c.OpenItems()) > 0
	case "format-sent":
		return slices.ContainsFunc(c.Letters, letterOwed)
	case "keep-informed":
		return c.Status == complaints.StatusAcknowledged
	}
	return true
}

// complaintLabels gives the choices that are the complaint's own their words: its open remedies and actions,
// the letters owed in a format.
func complaintLabels(r *web.Request, f *web.FieldView, c complaints.Complaint) {
	switch f.Key {
	case "staff.complaint.complete-item.item":
		for j, opt := range f.Options {
			if i := slices.IndexFunc(c.Items, func(it complaints.Item) bool { return it.ID == opt.Value }); i >= 0 {
				it := c.Items[i]
				f.Options[j].Label = r.T("staff.complaint.complete-item.item.option", it.ID, r.T("staff.complaint.item."+it.Kind), it.Description, it.DueOn.String())
			}
		}
	case "staff.complaint.format-sent.letter":
		for j, opt := range f.Options {
			if n, err := strconv.Atoi(opt.Value); err == nil && n >= 1 && n <= len(c.Letters) {
				l := c.Letters[n-1]
				f.Options[j].Label = r.T("staff.complaint.format-sent.letter.option", n, l.Subject, l.CreatedAt.Format("2 January 2006"),
					r.T("staff.complaint.adjustments.format.option."+l.Format))
			}
		}
	}
}
