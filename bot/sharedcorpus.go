package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faqbot/faqbot/corpus"
)

// CorpusRevision is one corpus that a refresh shared with every replica.
type CorpusRevision struct {
	// Revision numbers the shared corpora in the order they were shared.
	Revision int64
	Version  string
	// Snapshot is the corpus's pages; empty where only the number and
	// version were asked for.
	Snapshot corpus.Snapshot
	At       time.Time
	// Replica names the replica that shared it.
	Replica string
}

// SharedCorpus is where replicas share the serving corpus: the records
// database when it is PostgreSQL.
type SharedCorpus interface {
	// PublishCorpus shares rev's corpus as the newest revision and tells
	// the other replicas, unless the newest already has its version. It
	// returns the newest revision (without its snapshot) and whether this
	// call made it.
	PublishCorpus(ctx context.Context, rev CorpusRevision) (CorpusRevision, bool, error)
	// LatestCorpus returns the newest revision's number and version, or
	// ErrNotFound before anything was shared.
	LatestCorpus(ctx context.Context) (CorpusRevision, error)
	// CorpusRevision returns a revision with its snapshot, or ErrNotFound.
	CorpusRevision(ctx context.Context, revision int64) (CorpusRevision, error)
	// WatchCorpus calls changed whenever another replica may have shared a
	// corpus, until ctx ends: on each notification, and after each
	// reconnection, when notifications may have been missed.
	WatchCorpus(ctx context.Context, changed func())
}

// SnapshotParser turns a shared snapshot back into a corpus (corpus.Loader
// in production).
type SnapshotParser interface {
	Parse(s corpus.Snapshot) (*corpus.Corpus, error)
}

// Defaults of SharedRefresher.
const (
	// DefaultCorpusCheck is how often a replica asks the database for the
	// newest corpus, in case a notification was missed.
	DefaultCorpusCheck = 10 * time.Second
	// DefaultCorpusLagGrace is how long a replica may serve an older corpus
	// than the database's before it stops reporting ready: long enough to
	// rebuild an index, short enough that a replica stuck on an old FAQ
	// leaves the load balancer.
	DefaultCorpusLagGrace = 30 * time.Second
)

// SharedRefresher keeps replicas on one corpus. A refresh on any replica
// indexes the new corpus there, then shares its pages and version in the
// database and notifies the others; each of them builds the same corpus
// beside its old index and swaps it in, as a local refresh does. A
// replica that starts later loads the newest shared corpus instead of its
// configured one.
type SharedRefresher struct {
	// Local loads a source and swaps it in (IndexRefresher).
	Local Refresher
	// Index swaps in corpora read from the database; Current is the
	// serving corpus (nil before the first).
	Index   IndexLoader
	Current func() *corpus.Corpus
	Parser  SnapshotParser
	Shared  SharedCorpus
	// Replica names this replica in what it shares and logs.
	Replica string
	// CheckEvery and LagGrace default to DefaultCorpusCheck and
	// DefaultCorpusLagGrace.
	CheckEvery, LagGrace time.Duration
	Logger               *slog.Logger
	// Clock tells the time (time.Now when nil).
	Clock func() time.Time

	mu sync.Mutex // one load or refresh at a time
	// failed is a revision that could not be loaded, not tried again
	// until a newer one appears (under mu).
	failed int64

	loaded, latest atomic.Int64
	// behindSince is when latest first exceeded loaded (Unix nanoseconds),
	// 0 while the replica is current.
	behindSince atomic.Int64
}

// CorpusStatus is where a replica stands against the shared corpus.
type CorpusStatus struct {
	// Loaded is the revision serving here, Latest the newest one seen in
	// the database (0 for none).
	Loaded, Latest int64
	// Behind is how long the replica has served an older revision than
	// Latest; Lagging says it is past the grace period.
	Behind  time.Duration
	Lagging bool
}

func (r *SharedRefresher) log() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func (r *SharedRefresher) now() time.Time {
	if r.Clock == nil {
		return time.Now()
	}
	return r.Clock()
}

// Status reports whether this replica serves the newest shared corpus.
func (r *SharedRefresher) Status() CorpusStatus {
	st := CorpusStatus{Loaded: r.loaded.Load(), Latest: r.latest.Load()}
	if since := r.behindSince.Load(); since != 0 && st.Latest > st.Loaded {
		st.Behind = r.now().Sub(time.Unix(0, since))
		st.Lagging = st.Behind > orDefault(r.LagGrace, DefaultCorpusLagGrace)
	}
	return st
}

// saw notes the newest revision the database holds.
func (r *SharedRefresher) saw(revision int64) {
	for {
		cur := r.latest.Load()
		if revision <= cur || r.latest.CompareAndSwap(cur, revision) {
			break
		}
	}
	r.settle()
}

// serving notes the revision now serving here.
func (r *SharedRefresher) serving(revision int64) {
	r.loaded.Store(revision)
	r.saw(revision)
}

// settle starts or stops the lag clock.
func (r *SharedRefresher) settle() {
	if r.latest.Load() > r.loaded.Load() {
		r.behindSince.CompareAndSwap(0, r.now().UnixNano())
	} else {
		r.behindSince.Store(0)
	}
}

