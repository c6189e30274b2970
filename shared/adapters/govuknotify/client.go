// Package govuknotify is a small client for the GOV.UK Notify REST API v2 (there is no maintained Go client):
// POST /v2/notifications/email, /v2/notifications/sms and /v2/notifications/letter, authenticated with a JWT (HS256, iss = service id,
// iat = now) signed with the secret part of an API key "<name>-<service id>-<secret>".
package govuknotify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Client sends notifications.
type Client struct {
	BaseURL   string
	ServiceID string
	secret    string
	HTTP      *http.Client
	// Now is the clock for the JWT's iat. Notify checks it against its own clock (30 s), so this is real time,
	// not the event time handlers use for business dates.
	Now func() time.Time
}

// idLength is the length of the service id and of the secret in an API key (UUIDs).
const idLength = 36

// New parses an API key and makes a client for baseURL (e.g. https://api.notifications.service.gov.uk).
func New(baseURL, apiKey string) (*Client, error) {
	if len(apiKey) < 2*idLength+2 || apiKey[len(apiKey)-idLength-1] != '-' || apiKey[len(apiKey)-2*idLength-2] != '-' {
		return nil, errors.New("notify: the API key must look like <key name>-<service id>-<secret key>")
	}
	return &Client{
		BaseURL:   strings.TrimRight(baseURL, "/"),
		ServiceID: apiKey[len(apiKey)-2*idLength-1 : len(apiKey)-idLength-1],
		secret:    apiKey[len(apiKey)-idLength:],
		HTTP:      &http.Client{Timeout: 10 * time.Second},
		Now:       time.Now,
	}, nil
}

// Token is the bearer JWT for one request.
func (c *Client) Token() (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": c.ServiceID, "iat": c.Now().Unix()}).SignedString([]byte(c.secret))
}

// Email is the body of POST /v2/notifications/email.
type Email struct {
	EmailAddress    string            `json:"email_address"`
	TemplateID      string            `json:"template_id"`
	Personalisation map[string]string `json:"personalisation,omitempty"`
	Reference       string            `json:"reference,omitempty"`
	EmailReplyToID  string            `json:"email_reply_to_id,omitempty"`
}

// SMS is the body of POST /v2/notifications/sms.
type SMS struct {
	PhoneNumber     string            `json:"phone_number"`
	TemplateID      string            `json:"template_id"`
	Personalisation map[string]string `json:"personalisation,omitempty"`
	Reference       string            `json:"reference,omitempty"`
	SMSSenderID     string            `json:"sms_sender_id,omitempty"`
}

// Letter is the body of POST /v2/notifications/letter: a letter template, with the address in the
// personalisation as address_line_1 .. address_line_7 (at least 3 lines, the last a UK postcode; see
// LetterPersonalisation). Letters go second class unless the template says otherwise. A team or test API key
// cannot send letters (400): the service must be live.
type Letter struct {
	TemplateID      string            `json:"template_id"`
	Personalisation map[string]string `json:"personalisation"`
	Reference       string            `json:"reference,omitempty"`
}

// LetterPersonalisation is personalisation with the address's lines as address_line_1, address_line_2, ...
// (at most 7; the caller's own address_line_ keys are replaced).
func LetterPersonalisation(personalisation map[string]string, address []string) map[string]string {
	out := make(map[string]string, len(personalisation)+len(address))
	for k, v := range personalisation {
		if !strings.HasPrefix(k, "address_line_") {
			out[k] = v
		}
	}
	for i, line := range address[:min(len(address), 7)] {
		out[fmt.Sprintf("address_line_%d", i+1)] = line
	}
	return out
}

// Sent is Notify's 201 answer.
type Sent struct {
	ID        string         `json:"id"`
	Reference string         `json:"reference"`
	URI       string         `json:"uri"`
	Content   map[string]any `json:"content"`
	Template  struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		URI     string `json:"uri"`
	} `json:"template"`
}

