package slack

import (
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

func TestReadLegacyKeepsEveryReadableRecord(t *testing.T) {
	l, err := ReadLegacy("testdata/legacy")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Files) != 2 || l.Skipped != 2 {
		t.Errorf("files %v, skipped %d (want the torn line and the cut last line)", l.Files, l.Skipped)
	}
	if len(l.Feedback) != 1 {
		t.Fatalf("feedback %+v", l.Feedback)
	}
	f := l.Feedback[0]
	if f.Kind != bot.FeedbackHelpful || f.User != "U555" || f.Message != "C1/1700000999.000100" || f.Conversation != "C1/1700000010.000001" ||
		f.Question != "What happens to segments?" || f.Asker != "U123" || f.CorpusVersion != "f90b57b38329" || !f.Time.Equal(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("feedback %+v", f)
	}
	if len(l.Escalations) != 3 {
		t.Fatalf("escalations %+v", l.Escalations)
	}
	delivered, failedAsk, failedExt := l.Escalations[0], l.Escalations[1], l.Escalations[2]
	if delivered.Key != "slack:answer:C1/1700000999.000101" || delivered.Delivery != bot.DeliveryDelivered || delivered.Asker != "U124" ||
		delivered.By != "U556" || delivered.Reason != bot.UserRequest || !delivered.Imported || delivered.State != bot.EscalationOpen {
		t.Errorf("delivered ask %+v", delivered)
	}
	// The record torn into it is recovered, and its failed post merged in.
	if failedAsk.Key != "slack:answer:C2/1700000999.000102" || failedAsk.Delivery != bot.DeliveryFailed ||
		failedAsk.Link != "https://acme.slack.com/archives/C2/p1700000012000001" || failedAsk.DeliveryError == "" {
		t.Errorf("failed ask %+v", failedAsk)
	}
	if failedExt.Key != "" || failedExt.Reason != bot.ExtensionRequest || failedExt.Delivery != bot.DeliveryFailed ||
		failedExt.Draft != "A person needs to handle this [1]." || len(failedExt.Sources) != 1 || failedExt.Asker != "U200" {
		t.Errorf("failed extension %+v", failedExt)
	}
}

func TestReadLegacyWithoutFiles(t *testing.T) {
	l, err := ReadLegacy(t.TempDir())
	if err != nil || len(l.Files)+len(l.Feedback)+len(l.Escalations)+l.Skipped != 0 {
		t.Errorf("%+v, %v", l, err)
	}
}
