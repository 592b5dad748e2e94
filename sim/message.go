package sim

// Tick counts steps of the engine from the start of a run. One tick lasts
// the run's dt.
type Tick int64

// Message is a value sent from one region to another. It is copied on the
// way: a receiver never shares memory with the sender.
type Message struct {
	From   string // name of the sending region, set by the engine
	Output string // output of the sender the message left by, set by the engine
	Input  string // input of the receiver it arrives at, from the wiring
	Sent   Tick   // tick the message was sent at, set by the engine
	Value  float64
	Event  Event // zero for plain activation messages
}

// Event is the payload of a discrete message: an episode, a replay, a dream.
type Event struct {
	ID       int64   // identifier of the memory or dream the event is about; 0 for none
	Class    int     // content class, -1 for none
	Valence  float64 // affect, -1 (negative) to +1 (positive)
	Arousal  float64 // 0 (calm) to 1 (highly arousing)
	Strength float64 // strength or weight the event carries, 0 to 1
	// Vec carries content (an image or a latent). The engine copies it into
	// the receiver's buffers; the receiver may read it only during the Step
	// it was delivered in and must copy what it keeps.
	Vec []float64
}
