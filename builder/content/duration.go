package content

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a review interval in whole days, written as "90d", "6w",
// "3m" (months of 30 days) or "1y" (365 days); "never" (0) turns review off.
type Duration int

var durationUnits = map[byte]int{'d': 1, 'w': 7, 'm': 30, 'y': 365}

// ParseDuration reads "90d", "6w", "3m" or "1y", up to MaxDuration.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "never" {
		return 0, nil
	}
	if len(s) < 2 {
		return 0, errorOf(KindDurationForm, s)
	}
	unit, ok := durationUnits[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if errors.Is(err, strconv.ErrRange) && n > 0 {
		err = nil // n is math.MaxInt: over MaxDuration below
	}
	if !ok || err != nil || n <= 0 {
		return 0, errorOf(KindDurationPositive, s)
	}
	if n > int(MaxDuration)/unit {
		return 0, errorOf(KindDurationRange, MaxDuration, s)
	}
	return Duration(n * unit), nil
}

// After returns t plus the duration.
func (d Duration) After(t time.Time) time.Time { return t.AddDate(0, 0, int(d)) }

func (d Duration) String() string {
	switch {
	case d == 0:
		return ""
	case d%365 == 0:
		return fmt.Sprintf("%dy", d/365)
	case d%7 == 0:
		return fmt.Sprintf("%dw", d/7)
	}
	return fmt.Sprintf("%dd", int(d))
}