// Error is Notify's error answer: {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "..."}]}.
type Error struct {
	StatusCode int `json:"status_code"`
	Errors     []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Errors))
	for i, x := range e.Errors {
		parts[i] = x.Error + ": " + x.Message
	}
	return fmt.Sprintf("notify: %d %s", e.StatusCode, strings.Join(parts, "; "))
}

// Permanent: sending the same request again cannot succeed. 400 (BadRequestError, ValidationError: a bad
// address, an unknown template...) is about this message; 403 (AuthError) is about our API key, so it fails every
// message alike: see AuthFailure.
func (e *Error) Permanent() bool {
	return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusForbidden
}

// AuthFailure: Notify refused our key or token (403). Nothing will be sent until the configuration is fixed, so
// callers should alert loudly rather than blame the message.
func (e *Error) AuthFailure() bool { return e.StatusCode == http.StatusForbidden }

// Retryable: rate limits (429 RateLimitError, TooManyRequestsError) and Notify's own failures (5xx) pass with time.
func (e *Error) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// Kind is the first error's name, e.g. "ValidationError": safe to log and to record (no message text, which may
// quote the address).
func (e *Error) Kind() string {
	if len(e.Errors) == 0 {
		return http.StatusText(e.StatusCode)
	}
	return e.Errors[0].Error
}

// Retryable says whether err (from SendEmail or SendSMS) may succeed later: 429, 5xx, and anything that is not
// an answer from Notify (network errors, timeouts).
func Retryable(err error) bool {
	var nerr *Error
	if errors.As(err, &nerr) {
		return nerr.Retryable()
	}
	return err != nil
}

// SendEmail sends an email.
func (c *Client) SendEmail(ctx context.Context, e Email) (*Sent, error) {
	return c.post(ctx, "/v2/notifications/email", e)
}

// SendSMS sends a text message.
func (c *Client) SendSMS(ctx context.Context, s SMS) (*Sent, error) {
	return c.post(ctx, "/v2/notifications/sms", s)
}

// SendLetter sends a letter.
func (c *Client) SendLetter(ctx context.Context, l Letter) (*Sent, error) {
	return c.post(ctx, "/v2/notifications/letter", l)
}

func (c *Client) post(ctx context.Context, path string, body any) (*Sent, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	token, err := c.Token()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+path, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "council-housing-services/1.0")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err) // network errors are retryable
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK {
		var sent Sent
		if err := json.Unmarshal(data, &sent); err != nil {
			return nil, fmt.Errorf("notify: unreadable answer: %w", err)
		}
		return &sent, nil
	}
	nerr := &Error{}
	if json.Unmarshal(data, nerr) != nil || nerr.StatusCode == 0 {
		nerr.StatusCode = resp.StatusCode
	}
	if len(nerr.Errors) == 0 {
		nerr.Errors = append(nerr.Errors, struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}{Error: http.StatusText(resp.StatusCode), Message: "no error details"})
	}
	return nil, nerr
}

// Status is the HTTP status Notify answered with.
func (e *Error) Status() int { return e.StatusCode }

// Sender sends by channel ("email", "sms" or "letter"); it implements the notification sender's port.
type Sender struct{ Client *Client }

// Send sends one notification and returns Notify's id for it. A letter's to is its address, one line per line
// (name first, postcode last), sent as address_line_1.. in the personalisation (LetterPersonalisation).
func (s Sender) Send(ctx context.Context, channel, to, templateID string, personalisation map[string]string, reference string) (string, error) {
	var sent *Sent
	var err error
	switch channel {
	case "sms":
		sent, err = s.Client.SendSMS(ctx, SMS{PhoneNumber: to, TemplateID: templateID, Personalisation: personalisation, Reference: reference})
	case "letter":
		sent, err = s.Client.SendLetter(ctx, Letter{TemplateID: templateID, Reference: reference,
			Personalisation: LetterPersonalisation(personalisation, strings.Split(to, "\n"))})
	default:
		sent, err = s.Client.SendEmail(ctx, Email{EmailAddress: to, TemplateID: templateID, Personalisation: personalisation, Reference: reference})
	}
	if err != nil {
		return "", err
	}
	return sent.ID, nil
}
