package corpus

import (
	"strings"
	"testing"
)

func TestLongSectionIsSplitByTopic(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := c.Section("transition-faqs.md", "what-will-happen-to-outbound-tables-and-data-when-outbound-marketing-is-removed")
	if !ok {
		t.Fatal("tables-and-data section missing")
	}
	if len(strings.Fields(s.Plain)) < 500 {
		t.Fatalf("section has %d words; the test expects the long one", len(strings.Fields(s.Plain)))
	}
	if len(s.Passages) < 6 {
		t.Fatalf("got %d passages, want one per top-level bullet group", len(s.Passages))
	}
	// Each topic of the section lives in exactly one passage, and every
	// passage cites the parent section.
	for _, topic := range []string{"asset library", "analytics", "Events", "segments** won't be removed", "import email tool", "Marketing lists", "Interaction data"} {
		n := 0
		for _, p := range s.Passages {
			if strings.Contains(p.Text, topic) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("topic %q is in %d passages, want 1", topic, n)
		}
	}
	for i, p := range s.Passages {
		if p.Section != s || p.Index != i || !strings.HasPrefix(p.ID, "transition-faqs.md#"+s.Anchor+"/") {
			t.Errorf("passage %d: section %p index %d id %q", i, p.Section, p.Index, p.ID)
		}
		if w := len(strings.Fields(p.Plain)); w > maxPassage {
			t.Errorf("passage %d has %d words, more than %d", i, w, maxPassage)
		}
	}
	// Sub-bullets stay with their parent bullet.
	for _, p := range s.Passages {
		if strings.Contains(p.Text, "Power BI") && !strings.Contains(p.Text, "**analytics**") {
			t.Errorf("sub-bullet separated from its bullet:\n%s", p.Text)
		}
	}
}

func TestShortSectionIsOnePassage(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.Section("transition-faqs.md", "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension")
	if len(s.Passages) != 1 || s.Passages[0].Text != s.Text {
		t.Errorf("got %d passages; a short section should be one passage equal to the section", len(s.Passages))
	}
}

func TestLeadInsStayWithTheirList(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.Section("transition-faqs.md", "will-transitioning-to-real-time-journeys-require-significant-retraining-due-to-a-new-user-interface")
	for _, p := range s.Passages {
		if strings.HasSuffix(strings.TrimSpace(p.Text), "**") {
			t.Errorf("passage ends with a lone heading line:\n%s", p.Text)
		}
	}
}
