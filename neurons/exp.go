package neurons

import "math"

// exp returns e^x. It is the table-driven scheme of Tang (1989, ACM Trans
// Math Softw 15:144): x = (64 m + j) ln2/64 + r with |r| <= ln2/128, and
// e^x = 2^m 2^(j/64) e^r, where 2^(j/64) comes from a table of correctly
// rounded values and e^r - 1 from its degree-5 Taylor polynomial (truncation
// error below r^6/720 < 4e-17 relative), evaluated by Estrin's scheme for a
// short dependency chain. Checked offline against 50-digit decimal
// arithmetic on 2e5 points in (-707, 709), its error is at most 1.23 ulp
// (math.Exp on amd64: 1.59 ulp); exp_test.go checks that it stays within
// 3 ulp of math.Exp over the whole finite range. Arguments outside
// (-707, 709), where the result would be subnormal or overflow, and NaN go
// to math.Exp.
func exp(x float64) float64 {
	z := [1]float64{x}
	expSlice(z[:])
	return z[0]
}

// expSlice replaces every element of z by its exponential, computed as exp
// documents.
//
// The stepping loops gather their sigmoid arguments into a slice and call
// expSlice once per step instead of calling math.Exp per element: the
// exponentials are then independent iterations of one tight loop that the
// processor overlaps, which cuts the time of a Wilson-Cowan step from about
// 100 ns with math.Exp (an assembly routine that cannot be inlined and
// whose call serialises the step) to about 60 ns on the benchmark machine
// (BenchmarkWilsonCowanStep, 2.6-GHz Xeon).
func expSlice(z []float64) {
	const (
		invLn2x64 = 0x1.71547652b82fep+6  // 64/ln2
		ln2x64Hi  = 0x1.62e42fee00000p-7  // ln2/64, high 32 bits: k*ln2x64Hi is exact for |k| < 2^21
		ln2x64Lo  = 0x1.a39ef35793c76p-39 // ln2/64 - ln2x64Hi
		shift     = 0x1.8p52              // y = v + shift holds round(v) in its low mantissa bits
		shiftBits = 0x4338000000000000    // math.Float64bits(shift)
	)
	for i, x := range z {
		if !(x > -707 && x < 709) {
			z[i] = math.Exp(x)
			continue
		}
		y := x*invLn2x64 + shift
		k := int64(math.Float64bits(y) - shiftBits) // round(x*64/ln2), exact for |k| < 2^51
		kf := y - shift
		r := (x - kf*ln2x64Hi) - kf*ln2x64Lo
		r2 := r * r
		p := r + r2*((1.0/2+r*(1.0/6))+r2*(1.0/24+r*(1.0/120))) // e^r - 1
		t := exp2Table[k&63]
		z[i] = math.Float64frombits(math.Float64bits(t+t*p) + uint64(k>>6)<<52)
	}
}

// exp2Table[j] is 2^(j/64) rounded to the nearest float64, computed with
// 60-digit decimal arithmetic.
var exp2Table = [64]float64{
	0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
	0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
	0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
	0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
	0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
	0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
	0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
	0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
	0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
	0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
	0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
	0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
	0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
	0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
	0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
	0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
}
