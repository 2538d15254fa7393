package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"
)

// profileFlags are build's hidden flags for finding where time and memory
// go (`go tool pprof FILE`); the bench/ harness's README section shows them.
type profileFlags struct {
	cpu  string // CPU profile of the whole build
	heap string // heap profile taken when the live heap was at its largest
}

func (p *profileFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the build to this file")
	cmd.Flags().StringVar(&p.heap, "memprofile", "", "write a heap profile, taken at the largest live heap, to this file")
	_ = cmd.Flags().MarkHidden("cpuprofile")
	_ = cmd.Flags().MarkHidden("memprofile")
}

// start begins the profiles asked for; the returned func ends them.
func (p *profileFlags) start() (stop func() error, err error) {
	var stops []func() error
	if p.cpu != "" {
		f, err := os.Create(p.cpu)
		if err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		stops = append(stops, func() error { pprof.StopCPUProfile(); return f.Close() })
	}
	if p.heap != "" {
		stops = append(stops, watchPeakHeap(p.heap))
	}
	return func() error {
		var first error
		for _, s := range stops {
			if err := s(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}, nil
}

// peakSample is how often the heap watcher looks at the live heap: often
// enough to catch a peak that lasts a phase of the build.
const peakSample = 100 * time.Millisecond

// watchPeakHeap writes a heap profile to name each time the live heap
// passes its previous high by a tenth, so the file left is (near) the peak.
func watchPeakHeap(name string) func() error {
	done, finished := make(chan struct{}), make(chan error, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var high uint64
		var err error
		tick := time.NewTicker(peakSample)
		defer tick.Stop()
		for {
			select {
			case <-done:
				finished <- err
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > high+high/10 {
				high = v
				err = writeHeap(name)
			}
		}
	}()
	return func() error { close(done); return <-finished }
}

func writeHeap(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	defer f.Close()
	runtime.GC() // the profile shows the heap as of the last GC
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	return nil
}
