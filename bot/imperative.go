package bot

import "strings"

// People in a hurry ask by telling: "turn it on", "get us more runway",
// "need outbound kept on through the holidays. make it happen". No "can
// you", no "please": the request is the mood of the clause, a verb of
// action with no subject in front of it. The policy counts such a clause
// as a request, like "could you …?".

// actionVerbs are verbs whose bare form at a clause's start asks someone
// to act on the product or the schedule. Verbs that ask to be told
// something ("tell", "show", "explain") are left out: "tell me when
// outbound goes away" wants information.
var actionVerbs = map[string]bool{
	"turn": true, "switch": true, "flip": true, "fix": true, "make": true, "keep": true, "leave": true,
	"build": true, "create": true, "set": true, "enable": true, "re-enable": true, "reenable": true,
	"restore": true, "reactivate": true, "activate": true, "unhide": true, "disable": true, "remove": true,
	"push": true, "move": true, "extend": true, "delay": true, "postpone": true, "hold": true,
	"escalate": true, "file": true, "open": true, "raise": true, "log": true, "loop": true, "ping": true,
	"sort": true, "bring": true, "put": true, "get": true, "add": true, "schedule": true,
	"send": true, "publish": true, "connect": true, "sync": true, "stop": true, "kill": true, "find": true,
	"give": true, "grant": true, "exempt": true, "approve": true,
	"clone": true, "copy": true, "duplicate": true, "book": true, "arrange": true, "spin": true, "undo": true,
	"rerun": true, "revert": true, "reconnect": true, "resend": true, "recreate": true, "install": true,
	"configure": true, "update": true, "change": true, "edit": true,
}

// notImperative are words that, right after a clause's first word, show it
// is no order: "make sure", "set of", "need is", "fix was".
var notImperative = map[string]bool{
	"sure": true, "of": true, "is": true, "was": true, "are": true, "were": true, "in": true,
	"mind": true, "you": true, "i": true, "we": true, "they": true, "started": true,
}

// clauseFiller may open a clause before its verb: "so just turn it on",
// "ok pls fix".
var clauseFiller = map[string]bool{
	"so": true, "and": true, "then": true, "now": true, "just": true, "pls": true, "plz": true,
	"please": true, "ok": true, "okay": true, "also": true, "hey": true, "hi": true, "team": true,
	"but": true, "again": true, "quickly": true, "asap": true, "guys": true, "folks": true,
}

// maxImperatives bounds the clauses read, like maxMentions for concepts.
const maxImperatives = 32

// imperatives finds clauses in lower-cased text that open with an action
// verb, as mentions of that verb. starts are the text's word starts.
func imperatives(text string, starts []int) []mention {
	var out []mention
	clauseStart := true
	for i, s := range starts {
		if len(out) == maxImperatives {
			break
		}
		if i > 0 && endsClause(text[starts[i-1]:s]) {
			clauseStart = true
		}
		if !clauseStart {
			continue
		}
		word := wordFrom(text, s)
		if clauseFiller[word] {
			continue // still at the clause's start
		}
		clauseStart = false
		next := ""
		if i+1 < len(starts) {
			next = wordFrom(text, starts[i+1])
		}
		// "do it" orders; "do those keep working?" asks.
		if word == "do" && (next == "it" || next == "this" || next == "that") {
			out = append(out, mention{from: i, to: i + 1})
			continue
		}
		if !actionVerbs[word] {
			continue
		}
		if notImperative[next] {
			continue
		}
		out = append(out, mention{from: i, to: i})
	}
	return out
}

// endsClause reports whether the text between two word starts (a word and
// what follows it) closes a clause.
func endsClause(between string) bool {
	return strings.ContainsAny(between, ".!?;:,\n") || strings.Contains(between, " - ") || strings.Contains(between, "—")
}

// wordFrom returns the word that starts at byte s.
func wordFrom(text string, s int) string {
	end := s
	for end < len(text) {
		c := text[end]
		if c == ' ' || c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n' || c == '\t' || c == ')' || c == '"' {
			break
		}
		end++
	}
	return text[s:end]
}
