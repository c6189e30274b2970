package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

var onceField = regexp.MustCompile(`name="once" value="([A-Za-z0-9_-]+)"`)

// The log-a-complaint form through the real stack: sent twice in a row, and twice at once (the idempotency
// table's conditional write decides which one logs), each form logs one complaint and every sending of it leads
// to that complaint; the staff API lists exactly one complaint a form.
func TestLoggingAFormTwiceLogsOneComplaint(t *testing.T) {
	c := localcloud.StartForTest(t, "complaint-escalation", "staff-web")
	c.PinClock(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC))
	b := &browser{t: t, base: c.URL(), client: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	b.signIn(c, "officer-a", catalog.GroupComplaintsOfficer)
	formOf := func() url.Values {
		status, page, _ := b.do("GET", "/staff/log-complaint", nil)
		m := onceField.FindStringSubmatch(page)
		if status != http.StatusOK || m == nil {
			t.Fatalf("the log form: %d", status)
		}
		return url.Values{"channel": {"phone"}, "receivedOn-day": {"23"}, "receivedOn-month": {"11"}, "receivedOn-year": {"2026"},
			"name": {"Lee Resident"}, "phone": {"07700 900777"}, "serviceArea": {"repairs"}, "description": {"The boiler keeps failing."},
			"outcomesSought": {"A new boiler"}, "issueDate-day": {"1"}, "issueDate-month": {"11"}, "issueDate-year": {"2026"}, "once": {m[1]}}
	}
	// one after the other: a re-post after a network error
	form := formOf()
	status, _, first := b.do("POST", "/staff/log-complaint", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(first, "/staff/complaints/CMP-") {
		t.Fatalf("logging: %d %s", status, first)
	}
	if status, _, again := b.do("POST", "/staff/log-complaint", form); status != http.StatusSeeOther || again != first {
		t.Errorf("the same form again: %d %s, want %s", status, again, first)
	}
	// both at once: a double click
	form = formOf()
	form.Set("csrf", b.csrf)
	var wg sync.WaitGroup
	locs := make([]string, 2)
	for i := range locs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", b.base+"/staff/log-complaint", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", b.cookie)
			if resp, err := b.client.Do(req); err == nil {
				resp.Body.Close()
				locs[i] = resp.Status + " " + resp.Header.Get("Location")
			}
		}()
	}
	wg.Wait()
	if locs[0] != locs[1] || !strings.HasPrefix(locs[0], "303 See Other /staff/complaints/CMP-") || strings.HasSuffix(locs[0], first) {
		t.Errorf("a double click leads to %q and %q", locs[0], locs[1])
	}
	list := c.Call(t, "GET", "/complaints", nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupComplaintsManager))
	items, _ := list.JSON["items"].([]any)
	if list.Status != 200 || len(items) != 2 {
		t.Fatalf("the API lists %d complaints from two forms: %s", len(items), list.Raw)
	}
}
