package generative

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The VAE file format, version 1. All numbers are little-endian.
//
//	magic       8 bytes  "DSIMVAE\n"
//	version     uint32   1
//	inputs      uint32
//	latent      uint32
//	likelihood  uint32   0 Bernoulli, 1 Gaussian
//	hidden      uint32 count, then that many uint32 widths
//	beta, outputSD, learning rate, beta1, beta2, epsilon: 6 float64
//	steps       uint64   Adam steps taken
//	n           uint64   number of parameters
//	params      n float64
//	adam m      n float64 (first moments)
//	adam v      n float64 (second moments)
//	crc         uint32   CRC-32 (IEEE) of every preceding byte
//
// Together with the caller's random source, params and the Adam state are
// all a VAE's training depends on, so a VAE read back continues training
// bit for bit as the one written would have.
const (
	fileMagic   = "DSIMVAE\n"
	fileVersion = 1
)

// Bounds checked when reading, so that a damaged header cannot make
// ReadVAE allocate without limit.
const (
	maxFileLayers = 64
	maxFileWidth  = 1 << 20
	maxFileParams = 1 << 28
)

// errBadFile is wrapped by every error of ReadVAE about the file's content.
var errBadFile = errors.New("not a valid VAE file")

// WriteTo writes the VAE's settings, parameters and optimiser state to w in
// the versioned format described in vaeio.go, and returns the number of
// bytes written. It implements io.WriterTo.
func (v *VAE) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	h := crc32.NewIEEE()
	mw := io.MultiWriter(cw, h)
	s := v.s
	header := []any{
		[]byte(fileMagic),
		uint32(fileVersion),
		uint32(s.Inputs), uint32(s.Latent), uint32(s.Likelihood),
		uint32(len(s.Hidden)),
	}
	for _, hw := range s.Hidden {
		header = append(header, uint32(hw))
	}
	header = append(header,
		[]float64{s.Beta, s.OutputSD, s.Adam.LearningRate, s.Adam.Beta1, s.Adam.Beta2, s.Adam.Epsilon},
		v.opt.t, uint64(len(v.params)),
		v.params, v.opt.m, v.opt.v,
	)
	for _, x := range header {
		if err := binary.Write(mw, binary.LittleEndian, x); err != nil {
			return cw.n, fmt.Errorf("generative: writing VAE: %w", err)
		}
	}
	if err := binary.Write(cw, binary.LittleEndian, h.Sum32()); err != nil {
		return cw.n, fmt.Errorf("generative: writing VAE: %w", err)
	}
	return cw.n, nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadVAE reads a VAE written by WriteTo. It returns an error that says
// what is wrong if r does not hold a complete, undamaged VAE file of a
// version this package reads.
func ReadVAE(r io.Reader) (*VAE, error) {
	v, err := readVAE(r)
	if err != nil {
		return nil, fmt.Errorf("generative: reading VAE: %w", err)
	}
	return v, nil
}

func readVAE(r io.Reader) (*VAE, error) {
	h := crc32.NewIEEE()
	tr := io.TeeReader(r, h)
	read := func(x any) error {
		err := binary.Read(tr, binary.LittleEndian, x)
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return fmt.Errorf("%w: %w", errBadFile, err)
		}
		return nil
	}
	magic := make([]byte, len(fileMagic))
	if err := read(magic); err != nil {
		return nil, err
	}
	if string(magic) != fileMagic {
		return nil, fmt.Errorf("%w: bad magic %q (want %q)", errBadFile, magic, fileMagic)
	}
	var version uint32
	if err := read(&version); err != nil {
		return nil, err
	}
	if version != fileVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads version %d", errBadFile, version, fileVersion)
	}
	var dims [4]uint32 // inputs, latent, likelihood, hidden count
	if err := read(&dims); err != nil {
		return nil, err
	}
	if dims[3] > maxFileLayers {
		return nil, fmt.Errorf("%w: %d hidden layers (at most %d)", errBadFile, dims[3], maxFileLayers)
	}
	hidden := make([]uint32, dims[3])
	if err := read(hidden); err != nil {
		return nil, err
	}
	if dims[0] > maxFileWidth || dims[1] > maxFileWidth {
		return nil, fmt.Errorf("%w: %d inputs, %d latents (at most %d)", errBadFile, dims[0], dims[1], maxFileWidth)
	}
	s := Settings{Inputs: int(dims[0]), Latent: int(dims[1]), Likelihood: Likelihood(dims[2])}
	for _, hw := range hidden {
		if hw > maxFileWidth {
			return nil, fmt.Errorf("%w: hidden width %d (at most %d)", errBadFile, hw, maxFileWidth)
		}
		s.Hidden = append(s.Hidden, int(hw))
	}
	var reals [6]float64
	if err := read(&reals); err != nil {
		return nil, err
	}
	s.Beta, s.OutputSD = reals[0], reals[1]
	s.Adam = AdamSettings{LearningRate: reals[2], Beta1: reals[3], Beta2: reals[4], Epsilon: reals[5]}
	var counts [2]uint64 // steps, parameters
	if err := read(&counts); err != nil {
		return nil, err
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", errBadFile, err)
	}
	want := paramCount(s)
	if want > maxFileParams {
		return nil, fmt.Errorf("%w: %d parameters (at most %d)", errBadFile, want, maxFileParams)
	}
	if counts[1] != uint64(want) {
		return nil, fmt.Errorf("%w: %d parameters, the settings need %d", errBadFile, counts[1], want)
	}
	v, err := newVAE(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadFile, err)
	}
	v.opt.t = counts[0]
	for _, x := range [][]float64{v.params, v.opt.m, v.opt.v} {
		if err := read(x); err != nil {
			return nil, err
		}
	}
	sum := h.Sum32()
	var stored uint32
	if err := binary.Read(r, binary.LittleEndian, &stored); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%w: %w", errBadFile, err)
	}
	if stored != sum {
		return nil, fmt.Errorf("%w: checksum %08x, content sums to %08x (damaged file)", errBadFile, stored, sum)
	}
	return v, nil
}

// paramCount returns the number of parameters of a VAE with settings s.
func paramCount(s Settings) int {
	n, in := 0, s.Inputs
	for _, h := range s.Hidden {
		n += layerSize(in, h)
		in = h
	}
	n += layerSize(in, 2*s.Latent)
	in = s.Latent
	for i := len(s.Hidden) - 1; i >= 0; i-- {
		n += layerSize(in, s.Hidden[i])
		in = s.Hidden[i]
	}
	return n + layerSize(in, s.Inputs)
}
