package validate_test

// The hand-written checks against the library they replace (reference_test.go): every tagged request type in the
// repository, and types made here for the semantics the repository's types do not reach, each filled many times
// by a generator that aims at the rules' edges; a fuzz target fills them from the fuzzer's bytes.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/retention"
	"github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
)

// requestTypes is every struct type in the repository with `validate` tags (and the anonymous ones validated
// inline), as validate.Struct is given them or reaches them.
var requestTypes = []reflect.Type{
	reflect.TypeFor[asb.ActionOutcome](), reflect.TypeFor[asb.ActionPlanAgreement](), reflect.TypeFor[asb.Appointment](),
	reflect.TypeFor[asb.Assignment](), reflect.TypeFor[asb.Call](), reflect.TypeFor[asb.CaseMerge](),
	reflect.TypeFor[asb.CaseReviewDecision](), reflect.TypeFor[asb.CaseReviewRequest](), reflect.TypeFor[asb.Checklist](),
	reflect.TypeFor[asb.Closure](), reflect.TypeFor[asb.ContactLog](), reflect.TypeFor[asb.CostInput](),
	reflect.TypeFor[asb.DiaryInput](), reflect.TypeFor[asb.EvidenceInput](), reflect.TypeFor[asb.Location](),
	reflect.TypeFor[asb.LoggedReport](), reflect.TypeFor[asb.NewAction](), reflect.TypeFor[asb.Reclassification](),
	reflect.TypeFor[asb.Reopening](), reflect.TypeFor[asb.Report](), reflect.TypeFor[asb.RiskAssessmentInput](),
	reflect.TypeFor[asb.Satisfaction](), reflect.TypeFor[asb.SubjectInput](), reflect.TypeFor[asb.SurveyAnswers](),
	reflect.TypeFor[asb.Unlinking](), reflect.TypeFor[asb.WitnessInput](),

	reflect.TypeFor[complaints.Acknowledgement](), reflect.TypeFor[complaints.AdjustmentsInput](),
	reflect.TypeFor[complaints.Aspect](), reflect.TypeFor[complaints.ClarificationAnswer](),
	reflect.TypeFor[complaints.ClarificationRequest](), reflect.TypeFor[complaints.EscalationRequest](),
	reflect.TypeFor[complaints.ExtensionRequest](), reflect.TypeFor[complaints.FormatSentInput](),
	reflect.TypeFor[complaints.ItemCompletion](), reflect.TypeFor[complaints.ItemInput](),
	reflect.TypeFor[complaints.KeepInformedInput](), reflect.TypeFor[complaints.LoggedComplaint](),
	reflect.TypeFor[complaints.OmbudsmanFinding](), reflect.TypeFor[complaints.OmbudsmanReport](),
	reflect.TypeFor[complaints.RefusalRequest](), reflect.TypeFor[complaints.RelatedPoints](),
	reflect.TypeFor[complaints.Representative](), reflect.TypeFor[complaints.Response](),
	reflect.TypeFor[complaints.RestrictionInput](), reflect.TypeFor[complaints.SectionAssessment](),
	reflect.TypeFor[complaints.SelfAssessmentInput](), reflect.TypeFor[complaints.ServiceRequestDone](),
	reflect.TypeFor[complaints.ServiceRequestNote](), reflect.TypeFor[complaints.Submission](),
	reflect.TypeFor[complaints.UpdatePlanInput](),

	reflect.TypeFor[contact.Details](),

	reflect.TypeFor[register.Applicant](), reflect.TypeFor[register.Application](), reflect.TypeFor[register.Assignment](),
	reflect.TypeFor[register.CircumstancesChange](), reflect.TypeFor[register.ClaimCheck](), reflect.TypeFor[register.Closing](),
	reflect.TypeFor[register.CommunityContribution](), reflect.TypeFor[register.CouncilDecision](),
	reflect.TypeFor[register.EligibilityCheck](), reflect.TypeFor[register.Finding](), reflect.TypeFor[register.HousingDebt](),
	reflect.TypeFor[register.MedicalAward](), reflect.TypeFor[register.MedicalNeed](), reflect.TypeFor[register.Member](),
	reflect.TypeFor[register.NewAddress](), reflect.TypeFor[register.Offer](), reflect.TypeFor[register.Removal](),
	reflect.TypeFor[register.ReviewDecision](), reflect.TypeFor[register.ReviewRequest](),
	reflect.TypeFor[register.StatutoryReview](), reflect.TypeFor[register.StatutoryReviewOutcome](),
	reflect.TypeFor[register.Working](),

	reflect.TypeFor[retention.ErasureInput](), reflect.TypeFor[retention.Rectification](),
	reflect.TypeFor[subjectaccess.Completion](), reflect.TypeFor[subjectaccess.Input](),
	reflect.TypeFor[notifyapi.DeliveryReceipt](),

	// Validated inline: retention.Rectification.Check and asb.LoggedReport.Validate.
	reflect.TypeFor[struct {
		Value string `json:"value" validate:"email,max=254"`
	}](),
	reflect.TypeFor[struct {
		Value string `json:"value" validate:"ukphone"`
	}](),
	reflect.TypeFor[struct {
		Value string `json:"value" validate:"max=200"`
	}](),
	reflect.TypeFor[struct {
		Channel string `json:"channel" validate:"required,oneof=phone email in-writing in-person partner"`
	}](),
}

