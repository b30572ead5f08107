package org.distribank.consortium.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LogicalClock#refusal} never refuses an honest peer: random runs of the protocol's clock rules (tick on
 * send, merge and tick on receive, FIFO links, every message to every other peer, arbitrary interleaving and
 * link delays) check every message at its receiver, as the node does before logging it.
 */
class ClockRefusalTest {

    private record Sent(long seq, long[] clock) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void honestRunsAreNeverRefused(long seed) {
        Random rnd = new Random(seed);
        int n = 2 + rnd.nextInt(6);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add("b" + i);
        }
        String[] order = LogicalClock.canonicalOrder(ids);
        Map<String, LogicalClock> clocks = new HashMap<>();
        Map<String, Long> nextSeq = new HashMap<>();
        Map<String, ArrayDeque<Sent>> links = new HashMap<>(); // "from>to" -> in flight, FIFO
        Map<String, long[]> lastFrom = new HashMap<>(); // "from>to" -> clock of the last message received
        for (String id : ids) {
            clocks.put(id, new LogicalClock(id, ids));
            nextSeq.put(id, 1L);
            for (String to : ids) {
                links.put(id + ">" + to, new ArrayDeque<>());
            }
        }
        int checked = 0;
        for (int step = 0; step < 20_000; step++) {
            String p = order[rnd.nextInt(n)];
            if (rnd.nextInt(3) == 0) { // send to every other peer
                long seq = nextSeq.merge(p, 1L, Long::sum) - 1;
                long[] stamp = clocks.get(p).tick();
                for (String to : ids) {
                    if (!to.equals(p)) {
                        links.get(p + ">" + to).add(new Sent(seq, stamp));
                    }
                }
            } else { // receive the next message of a random link into p (some links lag far behind)
                String from = order[rnd.nextInt(n)];
                ArrayDeque<Sent> link = links.get(from + ">" + p);
                if (from.equals(p) || link.isEmpty() || (from.hashCode() + step) % 7 == 0) {
                    continue;
                }
                Sent m = link.poll();
                LogicalClock c = clocks.get(p);
                String why = c.refusal(from, m.seq(), m.clock(), c.entries(), lastFrom.get(from + ">" + p));
                assertThat(why).as("%s from %s seq %d", p, from, m.seq()).isNull();
                c.onReceive(m.clock());
                lastFrom.put(from + ">" + p, m.clock());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1_000);
    }
}
