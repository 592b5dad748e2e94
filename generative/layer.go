package generative

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// layer is one fully connected layer, y = f(x W + b) for a batch x of row
// vectors. Its weights and biases are views into the VAE's flat parameter
// vector, its gradients views into the flat gradient vector, so that the
// optimiser and the file format see one contiguous block.
type layer struct {
	in, out int
	tanh    bool       // f is tanh if set, the identity otherwise
	w, dw   *mat.Dense // in×out weights and their gradient
	b, db   []float64  // out biases and their gradient
}

// layerSize returns the number of parameters of a layer with the given widths.
func layerSize(in, out int) int { return in*out + out }

// newLayer returns a layer whose parameters start at params[off] and whose
// gradients start at grads[off].
func newLayer(in, out int, tanh bool, params, grads []float64, off int) layer {
	wEnd := off + in*out
	end := wEnd + out
	return layer{
		in: in, out: out, tanh: tanh,
		w:  mat.NewDense(in, out, params[off:wEnd:wEnd]),
		dw: mat.NewDense(in, out, grads[off:wEnd:wEnd]),
		b:  params[wEnd:end:end],
		db: grads[wEnd:end:end],
	}
}

// product is a matrix product c = a b prepared once so that computing it
// allocates nothing: c, a and b are views made when the workspace is built.
type product struct {
	c    *mat.Dense
	a, b mat.Matrix
}

// Tile limits of a prepared product. gonum's Dgemm splits any product whose
// output spans four or more 64×64 blocks over goroutines, which allocates
// on every call. Tiling the output into pieces of at most 64×192 keeps every
// call on the serial kernel: the VAE's matrices are small, a simulation runs
// many networks side by side, and one network per core is the better use of
// the cores. It also makes the training step allocation-free.
const (
	tileRows = 64
	tileCols = 192
)

// operand is a matrix, possibly used transposed, from which tiles are cut.
type operand struct {
	m     *mat.Dense
	trans bool
}

// dims returns the dimensions of the operand as used (after transposition).
func (o operand) dims() (r, c int) {
	r, c = o.m.Dims()
	if o.trans {
		return c, r
	}
	return r, c
}

// slice returns rows i0:i1 and columns j0:j1 of the operand as used.
func (o operand) slice(i0, i1, j0, j1 int) mat.Matrix {
	if o.trans {
		return o.m.Slice(j0, j1, i0, i1).T()
	}
	return o.m.Slice(i0, i1, j0, j1)
}

// prepare returns the tiles of c = a b.
func prepare(c *mat.Dense, a, b operand) []product {
	m, n := c.Dims()
	_, k := a.dims()
	var ps []product
	for i := 0; i < m; i += tileRows {
		i1 := min(i+tileRows, m)
		for j := 0; j < n; j += tileCols {
			j1 := min(j+tileCols, n)
			ps = append(ps, product{
				c: c.Slice(i, i1, j, j1).(*mat.Dense),
				a: a.slice(i, i1, 0, k),
				b: b.slice(0, k, j, j1),
			})
		}
	}
	return ps
}

// mul computes every tile of a prepared product.
func mul(ps []product) {
	for _, p := range ps {
		p.c.Mul(p.a, p.b)
	}
}

// addBias adds b to every row of x.
func addBias(x *mat.Dense, b []float64) {
	raw := x.RawMatrix()
	for r := range raw.Rows {
		floats.Add(raw.Data[r*raw.Stride:r*raw.Stride+raw.Cols], b)
	}
}

// applyTanh replaces every element of x by its tanh.
func applyTanh(x *mat.Dense) {
	raw := x.RawMatrix()
	for r := range raw.Rows {
		row := raw.Data[r*raw.Stride : r*raw.Stride+raw.Cols]
		for j, v := range row {
			row[j] = math.Tanh(v)
		}
	}
}

// tanhBackward turns g, the gradient with respect to y = tanh(a), into the
// gradient with respect to a: g ← g (1 - y²).
func tanhBackward(g, y *mat.Dense) {
	gr, yr := g.RawMatrix(), y.RawMatrix()
	for r := range gr.Rows {
		grow := gr.Data[r*gr.Stride : r*gr.Stride+gr.Cols]
		yrow := yr.Data[r*yr.Stride : r*yr.Stride+yr.Cols]
		for j, yj := range yrow {
			grow[j] *= 1 - yj*yj
		}
	}
}

// sumRows sets db to the column sums of g (the bias gradient of a batch).
func sumRows(db []float64, g *mat.Dense) {
	raw := g.RawMatrix()
	clear(db)
	for r := range raw.Rows {
		floats.Add(db, raw.Data[r*raw.Stride:r*raw.Stride+raw.Cols])
	}
}
