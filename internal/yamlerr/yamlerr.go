// Package yamlerr puts the line into the errors of go.yaml.in/yaml/v3
// that leave it out: a syntax error on the first line, a character YAML
// does not allow (a control character, invalid UTF-8) and an alias to an
// unknown anchor. Readers of a file's errors need the line to fix it.
package yamlerr

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Error is a YAML error with its line, from 1.
type Error struct {
	Line int
	Err  error // the parser's error
}

func (e *Error) Error() string {
	return fmt.Sprintf("yaml: line %d: %s", e.Line, strings.TrimPrefix(e.Err.Error(), "yaml: "))
}

func (e *Error) Unwrap() error { return e.Err }

var (
	hasLine       = regexp.MustCompile(`\bline \d+\b`)
	unknownAnchor = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)
)

// WithLine returns err, given for the YAML text data, with a line: as it
// is when the parser named one, else as an *Error.
func WithLine(data []byte, err error) error {
	var e *Error
	if err == nil || errors.As(err, &e) || hasLine.MatchString(err.Error()) {
		return err
	}
	line := 1 // the parser names every line but the first
	if at := refused(data); at >= 0 {
		line += bytes.Count(data[:at], []byte("\n"))
	} else if m := unknownAnchor.FindStringSubmatch(err.Error()); m != nil {
		if at := bytes.Index(data, []byte("*"+m[1])); at >= 0 {
			line += bytes.Count(data[:at], []byte("\n"))
		}
	}
	return &Error{Line: line, Err: err}
}

// refused returns the offset of the first character YAML does not allow
// (invalid UTF-8, control characters other than tab and line breaks), or -1.
func refused(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1,
			r < 0x20 && r != '\t' && r != '\n' && r != '\r',
			r == 0x7f, r >= 0x80 && r < 0xa0 && r != 0x85,
			r == 0xfffe, r == 0xffff:
			return i
		}
		i += n
	}
	return -1
}
