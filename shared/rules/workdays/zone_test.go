package workdays

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// The embedded zone is the Go distribution's Europe/London: when Go updates its time zone database, copy it again
// (unzip -p "$(go env GOROOT)/lib/time/zoneinfo.zip" Europe/London > shared/rules/workdays/europe_london.tzif).
func TestWD4_LondonIsTheGoDistributionsZone(t *testing.T) {
	z, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no Go time zone database here: %v", err)
	}
	defer z.Close()
	f, err := z.Open("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(londonTZif, want) {
		t.Fatal("europe_london.tzif differs from the Go distribution's Europe/London: copy it again (see this test's comment)")
	}
}

// WD-4: British Summer Time from the last Sunday of March, 01:00 UTC, to the last Sunday of October, 01:00 UTC,
// in the years the table lists and the years after (the zone's rule).
func TestWD4_LondonKeepsBritishSummerTime(t *testing.T) {
	for _, c := range []struct {
		at     string
		offset int
	}{
		{"2026-03-29T00:59:59Z", 0}, {"2026-03-29T01:00:00Z", 3600}, {"2026-10-25T00:59:59Z", 3600}, {"2026-10-25T01:00:00Z", 0},
		{"2099-03-29T00:59:59Z", 0}, {"2099-03-29T01:00:00Z", 3600}, {"2099-07-01T12:00:00Z", 3600}, {"2099-12-01T12:00:00Z", 0},
	} {
		at, _ := time.Parse(time.RFC3339, c.at)
		if _, offset := at.In(London).Zone(); offset != c.offset {
			t.Errorf("%s: offset %d, want %d", c.at, offset, c.offset)
		}
	}
}
