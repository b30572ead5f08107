-- One owner per account (API.md v1.1): a business that a bank peer manages refuses the original API's writes
-- (setBalance, getLock, unLock) with 409 MANAGED_BY_BANK. The bank claims it at start (PUT .../manager), a
-- journaled write like the others, so the claim survives a crash.
CREATE TABLE business_managers (
    business_id VARCHAR(128) NOT NULL,
    bank_id     VARCHAR(128) NOT NULL,
    bank_name   VARCHAR(200),
    claimed_at  BIGINT       NOT NULL,
    PRIMARY KEY (business_id)
);
