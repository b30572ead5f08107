package org.distribank.bank.ledger;

import java.util.Objects;

/** Where a bank keeps its data: the data server's base URL, this bank's business id there and its token. */
public record DataServerLink(String url, String businessId, String token) {

    public DataServerLink {
        Objects.requireNonNull(url, "dataServer.url");
        Objects.requireNonNull(businessId, "dataServer.businessId");
        Objects.requireNonNull(token, "dataServer.token");
    }

    /** Hides the token: records get logged, secrets must not. */
    @Override
    public String toString() {
        return "DataServerLink[url=" + url + ", businessId=" + businessId + ", token=***]";
    }
}
