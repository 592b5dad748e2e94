package sim

import (
	"fmt"
	"unsafe"
)

// route is where one output of a region goes.
type route struct {
	target int // index of the receiving region
	input  string
	delay  Tick
}

// pending is a message waiting in an outbox for the window boundary.
type pending struct {
	msg    Message
	arrive Tick
	vecOff int // offset of the copied Event.Vec in the lane's arena
	vecLen int
}

// lane is what one region sent to one receiver during one window: the
// messages and the copies of their vectors. A lane fills a cache line of
// its own, so the sender appending to the lane of this window never
// invalidates the line a receiver on another core is reading the previous
// window's lane from (false sharing, which made the concurrent executor no
// faster than the sequential one).
type lane struct {
	msgs  []pending
	arena []float64
	_     [cacheLine - 2*unsafe.Sizeof([]int(nil))]byte
}

// outbox holds what a region sent during a window, split by receiver, in
// two buffers: receivers read the one of the previous window while the
// sender fills the other (double buffering, so one barrier per window
// suffices).
type outbox struct {
	from   string
	routes map[string][]route
	parity int
	lanes  [2][]lane // [parity][receiver], each from lineSlice
}

func newOutbox(from string, outputs []string, receivers int) outbox {
	o := outbox{from: from, routes: make(map[string][]route, len(outputs))}
	for _, out := range outputs {
		o.routes[out] = nil
	}
	for p := range o.lanes {
		o.lanes[p] = lineSlice[lane](receivers)
	}
	return o
}

// flip starts window w: the lanes of window w-2, which every receiver has
// read, are emptied and become the ones written to. Lanes that stayed
// empty are not written, so their cache lines stay shared with the
// receivers that read them. A lane smaller than its twin of the other
// parity (which receivers are reading now, so it is only looked at) grows
// to the twin's size: both reach their working size together.
func (o *outbox) flip(w int) {
	o.parity = w & 1
	lanes, twins := o.lanes[o.parity], o.lanes[o.parity^1]
	for i := range lanes {
		l, twin := &lanes[i], &twins[i]
		if len(l.msgs) > 0 || len(l.arena) > 0 {
			l.msgs, l.arena = l.msgs[:0], l.arena[:0]
		}
		if cap(l.msgs) < cap(twin.msgs) {
			l.msgs = lineSliceCap[pending](0, cap(twin.msgs))
		}
		if cap(l.arena) < cap(twin.arena) {
			l.arena = lineSliceCap[float64](0, cap(twin.arena))
		}
	}
}

func (o *outbox) send(now Tick, output string, m Message) {
	routes, ok := o.routes[output]
	if !ok {
		panic(fmt.Sprintf("sim: region %q sends on undeclared output %q", o.from, output))
	}
	m.From, m.Output, m.Sent = o.from, output, now
	vec := m.Event.Vec
	m.Event.Vec = nil
	for _, r := range routes {
		l := &o.lanes[o.parity][r.target]
		p := pending{msg: m, arrive: now + r.delay, vecOff: len(l.arena), vecLen: len(vec)}
		p.msg.Input = r.input
		// Grown by hand, then appended to directly: a generic variadic
		// helper copied the large pending value once more, which cost 5%
		// of a night's time.
		if len(l.arena)+len(vec) > cap(l.arena) {
			l.arena = growLine(l.arena, len(l.arena)+len(vec))
		}
		if len(l.msgs) == cap(l.msgs) {
			l.msgs = growLine(l.msgs, len(l.msgs)+1)
		}
		l.arena = append(l.arena, vec...)
		l.msgs = append(l.msgs, p)
	}
}

// cacheLine is the size of a cache line, the unit in which cores own
// memory, on the machines dreamsim runs on (x86-64 and arm64): 64 bytes.
const cacheLine = 64

// lineSlice returns a slice of n zero values whose backing array starts and
// ends on cache-line boundaries, so that what one goroutine writes in it
// never shares a line with memory another goroutine writes. It relies on
// Go's allocator, which carves objects of a size class from page-aligned
// spans: a request whose size is a multiple of 64 bytes lands in a class
// that is a multiple of 64 bytes, hence on a line boundary. Appending past
// the capacity moves the data to an ordinary allocation.
func lineSlice[T any](n int) []T { return lineSliceCap[T](n, n) }

// lineSliceCap is lineSlice with room for at least c elements.
func lineSliceCap[T any](n, c int) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if size == 0 {
		return make([]T, n, c)
	}
	unit := cacheLine / gcd(size, cacheLine) // elements per whole number of lines
	c = (max(n, c, 1) + unit - 1) / unit * unit
	return make([]T, n, c)
}

// growLine returns s with room for at least c elements: s itself when it
// has it, else a copy in a lineSliceCap array of at least twice the
// capacity.
func growLine[T any](s []T, c int) []T {
	if c <= cap(s) {
		return s
	}
	grown := lineSliceCap[T](len(s), max(2*cap(s), c))
	copy(grown, s)
	return grown
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// inboxSlot holds the messages that arrive at one tick.
type inboxSlot struct {
	msgs  []Message
	offs  []int
	lens  []int
	arena []float64
}

// reserve makes room for at least msgs messages and vals vector values,
// doubling the capacity of what must grow.
func (s *inboxSlot) reserve(msgs, vals int) {
	if msgs > cap(s.msgs) {
		s.msgs = growLine(s.msgs, msgs)
		s.offs = growLine(s.offs, msgs)
		s.lens = growLine(s.lens, msgs)
	}
	if vals > cap(s.arena) {
		s.arena = growLine(s.arena, vals)
	}
}

// add appends a message and its vector; the caller has made room for them
// (reserve).
func (s *inboxSlot) add(p *pending, vec []float64) {
	s.msgs = append(s.msgs, p.msg)
	s.offs = append(s.offs, len(s.arena))
	s.lens = append(s.lens, len(vec))
	s.arena = append(s.arena, vec...)
}

// deliver points every message's Vec at its copy and returns the inbox.
func (s *inboxSlot) deliver() []Message {
	for i := range s.msgs {
		if n := s.lens[i]; n > 0 {
			off := s.offs[i]
			s.msgs[i].Event.Vec = s.arena[off : off+n : off+n]
		}
	}
	return s.msgs
}

func (s *inboxSlot) clear() {
	for i := range s.msgs {
		s.msgs[i] = Message{}
	}
	s.msgs, s.offs, s.lens, s.arena = s.msgs[:0], s.offs[:0], s.lens[:0], s.arena[:0]
}
