package registerapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/testsupport"
)

// CountBands counts the applications the priority list would hold, band by band (in memory).
func (s store) CountBands(_ context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, r := range s.All() {
		if _, listed := register.PriorityKey(r.Reference, r.Decision); listed {
			out[r.Decision.BandName()]++
		}
	}
	return out, nil
}

// GET /reports/register: every band, highest need first, with the active applications only (one awaiting
// verification counts nowhere); for allocations officers and the Housing Solutions Manager, no one else.
func TestRegisterReportCountsTheActiveRegisterByBand(t *testing.T) {
	f := newFixture(t)
	emergency, _ := f.apply("homeless-priority-need")
	f.decide(emergency, "homeless-priority-need")
	a, _ := f.apply("mappa")
	f.decide(a, "mappa")
	f.apply("mappa") // awaiting verification
	for _, claims := range []map[string]string{f.officer, f.manager} {
		r := f.call(testsupport.Request{Route: "GET /reports/register", Claims: claims})
		if r.Status != 200 || r.Body["asOf"] != "2026-11-23" || r.Body["total"] != float64(2) {
			t.Fatalf("report: %d %s", r.Status, r.Raw)
		}
		var got []string
		for _, b := range r.Body["bands"].([]any) {
			m := b.(map[string]any)
			got = append(got, fmt.Sprintf("%v=%v", m["band"], m["applications"]))
		}
		if want := "emergency=1 A=1 B=0 reduced=0"; strings.Join(got, " ") != want {
			t.Errorf("bands %v, want %s", got, want)
		}
	}
	wantProblem(t, f.call(testsupport.Request{Route: "GET /reports/register", Claims: testsupport.Staff("c-1", catalog.GroupComplaintsManager)}), 403, "")
}
