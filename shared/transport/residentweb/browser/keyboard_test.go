package browser

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/councilhousing/backend/infra/browsertest"
)

// resident drives one tab as a resident with a keyboard: Tab to move, Space to tick, arrow keys between radios,
// typing into fields and Enter to follow a link or press a button. Nothing is clicked and no field is set from
// script; scripts only read the page (where the focus is, what it says) and run axe-core.
type resident struct {
	*browsertest.Keyboard
	js    bool
	saved map[string]bool // README screenshots written
}

func newBrowser(t *testing.T, ctx context.Context, base, axe string, js bool, shots string) *resident {
	t.Helper()
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &resident{Keyboard: &browsertest.Keyboard{T: t, Ctx: ctx, Base: base, Axe: axe, Shots: shots}, js: js, saved: map[string]bool{}}
	r.scripts(js)
	return r
}

// scripts turns the page's JavaScript on or off (DevTools' "Disable JavaScript"): off, the page's own scripts
// and timers do not run, while the test's read-only expressions still do.
func (r *resident) scripts(on bool) {
	r.T.Helper()
	set := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(r.Ctx, set); err != nil {
		r.T.Fatal(err)
	}
}

// eval runs a read-only expression in the page.
func eval[T any](r *resident, expr string, opts ...chromedp.EvaluateOption) T {
	r.T.Helper()
	return browsertest.Eval[T](r.Keyboard, expr, opts...)
}

// enterOnLink presses Enter on the focused link as a keyboard does: the link acts on the key going down, and
// the browser then delivers no character, so the field the link moved the focus to does not receive an Enter
// (which would send its form). chromedp's KeyEvent sends the character too.
func (r *resident) enterOnLink() {
	r.T.Helper()
	press := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for _, k := range kb.Encode('\r') {
			if k.Type == kb.KeyChar {
				continue
			}
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, *k); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
	if err := chromedp.Do(r.Ctx, press); err != nil {
		r.T.Fatal(err)
	}
}

// submit moves to the form's button and presses Enter; the status of the page it leads to.
func (r *resident) submit() int64 {
	r.T.Helper()
	return r.Press(`form button[type=submit]`)
}

// follow moves to the link and presses Enter.
func (r *resident) follow(href string) {
	r.T.Helper()
	r.TabTo(fmt.Sprintf(`a[href=%s]`, browsertest.Quote(href)))
	if status := r.Navigate(kb.Enter); status != 200 {
		r.T.Fatalf("link %s: %d", href, status)
	}
}

// fill answers a page's fields.
func (r *resident) fill(fields []answer) {
	r.T.Helper()
	for _, f := range fields {
		switch f.kind {
		case text:
			r.TypeInto(f.name, f.value)
		case radio:
			r.Choose(f.name, f.value)
		case tick:
			r.Tick(f.name, f.value)
		}
	}
}

// errorLinks are the error summary's links (their href), after checking that each points at an element.
func (r *resident) errorLinks() []string {
	r.T.Helper()
	links := eval[[]string](r, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`)
	for _, href := range links {
		if !strings.HasPrefix(href, "#") || !eval[bool](r, fmt.Sprintf(`document.getElementById(%s) !== null`, browsertest.Quote(href[1:]))) {
			r.T.Errorf("%s: error summary link %s points at nothing", r.Path(), href)
		}
	}
	return links
}

// followErrorLink presses Enter on the error summary's first link: the focus moves to its field (GOV.UK
// Frontend's error summary with JavaScript, the browser's own fragment navigation without).
func (r *resident) followErrorLink(href string) {
	r.T.Helper()
	r.TabTo(fmt.Sprintf(`.govuk-error-summary a[href=%s]`, browsertest.Quote(href)))
	r.enterOnLink()
	deadline := time.Now().Add(5 * time.Second)
	for !r.Focused(href) {
		if time.Now().After(deadline) {
			r.T.Fatalf("%s: after the error link %s the focus is on %s", r.Path(), href, eval[string](r, `document.activeElement.outerHTML.slice(0, 120)`))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkPage runs axe-core on the page as it is now (a page, or the same page showing errors), checks whether
// JavaScript ran as it should and saves a screenshot.
func (r *resident) checkPage(state string) {
	r.T.Helper()
	if enhanced := eval[bool](r, `document.body.classList.contains('js-enabled')`); enhanced != r.js {
		r.T.Errorf("%s: GOV.UK Frontend's JavaScript ran: %v, want %v", r.Path(), enhanced, r.js)
	}
	if !r.js {
		// axe-core waits on timers, which do not fire while scripts are off; the page's own scripts, skipped
		// when it loaded, stay skipped
		r.scripts(true)
		defer r.scripts(false)
	}
	r.CheckAxe(state)
	r.screenshot(state)
}

// axeCanary proves axe-core runs and reports: an image without a text alternative, added to the page, must be
// found (so a silent axe cannot pass the checks above).
func (r *resident) axeCanary() {
	r.T.Helper()
	eval[bool](r, `document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/assets/none.png">'); true`)
	if !eval[bool](r, `typeof window.axe === 'object'`) {
		eval[bool](r, r.Axe+";true")
	}
	ids := eval[[]string](r, `axe.run(document, {runOnly: {type: 'rule', values: ['image-alt']}}).then(res => res.violations.map(v => v.id))`, chromedp.EvalAwaitPromise)
	if !slices.Contains(ids, "image-alt") {
		r.T.Errorf("axe-core did not report an image without alt text: %v", ids)
	}
}

func (r *resident) screenshot(state string) {
	r.T.Helper()
	name, png := r.Screenshot(state)
	if *updateScreenshots && r.js && slices.Contains(readmeShots, name) && !r.saved[name] { // the first journey's
		browsertest.SaveReadmeShot(r.T, name, png)
		r.saved[name] = true
	}
}