// Types for what the library does that the request types do not (yet) exercise.
type (
	Inner struct {
		Name string `json:"name" validate:"required,max=3"`
	}
	Named struct {
		Note string `json:"note" validate:"omitempty,max=2"`
	}
	Extra struct {
		Code int `json:"code" validate:"omitempty,oneof=1 2 3"`
	}
	hidden struct {
		Flag string `json:"flag" validate:"required"`
	}
	generic[T any] struct {
		Value T `json:"value" validate:"required"`
	}
	semantics struct {
		Inner  // embedded: its fields are the outer object's
		Named  `json:"named"`
		*Extra // embedded pointer, nil or not
		hidden // unexported embedded type: the library still checks it

		Hidden   string        `json:"-" validate:"required"` // named by its Go name
		NoJSON   string        `validate:"max=2"`
		Opt      *string       `json:"opt" validate:"max=3"` // nil fails max
		Dived    *[]string     `json:"dived" validate:"dive"`
		Grid     [][]string    `json:"grid" validate:"max=2,dive,max=2,dive,required,max=2"`
		Arr      [2]string     `json:"arr" validate:"dive,omitempty,email"`
		U        uint8         `json:"u" validate:"gte=1,lte=200"`
		F32      float32       `json:"f32" validate:"gte=0,max=0.1"`
		F64      float64       `json:"f64" validate:"min=-1.5,lte=1e3"`
		Dur      time.Duration `json:"dur" validate:"max=90s"`
		When     time.Time     `json:"when" validate:"required"`
		Later    *time.Time    `json:"later"`
		Child    Inner         `json:"child" validate:"required"`
		OptChild Inner         `json:"optChild" validate:"omitempty"`
		PChild   *Inner        `json:"pChild" validate:"required"`
		Any      any           `json:"any" validate:"omitempty,max=3"`
		Boxed    any           `json:"boxed"` // a struct in it is checked too
		Dash     string        `json:"dash" validate:"-"`
		Quoted   string        `json:"quoted" validate:"oneof='a b' c"`
		Comma    string        `json:"comma" validate:"omitempty,oneof=a0x2Cb c"`
		ID       string        `json:"id" validate:"omitempty,uuid"`
		Layout   string        `json:"layout" validate:"omitempty,datetime=2006-01-02"`
		PInt     *int          `json:"pInt" validate:"required,gte=0,lte=130"`
		Items    []*Inner      `json:"items" validate:"max=3,dive"`
		ReqItems []*Inner      `json:"reqItems" validate:"dive,required"`
		Postcode *string       `json:"postcode" validate:"omitempty,postcode"`
		Phone    string        `json:"phone,omitempty" validate:"omitempty,ukphone,max=15"`
		Born     *string       `json:"born" validate:"date"`
		Note     string        `json:"note" validate:"omitempty,min=2,max=4"`
		Skipped  Inner         `json:"skipped" validate:"-"`
		Level    uint16        `json:"level" validate:"omitempty,oneof=1 2"`
		Token    token         `json:"token" validate:"uuid"` // not text: checked through its String method
		private  string        `validate:"required"`          // unexported: not checked
	}
	// withMaps dives into maps, whose order the library leaves to Go's map iteration.
	withMaps struct {
		ByKey  map[string]string `json:"byKey" validate:"max=2,dive,required,max=3"`
		Counts map[int]Inner     `json:"counts" validate:"dive"`
	}
)

