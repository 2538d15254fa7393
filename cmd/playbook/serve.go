package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/preview"
	"github.com/spf13/cobra"
)

func newServeCmd() *cobra.Command {
	var sf siteFlags
	var bind string
	var allow []string
	var port int
	var poll bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Build the site in memory, serve it on http://127.0.0.1:1313/ and rebuild on every save",
		Long: `Serve builds the site in memory (public/ is not touched), serves it and watches
content/, static/, themes/, archetypes/ and playbook.yaml. A save rebuilds what it
changed and reloads the open pages; a stylesheet change swaps the styles in place.
A save that breaks the build keeps the last good site on screen with the errors
over it, by file and line, until the next save fixes them.

Drafts and future pages are shown, marked, unless -D=false / -F=false.

Serve answers only requests that name its own address: localhost, a
loopback or (with --bind 0.0.0.0) any IP address, the --bind name, the
machine's name when shared, and each --allow-host. Others get 403, so a web
page cannot read the preview by pointing a name of its own at it (DNS
rebinding).`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := sf.options()
			if err != nil {
				return err
			}
			// A preview shows what editors are working on: drafts and future
			// pages are in unless a flag says otherwise (-D=false).
			if !cmd.Flags().Changed("drafts") {
				o.Drafts = true
			}
			if !cmd.Flags().Changed("future") {
				o.Future = true
			}
			out := cmd.OutOrStdout()
			start := time.Now()
			live, err := builder.NewLive(cmd.Context(), o)
			if live != nil {
				gitNote(cmd, live.GitNote())
			}
			switch {
			case live == nil:
				return err // not a site folder
			case err != nil: // served with the errors over it until a save fixes them
				fmt.Fprintf(cmd.ErrOrStderr(), "build failed; fix it and save, the page will follow:\n%v\n", withLanguage(err, o.Site))
			default:
				fmt.Fprintf(out, "built %d pages in memory in %s\n", len(live.Snapshot().Site.Pages), time.Since(start).Round(time.Millisecond))
			}
			ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(port)))
			if err != nil {
				return usagef("listen: %v", err)
			}
			return serve(cmd.Context(), live, err, ln, preview.Access{Bind: bind, Hosts: allow}, poll, out)
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&bind, "bind", "127.0.0.1", "interface to listen on (0.0.0.0 shows drafts to the whole network)")
	cmd.Flags().StringArrayVar(&allow, "allow-host", nil, "also answer requests for this host name (a reverse proxy's or a tunnel's); repeat for more")
	cmd.Flags().IntVarP(&port, "port", "p", 1313, "port to listen on")
	cmd.Flags().BoolVar(&poll, "poll", false, "look for changes every 250 ms instead of using file system events (network drives, WSL2 /mnt, Docker bind mounts)")
	return cmd
}

// serve watches and serves until ctx ends (Ctrl-C, SIGTERM), then shuts the
// server down, waiting briefly for requests in flight.
func serve(ctx context.Context, live *builder.Live, firstErr error, ln net.Listener, access preview.Access, poll bool, out io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wo := preview.WatchOptions{}
	if poll {
		wo.Poll = 250 * time.Millisecond
	}
	w, err := preview.Watch(ctx, live.Options().Site, wo)
	if err != nil {
		return fmt.Errorf("watch %s: %w", live.Options().Site, err)
	}
	ps := preview.New(live, firstErr, out)
	go ps.Run(ctx, w)
	srv := &http.Server{Handler: ps.Handler(access), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(out, "serving %s at http://%s/ with live reload (Ctrl-C to stop)\n", live.Options().Site, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	ps.Close() // end the event streams, or Shutdown would wait for them
	sctx, stop := context.WithTimeout(context.Background(), 3*time.Second)
	defer stop()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(out, "stopped")
	return nil
}
