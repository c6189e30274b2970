// Package browser drives the staff console in Debian's Chromium (chromedp) against the local cloud, with the
// keyboard only: sign in through the local OpenID provider stand-in, open a complaint from the work queue and
// acknowledge it, with axe-core (WCAG 2.2 A and AA) on every page and state visited. Kept small: browsers are
// slow on 2 cores. Without Chromium or axe-core it skips (BROWSER_TESTS=required makes that a failure):
//
//	go test -count=1 -v ./shared/transport/staffweb/browser/
//	go test -count=1 ./shared/transport/staffweb/browser/ -update-screenshots   # rewrites the README's staff screenshots
//
// Screenshots of every page go to test-output/staff-browser/ (ignored by git).
package browser