// token is a uuid, or not, by its first byte.
type token [2]uint8

func (t token) String() string {
	if t[0]%2 == 0 {
		return "123e4567-e89b-12d3-a456-426614174000"
	}
	return fmt.Sprint(t[0])
}

var semanticTypes = []reflect.Type{
	reflect.TypeFor[semantics](), reflect.TypeFor[withMaps](), reflect.TypeFor[generic[Inner]](),
	reflect.TypeFor[generic[int]](), reflect.TypeFor[*semantics](),
	reflect.TypeFor[struct { // an anonymous top-level type: the library's path loses its first part
		Child Inner  `json:"child"`
		V     string `json:"v" validate:"max=1"`
	}](),
}

func allTypes() []reflect.Type { return slices.Concat(requestTypes, semanticTypes) }

// TestHandwrittenMatchesReference compares the two on each type's zero value and generated values.
func TestHandwrittenMatchesReference(t *testing.T) {
	const perType = 400
	r := rand.New(rand.NewPCG(1, 2))
	cases, invalid, panics, seen := 0, 0, 0, map[string]bool{}
	for _, typ := range allTypes() {
		for i := range perType + 1 {
			v := reflect.New(typ).Elem()
			if i > 0 {
				(&gen{src: randSource{r}}).fill(v, "", 0)
			}
			ref, panicked := same(t, v.Interface())
			if t.Failed() {
				t.Fatalf("%s differs (case %d)", typ, i)
			}
			cases++
			invalid += min(len(ref), 1)
			panics += min(len(panicked), 1)
			for _, f := range ref {
				seen[typ.String()+" "+f.Field+": "+f.Message] = true
			}
		}
	}
	t.Logf("%d types, %d values (%d invalid, %d panicking in both), %d distinct field errors: the same errors in the same order",
		len(allTypes()), cases, invalid, panics, len(seen))
}

// FuzzStructMatchesReference picks a type with the first byte and fills it from the rest.
func FuzzStructMatchesReference(f *testing.F) {
	for _, seed := range []string{"", "\x00", "\x01abc", "\x4f\x05\x05\x05 ab", "\x50\x01\x02\x03\x04\x05\x06\x07\x08\x09"} {
		f.Add([]byte(seed))
	}
	types := allTypes()
	f.Fuzz(func(t *testing.T, data []byte) {
		typ := types[0]
		if len(data) > 0 {
			typ, data = types[int(data[0])%len(types)], data[1:]
		}
		v := reflect.New(typ).Elem()
		(&gen{src: &byteSource{data}}).fill(v, "", 0)
		same(t, v.Interface())
	})
}

// same fails t unless both give the same fields in the same order (nil when valid), or both panic; it returns
// the reference's.
func same(t *testing.T, v any) (apperr.Fields, string) {
	t.Helper()
	ref, refPanic := run(refStruct, v)
	got, gotPanic := run(validate.Struct, v)
	if reflect.TypeOf(v) == reflect.TypeFor[withMaps]() { // the library's order is Go's random map order
		sortFields(ref)
		sortFields(got)
	}
	if (refPanic != "") != (gotPanic != "") || (ref == nil) != (got == nil) || !slices.Equal(ref, got) {
		t.Errorf("value %s\nreference %v (panic %q)\nhand-written %v (panic %q)", short(v), ref, refPanic, got, gotPanic)
	}
	return ref, refPanic
}

func run(check func(any) apperr.Fields, v any) (f apperr.Fields, panicked string) {
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprint(p)
		}
	}()
	return check(v), ""
}

