package slack

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// journal is an append-only JSON Lines file. Every record is synced before
// append returns: feedback and failed escalations must survive a crash. The
// records hold people's questions, so only the owner may read them.
type journal struct {
	mu   sync.Mutex
	path string
}

func (j *journal) append(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode record for %s: %w", j.path, err)
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", j.path, err)
	}
	if _, err := f.Write(line); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", j.path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("sync %s: %w", j.path, err)
	}
	return f.Close()
}

// Feedback kinds, as recorded and as the buttons' action IDs.
const (
	actionHelpful    = "helpful"
	actionNotHelpful = "not_helpful"
	actionAskHuman   = "ask_human"
)

// feedbackRecord is one line of feedback.jsonl: a button click on an answer.
type feedbackRecord struct {
	Time          time.Time `json:"time"`
	Kind          string    `json:"kind"`
	User          string    `json:"user"`
	Channel       string    `json:"channel"`
	MessageTS     string    `json:"message_ts"`
	QuestionTS    string    `json:"question_ts,omitempty"`
	Asker         string    `json:"asker,omitempty"`
	Question      string    `json:"question,omitempty"`
	CorpusVersion string    `json:"corpus_version,omitempty"`
	// Escalated tells, for ask_human, whether the escalation reached the
	// channel.
	Escalated *bool `json:"escalated,omitempty"`
}

// failedEscalation is one line of escalations-failed.jsonl: everything
// needed to hand the question to people by other means.
type failedEscalation struct {
	Time     time.Time  `json:"time"`
	Channel  string     `json:"escalation_channel"`
	Error    string     `json:"error"`
	Asker    string     `json:"asker"`
	Question string     `json:"question"`
	Reason   bot.Reason `json:"reason"`
	Link     string     `json:"link,omitempty"`
	Answer   bot.Answer `json:"answer"`
}

// escalatedSet remembers the answers whose "Ask a human" was handled, so a
// second click does not escalate again, across restarts too.
type escalatedSet struct {
	mu   sync.Mutex
	keys map[string]bool
}

func messageKey(channel, ts string) string { return channel + "/" + ts }

// claim marks key and reports whether it was unmarked.
func (s *escalatedSet) claim(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys[key] {
		return false
	}
	s.keys[key] = true
	return true
}

func (s *escalatedSet) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[key]
}

// loadEscalated rebuilds the set from the feedback journal; a missing file
// is an empty set and unreadable lines are skipped.
func loadEscalated(path string) (*escalatedSet, error) {
	s := &escalatedSet{keys: map[string]bool{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		var r feedbackRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Kind == actionAskHuman {
			s.keys[messageKey(r.Channel, r.MessageTS)] = true
		}
	}
	return s, sc.Err()
}
