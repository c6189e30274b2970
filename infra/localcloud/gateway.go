package localcloud

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// LocalAudience is the app client id the local JWT authorizer expects (the stack uses the Cognito client id).
const LocalAudience = "local-app-client"

// route is a catalog route compiled for matching.
type route struct {
	spec    catalog.Route
	fn      *function
	pattern *regexp.Regexp
	params  []string
}

func compileRoute(r catalog.Route, fn *function) route {
	var params []string
	var sb strings.Builder
	sb.WriteString("^")
	for _, seg := range strings.Split(strings.Trim(r.Path, "/"), "/") {
		sb.WriteString("/")
		name, isParam := strings.CutPrefix(seg, "{")
		name, closed := strings.CutSuffix(name, "}")
		switch {
		case !isParam || !closed:
			sb.WriteString(regexp.QuoteMeta(seg))
		case strings.HasSuffix(name, "+"): // greedy {proxy+}
			params = append(params, strings.TrimSuffix(name, "+"))
			sb.WriteString("(.+)")
		default:
			params = append(params, name)
			sb.WriteString("([^/]+)")
		}
	}
	sb.WriteString("$")
	return route{spec: r, fn: fn, pattern: regexp.MustCompile(sb.String()), params: params}
}

// match finds the route for a request: literal paths win over parameterised ones, as in API Gateway.
func (c *Cloud) match(method, path string) (route, map[string]string, bool) {
	var best *route
	var bestParams map[string]string
	for i := range c.routes {
		r := &c.routes[i]
		if r.spec.Method != method {
			continue
		}
		m := r.pattern.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		if best == nil || len(r.params) < len(best.params) {
			best = r
			bestParams = map[string]string{}
			for j, name := range r.params {
				bestParams[name] = m[j+1]
			}
		}
	}
	if best == nil {
		return route{}, nil, false
	}
	return *best, bestParams, true
}

