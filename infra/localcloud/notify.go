package localcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/councilhousing/backend/shared/catalog"
)

// notifyStandIn answers like GOV.UK Notify's REST API v2 (POST /v2/notifications/email, /sms and /letter): it
// checks the JWT as Notify does (HS256 signed with the API key's secret, iss = service id, iat within 30 seconds)
// and keeps what it receives for GET /_local/outbox. It sends nothing anywhere; on request (POST
// /_local/notify/receipts) it posts a delivery receipt of what it received to the callback route, as Notify does.
type notifyStandIn struct {
	serviceID string
	secret    string
	clock     *Clock
	mu        sync.Mutex
	outbox    []OutboxItem
}

// OutboxItem is one notification the stand-in accepted.
type OutboxItem struct {
	ID              string         `json:"id"`
	Type            string         `json:"type"` // email | sms | letter
	To              string         `json:"to"`   // a letter's: its address lines, joined with ", "
	TemplateID      string         `json:"templateId"`
	Personalisation map[string]any `json:"personalisation"`
	Reference       string         `json:"reference,omitempty"`
	CreatedAt       time.Time      `json:"createdAt"`
}

// newNotifyStandIn reads an API key of the form <name>-<service id>-<secret> (each id 36 characters).
func newNotifyStandIn(apiKey string, clock *Clock) (*notifyStandIn, error) {
	if len(apiKey) < 74 || apiKey[len(apiKey)-74] != '-' || apiKey[len(apiKey)-37] != '-' {
		return nil, fmt.Errorf("NOTIFY_API_KEY is not of the form <name>-<service id>-<secret key> (two 36-character UUIDs)")
	}
	return &notifyStandIn{serviceID: apiKey[len(apiKey)-73 : len(apiKey)-37], secret: apiKey[len(apiKey)-36:], clock: clock}, nil
}

type notifyError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func notifyFail(w http.ResponseWriter, status int, kind, message string) {
	writeJSON(w, status, map[string]any{"status_code": status, "errors": []notifyError{{Error: kind, Message: message}}})
}

// authorise checks the Authorization header as Notify does; it answers the status and message Notify would.
func (n *notifyStandIn) authorise(r *http.Request) (int, string) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return http.StatusUnauthorized, "Unauthorized: authentication token must be provided"
	}
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return http.StatusUnauthorized, "Unauthorized: authentication bearer scheme must be used"
	}
	token, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return []byte(n.secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return http.StatusForbidden, "Invalid token: signature, api token not found"
	}
	claims := token.Claims.(jwt.MapClaims)
	iss, _ := claims["iss"].(string)
	switch {
	case iss == "":
		return http.StatusForbidden, "Invalid token: iss field not provided"
	case iss != n.serviceID:
		return http.StatusForbidden, "Invalid token: service not found"
	}
	iat, ok := claims["iat"].(float64)
	if !ok {
		return http.StatusForbidden, "Invalid token: iat field not provided"
	}
	if skew := time.Since(time.Unix(int64(iat), 0)); skew > 30*time.Second || skew < -30*time.Second {
		return http.StatusForbidden, "Error: Your system clock must be accurate to within 30 seconds"
	}
	return 0, ""
}

// notificationRequest is the body of POST /v2/notifications/email, /sms or /letter.
type notificationRequest struct {
	EmailAddress    string          `json:"email_address"`
	PhoneNumber     string          `json:"phone_number"`
	TemplateID      string          `json:"template_id"`
	Personalisation json.RawMessage `json:"personalisation"`
	Reference       string          `json:"reference"`
}

var ukMobile = regexp.MustCompile(`^(\+44|0044|0)7\d{9}$`)

