package localcloud

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/councilhousing/backend/infra/catalog"
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
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			params = append(params, strings.Trim(seg, "{}"))
			sb.WriteString("([^/]+)")
		} else {
			sb.WriteString(regexp.QuoteMeta(seg))
		}
	}
	sb.WriteString("/?$")
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

// serveAPI is API Gateway's HTTP API (payload format 2.0) in front of the functions.
func (c *Cloud) serveAPI(w http.ResponseWriter, r *http.Request) {
	rt, params, ok := c.match(r.Method, r.URL.Path)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20+1))
	if err != nil || len(body) > 10<<20 {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"message": "Request Entity Too Large"})
		return
	}
	ev := c.httpEvent(r, rt, params, body)
	if rt.spec.Auth == catalog.Staff {
		claims, err := c.verifyJWT(r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
			return
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: nil},
		}
	}
	payload, _ := json.Marshal(ev)
	out, err := rt.fn.invoke(r.Context(), payload)
	if err != nil {
		c.logf("%s %s: %v", r.Method, r.URL.Path, err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
		return
	}
	writeLambdaResponse(w, out)
}

func (c *Cloud) httpEvent(r *http.Request, rt route, params map[string]string, body []byte) events.APIGatewayV2HTTPRequest {
	now := c.Clock.Now()
	headers := map[string]string{}
	for name, values := range r.Header {
		headers[strings.ToLower(name)] = strings.Join(values, ",")
	}
	headers["host"] = r.Host
	query := map[string]string{}
	for name, values := range r.URL.Query() {
		query[name] = strings.Join(values, ",")
	}
	var cookies []string
	for _, ck := range r.Cookies() {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	delete(headers, "cookie")
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: rt.spec.RouteKey(), RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
		Cookies: cookies, Headers: headers, PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: rt.spec.RouteKey(), AccountID: "000000000000", Stage: "$default", APIID: "local",
			DomainName: r.Host, DomainPrefix: "local", RequestID: newID(),
			Time: now.Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: sourceIP(r), UserAgent: r.UserAgent(),
			},
		},
	}
	if len(query) > 0 {
		ev.QueryStringParameters = query
	}
	if len(body) > 0 {
		if utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

func sourceIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// writeLambdaResponse applies API Gateway's payload 2.0 rules: a JSON object with statusCode is a response;
// anything else is a 200 with the value as a JSON body.
func writeLambdaResponse(w http.ResponseWriter, out []byte) {
	var probe map[string]json.RawMessage
	if json.Unmarshal(out, &probe) != nil || probe["statusCode"] == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
		return
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
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
		body, _ = base64.StdEncoding.DecodeString(resp.Body)
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

// issueToken signs a token like Cognito's, for the local JWT authorizer.
func (c *Cloud) issueToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Sub == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": `send {"sub": "...", "groups": ["..."]}`})
		return
	}
	now := time.Now()
	claims := jwt.MapClaims{
		"sub": req.Sub, "cognito:groups": req.Groups, "aud": LocalAudience, "client_id": LocalAudience,
		"iss": c.issuer(), "iat": now.Unix(), "exp": now.Add(8 * time.Hour).Unix(), "token_use": "id",
	}
	if req.Email != "" {
		claims["email"] = req.Email
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(c.jwtKey)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "expiresIn": 8 * 3600})
}

func (c *Cloud) issuer() string { return "http://" + c.addr + "/_local" }

// verifyJWT checks the bearer token as API Gateway's JWT authorizer does (signature, issuer, audience,
// expiry) and flattens the claims to strings the way API Gateway passes them to the function.
func (c *Cloud) verifyJWT(header string) (map[string]string, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return nil, fmt.Errorf("no bearer token")
	}
	token, err := jwt.Parse(strings.TrimSpace(raw), func(*jwt.Token) (any, error) { return c.jwtKey, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(c.issuer()), jwt.WithAudience(LocalAudience), jwt.WithExpirationRequired())
	if err != nil {
		return nil, err
	}
	claims := map[string]string{}
	for k, v := range token.Claims.(jwt.MapClaims) {
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
