package generative

import (
	"fmt"
	"math"
)

// Shape is a class of episodic content: a simple figure a person tells apart
// from the others at a glance.
type Shape int

// The shapes the content generator draws. Each is defined in unit shape
// coordinates (the figure spans about [-1, 1] on each axis, y pointing down)
// and placed in the image by a Pose.
const (
	HorizontalBar Shape = iota // a horizontal stroke
	VerticalBar                // a vertical stroke
	Diagonal                   // a stroke from lower left to upper right
	Cross                      // a plus sign: horizontal and vertical strokes
	Ring                       // a circle outline
	FilledSquare               // a solid square
	Triangle                   // an upward-pointing triangle outline
	DotGrid                    // a 3×3 grid of dots
	XCross                     // two diagonal strokes
	numShapes
)

// DefaultShapes returns the eight classes of the default content, in class
// order: horizontal bar, vertical bar, diagonal, cross, ring, filled square,
// triangle and dot grid. XCross is left out of the default set because, at
// 16×16 pixels and with rotations near ±15°, it is the shape most easily
// confused with Cross and Diagonal.
func DefaultShapes() []Shape {
	return []Shape{HorizontalBar, VerticalBar, Diagonal, Cross, Ring, FilledSquare, Triangle, DotGrid}
}

var shapeNames = [numShapes]string{
	HorizontalBar: "horizontal bar",
	VerticalBar:   "vertical bar",
	Diagonal:      "diagonal",
	Cross:         "cross",
	Ring:          "ring",
	FilledSquare:  "filled square",
	Triangle:      "triangle",
	DotGrid:       "dot grid",
	XCross:        "X",
}

// String returns the shape's name, for example "ring".
func (s Shape) String() string {
	if s < 0 || s >= numShapes {
		return fmt.Sprintf("Shape(%d)", int(s))
	}
	return shapeNames[s]
}

// valid reports whether s names a drawable shape.
func (s Shape) valid() bool { return s >= 0 && s < numShapes }

// Geometry of the shapes in unit shape coordinates.
const (
	ringRadius     = 0.75 // radius of the ring's centre line
	squareHalf     = 0.7  // half side of the filled square
	triangleRadius = 1.1  // circumradius of the triangle
	dotSpacing     = 1.0  // distance between neighbouring dots of the grid
	diagonalHalf   = 0.8  // half extent of a diagonal stroke along each axis
	dotRadiusRatio = 0.75 // dot radius as a fraction of the stroke width
)

// ink returns the ink, in [0, 1], of shape s at the point (u, v) given in
// unit shape coordinates. radius is the size of one shape unit in pixels and
// width the stroke width in pixels. Edges are anti-aliased over one pixel:
// ink = clamp(0.5 - d, 0, 1), where d is the signed distance, in pixels, from
// the point to the figure's edge (negative inside).
func (s Shape) ink(u, v, radius, width float64) float64 {
	var d float64 // signed distance to the edge, in pixels
	half := width / 2
	switch s {
	case HorizontalBar:
		d = segmentDistance(u, v, -1, 0, 1, 0)*radius - half
	case VerticalBar:
		d = segmentDistance(u, v, 0, -1, 0, 1)*radius - half
	case Diagonal:
		d = segmentDistance(u, v, -diagonalHalf, diagonalHalf, diagonalHalf, -diagonalHalf)*radius - half
	case Cross:
		d = math.Min(segmentDistance(u, v, -1, 0, 1, 0), segmentDistance(u, v, 0, -1, 0, 1))*radius - half
	case XCross:
		d = math.Min(
			segmentDistance(u, v, -diagonalHalf, diagonalHalf, diagonalHalf, -diagonalHalf),
			segmentDistance(u, v, -diagonalHalf, -diagonalHalf, diagonalHalf, diagonalHalf),
		)*radius - half
	case Ring:
		d = math.Abs(math.Hypot(u, v)-ringRadius)*radius - half
	case FilledSquare:
		d = boxDistance(u, v, squareHalf) * radius
	case Triangle:
		d = math.Abs(triangleDistance(u, v))*radius - half
	case DotGrid:
		// The nearest dot centre is the nearest grid node, clamped to the grid.
		cu := math.Max(-1, math.Min(1, math.Round(u/dotSpacing))) * dotSpacing
		cv := math.Max(-1, math.Min(1, math.Round(v/dotSpacing))) * dotSpacing
		d = math.Hypot(u-cu, v-cv)*radius - dotRadiusRatio*width
	default:
		panic(fmt.Sprintf("generative: cannot draw %v", s))
	}
	return math.Max(0, math.Min(1, 0.5-d))
}

// segmentDistance returns the distance from (u, v) to the segment from
// (u0, v0) to (u1, v1).
func segmentDistance(u, v, u0, v0, u1, v1 float64) float64 {
	du, dv := u1-u0, v1-v0
	t := ((u-u0)*du + (v-v0)*dv) / (du*du + dv*dv)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(u-u0-t*du, v-v0-t*dv)
}

// boxDistance returns the signed distance from (u, v) to the axis-aligned
// square of half side h centred at the origin.
func boxDistance(u, v, h float64) float64 {
	qu, qv := math.Abs(u)-h, math.Abs(v)-h
	outside := math.Hypot(math.Max(qu, 0), math.Max(qv, 0))
	inside := math.Min(math.Max(qu, qv), 0)
	return outside + inside
}

// triangleDistance returns a signed distance from (u, v) to the upward
// equilateral triangle of circumradius triangleRadius centred at the origin
// (y points down, so "up" is negative v). It is the largest signed distance
// to the three edge lines: exact inside and along the edges, slightly small
// beyond the corners, which only rounds the corners' anti-aliasing.
func triangleDistance(u, v float64) float64 {
	// Edge normals point outwards at angles 90° (bottom edge) and 210°, 330°
	// measured with v down; each edge line lies at distance r/2 from the centre.
	const s3 = 0.8660254037844386 // sqrt(3)/2
	off := triangleRadius / 2
	d := v - off                     // bottom edge, normal (0, 1)
	d = math.Max(d, -s3*u-0.5*v-off) // upper-left edge, normal (-√3/2, -1/2)
	d = math.Max(d, s3*u-0.5*v-off)  // upper-right edge, normal (√3/2, -1/2)
	return d
}
