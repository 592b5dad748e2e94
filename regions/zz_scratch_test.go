package regions_test

import (
	"fmt"
	"testing"

	"github.com/dreamsim/dreamsim/regions"
)

func TestScratch(t *testing.T) {
	hipX := regions.DefaultHippocampus()
	hipX.DGUnits, hipX.Sparsity = 16, 0.5
	hipX.EncodingWindowS, hipX.EncodingRate, hipX.TagBoost = 1e4, 1e3, 1e3
	fmt.Println(hipX.Validate(0.1))
}
