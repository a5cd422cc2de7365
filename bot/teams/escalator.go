package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/retry"
)

// EscalatorOptions configure an Escalator. All fields are optional.
type EscalatorOptions struct {
	// Client posts the cards. When nil, a client retries 429 and 5xx
	// answers with retry.Transport, configured by Retries, MinBackoff and
	// MaxBackoff (retry.Transport's defaults when zero).
	Client                 *http.Client
	Retries                int
	MinBackoff, MaxBackoff time.Duration
	// Timeout bounds one escalation, retries included
	// (DefaultEscalationTimeout when zero); a caller's earlier deadline wins.
	Timeout time.Duration
	Logger  *slog.Logger
	// AdminURL is the dashboard's public address (…/admin); cards of
	// recorded escalations then link to their page there.
	AdminURL string
}

// DefaultEscalationTimeout bounds an escalation whose caller set no deadline.
const DefaultEscalationTimeout = 30 * time.Second

// Escalator posts escalations as Adaptive Cards to a Teams channel through
// a Workflows webhook (TEAMS_ESCALATION_WEBHOOK_URL). It implements
// bot.Escalator.
type Escalator struct {
	url      string
	adminURL string
	client   *http.Client
	timeout  time.Duration
	log      *slog.Logger
}

var _ bot.Escalator = (*Escalator)(nil)

// NewEscalator returns an Escalator posting to webhookURL. The URL carries
// its own signature (sig=…), so it is a secret: it never appears in logs or
// errors.
func NewEscalator(webhookURL string, opts EscalatorOptions) (*Escalator, error) {
	u, err := url.Parse(webhookURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("teams: escalation webhook URL must be an http(s) URL")
	}
	e := &Escalator{url: webhookURL, adminURL: opts.AdminURL, client: opts.Client, timeout: opts.Timeout, log: opts.Logger}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.timeout <= 0 {
		e.timeout = DefaultEscalationTimeout
	}
	if e.client == nil {
		log := e.log
		e.client = &http.Client{Transport: &retry.Transport{
			Retries:    opts.Retries,
			MinBackoff: opts.MinBackoff,
			MaxBackoff: opts.MaxBackoff,
			OnRetry: func(_ *http.Request, attempt, status int, err error, wait time.Duration) {
				log.Warn("retrying Teams escalation", "attempt", attempt, "status", status, "err", err, "wait", wait)
			},
		}}
	}
	return e, nil
}

// Escalate posts the escalation card. When every attempt fails it logs the
// whole escalation at error level, so that it can be handed over by hand,
// and returns the error.
func (e *Escalator) Escalate(ctx context.Context, esc bot.Escalation) error {
	body, err := json.Marshal(escalationCard(esc, e.adminURL))
	if err != nil {
		return fmt.Errorf("encode Teams escalation card: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if err := e.post(ctx, body); err != nil {
		err = fmt.Errorf("post escalation to Teams workflow: %w", err)
		e.log.Error("Teams escalation failed; hand it over by hand", "err", err, escalationAttrs(esc))
		return err
	}
	e.log.Info("escalated to Teams", "reason", reasonOf(esc), "asker_id", esc.Question.Asker.ID)
	return nil
}

func (e *Escalator) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return errors.New("build request") // the error would quote the secret URL
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the URL, and with it the signature
		}
		return err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s: %s", resp.Status, strings.TrimSpace(string(snippet)))
	}
	return nil
}

// escalationAttrs is everything the card would have carried.
func escalationAttrs(esc bot.Escalation) slog.Attr {
	sources := make([]string, 0, len(esc.Answer.Citations))
	for _, c := range esc.Answer.Citations {
		sources = append(sources, c.Title+" <"+c.URL+">")
	}
	return slog.Group("escalation",
		"reason", reasonOf(esc),
		"asker_id", esc.Question.Asker.ID,
		"asker_name", esc.Question.Asker.Name,
		"transport", esc.Question.Transport,
		"link", esc.Link,
		"question", esc.Question.Text,
		"answer", esc.Answer.Text,
		"answered", esc.Answer.Answered,
		"mode", esc.Answer.Mode,
		"sources", sources,
		"corpus_version", esc.Answer.CorpusVersion,
	)
}
