package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

// signIn takes b through the stand-in's sign-in page as user with groups, and back to the queue.
func (b *browser) signIn(c *localcloud.Cloud, user string, groups ...string) {
	b.t.Helper()
	status, _, loc := b.do("GET", "/staff/sign-in", nil)
	if status != http.StatusSeeOther {
		b.t.Fatalf("sign-in: %d", status)
	}
	status, page, _ := b.do("GET", loc, nil)
	if status != http.StatusOK {
		b.t.Fatalf("stand-in's authorize page: %d", status)
	}
	form := url.Values{"user": {user}, "groups": groups}
	for _, m := range hidden.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&amp;", "&"))
	}
	if status, _, loc = b.do("POST", c.URL()+"/_local/oidc/authorize", form); status != http.StatusFound {
		b.t.Fatalf("authorize: %d", status)
	}
	if status, _, loc = b.do("GET", loc, nil); status != http.StatusSeeOther || loc != "/staff" {
		b.t.Fatalf("callback: %d %s", status, loc)
	}
}

// An ASB report made through the JSON API is on an ASB officer's queue to acknowledge; the console's
// acknowledgement is the API's use case (read back through GET /asb/cases/{reference}), and the view is recorded.
func TestAcknowledgeAnASBReport(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "staff-web")
	c.PinClock(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC))
	r := c.Call(t, "POST", "/asb/reports", map[string]any{"type": "noise", "description": "Loud music every night until 3am.",
		"location": map[string]any{"address": "Flat 4, 10 High Street", "postcode": "NN1 1AA"}, "ongoing": true,
		"reporter": map[string]any{"name": "Riley Reporter", "email": "riley.console@example.org"}})
	if r.Status != 201 {
		t.Fatalf("report: %d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)
	b := &browser{t: t, base: c.URL(), client: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	b.signIn(c, "officer-a", catalog.GroupASBOfficer)
	status, queue, _ := b.do("GET", "/staff", nil)
	if status != http.StatusOK || !strings.Contains(queue, `id="new-asb-reports"`) || !strings.Contains(queue, `href="/staff/asb/`+ref+`"`) {
		t.Fatalf("queue: %d\n%s", status, queue)
	}
	status, page, _ := b.do("GET", "/staff/asb/"+ref, nil)
	if status != http.StatusOK || !strings.Contains(page, "Riley Reporter") {
		t.Fatalf("case page: %d\n%s", status, page)
	}
	status, _, loc := b.do("POST", "/staff/asb/"+ref+"/acknowledge", url.Values{})
	if status != http.StatusSeeOther || loc != "/staff/asb/"+ref {
		t.Fatalf("acknowledge: %d %s", status, loc)
	}
	got := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupASBManager))
	cs, _ := got.JSON["case"].(map[string]any)
	if got.Status != 200 || cs["status"] != "acknowledged" || cs["acknowledgedAt"] == nil {
		t.Fatalf("case: %d %s", got.Status, got.Raw)
	}
	if status, queue, _ := b.do("GET", "/staff", nil); status != http.StatusOK || strings.Contains(queue, `id="new-asb-reports"`) {
		t.Errorf("the acknowledged report is still to acknowledge: %d", status)
	}
}
