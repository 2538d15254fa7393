package content

import (
	"fmt"
	"math"
	"time"
)

// Training is a module held as a weekly session.
type Training struct {
	Session       time.Time  `json:"session"`
	Duration      int        `json:"duration"` // minutes
	Trainer       string     `json:"trainer"`
	Audience      []string   `json:"audience"`
	Objectives    []string   `json:"objectives"`
	Prerequisites []string   `json:"prerequisites"`
	Tracks        []string   `json:"tracks"`
	Materials     []string   `json:"materials"`
	Slides        bool       `json:"slides"`
	Quiz          []Question `json:"quiz"`
}

// Question is one quiz question. Answer holds choice numbers counted from 1.
type Question struct {
	Question string   `json:"question"`
	Choices  []string `json:"choices"`
	Answer   []int    `json:"answer"`
	Explain  string   `json:"explain"`
}

// Multi reports whether several choices are right.
func (q Question) Multi() bool { return len(q.Answer) > 1 }

func decodeTraining(d *decoder) *Training {
	t := &Training{
		Session:       d.date("session"),
		Duration:      d.integer("duration", 1, MaxSessionMinutes),
		Trainer:       d.str("trainer"),
		Audience:      d.keyList("audience", d.rules.Roles),
		Objectives:    d.strs("objectives"),
		Prerequisites: d.refs("prerequisites"),
		Tracks:        d.terms("tracks"),
		Materials:     d.refs("materials"),
		Slides:        d.boolean("slides"),
	}
	if t.Duration == 0 {
		t.Duration = 60 // the team's habit: one-hour sessions
	}
	for i, item := range d.list("quiz") {
		t.Quiz = append(t.Quiz, decodeQuestion(d, fmt.Sprintf("quiz[%d]", i+1), item))
	}
	return t
}

func decodeQuestion(d *decoder, at string, m map[string]any) Question {
	var q Question
	unknownFields(d, at, m, "question", "choices", "answer", "explain")
	question, ok := d.scalar(at+".question", m["question"])
	if q.Question = question; ok && question == "" {
		d.fail(at+".question", KindQuestionRequired)
	}
	if c, ok := m["choices"]; ok {
		q.Choices = d.strList(at+".choices", c)
	}
	if len(q.Choices) < 2 {
		d.fail(at+".choices", KindTooFewChoices, len(q.Choices))
	}
	q.Explain, _ = d.scalar(at+".explain", m["explain"])
	var answers []any
	switch a := m["answer"].(type) {
	case nil:
		d.fail(at+".answer", KindAnswerRequired)
	case []any:
		answers = a
	default:
		answers = []any{a}
	}
	for _, a := range answers {
		n := d.intValue(at+".answer", a, 1, math.MaxInt32)
		if n == 0 {
			continue
		}
		if n > len(q.Choices) && len(q.Choices) >= 2 {
			d.fail(at+".answer", KindNoSuchChoice, n, len(q.Choices))
			continue
		}
		q.Answer = append(q.Answer, n)
	}
	return q
}

var trainingKind = kind{
	decode: func(d *decoder, p *Page) { p.Training = decodeTraining(d) },
	refs: func(p *Page, add refAdder) {
		if p.Training == nil {
			return
		}
		add("prerequisites", TypeTraining, p.Training.Prerequisites)
		add("materials", "", p.Training.Materials)
	},
	api: func(p *Page, at APITime) map[string]any {
		if p.Training == nil { // a page made by hand, not by Parse
			return map[string]any{}
		}
		t := p.Training
		quiz := make([]map[string]any, 0, len(t.Quiz))
		for _, q := range t.Quiz {
			var answer any = q.Answer
			if len(q.Answer) == 1 {
				answer = q.Answer[0]
			}
			quiz = append(quiz, map[string]any{"question": q.Question, "choices": NonNil(q.Choices), "answer": answer, "explain": q.Explain})
		}
		return map[string]any{"session": at(t.Session), "duration": t.Duration, "trainer": t.Trainer, "audience": NonNil(t.Audience),
			"objectives": NonNil(t.Objectives), "prerequisites": NonNil(t.Prerequisites), "tracks": NonNil(t.Tracks),
			"materials": NonNil(t.Materials), "slides": t.Slides, "quiz": quiz}
	},
}
