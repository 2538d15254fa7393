package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK      = 0
	exitContent = 1 // content errors, or a failed build
	exitUsage   = 2 // bad flags or arguments
)

// usageError marks errors in how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run executes the command line and returns the exit code; only main exits.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ce content.Errors
	var ue usageError
	switch {
	case errors.As(err, &ce):
		var se siteErrors
		if errors.As(err, &se) {
			fmt.Fprintln(stderr, se.Error())
		} else {
			fmt.Fprintln(stderr, ce.Error())
		}
		fmt.Fprintf(stderr, "playbook: %d content %s%s; nothing was written\n", len(ce), plural(len(ce), "error", "errors"), knockOnNote(ce))
		return exitContent
	case errors.Is(err, errFindings):
		return exitContent // check has printed its report
	case errors.As(err, &ue), errors.Is(err, builder.ErrDest),
		strings.HasPrefix(err.Error(), "unknown command "): // cobra's own, untyped
		fmt.Fprintln(stderr, "playbook:", err)
		return exitUsage
	}
	fmt.Fprintln(stderr, "playbook:", err)
	return exitContent
}

// knockOnNote counts the errors folded under their causes.
func knockOnNote(ce content.Errors) string {
	if n := ce.Total() - len(ce); n > 0 {
		return fmt.Sprintf(" (and %d that %s from them)", n, plural(n, "follows", "follow"))
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "playbook",
		Short:         "Build a sales team's playbook — scripts, cases, battlecards, training, retros — into a fast static site",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newBuildCmd(), newServeCmd(), newNewCmd(), newCheckCmd(), newSearchCmd(), newVersionCmd())
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(root.FlagErrorFunc())
	}
	return root
}

// args wraps a cobra argument check so its failure is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// parseNow reads --now: a date or an RFC 3339 time; empty means the real time.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := content.ParseDate(s, time.Local)
	if err != nil {
		return time.Time{}, usagef("--now: %v", err)
	}
	return t, nil
}
