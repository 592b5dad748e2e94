// Command simulate runs dreamsim experiments: regions of the sleeping brain
// on a sleep-stage clock, which memories survive the night, which dreams
// are kept. Run it without flags for the embedded default experiment; see
// the README for everything else.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
