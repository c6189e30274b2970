package dynamo

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
)

// The register by band counts each band's priority list over its shards: only active applications whose band
// rests on decided facts, each in one band, following each change.
func TestApplicationsCountBands(t *testing.T) {
	f := newApplications(t)
	ctx := context.Background()
	count := func() map[string]int {
		t.Helper()
		got, err := f.apps.CountBands(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	empty := map[string]int{register.BandEmergency: 0, register.BandA: 0, register.BandB: 0, register.BandReduced: 0}
	if got := count(); !maps.Equal(got, empty) {
		t.Fatalf("an empty register: %v", got)
	}
	for i, ref := range []string{"HR-1", "HR-2", "HR-3", "HR-4", "HR-5"} {
		f.create(ref, application("mappa"), f.at.Add(-time.Duration(i)*time.Hour), casework.Writes{})
	}
	f.create("HR-6", application("mappa"), f.at, casework.Writes{}) // awaiting verification: on no priority list
	for _, ref := range []string{"HR-1", "HR-2", "HR-3", "HR-4", "HR-5"} {
		f.decide(ref, "mappa")
	}
	want := map[string]int{register.BandEmergency: 0, register.BandA: 5, register.BandB: 0, register.BandReduced: 0}
	if got := count(); !maps.Equal(got, want) {
		t.Fatalf("five decided in band A: %v, want %v", got, want)
	}
	f.change("HR-2", func(r *register.Record, _ casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		return r.Close(register.Closing{Reason: register.ClosedHoused, Note: "Tenancy signed", Property: "Flat 1"}, officer, f.at)
	})
	want[register.BandA] = 4
	if got := count(); !maps.Equal(got, want) {
		t.Fatalf("one housed: %v, want %v", got, want)
	}
}
