package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// topSections is how many sections Stats lists.
const topSections = 10

const dayMillis = int64(24 * time.Hour / time.Millisecond)

// deflected is the one definition of a deflected exchange e (see
// bot.Stats), as SQL; %[1]d is the deflection window in milliseconds.
// A request for a person after the answer is an escalation of it.
const deflectedSQL = `(e.answered AND NOT e.escalate
	AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.exchange_id = e.id AND f.kind = '` + string(bot.FeedbackNotHelpful) + `' AND f.at < e.at + %[1]d)
	AND NOT EXISTS (SELECT 1 FROM escalations x WHERE x.exchange_id = e.id AND x.at < e.at + %[1]d))`

// escalatedSQL says whether exchange e went to people: the bot handed it
// on, or someone asked for a person afterwards.
const escalatedSQL = `(e.escalate OR EXISTS (SELECT 1 FROM escalations x WHERE x.exchange_id = e.id))`

// reasonSQL is why an escalated exchange e went to people.
const reasonSQL = `CASE WHEN e.escalate THEN e.reason
	ELSE (SELECT MIN(x.reason) FROM escalations x WHERE x.exchange_id = e.id) END`

func (s *Store) deflected() string {
	return fmt.Sprintf(deflectedSQL, s.opts.DeflectionWindow.Milliseconds())
}

// checkPeriod refuses empty, inverted and overlong periods.
func checkPeriod(p bot.Period) error {
	switch {
	case !p.To.After(p.From):
		return errors.New("the period ends before it starts")
	case p.To.Sub(p.From) > bot.MaxReportPeriod:
		return fmt.Errorf("the period is longer than %d days", int(bot.MaxReportPeriod/(24*time.Hour)))
	}
	return nil
}

// readTx is a read-only transaction: every query of a report sees the
// same data.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.backend == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.r.BeginTx(ctx, opts)
}

// Stats computes the statistics of period p. It implements bot.Reports.
func (s *Store) Stats(ctx context.Context, p bot.Period) (bot.Stats, error) {
	if err := checkPeriod(p); err != nil {
		return bot.Stats{}, fmt.Errorf("stats: %w", err)
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return bot.Stats{}, fmt.Errorf("stats: %w", err)
	}
	defer tx.Rollback()
	st := bot.Stats{
		From: p.From.UTC(), To: p.To.UTC(),
		ByTransport: map[string]int{}, ByReason: map[string]int{},
		TopSections: []bot.SectionCount{}, Gaps: []bot.Gap{},
	}
	from, to := millis(p.From), millis(p.To)
	for _, step := range []func(context.Context, *sql.Tx, int64, int64, *bot.Stats) error{
		s.statsByDay, statsLatency, statsByTransport, statsByReason, statsFeedback, statsTopSections,
	} {
		if err := step(ctx, tx, from, to, &st); err != nil {
			return bot.Stats{}, fmt.Errorf("stats: %w", err)
		}
	}
	if st.Questions > 0 {
		st.DeflectionRate = float64(st.Deflected) / float64(st.Questions)
	}
	return st, nil
}

