-- The sequence number of the last journal batch this database holds (GroupCommitWriter, Journal): written in
-- each batch's own transaction, so after a crash exactly the later journal batches are replayed.
CREATE TABLE journal_position (
    id  INTEGER NOT NULL,
    seq BIGINT  NOT NULL,
    PRIMARY KEY (id)
);
INSERT INTO journal_position (id, seq) VALUES (1, 0);
