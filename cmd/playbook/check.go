package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/search/misses"
	"github.com/spf13/cobra"
)

// checkReport is the --json output of playbook check, for CI bots.
type checkReport struct {
	OK       bool            `json:"ok"` // false when check exits 1
	Errors   []checkError    `json:"errors"`
	Warnings []model.Warning `json:"warnings"`
	// SearchMisses are the most frequent searches readers made in vain, for
	// an editor to add a synonym or a page. They are information about
	// readers, not a fault of the content: they never fail check, not even
	// with --strict.
	SearchMisses []misses.Miss `json:"search_misses"`
	MissLog      missLog       `json:"search_miss_log"`
	// Notes are about the settings, not the content, such as a missing
	// baseURL (model.Site.BaseURLNote): listed, they never fail check.
	Notes []string `json:"notes"`
}

// missLog says how much of the search miss log was read.
type missLog struct {
	Events  int    `json:"events"`          // miss events read
	Skipped int    `json:"skipped"`         // lines that were not events
	Error   string `json:"error,omitempty"` // why it could not be read
}

type checkError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
	// MessageZh is the message in Chinese on a zh-CN site, when it has one.
	MessageZh string `json:"message_zh,omitempty"`
	// KnockOn are the errors that only follow from this one (links to a
	// page that did not parse): fix this one and they go.
	KnockOn []checkError `json:"knock_on,omitempty"`
}

// printErrors writes each error as "error: FILE:LINE: FIELD: MESSAGE", the
// knock-on errors indented under their cause, as build prints them, with
// the Chinese text under each on a zh-CN site.
func printErrors(out io.Writer, ce content.Errors, lang string) {
	if len(ce) == 0 {
		return
	}
	for _, line := range strings.Split(ce.Text(lang), "\n") {
		if !strings.HasPrefix(line, " ") {
			line = "error: " + line
		}
		fmt.Fprintln(out, line)
	}
}

func checkErrorOf(e *content.Error, zh bool) checkError {
	c := checkError{File: e.File, Line: e.Line, Field: e.Field, Message: e.Msg}
	if zh {
		c.MessageZh = e.Zh()
	}
	for _, k := range e.KnockOn {
		c.KnockOn = append(c.KnockOn, checkErrorOf(k, zh))
	}
	return c
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
also those that name no page (playbook.yaml, static/, the theme), with an empty file.
The most frequent searches readers made in vain (.playbook/search-misses.jsonl, written by
serve) are listed as info: they are about readers, not the content, and never fail check.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := sf.options()
			if err != nil {
				return err
			}
			site, warnings, err := builder.Check(cmd.Context(), o)
			ce, err := checkErrors(err, asJSON)
			if err != nil {
				return err
			}
			lang := siteLanguage(sf.site)
			rep := newCheckReport(site, ce, warnings, lang)
			rep.OK = len(ce) == 0 && (!strict || len(warnings) == 0)
			if site != nil {
				gitNote(cmd, site.GitNote)
			}
			if err := rep.print(cmd.OutOrStdout(), ce, asJSON, lang); err != nil {
				return err
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

// checkErrors are the content errors of check's err. An error about no one
// page (playbook.yaml, static/, the theme) ends check as it is, but with
// --json the report still says so, for bots that read only it.
func checkErrors(err error, asJSON bool) (content.Errors, error) {
	var ce content.Errors
	var one *content.Error
	if err != nil && !errors.As(err, &ce) && errors.As(err, &one) {
		ce = content.Errors{one} // playbook.yaml, a link or file of the site
	}
	if err != nil && ce == nil {
		if !asJSON {
			return nil, err
		}
		ce = content.Errors{{Msg: err.Error()}}
	}
	return ce, nil
}

// newCheckReport gathers check's findings; every list is [] when empty.
// lang, the site's language, adds each message's Chinese text on a zh site.
func newCheckReport(site *model.Site, ce content.Errors, warnings []model.Warning, lang string) checkReport {
	rep := checkReport{Errors: []checkError{}, Warnings: warnings, SearchMisses: []misses.Miss{}, Notes: []string{}}
	for _, e := range ce {
		rep.Errors = append(rep.Errors, checkErrorOf(e, content.IsZh(lang)))
	}
	if rep.Warnings == nil {
		rep.Warnings = []model.Warning{}
	}
	if site != nil {
		rep.addMisses(site)
		if note := site.BaseURLNote(); note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	return rep
}

// print writes the report as JSON or as lines for a person.
func (rep checkReport) print(out io.Writer, ce content.Errors, asJSON bool, lang string) error {
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	printErrors(out, ce, lang)
	for _, w := range rep.Warnings {
		where := w.File
		if w.Line > 0 {
			where = fmt.Sprintf("%s:%d", w.File, w.Line)
		}
		fmt.Fprintf(out, "warning: %s: %s: %s\n", where, w.Kind, w.Message)
	}
	rep.printMisses(out)
	for _, n := range rep.Notes {
		fmt.Fprintln(out, "note:", n)
	}
	n, nw := len(ce), len(rep.Warnings)
	fmt.Fprintf(out, "%d %s%s, %d %s\n", n, plural(n, "error", "errors"), knockOnNote(ce), nw, plural(nw, "warning", "warnings"))
	return nil
}

// addMisses puts the site's search miss report into the check report.
func (rep *checkReport) addMisses(site *model.Site) {
	r := site.SearchMisses()
	for _, m := range r.Top {
		m.LastSeen = m.LastSeen.In(site.Config.Location)
		rep.SearchMisses = append(rep.SearchMisses, m)
	}
	rep.MissLog = missLog{Events: r.Events, Skipped: r.Skipped}
	if r.Err != nil {
		rep.MissLog.Error = r.Err.Error()
	}
}

// printMisses prints the search misses as info lines: most frequent first.
func (rep *checkReport) printMisses(w io.Writer) {
	for _, m := range rep.SearchMisses {
		relaxed := ""
		if m.Relaxed > 0 {
			relaxed = fmt.Sprintf(" (%d with relaxed hits only)", m.Relaxed)
		}
		fmt.Fprintf(w, "info: search miss: %q %d %s, last %s%s\n", m.Query, m.Count, plural(m.Count, "time", "times"),
			m.LastSeen.Format("2006-01-02"), relaxed)
	}
	if n := rep.MissLog.Skipped; n > 0 {
		fmt.Fprintf(w, "info: %s: %d %s not a search miss event, skipped\n", misses.FileName, n, plural(n, "line is", "lines are"))
	}
	if e := rep.MissLog.Error; e != "" {
		fmt.Fprintf(w, "info: search misses not listed: %s\n", e)
	}
}
