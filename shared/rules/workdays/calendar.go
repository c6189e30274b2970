package workdays

import (
	_ "embed"
	"encoding/json"
	"sync"
	"time"
)

// bankHolidaysJSON is a snapshot of https://www.gov.uk/bank-holidays.json (WD-1). Refresh it every year;
// TestSnapshotCoversNextYear fails when it no longer covers the coming year.
//
//go:embed bank-holidays.json
var bankHolidaysJSON []byte

type feed map[string]struct {
	Events []struct {
		Title string `json:"title"`
		Date  Date   `json:"date"`
	} `json:"events"`
}

// holidays is the snapshot by date and the last year it covers, read from the embedded JSON when a date is first
// checked (not at package init: a request that never asks about a working day does not pay for it).
type holidays struct {
	byDate   map[Date]string
	lastYear int
}

var loadSnapshot = sync.OnceValue(func() holidays {
	var f feed
	if err := json.Unmarshal(bankHolidaysJSON, &f); err != nil {
		panic("workdays: bad bank-holidays.json: " + err.Error())
	}
	h := holidays{byDate: map[Date]string{}}
	for _, e := range f["england-and-wales"].Events {
		h.byDate[e.Date] = e.Title
		h.lastYear = max(h.lastYear, e.Date.Year)
	}
	return h
})

// SnapshotLastYear is the last year the embedded GOV.UK snapshot covers.
func SnapshotLastYear() int { return loadSnapshot().lastYear }

// BankHoliday names the England and Wales bank holiday on d, if any: from the GOV.UK snapshot (with its
// one-off and substitute days), and from the statutory rules for years after it (WD-1).
func BankHoliday(d Date) (string, bool) {
	if h := loadSnapshot(); d.Year <= h.lastYear {
		name, ok := h.byDate[d]
		return name, ok
	}
	name, ok := statutoryHolidays(d.Year)[d]
	return name, ok
}

// IsWorkingDay: Monday to Friday and not a bank holiday (WD-1).
func IsWorkingDay(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := BankHoliday(d)
	return !holiday
}

// AddWorkingDays is the n-th working day after d; d itself never counts (WD-2). n must be >= 0; for n = 0
// it returns d.
func AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// DeadlineAfter is "within n working days of t": the n-th working day after t's London calendar day
// (WD-2, WD-4).
func DeadlineAfter(t time.Time, n int) Date { return AddWorkingDays(DateOf(t), n) }

// NextWorkingDay is the first working day after d.
func NextWorkingDay(d Date) Date { return AddWorkingDays(d, 1) }

// WorkingDaysBetween counts the working days after from, up to and including to (0 when to <= from), so that
// WorkingDaysBetween(d, AddWorkingDays(d, n)) == n.
func WorkingDaysBetween(from, to Date) int {
	count := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if IsWorkingDay(d) {
			count++
		}
	}
	return count
}

// statutoryHolidays are the regular England and Wales bank holidays with substitute days, for years beyond the
// snapshot (WD-1). One-off days (royal events) cannot be predicted and appear only in the snapshot.
func statutoryHolidays(year int) map[Date]string {
	easter := easterSunday(year)
	h := map[Date]string{
		easter.AddDays(-2):            "Good Friday",
		easter.AddDays(1):             "Easter Monday",
		firstMonday(year, time.May):   "Early May bank holiday",
		lastMonday(year, time.May):    "Spring bank holiday",
		lastMonday(year, time.August): "Summer bank holiday",
		substituteNewYear(year):       "New Year’s Day",
	}
	christmas, boxing := substituteChristmas(year)
	h[christmas] = "Christmas Day"
	h[boxing] = "Boxing Day"
	return h
}

func substituteNewYear(year int) Date {
	d := NewDate(year, time.January, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDays(1)
	}
	return d
}

// substituteChristmas moves Christmas Day and Boxing Day off the weekend onto the next free weekdays.
func substituteChristmas(year int) (Date, Date) {
	christmas := NewDate(year, time.December, 25)
	switch christmas.Weekday() {
	case time.Friday: // Boxing Day on Saturday -> Monday 28th
		return christmas, christmas.AddDays(3)
	case time.Saturday: // -> Monday 27th and Tuesday 28th
		return christmas.AddDays(2), christmas.AddDays(3)
	case time.Sunday: // Boxing Day Monday 26th, Christmas substitute Tuesday 27th
		return christmas.AddDays(2), christmas.AddDays(1)
	default:
		return christmas, christmas.AddDays(1)
	}
}

func firstMonday(year int, month time.Month) Date {
	d := NewDate(year, month, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}

func lastMonday(year int, month time.Month) Date {
	d := NewDate(year, month+1, 1).AddDays(-1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(-1)
	}
	return d
}

// easterSunday uses the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easterSunday(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}