// validate checks what Notify's schema checks, with Notify's messages; it returns the recipient.
func (req notificationRequest) validate(kind string) (to string, personalisation map[string]any, problem string) {
	if req.TemplateID == "" {
		return "", nil, "template_id is a required property"
	}
	if len(req.Personalisation) > 0 && string(req.Personalisation) != "null" {
		if json.Unmarshal(req.Personalisation, &personalisation) != nil {
			return "", nil, "personalisation " + string(req.Personalisation) + " is not of type object"
		}
	}
	if kind == "letter" {
		return letterAddress(personalisation)
	}
	if kind == "email" {
		switch {
		case req.EmailAddress == "":
			return "", nil, "email_address is a required property"
		case !strings.Contains(strings.Trim(req.EmailAddress, "@"), "@"):
			return "", nil, "email_address Not a valid email address"
		}
		return req.EmailAddress, personalisation, ""
	}
	switch {
	case req.PhoneNumber == "":
		return "", nil, "phone_number is a required property"
	case !ukMobile.MatchString(strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(req.PhoneNumber)):
		return "", nil, "phone_number Not a UK mobile number"
	}
	return req.PhoneNumber, personalisation, ""
}

// letterAddress checks a letter's address as Notify does: address_line_1 to address_line_7 in the
// personalisation, at least 3 of them, the last a UK postcode (this stand-in sends nothing abroad).
func letterAddress(personalisation map[string]any) (to string, _ map[string]any, problem string) {
	var lines []string
	for i := 1; i <= 7; i++ {
		if line, _ := personalisation[fmt.Sprintf("address_line_%d", i)].(string); strings.TrimSpace(line) != "" {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	switch {
	case personalisation["address_line_1"] == nil:
		return "", nil, "personalisation address_line_1 is a required property"
	case personalisation["address_line_8"] != nil:
		return "", nil, "Address must be no more than 7 lines long"
	case len(lines) < 3:
		return "", nil, "Address must be at least 3 lines long"
	case !ukPostcode.MatchString(lines[len(lines)-1]):
		return "", nil, "Last line of address must be a real UK postcode or another country"
	}
	return strings.Join(lines, ", "), personalisation, ""
}

var ukPostcode = regexp.MustCompile(`^(?i)[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`)

func (n *notifyStandIn) send(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if status, msg := n.authorise(r); status != 0 {
			notifyFail(w, status, "AuthError", msg)
			return
		}
		var req notificationRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			notifyFail(w, http.StatusBadRequest, "ValidationError", "Invalid JSON supplied in POST data")
			return
		}
		to, personalisation, problem := req.validate(kind)
		if problem != "" {
			notifyFail(w, http.StatusBadRequest, "ValidationError", problem)
			return
		}
		item := OutboxItem{ID: newID(), Type: kind, To: to, TemplateID: req.TemplateID, Personalisation: personalisation,
			Reference: req.Reference, CreatedAt: n.clock.Now()}
		n.mu.Lock()
		n.outbox = append(n.outbox, item)
		n.mu.Unlock()
		writeJSON(w, http.StatusCreated, notifyResponse(item, "http://"+r.Host+"/_local/notify"))
	}
}

// notifyResponse is Notify's 201 answer. The stand-in has no templates, so the content only names the template.
func notifyResponse(item OutboxItem, base string) map[string]any {
	content := map[string]any{"body": "(local stand-in: template " + item.TemplateID + ")"}
	switch item.Type {
	case "email":
		content["subject"], content["from_email"], content["one_click_unsubscribe_url"] = "Local notification", "housing@notifications.local", nil
	case "letter":
		content["subject"] = "Local letter"
	default:
		content["from_number"] = "COUNCIL"
	}
	var reference any
	if item.Reference != "" {
		reference = item.Reference
	}
	answer := map[string]any{
		"id": item.ID, "reference": reference, "content": content, "uri": base + "/v2/notifications/" + item.ID,
		"template":      map[string]any{"id": item.TemplateID, "version": 1, "uri": base + "/v2/template/" + item.TemplateID},
		"scheduled_for": nil,
	}
	if item.Type == "letter" {
		answer["postage"] = "second"
	}
	return answer
}

// find is the newest outbox item with this id or, failing that, this reference.
func (n *notifyStandIn) find(id, reference string) (OutboxItem, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i := len(n.outbox) - 1; i >= 0; i-- {
		if it := n.outbox[i]; (id != "" && it.ID == id) || (id == "" && reference != "" && it.Reference == reference) {
			return it, true
		}
	}
	return OutboxItem{}, false
}

