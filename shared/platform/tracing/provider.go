package tracing

import (
	"cmp"
	"context"
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// This file is the code base's own implementation of the OpenTelemetry trace API, in place of the OpenTelemetry
// SDK (go.opentelemetry.io/otel/sdk). Issue 10: the SDK's package inits (sdk/resource, its own metrics'
// instruments, semconv's otelconv) and building its provider cost about 0.3 ms of every cold start, for features
// the functions do not use (samplers, span processors, resource detectors, events, metrics about itself). The
// API stays, so instrumentation code (and anything that takes a trace.TracerProvider) is standard.
//
// It behaves as the SDK did with the options Setup gave it: every root span is sampled and a child follows its
// parent's decision (the SDK's default ParentBased(AlwaysOn): a span under an unsampled parent is not recorded,
// but has its own span id and passes the trace on); ended spans are buffered until Flush, or exported as soon as
// maxBatch of them wait (the SDK's batch size), so a long batch cannot grow the buffer without bound. There is
// no timer (the SDK's batcher also exported every second): Lambda freezes the process between invocations, and
// Invocations flushes at the end of each.

const (
	// maxBatch is the number of ended spans that triggers an export before Flush.
	maxBatch = 512
	// maxExports is the number of those exports that may be in flight at once; spans ended while all are
	// still running are dropped (as the SDK's batcher drops them when its queue is full), never waited for.
	maxExports = 4
	// maxAttributes is the number of distinct attributes a span keeps (the SDK's default limit).
	maxAttributes = 128
)

// spanData is an ended span as the exporter reads it.
type spanData struct {
	name          string
	sc, parent    trace.SpanContext
	kind          trace.SpanKind
	start, end    time.Time
	attrs         []attribute.KeyValue
	links         []trace.Link
	status        codes.Code
	description   string // the status's, for an error only
	scope, scopeV string
}

// exportFunc sends spans under their resource's attributes (otlpJSON.ExportSpans; a recorder in tests).
type exportFunc func(ctx context.Context, resource []attribute.KeyValue, spans []spanData) error

// tracerProvider creates the spans and buffers the ended ones until they are exported.
type tracerProvider struct {
	embedded.TracerProvider

	resource []attribute.KeyValue // sorted by key, as the SDK's resource was
	export   exportFunc

	mu      sync.Mutex
	spans   []spanData
	tracers map[[2]string]*tracer
	dropped int

	exports  sync.WaitGroup
	inFlight chan struct{}
}

// newProvider returns a provider with the resource's attributes whose spans go to export.
func newProvider(export exportFunc, resource ...attribute.KeyValue) *tracerProvider {
	return &tracerProvider{resource: sortedSet(resource), export: export, tracers: map[[2]string]*tracer{},
		inFlight: make(chan struct{}, maxExports)}
}

// sortedSet sorts attributes by key, the last value of a key winning: the order attribute.NewSet (so the SDK's
// resource) gave them, without the set's cost (hashing the set for equality), which no one needs here.
func sortedSet(kvs []attribute.KeyValue) []attribute.KeyValue {
	kvs = slices.Clone(kvs)
	slices.SortStableFunc(kvs, func(a, b attribute.KeyValue) int { return cmp.Compare(a.Key, b.Key) })
	out := kvs[:0]
	for i, kv := range kvs {
		if i+1 < len(kvs) && kvs[i+1].Key == kv.Key {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// Tracer returns the tracer of the instrumentation scope name (one per name and version).
func (p *tracerProvider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	cfg := trace.NewTracerConfig(opts...)
	version := cfg.InstrumentationVersion()
	key := [2]string{name, version}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.tracers[key]
	if t == nil {
		t = &tracer{provider: p, scope: name, version: version}
		p.tracers[key] = t
	}
	return t
}

// record buffers an ended span, and starts an export when maxBatch spans wait.
func (p *tracerProvider) record(s spanData) {
	p.mu.Lock()
	p.spans = append(p.spans, s)
	if len(p.spans) < maxBatch {
		p.mu.Unlock()
		return
	}
	batch := p.spans
	p.spans = nil
	select {
	case p.inFlight <- struct{}{}:
	default:
		p.dropped += len(batch)
		p.mu.Unlock()
		return
	}
	p.exports.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.exports.Done()
		defer func() { <-p.inFlight }()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := p.export(ctx, p.resource, batch); err != nil {
			slog.Warn("traces not exported", "error", err.Error(), "spans", len(batch))
		}
	}()
}

// flush exports the buffered spans and waits for the exports already started, until ctx is done.
func (p *tracerProvider) flush(ctx context.Context) error {
	p.mu.Lock()
	batch, dropped := p.spans, p.dropped
	p.spans, p.dropped = nil, 0
	p.mu.Unlock()
	if dropped > 0 {
		slog.WarnContext(ctx, "traces dropped: the collector is too slow", "spans", dropped)
	}
	var err error
	if len(batch) > 0 {
		err = p.export(ctx, p.resource, batch)
	}
	done := make(chan struct{})
	go func() { p.exports.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
	}
	return err
}

type tracer struct {
	embedded.Tracer

	provider       *tracerProvider
	scope, version string
}

// Start starts a span under the context's span (local, or remote as a propagator extracted it), or a root span.
func (t *tracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if ctx == nil {
		ctx = context.Background()
	}
	cfg := trace.NewSpanStartConfig(opts...)
	var parent trace.SpanContext
	if !cfg.NewRoot() {
		parent = trace.SpanContextFromContext(ctx)
	}
	tid := parent.TraceID()
	if !tid.IsValid() {
		tid = newTraceID()
	}
	// ParentBased(AlwaysOn): a root span is sampled, a child only if its parent is.
	sampled := !parent.IsValid() || parent.IsSampled()
	flags := parent.TraceFlags() &^ trace.FlagsSampled
	if sampled {
		flags |= trace.FlagsSampled
	}
	s := &span{tracer: t, recording: sampled, sc: trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: tid, SpanID: newSpanID(), TraceFlags: flags, TraceState: parent.TraceState()})}
	if sampled {
		s.name, s.parent, s.kind, s.start = name, parent, trace.ValidateSpanKind(cfg.SpanKind()), cfg.Timestamp()
		if s.start.IsZero() {
			s.start = time.Now()
		}
		s.setAttributes(cfg.Attributes())
		for _, l := range cfg.Links() {
			s.addLink(l)
		}
	}
	return trace.ContextWithSpan(ctx, s), s
}

// newTraceID and newSpanID draw from math/rand/v2's global generator: the runtime's ChaCha8, seeded from the
// operating system's entropy at start and per thread, so it is unpredictable enough for ids, lock-free and
// needs no system call or error path per span (crypto/rand would, for a guarantee ids do not need).
func newTraceID() (id trace.TraceID) {
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:8], rand.Uint64())
		binary.BigEndian.PutUint64(id[8:], rand.Uint64())
	}
	return id
}

