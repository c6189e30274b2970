package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// resident drives one tab as a resident with a keyboard: Tab to move, Space to tick, arrow keys between radios,
// typing into fields and Enter to follow a link or press a button. Nothing is clicked and no field is set from
// script; scripts only read the page (where the focus is, what it says) and run axe-core.
type resident struct {
	t         *testing.T
	ctx       context.Context
	base      string
	axe       string
	js        bool
	shots     string
	shot      int
	axeChecks int
	saved     map[string]bool // README screenshots written
}

func newBrowser(t *testing.T, ctx context.Context, base, axe string, js bool, shots string) *resident {
	t.Helper()
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &resident{t: t, ctx: ctx, base: base, axe: axe, js: js, shots: shots, saved: map[string]bool{}}
	r.scripts(js)
	return r
}

// scripts turns the page's JavaScript on or off (DevTools' "Disable JavaScript"): off, the page's own scripts
// and timers do not run, while the test's read-only expressions still do.
func (r *resident) scripts(on bool) {
	r.t.Helper()
	set := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(r.ctx, set); err != nil {
		r.t.Fatal(err)
	}
}

// eval runs a read-only expression in the page.
func eval[T any](r *resident, expr string, opts ...chromedp.EvaluateOption) T {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		r.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (r *resident) keys(keys string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		r.t.Fatalf("keys %q: %v", keys, err)
	}
}

// enterOnLink presses Enter on the focused link as a keyboard does: the link acts on the key going down, and
// the browser then delivers no character, so the field the link moved the focus to does not receive an Enter
// (which would send its form). chromedp's KeyEvent sends the character too.
func (r *resident) enterOnLink() {
	r.t.Helper()
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
	if err := chromedp.Do(r.ctx, press); err != nil {
		r.t.Fatal(err)
	}
}

// navigate presses keys that load a page (Enter on a link or a button) and waits for it; the status of the
// page that loaded (after any redirect).
func (r *resident) navigate(keys string) int64 {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	if err != nil {
		r.t.Fatalf("after %q: %v", keys, err)
	}
	return resp.Status
}

// open types an address into the browser (the start of every journey); the status of the page that loaded
// (after any redirect).
func (r *resident) open(path string) int64 {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(r.base+path))
	if err != nil {
		r.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

func (r *resident) path() string {
	r.t.Helper()
	u, err := url.Parse(eval[string](r, `location.href`))
	if err != nil {
		r.t.Fatal(err)
	}
	return u.Path
}

func (r *resident) focused(selector string) bool {
	return eval[bool](r, fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%s)`, quote(selector)))
}

// tabTo presses Tab until the focus is on an element matching selector, as a keyboard user moves through the
// page; it fails when the element is never reached (not focusable, or hidden).
func (r *resident) tabTo(selector string) {
	r.t.Helper()
	for range 120 {
		r.keys(kb.Tab)
		if r.focused(selector) {
			return
		}
	}
	r.t.Fatalf("%s: Tab never reaches %s", r.path(), selector)
}

// typeInto moves to a text field and types value, deleting what it held first (a page shown again with its
// errors keeps what was typed).
func (r *resident) typeInto(id, value string) {
	r.t.Helper()
	r.tabTo("#" + id)
	held := eval[string](r, `document.activeElement.value`)
	if held == value {
		return
	}
	if held != "" {
		r.keys(kb.End + strings.Repeat(kb.Backspace, len([]rune(held))))
	}
	r.keys(value)
	if got := eval[string](r, `document.activeElement.value`); got != value {
		r.t.Fatalf("%s: typed %q into #%s, it holds %q", r.path(), value, id, got)
	}
}

// choose selects a radio: Tab into the group, Space selects the focused option, the arrow keys move through
// the options (selecting each).
func (r *resident) choose(name, value string) {
	r.t.Helper()
	r.tabTo(fmt.Sprintf(`input[type=radio][name=%s]`, quote(name)))
	if !eval[bool](r, `document.activeElement.checked`) {
		r.keys(" ")
	}
	for range 20 {
		if eval[string](r, `document.activeElement.value`) == value {
			break
		}
		r.keys(kb.ArrowDown)
	}
	if !eval[bool](r, fmt.Sprintf(`document.activeElement.value === %s && document.activeElement.checked`, quote(value))) {
		r.t.Fatalf("%s: could not choose %s=%s", r.path(), name, value)
	}
}

// tick ticks a checkbox with Space.
func (r *resident) tick(name, value string) {
	r.t.Helper()
	r.tabTo(fmt.Sprintf(`input[type=checkbox][name=%s][value=%s]`, quote(name), quote(value)))
	if !eval[bool](r, `document.activeElement.checked`) {
		r.keys(" ")
	}
	if !eval[bool](r, `document.activeElement.checked`) {
		r.t.Fatalf("%s: could not tick %s=%s", r.path(), name, value)
	}
}

// submit moves to the form's button and presses Enter; the status of the page it leads to.
func (r *resident) submit() int64 {
	r.t.Helper()
	return r.press(`form button[type=submit]`)
}

// press moves to the button matching selector (one of several forms on a page) and presses Enter; the status
// of the page it leads to.
func (r *resident) press(selector string) int64 {
	r.t.Helper()
	r.tabTo(selector)
	return r.navigate(kb.Enter)
}

// follow moves to the link and presses Enter.
func (r *resident) follow(href string) {
	r.t.Helper()
	r.tabTo(fmt.Sprintf(`a[href=%s]`, quote(href)))
	if status := r.navigate(kb.Enter); status != 200 {
		r.t.Fatalf("link %s: %d", href, status)
	}
}

// fill answers a page's fields.
func (r *resident) fill(fields []answer) {
	r.t.Helper()
	for _, f := range fields {
		switch f.kind {
		case text:
			r.typeInto(f.name, f.value)
		case radio:
			r.choose(f.name, f.value)
		case tick:
			r.tick(f.name, f.value)
		}
	}
}

// errorLinks are the error summary's links (their href), after checking that each points at an element.
func (r *resident) errorLinks() []string {
	r.t.Helper()
	links := eval[[]string](r, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`)
	for _, href := range links {
		if !strings.HasPrefix(href, "#") || !eval[bool](r, fmt.Sprintf(`document.getElementById(%s) !== null`, quote(href[1:]))) {
			r.t.Errorf("%s: error summary link %s points at nothing", r.path(), href)
		}
	}
	return links
}

