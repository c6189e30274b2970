package browser

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

// The helpers of shared/transport/residentweb/browser, cut down to what the console's test needs: a keyboard
// (Tab, Space, arrows, typing, Enter), axe-core, and screenshots.

const requiredEnv = "BROWSER_TESTS"

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

func prerequisites(t *testing.T) (browser, axe string) {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	axePath := filepath.Join(root, ".tools", "node_modules", "axe-core", "axe.min.js")
	src, axeErr := os.ReadFile(axePath)
	browser = chromium()
	missing := ""
	switch {
	case browser == "":
		missing = "Chromium is not installed (make tools; or set CHROMIUM)"
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

func startBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(1100, 800),
		chromedp.Flag("renderer-process-limit", "1"), chromedp.Flag("lang", "en-GB"))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// officer drives one tab with the keyboard; scripts only read the page and run axe-core.
type officer struct {
	t         *testing.T
	ctx       context.Context
	base, axe string
	shots     string
	shot      int
	axeChecks int
}

func eval[T any](o *officer, expr string, opts ...chromedp.EvaluateOption) T {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(o.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		o.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (o *officer) keys(keys string) {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(o.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		o.t.Fatalf("keys %q: %v", keys, err)
	}
}

// navigate presses keys that load a page and waits for it: the status of the page that loaded.
func (o *officer) navigate(keys string) int64 {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(o.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	if err != nil {
		o.t.Fatalf("after %q: %v", keys, err)
	}
	return resp.Status
}

// open types an address into the browser.
func (o *officer) open(path string) int64 {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(o.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(o.base+path))
	if err != nil {
		o.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

func (o *officer) path() string {
	o.t.Helper()
	u, err := url.Parse(eval[string](o, `location.href`))
	if err != nil {
		o.t.Fatal(err)
	}
	return u.Path
}

func (o *officer) focused(selector string) bool {
	return eval[bool](o, fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%s)`, quote(selector)))
}

func (o *officer) tabTo(selector string) {
	o.t.Helper()
	for range 150 {
		o.keys(kb.Tab)
		if o.focused(selector) {
			return
		}
	}
	o.t.Fatalf("%s: Tab never reaches %s", o.path(), selector)
}

func (o *officer) typeInto(id, value string) {
	o.t.Helper()
	o.tabTo("#" + id)
	if held := eval[string](o, `document.activeElement.value`); held != "" {
		o.keys(kb.End + strings.Repeat(kb.Backspace, len([]rune(held))))
	}
	o.keys(value)
	if got := eval[string](o, `document.activeElement.value`); got != value {
		o.t.Fatalf("%s: typed %q into #%s, it holds %q", o.path(), value, id, got)
	}
}

func (o *officer) tick(name, value string) {
	o.t.Helper()
	o.tabTo(fmt.Sprintf(`input[type=checkbox][name=%s][value=%s]`, quote(name), quote(value)))
	if !eval[bool](o, `document.activeElement.checked`) {
		o.keys(" ")
	}
	if !eval[bool](o, `document.activeElement.checked`) {
		o.t.Fatalf("%s: could not tick %s=%s", o.path(), name, value)
	}
}

// press moves to the button or link matching selector and presses Enter: the status of the page it leads to.
func (o *officer) press(selector string) int64 {
	o.t.Helper()
	o.tabTo(selector)
	return o.navigate(kb.Enter)
}

type violation struct {
	ID, Impact, Help string
	Nodes            []string
}

var wcag22AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// checkPage runs axe-core on the page as it is now and saves a screenshot (name: the README's, if any).
func (o *officer) checkPage(state, readme string) {
	o.t.Helper()
	if !eval[bool](o, `typeof window.axe === 'object'`) {
		eval[bool](o, o.axe+";true")
	}
	tags, _ := json.Marshal(wcag22AA)
	found := eval[[]violation](o, `axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}, resultTypes: ['violations']})`+
		`.then(res => res.violations.map(v => ({ID: v.id, Impact: v.impact || '', Help: v.help, Nodes: v.nodes.map(n => n.target.join(' '))})))`, chromedp.EvalAwaitPromise)
	o.axeChecks++
	for _, v := range found {
		o.t.Errorf("%s (%s): axe %s (%s): %s at %v", o.path(), state, v.ID, v.Impact, v.Help, v.Nodes)
	}
	if missing := eval[[]string](o, unstyled); len(missing) > 0 {
		o.t.Errorf("%s (%s): no style for %v", o.path(), state, missing)
	}
	ctx, cancel := context.WithTimeout(o.ctx, 30*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		o.t.Fatalf("screenshot: %v", err)
	}
	o.shot++
	name := strings.Trim(strings.ReplaceAll(o.path(), "/", "-"), "-")
	if state != "" {
		name += "-" + state
	}
	if err := os.WriteFile(filepath.Join(o.shots, fmt.Sprintf("%02d-%s.png", o.shot, name)), shot, 0o644); err != nil {
		o.t.Fatal(err)
	}
	if readme != "" && *updateScreenshots {
		saveReadmeShot(o.t, readme, shot)
	}
}

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

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "test-output", "staff-browser")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func saveReadmeShot(t *testing.T, name string, raw []byte) {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	small, err := paletted(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "shared", "web", "screenshots", name+".png"), small, 0o644); err != nil {
		t.Fatal(err)
	}
}

// paletted keeps a screenshot's 256 commonest colours, as the resident pages' README screenshots do.
func paletted(raw []byte) ([]byte, error) {
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