func newSpanID() (id trace.SpanID) {
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:], rand.Uint64())
	}
	return id
}

// span is a span being recorded, or (recording false) one under an unsampled parent that only carries its
// context.
type span struct {
	embedded.Span

	tracer    *tracer
	sc        trace.SpanContext
	recording bool // immutable for a span that is not sampled; else true until End

	mu          sync.Mutex
	name        string
	parent      trace.SpanContext
	kind        trace.SpanKind
	start       time.Time
	attrs       []attribute.KeyValue
	links       []trace.Link
	status      codes.Code
	description string
}

func (s *span) SpanContext() trace.SpanContext { return s.sc }

func (s *span) TracerProvider() trace.TracerProvider { return s.tracer.provider }

func (s *span) IsRecording() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recording
}

// End records the span once; a second End does nothing.
func (s *span) End(opts ...trace.SpanEndOption) {
	now := time.Now()
	s.mu.Lock()
	if !s.recording {
		s.mu.Unlock()
		return
	}
	s.recording = false
	cfg := trace.NewSpanEndConfig(opts...)
	end := cfg.Timestamp()
	if end.IsZero() {
		end = now
	}
	d := spanData{name: s.name, sc: s.sc, parent: s.parent, kind: s.kind, start: s.start, end: end, attrs: s.attrs, links: s.links,
		status: s.status, description: s.description, scope: s.tracer.scope, scopeV: s.tracer.version}
	s.attrs, s.links = nil, nil
	s.mu.Unlock()
	s.tracer.provider.record(d)
}

// SetStatus follows the OpenTelemetry rules the SDK applies: Ok is final, Unset never replaces a status, and only
// an error keeps its description.
func (s *span) SetStatus(code codes.Code, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.recording || s.status == codes.Ok || code == codes.Unset {
		return
	}
	s.status, s.description = code, ""
	if code == codes.Error {
		s.description = description
	}
}

func (s *span) SetName(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recording {
		s.name = name
	}
}

func (s *span) SetAttributes(kv ...attribute.KeyValue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recording {
		s.setAttributes(kv)
	}
}

// setAttributes adds attributes as the SDK did: invalid ones are dropped, a key set again keeps its place and
// takes the new value, and keys past maxAttributes are dropped. s.mu is held (or s not yet shared). A span has a
// handful of attributes, so a scan finds a key faster than a map would.
func (s *span) setAttributes(kv []attribute.KeyValue) {
next:
	for _, a := range kv {
		if !a.Valid() {
			continue
		}
		for i := range s.attrs {
			if s.attrs[i].Key == a.Key {
				s.attrs[i] = a
				continue next
			}
		}
		if len(s.attrs) < maxAttributes {
			s.attrs = append(s.attrs, a)
		}
	}
}

func (s *span) AddLink(l trace.Link) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recording {
		s.addLink(l)
	}
}

// addLink keeps a link unless it has nothing to say (the SDK's rule). The exporter sends a link's ids only.
func (s *span) addLink(l trace.Link) {
	if !l.SpanContext.IsValid() && len(l.Attributes) == 0 && l.SpanContext.TraceState().Len() == 0 {
		return
	}
	if len(s.links) < maxAttributes {
		s.links = append(s.links, trace.Link{SpanContext: l.SpanContext})
	}
}

// AddEvent and RecordError record nothing: the exporter sends no events, and an error's text could quote
// personal data (End and Status mark a failure instead).
func (s *span) AddEvent(string, ...trace.EventOption) {}

func (s *span) RecordError(error, ...trace.EventOption) {}
