package reminders

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// A morning's reminders go out as one digest per staff address (an officer, a team mailbox, a manager group's
// mailbox: whoever the address serves, it gets one message) listing its items in three sections, and one message
// per resident reminder to the resident (their own text, by their own channel).
const (
	SectionOverdue  = "overdue"   // Overdue and OverdueManager reminders, the oldest first
	SectionDueToday = "due-today" // DueToday
	SectionDueSoon  = "due-soon"  // DueSoon
)

// DigestListLimit is how many items each section of a digest lists; its counts cover every item. It keeps a
// digest (the queue message, its record, the email) small, under 20 KB with every section full, so ten fit in one
// SendMessageBatch under SQS's 256 KB, when a mailbox has thousands overdue: the most overdue are listed, the
// rest are counted.
const DigestListLimit = 30

// Digest is one staff address's message of the day.
type Digest struct {
	ID       string // digest#<today>#<Key>: the same address and day, the same id (and the same once-a-day claim)
	Key      string // RecipientKey of the address
	To       notification.Recipient
	Sections map[string][]Reminder // by section, most urgent first, one item per deadline
}

// RecipientKey identifies an address in ids and keys without carrying it: the first 16 hex digits of the
// SHA-256 of the address in lower case.
func RecipientKey(address string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(address))))
	return hex.EncodeToString(sum[:8])
}

// Digests groups a morning's reminders (Plan's output) by recipient: one Digest per staff address, in key
// order; the residents' reminders as they are (each is its own message; the address is read from the case);
// and the staff reminders with no address (a team or manager group missing from the mailboxes).
func Digests(today workdays.Date, rems []Reminder) (digests []Digest, residents, unaddressed []Reminder) {
	byKey := map[string]*Digest{}
	seen := map[string]bool{} // recipient key + section + deadline: a mailbox that is both team and manager lists an item once
	for _, r := range rems {
		if r.Kind == ResidentNote {
			residents = append(residents, r)
			continue
		}
		if r.To.Email == "" {
			unaddressed = append(unaddressed, r)
			continue
		}
		key := RecipientKey(r.To.Email)
		d := byKey[key]
		if d == nil {
			d = &Digest{ID: "digest#" + today.String() + "#" + key, Key: key, To: r.To, Sections: map[string][]Reminder{}}
			byKey[key] = d
		}
		if rank(r.To.Role) < rank(d.To.Role) {
			d.To.Role = r.To.Role // the most specific role the address serves: officer, then team, then manager
		}
		section := sectionOf(r.Kind)
		if id := key + "#" + section + "#" + deadlineID(r.Deadline); !seen[id] {
			seen[id] = true
			d.Sections[section] = append(d.Sections[section], r)
		}
	}
	for _, d := range byKey {
		for _, items := range d.Sections {
			slices.SortFunc(items, func(a, b Reminder) int {
				return cmp.Or(a.Deadline.Due.Compare(b.Deadline.Due), cmp.Compare(a.Deadline.CaseKind, b.Deadline.CaseKind),
					cmp.Compare(a.Deadline.CaseRef, b.Deadline.CaseRef), cmp.Compare(a.Deadline.Name, b.Deadline.Name))
			})
		}
		digests = append(digests, *d)
	}
	slices.SortFunc(digests, func(a, b Digest) int { return cmp.Compare(a.Key, b.Key) })
	return digests, residents, unaddressed
}

func sectionOf(kind string) string {
	switch kind {
	case DueToday:
		return SectionDueToday
	case DueSoon:
		return SectionDueSoon
	}
	return SectionOverdue
}

func rank(role notification.Role) int {
	switch role {
	case notification.Officer:
		return 0
	case notification.Team:
		return 1
	}
	return 2
}

func deadlineID(d casefile.Deadline) string {
	return string(d.CaseKind) + "#" + d.CaseRef + "#" + d.Name
}

// Count is how many items the digest has.
func (d Digest) Count() int {
	return len(d.Sections[SectionOverdue]) + len(d.Sections[SectionDueToday]) + len(d.Sections[SectionDueSoon])
}

// CasePath is the staff route of a case, the digest's link to it (the catalog's GET route of each kind's case
// record; there is no console base URL setting yet, so it is the path on the API).
func CasePath(kind casefile.Kind, ref string) string {
	switch kind {
	case casefile.ASB:
		return "/asb/cases/" + ref
	case casefile.Complaint:
		return "/complaints/" + ref + "/record"
	case casefile.Application:
		return "/register/applications/" + ref + "/record"
	case casefile.SubjectAccess:
		return "/subject-access-requests/" + ref
	}
	return ""
}

// Request is the digest as a notification request: the ReminderDigest template, with each section's count and
// list in the personalisation (which the notifier records, so the record shows what was listed), and its day,
// recipient key and counts in Digest.
//
// Personalisation: date, total, overdue_count, due_today_count, due_soon_count, and overdue, due_today, due_soon:
// one line per item ("* <ref>: <label> (<rule>), due <date>[, <n> working days overdue], <who> - <path>"), at most
// DigestListLimit, then "* and <n> more"; "None" when the section is empty. No resident's personal data: case
// references, deadline labels, rule ids and officer ids only.
func (d Digest) Request(today workdays.Date, at time.Time) notification.Request {
	p := map[string]string{"date": today.String(), "total": fmt.Sprint(d.Count())}
	dg := &notification.Digest{Day: today.String(), Recipient: d.Key}
	for _, s := range []struct {
		section, name string
		count         *int
	}{
		{SectionOverdue, "overdue", &dg.Counts.Overdue},
		{SectionDueToday, "due_today", &dg.Counts.DueToday},
		{SectionDueSoon, "due_soon", &dg.Counts.DueSoon},
	} {
		items := d.Sections[s.section]
		*s.count = len(items)
		p[s.name+"_count"] = fmt.Sprint(len(items))
		var lines []string
		for _, r := range items[:min(len(items), DigestListLimit)] {
			lines = append(lines, line(r, today))
		}
		if more := len(items) - DigestListLimit; more > 0 {
			lines = append(lines, fmt.Sprintf("* and %d more", more))
		}
		p[s.name] = "None"
		if len(lines) > 0 {
			p[s.name] = strings.Join(lines, "\n")
		}
	}
	return notification.Request{ID: d.ID, Template: notification.ReminderDigest, To: d.To, Personalisation: p, RequestedAt: at.UTC(), Digest: dg}
}

// line is one item of a digest.
func line(r Reminder, today workdays.Date) string {
	dl := r.Deadline
	var b strings.Builder
	fmt.Fprintf(&b, "* %s: %s", dl.CaseRef, dl.Label)
	if dl.Rule != "" {
		fmt.Fprintf(&b, " (%s)", dl.Rule)
	}
	fmt.Fprintf(&b, ", due %s", dl.Due)
	if n := workdays.WorkingDaysBetween(dl.Due, today); dl.Due.Before(today) && n > 0 {
		fmt.Fprintf(&b, ", %d working day%s overdue", n, plural(n))
	}
	if dl.Owner != "" {
		fmt.Fprintf(&b, ", assigned to %s", dl.Owner)
	} else {
		fmt.Fprintf(&b, ", unassigned (%s)", dl.Team)
	}
	if path := CasePath(dl.CaseKind, dl.CaseRef); path != "" {
		fmt.Fprintf(&b, " - %s", path)
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
