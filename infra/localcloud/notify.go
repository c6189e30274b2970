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
	ID              string            `json:"id"`
	Type            string            `json:"type"` // email | sms
	To              string            `json:"to"`
	TemplateID      string            `json:"templateId"`
	Personalisation map[string]any    `json:"personalisation"`
	Reference       string            `json:"reference,omitempty"`
	CreatedAt       time.Time         `json:"createdAt"`
	Extra           map[string]string `json:"-"`
}

// newNotifyStandIn reads an API key of the form <name>-<service id>-<secret> (each id 36 characters).
func newNotifyStandIn(apiKey string, clock *Clock) (*notifyStandIn, error) {
	if len(apiKey) < 74 {
		return nil, fmt.Errorf("notify API key is too short")
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

func (n *notifyStandIn) authorise(r *http.Request) (string, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "Unauthorized: authentication token must be provided", false
	}
	token, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return []byte(n.secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuedAt())
	if err != nil {
		return "Invalid token: signature, api token not found", false
	}
	claims := token.Claims.(jwt.MapClaims)
	if iss, _ := claims["iss"].(string); iss != n.serviceID {
		return "Invalid token: service not found", false
	}
	iat, ok := claims["iat"].(float64)
	if !ok {
		return "Invalid token: iat field not provided", false
	}
	if skew := time.Since(time.Unix(int64(iat), 0)); skew > 30*time.Second || skew < -30*time.Second {
		return "Error: Your system clock must be accurate to within 30 seconds", false
	}
	return "", true
}

var ukMobile = regexp.MustCompile(`^(\+44|0044|0)7\d{9}$`)

func (n *notifyStandIn) send(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if msg, ok := n.authorise(r); !ok {
			notifyFail(w, http.StatusForbidden, "AuthError", msg)
			return
		}
		var body struct {
			EmailAddress    string         `json:"email_address"`
			PhoneNumber     string         `json:"phone_number"`
			TemplateID      string         `json:"template_id"`
			Personalisation map[string]any `json:"personalisation"`
			Reference       string         `json:"reference"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			notifyFail(w, http.StatusBadRequest, "ValidationError", "Invalid JSON")
			return
		}
		to := body.EmailAddress
		switch {
		case body.TemplateID == "":
			notifyFail(w, http.StatusBadRequest, "ValidationError", "template_id is a required property")
			return
		case kind == "email" && !strings.Contains(to, "@"):
			notifyFail(w, http.StatusBadRequest, "ValidationError", "email_address Not a valid email address")
			return
		case kind == "sms":
			to = body.PhoneNumber
			if !ukMobile.MatchString(strings.NewReplacer(" ", "", "-", "").Replace(to)) {
				notifyFail(w, http.StatusBadRequest, "ValidationError", "phone_number Not a UK mobile number")
				return
			}
		}
		item := OutboxItem{ID: newID(), Type: kind, To: to, TemplateID: body.TemplateID, Personalisation: body.Personalisation,
			Reference: body.Reference, CreatedAt: n.clock.Now()}
		n.mu.Lock()
		n.outbox = append(n.outbox, item)
		n.mu.Unlock()
		content := map[string]any{"body": "(local stand-in: template " + body.TemplateID + ")"}
		if kind == "email" {
			content["subject"], content["from_email"] = "Local notification", "housing@notifications.local"
		} else {
			content["from_number"] = "COUNCIL"
		}
		writeJSON(w, http.StatusCreated, map[string]any{
			"id": item.ID, "reference": body.Reference, "content": content,
			"uri":      "/v2/notifications/" + item.ID,
			"template": map[string]any{"id": body.TemplateID, "version": 1, "uri": "/v2/template/" + body.TemplateID},
		})
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
