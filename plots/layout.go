package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// alignGrid lays out rows of plots (all rows the same length; nil leaves a
// tile empty) on c so that their data areas have the same size and line up,
// draws them and returns the tile canvases. Plot titles are drawn by
// alignGrid itself, centred just above each data area, so that titles in a
// row line up even when a tick label at the top pushes one data area down.
func alignGrid(c draw.Canvas, rows [][]*plot.Plot, padX, padY vg.Length) [][]draw.Canvas {
	var titleH vg.Length
	titles := make([][]string, len(rows))
	for j, row := range rows {
		titles[j] = make([]string, len(row))
		for i, p := range row {
			if p != nil && p.Title.Text != "" {
				titles[j][i] = p.Title.Text
				titleH = max(titleH, p.Title.TextStyle.Height(p.Title.Text)+vg.Points(4))
				p.Title.Text = ""
			}
		}
	}
	// Restore the titles so that the figure can be drawn again.
	defer func() {
		for j, row := range rows {
			for i, p := range row {
				if p != nil && titles[j][i] != "" {
					p.Title.Text = titles[j][i]
				}
			}
		}
	}()
	t := draw.Tiles{Rows: len(rows), Cols: len(rows[0]), PadX: padX, PadY: padY + titleH, PadTop: titleH}
	tiles := alignTiles(rows, t, c)
	for j, row := range rows {
		for i, p := range row {
			if p == nil {
				continue
			}
			p.Draw(tiles[j][i])
			if titles[j][i] != "" {
				dc := p.DataCanvas(tiles[j][i])
				sty := p.Title.TextStyle
				sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
				// The title is centred on the data area and may use the
				// whole tile, but no more.
				cx := (dc.Min.X + dc.Max.X) / 2
				room := 2 * min(cx-tiles[j][i].Min.X, tiles[j][i].Max.X-cx)
				c.FillText(sty, vg.Point{X: cx, Y: dc.Max.Y + vg.Points(4)}, fitText(sty, titles[j][i], room))
			}
			tiles[j][i].Max.Y += titleH
		}
	}
	return tiles
}

// alignTiles returns, for each plot of the grid, the canvas on which its
// data area has the same size as every other one and lines up with those of
// its row (top and bottom) and its column (left and right). It does what
// plot.Align does, but iterates: a plot's data area depends on its canvas in
// a non-linear way when a tick label sits near the end of an axis, and a
// single correction leaves panels of a row a few points apart.
func alignTiles(rows [][]*plot.Plot, t draw.Tiles, c draw.Canvas) [][]draw.Canvas {
	nr, nc := len(rows), len(rows[0])
	// The space each column and row needs around its data areas.
	left, right := make([]vg.Length, nc), make([]vg.Length, nc)
	bottom, top := make([]vg.Length, nr), make([]vg.Length, nr)
	for j := range rows {
		for i, p := range rows[j] {
			if p == nil {
				continue
			}
			b := t.At(c, i, j)
			dc := p.DataCanvas(b)
			left[i] = max(left[i], dc.Min.X-b.Min.X)
			right[i] = max(right[i], b.Max.X-dc.Max.X)
			bottom[j] = max(bottom[j], dc.Min.Y-b.Min.Y)
			top[j] = max(top[j], b.Max.Y-dc.Max.Y)
		}
	}
	dataW := c.Max.X - c.Min.X - t.PadLeft - t.PadRight - vg.Length(nc-1)*t.PadX
	for i := range left {
		dataW -= left[i] + right[i]
	}
	dataW /= vg.Length(nc)
	dataH := c.Max.Y - c.Min.Y - t.PadTop - t.PadBottom - vg.Length(nr-1)*t.PadY
	for j := range top {
		dataH -= top[j] + bottom[j]
	}
	dataH /= vg.Length(nr)

	out := make([][]draw.Canvas, nr)
	y := c.Max.Y - t.PadTop
	for j := range rows {
		out[j] = make([]draw.Canvas, nc)
		x := c.Min.X + t.PadLeft
		for i, p := range rows[j] {
			target := vg.Rectangle{
				Min: vg.Point{X: x + left[i], Y: y - top[j] - dataH},
				Max: vg.Point{X: x + left[i] + dataW, Y: y - top[j]},
			}
			tile := c
			tile.Rectangle = vg.Rectangle{
				Min: vg.Point{X: x, Y: target.Min.Y - bottom[j]},
				Max: vg.Point{X: target.Max.X + right[i], Y: y},
			}
			if p != nil {
				tile = fitDataArea(p, tile, target)
			}
			out[j][i] = tile
			x += left[i] + dataW + right[i] + t.PadX
		}
		y -= top[j] + dataH + bottom[j] + t.PadY
	}
	return out
}

// fitDataArea moves the edges of tile until the data area of p is target,
// by Newton steps on each edge with a numerical slope: a data edge can move
// faster than the tile edge (twice as fast when a tick label near the end of
// the axis sets the padding), so plain fixed-point steps would overshoot.
func fitDataArea(p *plot.Plot, tile draw.Canvas, target vg.Rectangle) draw.Canvas {
	edges := []struct {
		tile func(*draw.Canvas) *vg.Length
		data func(draw.Canvas) vg.Length
		want vg.Length
	}{
		{func(c *draw.Canvas) *vg.Length { return &c.Min.X }, func(c draw.Canvas) vg.Length { return c.Min.X }, target.Min.X},
		{func(c *draw.Canvas) *vg.Length { return &c.Max.X }, func(c draw.Canvas) vg.Length { return c.Max.X }, target.Max.X},
		{func(c *draw.Canvas) *vg.Length { return &c.Min.Y }, func(c draw.Canvas) vg.Length { return c.Min.Y }, target.Min.Y},
		{func(c *draw.Canvas) *vg.Length { return &c.Max.Y }, func(c draw.Canvas) vg.Length { return c.Max.Y }, target.Max.Y},
	}
	const h = vg.Length(0.5) // points, the finite-difference step
	for iter := 0; iter < 6; iter++ {
		done := true
		for _, e := range edges {
			got := e.data(p.DataCanvas(tile))
			miss := e.want - got
			if math.Abs(float64(miss)) < 1e-3 {
				continue
			}
			done = false
			probe := tile
			*e.tile(&probe) += h
			slope := (e.data(p.DataCanvas(probe)) - got) / h
			if slope < 0.1 {
				slope = 1
			}
			*e.tile(&tile) += miss / slope
		}
		if done {
			break
		}
	}
	return tile
}

// drawLetter writes a bold panel letter at the top-left corner of a tile.
func drawLetter(c draw.Canvas, letter string) {
	sty := textStyle(sansBold(letterFontSize), color.Black)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Max.Y}, letter)
}

// panelLetter returns "a", "b", ... for i = 0, 1, ...
func panelLetter(i int) string { return string(rune('a' + i)) }

// wrapGrid lays panels out in rows of at most cols (fewer when there are
// fewer panels), the last row padded with nil cells.
func wrapGrid(panels []*plot.Plot, cols int) [][]*plot.Plot {
	cols = min(cols, len(panels))
	if cols < 1 {
		return nil
	}
	var grid [][]*plot.Plot
	for i := 0; i < len(panels); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, panels[i:min(i+cols, len(panels))])
		grid = append(grid, row)
	}
	return grid
}
