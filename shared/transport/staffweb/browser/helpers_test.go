package browser

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/councilhousing/backend/infra/browsertest"
)

// officer drives one tab with the keyboard (browsertest.Keyboard: Tab, Space, typing, Enter); scripts only read
// the page and run axe-core.
type officer struct {
	*browsertest.Keyboard
}

// eval runs a read-only expression in the page.
func eval[T any](o *officer, expr string, opts ...chromedp.EvaluateOption) T {
	o.T.Helper()
	return browsertest.Eval[T](o.Keyboard, expr, opts...)
}

// checkPage runs axe-core on the page as it is now and saves a screenshot (readme: the README's name for it, if
// it is one).
func (o *officer) checkPage(state, readme string) {
	o.T.Helper()
	o.CheckAxe(state)
	_, shot := o.Screenshot(state)
	if readme != "" && *updateScreenshots {
		browsertest.SaveReadmeShot(o.T, readme, shot)
	}
}

// signIn opens a browser tab on the console signed out (it leads to the local sign-in stand-in, checked with
// axe-core), ticks the groups in the stand-in page's order and signs in as its first user: the officer is on
// their queue. shots names the test's screenshot folder.
func signIn(t *testing.T, browserPath, axe, base, shots string, groups ...string) *officer {
	t.Helper()
	ctx := browsertest.Start(t, browserPath, 1100)
	o := &officer{&browsertest.Keyboard{T: t, Ctx: ctx, Base: base, Axe: axe, Shots: browsertest.ScreenshotDir(t, shots)}}
	if status := o.Open("/staff"); status != http.StatusOK || o.Path() != "/_local/oidc/authorize" {
		t.Fatalf("signed out, /staff leads to %s (%d)", o.Path(), status)
	}
	o.checkPage("", "")
	o.submitSignIn(groups...)
	return o
}

// submitSignIn ticks the groups on the stand-in's page and sends it: the officer must land on their queue.
func (o *officer) submitSignIn(groups ...string) {
	o.T.Helper()
	for _, g := range groups {
		o.Tick("groups", g)
	}
	if status := o.Press(`form button[type=submit]`); status != http.StatusOK || o.Path() != "/staff" {
		o.T.Fatalf("signing in leads to %s (%d)", o.Path(), status)
	}
}
