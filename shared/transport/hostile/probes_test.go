package hostile_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

// The requests of each route's table, by kind: credentials, the body (field by field, from the route's typed
// contract), path parameters, query parameters (from openapi.yaml) and headers.

// probes is the route's table.
func (r *run) probes(tg *target) []probe {
	base := func(name string) probe {
		return probe{name: name, path: pathOf(tg.route, tg.params), query: tg.query.Encode(), headers: map[string]string{"Authorization": tg.auth},
			want: anyAnswer, ref: tg.ref}
	}
	withBody := func(name string, body []byte, w want) probe {
		p := base(name)
		p.body, p.contentType, p.want = body, "application/json", w
		return p
	}
	var ps []probe
	add := func(p probe) { ps = append(ps, p) }
	validJSON := func() []byte { return marshal(r.validBody(tg.route)) }
	var body map[string]any
	if tg.hasBody {
		body = r.validBody(tg.route)
	}

	// the valid request itself: it reaches the handler (2xx, or 4xx when the record's state forbids it)
	if tg.hasBody {
		add(withBody("valid", validJSON(), anyAnswer))
	} else {
		add(base("valid"))
	}

	ps = append(ps, r.authProbes(tg, base, validJSON)...)
	if tg.hasBody {
		ps = append(ps, r.bodyProbes(tg, body, withBody)...)
	} else {
		// the route reads no body: whatever is sent is ignored, never a failure
		for _, m := range []struct{ label, body string }{{"truncated", "{"}, {"array", "[]"}, {"nested", deepNesting("[", "]", 10000, "")},
			{"100KB", `{"a":"` + strings.Repeat("x", 100<<10) + `"}`}, {"invalid-utf8", "\xff\xfe"}} {
			add(withBody("ignored-body/"+m.label, []byte(m.body), anyAnswer))
		}
	}
	ps = append(ps, r.pathProbes(tg, base)...)
	ps = append(ps, r.queryProbes(tg, base)...)
	ps = append(ps, r.headerProbes(tg, base, withBody, validJSON)...)

	if tg.route.Auth == catalog.Webhook {
		// every call its own call id, so that each accepted one becomes a case (a repeated id is recorded once)
		shared, _ := body["callId"].(string)
		for i := range ps {
			if shared != "" && !ps[i].unsigned {
				ps[i].body = bytes.ReplaceAll(ps[i].body, jsonString(shared), jsonString(fmt.Sprintf("OOH-HOSTILE-%d", r.ids.Add(1))))
			}
			if !ps[i].unsigned {
				r.sign(&ps[i])
			}
		}
	}
	return ps
}

// sign adds a correct Standard Webhooks signature with a fresh webhook id.
func (r *run) sign(p *probe) {
	id := fmt.Sprintf("msg_hostile_%d", r.ids.Add(1))
	sig, err := webhook.Sign(catalog.LocalWebhookSecret, id, pinned, p.body)
	if err != nil {
		panic(err)
	}
	p.headers["webhook-id"], p.headers["webhook-timestamp"], p.headers["webhook-signature"] = id, strconv.FormatInt(pinned.Unix(), 10), sig
}