func sortFields(f apperr.Fields) {
	slices.SortFunc(f, func(a, b apperr.FieldError) int { return strings.Compare(a.Field+a.Message, b.Field+b.Message) })
}

func short(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 3000 {
		s = s[:3000] + "..."
	}
	return s
}

// source is where the generator's choices come from: a seeded random number generator, or fuzz bytes.
type source interface {
	intn(n int) int // in [0, n)
	text() string   // free text
}

type randSource struct{ r *rand.Rand }

func (s randSource) intn(n int) int { return s.r.IntN(n) }

func (s randSource) text() string {
	alphabet := []rune("aZ9 .@-'\t\né€😀\u00a0<>\"")
	out := make([]rune, s.r.IntN(12))
	for i := range out {
		out[i] = alphabet[s.r.IntN(len(alphabet))]
	}
	return string(out)
}

type byteSource struct{ b []byte }

func (s *byteSource) intn(n int) int {
	if len(s.b) == 0 {
		return 0
	}
	x := int(s.b[0]) % n
	s.b = s.b[1:]
	return x
}

func (s *byteSource) text() string {
	n := min(s.intn(64), len(s.b))
	t := string(s.b[:n])
	s.b = s.b[n:]
	return t
}

// gen fills values aiming at the edges of the rules in their tags.
type gen struct{ src source }

func (g *gen) pick(options int) int { return g.src.intn(options) }

// fill sets v at random, guided by tag (the field's rules).
func (g *gen) fill(v reflect.Value, tag string, depth int) {
	own, elem := splitDive(tag)
	switch v.Kind() {
	case reflect.String:
		v.SetString(g.text(own))
	case reflect.Bool:
		v.SetBool(g.pick(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(g.integer(own))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(max(0, g.integer(own))))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(g.float(own))
	case reflect.Pointer:
		if g.pick(3) > 0 && depth < 6 {
			v.Set(reflect.New(v.Type().Elem()))
			g.fill(v.Elem(), tag, depth+1)
		}
	case reflect.Interface:
		g.fillInterface(v, own, depth)
	case reflect.Slice:
		if n := g.length(own); n >= 0 {
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				g.fill(v.Index(i), elem, depth+1)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			g.fill(v.Index(i), elem, depth+1)
		}
	case reflect.Map:
		g.fillMap(v, own, elem, depth)
	case reflect.Struct:
		g.fillStruct(v, depth)
	}
}

// fillInterface leaves v nil or puts text, a number or (without rules) a struct in it.
func (g *gen) fillInterface(v reflect.Value, tag string, depth int) {
	options := 3
	if tag == "" {
		options = 5
	}
	switch g.pick(options) {
	case 1:
		v.Set(reflect.ValueOf(g.text(tag)))
	case 2:
		v.Set(reflect.ValueOf(int(g.integer(tag))))
	case 3, 4:
		in := reflect.New(reflect.TypeFor[Inner]())
		g.fill(in.Elem(), "", depth+1)
		if g.pick(2) == 0 {
			in = in.Elem()
		}
		v.Set(in)
	}
}

func (g *gen) fillMap(v reflect.Value, own, elem string, depth int) {
	n := g.length(own)
	if n < 0 {
		return
	}
	v.Set(reflect.MakeMap(v.Type()))
	for range min(n, 4) {
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		g.fill(k, "", depth+1)
		g.fill(e, elem, depth+1)
		v.SetMapIndex(k, e)
	}
}

func (g *gen) fillStruct(v reflect.Value, depth int) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		if g.pick(2) == 1 {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)))
		}
		return
	}
	for i := range v.NumField() {
		if f := v.Field(i); f.CanSet() && depth < 6 && g.pick(5) > 0 {
			g.fill(f, v.Type().Field(i).Tag.Get("validate"), depth+1)
		}
	}
}

// splitDive parts a tag into the field's own rules and those after "dive" (its elements').
func splitDive(tag string) (own, elem string) {
	parts := strings.Split(tag, ",")
	if i := slices.Index(parts, "dive"); i >= 0 {
		return strings.Join(parts[:i], ","), strings.Join(parts[i+1:], ",")
	}
	return tag, ""
}

