package workdays

import (
	"testing"
	"time"
)

// WD-1: bank holidays named in the foundation issue, including one-off and substitute days.
func TestWD1_BankHolidays(t *testing.T) {
	for _, day := range []string{
		"2020-05-08",               // VE day, moved early May holiday
		"2022-06-02",               // spring holiday moved for the Platinum Jubilee
		"2022-06-03",               // Platinum Jubilee
		"2022-09-19",               // State funeral of Queen Elizabeth II
		"2022-12-26", "2022-12-27", // Boxing Day, Christmas substitute
		"2023-05-08",               // Coronation
		"2026-12-28",               // Boxing Day substitute
		"2027-12-27", "2027-12-28", // both Christmas substitutes
	} {
		t.Run(day, func(t *testing.T) {
			d := MustParseDate(day)
			if _, ok := BankHoliday(d); !ok {
				t.Fatalf("%s should be a bank holiday", day)
			}
			if IsWorkingDay(d) {
				t.Fatalf("%s should not be a working day", day)
			}
		})
	}
}

func TestWD1_OrdinaryDaysAndWeekends(t *testing.T) {
	cases := map[string]bool{
		"2022-05-30": true,  // the usual late-May Monday was a working day in 2022
		"2020-05-04": true,  // the usual early-May Monday was a working day in 2020
		"2026-11-23": true,  // Monday
		"2026-11-28": false, // Saturday
		"2026-11-29": false, // Sunday
		"2026-12-24": true,
		"2026-12-29": true,
	}
	for day, want := range cases {
		if got := IsWorkingDay(MustParseDate(day)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", day, got, want)
		}
	}
}

// WD-1: the snapshot must cover next year, so that it is refreshed before the rules-based fallback is needed.
func TestSnapshotCoversNextYear(t *testing.T) {
	next := time.Now().In(London).Year() + 1
	if SnapshotLastYear() < next {
		t.Fatalf("bank-holidays.json ends in %d; refresh it from https://www.gov.uk/bank-holidays.json to cover %d",
			SnapshotLastYear(), next)
	}
}

// WD-1: the statutory fallback agrees with every regular year of the snapshot, and the snapshot's differences
// are exactly its one-off days.
func TestWD1_FallbackAgreesWithSnapshot(t *testing.T) {
	oneOff := map[string]bool{"2020-05-08": true, "2022-06-02": true, "2022-06-03": true, "2022-09-19": true, "2023-05-08": true}
	moved := map[string]bool{"2020-05-04": true, "2022-05-30": true} // regular days that were moved away
	for year := 2018; year <= SnapshotLastYear(); year++ {
		rules := statutoryHolidays(year)
		for d := NewDate(year, 1, 1); d.Year == year; d = d.AddDays(1) {
			_, inSnapshot := loadSnapshot().byDate[d]
			_, inRules := rules[d]
			if inSnapshot != inRules && !oneOff[d.String()] && !moved[d.String()] {
				t.Errorf("%s: snapshot=%v rules=%v", d, inSnapshot, inRules)
			}
		}
	}
}

func TestWD1_FallbackBeyondSnapshot(t *testing.T) {
	for _, day := range []string{"2032-12-27", "2032-12-28", "2033-01-03", "2030-04-19", "2030-04-22", "2031-05-26", "2031-08-25"} {
		d := MustParseDate(day)
		if d.Year <= SnapshotLastYear() {
			t.Fatalf("test date %s is inside the snapshot; move it later", day)
		}
		if IsWorkingDay(d) {
			t.Errorf("%s should be a bank holiday by the statutory rules", day)
		}
	}
}

// WD-2: the n-th working day after the day of X; X never counts.
func TestWD2_AddWorkingDays(t *testing.T) {
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-23", 1, "2026-11-24"}, // Monday -> Tuesday
		{"2026-11-27", 1, "2026-11-30"}, // Friday -> Monday
		{"2026-11-28", 1, "2026-11-30"}, // Saturday: the day of X never counts
		{"2026-11-29", 3, "2026-12-02"}, // Sunday
		{"2026-12-24", 1, "2026-12-29"}, // over Christmas and the Boxing Day substitute
		{"2026-12-23", 5, "2027-01-04"}, // over Christmas and New Year
		{"2022-06-01", 1, "2022-06-06"}, // over the Jubilee
		{"2022-09-16", 1, "2022-09-20"}, // over the State funeral
		{"2023-05-05", 1, "2023-05-09"}, // over the Coronation
		{"2027-12-24", 1, "2027-12-29"},
		{"2026-12-31", 1, "2027-01-04"}, // year end
		{"2026-12-18", 10, "2027-01-06"},
		{"2026-11-23", 0, "2026-11-23"},
	}
	for _, c := range cases {
		got := AddWorkingDays(MustParseDate(c.from), c.n)
		if got.String() != c.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
		if c.n > 0 && WorkingDaysBetween(MustParseDate(c.from), got) != c.n {
			t.Errorf("WorkingDaysBetween(%s, %s) != %d", c.from, got, c.n)
		}
	}
}

// WD-4: instants are converted to Europe/London before the calendar day is taken.
func TestWD4_LondonDay(t *testing.T) {
	cases := []struct {
		instant string
		n       int
		want    string
	}{
		{"2026-07-06T23:30:00Z", 1, "2026-07-08"}, // 00:30 BST on Tuesday 7 July
		{"2026-07-06T22:59:59Z", 1, "2026-07-07"}, // 23:59 BST on Monday
		{"2026-01-05T23:30:00Z", 1, "2026-01-06"}, // GMT in winter: still Monday
		{"2026-03-29T00:30:00Z", 1, "2026-03-30"}, // clocks go forward: Sunday
	}
	for _, c := range cases {
		at, _ := time.Parse(time.RFC3339, c.instant)
		if got := DeadlineAfter(at, c.n).String(); got != c.want {
			t.Errorf("DeadlineAfter(%s, %d) = %s, want %s", c.instant, c.n, got, c.want)
		}
	}
}

// WD-3: dates are YYYY-MM-DD and impossible dates are rejected.
func TestWD3_ParseAndText(t *testing.T) {
	if _, err := ParseDate("2023-02-29"); err == nil {
		t.Error("2023-02-29 should be rejected")
	}
	if _, err := ParseDate("29/02/2024"); err == nil {
		t.Error("29/02/2024 should be rejected")
	}
	var d Date
	if err := d.UnmarshalText([]byte("2024-02-29")); err != nil || d.String() != "2024-02-29" {
		t.Errorf("round trip: %v %v", d, err)
	}
}

func BenchmarkAddWorkingDays20(b *testing.B) {
	d := MustParseDate("2026-12-18")
	for b.Loop() {
		AddWorkingDays(d, 20)
	}
}