// followErrorLink presses Enter on the error summary's first link: the focus moves to its field (GOV.UK
// Frontend's error summary with JavaScript, the browser's own fragment navigation without).
func (r *resident) followErrorLink(href string) {
	r.t.Helper()
	r.tabTo(fmt.Sprintf(`.govuk-error-summary a[href=%s]`, quote(href)))
	r.enterOnLink()
	deadline := time.Now().Add(5 * time.Second)
	for !r.focused(href) {
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: after the error link %s the focus is on %s", r.path(), href, eval[string](r, `document.activeElement.outerHTML.slice(0, 120)`))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// violation is one axe-core rule a page breaks.
type violation struct {
	ID, Impact, Help string
	Nodes            []string
}

// wcag22AA are the axe-core tags of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
var wcag22AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// checkPage runs axe-core on the page as it is now (a page, or the same page showing errors), checks whether
// JavaScript ran as it should and saves a screenshot.
func (r *resident) checkPage(state string) {
	r.t.Helper()
	if enhanced := eval[bool](r, `document.body.classList.contains('js-enabled')`); enhanced != r.js {
		r.t.Errorf("%s: GOV.UK Frontend's JavaScript ran: %v, want %v", r.path(), enhanced, r.js)
	}
	if !eval[bool](r, `typeof window.axe === 'object'`) {
		eval[bool](r, r.axe+";true")
	}
	if missing := eval[[]string](r, unstyled); len(missing) > 0 {
		r.t.Errorf("%s (%s): no style for %v (a GOV.UK Frontend component left out of shared/web/styles/app.scss?)", r.path(), state, missing)
	}
	tags, _ := json.Marshal(wcag22AA)
	if !r.js {
		// axe-core waits on timers, which do not fire while scripts are off; the page's own scripts, skipped
		// when it loaded, stay skipped
		r.scripts(true)
		defer r.scripts(false)
	}
	found := eval[[]violation](r, `axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}, resultTypes: ['violations']})`+
		`.then(res => res.violations.map(v => ({ID: v.id, Impact: v.impact || '', Help: v.help, Nodes: v.nodes.map(n => n.target.join(' '))})))`, chromedp.EvalAwaitPromise)
	r.axeChecks++
	for _, v := range found {
		r.t.Errorf("%s (%s): axe %s (%s): %s at %v", r.path(), state, v.ID, v.Impact, v.Help, v.Nodes)
	}
	r.screenshot(state)
}

// unstyled lists the GOV.UK Frontend components (a class's block: before any __ or --) on the page that no rule
// of its style sheets names: a component whose Sass is not compiled into app.css shows unstyled, which axe-core
// does not see.
const unstyled = `(() => {
	const block = c => c.split(/__|--/)[0];
	const named = new Set();
	const walk = rules => { for (const rule of rules) {
		for (const m of (rule.selectorText || '').matchAll(/\.(govuk-(?:\\.|[\w-])+)/g)) named.add(block(m[1].replace(/\\(.)/g, '$1')));
		if (rule.cssRules) walk(rule.cssRules);
	} };
	for (const sheet of document.styleSheets) walk(sheet.cssRules);
	const used = [...document.querySelectorAll('[class]')].flatMap(el => [...el.classList]).filter(c => c.startsWith('govuk-')).map(block);
	return [...new Set(used)].filter(b => !named.has(b)).sort();
})()`

// axeCanary proves axe-core runs and reports: an image without a text alternative, added to the page, must be
// found (so a silent axe cannot pass the checks above).
func (r *resident) axeCanary() {
	r.t.Helper()
	eval[bool](r, `document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/assets/none.png">'); true`)
	if !eval[bool](r, `typeof window.axe === 'object'`) {
		eval[bool](r, r.axe+";true")
	}
	ids := eval[[]string](r, `axe.run(document, {runOnly: {type: 'rule', values: ['image-alt']}}).then(res => res.violations.map(v => v.id))`, chromedp.EvalAwaitPromise)
	if !slices.Contains(ids, "image-alt") {
		r.t.Errorf("axe-core did not report an image without alt text: %v", ids)
	}
}

func (r *resident) screenshot(state string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		r.t.Fatalf("screenshot: %v", err)
	}
	r.shot++
	name := strings.Trim(strings.ReplaceAll(r.path(), "/", "-"), "-")
	if name == "" {
		name = "start"
	}
	if state != "" {
		name += "-" + state
	}
	file := filepath.Join(r.shots, fmt.Sprintf("%02d-%s.png", r.shot, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		r.t.Fatal(err)
	}
	if *updateScreenshots && r.js && slices.Contains(readmeShots, name) && !r.saved[name] { // the first journey's
		saveReadmeShot(r.t, name, png)
		r.saved[name] = true
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
