package preview

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Events the reload script acts on.
const (
	EventReload = "reload" // load the page again
	EventCSS    = "css"    // fetch the stylesheets again, keep the page
)

// Hub broadcasts build events to every open page over Server-Sent Events.
// The zero value is ready to use.
type Hub struct {
	mu      sync.Mutex
	clients map[chan string]bool
	closed  bool
}

// Close ends every stream and refuses new ones, so a server can shut down
// without waiting for pages that never leave.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		close(c)
	}
	h.clients = nil
}

// Broadcast sends an event to every connected page. A page that is not
// keeping up misses it rather than holding up the others.
func (h *Hub) Broadcast(event string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- event:
		default:
		}
	}
}

// Clients is the number of connected pages.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

func (h *Hub) add() chan string {
	c := make(chan string, 4)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(c)
		return c
	}
	if h.clients == nil {
		h.clients = map[chan string]bool{}
	}
	h.clients[c] = true
	return c
}

func (h *Hub) remove(c chan string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.clients, c) // a no-op after Close
}

// ServeHTTP holds an event stream open until the page goes away. A comment
// every 30 s keeps proxies from closing it as idle.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the server's write timeout is for pages, not streams
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	c := h.add()
	defer h.remove(c)
	fmt.Fprint(w, "retry: 500\n\n")
	if rc.Flush() != nil {
		return
	}
	keep := time.NewTicker(30 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, open := <-c:
			if !open {
				return
			}
			fmt.Fprintf(w, "data: %s\n\n", ev)
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}
