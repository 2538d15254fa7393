package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/spf13/cobra"
)

// checkReport is the --json output of playbook check, for CI bots.
type checkReport struct {
	OK       bool              `json:"ok"` // false when check exits 1
	Errors   []checkError      `json:"errors"`
	Warnings []builder.Warning `json:"warnings"`
}

type checkError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// errFindings makes check exit 1 after it has printed its own report.
var errFindings = errors.New("check failed")

func newCheckCmd() *cobra.Command {
	var sf siteFlags
	var asJSON, strict bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate content and report health (stale, ownerless, overdue, orphans) without writing",
		Long: `Check runs every step of build but the search index, into a temporary folder it then
removes, plus the health findings: any site build fails on, check fails on with the same error.
Errors exit 1; warnings exit 0, or 1 with --strict. With --json every error is in the report,
also those that name no page (playbook.yaml, static/, the theme), with an empty file.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := sf.options()
			if err != nil {
				return err
			}
			site, warnings, err := builder.Check(cmd.Context(), o)
			var ce content.Errors
			var one *content.Error
			if err != nil && !errors.As(err, &ce) && errors.As(err, &one) {
				ce = content.Errors{one} // playbook.yaml, a link or file of the site
			}
			if err != nil && ce == nil {
				if !asJSON {
					return err
				}
				// Not about one page (playbook.yaml, static/, the theme):
				// the report still says so, for bots that read only it.
				ce = content.Errors{{Msg: err.Error()}}
			}
			if site != nil {
				gitNote(cmd, site.GitNote)
			}
			rep := checkReport{Errors: []checkError{}, Warnings: warnings}
			for _, e := range ce {
				rep.Errors = append(rep.Errors, checkError{File: e.File, Line: e.Line, Field: e.Field, Message: e.Msg})
			}
			if rep.Warnings == nil {
				rep.Warnings = []builder.Warning{}
			}
			rep.OK = len(ce) == 0 && (!strict || len(warnings) == 0)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				for _, e := range ce {
					fmt.Fprintln(out, "error:", e.Error())
				}
				for _, w := range warnings {
					fmt.Fprintf(out, "warning: %s: %s: %s\n", w.File, w.Kind, w.Message)
				}
				fmt.Fprintf(out, "%d %s, %d %s\n", len(ce), plural(len(ce), "error", "errors"), len(warnings), plural(len(warnings), "warning", "warnings"))
			}
			if !rep.OK {
				return errFindings
			}
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON report for CI")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 on warnings too")
	return cmd
}