// Start loads the first corpus: the newest shared one, else the configured
// one, which it then shares. A shared corpus this replica cannot load
// leaves it on the configured one without sharing that (it reports itself
// lagging after the grace period); so does a database that cannot be read.
func (r *SharedRefresher) Start(ctx context.Context) (corpus.Changes, error) {
	latest, err := r.Shared.LatestCorpus(ctx)
	switch {
	case errors.Is(err, ErrNotFound):
		return r.Refresh(ctx, "")
	case err != nil:
		r.log().Error("cannot read the shared corpus; serving the configured one until the database answers", "err", err)
	default:
		r.saw(latest.Revision)
		r.mu.Lock()
		changes, err := r.loadRevision(ctx, latest.Revision)
		r.mu.Unlock()
		if err == nil {
			return changes, nil
		}
		if ctx.Err() != nil {
			return corpus.Changes{}, err
		}
		r.log().Error("cannot load the shared corpus; serving the configured one", "revision", latest.Revision, "err", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Local.Refresh(ctx, "")
}

// Refresh loads source (the configured corpus when empty) here, then
// shares it. If it cannot be shared this replica goes back to the corpus
// it served before, so that replicas never disagree for long, and the
// refresh fails.
func (r *SharedRefresher) Refresh(ctx context.Context, source string) (corpus.Changes, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev := r.Current()
	changes, err := r.Local.Refresh(ctx, source)
	if err != nil {
		return changes, err
	}
	c := r.Current()
	rev, created, err := r.Shared.PublishCorpus(ctx, CorpusRevision{Version: c.Version, Snapshot: c.Snapshot, At: r.now().UTC(), Replica: r.Replica})
	if err != nil {
		if prev == nil {
			// Nothing to go back to: serve it, and follow the database once
			// it answers.
			r.log().Error("serving a corpus the other replicas were not told about", "corpus_version", c.Version, "err", err)
			return changes, nil
		}
		if prev.Version != c.Version {
			// The vectors are cached: going back costs an index build.
			if _, rerr := r.Index.Load(context.WithoutCancel(ctx), prev); rerr != nil {
				r.log().Error("cannot go back to the previous corpus", "corpus_version", prev.Version, "err", rerr)
				return corpus.Changes{}, fmt.Errorf("refresh: share corpus %s with the other replicas: %w", c.Version, err)
			}
		}
		return corpus.Changes{}, fmt.Errorf("refresh: share corpus %s with the other replicas (this one still serves %s): %w", c.Version, prev.Version, err)
	}
	r.serving(rev.Revision)
	if created {
		r.log().Info("shared a refreshed corpus with the other replicas", "revision", rev.Revision, "corpus_version", rev.Version)
	}
	return changes, nil
}

// Follow keeps this replica on the newest shared corpus until ctx ends:
// on each notification, and every CheckEvery in case one was missed.
func (r *SharedRefresher) Follow(ctx context.Context) {
	wake := make(chan struct{}, 1)
	changed := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Shared.WatchCorpus(ctx, changed)
	}()
	defer func() { <-done }()
	tick := time.NewTicker(orDefault(r.CheckEvery, DefaultCorpusCheck))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
		r.CatchUp(ctx)
	}
}

// CatchUp loads the newest shared corpus if this replica serves an older
// one. Failures are logged: the next notification or check tries again.
func (r *SharedRefresher) CatchUp(ctx context.Context) {
	latest, err := r.Shared.LatestCorpus(ctx)
	if err != nil {
		if !errors.Is(err, ErrNotFound) && ctx.Err() == nil {
			r.log().Warn("cannot check the shared corpus", "err", err)
		}
		return
	}
	r.saw(latest.Revision)
	if latest.Revision <= r.loaded.Load() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if latest.Revision <= r.loaded.Load() || latest.Revision == r.failed {
		return // a refresh here got there first, or it cannot be loaded
	}
	if _, err := r.loadRevision(ctx, latest.Revision); err != nil && ctx.Err() == nil {
		r.log().Error("cannot load the corpus another replica shared; serving the previous one", "revision", latest.Revision, "err", err)
	}
}

// loadRevision swaps in a shared revision. Called with mu held.
func (r *SharedRefresher) loadRevision(ctx context.Context, revision int64) (corpus.Changes, error) {
	rev, err := r.Shared.CorpusRevision(ctx, revision)
	if err != nil {
		return corpus.Changes{}, fmt.Errorf("read shared corpus %d: %w", revision, err)
	}
	c, err := r.Parser.Parse(rev.Snapshot)
	if err != nil {
		r.failed = revision
		return corpus.Changes{}, fmt.Errorf("parse shared corpus %d: %w", revision, err)
	}
	var changes corpus.Changes
	if cur := r.Current(); cur == nil || cur.Version != c.Version {
		if changes, err = r.Index.Load(ctx, c); err != nil {
			return corpus.Changes{}, fmt.Errorf("index shared corpus %d: %w", revision, err)
		}
	}
	r.serving(revision)
	r.log().Info("serving the shared corpus", "revision", revision, "corpus_version", c.Version,
		"shared_by", rev.Replica, "changes", changes.Summary())
	return changes, nil
}

// orDefault is v, or def when v is not positive.
func orDefault(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}