// httpEvent is the payload format 2.0 event exactly as API Gateway sends it (aws-lambda-go's struct would add
// an empty "authentication" object that AWS only sends with mutual TLS).
type httpEvent struct {
	Version               string             `json:"version"`
	RouteKey              string             `json:"routeKey"`
	RawPath               string             `json:"rawPath"`
	RawQueryString        string             `json:"rawQueryString"`
	Cookies               []string           `json:"cookies,omitempty"`
	Headers               map[string]string  `json:"headers"`
	QueryStringParameters map[string]string  `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string  `json:"pathParameters,omitempty"`
	RequestContext        httpRequestContext `json:"requestContext"`
	Body                  string             `json:"body,omitempty"`
	IsBase64Encoded       bool               `json:"isBase64Encoded"`
}

type httpRequestContext struct {
	AccountID    string                                               `json:"accountId"`
	APIID        string                                               `json:"apiId"`
	Authorizer   *httpAuthorizer                                      `json:"authorizer,omitempty"`
	DomainName   string                                               `json:"domainName"`
	DomainPrefix string                                               `json:"domainPrefix"`
	HTTP         events.APIGatewayV2HTTPRequestContextHTTPDescription `json:"http"`
	RequestID    string                                               `json:"requestId"`
	RouteKey     string                                               `json:"routeKey"`
	Stage        string                                               `json:"stage"`
	Time         string                                               `json:"time"`
	TimeEpoch    int64                                                `json:"timeEpoch"`
}

type httpAuthorizer struct {
	JWT struct {
		Claims map[string]string `json:"claims"`
		Scopes []string          `json:"scopes"` // null: the stack's routes ask for no scopes
	} `json:"jwt"`
}

// serveAPI is API Gateway's HTTP API (payload format 2.0) in front of the functions.
func (c *Cloud) serveAPI(w http.ResponseWriter, r *http.Request) {
	rt, params, ok := c.match(r.Method, r.URL.Path)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	var authorizer *httpAuthorizer
	if rt.spec.Auth == catalog.Staff {
		claims, err := c.verifyJWT(r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
			return
		}
		// The catalog's declaration of the route's groups, as the function itself enforces it (httpapi).
		if !slices.ContainsFunc(httpapi.ParseGroups(claims["cognito:groups"]), func(g string) bool { return slices.Contains(rt.spec.Groups, g) }) {
			writeJSON(w, http.StatusForbidden, map[string]string{"message": "Forbidden: this route is for " + strings.Join(rt.spec.Groups, ", ")})
			return
		}
		authorizer = &httpAuthorizer{}
		authorizer.JWT.Claims = claims
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayloadBytes+1))
	if err != nil || len(body) > maxPayloadBytes {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"message": "Request Entity Too Large"})
		return
	}
	ev := c.httpEvent(r, rt, params, body)
	ev.RequestContext.Authorizer = authorizer
	payload, _ := json.Marshal(ev)
	out, err := rt.fn.invoke(r.Context(), payload)
	if err != nil {
		c.logf("%s: %s %s: %v", rt.fn.spec.Name, r.Method, rt.spec.Path, err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
		return
	}
	writeLambdaResponse(w, out)
}

// maxPayloadBytes is API Gateway's request limit; Lambda's own (6 MB) is lower, so bodies near it fail there.
const maxPayloadBytes = 10 << 20

func (c *Cloud) httpEvent(r *http.Request, rt route, params map[string]string, body []byte) httpEvent {
	now := c.Clock.Now()
	requestID := newID()
	headers := map[string]string{}
	for name, values := range r.Header {
		headers[strings.ToLower(name)] = strings.Join(values, ",")
	}
	delete(headers, "cookie") // cookies travel in their own field
	headers["host"] = r.Host
	if r.ContentLength > 0 {
		headers["content-length"] = strconv.FormatInt(r.ContentLength, 10)
	}
	_, port, _ := net.SplitHostPort(c.addr)
	headers["x-forwarded-for"], headers["x-forwarded-port"], headers["x-forwarded-proto"] = sourceIP(r), port, "http"
	headers["x-amzn-trace-id"] = fmt.Sprintf("Root=1-%08x-%s", now.Unix(), strings.ReplaceAll(requestID, "-", "")[:24])
	query := map[string]string{}
	for name, values := range r.URL.Query() {
		query[name] = strings.Join(values, ",")
	}
	var cookies []string
	for _, ck := range r.Cookies() {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	ev := httpEvent{
		Version: "2.0", RouteKey: rt.spec.RouteKey(), RawPath: r.URL.EscapedPath(), RawQueryString: r.URL.RawQuery,
		Cookies: cookies, Headers: headers, PathParameters: params,
		RequestContext: httpRequestContext{
			AccountID: account, APIID: "local", DomainName: r.Host, DomainPrefix: strings.Split(r.Host, ".")[0],
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: sourceIP(r), UserAgent: r.UserAgent(),
			},
			RequestID: requestID, RouteKey: rt.spec.RouteKey(), Stage: "$default",
			Time: now.UTC().Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
		},
	}
	if len(query) > 0 {
		ev.QueryStringParameters = query
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type"), body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

// isText says whether API Gateway passes a body as text: text/*, JSON, XML and JavaScript media types; any
// other type (form posts included) arrives base64-encoded, as it does in AWS.
func isText(contentType string, body []byte) bool {
	if contentType == "" {
		return utf8.Valid(body)
	}
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(media, "text/"), strings.HasSuffix(media, "+json"), strings.HasSuffix(media, "+xml"):
		return true
	}
	return slices.Contains([]string{"application/json", "application/xml", "application/javascript", "application/x-javascript"}, media)
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// writeLambdaResponse applies API Gateway's payload 2.0 rules: a JSON object with statusCode is a response;
// any other valid JSON is a 200 application/json with that JSON as the body (a JSON string: its text).
func writeLambdaResponse(w http.ResponseWriter, out []byte) {
	var probe map[string]json.RawMessage
	if json.Unmarshal(out, &probe) != nil || probe["statusCode"] == nil {
		var text string
		if json.Unmarshal(out, &text) == nil {
			out = []byte(text)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
		return
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, ck := range resp.Cookies {
		w.Header().Add("Set-Cookie", ck)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
			return
		}
	}
	if w.Header().Get("Content-Type") == "" && len(body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// tokenRequest is the body of POST /_local/token.
type tokenRequest struct {
	Sub    string   `json:"sub"`
	Email  string   `json:"email"`
	Groups []string `json:"groups"`
}

// tokenLifetime is a working day, so a token fetched in the morning lasts (Cognito's default is an hour).
const tokenLifetime = 8 * time.Hour

// issueToken signs a token shaped like a Cognito ID token, for the local JWT authorizer.
func (c *Cloud) issueToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || strings.TrimSpace(req.Sub) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": `send {"sub": "...", "groups": ["..."], "email": "optional"}`})
		return
	}
	token, err := c.signToken(req, time.Now())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "expiresIn": int(tokenLifetime.Seconds())})
}

func (c *Cloud) signToken(req tokenRequest, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"sub": req.Sub, "cognito:username": req.Sub, "aud": LocalAudience, "client_id": LocalAudience, "token_use": "id",
		"iss": c.issuer(), "iat": now.Unix(), "auth_time": now.Unix(), "exp": now.Add(tokenLifetime).Unix(), "jti": newID(),
	}
	if len(req.Groups) > 0 { // Cognito leaves the claim out for a user in no group
		claims["cognito:groups"] = req.Groups
	}
	if req.Email != "" {
		claims["email"] = req.Email
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(c.jwtKey)
}

func (c *Cloud) issuer() string { return "http://" + c.addr + "/_local" }

// verifyJWT checks the bearer token as API Gateway's JWT authorizer does (signature, issuer, expiry, and the
// audience in aud or, for access tokens, client_id) and flattens the claims to strings the way API Gateway
// passes them to the function.
func (c *Cloud) verifyJWT(header string) (map[string]string, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return nil, fmt.Errorf("no bearer token")
	}
	token, err := jwt.Parse(strings.TrimSpace(raw), func(*jwt.Token) (any, error) { return c.jwtKey, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(c.issuer()), jwt.WithExpirationRequired())
	if err != nil {
		return nil, err
	}
	mc := token.Claims.(jwt.MapClaims)
	aud, _ := mc.GetAudience()
	if clientID, _ := mc["client_id"].(string); !slices.Contains(aud, LocalAudience) && clientID != LocalAudience {
		return nil, fmt.Errorf("token is for another audience")
	}
	claims := map[string]string{}
	for k, v := range mc {
		claims[k] = flattenClaim(v)
	}
	return claims, nil
}

// flattenClaim renders a claim as API Gateway does: arrays as "[a b]", numbers without exponent.
func flattenClaim(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = flattenClaim(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	default:
		return fmt.Sprint(x)
	}
}
