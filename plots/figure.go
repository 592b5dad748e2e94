package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DefaultDPI is the resolution of the PNG files that Save writes: 300 dots per
// inch, the usual journal requirement for line art with grey levels.
const DefaultDPI = 300

// Figure is a drawing of fixed print size that can be written as PNG and SVG.
// The figure constructors of this package return one; Draw may be replaced to
// make a custom figure.
type Figure struct {
	Name    string    // Name is the stable file stem, e.g. "hypnogram".
	Caption string    // Caption is a one-paragraph description for the report.
	Width   vg.Length // Width is the print width.
	Height  vg.Length // Height is the print height.
	DPI     int       // DPI is the resolution of the PNG that Save writes; zero means DefaultDPI.

	// Draw draws the figure on a canvas of size Width x Height.
	Draw func(c draw.Canvas)
}

// render draws f on c over a white background, turning a drawing panic (a
// bug, or data the drawing code did not foresee) into an error that names
// the figure.
func (f *Figure) render(c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing %s: %v", f.Name, r)
		}
	}()
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	f.Draw(c)
	return nil
}

// PNG returns the figure as a PNG image at dpi dots per inch.
func (f *Figure) PNG(dpi int) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	if err := f.render(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("plots: %s: %w", f.Name, err)
	}
	return buf.Bytes(), nil
}

// pngEncoder compresses for speed: compressing a 300-dpi figure at the
// default level took more time than drawing it, and the files are only
// about a tenth larger.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed}

// SVG returns the figure as an SVG document with its fonts embedded
// (Liberation Sans, SIL Open Font License), as journals ask, so the text
// looks the same on every machine; about 0.6 MB per font face used. The
// text still names Arial and Helvetica, metric-compatible, as fallbacks for
// programs that ignore embedded fonts.
func (f *Figure) SVG() ([]byte, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(f.Width, f.Height), vgsvg.EmbedFonts(true))
	if err := f.render(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: %s: %w", f.Name, err)
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")), nil
}

// Save writes dir/Name.png (at f.DPI, or DefaultDPI when it is zero) and
// dir/Name.svg, creating dir if needed, and returns the paths written.
func (f *Figure) Save(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	dpi := f.DPI
	if dpi <= 0 {
		dpi = DefaultDPI
	}
	png, err := f.PNG(dpi)
	if err != nil {
		return nil, err
	}
	svg, err := f.SVG()
	if err != nil {
		return nil, err
	}
	var written []string
	for _, out := range []struct {
		ext  string
		data []byte
	}{{".png", png}, {".svg", svg}} {
		path := filepath.Join(dir, f.Name+out.ext)
		if err := os.WriteFile(path, out.data, 0o644); err != nil {
			return written, fmt.Errorf("plots: %w", err)
		}
		written = append(written, path)
	}
	return written, nil
}
