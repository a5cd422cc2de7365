package teams

import "testing"

func TestBotActivityQuestion(t *testing.T) {
	self := entity{Type: "mention", Text: "<at>FAQ Bot</at>", Mentioned: account{ID: testBotID, Name: "FAQ Bot"}}
	person := entity{Type: "mention", Text: "<at>Adele Vance</at>", Mentioned: account{ID: "29:adele", Name: "Adele Vance"}}
	tests := []struct {
		name, convType, text string
		entities             []entity
		want                 string
	}{
		{"channel mention", channelChat, "<at>FAQ Bot</at>&nbsp;When is outbound removed?", []entity{self}, "When is outbound removed?"},
		{"group chat, mention later", groupChat, "Hey <at>FAQ Bot</at>, what about forms?", []entity{self}, "Hey, what about forms?"},
		{"other mention keeps its name", channelChat, "<at>FAQ Bot</at> can <at>Adele Vance</at> keep forms?", []entity{person, self}, "can Adele Vance keep forms?"},
		{"channel without entities: first mention is the bot", channelChat, "<at>FAQ Bot</at> when?", nil, "when?"},
		{"personal chat needs no mention", personalChat, "When is outbound removed?", nil, "When is outbound removed?"},
		{"personal chat keeps a person's mention", personalChat, "Can <at>Adele Vance</at> approve this?", []entity{person}, "Can Adele Vance approve this?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := botActivity{Text: tt.text, Entities: tt.entities, Recipient: account{ID: testBotID},
				Conversation: conversationAccount{ConversationType: tt.convType}}
			if got := a.question(); got != tt.want {
				t.Errorf("question() = %q, want %q", got, tt.want)
			}
		})
	}
}
