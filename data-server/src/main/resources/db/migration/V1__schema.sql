-- DistriBank data server schema. Portable SQL (H2 and PostgreSQL). Money is BIGINT cents.

CREATE TABLE customers (
    business_id   VARCHAR(128) NOT NULL,
    cpf           VARCHAR(11)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    email         VARCHAR(200),
    phone         VARCHAR(40),
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (business_id, cpf),
    CONSTRAINT uq_customers_username UNIQUE (business_id, username)
);

CREATE TABLE accounts (
    business_id  VARCHAR(128) NOT NULL,
    account_id   VARCHAR(128) NOT NULL,
    account_type VARCHAR(16)  NOT NULL,
    company_name VARCHAR(200),
    company_cnpj VARCHAR(14),
    balance      BIGINT       NOT NULL,
    entry_count  BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (business_id, account_id),
    CONSTRAINT ck_accounts_balance CHECK (balance >= 0)
);

CREATE TABLE account_holders (
    business_id VARCHAR(128) NOT NULL,
    account_id  VARCHAR(128) NOT NULL,
    cpf         VARCHAR(11)  NOT NULL,
    holder_role VARCHAR(16)  NOT NULL,
    added_at    BIGINT       NOT NULL,
    PRIMARY KEY (business_id, account_id, cpf),
    CONSTRAINT fk_holders_account FOREIGN KEY (business_id, account_id) REFERENCES accounts (business_id, account_id),
    CONSTRAINT fk_holders_customer FOREIGN KEY (business_id, cpf) REFERENCES customers (business_id, cpf)
);
CREATE INDEX ix_holders_cpf ON account_holders (business_id, cpf);

CREATE TABLE pix_keys (
    business_id VARCHAR(128) NOT NULL,
    pix_key     VARCHAR(128) NOT NULL,
    key_type    VARCHAR(16)  NOT NULL,
    account_id  VARCHAR(128) NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (business_id, pix_key),
    CONSTRAINT fk_pix_account FOREIGN KEY (business_id, account_id) REFERENCES accounts (business_id, account_id)
);
CREATE INDEX ix_pix_account ON pix_keys (business_id, account_id);

CREATE TABLE statement_entries (
    business_id    VARCHAR(128) NOT NULL,
    account_id     VARCHAR(128) NOT NULL,
    entry_no       BIGINT       NOT NULL,
    transaction_id VARCHAR(128),
    entry_kind     VARCHAR(16)  NOT NULL,
    amount         BIGINT       NOT NULL,
    balance_after  BIGINT       NOT NULL,
    created_at     BIGINT       NOT NULL,
    counterparty   VARCHAR(200),
    operation_id   VARCHAR(128) NOT NULL,
    PRIMARY KEY (business_id, account_id, entry_no)
);

-- Applied balance operations (setBalance and postings), for idempotency by operation_id.
CREATE TABLE operations (
    business_id   VARCHAR(128) NOT NULL,
    operation_id  VARCHAR(128) NOT NULL,
    fingerprint   VARCHAR(600) NOT NULL,
    account_id    VARCHAR(128) NOT NULL,
    balance_after BIGINT       NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (business_id, operation_id)
);

CREATE TABLE transaction_outcomes (
    business_id    VARCHAR(128)  NOT NULL,
    transaction_id VARCHAR(128)  NOT NULL,
    fingerprint    VARCHAR(200)  NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    reason         VARCHAR(64),
    failed_leg     INTEGER,
    order_json     VARCHAR(20000),
    updated_at     BIGINT        NOT NULL,
    PRIMARY KEY (business_id, transaction_id)
);
