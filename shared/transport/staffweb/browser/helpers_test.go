package browser

import (
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
