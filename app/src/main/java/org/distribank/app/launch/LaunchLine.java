package org.distribank.app.launch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.distribank.app.launch.RunningConsortium.BankInfo;
import org.distribank.app.launch.RunningConsortium.DataServerInfo;
import org.distribank.common.StrictJson;

/**
 * The launcher's JSON line (API.md, "Launcher"): each bank with its data server and operator token, each data
 * server, and the data dir. It carries secrets, for the person or test driving the consortium.
 */
final class LaunchLine {

    private LaunchLine() {
    }

    /**
     * {@code operatorTokenOf}: each bank's own operator token; {@code operatorToken}: b1's, also given at the top
     * as before banks had a token each.
     */
    static String of(List<BankInfo> banks, List<DataServerInfo> dataServers, UnaryOperator<String> operatorTokenOf,
                     String operatorToken, Path dataDir) {
        JsonObject root = new JsonObject();
        JsonArray bs = new JsonArray();
        for (BankInfo b : banks) {
            JsonObject o = new JsonObject();
            o.addProperty("id", b.id());
            o.addProperty("name", b.name());
            o.addProperty("url", b.url());
            if (b.pid() != null) {
                o.addProperty("pid", b.pid());
            }
            o.addProperty("config", b.config().toString());
            JsonObject ds = new JsonObject();
            ds.addProperty("url", b.dataServer().url());
            ds.addProperty("businessId", b.dataServer().businessId());
            ds.addProperty("token", b.dataServer().token());
            o.add("dataServer", ds);
            o.addProperty("operatorToken", operatorTokenOf.apply(b.id()));
            bs.add(o);
        }
        root.add("banks", bs);
        JsonArray dss = new JsonArray();
        for (DataServerInfo d : dataServers) {
            JsonObject o = new JsonObject();
            o.addProperty("url", d.url());
            if (d.pid() != null) {
                o.addProperty("pid", d.pid());
            }
            dss.add(o);
        }
        root.add("dataServers", dss);
        root.addProperty("operatorToken", operatorToken);
        root.addProperty("dataDir", dataDir.toString());
        return StrictJson.GSON.toJson(root);
    }
}
