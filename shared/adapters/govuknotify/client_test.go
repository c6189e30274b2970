package govuknotify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	serviceID = "26785a09-ab16-4eb0-8407-a37497a57506"
	secret    = "3d844edf-8d35-48ac-975b-e847b4f122b0"
	apiKey    = "my_test_key-" + serviceID + "-" + secret
)

func TestNewParsesTheKey(t *testing.T) {
	c, err := New("https://api.notifications.service.gov.uk/", apiKey)
	if err != nil || c.ServiceID != serviceID || c.secret != secret || c.BaseURL != "https://api.notifications.service.gov.uk" {
		t.Fatalf("%+v %v", c, err)
	}
	// the key name may contain dashes: the ids are read from the end
	if c, err := New("x", "council-housing-live-"+serviceID+"-"+secret); err != nil || c.ServiceID != serviceID || c.secret != secret {
		t.Errorf("dashed key name: %+v %v", c, err)
	}
	for _, bad := range []string{"", "short", serviceID + secret} {
		if _, err := New("x", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The request Notify documents: path, JSON body, and a JWT it can verify (HS256, iss = service id, fresh iat).
func TestSendEmailRequest(t *testing.T) {
	now := time.Now()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/notifications/email" || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s %v", r.Method, r.URL.Path, r.Header)
		}
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "Bearer ") {
			t.Errorf("Authorization %q", auth)
		}
		// verified as Notify does: HS256 with the secret key, iss = service id, iat = now in seconds, nothing else
		tok, err := jwt.Parse(strings.TrimPrefix(auth, "Bearer "), func(*jwt.Token) (any, error) { return []byte(secret), nil }, jwt.WithValidMethods([]string{"HS256"}))
		if err != nil {
			t.Errorf("JWT: %v", err)
		} else if claims := tok.Claims.(jwt.MapClaims); len(claims) != 2 || claims["iss"] != serviceID || claims["iat"] != float64(now.Unix()) || tok.Header["typ"] != "JWT" {
			t.Errorf("JWT header %v claims %v", tok.Header, claims)
		}
		if _, err := jwt.Parse(strings.TrimPrefix(auth, "Bearer "), func(*jwt.Token) (any, error) { return []byte(serviceID), nil }); err == nil {
			t.Error("the JWT verifies with a key other than the secret")
		}
		body, _ := io.ReadAll(r.Body)
		want := `{"email_address":"sam@example.org","template_id":"f33517ff-2a88-4f6e-b855-c550268ce08a","personalisation":{"reference":"CMP-1"},"reference":"CMP-1#received"}`
		if string(body) != want {
			t.Errorf("body\n%s\nwant\n%s", body, want)
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"740e5834-3a29-46b4-9a6f-16142fde533a","reference":"CMP-1#received","content":{"subject":"s","body":"b","from_email":"x@gov.uk"},"uri":"https://api.notifications.service.gov.uk/v2/notifications/740e5834-3a29-46b4-9a6f-16142fde533a","template":{"id":"f33517ff-2a88-4f6e-b855-c550268ce08a","version":1,"uri":"u"}}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, apiKey)
	c.Now = func() time.Time { return now }
	sent, err := c.SendEmail(context.Background(), Email{EmailAddress: "sam@example.org", TemplateID: "f33517ff-2a88-4f6e-b855-c550268ce08a",
		Personalisation: map[string]string{"reference": "CMP-1"}, Reference: "CMP-1#received"})
	if err != nil || sent.ID != "740e5834-3a29-46b4-9a6f-16142fde533a" || sent.Template.Version != 1 {
		t.Fatalf("%+v %v", sent, err)
	}
}

func TestSendSMSBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		if r.URL.Path != "/v2/notifications/sms" || body["phone_number"] != "07700900123" || body["template_id"] != "t" {
			t.Errorf("%s %v", r.URL.Path, body)
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"1","content":{"body":"b","from_number":"GOVUK"},"template":{"id":"t","version":2}}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, apiKey)
	if _, err := c.SendSMS(context.Background(), SMS{PhoneNumber: "07700900123", TemplateID: "t"}); err != nil {
		t.Fatal(err)
	}
}

// Notify's documented error shapes map to permanent (400, 403) and retryable (429, 5xx) errors.
func TestErrors(t *testing.T) {
	cases := []struct {
		status    int
		body      string
		permanent bool
		kind      string
	}{
		{400, `{"status_code":400,"errors":[{"error":"BadRequestError","message":"Can't send to this recipient using a team-only API key"}]}`, true, "BadRequestError"},
		{400, `{"status_code":400,"errors":[{"error":"ValidationError","message":"phone_number Not a UK mobile number"}]}`, true, "ValidationError"},
		{403, `{"status_code":403,"errors":[{"error":"AuthError","message":"Invalid token: API key not found"}]}`, true, "AuthError"},
		{429, `{"status_code":429,"errors":[{"error":"RateLimitError","message":"Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"}]}`, false, "RateLimitError"},
		{429, `{"status_code":429,"errors":[{"error":"TooManyRequestsError","message":"Exceeded send limits (1000) for today"}]}`, false, "TooManyRequestsError"},
		{500, `{"status_code":500,"errors":[{"error":"Exception","message":"Internal server error"}]}`, false, "Exception"},
		{502, `<html>Bad gateway</html>`, false, "Bad Gateway"},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		c, _ := New(srv.URL, apiKey)
		_, err := c.SendEmail(context.Background(), Email{EmailAddress: "a@b.c", TemplateID: "t"})
		var nerr *Error
		if !errors.As(err, &nerr) || nerr.StatusCode != tc.status || nerr.Permanent() != tc.permanent || nerr.Retryable() == tc.permanent ||
			Retryable(err) == tc.permanent || nerr.Kind() != tc.kind || nerr.AuthFailure() != (tc.status == 403) {
			t.Errorf("%d: %v", tc.status, err)
		}
		srv.Close()
	}
	c, _ := New("http://127.0.0.1:1", apiKey)
	if _, err := c.SendEmail(context.Background(), Email{}); err == nil || !Retryable(err) {
		t.Errorf("network failure: %v, want a retryable error", err)
	}
}

// A letter: POST /v2/notifications/letter with the address as address_line_1.. in the personalisation, the
// reference, and no recipient field.
func TestSendLetterBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		want := `{"template_id":"t-letter","personalisation":{"address_line_1":"Alex Resident","address_line_2":"Flat 2",` +
			`"address_line_3":"10 Example Road","address_line_4":"NN1 1DE","reference":"ASB-1"},"reference":"ASB-1#received"}`
		if r.URL.Path != "/v2/notifications/letter" || string(body) != want {
			t.Errorf("%s\n%s\nwant\n%s", r.URL.Path, body, want)
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"letter-1","reference":"ASB-1#received","content":{"body":"b","subject":"s"},"template":{"id":"t-letter","version":1},"scheduled_for":null}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, apiKey)
	id, err := Sender{Client: c}.Send(context.Background(), "letter", "Alex Resident\nFlat 2\n10 Example Road\nNN1 1DE", "t-letter",
		map[string]string{"reference": "ASB-1", "address_line_9": "dropped"}, "ASB-1#received")
	if err != nil || id != "letter-1" {
		t.Fatalf("%q %v", id, err)
	}
	if p := LetterPersonalisation(nil, []string{"1", "2", "3", "4", "5", "6", "7", "8"}); len(p) != 7 || p["address_line_7"] != "7" {
		t.Errorf("more than 7 lines: %v", p)
	}
}
