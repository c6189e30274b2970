// Package web is the HTML transport's foundation, shared by the resident pages and, later, the staff console:
// a payload 2.0 handler that answers with server-rendered pages (html/template, GOV.UK Frontend markup), every
// string from a message catalog per language, sessions kept in DynamoDB behind an HttpOnly, Secure, SameSite
// cookie, a CSRF token on every form, a honeypot field, strict security headers, and the GOV.UK patterns the
// journeys share (error summary with inline errors, check your answers, confirmation panel). It knows HTTP and
// HTML, not the rules: a journey's handler builds the same command as the JSON API and calls the same
// application service method.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// Response is a payload 2.0 answer.
type Response = events.APIGatewayV2HTTPResponse

// Server renders pages and keeps sessions.
type Server struct {
	Sessions  SessionStore
	Catalog   *Catalog
	Templates *Templates
	Site      Site
	// Cookie is the session cookie's name: CookieName when empty (the resident pages); the staff console has
	// its own, so a resident's session and an officer's never mix.
	Cookie string
	// MaxFormKeys bounds the fields of a form post (maxFormKeys when 0): the staff console's longest form, the
	// complaints self-assessment's Ombudsman findings and reports, has more; the body's bound is the same.
	MaxFormKeys int
}

func (s *Server) cookie() string {
	if s.Cookie != "" {
		return s.Cookie
	}
	return CookieName
}

// Request is one page request: the gateway's event, the visitor's session (nil until the handler asks for
// one), and a POST's form values, already checked for size, type, CSRF token and honeypot.
type Request struct {
	httpapi.Request
	Form    url.Values
	Lang    string
	session *Session
	srv     *Server
}

// HandlerFunc answers one page route.
type HandlerFunc func(ctx context.Context, r *Request) (Response, error)

// Routes map the catalog's route keys to page handlers.
type Routes map[string]HandlerFunc

// Form limits: a page has a few fields, none longer than the longest free text the application takes (10,000
// characters); the whole body is bounded by httpapi.MaxBodyBytes (413).
const (
	maxFormKeys = 60
	// HoneypotField is the form field people never see (web.css hides it; it is out of the tab order and
	// hidden from assistive technology): a post that fills it is a bot's.
	HoneypotField = "website"
	csrfField     = "csrf"
)

// Session is the visitor's session, created (with a new cookie) when they have none.
func (r *Request) Session() *Session {
	if r.session == nil {
		r.session = newSession(r.Now())
	}
	return r.session
}

// HasSession says whether the visitor came with a live session.
func (r *Request) HasSession() bool { return r.session != nil }

// Handler serves the function's catalog routes with the page handlers; like httpapi, a route without a
// handler (or the reverse) is a programming error found at cold start.
func (s *Server) Handler(fn catalog.Function, routes Routes) func(context.Context, events.APIGatewayV2HTTPRequest) (Response, error) {
	declared := map[string]bool{}
	for _, r := range fn.Routes {
		if routes[r.RouteKey()] == nil {
			panic(fmt.Sprintf("web: %s declares %s, which has no handler", fn.Name, r.RouteKey()))
		}
		declared[r.RouteKey()] = true
	}
	for key := range routes {
		if !declared[key] {
			panic(fmt.Sprintf("web: %s handles %s, which the catalog does not declare", fn.Name, key))
		}
	}
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp Response, _ error) {
		req := &Request{Request: httpapi.Request{Event: ev}, Lang: DefaultLanguage, srv: s}
		ctx = logging.With(ctx, slog.String("apiRequestId", req.RequestID()))
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				slog.ErrorContext(ctx, "handler panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				resp = s.errorPage(ctx, req, fmt.Errorf("panic: %v", p))
			}
			secure(&resp)
			// route and status only: never bodies, form values or cookies
			slog.InfoContext(ctx, "request", "route", ev.RouteKey, "status", resp.StatusCode, "ms", time.Since(start).Milliseconds())
		}()
		h := routes[ev.RouteKey]
		if h == nil {
			return s.errorPage(ctx, req, apperr.NotFoundf("No such page.")), nil
		}
		sess, err := loadSession(ctx, s.Sessions, s.cookie(), ev.Cookies, req.Now())
		if err != nil {
			return s.errorPage(ctx, req, err), nil
		}
		req.session = sess
		if ev.RequestContext.HTTP.Method == http.MethodPost || strings.HasPrefix(ev.RouteKey, "POST ") {
			if err := req.readForm(); err != nil {
				return s.errorPage(ctx, req, err), nil
			}
		}
		resp, err = h(ctx, req)
		if err != nil {
			return s.errorPage(ctx, req, err), nil
		}
		if sess := req.session; sess != nil && sess.ended {
			for _, id := range []string{sess.ID, sess.retired} {
				if id != "" {
					if err := s.Sessions.Delete(ctx, HashID(id)); err != nil {
						return s.errorPage(ctx, req, err), nil
					}
				}
			}
			resp.Cookies = append(resp.Cookies, expiredCookie(s.cookie()))
			return resp, nil
		}
		if req.session != nil && req.session.dirty {
			if err := saveSession(ctx, s.Sessions, req.session, req.Now()); err != nil {
				if errors.Is(err, errSessionFull) {
					err = apperr.New(apperr.TooLarge, "Your answers are too long to keep.")
				}
				return s.errorPage(ctx, req, err), nil
			}
			if req.session.retired != "" {
				if err := s.Sessions.Delete(ctx, HashID(req.session.retired)); err != nil {
					return s.errorPage(ctx, req, err), nil
				}
			}
			if req.session.isNew {
				resp.Cookies = append(resp.Cookies, sessionCookie(s.cookie(), req.session.ID))
			}
		}
		return resp, nil
	}
}

