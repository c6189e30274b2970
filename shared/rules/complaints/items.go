package complaints

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Kinds and statuses of tracked items (CH-8).
const (
	ItemRemedy = "remedy" // something offered to put things right (source §7.1-7.3): R1, R2, ...
	ItemAction = "action" // something still to be done when the response is sent (source §6.6, §6.17): A1, A2, ...

	ItemOpen = "open"
	ItemDone = "done"
)

// MaxItems bounds the remedies and actions one complaint tracks, so its record cannot grow without limit (issue
// 10): beyond it a response is refused (422, CH-8), since so many separate commitments are better made as a plan
// in fewer items.
const MaxItems = 30

// MaxItemDueMonths bounds how far ahead a remedy or action may be due: a date further off is a typing error, and
// the Code asks for what will happen "and by when" (source §7.3).
const MaxItemDueMonths = 24

// Item is a remedy offered or an action agreed in a response, tracked to completion with an owner, a due date
// and a status (CH-8; source §6.6, §6.17, §7.3). While open it is one of the complaint's deadlines, so it joins
// the owner's (or the team's) reminder digest when due and when overdue.
type Item struct {
	ID          string         `json:"id" dynamodbav:"id"` // R1.. for remedies, A1.. for actions; the completion route names it
	Kind        string         `json:"kind" dynamodbav:"kind"`
	Stage       int            `json:"stage" dynamodbav:"stage"` // the stage whose response set it
	Description string         `json:"description" dynamodbav:"description"`
	Owner       string         `json:"owner" dynamodbav:"owner"` // staff id (JWT sub) of who sees it through; the responder by default
	DueOn       workdays.Date  `json:"dueOn" dynamodbav:"dueOn"`
	Status      string         `json:"status" dynamodbav:"status"`
	CreatedAt   time.Time      `json:"createdAt" dynamodbav:"createdAt"`
	CompletedAt *time.Time     `json:"completedAt,omitempty" dynamodbav:"completedAt,omitempty"`
	CompletedBy casefile.Actor `json:"completedBy,omitzero" dynamodbav:"completedBy,omitempty"`
	Note        string         `json:"note,omitempty" dynamodbav:"note,omitempty"` // what was done, as the resident is told
}

// Open reports whether the item is still to be done.
func (it Item) Open() bool { return it.Status == ItemOpen }

// CompletedOnTime reports whether the item was done by its due date (WD-3).
func (it Item) CompletedOnTime() bool {
	return it.CompletedAt != nil && !workdays.DateOf(*it.CompletedAt).After(it.DueOn)
}

// ItemInput is a remedy or action as a response sets it: what, by when and who owns it (source §7.3: "what will
// happen and by when").
type ItemInput struct {
	Description string `json:"description" validate:"required,max=2000"`
	DueOn       string `json:"dueOn" validate:"required,date"`               // YYYY-MM-DD, London
	Owner       string `json:"owner,omitempty" validate:"omitempty,max=200"` // staff id; the responding officer when left out
	// Done marks what the response itself completes (an apology or an explanation given in the letter).
	Done bool `json:"done,omitempty"`
}

// checkItems lists the problems of a response's remedies (or actions) under field, answered on the day of at.
func checkItems(f *apperr.Fields, field string, items []ItemInput, at time.Time) {
	today := workdays.DateOf(at)
	for i, it := range items {
		d, err := workdays.ParseDate(it.DueOn)
		if err != nil {
			continue // reported by the validator
		}
		path := field + "[" + strconv.Itoa(i) + "].dueOn"
		switch {
		case d.Before(today) && !it.Done:
			f.Add(path, "cannot be in the past for something still to be done")
		case d.After(today.AddMonths(MaxItemDueMonths)):
			f.Add(path, "must be within %d months", MaxItemDueMonths)
		}
	}
}

// track adds the response's remedies and actions to the items (the caller has checked them); the owner defaults
// to the responder.
func (c *Complaint) track(kind string, in []ItemInput, by casefile.Actor, at time.Time) []Item {
	prefix := actionPrefix
	if kind == ItemRemedy {
		prefix = remedyPrefix
	}
	n := 0
	for _, it := range c.Items {
		if it.Kind == kind {
			n++
		}
	}
	var added []Item
	for _, x := range in {
		n++
		due, _ := workdays.ParseDate(x.DueOn)
		owner := strings.TrimSpace(x.Owner)
		if owner == "" {
			owner = by.ID
		}
		it := Item{ID: prefix + strconv.Itoa(n), Kind: kind, Stage: c.Stage, Description: x.Description, Owner: owner, DueOn: due,
			Status: ItemOpen, CreatedAt: at.UTC()}
		if x.Done {
			t := at.UTC()
			it.Status, it.CompletedAt, it.CompletedBy = ItemDone, &t, by
		}
		added = append(added, it)
	}
	c.Items = append(c.Items, added...)
	return added
}

