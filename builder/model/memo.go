package model

// Site-wide views that many outputs show — the header's objections on
// every HTML page, the health report on every page of the health board —
// computed once per site instead of once per output: serve renders a few
// hundred outputs after a save at 10,000 pages, and recomputing them for
// each took most of the save. A Site is not changed after it is built
// (serve builds a new one per save), so what is computed once stays true.

import (
	"slices"
	"sync"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/views"
)

// siteMemo holds the views; its zero value is ready, and safe for the
// outputs rendering in parallel.
type siteMemo struct {
	objOnce sync.Once
	objList []*Page

	mu      sync.Mutex
	reports map[time.Time]*healthOnce

	pagesOnce sync.Once
	pages     []*content.Page // published pages by content path

	calOnce sync.Once
	cal     views.Training

	boardOnce sync.Once
	board     *ActionBoard

	reportOnce sync.Once
	report     *HealthReport
}

type healthOnce struct {
	once sync.Once
	h    views.Health
}

// objections returns compute()'s result, made on the first call.
func (m *siteMemo) objections(compute func() []*Page) []*Page {
	m.objOnce.Do(func() { m.objList = compute() })
	return m.objList
}

// health returns compute()'s report at the clock at, made on the first call
// for it. Callers copy the struct and must not change what it points to.
func (m *siteMemo) health(at time.Time, compute func() views.Health) views.Health {
	m.mu.Lock()
	if m.reports == nil {
		m.reports = map[time.Time]*healthOnce{}
	}
	r := m.reports[at]
	if r == nil {
		r = &healthOnce{}
		m.reports[at] = r
	}
	m.mu.Unlock()
	r.once.Do(func() { r.h = compute() })
	return r.h
}

// ContentPages returns a copy of compute()'s pages, made on the first call.
func (m *siteMemo) contentPages(compute func() []*content.Page) []*content.Page {
	m.pagesOnce.Do(func() { m.pages = compute() })
	return slices.Clone(m.pages)
}

// Calendar returns compute()'s calendar, made on the first call. Callers
// must not change what it points to.
func (m *siteMemo) calendar(compute func() views.Training) views.Training {
	m.calOnce.Do(func() { m.cal = compute() })
	return m.cal
}

// actionBoard returns compute()'s board, made on the first call. Callers
// copy it before cutting it (actionsOutputs).
func (m *siteMemo) actionBoard(compute func() *ActionBoard) *ActionBoard {
	m.boardOnce.Do(func() { m.board = compute() })
	return m.board
}

// healthReport returns compute()'s report, made on the first call. Callers
// copy it before changing it (Site.Health).
func (m *siteMemo) healthReport(compute func() *HealthReport) *HealthReport {
	m.reportOnce.Do(func() { m.report = compute() })
	return m.report
}
