// Package browsertest is what the pages' browser tests share (the resident pages' and the staff console's):
// Debian's Chromium started headless through chromedp, a tab driven as a keyboard user (Tab to move, Space to
// tick, typing, Enter to follow a link or press a button; scripts only read the page), axe-core's WCAG 2.2 A
// and AA checks, and screenshots, numbered per run and, for the README, reduced to 256 colours.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/councilhousing/backend/infra/emulators"
)

// RequiredEnv is set by `make test` (to "required"): there a missing browser or axe-core fails the test rather
// than skipping it.
const RequiredEnv = "BROWSER_TESTS"

// Chromium is the browser to drive: $CHROMIUM, else the first of Debian's and Google's names on the PATH.
func Chromium() string {
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

// Prerequisites are the browser and axe-core's source (from `make tools`); missing, the test skips when run
// alone and fails under `make test`.
func Prerequisites(t *testing.T) (browser, axe string) {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	axePath := filepath.Join(root, ".tools", "node_modules", "axe-core", "axe.min.js")
	src, axeErr := os.ReadFile(axePath)
	browser = Chromium()
	var missing string
	switch {
	case browser == "":
		missing = "Chromium is not installed (make tools installs Debian's chromium; or set CHROMIUM to a Chrome or Chromium binary)"
	case axeErr != nil:
		missing = "axe-core is not installed (" + axePath + "): run make tools"
	}
	if missing != "" {
		if os.Getenv(RequiredEnv) == "required" {
			t.Fatal(missing)
		}
		t.Skip("browser tests skipped: " + missing)
	}
	return browser, string(src)
}

// Start starts one headless Chromium for the whole test, its window width pixels wide: one tab, one renderer,
// so it fits in 2 cores.
func Start(t *testing.T, path string, width int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(width, 800),
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

// Keyboard drives one tab as a person with a keyboard. Nothing is clicked and no field is set from script.
type Keyboard struct {
	T     *testing.T
	Ctx   context.Context
	Base  string // the site's address, e.g. the local cloud's
	Axe   string // axe-core's source
	Shots string // where each page's screenshot is written, numbered
	// AxeChecks counts the pages and states axe-core checked (a test asserts it checked some).
	AxeChecks int
	shot      int
}

// Eval runs a read-only expression in the page.
func Eval[T any](k *Keyboard, expr string, opts ...chromedp.EvaluateOption) T {
	k.T.Helper()
	ctx, cancel := context.WithTimeout(k.Ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		k.T.Fatalf("%s: %v", expr, err)
	}
	return v
}

// Keys presses keys.
func (k *Keyboard) Keys(keys string) {
	k.T.Helper()
	ctx, cancel := context.WithTimeout(k.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		k.T.Fatalf("keys %q: %v", keys, err)
	}
}

// Navigate presses keys that load a page (Enter on a link or a button) and waits for it: the status of the
// page that loaded (after any redirect).
func (k *Keyboard) Navigate(keys string) int64 {
	k.T.Helper()
	ctx, cancel := context.WithTimeout(k.Ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	if err != nil {
		k.T.Fatalf("after %q: %v", keys, err)
	}
	return resp.Status
}

// Open types an address into the browser: the status of the page that loaded (after any redirect).
func (k *Keyboard) Open(path string) int64 {
	k.T.Helper()
	ctx, cancel := context.WithTimeout(k.Ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(k.Base+path))
	if err != nil {
		k.T.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// Path is the path of the page shown.
func (k *Keyboard) Path() string {
	k.T.Helper()
	u, err := url.Parse(Eval[string](k, `location.href`))
	if err != nil {
		k.T.Fatal(err)
	}
	return u.Path
}

// Focused says whether the focus is on an element matching selector.
func (k *Keyboard) Focused(selector string) bool {
	return Eval[bool](k, fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%s)`, Quote(selector)))
}

// TabTo presses Tab until the focus is on an element matching selector, as a keyboard user moves through the
// page; it fails when the element is never reached (not focusable, or hidden).
func (k *Keyboard) TabTo(selector string) {
	k.T.Helper()
	for range 150 {
		k.Keys(kb.Tab)
		if k.Focused(selector) {
			return
		}
	}
	k.T.Fatalf("%s: Tab never reaches %s", k.Path(), selector)
}

// TypeInto moves to a text field and types value, deleting what it held first (a page shown again with its
// errors keeps what was typed).
func (k *Keyboard) TypeInto(id, value string) {
	k.T.Helper()
	k.TabTo("#" + id)
	held := Eval[string](k, `document.activeElement.value`)
	if held == value {
		return
	}
	if held != "" {
		k.Keys(kb.End + strings.Repeat(kb.Backspace, len([]rune(held))))
	}
	k.Keys(value)
	if got := Eval[string](k, `document.activeElement.value`); got != value {
		k.T.Fatalf("%s: typed %q into #%s, it holds %q", k.Path(), value, id, got)
	}
}

// Choose selects a radio: Tab into the group, Space selects the focused option, the arrow keys move through the
// options (selecting each).
func (k *Keyboard) Choose(name, value string) {
	k.T.Helper()
	k.TabTo(fmt.Sprintf(`input[type=radio][name=%s]`, Quote(name)))
	if !Eval[bool](k, `document.activeElement.checked`) {
		k.Keys(" ")
	}
	for range 30 {
		if Eval[string](k, `document.activeElement.value`) == value {
			break
		}
		k.Keys(kb.ArrowDown)
	}
	if !Eval[bool](k, fmt.Sprintf(`document.activeElement.value === %s && document.activeElement.checked`, Quote(value))) {
		k.T.Fatalf("%s: could not choose %s=%s", k.Path(), name, value)
	}
}

// Tick ticks a checkbox with Space.
func (k *Keyboard) Tick(name, value string) {
	k.T.Helper()
	k.TabTo(fmt.Sprintf(`input[type=checkbox][name=%s][value=%s]`, Quote(name), Quote(value)))
	if !Eval[bool](k, `document.activeElement.checked`) {
		k.Keys(" ")
	}
	if !Eval[bool](k, `document.activeElement.checked`) {
		k.T.Fatalf("%s: could not tick %s=%s", k.Path(), name, value)
	}
}

// Press moves to the button or link matching selector and presses Enter: the status of the page it leads to.
func (k *Keyboard) Press(selector string) int64 {
	k.T.Helper()
	k.TabTo(selector)
	return k.Navigate(kb.Enter)
}

// violation is one axe-core rule a page breaks.
type violation struct {
	ID, Impact, Help string
	Nodes            []string
}

// wcag22AA are the axe-core tags of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
var wcag22AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// CheckAxe runs axe-core's WCAG 2.2 A and AA rules on the page as it is now (state names it: a page, or the same
// page showing errors) and reports each violation, and each GOV.UK Frontend component on the page that no style
// rule names (a component left out of shared/web/styles/app.scss shows unstyled, which axe-core does not see).
// axe-core waits on timers: with the page's scripts off, turn them on around this call.
func (k *Keyboard) CheckAxe(state string) {
	k.T.Helper()
	if !Eval[bool](k, `typeof window.axe === 'object'`) {
		Eval[bool](k, k.Axe+";true")
	}
	if missing := Eval[[]string](k, unstyled); len(missing) > 0 {
		k.T.Errorf("%s (%s): no style for %v (a GOV.UK Frontend component left out of shared/web/styles/app.scss?)", k.Path(), state, missing)
	}
	tags, _ := json.Marshal(wcag22AA)
	found := Eval[[]violation](k, `axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}, resultTypes: ['violations']})`+
		`.then(res => res.violations.map(v => ({ID: v.id, Impact: v.impact || '', Help: v.help, Nodes: v.nodes.map(n => n.target.join(' '))})))`, chromedp.EvalAwaitPromise)
	k.AxeChecks++
	for _, v := range found {
		k.T.Errorf("%s (%s): axe %s (%s): %s at %v", k.Path(), state, v.ID, v.Impact, v.Help, v.Nodes)
	}
}

// unstyled lists the GOV.UK Frontend components (a class's block: before any __ or --) on the page that no rule
// of its style sheets names. The govuk-js- classes are GOV.UK Frontend's hooks for its scripts (the character
// count's textarea), never styled.
const unstyled = `(() => {
	const block = c => c.split(/__|--/)[0];
	const named = new Set();
	const walk = rules => { for (const rule of rules) {
		for (const m of (rule.selectorText || '').matchAll(/\.(govuk-(?:\\.|[\w-])+)/g)) named.add(block(m[1].replace(/\\(.)/g, '$1')));
		if (rule.cssRules) walk(rule.cssRules);
	} };
	for (const sheet of document.styleSheets) walk(sheet.cssRules);
	const used = [...document.querySelectorAll('[class]')].flatMap(el => [...el.classList]).filter(c => c.startsWith('govuk-') && !c.startsWith('govuk-js-')).map(block);
	return [...new Set(used)].filter(b => !named.has(b)).sort();
})()`

// Screenshot saves the page as it is now into Shots, numbered, named after its path and state; it returns that
// name (without the number) and the PNG.
func (k *Keyboard) Screenshot(state string) (name string, shot []byte) {
	k.T.Helper()
	ctx, cancel := context.WithTimeout(k.Ctx, 30*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		k.T.Fatalf("screenshot: %v", err)
	}
	k.shot++
	name = strings.Trim(strings.ReplaceAll(k.Path(), "/", "-"), "-")
	if name == "" {
		name = "start"
	}
	if state != "" {
		name += "-" + state
	}
	if err := os.WriteFile(filepath.Join(k.Shots, fmt.Sprintf("%02d-%s.png", k.shot, name)), shot, 0o644); err != nil {
		k.T.Fatal(err)
	}
	return name, shot
}

// Quote is s as a JavaScript (JSON) string.
func Quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ScreenshotDir is test-output/<name> under the repository, emptied: the run's screenshots, for people to look
// at when a test fails (not committed).
func ScreenshotDir(t *testing.T, name string) string {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "test-output", name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// SaveReadmeShot writes a screenshot the README shows into shared/web/screenshots/<name>.png, in 256 colours.
func SaveReadmeShot(t *testing.T, name string, raw []byte) {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	small, err := Paletted(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "shared", "web", "screenshots", name+".png"), small, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Paletted keeps a screenshot's 256 commonest colours (pages are mostly flat colour and text): a README
// screenshot of a few tens of KB instead of hundreds.
func Paletted(raw []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	counts := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colours := make([]color.RGBA, 0, len(counts))
	for c := range counts {
		colours = append(colours, c)
	}
	sort.Slice(colours, func(i, j int) bool { return counts[colours[i]] > counts[colours[j]] })
	palette := color.Palette{}
	for _, c := range colours[:min(256, len(colours))] {
		palette = append(palette, c)
	}
	out := image.NewPaletted(b, palette)
	nearest := map[color.RGBA]uint8{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			i, ok := nearest[c]
			if !ok {
				i = uint8(palette.Index(c))
				nearest[c] = i
			}
			out.SetColorIndex(x, y, i)
		}
	}
	var buf bytes.Buffer
	err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, out)
	return buf.Bytes(), err
}
