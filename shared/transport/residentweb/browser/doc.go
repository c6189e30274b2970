// Package browser drives the resident pages in Debian's Chromium (chromedp) against the local cloud: each
// journey completed with the keyboard only, with JavaScript on and again with it off, every page and error
// state checked by axe-core for WCAG 2.2 A and AA, and what the confirmation shows read back through the staff
// JSON API. The tests are in this package's _test.go files; `make test` runs them (BROWSER_TESTS=required makes a
// missing Chromium or axe-core a failure there), and alone they skip without Chromium:
//
//	go test -count=1 -v ./shared/transport/residentweb/browser/
//
// Screenshots of every page go to test-output/browser/ (ignored by git); -update-screenshots also rewrites
// the small README screenshots in shared/web/screenshots/.
package browser
