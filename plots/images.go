package plots

import (
	"image"
	"image/color"
	"strconv"
	"strings"
)

// Image is the content of one memory or dream as a small grey-level picture
// (a row of images.csv).
type Image struct {
	Kind   string    // Kind is "memory" or "dream".
	ID     int       // ID is the memory or dream identifier.
	Width  int       // Width is in pixels.
	Height int       // Height is in pixels.
	Pixels []float64 // Pixels are Width*Height intensities in [0, 1], row-major.
}

// Image kinds as written in images.csv and latents.csv.
const (
	KindMemory = "memory"
	KindDream  = "dream"
)

// Gray returns the picture with 0 as black and 1 as white, each pixel
// repeated scale times in both directions so that renderers that smooth
// when they scale still show crisp pixels. scale < 1 is treated as 1.
func (im Image) Gray(scale int) *image.Gray {
	scale = max(scale, 1)
	g := image.NewGray(image.Rect(0, 0, im.Width*scale, im.Height*scale))
	for y := 0; y < im.Height; y++ {
		for x := 0; x < im.Width; x++ {
			v := min(max(im.Pixels[y*im.Width+x], 0), 1)
			c := color.Gray{Y: uint8(v*255 + 0.5)}
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					g.SetGray(x*scale+dx, y*scale+dy, c)
				}
			}
		}
	}
	return g
}

// ReadImages reads an images.csv file: columns kind, id, width, height, pixels
// (space-separated intensities in [0, 1], row-major).
func ReadImages(path string) ([]Image, error) {
	t, err := readTable(path, "kind", "id", "width", "height", "pixels")
	if err != nil {
		return nil, err
	}
	out := make([]Image, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		im := Image{
			Kind:   c.oneOf("kind", KindMemory, KindDream),
			ID:     c.integer("id"),
			Width:  c.integer("width"),
			Height: c.integer("height"),
		}
		if c.err == nil && (im.Width < 1 || im.Height < 1) {
			c.fail("width", "image size %dx%d is not positive", im.Width, im.Height)
		}
		if c.err != nil {
			return nil, c.err
		}
		fields := strings.Fields(c.str("pixels"))
		if len(fields) != im.Width*im.Height {
			c.fail("pixels", "%d values, want width*height = %d", len(fields), im.Width*im.Height)
			return nil, c.err
		}
		im.Pixels = make([]float64, len(fields))
		for k, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || v < 0 || v > 1 {
				c.fail("pixels", "value %d is %q, want a number in [0, 1]", k+1, f)
				return nil, c.err
			}
			im.Pixels[k] = v
		}
		out[i] = im
	}
	return out, nil
}

// imageIndex finds images by kind and id.
type imageIndex map[imageKey]Image

type imageKey struct {
	kind string
	id   int
}

func indexImages(ims []Image) imageIndex {
	idx := make(imageIndex, len(ims))
	for _, im := range ims {
		idx[imageKey{im.Kind, im.ID}] = im
	}
	return idx
}