// authProbes: no or wrong credentials never reach a record.
func (r *run) authProbes(tg *target, base func(string) probe, validJSON func() []byte) []probe {
	var ps []probe
	mk := func(name string, auth string, w want, gateway ...int) probe {
		p := base("auth/" + name)
		if tg.hasBody {
			p.body, p.contentType = validJSON(), "application/json"
		}
		p.headers["Authorization"], p.want, p.gateway = auth, w, gateway
		return p
	}
	alg := base64.RawURLEncoding.EncodeToString
	algNone := alg([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + alg([]byte(`{"sub":"intruder","cognito:groups":["`+strings.Join(tg.route.Groups, `","`)+
		`"],"aud":"local-app-client","exp":9999999999}`)) + "."
	switch tg.route.Auth {
	case catalog.Staff:
		// the gateway's JWT authorizer refuses a missing or bad token (401); locally it also checks the groups
		// the catalog declares (403), as each function does in AWS
		ps = append(ps,
			mk("none", "", exactly(401), 401),
			mk("garbage", "Bearer not.a.jwt", exactly(401), 401),
			mk("alg-none", "Bearer "+algNone, exactly(401), 401),
			mk("huge", "Bearer "+strings.Repeat("a", 8000), exactly(401), 401),
			mk("basic", "Basic "+alg([]byte("admin:admin")), exactly(401), 401),
			mk("no-group", tg.others.noGroup, exactly(403), 403),
			mk("comma-group", tg.others.commaGroup, exactly(403), 403))
		if tg.others.wrongGroup != "" {
			ps = append(ps, mk("wrong-group", tg.others.wrongGroup, exactly(403), 403))
		}
	case catalog.Resident:
		// a wrong, missing or other record's token answers as an unknown reference does
		ps = append(ps,
			mk("none", "", exactly(404)),
			mk("wrong", "Bearer wrong-token", exactly(404)),
			mk("empty-bearer", "Bearer ", exactly(404)),
			mk("huge", "Bearer "+strings.Repeat("t", 8000), exactly(404)),
			mk("basic", "Basic "+alg([]byte("admin:admin")), exactly(404)),
			mk("staff-token-shape", "Bearer "+algNone, exactly(404)))
		if tg.others.otherToken != "" {
			ps = append(ps, mk("other-records-token", tg.others.otherToken, exactly(404)))
		}
	case catalog.Webhook:
		body := validJSON()
		wh := func(name string, id, ts, sig string, w want) probe {
			p := base("auth/" + name)
			p.body, p.contentType, p.unsigned, p.want = body, "application/json", true, w
			p.headers["webhook-id"], p.headers["webhook-timestamp"], p.headers["webhook-signature"] = id, ts, sig
			return p
		}
		now := strconv.FormatInt(pinned.Unix(), 10)
		signed := func(id string, at time.Time, b []byte) string {
			s, _ := webhook.Sign(catalog.LocalWebhookSecret, id, at, b)
			return s
		}
		other, _ := webhook.Sign("whsec_"+base64.StdEncoding.EncodeToString([]byte("another secret entirely")), "msg_x", pinned, body)
		id := func() string { return fmt.Sprintf("msg_hostile_%d", r.ids.Add(1)) }
		i1, i2, i3, i4 := id(), id(), id(), id()
		long, id201 := "msg_"+strings.Repeat("L", 4996), "msg_"+strings.Repeat("M", 197)
		ps = append(ps,
			wh("unsigned", i1, "", "", exactly(401)),
			wh("no-id", "", now, signed("", pinned, body), exactly(401)),
			wh("wrong-secret", "msg_x", now, other, exactly(401)),
			wh("stale", i2, strconv.FormatInt(pinned.Add(-10*time.Minute).Unix(), 10), signed(i2, pinned.Add(-10*time.Minute), body), exactly(401)),
			wh("future", i3, strconv.FormatInt(pinned.Add(10*time.Minute).Unix(), 10), signed(i3, pinned.Add(10*time.Minute), body), exactly(401)),
			wh("huge-timestamp", i4, "99999999999999999999999", signed(i4, pinned, body), exactly(401)),
			wh("negative-timestamp", i4, "-1", signed(i4, pinned, body), exactly(401)),
			wh("timestamp-not-number", i4, "1e9", signed(i4, pinned, body), exactly(401)),
			wh("huge-signature", i4, now, strings.Repeat("v1,"+strings.Repeat("A", 44)+" ", 2300), exactly(401)),
			wh("signature-of-other-body", i4, now, signed(i4, pinned, []byte("{}")), exactly(401)),
			wh("signature-v0", i4, now, strings.Replace(signed(i4, pinned, body), "v1,", "v0,", 1), exactly(401)),
			wh("signature-not-base64", i4, now, "v1,!!!!", exactly(401)),
			// correctly signed but with an id no key can hold: 400 (the sender must not retry), nothing queued
			wh("long-id-signed", long, now, signed(long, pinned, body), exactly(400)),
			wh("id-201-signed", id201, now, signed(id201, pinned, body), exactly(400)),
			// a valid signature among several (secret rotation), and ids of odd characters: accepted or refused, never 5xx
			wh("rotation", id(), now, "", anyAnswer),
		)
		last := &ps[len(ps)-1]
		last.headers["webhook-signature"] = "v1,AAAA v1,BBBB " + signed(last.headers["webhook-id"], pinned, body)
		for _, odd := range []struct{ label, id string }{{"emoji", "msg_😀"}, {"rtl", "msg_\u202e"}, {"expression", "msg_#pk = :v"},
			{"traversal", "msg_../../x"}, {"format-string", "msg_%s%n"}, {"key-separator", "msg_#ooh#x"}} {
			ps = append(ps, wh("odd-id/"+odd.label, odd.id, now, signed(odd.id, pinned, body), anyAnswer))
		}
	case catalog.Bearer:
		// GOV.UK Notify's callback: anything but the token we set in Notify is 401, before the body is read
		ps = append(ps,
			mk("none", "", exactly(401)),
			mk("wrong", "Bearer wrong-token", exactly(401)),
			mk("empty-bearer", "Bearer ", exactly(401)),
			mk("token-prefix", "Bearer "+catalog.LocalNotifyCallbackToken[:10], exactly(401)),
			mk("token-extended", "Bearer "+catalog.LocalNotifyCallbackToken+"x", exactly(401)),
			mk("token-upper-case", "Bearer "+strings.ToUpper(catalog.LocalNotifyCallbackToken), exactly(401)),
			mk("no-scheme", catalog.LocalNotifyCallbackToken, exactly(401)),
			mk("basic", "Basic "+alg([]byte("notify:"+catalog.LocalNotifyCallbackToken)), exactly(401)),
			mk("huge", "Bearer "+strings.Repeat("t", 8000), exactly(401)),
			mk("staff-token-shape", "Bearer "+algNone, exactly(401)))
	case catalog.Public:
		ps = append(ps, mk("garbage-bearer", "Bearer "+algNone, anyAnswer))
	}
	return ps
}

// bodyProbes: the body of a route that reads one.
func (r *run) bodyProbes(tg *target, body map[string]any, withBody func(string, []byte, want) probe) []probe {
	var ps []probe
	add := func(name string, b []byte, w want) { ps = append(ps, withBody(name, b, w)) }
	typ := reflectType(tg.contract.Request)

	for _, m := range malformed {
		add("malformed/"+m.label, []byte(m.body), clientError)
	}
	unknownField := clientError
	if tg.contract.Extensible { // an outside service's callback: a field it adds is ignored
		unknownField = anyAnswer
	}
	add("malformed/unknown-field", withValue(body, []string{"notAField"}, []byte(`1`)), unknownField)
	for _, l := range leaves(typ) {
		if k := kindOf(l.typ); k == kObject || k == kArray && kindOf(deref(l.typ).Elem()) == kObject {
			inner := l.path
			if k == kArray {
				inner = append(slices.Clone(inner), "0")
			}
			add("malformed/unknown-field/"+l.String(), withValue(body, append(slices.Clone(inner), "notAField"), []byte(`1`)), unknownField)
		}
	}
	add("malformed/duplicate-keys", append(bytes.TrimSuffix(marshal(body), []byte("}")), []byte(`,"`+fieldsOf(typ)[0].name+`":null}`)...), anyAnswer)
	add("malformed/empty-object", []byte(`{}`), anyAnswer)

	for _, f := range fieldsOf(typ) {
		path := []string{f.name}
		for _, v := range wrongTypes[kindOf(f.typ)] {
			add("wrong-type/"+f.name+"="+v.label, withValue(body, path, v.raw), clientError)
		}
		add("null/"+f.name, withValue(body, path, []byte("null")), anyAnswer)
		add("missing/"+f.name, without(body, path), anyAnswer)
	}

	for _, l := range leaves(typ) {
		name := l.String()
		switch kindOf(l.typ) {
		case kString:
			add("oversize-string/"+name, withValue(body, l.path, jsonString(strings.Repeat("x", 60000))), clientError)
			unicode, injection, formatted := unicodeValues, injectionValues, isFormatted(l)
			if formatted {
				// a date, code, email, phone or postcode: none of these is one, and a few show it as well as all
				unicode, injection = unicodeValues[:5], injectionValues[:4]
			}
			for _, v := range unicode {
				w := strictness(v)
				if formatted || v.label == "spaces-only" && strings.Contains(l.tag, "required") {
					w = clientError // text of only spaces is no text: a required field is missing
				}
				add("unicode/"+name+"="+v.label, withValue(body, l.path, v.raw), w)
			}
			for _, v := range injection {
				w := strictness(v)
				if formatted {
					w = clientError
				}
				add("injection/"+name+"="+v.label, withValue(body, l.path, v.raw), w)
			}
			if isDate(l) {
				values := absurdDates
				if isDateTime(l) {
					values = append(slices.Clone(absurdDates), absurdDateTimes...)
				}
				for _, v := range values {
					add("absurd-date/"+name+"="+v.label, withValue(body, l.path, v.raw), strictness(v))
				}
			}
		case kNumber:
			for _, v := range absurdNumbers {
				add("absurd-number/"+name+"="+v.label, withValue(body, l.path, v.raw), strictness(v))
			}
			add("absurd-number/"+name+"=numeric-string", withValue(body, l.path, []byte(`"1e308"`)), clientError)
		case kArray:
			elem := `"x"`
			if kindOf(deref(l.typ).Elem()) == kObject {
				elem = `{}`
			}
			add("oversize-array/"+name, withValue(body, l.path, []byte("["+strings.Repeat(elem+",", 9999)+elem+"]")), clientError)
			if kindOf(deref(l.typ).Elem()) == kString {
				add("oversize-string/"+name+"[0]", withValue(body, l.path, []byte(`["`+strings.Repeat("x", 60000)+`"]`)), clientError)
				add("oversize-array/"+name+"-distinct", withValue(body, l.path, distinctCodes(6000)), clientError)
				for _, v := range append(slices.Clone(unicodeValues[:4]), injectionValues[:4]...) {
					add("array-element/"+name+"="+v.label, withValue(body, l.path, []byte("["+string(v.raw)+"]")), anyAnswer)
				}
			}
		}
	}

	first := fieldsOf(typ)[0].name
	// over the 64 KB limit: 413, before anything is decoded
	add("oversize-body/100KB-field", withValue(body, []string{first}, jsonString(strings.Repeat("x", 100<<10))), exactly(413))
	add("oversize-body/whitespace-padding", append(marshal(body), bytes.Repeat([]byte(" "), 70<<10)...), exactly(413))
	add("oversize-body/1MB", []byte(`{"`+first+`":"`+strings.Repeat("x", 1<<20)+`"}`), exactly(413))
	add("oversize-body/10000-element-array", []byte("["+strings.Repeat("1,", 9999)+"1]"), clientError)
	add("oversize-body/3000-unknown-fields", unknownFields(3000), clientError)

	// deep nesting: Go's decoder stops at 10,000 levels; the body limit well before 100,000
	add("deep-nesting/arrays-10000", []byte(deepNesting("[", "]", 10000, "")), clientError)
	add("deep-nesting/arrays-30000", []byte(deepNesting("[", "]", 30000, "")), clientError)
	add("deep-nesting/objects-10000", []byte(deepNesting(`{"a":`, "}", 10000, "1")), clientError)
	add("deep-nesting/field-arrays-10000", withValue(body, []string{first}, []byte(deepNesting("[", "]", 10000, ""))), clientError)
	add("deep-nesting/field-objects-5000", withValue(body, []string{first}, []byte(deepNesting(`{"a":`, "}", 5000, "1"))), clientError)
	add("deep-nesting/unclosed-100000", []byte(strings.Repeat("[", 60000)), clientError)

	// content types: a body declared as anything but JSON in UTF-8 is refused (415) whatever it holds; a body
	// with no Content-Type is read as JSON
	valid := marshal(body)
	ct := func(name, contentType string, b []byte, w want) {
		p := withBody("content-type/"+name, b, w)
		p.contentType = contentType
		ps = append(ps, p)
	}
	unsupported := exactly(415)
	ct("text-plain-json", "text/plain", valid, unsupported)
	ct("form-json", "application/x-www-form-urlencoded", valid, unsupported)
	ct("none-json", "", valid, anyAnswer)
	ct("charset-latin1-json", "application/json; charset=iso-8859-1", valid, unsupported)
	ct("garbage-type-json", "@@@/;;;===", valid, unsupported)
	ct("form", "application/x-www-form-urlencoded", []byte("type=noise&description=loud&reporter%5Bname%5D=Alex"), clientError)
	ct("multipart", "multipart/form-data; boundary=XyZ",
		[]byte("--XyZ\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nnoise\r\n--XyZ--\r\n"), clientError)
	ct("xml", "application/xml", []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><report>&e;</report>`), clientError)
	ct("utf16-json", "application/json; charset=utf-16", utf16(valid), clientError)
	ct("gzip", "application/octet-stream", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00\x43\xbf\xa6\xa3\x02\x00\x00\x00"), clientError)
	ct("base64-of-json", "application/json", []byte(base64.StdEncoding.EncodeToString(valid)), clientError)
	return ps
}

func strictness(v value) want {
	if v.strict {
		return clientError
	}
	return anyAnswer
}

// distinctCodes is an array of n different unknown codes (an error that listed the allowed codes once per
// item would be megabytes).
func distinctCodes(n int) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"c%d"`, i)
	}
	b.WriteString("]")
	return b.Bytes()
}

func unknownFields(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"f%d":%d`, i, i)
	}
	b.WriteString("}")
	return b.Bytes()
}

func utf16(b []byte) []byte {
	out := []byte{0xff, 0xfe}
	for _, c := range b {
		out = append(out, c, 0)
	}
	return out
}

// pathProbes: path parameters that cannot name a record answer 404.
func (r *run) pathProbes(tg *target, base func(string) probe) []probe {
	var ps []probe
	for name := range tg.params {
		for _, v := range pathValues {
			params := maps(tg.params)
			params[name] = v.raw
			p := base("path/" + name + "=" + v.label)
			p.path, p.ref, p.want = pathOf(tg.route, params), "", exactly(404)
			p.gateway = []int{404} // a parameter holding "/" no longer matches the route
			if tg.hasBody {
				p.body, p.contentType = marshal(r.validBody(tg.route)), "application/json"
			}
			if v.label == "dot-dot" {
				// the local gateway's HTTP server redirects a path with ".." to its clean form (a route of no record)
				p.want, p.gateway = want{300, 404}, []int{301, 307, 308, 404}
			}
			ps = append(ps, p)
		}
		if name == "reference" {
			// a real reference of another kind of record
			for other, refs := range r.created {
				if other == tg.fn.Name {
					continue
				}
				for ref := range refs {
					params := maps(tg.params)
					params[name] = escape(ref)
					p := base("path/reference=other-kind")
					p.path, p.ref, p.want = pathOf(tg.route, params), "", exactly(404)
					if tg.hasBody {
						p.body, p.contentType = marshal(r.validBody(tg.route)), "application/json"
					}
					ps = append(ps, p)
					break
				}
				break
			}
		}
	}
	return ps
}

func maps(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// queryProbes: declared parameters with hostile values, too many or too long parameters, tampered tokens.
func (r *run) queryProbes(tg *target, base func(string) probe) []probe {
	var ps []probe
	mk := func(name string, q url.Values, w want) probe {
		p := base("query/" + name)
		p.query, p.want = q.Encode(), w
		if tg.hasBody {
			p.body, p.contentType = marshal(r.validBody(tg.route)), "application/json"
		}
		return p
	}
	for _, qp := range tg.qparams {
		for _, v := range queryValues {
			q := cloneValues(tg.query)
			var s string
			_ = json.Unmarshal(v.raw, &s)
			q.Set(qp.Name, s)
			ps = append(ps, mk(qp.Name+"="+v.label, q, anyAnswer))
		}
		q := cloneValues(tg.query)
		q.Set(qp.Name, strings.Repeat("q", 3000))
		ps = append(ps, mk(qp.Name+"=over-2048", q, exactly(400)))
		q = cloneValues(tg.query)
		q[qp.Name] = []string{valid(qp), "x"}
		ps = append(ps, mk(qp.Name+"=repeated", q, anyAnswer))
		if qp.Name == "nextToken" {
			for _, v := range tamperedTokens(tg.page) {
				q := cloneValues(tg.query)
				var s string
				_ = json.Unmarshal(v.raw, &s)
				q.Set("nextToken", s)
				ps = append(ps, mk("nextToken=tampered-"+v.label, q, exactly(400)))
			}
			if tg.foreign != "" {
				q := cloneValues(tg.query)
				q.Set("nextToken", tg.foreign)
				ps = append(ps, mk("nextToken=another-routes-token", q, exactly(400)))
			}
			if tg.page != "" {
				// the token of this query, sent with another filter, is not a token of that query
				for _, other := range tg.qparams {
					if other.Name == "nextToken" || other.Name == "limit" || len(other.Enum) == 0 && other.Name != "type" && other.Name != "band" {
						continue
					}
					q := cloneValues(tg.query)
					q.Set("nextToken", tg.page)
					q.Set(other.Name, otherValue(other, q.Get(other.Name)))
					ps = append(ps, mk("nextToken=for-another-"+other.Name, q, exactly(400)))
					break
				}
			}
		}
	}
	many := cloneValues(tg.query)
	for i := range 50 {
		many.Set(fmt.Sprintf("p%d", i), "1")
	}
	ps = append(ps, mk("50-parameters", many, exactly(400)))
	long := cloneValues(tg.query)
	long.Set("undeclared", strings.Repeat("u", 3000))
	ps = append(ps, mk("undeclared-over-2048", long, exactly(400)))
	unknown := cloneValues(tg.query)
	unknown.Set("$where", "1==1")
	ps = append(ps, mk("undeclared", unknown, anyAnswer))
	return ps
}

func otherValue(q queryParam, current string) string {
	for _, v := range append(slices.Clone(q.Enum), "noise", "garden", "B", "C") {
		if v != current {
			return v
		}
	}
	return "other"
}

// headerProbes: Idempotency-Key abuse on the routes that create.
func (r *run) headerProbes(tg *target, base func(string) probe, withBody func(string, []byte, want) probe, validJSON func() []byte) []probe {
	var ps []probe
	if tg.contract.Status != http.StatusCreated || !tg.hasBody {
		p := base("header/idempotency-key-300")
		p.headers["Idempotency-Key"], p.want = strings.Repeat("k", 300), anyAnswer // not read here
		if tg.hasBody {
			p.body, p.contentType = validJSON(), "application/json"
		}
		return append(ps, p)
	}
	key := func(name, k string, b []byte, w want) {
		p := withBody("header/"+name, b, w)
		p.headers["Idempotency-Key"] = k
		ps = append(ps, p)
	}
	key("idempotency-key-300", strings.Repeat("k", 300), validJSON(), exactly(400))
	key("idempotency-key-unicode", "ключ-😀-\u202e", validJSON(), anyAnswer)
	key("idempotency-key-spaces", "   ", validJSON(), anyAnswer)
	key("idempotency-key-expression", "#pk = :v", validJSON(), anyAnswer)
	first := validJSON()
	k := fmt.Sprintf("hostile-reuse-%d", r.ids.Add(1))
	key("idempotency-key-first", k, first, exactly(201))
	key("idempotency-key-replay", k, first, exactly(201))
	key("idempotency-key-other-body", k, append(slices.Clone(first), ' '), exactly(422))
	return ps
}