// statsByDay counts per UTC day and adds the days up.
func (s *Store) statsByDay(ctx context.Context, tx *sql.Tx, from, to int64, st *bot.Stats) error {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT e.at / %[1]d, COUNT(*),
		SUM(CASE WHEN e.answered THEN 1 ELSE 0 END),
		SUM(CASE WHEN %[2]s THEN 1 ELSE 0 END),
		SUM(CASE WHEN %[3]s THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.answered AND %[2]s THEN 1 ELSE 0 END)
		FROM exchanges e WHERE e.at >= $1 AND e.at < $2 GROUP BY 1`, dayMillis, escalatedSQL, s.deflected()), from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	days := map[int64]bot.DayStats{}
	for rows.Next() {
		var day int64
		var d bot.DayStats
		if err := rows.Scan(&day, &d.Questions, &d.Answered, &d.Escalated, &d.Deflected, &d.EscalatedAnswered); err != nil {
			return err
		}
		d.Abstained = d.Questions - d.Answered
		days[day] = d
		st.Questions += d.Questions
		st.Answered += d.Answered
		st.Abstained += d.Abstained
		st.Escalated += d.Escalated
		st.Deflected += d.Deflected
	}
	if err := rows.Err(); err != nil {
		return err
	}
	st.ByDay = []bot.DayStats{}
	for day := from / dayMillis; day*dayMillis < to; day++ {
		d := days[day]
		d.Day = fromMillis(day * dayMillis).Format(time.DateOnly)
		st.ByDay = append(st.ByDay, d)
	}
	return nil
}

// latencyBucketSQL is the LatencyBoundsMs bucket of exchange e's
// latency.
func latencyBucketSQL() string {
	var b strings.Builder
	b.WriteString("CASE")
	for i, le := range bot.LatencyBoundsMs[:len(bot.LatencyBoundsMs)-1] {
		fmt.Fprintf(&b, " WHEN e.latency_us <= %d THEN %d", int64(le)*1000, i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(bot.LatencyBoundsMs)-1)
	return b.String()
}

// statsLatency makes the latency histogram of the period and of each day.
func statsLatency(ctx context.Context, tx *sql.Tx, from, to int64, st *bot.Stats) error {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT e.at / %d, %s, COUNT(*) FROM exchanges e
		WHERE e.at >= $1 AND e.at < $2 GROUP BY 1, 2`, dayMillis, latencyBucketSQL()), from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(bot.LatencyBoundsMs)
	total := make([]int, n)
	days := map[string][]int{}
	for rows.Next() {
		var day int64
		var bucket, count int
		if err := rows.Scan(&day, &bucket, &count); err != nil {
			return err
		}
		if bucket < 0 || bucket >= n {
			continue
		}
		key := fromMillis(day * dayMillis).Format(time.DateOnly)
		if days[key] == nil {
			days[key] = make([]int, n)
		}
		days[key][bucket] += count
		total[bucket] += count
	}
	if err := rows.Err(); err != nil {
		return err
	}
	st.Latency = bot.NewLatencyStats(total)
	for i, d := range st.ByDay {
		if counts := days[d.Day]; counts != nil {
			l := bot.NewLatencyStats(counts)
			st.ByDay[i].LatencyP50Ms, st.ByDay[i].LatencyP95Ms = l.P50Ms, l.P95Ms
		}
	}
	return nil
}

func statsByTransport(ctx context.Context, tx *sql.Tx, from, to int64, st *bot.Stats) error {
	return countInto(ctx, tx, st.ByTransport,
		`SELECT transport, COUNT(*) FROM exchanges WHERE at >= $1 AND at < $2 GROUP BY transport`, from, to)
}

func statsByReason(ctx context.Context, tx *sql.Tx, from, to int64, st *bot.Stats) error {
	return countInto(ctx, tx, st.ByReason,
		`SELECT r, COUNT(*) FROM (SELECT `+reasonSQL+` AS r FROM exchanges e
			WHERE e.at >= $1 AND e.at < $2 AND `+escalatedSQL+`) escalated GROUP BY r`, from, to)
}

func statsFeedback(ctx context.Context, tx *sql.Tx, from, to int64, st *bot.Stats) error {
	kinds := map[string]int{}
	if err := countInto(ctx, tx, kinds, `SELECT kind, COUNT(*) FROM feedback WHERE at >= $1 AND at < $2 GROUP BY kind`, from, to); err != nil {
		return err
	}
	st.Feedback = bot.FeedbackCounts{Helpful: kinds[string(bot.FeedbackHelpful)], NotHelpful: kinds[string(bot.FeedbackNotHelpful)]}
	return nil
}

func statsTopSections(ctx context.Context, tx *sql.Tx, from, to int64, st *bot.Stats) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.document, c.anchor, MAX(c.title), COUNT(DISTINCT c.exchange_id)
		FROM citations c JOIN exchanges e ON e.id = c.exchange_id
		WHERE e.at >= $1 AND e.at < $2 AND e.answered
		GROUP BY c.document, c.anchor ORDER BY 4 DESC, 2 LIMIT $3`, from, to, topSections)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sc bot.SectionCount
		if err := rows.Scan(&sc.Document, &sc.Anchor, &sc.Title, &sc.Count); err != nil {
			return err
		}
		st.TopSections = append(st.TopSections, sc)
	}
	return rows.Err()
}

// countInto adds the (name, count) rows of query to m.
func countInto(ctx context.Context, tx *sql.Tx, m map[string]int, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return err
		}
		m[name] += n
	}
	return rows.Err()
}
