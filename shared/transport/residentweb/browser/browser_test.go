package browser

import (
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/browsertest"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite the README's screenshots in shared/web/screenshots/")

// readmeShots are the pages the README shows (run with -update-screenshots to rewrite them).
var readmeShots = []string{"start", "report-asb-where-errors", "report-asb-check-answers", "report-asb-confirmation"}

// The functions the resident pages need: the pages themselves, the staff API the records are read back
// through, and the notifier that sends the sign-in codes to the GOV.UK Notify stand-in.
var cloudFunctions = []string{catalog.ResidentWebFunction, "asb-report", "complaint-escalation", "register-application", "notifier"}

// The resident journeys, completed with the keyboard only, first with JavaScript on (GOV.UK Frontend's
// enhancements) and then with it off; axe-core checks every page and state, and the staff API reads back
// what each confirmation names.
func TestResidentJourneysInABrowser(t *testing.T) {
	browserPath, axe := browsertest.Prerequisites(t)
	started := time.Now()
	c := localcloud.StartForTest(t, cloudFunctions...)
	// the real clock, not a pinned one: DynamoDB Local's TTL would remove sessions that expired in the past
	ctx := browsertest.Start(t, browserPath, 960)
	shots := browsertest.ScreenshotDir(t, "browser")
	checked := 0
	for run, js := range []bool{true, false} {
		mode := map[bool]string{true: "js", false: "nojs"}[js]
		b := newBrowser(t, ctx, c.URL(), axe, js, filepath.Join(shots, mode))
		refs := map[string]string{} // this run's references by journey
		for _, j := range journeys(run) {
			t.Run(mode+"/"+j.name, func(t *testing.T) {
				b.T = t
				ref, confirmation := b.complete(j)
				refs[j.name] = ref
				if j.stored != nil {
					j.stored(t, c, ref, confirmation)
				}
				if j.progress != nil {
					t.Run("check-progress", func(t *testing.T) { b.T = t; b.checkProgress(c, *j.progress, ref, refs[j.progress.foreign]) })
				}
			})
		}
		t.Run(mode+"/help", func(t *testing.T) { b.T = t; b.helpPages() })
		if js {
			t.Run("axe-canary", func(t *testing.T) { b.T = t; b.axeCanary() })
		}
		checked += b.AxeChecks
	}
	t.Logf("axe-core checked %d pages and states with no violation; %s in all (screenshots in %s)", checked, time.Since(started).Round(time.Second), shots)
}
