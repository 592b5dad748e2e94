package sleep

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	h := Hypnogram{Epochs: []Stage{W, N1, N2, N3, R}}
	if err := WriteCSV(&b, h); err != nil {
		t.Fatal(err)
	}
	want := "epoch,start_min,stage\n0,0.0,W\n1,0.5,N1\n2,1.0,N2\n3,1.5,N3\n4,2.0,R\n"
	if b.String() != want {
		t.Errorf("WriteCSV wrote\n%s\nwant\n%s", b.String(), want)
	}
	for _, bad := range []Hypnogram{{}, {Epochs: []Stage{W, 8}}} {
		b.Reset()
		if err := WriteCSV(&b, bad); err == nil || b.Len() != 0 {
			t.Errorf("WriteCSV(%v) = %v after writing %d bytes, want an error and nothing written", bad.Epochs, err, b.Len())
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCSVWriterError(t *testing.T) {
	t.Parallel()
	err := WriteCSV(failingWriter{}, Hypnogram{Epochs: []Stage{W}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteCSV to a failing writer = %v, want the writer's error", err)
	}
}

func TestReadHypnogramFormats(t *testing.T) {
	t.Parallel()
	want := []Stage{W, N1, N2, N3, R}
	cases := []struct {
		name, in string
	}{
		{"WriteCSV layout", "epoch,start_min,stage\n0,0.0,W\n1,0.5,N1\n2,1.0,N2\n3,1.5,N3\n4,2.0,R\n"},
		{"labels one column", "W\nN1\nN2\nN3\nR\n"},
		{"labels with header", "stage\nW\nN1\nN2\nN3\nR\n"},
		{"words", "Wake\nN1\nN2\nN3\nREM\n"},
		{"integers 0-4", "0\n1\n2\n3\n4\n"},
		{"integers with header", "Stage\n0\n1\n2\n3\n4"},
		{"Sleep-EDF labels", "Sleep stage W\nSleep stage 1\nSleep stage 2\nSleep stage 3\nSleep stage R\n"},
		{"Sleep-EDF R&K stage 4", "Sleep stage W\nSleep stage 1\nSleep stage 2\nSleep stage 4\nSleep stage R\n"},
		{"R&K S labels", "W\nS1\nS2\nS4\nREM\n"},
		{"TSV with header", "epoch\tstart_min\tstage\n0\t0.0\tW\n1\t0.5\tN1\n2\t1.0\tN2\n3\t1.5\tN3\n4\t2.0\tR\n"},
		{"TSV no header", "0\t0.0\tW\n1\t0.5\t1\n2\t1.0\t2\n3\t1.5\t3\n4\t2.0\t4\n"},
		{"CSV no header", "0,0.0,W\n1,0.5,N1\n2,1.0,N2\n3,1.5,N3\n4,2.0,R\n"},
		{"CSV two columns, 1-based epochs", "1,W\n2,N1\n3,N2\n4,N3\n5,R\n"},
		{"semicolons", "epoch;stage\n0;W\n1;N1\n2;N2\n3;N3\n4;R\n"},
		{"stage column not last", "stage,epoch,scorer\nW,0,a\nN1,1,a\nN2,2,b\nN3,3,b\nR,4,a\n"},
		{"other columns, stage last", "time,confidence,label\n23:00,0.9,W\n23:00,0.8,N1\nx,1,N2\ny,1,N3\nz,1,R\n"},
		{"start_min only", "start_min,stage\n10.0,W\n10.5,N1\n11.0,N2\n11.5,N3\n12.0,R\n"},
		{"quoted fields", "\"epoch\",\"stage\"\n0,\"W\"\n1,\"N1\"\n2,\"N2\"\n3,\"N3\"\n4,\"R\"\n"},
		{"comments, blanks, CRLF, BOM", "\xef\xbb\xbf# scored by hand\r\n\r\nepoch,stage\r\n0,W\r\n  # note\r\n1,N1\r\n2,N2\r\n\r\n3,N3\r\n4,R"},
		{"spaces around fields", " 0 , 0.0 , W \n1,0.5, N1\n2,1.0,N2 \n3,1.5,N3\n4,2.0,R\n"},
		{"1-based epochs, any start", "epoch,start_min,stage\n1,30.0,W\n2,30.5,N1\n3,31.0,N2\n4,31.5,N3\n5,32.0,R\n"},
	}
	for _, c := range cases {
		h, err := ReadHypnogram(strings.NewReader(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(h.Epochs, want) {
			t.Errorf("%s: got %v, want %v", c.name, h.Epochs, want)
		}
	}
}

func TestReadHypnogramErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []string // substrings of the error
	}{
		{"empty", "", []string{"empty hypnogram: no epochs in 0 line(s)"}},
		{"only comments", "# nothing\n\n# here\n", []string{"empty hypnogram: no epochs in 3 line(s)"}},
		{"header only", "# c\nepoch,start_min,stage\n", []string{"a header (line 2) but no epochs in 2 line(s)"}},
		{"unknown label", "W\nN2\nX\n", []string{"line 3", `unknown stage label "X"`, "valid: W, N1, N2, N3, R"}},
		{"unknown label in CSV", "epoch,stage\n0,W\n1,N5\n", []string{"line 3", `"N5"`}},
		{"R&K 5", "0\n2\n5\n", []string{"line 3", "5 is REM in R&K exports"}},
		{"missing field", "epoch,start_min,stage\n0,0.0,W\n1,N1\n", []string{"line 3", "2 field(s), want 3 as on line 1"}},
		{"extra field", "0,W\n1,N1,extra\n", []string{"line 2", "3 field(s), want 2"}},
		{"epoch gap", "epoch,stage\n0,W\n1,N1\n3,N2\n", []string{"line 4", "epoch 3 after epoch 1: gap of 1 missing epoch(s)"}},
		{"epoch repeated", "epoch,stage\n0,W\n1,N1\n1,N2\n", []string{"line 4", "epoch 1 after epoch 1: epoch numbers must increase by 1"}},
		{"epoch backwards", "0,0.0,W\n1,0.5,W\n0,1.0,W\n", []string{"line 3", "epoch 0 after epoch 1"}},
		{"epoch not integer", "epoch,stage\n0,W\n1.5,N1\n", []string{"line 3", `epoch "1.5" is not an integer`}},
		{"epoch negative", "epoch,stage\n-1,W\n", []string{"line 2", "epoch -1 is negative"}},
		{"start gap", "epoch,start_min,stage\n0,0.0,W\n1,0.5,W\n2,2.0,W\n", []string{"line 4", "start_min 2 after 0.5: gap of 2 missing epoch(s)"}},
		{"start backwards", "start_min,stage\n0.0,W\n0.5,W\n0.5,W\n", []string{"line 4", "start_min 0.5 after 0.5: start times must increase"}},
		{"epoch length 60 s is a gap", "start_min,stage\n0,W\n1,W\n", []string{"line 3", "gap of 1 missing epoch(s)"}},
		{"epoch length 20 s", "start_min,stage\n0,W\n0.3333333,W\n", []string{"line 3", "epoch length 20 s, want 30 s"}},
		{"epoch length 45 s", "0,0.0,W\n1,0.75,W\n", []string{"line 2", "epoch length 45 s, want 30 s"}},
		{"start not a number", "start_min,stage\n0,W\nabc,W\n", []string{"line 3", `start_min "abc" is not a finite number`}},
		{"start NaN", "start_min,stage\nNaN,W\n", []string{"line 2", "not a finite number"}},
		{"start negative", "start_min,stage\n-0.5,W\n", []string{"line 2", "start_min -0.5 is negative"}},
		{"binary NUL", "W\nN2\x00\x01\x02\n", []string{"line 2", "binary data"}},
		{"binary invalid UTF-8", "W\n\xff\xfe\xfd\n", []string{"line 2", "binary data"}},
		{"gzip magic", "\x1f\x8b\x08\x00\x00\x00", []string{"line 1", "binary data"}},
		{"line too long", "W\n" + strings.Repeat("N", 70000) + "\n", []string{"line 2", "longer than 64 KiB"}},
		{"more than 7 days", strings.Repeat("W\n", MaxEpochs+1), []string{"line 20161", "more than 20160 epochs"}},
	}
	for _, c := range cases {
		_, err := ReadHypnogram(strings.NewReader(c.in))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", c.name, err, w)
			}
		}
	}
}

func TestReadHypnogramHugeFile(t *testing.T) {
	t.Parallel()
	// 33 MiB of comment lines: no epochs, but too large to be a night.
	line := "# " + strings.Repeat("x", 1020) + "\n"
	in := strings.Repeat(line, 33*1024)
	_, err := ReadHypnogram(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "file larger than 32 MiB") || !strings.Contains(err.Error(), "line ") {
		t.Errorf("error = %v, want a file-size error with a line number", err)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(b []byte) (int, error) {
	if r.n == 0 {
		r.n++
		return copy(b, "W\nN2\n"), nil
	}
	return 0, errors.New("connection reset")
}

func TestReadHypnogramReaderError(t *testing.T) {
	t.Parallel()
	_, err := ReadHypnogram(&failingReader{})
	if err == nil || !strings.Contains(err.Error(), "connection reset") || !strings.Contains(err.Error(), "after line 2") {
		t.Errorf("error = %v, want the reader's error after line 2", err)
	}
}

// TestRoundTrip checks that hypnograms from every source (schedule, file,
// model clock) survive WriteCSV -> ReadHypnogram -> WriteCSV byte for byte.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	sched, err := FromSchedule([]ScheduleBlock{{W, 10}, {N1, 2}, {N2, 20}, {N3, 40.5}, {N2, 15}, {R, 12}, {W, 0.5}, {N2, 60}})
	if err != nil {
		t.Fatal(err)
	}
	file, err := ReadHypnogram(strings.NewReader("Sleep stage W\nSleep stage 1\nSleep stage 4\nSleep stage R\n"))
	if err != nil {
		t.Fatal(err)
	}
	model, err := Generate(DefaultModelParams(), rand.New(rand.NewPCG(7, 0)))
	if err != nil {
		t.Fatal(err)
	}
	week := Hypnogram{Epochs: make([]Stage, MaxEpochs)}
	for i := range week.Epochs {
		week.Epochs[i] = Stage(i * 7 % 5)
	}
	for name, h := range map[string]Hypnogram{"schedule": sched, "hypnogram file": file, "model": model, "7 days": week} {
		var b1, b2 bytes.Buffer
		if err := WriteCSV(&b1, h); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := ReadHypnogram(bytes.NewReader(b1.Bytes()))
		if err != nil {
			t.Fatalf("%s: reading back: %v", name, err)
		}
		if !slices.Equal(back.Epochs, h.Epochs) {
			t.Errorf("%s: read back a different hypnogram", name)
		}
		if err := WriteCSV(&b2, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Errorf("%s: re-export differs from the export", name)
		}
	}
}

// FuzzReadHypnogram checks that ReadHypnogram never panics, that what it
// accepts is a valid hypnogram, and that it round-trips through WriteCSV.
func FuzzReadHypnogram(f *testing.F) {
	for _, s := range []string{
		"epoch,start_min,stage\n0,0.0,W\n1,0.5,N1\n2,1.0,R\n",
		"W\nN1\nN2\nN3\nR\n",
		"0\t0.0\t0\n1\t0.5\t4\n",
		"Sleep stage W\nSleep stage 4\n",
		"# c\n\nstage\n\"REM\"\n",
		"epoch;stage\n1;S4\n2;S2\n",
		"start_min,stage\n0,W\n1,W\n",
		"\xef\xbb\xbfW\r\nR\r\n",
		"\x00\xff",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := ReadHypnogram(bytes.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "sleep: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("accepted an invalid hypnogram: %v", err)
		}
		var b1, b2 bytes.Buffer
		if err := WriteCSV(&b1, h); err != nil {
			t.Fatal(err)
		}
		back, err := ReadHypnogram(bytes.NewReader(b1.Bytes()))
		if err != nil {
			t.Fatalf("reading back the export: %v", err)
		}
		if !slices.Equal(back.Epochs, h.Epochs) {
			t.Fatalf("round trip changed the hypnogram")
		}
		if err := WriteCSV(&b2, back); err != nil || !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Fatalf("re-export differs: %v", err)
		}
	})
}
