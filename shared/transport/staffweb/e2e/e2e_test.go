// Package e2e runs the staff console through the local cloud: the real staff-web and complaint-escalation
// binaries, DynamoDB Local and the SQS emulator, signing in through the local OpenID provider stand-in with the
// console's real code path (PKCE, the code exchanged at the token endpoint, the ID token verified against the
// stand-in's JWKS).
package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	hidden    = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)
)

// browser keeps the console's cookie by hand (the __Host- cookie is Secure; the local cloud is plain HTTP).
type browser struct {
	t      *testing.T
	base   string
	cookie string
	csrf   string
	client *http.Client
}

func (b *browser) do(method, target string, form url.Values) (int, string, string) {
	b.t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = b.base + target
	}
	var body io.Reader
	if form != nil {
		if !form.Has("csrf") && strings.Contains(target, "/staff/") {
			form.Set("csrf", b.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != "" && strings.Contains(target, "/staff") {
		req.Header.Set("Cookie", b.cookie)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-staff" {
			b.cookie = c.Name + "=" + c.Value
		}
	}
	if m := csrfField.FindSubmatch(raw); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(raw), resp.Header.Get("Location")
}

func TestSignInSeeTheQueueAndAcknowledgeAComplaint(t *testing.T) {
	c := localcloud.StartForTest(t, "complaint-escalation", "staff-web")
	// received on Monday 16 November 2026; acknowledge by Monday 23rd (5 working days, CH-4); today is the 24th
	c.PinClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC))
	r := c.Call(t, "POST", "/complaints", map[string]any{
		"description": "The lift has been broken for a month.", "outcomesSought": "Fix the lift", "serviceArea": "repairs", "issueDate": "2026-10-20",
		"complainant": map[string]any{"name": "Sam Resident", "email": "sam.console@example.org"},
	})
	if r.Status != 201 {
		t.Fatalf("complaint: %d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)
	c.PinClock(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC))

	b := &browser{t: t, base: c.URL(), client: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, _, loc := b.do("GET", "/staff", nil)
	if status != http.StatusSeeOther || loc != "/staff/sign-in?return=%2Fstaff" {
		t.Fatalf("signed out: %d %s", status, loc)
	}
	status, _, loc = b.do("GET", loc, nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, c.URL()+"/_local/oidc/authorize?") || !strings.Contains(loc, "code_challenge_method=S256") {
		t.Fatalf("sign-in: %d %s", status, loc)
	}
	status, page, _ := b.do("GET", loc, nil)
	if status != http.StatusOK || !strings.Contains(page, "Local only") {
		t.Fatalf("stand-in's authorize page: %d\n%s", status, page)
	}
	form := url.Values{"user": {"officer-a"}, "groups": {catalog.GroupComplaintsOfficer}}
	for _, m := range hidden.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&amp;", "&"))
	}
	// a wrong verifier at the token endpoint is refused: a code is bound to the challenge it was asked with
	status, _, back := b.do("POST", c.URL()+"/_local/oidc/authorize", form)
	if status != http.StatusFound || !strings.HasPrefix(back, c.URL()+"/staff/callback?") {
		t.Fatalf("authorize: %d %s", status, back)
	}
	status, _, loc = b.do("GET", back, nil)
	if status != http.StatusSeeOther || loc != "/staff" {
		t.Fatalf("callback: %d %s", status, loc)
	}
	status, queue, _ := b.do("GET", "/staff", nil)
	if status != http.StatusOK || !strings.Contains(queue, `href="/staff/complaints/`+ref+`"`) || !strings.Contains(queue, "Signed in as Alex Officer") {
		t.Fatalf("queue: %d\n%s", status, queue)
	}
	status, casePage, _ := b.do("GET", "/staff/complaints/"+ref, nil)
	if status != http.StatusOK || !strings.Contains(casePage, "Sam Resident") {
		t.Fatalf("case page: %d", status)
	}
	if status, _, _ := b.do("GET", "/staff/complaints/"+ref+"/acknowledge", nil); status != http.StatusOK {
		t.Fatalf("acknowledge form: %d", status)
	}
	status, _, loc = b.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"definition": {"The lift at 10 Example Road has not worked since October"},
		"outcomesSought": {"Fix the lift"}})
	if status != http.StatusSeeOther || loc != "/staff/complaints/"+ref {
		t.Fatalf("acknowledge: %d %s", status, loc)
	}
	if status, after, _ := b.do("GET", loc, nil); status != http.StatusOK || !strings.Contains(after, "The complaint was acknowledged") {
		t.Fatalf("case page after acknowledging: %d", status)
	}
	// the JSON API reads back what the console did, by the officer the ID token named
	rec := c.Call(t, "GET", "/complaints/"+ref+"/record", nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupComplaintsManager))
	cmp, _ := rec.JSON["complaint"].(map[string]any)
	stages, _ := cmp["stages"].([]any)
	var by any
	if len(stages) > 0 {
		by, _ = stages[0].(map[string]any)["acknowledgedBy"].(map[string]any)["id"]
	}
	if rec.Status != 200 || by != "officer-a" {
		t.Fatalf("record: %d %s", rec.Status, rec.Raw)
	}
	// the views were recorded: who, which case, when (one item for the day, two views)
	env := emulators.Shared(t)
	out, err := env.DDB.Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String(c.Resources.Tables[catalog.CasesTable]),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "VIEWS#COMPLAINT#" + ref}}})
	if err != nil || len(out.Items) != 1 {
		t.Fatalf("views: %v %v", err, out)
	}
	if sk := out.Items[0]["sk"].(*types.AttributeValueMemberS).Value; sk != "2026-11-24#officer-a" {
		t.Errorf("view key %s", sk)
	}
	if n := out.Items[0]["viewCount"].(*types.AttributeValueMemberN).Value; n != "2" {
		t.Errorf("views %s, want 2 (the page before and after acknowledging)", n)
	}
	// a search is recorded by the real binary (dynamo.StaffAudit): how and what it found, never what was typed
	if status, found, _ := b.do("GET", "/staff/find?reference="+url.QueryEscape("sam.console@example.org"), nil); status != http.StatusOK ||
		!strings.Contains(found, `href="/staff/complaints/`+ref+`"`) {
		t.Fatalf("find by email: %d", status)
	}
	day, err := dynamo.StaffAudit{Store: &dynamo.Store{DB: env.DDB, Cases: c.Resources.Tables[catalog.CasesTable]}}.Day(context.Background(), workdays.MustParseDate("2026-11-24"))
	if err != nil || len(day) != 1 || day[0].How != "email" || day[0].StaffID != "officer-a" || len(day[0].Found["complaint"]) != 1 || day[0].Found["complaint"][0] != ref {
		t.Errorf("the search's audit record: %+v %v", day, err)
	} else if raw, _ := json.Marshal(day); strings.Contains(string(raw), "sam.console") {
		t.Errorf("the audit holds the email address searched for: %s", raw)
	}
	// sign out: a post with the token; the session is gone
	status, _, loc = b.do("POST", "/staff/sign-out", url.Values{})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, c.URL()+"/_local/oidc/logout?") {
		t.Fatalf("sign out: %d %s", status, loc)
	}
	if status, _, _ := b.do("GET", "/staff", nil); status != http.StatusSeeOther {
		t.Errorf("after signing out: %d", status)
	}
}