// Receipt is a delivery receipt as GOV.UK Notify posts it to a service's callback URL.
type Receipt struct {
	ID               string  `json:"id"`
	Reference        *string `json:"reference"`
	To               string  `json:"to"`
	Status           string  `json:"status"`
	CreatedAt        string  `json:"created_at"`
	CompletedAt      string  `json:"completed_at"`
	SentAt           string  `json:"sent_at"`
	NotificationType string  `json:"notification_type"`
	TemplateID       string  `json:"template_id"`
	TemplateVersion  int     `json:"template_version"`
}

// notifyTime is a time as Notify writes it: UTC with microseconds.
func notifyTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// receiptOf is the receipt Notify would send about an item, completed at.
func receiptOf(item OutboxItem, status string, at time.Time) Receipt {
	r := Receipt{ID: item.ID, To: item.To, Status: status, CreatedAt: notifyTime(item.CreatedAt), SentAt: notifyTime(item.CreatedAt.Add(time.Second)),
		CompletedAt: notifyTime(at), NotificationType: item.Type, TemplateID: item.TemplateID, TemplateVersion: 1}
	if item.Reference != "" {
		r.Reference = &item.Reference
	}
	return r
}

// outboxHandler serves GET (newest first) and DELETE /_local/outbox.
func (n *notifyStandIn) outboxHandler(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if r.Method == http.MethodDelete {
		n.outbox = nil
		w.WriteHeader(http.StatusNoContent)
		return
	}
	items := make([]OutboxItem, len(n.outbox))
	for i, it := range n.outbox {
		items[len(n.outbox)-1-i] = it
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// receiptRoute is the callback route GOV.UK Notify's delivery receipts go to (the catalog's bearer-secret route
// checked against NOTIFY_CALLBACK_TOKEN), and that secret as its function declares it.
func (c *Cloud) receiptRoute() (catalog.Route, catalog.Secret, bool) {
	for _, f := range c.opts.Catalog.Functions {
		for _, r := range f.Routes {
			if r.Auth != catalog.Bearer || r.Secret != catalog.NotifyCallbackToken.Env {
				continue
			}
			for _, s := range f.Secrets {
				if s.Env == r.Secret {
					return r, s, true
				}
			}
		}
	}
	return catalog.Route{}, catalog.Secret{}, false
}

// postReceipt serves POST /_local/notify/receipts {"id": "<outbox id>" | "reference": "<our reference>",
// "status": "delivered" (default) | "permanent-failure" | "temporary-failure" | "technical-failure"}: it posts the
// receipt Notify would send about that outbox item (the newest with the reference) to the callback route, with the
// bearer token, completed at the local clock's time, and answers what the callback answered.
func (c *Cloud) postReceipt(w http.ResponseWriter, r *http.Request) {
	var ask struct {
		ID        string `json:"id"`
		Reference string `json:"reference"`
		Status    string `json:"status"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&ask); err != nil || (ask.ID == "" && ask.Reference == "") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": `send {"id": "<an outbox item's id>"} or {"reference": "<its reference>"}, ` +
			`and "status": delivered, permanent-failure, temporary-failure or technical-failure`})
		return
	}
	if ask.Status == "" {
		ask.Status = "delivered"
	}
	route, secret, ok := c.receiptRoute()
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "this cloud runs no function with the Notify callback route"})
		return
	}
	item, ok := c.notify.find(ask.ID, ask.Reference)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "the outbox has no such notification (GET /_local/outbox)"})
		return
	}
	receipt := receiptOf(item, ask.Status, c.Clock.Now())
	body, _ := json.Marshal(receipt)
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, c.URL()+route.Path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.secret(secret))
	req.Header.Set("User-Agent", "NOTIFY-API-PYTHON-CLIENT (local stand-in)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"message": err.Error()})
		return
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var answer any
	if json.Unmarshal(raw, &answer) != nil {
		answer = string(raw)
	}
	c.logf("notify stand-in: %s receipt for %s posted to %s: %d", ask.Status, item.ID, route.Path, resp.StatusCode)
	writeJSON(w, http.StatusOK, map[string]any{"receipt": receipt, "callback": map[string]any{"status": resp.StatusCode, "body": answer}})
}