// bounds are the numbers in min, max, gte and lte.
func bounds(tag string) []float64 {
	var out []float64
	for part := range strings.SplitSeq(tag, ",") {
		name, param, _ := strings.Cut(part, "=")
		if name == "min" || name == "max" || name == "gte" || name == "lte" {
			if d, err := time.ParseDuration(param); err == nil {
				out = append(out, float64(d))
			} else if n, err := strconv.ParseFloat(param, 64); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// samples are valid and invalid values for the text rules.
var samples = map[string][]string{
	"email": {"a@b.uk", "first.last+tag@council.gov.uk", "nope", "a@b", "a b@c.uk", `"quoted"@x.uk`, "a@b.uk ",
		"Ann <ann@x.uk>", "ä@ü.de", "a@b..uk", "a@-b.uk", "a@b.uk.", "@b.uk", "a.@b.uk", "a@[1.2.3.4]"},
	"postcode": {"SW1A 1AA", "m1 1ae", "B338TH", " M1 1AE ", "XYZ", "GIR 0AA", "QA1 1AA", "EC1A1BB", "SW1A  1AA"},
	"ukphone":  {"07700 900123", "+44 7700 900123", "+447700900123", "(01632) 960 001", "12", "0770090012345678", " 07700900123 ", "07700-900-123"},
	"date":     {"2026-11-29", "1900-01-01", "2100-12-31", "1899-12-31", "2101-01-01", "0001-01-01", "2026-02-30", "29/11/2026", " 2026-11-29", "2026-1-1"},
	"datetime": {"2026-11-23T21:15:00Z", "2026-11-23T21:15:00+01:00", "2026-11-23 21:15", "2026-11-23T21:15:00.123Z", "2026-13-01T00:00:00Z", "2026-11-23"},
	"uuid":     {"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400", "g23e4567-e89b-12d3-a456-426614174000"},
}

// text is a string for a field with rules tag: one of textOptions, or free text.
func (g *gen) text(tag string) string {
	options := textOptions(tag)
	if i := g.pick(len(options) + 1); i < len(options) {
		return options[i]
	}
	return g.src.text()
}

// textOptions are blank text, the rules' samples, lengths either side of their bounds in runes of one to four
// bytes, and the values of a oneof (and near misses); made once per tag.
func textOptions(tag string) []string {
	if o, ok := textCache.Load(tag); ok {
		return o.([]string)
	}
	options := []string{"", " ", "   ", "\t", "\u00a0 ", "x", "nope", "é€😀"}
	for part := range strings.SplitSeq(tag, ",") {
		name, param, _ := strings.Cut(part, "=")
		options = append(options, samples[name]...)
		if name == "oneof" {
			for _, o := range validate.SplitOneOf(param) {
				options = append(options, o, " "+o, strings.ToUpper(o))
			}
		}
	}
	for _, n := range bounds(tag) {
		for _, m := range []int{int(n) - 1, int(n), int(n) + 1} {
			if m >= 0 && m <= 12000 {
				options = append(options, runes(m, "ab c"), runes(m, "é€😀a"), runes(m, "😀"))
			}
		}
	}
	textCache.Store(tag, options)
	return options
}

var textCache sync.Map // tag → []string

// runes is n runes cycling through alphabet.
func runes(n int, alphabet string) string {
	a := []rune(alphabet)
	out := make([]rune, n)
	for i := range out {
		out[i] = a[i%len(a)]
	}
	return string(out)
}

func (g *gen) integer(tag string) int64 {
	options := []int64{0, 1, -1, 7, 1 << 40}
	for _, n := range bounds(tag) {
		options = append(options, int64(n)-1, int64(n), int64(n)+1)
	}
	return options[g.pick(len(options))]
}

func (g *gen) float(tag string) float64 {
	options := []float64{0, 1, -1, 0.5, math.NaN(), math.Inf(1), math.Inf(-1), float64(float32(0.1))}
	for _, n := range bounds(tag) {
		options = append(options, n, n-1, n+1, n-0.5, n+0.5, math.Nextafter(n, math.Inf(1)), math.Nextafter(n, math.Inf(-1)))
	}
	return options[g.pick(len(options))]
}

// length is a slice's or map's: nil (-1), empty, short, or either side of the bounds.
func (g *gen) length(tag string) int {
	options := []int{-1, 0, 1, 2}
	for _, n := range bounds(tag) {
		for _, m := range []int{int(n) - 1, int(n), int(n) + 1} {
			if m >= 0 && m <= 200 {
				options = append(options, m)
			}
		}
	}
	return options[g.pick(len(options))]
}

// TestSplitOneOfMatchesLibrary checks oneof's hand-written split against the library's pattern.
func TestSplitOneOfMatchesLibrary(t *testing.T) {
	pattern := regexp.MustCompile(`'[^']*'|\S+`)
	r := rand.New(rand.NewPCG(3, 4))
	const oneOfBytes = "a b'\t\n\v\f\r\xffé"
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = oneOfBytes[r.IntN(len(oneOfBytes))]
		}
		want := pattern.FindAllString(string(b), -1)
		for i := range want {
			want[i] = strings.ReplaceAll(want[i], "'", "")
		}
		if got := validate.SplitOneOf(string(b)); !slices.Equal(got, want) {
			t.Fatalf("%q: got %q, want %q", b, got, want)
		}
	}
}

// Rules the library does not know and rules on kinds they cannot check are programming errors: both panic when
// the type is first validated (or the value first checked).
func TestPanicsLikeReference(t *testing.T) {
	for _, v := range []any{
		struct {
			A string `validate:"required,bogus"`
		}{},
		struct {
			A string `validate:"required,"`
		}{},
		struct {
			A string `validate:"dive"`
		}{},
		struct {
			A Inner `validate:"max=1"`
		}{},
		struct {
			A int `validate:"datetime=2006"`
		}{},
		struct {
			A float64 `validate:"oneof=1 2"`
		}{},
		struct {
			A int `validate:"max=ten"`
		}{},
		Inner{}.Name,
		(*Inner)(nil),
	} {
		_, refPanic := run(refStruct, v)
		_, gotPanic := run(validate.Struct, v)
		if refPanic == "" || gotPanic == "" {
			t.Errorf("%T: reference panic %q, hand-written panic %q", v, refPanic, gotPanic)
		}
	}
}

// Rules of the library's that the repository does not use panic too, rather than pass unchecked.
func TestRulesNotImplementedPanic(t *testing.T) {
	for _, v := range []any{
		struct {
			A string `validate:"email|ukphone"`
		}{"x"},
		struct {
			A string `validate:"gt=1"`
		}{},
		struct {
			A *string `validate:"omitnil,max=1"`
		}{},
		struct {
			A []string `validate:"dive,keys,required,endkeys"`
		}{},
	} {
		if _, p := run(validate.Struct, v); p == "" {
			t.Errorf("%T: no panic", v)
		}
	}
}

// BenchmarkStruct runs the library and the hand-written checks on a valid and an invalid request, side by side.
func BenchmarkStruct(b *testing.B) {
	email, born := "ann@example.org", "1980-02-29"
	values := map[string]any{
		"valid": complaints.Submission{Description: "The repair was not done", OutcomesSought: "Fix it",
			ServiceArea: "repairs", IssueDate: "2026-11-02", Complainant: contact.Details{Name: "Ann", Email: email,
				Phone: "07700 900123", Postcode: "M1 1AE", PreferredContact: "email"}},
		"invalid": register.Application{Household: []register.Member{{Name: "Jo", DateOfBirth: born},
			{Name: " ", DateOfBirth: "2026-02-30"}}, Age: 200, Circumstances: make([]string, 31)},
		"receipt": notifyapi.DeliveryReceipt{ID: "123e4567-e89b-12d3-a456-426614174000", To: email, Status: "delivered",
			CreatedAt: "2026-11-23T21:15:00Z", NotificationType: "email"},
	}
	for _, name := range []string{"valid", "invalid", "receipt"} {
		for _, impl := range []struct {
			name  string
			check func(any) apperr.Fields
		}{{"library", refStruct}, {"handwritten", validate.Struct}} {
			b.Run(name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					impl.check(values[name])
				}
			})
		}
	}
}
