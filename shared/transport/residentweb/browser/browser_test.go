package browser

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite the README's screenshots in shared/web/screenshots/")

// requiredEnv is set by `make test`: there a missing browser or axe-core fails the test rather than skipping it.
const requiredEnv = "BROWSER_TESTS"

// The functions the resident pages need: the pages themselves, the staff API the records are read back
// through, and the notifier that sends the sign-in codes to the GOV.UK Notify stand-in.
var cloudFunctions = []string{catalog.ResidentWebFunction, "asb-report", "complaint-escalation", "register-application", "notifier"}

// chromium is the browser to drive: $CHROMIUM, else the first of Debian's and Google's names on the PATH.
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// prerequisites are the browser and axe-core (from `make tools`); missing, the test skips when run alone and
// fails under `make test`.
func prerequisites(t *testing.T) (browser, axe string) {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	axePath := filepath.Join(root, ".tools", "node_modules", "axe-core", "axe.min.js")
	src, axeErr := os.ReadFile(axePath)
	browser = chromium()
	var missing string
	switch {
	case browser == "":
		missing = "Chromium is not installed (make tools installs Debian's chromium; or set CHROMIUM to a Chrome or Chromium binary)"
	case axeErr != nil:
		missing = "axe-core is not installed (" + axePath + "): run make tools"
	}
	if missing != "" {
		if os.Getenv(requiredEnv) == "required" {
			t.Fatal(missing)
		}
		t.Skip("browser tests skipped: " + missing)
	}
	return browser, string(src)
}

// startBrowser starts one headless Chromium for the whole test: one tab, sequential, so it fits in 2 cores.
func startBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(960, 800),
		chromedp.Flag("renderer-process-limit", "1"), chromedp.Flag("lang", "en-GB"))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser and opens the tab
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// The resident journeys, completed with the keyboard only, first with JavaScript on (GOV.UK Frontend's
// enhancements) and then with it off; axe-core checks every page and state, and the staff API reads back
// what each confirmation names.
func TestResidentJourneysInABrowser(t *testing.T) {
	browserPath, axe := prerequisites(t)
	started := time.Now()
	c := localcloud.StartForTest(t, cloudFunctions...)
	// the real clock, not a pinned one: DynamoDB Local's TTL would remove sessions that expired in the past
	ctx := startBrowser(t, browserPath)
	shots := screenshotDir(t)
	checked := 0
	for run, js := range []bool{true, false} {
		mode := map[bool]string{true: "js", false: "nojs"}[js]
		b := newBrowser(t, ctx, c.URL(), axe, js, filepath.Join(shots, mode))
		refs := map[string]string{} // this run's references by journey
		for _, j := range journeys(run) {
			t.Run(mode+"/"+j.name, func(t *testing.T) {
				b.t = t
				ref, confirmation := b.complete(j)
				refs[j.name] = ref
				if j.stored != nil {
					j.stored(t, c, ref, confirmation)
				}
				if j.progress != nil {
					t.Run("check-progress", func(t *testing.T) { b.t = t; b.checkProgress(c, *j.progress, ref, refs[j.progress.foreign]) })
				}
			})
		}
		t.Run(mode+"/help", func(t *testing.T) { b.t = t; b.helpPages() })
		if js {
			t.Run("axe-canary", func(t *testing.T) { b.t = t; b.axeCanary() })
		}
		checked += b.axeChecks
	}
	t.Logf("axe-core checked %d pages and states with no violation; %s in all (screenshots in %s)", checked, time.Since(started).Round(time.Second), shots)
}
