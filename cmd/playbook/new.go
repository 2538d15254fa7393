package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/archetype"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/spf13/cobra"
)

func newNewCmd() *cobra.Command {
	var site, nowText string
	cmd := &cobra.Command{
		Use:   "new TYPE TITLE",
		Short: "Create a page from its type's archetype (script, case, competitor, training, retro, page)",
		Example: `  playbook new script "客户说太贵了"
  playbook new training "谈判中的让步策略"`,
		Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			src, err := source.Open(site)
			if err != nil {
				return err
			}
			cfg, err := config.Load(src.FS("."))
			src.Close()
			if err != nil {
				return err
			}
			now := time.Now()
			if nowText != "" {
				if now, err = content.ParseDate(nowText, cfg.Location); err != nil {
					return usageError{fmt.Errorf("--now: %w", err)}
				}
			}
			c, err := archetype.Create(site, a[0], a[1], now, cfg)
			if errors.Is(err, archetype.ErrUnknownType) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "created", c.File)
			if c.Slot != nil {
				_, err = fmt.Fprintln(cmd.OutOrStdout(), slotLine(*c.Slot))
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&site, "source", "s", ".", "site folder")
	cmd.Flags().StringVar(&nowText, "now", "", "the clock a new training session is scheduled after (2026-11-23 or RFC 3339)")
	return cmd
}

// slotLine says which session slot a new module took, and which slots it
// passed over and why (taken, or a training.skip day), so the trainer can
// check the date before announcing it.
func slotLine(s archetype.Slot) string {
	line := "session " + s.Start.Format("2006-01-02 15:04 Mon")
	if s.Trainer != "" {
		line += ", trainer " + s.Trainer
	}
	var passed []string
	for _, p := range s.Passed {
		passed = append(passed, fmt.Sprintf("%s (%s)", p.Start.Format(time.DateOnly), p.Why))
	}
	if len(passed) > 0 {
		line += "; passed over " + strings.Join(passed, ", ")
	}
	return line
}
