-- The support loop: where to tell an asker that a person followed up
-- (reply_to, opaque to all but the transport that wrote it), whether they
-- were told and whether an open escalation was re-posted, each with a
-- claim that keeps replicas from doing it twice; and the platform
-- messages an exchange was asked and answered in, so that follow-ups and
-- clicks on an answer find it after a restart, with their citations'
-- links.

ALTER TABLE escalations ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN notify_claimed_at BIGINT;
ALTER TABLE escalations ADD COLUMN notified_at BIGINT;
ALTER TABLE escalations ADD COLUMN remind_claimed_at BIGINT;
ALTER TABLE escalations ADD COLUMN reminded_at BIGINT;
CREATE INDEX escalations_resolved ON escalations (state, resolved_at);

ALTER TABLE exchanges ADD COLUMN question_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE exchanges ADD COLUMN reply_ref TEXT NOT NULL DEFAULT '';
CREATE INDEX exchanges_conversation ON exchanges (transport, conversation, at);
CREATE INDEX exchanges_reply ON exchanges (transport, conversation, reply_ref);
ALTER TABLE citations ADD COLUMN url TEXT NOT NULL DEFAULT '';
