package awsenv

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	smithy "github.com/aws/smithy-go"

	"github.com/councilhousing/backend/shared/platform/tracing"
)

// Service calls an AWS service that speaks the JSON protocol (awsJson1_0 or awsJson1_1: SQS, SSM, Secrets
// Manager): one SigV4-signed POST per call, retried as the SDK's standard retryer decides (throttling, 5xx,
// broken connections; AWS_MAX_ATTEMPTS). It is what the functions use for the few calls they make to those
// services instead of linking the SDK's generated clients.
type Service struct {
	Config aws.Config
	// Name is the service's endpoint prefix and signing name ("sqs", "ssm", "secretsmanager"); EnvName the
	// name its endpoint override uses (Endpoint: "SQS", "SSM", "SECRETS_MANAGER").
	Name, EnvName string
	// Target is the X-Amz-Target prefix ("AmazonSQS", "AmazonSSM", "secretsmanager"); JSONVersion "1.0" or
	// "1.1"; QueryCompatible sends X-Amzn-Query-Mode (SQS), so errors carry the query protocol's codes.
	Target, JSONVersion string
	QueryCompatible     bool
}

// Endpoint is where the service is called: its override (Endpoint), else https://<name>.<region>.amazonaws.com.
func (s Service) Endpoint() string {
	if e := Endpoint(s.EnvName); e != "" {
		return strings.TrimSuffix(e, "/")
	}
	suffix := "amazonaws.com"
	if strings.HasPrefix(s.Config.Region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	return "https://" + s.Name + "." + s.Config.Region + "." + suffix
}

// APIError is an error the service answered with.
type APIError struct {
	Service, Operation string
	Status             int
	Code, Message      string
	Fault              smithy.ErrorFault
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d %s: %s", e.Service, e.Operation, e.Status, e.Code, e.Message)
}

// ErrorCode, ErrorMessage and ErrorFault make it a smithy.APIError; HTTPStatusCode lets the SDK's retryer
// recognise 5xx answers (ErrorCode its throttling and transient codes).
func (e *APIError) ErrorCode() string             { return e.Code }
func (e *APIError) ErrorMessage() string          { return e.Message }
func (e *APIError) ErrorFault() smithy.ErrorFault { return e.Fault }
func (e *APIError) HTTPStatusCode() int           { return e.Status }

// Call sends operation op with in (marshalled to JSON) and decodes the answer into out (nil: discarded).
func (s Service) Call(ctx context.Context, op string, in, out any) (err error) {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s %s: %w", s.Name, op, err)
	}
	ctx, span := tracing.Call(ctx, s.Target, op)
	defer func() { tracing.End(span, err) }()
	retryer := s.retryer()
	for attempt := 1; ; attempt++ {
		err = s.attempt(ctx, op, body, out)
		if err == nil || ctx.Err() != nil || attempt >= retryer.MaxAttempts() || !retryer.IsErrorRetryable(err) {
			return err
		}
		delay, derr := retryer.RetryDelay(attempt, err)
		if derr != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
	}
}

func (s Service) retryer() aws.Retryer {
	if s.Config.Retryer != nil {
		return s.Config.Retryer()
	}
	return retry.NewStandard(func(o *retry.StandardOptions) {
		if s.Config.RetryMaxAttempts > 0 {
			o.MaxAttempts = s.Config.RetryMaxAttempts
		}
	})
}

func (s Service) attempt(ctx context.Context, op string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint()+"/", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", s.Name, op, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-"+s.JSONVersion)
	req.Header.Set("X-Amz-Target", s.Target+"."+op)
	if s.QueryCompatible {
		req.Header.Set("X-Amzn-Query-Mode", "true")
	}
	if s.Config.AppID != "" {
		req.Header.Set("User-Agent", "app/"+s.Config.AppID)
	}
	creds, err := s.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: credentials: %w", s.Name, op, err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), s.Name, s.Config.Region, time.Now()); err != nil {
		return fmt.Errorf("%s %s: signing: %w", s.Name, op, err)
	}
	client := s.Config.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", s.Name, op, err) // wrapped: the retryer still sees a connection error
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", s.Name, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return s.apiError(op, resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: answer is not the expected JSON: %w", s.Name, op, err)
	}
	return nil
}

// apiError reads an awsJson error: the code from X-Amzn-ErrorType or the body's __type/code (without its
// namespace or URI), the message from message/Message; with X-Amzn-Query-Mode, X-Amzn-Query-Error's code and
// fault instead.
func (s Service) apiError(op string, resp *http.Response, data []byte) error {
	e := &APIError{Service: s.Name, Operation: op, Status: resp.StatusCode, Code: "UnknownError", Fault: smithy.FaultUnknown}
	var body struct {
		Type     string `json:"__type"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	_ = json.Unmarshal(data, &body) // a body that is not JSON leaves the code unknown
	for _, c := range []string{resp.Header.Get("X-Amzn-ErrorType"), body.Code, body.Type} {
		if c != "" {
			e.Code = sanitizeCode(c)
			break
		}
	}
	e.Message = body.Message
	if e.Message == "" {
		e.Message = body.Message2
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	if q := resp.Header.Get("X-Amzn-Query-Error"); s.QueryCompatible && q != "" {
		if code, fault, ok := strings.Cut(q, ";"); ok && code != "" {
			e.Code = code
			switch fault {
			case "Sender":
				e.Fault = smithy.FaultClient
			case "Receiver":
				e.Fault = smithy.FaultServer
			}
		}
	}
	return e
}

// sanitizeCode turns "aws.protocoltests#FooError:http://internal.amazon.com/..." into "FooError".
func sanitizeCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return code
}
