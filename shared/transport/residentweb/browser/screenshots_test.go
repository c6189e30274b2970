package browser

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/councilhousing/backend/infra/emulators"
)

// readmeShots are the pages the README shows (run with -update-screenshots to rewrite them).
var readmeShots = []string{"start", "report-asb-where-errors", "report-asb-check-answers", "report-asb-confirmation"}

// screenshotDir is where every page's screenshot goes: test-output/browser/ (ignored by git).
func screenshotDir(t *testing.T) string {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "test-output", "browser")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func saveReadmeShot(t *testing.T, name string, png []byte) {
	t.Helper()
	root, err := emulators.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "shared", "web", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	small, err := paletted(png)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), small, 0o644); err != nil {
		t.Fatal(err)
	}
}

// paletted re-encodes a screenshot with its 256 commonest colours (each pixel the nearest of them): a page of
// flat colours and text loses nothing visible and the committed file is a fraction of the size.
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
