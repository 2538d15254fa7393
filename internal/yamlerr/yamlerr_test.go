package yamlerr_test

import (
	"testing"

	"github.com/playbook-sales/playbook/internal/yamlerr"
	"go.yaml.in/yaml/v3"
)

// TestWithLine: every YAML error comes out naming its line.
func TestWithLine(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"first line", "\tx: y\n", "yaml: line 1: found character that cannot start any token"},
		{"bad escape on the first line", "x: \"\\q\"\n", "yaml: line 1: found unknown escape character"},
		{"named by the parser", "a: b\nc\n", "yaml: line 2: could not find expected ':'"},
		{"a control character", "a: b\nc: d\ne: \x01\n", "yaml: line 3: control characters are not allowed"},
		{"invalid UTF-8", "a: b\n\nc: \xff\n", "yaml: line 3: invalid leading UTF-8 octet"},
		{"an unknown anchor", "a: b\nc: [*x]\n", "yaml: line 2: unknown anchor 'x' referenced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			err := yamlerr.WithLine([]byte(tt.src), yaml.Unmarshal([]byte(tt.src), &v))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
	if yamlerr.WithLine(nil, nil) != nil {
		t.Error("no error became one")
	}
}
