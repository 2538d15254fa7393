package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes where the figures were measured.
type Machine struct {
	CPU     string
	Cores   int
	Memory  int64 // bytes, 0 if unknown
	OS      string
	Go      string // the Go that built the binary under test
	Version string // `playbook version`
}

func machineSection(ctx context.Context, e *Env) (string, error) {
	m := e.machine(ctx)
	rows := [][]string{
		{"CPU", m.CPU},
		{"Logical CPUs", strconv.Itoa(m.Cores)},
		{"Memory", bytesHuman(m.Memory)},
		{"OS", m.OS},
		{"Go", m.Go},
		{"Binary", "`" + m.Version + "`"},
	}
	if m.Memory == 0 {
		rows[2][1] = "unknown"
	}
	return "## Machine\n\n" + table([]string{"", ""}, "ll", rows), nil
}

func (e *Env) machine(ctx context.Context) Machine {
	m := Machine{CPU: "unknown", Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		if kb, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			m.Memory = kb * 1024
		}
	}
	if rel, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(rel), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`) + ", " + m.OS
			}
		}
	}
	if k, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.OS += ", kernel " + strings.TrimSpace(string(k))
	}
	if bi, err := buildinfo.ReadFile(e.Bin); err == nil {
		m.Go = bi.GoVersion
	}
	if r, err := e.Measure(ctx, "version"); err == nil {
		m.Version = strings.TrimSpace(r.Stdout)
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(file, key string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// selfPeakRSS is this process's own peak RSS (VmHWM) in bytes, 0 if unknown:
// the floor under every child's ru_maxrss on Linux.
func selfPeakRSS() int64 {
	v := procField("/proc/self/status", "VmHWM")
	kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64)
	if err != nil {
		return 0
	}
	return kb * 1024
}

// loadAvg is the 1, 5 and 15 minute load average, "" if unknown.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], ", ")
}
