package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;

/** Shared operator calls for the bank tests. */
final class MultiBankTransferTestSupport {

    private MultiBankTransferTestSupport() {
    }

    static JsonObject audit(BankCluster cluster, String bank) {
        Http.Response r = Http.post(cluster.url(bank) + "/api/v1/audits", BankCluster.OPERATOR, "{}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
