package sim

import "fmt"

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
	vecOff int // offset of the copied Event.Vec in the outbox arena
	vecLen int
}

// outbox holds what a region sent during a window, split by receiver, in
// two buffers: receivers read the one of the previous window while the
// sender fills the other (double buffering, so one barrier per window
// suffices).
type outbox struct {
	from   string
	routes map[string][]route
	parity int
	msgs   [2][][]pending // [parity][receiver]
	arena  [2][][]float64 // [parity][receiver] copies of Event.Vec
}

func newOutbox(from string, outputs []string, receivers int) *outbox {
	o := &outbox{from: from, routes: make(map[string][]route, len(outputs))}
	for _, out := range outputs {
		o.routes[out] = nil
	}
	for p := range o.msgs {
		o.msgs[p] = make([][]pending, receivers)
		o.arena[p] = make([][]float64, receivers)
	}
	return o
}

// flip starts window w: the buffers of window w-2, which every receiver
// has read, are emptied and become the ones written to.
func (o *outbox) flip(w int) {
	o.parity = w & 1
	for i := range o.msgs[o.parity] {
		o.msgs[o.parity][i] = o.msgs[o.parity][i][:0]
		o.arena[o.parity][i] = o.arena[o.parity][i][:0]
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
		p := pending{msg: m, arrive: now + r.delay, vecOff: len(o.arena[o.parity][r.target]), vecLen: len(vec)}
		p.msg.Input = r.input
		o.arena[o.parity][r.target] = append(o.arena[o.parity][r.target], vec...)
		o.msgs[o.parity][r.target] = append(o.msgs[o.parity][r.target], p)
	}
}

// inboxSlot holds the messages that arrive at one tick.
type inboxSlot struct {
	msgs  []Message
	offs  []int
	lens  []int
	arena []float64
}

func (s *inboxSlot) add(p pending, vec []float64) {
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