// readForm reads a form post: at most httpapi.MaxBodyBytes (413), sent as a form (415), from a visitor with a
// session whose CSRF token it carries (403: a post from another site, or after the session ended), and with
// the honeypot left empty (400, and nothing is done).
func (r *Request) readForm() error {
	body, err := r.Body()
	if err != nil {
		return err
	}
	media, _, err := mime.ParseMediaType(r.Header("content-type"))
	if err != nil || media != "application/x-www-form-urlencoded" {
		return apperr.New(apperr.Unsupported, "Send the form as application/x-www-form-urlencoded.")
	}
	form, err := url.ParseQuery(string(body))
	limit := maxFormKeys
	if r.srv != nil && r.srv.MaxFormKeys > 0 {
		limit = r.srv.MaxFormKeys
	}
	if err != nil || len(form) > limit {
		return apperr.New(apperr.Invalid, "The form could not be read.")
	}
	if r.session == nil || !r.session.ValidCSRF(form.Get(csrfField)) {
		return apperr.New(apperr.Forbidden, "The form has expired.")
	}
	if form.Get(HoneypotField) != "" {
		return apperr.New(apperr.Invalid, "The form could not be sent.")
	}
	r.Form = form
	return nil
}

// secure adds the security headers every answer carries: a strict Content-Security-Policy (our own scripts,
// styles and images only: no inline script or style, no framing, forms post only to us), HSTS, no sniffing,
// no referrer beyond our origin, and no caching of pages that may hold answers.
func secure(resp *Response) {
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	h := resp.Headers
	h["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
	h["X-Content-Type-Options"] = "nosniff"
	h["X-Frame-Options"] = "DENY"
	h["Referrer-Policy"] = "same-origin"
	h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
	h["Cross-Origin-Opener-Policy"] = "same-origin"
	if h["Cache-Control"] == "" {
		h["Cache-Control"] = "no-store"
	}
}

// Render answers with a page: name is its template, title its catalog key.
func (r *Request) Render(status int, name, titleKey string, form Form, data any) (Response, error) {
	p := r.Page(titleKey, form, data)
	return r.RenderPage(status, name, p)
}

// Page builds the template data of a page.
func (r *Request) Page(titleKey string, form Form, data any) *Page {
	p := &Page{Lang: r.Lang, Form: form, Errors: form.Errors, Site: r.srv.Site, Data: data, catalog: r.srv.Catalog,
		Languages: r.srv.Catalog.Languages()}
	p.Title = p.T(titleKey)
	if r.session != nil {
		p.CSRF = r.session.CSRF
	}
	return p
}

// RenderPage answers with a page built by Page.
func (r *Request) RenderPage(status int, name string, p *Page) (Response, error) {
	body, err := r.srv.Templates.Execute(name, p)
	if err != nil {
		return Response{}, err
	}
	return Response{StatusCode: status, Headers: map[string]string{"Content-Type": "text/html; charset=utf-8"}, Body: string(body)}, nil
}

// T is the catalog's text of key in the request's language.
func (r *Request) T(key string, args ...any) string { return r.srv.Catalog.T(r.Lang, key, args...) }

// Has says whether the catalog has key.
func (r *Request) Has(key string) bool { return r.srv.Catalog.Has(key) }

// Redirect answers 303 See Other: after a post, the browser gets the next page.
func Redirect(to string) (Response, error) {
	return Response{StatusCode: http.StatusSeeOther, Headers: map[string]string{"Location": to}}, nil
}

// errorPage answers an error with a page: what happened in plain words, never the internals (a 500 quotes the
// request id, which is on every log line about the request).
func (s *Server) errorPage(ctx context.Context, req *Request, err error) Response {
	code := apperr.CodeOf(err)
	status, key := http.StatusInternalServerError, "error.internal"
	switch code {
	case apperr.NotFound:
		status, key = http.StatusNotFound, "error.notFound"
	case apperr.Forbidden, apperr.Unauthorized:
		status, key = http.StatusForbidden, "error.expired"
	case apperr.TooLarge:
		status, key = http.StatusRequestEntityTooLarge, "error.tooLarge"
	case apperr.Unsupported:
		status, key = http.StatusUnsupportedMediaType, "error.badForm"
	case apperr.Invalid, apperr.Unprocessable:
		status, key = http.StatusBadRequest, "error.badForm"
	case apperr.Conflict:
		status, key = http.StatusConflict, "error.conflict"
	default:
		slog.ErrorContext(ctx, "page failed", "error", err.Error())
	}
	id := req.RequestID()
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		id = lc.AwsRequestID
	}
	p := req.Page(key+".title", Form{}, map[string]string{"RequestID": id, "Key": key})
	resp, rerr := req.RenderPage(status, "error", p)
	if rerr != nil {
		slog.ErrorContext(ctx, "error page failed", "error", rerr.Error())
		return Response{StatusCode: status, Headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, Body: http.StatusText(status)}
	}
	return resp
}

// NotFound is the answer for a page that does not exist.
func NotFound() error { return apperr.NotFoundf("No such page.") }