// OpenItems are the remedies and actions not yet done, in the order they were set.
func (c Complaint) OpenItems() []Item {
	var out []Item
	for _, it := range c.Items {
		if it.Open() {
			out = append(out, it)
		}
	}
	return out
}

// ItemCompletion records that a remedy or action is done (POST .../actions/{actionId}/completion): what was done,
// as the resident is told.
type ItemCompletion struct {
	ID   string   `json:"-" validate:"-"` // from the path
	Note string   `json:"note,omitempty" validate:"omitempty,max=2000"`
	From Landlord `json:"-" validate:"-"`
}

// CompleteItem marks a remedy or action done and writes to the resident about it, with what is still open
// (source §6.6, §6.17: actions tracked "with appropriate updates provided to the resident"; §7.3: a remedy
// followed through to completion). It applies whatever the complaint's stage, closed included: the Code's
// procedure ends with the final response, the commitments in it do not.
func (c *Complaint) CompleteItem(in ItemCompletion, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	switch c.Status {
	case StatusRefused, StatusServiceRequest:
		return Letter{}, casefile.Event{}, c.inProcedure("complete an action")
	}
	i := slices.IndexFunc(c.Items, func(it Item) bool { return it.ID == in.ID })
	if i < 0 {
		return Letter{}, casefile.Event{}, apperr.NotFoundf("Complaint %s has no remedy or action %s.", c.Reference, in.ID)
	}
	if !c.Items[i].Open() {
		return Letter{}, casefile.Event{}, conflict("CH-8", "%s of complaint %s was completed on %s already", in.ID, c.Reference,
			workdays.DateOf(*c.Items[i].CompletedAt))
	}
	f := validate.Struct(in)
	if err := f.Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	c.own()
	t := at.UTC()
	it := &c.Items[i]
	it.Status, it.CompletedAt, it.CompletedBy, it.Note = ItemDone, &t, by, strings.TrimSpace(in.Note)
	letter := itemLetter(*c, *it, in.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "item-completed", "CH-8", map[string]any{"item": it.ID, "kind": it.Kind, "dueOn": it.DueOn.String(),
		"onTime": it.CompletedOnTime(), "stillOpen": len(c.OpenItems()), "letter": letter.onTimeline()}), nil
}

// An item's id is its kind's prefix and its number (R1, A2); its open deadline is named item:<id>.
const (
	remedyPrefix       = "R"
	actionPrefix       = "A"
	itemDeadlinePrefix = "item:"
)

// ItemOfDeadline says which remedy or action an open deadline is for (its id and kind), from the name
// itemDeadlines gives it; ok is false for any other deadline.
func ItemOfDeadline(d casefile.Deadline) (id, kind string, ok bool) {
	id, ok = strings.CutPrefix(d.Name, itemDeadlinePrefix)
	if d.CaseKind != casefile.Complaint || !ok || id == "" {
		return "", "", false
	}
	if strings.HasPrefix(id, remedyPrefix) {
		return id, ItemRemedy, true
	}
	return id, ItemAction, true
}

// itemDeadlines are the open items as deadlines (CH-8): each is due on its date and belongs to its owner (the
// complaints team of its stage when nobody owns it); complaints managers hear of overdue ones.
func itemDeadlines(c Complaint) []casefile.Deadline {
	var out []casefile.Deadline
	for _, it := range c.Items {
		if !it.Open() {
			continue
		}
		team := OfficerGroup
		if it.Stage == 2 {
			team = ManagerGroup
		}
		what := "Complete the agreed action "
		if it.Kind == ItemRemedy {
			what = "Deliver the remedy offered, "
		}
		// the label names the item, not what it says (digests are emails); the digest adds the rule
		out = append(out, casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: itemDeadlinePrefix + it.ID, Due: it.DueOn,
			Rule: "CH-8", Owner: it.Owner, Team: team, Manager: ManagerGroup, Audience: casefile.Officer, Label: what + it.ID})
	}
	return out
}

// itemLines are items as a letter lists them: what, and by when (or when it was done).
func itemLines(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		switch {
		case !it.Open():
			out[i] = it.Description + " (done " + longDate(workdays.DateOf(*it.CompletedAt)) + ")"
		default:
			out[i] = it.Description + " (by " + longDate(it.DueOn) + ")"
		}
	}
	return out
}
