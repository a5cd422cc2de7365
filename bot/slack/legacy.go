package slack

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Files in the data dir where versions before the store kept their
// records; ReadLegacy reads them so that the store can import them once.
const (
	FeedbackFile          = "feedback.jsonl"
	FailedEscalationsFile = "escalations-failed.jsonl"
)

// feedbackRecord is one line of feedback.jsonl: a button click on an
// answer.
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

// failedEscalation is one line of escalations-failed.jsonl.
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

// Legacy is what the files held, as the store keeps it.
type Legacy struct {
	Feedback    []bot.Feedback
	Escalations []bot.EscalationRecord
	// Skipped counts lines that could not be read, such as a line torn by
	// a crash.
	Skipped int
	// Files are the files found.
	Files []string
}

// ReadLegacy reads the files of dir; missing files are no error. Every
// "Ask a human" click becomes an escalation with the key the app uses
// now, so that the button still escalates only once.
func ReadLegacy(dir string) (Legacy, error) {
	var l Legacy
	clicks, err := readJSONLines[feedbackRecord](filepath.Join(dir, FeedbackFile), &l)
	if err != nil {
		return l, err
	}
	failed, err := readJSONLines[failedEscalation](filepath.Join(dir, FailedEscalationsFile), &l)
	if err != nil {
		return l, err
	}
	// A failed "Ask a human" left a line in each file: one escalation.
	asks := map[int]bool{} // indexes into l.Escalations of undelivered asks
	for _, r := range clicks {
		switch r.Kind {
		case actionHelpful, actionNotHelpful:
			l.Feedback = append(l.Feedback, bot.Feedback{
				Time: r.Time, Kind: bot.FeedbackKind(r.Kind), User: r.User, Transport: transport,
				Conversation: conversation(r.Channel, r.QuestionTS), Message: conversation(r.Channel, r.MessageTS),
				Question: r.Question, Asker: r.Asker, CorpusVersion: r.CorpusVersion,
			})
		case actionAskHuman:
			e := bot.EscalationRecord{
				Key: answerKey(r.Channel, r.MessageTS), Time: r.Time, Reason: bot.UserRequest, Transport: transport,
				Conversation: conversation(r.Channel, r.QuestionTS), Asker: first(r.Asker, r.User), By: r.User,
				Question: r.Question, CorpusVersion: r.CorpusVersion, Delivery: bot.DeliveryPending,
				State: bot.EscalationOpen, Imported: true,
			}
			if r.Escalated != nil {
				e.Destination, e.Delivery = transport, bot.DeliveryDelivered
				if !*r.Escalated {
					e.Destination, e.Delivery = "", bot.DeliveryNone
					asks[len(l.Escalations)] = true
				}
			}
			l.Escalations = append(l.Escalations, e)
		}
	}
	for _, f := range failed {
		if i, ok := matchingAsk(l.Escalations, asks, f); ok {
			delete(asks, i)
			e := &l.Escalations[i]
			e.Destination, e.Delivery, e.DeliveryError, e.Link = transport, bot.DeliveryFailed, f.Error, f.Link
			continue
		}
		var sources []string
		for _, c := range f.Answer.Citations {
			sources = append(sources, c.URL)
		}
		l.Escalations = append(l.Escalations, bot.EscalationRecord{
			Time: f.Time, Reason: f.Reason, Transport: transport, Link: f.Link, Asker: f.Asker, Question: f.Question,
			Draft: f.Answer.Text, Sources: sources, CorpusVersion: f.Answer.CorpusVersion, Destination: transport,
			Delivery: bot.DeliveryFailed, DeliveryError: f.Error, State: bot.EscalationOpen, Imported: true,
		})
	}
	return l, nil
}

// matchingAsk finds the undelivered "Ask a human" that f failed to post:
// same asker and question, within a few minutes (the retries).
func matchingAsk(escs []bot.EscalationRecord, asks map[int]bool, f failedEscalation) (int, bool) {
	if f.Reason != bot.UserRequest {
		return 0, false
	}
	for i := range escs {
		e := escs[i]
		d := f.Time.Sub(e.Time)
		if asks[i] && e.Asker == f.Asker && e.Question == f.Question && d > -5*time.Minute && d < 5*time.Minute {
			return i, true
		}
	}
	return 0, false
}

// readJSONLines reads the lines of path that decode, counting those that
// do not in l.Skipped.
func readJSONLines[T any](path string, l *Legacy) ([]T, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l.Files = append(l.Files, path)
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var v T
		if json.Unmarshal(line, &v) == nil {
			out = append(out, v)
			continue
		}
		l.Skipped++
		// A write torn by a crash runs into the next record on the same
		// line; every record starts with its time.
		if i := bytes.LastIndex(line, []byte(`{"time":`)); i > 0 && json.Unmarshal(line[i:], &v) == nil {
			out = append(out, v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}
