package teams

import (
	"context"
	"slices"
	"sync"
)

// Bounds of the in-memory stores: far more than one process sees between
// restarts, and a few megabytes at most.
const (
	memoryConversations  = 10_000
	memoryTurns          = 20 // exchanges kept per conversation
	memoryFeedback       = 10_000
	memoryEscalations    = 10_000
	defaultHistoryLength = 5 // exchanges a follow-up carries
)

// MemoryHistory is a ConversationHistory in one process: the last
// exchanges of the most recently active conversations.
type MemoryHistory struct {
	mu    sync.Mutex
	convs map[string][]Exchange
	order []string // least recently recorded first
}

var _ ConversationHistory = (*MemoryHistory)(nil)

func NewMemoryHistory() *MemoryHistory {
	return &MemoryHistory{convs: map[string][]Exchange{}}
}

func (h *MemoryHistory) Record(_ context.Context, e Exchange) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := e.ConversationID
	if i := slices.Index(h.order, id); i >= 0 {
		h.order = slices.Delete(h.order, i, i+1)
	} else if len(h.order) >= memoryConversations {
		delete(h.convs, h.order[0])
		h.order = h.order[1:]
	}
	h.order = append(h.order, id)
	ex := append(h.convs[id], e)
	if len(ex) > memoryTurns {
		ex = slices.Clone(ex[len(ex)-memoryTurns:])
	}
	h.convs[id] = ex
	return nil
}

func (h *MemoryHistory) Recent(_ context.Context, conversationID string, n int) ([]Exchange, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ex := h.convs[conversationID]
	if n < len(ex) {
		ex = ex[len(ex)-n:]
	}
	return slices.Clone(ex), nil
}

func (h *MemoryHistory) Answer(_ context.Context, conversationID, replyID string) (Exchange, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if replyID == "" {
		return Exchange{}, ErrNotFound
	}
	for _, e := range h.convs[conversationID] {
		if e.ReplyID == replyID {
			return e, nil
		}
	}
	return Exchange{}, ErrNotFound
}

// MemoryFeedback is a FeedbackRecorder in one process, keeping the latest
// records.
type MemoryFeedback struct {
	mu      sync.Mutex
	records []Feedback
}

var _ FeedbackRecorder = (*MemoryFeedback)(nil)

func (m *MemoryFeedback) RecordFeedback(_ context.Context, f Feedback) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.records) >= memoryFeedback {
		m.records = slices.Delete(m.records, 0, 1)
	}
	m.records = append(m.records, f)
	return nil
}

// Records returns what was recorded, oldest first.
func (m *MemoryFeedback) Records() []Feedback {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.records)
}

// MemoryEscalations is an EscalationTracker in one process. Past its bound
// the oldest escalations are forgotten, and can no longer be notified.
type MemoryEscalations struct {
	mu       sync.Mutex
	byID     map[string]*Escalation
	byAnswer map[string]string
	order    []string
}

var _ EscalationTracker = (*MemoryEscalations)(nil)

func NewMemoryEscalations() *MemoryEscalations {
	return &MemoryEscalations{byID: map[string]*Escalation{}, byAnswer: map[string]string{}}
}

func (m *MemoryEscalations) Open(_ context.Context, e Escalation) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id, ok := m.byAnswer[e.AnswerKey]; ok && e.AnswerKey != "" {
		return id, false, nil
	}
	if len(m.order) >= memoryEscalations {
		old := m.byID[m.order[0]]
		delete(m.byAnswer, old.AnswerKey)
		delete(m.byID, old.ID)
		m.order = m.order[1:]
	}
	e.Status = EscalationOpen
	m.byID[e.ID] = &e
	if e.AnswerKey != "" {
		m.byAnswer[e.AnswerKey] = e.ID
	}
	m.order = append(m.order, e.ID)
	return e.ID, true, nil
}

func (m *MemoryEscalations) SetStatus(_ context.Context, id string, s EscalationStatus) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byID[id]
	if !ok {
		return ErrNotFound
	}
	e.Status = s
	return nil
}

func (m *MemoryEscalations) Get(_ context.Context, id string) (Escalation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byID[id]
	if !ok {
		return Escalation{}, ErrNotFound
	}
	return *e, nil
}
