package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// The fake workspace the events come from. The bot's user ID is what the
// fake's auth.test answers, so the bot strips its own mention.
const (
	botUserID  = "UBOT"
	botID      = "BBOT"
	askerID    = "ULOAD"
	teamID     = "TLOAD"
	apiAppID   = "ALOAD"
	mentionFmt = "<@" + botUserID + "> %s"
)

// questions are asked in turn: FAQ questions, a paraphrase, an escalation
// (extension request) and one the FAQ cannot answer, so every path of the
// Slack answer is exercised.
var questions = []string{
	"Can I request an extension for outbound marketing?",
	"what happens to marketing lists after removal",
	"How many contacts does real-time journeys support?",
	"is the email designer different in RTJ",
	"When will outbound marketing be removed?",
	"Can we get more time to move off outbound?",
	"What is the capital of France?",
	"Do segments carry over to real-time journeys?",
}

// event is one app_mention the load generator sends. Its message (channel
// and ts) is what the bot's reply is threaded under.
type event struct {
	id      string
	channel string
	ts      string
	text    string
	time    int64 // Unix seconds of the message
}

// key names the thread a reply to e lands in.
func (e event) key() string { return e.channel + "/" + e.ts }

// newEvent returns the i-th event of a run. run makes IDs and channels
// unique across runs, so that a long-running faqbot, which remembers
// delivered events for a while, treats every run's events as new.
func newEvent(run string, base time.Time, i int) event {
	sec := base.Unix() + int64(i/1_000_000)
	return event{
		id:      fmt.Sprintf("Ev%s%07d", run, i),
		channel: "C" + run,
		ts:      fmt.Sprintf("%d.%06d", sec, i%1_000_000),
		text:    fmt.Sprintf(mentionFmt, questions[i%len(questions)]),
		time:    sec,
	}
}

// eventCallback is the Events API payload Slack posts for an app_mention.
type eventCallback struct {
	Token     string     `json:"token"`
	TeamID    string     `json:"team_id"`
	APIAppID  string     `json:"api_app_id"`
	Event     appMention `json:"event"`
	Type      string     `json:"type"`
	EventID   string     `json:"event_id"`
	EventTime int64      `json:"event_time"`
}

type appMention struct {
	Type    string `json:"type"`
	User    string `json:"user"`
	Text    string `json:"text"`
	TS      string `json:"ts"`
	Channel string `json:"channel"`
	EventTS string `json:"event_ts"`
}

// body is the JSON Slack would post for e.
func (e event) body() []byte {
	b, _ := json.Marshal(eventCallback{
		Token: "unused", TeamID: teamID, APIAppID: apiAppID, Type: "event_callback",
		EventID: e.id, EventTime: e.time,
		Event: appMention{Type: "app_mention", User: askerID, Text: e.text, TS: e.ts, Channel: e.channel, EventTS: e.ts},
	})
	return b
}

// sign computes Slack's request signature: v0=hex(HMAC-SHA256(secret,
// "v0:" + timestamp + ":" + body)).
func sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}
