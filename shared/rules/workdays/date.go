// Package workdays is the England and Wales working-day calendar of RULES.md WD-1..WD-4.
//
// Deadlines are calendar dates in Europe/London (WD-3); instants are converted to London time before the
// calendar day is taken (WD-4), because Lambda runs in UTC.
package workdays

import (
	_ "embed"
	"fmt"
	"time"
)

// London is the time zone every deadline is expressed in (WD-4).
var London = mustLoadLondon()

// londonTZif is Europe/London from the Go distribution's time zone database ($GOROOT/lib/time/zoneinfo.zip;
// zone_test.go keeps it in step). Lambda's provided.al2023 has no zoneinfo, and embedding only this zone rather
// than every zone (time/tzdata, 450 KB searched at init) saves each function 0.1 ms of its cold start (issue 10).
//
//go:embed europe_london.tzif
var londonTZif []byte

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocationFromTZData("Europe/London", londonTZif)
	if err != nil {
		panic("workdays: Europe/London time zone: " + err.Error())
	}
	return loc
}

// Date is a calendar date (no time, no zone), written YYYY-MM-DD (WD-3).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const layout = "2006-01-02"

// NewDate builds a Date, normalising overflow (e.g. 31 April becomes 1 May).
func NewDate(year int, month time.Month, day int) Date {
	return DateOfUTC(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOfUTC takes the calendar day of t in UTC (used internally for date arithmetic).
func DateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// DateOf is the Europe/London calendar day of an instant (WD-4).
func DateOf(t time.Time) Date {
	y, m, d := t.In(London).Date()
	return Date{y, m, d}
}

// ParseDate reads a YYYY-MM-DD date and rejects impossible ones such as 2023-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOfUTC(t), nil
}

// MustParseDate is ParseDate for constants and tests.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.utc().Format(layout)
}

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// AddDays moves d by n calendar days.
func (d Date) AddDays(n int) Date { return DateOfUTC(d.utc().AddDate(0, 0, n)) }

// AddMonths moves d by n calendar months (normalised like time.AddDate).
func (d Date) AddMonths(n int) Date { return DateOfUTC(d.utc().AddDate(0, n, 0)) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.utc().Compare(e.utc()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil counts calendar days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.utc().Sub(d.utc()).Hours() / 24) }

// StartOfDay is midnight at the start of d in Europe/London.
func (d Date) StartOfDay() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, London)
}

// MarshalText writes YYYY-MM-DD (JSON strings, DynamoDB via attributevalue).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; an empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}
