package localcloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// notifyStandIn answers like GOV.UK Notify's REST API v2 (POST /v2/notifications/email and /sms): it checks the
// JWT as Notify does (HS256 signed with the API key's secret, iss = service id, iat within 30 seconds) and keeps
// what it receives for GET /_local/outbox. It sends nothing anywhere.
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
	Type            string         `json:"type"` // email | sms
	To              string         `json:"to"`
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

// notificationRequest is the body of POST /v2/notifications/email or /sms.
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
	if item.Type == "email" {
		content["subject"], content["from_email"], content["one_click_unsubscribe_url"] = "Local notification", "housing@notifications.local", nil
	} else {
		content["from_number"] = "COUNCIL"
	}
	var reference any
	if item.Reference != "" {
		reference = item.Reference
	}
	return map[string]any{
		"id": item.ID, "reference": reference, "content": content, "uri": base + "/v2/notifications/" + item.ID,
		"template":      map[string]any{"id": item.TemplateID, "version": 1, "uri": base + "/v2/template/" + item.TemplateID},
		"scheduled_for": nil,
	}
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
